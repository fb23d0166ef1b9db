/* SPDX-License-Identifier: MIT */
/*
 * protocols/shamir/shamir.c - see shamir.h.
 *
 * Lagrange weights for an arbitrary subset S of the points 1..n come from
 * the full set's: with w_j(S) = prod_{k in S, k != j} (j - k),
 *     1 / w_j(full) = (-1)^(n-j) / ((j-1)! (n-j)!)         (tables)
 *     1 / w_j(S)    = (1 / w_j(full)) prod_{k not in S} (j - k),
 * so a subset missing few parties costs O(m (n - m)) multiplications
 * without inversions, and a small subset is done directly in O(m^2) with
 * one batch inversion.  The factors (j - k) are small integers: they are
 * multiplied several at a time in 64-bit integer arithmetic (vectorised),
 * with one field multiplication per group.  Then lambda_j(S) = (-1)^(m-1) (prod_S k) / (j
 * w_j(S)).  The loops keep the parties in the inner loop so that the
 * multiplications are independent (multiplication latency is ~9 cycles,
 * throughput ~1).
 *
 * The consistency test uses the dual code: for distinct points x_i and
 * any polynomial g of degree <= m - 2, sum_i g(x_i) / w_i(S) = 0 (the
 * x^(m-1) coefficient of g's interpolant).  Shares y lie on a degree-t
 * polynomial iff sum_i (x_i - z)^d y_i / w_i(S) = 0 as a polynomial in z,
 * d = m - t - 2; it is tested at one random z.
 */
#include "protocols/shamir/shamir.h"

#include <string.h>

#include "common/alloc.h"
#include "protocols/field/fp.h"
#include "protocols/field/fp_vec.h"
#include "protocols/field/rs.h"

/* Coefficients sampled on the stack per pass of shamir_share. */
#define SHAMIR__CHUNK 512
/* shamir_share by finite differences for t < SHAMIR__DIFF_MAX (2 t words
 * on the stack), with vector additions from t >= SHAMIR__DIFF_VEC. */
#define SHAMIR__DIFF_MAX 4096
#define SHAMIR__DIFF_VEC 16

struct shamir_ctx {
    int n, t;
    size_t stride;     /* row pitch of pow, elements */
    uint64_t *pow;     /* n rows: row j holds (j+1)^1 .. (j+1)^t */
    uint64_t *inv;     /* inv[k] = 1 / k, k = 1..n (inv[0] unused) */
    uint64_t *vfull;   /* vfull[k] = 1 / w_k(1..n), k = 1..n */
    uint64_t *lag_low; /* Lagrange weights of parties 0..t */
};

/* see shamir.h */
void
shamir_ctx_destroy(struct shamir_ctx *sh)
{
    if (sh == NULL) {
        return;
    }
    mpcsim_free(sh->pow);
    mpcsim_free(sh->inv);
    mpcsim_free(sh->vfull);
    mpcsim_free(sh->lag_low);
    mpcsim_free(sh);
}

