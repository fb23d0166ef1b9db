/* SPDX-License-Identifier: MIT */
/*
 * protocols/paillier/paillier.c - keys, encryption, CRT decryption,
 * homomorphic operations, the Montgomery accumulator and the wire
 * encoding.
 *
 * Montgomery multiplication mod n^2 is mpn_mul_n/mpn_sqr followed by a
 * word-by-word REDC (mpn_addmul_1) and a constant-time final subtraction:
 * no division and no allocation, about 2x cheaper than mpz_mul + mpz_mod
 * at 2048-bit n.  The DJN table costs rows * 64 * |n^2| bytes (2.4 MB at
 * 2048 bits) per public key; build it once per key (the adapter's dealer
 * cache does).  Revisit with an AVX-512 IFMA multi-buffer modexp if
 * encryption dominates.
 */
#include "protocols/paillier/paillier.h"

#include <string.h>

#include <sodium.h>

#include "common/alloc.h"
#include "protocols/paillier/paillier_int.h"

/* Largest n^2 we handle: n of 8192 bits. */
#define MAX_NL 256

/* ---------------------------------------------------------------------
 * Randomness
 * ------------------------------------------------------------------- */

/* see paillier.h */
void
paillier_rng_init(struct paillier_rng *rng, const uint8_t key[32], uint64_t stream)
{
    memcpy(rng->key, key, 32);
    for (int i = 0; i < 8; i++) {
        rng->nonce[i] = (uint8_t)(stream >> (8 * i));
    }
    rng->block = 0;
}

/* see paillier.h */
void
paillier_rng_clear(struct paillier_rng *rng)
{
    sodium_memzero(rng, sizeof(*rng));
}

/* see paillier.h */
void
paillier_rng_bytes(struct paillier_rng *rng, uint8_t *out, size_t len)
{
    if (len == 0) {
        return;
    }
    memset(out, 0, len);
    crypto_stream_chacha20_xor_ic(out, out, len, rng->nonce, rng->block, rng->key);
    rng->block += (len + 63) / 64;
}

/* see paillier.h */
void
paillier_rng_below(struct paillier_rng *rng, mpz_t out, const mpz_t bound)
{
    uint8_t buf[2 * MAX_NL * 8 + 16];
    size_t len = (mpz_sizeinbase(bound, 2) + 7) / 8 + 8;

    MPCSIM_ASSERT(mpz_sgn(bound) > 0 && len <= sizeof(buf));
    paillier_rng_bytes(rng, buf, len);
    mpz_import(out, len, 1, 1, 1, 0, buf);
    mpz_mod(out, out, bound);
    sodium_memzero(buf, len);
}

/* see paillier.h */
void
paillier_mpz_wipe(mpz_t x)
{
    /* _mp_alloc limbs are owned by x; GMP documents the fields in gmp.h. */
    if (x->_mp_d != NULL && x->_mp_alloc > 0) {
        sodium_memzero(x->_mp_d, (size_t)x->_mp_alloc * sizeof(mp_limb_t));
    }
    x->_mp_size = 0;
}

static void
mpz_clear_secret(mpz_t x)
{
    paillier_mpz_wipe(x);
    mpz_clear(x);
}

/* ---------------------------------------------------------------------
 * Montgomery arithmetic
 * ------------------------------------------------------------------- */

/* see paillier_int.h */
void
paillier__limbs_from_mpz(mp_limb_t *rp, mp_size_t nl, const mpz_t x)
{
    mp_size_t sz = (mp_size_t)mpz_size(x);

    MPCSIM_ASSERT(sz <= nl);
    if (sz > 0) {
        memcpy(rp, mpz_limbs_read(x), (size_t)sz * sizeof(mp_limb_t));
    }
    if (sz < nl) {
        memset(rp + sz, 0, (size_t)(nl - sz) * sizeof(mp_limb_t));
    }
}

/* see paillier_int.h */
void
paillier__limbs_to_mpz(mpz_t x, const mp_limb_t *p, mp_size_t nl)
{
    mp_limb_t *d = mpz_limbs_write(x, nl);

    memcpy(d, p, (size_t)nl * sizeof(mp_limb_t));
    mpz_limbs_finish(x, nl);
}

