/* SPDX-License-Identifier: MIT */
/*
 * protocols/field/field.h - one interface over the protocols' two prime
 * fields, GF(2^61 - 1) (fp*.h) and GF(2^127 - 1) (f127*.h), chosen once
 * per trial (scenario key `protocol.field: m61 | m127`).
 *
 * Two ways to be field-generic without copying a protocol per field:
 *
 * 1. The run-time table `struct field_ops` (this header): every operation
 *    on element arrays through `void *`, elements `elem_size` bytes each
 *    in memory (uint64_t for m61, mpcsim_u128 for m127, canonical
 *    0 <= a < p), `wire_bytes` each on the wire (little-endian).  Costs
 *    one indirect call per vector operation; meant for code that works on
 *    batches (openings, comparisons, share vectors), not per element.
 * 2. Compile-time instantiation (protocols/field/field_inst.h): a file
 *    defines FIELD_INST_M61 or FIELD_INST_M127 and includes field_inst.h,
 *    which maps FE (the element type) and FE_xxx names onto fp_/poly_/rs_
 *    or f127_*; the same source compiled twice gives one implementation
 *    per field with the m61 code exactly as before (no indirection).  The
 *    additive and Shamir adapters use this.
 *
 * Signed integers: |x| <= half ((p - 1) / 2: 2^60 - 1 for m61, 2^126 - 1
 * for m127) embed as x or p - |x|; from_int128 rejects larger magnitudes
 * with MPCSIM_ERANGE, to_int128 maps a > half to a - p.
 * Sources: the fields and algorithms are those of fp.h / f127.h (Mersenne
 * reduction), poly.h (Lagrange interpolation) and rs.h (Gao's
 * Reed-Solomon decoder, "A new algorithm for decoding Reed-Solomon
 * codes", 2003).
 */
#ifndef MPCSIM_PROTOCOLS_FIELD_FIELD_H
#define MPCSIM_PROTOCOLS_FIELD_FIELD_H

#include <stddef.h>
#include <stdint.h>

#include "common/mpcsim.h" /* MPCSIM_NODISCARD, MPCSIM_E*, mpcsim_i128, mpcsim_u128 */

struct fp_stream; /* protocols/field/fp_stream.h: ChaCha20 sampler, shared by both fields */

enum field_kind {
    FIELD_M61 = 0, /* GF(2^61 - 1), the default */
    FIELD_M127,    /* GF(2^127 - 1) */
};

/*
 * The operations of one field.  Arrays are `n` elements of elem_size
 * bytes, aligned for the element type (mpcsim_malloc is); out may equal an
 * input.  All functions are total on canonical input except where an
 * error is stated.
 */
struct field_ops {
    enum field_kind kind;
    const char *name;  /* "m61", "m127" (the scenario's spelling) */
    size_t elem_size;  /* bytes per element in memory: 8 or 16 */
    size_t wire_bytes; /* bytes per encoded element: 8 or 16 */
    mpcsim_u128 half;  /* (p - 1) / 2: the largest signed magnitude */
    int bits;          /* 61 or 127: p = 2^bits - 1 */

    /* out[i] = a[i] + b[i], a[i] - b[i], a[i] * s (s one element), a[i] * b[i]. */
    void (*vec_add)(void *out, const void *a, const void *b, size_t n);
    void (*vec_sub)(void *out, const void *a, const void *b, size_t n);
    void (*vec_scale)(void *out, const void *a, const void *s, size_t n);
    void (*vec_mul)(void *out, const void *a, const void *b, size_t n);
    /* *out (one element) = sum a[i] b[i]. */
    void (*vec_dot)(void *out, const void *a, const void *b, size_t n);
    /* One element: 1/a; MPCSIM_EINVAL for a = 0. */
    MPCSIM_NODISCARD int (*inv)(void *out, const void *a);
    /* Signed integers in and out (one element each). */
    MPCSIM_NODISCARD int (*from_int128)(void *out, mpcsim_i128 x);
    mpcsim_i128 (*to_int128)(const void *a);
    /* n elements to/from n * wire_bytes bytes; decode rejects a value >= p
     * with MPCSIM_EDECODE (bad_index, if not NULL, gets the first). */
    void (*encode)(uint8_t *out, const void *a, size_t n);
    MPCSIM_NODISCARD int (*decode)(void *out, size_t *bad_index, const uint8_t *in, size_t n);
    /* n uniform elements from the party's ChaCha20 stream. */
    void (*random)(struct fp_stream *s, void *out, size_t n);
    /* The polynomial c[0 .. len) at x (one element each). */
    void (*poly_eval)(void *out, const void *c, size_t len, const void *x);
    /* Coefficients of the degree < m polynomial through (xs[i], ys[i]);
     * MPCSIM_EINVAL on repeated xs, MPCSIM_ENOMEM. */
    MPCSIM_NODISCARD int (*poly_interpolate)(void *coeffs, const void *xs, const void *ys,
                                             size_t m);
    /* Reed-Solomon (Gao) decoding of m points to a degree <= t polynomial
     * (coeffs: t + 1 elements), correcting up to rs_max_errors(m, t) wrong
     * ys; the wrong points' indices go to bad[0 .. *nbad) (bad: m
     * entries).  MPCSIM_EDECODE when too many are wrong; MPCSIM_ENOMEM. */
    MPCSIM_NODISCARD int (*rs_decode)(void *coeffs, size_t *bad, size_t *nbad, const void *xs,
                                      const void *ys, size_t m, size_t t);
};

/* The table of `kind` (static storage; never NULL for a valid kind). */
const struct field_ops *field_ops_get(enum field_kind kind);

/* "m61" -> FIELD_M61, "m127" -> FIELD_M127; -1 for any other name. */
int field_lookup(const char *name);

/* The signed range of `kind`: (p - 1) / 2. */
mpcsim_u128 field_half(enum field_kind kind);

#endif /* MPCSIM_PROTOCOLS_FIELD_FIELD_H */
