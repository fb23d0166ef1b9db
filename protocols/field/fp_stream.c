/* SPDX-License-Identifier: MIT */
/*
 * protocols/field/fp_stream.c - see fp_stream.h.
 *
 * The keystream is generated FP_STREAM__BUF bytes (16 ChaCha20 blocks) at a
 * time with crypto_stream_chacha20_xor_ic over a zero buffer: one call per
 * 128 elements keeps libsodium's per-call overhead small.
 */
#include "protocols/field/fp_stream.h"

#include <string.h>

#include <sodium.h>

#include "common/alloc.h"
#include "protocols/field/fp.h"

#define FP_STREAM__BUF 1024
#define FP_STREAM__BLOCK 64

struct fp_stream {
    uint8_t key[FP_STREAM_KEYBYTES];
    uint8_t nonce[8];
    uint64_t counter; /* next ChaCha20 block */
    size_t pos;       /* next unread byte of buf */
    uint8_t buf[FP_STREAM__BUF];
};

/* Refill buf with the next FP_STREAM__BUF keystream bytes. */
static void
fp_stream__refill(struct fp_stream *s)
{
    memset(s->buf, 0, sizeof(s->buf));
    (void)crypto_stream_chacha20_xor_ic(s->buf, s->buf, sizeof(s->buf), s->nonce, s->counter,
                                        s->key);
    s->counter += FP_STREAM__BUF / FP_STREAM__BLOCK;
    s->pos = 0;
}

/* see fp_stream.h */
int
fp_stream_create(struct fp_stream **out, const uint8_t key[FP_STREAM_KEYBYTES], uint64_t stream_id)
{
    struct fp_stream *s = NULL;

    if (sodium_init() < 0) {
        return MPCSIM_ENOTSUP;
    }
    s = mpcsim_malloc(sizeof(*s));
    if (s == NULL) {
        return MPCSIM_ENOMEM;
    }
    memcpy(s->key, key, FP_STREAM_KEYBYTES);
    for (int i = 0; i < 8; i++) {
        s->nonce[i] = (uint8_t)(stream_id >> (8 * i));
    }
    s->counter = 0;
    fp_stream__refill(s);
    *out = s;
    return 0;
}

/* see fp_stream.h */
void
fp_stream_destroy(struct fp_stream *s)
{
    if (s == NULL) {
        return;
    }
    sodium_memzero(s, sizeof(*s));
    mpcsim_free(s);
}

/* see fp_stream.h */
uint64_t
fp_stream_next(struct fp_stream *s)
{
    for (;;) {
        uint64_t v = 0;

        if (s->pos + 8 > FP_STREAM__BUF) {
            fp_stream__refill(s);
        }
        memcpy(&v, s->buf + s->pos, sizeof(v));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        v = __builtin_bswap64(v);
#endif
        s->pos += 8;
        v &= FP_P;
        if (v != FP_P) {
            return v;
        }
    }
}

/* see fp_stream.h.  Reads whole buffers at a time; same values as fp_stream_next. */
void
fp_stream_fill(struct fp_stream *s, uint64_t *out, size_t n)
{
    size_t i = 0;

    while (i < n) {
        const uint8_t *src; /* locals: a store to out[] may alias s->pos */
        size_t words, j;

        if (s->pos + 8 > FP_STREAM__BUF) {
            fp_stream__refill(s);
        }
        src = s->buf + s->pos;
        words = (FP_STREAM__BUF - s->pos) / 8;
        if (words > n - i) {
            words = n - i;
        }
        for (j = 0; j < words; j++) {
            uint64_t v;

            memcpy(&v, src + 8 * j, sizeof(v));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
            v = __builtin_bswap64(v);
#endif
            v &= FP_P;
            if (MPCSIM_UNLIKELY(v == FP_P)) {
                j++;
                break; /* rejected (probability 2^-61): skip it, recount */
            }
            out[i++] = v;
        }
        s->pos += 8 * j;
    }
}

/* see fp_stream.h */
void
fp_stream_bytes(struct fp_stream *s, uint8_t *out, size_t len)
{
    while (len > 0) {
        size_t take;

        if (s->pos == FP_STREAM__BUF) {
            fp_stream__refill(s);
        }
        take = FP_STREAM__BUF - s->pos;
        if (take > len) {
            take = len;
        }
        memcpy(out, s->buf + s->pos, take);
        s->pos += take;
        out += take;
        len -= take;
    }
}
