/* SPDX-License-Identifier: MIT */
/*
 * tests/field/test_poly.c - evaluation (against GMP), interpolation round
 * trips, cached Lagrange coefficients at 0 and cached powers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include <gmp.h>

#include "protocols/field/fp.h"
#include "protocols/field/poly.h"
#include "tests/support.h"

#define P FP_P
#define MAXN 1024

static uint64_t
rand_elem(void)
{
    return (mpcsim_test_rand64() >> 3) % P;
}

/* m distinct random non-zero points. */
static void
distinct_points(uint64_t *xs, size_t m)
{
    for (size_t i = 0; i < m; i++) {
        int again;

        do {
            xs[i] = rand_elem();
            again = xs[i] == 0;
            for (size_t j = 0; j < i && !again; j++) {
                again = xs[j] == xs[i];
            }
        } while (again);
    }
}

static void
test_poly_eval_vs_gmp(void **state)
{
    uint64_t c[40], xs[33], many[33];
    mpz_t acc, p;

    (void)state;
    mpz_inits(acc, p, NULL);
    mpz_set_ui(p, P);
    for (int trial = 0; trial < 50; trial++) {
        size_t len = (size_t)trial % 40;
        size_t m = (size_t)trial % 34;

        for (size_t k = 0; k < len; k++) {
            c[k] = trial == 0 ? P - 1 : rand_elem();
        }
        for (size_t i = 0; i < m; i++) {
            xs[i] = i < 3 ? (uint64_t[]){0, 1, P - 1}[i] : rand_elem();
        }
        poly_eval_many(many, c, len, xs, m);
        for (size_t i = 0; i < m; i++) {
            mpz_set_ui(acc, 0);
            for (size_t k = len; k-- > 0;) {
                mpz_mul_ui(acc, acc, xs[i]);
                mpz_add_ui(acc, acc, c[k]);
                mpz_mod(acc, acc, p);
            }
            assert_true(poly_eval(c, len, xs[i]) == mpz_get_ui(acc));
            assert_true(many[i] == mpz_get_ui(acc));
        }
    }
    mpz_clears(acc, p, NULL);
}

struct bufs {
    uint64_t c[MAXN], xs[MAXN], ys[MAXN], got[MAXN];
};

static int
setup(void **state)
{
    *state = test_calloc(1, sizeof(struct bufs));
    return 0;
}

static int
teardown(void **state)
{
    test_free(*state);
    return 0;
}

/* Interpolating f's values at n points gives f back, n = 1..300. */
static void
test_poly_interpolate_roundtrip(void **state)
{
    struct bufs *bu = *state;

    for (size_t n = 1; n <= 300; n++) {
        for (size_t k = 0; k < n; k++) {
            bu->c[k] = rand_elem();
        }
        if (n % 3 == 0) {
            for (size_t i = 0; i < n; i++) {
                bu->xs[i] = i + 1; /* Shamir's points */
            }
        } else {
            distinct_points(bu->xs, n);
        }
        poly_eval_many(bu->ys, bu->c, n, bu->xs, n);
        assert_int_equal(poly_interpolate(bu->got, bu->xs, bu->ys, n), 0);
        assert_memory_equal(bu->got, bu->c, n * sizeof(uint64_t));
    }
}

static void
test_poly_interpolate_errors(void **state)
{
    struct bufs *bu = *state;

    distinct_points(bu->xs, 10);
    bu->xs[7] = bu->xs[2];
    assert_int_equal(poly_interpolate(bu->got, bu->xs, bu->ys, 10), MPCSIM_EINVAL);
    assert_int_equal(poly_interpolate(bu->got, bu->xs, bu->ys, 0), MPCSIM_EINVAL);
    /* One allocation: each failure is clean. */
    distinct_points(bu->xs, 10);
    for (int n = 0;; n++) {
        int rc;

        mpcsim_test_fail_alloc_after(n);
        rc = poly_interpolate(bu->got, bu->xs, bu->ys, 10);
        mpcsim_test_fail_alloc_after(-1);
        if (rc == 0) {
            break;
        }
        assert_int_equal(rc, MPCSIM_ENOMEM);
    }
}

