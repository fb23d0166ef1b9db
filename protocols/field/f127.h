/* SPDX-License-Identifier: MIT */
/*
 * protocols/field/f127.h - the prime field GF(p), p = 2^127 - 1 (a
 * Mersenne prime), beside GF(2^61 - 1) (fp.h) with the same API shape.
 *
 * Representation: an element is an mpcsim_u128 (unsigned __int128) in
 * canonical form, 0 <= a < p.  Not a struct of two limbs: the compiler
 * then keeps an element in a register pair, passes and returns it in
 * registers (SysV: rdx:rax) and emits add/adc and mul/mulx for the 128-bit
 * arithmetic; arrays of elements are 16 bytes per element, low limb first
 * (x86-64 little-endian), 16-byte aligned from mpcsim_malloc.  Every
 * function taking an element requires canonical input and returns
 * canonical output; f127_reduce128()/f127_reduce256() bring arbitrary
 * integers in.
 *
 * The arithmetic is branch-free (constant time in the values), as in fp.h:
 * modulo a Mersenne prime 2^127 = 1, so a 254-bit product z reduces to
 * (z mod 2^127) + (z >> 127) < 2p and one conditional subtraction, itself
 * written as a fold of z + 1 (no compare, no mask).  A product is four
 * 64x64 -> 128 multiplications (three for a square).
 *
 * Signed values: the integers |x| <= (p - 1)/2 = 2^126 - 1 embed as x or
 * p - |x| (f127_from_int128 / f127_to_int128); protocols that sum signed
 * inputs keep every sum in that range, as they do with FP_HALF for m61.
 *
 * Wire format: 16 bytes little-endian per element.  Decoding rejects a
 * value >= p (a malicious party's message is never silently reduced).
 *
 * For a protocol written against fp.h the m127 counterparts are, name for
 * name: FP_P/FP_HALF/FP_BYTES -> F127_P/F127_HALF/F127_BYTES; fp_add, _sub,
 * _neg, _mul, _inv, _encode, _decode -> f127_*; fp_from_int64/fp_to_int64
 * -> f127_from_int128/f127_to_int128; fp_vec_* -> f127_vec_* (f127_vec.h);
 * fp_stream_fill -> f127_stream_fill (f127_stream.h, same streams);
 * poly_* -> f127_poly_* (f127_poly.h); rs_decode -> f127_rs_decode
 * (f127_rs.h).  Element arrays are mpcsim_u128 instead of uint64_t and
 * message sizes double (16 bytes per element).
 */
#ifndef MPCSIM_PROTOCOLS_FIELD_F127_H
#define MPCSIM_PROTOCOLS_FIELD_F127_H

#include <stddef.h>
#include <stdint.h>

#include "common/mpcsim.h" /* MPCSIM_NODISCARD, MPCSIM_E*, mpcsim_u128, mpcsim_i128 */

/* The modulus 2^127 - 1, also the mask of the low 127 bits. */
#define F127_P ((((mpcsim_u128)1) << 127) - 1)
/* (p - 1) / 2 = 2^126 - 1: the largest magnitude f127_from_int128 accepts. */
#define F127_HALF ((((mpcsim_u128)1) << 126) - 1)
/* Bytes of one encoded element. */
#define F127_BYTES 16

/* x mod p for x < 2p, branch-free: fold x + 1 (nonzero, <= 2p), subtract 1. */
static inline mpcsim_u128
f127__csub(mpcsim_u128 x)
{
    mpcsim_u128 v = x + 1;

    return (v & F127_P) + (v >> 127) - 1;
}

/* Any 128-bit value, reduced into [0, p). */
static inline mpcsim_u128
f127_reduce128(mpcsim_u128 x)
{
    return f127__csub((x & F127_P) + (x >> 127));
}

/* The 256-bit value hi 2^128 + lo, reduced into [0, p) (2^128 = 2 mod p). */
static inline mpcsim_u128
f127_reduce256(mpcsim_u128 hi, mpcsim_u128 lo)
{
    mpcsim_u128 h = f127_reduce128(hi); /* < p */
    mpcsim_u128 l = f127_reduce128(lo);

    h = f127__csub(h + h);
    return f127__csub(h + l);
}

/* a + b mod p. */
static inline mpcsim_u128
f127_add(mpcsim_u128 a, mpcsim_u128 b)
{
    return f127__csub(a + b);
}

/*
 * a - b mod p.  d = a - b wraps to 2^128 - (b - a) when a < b; then
 * (d & P) - 1 = p - (b - a).  For a >= b, d < p and the top bit is clear.
 */
static inline mpcsim_u128
f127_sub(mpcsim_u128 a, mpcsim_u128 b)
{
    mpcsim_u128 d = a - b;

    return (d & F127_P) - (d >> 127);
}

/* -a mod p. */
static inline mpcsim_u128
f127_neg(mpcsim_u128 a)
{
    return f127_sub(0, a);
}

