/* SPDX-License-Identifier: MIT */
/*
 * protocols/additive/additive_impl.h - additive.h's functions over the
 * field field_inst.h selected, named AD_FN(name) (additive.c includes it
 * once per field: the m61 names as declared, the m127 ones with _m127).
 */
/* Stream id of the MAC-check coefficient stream ("MACCHK"). */
#ifndef ADDITIVE__COEFF_STREAM
#define ADDITIVE__COEFF_STREAM UINT64_C(0x4b4843434d41)
#endif

/* see additive.h */
void
AD_FN(additive_share)(FE *shares, size_t n, const FE *secret, size_t len, struct fp_stream *rng)
{
    FE *last;

    MPCSIM_ASSERT(n >= 1);
    last = shares + (n - 1) * len;
    memcpy(last, secret, len * sizeof(*last));
    for (size_t j = 0; j + 1 < n; j++) {
        FE *row = shares + j * len;

        FE_stream_fill(rng, row, len);
        for (size_t k = 0; k < len; k++) {
            last[k] = FE_sub(last[k], row[k]);
        }
    }
}

/* see additive.h */
void
AD_FN(additive_reconstruct)(FE *out, const FE *shares, size_t n, size_t len)
{
    memset(out, 0, len * sizeof(*out));
    for (size_t j = 0; j < n; j++) {
        const FE *row = shares + j * len;

        for (size_t k = 0; k < len; k++) {
            out[k] = FE_add(out[k], row[k]);
        }
    }
}

/* see additive.h */
void
AD_FN(additive_share_mac)(FE *shares, FE *mac, size_t n, const FE *secret, size_t len, FE alpha,
                          struct fp_stream *rng)
{
    FE *last;

    AD_FN(additive_share)(shares, n, secret, len, rng);
    last = mac + (n - 1) * len;
    for (size_t k = 0; k < len; k++) {
        last[k] = FE_mul(alpha, secret[k]);
    }
    for (size_t j = 0; j + 1 < n; j++) {
        FE *row = mac + j * len;

        FE_stream_fill(rng, row, len);
        for (size_t k = 0; k < len; k++) {
            last[k] = FE_sub(last[k], row[k]);
        }
    }
}

/* Split v into n shares written to base[j * stride].field, via a field offset. */
static void
AD_FN(additive__split)(struct AD_TRIPLE *base, size_t n, size_t stride, size_t offset, FE v,
                       struct fp_stream *rng)
{
    FE rest = v;

    for (size_t j = 0; j + 1 < n; j++) {
        FE s = FE_stream_next(rng);
        FE *slot = (FE *)((uint8_t *)&base[j * stride] + offset);

        *slot = s;
        rest = FE_sub(rest, s);
    }
    *(FE *)((uint8_t *)&base[(n - 1) * stride] + offset) = rest;
}

