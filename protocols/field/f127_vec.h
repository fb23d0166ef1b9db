/* SPDX-License-Identifier: MIT */
/*
 * protocols/field/f127_vec.h - vectors of GF(2^127 - 1) elements (f127.h),
 * the counterpart of fp_vec.h.
 *
 * Three implementations.  The portable one uses f127.h's C products
 * (whatever the build's -march allows).  On x86-64, the bmi2 one runs the
 * same loops compiled with target("bmi2") around an inline-assembly
 * product (mulx does not touch the flags, so the four 64x64 products and
 * their add/adc chain interleave; cmov does the final subtraction).  The
 * avx512ifma one multiplies 8 elements at a time in 52-bit limbs
 * (vpmadd52luq/huq, 17 partial products per element) and uses the bmi2
 * functions for every other operation.  The f127_vec_* functions use the
 * best one the CPU supports, picked from CPUID on first use (avx512ifma,
 * bmi2, portable); f127_vec_ops_get() hands out one table so that tests
 * compare them and the bench times each.  All implementations give
 * identical (canonical) results.
 *
 * Aliasing: an output may be the very same array as an input (out == a),
 * never a partial overlap.  Inputs must be canonical.
 */
#ifndef MPCSIM_PROTOCOLS_FIELD_F127_VEC_H
#define MPCSIM_PROTOCOLS_FIELD_F127_VEC_H

#include <stddef.h>
#include <stdint.h>

#include "common/mpcsim.h" /* MPCSIM_NODISCARD, MPCSIM_E*, mpcsim_u128 */

enum f127_vec_impl {
    F127_VEC_IMPL_PORTABLE = 0,
    F127_VEC_IMPL_BMI2 = 1,       /* x86-64 BMI2: mulx */
    F127_VEC_IMPL_AVX512IFMA = 2, /* AVX-512 IFMA products (mul only), else bmi2 */
    F127_VEC_IMPL_COUNT
};

/* One implementation: a table of functions with the f127_vec_* contracts. */
struct f127_vec_ops {
    const char *name; /* "portable", "bmi2", "avx512ifma" */
    enum f127_vec_impl impl;
    void (*add)(mpcsim_u128 *out, const mpcsim_u128 *a, const mpcsim_u128 *b, size_t n);
    void (*sub)(mpcsim_u128 *out, const mpcsim_u128 *a, const mpcsim_u128 *b, size_t n);
    void (*scale)(mpcsim_u128 *out, const mpcsim_u128 *a, mpcsim_u128 s, size_t n);
    void (*mul)(mpcsim_u128 *out, const mpcsim_u128 *a, const mpcsim_u128 *b, size_t n);
    mpcsim_u128 (*dot)(const mpcsim_u128 *a, const mpcsim_u128 *b, size_t n);
    int (*batch_inv)(mpcsim_u128 *out, size_t *zero_index, const mpcsim_u128 *a, size_t n);
};

/*
 * The table of implementation `impl` (static storage), or NULL if this CPU
 * or build lacks it.  F127_VEC_IMPL_PORTABLE is always there.
 */
const struct f127_vec_ops *f127_vec_ops_get(enum f127_vec_impl impl);

/* The table the f127_vec_* functions use: the fastest this CPU supports. */
const struct f127_vec_ops *f127_vec_ops_best(void);

/* out[i] = a[i] + b[i] for i < n. */
void f127_vec_add(mpcsim_u128 *out, const mpcsim_u128 *a, const mpcsim_u128 *b, size_t n);

/* out[i] = a[i] - b[i]. */
void f127_vec_sub(mpcsim_u128 *out, const mpcsim_u128 *a, const mpcsim_u128 *b, size_t n);

/* out[i] = s * a[i]. */
void f127_vec_scale(mpcsim_u128 *out, const mpcsim_u128 *a, mpcsim_u128 s, size_t n);

/* out[i] = a[i] * b[i]. */
void f127_vec_mul(mpcsim_u128 *out, const mpcsim_u128 *a, const mpcsim_u128 *b, size_t n);

/*
 * sum of a[i] * b[i]; 0 for n = 0.  Lazy reduction: each product is
 * folded once (< 2p, no conditional subtraction) and summed in 192 bits;
 * the sum is reduced once at the end (exact for any n < 2^63).
 */
mpcsim_u128 f127_vec_dot(const mpcsim_u128 *a, const mpcsim_u128 *b, size_t n);

/*
 * out[i] = 1 / a[i] for i < n (Montgomery's trick over 8 interleaved
 * chains: about 3 multiplications per element and one inversion).  out
 * and a must not overlap.  If some a[i] is 0, returns MPCSIM_EZERODIV,
 * stores the smallest such i in *zero_index (if not NULL) and leaves out[]
 * unspecified.  Returns 0 otherwise (also for n = 0).
 */
MPCSIM_NODISCARD int f127_vec_batch_inv(mpcsim_u128 *out, size_t *zero_index, const mpcsim_u128 *a,
                                        size_t n);

#endif /* MPCSIM_PROTOCOLS_FIELD_F127_VEC_H */
