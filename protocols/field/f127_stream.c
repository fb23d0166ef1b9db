/* SPDX-License-Identifier: MIT */
/*
 * protocols/field/f127_stream.c - see f127_stream.h.
 */
#include "protocols/field/f127_stream.h"

#include "protocols/field/f127.h"

/* see f127_stream.h */
mpcsim_u128
f127_stream_next(struct fp_stream *s)
{
    for (;;) {
        uint8_t buf[F127_BYTES];
        mpcsim_u128 v = 0;

        fp_stream_bytes(s, buf, sizeof(buf));
        for (int i = F127_BYTES - 1; i >= 0; i--) {
            v = (v << 8) | buf[i];
        }
        v &= F127_P;
        if (v != F127_P) {
            return v;
        }
    }
}

/* see f127_stream.h */
void
f127_stream_fill(struct fp_stream *s, mpcsim_u128 *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        out[i] = f127_stream_next(s);
    }
}
