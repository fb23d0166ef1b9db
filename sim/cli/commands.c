/* SPDX-License-Identifier: MIT */
/*
 * sim/cli/commands.c - `mpcsim run` and `mpcsim validate`.
 *
 * Both load a scenario the same way: YAML tree, then `--seed`, `--trials`
 * and every `--set KEY=VALUE` applied to the tree in order, then each
 * sweep point built and validated.  Nothing runs unless every point is
 * valid, so a typo in the last point of a long sweep costs nothing.
 */
#include "sim/cli/commands.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "sim/cli/diag.h"
#include "sim/cli/registry.h"
#include "sim/cli/results.h"
#include "sim/cli/runner.h"
#include "sim/cli/scenario.h"
#include "sim/cli/ytree.h"

#define MAX_SETS 64

/* A loaded scenario file: its tree, sweep and validated points. */
struct loaded {
    struct ynode *root;
    struct scenario_sweep sweep;
    struct scenario **points; /* sweep.n_points */
    char *origins[MAX_SETS + 2]; /* names of --set arguments, for diagnostics */
    size_t n_origins;
    char base_dir[4096];
};

static void
loaded_clear(struct loaded *l)
{
    if (l->points != NULL) {
        for (size_t i = 0; i < l->sweep.n_points; i++) {
            scenario_destroy(l->points[i]);
        }
    }
    mpcsim_free(l->points);
    scenario_sweep_clear(&l->sweep);
    ynode_free(l->root);
    for (size_t i = 0; i < l->n_origins; i++) {
        mpcsim_free(l->origins[i]);
    }
    memset(l, 0, sizeof(*l));
}

static int
add_set(struct loaded *l, const char *arg, struct diag *d)
{
    char name[300];
    char *origin = NULL;

    if (l->n_origins >= MAX_SETS + 2) {
        diag_error(d, "mpcsim", 0, 0, "more than %d --set options", MAX_SETS);
        return MPCSIM_EPARSE;
    }
    snprintf(name, sizeof(name), "--set %s", arg);
    origin = mpcsim_strdup(name);
    if (origin == NULL) {
        return MPCSIM_ENOMEM;
    }
    l->origins[l->n_origins++] = origin;
    if (l->root == NULL) {
        diag_error(d, origin, 0, 0, "the scenario is empty; nothing to override");
        return MPCSIM_EPARSE;
    }
    return scenario_tree_set_arg(l->root, arg, origin, d);
}

/*
 * Load `path`, apply `sets` (KEY=VALUE strings), validate every point.
 * Returns 0 or a negative code with the errors printed to stderr.
 */
static int
load(struct loaded *l, const char *path, char *const *sets, size_t n_sets)
{
    struct diag d;
    const char *slash = strrchr(path, '/');
    int rc = 0;

    memset(l, 0, sizeof(*l));
    diag_init(&d);
    if (slash != NULL) {
        snprintf(l->base_dir, sizeof(l->base_dir), "%.*s", (int)(slash - path), path);
    } else {
        snprintf(l->base_dir, sizeof(l->base_dir), ".");
    }
    rc = ytree_load_file(&l->root, path, path, &d);
    for (size_t i = 0; rc == 0 && i < n_sets; i++) {
        rc = add_set(l, sets[i], &d);
    }
    if (rc == 0 && l->root != NULL) {
        rc = scenario_sweep_read(&l->sweep, l->root, &d);
    } else if (rc == 0) {
        l->sweep.n_points = 1;
    }
    if (rc == 0) {
        l->points = mpcsim_calloc(l->sweep.n_points, sizeof(*l->points));
        if (l->points == NULL) {
            rc = MPCSIM_ENOMEM;
        }
    }
    for (size_t p = 0; rc == 0 && p < l->sweep.n_points; p++) {
        struct ynode *tree = NULL;
        size_t before = diag_count(&d);
        int prc;

        if (l->sweep.n_keys > 0) {
            prc = scenario_sweep_point(&tree, l->root, &l->sweep, p, &d);
        } else {
            prc = 0;
            tree = l->root;
        }
        if (prc == 0) {
            prc = scenario_from_tree(&l->points[p], tree, path, l->base_dir, &d);
        }
        if (tree != l->root) {
            ynode_free(tree);
        }
        if (prc == MPCSIM_ENOMEM) {
            rc = prc;
            break;
        }
        if (prc < 0 && l->sweep.n_keys > 0 && diag_count(&d) > before) {
            char point[512] = "";

            for (size_t k = 0; k < l->sweep.n_keys; k++) {
                char val[128];
                size_t used = strlen(point);

                scenario_sweep_value(val, sizeof(val), &l->sweep, k, p);
                snprintf(point + used, sizeof(point) - used, "%s%s=%s", k ? ", " : "",
                         l->sweep.keys[k], val);
            }
            diag_error(&d, path, 0, 0, "the errors above are in sweep point %zu (%s)", p + 1,
                       point);
        }
        if (prc < 0) {
            rc = MPCSIM_EPARSE;
            /* Identical errors at every point would only repeat: stop at the first. */
            if (l->sweep.n_keys > 0) {
                break;
            }
        }
    }
    if (rc == MPCSIM_ENOMEM) {
        fprintf(stderr, "mpcsim: out of memory while loading %s\n", path);
    }
    diag_print(&d, stderr);
    diag_clear(&d);
    if (rc < 0) {
        loaded_clear(l);
    }
    return rc;
}

