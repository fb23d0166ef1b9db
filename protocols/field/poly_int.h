/* SPDX-License-Identifier: MIT */
/*
 * protocols/field/poly_int.h - polynomial helpers shared by poly.c and
 * rs.c.  Folder-private.
 */
#ifndef MPCSIM_PROTOCOLS_FIELD_POLY_INT_H
#define MPCSIM_PROTOCOLS_FIELD_POLY_INT_H

#include <stddef.h>
#include <stdint.h>

/* master[0..m] = prod (x - xs[i]), monic of degree m. */
void poly__master(uint64_t *master, const uint64_t *xs, size_t m);

/*
 * coeffs[0..m) = the interpolating polynomial through (xs[i], ys[i]) given
 * master = poly__master(xs).  scratch holds 2m elements.  Returns 0,
 * MPCSIM_EINVAL if two xs are equal.
 */
int poly__interpolate_master(uint64_t *coeffs, uint64_t *scratch, const uint64_t *master,
                             const uint64_t *xs, const uint64_t *ys, size_t m);

/* Degree of c[0..len) ignoring leading zeros; -1 (as ptrdiff) for zero. */
ptrdiff_t poly__degree(const uint64_t *c, size_t len);

#endif /* MPCSIM_PROTOCOLS_FIELD_POLY_INT_H */
