/* SPDX-License-Identifier: MIT */
/*
 * tests/cli/test_stats.c - the statistics of sim/cli/stats.h against
 * values computed by hand or published: Wilson bounds (issue 13),
 * Newcombe's example, t and Welch intervals, absent values skipped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>

#include "sim/cli/stats.h"
#include "tests/support.h"

#define NEAR(x, want, tol) assert_true(fabs((x) - (want)) < (tol))

/* Issue 13's table: 0/8, 1/2, 5/8, 8/8 at 95 %. */
static void
test_wilson(void **state)
{
    double lo, hi;

    (void)state;
    stats_wilson(&lo, &hi, 0, 8, 0.95);
    assert_true(lo == 0);
    NEAR(hi, 0.324, 5e-4);
    stats_wilson(&lo, &hi, 1, 2, 0.95);
    NEAR(lo, 0.095, 5e-4);
    NEAR(hi, 0.906, 1e-3); /* 0.90547: the issue rounds outward */
    stats_wilson(&lo, &hi, 5, 8, 0.95);
    NEAR(lo, 0.306, 5e-4);
    NEAR(hi, 0.863, 5e-4);
    stats_wilson(&lo, &hi, 8, 8, 0.95);
    NEAR(lo, 0.676, 5e-4);
    assert_true(hi == 1);
    /* Inside [0, 1] always, and no interval over no trials. */
    for (size_t n = 1; n < 40; n++) {
        for (size_t k = 0; k <= n; k++) {
            stats_wilson(&lo, &hi, k, n, 0.95);
            assert_true(lo >= 0 && hi <= 1 && lo <= (double)k / (double)n &&
                        hi >= (double)k / (double)n && hi > lo);
        }
    }
    stats_wilson(&lo, &hi, 0, 0, 0.95);
    assert_true(isnan(lo) && isnan(hi));
}

/* Newcombe 1998 (Stat. Med. 17:873), table II, example (a): 56/70 - 48/80, method 10. */
static void
test_newcombe(void **state)
{
    double d, lo, hi;

    (void)state;
    stats_newcombe(&lo, &hi, 56, 70, 48, 80, 0, 0.95);
    NEAR(lo, 0.0524, 5e-5);
    NEAR(hi, 0.3339, 5e-5);
    /* Paired data with no discordant pairs: the difference is 0, the interval holds 0. */
    stats_newcombe_paired(&d, &lo, &hi, 5, 0, 0, 3, 0.95);
    assert_true(d == 0 && lo <= 0 && hi >= 0 && hi - lo < 0.5);
    /* Discordant pairs one way: positive difference, still inside [-1, 1]. */
    stats_newcombe_paired(&d, &lo, &hi, 2, 6, 0, 2, 0.95);
    NEAR(d, 0.6, 1e-12);
    assert_true(lo > 0 && lo < 0.6 && hi > 0.6 && hi <= 1);
    /* Pairing (phi > 0) narrows the interval against the independent one. */
    {
        double ilo, ihi;

        stats_newcombe(&ilo, &ihi, 8, 10, 2, 10, 0, 0.95);
        assert_true(hi - lo < ihi - ilo);
    }
    stats_newcombe_paired(&d, &lo, &hi, 0, 0, 0, 0, 0.95);
    assert_true(isnan(d) && isnan(lo) && isnan(hi));
}

/* Means: t and Welch against hand-computed values; NAN (absent) skipped. */
static void
test_means(void **state)
{
    double v[] = {4, NAN, 1, 3, 2, 5, NAN};
    double one[] = {NAN, 7};
    double none[] = {NAN};
    struct stats_summary s;
    double lo, hi, t4 = 2.776445105;

    (void)state;
    stats_summarize(&s, v, 7, 0.95);
    assert_true(s.n == 5 && s.absent == 2);
    NEAR(s.mean, 3, 1e-12);
    NEAR(s.sd, sqrt(2.5), 1e-12);
    NEAR(s.median, 3, 1e-12);
    NEAR(s.p95, 4.8, 1e-12);
    assert_true(s.min == 1 && s.max == 5);
    NEAR(s.ci_lo, 3 - t4 * sqrt(2.5) / sqrt(5.0), 1e-8);
    NEAR(s.ci_hi, 3 + t4 * sqrt(2.5) / sqrt(5.0), 1e-8);
    /* One value: a mean, no sd, no interval (never [7, 7]). */
    stats_summarize(&s, one, 2, 0.95);
    assert_true(s.n == 1 && s.mean == 7 && isnan(s.sd) && isnan(s.ci_lo) && isnan(s.ci_hi));
    stats_summarize(&s, none, 1, 0.95);
    assert_true(s.n == 0 && s.absent == 1 && isnan(s.mean) && isnan(s.median));
    /* Welch: sd 1 and 2 over 10 and 20: se^2 = 0.1 + 0.2, df = 0.09 / (0.01/9 + 0.04/19). */
    stats_welch(&lo, &hi, 5, 1, 10, 3, 2, 20, 0.95);
    {
        double df = 0.09 / (0.01 / 9 + 0.04 / 19); /* 27.98... */
        double half = (hi - lo) / 2;

        NEAR((lo + hi) / 2, 2, 1e-12);
        /* t(0.975, 28) = 2.048407; df is just under 28, so slightly wider. */
        assert_true(df > 27.9 && df < 28);
        NEAR(half, 2.0484 * sqrt(0.3), 2e-3);
    }
    stats_welch(&lo, &hi, 5, 1, 1, 3, 2, 20, 0.95);
    assert_true(isnan(lo) && isnan(hi));
    stats_t_interval(&lo, &hi, 1, 1, 1, 0.95);
    assert_true(isnan(lo) && isnan(hi));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wilson),
        cmocka_unit_test(test_newcombe),
        cmocka_unit_test(test_means),
    };

    mpcsim_test_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
