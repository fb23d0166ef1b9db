/* SPDX-License-Identifier: MIT */
/*
 * sim/cli/perparty.h - per-party results (issue 20, item 1): one row per
 * (trial, party) read from the engine's sim_party_result() before the
 * trial's `struct sim` is destroyed, plus a row for the additive dealer
 * (offline phase) built from the protocol's offline_* statistics.
 *
 * Invariant (tests/cli/perparty.sh checks it for every bundled scenario):
 * over the rows whose role is not "dealer", messages_sent sums to the
 * trial's `messages` and bytes_sent to its `bytes`.  The dealer row's
 * messages_sent / bytes_sent equal the trial's offline_messages /
 * offline_bytes columns, which are not part of `messages` / `bytes`.
 *
 * Absent values follow runner.h: TRIAL_ABSENT for ints, NAN for doubles,
 * "" for strings; the writers print an empty CSV field / JSON null.
 */
#ifndef MPCSIM_SIM_CLI_PERPARTY_H
#define MPCSIM_SIM_CLI_PERPARTY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/mpcsim.h"
#include "sim/cli/results.h"
#include "sim/cli/runner.h"
#include "sim/sim.h"

enum perparty_role { PERPARTY_PARTY = 0, PERPARTY_CLIENT, PERPARTY_SERVER, PERPARTY_DEALER };
enum perparty_status { PERPARTY_NONE = 0, PERPARTY_OUTPUT, PERPARTY_ABORT };

struct perparty_row {
    int party; /* 0 .. n-1; TRIAL_ABSENT for the dealer */
    enum perparty_role role;
    int honest;       /* 1 / 0; TRIAL_ABSENT for the dealer */
    const char *down; /* "crash" (faults.crash), "dropout", or "" when it stayed up */
    double down_ms;   /* when it went down (simulated ms); NAN when it did not */
    uint64_t messages_sent, bytes_sent; /* wire bytes: payload + segment headers */
    uint64_t messages_received;         /* messages delivered to it (handled) */
    uint64_t bytes_received;            /* wire bytes delivered to it */
    double compute_ms;                  /* modelled compute (ms) */
    enum perparty_status status;
    double time_ms;   /* local time of its output (ms); NAN without output.  The
                         engine does not report when a party aborted. */
    int depth;        /* causal depth when it output; TRIAL_ABSENT without output */
    char *accused_by; /* "2;5": honest parties that accused it, "" for none; owned */
    char *reason;     /* its abort reason, "" otherwise; owned */
};

/*
 * Turn collection on or off for every later trial (process-wide; set
 * before running trials, like runner_set_secure_random).  Off by default:
 * rows then carry only the critical party.
 */
void perparty_set_enabled(int on);

/*
 * Fill row->parties / row->n_parties (when enabled) and
 * row->critical_party (always: the honest party whose output came last,
 * lowest id on ties; TRIAL_ABSENT when none output) from `sim` after
 * sim_run of a trial of `sc` (n = sc->parties).  `server`: party 0 is a
 * server and the others are clients.  Returns 0 or MPCSIM_ENOMEM
 * (row->parties then stays NULL).
 */
MPCSIM_NODISCARD int perparty_collect(struct trial_row *row, const struct sim *sim,
                                      const struct scenario *sc, int server);

/* Free row->parties (safe on a row without them); leaves n_parties 0. */
void perparty_rows_free(struct trial_row *row);

/* "party", "client", "server", "dealer"; "none", "output", "abort". */
const char *perparty_role_name(enum perparty_role r);
const char *perparty_status_name(enum perparty_status s);

/*
 * CSV: the header (sweep.<key>... as in results.h, then scenario, trial,
 * seed, party, role, honest, down, down_ms, messages_sent, bytes_sent,
 * messages_received, bytes_received, compute_ms, status, time_ms, depth, accused_by,
 * reason), then one line per per-party row of `tr`.
 */
void perparty_csv_header(FILE *f, const struct results_point *pt);
void perparty_csv_rows(FILE *f, const struct results_point *pt, const struct trial_row *tr);
/* JSON: an array of objects with the same keys; *first is 1 before the first row. */
void perparty_json_begin(FILE *f);
void perparty_json_rows(FILE *f, const struct results_point *pt, const struct trial_row *tr,
                        int *first);
void perparty_json_end(FILE *f);

#endif /* MPCSIM_SIM_CLI_PERPARTY_H */
