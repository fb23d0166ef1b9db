/* SPDX-License-Identifier: MIT */
/*
 * tests/paillier/test_paillier.c - the Paillier library against GMP on
 * seeded inputs: round trips, homomorphic properties, CRT vs textbook,
 * threshold decryption around t, the wire encoding, out-of-memory loops.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "common/alloc.h"
#include "protocols/paillier/paillier.h"
#include "tests/support.h"

static const uint8_t key_a[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
static const uint8_t key_b[32] = {42};

/* One 1024-bit key shared by most tests (group fixture). */
static struct paillier_pk *g_pk;
static struct paillier_sk *g_sk;

static int
group_setup(void **state)
{
    struct paillier_rng rng;

    (void)state;
    paillier_rng_init(&rng, key_a, 0);
    return paillier_keygen(&g_pk, &g_sk, 1024, PAILLIER_PRECOMP, &rng) == 0 ? 0 : -1;
}

static int
group_teardown(void **state)
{
    (void)state;
    paillier_sk_destroy(g_sk);
    paillier_pk_destroy(g_pk);
    return 0;
}

static int64_t
rand_i64(void)
{
    return (int64_t)(mpcsim_test_rand64() >> 4) - (INT64_C(1) << 59);
}

/* Encrypt/decrypt round trips, both encryption modes, both decryptions. */
static void
roundtrip(const struct paillier_pk *pk, const struct paillier_sk *sk, int n_vals)
{
    struct paillier_rng rng;
    mpz_t m, c, d1, d2;
    const int64_t fixed[] = {0, 1, -1, INT64_MAX, INT64_MIN, 123456789, -987654321};

    paillier_rng_init(&rng, key_b, 7);
    mpz_inits(m, c, d1, d2, NULL);
    for (int i = 0; i < n_vals; i++) {
        int64_t v = i < 7 ? fixed[i] : rand_i64();
        int64_t got = 0;

        paillier_encode_i64(pk, m, v);
        if (i % 2 == 0) {
            paillier_encrypt(pk, c, m, &rng);
        } else {
            paillier_encrypt_precomp(pk, c, m, &rng);
        }
        assert_true(mpz_cmp(c, paillier_pk_n2(pk)) < 0);
        paillier_decrypt(sk, d1, c);
        paillier_decrypt_textbook(sk, d2, c);
        assert_true(mpz_cmp(d1, m) == 0);
        assert_true(mpz_cmp(d2, m) == 0);
        assert_int_equal(paillier_decode_i64(pk, &got, d1), 0);
        assert_true(got == v);
    }
    mpz_clears(m, c, d1, d2, NULL);
}

static void
keysize(unsigned bits, int n_vals)
{
    struct paillier_pk *pk = NULL;
    struct paillier_sk *sk = NULL;
    struct paillier_rng rng;

    paillier_rng_init(&rng, key_b, bits);
    assert_int_equal(paillier_keygen(&pk, &sk, bits, PAILLIER_PRECOMP, &rng), 0);
    assert_int_equal(paillier_pk_bits(pk), bits);
    assert_int_equal(mpz_sizeinbase(paillier_pk_n(pk), 2), bits);
    assert_int_equal(paillier_ct_bytes(pk), bits / 4);
    roundtrip(pk, sk, n_vals);
    paillier_sk_destroy(sk);
    paillier_pk_destroy(pk);
}

/* Round trips at every key size (4096 once: it is the slow one). */
static void
test_paillier_roundtrip_1024(void **state)
{
    (void)state;
    roundtrip(g_pk, g_sk, 40);
}

static void
test_paillier_roundtrip_2048(void **state)
{
    (void)state;
    keysize(2048, 8);
}

static void
test_paillier_roundtrip_3072(void **state)
{
    (void)state;
    keysize(3072, 4);
}

static void
test_paillier_roundtrip_4096(void **state)
{
    (void)state;
    keysize(4096, 2);
}

