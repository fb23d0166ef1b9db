/* SPDX-License-Identifier: MIT */
/*
 * protocols/paillier/adapter.h - the Paillier aggregation protocol as an
 * engine protocol (struct sim_protocol).
 *
 * Rounds: (1) every party encrypts its input vector (one ciphertext per
 * element) under the dealer's key and sends it to its aggregator: party 0
 * (star) or its parent in a fanout-f tree, internal nodes multiplying
 * their subtree's ciphertexts; then with threshold decryption (2) party
 * 0 broadcasts the aggregate with the list of excluded parties and (3)
 * every party broadcasts its partial decryption and outputs once it can
 * combine; with single decryption (2) party 0 decrypts with CRT and
 * broadcasts only the result with the excluded list (the aggregate
 * ciphertexts, which no other party uses, are not sent).  A party (or a tree
 * subtree) whose ciphertext has not arrived when its aggregator's timer
 * fires (round_timeout x the aggregator's subtree height) is excluded.
 *
 * Checks: ciphertexts and partials are decoded with range and coprimality
 * checks (bad_ciphertext, malformed: the sender is accused and ignored,
 * its subtree excluded; a bad aggregate from party 0 aborts).  With t+1
 * partials a party checks them for consistency before combining (any
 * corrupted partial among them is detected: abort, cheater not named,
 * since there are no proofs of correct decryption); with exactly t (at
 * the timeout) it combines unchecked, and a corrupted partial still makes
 * the plaintext a random value mod n that fails the output range check
 * (|v| <= comp.max_abs <= 2^126 - 1) except with probability
 * ~2^-(|n|-128): abort.  Single mode's result message carries each value
 * as 16 bytes (big-endian two's complement); a value beyond comp.max_abs
 * is refused (party 0 accused, abort).  Not detected: party 0 (single
 * mode) lying about the result within the range, and input substitution.
 *
 * Values: inputs, weights and results are exact 128-bit integers
 * (mpcsim_i128), encoded mod n (paillier_encode_i128); the aggregate is
 * decoded to (-n/2, n/2] and must lie within comp.max_abs.
 *
 * Keys: the dealer's modulus is generated once per process and key size
 * (deterministically from a fixed domain-separated seed, so runs replay)
 * and cached; the threshold sharing is re-dealt for every trial from the
 * trial key.  `fresh_keys` generates a new key per trial instead (slow),
 * and then charges one SIM_OP_PAILLIER_KEYGEN to party 0 before it starts.
 */
#ifndef MPCSIM_PROTOCOLS_PAILLIER_ADAPTER_H
#define MPCSIM_PROTOCOLS_PAILLIER_ADAPTER_H

#include "protocols/computation.h"
#include "sim/sim.h"

/*
 * The range of Paillier's inputs, weighted terms, running sums and
 * results: |x| <= 2^126 - 1, the 128-bit output type's (the same bound as
 * GF(2^127 - 1)'s).  The plaintext space, |x| < n/2 with n >= 2^(key_bits-1),
 * is larger for every key size allowed (key_bits >= 1024 gives
 * n/2 >= 2^1022).  Set comp.max_abs to it (the scenario loader does).
 */
#define PAILLIER_MAX_ABS ((((mpcsim_i128)1) << 126) - 1)

struct paillier_params {
    struct computation comp;  /* sum, weighted_sum or mean (paillier_supports) */
    unsigned key_bits;        /* protocol.key_bits: 1024, 2048 (default), 3072, 4096 */
    int threshold_decryption; /* protocol.decryption: 1 threshold (default), 0 single */
    int decryption_threshold; /* protocol.decryption_threshold: t; 0 = floor(n/2) + 1 */
    int tree_fanout;          /* protocol.aggregation: 0 star (default), >= 2 tree fanout */
    int plain_encryption;     /* protocol.encryption: 0 precomputed (DJN, default), 1 plain r^n */
    int fresh_keys;           /* protocol.fresh_keys: 0 cached per process (default), 1 per trial */
};

/* Whether the protocol computes `c` (sum, weighted_sum, mean: 1; else 0). */
int paillier_supports(const struct computation *c);

/*
 * Validate params for n parties; on error writes an English reason to
 * err[0, cap) and returns MPCSIM_EINVAL (or MPCSIM_ENOTSUP for an
 * unsupported computation).
 */
MPCSIM_NODISCARD int paillier_params_check(const struct paillier_params *prm, int n, char *err,
                                           size_t cap);

/* Rounds an honest run takes (for faults.dropout.at: random). */
int paillier_protocol_rounds(const struct paillier_params *prm, int n);

/*
 * Generate (or find) the cached dealer key for key_bits now, e.g. before
 * timing trials.  0, MPCSIM_EINVAL, MPCSIM_ENOMEM or MPCSIM_ELIMIT (cache full).
 */
MPCSIM_NODISCARD int paillier_dealer_cache_warm(unsigned key_bits);

/* Free the process-wide dealer key cache (tests, exit).  Not concurrent with trials. */
void paillier_dealer_cache_clear(void);

extern const struct sim_protocol paillier_protocol;

#endif /* MPCSIM_PROTOCOLS_PAILLIER_ADAPTER_H */
