/* SPDX-License-Identifier: MIT */
/*
 * sim/cli/load.h - load a scenario file as every command does: YAML tree,
 * `--set` overrides applied to the tree in order, then every sweep point
 * built and validated.  Nothing runs unless every point is valid (or
 * --skip-invalid left the invalid ones out, saying so).
 *
 * `--set KEY=VALUE` on a swept KEY overrides the sweep for that key: the
 * points shrink to those whose KEY has VALUE (compared as canonical flow
 * YAML), or to one point with VALUE when the list does not hold it.
 * cli_loaded.overrides records each such key, for the summary.
 */
#ifndef MPCSIM_SIM_CLI_LOAD_H
#define MPCSIM_SIM_CLI_LOAD_H

#include <stddef.h>

#include "common/mpcsim.h"
#include "sim/cli/scenario.h"
#include "sim/cli/ytree.h"

#define CLI_MAX_SETS 64
#define CLI_MAX_SWEEP_KEYS 16

/* A swept key that a --set fixed. */
struct cli_sweep_override {
    char *key;     /* the dotted key (owned) */
    char *value;   /* the --set value as canonical flow YAML (owned) */
    size_t listed; /* values the sweep listed for the key */
    size_t kept;   /* of those, equal to value; 0 = not listed: the value runs as one point */
};

/* A loaded scenario file: its tree, sweep and validated points. */
struct cli_loaded {
    const char *path;
    struct ynode *root;
    struct scenario_sweep sweep;
    struct scenario **points;        /* sweep.n_points; NULL = skipped (invalid) */
    char *origins[CLI_MAX_SETS + 2]; /* names of --set arguments, for diagnostics */
    size_t n_origins;
    struct cli_sweep_override overrides[CLI_MAX_SWEEP_KEYS];
    size_t n_overrides;
    char base_dir[4096];
};

/*
 * Load `path`, apply `sets` (KEY=VALUE strings), validate every point.
 * With `skip_invalid`, an invalid sweep point is reported and left NULL.
 * Returns 0 (the caller owns *l; free with cli_loaded_clear) or a negative
 * code, with the errors printed to stderr and nothing left to free.
 */
MPCSIM_NODISCARD int cli_load(struct cli_loaded *l, const char *path, char *const *sets,
                              size_t n_sets, int skip_invalid);
void cli_loaded_clear(struct cli_loaded *l);
/*
 * "key=value, key=value" for sweep point p, values in full as canonical
 * flow YAML (scenario_node_text).  Caller frees with mpcsim_free; NULL on
 * allocation failure.
 */
char *cli_point_label(const struct scenario_sweep *sw, size_t p);

#endif /* MPCSIM_SIM_CLI_LOAD_H */