/* see paillier_int.h */
int
paillier__mont_init(struct paillier_mont *mt, const mpz_t m)
{
    mp_size_t nl = (mp_size_t)mpz_size(m);
    mp_limb_t inv;
    mp_limb_t m0;
    mpz_t r;

    memset(mt, 0, sizeof(*mt));
    MPCSIM_ASSERT(nl > 0 && nl <= MAX_NL && mpz_odd_p(m));
    mt->nl = nl;
    mt->m = mpcsim_calloc(3 * (size_t)nl, sizeof(mp_limb_t));
    if (mt->m == NULL) {
        return MPCSIM_ENOMEM;
    }
    mt->r2 = mt->m + nl;
    mt->one = mt->m + 2 * nl;
    paillier__limbs_from_mpz(mt->m, nl, m);
    /* Newton: inv = m0^{-1} mod 2^64 (3 correct bits to start, doubling). */
    m0 = mt->m[0];
    inv = m0;
    for (int i = 0; i < 5; i++) {
        inv *= 2 - m0 * inv;
    }
    mt->minv = (mp_limb_t)0 - inv;
    mpz_init(r);
    mpz_setbit(r, (mp_bitcnt_t)(2 * 64 * nl));
    mpz_mod(r, r, m);
    paillier__limbs_from_mpz(mt->r2, nl, r);
    mpz_set_ui(r, 0);
    mpz_setbit(r, (mp_bitcnt_t)(64 * nl));
    mpz_mod(r, r, m);
    paillier__limbs_from_mpz(mt->one, nl, r);
    mpz_clear(r);
    return 0;
}

/* see paillier_int.h */
void
paillier__mont_clear(struct paillier_mont *mt)
{
    if (mt != NULL) {
        mpcsim_free(mt->m);
        memset(mt, 0, sizeof(*mt));
    }
}

/* rp = tp R^{-1} mod m for the 2 nl-limb product in tp (clobbered); constant time. */
static void
paillier__redc(const struct paillier_mont *mt, mp_limb_t *rp, mp_limb_t *tp)
{
    mp_size_t nl = mt->nl;
    const mp_limb_t *m = mt->m;
    mp_limb_t *up = tp;
    mp_limb_t cy;
    mp_limb_t bw;

    /* REDC, as GMP's mpn_redc_1: park each row's carry in the limb it zeroed. */
    for (mp_size_t i = 0; i < nl; i++) {
        mp_limb_t q = up[0] * mt->minv;

        cy = mpn_addmul_1(up, m, nl, q);
        up[0] = cy;
        up++;
    }
    cy = mpn_add_n(rp, up, tp, nl);
    bw = mpn_sub_n(tp, rp, m, nl);
    mpn_cnd_swap(cy | (bw ^ 1), rp, tp, nl);
}

/* see paillier_int.h */
void
paillier__mont_mul(const struct paillier_mont *mt, mp_limb_t *rp, const mp_limb_t *a,
                   const mp_limb_t *b, mp_limb_t *tp)
{
    if (a == b) {
        mpn_sqr(tp, a, mt->nl);
    } else {
        mpn_mul_n(tp, a, b, mt->nl);
    }
    paillier__redc(mt, rp, tp);
}

/* see paillier_int.h */
void
paillier__mont_mul_sec(const struct paillier_mont *mt, mp_limb_t *rp, const mp_limb_t *a,
                       const mp_limb_t *b, mp_limb_t *tp)
{
    mp_size_t nl = mt->nl;

    /* GMP 6's mpn_sec_mul/mpn_sec_sqr need no scratch (itch 0); tp + 2 nl
     * is then never written. */
    if (a == b) {
        MPCSIM_ASSERT(mpn_sec_sqr_itch(nl) == 0);
        mpn_sec_sqr(tp, a, nl, tp + 2 * nl);
    } else {
        MPCSIM_ASSERT(mpn_sec_mul_itch(nl, nl) == 0);
        mpn_sec_mul(tp, a, nl, b, nl, tp + 2 * nl);
    }
    paillier__redc(mt, rp, tp);
}

/* ---------------------------------------------------------------------
 * Keys
 * ------------------------------------------------------------------- */

static unsigned
fb_digit(const mp_limb_t *a, unsigned bit)
{
    unsigned limb = bit / 64;
    unsigned off = bit % 64;
    mp_limb_t v = a[limb] >> off;

    if (off + PAILLIER_FB_WINDOW > 64) {
        v |= a[limb + 1] << (64 - off);
    }
    return (unsigned)(v & ((1u << PAILLIER_FB_WINDOW) - 1));
}

