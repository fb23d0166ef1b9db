/* SPDX-License-Identifier: MIT */
/*
 * protocols/field/fp.h - the prime field GF(p), p = 2^61 - 1 (a Mersenne
 * prime).
 *
 * An element is a uint64_t in canonical form, 0 <= a < p.  Every function
 * taking an element requires canonical input (MPCSIM_ASSERT is not spent
 * on it in the hot inline functions) and returns canonical output; use
 * fp_reduce64()/fp_reduce128() to bring arbitrary integers in.
 *
 * The arithmetic is branch-free (constant time in the values): reduction
 * modulo a Mersenne prime is a shift and an add, and the final conditional
 * subtraction is a mask.  The inline functions live here so that protocol
 * loops inline them; fp_pow/fp_inv and the conversions live in fp.c.
 *
 * Wire format: 8 bytes little-endian per element.  Decoding rejects a value
 * >= p (a malicious party's message is never silently reduced).
 */
#ifndef MPCSIM_PROTOCOLS_FIELD_FP_H
#define MPCSIM_PROTOCOLS_FIELD_FP_H

#include <stddef.h>
#include <stdint.h>

#include "common/mpcsim.h" /* MPCSIM_NODISCARD, MPCSIM_E*, mpcsim_u128 */

/* The modulus 2^61 - 1, also the mask of the low 61 bits. */
#define FP_P ((uint64_t)0x1FFFFFFFFFFFFFFFULL)
/* (p - 1) / 2 = 2^60 - 1: the largest magnitude fp_from_int64 accepts. */
#define FP_HALF ((uint64_t)0x0FFFFFFFFFFFFFFFULL)
/* Bytes of one encoded element. */
#define FP_BYTES 8

/* x - p if x >= p, else x; requires x < 2^63 (branch-free). */
static inline uint64_t
fp__csub(uint64_t x)
{
    uint64_t t = x - FP_P;
    uint64_t mask = (uint64_t)((int64_t)t >> 63); /* all ones if x < p */

    return t + (FP_P & mask);
}

/* Any uint64_t, reduced into [0, p). */
static inline uint64_t
fp_reduce64(uint64_t x)
{
    return fp__csub((x & FP_P) + (x >> 61));
}

/* Any 128-bit value, reduced into [0, p). */
static inline uint64_t
fp_reduce128(mpcsim_u128 x)
{
    uint64_t lo = (uint64_t)x;
    uint64_t hi = (uint64_t)(x >> 64);
    /* x = (lo & P) + 2^61 (lo >> 61 | (hi mod 2^58) << 3) + 2^122 (hi >> 58), 2^61 = 1. */
    uint64_t s = (lo & FP_P) + ((lo >> 61) | ((hi << 3) & FP_P)) + (hi >> 58);

    return fp__csub((s & FP_P) + (s >> 61));
}

/* a + b mod p. */
static inline uint64_t
fp_add(uint64_t a, uint64_t b)
{
    return fp__csub(a + b);
}

/* a - b mod p. */
static inline uint64_t
fp_sub(uint64_t a, uint64_t b)
{
    uint64_t d = a - b;
    uint64_t mask = (uint64_t)((int64_t)d >> 63); /* all ones if a < b */

    return d + (FP_P & mask);
}

/* -a mod p. */
static inline uint64_t
fp_neg(uint64_t a)
{
    return fp_sub(0, a);
}

/*
 * a * b mod p.  The 122-bit product is split by hand into its low 61 bits
 * and the rest (gcc would emit a slow shrd for a 128-bit shift by 61).
 */
static inline uint64_t
fp_mul(uint64_t a, uint64_t b)
{
    mpcsim_u128 z = (mpcsim_u128)a * b;
    uint64_t lo = (uint64_t)z;
    uint64_t hi = (uint64_t)(z >> 64);

    return fp__csub((lo & FP_P) + ((lo >> 61) | (hi << 3)));
}

/* a^2 mod p. */
static inline uint64_t
fp_sqr(uint64_t a)
{
    return fp_mul(a, a);
}

/* a^e mod p (square and multiply; time depends on e, not on a). */
uint64_t fp_pow(uint64_t a, uint64_t e);

/*
 * 1/a mod p by Fermat (a^(p-2), a fixed addition chain: constant time,
 * the zero check included: only the return value depends on whether a is
 * 0).  Returns MPCSIM_EZERODIV for a = 0, leaving *out untouched.
 */
MPCSIM_NODISCARD int fp_inv(uint64_t *out, uint64_t a);

/*
 * x as a field element: x >= 0 maps to x, x < 0 to p - |x|.  Returns
 * MPCSIM_ERANGE, leaving *out untouched, if |x| > (p-1)/2 (the value would
 * not convert back).
 */
MPCSIM_NODISCARD int fp_from_int64(uint64_t *out, int64_t x);

/* The signed value of a: a <= (p-1)/2 maps to a, larger a to a - p. */
int64_t fp_to_int64(uint64_t a);

/* fp_from_int64 for a 128-bit integer: MPCSIM_ERANGE if |x| > FP_HALF. */
MPCSIM_NODISCARD static inline int
fp_from_int128(uint64_t *out, mpcsim_i128 x)
{
    if (x > (mpcsim_i128)FP_HALF || x < -(mpcsim_i128)FP_HALF) {
        return MPCSIM_ERANGE;
    }
    return fp_from_int64(out, (int64_t)x);
}

/* Write a (canonical) as 8 bytes little-endian. */
void fp_encode(uint8_t out[FP_BYTES], uint64_t a);

/* Read 8 bytes little-endian; MPCSIM_EDECODE if the value is >= p. */
MPCSIM_NODISCARD int fp_decode(uint64_t *out, const uint8_t in[FP_BYTES]);

/* Encode n elements into out[0 .. 8n). */
void fp_vec_encode(uint8_t *out, const uint64_t *a, size_t n);

/*
 * Decode n elements from in[0 .. 8n).  Returns MPCSIM_EDECODE if any value
 * is >= p; out[] is then unspecified.  If bad_index is not NULL it receives
 * the index of the first bad element.
 */
MPCSIM_NODISCARD int fp_vec_decode(uint64_t *out, size_t *bad_index, const uint8_t *in, size_t n);

#endif /* MPCSIM_PROTOCOLS_FIELD_FP_H */
