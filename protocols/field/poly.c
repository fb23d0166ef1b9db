/* SPDX-License-Identifier: MIT */
/*
 * protocols/field/poly.c - see poly.h.
 *
 * Interpolation is the barycentric form turned into coefficients:
 * f = sum w_i M(x) / (x - x_i) with M = prod (x - x_i) and
 * w_i = y_i / M'(x_i).  Each quotient M / (x - x_i) comes from synthetic
 * division, 8 of them side by side so the multiplication chains overlap,
 * and their weighted sum is accumulated in 128 bits: O(m^2) with about
 * 2 m^2 multiplications.  The denominators M'(x_i) are
 * evaluated with poly_eval_many and inverted in one batch.
 */
#include "protocols/field/poly.h"

#include <string.h>

#include "common/alloc.h"
#include "protocols/field/fp.h"
#include "protocols/field/fp_vec.h"
#include "protocols/field/poly_int.h"

#define POLY__LANES 8

/* see poly.h */
uint64_t
poly_eval(const uint64_t *c, size_t len, uint64_t x)
{
    uint64_t r = 0;

    for (size_t k = len; k-- > 0;) {
        r = fp_add(fp_mul(r, x), c[k]);
    }
    return r;
}

/* see poly.h */
void
poly_eval_many(uint64_t *out, const uint64_t *c, size_t len, const uint64_t *xs, size_t m)
{
    size_t i = 0;

    for (; i + POLY__LANES <= m; i += POLY__LANES) {
        uint64_t r[POLY__LANES] = {0};
        uint64_t x[POLY__LANES];

        for (int j = 0; j < POLY__LANES; j++) {
            x[j] = xs[i + (size_t)j];
        }
        for (size_t k = len; k-- > 0;) {
            uint64_t ck = c[k];

            for (int j = 0; j < POLY__LANES; j++) {
                r[j] = fp_add(fp_mul(r[j], x[j]), ck);
            }
        }
        for (int j = 0; j < POLY__LANES; j++) {
            out[i + (size_t)j] = r[j];
        }
    }
    for (; i < m; i++) {
        out[i] = poly_eval(c, len, xs[i]);
    }
}

/* see poly_int.h */
ptrdiff_t
poly__degree(const uint64_t *c, size_t len)
{
    while (len > 0 && c[len - 1] == 0) {
        len--;
    }
    return (ptrdiff_t)len - 1;
}

/* see poly_int.h */
void
poly__master(uint64_t *master, const uint64_t *xs, size_t m)
{
    master[0] = 1;
    for (size_t i = 0; i < m; i++) {
        uint64_t nx = fp_neg(xs[i]);

        /* (x - xs[i]) * master, degree i -> i + 1; each k reads old values. */
        master[i + 1] = master[i];
        for (size_t k = i; k > 0; k--) {
            master[k] = fp_add(master[k - 1], fp_mul(nx, master[k]));
        }
        master[0] = fp_mul(nx, master[0]);
    }
}

/* see poly_int.h */
int
poly__interpolate_master(uint64_t *coeffs, uint64_t *scratch, const uint64_t *master,
                         const uint64_t *xs, const uint64_t *ys, size_t m)
{
    uint64_t *w = scratch;
    uint64_t *den = scratch + m;

    /* den_i = M'(x_i); zero exactly when x_i is repeated. */
    for (size_t k = 0; k < m; k++) {
        w[k] = fp_mul((uint64_t)(k + 1), master[k + 1]);
    }
    poly_eval_many(den, w, m, xs, m);
    if (fp_vec_batch_inv(w, NULL, den, m) != 0) {
        return MPCSIM_EINVAL;
    }
    for (size_t i = 0; i < m; i++) {
        w[i] = fp_mul(w[i], ys[i]);
        coeffs[i] = 0;
    }
    /* coeffs += sum_i w_i q_i with q_i = M / (x - x_i), by synthetic division. */
    for (size_t i = 0; i < m; i += POLY__LANES) {
        size_t g = m - i < POLY__LANES ? m - i : POLY__LANES;
        uint64_t q[POLY__LANES], x[POLY__LANES], wi[POLY__LANES];

        for (size_t j = 0; j < POLY__LANES; j++) {
            q[j] = 1;
            x[j] = j < g ? xs[i + j] : 0;
            wi[j] = j < g ? w[i + j] : 0; /* absent lanes add nothing */
        }
        for (size_t k = m; k-- > 0;) {
            mpcsim_u128 acc = 0;
            uint64_t mk = master[k];

            for (size_t j = 0; j < POLY__LANES; j++) {
                acc += (mpcsim_u128)wi[j] * q[j]; /* 8 terms < 2^125 */
                q[j] = fp_add(mk, fp_mul(x[j], q[j]));
            }
            coeffs[k] = fp_add(coeffs[k], fp_reduce128(acc));
        }
    }
    return 0;
}