static int
parse_u64(const char *s, uint64_t *out)
{
    char *end = NULL;
    unsigned long long x;

    errno = 0;
    x = strtoull(s, &end, 0);
    if (errno != 0 || end == s || *end != '\0' || s[0] == '-') {
        return 0;
    }
    *out = (uint64_t)x;
    return 1;
}

static void
run_usage(FILE *f)
{
    fprintf(f, "usage: mpcsim run SCENARIO.yaml [--seed N] [--trials N] [--set KEY=VALUE]...\n"
               "                  [--csv FILE] [--json FILE] [--quiet]\n"
               "\n"
               "Runs every trial (and every sweep point) of the scenario, prints a summary\n"
               "to stdout and writes one row per trial to --csv / --json ('-' = stdout).\n"
               "--set overrides any scenario key by its dotted path, e.g.\n"
               "  --set parties=20 --set network.latency.ms=40 --set protocol.threshold=3\n"
               "Exit: 0 ok, 1 a trial ended in wrong_output, 2 bad input.\n");
}

static FILE *
open_out(const char *path)
{
    if (strcmp(path, "-") == 0) {
        return stdout;
    }
    return fopen(path, "w");
}

static int
close_out(FILE *f)
{
    if (f == stdout) {
        return fflush(f);
    }
    return fclose(f);
}

