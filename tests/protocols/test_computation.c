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

/*
 * Output rule (issue 18): a mean, variance or decimal-weighted sum is the
 * exact rational, written as a decimal when it terminates (its reduced
 * denominator is 2^a 5^b: max(a, b) fractional digits, trailing zeros
 * dropped, no point when integral) and as "p/q" in lowest terms when not.
 * Never rounded.
 */

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
    assert_string_equal(out, "288230376151711745");
    fmt(out, COMPUTATION_MEAN, third, 1, 0, 3);
    assert_string_equal(out, "1/3");
    fmt(out, COMPUTATION_MEAN, neg, 1, 0, 2);
    assert_string_equal(out, "-2.5");
    fmt(out, COMPUTATION_MEAN, tiny, 1, 0, 3000000);
    assert_string_equal(out, "-1/3000000");
}

/* Terminating decimals in full; a repeating one as a reduced fraction. */
static void
test_computation_mean_not_rounded(void **state)
{
    char out[COMPUTATION_FORMAT_MAX];
    const mpcsim_i128 eighth[] = {1};
    const mpcsim_i128 carry[] = {1999999999}; /* /1000 = 1999999.999 */
    const mpcsim_i128 two_thirds[] = {-4};    /* -4/6 = -2/3 */
    const mpcsim_i128 tiny[] = {1};           /* 1/1024 = 0.0009765625 */

    (void)state;
    fmt(out, COMPUTATION_MEAN, eighth, 1, 0, 8);
    assert_string_equal(out, "0.125");
    fmt(out, COMPUTATION_MEAN, carry, 1, 0, 1000);
    assert_string_equal(out, "1999999.999");
    fmt(out, COMPUTATION_MEAN, two_thirds, 1, 0, 6);
    assert_string_equal(out, "-2/3");
    fmt(out, COMPUTATION_MEAN, tiny, 1, 0, 1024);
    assert_string_equal(out, "0.0009765625");
}

/* Variance (n*s2 - s^2)/n^2 with a numerator beyond 2^64, exact. */
static void
test_computation_variance_exact(void **state)
{
    char out[COMPUTATION_FORMAT_MAX];
    const mpcsim_i128 raw[] = {1152921504606846975, 1152921504606846975}; /* s, s2 */
    const mpcsim_i128 small[] = {6, 14};                                  /* 1,2,3: var 2/3 */
    /* Wei: 3 ETH, 1 ETH, 2 ETH + 1 wei; s2 ~ 1.4e37 < 2^126; n s2 ~ 4.2e37 needs more
     * than 128 bits only as n grows, and the format is exact at any size. */
    const mpcsim_i128 e18 = (mpcsim_i128)1000000000000000000;
    const mpcsim_i128 x0 = 3 * e18, x1 = e18, x2 = 2 * e18 + 1;
    const mpcsim_i128 wei[] = {x0 + x1 + x2, x0 * x0 + x1 * x1 + x2 * x2};

    (void)state;
    fmt(out, COMPUTATION_VARIANCE, small, 1, 0, 3);
    assert_string_equal(out, "2/3");
    /* (2 (2^60 - 1) - (2^60 - 1)^2) / 4, checked with Python's Fraction. */
    fmt(out, COMPUTATION_VARIANCE, raw, 1, 0, 2);
    assert_string_equal(out, "-332306998946228967073030260463239168.75");
    fmt(out, COMPUTATION_SUM, raw, 1, 0, 2);
    assert_string_equal(out, "1152921504606846975");
    /* Python: Fraction(3*sum(x*x) - sum(x)**2, 9) for the three balances. */
    fmt(out, COMPUTATION_VARIANCE, wei, 1, 0, 3);
    assert_string_equal(out, "6000000000000000000000000000000000002/9");
}