/* see poly.h */
int
poly_interpolate(uint64_t *coeffs, const uint64_t *xs, const uint64_t *ys, size_t m)
{
    uint64_t *work = NULL;
    int rc;

    if (m == 0) {
        return MPCSIM_EINVAL;
    }
    work = mpcsim_calloc(3 * m + 1, sizeof(*work));
    if (work == NULL) {
        return MPCSIM_ENOMEM;
    }
    poly__master(work, xs, m);
    rc = poly__interpolate_master(coeffs, work + m + 1, work, xs, ys, m);
    mpcsim_free(work);
    return rc;
}

struct poly_lagrange0 {
    size_t m;
    uint64_t lambda[]; /* m entries */
};

/* see poly.h.  lambda_i = (-1)^(m-1) prod_j x_j / (x_i M'(x_i)). */
int
poly_lagrange0_create(struct poly_lagrange0 **out, const uint64_t *xs, size_t m)
{
    struct poly_lagrange0 *l = NULL;
    uint64_t *work = NULL;
    uint64_t *master, *deriv, *den;
    uint64_t scale;
    int rc = 0;

    if (m == 0) {
        return MPCSIM_EINVAL;
    }
    l = mpcsim_malloc(sizeof(*l) + m * sizeof(l->lambda[0]));
    work = mpcsim_calloc(3 * m + 1, sizeof(*work));
    if (l == NULL || work == NULL) {
        rc = MPCSIM_ENOMEM;
        goto out;
    }
    master = work;
    deriv = work + m + 1;
    den = deriv + m;
    poly__master(master, xs, m);
    for (size_t k = 0; k < m; k++) {
        deriv[k] = fp_mul((uint64_t)(k + 1), master[k + 1]);
    }
    poly_eval_many(den, deriv, m, xs, m);
    for (size_t i = 0; i < m; i++) {
        den[i] = fp_mul(den[i], xs[i]);
    }
    if (fp_vec_batch_inv(l->lambda, NULL, den, m) != 0) {
        rc = MPCSIM_EINVAL; /* some x is 0 or repeated */
        goto out;
    }
    /* prod x_j = (-1)^m M(0); times (-1)^(m-1) gives -M(0). */
    scale = fp_neg(master[0]);
    fp_vec_scale(l->lambda, l->lambda, scale, m);
    l->m = m;
    *out = l;
    l = NULL;
out:
    mpcsim_free(work);
    poly_lagrange0_destroy(l);
    return rc;
}

/* see poly.h */
void
poly_lagrange0_destroy(struct poly_lagrange0 *l)
{
    mpcsim_free(l);
}

/* see poly.h */
uint64_t
poly_lagrange0_apply(const struct poly_lagrange0 *l, const uint64_t *ys)
{
    return fp_vec_dot(l->lambda, ys, l->m);
}

/* see poly.h */
size_t
poly_lagrange0_count(const struct poly_lagrange0 *l)
{
    return l->m;
}

/* see poly.h */
const uint64_t *
poly_lagrange0_coeffs(const struct poly_lagrange0 *l)
{
    return l->lambda;
}

struct poly_powers {
    size_t m, len, stride;
    uint64_t table[]; /* row i at table + i * stride: xs[i]^0 .. xs[i]^(len-1) */
};

/* see poly.h */
int
poly_powers_create(struct poly_powers **out, const uint64_t *xs, size_t m, size_t len)
{
    struct poly_powers *pw = NULL;
    size_t stride;

    if (m == 0 || len == 0) {
        return MPCSIM_EINVAL;
    }
    /* Whole cache lines per row, and rows not a power of two apart. */
    stride = (len + 7) & ~(size_t)7;
    if ((stride & (stride - 1)) == 0 || stride % 64 == 0) {
        stride += 8;
    }
    if (stride > (SIZE_MAX - sizeof(*pw)) / sizeof(uint64_t) / m) {
        return MPCSIM_ENOMEM;
    }
    pw = mpcsim_malloc(sizeof(*pw) + m * stride * sizeof(uint64_t));
    if (pw == NULL) {
        return MPCSIM_ENOMEM;
    }
    pw->m = m;
    pw->len = len;
    pw->stride = stride;
    for (size_t i = 0; i < m; i++) {
        uint64_t *row = pw->table + i * stride;

        row[0] = 1;
        for (size_t j = 1; j < len; j++) {
            row[j] = fp_mul(row[j - 1], xs[i]);
        }
        memset(row + len, 0, (stride - len) * sizeof(uint64_t));
    }
    *out = pw;
    return 0;
}

/* see poly.h */
void
poly_powers_destroy(struct poly_powers *pw)
{
    mpcsim_free(pw);
}

/* see poly.h */
void
poly_powers_eval(const struct poly_powers *pw, uint64_t *out, const uint64_t *c)
{
    const struct fp_vec_ops *ops = fp_vec_ops_best();

    for (size_t i = 0; i < pw->m; i++) {
        out[i] = ops->dot(pw->table + i * pw->stride, c, pw->len);
    }
}
