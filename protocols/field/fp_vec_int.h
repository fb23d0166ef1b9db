/* SPDX-License-Identifier: MIT */
/*
 * protocols/field/fp_vec_int.h - between fp_vec.c (portable code and the
 * dispatcher) and fp_vec_x86.c (the SIMD implementations).  Folder-private.
 */
#ifndef MPCSIM_PROTOCOLS_FIELD_FP_VEC_INT_H
#define MPCSIM_PROTOCOLS_FIELD_FP_VEC_INT_H

#include "protocols/field/fp_vec.h"

/* The x86 table for impl if this build and CPU have it, else NULL. */
const struct fp_vec_ops *fp__vec_x86_get(enum fp_vec_impl impl);

/*
 * Finish a batch inversion: the shared zero check and small inversion of
 * the `k` chain totals tot[] into inv[] (k <= 64).  Returns 0, or
 * MPCSIM_EZERODIV with *zero_index (if not NULL) = first zero of a[0..n).
 */
int fp__vec_invert_totals(uint64_t *inv, size_t *zero_index, const uint64_t *tot, size_t k,
                          const uint64_t *a, size_t n);

/* The portable dot product and batch inversion (the AVX2 table uses them too). */
uint64_t fp__vec_dot_portable(const uint64_t *a, const uint64_t *b, size_t n);
int fp__vec_batch_inv_portable(uint64_t *out, size_t *zero_index, const uint64_t *a, size_t n);

#endif /* MPCSIM_PROTOCOLS_FIELD_FP_VEC_INT_H */
