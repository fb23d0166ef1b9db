/* SPDX-License-Identifier: MIT */
/*
 * protocols/additive/additive.c - see additive.h.
 *
 * Everything here is a linear pass over the data; the only cost worth
 * noting is sampling (one ChaCha20 element per share, ~3.5 ns), which
 * dominates additive_share for small len.
 */
#include "protocols/additive/additive.h"

#include <string.h>

#include <sodium.h>

#include "protocols/field/fp.h"

/* Stream id of the MAC-check coefficient stream ("MACCHK"). */
#define ADDITIVE__COEFF_STREAM UINT64_C(0x4b4843434d41)

/* see additive.h */
void
additive_share(uint64_t *shares, size_t n, const uint64_t *secret, size_t len,
               struct fp_stream *rng)
{
    uint64_t *last;

    MPCSIM_ASSERT(n >= 1);
    last = shares + (n - 1) * len;
    memcpy(last, secret, len * sizeof(*last));
    for (size_t j = 0; j + 1 < n; j++) {
        uint64_t *row = shares + j * len;

        fp_stream_fill(rng, row, len);
        for (size_t k = 0; k < len; k++) {
            last[k] = fp_sub(last[k], row[k]);
        }
    }
}

/* see additive.h */
void
additive_reconstruct(uint64_t *out, const uint64_t *shares, size_t n, size_t len)
{
    memset(out, 0, len * sizeof(*out));
    for (size_t j = 0; j < n; j++) {
        const uint64_t *row = shares + j * len;

        for (size_t k = 0; k < len; k++) {
            out[k] = fp_add(out[k], row[k]);
        }
    }
}

/* see additive.h */
void
additive_share_mac(uint64_t *shares, uint64_t *mac, size_t n, const uint64_t *secret, size_t len,
                   uint64_t alpha, struct fp_stream *rng)
{
    uint64_t *last;

    additive_share(shares, n, secret, len, rng);
    last = mac + (n - 1) * len;
    for (size_t k = 0; k < len; k++) {
        last[k] = fp_mul(alpha, secret[k]);
    }
    for (size_t j = 0; j + 1 < n; j++) {
        uint64_t *row = mac + j * len;

        fp_stream_fill(rng, row, len);
        for (size_t k = 0; k < len; k++) {
            last[k] = fp_sub(last[k], row[k]);
        }
    }
}

/* Split v into n shares written to base[j * stride].field, via a field offset. */
static void
additive__split(struct additive_triple *base, size_t n, size_t stride, size_t offset, uint64_t v,
                struct fp_stream *rng)
{
    uint64_t rest = v;

    for (size_t j = 0; j + 1 < n; j++) {
        uint64_t s = fp_stream_next(rng);
        uint64_t *slot = (uint64_t *)((uint8_t *)&base[j * stride] + offset);

        *slot = s;
        rest = fp_sub(rest, s);
    }
    *(uint64_t *)((uint8_t *)&base[(n - 1) * stride] + offset) = rest;
}

/* see additive.h */
void
additive_deal_triples(struct additive_triple *out, size_t n, size_t count, int mac, uint64_t alpha,
                      struct fp_stream *rng)
{
    MPCSIM_ASSERT(n >= 1);
    for (size_t i = 0; i < count; i++) {
        uint64_t a = fp_stream_next(rng);
        uint64_t b = fp_stream_next(rng);
        uint64_t c = fp_mul(a, b);
        struct additive_triple *col = out + i;

        additive__split(col, n, count, offsetof(struct additive_triple, a), a, rng);
        additive__split(col, n, count, offsetof(struct additive_triple, b), b, rng);
        additive__split(col, n, count, offsetof(struct additive_triple, c), c, rng);
        if (mac) {
            additive__split(col, n, count, offsetof(struct additive_triple, ma), fp_mul(alpha, a),
                            rng);
            additive__split(col, n, count, offsetof(struct additive_triple, mb), fp_mul(alpha, b),
                            rng);
            additive__split(col, n, count, offsetof(struct additive_triple, mc), fp_mul(alpha, c),
                            rng);
        } else {
            for (size_t j = 0; j < n; j++) {
                col[j * count].ma = 0;
                col[j * count].mb = 0;
                col[j * count].mc = 0;
            }
        }
    }
}

