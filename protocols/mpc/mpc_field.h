/* SPDX-License-Identifier: MIT */
/*
 * protocols/mpc/mpc_field.h - the small field interface the shared MPC
 * layer is written against: GF(2^61 - 1) (fp.h) or GF(2^127 - 1)
 * (f127.h), chosen per circuit at run time.
 *
 * Every element is an mpcsim_u128 in canonical form (for m61 the value
 * is < 2^61 and the high limb is zero), so one code path serves both
 * fields; each operation is one predictable branch and the field's own
 * inline kernel.  At the merge with the field-ops layer of the 128-bit
 * work these wrappers are the only place that names fp_* / f127_*.
 */
#ifndef MPCSIM_PROTOCOLS_MPC_MPC_FIELD_H
#define MPCSIM_PROTOCOLS_MPC_MPC_FIELD_H

#include <stddef.h>
#include <stdint.h>

#include "common/mpcsim.h"
#include "protocols/field/f127.h"
#include "protocols/field/fp.h"
#include "protocols/field/fp_stream.h"

enum mpc_field_kind {
    MPC_FIELD_M61 = 0, /* GF(2^61 - 1) */
    MPC_FIELD_M127 = 1 /* GF(2^127 - 1) */
};

/* floor(log2 p): the bits an opened masked value may use (60 or 126). */
static inline unsigned
mpc_field_log2(enum mpc_field_kind f)
{
    return f == MPC_FIELD_M127 ? 126u : 60u;
}

/* Bytes of one encoded element (8 or 16). */
static inline size_t
mpc_field_bytes(enum mpc_field_kind f)
{
    return f == MPC_FIELD_M127 ? F127_BYTES : FP_BYTES;
}

static inline mpcsim_u128
mpc_fadd(enum mpc_field_kind f, mpcsim_u128 a, mpcsim_u128 b)
{
    return f == MPC_FIELD_M127 ? f127_add(a, b) : fp_add((uint64_t)a, (uint64_t)b);
}

static inline mpcsim_u128
mpc_fsub(enum mpc_field_kind f, mpcsim_u128 a, mpcsim_u128 b)
{
    return f == MPC_FIELD_M127 ? f127_sub(a, b) : fp_sub((uint64_t)a, (uint64_t)b);
}

static inline mpcsim_u128
mpc_fneg(enum mpc_field_kind f, mpcsim_u128 a)
{
    return f == MPC_FIELD_M127 ? f127_neg(a) : fp_neg((uint64_t)a);
}

static inline mpcsim_u128
mpc_fmul(enum mpc_field_kind f, mpcsim_u128 a, mpcsim_u128 b)
{
    return f == MPC_FIELD_M127 ? f127_mul(a, b) : fp_mul((uint64_t)a, (uint64_t)b);
}

/* A signed 64-bit integer as an element (every int64 fits in m127; in
 * m61 the caller keeps |x| <= FP_HALF). */
static inline mpcsim_u128
mpc_ffrom_i64(enum mpc_field_kind f, int64_t x)
{
    if (f == MPC_FIELD_M127) {
        return f127_from_int64(x);
    }
    return x >= 0 ? (mpcsim_u128)fp_reduce64((uint64_t)x)
                  : (mpcsim_u128)fp_neg(fp_reduce64((uint64_t)0 - (uint64_t)x));
}

/* A signed 128-bit integer as an element; the caller keeps |x| within the
 * field's signed range ((p - 1) / 2), else the result is 0. */
static inline mpcsim_u128
mpc_ffrom_i128(enum mpc_field_kind f, mpcsim_i128 x)
{
    mpcsim_u128 e = 0;

    if (f == MPC_FIELD_M127) {
        return f127_from_int128(&e, x) == 0 ? e : 0;
    } else {
        uint64_t v = 0;

        return fp_from_int128(&v, x) == 0 ? (mpcsim_u128)v : 0;
    }
}

/* The signed value of a (a > (p-1)/2 is a - p). */
static inline mpcsim_i128
mpc_fto_i128(enum mpc_field_kind f, mpcsim_u128 a)
{
    return f == MPC_FIELD_M127 ? f127_to_int128(a) : (mpcsim_i128)fp_to_int64((uint64_t)a);
}

/* 2^k as an element, k < floor(log2 p). */
static inline mpcsim_u128
mpc_fpow2(unsigned k)
{
    return (mpcsim_u128)1 << k;
}

/* A uniform element from the stream. */
mpcsim_u128 mpc_fsample(enum mpc_field_kind f, struct fp_stream *s);
/* 1/a; MPCSIM_EZERODIV for 0. */
MPCSIM_NODISCARD int mpc_finv(enum mpc_field_kind f, mpcsim_u128 *out, mpcsim_u128 a);
void mpc_fencode(enum mpc_field_kind f, uint8_t *out, mpcsim_u128 a);
/* MPCSIM_EDECODE for a value >= p. */
MPCSIM_NODISCARD int mpc_fdecode(enum mpc_field_kind f, mpcsim_u128 *out, const uint8_t *in);
/* Reed-Solomon decoding (rs.h / f127_rs.h): same contract as rs_decode. */
MPCSIM_NODISCARD int mpc_frs_decode(enum mpc_field_kind f, mpcsim_u128 *coeffs, size_t *bad,
                                    size_t *nbad, const mpcsim_u128 *xs, const mpcsim_u128 *ys,
                                    size_t m, size_t t);

#endif /* MPCSIM_PROTOCOLS_MPC_MPC_FIELD_H */
