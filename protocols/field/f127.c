/* SPDX-License-Identifier: MIT */
/*
 * protocols/field/f127.c - the out-of-line scalar GF(2^127 - 1) functions:
 * power, inverse, signed conversions and the wire format.
 */
#include "protocols/field/f127.h" /* first: proves the header stands alone */

/* a^(2^n) */
static mpcsim_u128
f127__sqr_n(mpcsim_u128 a, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        a = f127_sqr(a);
    }
    return a;
}

/* x, hidden from the optimiser: a mask built from a secret stays a mask. */
static inline uint64_t
f127__opaque(uint64_t x)
{
#if defined(__GNUC__)
    __asm__("" : "+r"(x));
#endif
    return x;
}

/* see f127.h */
mpcsim_u128
f127_pow(mpcsim_u128 a, mpcsim_u128 e)
{
    mpcsim_u128 r = 1;

    while (e != 0) {
        if (e & 1) {
            r = f127_mul(r, a);
        }
        a = f127_sqr(a);
        e >>= 1;
    }
    return r;
}

/*
 * see f127.h.  p - 2 = 4 (2^125 - 1) + 1; with xk = a^(2^k - 1) and
 * x(i+j) = xi^(2^j) xj the chain x2 x3 x5 x10 x20 x40 x80 x120 x125 costs
 * 124 squarings and 9 products, then two squarings and a product by a.
 */
int
f127_inv(mpcsim_u128 *out, mpcsim_u128 a)
{
    mpcsim_u128 x2, x3, x5, x10, x20, x40, x80, x120, x125, r;
    uint64_t lo = (uint64_t)a, hi = (uint64_t)(a >> 64);
    uint64_t any = lo | hi;
    /* All ones iff a = 0, without a branch: only the return value tells. */
    uint64_t zero = f127__opaque(((any | (0 - any)) >> 63) - 1);
    mpcsim_u128 zmask = ((mpcsim_u128)zero << 64) | zero;

    x2 = f127_mul(f127_sqr(a), a);
    x3 = f127_mul(f127_sqr(x2), a);
    x5 = f127_mul(f127__sqr_n(x3, 2), x2);
    x10 = f127_mul(f127__sqr_n(x5, 5), x5);
    x20 = f127_mul(f127__sqr_n(x10, 10), x10);
    x40 = f127_mul(f127__sqr_n(x20, 20), x20);
    x80 = f127_mul(f127__sqr_n(x40, 40), x40);
    x120 = f127_mul(f127__sqr_n(x80, 40), x40);
    x125 = f127_mul(f127__sqr_n(x120, 5), x5);
    r = f127_mul(f127__sqr_n(x125, 2), a); /* 0 for a = 0 */
    *out = (r & ~zmask) | (*out & zmask);
    return MPCSIM_EZERODIV & -(int)(zero & 1);
}

/* see f127.h */
int
f127_from_int128(mpcsim_u128 *out, mpcsim_i128 x)
{
    if (x > (mpcsim_i128)F127_HALF || x < -(mpcsim_i128)F127_HALF) {
        return MPCSIM_ERANGE;
    }
    *out = x >= 0 ? (mpcsim_u128)x : F127_P - (mpcsim_u128)(-x);
    return 0;
}

/* see f127.h */
mpcsim_i128
f127_to_int128(mpcsim_u128 a)
{
    return a <= F127_HALF ? (mpcsim_i128)a : -(mpcsim_i128)(F127_P - a);
}

/* see f127.h */
void
f127_encode(uint8_t out[F127_BYTES], mpcsim_u128 a)
{
    for (int i = 0; i < F127_BYTES; i++) {
        out[i] = (uint8_t)(a >> (8 * i));
    }
}

/* The 16 bytes at in as a little-endian integer. */
static mpcsim_u128
f127__load_le(const uint8_t *in)
{
    mpcsim_u128 v = 0;

    for (int i = F127_BYTES - 1; i >= 0; i--) {
        v = (v << 8) | in[i];
    }
    return v;
}

/* see f127.h */
int
f127_decode(mpcsim_u128 *out, const uint8_t in[F127_BYTES])
{
    mpcsim_u128 v = f127__load_le(in);

    if (v >= F127_P) {
        return MPCSIM_EDECODE;
    }
    *out = v;
    return 0;
}

/* see f127.h */
void
f127_vec_encode(uint8_t *out, const mpcsim_u128 *a, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        f127_encode(out + F127_BYTES * i, a[i]);
    }
}

/* see f127.h */
int
f127_vec_decode(mpcsim_u128 *out, size_t *bad_index, const uint8_t *in, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        mpcsim_u128 v = f127__load_le(in + F127_BYTES * i);

        if (v >= F127_P) {
            if (bad_index != NULL) {
                *bad_index = i;
            }
            return MPCSIM_EDECODE;
        }
        out[i] = v;
    }
    return 0;
}
