/* SPDX-License-Identifier: MIT */
/*
 * tests/field/test_f127.c - scalar GF(2^127 - 1) arithmetic against GMP
 * at edge and random values, the reductions, the signed embedding, the
 * wire format, and every f127_vec implementation against the scalar
 * functions (and GMP for the dot product).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include <gmp.h>

#include "common/alloc.h"
#include "protocols/field/f127.h"
#include "protocols/field/f127_stream.h"
#include "protocols/field/f127_vec.h"
#include "tests/support.h"

#define P F127_P
#define U128(hi, lo) (((mpcsim_u128)(hi) << 64) | (mpcsim_u128)(lo))
#define NRAND 2000

/* Elements worth trying: edges of the field and of the limbs. */
static const mpcsim_u128 edges[] = {
    0,
    1,
    2,
    3,
    P - 1,
    P - 2,
    (P - 1) / 2, /* 2^126 - 1 */
    (P + 1) / 2, /* 2^126 */
    (P + 3) / 2,
    U128(0, UINT64_MAX),
    U128(1, 0),
    U128(1, 1),
    U128(0, (uint64_t)1 << 63),
    U128(0x7FFFFFFFFFFFFFFFULL, 0),
    U128(0x7FFFFFFFFFFFFFFFULL, UINT64_MAX - 1), /* p - 1 again via limbs */
    U128(0x4000000000000000ULL, UINT64_MAX),
    U128(0x3FFFFFFFFFFFFFFFULL, UINT64_MAX), /* 2^126 - 1 */
};
#define NEDGES (sizeof(edges) / sizeof(edges[0]))

static mpcsim_u128
rand128(void)
{
    uint64_t hi = mpcsim_test_rand64();

    return U128(hi, mpcsim_test_rand64());
}

/* A random element: sometimes with sparse or saturated limbs. */
static mpcsim_u128
rand_elem(void)
{
    mpcsim_u128 x = rand128() & P;

    switch (mpcsim_test_rand64() % 8) {
    case 0:
        x &= U128(0, UINT64_MAX);
        break;
    case 1:
        x |= U128(0x7FFFFFFFFFFFFFFFULL, 0);
        break;
    default:
        break;
    }
    return x == P ? 0 : x;
}

static mpcsim_u128
pick_element(size_t i)
{
    return i < NEDGES ? edges[i] : rand_elem();
}

static void
to_mpz(mpz_t r, mpcsim_u128 x)
{
    mpz_set_ui(r, (unsigned long)(uint64_t)(x >> 64));
    mpz_mul_2exp(r, r, 64);
    mpz_add_ui(r, r, (unsigned long)(uint64_t)x);
}

/* x mod p (GMP, x any sign) as an element. */
static mpcsim_u128
gmp_mod(const mpz_t x)
{
    mpz_t r, p, hi;
    mpcsim_u128 v;

    mpz_inits(r, p, hi, NULL);
    to_mpz(p, P);
    mpz_mod(r, x, p);
    mpz_tdiv_q_2exp(hi, r, 64);
    v = U128(mpz_get_ui(hi), mpz_get_ui(r)); /* mpz_get_ui: the low 64 bits */
    mpz_clears(r, p, hi, NULL);
    return v;
}

static void
test_f127_constants(void **state)
{
    mpz_t p;

    (void)state;
    mpz_init(p);
    to_mpz(p, P);
    assert_true(mpz_probab_prime_p(p, 30) > 0);
    assert_int_equal(mpz_sizeinbase(p, 2), 127);
    mpz_clear(p);
    assert_true(F127_HALF == ((mpcsim_u128)1 << 126) - 1);
    assert_true(2 * F127_HALF + 1 == P);
}