/* Same key bytes, same key; bad sizes refused. */
static void
test_paillier_keygen_deterministic(void **state)
{
    struct paillier_pk *pk = NULL;
    struct paillier_sk *sk = NULL;
    struct paillier_rng rng;

    (void)state;
    paillier_rng_init(&rng, key_a, 0);
    assert_int_equal(paillier_keygen(&pk, &sk, 1024, 0, &rng), 0);
    assert_true(mpz_cmp(paillier_pk_n(pk), paillier_pk_n(g_pk)) == 0);
    assert_false(paillier_pk_has_precomp(pk));
    paillier_sk_destroy(sk);
    paillier_pk_destroy(pk);
    assert_int_equal(paillier_keygen(&pk, &sk, 1000, 0, &rng), MPCSIM_EINVAL);
    assert_int_equal(paillier_keygen(&pk, &sk, 256, 0, &rng), MPCSIM_EINVAL);
}

/* add, add_plain, scalar_mul, rerandomize, the accumulator, incl. negatives. */
static void
test_paillier_homomorphic(void **state)
{
    const struct paillier_pk *pk = g_pk;
    struct paillier_acc *acc = NULL;
    struct paillier_rng rng;
    mpz_t ma, mb, ca, cb, c, d, ref;
    int64_t sum = 0;

    (void)state;
    paillier_rng_init(&rng, key_b, 1);
    mpz_inits(ma, mb, ca, cb, c, d, ref, NULL);
    assert_int_equal(paillier_acc_create(&acc, pk), 0);
    mpz_set_ui(ref, 1);
    for (int i = 0; i < 30; i++) {
        int64_t a = rand_i64() >> 8;
        int64_t b = rand_i64() >> 8;
        int64_t k = (int64_t)(mpcsim_test_rand64() % 2001) - 1000;
        int64_t got = 0;

        paillier_encode_i64(pk, ma, a);
        paillier_encode_i64(pk, mb, b);
        paillier_encrypt_precomp(pk, ca, ma, &rng);
        paillier_encrypt(pk, cb, mb, &rng);
        /* add */
        paillier_add(pk, c, ca, cb);
        paillier_decrypt(g_sk, d, c);
        assert_int_equal(paillier_decode_i64(pk, &got, d), 0);
        assert_true(got == a + b);
        /* add_plain */
        paillier_add_plain(pk, c, ca, mb);
        paillier_decrypt(g_sk, d, c);
        assert_int_equal(paillier_decode_i64(pk, &got, d), 0);
        assert_true(got == a + b);
        /* scalar mul, negative k included */
        paillier_scalar_mul_i64(pk, c, ca, k);
        paillier_decrypt(g_sk, d, c);
        assert_int_equal(paillier_decode_i64(pk, &got, d), 0);
        assert_true(got == a * k);
        /* rerandomize: other bytes, same plaintext */
        paillier_rerandomize(pk, c, ca, &rng);
        assert_true(mpz_cmp(c, ca) != 0);
        paillier_decrypt(g_sk, d, c);
        assert_int_equal(paillier_decode_i64(pk, &got, d), 0);
        assert_true(got == a);
        /* accumulator == product mod n^2 */
        paillier_acc_add(acc, ca);
        mpz_mul(ref, ref, ca);
        mpz_mod(ref, ref, paillier_pk_n2(pk));
        sum += a;
    }
    paillier_acc_get(acc, c);
    assert_true(mpz_cmp(c, ref) == 0);
    paillier_decrypt(g_sk, d, c);
    {
        int64_t got = 0;

        assert_int_equal(paillier_decode_i64(pk, &got, d), 0);
        assert_true(got == sum);
    }
    paillier_acc_reset(acc);
    paillier_acc_get(acc, c);
    assert_true(mpz_cmp_ui(c, 1) == 0);
    paillier_acc_destroy(acc);
    mpz_clears(ma, mb, ca, cb, c, d, ref, NULL);
}

/* CRT decryption equals the textbook formula on random units of Z*_{n^2}. */
static void
test_paillier_crt_equals_textbook(void **state)
{
    struct paillier_rng rng;
    mpz_t c, g, d1, d2;

    (void)state;
    paillier_rng_init(&rng, key_b, 3);
    mpz_inits(c, g, d1, d2, NULL);
    for (int i = 0; i < 25; i++) {
        do {
            paillier_rng_below(&rng, c, paillier_pk_n2(g_pk));
            mpz_gcd(g, c, paillier_pk_n(g_pk));
        } while (mpz_cmp_ui(g, 1) != 0);
        paillier_decrypt(g_sk, d1, c);
        paillier_decrypt_textbook(g_sk, d2, c);
        assert_true(mpz_cmp(d1, d2) == 0);
    }
    mpz_clears(c, g, d1, d2, NULL);
}

