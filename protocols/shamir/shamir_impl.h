/* SPDX-License-Identifier: MIT */
/*
 * protocols/shamir/shamir_impl.h - shamir.h's functions over the field
 * field_inst.h selected, named SH_FN(name) over struct SH_CTX (shamir.c
 * includes it once per field).  The m61 build is the code as it was,
 * with its lazily reduced kernels; m127 takes reduced additions where
 * the m61 kernels rely on 61-bit headroom (shamir__step3, shamir__diff3,
 * shamir_combine).  See shamir.c for the algorithms.
 */
/* Coefficients sampled on the stack per pass of shamir_share. */
#ifndef SHAMIR__CHUNK
#define SHAMIR__CHUNK 512
/* shamir_share by finite differences for t < SHAMIR__DIFF_MAX (2 t words
 * on the stack), with vector additions from t >= SHAMIR__DIFF_VEC. */
#define SHAMIR__DIFF_MAX 4096
#define SHAMIR__DIFF_VEC 16
#endif

struct SH_CTX {
    int n, t;
    size_t stride; /* row pitch of pow, elements */
    FE *pow;       /* n rows: row j holds (j+1)^1 .. (j+1)^t */
    FE *inv;       /* inv[k] = 1 / k, k = 1..n (inv[0] unused) */
    FE *vfull;     /* vfull[k] = 1 / w_k(1..n), k = 1..n */
    FE *lag_low;   /* Lagrange weights of parties 0..t */
};

/* see shamir.h */
void
SH_FN(shamir_ctx_destroy)(struct SH_CTX *sh)
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
SH_FN(shamir_ctx_create)(struct SH_CTX **out, int n, int t)
{
    struct SH_CTX *sh = NULL;
    FE *fact = NULL;
    FE *invfact = NULL;
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
        sh->pow = mpcsim_calloc(un * sh->stride, sizeof(FE));
    }
    sh->inv = mpcsim_calloc(un + 1, sizeof(FE));
    sh->vfull = mpcsim_calloc(un + 1, sizeof(FE));
    sh->lag_low = mpcsim_calloc(ut + 1, sizeof(FE));
    fact = mpcsim_calloc(un + 1, sizeof(FE));
    invfact = mpcsim_calloc(un + 1, sizeof(FE));
    idx = mpcsim_calloc(ut + 1, sizeof(int));
    if ((ut >= SHAMIR__DIFF_MAX && sh->pow == NULL) || sh->inv == NULL || sh->vfull == NULL ||
        sh->lag_low == NULL || fact == NULL || invfact == NULL || idx == NULL) {
        rc = MPCSIM_ENOMEM;
        goto out;
    }
    for (size_t j = 0; sh->pow != NULL && j < un; j++) {
        FE *row = sh->pow + j * sh->stride;
        FE x = (FE)j + 1;
        FE acc = 1;

        for (size_t k = 0; k < ut; k++) {
            acc = FE_mul(acc, x);
            row[k] = acc;
        }
    }
    fact[0] = 1;
    for (size_t k = 1; k <= un; k++) {
        fact[k] = FE_mul(fact[k - 1], (FE)k);
    }
    rc = FE_inv(&invfact[un], fact[un]);
    MPCSIM_ASSERT(rc == 0); /* n! is a unit for n < p */
    for (size_t k = un; k > 0; k--) {
        invfact[k - 1] = FE_mul(invfact[k], (FE)k);
        sh->inv[k] = FE_mul(invfact[k], fact[k - 1]);
    }
    for (size_t k = 1; k <= un; k++) {
        FE v = FE_mul(invfact[k - 1], invfact[un - k]);

        sh->vfull[k] = ((un - k) & 1) ? FE_neg(v) : v;
    }
    for (int i = 0; i <= t; i++) {
        idx[i] = i;
    }
    rc = SH_FN(shamir_lagrange0)(sh, sh->lag_low, idx, ut + 1);
    if (rc != 0) {
        goto out;
    }
    *out = sh;
    sh = NULL;
out:
    mpcsim_free(idx);
    mpcsim_free(invfact);
    mpcsim_free(fact);
    SH_FN(shamir_ctx_destroy)(sh);
    return rc;
}

