/* SPDX-License-Identifier: MIT */
/*
 * tests/field/test_f127_poly.c - polynomials over GF(2^127 - 1): evaluation
 * (against GMP), interpolation round trips, cached Lagrange coefficients
 * at 0 and cached powers, as test_poly.c does for GF(2^61 - 1).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include <gmp.h>

#include "protocols/field/f127.h"
#include "protocols/field/f127_poly.h"
#include "tests/support.h"

#define P F127_P
#define MAXN 1024

static mpcsim_u128
rand_elem(void)
{
    mpcsim_u128 hi = mpcsim_test_rand64();
    mpcsim_u128 x = ((hi << 64) | mpcsim_test_rand64()) & P;

    return x == P ? 0 : x;
}

static void
to_mpz(mpz_t r, mpcsim_u128 x)
{
    mpz_set_ui(r, (unsigned long)(uint64_t)(x >> 64));
    mpz_mul_2exp(r, r, 64);
    mpz_add_ui(r, r, (unsigned long)(uint64_t)x);
}

/* m distinct random non-zero points. */
static void
distinct_points(mpcsim_u128 *xs, size_t m)
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
test_f127_poly_eval_vs_gmp(void **state)
{
    mpcsim_u128 c[40], xs[33], many[33];
    mpz_t acc, p, t, want;

    (void)state;
    mpz_inits(acc, p, t, want, NULL);
    to_mpz(p, P);
    for (int trial = 0; trial < 50; trial++) {
        size_t len = (size_t)trial % 40;
        size_t m = (size_t)trial % 34;

        for (size_t k = 0; k < len; k++) {
            c[k] = trial == 0 ? P - 1 : rand_elem();
        }
        for (size_t i = 0; i < m; i++) {
            xs[i] = i < 4 ? (mpcsim_u128[]){0, 1, P - 1, F127_HALF + 1}[i] : rand_elem();
        }
        f127_poly_eval_many(many, c, len, xs, m);
        for (size_t i = 0; i < m; i++) {
            mpz_set_ui(acc, 0);
            for (size_t k = len; k-- > 0;) {
                to_mpz(t, xs[i]);
                mpz_mul(acc, acc, t);
                to_mpz(t, c[k]);
                mpz_add(acc, acc, t);
                mpz_mod(acc, acc, p);
            }
            to_mpz(want, f127_poly_eval(c, len, xs[i]));
            assert_true(mpz_cmp(want, acc) == 0);
            to_mpz(want, many[i]);
            assert_true(mpz_cmp(want, acc) == 0);
        }
    }
    mpz_clears(acc, p, t, want, NULL);
}

struct bufs {
    mpcsim_u128 c[MAXN], xs[MAXN], ys[MAXN], got[MAXN];
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
test_f127_poly_interpolate_roundtrip(void **state)
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
        f127_poly_eval_many(bu->ys, bu->c, n, bu->xs, n);
        assert_int_equal(f127_poly_interpolate(bu->got, bu->xs, bu->ys, n), 0);
        assert_memory_equal(bu->got, bu->c, n * sizeof(mpcsim_u128));
    }
}

static void
test_f127_poly_interpolate_errors(void **state)
{
    struct bufs *bu = *state;

    distinct_points(bu->xs, 10);
    bu->xs[7] = bu->xs[2];
    assert_int_equal(f127_poly_interpolate(bu->got, bu->xs, bu->ys, 10), MPCSIM_EINVAL);
    assert_int_equal(f127_poly_interpolate(bu->got, bu->xs, bu->ys, 0), MPCSIM_EINVAL);
    /* One allocation: each failure is clean. */
    distinct_points(bu->xs, 10);
    for (int n = 0;; n++) {
        int rc;

        mpcsim_test_fail_alloc_after(n);
        rc = f127_poly_interpolate(bu->got, bu->xs, bu->ys, 10);
        mpcsim_test_fail_alloc_after(-1);
        if (rc == 0) {
            break;
        }
        assert_int_equal(rc, MPCSIM_ENOMEM);
    }
}

/* lambda . f(xs) = f(0) for random f of degree < m; also with m = 1024. */
static void
test_f127_poly_lagrange0(void **state)
{
    struct bufs *bu = *state;
    static const size_t ms[] = {1, 2, 3, 8, 17, 64, 333, 1024};

    for (size_t t = 0; t < sizeof(ms) / sizeof(ms[0]); t++) {
        size_t m = ms[t];
        struct f127_poly_lagrange0 *l = NULL;

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
        f127_poly_eval_many(bu->ys, bu->c, m, bu->xs, m);
        assert_int_equal(f127_poly_lagrange0_create(&l, bu->xs, m), 0);
        assert_int_equal(f127_poly_lagrange0_count(l), m);
        assert_true(f127_poly_lagrange0_apply(l, bu->ys) == bu->c[0]);
        /* Against interpolation's constant term on other values. */
        for (size_t i = 0; i < m; i++) {
            bu->ys[i] = rand_elem();
        }
        assert_int_equal(f127_poly_interpolate(bu->got, bu->xs, bu->ys, m), 0);
        assert_true(f127_poly_lagrange0_apply(l, bu->ys) == bu->got[0]);
        assert_non_null(f127_poly_lagrange0_coeffs(l));
        f127_poly_lagrange0_destroy(l);
    }
    f127_poly_lagrange0_destroy(NULL);
}