/*
 * The product a b (a, b < 2^127) folded once: congruent to a b mod p and
 * < 2p (callers that accumulate use this, then reduce once).
 * a b = t0 + (a0 b1 + a1 b0) 2^64 + a1 b1 2^128 with 64-bit limbs; the
 * 254-bit result is split at bit 127 and the halves added.
 */
static inline mpcsim_u128
f127__mul_fold(mpcsim_u128 a, mpcsim_u128 b)
{
    uint64_t a0 = (uint64_t)a, a1 = (uint64_t)(a >> 64);
    uint64_t b0 = (uint64_t)b, b1 = (uint64_t)(b >> 64);
    mpcsim_u128 t0 = (mpcsim_u128)a0 * b0;
    mpcsim_u128 t1 = (mpcsim_u128)a0 * b1 + (uint64_t)(t0 >> 64);    /* < 2^127 + 2^64 */
    mpcsim_u128 t2 = (mpcsim_u128)a1 * b0 + (uint64_t)t1;            /* < 2^127 + 2^64 */
    mpcsim_u128 t3 = (mpcsim_u128)a1 * b1 + (t1 >> 64) + (t2 >> 64); /* bits 128.. < 2^126 */
    uint64_t r1 = (uint64_t)t2;                                      /* bits 64..127 */
    mpcsim_u128 lo = ((mpcsim_u128)(r1 & 0x7FFFFFFFFFFFFFFFULL) << 64) | (uint64_t)t0;
    mpcsim_u128 hi = (t3 << 1) | (r1 >> 63); /* z >> 127 < 2^127 */

    return lo + hi;
}

/* a * b mod p. */
static inline mpcsim_u128
f127_mul(mpcsim_u128 a, mpcsim_u128 b)
{
    return f127__csub(f127__mul_fold(a, b));
}

/* a^2 mod p (three multiplications). */
static inline mpcsim_u128
f127_sqr(mpcsim_u128 a)
{
    uint64_t a0 = (uint64_t)a, a1 = (uint64_t)(a >> 64);
    mpcsim_u128 t0 = (mpcsim_u128)a0 * a0;
    mpcsim_u128 m = (mpcsim_u128)a0 * a1;               /* < 2^127 */
    mpcsim_u128 t1 = (m << 1) + (uint64_t)(t0 >> 64);   /* < 2^128 */
    mpcsim_u128 t3 = (mpcsim_u128)a1 * a1 + (t1 >> 64); /* < 2^126 */
    uint64_t r1 = (uint64_t)t1;
    mpcsim_u128 lo = ((mpcsim_u128)(r1 & 0x7FFFFFFFFFFFFFFFULL) << 64) | (uint64_t)t0;
    mpcsim_u128 hi = (t3 << 1) | (r1 >> 63);

    return f127__csub(lo + hi);
}

/* a^e mod p (square and multiply; time depends on e, not on a). */
mpcsim_u128 f127_pow(mpcsim_u128 a, mpcsim_u128 e);

/*
 * 1/a mod p by Fermat (a^(p-2), a fixed addition chain of 126 squarings
 * and 10 products: constant time, the zero check included: only the
 * return value depends on whether a is 0).  Returns MPCSIM_EZERODIV for
 * a = 0, leaving *out untouched.
 */
MPCSIM_NODISCARD int f127_inv(mpcsim_u128 *out, mpcsim_u128 a);

/*
 * x as a field element: x >= 0 maps to x, x < 0 to p - |x|.  Returns
 * MPCSIM_ERANGE, leaving *out untouched, if |x| > (p-1)/2 = 2^126 - 1
 * (the value would not convert back).
 */
MPCSIM_NODISCARD int f127_from_int128(mpcsim_u128 *out, mpcsim_i128 x);

/* x as a field element (every int64_t fits). */
static inline mpcsim_u128
f127_from_int64(int64_t x)
{
    return x >= 0 ? (mpcsim_u128)x : F127_P - (mpcsim_u128)(-(mpcsim_i128)x);
}

/* The signed value of a: a <= (p-1)/2 maps to a, larger a to a - p. */
mpcsim_i128 f127_to_int128(mpcsim_u128 a);

/* Write a (canonical) as 16 bytes little-endian. */
void f127_encode(uint8_t out[F127_BYTES], mpcsim_u128 a);

/* Read 16 bytes little-endian; MPCSIM_EDECODE if the value is >= p. */
MPCSIM_NODISCARD int f127_decode(mpcsim_u128 *out, const uint8_t in[F127_BYTES]);

/* Encode n elements into out[0 .. 16n). */
void f127_vec_encode(uint8_t *out, const mpcsim_u128 *a, size_t n);

/*
 * Decode n elements from in[0 .. 16n).  Returns MPCSIM_EDECODE if any
 * value is >= p; out[] is then unspecified.  If bad_index is not NULL it
 * receives the index of the first bad element.
 */
MPCSIM_NODISCARD int f127_vec_decode(mpcsim_u128 *out, size_t *bad_index, const uint8_t *in,
                                     size_t n);

#endif /* MPCSIM_PROTOCOLS_FIELD_F127_H */
