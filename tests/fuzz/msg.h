/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/msg.h - the protocol message targets: fuzz bytes -> a trial
 * of one protocol (trial.h) whose parameters come from the header bytes.
 * Shared by fuzz_{additive,shamir,paillier,secagg,mpc}_msg.c and msg_seeds.c, which
 * captures the seed corpora from honest runs.  Header bytes:
 *     0  parties: 2 + h % 5 (shamir: 2 + h % 6; secagg: 3 + h % 5)
 *     1  the corrupted party: h % n
 *     2  computation: h % 5 (paillier, secagg: sum, weighted_sum, mean by h % 3)
 *     3  protocol option (mac; threshold; decryption threshold; threshold)
 *     4  input length 1 + h % 3 (paillier: 1 + h % 2)
 *     5  network seed
 *     6  latency: uniform 1 .. 1 + h % 64 ms
 *     7  protocol option (shamir: robust; paillier: tree, encryption;
 *        secagg: bit 0 SecAgg+ with num_shares 3 over 9 + h0 % 8 parties,
 *        threshold h3 % 4)
 */
#ifndef MPCSIM_TESTS_FUZZ_MSG_H
#define MPCSIM_TESTS_FUZZ_MSG_H

#include <stdint.h>
#include <stdio.h>

#include "tests/fuzz/trial.h"

/* Weights for weighted_sum: party i weighs (i + 1), negated for odd i. */
static const mpcsim_i128 fuzz_msg_weights[16] = {1, -2,  3,  -4,  5,  -6,  7,  -8,
                                                 9, -10, 11, -12, 13, -14, 15, -16};

#ifdef MPCSIM_FUZZ_MSG_ADDITIVE
#include "protocols/additive/adapter.h"

static inline int
fuzz_msg_additive(const uint8_t *data, size_t size, FILE *capture)
{
    struct fuzz_trial ft = {.capture = capture};
    struct additive_params prm;
    int n;

    if (size < FUZZ_TRIAL_HDR) {
        return 0;
    }
    n = 2 + data[0] % 5;
    memset(&prm, 0, sizeof(prm));
    prm.comp.kind = (enum computation_kind)(data[2] % 5);
    prm.comp.length = 1 + (size_t)(data[4] % 3);
    prm.comp.weights = fuzz_msg_weights;
    prm.comp.n_weights = (size_t)n;
    prm.mac = data[3] & 1;
    return fuzz_trial_run(&ft, &additive_protocol, &prm, n, data[1] % n, prm.comp.length, data[5],
                          1 + data[6] % 64, data + FUZZ_TRIAL_HDR, size - FUZZ_TRIAL_HDR);
}
#endif

#ifdef MPCSIM_FUZZ_MSG_SHAMIR
#include "protocols/shamir/adapter.h"

static inline int
fuzz_msg_shamir(const uint8_t *data, size_t size, FILE *capture)
{
    struct fuzz_trial ft = {.capture = capture};
    struct shamir_params prm;
    int n;

    if (size < FUZZ_TRIAL_HDR) {
        return 0;
    }
    n = 2 + data[0] % 6;
    memset(&prm, 0, sizeof(prm));
    prm.comp.kind = (enum computation_kind)(data[2] % 5);
    prm.comp.length = 1 + (size_t)(data[4] % 3);
    prm.comp.weights = fuzz_msg_weights;
    prm.comp.n_weights = (size_t)n;
    prm.threshold = data[3] % n;
    if (computation_needs_mul(prm.comp.kind) && n < 2 * prm.threshold + 1) {
        prm.threshold = (n - 1) / 2;
    }
    prm.robust = data[7] & 1;
    return fuzz_trial_run(&ft, &shamir_protocol, &prm, n, data[1] % n, prm.comp.length, data[5],
                          1 + data[6] % 64, data + FUZZ_TRIAL_HDR, size - FUZZ_TRIAL_HDR);
}
#endif

#ifdef MPCSIM_FUZZ_MSG_PAILLIER
#include "protocols/paillier/adapter.h"

static inline int
fuzz_msg_paillier(const uint8_t *data, size_t size, FILE *capture)
{
    static const enum computation_kind kinds[3] = {COMPUTATION_SUM, COMPUTATION_WEIGHTED_SUM,
                                                   COMPUTATION_MEAN};
    static const int fanouts[4] = {0, 2, 3, 0};
    struct fuzz_trial ft = {.capture = capture};
    struct paillier_params prm;
    int n;

    if (size < FUZZ_TRIAL_HDR) {
        return 0;
    }
    n = 2 + data[0] % 5;
    memset(&prm, 0, sizeof(prm));
    prm.comp.kind = kinds[data[2] % 3];
    prm.comp.length = 1 + (size_t)(data[4] % 2);
    prm.comp.weights = fuzz_msg_weights;
    prm.comp.n_weights = (size_t)n;
    prm.key_bits = 1024; /* the smallest allowed: the decoders do not depend on it */
    prm.comp.max_abs = PAILLIER_MAX_ABS; /* as scenarios run it: 16-byte results */
    prm.threshold_decryption = data[3] & 1;
    prm.decryption_threshold = (data[3] >> 1) % (n + 1); /* 0 = floor(n/2) + 1 */
    prm.tree_fanout = fanouts[data[7] & 3];
    prm.plain_encryption = (data[7] >> 2) & 1;
    return fuzz_trial_run(&ft, &paillier_protocol, &prm, n, data[1] % n, prm.comp.length, data[5],
                          1 + data[6] % 64, data + FUZZ_TRIAL_HDR, size - FUZZ_TRIAL_HDR);
}
#endif

