/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/msg_seeds.c - write the seed corpora of the protocol
 * message targets from honest runs: for each header below, the header
 * followed by every message the corrupted party really sent, as op-1
 * records (trial.h).  Run once when a wire format changes:
 *     build/tests/fuzz/msg_seeds tests/fuzz/corpus
 * (writes corpus/{additive,shamir,paillier,mpc,secagg}_msg/seed-HEADER; secagg
 * when built with it).
 */
#define MPCSIM_FUZZ_MSG_ADDITIVE
#define MPCSIM_FUZZ_MSG_SHAMIR
#define MPCSIM_FUZZ_MSG_PAILLIER
#define MPCSIM_FUZZ_MSG_MPC
#include <stdio.h>
#include <stdlib.h>

#include "protocols/paillier/adapter.h"
#include "tests/fuzz/msg.h"

typedef int fuzz_msg_fn(const uint8_t *data, size_t size, FILE *capture);

struct seed_set {
    const char *name;
    fuzz_msg_fn *fn;
    const uint8_t (*hdr)[FUZZ_TRIAL_HDR];
    size_t count;
};

/* n = 4 (5 for shamir), each computation, both options, corrupted party 1 or 3. */
static const uint8_t additive_hdr[][FUZZ_TRIAL_HDR] = {
    {2, 1, 0, 0, 0, 1, 10, 0}, {2, 1, 0, 1, 1, 2, 10, 0}, {2, 3, 1, 0, 1, 3, 10, 0},
    {2, 3, 1, 1, 0, 4, 10, 0}, {2, 1, 2, 1, 2, 5, 30, 0}, {2, 1, 3, 0, 1, 6, 10, 0},
    {2, 1, 3, 1, 1, 7, 10, 0}, {2, 1, 4, 0, 2, 8, 10, 0}, {2, 0, 4, 1, 2, 9, 40, 0},
};
static const uint8_t shamir_hdr[][FUZZ_TRIAL_HDR] = {
    {3, 1, 0, 1, 0, 1, 10, 0}, {3, 1, 0, 1, 1, 2, 10, 1}, {3, 4, 1, 2, 1, 3, 10, 1},
    {3, 2, 2, 1, 2, 4, 10, 0}, {3, 1, 3, 1, 1, 5, 10, 0}, {3, 1, 3, 2, 1, 6, 10, 1},
    {3, 0, 4, 1, 2, 7, 40, 1}, {5, 3, 0, 2, 0, 8, 10, 1}, {5, 6, 3, 2, 0, 9, 10, 1},
};
/* n = 4: root (party 0) or a leaf corrupted; threshold or single; star or tree. */
static const uint8_t paillier_hdr[][FUZZ_TRIAL_HDR] = {
    {2, 0, 0, 1, 0, 1, 10, 0}, {2, 2, 0, 1, 1, 2, 10, 0}, {2, 0, 0, 0, 0, 3, 10, 0},
    {2, 3, 1, 0, 0, 4, 10, 4}, {2, 1, 2, 3, 0, 5, 10, 1}, {4, 5, 0, 1, 1, 6, 10, 2},
    {2, 0, 1, 0, 1, 7, 10, 1}, /* single, tree, L = 2: party 0's 16-byte results */
};

/* Both schemes, each comparison computation, MACs on and off, both
 * fields, robust Shamir at n = 5 and 7 (t = 1, 2). */
static const uint8_t mpc_hdr[][FUZZ_TRIAL_HDR] = {
    {2, 1, 0, 0, 0, 1, 10, 0}, {2, 3, 1, 2, 2, 2, 10, 1}, {1, 0, 2, 0, 0, 3, 10, 0},
    {2, 2, 3, 2, 0, 4, 30, 1}, {3, 1, 0, 1, 1, 5, 10, 2}, {3, 4, 1, 1, 2, 6, 10, 3},
    {3, 2, 2, 5, 0, 7, 10, 3}, {5, 6, 3, 5, 0, 8, 40, 2}, {0, 1, 0, 3, 3, 9, 10, 1},
};

#ifdef MPCSIM_FUZZ_MSG_SECAGG
/* n = 4 or 5, each computation, default and explicit thresholds; SecAgg+
 * over 10 and 16 parties, the server or a client corrupted. */
static const uint8_t secagg_hdr[][FUZZ_TRIAL_HDR] = {
    {1, 1, 0, 0, 0, 1, 10, 0}, {1, 3, 1, 2, 1, 2, 10, 0}, {2, 0, 2, 3, 2, 3, 30, 0},
    {2, 4, 0, 2, 1, 4, 10, 0}, {1, 0, 0, 0, 1, 5, 10, 1}, {7, 7, 2, 2, 0, 6, 10, 1},
};
#endif

int
main(int argc, char **argv)
{
    const struct seed_set sets[] = {
        {"additive_msg", fuzz_msg_additive, additive_hdr,
         sizeof(additive_hdr) / sizeof(additive_hdr[0])},
        {"shamir_msg", fuzz_msg_shamir, shamir_hdr, sizeof(shamir_hdr) / sizeof(shamir_hdr[0])},
        {"paillier_msg", fuzz_msg_paillier, paillier_hdr,
         sizeof(paillier_hdr) / sizeof(paillier_hdr[0])},
        {"mpc_msg", fuzz_msg_mpc, mpc_hdr, sizeof(mpc_hdr) / sizeof(mpc_hdr[0])},
#ifdef MPCSIM_FUZZ_MSG_SECAGG
        {"secagg_msg", fuzz_msg_secagg, secagg_hdr, sizeof(secagg_hdr) / sizeof(secagg_hdr[0])},
#endif
    };

    if (argc != 2) {
        fprintf(stderr, "usage: msg_seeds CORPUS_DIR\n");
        return 2;
    }
    for (size_t s = 0; s < sizeof(sets) / sizeof(sets[0]); s++) {
        for (size_t i = 0; i < sets[s].count; i++) {
            const uint8_t *h = sets[s].hdr[i];
            char path[4096];
            FILE *f;
            int rc;

            snprintf(path, sizeof(path), "%s/%s/seed-%02x%02x%02x%02x%02x%02x%02x%02x", argv[1],
                     sets[s].name, h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]);
            f = fopen(path, "wb");
            if (f == NULL) {
                fprintf(stderr, "cannot write %s\n", path);
                return 1;
            }
            fwrite(h, 1, FUZZ_TRIAL_HDR, f);
            rc = sets[s].fn(h, FUZZ_TRIAL_HDR, f);
            if (fclose(f) != 0 || rc != 0) {
                fprintf(stderr, "%s: trial failed (%d)\n", path, rc);
                return 1;
            }
        }
    }
    paillier_dealer_cache_clear();
    return 0;
}