static void
test_f127_reduce(void **state)
{
    static const mpcsim_u128 special[] = {0,
                                          1,
                                          P - 1,
                                          P,
                                          P + 1,
                                          P + 2,
                                          2 * P - 1,
                                          2 * P,
                                          2 * P + 1,
                                          (mpcsim_u128)1 << 127,
                                          ~(mpcsim_u128)0,
                                          ~(mpcsim_u128)0 - 1,
                                          ~(mpcsim_u128)0 - P,
                                          U128(UINT64_MAX, 0)};
    const size_t ns = sizeof(special) / sizeof(special[0]);
    mpz_t x, h;

    (void)state;
    mpz_inits(x, h, NULL);
    for (size_t i = 0; i < ns + NRAND; i++) {
        mpcsim_u128 v = i < ns ? special[i] : rand128();

        to_mpz(x, v);
        assert_true(f127_reduce128(v) == gmp_mod(x));
    }
    /* 256-bit values hi 2^128 + lo, every pair of specials, then random. */
    for (size_t i = 0; i < ns * ns + NRAND; i++) {
        mpcsim_u128 hi = i < ns * ns ? special[i / ns] : rand128();
        mpcsim_u128 lo = i < ns * ns ? special[i % ns] : rand128();

        to_mpz(x, hi);
        mpz_mul_2exp(x, x, 128);
        to_mpz(h, lo);
        mpz_add(x, x, h);
        assert_true(f127_reduce256(hi, lo) == gmp_mod(x));
    }
    mpz_clears(x, h, NULL);
}

/* add, sub, neg, mul, sqr over all edge pairs and random pairs. */
static void
test_f127_ops_vs_gmp(void **state)
{
    mpz_t a, b, r;

    (void)state;
    mpz_inits(a, b, r, NULL);
    for (size_t k = 0; k < NEDGES * NEDGES + 20 * NRAND; k++) {
        mpcsim_u128 x = k < NEDGES * NEDGES ? edges[k / NEDGES] : pick_element(k % 50);
        mpcsim_u128 y = k < NEDGES * NEDGES ? edges[k % NEDGES] : rand_elem();

        to_mpz(a, x);
        to_mpz(b, y);
        mpz_add(r, a, b);
        assert_true(f127_add(x, y) == gmp_mod(r));
        mpz_sub(r, a, b);
        assert_true(f127_sub(x, y) == gmp_mod(r));
        mpz_neg(r, a);
        assert_true(f127_neg(x) == gmp_mod(r));
        mpz_mul(r, a, b);
        assert_true(f127_mul(x, y) == gmp_mod(r));
        assert_true(f127_mul(y, x) == gmp_mod(r));
        mpz_mul(r, a, a);
        assert_true(f127_sqr(x) == gmp_mod(r));
    }
    mpz_clears(a, b, r, NULL);
}

static void
test_f127_pow_inv_vs_gmp(void **state)
{
    static const mpcsim_u128 exps[] = {
        0, 1, 2, 3, P - 2, P - 1, P, (mpcsim_u128)1 << 126, ~(mpcsim_u128)0};
    const size_t ne = sizeof(exps) / sizeof(exps[0]);
    mpz_t a, e, p, r;

    (void)state;
    mpz_inits(a, e, p, r, NULL);
    to_mpz(p, P);
    for (size_t k = 0; k < NEDGES + 500; k++) {
        mpcsim_u128 x = pick_element(k);
        mpcsim_u128 ex = k % 3 == 0 ? rand128() : exps[k % ne];
        mpcsim_u128 inv = 12345;

        to_mpz(a, x);
        to_mpz(e, ex);
        mpz_powm(r, a, e, p);
        assert_true(f127_pow(x, ex) == gmp_mod(r));
        if (x == 0) {
            assert_int_equal(f127_inv(&inv, x), MPCSIM_EZERODIV);
            assert_true(inv == 12345); /* untouched */
            continue;
        }
        assert_int_equal(f127_inv(&inv, x), 0);
        assert_true(mpz_invert(r, a, p) != 0);
        assert_true(inv == gmp_mod(r));
        assert_true(f127_mul(inv, x) == 1);
    }
    mpz_clears(a, e, p, r, NULL);
}