/* h = x^n for a random x; table rows of h^{j 2^{w r}} R. */
static int
build_fixed_base(struct paillier_pk *pk, struct paillier_rng *rng)
{
    const struct paillier_mont *mt = &pk->mont;
    mp_size_t nl = mt->nl;
    const size_t ents = (size_t)1 << PAILLIER_FB_WINDOW;
    mp_limb_t base[MAX_NL];
    mp_limb_t tp[2 * MAX_NL];
    mpz_t x, g;

    pk->fb_exp_bits = PAILLIER_SHORT_EXP_BITS(pk->bits);
    pk->fb_rows = (pk->fb_exp_bits + PAILLIER_FB_WINDOW - 1) / PAILLIER_FB_WINDOW;
    pk->fb_table = mpcsim_malloc((size_t)pk->fb_rows * ents * (size_t)nl * sizeof(mp_limb_t));
    if (pk->fb_table == NULL) {
        return MPCSIM_ENOMEM;
    }
    mpz_inits(x, g, NULL);
    do {
        paillier_rng_below(rng, x, pk->n);
        mpz_gcd(g, x, pk->n);
    } while (mpz_cmp_ui(g, 1) != 0);
    mpz_powm(x, x, pk->n, pk->n2);
    paillier__limbs_from_mpz(base, nl, x);
    paillier__mont_mul(mt, base, base, mt->r2, tp); /* to Montgomery form */
    for (unsigned r = 0; r < pk->fb_rows; r++) {
        mp_limb_t *row = pk->fb_table + (size_t)r * ents * (size_t)nl;

        memcpy(row, mt->one, (size_t)nl * sizeof(mp_limb_t));
        memcpy(row + nl, base, (size_t)nl * sizeof(mp_limb_t));
        for (size_t j = 2; j < ents; j++) {
            paillier__mont_mul(mt, row + j * (size_t)nl, row + (j - 1) * (size_t)nl, base, tp);
        }
        for (int s = 0; s < PAILLIER_FB_WINDOW; s++) {
            paillier__mont_mul(mt, base, base, base, tp);
        }
    }
    mpz_clears(x, g, NULL);
    return 0;
}

/* see paillier.h */
int
paillier_pk_create(struct paillier_pk **out, const mpz_t n, unsigned flags,
                   struct paillier_rng *rng)
{
    struct paillier_pk *pk = NULL;
    size_t bits = mpz_sizeinbase(n, 2);
    int rc;

    if (mpz_sgn(n) <= 0 || !mpz_odd_p(n) || bits < 512 || bits > 8192) {
        return MPCSIM_EINVAL;
    }
    pk = mpcsim_calloc(1, sizeof(*pk));
    if (pk == NULL) {
        return MPCSIM_ENOMEM;
    }
    pk->bits = (unsigned)bits;
    mpz_init_set(pk->n, n);
    mpz_init(pk->n2);
    mpz_mul(pk->n2, n, n);
    pk->ct_bytes = (mpz_sizeinbase(pk->n2, 2) + 7) / 8;
    rc = paillier__mont_init(&pk->mont, pk->n2);
    if (rc == 0 && (flags & PAILLIER_PRECOMP) != 0) {
        rc = build_fixed_base(pk, rng);
    }
    if (rc != 0) {
        paillier_pk_destroy(pk);
        return rc;
    }
    *out = pk;
    return 0;
}

/* see paillier.h */
void
paillier_pk_destroy(struct paillier_pk *pk)
{
    if (pk == NULL) {
        return;
    }
    mpz_clears(pk->n, pk->n2, NULL);
    paillier__mont_clear(&pk->mont);
    mpcsim_free(pk->fb_table);
    mpcsim_free(pk);
}

/* see paillier.h */
void
paillier_sk_destroy(struct paillier_sk *sk)
{
    if (sk == NULL) {
        return;
    }
    mpz_clear_secret(sk->p);
    mpz_clear_secret(sk->q);
    mpz_clear_secret(sk->p2);
    mpz_clear_secret(sk->q2);
    mpz_clear_secret(sk->lambda);
    mpz_clear_secret(sk->mu);
    mpz_clear_secret(sk->pm1);
    mpz_clear_secret(sk->qm1);
    mpz_clear_secret(sk->hp);
    mpz_clear_secret(sk->hq);
    mpz_clear_secret(sk->pinv_q);
    sodium_memzero(sk, sizeof(*sk));
    mpcsim_free(sk);
}