/* Encoding round trip; out-of-range, non-coprime and wrong-length input refused. */
static void
test_paillier_decode_rejects(void **state)
{
    const struct paillier_pk *pk = g_pk;
    size_t nb = paillier_ct_bytes(pk);
    uint8_t *buf = mpcsim_malloc(nb + 1);
    struct paillier_rng rng;
    mpz_t c, d, bad;

    (void)state;
    assert_non_null(buf);
    paillier_rng_init(&rng, key_b, 4);
    mpz_inits(c, d, bad, NULL);
    /* small values keep leading zero bytes */
    mpz_set_ui(c, 12345);
    paillier_ct_encode(pk, buf, c);
    assert_int_equal(buf[0], 0);
    assert_int_equal(paillier_ct_decode(pk, d, buf, nb), 0);
    assert_true(mpz_cmp(c, d) == 0);
    paillier_encrypt_precomp(pk, c, c, &rng);
    paillier_ct_encode(pk, buf, c);
    assert_int_equal(paillier_ct_decode(pk, d, buf, nb), 0);
    assert_true(mpz_cmp(c, d) == 0);
    /* wrong lengths */
    assert_int_equal(paillier_ct_decode(pk, d, buf, nb - 1), MPCSIM_EDECODE);
    assert_int_equal(paillier_ct_decode(pk, d, buf, nb + 1), MPCSIM_EDECODE);
    assert_int_equal(paillier_ct_decode(pk, d, buf, 0), MPCSIM_EDECODE);
    /* >= n^2 */
    memset(buf, 0xFF, nb);
    assert_int_equal(paillier_ct_decode(pk, d, buf, nb), MPCSIM_EDECODE);
    mpz_set(bad, paillier_pk_n2(pk));
    mpz_export(buf, NULL, 1, 1, 1, 0, bad); /* n^2 fills nb bytes exactly */
    assert_int_equal(mpz_sizeinbase(bad, 256), nb);
    assert_int_equal(paillier_ct_decode(pk, d, buf, nb), MPCSIM_EDECODE);
    /* not coprime: 0, n, 3n */
    memset(buf, 0, nb);
    assert_int_equal(paillier_ct_decode(pk, d, buf, nb), MPCSIM_EDECODE);
    paillier_ct_encode(pk, buf, paillier_pk_n(pk));
    assert_int_equal(paillier_ct_decode(pk, d, buf, nb), MPCSIM_EDECODE);
    mpz_mul_ui(bad, paillier_pk_n(pk), 3);
    paillier_ct_encode(pk, buf, bad);
    assert_int_equal(paillier_ct_decode(pk, d, buf, nb), MPCSIM_EDECODE);
    /* d untouched by failures */
    assert_true(mpz_cmp(c, d) == 0);
    mpz_clears(c, d, bad, NULL);
    mpcsim_free(buf);
}

/* v as an mpz, through its decimal text (the oracle side). */
static void
oracle_i128(mpz_t z, mpcsim_i128 v)
{
    char buf[64];
    char *p = buf + sizeof(buf) - 1;
    mpcsim_u128 mag = v < 0 ? (mpcsim_u128)0 - (mpcsim_u128)v : (mpcsim_u128)v;

    *p = '\0';
    do {
        *--p = (char)('0' + (int)(mag % 10));
        mag /= 10;
    } while (mag != 0);
    if (v < 0) {
        *--p = '-';
    }
    assert_int_equal(mpz_set_str(z, p, 10), 0);
}

/*
 * Issue 18: 128-bit plaintexts.  Encoding is v mod n (GMP's mpz_mod as the
 * oracle), decoding gives v back, through encryption and both
 * decryptions, at the edges: 0, +-1, +-2^63 (just past int64), +-(2^126 - 1)
 * (the protocol's bound), +-(2^127 - 1) and -2^127 (the type's ends).
 */
