/* SPDX-License-Identifier: MIT */
/*
 * sim/cli/runner.h - run one trial of a validated scenario and turn the
 * engine's results into a result row (SCENARIO.md "Results").
 *
 * Common random numbers (SCENARIO.md `trials`): the trial seed is derived
 * from (scenario seed, trial) only, so trial k draws the same inputs,
 * dropouts, crashes, adversary set and network randomness at every sweep
 * point (with `streams: independent`, from (seed, point, trial)).  Every
 * stream of a trial is keyed by (trial seed, purpose, party or link), and
 * a row is reproduced exactly from its `seed` alone by runner_run_trial.
 */
#ifndef MPCSIM_SIM_CLI_RUNNER_H
#define MPCSIM_SIM_CLI_RUNNER_H

#include <stddef.h>
#include <stdint.h>

#include "common/mpcsim.h"
#include "sim/cli/scenario.h"

#define RUNNER_MAX_STATS 8

struct perparty_row; /* sim/cli/perparty.h */

enum trial_status { TRIAL_OK = 0, TRIAL_ABORT, TRIAL_WRONG_OUTPUT };

/*
 * Absent values (SCENARIO.md "Results": absent is not zero).  A metric
 * that has no value for a trial is TRIAL_ABSENT (ints), NAN (doubles,
 * test with isnan) or "" (strings); writers print an empty CSV field and
 * JSON null, and aggregates skip it, saying over which trials they ran.
 */
#define TRIAL_ABSENT (-1)

struct trial_row {
    int trial;
    uint64_t seed;
    enum trial_status status;
    int correct;
    char *output;                      /* "1234" or "1;2;3" (vectors), "" when none; owned */
    char *expected;                    /* owned; "" when absent (abort rows) */
    int included;                      /* TRIAL_ABSENT on abort rows */
    double latency_ms, latency_p50_ms; /* NAN unless status is ok */
    double time_to_abort_ms; /* abort rows: when the last honest party gave up; else NAN */
    int rounds;              /* protocol rounds; TRIAL_ABSENT without output */
    int depth;               /* causal depth; TRIAL_ABSENT without output */
    uint64_t messages, bytes, max_party_bytes;
    double compute_ms;           /* modelled compute, summed over parties */
    double max_party_compute_ms; /* the largest one party's modelled compute */
    uint64_t retransmissions;    /* tcp segment transmissions after the first */
    int dropped;
    char *accused; /* "3;7", owned */
    int false_accusations;
    uint64_t events;
    double wall_ms;
    char *reason; /* why it aborted or went wrong, "" otherwise; owned */
    /* Protocol columns.  An integer statistic (stat_is_int[i]: counts,
     * bytes) is exact in stat_u64[i]; stat_values[i] holds every
     * statistic as a double (exact for doubles, rounded above 2^53). */
    size_t n_stats;
    char stat_names[RUNNER_MAX_STATS][32];
    double stat_values[RUNNER_MAX_STATS];
    uint64_t stat_u64[RUNNER_MAX_STATS];
    uint8_t stat_is_int[RUNNER_MAX_STATS];
    /* Per-party results (sim/cli/perparty.h): NULL/0 unless enabled; owned. */
    struct perparty_row *parties;
    size_t n_parties;
    int critical_party; /* the honest party whose output came last; TRIAL_ABSENT if none */
};

/* "ok", "abort", "wrong_output". */
const char *trial_status_name(enum trial_status s);

/*
 * The seed of trial `trial` at sweep point `point` of `sc`: a function of
 * (sc->seed, trial) alone, or of (sc->seed, point, trial) when the
 * scenario says `streams: independent`.
 */
uint64_t runner_trial_seed(const struct scenario *sc, uint64_t point, uint64_t trial);

/* The calling thread's later trials keep their event queue's memory in
 * `pool` between them (sim_pool_create; NULL: none).  The pool stays the
 * caller's: set NULL before destroying it. */
void runner_use_pool(struct sim_pool *pool);

/*
 * Run trial `trial` of `sc` with seed `trial_seed`.  The row depends only
 * on (sc, trial_seed) (`trial` is only its label), so a row's `seed`
 * replays it.  Fills *row (free with trial_row_clear).  Returns 0 (whatever the trial's status),
 * MPCSIM_ERANGE when sampled inputs or the answer leave the field (message in `errbuf`), or
 * MPCSIM_ENOMEM / MPCSIM_ELIMIT.
 */
MPCSIM_NODISCARD int runner_run_trial(struct trial_row *row, const struct scenario *sc, int trial,
                                      uint64_t trial_seed, char *errbuf, size_t errcap);

/*
 * Key protocol randomness from the OS for every later trial (the
 * `--secure-random` option).  Process-wide; set before running trials.
 */
void runner_set_secure_random(int on);
void trial_row_clear(struct trial_row *row);

#endif /* MPCSIM_SIM_CLI_RUNNER_H */
