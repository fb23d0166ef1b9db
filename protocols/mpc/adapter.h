/* SPDX-License-Identifier: MIT */
/*
 * protocols/mpc/adapter.h - the engine adapter of the shared layer: runs
 * a comparison computation (compare.h) over additive or Shamir shares in
 * the simulator.  The registry picks it for `protocol: additive | shamir`
 * when the computation compares (computation_is_comparison).
 *
 * Rounds (as messages and abort reasons number them): 1 the masked
 * inputs, 2 .. R+1 the circuit's interactive levels, then with MACs the
 * commitment and the reveal of the sigmas.  Every round is one broadcast
 * per party.  A party waits for the round's messages or for
 * round_timeout_ms: additive then aborts (n-of-n); Shamir leaves the
 * silent parties out from then on and decodes from what it has (a party
 * silent in round 1 is left out of the computation: `included`).
 * Offline columns: offline_messages (n: the dealer's one message per
 * party), offline_bytes (masks, bits, integers, triples or double
 * sharings, with MAC shares), offline_compute_ms.
 */
#ifndef MPCSIM_PROTOCOLS_MPC_ADAPTER_H
#define MPCSIM_PROTOCOLS_MPC_ADAPTER_H

#include "protocols/mpc/compare.h"
#include "sim/sim.h"

struct mpc_sim_params {
    struct mpc_compute mc;
    enum mpc_scheme scheme;
    int t;      /* Shamir degree */
    int mac;    /* additive */
    int robust; /* Shamir */
    /* 1: every input was checked against the comparison range before the
     * run (`values`), so parties do not refuse theirs. */
    int inputs_checked;
};

extern const struct sim_protocol mpc_protocol;

/* Why the parameters cannot run among n parties, or NULL (why: cap bytes). */
const char *mpc_sim_unsupported(const struct mpc_sim_params *p, int n, char *why, size_t cap);
/* Rounds of a fault-free run among n (builds the circuit), or -1. */
int mpc_sim_rounds(const struct mpc_sim_params *p, int n);
/*
 * The memory a fault-free trial among n holds for the computation (bytes;
 * builds the circuit; 0 if it cannot): the trial's circuit (gates and
 * schedule) and every party's wire values, MAC shares, dealer material,
 * received round elements and MAC-check log.  Messages in flight are the
 * engine's, not counted here.  Checked against peak RSS in
 * tests/cli/estimate.sh (within 30 %).
 */
uint64_t mpc_sim_memory(const struct mpc_sim_params *p, int n);

#endif /* MPCSIM_PROTOCOLS_MPC_ADAPTER_H */
