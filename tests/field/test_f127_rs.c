/* SPDX-License-Identifier: MIT */
/*
 * tests/field/test_f127_rs.c - Reed-Solomon decoding over GF(2^127 - 1):
 * every error count up to the radius with erasures mixed in, one error
 * beyond it refused, and the argument errors (test_rs.c's cases).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "protocols/field/f127.h"
#include "protocols/field/f127_poly.h"
#include "protocols/field/f127_rs.h"
#include "tests/support.h"

#define P F127_P
#define MAXN 1100

struct word {
    size_t m, t, nbad;
    mpcsim_u128 f[MAXN], xs[MAXN], ys[MAXN], got[MAXN];
    size_t bad[MAXN], want_bad[MAXN];
    unsigned char hit[MAXN];
};

static mpcsim_u128
rand_elem(void)
{
    mpcsim_u128 hi = mpcsim_test_rand64();
    mpcsim_u128 x = ((hi << 64) | mpcsim_test_rand64()) & P;

    return x == P ? 0 : x;
}

/*
 * A codeword of a random degree-t polynomial at the points 1..n of which
 * `erasures` are dropped (m = n - erasures remain), then `errors` random
 * points changed by a random non-zero amount.
 */
static void
make_word(struct word *w, size_t n, size_t t, size_t erasures, size_t errors)
{
    size_t m = 0;

    for (size_t k = 0; k <= t; k++) {
        w->f[k] = rand_elem();
    }
    memset(w->hit, 0, sizeof(w->hit));
    for (size_t e = 0; e < erasures; e++) {
        size_t i;

        do {
            i = (size_t)(mpcsim_test_rand64() % n);
        } while (w->hit[i]);
        w->hit[i] = 1;
    }
    for (size_t i = 0; i < n; i++) {
        if (!w->hit[i]) {
            w->xs[m++] = (n % 2 == 0) ? i + 1 : 7 * i + 3;
        }
    }
    w->m = m;
    w->t = t;
    f127_poly_eval_many(w->ys, w->f, t + 1, w->xs, m);
    memset(w->hit, 0, sizeof(w->hit));
    for (size_t e = 0; e < errors; e++) {
        size_t i;

        do {
            i = (size_t)(mpcsim_test_rand64() % m);
        } while (w->hit[i]);
        w->hit[i] = 1;
        w->ys[i] = f127_add(w->ys[i], rand_elem() % (P - 1) + 1);
    }
    w->nbad = 0;
    for (size_t i = 0; i < m; i++) {
        if (w->hit[i]) {
            w->want_bad[w->nbad++] = i;
        }
    }
}

static int
setup(void **state)
{
    *state = test_calloc(1, sizeof(struct word));
    return 0;
}

static int
teardown(void **state)
{
    test_free(*state);
    return 0;
}

/* Every error count 0..max is corrected and the bad points are named. */
static void
test_f127_rs_corrects_up_to_radius(void **state)
{
    struct word *w = *state;
    static const size_t cases[][3] = {
        /* n, t, erasures */
        {4, 1, 0},   {7, 2, 0},   {7, 2, 2},   {10, 3, 1},   {16, 5, 0},    {31, 10, 4},
        {40, 13, 0}, {41, 13, 3}, {64, 20, 7}, {100, 33, 0}, {100, 33, 20}, {9, 0, 2},
    };

    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        size_t n = cases[c][0], t = cases[c][1], z = cases[c][2];
        size_t emax = f127_rs_max_errors(n - z, t);

        for (size_t e = 0; e <= emax; e++) {
            size_t nbad = 9999;

            make_word(w, n, t, z, e);
            assert_int_equal(f127_rs_decode(w->got, w->bad, &nbad, w->xs, w->ys, w->m, t), 0);
            assert_memory_equal(w->got, w->f, (t + 1) * sizeof(mpcsim_u128));
            assert_int_equal(nbad, e);
            assert_memory_equal(w->bad, w->want_bad, e * sizeof(size_t));
        }
    }
}