/* see commands.h */
int
cli_run(int argc, char **argv)
{
    char *sets[MAX_SETS + 2];
    char seed_set[64];
    char trials_set[64];
    size_t n_sets = 0;
    const char *path = NULL;
    const char *csv_path = NULL;
    const char *json_path = NULL;
    int quiet = 0;
    int have_seed = 0;
    int have_trials = 0;
    struct loaded l;
    FILE *csv = NULL;
    FILE *json = NULL;
    int status = CLI_EXIT_OK;
    int first_json = 1;
    uint64_t x = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;

        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            run_usage(stdout);
            return CLI_EXIT_OK;
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            quiet = 1;
        } else if (a[0] == '-' && a[1] != '\0') {
            if (val == NULL) {
                fprintf(stderr, "mpcsim run: %s needs a value (see mpcsim run --help)\n", a);
                return CLI_EXIT_USAGE;
            }
            i++;
            if (strcmp(a, "--seed") == 0) {
                if (!parse_u64(val, &x)) {
                    fprintf(stderr, "mpcsim run: --seed expects an unsigned integer, got '%s'\n",
                            val);
                    return CLI_EXIT_USAGE;
                }
                snprintf(seed_set, sizeof(seed_set), "seed=%llu", (unsigned long long)x);
                have_seed = 1;
            } else if (strcmp(a, "--trials") == 0) {
                if (!parse_u64(val, &x) || x < 1 || x > SCENARIO_MAX_TRIALS) {
                    fprintf(stderr, "mpcsim run: --trials expects 1..%d, got '%s'\n",
                            SCENARIO_MAX_TRIALS, val);
                    return CLI_EXIT_USAGE;
                }
                snprintf(trials_set, sizeof(trials_set), "trials=%llu", (unsigned long long)x);
                have_trials = 1;
            } else if (strcmp(a, "--set") == 0) {
                if (n_sets >= MAX_SETS) {
                    fprintf(stderr, "mpcsim run: at most %d --set options\n", MAX_SETS);
                    return CLI_EXIT_USAGE;
                }
                sets[n_sets++] = (char *)val;
            } else if (strcmp(a, "--csv") == 0) {
                csv_path = val;
            } else if (strcmp(a, "--json") == 0) {
                json_path = val;
            } else {
                fprintf(stderr, "mpcsim run: unknown option '%s' (see mpcsim run --help)\n", a);
                return CLI_EXIT_USAGE;
            }
        } else if (path == NULL) {
            path = a;
        } else {
            fprintf(stderr, "mpcsim run: one scenario at a time (got '%s' and '%s')\n", path, a);
            return CLI_EXIT_USAGE;
        }
    }
    if (path == NULL) {
        run_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (have_seed) {
        sets[n_sets++] = seed_set;
    }
    if (have_trials) {
        sets[n_sets++] = trials_set;
    }
    if (load(&l, path, sets, n_sets) < 0) {
        return CLI_EXIT_USAGE;
    }
    if (csv_path != NULL && (csv = open_out(csv_path)) == NULL) {
        fprintf(stderr, "mpcsim run: cannot write %s: %s\n", csv_path, strerror(errno));
        loaded_clear(&l);
        return CLI_EXIT_USAGE;
    }
    if (json_path != NULL && (json = open_out(json_path)) == NULL) {
        fprintf(stderr, "mpcsim run: cannot write %s: %s\n", json_path, strerror(errno));
        if (csv != NULL) {
            close_out(csv);
        }
        loaded_clear(&l);
        return CLI_EXIT_USAGE;
    }
    if (json != NULL) {
        results_json_begin(json);
    }
    for (size_t p = 0; p < l.sweep.n_points && status != CLI_EXIT_USAGE; p++) {
        const struct scenario *sc = l.points[p];
        const struct registry_entry *re = registry_lookup(sc->protocol.kind);
        struct trial_row *rows = mpcsim_calloc((size_t)sc->trials, sizeof(*rows));
        char values[16][128];
        const char *value_ptrs[16];
        struct results_point pt = {sc, l.sweep.n_keys, l.sweep.keys, value_ptrs};
        int done = 0;

        if (rows == NULL || l.sweep.n_keys > 16) {
            fprintf(stderr, "mpcsim run: %s\n",
                    rows == NULL ? "out of memory" : "at most 16 sweep keys");
            mpcsim_free(rows);
            status = CLI_EXIT_USAGE;
            break;
        }
        for (size_t k = 0; k < l.sweep.n_keys; k++) {
            scenario_sweep_value(values[k], sizeof(values[k]), &l.sweep, k, p);
            value_ptrs[k] = values[k];
        }
        if (csv != NULL && p == 0) {
            results_csv_header(csv, &pt, re->columns);
        }
        for (int t = 0; t < sc->trials; t++) {
            char err[512] = "";
            uint64_t ts = runner_trial_seed(sc->seed, p, (uint64_t)t);
            int rc = runner_run_trial(&rows[t], sc, t, ts, err, sizeof(err));

            if (rc < 0) {
                fprintf(stderr, "%s: error: %s\n", path,
                        err[0] ? err : mpcsim_strerror(rc));
                status = CLI_EXIT_USAGE;
                break;
            }
            done++;
            if (rows[t].status == TRIAL_WRONG_OUTPUT) {
                status = CLI_EXIT_WRONG;
                fprintf(stderr, "mpcsim: SECURITY FAILURE: %s trial %d (seed %llu): %s\n",
                        sc->name, t, (unsigned long long)ts, rows[t].reason);
            }
            if (csv != NULL) {
                results_csv_row(csv, &pt, &rows[t], re->columns);
            }
            if (json != NULL) {
                results_json_row(json, &pt, &rows[t], re->columns, first_json);
                first_json = 0;
            }
        }
        if (!quiet && done > 0) {
            results_summary(stdout, &pt, rows, (size_t)done);
            fflush(stdout);
        }
        for (int t = 0; t < done; t++) {
            trial_row_clear(&rows[t]);
        }
        mpcsim_free(rows);
    }
    if (json != NULL) {
        results_json_end(json);
    }
    if (csv != NULL && close_out(csv) != 0) {
        fprintf(stderr, "mpcsim run: error writing %s\n", csv_path);
        status = CLI_EXIT_USAGE;
    }
    if (json != NULL && close_out(json) != 0) {
        fprintf(stderr, "mpcsim run: error writing %s\n", json_path);
        status = CLI_EXIT_USAGE;
    }
    loaded_clear(&l);
    return status;
}

/* see commands.h */
int
cli_validate(int argc, char **argv)
{
    int status = CLI_EXIT_OK;
    int files = 0;

    for (int i = 1; i < argc; i++) {
        struct loaded l;

        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            printf("usage: mpcsim validate SCENARIO.yaml...\n"
                   "\n"
                   "Checks each scenario (every sweep point) without running it and\n"
                   "prints FILE:LINE:COL: error: ... for each problem.\n"
                   "Exit: 0 all valid, 2 any error.\n");
            return CLI_EXIT_OK;
        }
        files++;
        if (load(&l, argv[i], NULL, 0) < 0) {
            status = CLI_EXIT_USAGE;
            continue;
        }
        printf("%s: ok (%s, %d parties, %zu point%s x %d trial%s)\n", argv[i],
               l.points[0]->protocol.kind, l.points[0]->parties, l.sweep.n_points,
               l.sweep.n_points == 1 ? "" : "s", l.points[0]->trials,
               l.points[0]->trials == 1 ? "" : "s");
        loaded_clear(&l);
    }
    if (files == 0) {
        fprintf(stderr, "usage: mpcsim validate SCENARIO.yaml...\n");
        return CLI_EXIT_USAGE;
    }
    return status;
}