/* A random prime of exactly `bits` bits with the top two bits set. */
static void
random_prime(mpz_t p, unsigned bits, struct paillier_rng *rng)
{
    uint8_t buf[MAX_NL * 8];
    size_t len = (bits + 7) / 8;

    for (;;) {
        paillier_rng_bytes(rng, buf, len);
        mpz_import(p, len, 1, 1, 1, 0, buf);
        mpz_fdiv_r_2exp(p, p, bits);
        mpz_setbit(p, bits - 1);
        mpz_setbit(p, bits - 2);
        mpz_setbit(p, 0);
        /* Incremental search from the random odd start. */
        while (mpz_sizeinbase(p, 2) == bits) {
            if (mpz_probab_prime_p(p, PAILLIER_PRIME_REPS) > 0) {
                sodium_memzero(buf, sizeof(buf));
                return;
            }
            mpz_add_ui(p, p, 2);
        }
    }
}

/* L_p(x) = (x - 1) / p. */
static void
ell(mpz_t out, const mpz_t x, const mpz_t p)
{
    mpz_sub_ui(out, x, 1);
    mpz_divexact(out, out, p);
}

/* see paillier.h */
int
paillier_keygen(struct paillier_pk **pk_out, struct paillier_sk **sk_out, unsigned bits,
                unsigned flags, struct paillier_rng *rng)
{
    struct paillier_pk *pk = NULL;
    struct paillier_sk *sk = NULL;
    mpz_t n, phi, g, tmp;
    int rc = 0;

    if (bits < 512 || bits > 8192 || bits % 256 != 0) {
        return MPCSIM_EINVAL;
    }
    sk = mpcsim_calloc(1, sizeof(*sk));
    if (sk == NULL) {
        return MPCSIM_ENOMEM;
    }
    mpz_inits(sk->p, sk->q, sk->p2, sk->q2, sk->lambda, sk->mu, sk->pm1, sk->qm1, sk->hp, sk->hq,
              sk->pinv_q, NULL);
    mpz_inits(n, phi, g, tmp, NULL);
    for (;;) {
        random_prime(sk->p, bits / 2, rng);
        random_prime(sk->q, bits / 2, rng);
        if (mpz_cmp(sk->p, sk->q) == 0) {
            continue;
        }
        mpz_mul(n, sk->p, sk->q);
        mpz_sub_ui(sk->pm1, sk->p, 1);
        mpz_sub_ui(sk->qm1, sk->q, 1);
        mpz_mul(phi, sk->pm1, sk->qm1);
        mpz_gcd(g, n, phi);
        if (mpz_cmp_ui(g, 1) == 0 && mpz_sizeinbase(n, 2) == bits) {
            break;
        }
    }
    rc = paillier_pk_create(&pk, n, flags, rng);
    if (rc != 0) {
        goto out;
    }
    sk->pk = pk;
    mpz_mul(sk->p2, sk->p, sk->p);
    mpz_mul(sk->q2, sk->q, sk->q);
    mpz_lcm(sk->lambda, sk->pm1, sk->qm1);
    /* mu = L((1+n)^lambda mod n^2)^{-1} mod n */
    mpz_add_ui(g, n, 1);
    mpz_powm(tmp, g, sk->lambda, pk->n2);
    ell(tmp, tmp, n);
    if (mpz_invert(sk->mu, tmp, n) == 0) {
        rc = MPCSIM_EINVAL; /* cannot happen for gcd(n, phi) = 1 */
        goto out;
    }
    /* hp = L_p(g^{p-1} mod p^2)^{-1} mod p, hq likewise. */
    mpz_powm(tmp, g, sk->pm1, sk->p2);
    ell(tmp, tmp, sk->p);
    mpz_invert(sk->hp, tmp, sk->p);
    mpz_powm(tmp, g, sk->qm1, sk->q2);
    ell(tmp, tmp, sk->q);
    mpz_invert(sk->hq, tmp, sk->q);
    mpz_invert(sk->pinv_q, sk->p, sk->q);

    *pk_out = pk;
    *sk_out = sk;
    pk = NULL;
    sk = NULL;
out:
    paillier_mpz_wipe(phi);
    paillier_mpz_wipe(tmp);
    mpz_clears(n, phi, g, tmp, NULL);
    paillier_sk_destroy(sk);
    paillier_pk_destroy(pk);
    return rc;
}

/* see paillier.h */
mpz_srcptr
paillier_pk_n(const struct paillier_pk *pk)
{
    return pk->n;
}

/* see paillier.h */
mpz_srcptr
paillier_pk_n2(const struct paillier_pk *pk)
{
    return pk->n2;
}

