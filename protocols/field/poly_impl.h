/* SPDX-License-Identifier: MIT */
/*
 * protocols/field/poly_impl.h - polynomials over the field field_inst.h
 * selected: poly.c instantiates it for GF(2^61 - 1) (poly_*), f127_poly.c
 * for GF(2^127 - 1) (f127_poly_*).
 *
 * Interpolation is the barycentric form turned into coefficients:
 * f = sum w_i M(x) / (x - x_i) with M = prod (x - x_i) and
 * w_i = y_i / M'(x_i).  Each quotient M / (x - x_i) comes from synthetic
 * division, 8 of them side by side so the multiplication chains overlap,
 * and their weighted sum is accumulated lazily (m61: in 128 bits; m127:
 * folded products with a carry word, one reduction per coefficient):
 * O(m^2) with about 2 m^2 multiplications.  The denominators M'(x_i) are
 * evaluated with poly_eval_many and inverted in one batch.
 */
#include <string.h>

#include "common/alloc.h"

#if defined(FIELD_INST_M61)
#include "protocols/field/poly_int.h"
#define PL_FN(x) x
#define PL_poly__master poly__master
#define PL_poly__interpolate_master poly__interpolate_master
#define PL_poly__degree poly__degree
#else
#include "protocols/field/f127_poly_int.h"
#define PL_FN(x) f127_##x
#define PL_poly__master f127__poly_master
#define PL_poly__interpolate_master f127__poly_interpolate_master
#define PL_poly__degree f127__poly_degree
#endif

#ifndef POLY__LANES
#define POLY__LANES 8
#endif

/* see poly.h (m61) or f127_poly.h (m127) */
FE
PL_FN(poly_eval)(const FE *c, size_t len, FE x)
{
    FE r = 0;

    for (size_t k = len; k-- > 0;) {
        r = FE_add(FE_mul(r, x), c[k]);
    }
    return r;
}

/* see poly.h (m61) or f127_poly.h (m127) */
void
PL_FN(poly_eval_many)(FE *out, const FE *c, size_t len, const FE *xs, size_t m)
{
    const size_t full = m - m % POLY__LANES; /* points in whole groups of LANES */
    size_t i = 0;

    for (; i < full; i += POLY__LANES) {
        FE r[POLY__LANES] = {0};
        FE x[POLY__LANES];

        for (int j = 0; j < POLY__LANES; j++) {
            x[j] = xs[i + (size_t)j];
        }
        for (size_t k = len; k-- > 0;) {
            FE ck = c[k];

            for (int j = 0; j < POLY__LANES; j++) {
                r[j] = FE_add(FE_mul(r[j], x[j]), ck);
            }
        }
        for (int j = 0; j < POLY__LANES; j++) {
            out[i + (size_t)j] = r[j];
        }
    }
    for (; i < m; i++) {
        out[i] = PL_FN(poly_eval)(c, len, xs[i]);
    }
}

/* see poly_int.h or f127_poly_int.h */
ptrdiff_t
PL_poly__degree(const FE *c, size_t len)
{
    while (len > 0 && c[len - 1] == 0) {
        len--;
    }
    return (ptrdiff_t)len - 1;
}

/* see poly_int.h or f127_poly_int.h */
void
PL_poly__master(FE *master, const FE *xs, size_t m)
{
    master[0] = 1;
    for (size_t i = 0; i < m; i++) {
        FE nx = FE_neg(xs[i]);

        /* (x - xs[i]) * master, degree i -> i + 1; each k reads old values. */
        master[i + 1] = master[i];
        for (size_t k = i; k > 0; k--) {
            master[k] = FE_add(master[k - 1], FE_mul(nx, master[k]));
        }
        master[0] = FE_mul(nx, master[0]);
    }
}

/* see poly_int.h or f127_poly_int.h */
int
PL_poly__interpolate_master(FE *coeffs, FE *scratch, const FE *master, const FE *xs, const FE *ys,
                            size_t m)
{
    FE *w = scratch;
    FE *den = scratch + m;

    /* den_i = M'(x_i); zero exactly when x_i is repeated. */
    for (size_t k = 0; k < m; k++) {
        w[k] = FE_mul((FE)(k + 1), master[k + 1]);
    }
    PL_FN(poly_eval_many)(den, w, m, xs, m);
    if (FE_vec_batch_inv(w, NULL, den, m) != 0) {
        return MPCSIM_EINVAL;
    }
    for (size_t i = 0; i < m; i++) {
        w[i] = FE_mul(w[i], ys[i]);
        coeffs[i] = 0;
    }
    /* coeffs += sum_i w_i q_i with q_i = M / (x - x_i), by synthetic division. */
    for (size_t i = 0; i < m; i += POLY__LANES) {
        size_t g = m - i < POLY__LANES ? m - i : POLY__LANES;
        FE q[POLY__LANES], x[POLY__LANES], wi[POLY__LANES];

        for (size_t j = 0; j < POLY__LANES; j++) {
            q[j] = 1;
            x[j] = j < g ? xs[i + j] : 0;
            wi[j] = j < g ? w[i + j] : 0; /* absent lanes add nothing */
        }
        for (size_t k = m; k-- > 0;) {
#if defined(FIELD_INST_M61)
            mpcsim_u128 acc = 0;
            FE mk = master[k];

            for (size_t j = 0; j < POLY__LANES; j++) {
                acc += (mpcsim_u128)wi[j] * q[j]; /* 8 terms < 2^125 */
                q[j] = fp_add(mk, fp_mul(x[j], q[j]));
            }
            coeffs[k] = fp_add(coeffs[k], fp_reduce128(acc));
#else
            mpcsim_u128 acc = 0;
            uint64_t carry = 0; /* units of 2^128 */
            FE mk = master[k];

            for (size_t j = 0; j < POLY__LANES; j++) {
                FE v = f127__mul_fold(wi[j], q[j]); /* < 2p */

                acc += v;
                carry += acc < v;
                q[j] = f127_add(mk, f127_mul(x[j], q[j]));
            }
            coeffs[k] = f127_add(coeffs[k], f127_reduce256(carry, acc));
#endif
        }
    }
    return 0;
}

