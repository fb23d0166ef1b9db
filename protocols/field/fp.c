/* SPDX-License-Identifier: MIT */
/*
 * protocols/field/fp.c - the out-of-line scalar field functions: power,
 * inverse, signed conversions and the wire format.
 */
#include "protocols/field/fp.h" /* first: proves the header stands alone */

/* a^(2^n) */
static uint64_t
fp__sqr_n(uint64_t a, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        a = fp_sqr(a);
    }
    return a;
}

/*
 * x, hidden from the optimiser: a mask built from a secret stays a mask
 * (clang would otherwise turn the select in fp_inv into a cmov on a == 0).
 */
static inline uint64_t
fp__opaque(uint64_t x)
{
#if defined(__GNUC__)
    __asm__("" : "+r"(x));
#endif
    return x;
}

/* see fp.h */
uint64_t
fp_pow(uint64_t a, uint64_t e)
{
    uint64_t r = 1;

    while (e != 0) {
        if (e & 1) {
            r = fp_mul(r, a);
        }
        a = fp_sqr(a);
        e >>= 1;
    }
    return r;
}

/*
 * see fp.h.  p - 2 = 4 (2^59 - 1) + 1; with xk = a^(2^k - 1) the chain
 * x2 x4 x5 x10 x20 x40 x50 x55 x59 costs 60 squarings and 10 products.
 */
int
fp_inv(uint64_t *out, uint64_t a)
{
    uint64_t x2, x4, x5, x10, x20, x40, x50, x55, x59, r;
    /* All ones iff a = 0, without a branch: only the return value tells
     * (tests/ct checks that nothing else depends on a). */
    uint64_t zero = fp__opaque(((a | (0 - a)) >> 63) - 1);

    x2 = fp_mul(fp_sqr(a), a);
    x4 = fp_mul(fp__sqr_n(x2, 2), x2);
    x5 = fp_mul(fp_sqr(x4), a);
    x10 = fp_mul(fp__sqr_n(x5, 5), x5);
    x20 = fp_mul(fp__sqr_n(x10, 10), x10);
    x40 = fp_mul(fp__sqr_n(x20, 20), x20);
    x50 = fp_mul(fp__sqr_n(x40, 10), x10);
    x55 = fp_mul(fp__sqr_n(x50, 5), x5);
    x59 = fp_mul(fp__sqr_n(x55, 4), x4);
    r = fp_mul(fp__sqr_n(x59, 2), a); /* 0 for a = 0 */
    *out = (r & ~zero) | (*out & zero);
    return MPCSIM_EZERODIV & -(int)(zero & 1);
}

/* see fp.h */
int
fp_from_int64(uint64_t *out, int64_t x)
{
    if (x > (int64_t)FP_HALF || x < -(int64_t)FP_HALF) {
        return MPCSIM_ERANGE;
    }
    *out = x >= 0 ? (uint64_t)x : FP_P - (uint64_t)(-x);
    return 0;
}

/* see fp.h */
int64_t
fp_to_int64(uint64_t a)
{
    return a <= FP_HALF ? (int64_t)a : -(int64_t)(FP_P - a);
}

/* see fp.h */
void
fp_encode(uint8_t out[FP_BYTES], uint64_t a)
{
    for (int i = 0; i < FP_BYTES; i++) {
        out[i] = (uint8_t)(a >> (8 * i));
    }
}

/* The 8 bytes at in as a little-endian integer. */
static uint64_t
fp__load_le(const uint8_t *in)
{
    uint64_t v = 0;

    for (int i = FP_BYTES - 1; i >= 0; i--) {
        v = (v << 8) | in[i];
    }
    return v;
}

/* see fp.h */
int
fp_decode(uint64_t *out, const uint8_t in[FP_BYTES])
{
    uint64_t v = fp__load_le(in);

    if (v >= FP_P) {
        return MPCSIM_EDECODE;
    }
    *out = v;
    return 0;
}

/* see fp.h */
void
fp_vec_encode(uint8_t *out, const uint64_t *a, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        fp_encode(out + FP_BYTES * i, a[i]);
    }
}

/* see fp.h */
int
fp_vec_decode(uint64_t *out, size_t *bad_index, const uint8_t *in, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t v = fp__load_le(in + FP_BYTES * i);

        if (v >= FP_P) {
            if (bad_index != NULL) {
                *bad_index = i;
            }
            return MPCSIM_EDECODE;
        }
        out[i] = v;
    }
    return 0;
}
