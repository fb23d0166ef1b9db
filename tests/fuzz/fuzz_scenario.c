/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/fuzz_scenario.c - bytes -> YAML tree -> sweep points ->
 * validated scenarios -> trials, as `mpcsim validate` and `mpcsim run` do.
 *
 * Any crash, leak, sanitizer report or hang is a finding, and so is a
 * trial that cannot start from a scenario validation accepted (the
 * contract: everything `run` can reject, `validate` rejects first), which
 * aborts.  Trials are bounded so that an input runs in milliseconds: a
 * point runs only when it has at most FUZZ_MAX_PARTIES parties and
 * FUZZ_MAX_VALUES input values and is not Paillier with fresh or large
 * keys; then 2 trials at most, with the simulated time capped.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/mpcsim.h"
#include "sim/cli/diag.h"
#include "sim/cli/runner.h"
#include "sim/cli/scenario.h"
#include "sim/cli/ytree.h"
#include "tests/fuzz/fuzz.h"

#define FUZZ_MAX_PARTIES 12
#define FUZZ_MAX_VALUES 256      /* parties x input length */
#define FUZZ_MAX_SIM_MS 600000.0 /* simulated */

/* Whether a trial of sc is cheap enough to run here. */
static int
affordable(const struct scenario *sc)
{
    if (sc->parties > FUZZ_MAX_PARTIES ||
        (size_t)sc->parties * sc->inputs.length > FUZZ_MAX_VALUES) {
        return 0;
    }
    if (strcmp(sc->protocol.kind, "paillier") == 0) {
        return sc->protocol.key_bits <= 1024 && !sc->protocol.fresh_keys;
    }
    return 1;
}

static void
run_point(struct scenario *sc)
{
    if (!affordable(sc)) {
        return;
    }
    if (sc->max_sim_time_ms > FUZZ_MAX_SIM_MS) {
        sc->max_sim_time_ms = FUZZ_MAX_SIM_MS;
    }
    for (int t = 0; t < sc->trials && t < 2; t++) {
        struct trial_row row;
        char err[512] = "";
        int rc =
            runner_run_trial(&row, sc, t, runner_trial_seed(sc, 0, (uint64_t)t), err, sizeof(err));

        if (rc < 0 && rc != MPCSIM_ENOMEM) {
            /* Validation accepted what the run refuses: a finding. */
            fprintf(stderr, "fuzz_scenario: a validated scenario failed to run: %s (%s)\n", err,
                    mpcsim_strerror(rc));
            abort();
        }
        if (rc == 0) {
            trial_row_clear(&row);
        }
    }
}

/* see fuzz.h */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ynode *root = NULL;
    struct scenario_sweep sw;
    struct diag d;

    diag_init(&d);
    if (ytree_load_string(&root, (const char *)data, size, "fuzz.yaml", &d) == 0 && root != NULL &&
        scenario_sweep_read(&sw, root, &d) == 0) {
        struct scenario_sweep_work work;

        /* At most a few points: the product can be large by design. */
        if (scenario_sweep_work_init(&work, root, &sw, &d) == 0) {
            for (size_t p = 0; p < sw.n_points && p < 4; p++) {
                const struct ynode *pt = root;
                struct scenario *sc = NULL;

                if (sw.n_keys > 0 && scenario_sweep_work_point(&pt, &work, &sw, p, &d) < 0) {
                    continue;
                }
                if (scenario_from_tree(&sc, pt, "fuzz.yaml", "/nonexistent", &d) == 0) {
                    run_point(sc);
                    scenario_destroy(sc);
                }
            }
            scenario_sweep_work_clear(&work);
        }
        scenario_sweep_clear(&sw);
    }
    ynode_free(root);
    diag_clear(&d);
    return 0;
}