/* see additive.h */
void
AD_FN(additive_deal_triples)(struct AD_TRIPLE *out, size_t n, size_t count, int mac, FE alpha,
                             struct fp_stream *rng)
{
    MPCSIM_ASSERT(n >= 1);
    for (size_t i = 0; i < count; i++) {
        FE a = FE_stream_next(rng);
        FE b = FE_stream_next(rng);
        FE c = FE_mul(a, b);
        struct AD_TRIPLE *col = out + i;

        AD_FN(additive__split)(col, n, count, offsetof(struct AD_TRIPLE, a), a, rng);
        AD_FN(additive__split)(col, n, count, offsetof(struct AD_TRIPLE, b), b, rng);
        AD_FN(additive__split)(col, n, count, offsetof(struct AD_TRIPLE, c), c, rng);
        if (mac) {
            AD_FN(additive__split)
            (col, n, count, offsetof(struct AD_TRIPLE, ma), FE_mul(alpha, a), rng);
            AD_FN(additive__split)
            (col, n, count, offsetof(struct AD_TRIPLE, mb), FE_mul(alpha, b), rng);
            AD_FN(additive__split)
            (col, n, count, offsetof(struct AD_TRIPLE, mc), FE_mul(alpha, c), rng);
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
AD_FN(additive_beaver_open)(FE *d, FE *e, FE x, FE y, const struct AD_TRIPLE *tr)
{
    *d = FE_sub(x, tr->a);
    *e = FE_sub(y, tr->b);
}

/* see additive.h */
FE
AD_FN(additive_beaver_finish)(const struct AD_TRIPLE *tr, FE d, FE e, int first)
{
    FE z = FE_add(tr->c, FE_add(FE_mul(d, tr->b), FE_mul(e, tr->a)));

    if (first) {
        z = FE_add(z, FE_mul(d, e));
    }
    return z;
}

/* see additive.h */
FE
AD_FN(additive_beaver_finish_mac)(const struct AD_TRIPLE *tr, FE d, FE e, FE alpha_share)
{
    FE m = FE_add(tr->mc, FE_add(FE_mul(d, tr->mb), FE_mul(e, tr->ma)));

    return FE_add(m, FE_mul(alpha_share, FE_mul(d, e)));
}

/* see additive.h */
int
AD_FN(additive_mac_coeffs)(FE *coeffs, const FE *values, size_t count)
{
    crypto_generichash_state st;
    uint8_t key[crypto_generichash_BYTES];
    uint8_t buf[64 * FE_BYTES];
    struct fp_stream *s = NULL;
    int rc;

    if (sodium_init() < 0) {
        return MPCSIM_ENOTSUP;
    }
    crypto_generichash_init(&st, NULL, 0, sizeof(key));
    for (size_t i = 0; i < count; i += 64) {
        size_t m = count - i < 64 ? count - i : 64;

        FE_vec_encode(buf, values + i, m);
        crypto_generichash_update(&st, buf, m * FE_BYTES);
    }
    crypto_generichash_final(&st, key, sizeof(key));
    rc = fp_stream_create(&s, key, ADDITIVE__COEFF_STREAM);
    if (rc != 0) {
        return rc;
    }
    FE_stream_fill(s, coeffs, count);
    fp_stream_destroy(s);
    return 0;
}

/* see additive.h */
FE
AD_FN(additive_mac_sigma)(const FE *values, const FE *mac, const FE *coeffs, size_t count,
                          FE alpha_share)
{
    FE sigma = 0;

    for (size_t k = 0; k < count; k++) {
        FE diff = FE_sub(mac[k], FE_mul(alpha_share, values[k]));

        sigma = FE_add(sigma, FE_mul(coeffs[k], diff));
    }
    return sigma;
}

/* see additive.h */
void
AD_FN(additive_commit)(uint8_t out[ADDITIVE_COMMIT_BYTES], FE sigma,
                       const uint8_t nonce[ADDITIVE_NONCE_BYTES])
{
    uint8_t msg[FE_BYTES + ADDITIVE_NONCE_BYTES];

    FE_encode(msg, sigma);
    memcpy(msg + FE_BYTES, nonce, ADDITIVE_NONCE_BYTES);
    crypto_generichash(out, ADDITIVE_COMMIT_BYTES, msg, sizeof(msg), NULL, 0);
}

/* see additive.h */
int
AD_FN(additive_commit_verify)(const uint8_t commit[ADDITIVE_COMMIT_BYTES], FE sigma,
                              const uint8_t nonce[ADDITIVE_NONCE_BYTES])
{
    uint8_t again[ADDITIVE_COMMIT_BYTES];

    AD_FN(additive_commit)(again, sigma, nonce);
    return sodium_memcmp(again, commit, ADDITIVE_COMMIT_BYTES) == 0;
}

/* see additive.h */
int
AD_FN(additive_mac_accept)(const FE *sigma, size_t n)
{
    FE s = 0;

    for (size_t j = 0; j < n; j++) {
        s = FE_add(s, sigma[j]);
    }
    return s == 0;
}