/* see poly.h (m61) or f127_poly.h (m127) */
int
PL_FN(poly_interpolate)(FE *coeffs, const FE *xs, const FE *ys, size_t m)
{
    FE *work = NULL;
    int rc;

    if (m == 0) {
        return MPCSIM_EINVAL;
    }
    work = mpcsim_calloc(3 * m + 1, sizeof(*work));
    if (work == NULL) {
        return MPCSIM_ENOMEM;
    }
    PL_poly__master(work, xs, m);
    rc = PL_poly__interpolate_master(coeffs, work + m + 1, work, xs, ys, m);
    mpcsim_free(work);
    return rc;
}

struct PL_FN(poly_lagrange0) {
    size_t m;
    FE lambda[]; /* m entries */
};

/* see poly.h.  lambda_i = (-1)^(m-1) prod_j x_j / (x_i M'(x_i)). */
int
PL_FN(poly_lagrange0_create)(struct PL_FN(poly_lagrange0) * *out, const FE *xs, size_t m)
{
    struct PL_FN(poly_lagrange0) *l = NULL;
    FE *work = NULL;
    FE *master, *deriv, *den;
    FE scale;
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
    PL_poly__master(master, xs, m);
    for (size_t k = 0; k < m; k++) {
        deriv[k] = FE_mul((FE)(k + 1), master[k + 1]);
    }
    PL_FN(poly_eval_many)(den, deriv, m, xs, m);
    for (size_t i = 0; i < m; i++) {
        den[i] = FE_mul(den[i], xs[i]);
    }
    if (FE_vec_batch_inv(l->lambda, NULL, den, m) != 0) {
        rc = MPCSIM_EINVAL; /* some x is 0 or repeated */
        goto out;
    }
    /* prod x_j = (-1)^m M(0); times (-1)^(m-1) gives -M(0). */
    scale = FE_neg(master[0]);
    FE_vec_scale(l->lambda, l->lambda, scale, m);
    l->m = m;
    *out = l;
    l = NULL;
out:
    mpcsim_free(work);
    PL_FN(poly_lagrange0_destroy)(l);
    return rc;
}

/* see poly.h (m61) or f127_poly.h (m127) */
void
PL_FN(poly_lagrange0_destroy)(struct PL_FN(poly_lagrange0) * l)
{
    mpcsim_free(l);
}

/* see poly.h (m61) or f127_poly.h (m127) */
FE
PL_FN(poly_lagrange0_apply)(const struct PL_FN(poly_lagrange0) * l, const FE *ys)
{
    return FE_vec_dot(l->lambda, ys, l->m);
}

/* see poly.h (m61) or f127_poly.h (m127) */
size_t
PL_FN(poly_lagrange0_count)(const struct PL_FN(poly_lagrange0) * l)
{
    return l->m;
}

/* see poly.h (m61) or f127_poly.h (m127) */
const FE *
PL_FN(poly_lagrange0_coeffs)(const struct PL_FN(poly_lagrange0) * l)
{
    return l->lambda;
}

struct PL_FN(poly_powers) {
    size_t m, len, stride;
    FE table[]; /* row i at table + i * stride: xs[i]^0 .. xs[i]^(len-1) */
};

/* see poly.h (m61) or f127_poly.h (m127) */
int
PL_FN(poly_powers_create)(struct PL_FN(poly_powers) * *out, const FE *xs, size_t m, size_t len)
{
    struct PL_FN(poly_powers) *pw = NULL;
    size_t stride;

    if (m == 0 || len == 0) {
        return MPCSIM_EINVAL;
    }
    /* Whole cache lines per row, and rows not a power of two apart. */
    stride = (len + 7) & ~(size_t)7;
    if ((stride & (stride - 1)) == 0 || stride % 64 == 0) {
        stride += 8;
    }
    if (stride > (SIZE_MAX - sizeof(*pw)) / sizeof(FE) / m) {
        return MPCSIM_ENOMEM;
    }
    pw = mpcsim_malloc(sizeof(*pw) + m * stride * sizeof(FE));
    if (pw == NULL) {
        return MPCSIM_ENOMEM;
    }
    pw->m = m;
    pw->len = len;
    pw->stride = stride;
    for (size_t i = 0; i < m; i++) {
        FE *row = pw->table + i * stride;

        row[0] = 1;
        for (size_t j = 1; j < len; j++) {
            row[j] = FE_mul(row[j - 1], xs[i]);
        }
        memset(row + len, 0, (stride - len) * sizeof(FE));
    }
    *out = pw;
    return 0;
}

/* see poly.h (m61) or f127_poly.h (m127) */
void
PL_FN(poly_powers_destroy)(struct PL_FN(poly_powers) * pw)
{
    mpcsim_free(pw);
}

/* see poly.h (m61) or f127_poly.h (m127) */
void
PL_FN(poly_powers_eval)(const struct PL_FN(poly_powers) * pw, FE *out, const FE *c)
{
    const struct FE_vec_ops *ops = FE_vec_ops_best();

    for (size_t i = 0; i < pw->m; i++) {
        out[i] = ops->dot(pw->table + i * pw->stride, c, pw->len);
    }
}
