/* SPDX-License-Identifier: MIT */
/*
 * protocols/field/f127_stream.h - uniform GF(2^127 - 1) elements from an
 * fp_stream (fp_stream.h: ChaCha20 keyed by 32 bytes and a stream id), so
 * that a protocol running in m127 draws its shares and masks from the
 * same per-party streams as in m61.
 *
 * An element is 16 keystream bytes read little-endian with the top bit
 * cleared, rejected if equal to p (probability 2^-127): exactly uniform.
 * Elements, m61 elements and bytes share the stream's keystream in call
 * order.
 */
#ifndef MPCSIM_PROTOCOLS_FIELD_F127_STREAM_H
#define MPCSIM_PROTOCOLS_FIELD_F127_STREAM_H

#include <stddef.h>

#include "common/mpcsim.h" /* mpcsim_u128 */
#include "protocols/field/fp_stream.h"

/* The next uniform element of [0, 2^127 - 1). */
mpcsim_u128 f127_stream_next(struct fp_stream *s);

/* n uniform elements into out[0..n). */
void f127_stream_fill(struct fp_stream *s, mpcsim_u128 *out, size_t n);

#endif /* MPCSIM_PROTOCOLS_FIELD_F127_STREAM_H */
