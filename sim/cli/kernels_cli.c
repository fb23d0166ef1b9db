/* SPDX-License-Identifier: MIT */
/*
 * sim/cli/kernels_cli.c - bench kernels that need the front end: loading
 * and validating a scenario, and whole scenarios run through the same
 * runner as `mpcsim run` (one trial per iteration).  Registered with
 * bench_add_kernels() by main.
 */
#include "sim/cli/kernels_cli.h"

#include <string.h>

#include "common/alloc.h"
#include "sim/cli/diag.h"
#include "sim/cli/runner.h"
#include "sim/cli/scenario.h"
#include "sim/cli/ytree.h"

/* A representative scenario: every section present. */
static const char load_text[] =
    "name: load\nseed: 42\ntrials: 3\nparties: 50\n"
    "inputs: { distribution: lognormal, zeta: 10, sigma: 1.5 }\n"
    "computation: sum\n"
    "protocol: { kind: toy, round_timeout_ms: 250 }\n"
    "network:\n"
    "  regions: { names: [eu, us, asia, sa], assign: round_robin,\n"
    "             median_ms: [[5, 45, 110, 95], [45, 8, 85, 70], [110, 85, 6, 150],\n"
    "                         [95, 70, 150, 10]] }\n"
    "  latency: { sigma: 0.3 }\n"
    "  bandwidth_mbps: 100\n"
    "  transport: { kind: tcp, mss: 1460, window_bytes: 65536 }\n"
    "  partitions: [ { from_ms: 10, to_ms: 20, groups: [[0, 1, 2], [3, 4]] } ]\n"
    "faults:\n"
    "  crash: [ { party: 2, at_round: 1 }, { party: 3, at_ms: 7.5 } ]\n"
    "  dropout: { probability: 0.1, at: start }\n"
    "adversary: { count: 3, behaviour: withhold }\n"
    "cost_model: { field_mul: 2.5 }\n";

static int
load_from(struct scenario **out, const char *text)
{
    struct ynode *root = NULL;
    struct diag d;
    int rc;

    diag_init(&d);
    rc = ytree_load_string(&root, text, strlen(text), "bench.yaml", &d);
    if (rc == 0) {
        rc = scenario_from_tree(out, root, "bench.yaml", ".", &d);
    }
    if (rc < 0) {
        diag_print(&d, stderr);
    }
    ynode_free(root);
    diag_clear(&d);
    return rc;
}

struct load_state {
    int last_rc;
    int parties;
};

static int
load_setup(void **state)
{
    struct load_state *s = mpcsim_calloc(1, sizeof(*s));

    if (s == NULL) {
        return MPCSIM_ENOMEM;
    }
    *state = s;
    return 0;
}

static void
load_run(void *state, uint64_t iters)
{
    struct load_state *s = state;

    for (uint64_t i = 0; i < iters; i++) {
        struct scenario *sc = NULL;

        s->last_rc = load_from(&sc, load_text);
        s->parties = sc != NULL ? sc->parties : 0;
        scenario_destroy(sc);
    }
}

static int
load_check(void *state)
{
    const struct load_state *s = state;

    return s->last_rc != 0 || s->parties != 50;
}

/* One trial of a scenario per iteration. */
struct run_state {
    struct scenario *sc;
    struct trial_row row;
    int rc;
    uint64_t trial;
};

static int
run_setup_text(void **state, const char *text)
{
    struct run_state *s = mpcsim_calloc(1, sizeof(*s));
    int rc;

    if (s == NULL) {
        return MPCSIM_ENOMEM;
    }
    rc = load_from(&s->sc, text);
    if (rc < 0) {
        mpcsim_free(s);
        return rc;
    }
    *state = s;
    return 0;
}

static void
run_run(void *state, uint64_t iters)
{
    struct run_state *s = state;
    char err[256];

    for (uint64_t i = 0; i < iters; i++) {
        trial_row_clear(&s->row);
        s->rc = runner_run_trial(&s->row, s->sc, 0, runner_trial_seed(s->sc, 0, s->trial++), err,
                                 sizeof(err));
    }
}

static int
run_check(void *state)
{
    const struct run_state *s = state;

    return s->rc != 0 || s->row.status != TRIAL_OK || !s->row.correct;
}

static void
run_teardown(void *state)
{
    struct run_state *s = state;

    trial_row_clear(&s->row);
    scenario_destroy(s->sc);
    mpcsim_free(s);
}

static void
free_state(void *state)
{
    mpcsim_free(state);
}

#define SCENARIO_KERNEL(fn, text)                                                                  \
    static int fn(void **state)                                                                    \
    {                                                                                              \
        return run_setup_text(state, text);                                                        \
    }

SCENARIO_KERNEL(toy1000_setup, "name: toy1000\nparties: 1000\n"
                               "inputs: {distribution: uniform, min: 0, max: 100}\n"
                               "protocol: {kind: toy}\n"
                               "network: {latency: {distribution: constant, ms: 10}}\n")

SCENARIO_KERNEL(paillier100_setup, "name: paillier100\nparties: 100\n"
                                   "inputs: {distribution: uniform, min: 0, max: 1000000}\n"
                                   "protocol: {kind: paillier, key_bits: 2048}\n"
                                   "network: {latency: {distribution: constant, ms: 10}}\n")

static const struct bench_kernel kernels[] = {
    {"scenario/load_validate", "load", 1, load_setup, load_run, load_check, free_state, 100},
    {"scenario/toy_all_to_all/n=1000", "message", 999000, toy1000_setup, run_run, run_check,
     run_teardown, 1},
    {"scenario/paillier_sum/n=100/2048", "trial", 1, paillier100_setup, run_run, run_check,
     run_teardown, 1},
};

/* see kernels_cli.h */
const struct bench_kernel *
cli_bench_kernels(size_t *count)
{
    *count = sizeof(kernels) / sizeof(kernels[0]);
    return kernels;
}