/* see shamir.h */
int
SH_FN(shamir_ctx_n)(const struct SH_CTX *sh)
{
    return sh->n;
}

/* see shamir.h */
int
SH_FN(shamir_ctx_t)(const struct SH_CTX *sh)
{
    return sh->t;
}

/* see shamir.h */
size_t
SH_FN(shamir_max_errors)(const struct SH_CTX *sh, size_t m)
{
    return FE_rs_max_errors(m, (size_t)sh->t);
}

/* see shamir.h */
void
SH_FN(shamir_share_coeffs)(const struct SH_CTX *sh, FE *shares, FE secret, const FE *coeffs)
{
    const struct FE_vec_ops *ops = FE_vec_ops_best();
    size_t t = (size_t)sh->t;

    if (sh->pow == NULL) {
        /* Horner at each point (the same values as the table's dot product). */
        for (size_t j = 0; j < (size_t)sh->n; j++) {
            FE x = (FE)j + 1;
            FE acc = 0;

            for (size_t k = t; k > 0; k--) {
                acc = FE_mul(FE_add(acc, coeffs[k - 1]), x);
            }
            shares[j] = FE_add(secret, acc);
        }
        return;
    }
    for (size_t j = 0; j < (size_t)sh->n; j++) {
        shares[j] = FE_add(secret, ops->dot(sh->pow + j * sh->stride, coeffs, t));
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
#if defined(FIELD_INST_M61)
static void
SH_FN(shamir__step3)(FE *restrict out, const FE *restrict a, size_t len)
{
    for (size_t k = 0; k < len; k++) {
        FE x = a[k] + a[k + 3] + 3 * (a[k + 1] + a[k + 2]);
        FE r = (x & FP_P) + (x >> 61); /* < p + 8 */
        FE s = r - FP_P;

        out[k] = s < r ? s : r;
    }
}

/*
 * Three levels of the difference table at once: out[i] = Delta^3 of a at
 * i, a[i] - 3 a[i-1] + 3 a[i-2] - a[i-3], for i in [lo, hi); with the
 * offset 4p the sum stays in (0, 8p), reduced once.
 */
static void
SH_FN(shamir__diff3)(FE *restrict out, const FE *restrict a, size_t lo, size_t hi)
{
    for (size_t i = lo; i < hi; i++) {
        FE x = a[i] + 3 * a[i - 2] + 4 * FP_P - 3 * a[i - 1] - a[i - 3];
        FE r = (x & FP_P) + (x >> 61); /* < p + 8 */
        FE s = r - FP_P;

        out[i] = s < r ? s : r;
    }
}

#else
/* The same two kernels over GF(2^127 - 1), with reduced additions. */
static void
SH_FN(shamir__step3)(FE *restrict out, const FE *restrict a, size_t len)
{
    for (size_t k = 0; k < len; k++) {
        FE mid = FE_add(a[k + 1], a[k + 2]);

        out[k] = FE_add(FE_add(a[k], a[k + 3]), FE_add(mid, FE_add(mid, mid)));
    }
}

static void
SH_FN(shamir__diff3)(FE *restrict out, const FE *restrict a, size_t lo, size_t hi)
{
    for (size_t i = lo; i < hi; i++) {
        FE d = FE_sub(a[i - 2], a[i - 1]); /* a[i] - a[i-3] + 3 (a[i-2] - a[i-1]) */

        out[i] = FE_add(FE_sub(a[i], a[i - 3]), FE_add(d, FE_add(d, d)));
    }
}
#endif

static void
SH_FN(shamir__share_diff)(FE *shares, FE *d, FE secret, size_t n, size_t t, struct fp_stream *rng)
{
    FE *a = d, *b = d + t + 4;
    size_t j = 0;

    a[0] = secret;
    FE_stream_fill(rng, a + 1, t);
    /* Values at 0..t to differences at 0, level by level (a, b in turn);
     * both buffers hold the final D_0..D_l after level l. */
    size_t l = 1;

    for (; t >= SHAMIR__DIFF_VEC && l + 2 <= t; l += 3) {
        FE *tmp = a;

        /* Levels l, l + 1, l + 2: D_l and D_(l+1) by hand, the rest fused. */
        b[l] = FE_sub(a[l], a[l - 1]);
        b[l + 1] = FE_add(FE_sub(a[l + 1], FE_add(a[l], a[l])), a[l - 1]);
        SH_FN(shamir__diff3)(b, a, l + 2, t + 1);
        b[l - 1] = a[l - 1];
        memcpy(a + l, b + l, 3 * sizeof(*a));
        a = b;
        b = tmp;
    }
    for (; l <= t; l++) {
        FE_vec_sub(b + l, a + l, a + l - 1, t + 1 - l);
        b[l - 1] = a[l - 1];
        a[l] = b[l];
        {
            FE *tmp = a;

            a = b;
            b = tmp;
        }
    }
    if (t >= SHAMIR__DIFF_VEC) {
        /* D_(t+1..t+3) = 0 in both buffers. */
        memset(a + t + 1, 0, 3 * sizeof(*a));
        memset(b + t + 1, 0, 3 * sizeof(*b));
        for (; j + 3 <= n; j += 3) {
            FE *tmp = a;
            FE f1 = FE_add(a[0], a[1]);

            shares[j] = f1;
            shares[j + 1] = FE_add(f1, FE_add(a[1], a[2]));
            SH_FN(shamir__step3)(b, a, t + 1);
            a = b;
            b = tmp;
            shares[j + 2] = a[0];
        }
    }
    for (; j < n; j++) {
        if (t < SHAMIR__DIFF_VEC) {
            for (size_t k = 0; k < t; k++) {
                a[k] = FE_add(a[k], a[k + 1]);
            }
        } else {
            FE *tmp = a;

            FE_vec_add(b, a, a + 1, t);
            b[t] = a[t];
            a = b;
            b = tmp;
        }
        shares[j] = a[0];
    }
}

/* see shamir.h */
void
SH_FN(shamir_share)(const struct SH_CTX *sh, FE *shares, FE secret, struct fp_stream *rng)
{
    const struct FE_vec_ops *ops = FE_vec_ops_best();
    FE coeffs[SHAMIR__CHUNK];
    size_t t = (size_t)sh->t;
    size_t n = (size_t)sh->n;

    if (t == 0) {
        for (size_t j = 0; j < n; j++) {
            shares[j] = secret;
        }
        return;
    }
    if (t < SHAMIR__DIFF_MAX) {
        FE d[2 * (SHAMIR__DIFF_MAX + 4)];

        SH_FN(shamir__share_diff)(shares, d, secret, n, t, rng);
        return;
    }
    for (size_t j = 0; j < n; j++) {
        shares[j] = secret;
    }
    for (size_t c0 = 0; c0 < t; c0 += SHAMIR__CHUNK) {
        size_t cl = t - c0 < SHAMIR__CHUNK ? t - c0 : SHAMIR__CHUNK;

        FE_stream_fill(rng, coeffs, cl);
        for (size_t j = 0; j < n; j++) {
            shares[j] = FE_add(shares[j], ops->dot(sh->pow + j * sh->stride + c0, coeffs, cl));
        }
    }
}

/* see shamir.h */
void
SH_FN(shamir_share_vec)(const struct SH_CTX *sh, FE *out, FE *scratch, const FE *secret, size_t len,
                        struct fp_stream *rng)
{
    size_t n = (size_t)sh->n;

    for (size_t k = 0; k < len; k++) {
        SH_FN(shamir_share)(sh, scratch, secret[k], rng);
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
SH_FN(shamir__diff_products)(FE *acc, FE *scratch, const int64_t *x, size_t m, const int64_t *d,
                             size_t nd, int n)
{
    FE *prod = scratch;
    FE *par = scratch + m;
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
            acc[i] = FE_mul(acc[i], prod[i]);
        }
    }
    for (size_t i = 0; i < m; i++) {
        acc[i] = par[i] ? FE_neg(acc[i]) : acc[i];
    }
}

/*
 * v[i] = 1 / w_{x_i}(S) for S = {idx[i] + 1}: from the full set's weights
 * and the missing points when few are missing, else directly over S and
 * one batch inversion.  Returns 0, MPCSIM_EINVAL (an index out of range or
 * repeated) or MPCSIM_ENOMEM.
 */
static int
SH_FN(shamir__dual_weights)(const struct SH_CTX *sh, FE *v, const int *idx, size_t m)
{
    size_t n = (size_t)sh->n;
    uint8_t *mark = NULL;
    int64_t *x = NULL, *d = NULL;
    FE *scratch = NULL;
    size_t nd = 0;
    int direct = n - m > m;
    int rc = 0;

    mark = mpcsim_calloc(n, 1);
    x = mpcsim_malloc((m + n) * sizeof(int64_t));
    scratch = mpcsim_malloc(3 * m * sizeof(FE));
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
        SH_FN(shamir__diff_products)(scratch + 2 * m, scratch, x, m, d, nd, sh->n);
        rc = FE_vec_batch_inv(v, NULL, scratch + 2 * m, m);
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
        SH_FN(shamir__diff_products)(v, scratch, x, m, d, nd, sh->n);
    }
out:
    mpcsim_free(mark);
    mpcsim_free(x);
    mpcsim_free(scratch);
    return rc;
}

/* lambda[i] = (-1)^(m-1) P inv(x_i) v[i], P = prod x_i (in place on v). */
static void
SH_FN(shamir__lambda_from_dual)(const struct SH_CTX *sh, FE *lambda, const FE *v, const int *idx,
                                size_t m)
{
    FE prod = 1;

    for (size_t i = 0; i < m; i++) {
        prod = FE_mul(prod, (FE)idx[i] + 1);
    }
    if ((m & 1) == 0) {
        prod = FE_neg(prod);
    }
    for (size_t i = 0; i < m; i++) {
        lambda[i] = FE_mul(prod, FE_mul(sh->inv[idx[i] + 1], v[i]));
    }
}

/* see shamir.h */
int
SH_FN(shamir_lagrange0)(const struct SH_CTX *sh, FE *lambda, const int *idx, size_t m)
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
    rc = SH_FN(shamir__dual_weights)(sh, lambda, idx, m);
    if (rc != 0) {
        return rc;
    }
    SH_FN(shamir__lambda_from_dual)(sh, lambda, lambda, idx, m);
    return 0;
}

