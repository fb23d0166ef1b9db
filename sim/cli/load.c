/* SPDX-License-Identifier: MIT */
/*
 * sim/cli/load.c - see load.h.
 */
#include "sim/cli/load.h"

#include <stdio.h>
#include <string.h>

#include "common/alloc.h"
#include "common/escape.h"
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
    for (size_t i = 0; i < l->n_overrides; i++) {
        mpcsim_free(l->overrides[i].key);
        mpcsim_free(l->overrides[i].value);
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
char *
cli_point_label(const struct scenario_sweep *sw, size_t p)
{
    char *label = mpcsim_strdup("");

    for (size_t k = 0; label != NULL && k < sw->n_keys; k++) {
        char *val = scenario_sweep_value(sw, k, p);
        size_t len = strlen(label);
        size_t need = len + strlen(sw->keys[k]) + (val != NULL ? strlen(val) : 0) + 4;
        char *longer = val != NULL ? mpcsim_realloc(label, need) : NULL;

        if (longer == NULL) {
            mpcsim_free(val);
            mpcsim_free(label);
            return NULL;
        }
        label = longer;
        snprintf(label + len, need - len, "%s%s=%s", k ? ", " : "", sw->keys[k], val);
        mpcsim_free(val);
    }
    return label;
}

/*
 * A --set on a swept key (sets[i] = "KEY=VALUE" with KEY in `sweep`): the
 * sweep list of KEY becomes the listed values equal to VALUE, or VALUE
 * alone.  Recorded in l->overrides.
 */
static int
override_sweep(struct cli_loaded *l, const char *arg, const char *origin, struct diag *d)
{
    const char *eq = strchr(arg, '=');
    struct ynode *sweep = ynode_map_get(l->root, "sweep");
    struct ynode *list = NULL;
    struct ynode *value = NULL;
    struct ynode *kept = NULL;
    struct cli_sweep_override *o = NULL;
    char key[256];
    char *text = NULL;
    int rc = 0;

    if (eq == NULL || (size_t)(eq - arg) >= sizeof(key) || sweep == NULL ||
        sweep->kind != YNODE_MAP) {
        return 0;
    }
    memcpy(key, arg, (size_t)(eq - arg));
    key[eq - arg] = '\0';
    list = ynode_map_get(sweep, key);
    if (list == NULL || list->kind != YNODE_SEQ) {
        return 0;
    }
    rc = ytree_load_string(&value, eq + 1, strlen(eq + 1), origin, d);
    if (rc < 0 || value == NULL) {
        return rc; /* already reported by the --set itself */
    }
    text = scenario_node_text(value);
    kept = ynode_new(YNODE_SEQ, list->file, list->line, list->col, NULL);
    for (size_t i = 0; rc == 0 && text != NULL && kept != NULL && i < list->n_items; i++) {
        char *item = scenario_node_text(list->items[i]);

        if (item == NULL) {
            rc = MPCSIM_ENOMEM;
        } else if (strcmp(item, text) == 0) {
            struct ynode *copy = ynode_clone(list->items[i]);

            rc = copy == NULL ? MPCSIM_ENOMEM : ynode_seq_append(kept, copy);
        }
        mpcsim_free(item);
    }
    if (rc < 0 || text == NULL || kept == NULL) {
        ynode_free(value);
        ynode_free(kept);
        mpcsim_free(text);
        return MPCSIM_ENOMEM;
    }
    for (size_t i = 0; i < l->n_overrides && o == NULL; i++) {
        if (strcmp(l->overrides[i].key, key) == 0) {
            o = &l->overrides[i]; /* a later --set of the same key wins */
            mpcsim_free(o->value);
            o->value = NULL;
        }
    }
    if (o == NULL && l->n_overrides < CLI_MAX_SWEEP_KEYS) {
        o = &l->overrides[l->n_overrides++];
        o->key = mpcsim_strdup(key);
        o->listed = list->n_items;
    }
    if (o == NULL || o->key == NULL) {
        ynode_free(value);
        ynode_free(kept);
        mpcsim_free(text);
        return o == NULL ? 0 : MPCSIM_ENOMEM;
    }
    o->value = text;
    o->kept = kept->n_items;
    if (kept->n_items == 0) {
        rc = ynode_seq_append(kept, value);
    } else {
        ynode_free(value);
    }
    return rc < 0 ? rc : ynode_map_set(sweep, key, kept);
}

static size_t load_need(const char *path, char *const *sets, size_t n_sets, int skip_invalid);
/* Set while load_need() loads again: its failure is not reported twice. */
static int measuring_need;

/* see load.h */
int
cli_load(struct cli_loaded *l, const char *path, char *const *sets, size_t n_sets, int skip_invalid)
{
    struct diag d;
    struct scenario_sweep_work work;
    int have_work = 0;
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
    for (size_t i = 0; rc == 0 && i < n_sets; i++) {
        rc = override_sweep(l, sets[i], l->origins[i], &d);
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
    if (rc == 0) {
        rc = scenario_sweep_work_init(&work, l->root, &l->sweep, &d);
        have_work = rc == 0;
    }
    for (size_t p = 0; rc == 0 && p < l->sweep.n_points; p++) {
        const struct ynode *tree = l->root;
        size_t before = diag_count(&d);
        int prc = 0;

        if (l->sweep.n_keys > 0) {
            prc = scenario_sweep_work_point(&tree, &work, &l->sweep, p, &d);
        }
        if (prc == 0) {
            prc = scenario_from_tree(&l->points[p], tree, path, l->base_dir, &d);
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
            char *label = cli_point_label(&l->sweep, p);

            diag_error(&d, path, 0, 0, "the errors above are in sweep point %zu (%s)%s", p + 1,
                       label != NULL ? label : "?",
                       skip_invalid ? "; skipped (--skip-invalid)" : "");
            mpcsim_free(label);
        }
        if (!skip_invalid || l->sweep.n_keys == 0) {
            rc = MPCSIM_EPARSE;
        }
    }
    if (have_work) {
        scenario_sweep_work_clear(&work);
    }
    if (rc == 0 && valid == 0) {
        diag_error(&d, path, 0, 0, "no valid sweep point is left to run");
        rc = MPCSIM_EPARSE;
    }
    if (rc == MPCSIM_ENOMEM) {
        fputs("mpcsim: out of memory while loading ", stderr);
        mpcsim_escape_fputs(stderr, path);
        if (mpcsim_alloc_budget_hit() && !measuring_need) {
            /* The budget (--max-memory) refused it: free what this load
             * holds, load again without the budget (deterministic) and
             * quote the peak that loading needs. */
            size_t need = 0;

            cli_loaded_clear(l); /* the sweep work tree is already cleared */
            need = load_need(path, sets, n_sets, skip_invalid);

            if (need > 0) {
                /* The measurement runs in this process, after the failed
                 * attempt: state that a fresh process allocates around
                 * loading can differ by a few hundred bytes, so the quote
                 * is rounded up to whole 64 KiB. */
                size_t quote = (need + 65535) / 65536 * 64;

                fprintf(stderr,
                        ": the memory limit was reached; loading it needs %zu bytes, "
                        "quoted as %zuK with headroom: --max-memory must be at least that, "
                        "plus what the trials need",
                        need, quote);
            } else {
                fprintf(stderr,
                        ": the memory limit was reached (loading needs more than %zu "
                        "bytes)",
                        mpcsim_alloc_budget_need());
            }
        }
        fputc('\n', stderr);
    }
    diag_print(&d, stderr);
    diag_clear(&d);
    if (rc < 0) {
        cli_loaded_clear(l);
    }
    return rc;
}

/*
 * The peak live total (bytes) that loading `path` takes, measured by
 * loading it again with no budget; 0 when that fails too.  The budget and
 * its state are restored.
 */
static size_t
load_need(const char *path, char *const *sets, size_t n_sets, int skip_invalid)
{
    size_t budget = mpcsim_alloc_budget();
    size_t need = 0;
    struct cli_loaded tmp;

    memset(&tmp, 0, sizeof(tmp));
    measuring_need = 1;
    mpcsim_alloc_set_budget(0);
    mpcsim_alloc_peak_reset();
    if (cli_load(&tmp, path, sets, n_sets, skip_invalid) == 0) {
        need = mpcsim_alloc_peak();
        cli_loaded_clear(&tmp);
    }
    mpcsim_alloc_set_budget(budget);
    measuring_need = 0;
    return need;
}
