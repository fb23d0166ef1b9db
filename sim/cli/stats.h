/* SPDX-License-Identifier: MIT */
/*
 * sim/cli/stats.h - the statistics every aggregate of mpcsim reports:
 * summaries of one column that skip absent values (NAN), Student's t
 * interval of a mean, Wilson score interval of a proportion, Newcombe's
 * hybrid-score interval of a difference of proportions (independent or
 * paired), and Welch's interval of a difference of means.
 *
 * Intervals are two-sided at confidence `conf` (0.95 for "95 %").  An
 * interval that does not exist (a mean over fewer than two values, a
 * proportion over no trials) is [NAN, NAN]: writers print it empty,
 * never as the point [x, x].  t quantiles come from GSL
 * (gsl_cdf_tdist_Pinv), normal quantiles from gsl_cdf_ugaussian_Pinv.
 */
#ifndef MPCSIM_SIM_CLI_STATS_H
#define MPCSIM_SIM_CLI_STATS_H

#include <stddef.h>

/* Statistics of one column over some trials. */
struct stats_summary {
    size_t n;      /* values used: v[i] that are not NAN */
    size_t absent; /* values skipped because they were NAN */
    double mean;   /* NAN when n = 0 */
    double sd;     /* sample sd (n - 1); NAN when n < 2 */
    double median; /* NAN when n = 0 */
    double p95;    /* GSL's quantile at 0.95 of the sorted data; NAN when n = 0 */
    double min;    /* NAN when n = 0 */
    double max;    /* NAN when n = 0 */
    double ci_lo;  /* Student's t interval of the mean; NAN when n < 2 */
    double ci_hi;
};

/*
 * Summarize v[0, n), skipping NAN values (they are counted in `absent`).
 * Reorders v (the present values come first, sorted).  Never fails.
 */
void stats_summarize(struct stats_summary *s, double *v, size_t n, double conf);

/*
 * Student's t interval mean -+ t(1 - (1 - conf) / 2, n - 1) * sd / sqrt(n).
 * *lo = *hi = NAN when n < 2 or sd is NAN.
 */
void stats_t_interval(double *lo, double *hi, double mean, double sd, size_t n, double conf);

/*
 * Wilson score interval of the proportion k/n (Wilson 1927, "Probable
 * inference, the law of succession, and statistical inference", JASA 22;
 * closed form as in Newcombe 1998, Stat. Med. 17:857, method 3):
 *   (p + z^2/2n -+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n).
 * 0/8 gives [0, 0.324], 8/8 [0.676, 1] at 95 %.  n = 0 or k > n: NAN.
 */
void stats_wilson(double *lo, double *hi, size_t k, size_t n, double conf);

/*
 * Newcombe's hybrid score interval of p1 - p2 built from the two Wilson
 * intervals.  `phi` is the correlation correction of paired data
 * (Newcombe 1998, "Improved confidence intervals for the difference
 * between binomial proportions based on paired data", Stat. Med.
 * 17:2635, method 10); 0 for independent samples (Newcombe 1998, Stat.
 * Med. 17:873, method 10).  NAN when n1 or n2 is 0.
 */
void stats_newcombe(double *lo, double *hi, size_t k1, size_t n1, size_t k2, size_t n2, double phi,
                    double conf);

/*
 * Paired proportions: n pairs of 0/1 values, `a` pairs (1, 1), `b` (1, 0),
 * `c` (0, 1), `d` (0, 0).  The difference is p1 - p2 = (b - c) / n;
 * Newcombe's method 10 with phi = (ad - bc) / sqrt((a+b)(c+d)(a+c)(b+d))
 * (0 when a margin is empty).  NAN when n = 0.
 */
void stats_newcombe_paired(double *diff, double *lo, double *hi, size_t a, size_t b, size_t c,
                           size_t d, double conf);

/*
 * Welch's interval of mean1 - mean2 (unequal variances; Welch 1947,
 * Biometrika 34:28), with Welch-Satterthwaite degrees of freedom.  NAN
 * unless n1 >= 2 and n2 >= 2.
 */
void stats_welch(double *lo, double *hi, double mean1, double sd1, size_t n1, double mean2,
                 double sd2, size_t n2, double conf);

#endif /* MPCSIM_SIM_CLI_STATS_H */
