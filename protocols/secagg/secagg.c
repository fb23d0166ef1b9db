/* SPDX-License-Identifier: MIT */
/*
 * protocols/secagg/secagg.c - see secagg.h.
 *
 * The PRG fills a 4 KiB stack buffer of keystream at a time (ChaCha20 of
 * a static zero block with a running block counter) and keeps or rejects
 * each 64-bit word; at L = 1000 one mask is two buffers.  Revisit if a
 * profile shows the word loop rather than ChaCha20.
 */
#include "protocols/secagg/secagg.h"

#include <string.h>

#include <sodium.h>

#include "protocols/field/fp.h"

#define SECAGG__BUF 4096 /* keystream bytes per ChaCha20 call */

static const uint8_t secagg__zero[SECAGG__BUF];
static const char secagg__label[] = "mpcsim-secagg";

/* see secagg.h */
int
secagg_keypair(struct secagg_keypair *kp, const uint8_t seed[SECAGG_KEY_BYTES])
{
    if (sodium_init() < 0) {
        return MPCSIM_ENOTSUP;
    }
    memcpy(kp->sk, seed, SECAGG_KEY_BYTES);
    if (crypto_scalarmult_base(kp->pk, kp->sk) != 0) {
        return MPCSIM_ENOTSUP; /* a clamped scalar never gives the identity */
    }
    return 0;
}

/* see secagg.h */
int
secagg_public_key(uint8_t pk[SECAGG_KEY_BYTES], const uint8_t sk[SECAGG_KEY_BYTES])
{
    return crypto_scalarmult_base(pk, sk) == 0 ? 0 : MPCSIM_EDECODE;
}

/* see secagg.h */
int
secagg_agree(uint8_t key[SECAGG_KEY_BYTES], const uint8_t my_sk[SECAGG_KEY_BYTES],
             const uint8_t my_pk[SECAGG_KEY_BYTES], const uint8_t their_pk[SECAGG_KEY_BYTES],
             enum secagg_domain domain)
{
    uint8_t q[crypto_scalarmult_BYTES];
    uint8_t dom = (uint8_t)domain;
    crypto_generichash_state st;
    int mine_first = memcmp(my_pk, their_pk, SECAGG_KEY_BYTES) < 0;

    if (crypto_scalarmult(q, my_sk, their_pk) != 0) {
        sodium_memzero(q, sizeof(q));
        return MPCSIM_EDECODE;
    }
    crypto_generichash_init(&st, NULL, 0, SECAGG_KEY_BYTES);
    crypto_generichash_update(&st, (const uint8_t *)secagg__label, sizeof(secagg__label) - 1);
    crypto_generichash_update(&st, &dom, 1);
    crypto_generichash_update(&st, q, sizeof(q));
    crypto_generichash_update(&st, mine_first ? my_pk : their_pk, SECAGG_KEY_BYTES);
    crypto_generichash_update(&st, mine_first ? their_pk : my_pk, SECAGG_KEY_BYTES);
    crypto_generichash_final(&st, key, SECAGG_KEY_BYTES);
    sodium_memzero(q, sizeof(q));
    sodium_memzero(&st, sizeof(st));
    return 0;
}

/* see secagg.h */
int
secagg_public_key_ok(const uint8_t pk[SECAGG_KEY_BYTES])
{
    /* Any fixed non-zero scalar: X25519 gives zero exactly for low-order points. */
    static const uint8_t probe[SECAGG_KEY_BYTES] = {0x77, 0x07, 0x6d, 0x0a, 0x73, 0x18, 0xa5, 0x7d,
                                                    0x3c, 0x16, 0xc1, 0x72, 0x51, 0xb2, 0x66, 0x45,
                                                    0xdf, 0x4c, 0x2f, 0x87, 0xeb, 0xc0, 0x99, 0x2a,
                                                    0xb1, 0x77, 0xfb, 0xa5, 0x1d, 0xb9, 0x2c, 0x2a};
    uint8_t q[crypto_scalarmult_BYTES];
    int ok = crypto_scalarmult(q, probe, pk) == 0;

    sodium_memzero(q, sizeof(q));
    return ok;
}

