/* SPDX-License-Identifier: MIT */
/*
 * sim/cli/results.h - result rows out: CSV and JSON with the columns of
 * SCENARIO.md "Results" (sweep keys first as `sweep.<dotted key>`, then
 * the contract's columns, then `depth`, `time_to_abort_ms`,
 * `max_party_compute_ms`, `retransmissions`, protocol columns, and `reason` last), and the
 * table `mpcsim run` prints.
 *
 * Absent values (TRIAL_ABSENT, NAN, "" in struct trial_row) are empty
 * CSV fields and JSON null, never 0.  JSON numbers are exact: integers
 * are printed from their integer fields, outputs from their decimal
 * text; `seed` (a 64-bit identifier that common JSON readers would
 * round above 2^53) is a string.  Every CSV field goes through
 * results_csv_field, the one quoting rule for every CSV mpcsim writes.
 */
#ifndef MPCSIM_SIM_CLI_RESULTS_H
#define MPCSIM_SIM_CLI_RESULTS_H

#include <stdio.h>

#include "sim/cli/runner.h"

/* What every row of one point shares. */
struct results_point {
    const struct scenario *sc;
    size_t n_sweep;
    const char *const *sweep_keys;   /* dotted paths, written as sweep.<key> */
    const char *const *sweep_values; /* this point's values, in full */
};

/* One CSV field, quoted (RFC 4180) when it holds a comma, quote, CR or LF. */
void results_csv_field(FILE *f, const char *s);

/* The CSV header: sweep.<key>..., the contract's columns, `extra` columns, reason. */
void results_csv_header(FILE *f, const struct results_point *pt, const char *const *extra);
void results_csv_row(FILE *f, const struct results_point *pt, const struct trial_row *row,
                     const char *const *extra);
/*
 * What identifies a row, shared by the trial and per-party writers: the
 * sweep values, scenario, trial and seed (CSV: comma-separated, no
 * trailing comma; JSON: `"sweep.K": V, ..., "scenario": ..., "trial": N,
 * "seed": "S"`, the seed a string since it exceeds 2^53).
 */
void results_csv_row_key(FILE *f, const struct results_point *pt, const struct trial_row *row);
void results_json_row_key(FILE *f, const struct results_point *pt, const struct trial_row *row);
/* JSON: an array of objects; call begin, rows (first = 1 for the first), end. */
void results_json_begin(FILE *f);
void results_json_row(FILE *f, const struct results_point *pt, const struct trial_row *row,
                      const char *const *extra, int first);
void results_json_end(FILE *f);

/*
 * The human table of one point's trials (rows[0, n)): one line per trial
 * (up to 10 trials) with the short reason of non-ok trials, `-` for
 * absent values, `*` on outputs of non-ok trials, long outputs cut with
 * "..."; then the status counts with the success rate's Wilson interval,
 * latency over ok trials, time_to_abort_ms over aborted ones, traffic,
 * compute (summed over parties, and the largest party's) and the sum of
 * the trials' wall times.  Scenario text is escaped (common/escape.h).
 */
void results_summary(FILE *f, const struct results_point *pt, const struct trial_row *rows,
                     size_t n);

/* Statistics of one column over a point's trials (kept for older callers). */
struct results_agg {
    size_t n;
    double mean, sd, median, p95;
    double ci_lo, ci_hi; /* 95 % confidence interval of the mean (Student's t) */
};

/*
 * GSL's mean, sample sd, median and p95 of v[0, n) (sorted in place), and
 * mean -+ t(0.975, n-1) * sd / sqrt(n).  n = 1 gives sd 0 and a point CI.
 * Superseded by stats_summarize (sim/cli/stats.h), which skips absent
 * values and gives no interval for one value; kept for test_scenario.
 */
void results_aggregate(struct results_agg *a, double *v, size_t n);

#endif /* MPCSIM_SIM_CLI_RESULTS_H */