#ifdef MPCSIM_FUZZ_MSG_SECAGG
#include "protocols/secagg/adapter.h"

static inline int
fuzz_msg_secagg(const uint8_t *data, size_t size, FILE *capture)
{
    static const enum computation_kind kinds[3] = {COMPUTATION_SUM, COMPUTATION_WEIGHTED_SUM,
                                                   COMPUTATION_MEAN};
    struct fuzz_trial ft = {.capture = capture};
    struct secagg_params prm;
    int n;

    if (size < FUZZ_TRIAL_HDR) {
        return 0;
    }
    n = data[7] & 1 ? 9 + data[0] % 8 : 3 + data[0] % 5;
    memset(&prm, 0, sizeof(prm));
    prm.comp.kind = kinds[data[2] % 3];
    prm.comp.length = 1 + (size_t)(data[4] % 3);
    prm.comp.weights = fuzz_msg_weights;
    prm.comp.n_weights = (size_t)n;
    prm.threshold = data[3] % n; /* 0 = the default */
    if (data[7] & 1) {
        prm.num_shares = 3; /* SecAgg+: k = 2, t <= 3 */
        prm.threshold = data[3] % 4;
    }
    return fuzz_trial_run(&ft, &secagg_protocol, &prm, n, data[1] % n, prm.comp.length, data[5],
                          1 + data[6] % 64, data + FUZZ_TRIAL_HDR, size - FUZZ_TRIAL_HDR);
}
#endif

#ifdef MPCSIM_FUZZ_MSG_MPC
#include "protocols/mpc/adapter.h"

/*
 * The shared layer (protocols/mpc) on a comparison computation; its own
 * header bytes:
 *     0  parties: 2 + h % 5 (Shamir: at least 3)
 *     2  sum_threshold, max, second_price, median by h % 4
 *     3  bit 0: Shamir (else additive); bit 1: MACs (additive);
 *        h >> 2: Shamir's t = 1 + (h >> 2) % ((n - 1) / 2)
 *     4  sum_threshold's op (h % 4), max's reveal (h % 3)
 *     7  bit 0: m127 (ell = 24), else m61 (ell = 19); bit 1: robust
 * (1, 5, 6 as above; the input length is 1).
 */
static inline int
fuzz_msg_mpc(const uint8_t *data, size_t size, FILE *capture)
{
    struct fuzz_trial ft = {.capture = capture};
    struct mpc_sim_params prm;
    int n;

    if (size < FUZZ_TRIAL_HDR) {
        return 0;
    }
    memset(&prm, 0, sizeof(prm));
    prm.scheme = (data[3] & 1) ? MPC_SHAMIR : MPC_ADDITIVE;
    n = 2 + data[0] % 5;
    if (prm.scheme == MPC_SHAMIR && n < 3) {
        n = 3;
    }
    prm.mc.comp.kind = (enum computation_kind)(COMPUTATION_SUM_THRESHOLD + data[2] % 4);
    prm.mc.comp.length = 1;
    prm.mc.comp.op = (enum computation_cmp)(data[4] % 4);
    prm.mc.comp.threshold = 2500;
    prm.mc.comp.reveal = (enum computation_reveal)(data[4] % 3);
    prm.mc.field = (data[7] & 1) ? MPC_FIELD_M127 : MPC_FIELD_M61;
    prm.mc.ell = prm.mc.field == MPC_FIELD_M127 ? 24 : 19;
    prm.mc.kappa = 40;
    prm.mac = (data[3] >> 1) & 1;
    prm.t = 1 + (data[3] >> 2) % ((n - 1) / 2 > 0 ? (n - 1) / 2 : 1);
    prm.robust = (data[7] >> 1) & 1;
    return fuzz_trial_run(&ft, &mpc_protocol, &prm, n, data[1] % n, 1, data[5], 1 + data[6] % 64,
                          data + FUZZ_TRIAL_HDR, size - FUZZ_TRIAL_HDR);
}
#endif

#endif /* MPCSIM_TESTS_FUZZ_MSG_H */
