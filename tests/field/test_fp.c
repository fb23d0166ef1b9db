/* SPDX-License-Identifier: MIT */
/*
 * tests/field/test_fp.c - scalar GF(2^61 - 1) arithmetic against GMP, the
 * signed conversions, the wire format and the ChaCha20 sampler.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include <gmp.h>
#include <gsl/gsl_cdf.h>
#include <sodium.h>

#include "protocols/field/fp.h"
#include "protocols/field/fp_stream.h"
#include "tests/support.h"

#define P FP_P

/* Inputs worth trying: edges, then random elements. */
static uint64_t
pick_element(int i)
{
    static const uint64_t edges[] = {0,
                                     1,
                                     2,
                                     P - 1,
                                     P - 2,
                                     (P - 1) / 2,
                                     (P + 1) / 2,
                                     (uint64_t)1 << 60,
                                     ((uint64_t)1 << 32) - 1,
                                     (uint64_t)1 << 32};
    if (i < (int)(sizeof(edges) / sizeof(edges[0]))) {
        return edges[i];
    }
    return mpcsim_test_rand64() % P;
}

/* r = x mod p (GMP) as a uint64_t. */
static uint64_t
gmp_mod(const mpz_t x)
{
    mpz_t r, p;
    uint64_t v;

    mpz_inits(r, p, NULL);
    mpz_set_ui(p, P);
    mpz_mod(r, x, p);
    v = mpz_get_ui(r);
    mpz_clears(r, p, NULL);
    return v;
}

static void
test_fp_reduce(void **state)
{
    static const uint64_t edges[] = {0,
                                     1,
                                     P - 1,
                                     P,
                                     P + 1,
                                     (uint64_t)1 << 61,
                                     2 * P,
                                     2 * P + 1,
                                     UINT64_MAX,
                                     UINT64_MAX - 1,
                                     UINT64_MAX - P};
    mpz_t x;

    (void)state;
    mpz_init(x);
    for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]) + 1000; i++) {
        uint64_t v = i < sizeof(edges) / sizeof(edges[0]) ? edges[i] : mpcsim_test_rand64();

        mpz_set_ui(x, v);
        assert_true(fp_reduce64(v) == gmp_mod(x));
    }
    /* 128-bit: all ones, 2^127, p^2, p^2 - 1, random. */
    for (int i = 0; i < 1000; i++) {
        uint64_t hi, lo;
        mpcsim_u128 v;

        switch (i) {
        case 0:
            hi = UINT64_MAX;
            lo = UINT64_MAX;
            break;
        case 1:
            hi = (uint64_t)1 << 63;
            lo = 0;
            break;
        case 2:
        case 3: {
            mpcsim_u128 pp = (mpcsim_u128)P * P - (uint64_t)(i - 2);
            hi = (uint64_t)(pp >> 64);
            lo = (uint64_t)pp;
            break;
        }
        default:
            hi = mpcsim_test_rand64();
            lo = mpcsim_test_rand64();
        }
        v = ((mpcsim_u128)hi << 64) | lo;
        mpz_set_ui(x, hi);
        mpz_mul_2exp(x, x, 64);
        mpz_add_ui(x, x, lo);
        assert_true(fp_reduce128(v) == gmp_mod(x));
    }
    mpz_clear(x);
}

/* add, sub, neg, mul, sqr, pow, inv against GMP. */
static void
test_fp_ops_vs_gmp(void **state)
{
    mpz_t x, y, r, p;

    (void)state;
    mpz_inits(x, y, r, p, NULL);
    mpz_set_ui(p, P);
    for (int i = 0; i < 3000; i++) {
        uint64_t a = pick_element(i % 40 < 10 ? i % 40 : 99);
        uint64_t b = pick_element(i / 40 < 10 ? i / 40 : 99);
        uint64_t e = mpcsim_test_rand64() >> (i % 64);
        uint64_t inv = 0;

        mpz_set_ui(x, a);
        mpz_set_ui(y, b);
        mpz_add(r, x, y);
        assert_true(fp_add(a, b) == gmp_mod(r));
        mpz_sub(r, x, y);
        assert_true(fp_sub(a, b) == gmp_mod(r));
        mpz_neg(r, x);
        assert_true(fp_neg(a) == gmp_mod(r));
        mpz_mul(r, x, y);
        assert_true(fp_mul(a, b) == gmp_mod(r));
        mpz_mul(r, x, x);
        assert_true(fp_sqr(a) == gmp_mod(r));
        mpz_powm_ui(r, x, e, p);
        assert_true(fp_pow(a, e) == mpz_get_ui(r));
        if (a == 0) {
            assert_int_equal(fp_inv(&inv, a), MPCSIM_EZERODIV);
        } else {
            assert_int_equal(fp_inv(&inv, a), 0);
            assert_int_equal(mpz_invert(r, x, p), 1);
            assert_true(inv == mpz_get_ui(r));
        }
    }
    /* Products near p^2. */
    assert_true(fp_mul(P - 1, P - 1) == 1);
    assert_true(fp_sqr(P - 2) == 4);
    mpz_clears(x, y, r, p, NULL);
}