/* see paillier.h */
unsigned
paillier_pk_bits(const struct paillier_pk *pk)
{
    return pk->bits;
}

/* see paillier.h */
size_t
paillier_ct_bytes(const struct paillier_pk *pk)
{
    return pk->ct_bytes;
}

/* see paillier.h */
int
paillier_pk_has_precomp(const struct paillier_pk *pk)
{
    return pk->fb_table != NULL;
}

/* see paillier.h */
const struct paillier_pk *
paillier_sk_pk(const struct paillier_sk *sk)
{
    return sk->pk;
}

/* ---------------------------------------------------------------------
 * Plaintexts
 * ------------------------------------------------------------------- */

/* see paillier.h */
void
paillier_encode_i64(const struct paillier_pk *pk, mpz_t m, int64_t v)
{
    if (v >= 0) {
        mpz_set_ui(m, (unsigned long)v);
    } else {
        /* -(v + 1) avoids negating INT64_MIN. */
        mpz_set_ui(m, (unsigned long)(-(v + 1)));
        mpz_add_ui(m, m, 1);
        mpz_sub(m, pk->n, m);
    }
}

/* z = v (GMP has no 128-bit setter): magnitude by 64-bit halves, then the sign. */
static void
set_i128(mpz_t z, mpcsim_i128 v)
{
    mpcsim_u128 mag = v < 0 ? (mpcsim_u128)0 - (mpcsim_u128)v : (mpcsim_u128)v;
    uint64_t w[2] = {(uint64_t)mag, (uint64_t)(mag >> 64)};

    mpz_import(z, 2, -1, sizeof(w[0]), 0, 0, w); /* least significant word first */
    if (v < 0) {
        mpz_neg(z, z);
    }
}

/* see paillier.h */
void
paillier_encode_i128(const struct paillier_pk *pk, mpz_t m, mpcsim_i128 v)
{
    set_i128(m, v);
    mpz_mod(m, m, pk->n); /* |v| <= 2^127 < n/2 (n >= 2^511) */
}

/* see paillier.h */
void
paillier_decode_signed(const struct paillier_pk *pk, mpz_t v, const mpz_t m)
{
    mpz_t t;

    mpz_init(t);
    mpz_mod(t, m, pk->n);
    mpz_mul_2exp(v, t, 1);
    if (mpz_cmp(v, pk->n) > 0) { /* t > n/2: the negative t - n */
        mpz_sub(v, t, pk->n);
    } else {
        mpz_set(v, t);
    }
    paillier_mpz_wipe(t);
    mpz_clear(t);
}

/* see paillier.h */
int
paillier_encode_signed(const struct paillier_pk *pk, mpz_t m, const mpz_t v)
{
    mpz_t t;
    int rc = 0;

    mpz_init(t);
    mpz_abs(t, v);
    mpz_mul_2exp(t, t, 1);
    if (mpz_cmp(t, pk->n) >= 0) { /* 2|v| >= n: |v| > (n-1)/2 */
        rc = MPCSIM_ERANGE;
    } else {
        mpz_mod(m, v, pk->n);
    }
    paillier_mpz_wipe(t);
    mpz_clear(t);
    return rc;
}

/* see paillier.h */
int
paillier_decode_i128(const struct paillier_pk *pk, mpcsim_i128 *out, const mpz_t m)
{
    mpz_t v;
    uint64_t w[2] = {0, 0};
    size_t count = 0;
    mpcsim_u128 mag;
    int rc = 0;

    mpz_init(v);
    paillier_decode_signed(pk, v, m);
    /* |v| <= 2^127 fits 128 bits unsigned; the sign decides the last case. */
    if (mpz_sizeinbase(v, 2) > 128) {
        rc = MPCSIM_ERANGE;
        goto out;
    }
    mpz_export(w, &count, -1, sizeof(w[0]), 0, 0, v); /* |v|, least significant first */
    mag = (mpcsim_u128)w[1] << 64 | w[0];
    if (mpz_sgn(v) >= 0 ? mag > ((mpcsim_u128)1 << 127) - 1 : mag > (mpcsim_u128)1 << 127) {
        rc = MPCSIM_ERANGE;
        goto out;
    }
    *out = mpz_sgn(v) >= 0 ? (mpcsim_i128)mag : (mpcsim_i128)((mpcsim_u128)0 - mag);
out:
    paillier_mpz_wipe(v);
    mpz_clear(v);
    return rc;
}