static void
test_paillier_encode_i128(void **state)
{
    const mpcsim_i128 two63 = (mpcsim_i128)1 << 63;
    const mpcsim_i128 b126 = ((mpcsim_i128)1 << 126) - 1;
    const mpcsim_i128 max = (mpcsim_i128)(((mpcsim_u128)1 << 127) - 1);
    const mpcsim_i128 vals[] = {0,          1,    -1,    two63, -two63, two63 - 1,
                                -two63 - 1, b126, -b126, max,   -max,   -max - 1};
    struct paillier_rng rng;
    mpz_t m, want, c, d;

    (void)state;
    paillier_rng_init(&rng, key_b, 11);
    mpz_inits(m, want, c, d, NULL);
    for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]) + 200; i++) {
        mpcsim_i128 v = 0;
        mpcsim_i128 got = 0;

        if (i < sizeof(vals) / sizeof(vals[0])) {
            v = vals[i];
        } else {
            /* random 128-bit values of every magnitude */
            mpcsim_u128 r = (mpcsim_u128)mpcsim_test_rand64() << 64 | mpcsim_test_rand64();

            v = (mpcsim_i128)(r >> (i % 128));
        }
        paillier_encode_i128(g_pk, m, v);
        oracle_i128(want, v);
        mpz_mod(want, want, paillier_pk_n(g_pk));
        assert_true(mpz_cmp(m, want) == 0);
        assert_int_equal(paillier_decode_i128(g_pk, &got, m), 0);
        assert_true(got == v);
        paillier_encrypt_precomp(g_pk, c, m, &rng);
        paillier_decrypt(g_sk, d, c);
        assert_int_equal(paillier_decode_i128(g_pk, &got, d), 0);
        assert_true(got == v);
        paillier_decrypt_textbook(g_sk, d, c);
        assert_int_equal(paillier_decode_i128(g_pk, &got, d), 0);
        assert_true(got == v);
    }
    /* Just past the type, on either side: MPCSIM_ERANGE, out untouched. */
    {
        mpcsim_i128 got = 42;

        mpz_set_ui(m, 1);
        mpz_mul_2exp(m, m, 127); /* 2^127 */
        assert_int_equal(paillier_decode_i128(g_pk, &got, m), MPCSIM_ERANGE);
        mpz_sub(m, paillier_pk_n(g_pk), m); /* -2^127 */
        assert_int_equal(paillier_decode_i128(g_pk, &got, m), 0);
        assert_true(got == -max - 1);
        mpz_sub_ui(m, m, 1); /* -2^127 - 1 */
        got = 42;
        assert_int_equal(paillier_decode_i128(g_pk, &got, m), MPCSIM_ERANGE);
        assert_true(got == 42);
        mpz_set_ui(m, 1);
        mpz_mul_2exp(m, m, 300); /* far past: more than 128 bits */
        assert_int_equal(paillier_decode_i128(g_pk, &got, m), MPCSIM_ERANGE);
        mpz_sub(m, paillier_pk_n(g_pk), m); /* -2^300 */
        assert_int_equal(paillier_decode_i128(g_pk, &got, m), MPCSIM_ERANGE);
        assert_true(got == 42);
    }
    mpz_clears(m, want, c, d, NULL);
}

/*
 * Signed mpz plaintexts: every v with |v| < n/2, i.e. |v| <= (n-1)/2, is
 * encoded and comes back; (n+1)/2 on either side is MPCSIM_ERANGE.
 */
