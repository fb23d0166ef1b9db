/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/fuzz_scenario.c - bytes -> YAML tree -> sweep points ->
 * validated scenarios, as `mpcsim validate` does.  Any crash, leak,
 * sanitizer report or hang is a finding.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sim/cli/diag.h"
#include "sim/cli/scenario.h"
#include "sim/cli/ytree.h"
#include "tests/fuzz/fuzz.h"

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
        /* At most a few points: the product can be large by design. */
        for (size_t p = 0; p < sw.n_points && p < 4; p++) {
            struct ynode *pt = NULL;
            struct scenario *sc = NULL;

            if (scenario_sweep_point(&pt, root, &sw, p, &d) == 0) {
                if (scenario_from_tree(&sc, pt, "fuzz.yaml", "/nonexistent", &d) == 0) {
                    scenario_destroy(sc);
                }
                ynode_free(pt);
            }
        }
        scenario_sweep_clear(&sw);
    }
    ynode_free(root);
    diag_clear(&d);
    return 0;
}