/* see paillier.h */
int
paillier_decode_i64(const struct paillier_pk *pk, int64_t *out, const mpz_t m)
{
    mpz_t v;
    int rc = 0;

    mpz_init(v);
    mpz_mod(v, m, pk->n);
    mpz_mul_2exp(v, v, 1);
    if (mpz_cmp(v, pk->n) > 0) { /* m > n/2: negative */
        mpz_mod(v, m, pk->n);
        mpz_sub(v, v, pk->n);
    } else {
        mpz_mod(v, m, pk->n);
    }
    if (!mpz_fits_slong_p(v) || sizeof(long) < sizeof(int64_t)) {
        rc = MPCSIM_ERANGE;
    } else {
        *out = (int64_t)mpz_get_si(v);
    }
    mpz_clear(v);
    return rc;
}

/* ---------------------------------------------------------------------
 * Encryption and decryption
 * ------------------------------------------------------------------- */

/* g^m = 1 + m n mod n^2 */
static void
gm(const struct paillier_pk *pk, mpz_t out, const mpz_t m)
{
    MPCSIM_ASSERT(mpz_sgn(m) >= 0 && mpz_cmp(m, pk->n) < 0);
    mpz_mul(out, m, pk->n);
    mpz_add_ui(out, out, 1);
}

/* see paillier.h */
void
paillier_rn(const struct paillier_pk *pk, mpz_t rn, struct paillier_rng *rng)
{
    mpz_t r, g;

    mpz_inits(r, g, NULL);
    do {
        paillier_rng_below(rng, r, pk->n);
        mpz_gcd(g, r, pk->n);
    } while (mpz_cmp_ui(g, 1) != 0);
    mpz_powm(rn, r, pk->n, pk->n2); /* public exponent: variable time is fine */
    paillier_mpz_wipe(r);
    mpz_clears(r, g, NULL);
}

/* see paillier.h */
void
paillier_encrypt_rn(const struct paillier_pk *pk, mpz_t c, const mpz_t m, const mpz_t rn)
{
    mpz_t t;

    mpz_init(t);
    gm(pk, t, m);
    mpz_mul(t, t, rn);
    mpz_mod(c, t, pk->n2);
    mpz_clear(t);
}

/* see paillier.h */
void
paillier_encrypt(const struct paillier_pk *pk, mpz_t c, const mpz_t m, struct paillier_rng *rng)
{
    mpz_t rn;

    mpz_init(rn);
    paillier_rn(pk, rn, rng);
    paillier_encrypt_rn(pk, c, m, rn);
    mpz_clear_secret(rn);
}

/* h^a R for a fresh short a: one table row per window, constant-time lookups. */
static void
fixed_base_random(const struct paillier_pk *pk, mp_limb_t *acc, struct paillier_rng *rng)
{
    const struct paillier_mont *mt = &pk->mont;
    mp_size_t nl = mt->nl;
    const size_t ents = (size_t)1 << PAILLIER_FB_WINDOW;
    mp_limb_t a[16] = {0}; /* up to 960 bits of exponent, plus a zero limb */
    mp_limb_t sel[MAX_NL];
    mp_limb_t tp[2 * MAX_NL];
    size_t abytes = (pk->fb_exp_bits + 7) / 8;

    MPCSIM_ASSERT(pk->fb_table != NULL && abytes + 8 <= sizeof(a));
    paillier_rng_bytes(rng, (uint8_t *)a, abytes); /* byte order is irrelevant: uniform */
    mpn_sec_tabselect(acc, pk->fb_table, nl, (mp_size_t)ents, fb_digit(a, 0));
    for (unsigned r = 1; r < pk->fb_rows; r++) {
        unsigned d = fb_digit(a, r * PAILLIER_FB_WINDOW);

        mpn_sec_tabselect(sel, pk->fb_table + (size_t)r * ents * (size_t)nl, nl, (mp_size_t)ents,
                          d);
        paillier__mont_mul_sec(mt, acc, acc, sel, tp);
    }
    sodium_memzero(a, sizeof(a));
    sodium_memzero(sel, sizeof(sel));
}

/* see paillier.h */
void
paillier_encrypt_precomp(const struct paillier_pk *pk, mpz_t c, const mpz_t m,
                         struct paillier_rng *rng)
{
    const struct paillier_mont *mt = &pk->mont;
    mp_limb_t acc[MAX_NL];
    mp_limb_t g[MAX_NL];
    mp_limb_t tp[2 * MAX_NL];
    mpz_t t;