static void
test_f127_int128(void **state)
{
    const mpcsim_i128 half = (mpcsim_i128)F127_HALF;
    static const int64_t small[] = {0, 1, -1, 2, -2, INT64_MAX, INT64_MIN, 1000000000000000000LL};
    mpcsim_u128 v = 77;

    (void)state;
    /* Bounds: |x| <= 2^126 - 1 converts, one more is refused untouched. */
    assert_int_equal(f127_from_int128(&v, half), 0);
    assert_true(v == F127_HALF);
    assert_true(f127_to_int128(v) == half);
    assert_int_equal(f127_from_int128(&v, -half), 0);
    assert_true(v == F127_HALF + 1);
    assert_true(f127_to_int128(v) == -half);
    v = 77;
    assert_int_equal(f127_from_int128(&v, half + 1), MPCSIM_ERANGE);
    assert_int_equal(f127_from_int128(&v, -half - 1), MPCSIM_ERANGE);
    assert_int_equal(f127_from_int128(&v, (mpcsim_i128)((mpcsim_u128)1 << 127)), MPCSIM_ERANGE);
    assert_true(v == 77);
    assert_true(f127_to_int128(P - 1) == -1);
    assert_true(f127_to_int128(0) == 0);
    for (size_t i = 0; i < sizeof(small) / sizeof(small[0]); i++) {
        assert_int_equal(f127_from_int128(&v, small[i]), 0);
        assert_true(v == f127_from_int64(small[i]));
        assert_true(f127_to_int128(v) == small[i]);
    }
    /* Random signed values: round trip, and sums/products stay exact while in range. */
    for (int k = 0; k < NRAND; k++) {
        mpcsim_i128 x = (mpcsim_i128)(rand128() >> 2) - (mpcsim_i128)((mpcsim_u128)1 << 125);
        mpcsim_i128 y = (mpcsim_i128)(rand128() >> 2) - (mpcsim_i128)((mpcsim_u128)1 << 125);
        mpcsim_i128 s = (mpcsim_i128)(int64_t)mpcsim_test_rand64();
        mpcsim_u128 fx = 0, fy = 0, fs = 0;

        assert_int_equal(f127_from_int128(&fx, x), 0);
        assert_int_equal(f127_from_int128(&fy, y), 0);
        assert_int_equal(f127_from_int128(&fs, s), 0);
        assert_true(f127_to_int128(fx) == x);
        assert_true(f127_to_int128(f127_add(fx, fy)) == x + y); /* |x + y| < 2^126 */
        assert_true(f127_to_int128(f127_sub(fx, fy)) == x - y);
        assert_true(f127_to_int128(f127_mul(fs, f127_from_int64(3))) == 3 * s);
    }
}

static void
test_f127_wire(void **state)
{
    uint8_t buf[4 * F127_BYTES];
    mpcsim_u128 out[4] = {0};
    mpcsim_u128 v = 5;
    size_t bad = 99;

    (void)state;
    /* Little-endian, low limb first. */
    f127_encode(buf, U128(0x0102030405060708ULL, 0x1112131415161718ULL));
    assert_int_equal(buf[0], 0x18);
    assert_int_equal(buf[7], 0x11);
    assert_int_equal(buf[8], 0x08);
    assert_int_equal(buf[15], 0x01);
    for (size_t i = 0; i < NEDGES + NRAND; i++) {
        mpcsim_u128 x = pick_element(i);

        f127_encode(buf, x);
        assert_int_equal(f127_decode(&v, buf), 0);
        assert_true(v == x);
    }
    /* p, p + 1 and 2^128 - 1 are refused, *out untouched. */
    v = 5;
    f127_encode(buf, P); /* encode writes any 128-bit value */
    assert_int_equal(f127_decode(&v, buf), MPCSIM_EDECODE);
    f127_encode(buf, P + 1);
    assert_int_equal(f127_decode(&v, buf), MPCSIM_EDECODE);
    memset(buf, 0xFF, F127_BYTES);
    assert_int_equal(f127_decode(&v, buf), MPCSIM_EDECODE);
    assert_true(v == 5);
    /* Vectors: the first bad index is named. */
    out[0] = 1;
    out[1] = P - 1;
    out[2] = P;
    out[3] = ~(mpcsim_u128)0;
    f127_vec_encode(buf, out, 4);
    assert_int_equal(f127_vec_decode(out, &bad, buf, 4), MPCSIM_EDECODE);
    assert_int_equal(bad, 2);
    assert_int_equal(f127_vec_decode(out, NULL, buf, 2), 0);
    assert_true(out[0] == 1 && out[1] == P - 1);
}