static void
test_fp_int64(void **state)
{
    static const int64_t ok[] = {0,
                                 1,
                                 -1,
                                 42,
                                 -42,
                                 (int64_t)FP_HALF,
                                 -(int64_t)FP_HALF,
                                 (int64_t)FP_HALF - 1,
                                 -(int64_t)FP_HALF + 1};
    static const int64_t bad[] = {
        (int64_t)FP_HALF + 1, -(int64_t)FP_HALF - 1, INT64_MAX, INT64_MIN, (int64_t)P, -(int64_t)P};
    uint64_t v = 12345;

    (void)state;
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        assert_int_equal(fp_from_int64(&v, ok[i]), 0);
        assert_true(v < P);
        assert_true(fp_to_int64(v) == ok[i]);
    }
    assert_int_equal(fp_from_int64(&v, -1), 0);
    assert_true(v == P - 1);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        v = 777;
        assert_int_equal(fp_from_int64(&v, bad[i]), MPCSIM_ERANGE);
        assert_true(v == 777);
    }
    for (int i = 0; i < 1000; i++) {
        int64_t x = (int64_t)(mpcsim_test_rand64() >> 4) - (int64_t)((uint64_t)1 << 59);
        uint64_t a = 0, b = 0;

        assert_int_equal(fp_from_int64(&a, x), 0);
        assert_true(fp_to_int64(a) == x);
        /* The map is a homomorphism within range. */
        assert_int_equal(fp_from_int64(&b, x / 2), 0);
        assert_true(fp_to_int64(fp_add(a, b)) == x + x / 2 || x + x / 2 > (int64_t)FP_HALF ||
                    x + x / 2 < -(int64_t)FP_HALF);
    }
    assert_true(fp_to_int64((P + 1) / 2) == -(int64_t)FP_HALF);
}

static void
test_fp_wire(void **state)
{
    uint8_t buf[4 * FP_BYTES];
    uint64_t v = 0;
    uint64_t vec[4] = {0, 1, P - 1, 0x0123456789ABCDEULL};
    uint64_t back[4];
    size_t bad = 99;

    (void)state;
    fp_encode(buf, 0x0102030405060708ULL);
    assert_int_equal(buf[0], 0x08);
    assert_int_equal(buf[7], 0x01);
    assert_int_equal(fp_decode(&v, buf), 0);
    assert_true(v == 0x0102030405060708ULL);

    for (int i = 0; i < 8; i++) {
        buf[i] = 0xFF;
    }
    v = 5;
    assert_int_equal(fp_decode(&v, buf), MPCSIM_EDECODE); /* 2^64 - 1 */
    assert_true(v == 5);
    fp_encode(buf, P); /* p itself is not canonical */
    assert_int_equal(fp_decode(&v, buf), MPCSIM_EDECODE);
    fp_encode(buf, (uint64_t)1 << 61);
    assert_int_equal(fp_decode(&v, buf), MPCSIM_EDECODE);
    fp_encode(buf, P - 1);
    assert_int_equal(fp_decode(&v, buf), 0);
    assert_true(v == P - 1);

    fp_vec_encode(buf, vec, 4);
    assert_int_equal(fp_vec_decode(back, &bad, buf, 4), 0);
    assert_memory_equal(back, vec, sizeof(vec));
    assert_int_equal(fp_vec_decode(back, &bad, buf, 0), 0);
    buf[2 * FP_BYTES + 7] = 0x20; /* element 2 becomes >= 2^61 */
    assert_int_equal(fp_vec_decode(back, &bad, buf, 4), MPCSIM_EDECODE);
    assert_int_equal(bad, 2);
    assert_int_equal(fp_vec_decode(back, NULL, buf, 2), 0);
}

static const uint8_t key1[FP_STREAM_KEYBYTES] = {1, 2, 3, 4, 5, 6, 7, 8};