    fixed_base_random(pk, acc, rng);
    mpz_init(t);
    gm(pk, t, m);
    paillier__limbs_from_mpz(g, mt->nl, t);
    paillier__mont_mul_sec(mt, acc, acc, g, tp); /* (h^a R)(g^m) R^-1 */
    paillier__limbs_to_mpz(c, acc, mt->nl);
    mpz_clear(t);
    sodium_memzero(acc, sizeof(acc));
}

/* see paillier.h */
void
paillier_decrypt(const struct paillier_sk *sk, mpz_t m, const mpz_t c)
{
    mpz_t mp, mq;

    mpz_inits(mp, mq, NULL);
    mpz_mod(mp, c, sk->p2);
    mpz_powm_sec(mp, mp, sk->pm1, sk->p2);
    ell(mp, mp, sk->p);
    mpz_mul(mp, mp, sk->hp);
    mpz_mod(mp, mp, sk->p);
    mpz_mod(mq, c, sk->q2);
    mpz_powm_sec(mq, mq, sk->qm1, sk->q2);
    ell(mq, mq, sk->q);
    mpz_mul(mq, mq, sk->hq);
    mpz_mod(mq, mq, sk->q);
    /* m = mp + p ((mq - mp) p^{-1} mod q) */
    mpz_sub(mq, mq, mp);
    mpz_mul(mq, mq, sk->pinv_q);
    mpz_mod(mq, mq, sk->q);
    mpz_mul(mq, mq, sk->p);
    mpz_add(m, mp, mq);
    paillier_mpz_wipe(mp);
    paillier_mpz_wipe(mq);
    mpz_clears(mp, mq, NULL);
}

/* see paillier.h */
void
paillier_decrypt_textbook(const struct paillier_sk *sk, mpz_t m, const mpz_t c)
{
    const struct paillier_pk *pk = sk->pk;
    mpz_t x;

    mpz_init(x);
    mpz_powm_sec(x, c, sk->lambda, pk->n2);
    ell(x, x, pk->n);
    mpz_mul(x, x, sk->mu);
    mpz_mod(m, x, pk->n);
    mpz_clear_secret(x);
}

/* ---------------------------------------------------------------------
 * Homomorphic operations
 * ------------------------------------------------------------------- */

/* see paillier.h */
void
paillier_add(const struct paillier_pk *pk, mpz_t out, const mpz_t a, const mpz_t b)
{
    mpz_t t;

    mpz_init(t);
    mpz_mul(t, a, b);
    mpz_mod(out, t, pk->n2);
    mpz_clear(t);
}

/* see paillier.h */
void
paillier_add_plain(const struct paillier_pk *pk, mpz_t out, const mpz_t a, const mpz_t m)
{
    mpz_t t;

    mpz_init(t);
    gm(pk, t, m);
    mpz_mul(t, t, a);
    mpz_mod(out, t, pk->n2);
    mpz_clear(t);
}

/* see paillier.h */
void
paillier_scalar_mul(const struct paillier_pk *pk, mpz_t out, const mpz_t a, const mpz_t k)
{
    /* GMP inverts the base for a negative exponent; a is a unit. */
    mpz_powm(out, a, k, pk->n2);
}

/* see paillier.h */
void
paillier_scalar_mul_i64(const struct paillier_pk *pk, mpz_t out, const mpz_t a, int64_t k)
{
    mpz_t kk;

    mpz_init(kk);
    if (k >= 0) {
        mpz_set_ui(kk, (unsigned long)k);
    } else {
        mpz_set_ui(kk, (unsigned long)(-(k + 1)));
        mpz_add_ui(kk, kk, 1);
        mpz_neg(kk, kk);
    }
    paillier_scalar_mul(pk, out, a, kk);
    mpz_clear(kk);
}

/* see paillier.h */
void
paillier_scalar_mul_i128(const struct paillier_pk *pk, mpz_t out, const mpz_t a, mpcsim_i128 k)
{
    mpz_t kk;

    mpz_init(kk);
    set_i128(kk, k);
    paillier_scalar_mul(pk, out, a, kk);
    mpz_clear(kk);
}

/* see paillier.h */
void
paillier_rerandomize(const struct paillier_pk *pk, mpz_t out, const mpz_t a,
                     struct paillier_rng *rng)
{
    mpz_t z;

    mpz_init(z);
    if (pk->fb_table != NULL) {
        paillier_encrypt_precomp(pk, z, z, rng); /* z = 0 on entry: E(0) */
    } else {
        paillier_rn(pk, z, rng);
    }
    paillier_add(pk, out, a, z);
    mpz_clear_secret(z);
}