/* One error beyond the radius is refused, never answered wrongly. */
static void
test_f127_rs_refuses_beyond_radius(void **state)
{
    struct word *w = *state;
    static const size_t cases[][3] = {
        {7, 2, 0}, {10, 3, 1}, {16, 5, 0}, {31, 10, 4}, {40, 13, 0}, {100, 33, 20}, {64, 20, 3},
    };

    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        for (int trial = 0; trial < 5; trial++) {
            size_t n = cases[c][0], t = cases[c][1], z = cases[c][2];
            size_t emax = f127_rs_max_errors(n - z, t);

            make_word(w, n, t, z, emax + 1);
            assert_int_equal(f127_rs_decode(w->got, w->bad, NULL, w->xs, w->ys, w->m, t),
                             MPCSIM_EDECODE);
        }
    }
    /* A random word is far from every codeword. */
    make_word(w, 50, 10, 0, 0);
    for (size_t i = 0; i < w->m; i++) {
        w->ys[i] = rand_elem();
    }
    assert_int_equal(f127_rs_decode(w->got, NULL, NULL, w->xs, w->ys, w->m, 10), MPCSIM_EDECODE);
}

/* Shamir's big case: n = 1000, t = 333, 333 errors. */
static void
test_f127_rs_large(void **state)
{
    struct word *w = *state;
    size_t nbad = 0;

    make_word(w, 1000, 333, 0, 333);
    assert_int_equal(f127_rs_decode(w->got, w->bad, &nbad, w->xs, w->ys, w->m, 333), 0);
    assert_memory_equal(w->got, w->f, 334 * sizeof(mpcsim_u128));
    assert_int_equal(nbad, 333);
    assert_memory_equal(w->bad, w->want_bad, 333 * sizeof(size_t));
}

static void
test_f127_rs_edges(void **state)
{
    struct word *w = *state;
    size_t nbad = 5;

    /* Too few points. */
    make_word(w, 5, 4, 1, 0);
    assert_int_equal(f127_rs_decode(w->got, w->bad, &nbad, w->xs, w->ys, w->m, 4),
                     MPCSIM_ENOQUORUM);
    /* Exactly t + 1 points: interpolation, no redundancy. */
    make_word(w, 5, 4, 0, 0);
    assert_int_equal(f127_rs_decode(w->got, w->bad, &nbad, w->xs, w->ys, w->m, 4), 0);
    assert_memory_equal(w->got, w->f, 5 * sizeof(mpcsim_u128));
    assert_int_equal(nbad, 0);
    /* The zero polynomial, and one of degree below t, with errors. */
    make_word(w, 20, 5, 0, 0);
    memset(w->ys, 0, sizeof(w->ys));
    w->ys[3] = 77;
    w->ys[11] = 1;
    assert_int_equal(f127_rs_decode(w->got, w->bad, &nbad, w->xs, w->ys, w->m, 5), 0);
    for (int k = 0; k <= 5; k++) {
        assert_true(w->got[k] == 0);
    }
    assert_int_equal(nbad, 2);
    assert_int_equal(w->bad[0], 3);
    assert_int_equal(w->bad[1], 11);
    for (size_t i = 0; i < w->m; i++) {
        w->ys[i] = f127_add(5, f127_mul(3, w->xs[i])); /* 5 + 3x */
    }
    w->ys[0] = 0;
    assert_int_equal(f127_rs_decode(w->got, w->bad, &nbad, w->xs, w->ys, w->m, 5), 0);
    assert_true(w->got[0] == 5 && w->got[1] == 3 && w->got[2] == 0 && w->got[5] == 0);
    assert_int_equal(nbad, 1);
    /* Repeated x. */
    make_word(w, 12, 3, 0, 0);
    w->xs[5] = w->xs[9];
    assert_int_equal(f127_rs_decode(w->got, w->bad, &nbad, w->xs, w->ys, w->m, 3), MPCSIM_EINVAL);
}

static void
test_f127_rs_decode_oom(void **state)
{
    struct word *w = *state;

    make_word(w, 30, 9, 2, 3);
    for (int n = 0;; n++) {
        int rc;

        mpcsim_test_fail_alloc_after(n);
        rc = f127_rs_decode(w->got, w->bad, NULL, w->xs, w->ys, w->m, 9);
        mpcsim_test_fail_alloc_after(-1);
        if (rc == 0) {
            break;
        }
        assert_int_equal(rc, MPCSIM_ENOMEM);
    }
    assert_memory_equal(w->got, w->f, 10 * sizeof(mpcsim_u128));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_f127_rs_corrects_up_to_radius, setup, teardown),
        cmocka_unit_test_setup_teardown(test_f127_rs_refuses_beyond_radius, setup, teardown),
        cmocka_unit_test_setup_teardown(test_f127_rs_large, setup, teardown),
        cmocka_unit_test_setup_teardown(test_f127_rs_edges, setup, teardown),
        cmocka_unit_test_setup_teardown(test_f127_rs_decode_oom, setup, teardown),
    };

    mpcsim_test_init();
    return cmocka_run_group_tests_name("f127_rs", tests, NULL, NULL);
}
