/* SPDX-License-Identifier: MIT */
/*
 * sim/cli/stats.c - see stats.h.  Closed forms only: GSL 2.7's
 * gsl_cdf_beta_Pinv does not return for 0/n and n/n, so no
 * Clopper-Pearson here.
 */
#include "sim/cli/stats.h"

#include <math.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

/* see stats.h */
void
stats_t_interval(double *lo, double *hi, double mean, double sd, size_t n, double conf)
{
    double half;

    *lo = *hi = NAN;
    if (n < 2 || isnan(sd) || isnan(mean)) {
        return;
    }
    half = gsl_cdf_tdist_Pinv(1 - (1 - conf) / 2, (double)(n - 1)) * sd / sqrt((double)n);
    *lo = mean - half;
    *hi = mean + half;
}

/* see stats.h */
void
stats_summarize(struct stats_summary *s, double *v, size_t n, double conf)
{
    size_t m = 0;

    for (size_t i = 0; i < n; i++) {
        if (!isnan(v[i])) {
            v[m++] = v[i];
        }
    }
    s->n = m;
    s->absent = n - m;
    s->mean = s->sd = s->median = s->p95 = s->min = s->max = NAN;
    s->ci_lo = s->ci_hi = NAN;
    if (m == 0) {
        return;
    }
    gsl_sort(v, 1, m);
    s->mean = gsl_stats_mean(v, 1, m);
    s->median = gsl_stats_median_from_sorted_data(v, 1, m);
    s->p95 = gsl_stats_quantile_from_sorted_data(v, 1, m, 0.95);
    s->min = v[0];
    s->max = v[m - 1];
    if (m > 1) {
        s->sd = gsl_stats_sd_m(v, 1, m, s->mean);
        stats_t_interval(&s->ci_lo, &s->ci_hi, s->mean, s->sd, m, conf);
    }
}

static double
z_of(double conf)
{
    return gsl_cdf_ugaussian_Pinv(1 - (1 - conf) / 2);
}

/* see stats.h */
void
stats_wilson(double *lo, double *hi, size_t k, size_t n, double conf)
{
    double z = z_of(conf);
    double nn = (double)n;
    double p, z2, centre, half, den;

    *lo = *hi = NAN;
    if (n == 0 || k > n) {
        return;
    }
    p = (double)k / nn;
    z2 = z * z;
    den = 1 + z2 / nn;
    centre = p + z2 / (2 * nn);
    half = z * sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));
    *lo = (centre - half) / den;
    *hi = (centre + half) / den;
    /* Exact at the ends: the rounding of centre - half must not leave 0 or 1. */
    if (k == 0) {
        *lo = 0;
    }
    if (k == n) {
        *hi = 1;
    }
}

/* see stats.h */
void
stats_newcombe(double *lo, double *hi, size_t k1, size_t n1, size_t k2, size_t n2, double phi,
               double conf)
{
    double l1, u1, l2, u2, p1, p2, d1, d2, delta, eps;

    *lo = *hi = NAN;
    if (n1 == 0 || n2 == 0 || k1 > n1 || k2 > n2) {
        return;
    }
    stats_wilson(&l1, &u1, k1, n1, conf);
    stats_wilson(&l2, &u2, k2, n2, conf);
    p1 = (double)k1 / (double)n1;
    p2 = (double)k2 / (double)n2;
    d1 = p1 - l1;
    d2 = u2 - p2;
    delta = d1 * d1 - 2 * phi * d1 * d2 + d2 * d2;
    d1 = u1 - p1;
    d2 = p2 - l2;
    eps = d1 * d1 - 2 * phi * d1 * d2 + d2 * d2;
    *lo = p1 - p2 - sqrt(delta > 0 ? delta : 0);
    *hi = p1 - p2 + sqrt(eps > 0 ? eps : 0);
}

/* see stats.h */
void
stats_newcombe_paired(double *diff, double *lo, double *hi, size_t a, size_t b, size_t c, size_t d,
                      double conf)
{
    size_t n = a + b + c + d;
    double den = (double)(a + b) * (double)(c + d) * (double)(a + c) * (double)(b + d);
    double phi = 0;

    *diff = *lo = *hi = NAN;
    if (n == 0) {
        return;
    }
    if (den > 0) {
        phi = ((double)a * (double)d - (double)b * (double)c) / sqrt(den);
    }
    *diff = ((double)b - (double)c) / (double)n;
    stats_newcombe(lo, hi, a + b, n, a + c, n, phi, conf);
}

/* see stats.h */
void
stats_welch(double *lo, double *hi, double mean1, double sd1, size_t n1, double mean2, double sd2,
            size_t n2, double conf)
{
    double v1, v2, se2, df, half;

    *lo = *hi = NAN;
    if (n1 < 2 || n2 < 2 || isnan(sd1) || isnan(sd2)) {
        return;
    }
    v1 = sd1 * sd1 / (double)n1;
    v2 = sd2 * sd2 / (double)n2;
    se2 = v1 + v2;
    if (se2 == 0) {
        *lo = *hi = mean1 - mean2; /* both samples constant: the difference is known */
        return;
    }
    df = se2 * se2 / (v1 * v1 / (double)(n1 - 1) + v2 * v2 / (double)(n2 - 1));
    half = gsl_cdf_tdist_Pinv(1 - (1 - conf) / 2, df) * sqrt(se2);
    *lo = mean1 - mean2 - half;
    *hi = mean1 - mean2 + half;
}