/* see shamir.h */
int
shamir_ctx_create(struct shamir_ctx **out, int n, int t)
{
    struct shamir_ctx *sh = NULL;
    uint64_t *fact = NULL;
    uint64_t *invfact = NULL;
    size_t un, ut;
    int *idx = NULL;
    int rc = 0;

    if (n < 1 || t < 0 || t >= n) {
        return MPCSIM_EINVAL;
    }
    un = (size_t)n;
    ut = (size_t)t;
    sh = mpcsim_calloc(1, sizeof(*sh));
    if (sh == NULL) {
        return MPCSIM_ENOMEM;
    }
    sh->n = n;
    sh->t = t;
    /* Rows padded to whole cache lines and not a power of two apart. */
    sh->stride = (ut + 7) & ~(size_t)7;
    if (sh->stride == 0) {
        sh->stride = 8;
    }
    if ((sh->stride & (sh->stride - 1)) == 0) {
        sh->stride += 8;
    }
    /* The powers serve only the coefficient path of shamir_share. */
    if (ut >= SHAMIR__DIFF_MAX) {
        sh->pow = mpcsim_calloc(un * sh->stride, sizeof(uint64_t));
    }
    sh->inv = mpcsim_calloc(un + 1, sizeof(uint64_t));
    sh->vfull = mpcsim_calloc(un + 1, sizeof(uint64_t));
    sh->lag_low = mpcsim_calloc(ut + 1, sizeof(uint64_t));
    fact = mpcsim_calloc(un + 1, sizeof(uint64_t));
    invfact = mpcsim_calloc(un + 1, sizeof(uint64_t));
    idx = mpcsim_calloc(ut + 1, sizeof(int));
    if ((ut >= SHAMIR__DIFF_MAX && sh->pow == NULL) || sh->inv == NULL || sh->vfull == NULL ||
        sh->lag_low == NULL || fact == NULL || invfact == NULL || idx == NULL) {
        rc = MPCSIM_ENOMEM;
        goto out;
    }
    for (size_t j = 0; sh->pow != NULL && j < un; j++) {
        uint64_t *row = sh->pow + j * sh->stride;
        uint64_t x = (uint64_t)j + 1;
        uint64_t acc = 1;

        for (size_t k = 0; k < ut; k++) {
            acc = fp_mul(acc, x);
            row[k] = acc;
        }
    }
    fact[0] = 1;
    for (size_t k = 1; k <= un; k++) {
        fact[k] = fp_mul(fact[k - 1], (uint64_t)k);
    }
    rc = fp_inv(&invfact[un], fact[un]);
    MPCSIM_ASSERT(rc == 0); /* n! is a unit for n < p */
    for (size_t k = un; k > 0; k--) {
        invfact[k - 1] = fp_mul(invfact[k], (uint64_t)k);
        sh->inv[k] = fp_mul(invfact[k], fact[k - 1]);
    }
    for (size_t k = 1; k <= un; k++) {
        uint64_t v = fp_mul(invfact[k - 1], invfact[un - k]);

        sh->vfull[k] = ((un - k) & 1) ? fp_neg(v) : v;
    }
    for (int i = 0; i <= t; i++) {
        idx[i] = i;
    }
    rc = shamir_lagrange0(sh, sh->lag_low, idx, ut + 1);
    if (rc != 0) {
        goto out;
    }
    *out = sh;
    sh = NULL;
out:
    mpcsim_free(idx);
    mpcsim_free(invfact);
    mpcsim_free(fact);
    shamir_ctx_destroy(sh);
    return rc;
}

/* see shamir.h */
int
shamir_ctx_n(const struct shamir_ctx *sh)
{
    return sh->n;
}

/* see shamir.h */
int
shamir_ctx_t(const struct shamir_ctx *sh)
{
    return sh->t;
}

/* see shamir.h */
size_t
shamir_max_errors(const struct shamir_ctx *sh, size_t m)
{
    return rs_max_errors(m, (size_t)sh->t);
}

/* see shamir.h */
void
shamir_share_coeffs(const struct shamir_ctx *sh, uint64_t *shares, uint64_t secret,
                    const uint64_t *coeffs)
{
    const struct fp_vec_ops *ops = fp_vec_ops_best();
    size_t t = (size_t)sh->t;

    if (sh->pow == NULL) {
        /* Horner at each point (the same values as the table's dot product). */
        for (size_t j = 0; j < (size_t)sh->n; j++) {
            uint64_t x = (uint64_t)j + 1;
            uint64_t acc = 0;

            for (size_t k = t; k > 0; k--) {
                acc = fp_mul(fp_add(acc, coeffs[k - 1]), x);
            }
            shares[j] = fp_add(secret, acc);
        }
        return;
    }
    for (size_t j = 0; j < (size_t)sh->n; j++) {
        shares[j] = fp_add(secret, ops->dot(sh->pow + j * sh->stride, coeffs, t));
    }
}