/* 128-bit integers are written exactly. */
static void
test_computation_int128(void **state)
{
    char out[COMPUTATION_FORMAT_MAX];
    const mpcsim_i128 big[] = {((mpcsim_i128)1 << 126) - 1, -(((mpcsim_i128)1 << 126) - 1)};

    (void)state;
    fmt(out, COMPUTATION_SUM, big, 2, 0, 2);
    assert_string_equal(out, "85070591730234615865843651857942052863");
    fmt(out, COMPUTATION_SUM, big, 2, 1, 2);
    assert_string_equal(out, "-85070591730234615865843651857942052863");
    fmt(out, COMPUTATION_MEAN, big, 2, 0, 2);
    assert_string_equal(out, "42535295865117307932921825928971026431.5");
}

/* Decimal weights 0.1 and 0.2 (scaled by 10^1 to 1 and 2) over equal
 * inputs give exactly 0.3 of the input, at any size. */
static void
test_computation_decimal_weights(void **state)
{
    char out[COMPUTATION_FORMAT_MAX];
    struct computation c;
    const mpcsim_i128 w[] = {1, 2};
    const mpcsim_i128 e18 = (mpcsim_i128)1000000000000000000;
    const mpcsim_i128 xa[] = {7}, xb[] = {e18 + 1};
    const mpcsim_i128 *in7[] = {xa, xa}, *inw[] = {xb, xb};
    mpcsim_i128 raw[1];

    (void)state;
    memset(&c, 0, sizeof(c));
    c.kind = COMPUTATION_WEIGHTED_SUM;
    c.length = 1;
    c.weights = w;
    c.n_weights = 2;
    c.weight_digits = 1;
    assert_int_equal(computation_expected(raw, &c, 2, in7, NULL), 0);
    assert_true(raw[0] == 21);
    assert_true(computation_format(out, sizeof(out), &c, raw, 0, 2) > 0);
    assert_string_equal(out, "2.1");
    assert_int_equal(computation_expected(raw, &c, 2, inw, NULL), MPCSIM_ERANGE); /* m61 */
    c.max_abs = ((mpcsim_i128)1 << 126) - 1;                                      /* m127 */
    assert_int_equal(computation_expected(raw, &c, 2, inw, NULL), 0);
    assert_true(computation_format(out, sizeof(out), &c, raw, 0, 2) > 0);
    assert_string_equal(out, "300000000000000000.3");
    raw[0] = 30; /* 3.0: no trailing zero */
    assert_true(computation_format(out, sizeof(out), &c, raw, 0, 2) > 0);
    assert_string_equal(out, "3");
}

/* The field's range: 2^60 - 1 by default, 2^126 - 1 when max_abs says so. */
static void
test_computation_range_m127(void **state)
{
    struct computation c;
    const mpcsim_i128 e18 = (mpcsim_i128)1000000000000000000;
    const mpcsim_i128 a[] = {5 * e18}, b[] = {7 * e18};
    const mpcsim_i128 *in[] = {a, b};
    mpcsim_i128 raw[2];

    (void)state;
    memset(&c, 0, sizeof(c));
    c.kind = COMPUTATION_VARIANCE;
    c.length = 1;
    assert_int_equal(computation_expected(raw, &c, 2, in, NULL), MPCSIM_ERANGE);
    c.max_abs = ((mpcsim_i128)1 << 126) - 1;
    assert_int_equal(computation_expected(raw, &c, 2, in, NULL), 0);
    assert_true(raw[0] == 12 * e18);
    assert_true(raw[1] == 74 * e18 * e18);
    c.kind = COMPUTATION_DOT_PRODUCT; /* 35e36 fits; 10x that does not */
    assert_int_equal(computation_expected(raw, &c, 2, in, NULL), 0);
    c.max_abs = ((mpcsim_i128)1 << 100);
    assert_int_equal(computation_expected(raw, &c, 2, in, NULL), MPCSIM_ERANGE);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_computation_mean_exact),
        cmocka_unit_test(test_computation_mean_not_rounded),
        cmocka_unit_test(test_computation_variance_exact),
        cmocka_unit_test(test_computation_int128),
        cmocka_unit_test(test_computation_decimal_weights),
        cmocka_unit_test(test_computation_range_m127),
    };

    mpcsim_test_init();
    return cmocka_run_group_tests_name("computation", tests, NULL, NULL);
}
