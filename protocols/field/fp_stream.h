/* SPDX-License-Identifier: MIT */
/*
 * protocols/field/fp_stream.h - uniform field elements and bytes from a
 * ChaCha20 keystream (libsodium), for protocol randomness (shares, masks).
 *
 * A stream is keyed by 32 bytes and a 64-bit stream id (the ChaCha20
 * nonce), so one key can feed several independent streams and a seed
 * replays exactly.  Elements are drawn by rejection: the low 61 bits of a
 * little-endian 64-bit keystream word, rejected if equal to p (probability
 * 2^-61), so they are exactly uniform.  Elements and bytes share one
 * keystream, consumed in call order.  Not thread-safe: one stream per party.
 */
#ifndef MPCSIM_PROTOCOLS_FIELD_FP_STREAM_H
#define MPCSIM_PROTOCOLS_FIELD_FP_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "common/mpcsim.h" /* MPCSIM_NODISCARD, MPCSIM_E* */

#define FP_STREAM_KEYBYTES 32

struct fp_stream; /* opaque */

/*
 * Create a stream keyed by key[0..32) and stream_id.  The key is copied
 * (the caller may clear its copy).  On success stores the stream in *out
 * (caller owns it; free with fp_stream_destroy()) and returns 0.  Returns
 * MPCSIM_ENOMEM, or MPCSIM_ENOTSUP if libsodium fails to initialise,
 * leaving *out untouched.
 */
MPCSIM_NODISCARD int fp_stream_create(struct fp_stream **out, const uint8_t key[FP_STREAM_KEYBYTES],
                                      uint64_t stream_id);

/* Clear the key and buffered keystream, then free.  NULL does nothing. */
void fp_stream_destroy(struct fp_stream *s);

/* The next uniform element of [0, p). */
uint64_t fp_stream_next(struct fp_stream *s);

/* n uniform elements into out[0..n). */
void fp_stream_fill(struct fp_stream *s, uint64_t *out, size_t n);

/* len keystream bytes into out[0..len). */
void fp_stream_bytes(struct fp_stream *s, uint8_t *out, size_t len);

#endif /* MPCSIM_PROTOCOLS_FIELD_FP_STREAM_H */
