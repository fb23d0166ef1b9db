/* SPDX-License-Identifier: MIT */
/*
 * protocols/field/f127_poly.c - see f127_poly.h; the algorithms of poly.c
 * over GF(2^127 - 1).
 *
 * Interpolation is the barycentric form turned into coefficients:
 * f = sum w_i M(x) / (x - x_i) with M = prod (x - x_i) and
 * w_i = y_i / M'(x_i).  Each quotient M / (x - x_i) comes from synthetic
 * division, 8 of them side by side so the multiplication chains overlap,
 * and their weighted sum is accumulated lazily (folded products, one
 * reduction per coefficient): O(m^2) with about
 * 2 m^2 multiplications.  The denominators M'(x_i) are
 * evaluated with f127_poly_eval_many and inverted in one batch.
 */
#include "protocols/field/f127_poly.h"

#include <string.h>

#include "common/alloc.h"
#include "protocols/field/f127.h"
#include "protocols/field/f127_poly_int.h"
#include "protocols/field/f127_vec.h"

#define F127_POLY__LANES 8

/* see poly.h */
mpcsim_u128
f127_poly_eval(const mpcsim_u128 *c, size_t len, mpcsim_u128 x)
{
    mpcsim_u128 r = 0;

    for (size_t k = len; k-- > 0;) {
        r = f127_add(f127_mul(r, x), c[k]);
    }
    return r;
}

/* see poly.h */
void
f127_poly_eval_many(mpcsim_u128 *out, const mpcsim_u128 *c, size_t len, const mpcsim_u128 *xs,
                    size_t m)
{
    size_t i = 0;

    for (; i + F127_POLY__LANES <= m; i += F127_POLY__LANES) {
        mpcsim_u128 r[F127_POLY__LANES] = {0};
        mpcsim_u128 x[F127_POLY__LANES];

        for (int j = 0; j < F127_POLY__LANES; j++) {
            x[j] = xs[i + (size_t)j];
        }
        for (size_t k = len; k-- > 0;) {
            mpcsim_u128 ck = c[k];

            for (int j = 0; j < F127_POLY__LANES; j++) {
                r[j] = f127_add(f127_mul(r[j], x[j]), ck);
            }
        }
        for (int j = 0; j < F127_POLY__LANES; j++) {
            out[i + (size_t)j] = r[j];
        }
    }
    for (; i < m; i++) {
        out[i] = f127_poly_eval(c, len, xs[i]);
    }
}

/* see f127_poly_int.h */
ptrdiff_t
f127__poly_degree(const mpcsim_u128 *c, size_t len)
{
    while (len > 0 && c[len - 1] == 0) {
        len--;
    }
    return (ptrdiff_t)len - 1;
}

/* see f127_poly_int.h */
void
f127__poly_master(mpcsim_u128 *master, const mpcsim_u128 *xs, size_t m)
{
    master[0] = 1;
    for (size_t i = 0; i < m; i++) {
        mpcsim_u128 nx = f127_neg(xs[i]);

        /* (x - xs[i]) * master, degree i -> i + 1; each k reads old values. */
        master[i + 1] = master[i];
        for (size_t k = i; k > 0; k--) {
            master[k] = f127_add(master[k - 1], f127_mul(nx, master[k]));
        }
        master[0] = f127_mul(nx, master[0]);
    }
}

/* see f127_poly_int.h */
int
f127__poly_interpolate_master(mpcsim_u128 *coeffs, mpcsim_u128 *scratch, const mpcsim_u128 *master,
                              const mpcsim_u128 *xs, const mpcsim_u128 *ys, size_t m)
{
    mpcsim_u128 *w = scratch;
    mpcsim_u128 *den = scratch + m;

    /* den_i = M'(x_i); zero exactly when x_i is repeated. */
    for (size_t k = 0; k < m; k++) {
        w[k] = f127_mul((mpcsim_u128)(k + 1), master[k + 1]);
    }
    f127_poly_eval_many(den, w, m, xs, m);
    if (f127_vec_batch_inv(w, NULL, den, m) != 0) {
        return MPCSIM_EINVAL;
    }
    for (size_t i = 0; i < m; i++) {
        w[i] = f127_mul(w[i], ys[i]);
        coeffs[i] = 0;
    }
    /* coeffs += sum_i w_i q_i with q_i = M / (x - x_i), by synthetic division. */
    for (size_t i = 0; i < m; i += F127_POLY__LANES) {
        size_t g = m - i < F127_POLY__LANES ? m - i : F127_POLY__LANES;
        mpcsim_u128 q[F127_POLY__LANES], x[F127_POLY__LANES], wi[F127_POLY__LANES];

        for (size_t j = 0; j < F127_POLY__LANES; j++) {
            q[j] = 1;
            x[j] = j < g ? xs[i + j] : 0;
            wi[j] = j < g ? w[i + j] : 0; /* absent lanes add nothing */
        }
        for (size_t k = m; k-- > 0;) {
            mpcsim_u128 acc = 0;
            uint64_t carry = 0; /* units of 2^128 */
            mpcsim_u128 mk = master[k];

            for (size_t j = 0; j < F127_POLY__LANES; j++) {
                mpcsim_u128 v = f127__mul_fold(wi[j], q[j]); /* < 2p */

                acc += v;
                carry += acc < v;
                q[j] = f127_add(mk, f127_mul(x[j], q[j]));
            }
            coeffs[k] = f127_add(coeffs[k], f127_reduce256(carry, acc));
        }
    }
    return 0;
}