/*
 * shamir_share by values and finite differences: f(1..t) are the t
 * samples and f(0) = secret, which fixes f (so f is uniform among the
 * polynomials of degree <= t through (0, secret), as with uniform
 * coefficients).  With D_k = Delta^k f(x) the forward differences at x,
 * D_t is constant and Delta^k f(x + 1) = D_k + D_(k+1): one vector addition
 * of length t per point, no multiplication, and a working set of 2 (t + 4)
 * elements instead of the n x t table of powers.  Three points at once:
 * Delta^k f(x + 3) = D_k + 3 D_(k+1) + 3 D_(k+2) + D_(k+3), a sum below
 * 8p < 2^64 reduced once (shamir__step3).  d: 2 (t + 4) elements.
 */
static void
shamir__step3(uint64_t *restrict out, const uint64_t *restrict a, size_t len)
{
    for (size_t k = 0; k < len; k++) {
        uint64_t x = a[k] + a[k + 3] + 3 * (a[k + 1] + a[k + 2]);
        uint64_t r = (x & FP_P) + (x >> 61); /* < p + 8 */
        uint64_t s = r - FP_P;

        out[k] = s < r ? s : r;
    }
}

/*
 * Three levels of the difference table at once: out[i] = Delta^3 of a at
 * i, a[i] - 3 a[i-1] + 3 a[i-2] - a[i-3], for i in [lo, hi); with the
 * offset 4p the sum stays in (0, 8p), reduced once.
 */
static void
shamir__diff3(uint64_t *restrict out, const uint64_t *restrict a, size_t lo, size_t hi)
{
    for (size_t i = lo; i < hi; i++) {
        uint64_t x = a[i] + 3 * a[i - 2] + 4 * FP_P - 3 * a[i - 1] - a[i - 3];
        uint64_t r = (x & FP_P) + (x >> 61); /* < p + 8 */
        uint64_t s = r - FP_P;

        out[i] = s < r ? s : r;
    }
}

static void
shamir__share_diff(uint64_t *shares, uint64_t *d, uint64_t secret, size_t n, size_t t,
                   struct fp_stream *rng)
{
    uint64_t *a = d, *b = d + t + 4;
    size_t j = 0;

    a[0] = secret;
    fp_stream_fill(rng, a + 1, t);
    /* Values at 0..t to differences at 0, level by level (a, b in turn);
     * both buffers hold the final D_0..D_l after level l. */
    size_t l = 1;

    for (; t >= SHAMIR__DIFF_VEC && l + 2 <= t; l += 3) {
        uint64_t *tmp = a;

        /* Levels l, l + 1, l + 2: D_l and D_(l+1) by hand, the rest fused. */
        b[l] = fp_sub(a[l], a[l - 1]);
        b[l + 1] = fp_add(fp_sub(a[l + 1], fp_add(a[l], a[l])), a[l - 1]);
        shamir__diff3(b, a, l + 2, t + 1);
        b[l - 1] = a[l - 1];
        memcpy(a + l, b + l, 3 * sizeof(*a));
        a = b;
        b = tmp;
    }
    for (; l <= t; l++) {
        fp_vec_sub(b + l, a + l, a + l - 1, t + 1 - l);
        b[l - 1] = a[l - 1];
        a[l] = b[l];
        {
            uint64_t *tmp = a;

            a = b;
            b = tmp;
        }
    }
    if (t >= SHAMIR__DIFF_VEC) {
        /* D_(t+1..t+3) = 0 in both buffers. */
        memset(a + t + 1, 0, 3 * sizeof(*a));
        memset(b + t + 1, 0, 3 * sizeof(*b));
        for (; j + 3 <= n; j += 3) {
            uint64_t *tmp = a;
            uint64_t f1 = fp_add(a[0], a[1]);

            shares[j] = f1;
            shares[j + 1] = fp_add(f1, fp_add(a[1], a[2]));
            shamir__step3(b, a, t + 1);
            a = b;
            b = tmp;
            shares[j + 2] = a[0];
        }
    }
    for (; j < n; j++) {
        if (t < SHAMIR__DIFF_VEC) {
            for (size_t k = 0; k < t; k++) {
                a[k] = fp_add(a[k], a[k + 1]);
            }
        } else {
            uint64_t *tmp = a;

            fp_vec_add(b, a, a + 1, t);
            b[t] = a[t];
            a = b;
            b = tmp;
        }
        shares[j] = a[0];
    }
}

