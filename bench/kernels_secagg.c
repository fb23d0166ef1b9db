/* SPDX-License-Identifier: MIT */
/*
 * bench/kernels_secagg.c - benchmark kernels of secure aggregation
 * (protocols/secagg).
 *
 * secagg/prg_expand/L=1000: one seed into 1000 field elements (ChaCha20,
 *     rejection of p); an item is one element.  The check compares with
 *     the expansion made in setup.
 * secagg/client_mask/n=100/L=1000: one client's masked input among 100
 *     clients: 99 X25519 agreements and 100 PRG expansions added into the
 *     input (the self-mask and the signed pairwise masks); an item is one
 *     client.  The check removes the masks again with the peers' keys
 *     (the agreement computed from the other end) and finds the input.
 * scenario/secagg_sum/clients=100/L=1000/drop=0.1: one whole simulated
 *     trial, 100 clients and the server, 10 % of the clients dropping after
 *     sharing its keys (so the server also removes pairwise masks); the
 *     check compares every output with the plaintext sum over `included`.
 * huge/secagg_sum/clients=500/L=1000/drop=0.3: the target, 30 %
 *     of the clients dropping at rounds spread over the protocol (run with
 *     --filter huge).
 * huge/secagg_plus_sum/clients=10000/L=1000/drop=0.1/auto: SecAgg+ (Bell
 *     et al. 2020) with num_shares: auto (K = 39, T = 20), 10 % of the
 *     clients dropping at rounds spread over the protocol (--filter huge).
 * huge/secagg_plus_sum/clients=100000/L=1000/drop=0.1/auto: the same at
 *     10^5 clients (K = 43, T = 22; a few GB, minutes; --filter names it).
 */
#include "bench/kernels.h"

#include <string.h>

#include "common/alloc.h"
#include "protocols/field/fp.h"
#include "protocols/secagg/adapter.h"
#include "protocols/secagg/secagg.h"

static const uint8_t bench_seed[32] = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3,
                                       2, 3, 8, 4, 6, 2, 6, 4, 3, 3, 8, 3, 2, 7, 9, 5};

/* ---- PRG ---------------------------------------------------------------- */

#define PRG_L 1000

struct prg_bench {
    uint64_t want[PRG_L], got[PRG_L];
};

static int
prg_setup(void **state)
{
    struct prg_bench *b = mpcsim_calloc(1, sizeof(*b));

    if (b == NULL) {
        return MPCSIM_ENOMEM;
    }
    secagg_prg_expand(b->want, PRG_L, bench_seed);
    *state = b;
    return 0;
}

static void
prg_run(void *state, uint64_t iters)
{
    struct prg_bench *b = state;

    for (uint64_t it = 0; it < iters; it++) {
        secagg_prg_expand(b->got, PRG_L, bench_seed);
        bench_keep(b->got[it % PRG_L]);
    }
}

static int
prg_check(void *state)
{
    struct prg_bench *b = state;

    for (size_t k = 0; k < PRG_L; k++) {
        if (b->got[k] >= FP_P) {
            return 1;
        }
    }
    return memcmp(b->got, b->want, sizeof(b->got)) != 0;
}

/* ---- one client's masked input -------------------------------------------- */

#define MASK_N 100
#define MASK_L 1000

struct mask_bench {
    struct secagg_keypair kp[MASK_N]; /* client 0 is the one measured */
    uint8_t b[32];
    uint64_t x[MASK_L], y[MASK_L];
    int bad;
};

static void
mask_teardown(void *state)
{
    mpcsim_free(state);
}

static int
mask_setup(void **state)
{
    struct mask_bench *b = mpcsim_calloc(1, sizeof(*b));
    uint8_t seed[32];

    if (b == NULL) {
        return MPCSIM_ENOMEM;
    }
    for (int i = 0; i < MASK_N; i++) {
        memcpy(seed, bench_seed, sizeof(seed));
        seed[0] = (uint8_t)i;
        seed[1] = (uint8_t)(i >> 8);
        if (secagg_keypair(&b->kp[i], seed) != 0) {
            mask_teardown(b);
            return MPCSIM_ENOTSUP;
        }
    }
    memcpy(b->b, bench_seed, sizeof(b->b));
    b->b[31] ^= 0x5a;
    for (size_t k = 0; k < MASK_L; k++) {
        b->x[k] = 1000 + k;
    }
    *state = b;
    return 0;
}