static void
test_f127_poly_lagrange0_errors(void **state)
{
    struct bufs *bu = *state;
    struct f127_poly_lagrange0 *l = NULL;

    distinct_points(bu->xs, 5);
    bu->xs[3] = 0;
    assert_int_equal(f127_poly_lagrange0_create(&l, bu->xs, 5), MPCSIM_EINVAL);
    bu->xs[3] = bu->xs[1];
    assert_int_equal(f127_poly_lagrange0_create(&l, bu->xs, 5), MPCSIM_EINVAL);
    assert_int_equal(f127_poly_lagrange0_create(&l, bu->xs, 0), MPCSIM_EINVAL);
    assert_null(l);
}

static void
test_f127_poly_lagrange0_create_oom(void **state)
{
    struct bufs *bu = *state;

    distinct_points(bu->xs, 20);
    for (int n = 0;; n++) {
        struct f127_poly_lagrange0 *l = NULL;
        int rc;

        mpcsim_test_fail_alloc_after(n);
        rc = f127_poly_lagrange0_create(&l, bu->xs, 20);
        mpcsim_test_fail_alloc_after(-1);
        if (rc == 0) {
            f127_poly_lagrange0_destroy(l);
            break;
        }
        assert_int_equal(rc, MPCSIM_ENOMEM);
        assert_null(l);
    }
}

/* Cached powers evaluate like Horner, at Shamir's sizes too. */
static void
test_f127_poly_powers(void **state)
{
    struct bufs *bu = *state;
    static const size_t cases[][2] = {{1, 1}, {5, 3}, {10, 4}, {64, 64}, {1000, 334}, {7, 100}};
    mpcsim_u128 want[MAXN];

    for (size_t t = 0; t < sizeof(cases) / sizeof(cases[0]); t++) {
        size_t m = cases[t][0], len = cases[t][1];
        struct f127_poly_powers *pw = NULL;

        for (size_t i = 0; i < m; i++) {
            bu->xs[i] = i + 1;
        }
        for (size_t k = 0; k < len; k++) {
            bu->c[k] = rand_elem();
        }
        assert_int_equal(f127_poly_powers_create(&pw, bu->xs, m, len), 0);
        f127_poly_powers_eval(pw, bu->got, bu->c);
        f127_poly_eval_many(want, bu->c, len, bu->xs, m);
        assert_memory_equal(bu->got, want, m * sizeof(mpcsim_u128));
        f127_poly_powers_destroy(pw);
    }
    f127_poly_powers_destroy(NULL);
    {
        struct f127_poly_powers *pw = NULL;

        assert_int_equal(f127_poly_powers_create(&pw, bu->xs, 0, 3), MPCSIM_EINVAL);
        assert_int_equal(f127_poly_powers_create(&pw, bu->xs, 3, 0), MPCSIM_EINVAL);
        assert_null(pw);
    }
}

static void
test_f127_poly_powers_create_oom(void **state)
{
    struct bufs *bu = *state;

    for (size_t i = 0; i < 9; i++) {
        bu->xs[i] = i + 1;
    }
    for (int n = 0;; n++) {
        struct f127_poly_powers *pw = NULL;
        int rc;

        mpcsim_test_fail_alloc_after(n);
        rc = f127_poly_powers_create(&pw, bu->xs, 9, 4);
        mpcsim_test_fail_alloc_after(-1);
        if (rc == 0) {
            f127_poly_powers_destroy(pw);
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
        cmocka_unit_test(test_f127_poly_eval_vs_gmp),
        cmocka_unit_test_setup_teardown(test_f127_poly_interpolate_roundtrip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_f127_poly_interpolate_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_f127_poly_lagrange0, setup, teardown),
        cmocka_unit_test_setup_teardown(test_f127_poly_lagrange0_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_f127_poly_lagrange0_create_oom, setup, teardown),
        cmocka_unit_test_setup_teardown(test_f127_poly_powers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_f127_poly_powers_create_oom, setup, teardown),
    };

    mpcsim_test_init();
    return cmocka_run_group_tests_name("f127_poly", tests, NULL, NULL);
}