/* see shamir.h */
void
SH_FN(shamir_combine)(FE *out, const FE *lambda, const FE *rows, size_t m, size_t len)
{
    if (len == 1) {
        out[0] = FE_vec_dot(lambda, rows, m);
        return;
    }
#if defined(FIELD_INST_M61)
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
#else
    for (size_t k = 0; k < len; k++) {
        FE acc = 0;

        for (size_t i = 0; i < m; i++) {
            acc = FE_add(acc, FE_mul(lambda[i], rows[i * len + k]));
        }
        out[k] = acc;
    }
#endif
}

/* see shamir.h */
int
SH_FN(shamir_reconstruct)(const struct SH_CTX *sh, FE *secrets, const FE *shares, const int *idx,
                          size_t m, size_t len)
{
    size_t q = (size_t)sh->t + 1;
    FE *lambda = NULL;
    int rc;

    if (m < q) {
        return MPCSIM_ENOQUORUM;
    }
    lambda = mpcsim_malloc(q * sizeof(*lambda));
    if (lambda == NULL) {
        return MPCSIM_ENOMEM;
    }
    rc = SH_FN(shamir_lagrange0)(sh, lambda, idx, q);
    if (rc == 0) {
        SH_FN(shamir_combine)(secrets, lambda, shares, q, len);
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
SH_FN(shamir__dual_test)(const FE *v, const FE *y, FE *scratch, const int *idx, size_t m, size_t d,
                         FE z)
{
    const struct FE_vec_ops *ops = FE_vec_ops_best();
    FE *pw = scratch;
    FE *base = scratch + m;
    int top = 63;

    while (top >= 0 && ((d >> top) & 1) == 0) {
        top--;
    }
    for (size_t i = 0; i < m; i++) {
        base[i] = FE_sub((FE)idx[i] + 1, z);
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
SH_FN(shamir__mix)(FE *y, const FE *shares, const FE *rho, size_t m, size_t len)
{
    const struct FE_vec_ops *ops = FE_vec_ops_best();

    for (size_t i = 0; i < m; i++) {
        y[i] = ops->dot(rho, shares + i * len, len);
    }
}

/*
 * The check, given dual weights: *ok for the len elements of the shares
 * (one random combination of them).  scratch: 3m + len elements.
 */
static void
SH_FN(shamir__check_with)(const FE *v, int *ok, FE *scratch, const FE *shares, const int *idx,
                          size_t m, size_t len, size_t t, struct fp_stream *rng)
{
    FE *y = scratch;
    FE *pw = scratch + m; /* 2m for shamir__dual_test */
    FE *rho = scratch + 3 * m;
    FE z;

    if (m <= t + 1) {
        *ok = 1;
        return;
    }
    if (len == 1) {
        memcpy(y, shares, m * sizeof(*y));
    } else {
        rho[0] = 1;
        FE_stream_fill(rng, rho + 1, len - 1);
        SH_FN(shamir__mix)(y, shares, rho, m, len);
    }
    z = FE_stream_next(rng);
    *ok = SH_FN(shamir__dual_test)(v, y, pw, idx, m, m - t - 2, z);
}

/* see shamir.h */
int
SH_FN(shamir_check)(const struct SH_CTX *sh, int *consistent, const FE *shares, const int *idx,
                    size_t m, size_t len, struct fp_stream *rng)
{
    FE *work = NULL;
    int rc;

    if (m <= (size_t)sh->t + 1) {
        *consistent = 1;
        return 0;
    }
    work = mpcsim_malloc((4 * m + len) * sizeof(*work));
    if (work == NULL) {
        return MPCSIM_ENOMEM;
    }
    rc = SH_FN(shamir__dual_weights)(sh, work, idx, m);
    if (rc == 0) {
        SH_FN(shamir__check_with)
        (work, consistent, work + m, shares, idx, m, len, (size_t)sh->t, rng);
    }
    mpcsim_free(work);
    return rc;
}

/* see shamir.h */
int
SH_FN(shamir_dual_weights)(const struct SH_CTX *sh, FE *v, const int *idx, size_t m)
{
    if (m == 0) {
        return MPCSIM_EINVAL;
    }
    return SH_FN(shamir__dual_weights)(sh, v, idx, m);
}

/* see shamir.h */
int
SH_FN(shamir_reconstruct_robust)(const struct SH_CTX *sh, FE *secrets, size_t *bad, size_t *nbad,
                                 size_t *decoded, const FE *shares, const int *idx, size_t m,
                                 size_t len, struct fp_stream *rng)
{
    return SH_FN(shamir_reconstruct_robust_dual)(sh, secrets, bad, nbad, decoded, shares, idx, NULL,
                                                 m, len, rng);
}

/* see shamir.h */
int
SH_FN(shamir_reconstruct_robust_dual)(const struct SH_CTX *sh, FE *secrets, size_t *bad,
                                      size_t *nbad, size_t *decoded, const FE *shares,
                                      const int *idx, const FE *dual, size_t m, size_t len,
                                      struct fp_stream *rng)
{
    size_t t = (size_t)sh->t;
    FE *work = NULL;
    FE *v, *lambda, *scratch, *xs, *ys, *coeffs;
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
        rc = SH_FN(shamir__dual_weights)(sh, v, idx, m);
        if (rc != 0) {
            goto out;
        }
    }
    SH_FN(shamir__lambda_from_dual)(sh, lambda, v, idx, m);
    SH_FN(shamir__check_with)(v, &ok, scratch, shares, idx, m, len, t, rng);
    if (ok) {
        SH_FN(shamir_combine)(secrets, lambda, shares, m, len);
    } else {
        for (size_t i = 0; i < m; i++) {
            xs[i] = (FE)idx[i] + 1;
        }
        for (size_t k = 0; k < len; k++) {
            size_t nb = 0;
            int ok_k = 0;

            for (size_t i = 0; i < m; i++) {
                ys[i] = shares[i * len + k];
            }
            if (len > 1) {
                SH_FN(shamir__check_with)(v, &ok_k, scratch, ys, idx, m, 1, t, rng);
            }
            if (ok_k) {
                secrets[k] = FE_vec_dot(lambda, ys, m);
                continue;
            }
            ndec++;
            rc = FE_rs_decode(coeffs, pos, &nb, xs, ys, m, t);
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