/* see shamir.h */
void
shamir_share(const struct shamir_ctx *sh, uint64_t *shares, uint64_t secret, struct fp_stream *rng)
{
    const struct fp_vec_ops *ops = fp_vec_ops_best();
    uint64_t coeffs[SHAMIR__CHUNK];
    size_t t = (size_t)sh->t;
    size_t n = (size_t)sh->n;

    if (t == 0) {
        for (size_t j = 0; j < n; j++) {
            shares[j] = secret;
        }
        return;
    }
    if (t < SHAMIR__DIFF_MAX) {
        uint64_t d[2 * (SHAMIR__DIFF_MAX + 4)];

        shamir__share_diff(shares, d, secret, n, t, rng);
        return;
    }
    for (size_t j = 0; j < n; j++) {
        shares[j] = secret;
    }
    for (size_t c0 = 0; c0 < t; c0 += SHAMIR__CHUNK) {
        size_t cl = t - c0 < SHAMIR__CHUNK ? t - c0 : SHAMIR__CHUNK;

        fp_stream_fill(rng, coeffs, cl);
        for (size_t j = 0; j < n; j++) {
            shares[j] = fp_add(shares[j], ops->dot(sh->pow + j * sh->stride + c0, coeffs, cl));
        }
    }
}

/* see shamir.h */
void
shamir_share_vec(const struct shamir_ctx *sh, uint64_t *out, uint64_t *scratch,
                 const uint64_t *secret, size_t len, struct fp_stream *rng)
{
    size_t n = (size_t)sh->n;

    for (size_t k = 0; k < len; k++) {
        shamir_share(sh, scratch, secret[k], rng);
        for (size_t j = 0; j < n; j++) {
            out[j * len + k] = scratch[j];
        }
    }
}

/*
 * acc[i] *= prod over k < nd of (x[i] - d[k]), a zero difference counting
 * as 1.  The differences are integers below n in magnitude: their
 * magnitudes are multiplied in plain 64-bit arithmetic, g at a time
 * (g b-bit factors stay below 2^60), and the sign is tracked as a parity,
 * so there is one field multiplication per g terms and every loop runs
 * over independent lanes.  scratch: 2m words.
 */
static void
shamir__diff_products(uint64_t *acc, uint64_t *scratch, const int64_t *x, size_t m,
                      const int64_t *d, size_t nd, int n)
{
    uint64_t *prod = scratch;
    uint64_t *par = scratch + m;
    int bits = 1;
    size_t g;

    while (bits < 60 && ((int64_t)1 << bits) < n) {
        bits++;
    }
    g = (size_t)(60 / bits);
    memset(par, 0, m * sizeof(*par));
    for (size_t k0 = 0; k0 < nd; k0 += g) {
        size_t k1 = nd - k0 < g ? nd : k0 + g;

        for (size_t i = 0; i < m; i++) {
            prod[i] = 1;
        }
        for (size_t k = k0; k < k1; k++) {
            int64_t dk = d[k];

            for (size_t i = 0; i < m; i++) {
                int64_t diff = x[i] - dk;
                uint64_t neg = (uint64_t)diff >> 63;
                uint64_t mag = (uint64_t)((diff ^ -(int64_t)neg) + (int64_t)neg);

                mag += mag == 0;
                prod[i] *= mag;
                par[i] ^= neg;
            }
        }
        for (size_t i = 0; i < m; i++) {
            acc[i] = fp_mul(acc[i], prod[i]);
        }
    }
    for (size_t i = 0; i < m; i++) {
        acc[i] = par[i] ? fp_neg(acc[i]) : acc[i];
    }
}

/*
 * v[i] = 1 / w_{x_i}(S) for S = {idx[i] + 1}: from the full set's weights
 * and the missing points when few are missing, else directly over S and
 * one batch inversion.  Returns 0, MPCSIM_EINVAL (an index out of range or
 * repeated) or MPCSIM_ENOMEM.
 */
