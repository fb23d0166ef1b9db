/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/fuzz_mpc_msg.c - the shared layer's messages (protocols/mpc:
 * inputs, comparison rounds with their view tag, MAC-check commitments
 * and sigmas), fed fuzz bytes by a corrupted party inside a real trial of
 * a comparison computation (trial.h).  Malformed messages must be
 * rejected or end in an abort; any crash, sanitizer report, leak,
 * assertion or hang is a finding.  Header bytes:
 *     0  parties: 2 + h % 5 (Shamir: at least 3)
 *     1  the corrupted party: h % n
 *     2  computation: sum_threshold, max, second_price, median by h % 4
 *     3  bit 0: Shamir (else additive); bit 1: MACs (additive);
 *        h >> 2: Shamir's t = 1 + (h >> 2) % ((n - 1) / 2)
 *     4  sum_threshold's op (h % 4), max's reveal (h % 3)
 *     5  network seed
 *     6  latency: uniform 1 .. 1 + h % 64 ms
 *     7  bit 0: m127 (ell = 24), else m61 (ell = 19); bit 1: robust
 *
 * Built with -DMPCSIM_FUZZ_MPC_SEEDS (target mpc_msg_seeds) it writes the
 * seed corpus instead, from honest runs as msg_seeds.c does for the
 * others: build/tests/fuzz/mpc_msg_seeds tests/fuzz/corpus/mpc_msg
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "protocols/mpc/adapter.h"
#include "tests/fuzz/fuzz.h"
#include "tests/fuzz/trial.h"

static int
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

/* see fuzz.h */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    (void)fuzz_msg_mpc(data, size, NULL);
    return 0;
}

#ifdef MPCSIM_FUZZ_MPC_SEEDS
int main(int argc, char **argv);

/* Both schemes, each computation, MACs on and off, both fields, robust
 * Shamir at n = 5 and 7 (t = 1, 2). */
static const uint8_t mpc_hdr[][FUZZ_TRIAL_HDR] = {
    {2, 1, 0, 0, 0, 1, 10, 0}, {2, 3, 1, 2, 2, 2, 10, 1}, {1, 0, 2, 0, 0, 3, 10, 0},
    {2, 2, 3, 2, 0, 4, 30, 1}, {3, 1, 0, 1, 1, 5, 10, 2}, {3, 4, 1, 1, 2, 6, 10, 3},
    {3, 2, 2, 5, 0, 7, 10, 3}, {5, 6, 3, 5, 0, 8, 40, 2}, {0, 1, 0, 3, 3, 9, 10, 1},
};

int
main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: mpc_msg_seeds CORPUS_DIR\n");
        return 2;
    }
    for (size_t i = 0; i < sizeof(mpc_hdr) / sizeof(mpc_hdr[0]); i++) {
        const uint8_t *h = mpc_hdr[i];
        char path[4096];
        FILE *f;
        int rc;

        snprintf(path, sizeof(path), "%s/seed-%02x%02x%02x%02x%02x%02x%02x%02x", argv[1], h[0],
                 h[1], h[2], h[3], h[4], h[5], h[6], h[7]);
        f = fopen(path, "wb");
        if (f == NULL) {
            fprintf(stderr, "cannot write %s\n", path);
            return 1;
        }
        fwrite(h, 1, FUZZ_TRIAL_HDR, f);
        rc = fuzz_msg_mpc(h, FUZZ_TRIAL_HDR, f);
        if (fclose(f) != 0 || rc != 0) {
            fprintf(stderr, "%s: trial failed (%d)\n", path, rc);
            return 1;
        }
    }
    return 0;
}
#endif
