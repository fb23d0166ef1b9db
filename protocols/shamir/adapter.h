/* SPDX-License-Identifier: MIT */
/*
 * protocols/shamir/adapter.h - the Shamir protocol as an engine protocol
 * (sim/sim.h): (t, n) sharing of every input, GRR degree reduction for
 * the one multiplication of variance and dot_product, and an output
 * reconstruction that survives dropouts and, in robust mode, corrects and
 * names wrong shares.
 *
 * Rounds (a message's depth):
 *   1  inputs: party i sends party j the share f_i(j + 1) of its input
 *   2  (variance, dot_product) each party reshares its product share
 *      h_j (degree 2t) with degree t; receivers combine the subshares of
 *      the set T of resharers they heard with Lagrange weights for T
 *   +1 (variance, dot_product, only when the resharings heard carry
 *      different input views: a crash mid-broadcast) the agreement on
 *      one input set S* (the rule of the linear agreement below with
 *      2t + 1 in place of t + 1); each party holding every input of S*
 *      reshares its product share over S* (message type 5, tagged with
 *      S*), the others abstain and only decode the output round; fewer
 *      than 2t + 1 holders abort (adapter_impl.h, sh__mul_agree)
 *   .  each party broadcasts its share of the raw output with its "view":
 *      the inputs it left out and the parties missing from T
 *   +1 (sum, mean, weighted_sum, only when the views received differ: a
 *      crash mid-broadcast) the view agreement: each party holding the
 *      agreed input set S* broadcasts its share over S* (adapter_impl.h,
 *      sh__agree); `rounds` counts it
 * A round ends when every party expected has been heard or after
 * round_timeout_ns.  Inputs that did not arrive are left out (reported
 * in `included`); a multiplication needs 2t + 1 resharers.  Output
 * shares are grouped by view (shares of different views are sums over
 * different sets and never mixed):
 *   fast    output from the first t + 1 shares of a view (no checking:
 *           a corrupted share gives a wrong output);
 *   robust  wait for every party of the view (or the timeout), then
 *           decode: with m shares up to floor((m - t - 1) / 2) wrong
 *           shares are corrected and their senders accused; beyond that,
 *           inconsistent shares make the party abort.  No wrong output
 *           is possible while corrupted <= floor((m - t - 1) / 2), e.g.
 *           corrupted <= t when n >= 3t + 1 and nobody drops.
 * A multiplication cannot be checked without verifiable secret sharing:
 * a corrupted resharing spreads errors over every output share, so robust
 * reconstruction then aborts (a consistent wrong resharing would go
 * unnoticed; the tamper hook never produces one).
 *
 * Adversary (tamper), only on messages after the inputs: corrupt_shares
 * adds random non-zero errors to reshares and output shares; equivocate
 * does so for odd-numbered receivers only; withhold drops, delay delays;
 * malformed truncates, writes a value >= p or garbage.  A malformed
 * message makes the receiver accuse its sender and ignore the message.
 */
#ifndef MPCSIM_PROTOCOLS_SHAMIR_ADAPTER_H
#define MPCSIM_PROTOCOLS_SHAMIR_ADAPTER_H

#include "protocols/computation.h"
#include "protocols/field/field.h"
#include "sim/sim.h"

struct shamir_params {
    struct computation comp; /* weights borrowed for the trial */
    int threshold;           /* polynomial degree t */
    int robust;              /* 1: robust reconstruction, 0: fast */
    enum field_kind field;   /* FIELD_M61 (default, 0) or FIELD_M127; 16-byte elements */
};

/* The engine protocol; params point to a struct shamir_params. */
extern const struct sim_protocol shamir_protocol;

/* Rounds of a fault-free run: 2, 3 with a multiplication. */
int shamir_rounds(const struct shamir_params *p);

/*
 * NULL if `p` can run with n parties, else why not (static string): t
 * outside [0, n), a multiplication with n < 2t + 1, weights that do not
 * match n, length 0.
 */
const char *shamir_unsupported(const struct shamir_params *p, int n);

#endif /* MPCSIM_PROTOCOLS_SHAMIR_ADAPTER_H */
