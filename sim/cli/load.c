/* SPDX-License-Identifier: MIT */
/*
 * sim/cli/load.c - see load.h.
 */
#include "sim/cli/load.h"

#include <stdio.h>
#include <string.h>

#include "common/alloc.h"
#include "sim/cli/diag.h"

/* see load.h */
void
cli_loaded_clear(struct cli_loaded *l)
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
add_set(struct cli_loaded *l, const char *arg, struct diag *d)
{
    char name[300];
    char *origin = NULL;

    if (l->n_origins >= CLI_MAX_SETS + 2) {
        diag_error(d, "mpcsim", 0, 0, "more than %d --set options", CLI_MAX_SETS);
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

/* see load.h */
void
cli_point_label(char *buf, size_t cap, const struct scenario_sweep *sw, size_t p)
{
    buf[0] = '\0';
    for (size_t k = 0; k < sw->n_keys; k++) {
        char val[128];
        size_t used = strlen(buf);

        scenario_sweep_value(val, sizeof(val), sw, k, p);
        snprintf(buf + used, cap - used, "%s%s=%s", k ? ", " : "", sw->keys[k], val);
    }
}

/* see load.h */
int
cli_load(struct cli_loaded *l, const char *path, char *const *sets, size_t n_sets, int skip_invalid)
{
    struct diag d;
    const char *slash = strrchr(path, '/');
    size_t valid = 0;
    int rc = 0;

    memset(l, 0, sizeof(*l));
    l->path = path;
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
    if (rc == 0 && l->sweep.n_keys > CLI_MAX_SWEEP_KEYS) {
        diag_error(&d, path, 0, 0, "at most %d sweep keys", CLI_MAX_SWEEP_KEYS);
        rc = MPCSIM_EPARSE;
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
        int prc = 0;

        if (l->sweep.n_keys > 0) {
            prc = scenario_sweep_point(&tree, l->root, &l->sweep, p, &d);
        } else {
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
        if (prc == 0) {
            valid++;
            continue;
        }
        if (l->sweep.n_keys > 0 && diag_count(&d) > before) {
            char label[512];

            cli_point_label(label, sizeof(label), &l->sweep, p);
            diag_error(&d, path, 0, 0, "the errors above are in sweep point %zu (%s)%s", p + 1,
                       label, skip_invalid ? "; skipped (--skip-invalid)" : "");
        }
        if (!skip_invalid || l->sweep.n_keys == 0) {
            rc = MPCSIM_EPARSE;
        }
    }
    if (rc == 0 && valid == 0) {
        diag_error(&d, path, 0, 0, "no valid sweep point is left to run");
        rc = MPCSIM_EPARSE;
    }
    if (rc == MPCSIM_ENOMEM) {
        fprintf(stderr, "mpcsim: out of memory while loading %s\n", path);
    }
    diag_print(&d, stderr);
    diag_clear(&d);
    if (rc < 0) {
        cli_loaded_clear(l);
    }
    return rc;
}