/* n random elements (edges first) in a mpcsim_malloc'd array. */
static mpcsim_u128 *
rand_vec(size_t n, int nonzero)
{
    mpcsim_u128 *v = mpcsim_malloc((n + 1) * sizeof(*v));

    assert_non_null(v);
    for (size_t i = 0; i < n; i++) {
        v[i] = pick_element((i * 7) % 64);
        if (nonzero && v[i] == 0) {
            v[i] = 1;
        }
    }
    return v;
}

/* Every implementation against the scalar functions, out == a included. */
static void
test_f127_vec_impls_agree(void **state)
{
    static const size_t lens[] = {0, 1, 2, 3, 7, 8, 9, 31, 33, 100, 1001};

    (void)state;
    for (int impl = 0; impl < F127_VEC_IMPL_COUNT; impl++) {
        const struct f127_vec_ops *ops = f127_vec_ops_get((enum f127_vec_impl)impl);

        if (ops == NULL) {
            continue;
        }
        assert_int_equal(ops->impl, impl);
        for (size_t li = 0; li < sizeof(lens) / sizeof(lens[0]); li++) {
            size_t n = lens[li];
            mpcsim_u128 *a = rand_vec(n, 0), *b = rand_vec(n, 0), *out = rand_vec(n, 0);
            mpcsim_u128 s = rand_elem(), dot = 0;

            ops->add(out, a, b, n);
            for (size_t i = 0; i < n; i++) {
                assert_true(out[i] == f127_add(a[i], b[i]));
            }
            ops->sub(out, a, b, n);
            for (size_t i = 0; i < n; i++) {
                assert_true(out[i] == f127_sub(a[i], b[i]));
            }
            ops->mul(out, a, b, n);
            for (size_t i = 0; i < n; i++) {
                assert_true(out[i] == f127_mul(a[i], b[i]));
            }
            ops->scale(out, a, s, n);
            for (size_t i = 0; i < n; i++) {
                assert_true(out[i] == f127_mul(a[i], s));
            }
            for (size_t i = 0; i < n; i++) {
                dot = f127_add(dot, f127_mul(a[i], b[i]));
            }
            assert_true(ops->dot(a, b, n) == dot);
            /* In place: out == a. */
            memcpy(out, a, n * sizeof(*a));
            ops->mul(out, out, b, n);
            for (size_t i = 0; i < n; i++) {
                assert_true(out[i] == f127_mul(a[i], b[i]));
            }
            memcpy(out, a, n * sizeof(*a));
            ops->add(out, out, b, n);
            for (size_t i = 0; i < n; i++) {
                assert_true(out[i] == f127_add(a[i], b[i]));
            }
            mpcsim_free(a);
            mpcsim_free(b);
            mpcsim_free(out);
        }
    }
}