static int
shamir__dual_weights(const struct shamir_ctx *sh, uint64_t *v, const int *idx, size_t m)
{
    size_t n = (size_t)sh->n;
    uint8_t *mark = NULL;
    int64_t *x = NULL, *d = NULL;
    uint64_t *scratch = NULL;
    size_t nd = 0;
    int direct = n - m > m;
    int rc = 0;

    mark = mpcsim_calloc(n, 1);
    x = mpcsim_malloc((m + n) * sizeof(int64_t));
    scratch = mpcsim_malloc(3 * m * sizeof(uint64_t));
    if (mark == NULL || x == NULL || scratch == NULL) {
        rc = MPCSIM_ENOMEM;
        goto out;
    }
    d = x + m;
    for (size_t i = 0; i < m; i++) {
        if (idx[i] < 0 || idx[i] >= sh->n || mark[idx[i]]) {
            rc = MPCSIM_EINVAL;
            goto out;
        }
        mark[idx[i]] = 1;
        x[i] = (int64_t)idx[i] + 1;
    }
    if (direct) {
        /* w_i = prod over S of (x_i - x_k), k = i counting as 1. */
        memcpy(d, x, m * sizeof(int64_t));
        nd = m;
        for (size_t i = 0; i < m; i++) {
            scratch[2 * m + i] = 1;
        }
        shamir__diff_products(scratch + 2 * m, scratch, x, m, d, nd, sh->n);
        rc = fp_vec_batch_inv(v, NULL, scratch + 2 * m, m);
        MPCSIM_ASSERT(rc == 0); /* distinct points: no zero */
    } else {
        /* 1 / w_i(S) = (1 / w_i(full)) prod over missing k of (x_i - k). */
        for (size_t k = 0; k < n; k++) {
            if (!mark[k]) {
                d[nd++] = (int64_t)k + 1;
            }
        }
        for (size_t i = 0; i < m; i++) {
            v[i] = sh->vfull[idx[i] + 1];
        }
        shamir__diff_products(v, scratch, x, m, d, nd, sh->n);
    }
out:
    mpcsim_free(mark);
    mpcsim_free(x);
    mpcsim_free(scratch);
    return rc;
}

/* lambda[i] = (-1)^(m-1) P inv(x_i) v[i], P = prod x_i (in place on v). */
static void
shamir__lambda_from_dual(const struct shamir_ctx *sh, uint64_t *lambda, const uint64_t *v,
                         const int *idx, size_t m)
{
    uint64_t prod = 1;

    for (size_t i = 0; i < m; i++) {
        prod = fp_mul(prod, (uint64_t)idx[i] + 1);
    }
    if ((m & 1) == 0) {
        prod = fp_neg(prod);
    }
    for (size_t i = 0; i < m; i++) {
        lambda[i] = fp_mul(prod, fp_mul(sh->inv[idx[i] + 1], v[i]));
    }
}

/* see shamir.h */
int
shamir_lagrange0(const struct shamir_ctx *sh, uint64_t *lambda, const int *idx, size_t m)
{
    int rc;

    if (m == 0) {
        return MPCSIM_EINVAL;
    }
    if (m == (size_t)sh->t + 1 && lambda != sh->lag_low) {
        size_t i = 0;

        while (i < m && idx[i] == (int)i) {
            i++;
        }
        if (i == m) {
            memcpy(lambda, sh->lag_low, m * sizeof(*lambda));
            return 0;
        }
    }
    rc = shamir__dual_weights(sh, lambda, idx, m);
    if (rc != 0) {
        return rc;
    }
    shamir__lambda_from_dual(sh, lambda, lambda, idx, m);
    return 0;
}

/* see shamir.h */
void
shamir_combine(uint64_t *out, const uint64_t *lambda, const uint64_t *rows, size_t m, size_t len)
{
    if (len == 1) {
        out[0] = fp_vec_dot(lambda, rows, m);
        return;
    }
    for (size_t k = 0; k < len; k++) {
        mpcsim_u128 acc = 0;

        /* 32 products of < 2^122 each stay below 2^128. */
        for (size_t i = 0; i < m; i++) {
            acc += (mpcsim_u128)lambda[i] * rows[i * len + k];
            if ((i & 31) == 31) {
                acc = fp_reduce128(acc);
            }
        }
        out[k] = fp_reduce128(acc);
    }
}