static void
test_paillier_encode_signed(void **state)
{
    mpz_t half, v, m, got, n1;

    (void)state;
    mpz_inits(half, v, m, got, n1, NULL);
    mpz_sub_ui(half, paillier_pk_n(g_pk), 1);
    mpz_fdiv_q_2exp(half, half, 1); /* (n - 1) / 2: n is odd */
    for (int s = -1; s <= 1; s += 2) {
        mpz_set(v, half);
        if (s < 0) {
            mpz_neg(v, v);
        }
        assert_int_equal(paillier_encode_signed(g_pk, m, v), 0);
        mpz_mod(n1, v, paillier_pk_n(g_pk));
        assert_true(mpz_cmp(m, n1) == 0);
        paillier_decode_signed(g_pk, got, m);
        assert_true(mpz_cmp(got, v) == 0);
        /* one past the half: refused, m untouched */
        if (s < 0) {
            mpz_sub_ui(v, v, 1);
        } else {
            mpz_add_ui(v, v, 1);
        }
        mpz_set_ui(m, 7);
        assert_int_equal(paillier_encode_signed(g_pk, m, v), MPCSIM_ERANGE);
        assert_int_equal(mpz_cmp_ui(m, 7), 0);
    }
    /* Small values, and the plaintext of the decoders' edge (n-1)/2 + 1. */
    mpz_set_si(v, -5);
    assert_int_equal(paillier_encode_signed(g_pk, m, v), 0);
    paillier_decode_signed(g_pk, got, m);
    assert_int_equal(mpz_cmp_si(got, -5), 0);
    mpz_add_ui(m, half, 1);
    paillier_decode_signed(g_pk, got, m); /* (n+1)/2 is -(n-1)/2 */
    mpz_neg(v, half);
    assert_true(mpz_cmp(got, v) == 0);
    mpz_clears(half, v, m, got, n1, NULL);
}

/* E(x)^k for 128-bit k decrypts to k x (mod n), against GMP. */
static void
test_paillier_scalar_mul_i128(void **state)
{
    const mpcsim_i128 ks[] = {0,
                              1,
                              -1,
                              (mpcsim_i128)1 << 100,
                              -((mpcsim_i128)1 << 126) + 1,
                              (mpcsim_i128)(((mpcsim_u128)1 << 127) - 1)};
    struct paillier_rng rng;
    mpz_t m, c, d, want, kz;

    (void)state;
    paillier_rng_init(&rng, key_b, 12);
    mpz_inits(m, c, d, want, kz, NULL);
    paillier_encode_i128(g_pk, m, -((mpcsim_i128)1 << 90) - 12345);
    paillier_encrypt(g_pk, c, m, &rng);
    for (size_t i = 0; i < sizeof(ks) / sizeof(ks[0]); i++) {
        mpz_t ck;

        mpz_init(ck);
        paillier_scalar_mul_i128(g_pk, ck, c, ks[i]);
        paillier_decrypt(g_sk, d, ck);
        oracle_i128(kz, ks[i]);
        mpz_mul(want, m, kz);
        mpz_mod(want, want, paillier_pk_n(g_pk));
        assert_true(mpz_cmp(d, want) == 0);
        mpz_clear(ck);
    }
    mpz_clears(m, c, d, want, kz, NULL);
}

