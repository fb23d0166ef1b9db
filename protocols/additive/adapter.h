/* SPDX-License-Identifier: MIT */
/*
 * protocols/additive/adapter.h - the additive protocol as an engine
 * protocol (sim/sim.h): n-of-n sharing of every input, Beaver
 * multiplication with triples from a simulated dealer, optional SPDZ MACs.
 *
 * Rounds (a message's depth):
 *   1  inputs: without MACs each party sends party j its additive share;
 *      with MACs it broadcasts x - r for a dealer mask r it knows
 *   2  (variance, dot_product) the Beaver openings d = x - a, e = y - b
 *   .  the shares of the raw output (computation.h), broadcast
 *   .  (mac) a commitment to sigma_j, the party's MAC-check value over
 *      every opened value (the openings and the output)
 *   .  (mac) sigma_j and the commitment's nonce; output iff every
 *      commitment opens and the sigmas sum to zero
 * Every party must hear every other in every round: a silent party makes
 * the others abort after round_timeout_ns.  A malformed message (length,
 * type, value >= p) makes the receiver accuse its sender and abort; so
 * does a commitment that does not open.  A failed MAC check aborts
 * without naming anyone (it cannot tell who cheated).
 *
 * The dealer (trial_setup) deals the triples, the MAC key shares and the
 * input masks from the trial key and reports what sending them would
 * cost in the protocol columns offline_messages, offline_bytes and
 * offline_compute_ms (one message per party; default cost table).
 *
 * Adversary (tamper), only on messages after the inputs: corrupt_shares
 * adds random non-zero errors to the opened shares; equivocate does so
 * for odd-numbered receivers only; wrong_mac commits to and reveals
 * sigma_j + delta (consistently, so the MAC check is what fails);
 * withhold drops and delay delays; malformed truncates, writes a value
 * >= p or garbage, depending on the receiver.  Without MACs,
 * corrupt_shares and equivocate produce wrong outputs: that is what MACs
 * are for.
 */
#ifndef MPCSIM_PROTOCOLS_ADDITIVE_ADAPTER_H
#define MPCSIM_PROTOCOLS_ADDITIVE_ADAPTER_H

#include "protocols/computation.h"
#include "protocols/field/field.h"
#include "sim/sim.h"

struct additive_params {
    struct computation comp; /* weights borrowed for the trial */
    int mac;                 /* SPDZ MACs, checked before output */
    enum field_kind field;   /* FIELD_M61 (default, 0) or FIELD_M127; 16-byte elements */
};

/* The engine protocol; params point to a struct additive_params. */
extern const struct sim_protocol additive_protocol;

/* Rounds of a fault-free run: 2, +1 with a multiplication, +2 with MACs. */
int additive_rounds(const struct additive_params *p);

/*
 * NULL if `p` can run with n parties, else why not (static string):
 * fewer than 2 parties, length 0, weights that do not match n.
 */
const char *additive_unsupported(const struct additive_params *p, int n);

#endif /* MPCSIM_PROTOCOLS_ADDITIVE_ADAPTER_H */