/* see shamir.h */
int
shamir_reconstruct(const struct shamir_ctx *sh, uint64_t *secrets, const uint64_t *shares,
                   const int *idx, size_t m, size_t len)
{
    size_t q = (size_t)sh->t + 1;
    uint64_t *lambda = NULL;
    int rc;

    if (m < q) {
        return MPCSIM_ENOQUORUM;
    }
    lambda = mpcsim_malloc(q * sizeof(*lambda));
    if (lambda == NULL) {
        return MPCSIM_ENOMEM;
    }
    rc = shamir_lagrange0(sh, lambda, idx, q);
    if (rc == 0) {
        shamir_combine(secrets, lambda, shares, q, len);
    }
    mpcsim_free(lambda);
    return rc;
}

/*
 * The dual-code test on one combined word y[0..m) with dual weights v:
 * 1 if sum v_i (x_i - z)^d y_i = 0.  scratch: 2m elements.  The powers
 * are taken by square-and-multiply over the whole vector with the
 * dispatched (SIMD) kernels, then one dot product.
 */
static int
shamir__dual_test(const uint64_t *v, const uint64_t *y, uint64_t *scratch, const int *idx, size_t m,
                  size_t d, uint64_t z)
{
    const struct fp_vec_ops *ops = fp_vec_ops_best();
    uint64_t *pw = scratch;
    uint64_t *base = scratch + m;
    int top = 63;

    while (top >= 0 && ((d >> top) & 1) == 0) {
        top--;
    }
    for (size_t i = 0; i < m; i++) {
        base[i] = fp_sub((uint64_t)idx[i] + 1, z);
        pw[i] = top < 0 ? 1 : base[i];
    }
    for (int b = top - 1; b >= 0; b--) {
        ops->mul(pw, pw, pw, m);
        if ((d >> b) & 1) {
            ops->mul(pw, pw, base, m);
        }
    }
    ops->mul(pw, pw, v, m);
    return ops->dot(pw, y, m) == 0;
}

/* Combine the len elements of each share with coefficients rho (rho[0] = 1). */
static void
shamir__mix(uint64_t *y, const uint64_t *shares, const uint64_t *rho, size_t m, size_t len)
{
    const struct fp_vec_ops *ops = fp_vec_ops_best();

    for (size_t i = 0; i < m; i++) {
        y[i] = ops->dot(rho, shares + i * len, len);
    }
}

/*
 * The check, given dual weights: *ok for the len elements of the shares
 * (one random combination of them).  scratch: 3m + len elements.
 */
static void
shamir__check_with(const uint64_t *v, int *ok, uint64_t *scratch, const uint64_t *shares,
                   const int *idx, size_t m, size_t len, size_t t, struct fp_stream *rng)
{
    uint64_t *y = scratch;
    uint64_t *pw = scratch + m; /* 2m for shamir__dual_test */
    uint64_t *rho = scratch + 3 * m;
    uint64_t z;

    if (m <= t + 1) {
        *ok = 1;
        return;
    }
    if (len == 1) {
        memcpy(y, shares, m * sizeof(*y));
    } else {
        rho[0] = 1;
        fp_stream_fill(rng, rho + 1, len - 1);
        shamir__mix(y, shares, rho, m, len);
    }
    z = fp_stream_next(rng);
    *ok = shamir__dual_test(v, y, pw, idx, m, m - t - 2, z);
}

/* see shamir.h */
int
shamir_check(const struct shamir_ctx *sh, int *consistent, const uint64_t *shares, const int *idx,
             size_t m, size_t len, struct fp_stream *rng)
{
    uint64_t *work = NULL;
    int rc;

    if (m <= (size_t)sh->t + 1) {
        *consistent = 1;
        return 0;
    }
    work = mpcsim_malloc((4 * m + len) * sizeof(*work));
    if (work == NULL) {
        return MPCSIM_ENOMEM;
    }
    rc = shamir__dual_weights(sh, work, idx, m);
    if (rc == 0) {
        shamir__check_with(work, consistent, work + m, shares, idx, m, len, (size_t)sh->t, rng);
    }
    mpcsim_free(work);
    return rc;
}

