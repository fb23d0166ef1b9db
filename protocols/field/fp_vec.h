/* SPDX-License-Identifier: MIT */
/*
 * protocols/field/fp_vec.h - vectors of GF(2^61 - 1) elements.
 *
 * Every operation exists in several implementations: a portable one and,
 * on x86-64, AVX2, AVX-512 and AVX-512 IFMA ones compiled with target
 * attributes (so a build without -march still contains them).  The
 * fp_vec_* functions use the best one the CPU supports, picked from CPUID
 * on first use; fp_vec_ops_get() hands out one implementation's table so
 * that tests compare them on the same inputs and the bench times each.
 * All implementations give identical (canonical) results.
 *
 * Aliasing: an output may be the very same array as an input (out == a),
 * never a partial overlap.  Inputs must be canonical.
 */
#ifndef MPCSIM_PROTOCOLS_FIELD_FP_VEC_H
#define MPCSIM_PROTOCOLS_FIELD_FP_VEC_H

#include <stddef.h>
#include <stdint.h>

#include "common/mpcsim.h" /* MPCSIM_NODISCARD, MPCSIM_E* */

enum fp_vec_impl {
    FP_VEC_IMPL_PORTABLE = 0,
    FP_VEC_IMPL_AVX2 = 1,
    FP_VEC_IMPL_AVX512 = 2,     /* AVX-512 F/VL, vpmuludq */
    FP_VEC_IMPL_AVX512IFMA = 3, /* AVX-512 IFMA (52-bit multiply-add) */
    FP_VEC_IMPL_COUNT
};

/* One implementation: a table of functions with the fp_vec_* contracts. */
struct fp_vec_ops {
    const char *name; /* "portable", "avx2", "avx512", "avx512ifma" */
    enum fp_vec_impl impl;
    void (*add)(uint64_t *out, const uint64_t *a, const uint64_t *b, size_t n);
    void (*sub)(uint64_t *out, const uint64_t *a, const uint64_t *b, size_t n);
    void (*scale)(uint64_t *out, const uint64_t *a, uint64_t s, size_t n);
    void (*mul)(uint64_t *out, const uint64_t *a, const uint64_t *b, size_t n);
    uint64_t (*dot)(const uint64_t *a, const uint64_t *b, size_t n);
    int (*batch_inv)(uint64_t *out, size_t *zero_index, const uint64_t *a, size_t n);
};

/*
 * The table of implementation `impl` (static storage), or NULL if this CPU
 * or build lacks it.  FP_VEC_IMPL_PORTABLE is always there.
 */
const struct fp_vec_ops *fp_vec_ops_get(enum fp_vec_impl impl);

/* The table the fp_vec_* functions use: the fastest this CPU supports. */
const struct fp_vec_ops *fp_vec_ops_best(void);

/* out[i] = a[i] + b[i] for i < n. */
void fp_vec_add(uint64_t *out, const uint64_t *a, const uint64_t *b, size_t n);

/* out[i] = a[i] - b[i]. */
void fp_vec_sub(uint64_t *out, const uint64_t *a, const uint64_t *b, size_t n);

/* out[i] = s * a[i]. */
void fp_vec_scale(uint64_t *out, const uint64_t *a, uint64_t s, size_t n);

/* out[i] = a[i] * b[i]. */
void fp_vec_mul(uint64_t *out, const uint64_t *a, const uint64_t *b, size_t n);

/* sum of a[i] * b[i] (products accumulated lazily, reduced rarely); 0 for n = 0. */
uint64_t fp_vec_dot(const uint64_t *a, const uint64_t *b, size_t n);

/*
 * out[i] = 1 / a[i] for i < n (Montgomery's trick over interleaved chains:
 * about 3 multiplications per element and one inversion).  out and a must
 * not overlap.  If some a[i] is 0, returns MPCSIM_EZERODIV, stores the
 * smallest such i in *zero_index (if not NULL) and leaves out[]
 * unspecified.  Returns 0 otherwise (also for n = 0).
 */
MPCSIM_NODISCARD int fp_vec_batch_inv(uint64_t *out, size_t *zero_index, const uint64_t *a,
                                      size_t n);

#endif /* MPCSIM_PROTOCOLS_FIELD_FP_VEC_H */