/* Any t partials decrypt, t-1 do not; every subset agrees; t+1 are checked. */
static void
test_paillier_threshold_subsets(void **state)
{
    const unsigned np = 7, t = 4;
    struct paillier_threshold *th = NULL;
    struct paillier_rng rng;
    mpz_t m, c, got, part[7];
    unsigned idx[7];
    int64_t v = -424242;

    (void)state;
    paillier_rng_init(&rng, key_b, 5);
    assert_int_equal(paillier_threshold_deal(&th, g_sk, t, np, &rng), 0);
    assert_int_equal(paillier_threshold_t(th), t);
    mpz_inits(m, c, got, NULL);
    paillier_encode_i64(g_pk, m, v);
    paillier_encrypt_precomp(g_pk, c, m, &rng);
    for (unsigned i = 0; i < np; i++) {
        mpz_init(part[i]);
        paillier_partial_decrypt(th, part[i], i, c);
    }
    /* t - 1 */
    for (unsigned i = 0; i < np; i++) {
        idx[i] = i;
    }
    assert_int_equal(paillier_combine(th, got, (const mpz_t *)part, idx, t - 1), MPCSIM_ENOQUORUM);
    assert_int_equal(paillier_partials_consistent(th, (const mpz_t *)part, idx, t),
                     MPCSIM_ENOQUORUM);
    /* every t-subset (bitmask) gives the same plaintext */
    for (unsigned mask = 0; mask < (1u << np); mask++) {
        mpz_t sub[7];
        unsigned k = 0;

        if ((unsigned)__builtin_popcount(mask) != t &&
            (unsigned)__builtin_popcount(mask) != t + 1) {
            continue;
        }
        for (unsigned i = 0; i < np; i++) {
            if (mask & (1u << i)) {
                idx[k] = i;
                mpz_init_set(sub[k], part[i]);
                k++;
            }
        }
        assert_int_equal(paillier_combine(th, got, (const mpz_t *)sub, idx, k), 0);
        assert_true(mpz_cmp(got, m) == 0);
        if (k == t + 1) {
            assert_int_equal(paillier_partials_consistent(th, (const mpz_t *)sub, idx, k), 1);
            /* one wrong partial (times 2) is caught wherever it sits */
            for (unsigned bad = 0; bad < k; bad++) {
                mpz_mul_2exp(sub[bad], sub[bad], 1);
                mpz_mod(sub[bad], sub[bad], paillier_pk_n2(g_pk));
                assert_int_equal(paillier_partials_consistent(th, (const mpz_t *)sub, idx, k), 0);
                mpz_set(sub[bad], part[idx[bad]]);
            }
        }
        for (unsigned i = 0; i < k; i++) {
            mpz_clear(sub[i]);
        }
    }
    /* a wrong partial in a t-subset gives a wrong, out-of-range plaintext */
    {
        int64_t out = 0;

        for (unsigned i = 0; i < np; i++) {
            idx[i] = i;
        }
        mpz_mul_2exp(part[1], part[1], 1);
        mpz_mod(part[1], part[1], paillier_pk_n2(g_pk));
        assert_int_equal(paillier_combine(th, got, (const mpz_t *)part, idx, t), 0);
        assert_true(mpz_cmp(got, m) != 0);
        assert_int_equal(paillier_decode_i64(g_pk, &out, got), MPCSIM_ERANGE);
    }
    /* repeated and out-of-range indices */
    idx[1] = 0;
    assert_int_equal(paillier_combine(th, got, (const mpz_t *)part, idx, t), MPCSIM_EINVAL);
    idx[1] = np;
    assert_int_equal(paillier_combine(th, got, (const mpz_t *)part, idx, t), MPCSIM_EINVAL);
    for (unsigned i = 0; i < np; i++) {
        mpz_clear(part[i]);
    }
    mpz_clears(m, c, got, NULL);
    paillier_threshold_destroy(th);
}

/* Edge thresholds: t = 1 and t = n; a homomorphic sum decrypted by threshold. */
static void
test_paillier_threshold_edges(void **state)
{
    struct paillier_threshold *th = NULL;
    struct paillier_rng rng;
    mpz_t m, c, got, part[5];
    unsigned idx[5] = {4, 2, 0, 1, 3};

    (void)state;
    paillier_rng_init(&rng, key_b, 6);
    mpz_inits(m, c, got, NULL);
    for (unsigned i = 0; i < 5; i++) {
        mpz_init(part[i]);
    }
    for (unsigned t = 1; t <= 5; t += 4) {
        mpz_t sum;

        assert_int_equal(paillier_threshold_deal(&th, g_sk, t, 5, &rng), 0);
        mpz_init_set_ui(sum, 1);
        for (int i = 0; i < 5; i++) {
            paillier_encode_i64(g_pk, m, -100 * i + 7);
            paillier_encrypt_precomp(g_pk, c, m, &rng);
            paillier_add(g_pk, sum, sum, c);
        }
        for (unsigned i = 0; i < 5; i++) {
            paillier_partial_decrypt(th, part[i], idx[i], sum);
        }
        assert_int_equal(paillier_combine(th, got, (const mpz_t *)part, idx, t), 0);
        paillier_encode_i64(g_pk, m, 35 - 1000);
        assert_true(mpz_cmp(got, m) == 0);
        mpz_clear(sum);
        paillier_threshold_destroy(th);
        th = NULL;
    }
    assert_int_equal(paillier_threshold_deal(&th, g_sk, 0, 5, &rng), MPCSIM_EINVAL);
    assert_int_equal(paillier_threshold_deal(&th, g_sk, 6, 5, &rng), MPCSIM_EINVAL);
    for (unsigned i = 0; i < 5; i++) {
        mpz_clear(part[i]);
    }
    mpz_clears(m, c, got, NULL);
}