/* see poly.h */
int
f127_poly_interpolate(mpcsim_u128 *coeffs, const mpcsim_u128 *xs, const mpcsim_u128 *ys, size_t m)
{
    mpcsim_u128 *work = NULL;
    int rc;

    if (m == 0) {
        return MPCSIM_EINVAL;
    }
    work = mpcsim_calloc(3 * m + 1, sizeof(*work));
    if (work == NULL) {
        return MPCSIM_ENOMEM;
    }
    f127__poly_master(work, xs, m);
    rc = f127__poly_interpolate_master(coeffs, work + m + 1, work, xs, ys, m);
    mpcsim_free(work);
    return rc;
}

struct f127_poly_lagrange0 {
    size_t m;
    mpcsim_u128 lambda[]; /* m entries */
};

/* see poly.h.  lambda_i = (-1)^(m-1) prod_j x_j / (x_i M'(x_i)). */
int
f127_poly_lagrange0_create(struct f127_poly_lagrange0 **out, const mpcsim_u128 *xs, size_t m)
{
    struct f127_poly_lagrange0 *l = NULL;
    mpcsim_u128 *work = NULL;
    mpcsim_u128 *master, *deriv, *den;
    mpcsim_u128 scale;
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
    f127__poly_master(master, xs, m);
    for (size_t k = 0; k < m; k++) {
        deriv[k] = f127_mul((mpcsim_u128)(k + 1), master[k + 1]);
    }
    f127_poly_eval_many(den, deriv, m, xs, m);
    for (size_t i = 0; i < m; i++) {
        den[i] = f127_mul(den[i], xs[i]);
    }
    if (f127_vec_batch_inv(l->lambda, NULL, den, m) != 0) {
        rc = MPCSIM_EINVAL; /* some x is 0 or repeated */
        goto out;
    }
    /* prod x_j = (-1)^m M(0); times (-1)^(m-1) gives -M(0). */
    scale = f127_neg(master[0]);
    f127_vec_scale(l->lambda, l->lambda, scale, m);
    l->m = m;
    *out = l;
    l = NULL;
out:
    mpcsim_free(work);
    f127_poly_lagrange0_destroy(l);
    return rc;
}

/* see poly.h */
void
f127_poly_lagrange0_destroy(struct f127_poly_lagrange0 *l)
{
    mpcsim_free(l);
}

/* see poly.h */
mpcsim_u128
f127_poly_lagrange0_apply(const struct f127_poly_lagrange0 *l, const mpcsim_u128 *ys)
{
    return f127_vec_dot(l->lambda, ys, l->m);
}

/* see poly.h */
size_t
f127_poly_lagrange0_count(const struct f127_poly_lagrange0 *l)
{
    return l->m;
}

/* see poly.h */
const mpcsim_u128 *
f127_poly_lagrange0_coeffs(const struct f127_poly_lagrange0 *l)
{
    return l->lambda;
}

struct f127_poly_powers {
    size_t m, len, stride;
    mpcsim_u128 table[]; /* row i at table + i * stride: xs[i]^0 .. xs[i]^(len-1) */
};

/* see poly.h */
int
f127_poly_powers_create(struct f127_poly_powers **out, const mpcsim_u128 *xs, size_t m, size_t len)
{
    struct f127_poly_powers *pw = NULL;
    size_t stride;

    if (m == 0 || len == 0) {
        return MPCSIM_EINVAL;
    }
    /* Whole cache lines per row, and rows not a power of two apart. */
    stride = (len + 7) & ~(size_t)7;
    if ((stride & (stride - 1)) == 0 || stride % 64 == 0) {
        stride += 8;
    }
    if (stride > (SIZE_MAX - sizeof(*pw)) / sizeof(mpcsim_u128) / m) {
        return MPCSIM_ENOMEM;
    }
    pw = mpcsim_malloc(sizeof(*pw) + m * stride * sizeof(mpcsim_u128));
    if (pw == NULL) {
        return MPCSIM_ENOMEM;
    }
    pw->m = m;
    pw->len = len;
    pw->stride = stride;
    for (size_t i = 0; i < m; i++) {
        mpcsim_u128 *row = pw->table + i * stride;

        row[0] = 1;
        for (size_t j = 1; j < len; j++) {
            row[j] = f127_mul(row[j - 1], xs[i]);
        }
        memset(row + len, 0, (stride - len) * sizeof(mpcsim_u128));
    }
    *out = pw;
    return 0;
}

/* see poly.h */
void
f127_poly_powers_destroy(struct f127_poly_powers *pw)
{
    mpcsim_free(pw);
}

/* see poly.h */
void
f127_poly_powers_eval(const struct f127_poly_powers *pw, mpcsim_u128 *out, const mpcsim_u128 *c)
{
    const struct f127_vec_ops *ops = f127_vec_ops_best();

    for (size_t i = 0; i < pw->m; i++) {
        out[i] = ops->dot(pw->table + i * pw->stride, c, pw->len);
    }
}
