/* SPDX-License-Identifier: MIT */
/*
 * protocols/field/f127_poly.h - polynomials over GF(2^127 - 1) (f127.h): evaluation,
 * Lagrange interpolation, cached Lagrange coefficients at 0 (for
 * reconstruction) and cached powers of evaluation points (for sharing).
 *
 * A polynomial of degree < len is the array c[0..len) of its coefficients,
 * constant term first.  Points x must be pairwise distinct where stated;
 * every element is canonical.  Functions that need scratch memory allocate
 * it and return MPCSIM_ENOMEM when that fails.
 */
#ifndef MPCSIM_PROTOCOLS_FIELD_F127_POLY_H
#define MPCSIM_PROTOCOLS_FIELD_F127_POLY_H

#include <stddef.h>
#include <stdint.h>

#include "common/mpcsim.h" /* MPCSIM_NODISCARD, MPCSIM_E*, mpcsim_u128 */

/* c(x) by Horner's rule; 0 for len = 0. */
mpcsim_u128 f127_poly_eval(const mpcsim_u128 *c, size_t len, mpcsim_u128 x);

/*
 * out[i] = c(xs[i]) for i < m.  Runs 8 Horner chains side by side (one
 * chain is bound by multiplication latency).  out may not overlap c or xs.
 */
void f127_poly_eval_many(mpcsim_u128 *out, const mpcsim_u128 *c, size_t len, const mpcsim_u128 *xs,
                         size_t m);

/*
 * The unique polynomial of degree < m through (xs[i], ys[i]), i < m, into
 * coeffs[0..m).  O(m^2); the m denominators are inverted in one batch.
 * Returns 0, MPCSIM_EINVAL if two xs are equal (or m = 0), or
 * MPCSIM_ENOMEM; coeffs[] is unspecified on error.  coeffs may not
 * overlap xs or ys.
 */
MPCSIM_NODISCARD int f127_poly_interpolate(mpcsim_u128 *coeffs, const mpcsim_u128 *xs,
                                           const mpcsim_u128 *ys, size_t m);

/*
 * Lagrange coefficients at 0 for a fixed set of points: lambda_i with
 * f(0) = sum lambda_i f(xs[i]) for every f of degree < m.  Applying them
 * is one dot product (f127_vec_dot).
 */
struct f127_poly_lagrange0; /* opaque */

/*
 * Precompute lambda for xs[0..m) (copied).  On success stores the object
 * in *out (caller owns it; free with f127_poly_lagrange0_destroy()) and returns
 * 0.  Returns MPCSIM_EINVAL if m = 0, some x is 0 or two are equal, or
 * MPCSIM_ENOMEM; *out is then untouched.
 */
MPCSIM_NODISCARD int f127_poly_lagrange0_create(struct f127_poly_lagrange0 **out,
                                                const mpcsim_u128 *xs, size_t m);

/* Free l.  NULL does nothing. */
void f127_poly_lagrange0_destroy(struct f127_poly_lagrange0 *l);

/* f(0) given ys[i] = f(xs[i]) for the m points of l (deg f < m). */
mpcsim_u128 f127_poly_lagrange0_apply(const struct f127_poly_lagrange0 *l, const mpcsim_u128 *ys);

/* The number of points m. */
size_t f127_poly_lagrange0_count(const struct f127_poly_lagrange0 *l);

/* lambda[0..m) (owned by l, valid until it is destroyed). */
const mpcsim_u128 *f127_poly_lagrange0_coeffs(const struct f127_poly_lagrange0 *l);

/*
 * Cached powers xs[i]^j, i < m, j < len, for evaluating many polynomials
 * of degree < len at the same points (Shamir sharing at x = 1..n): each
 * evaluation is then one lazily reduced dot product per point instead of
 * a latency-bound Horner chain.  Rows are padded so that they do not fall
 * a power of two apart (cache-set conflicts).
 */
struct f127_poly_powers; /* opaque */

/*
 * Precompute the powers for xs[0..m), len >= 1.  On success stores the
 * table in *out (caller owns it; free with f127_poly_powers_destroy()) and
 * returns 0.  Returns MPCSIM_EINVAL if m or len is 0, or MPCSIM_ENOMEM;
 * *out is then untouched.  Memory: about 16 m len bytes.
 */
MPCSIM_NODISCARD int f127_poly_powers_create(struct f127_poly_powers **out, const mpcsim_u128 *xs,
                                             size_t m, size_t len);

/* Free pw.  NULL does nothing. */
void f127_poly_powers_destroy(struct f127_poly_powers *pw);

/* out[i] = c(xs[i]) for the m points of pw, c of len coefficients (pw's len). */
void f127_poly_powers_eval(const struct f127_poly_powers *pw, mpcsim_u128 *out,
                           const mpcsim_u128 *c);

#endif /* MPCSIM_PROTOCOLS_FIELD_F127_POLY_H */