/* The rng replays and its streams differ. */
static void
test_paillier_rng(void **state)
{
    struct paillier_rng a, b;
    uint8_t x[100], y[100];

    (void)state;
    paillier_rng_init(&a, key_a, 0);
    paillier_rng_init(&b, key_a, 0);
    paillier_rng_bytes(&a, x, sizeof(x));
    paillier_rng_bytes(&b, y, sizeof(y));
    assert_memory_equal(x, y, sizeof(x));
    paillier_rng_bytes(&a, x, sizeof(x));
    assert_memory_not_equal(x, y, sizeof(x));
    paillier_rng_init(&b, key_a, 1);
    paillier_rng_bytes(&b, y, sizeof(y));
    paillier_rng_init(&a, key_a, 0);
    paillier_rng_bytes(&a, x, sizeof(x));
    assert_memory_not_equal(x, y, sizeof(x));
    paillier_rng_clear(&a);
    paillier_rng_clear(&b);
}

/* Every allocation failure in a constructor is reported and leaks nothing. */
static void
test_paillier_create_oom(void **state)
{
    (void)state;
    for (int n = 0;; n++) {
        struct paillier_pk *pk = NULL;
        struct paillier_sk *sk = NULL;
        struct paillier_rng rng;
        int rc;

        paillier_rng_init(&rng, key_a, 0);
        mpcsim_test_fail_alloc_after(n);
        rc = paillier_keygen(&pk, &sk, 1024, PAILLIER_PRECOMP, &rng);
        mpcsim_test_fail_alloc_after(-1);
        if (rc == 0) {
            paillier_sk_destroy(sk);
            paillier_pk_destroy(pk);
            break;
        }
        assert_int_equal(rc, MPCSIM_ENOMEM);
        assert_null(pk);
        assert_null(sk);
    }
    for (int n = 0;; n++) {
        struct paillier_pk *pk = NULL;
        struct paillier_rng rng;
        int rc;

        paillier_rng_init(&rng, key_a, 0);
        mpcsim_test_fail_alloc_after(n);
        rc = paillier_pk_create(&pk, paillier_pk_n(g_pk), PAILLIER_PRECOMP, &rng);
        mpcsim_test_fail_alloc_after(-1);
        if (rc == 0) {
            paillier_pk_destroy(pk);
            break;
        }
        assert_int_equal(rc, MPCSIM_ENOMEM);
        assert_null(pk);
    }
    for (int n = 0;; n++) {
        struct paillier_acc *acc = NULL;
        int rc;

        mpcsim_test_fail_alloc_after(n);
        rc = paillier_acc_create(&acc, g_pk);
        mpcsim_test_fail_alloc_after(-1);
        if (rc == 0) {
            paillier_acc_destroy(acc);
            break;
        }
        assert_int_equal(rc, MPCSIM_ENOMEM);
        assert_null(acc);
    }
    for (int n = 0;; n++) {
        struct paillier_threshold *th = NULL;
        struct paillier_rng rng;
        int rc;

        paillier_rng_init(&rng, key_a, 0);
        mpcsim_test_fail_alloc_after(n);
        rc = paillier_threshold_deal(&th, g_sk, 3, 5, &rng);
        mpcsim_test_fail_alloc_after(-1);
        if (rc == 0) {
            paillier_threshold_destroy(th);
            break;
        }
        assert_int_equal(rc, MPCSIM_ENOMEM);
        assert_null(th);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paillier_roundtrip_1024),
        cmocka_unit_test(test_paillier_roundtrip_2048),
        cmocka_unit_test(test_paillier_roundtrip_3072),
        cmocka_unit_test(test_paillier_roundtrip_4096),
        cmocka_unit_test(test_paillier_keygen_deterministic),
        cmocka_unit_test(test_paillier_homomorphic),
        cmocka_unit_test(test_paillier_crt_equals_textbook),
        cmocka_unit_test(test_paillier_decode_rejects),
        cmocka_unit_test(test_paillier_encode_i128),
        cmocka_unit_test(test_paillier_encode_signed),
        cmocka_unit_test(test_paillier_scalar_mul_i128),
        cmocka_unit_test(test_paillier_threshold_subsets),
        cmocka_unit_test(test_paillier_threshold_edges),
        cmocka_unit_test(test_paillier_rng),
        cmocka_unit_test(test_paillier_create_oom),
    };

    mpcsim_test_init();
    return cmocka_run_group_tests_name("paillier", tests, group_setup, group_teardown);
}