/* The lazy dot product at its worst (every term (p-1)^2) against GMP. */
static void
test_f127_vec_dot_vs_gmp(void **state)
{
    const size_t n = 20000;
    mpcsim_u128 *a = rand_vec(n, 0), *b = rand_vec(n, 0);
    mpz_t acc, x, y;

    (void)state;
    mpz_inits(acc, x, y, NULL);
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) {
            for (size_t i = 0; i < n; i++) {
                a[i] = P - 1;
                b[i] = i % 3 == 0 ? P - 2 : P - 1;
            }
        }
        mpz_set_ui(acc, 0);
        for (size_t i = 0; i < n; i++) {
            to_mpz(x, a[i]);
            to_mpz(y, b[i]);
            mpz_addmul(acc, x, y);
        }
        for (int impl = 0; impl < F127_VEC_IMPL_COUNT; impl++) {
            const struct f127_vec_ops *ops = f127_vec_ops_get((enum f127_vec_impl)impl);

            if (ops != NULL) {
                assert_true(ops->dot(a, b, n) == gmp_mod(acc));
            }
        }
        assert_true(f127_vec_dot(a, b, n) == gmp_mod(acc));
    }
    mpz_clears(acc, x, y, NULL);
    mpcsim_free(a);
    mpcsim_free(b);
}

static void
test_f127_vec_batch_inv(void **state)
{
    static const size_t lens[] = {0, 1, 2, 7, 8, 9, 15, 16, 17, 100, 1003};

    (void)state;
    for (int impl = 0; impl < F127_VEC_IMPL_COUNT; impl++) {
        const struct f127_vec_ops *ops = f127_vec_ops_get((enum f127_vec_impl)impl);

        if (ops == NULL) {
            continue;
        }
        for (size_t li = 0; li < sizeof(lens) / sizeof(lens[0]); li++) {
            size_t n = lens[li];
            mpcsim_u128 *a = rand_vec(n, 1), *out = rand_vec(n, 0);
            size_t zi = 12345;

            assert_int_equal(ops->batch_inv(out, &zi, a, n), 0);
            for (size_t i = 0; i < n; i++) {
                mpcsim_u128 inv = 0;

                assert_int_equal(f127_inv(&inv, a[i]), 0);
                assert_true(out[i] == inv);
            }
            if (n >= 2) {
                a[n / 2] = 0;
                a[n - 1] = 0;
                assert_int_equal(ops->batch_inv(out, &zi, a, n), MPCSIM_EZERODIV);
                assert_int_equal(zi, n / 2 == n - 1 ? n - 1 : n / 2);
                assert_int_equal(ops->batch_inv(out, NULL, a, n), MPCSIM_EZERODIV);
            }
            mpcsim_free(a);
            mpcsim_free(out);
        }
    }
}

/* Products of every pair of edges and of random elements, each table
 * against f127_mul (the SIMD lanes see every edge in every position). */
static void
test_f127_vec_mul_edges(void **state)
{
    const size_t n = NEDGES * NEDGES + 4099;
    mpcsim_u128 *a = rand_vec(n, 0), *b = rand_vec(n, 0), *out = rand_vec(n, 0);

    (void)state;
    for (size_t k = 0; k < n; k++) {
        a[k] = k < NEDGES * NEDGES ? edges[k / NEDGES] : rand_elem();
        b[k] = k < NEDGES * NEDGES ? edges[k % NEDGES] : rand_elem();
    }
    for (int impl = 0; impl < F127_VEC_IMPL_COUNT; impl++) {
        const struct f127_vec_ops *ops = f127_vec_ops_get((enum f127_vec_impl)impl);

        if (ops == NULL) {
            continue;
        }
        for (size_t off = 0; off < 8; off++) { /* every lane alignment */
            ops->mul(out, a + off, b, n - off);
            for (size_t k = 0; k + off < n; k++) {
                assert_true(out[k] == f127_mul(a[k + off], b[k]));
            }
        }
    }
    mpcsim_free(a);
    mpcsim_free(b);
    mpcsim_free(out);
}

