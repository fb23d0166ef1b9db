/* SPDX-License-Identifier: MIT */
/*
 * sim/cli/results.h - result rows out: CSV and JSON exactly as
 * SCENARIO.md "Results" lists the columns (sweep keys first, protocol
 * columns and `reason` last), and the summary table `mpcsim run` prints.
 */
#ifndef MPCSIM_SIM_CLI_RESULTS_H
#define MPCSIM_SIM_CLI_RESULTS_H

#include <stdio.h>

#include "sim/cli/runner.h"

/* What every row of one output file shares. */
struct results_point {
    const struct scenario *sc;
    size_t n_sweep;
    const char *const *sweep_keys;
    const char *const *sweep_values; /* this point's values */
};

/* Write the CSV header: sweep keys, the contract's columns, `extra` columns, reason. */
void results_csv_header(FILE *f, const struct results_point *pt, const char *const *extra);
void results_csv_row(FILE *f, const struct results_point *pt, const struct trial_row *row,
                     const char *const *extra);
/* JSON: an array of objects; call begin, rows (first = 1 for the first), end. */
void results_json_begin(FILE *f);
void results_json_row(FILE *f, const struct results_point *pt, const struct trial_row *row,
                      const char *const *extra, int first);
void results_json_end(FILE *f);
/* The human summary of one point's trials (rows[0, n)). */
void results_summary(FILE *f, const struct results_point *pt, const struct trial_row *rows,
                     size_t n);

/* Statistics of one column over a point's trials. */
struct results_agg {
    size_t n;
    double mean, sd, median, p95;
    double ci_lo, ci_hi; /* 95 % confidence interval of the mean (Student's t) */
};

/*
 * GSL's mean, sample sd, median and p95 of v[0, n) (sorted in place), and
 * mean -+ t(0.975, n-1) * sd / sqrt(n).  n = 1 gives sd 0 and a point CI.
 */
void results_aggregate(struct results_agg *a, double *v, size_t n);

#endif /* MPCSIM_SIM_CLI_RESULTS_H */
