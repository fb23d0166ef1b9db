/* SPDX-License-Identifier: MIT */
/*
 * protocols/field/f127_rs.h - Reed-Solomon decoding over GF(2^127 - 1) (f127.h) with
 * errors and erasures (Gao's algorithm).
 *
 * The received word is m points (xs[i], ys[i]) with distinct xs; erasures
 * are simply points that are absent.  A degree-t polynomial f is
 * recovered if at most e_max = floor((m - t - 1) / 2) points disagree
 * with it, and those points are named.  When no polynomial of degree <= t
 * lies within e_max of the points the decoder says so (MPCSIM_EDECODE)
 * instead of guessing; beyond the radius a miscorrection is possible in
 * principle (another codeword within e_max of the corrupted word), with
 * random error values over this field it has negligible probability.
 *
 * Gao: g0 = prod (x - x_i), g1 = the interpolant of the points; run the
 * extended Euclidean algorithm on (g0, g1) until the remainder g has
 * degree < (m + t + 1) / 2, with g = u g0 + v g1; then f = g / v exactly
 * (v is the error locator).  O(m^2) time, O(m) memory.
 */
#ifndef MPCSIM_PROTOCOLS_FIELD_F127_RS_H
#define MPCSIM_PROTOCOLS_FIELD_F127_RS_H

#include <stddef.h>
#include <stdint.h>

#include "common/mpcsim.h" /* MPCSIM_NODISCARD, MPCSIM_E*, mpcsim_u128 */

/* The number of errors m points can correct for degree t (0 if m <= t). */
size_t f127_rs_max_errors(size_t m, size_t t);

/*
 * Decode: coeffs[0..t] receives f (degree <= t, zero-padded); bad[] (room
 * for m entries, may be NULL) receives the indices i, increasing, where
 * f(xs[i]) != ys[i] and *nbad (may be NULL) their count.  Returns 0;
 * MPCSIM_ENOQUORUM if m < t + 1; MPCSIM_EINVAL if two xs are equal;
 * MPCSIM_EDECODE if no degree-t polynomial is within floor((m-t-1)/2)
 * points; MPCSIM_ENOMEM.  Outputs are unspecified on error.
 */
MPCSIM_NODISCARD int f127_rs_decode(mpcsim_u128 *coeffs, size_t *bad, size_t *nbad,
                                    const mpcsim_u128 *xs, const mpcsim_u128 *ys, size_t m,
                                    size_t t);

#endif /* MPCSIM_PROTOCOLS_FIELD_F127_RS_H */