/*
 * Walk PRG(seed): sign 0 stores, +1 adds, -1 subtracts.  Words are the
 * keystream's little-endian 64-bit words in order.
 */
static void
secagg__prg(uint64_t *acc, size_t len, const uint8_t seed[SECAGG_KEY_BYTES], int sign)
{
    uint8_t buf[SECAGG__BUF];
    static const uint8_t nonce[crypto_stream_chacha20_NONCEBYTES];
    uint64_t block = 0;
    size_t k = 0;

    while (k < len) {
        size_t want = (len - k) * 8;
        size_t bytes = want < SECAGG__BUF ? (want + 63) / 64 * 64 : SECAGG__BUF;

        (void)crypto_stream_chacha20_xor_ic(buf, secagg__zero, bytes, nonce, block, seed);
        block += bytes / 64;
        for (size_t o = 0; o < bytes && k < len; o += 8) {
            uint64_t w = 0;

            memcpy(&w, buf + o, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
            w = __builtin_bswap64(w);
#endif
            w &= FP_P;
            if (MPCSIM_UNLIKELY(w == FP_P)) {
                continue;
            }
            if (sign == 0) {
                acc[k] = w;
            } else if (sign > 0) {
                acc[k] = fp_add(acc[k], w);
            } else {
                acc[k] = fp_sub(acc[k], w);
            }
            k++;
        }
    }
    sodium_memzero(buf, sizeof(buf));
}

/* see secagg.h */
void
secagg_prg_expand(uint64_t *out, size_t len, const uint8_t seed[SECAGG_KEY_BYTES])
{
    secagg__prg(out, len, seed, 0);
}

/* see secagg.h */
void
secagg_prg_add(uint64_t *acc, size_t len, const uint8_t seed[SECAGG_KEY_BYTES], int sign)
{
    if (sign != 0) {
        secagg__prg(acc, len, seed, sign > 0 ? 1 : -1);
    }
}

/* see secagg.h */
void
secagg_prg_add_mod2k(uint64_t *acc, size_t len, const uint8_t seed[SECAGG_KEY_BYTES], int sign,
                     unsigned bits)
{
    uint8_t buf[SECAGG__BUF];
    static const uint8_t nonce[crypto_stream_chacha20_NONCEBYTES];
    const uint64_t mask = bits >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << bits) - 1;
    uint64_t block = 0;
    size_t k = 0;

    MPCSIM_ASSERT(bits >= 1 && bits <= 64);
    if (sign == 0) {
        return;
    }
    while (k < len) {
        size_t want = (len - k) * 8;
        size_t bytes = want < SECAGG__BUF ? (want + 63) / 64 * 64 : SECAGG__BUF;

        (void)crypto_stream_chacha20_xor_ic(buf, secagg__zero, bytes, nonce, block, seed);
        block += bytes / 64;
        for (size_t o = 0; o < bytes && k < len; o += 8, k++) {
            uint64_t w = 0;

            memcpy(&w, buf + o, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
            w = __builtin_bswap64(w);
#endif
            acc[k] = (sign > 0 ? acc[k] + w : acc[k] - w) & mask;
        }
    }
    sodium_memzero(buf, sizeof(buf));
}

/* see secagg.h */
void
secagg_pack(uint8_t *out, const uint64_t *v, size_t count, unsigned bits)
{
    size_t nbytes = SECAGG_PACKED_BYTES(count, bits);
    size_t o = 0;
    uint64_t acc = 0; /* pending bits, low first */
    unsigned have = 0;

    MPCSIM_ASSERT(bits >= 1 && bits <= 64);
    for (size_t k = 0; k < count; k++) {
        uint64_t x = v[k];
        unsigned left = bits;

        MPCSIM_ASSERT(bits == 64 || (x >> bits) == 0);
        while (left > 0) {
            unsigned take = 64 - have < left ? 64 - have : left;
            uint64_t part = take == 64 ? x : x & ((UINT64_C(1) << take) - 1);

            acc |= have == 64 ? 0 : part << have;
            have += take;
            x = take == 64 ? 0 : x >> take;
            left -= take;
            while (have >= 8) {
                out[o++] = (uint8_t)acc;
                acc >>= 8;
                have -= 8;
            }
        }
    }
    if (have > 0) {
        out[o++] = (uint8_t)acc;
    }
    MPCSIM_ASSERT(o == nbytes);
}

/* see secagg.h */
int
secagg_unpack(uint64_t *v, const uint8_t *in, size_t count, unsigned bits)
{
    size_t nbytes = SECAGG_PACKED_BYTES(count, bits);
    size_t i = 0;
    uint64_t acc = 0;
    unsigned have = 0;

    MPCSIM_ASSERT(bits >= 1 && bits <= 64);
    for (size_t k = 0; k < count; k++) {
        uint64_t x = 0;
        unsigned got = 0;

        while (got < bits) {
            unsigned take;

            if (have == 0) {
                acc = in[i++];
                have = 8;
            }
            take = bits - got < have ? bits - got : have;
            x |= (acc & ((1u << take) - 1)) << got;
            acc >>= take;
            have -= take;
            got += take;
        }
        v[k] = x;
    }
    MPCSIM_ASSERT(i == nbytes);
    return acc == 0 ? 0 : MPCSIM_EDECODE; /* spare bits of the last byte */
}

/* see secagg.h */
void
secagg_secret_encode(uint64_t e[SECAGG_SECRET_ELEMS], const uint8_t secret[SECAGG_KEY_BYTES])
{
    for (int i = 0; i < SECAGG_SECRET_ELEMS; i++) {
        int nb = i < 4 ? 7 : 4;

        e[i] = 0;
        for (int b = nb - 1; b >= 0; b--) {
            e[i] = (e[i] << 8) | secret[7 * i + b];
        }
    }
}

/* see secagg.h */
int
secagg_secret_decode(uint8_t secret[SECAGG_KEY_BYTES], const uint64_t e[SECAGG_SECRET_ELEMS])
{
    for (int i = 0; i < SECAGG_SECRET_ELEMS; i++) {
        int nb = i < 4 ? 7 : 4;

        if ((e[i] >> (8 * nb)) != 0) {
            return MPCSIM_EDECODE;
        }
        for (int b = 0; b < nb; b++) {
            secret[7 * i + b] = (uint8_t)(e[i] >> (8 * b));
        }
    }
    return 0;
}

/* see secagg.h */
void
secagg_share_secrets(const struct shamir_ctx *sh, uint64_t *rows, uint64_t *scratch,
                     const uint8_t sk[SECAGG_KEY_BYTES], const uint8_t b[SECAGG_KEY_BYTES],
                     struct fp_stream *rng)
{
    uint64_t sec[SECAGG_SHARE_ELEMS];

    secagg_secret_encode(sec, sk);
    secagg_secret_encode(sec + SECAGG_SECRET_ELEMS, b);
    shamir_share_vec(sh, rows, scratch, sec, SECAGG_SHARE_ELEMS, rng);
    sodium_memzero(sec, sizeof(sec));
}

static void
secagg__nonce(uint8_t nonce[crypto_aead_chacha20poly1305_ietf_NPUBBYTES], uint32_t from,
              uint32_t to)
{
    memset(nonce, 0, crypto_aead_chacha20poly1305_ietf_NPUBBYTES);
    for (int b = 0; b < 4; b++) {
        nonce[b] = (uint8_t)(from >> (8 * b));
        nonce[4 + b] = (uint8_t)(to >> (8 * b));
    }
}

/* see secagg.h */
void
secagg_seal(uint8_t ct[SECAGG_CT_BYTES], const uint8_t key[SECAGG_KEY_BYTES], uint32_t from,
            uint32_t to, const uint64_t share[SECAGG_SHARE_ELEMS])
{
    uint8_t pt[SECAGG_CT_BYTES - SECAGG_AEAD_ABYTES];
    uint8_t nonce[crypto_aead_chacha20poly1305_ietf_NPUBBYTES];

    secagg_pack(pt, share, SECAGG_SHARE_ELEMS, SECAGG_ELEM_BITS);
    secagg__nonce(nonce, from, to);
    (void)crypto_aead_chacha20poly1305_ietf_encrypt(ct, NULL, pt, sizeof(pt), NULL, 0, NULL, nonce,
                                                    key);
    sodium_memzero(pt, sizeof(pt));
}

/* see secagg.h */
int
secagg_open(uint64_t share[SECAGG_SHARE_ELEMS], const uint8_t key[SECAGG_KEY_BYTES], uint32_t from,
            uint32_t to, const uint8_t ct[SECAGG_CT_BYTES])
{
    uint8_t pt[SECAGG_CT_BYTES - SECAGG_AEAD_ABYTES];
    uint8_t nonce[crypto_aead_chacha20poly1305_ietf_NPUBBYTES];
    int rc = 0;

    secagg__nonce(nonce, from, to);
    if (crypto_aead_chacha20poly1305_ietf_decrypt(pt, NULL, NULL, ct, SECAGG_CT_BYTES, NULL, 0,
                                                  nonce, key) != 0) {
        return MPCSIM_EDECODE;
    }
    if (secagg_unpack(share, pt, SECAGG_SHARE_ELEMS, SECAGG_ELEM_BITS) != 0) {
        rc = MPCSIM_EDECODE;
    }
    for (int k = 0; rc == 0 && k < SECAGG_SHARE_ELEMS; k++) {
        if (share[k] >= FP_P) {
            rc = MPCSIM_EDECODE;
        }
    }
    sodium_memzero(pt, sizeof(pt));
    return rc;
}

/* see secagg.h */
void
secagg_commit(uint8_t out[SECAGG_COMMIT_BYTES], const uint8_t b[SECAGG_KEY_BYTES])
{
    static const char label[] = "mpcsim-secagg-b";
    crypto_generichash_state st;

    crypto_generichash_init(&st, NULL, 0, SECAGG_COMMIT_BYTES);
    crypto_generichash_update(&st, (const uint8_t *)label, sizeof(label) - 1);
    crypto_generichash_update(&st, b, SECAGG_KEY_BYTES);
    crypto_generichash_final(&st, out, SECAGG_COMMIT_BYTES);
}

/* Bytes of a party id in a set list: the fewest that hold n - 1. */
static size_t
secagg__idw(int n)
{
    size_t w = 1;

    while (w < 4 && ((uint64_t)(n - 1) >> (8 * w)) != 0) {
        w++;
    }
    return w;
}

static int
secagg__set_is_list(int n, size_t m)
{
    return secagg__idw(n) * (m + 1) < ((size_t)n + 7) / 8;
}

static void
secagg__put_id(uint8_t *out, size_t w, size_t v)
{
    for (size_t i = 0; i < w; i++) {
        out[i] = (uint8_t)(v >> (8 * i));
    }
}

static size_t
secagg__get_id(const uint8_t *in, size_t w)
{
    size_t v = 0;

    for (size_t i = 0; i < w; i++) {
        v |= (size_t)in[i] << (8 * i);
    }
    return v;
}

/* see secagg.h */
size_t
secagg_set_bytes(int n, size_t m)
{
    return 1 + (secagg__set_is_list(n, m) ? secagg__idw(n) * (m + 1) : ((size_t)n + 7) / 8);
}

/* see secagg.h */
size_t
secagg_set_write(uint8_t *out, int n, const int *ids, size_t m)
{
    size_t w = secagg__idw(n), bm = ((size_t)n + 7) / 8;

    if (secagg__set_is_list(n, m)) {
        out[0] = 1;
        secagg__put_id(out + 1, w, m);
        for (size_t i = 0; i < m; i++) {
            secagg__put_id(out + 1 + w * (i + 1), w, (size_t)ids[i]);
        }
        return 1 + w * (m + 1);
    }
    out[0] = 0;
    memset(out + 1, 0, bm);
    for (size_t i = 0; i < m; i++) {
        out[1 + ids[i] / 8] |= (uint8_t)(1u << (ids[i] % 8));
    }
    return 1 + bm;
}

/* see secagg.h */
int
secagg_set_parse(int *ids, size_t cap, size_t *m, size_t *used, int n, const uint8_t *in,
                 size_t len)
{
    size_t w = secagg__idw(n), bm = ((size_t)n + 7) / 8;
    size_t c = 0;

    if (len < 1) {
        return MPCSIM_EDECODE;
    }
    if (in[0] == 1) {
        if (len < 1 + w) {
            return MPCSIM_EDECODE;
        }
        c = secagg__get_id(in + 1, w);
        if (c > cap || (len - 1) / w < c + 1 || !secagg__set_is_list(n, c)) {
            return MPCSIM_EDECODE;
        }
        for (size_t i = 0; i < c; i++) {
            size_t v = secagg__get_id(in + 1 + w * (i + 1), w);

            if (v == 0 || v >= (size_t)n || (i > 0 && v <= (size_t)ids[i - 1])) {
                return MPCSIM_EDECODE;
            }
            ids[i] = (int)v;
        }
        *m = c;
        *used = 1 + w * (c + 1);
        return 0;
    }
    if (in[0] != 0 || len - 1 < bm) {
        return MPCSIM_EDECODE;
    }
    for (size_t i = 0; i < bm * 8; i++) {
        if (!((in[1 + i / 8] >> (i % 8)) & 1)) {
            continue;
        }
        if (i == 0 || i >= (size_t)n || c == cap) {
            return MPCSIM_EDECODE;
        }
        ids[c++] = (int)i;
    }
    if (secagg__set_is_list(n, c)) {
        return MPCSIM_EDECODE;
    }
    *m = c;
    *used = 1 + bm;
    return 0;
}

/* see secagg.h */
void
secagg_prg_add_mod2k_wide(mpcsim_u128 *acc, size_t len, const uint8_t seed[SECAGG_KEY_BYTES],
                          int sign, unsigned bits)
{
    uint8_t buf[SECAGG__BUF];
    static const uint8_t nonce[crypto_stream_chacha20_NONCEBYTES];
    const mpcsim_u128 mask = bits >= 128 ? ~(mpcsim_u128)0 : ((mpcsim_u128)1 << bits) - 1;
    const size_t eb = bits <= 64 ? 8 : 16; /* keystream bytes per element */
    uint64_t block = 0;
    size_t k = 0;

    MPCSIM_ASSERT(bits >= 1 && bits <= 128);
    if (sign == 0) {
        return;
    }
    while (k < len) {
        size_t want = (len - k) * eb;
        size_t bytes = want < SECAGG__BUF ? (want + 63) / 64 * 64 : SECAGG__BUF;

        (void)crypto_stream_chacha20_xor_ic(buf, secagg__zero, bytes, nonce, block, seed);
        block += bytes / 64;
        for (size_t o = 0; o + eb <= bytes && k < len; o += eb, k++) {
            uint64_t lo = 0, hi = 0;
            mpcsim_u128 w;

            memcpy(&lo, buf + o, 8);
            if (eb == 16) {
                memcpy(&hi, buf + o + 8, 8);
            }
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
            lo = __builtin_bswap64(lo);
            hi = __builtin_bswap64(hi);
#endif
            w = (mpcsim_u128)hi << 64 | lo;
            acc[k] = (sign > 0 ? acc[k] + w : acc[k] - w) & mask;
        }
    }
    sodium_memzero(buf, sizeof(buf));
}

/* Values per chunk when the wide codecs go through the 64-bit ones (a
 * multiple of 8, so every chunk ends on a byte boundary). */
#define SECAGG__CHUNK 64

/* see secagg.h */
void
secagg_pack_wide(uint8_t *out, const mpcsim_u128 *v, size_t count, unsigned bits)
{
    uint64_t tmp[2 * SECAGG__CHUNK];

    MPCSIM_ASSERT(bits >= 1 && bits <= 128);
    for (size_t k = 0; k < count; k += SECAGG__CHUNK) {
        size_t c = count - k < SECAGG__CHUNK ? count - k : SECAGG__CHUNK;

        if (bits <= 64) {
            for (size_t i = 0; i < c; i++) {
                tmp[i] = (uint64_t)v[k + i];
            }
            secagg_pack(out + k / 8 * bits, tmp, c, bits);
            continue;
        }
        /* bits > 64: value k is its low 64 bits, then its high bits - 64 */
        for (size_t i = 0; i < c; i++) {
            MPCSIM_ASSERT(bits == 128 || (v[k + i] >> bits) == 0);
            tmp[2 * i] = (uint64_t)v[k + i];
            tmp[2 * i + 1] = (uint64_t)(v[k + i] >> 64);
        }
        {
            /* pack lo (64) and hi (bits - 64) alternately: one bit string */
            uint8_t *o = out + k / 8 * bits;
            size_t pos = 0; /* bits written from o */

            memset(o, 0, SECAGG_PACKED_BYTES(c, bits));
            for (size_t i = 0; i < 2 * c; i++) {
                unsigned nb = i % 2 == 0 ? 64 : bits - 64;
                uint64_t x = tmp[i];

                for (unsigned b = 0; b < nb;) {
                    unsigned off = (unsigned)(pos % 8);
                    unsigned take = 8 - off < nb - b ? 8 - off : nb - b;

                    o[pos / 8] |= (uint8_t)((x >> b & ((1u << take) - 1)) << off);
                    b += take;
                    pos += take;
                }
            }
        }
    }
}

/* see secagg.h */
int
secagg_unpack_wide(mpcsim_u128 *v, const uint8_t *in, size_t count, unsigned bits)
{
    uint64_t tmp[SECAGG__CHUNK];

    MPCSIM_ASSERT(bits >= 1 && bits <= 128);
    for (size_t k = 0; k < count; k += SECAGG__CHUNK) {
        size_t c = count - k < SECAGG__CHUNK ? count - k : SECAGG__CHUNK;
        const uint8_t *p = in + k / 8 * bits;

        if (bits <= 64) {
            if (secagg_unpack(tmp, p, c, bits) != 0) {
                return MPCSIM_EDECODE;
            }
            for (size_t i = 0; i < c; i++) {
                v[k + i] = tmp[i];
            }
            continue;
        }
        {
            size_t pos = 0;
            size_t nbytes = SECAGG_PACKED_BYTES(c, bits);

            for (size_t i = 0; i < c; i++) {
                mpcsim_u128 x = 0;

                for (unsigned b = 0; b < bits;) {
                    unsigned off = (unsigned)(pos % 8);
                    unsigned take = 8 - off < bits - b ? 8 - off : bits - b;

                    x |= (mpcsim_u128)((p[pos / 8] >> off) & ((1u << take) - 1)) << b;
                    b += take;
                    pos += take;
                }
                v[k + i] = x;
            }
            if (pos % 8 != 0 && (p[nbytes - 1] >> (pos % 8)) != 0) {
                return MPCSIM_EDECODE; /* spare bits of the last byte */
            }
        }
    }
    return 0;
}