/* ---------------------------------------------------------------------
 * Accumulator
 * ------------------------------------------------------------------- */

struct paillier_acc {
    const struct paillier_pk *pk;
    uint64_t count; /* Montgomery multiplications since reset: value = prod * R^-count */
    mp_limb_t *v;   /* nl */
    mp_limb_t *x;   /* nl: the operand */
    mp_limb_t *tp;  /* 2 nl */
};

/* see paillier.h */
int
paillier_acc_create(struct paillier_acc **out, const struct paillier_pk *pk)
{
    struct paillier_acc *acc = mpcsim_calloc(1, sizeof(*acc));
    size_t nl = (size_t)pk->mont.nl;

    if (acc == NULL) {
        return MPCSIM_ENOMEM;
    }
    acc->v = mpcsim_calloc(4 * nl, sizeof(mp_limb_t));
    if (acc->v == NULL) {
        mpcsim_free(acc);
        return MPCSIM_ENOMEM;
    }
    acc->x = acc->v + nl;
    acc->tp = acc->v + 2 * nl;
    acc->pk = pk;
    paillier_acc_reset(acc);
    *out = acc;
    return 0;
}

/* see paillier.h */
void
paillier_acc_destroy(struct paillier_acc *acc)
{
    if (acc != NULL) {
        mpcsim_free(acc->v);
        mpcsim_free(acc);
    }
}

/* see paillier.h */
void
paillier_acc_reset(struct paillier_acc *acc)
{
    memset(acc->v, 0, (size_t)acc->pk->mont.nl * sizeof(mp_limb_t));
    acc->v[0] = 1;
    acc->count = 0;
}

/* see paillier.h */
void
paillier_acc_add(struct paillier_acc *acc, const mpz_t c)
{
    const struct paillier_mont *mt = &acc->pk->mont;

    MPCSIM_ASSERT(mpz_sgn(c) >= 0 && mpz_cmp(c, acc->pk->n2) < 0);
    paillier__limbs_from_mpz(acc->x, mt->nl, c);
    paillier__mont_mul(mt, acc->v, acc->v, acc->x, acc->tp);
    acc->count++;
}

/* see paillier.h */
void
paillier_acc_get(const struct paillier_acc *acc, mpz_t out)
{
    const struct paillier_pk *pk = acc->pk;
    mpz_t rk, v;

    mpz_inits(rk, v, NULL);
    /* out = v * R^count mod n^2 */
    paillier__limbs_to_mpz(rk, pk->mont.one, pk->mont.nl);
    mpz_set_ui(v, (unsigned long)acc->count);
    mpz_powm(rk, rk, v, pk->n2);
    paillier__limbs_to_mpz(v, acc->v, pk->mont.nl);
    mpz_mul(v, v, rk);
    mpz_mod(out, v, pk->n2);
    mpz_clears(rk, v, NULL);
}

/* ---------------------------------------------------------------------
 * Wire encoding
 * ------------------------------------------------------------------- */

/* see paillier.h */
void
paillier_ct_encode(const struct paillier_pk *pk, uint8_t *out, const mpz_t c)
{
    size_t need = (mpz_sizeinbase(c, 2) + 7) / 8;
    size_t written = 0;

    MPCSIM_ASSERT(mpz_sgn(c) >= 0 && mpz_cmp(c, pk->n2) < 0 && need <= pk->ct_bytes);
    memset(out, 0, pk->ct_bytes);
    mpz_export(out + (pk->ct_bytes - need), &written, 1, 1, 1, 0, c);
}

/* see paillier.h */
int
paillier_ct_decode(const struct paillier_pk *pk, mpz_t c, const uint8_t *in, size_t len)
{
    mpz_t v, g;
    int rc = 0;

    if (in == NULL || len != pk->ct_bytes) {
        return MPCSIM_EDECODE;
    }
    mpz_inits(v, g, NULL);
    mpz_import(v, len, 1, 1, 1, 0, in);
    if (mpz_cmp(v, pk->n2) >= 0) {
        rc = MPCSIM_EDECODE;
    } else {
        mpz_gcd(g, v, pk->n);
        if (mpz_cmp_ui(g, 1) != 0) {
            rc = MPCSIM_EDECODE;
        } else {
            mpz_swap(c, v);
        }
    }
    mpz_clears(v, g, NULL);
    return rc;
}