/* lambda . f(xs) = f(0) for random f of degree < m; also with m = 1024. */
static void
test_poly_lagrange0(void **state)
{
    struct bufs *bu = *state;
    static const size_t ms[] = {1, 2, 3, 8, 17, 64, 333, 1024};

    for (size_t t = 0; t < sizeof(ms) / sizeof(ms[0]); t++) {
        size_t m = ms[t];
        struct poly_lagrange0 *l = NULL;

        for (size_t k = 0; k < m; k++) {
            bu->c[k] = rand_elem();
        }
        if (t % 2 == 0) {
            for (size_t i = 0; i < m; i++) {
                bu->xs[i] = 3 * i + 5;
            }
        } else {
            distinct_points(bu->xs, m);
        }
        poly_eval_many(bu->ys, bu->c, m, bu->xs, m);
        assert_int_equal(poly_lagrange0_create(&l, bu->xs, m), 0);
        assert_int_equal(poly_lagrange0_count(l), m);
        assert_true(poly_lagrange0_apply(l, bu->ys) == bu->c[0]);
        /* Against interpolation's constant term on other values. */
        for (size_t i = 0; i < m; i++) {
            bu->ys[i] = rand_elem();
        }
        assert_int_equal(poly_interpolate(bu->got, bu->xs, bu->ys, m), 0);
        assert_true(poly_lagrange0_apply(l, bu->ys) == bu->got[0]);
        assert_non_null(poly_lagrange0_coeffs(l));
        poly_lagrange0_destroy(l);
    }
    poly_lagrange0_destroy(NULL);
}

static void
test_poly_lagrange0_errors(void **state)
{
    struct bufs *bu = *state;
    struct poly_lagrange0 *l = NULL;

    distinct_points(bu->xs, 5);
    bu->xs[3] = 0;
    assert_int_equal(poly_lagrange0_create(&l, bu->xs, 5), MPCSIM_EINVAL);
    bu->xs[3] = bu->xs[1];
    assert_int_equal(poly_lagrange0_create(&l, bu->xs, 5), MPCSIM_EINVAL);
    assert_int_equal(poly_lagrange0_create(&l, bu->xs, 0), MPCSIM_EINVAL);
    assert_null(l);
}

static void
test_poly_lagrange0_create_oom(void **state)
{
    struct bufs *bu = *state;

    distinct_points(bu->xs, 20);
    for (int n = 0;; n++) {
        struct poly_lagrange0 *l = NULL;
        int rc;

        mpcsim_test_fail_alloc_after(n);
        rc = poly_lagrange0_create(&l, bu->xs, 20);
        mpcsim_test_fail_alloc_after(-1);
        if (rc == 0) {
            poly_lagrange0_destroy(l);
            break;
        }
        assert_int_equal(rc, MPCSIM_ENOMEM);
        assert_null(l);
    }
}

/* Cached powers evaluate like Horner, at Shamir's sizes too. */
static void
test_poly_powers(void **state)
{
    struct bufs *bu = *state;
    static const size_t cases[][2] = {{1, 1}, {5, 3}, {10, 4}, {64, 64}, {1000, 334}, {7, 100}};
    uint64_t want[MAXN];

    for (size_t t = 0; t < sizeof(cases) / sizeof(cases[0]); t++) {
        size_t m = cases[t][0], len = cases[t][1];
        struct poly_powers *pw = NULL;

        for (size_t i = 0; i < m; i++) {
            bu->xs[i] = i + 1;
        }
        for (size_t k = 0; k < len; k++) {
            bu->c[k] = rand_elem();
        }
        assert_int_equal(poly_powers_create(&pw, bu->xs, m, len), 0);
        poly_powers_eval(pw, bu->got, bu->c);
        poly_eval_many(want, bu->c, len, bu->xs, m);
        assert_memory_equal(bu->got, want, m * sizeof(uint64_t));
        poly_powers_destroy(pw);
    }
    poly_powers_destroy(NULL);
    {
        struct poly_powers *pw = NULL;

        assert_int_equal(poly_powers_create(&pw, bu->xs, 0, 3), MPCSIM_EINVAL);
        assert_int_equal(poly_powers_create(&pw, bu->xs, 3, 0), MPCSIM_EINVAL);
        assert_null(pw);
    }
}

static void
test_poly_powers_create_oom(void **state)
{
    struct bufs *bu = *state;

    for (size_t i = 0; i < 9; i++) {
        bu->xs[i] = i + 1;
    }
    for (int n = 0;; n++) {
        struct poly_powers *pw = NULL;
        int rc;

        mpcsim_test_fail_alloc_after(n);
        rc = poly_powers_create(&pw, bu->xs, 9, 4);
        mpcsim_test_fail_alloc_after(-1);
        if (rc == 0) {
            poly_powers_destroy(pw);
            break;
        }
        assert_int_equal(rc, MPCSIM_ENOMEM);
        assert_null(pw);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_poly_eval_vs_gmp),
        cmocka_unit_test_setup_teardown(test_poly_interpolate_roundtrip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_poly_interpolate_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_poly_lagrange0, setup, teardown),
        cmocka_unit_test_setup_teardown(test_poly_lagrange0_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_poly_lagrange0_create_oom, setup, teardown),
        cmocka_unit_test_setup_teardown(test_poly_powers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_poly_powers_create_oom, setup, teardown),
    };

    mpcsim_test_init();
    return cmocka_run_group_tests_name("poly", tests, NULL, NULL);
}
