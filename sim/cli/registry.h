/* SPDX-License-Identifier: MIT */
/*
 * sim/cli/registry.h - the protocols the front end knows, by `kind`: which
 * scenario keys and adversary behaviours mean something for each, and how
 * to turn a validated scenario into the protocol's parameters.
 */
#ifndef MPCSIM_SIM_CLI_REGISTRY_H
#define MPCSIM_SIM_CLI_REGISTRY_H

#include <stdint.h>

#include "sim/sim.h"

struct scenario;

struct registry_entry {
    const char *kind;
    const char *summary;
    /* NULL while the protocol is not part of this build. */
    const struct sim_protocol *proto;
    int key_mask;        /* SCENARIO_PKEY_* the protocol accepts */
    unsigned behaviours; /* bit (1u << SIM_x) for each meaningful behaviour */
    int test_only;       /* hidden from --help */
    /* NULL when fine, else why the scenario's computation/parameters are
     * unsupported (a static or thread-local string). */
    const char *(*unsupported)(const struct scenario *sc);
    /* Build the protocol's params for one point; 0 or MPCSIM_E*. */
    int (*make_params)(void **out, const struct scenario *sc);
    void (*free_params)(void *params);
    /* Rounds of a fault-free run, for `dropout: {at: random}`. */
    int (*rounds)(const struct scenario *sc);
    /* Extra result columns the protocol reports with sim_stat_add, NULL-ended. */
    const char *const *columns;
    /* Party 0 is a server: the runner adds server_bytes and server_compute_ms
     * (list them in `columns`), and `faults.dropout` applies to the clients
     * only (crash the server explicitly with faults.crash). */
    int server;
    /* With a server: whether the clients output too (NULL: they do).  When
     * they do not, the runner judges the server alone. */
    int (*clients_output)(const struct scenario *sc);
    /* Messages a fault-free trial sends (the estimate `mpcsim validate`
     * prints; checked against real runs in tests/cli/estimate.sh).  NULL:
     * rounds() all-to-all rounds of n(n-1) messages. */
    uint64_t (*messages)(const struct scenario *sc);
    /* Peak bytes a trial holds beyond the per-message calibration (state
     * that grows faster than the messages; NULL: none). */
    uint64_t (*memory)(const struct scenario *sc);
};

/*
 * The estimate of one trial of `sc` before running it: messages (the
 * entry's formula), events (a delivery per message, half again when
 * bandwidth is limited - a queued downlink arrival is an event of its
 * own - plus a timer per party and round)
 * and peak resident memory: for additive, Shamir and Paillier one round
 * of messages in flight and the link state at the engine's costs
 * (sim_memory_shape), plus Shamir's state per pair and 5 MB; for the
 * others 5 MB + 78 B per message plus the entry's memory() (secagg: its
 * O(n k) keys, shares and flags) or, for comparisons, mpc_sim_memory (the
 * circuit and the parties' wire values).  Within 30 % of peak RSS where
 * tests/cli/estimate.sh measures it.
 */
struct registry_estimate {
    uint64_t messages, events, memory_bytes;
};
void registry_estimate(struct registry_estimate *out, const struct scenario *sc);

/* The entry for `kind`, or NULL. */
const struct registry_entry *registry_lookup(const char *kind);
/* All entries (test-only ones included); *count receives how many. */
const struct registry_entry *registry_all(size_t *count);
/* The engine protocol that runs `sc` on `re`: the entry's own, or the
 * shared layer's (protocols/mpc) for comparison computations. */
const struct sim_protocol *registry_protocol(const struct registry_entry *re,
                                             const struct scenario *sc);
/* The extra result columns of `sc` on `re`: the entry's, or the shared
 * layer's (offline_*) for comparison computations. */
const char *const *registry_columns(const struct registry_entry *re, const struct scenario *sc);

#endif /* MPCSIM_SIM_CLI_REGISTRY_H */