static void
test_f127_vec_dispatch(void **state)
{
    const struct f127_vec_ops *best = f127_vec_ops_best();
    const struct f127_vec_ops *portable = f127_vec_ops_get(F127_VEC_IMPL_PORTABLE);
    int found = 0;
    mpcsim_u128 a[3] = {1, 2, P - 1}, b[3] = {3, P - 1, P - 1}, out[3];

    (void)state;
    assert_non_null(portable);
    assert_string_equal(portable->name, "portable");
    assert_null(f127_vec_ops_get(F127_VEC_IMPL_COUNT));
    for (int impl = 0; impl < F127_VEC_IMPL_COUNT; impl++) {
        found |= best == f127_vec_ops_get((enum f127_vec_impl)impl);
    }
    assert_true(found);
    print_message("f127_vec: best implementation is %s\n", best->name);
    f127_vec_mul(out, a, b, 3);
    assert_true(out[0] == 3 && out[1] == P - 2 && out[2] == 1);
    f127_vec_add(out, a, b, 3);
    assert_true(out[0] == 4 && out[1] == 1 && out[2] == P - 2);
    f127_vec_sub(out, a, b, 3);
    assert_true(out[0] == P - 2 && out[1] == 3 && out[2] == 0);
    f127_vec_scale(out, a, 2, 3);
    assert_true(out[0] == 2 && out[1] == 4 && out[2] == P - 2);
    assert_true(f127_vec_dot(a, b, 3) == f127_add(f127_add(3, P - 2), 1));
    assert_int_equal(f127_vec_batch_inv(out, NULL, a, 3), 0);
    assert_true(out[0] == 1 && f127_mul(out[1], 2) == 1 && out[2] == P - 1);
}

/* The sampler: deterministic, the documented byte mapping, every bit used. */
static void
test_f127_stream(void **state)
{
    static const uint8_t key[FP_STREAM_KEYBYTES] = {1, 2, 7};
    struct fp_stream *s1 = NULL, *s2 = NULL;
    mpcsim_u128 v[4000], w[4000];
    unsigned ones[127] = {0};

    (void)state;
    assert_int_equal(fp_stream_create(&s1, key, 3), 0);
    assert_int_equal(fp_stream_create(&s2, key, 3), 0);
    f127_stream_fill(s1, v, 4000);
    for (size_t i = 0; i < 4000; i++) {
        uint8_t buf[F127_BYTES];

        fp_stream_bytes(s2, buf, sizeof(buf));
        w[i] = 0;
        for (int j = F127_BYTES - 1; j >= 0; j--) {
            w[i] = (w[i] << 8) | buf[j];
        }
        w[i] &= P;
        assert_true(v[i] == w[i]);
        assert_true(v[i] < P);
        for (int bit = 0; bit < 127; bit++) {
            ones[bit] += (unsigned)(v[i] >> bit) & 1;
        }
    }
    for (int bit = 0; bit < 127; bit++) {
        assert_in_range(ones[bit], 1800, 2200); /* 2000 +- 6.3 sigma */
    }
    assert_true(f127_stream_next(s1) == f127_stream_next(s2));
    fp_stream_destroy(s1);
    fp_stream_destroy(s2);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_f127_constants),       cmocka_unit_test(test_f127_reduce),
        cmocka_unit_test(test_f127_ops_vs_gmp),      cmocka_unit_test(test_f127_pow_inv_vs_gmp),
        cmocka_unit_test(test_f127_int128),          cmocka_unit_test(test_f127_wire),
        cmocka_unit_test(test_f127_vec_impls_agree), cmocka_unit_test(test_f127_vec_dot_vs_gmp),
        cmocka_unit_test(test_f127_vec_batch_inv),   cmocka_unit_test(test_f127_vec_mul_edges),
        cmocka_unit_test(test_f127_vec_dispatch),    cmocka_unit_test(test_f127_stream),
    };

    mpcsim_test_init();
    return cmocka_run_group_tests_name("f127", tests, NULL, NULL);
}
