/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/fuzz_rs_decode.c - Reed-Solomon decoding (rs_decode) on
 * points, degree and values from the fuzz bytes, checked against its
 * contract (rs.h):
 *   - 0: the polynomial has degree <= t and disagrees with at most
 *     floor((m - t - 1) / 2) points, exactly those named in bad[];
 *   - MPCSIM_ENOQUORUM iff m < t + 1; MPCSIM_EINVAL only with repeated xs;
 *   - a codeword with at most the radius of errors (mode 1) decodes to its
 *     own polynomial (unique decoding).
 * Layout: mode, m - 1, t, then 8-byte little-endian values (reduced mod
 * p; missing bytes read as 0).  Mode bit 0: 0 raw points (xs, then ys),
 * 1 a codeword: t + 1 coefficients, then per point x, an error flag byte
 * and an error value.  Mode bit 1: xs are one byte each (repeats likely).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/mpcsim.h"
#include "protocols/field/fp.h"
#include "protocols/field/poly.h"
#include "protocols/field/rs.h"
#include "tests/fuzz/fuzz.h"

#define RS_FUZZ_MAX_M 64

struct rs_fuzz_in {
    const uint8_t *p;
    size_t left;
};

static uint64_t
rs_fuzz_byte(struct rs_fuzz_in *in)
{
    uint64_t v = 0;

    if (in->left > 0) {
        v = *in->p++;
        in->left--;
    }
    return v;
}

static uint64_t
rs_fuzz_elem(struct rs_fuzz_in *in)
{
    uint64_t v = 0;

    for (int i = 0; i < 8; i++) {
        v |= rs_fuzz_byte(in) << (8 * i);
    }
    return fp_reduce64(v);
}

/* see fuzz.h */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rs_fuzz_in in = {data, size};
    uint64_t xs[RS_FUZZ_MAX_M], ys[RS_FUZZ_MAX_M], f[RS_FUZZ_MAX_M + 2], got[RS_FUZZ_MAX_M + 2];
    size_t bad[RS_FUZZ_MAX_M];
    uint8_t err[RS_FUZZ_MAX_M];
    size_t m, t, nbad = 0, nerr = 0, radius, k = 0;
    int mode, dup = 0, rc;

    if (size < 3) {
        return 0;
    }
    mode = (int)rs_fuzz_byte(&in);
    m = 1 + (size_t)rs_fuzz_byte(&in) % RS_FUZZ_MAX_M;
    t = (size_t)rs_fuzz_byte(&in) % (m + 2); /* t >= m: no quorum; t + 1 <= MAX_M + 2 */
    memset(f, 0, sizeof(f));
    memset(err, 0, sizeof(err));
    if (mode & 1) {
        for (size_t i = 0; i <= t; i++) {
            f[i] = rs_fuzz_elem(&in);
        }
    }
    for (size_t i = 0; i < m; i++) {
        xs[i] = (mode & 2) ? rs_fuzz_byte(&in) : rs_fuzz_elem(&in);
        if (mode & 1) {
            uint64_t e;

            err[i] = (uint8_t)(rs_fuzz_byte(&in) & 1);
            e = rs_fuzz_elem(&in);
            if (e == 0) {
                err[i] = 0;
            }
            ys[i] = fp_add(poly_eval(f, t + 1, xs[i]), err[i] ? e : 0);
            nerr += err[i];
        }
    }
    if (!(mode & 1)) {
        for (size_t i = 0; i < m; i++) {
            ys[i] = rs_fuzz_elem(&in);
        }
    }
    for (size_t i = 0; i < m; i++) {
        for (size_t j = 0; j < i; j++) {
            dup |= xs[i] == xs[j];
        }
    }
    memset(got, 0xa5, sizeof(got));
    rc = rs_decode(got, bad, &nbad, xs, ys, m, t);
    radius = rs_max_errors(m, t);
    if (m < t + 1) {
        MPCSIM_ASSERT(rc == MPCSIM_ENOQUORUM);
        return 0;
    }
    MPCSIM_ASSERT(rc == 0 || rc == MPCSIM_EDECODE || (rc == MPCSIM_EINVAL && dup));
    if (dup) {
        MPCSIM_ASSERT(rc == MPCSIM_EINVAL);
        return 0;
    }
    if ((mode & 1) && nerr <= radius) {
        MPCSIM_ASSERT(rc == 0);
        MPCSIM_ASSERT(memcmp(got, f, (t + 1) * sizeof(uint64_t)) == 0);
    }
    if (rc != 0) {
        return 0;
    }
    for (size_t i = 0; i <= t; i++) {
        MPCSIM_ASSERT(got[i] < FP_P);
    }
    MPCSIM_ASSERT(nbad <= radius);
    for (size_t i = 0; i < m; i++) {
        if (poly_eval(got, t + 1, xs[i]) != ys[i]) {
            MPCSIM_ASSERT(k < nbad && bad[k] == i);
            k++;
        }
    }
    MPCSIM_ASSERT(k == nbad);
    return 0;
}
