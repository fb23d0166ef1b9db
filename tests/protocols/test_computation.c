/* SPDX-License-Identifier: MIT */
/*
 * tests/protocols/test_computation.c - outputs as users read them: mean
 * and variance are exact rationals rounded to 6 digits by integer
 * arithmetic, never through a double (issue 14: numbers exact or refused).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "protocols/computation.h"
#include "tests/support.h"

static void
fmt(char *out, enum computation_kind kind, const mpcsim_i128 *raw, size_t len, size_t k, int count)
{
    struct computation c;

    memset(&c, 0, sizeof(c));
    c.kind = kind;
    c.length = len;
    assert_true(computation_format(out, COMPUTATION_FORMAT_MAX, &c, raw, k, count) > 0);
}

/* 2^58 + 1 twice: the mean is 2^58 + 1 exactly (a double gives 2^58). */
static void
test_computation_mean_exact(void **state)
{
    char out[COMPUTATION_FORMAT_MAX];
    const mpcsim_i128 sum[] = {576460752303423490};
    const mpcsim_i128 third[] = {1};
    const mpcsim_i128 neg[] = {-5};
    const mpcsim_i128 tiny[] = {-1};

    (void)state;
    fmt(out, COMPUTATION_MEAN, sum, 1, 0, 2);
    assert_string_equal(out, "288230376151711745.000000");
    fmt(out, COMPUTATION_MEAN, third, 1, 0, 3);
    assert_string_equal(out, "0.333333");
    fmt(out, COMPUTATION_MEAN, neg, 1, 0, 2);
    assert_string_equal(out, "-2.500000");
    /* -1 / 3000000 rounds to zero: no "-0.000000". */
    fmt(out, COMPUTATION_MEAN, tiny, 1, 0, 3000000);
    assert_string_equal(out, "0.000000");
}

/* Half away from zero at the sixth digit; a carry into the integer part. */
static void
test_computation_mean_rounding(void **state)
{
    char out[COMPUTATION_FORMAT_MAX];
    const mpcsim_i128 half_up[] = {1};        /* 1/8 = 0.125 exactly: no rounding */
    const mpcsim_i128 carry[] = {1999999999}; /* /1000 = 1999999.999 */
    const mpcsim_i128 two_thirds[] = {-2};

    (void)state;
    fmt(out, COMPUTATION_MEAN, half_up, 1, 0, 8);
    assert_string_equal(out, "0.125000");
    fmt(out, COMPUTATION_MEAN, carry, 1, 0, 1000);
    assert_string_equal(out, "1999999.999000");
    fmt(out, COMPUTATION_MEAN, two_thirds, 1, 0, 3);
    assert_string_equal(out, "-0.666667");
}

/* Variance (n*s2 - s^2)/n^2 with a numerator beyond 2^64, exact. */
static void
test_computation_variance_exact(void **state)
{
    char out[COMPUTATION_FORMAT_MAX];
    /* Raw values a corrupted output can hold: any int64 formats exactly. */
    const mpcsim_i128 raw[] = {1152921504606846975, 1152921504606846975}; /* s, s2 */
    const mpcsim_i128 small[] = {6, 14};                                  /* 1,2,3: var 2/3 */

    (void)state;
    fmt(out, COMPUTATION_VARIANCE, small, 1, 0, 3);
    assert_string_equal(out, "0.666667");
    /* (2 (2^60 - 1) - (2^60 - 1)^2) / 4, checked with Python's Fraction. */
    fmt(out, COMPUTATION_VARIANCE, raw, 1, 0, 2);
    assert_string_equal(out, "-332306998946228967073030260463239168.750000");
    fmt(out, COMPUTATION_SUM, raw, 1, 0, 2);
    assert_string_equal(out, "1152921504606846975");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_computation_mean_exact),
        cmocka_unit_test(test_computation_mean_rounding),
        cmocka_unit_test(test_computation_variance_exact),
    };

    mpcsim_test_init();
    return cmocka_run_group_tests_name("computation", tests, NULL, NULL);
}