static void
mask_run(void *state, uint64_t iters)
{
    struct mask_bench *b = state;
    uint8_t key[32];

    for (uint64_t it = 0; it < iters; it++) {
        memcpy(b->y, b->x, sizeof(b->y));
        secagg_prg_add(b->y, MASK_L, b->b, +1);
        for (int u = 1; u < MASK_N; u++) {
            if (secagg_agree(key, b->kp[0].sk, b->kp[0].pk, b->kp[u].pk, SECAGG_DOMAIN_MASK) != 0) {
                b->bad = 1;
                continue;
            }
            secagg_prg_add(b->y, MASK_L, key, +1); /* client 0 is below every peer */
        }
        bench_keep(b->y[it % MASK_L]);
    }
}

/* Remove the masks with the keys as the peers derive them; the input must come back. */
static int
mask_check(void *state)
{
    struct mask_bench *b = state;
    uint64_t *z = mpcsim_malloc(MASK_L * sizeof(*z));
    uint8_t key[32];
    int bad = b->bad;

    if (z == NULL) {
        return 1;
    }
    memcpy(z, b->y, MASK_L * sizeof(*z));
    secagg_prg_add(z, MASK_L, b->b, -1);
    for (int u = 1; u < MASK_N && !bad; u++) {
        bad = secagg_agree(key, b->kp[u].sk, b->kp[u].pk, b->kp[0].pk, SECAGG_DOMAIN_MASK) != 0;
        secagg_prg_add(z, MASK_L, key, -1);
    }
    bad = bad || memcmp(z, b->x, MASK_L * sizeof(*z)) != 0;
    mpcsim_free(z);
    return bad;
}

/* ---- whole trials -------------------------------------------------------- */

struct sa_bench {
    int n;
    size_t L;
    mpcsim_i128 *values;
    const mpcsim_i128 **inputs;
    size_t *input_len;
    struct sim_crash *crash;
    int n_crash;
    int num_shares, threshold; /* SecAgg+ (0: SecAgg) */
    int bad;
};

static void
sa_teardown(void *state)
{
    struct sa_bench *b = state;

    if (b == NULL) {
        return;
    }
    mpcsim_free(b->values);
    mpcsim_free(b->inputs);
    mpcsim_free(b->input_len);
    mpcsim_free(b->crash);
    mpcsim_free(b);
}

/* n - 1 clients; a fixed `permille` of them drop (at round 4, or spread over rounds 1..8). */
static int
sa_setup(void **state, int n, size_t L, int permille, int spread)
{
    struct sa_bench *b = mpcsim_calloc(1, sizeof(*b));

    if (b == NULL) {
        return MPCSIM_ENOMEM;
    }
    b->n = n;
    b->L = L;
    b->values = mpcsim_calloc((size_t)n * L, sizeof(mpcsim_i128));
    b->inputs = mpcsim_calloc((size_t)n, sizeof(*b->inputs));
    b->input_len = mpcsim_calloc((size_t)n, sizeof(size_t));
    b->crash = mpcsim_calloc((size_t)n, sizeof(*b->crash));
    if (b->values == NULL || b->inputs == NULL || b->input_len == NULL || b->crash == NULL) {
        sa_teardown(b);
        return MPCSIM_ENOMEM;
    }
    for (int i = 0; i < n; i++) {
        for (size_t k = 0; k < L; k++) {
            b->values[(size_t)i * L + k] = 1000 + 37 * i + (int64_t)k;
        }
        b->inputs[i] = &b->values[(size_t)i * L];
        b->input_len[i] = L;
        if (i > 0 && (i * 7919) % 1000 < permille) {
            b->crash[b->n_crash].party = i;
            b->crash[b->n_crash].at_round = spread ? 1 + (i * 31) % 8 : 4;
            b->n_crash++;
        }
    }
    *state = b;
    return 0;
}