/* see shamir.h */
int
shamir_dual_weights(const struct shamir_ctx *sh, uint64_t *v, const int *idx, size_t m)
{
    if (m == 0) {
        return MPCSIM_EINVAL;
    }
    return shamir__dual_weights(sh, v, idx, m);
}

/* see shamir.h */
int
shamir_reconstruct_robust(const struct shamir_ctx *sh, uint64_t *secrets, size_t *bad, size_t *nbad,
                          size_t *decoded, const uint64_t *shares, const int *idx, size_t m,
                          size_t len, struct fp_stream *rng)
{
    return shamir_reconstruct_robust_dual(sh, secrets, bad, nbad, decoded, shares, idx, NULL, m,
                                          len, rng);
}

/* see shamir.h */
int
shamir_reconstruct_robust_dual(const struct shamir_ctx *sh, uint64_t *secrets, size_t *bad,
                               size_t *nbad, size_t *decoded, const uint64_t *shares,
                               const int *idx, const uint64_t *dual, size_t m, size_t len,
                               struct fp_stream *rng)
{
    size_t t = (size_t)sh->t;
    uint64_t *work = NULL;
    uint64_t *v, *lambda, *scratch, *xs, *ys, *coeffs;
    size_t *pos = NULL;
    uint8_t *flag = NULL;
    size_t ndec = 0;
    int ok = 0;
    int rc;

    if (m < t + 1) {
        return MPCSIM_ENOQUORUM;
    }
    /* v, lambda (m each), check scratch (3m + len), xs, ys (m each), coeffs (t + 1). */
    work = mpcsim_malloc((7 * m + len + t + 1) * sizeof(*work));
    pos = mpcsim_malloc(m * sizeof(*pos));
    flag = mpcsim_calloc(m, 1);
    if (work == NULL || pos == NULL || flag == NULL) {
        rc = MPCSIM_ENOMEM;
        goto out;
    }
    v = work;
    lambda = v + m;
    scratch = lambda + m;
    xs = scratch + 3 * m + len;
    ys = xs + m;
    coeffs = ys + m;

    if (dual != NULL) {
        memcpy(v, dual, m * sizeof(*v));
        rc = 0;
    } else {
        rc = shamir__dual_weights(sh, v, idx, m);
        if (rc != 0) {
            goto out;
        }
    }
    shamir__lambda_from_dual(sh, lambda, v, idx, m);
    shamir__check_with(v, &ok, scratch, shares, idx, m, len, t, rng);
    if (ok) {
        shamir_combine(secrets, lambda, shares, m, len);
    } else {
        for (size_t i = 0; i < m; i++) {
            xs[i] = (uint64_t)idx[i] + 1;
        }
        for (size_t k = 0; k < len; k++) {
            size_t nb = 0;
            int ok_k = 0;

            for (size_t i = 0; i < m; i++) {
                ys[i] = shares[i * len + k];
            }
            if (len > 1) {
                shamir__check_with(v, &ok_k, scratch, ys, idx, m, 1, t, rng);
            }
            if (ok_k) {
                secrets[k] = fp_vec_dot(lambda, ys, m);
                continue;
            }
            ndec++;
            rc = rs_decode(coeffs, pos, &nb, xs, ys, m, t);
            if (rc != 0) {
                goto out;
            }
            secrets[k] = coeffs[0];
            for (size_t e = 0; e < nb; e++) {
                flag[pos[e]] = 1;
            }
        }
    }
    *nbad = 0;
    for (size_t i = 0; i < m; i++) {
        if (flag[i]) {
            bad[(*nbad)++] = i;
        }
    }
    if (decoded != NULL) {
        *decoded = ndec;
    }
out:
    mpcsim_free(flag);
    mpcsim_free(pos);
    mpcsim_free(work);
    return rc;
}