/* see additive.h */
void
additive_beaver_open(uint64_t *d, uint64_t *e, uint64_t x, uint64_t y,
                     const struct additive_triple *tr)
{
    *d = fp_sub(x, tr->a);
    *e = fp_sub(y, tr->b);
}

/* see additive.h */
uint64_t
additive_beaver_finish(const struct additive_triple *tr, uint64_t d, uint64_t e, int first)
{
    uint64_t z = fp_add(tr->c, fp_add(fp_mul(d, tr->b), fp_mul(e, tr->a)));

    if (first) {
        z = fp_add(z, fp_mul(d, e));
    }
    return z;
}

/* see additive.h */
uint64_t
additive_beaver_finish_mac(const struct additive_triple *tr, uint64_t d, uint64_t e,
                           uint64_t alpha_share)
{
    uint64_t m = fp_add(tr->mc, fp_add(fp_mul(d, tr->mb), fp_mul(e, tr->ma)));

    return fp_add(m, fp_mul(alpha_share, fp_mul(d, e)));
}

/* see additive.h */
int
additive_mac_coeffs(uint64_t *coeffs, const uint64_t *values, size_t count)
{
    crypto_generichash_state st;
    uint8_t key[crypto_generichash_BYTES];
    uint8_t buf[64 * FP_BYTES];
    struct fp_stream *s = NULL;
    int rc;

    if (sodium_init() < 0) {
        return MPCSIM_ENOTSUP;
    }
    crypto_generichash_init(&st, NULL, 0, sizeof(key));
    for (size_t i = 0; i < count; i += 64) {
        size_t m = count - i < 64 ? count - i : 64;

        fp_vec_encode(buf, values + i, m);
        crypto_generichash_update(&st, buf, m * FP_BYTES);
    }
    crypto_generichash_final(&st, key, sizeof(key));
    rc = fp_stream_create(&s, key, ADDITIVE__COEFF_STREAM);
    if (rc != 0) {
        return rc;
    }
    fp_stream_fill(s, coeffs, count);
    fp_stream_destroy(s);
    return 0;
}

/* see additive.h */
uint64_t
additive_mac_sigma(const uint64_t *values, const uint64_t *mac, const uint64_t *coeffs,
                   size_t count, uint64_t alpha_share)
{
    uint64_t sigma = 0;

    for (size_t k = 0; k < count; k++) {
        uint64_t diff = fp_sub(mac[k], fp_mul(alpha_share, values[k]));

        sigma = fp_add(sigma, fp_mul(coeffs[k], diff));
    }
    return sigma;
}

/* see additive.h */
void
additive_commit(uint8_t out[ADDITIVE_COMMIT_BYTES], uint64_t sigma,
                const uint8_t nonce[ADDITIVE_NONCE_BYTES])
{
    uint8_t msg[FP_BYTES + ADDITIVE_NONCE_BYTES];

    fp_encode(msg, sigma);
    memcpy(msg + FP_BYTES, nonce, ADDITIVE_NONCE_BYTES);
    crypto_generichash(out, ADDITIVE_COMMIT_BYTES, msg, sizeof(msg), NULL, 0);
}

/* see additive.h */
int
additive_commit_verify(const uint8_t commit[ADDITIVE_COMMIT_BYTES], uint64_t sigma,
                       const uint8_t nonce[ADDITIVE_NONCE_BYTES])
{
    uint8_t again[ADDITIVE_COMMIT_BYTES];

    additive_commit(again, sigma, nonce);
    return sodium_memcmp(again, commit, ADDITIVE_COMMIT_BYTES) == 0;
}

/* see additive.h */
int
additive_mac_accept(const uint64_t *sigma, size_t n)
{
    uint64_t s = 0;

    for (size_t j = 0; j < n; j++) {
        s = fp_add(s, sigma[j]);
    }
    return s == 0;
}