static void
sa_run(void *state, uint64_t iters)
{
    struct sa_bench *b = state;
    struct secagg_params prm = {.comp = {.kind = COMPUTATION_SUM, .length = b->L},
                                .num_shares = b->num_shares,
                                .threshold = b->threshold};
    mpcsim_i128 *want = mpcsim_malloc(b->L * sizeof(*want));

    if (want == NULL) {
        b->bad = 1;
        return;
    }
    for (uint64_t it = 0; it < iters; it++) {
        struct sim_config c;
        struct sim *sim = NULL;

        sim_config_init(&c, b->n, 1 + it);
        c.inputs = b->inputs;
        c.input_len = b->input_len;
        c.net.latency.ms = 20;
        c.faults.n_crashes = b->n_crash;
        c.faults.crashes = b->crash;
        if (sim_create(&sim, &c, &secagg_protocol, &prm) != 0 || sim_run(sim) != 0) {
            b->bad = 1;
            sim_destroy(sim);
            continue;
        }
        for (int i = 0; i < b->n; i++) {
            const struct sim_party_result *r = sim_party_result(sim, i);

            if (r->crashed || (i > 0 && !r->has_output)) {
                continue; /* only the server outputs (result_to_clients off) */
            }
            if (!r->has_output || r->output_len != b->L ||
                computation_expected(want, &prm.comp, b->n, b->inputs, r->included) != 0 ||
                memcmp(r->output, want, b->L * sizeof(*want)) != 0) {
                b->bad = 1;
            }
        }
        bench_keep(sim_metrics(sim)->events);
        sim_destroy(sim);
    }
    mpcsim_free(want);
}

static int
sa_check(void *state)
{
    return ((struct sa_bench *)state)->bad;
}

static int
sa_setup_100(void **state)
{
    return sa_setup(state, 101, 1000, 100, 0);
}

static int
sa_setup_500(void **state)
{
    return sa_setup(state, 501, 1000, 300, 1);
}

/* SecAgg+ with num_shares: auto for 10 % dropouts, no corruption (K = 39, T = 20). */
static int
sa_setup_plus_10000(void **state)
{
    int rc = sa_setup(state, 10001, 1000, 100, 1);

    if (rc == 0) {
        struct sa_bench *b = *state;

        b->num_shares = secagg_auto_shares(10000, 0.1, 0.0, &b->threshold);
    }
    return rc;
}

/* The same at 100 000 clients (K = 43, T = 22). */
static int
sa_setup_plus_100000(void **state)
{
    int rc = sa_setup(state, 100001, 1000, 100, 1);

    if (rc == 0) {
        struct sa_bench *b = *state;

        b->num_shares = secagg_auto_shares(100000, 0.1, 0.0, &b->threshold);
    }
    return rc;
}

static const struct bench_kernel kernels[] = {
    {"secagg/prg_expand/L=1000", "element", PRG_L, prg_setup, prg_run, prg_check, mpcsim_free, 100},
    {"secagg/client_mask/n=100/L=1000", "client", 1, mask_setup, mask_run, mask_check,
     mask_teardown, 1},
    {"scenario/secagg_sum/clients=100/L=1000/drop=0.1", "trial", 1, sa_setup_100, sa_run, sa_check,
     sa_teardown, 1},
    {"huge/secagg_sum/clients=500/L=1000/drop=0.3", "trial", 1, sa_setup_500, sa_run, sa_check,
     sa_teardown, 1},
    {"huge/secagg_plus_sum/clients=10000/L=1000/drop=0.1/auto", "trial", 1, sa_setup_plus_10000,
     sa_run, sa_check, sa_teardown, 1},
    {"huge/secagg_plus_sum/clients=100000/L=1000/drop=0.1/auto", "trial", 1, sa_setup_plus_100000,
     sa_run, sa_check, sa_teardown, 1},
};

/* see kernels.h */
const struct bench_kernel *
bench_secagg_kernels(size_t *count)
{
    *count = sizeof(kernels) / sizeof(kernels[0]);
    return kernels;
}