/* Same key and id replay; another id or key gives another stream. */
static void
test_fp_stream_determinism(void **state)
{
    struct fp_stream *s1 = NULL, *s2 = NULL, *s3 = NULL;
    uint64_t a[300], b[300], c[300];
    uint8_t ba[100], bb[100];

    (void)state;
    assert_int_equal(fp_stream_create(&s1, key1, 7), 0);
    assert_int_equal(fp_stream_create(&s2, key1, 7), 0);
    assert_int_equal(fp_stream_create(&s3, key1, 8), 0);
    fp_stream_fill(s1, a, 300);
    for (int i = 0; i < 300; i++) {
        b[i] = fp_stream_next(s2);
        assert_true(a[i] < P);
    }
    fp_stream_fill(s3, c, 300);
    assert_memory_equal(a, b, sizeof(a));
    assert_memory_not_equal(a, c, sizeof(a));
    fp_stream_bytes(s1, ba, 37);
    fp_stream_bytes(s1, ba + 37, 63);
    fp_stream_bytes(s2, bb, 100);
    assert_memory_equal(ba, bb, sizeof(ba));
    fp_stream_destroy(s1);
    fp_stream_destroy(s2);
    fp_stream_destroy(s3);
    fp_stream_destroy(NULL);
}

/* The keystream is libsodium's ChaCha20 with the stream id as 64-bit nonce. */
static void
test_fp_stream_bytes_match_chacha(void **state)
{
    struct fp_stream *s = NULL;
    uint8_t got[600], want[600];
    uint8_t nonce[8] = {9, 0, 0, 0, 0, 0, 0, 0};
    uint64_t first, v = 0;

    (void)state;
    assert_int_equal(fp_stream_create(&s, key1, 9), 0);
    fp_stream_bytes(s, got, sizeof(got)); /* crosses a refill */
    fp_stream_destroy(s);
    assert_int_equal(crypto_stream_chacha20(want, sizeof(want), nonce, key1), 0);
    assert_memory_equal(got, want, sizeof(got));

    /* An element is the low 61 bits of 8 keystream bytes, little-endian. */
    assert_int_equal(fp_stream_create(&s, key1, 9), 0);
    first = fp_stream_next(s);
    fp_stream_destroy(s);
    for (int i = 7; i >= 0; i--) {
        v = (v << 8) | want[i];
    }
    assert_true(first == (v & P));
}

/* 64 equal buckets of [0, p): chi-square at a fixed seed. */
static void
test_fp_stream_chisq(void **state)
{
    struct fp_stream *s = NULL;
    enum { BUCKETS = 64, SAMPLES = 640000 };
    double count[BUCKETS] = {0};
    double expect = (double)SAMPLES / BUCKETS;
    double chi = 0;
    double pval;
    uint64_t low_bits = 0;

    (void)state;
    assert_int_equal(fp_stream_create(&s, key1, 42), 0);
    for (int i = 0; i < SAMPLES; i++) {
        uint64_t v = fp_stream_next(s);

        /* p / 64 is not whole; bucket by (v * 64) / p via the top bits. */
        count[(int)(((mpcsim_u128)v * BUCKETS) / P)] += 1;
        low_bits ^= v;
    }
    fp_stream_destroy(s);
    for (int j = 0; j < BUCKETS; j++) {
        chi += (count[j] - expect) * (count[j] - expect) / expect;
    }
    pval = gsl_cdf_chisq_Q(chi, BUCKETS - 1);
    print_message("chi2 = %.2f, p-value = %.4f\n", chi, pval);
    assert_true(pval > 0.001);
    assert_true(low_bits != 0);
}

static void
test_fp_stream_create_oom(void **state)
{
    (void)state;
    for (int n = 0;; n++) {
        struct fp_stream *s = NULL;
        int rc;

        mpcsim_test_fail_alloc_after(n);
        rc = fp_stream_create(&s, key1, 1);
        mpcsim_test_fail_alloc_after(-1);
        if (rc == 0) {
            fp_stream_destroy(s);
            break;
        }
        assert_int_equal(rc, MPCSIM_ENOMEM);
        assert_null(s);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fp_reduce),
        cmocka_unit_test(test_fp_ops_vs_gmp),
        cmocka_unit_test(test_fp_int64),
        cmocka_unit_test(test_fp_wire),
        cmocka_unit_test(test_fp_stream_determinism),
        cmocka_unit_test(test_fp_stream_bytes_match_chacha),
        cmocka_unit_test(test_fp_stream_chisq),
        cmocka_unit_test(test_fp_stream_create_oom),
    };

    mpcsim_test_init();
    return cmocka_run_group_tests_name("fp", tests, NULL, NULL);
}
