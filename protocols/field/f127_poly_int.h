/* SPDX-License-Identifier: MIT */
/*
 * protocols/field/f127_poly_int.h - polynomial helpers shared by f127_poly.c
 * and f127_rs.c.  Folder-private.
 */
#ifndef MPCSIM_PROTOCOLS_FIELD_F127_POLY_INT_H
#define MPCSIM_PROTOCOLS_FIELD_F127_POLY_INT_H

#include <stddef.h>
#include <stdint.h>

#include "common/mpcsim.h" /* mpcsim_u128 */

/* master[0..m] = prod (x - xs[i]), monic of degree m. */
void f127__poly_master(mpcsim_u128 *master, const mpcsim_u128 *xs, size_t m);

/*
 * coeffs[0..m) = the interpolating polynomial through (xs[i], ys[i]) given
 * master = f127__poly_master(xs).  scratch holds 2m elements.  Returns 0,
 * MPCSIM_EINVAL if two xs are equal.
 */
int f127__poly_interpolate_master(mpcsim_u128 *coeffs, mpcsim_u128 *scratch,
                                  const mpcsim_u128 *master, const mpcsim_u128 *xs,
                                  const mpcsim_u128 *ys, size_t m);

/* Degree of c[0..len) ignoring leading zeros; -1 (as ptrdiff) for zero. */
ptrdiff_t f127__poly_degree(const mpcsim_u128 *c, size_t len);

#endif /* MPCSIM_PROTOCOLS_FIELD_F127_POLY_INT_H */
