/* SPDX-License-Identifier: MIT */
/*
 * sim/cli/scenario.c - validate a scenario tree into a struct scenario.
 *
 * Each section is checked by its own function that records every problem
 * (so one run lists them all) and goes on with a default, so later checks
 * still run.  Checks that depend on `parties` are skipped when it is
 * itself invalid, rather than producing a cascade of follow-on errors.
 */
#include "sim/cli/scenario.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "protocols/paillier/adapter.h" /* PAILLIER_MAX_ABS */
#include "sim/cli/regions.h"
#include "sim/cli/registry.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

struct vctx {
    struct diag *d;
    int errors;
    int oom;
    int n;            /* parties, 0 when invalid */
    int quiet_values; /* reading another file (cost_model): never echo its values */
};

static void err(struct vctx *v, const struct ynode *at, const char *fmt, ...) MPCSIM_PRINTF(3, 4);

static void
err(struct vctx *v, const struct ynode *at, const char *fmt, ...)
{
    char msg[900];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    diag_error(v->d, at->file, at->line, at->col, "%s", msg);
    v->errors++;
}

static const char *
kind_name(const struct ynode *node)
{
    switch (node->kind) {
    case YNODE_MAP:
        return "a mapping";
    case YNODE_SEQ:
        return "a list";
    default:
        return "a scalar";
    }
}

/* Describe a node for "found ..." (the scalar text, shortened). */
static const char *
found(const struct vctx *v, const struct ynode *node, char *buf, size_t cap)
{
    if (node->kind != YNODE_SCALAR) {
        return kind_name(node);
    }
    if (v->quiet_values) {
        return "a value not shown here (the file is not the scenario's)";
    }
    if (strlen(node->value) > 40) {
        snprintf(buf, cap, "'%.37s...'", node->value);
    } else {
        snprintf(buf, cap, "'%s'", node->value);
    }
    return buf;
}

static int
expect_kind(struct vctx *v, const struct ynode *node, enum ynode_kind kind, const char *what)
{
    char buf[64];

    if (node->kind == kind) {
        return 1;
    }
    err(v, node, "expected %s for %s, found %s",
        kind == YNODE_MAP ? "a mapping" : (kind == YNODE_SEQ ? "a list" : "a single value"), what,
        found(v, node, buf, sizeof(buf)));
    return 0;
}

/* Whether s is a short name of [A-Za-z0-9_.-] (at most 32 characters). */
static int
plain_identifier(const char *s)
{
    size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-");

    return n > 0 && n <= 32 && s[n] == '\0';
}

/* Report every key of `map` that is not in known[]. */
static void
check_keys(struct vctx *v, const struct ynode *map, const char *const *known, size_t n,
           const char *where)
{
    for (size_t i = 0; i + 1 < map->n_items; i += 2) {
        const struct ynode *key = map->items[i];
        int ok = 0;

        for (size_t j = 0; j < n && !ok; j++) {
            ok = strcmp(key->value, known[j]) == 0;
        }
        if (!ok) {
            const char *near = diag_nearest(key->value, known, n);
            char list[400] = "";
            char shown[48];

            /* A key is shown cut short; from another file (cost_model) only
             * when it looks like a key name, so no secret line is echoed. */
            if (v->quiet_values && !plain_identifier(key->value)) {
                err(v, key,
                    "a key that is not a cost_model operation (not shown: it is not a "
                    "plain name)");
                continue;
            }
            if (strlen(key->value) > 32) {
                snprintf(shown, sizeof(shown), "%.29s...", key->value);
            } else {
                snprintf(shown, sizeof(shown), "%s", key->value);
            }

            if (near != NULL) {
                err(v, key, "unknown key '%s' in %s; did you mean '%s'?", shown, where, near);
                continue;
            }
            for (size_t j = 0; j < n; j++) {
                size_t used = strlen(list);

                snprintf(list + used, sizeof(list) - used, "%s%s", j ? ", " : "", known[j]);
            }
            err(v, key, "unknown key '%s' in %s (expected one of: %s)", shown, where, list);
        }
    }
}

/*
 * An exact integer from the scalar's own text (ytree.h: decimal, 0x, 0o;
 * a decimal with a fraction or an exponent only when its exact value is
 * an integer).  On failure stores a reason in why[] (empty when the
 * number is an integer outside [min, max]).
 */
static int
parse_int(const struct ynode *node, mpcsim_i128 min, mpcsim_i128 max, mpcsim_i128 *out, char *why,
          size_t cap)
{
    struct ynumber num;
    const char *reason = NULL;
    mpcsim_i128 x = 0;
    int rc;

    why[0] = '\0';
    if (node->kind != YNODE_SCALAR) {
        return 0;
    }
    if (ynumber_parse(&num, &reason, node) < 0) {
        if (node->value[0] != '\0' && strcmp(reason, "not a number") != 0) {
            snprintf(why, cap, " (%s)", reason);
        }
        return 0;
    }
    rc = ynumber_to_i128(&x, &num);
    if (rc == MPCSIM_EINVAL) {
        char exact[96];

        ynumber_format(exact, sizeof(exact), &num);
        snprintf(why, cap, " (exactly %s, not an integer)", exact);
        return 0;
    }
    if (rc < 0 || x < min || x > max) {
        return 0;
    }
    *out = x;
    return 1;
}

/* A real number from the scalar's text (same syntax as parse_int). */
static int
parse_double(const struct ynode *node, double *out, char *why, size_t cap)
{
    struct ynumber num;
    const char *reason = NULL;
    double x;

    why[0] = '\0';
    if (node->kind != YNODE_SCALAR) {
        return 0;
    }
    if (ynumber_parse(&num, &reason, node) < 0) {
        if (node->value[0] != '\0' && strcmp(reason, "not a number") != 0) {
            snprintf(why, cap, " (%s)", reason);
        }
        return 0;
    }
    x = ynumber_to_double(&num);
    if (!isfinite(x)) {
        return 0;
    }
    *out = x;
    return 1;
}

static int
int_value(struct vctx *v, const struct ynode *node, int64_t min, int64_t max, const char *what,
          int64_t *out)
{
    char buf[64];
    char why[200];
    mpcsim_i128 x = 0;

    if (!parse_int(node, min, max, &x, why, sizeof(why))) {
        err(v, node, "expected an integer in [%lld, %lld] for %s, found %s%s", (long long)min,
            (long long)max, what, found(v, node, buf, sizeof(buf)), v->quiet_values ? "" : why);
        return 0;
    }
    *out = (int64_t)x;
    return 1;
}

static int
double_value(struct vctx *v, const struct ynode *node, double min, double max, int min_open,
             const char *what, double *out)
{
    char buf[64];
    char why[200];
    double x = 0;

    if (!parse_double(node, &x, why, sizeof(why)) || x < min || x > max || (min_open && x == min)) {
        err(v, node, "expected a number in %s%g, %g] for %s, found %s%s", min_open ? "(" : "[", min,
            max, what, found(v, node, buf, sizeof(buf)), v->quiet_values ? "" : why);
        return 0;
    }
    *out = x;
    return 1;
}

/*
 * A duration in ms, simulated in whole ns: a positive value below 1 ns
 * would round to 0 (for max_sim_time_ms, "no limit"), so it is refused.
 */
static int
ms_value(struct vctx *v, const struct ynode *node, double min, double max, int min_open,
         const char *what, double *out)
{
    double x = 0;

    if (!double_value(v, node, min, max, min_open, what, &x)) {
        return 0;
    }
    if (x > 0 && x < 1e-6) {
        err(v, node, "%s is %g ms, below the simulator's resolution of 1 ns (1e-06 ms)", what, x);
        return 0;
    }
    *out = x;
    return 1;
}

static int
bool_value(struct vctx *v, const struct ynode *node, const char *what, int *out)
{
    static const char *const yes[] = {"true", "yes", "on", "True", "TRUE"};
    static const char *const no[] = {"false", "no", "off", "False", "FALSE"};
    char buf[64];

    if (node->kind == YNODE_SCALAR) {
        for (size_t i = 0; i < COUNT(yes); i++) {
            if (strcmp(node->value, yes[i]) == 0) {
                *out = 1;
                return 1;
            }
            if (strcmp(node->value, no[i]) == 0) {
                *out = 0;
                return 1;
            }
        }
    }
    err(v, node, "expected true or false for %s, found %s", what, found(v, node, buf, sizeof(buf)));
    return 0;
}

/* Index of the scalar in names[], or -1 with an error naming the choices. */
static int
enum_value(struct vctx *v, const struct ynode *node, const char *const *names, size_t n,
           const char *what)
{
    char list[300] = "";
    char buf[64];

    if (node->kind == YNODE_SCALAR) {
        for (size_t i = 0; i < n; i++) {
            if (names[i] != NULL && strcmp(node->value, names[i]) == 0) {
                return (int)i;
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        size_t used = strlen(list);

        if (names[i] != NULL) {
            snprintf(list + used, sizeof(list) - used, "%s%s", used ? ", " : "", names[i]);
        }
    }
    if (node->kind == YNODE_SCALAR) {
        const char *near = diag_nearest(node->value, names, n);

        if (near != NULL) {
            err(v, node, "unknown %s '%s'; did you mean '%s'? (one of: %s)", what, node->value,
                near, list);
            return -1;
        }
    }
    err(v, node, "expected one of %s for %s, found %s", list, what,
        found(v, node, buf, sizeof(buf)));
    return -1;
}

/* map[key] or an error "missing required key" at the map. */
static const struct ynode *
required(struct vctx *v, const struct ynode *map, const char *key, const char *where)
{
    const struct ynode *node = ynode_map_get(map, key);

    if (node == NULL) {
        err(v, map, "missing required key '%s' in %s", key, where);
    }
    return node;
}

static char *
dup_or_oom(struct vctx *v, const char *s)
{
    char *copy = mpcsim_strdup(s);

    if (copy == NULL) {
        v->oom = 1;
    }
    return copy;
}

static void *
alloc_or_oom(struct vctx *v, size_t nmemb, size_t size)
{
    void *p = mpcsim_calloc(nmemb, size);

    if (p == NULL) {
        v->oom = 1;
    }
    return p;
}

/* A list of party ids, each in [0, n).  Returns a calloc'd array or NULL. */
static int *
party_list(struct vctx *v, const struct ynode *node, const char *what, int *count)
{
    int *ids = NULL;
    unsigned char *seen = NULL; /* a bit per party: the duplicate check is linear */
    int ok = 1;

    *count = 0;
    if (!expect_kind(v, node, YNODE_SEQ, what) || v->n == 0) {
        return NULL;
    }
    if (node->n_items == 0) {
        err(v, node, "expected at least one party id in %s", what);
        return NULL;
    }
    ids = alloc_or_oom(v, node->n_items, sizeof(*ids));
    seen = alloc_or_oom(v, ((size_t)v->n + 7) / 8, 1);
    if (ids == NULL || seen == NULL) {
        mpcsim_free(ids);
        mpcsim_free(seen);
        return NULL;
    }
    for (size_t i = 0; i < node->n_items; i++) {
        int64_t x = 0;
        char label[96];

        snprintf(label, sizeof(label), "a party id in %s (parties are 0..%d)", what, v->n - 1);
        if (!int_value(v, node->items[i], 0, v->n - 1, label, &x)) {
            ok = 0;
            continue;
        }
        if (seen[x / 8] & (1u << (x % 8))) {
            err(v, node->items[i], "party %d is listed twice in %s", (int)x, what);
            ok = 0;
        }
        seen[x / 8] |= (unsigned char)(1u << (x % 8));
        ids[i] = (int)x;
    }
    mpcsim_free(seen);
    if (!ok) {
        mpcsim_free(ids);
        return NULL;
    }
    *count = (int)node->n_items;
    return ids;
}

/* ------------------------------------------------------------------ */

static const char *const input_dists[] = {
    [SCENARIO_INPUT_VALUES] = NULL,     [SCENARIO_INPUT_UNIFORM] = "uniform",
    [SCENARIO_INPUT_NORMAL] = "normal", [SCENARIO_INPUT_LOGNORMAL] = "lognormal",
    [SCENARIO_INPUT_PARETO] = "pareto", [SCENARIO_INPUT_EXPONENTIAL] = "exponential",
};

/* The parameters each input distribution takes. */
static const char *const input_params[][3] = {
    [SCENARIO_INPUT_VALUES] = {NULL, NULL, NULL},
    [SCENARIO_INPUT_UNIFORM] = {"min", "max", NULL},
    [SCENARIO_INPUT_NORMAL] = {"mean", "sd", NULL},
    [SCENARIO_INPUT_LOGNORMAL] = {"zeta", "sigma", NULL},
    [SCENARIO_INPUT_PARETO] = {"a", "b", NULL},
    [SCENARIO_INPUT_EXPONENTIAL] = {"mean", NULL, NULL},
};

/* Whether the scenario's protocol is paillier (known from prescan_field on). */
static int
is_paillier(const struct scenario *sc)
{
    return strcmp(sc->protocol.kind, "paillier") == 0;
}

/* The range as text: "2^60" (m61) or "2^126" (m127, paillier, secagg). */
static const char *
field_range_text(const struct scenario *sc)
{
    return sc->comp.max_abs > (mpcsim_i128)field_half(FIELD_M61) ? "2^126" : "2^60";
}

/*
 * An input integer (inputs.values, uniform bounds), read exactly from its
 * text: within the scenario's field (sc->comp.max_abs).  A value that only
 * GF(2^127 - 1) holds, under the default m61, gets an error that says to
 * set protocol.field: m127.
 */
static int
input_value(struct vctx *v, const struct scenario *sc, const struct ynode *node, const char *what,
            const char *name, mpcsim_i128 *out)
{
    char buf[64];
    char why[200];
    char lim[COMPUTATION_FORMAT_MAX];
    mpcsim_i128 max = sc->comp.max_abs;
    mpcsim_i128 x = 0;

    (void)computation_format_int(lim, sizeof(lim), max);
    if (!parse_int(node, -(mpcsim_i128)field_half(FIELD_M127), (mpcsim_i128)field_half(FIELD_M127),
                   &x, why, sizeof(why))) {
        err(v, node, "expected an integer in [-%s, %s] for %s, found %s%s", lim, lim, what,
            found(v, node, buf, sizeof(buf)), v->quiet_values ? "" : why);
        return 0;
    }
    if (x > max || x < -max) {
        char val[COMPUTATION_FORMAT_MAX];

        (void)computation_format_int(val, sizeof(val), x);
        if (sc->protocol.field_applies) {
            err(v, node,
                "%s %s does not fit the field GF(2^61 - 1) (|x| < 2^60): set protocol.field: "
                "m127 (GF(2^127 - 1), |x| < 2^126) for values this large",
                name, val);
        } else {
            err(v, node, "%s %s is beyond |x| < %s, the range this protocol takes%s", name, val,
                field_range_text(sc),
                sc->comp.max_abs > (mpcsim_i128)field_half(FIELD_M61)
                    ? " (secagg: input_bits <= 126)"
                    : " (protocol.field: m127 is for additive and shamir)");
        }
        return 0;
    }
    *out = x;
    return 1;
}

static void
check_input_values(struct vctx *v, struct scenario *sc, const struct ynode *vals,
                   const struct ynode *len_node)
{
    size_t n = (size_t)v->n;
    size_t length = 0;
    int nested = 0;
    char what[80];

    if (!expect_kind(v, vals, YNODE_SEQ, "inputs.values") || n == 0) {
        return;
    }
    if (vals->n_items != n) {
        err(v, vals, "inputs.values has %zu entries; expected one per party (%zu)", vals->n_items,
            n);
        return;
    }
    nested = vals->items[0]->kind == YNODE_SEQ;
    length = nested ? vals->items[0]->n_items : 1;
    if (length == 0 || length > SCENARIO_MAX_LENGTH) {
        err(v, vals->items[0], "expected 1..%d values per party", SCENARIO_MAX_LENGTH);
        return;
    }
    if (len_node != NULL && sc->inputs.length != length) {
        err(v, len_node, "inputs.length is %zu but inputs.values holds vectors of length %zu",
            sc->inputs.length, length);
        return;
    }
    if (n * length > 50u * 1000 * 1000) {
        err(v, vals, "inputs.values holds more than 50 million values");
        return;
    }
    snprintf(what, sizeof(what), "an input (integers within %s, |x| < %s)",
             is_paillier(sc) ? "protocol paillier's range" : "the field's range",
             field_range_text(sc));
    sc->inputs.length = length;
    sc->inputs.values = alloc_or_oom(v, n * length, sizeof(*sc->inputs.values));
    if (sc->inputs.values == NULL) {
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const struct ynode *row = vals->items[i];

        if (nested) {
            if (!expect_kind(v, row, YNODE_SEQ, "a party's input vector")) {
                continue;
            }
            if (row->n_items != length) {
                err(v, row, "party %zu's input vector has %zu values; party 0's has %zu", i,
                    row->n_items, length);
                continue;
            }
            for (size_t k = 0; k < length; k++) {
                mpcsim_i128 x = 0;

                if (input_value(v, sc, row->items[k], what, "an input", &x)) {
                    sc->inputs.values[i * length + k] = x;
                }
            }
        } else {
            mpcsim_i128 x = 0;

            if (input_value(v, sc, row, what, "an input", &x)) {
                sc->inputs.values[i] = x;
            }
        }
    }
}

/* z with P(Z > z) = 1e-9 for the standard normal. */
#define SCENARIO_Z_1E9 5.997807015

/*
 * A sampled input beyond the field stops the run (runner.c): refuse a
 * distribution for which more than one draw in a billion would (q is its
 * 1 - 1e-9 quantile of |x|).
 */
static void
input_tail(struct vctx *v, const struct scenario *sc, const struct ynode *in, double q)
{
    if (!(q < (double)sc->comp.max_abs)) {
        err(v, in,
            "this input distribution draws values beyond the field (|x| < %s) more often than "
            "once in 10^9 (quantile %g); narrow it",
            field_range_text(sc), q);
    }
}

static void
check_inputs(struct vctx *v, struct scenario *sc, const struct ynode *in)
{
    static const char *const keys[] = {"values", "distribution", "length", "min", "max", "mean",
                                       "sd",     "zeta",         "sigma",  "a",   "b"};
    const struct ynode *vals = NULL;
    const struct ynode *dist = NULL;
    const struct ynode *len_node = NULL;
    int64_t length = 1;

    sc->inputs.length = 1;
    if (!expect_kind(v, in, YNODE_MAP, "inputs")) {
        return;
    }
    check_keys(v, in, keys, COUNT(keys), "inputs");
    len_node = ynode_map_get(in, "length");
    if (len_node != NULL &&
        int_value(v, len_node, 1, SCENARIO_MAX_LENGTH, "inputs.length", &length)) {
        sc->inputs.length = (size_t)length;
    }
    vals = ynode_map_get(in, "values");
    dist = ynode_map_get(in, "distribution");
    if ((vals == NULL) == (dist == NULL)) {
        err(v, in,
            "inputs needs exactly one of 'values' (one per party) or 'distribution' "
            "(uniform, normal, lognormal, pareto, exponential)");
        return;
    }
    if (vals != NULL) {
        sc->inputs.kind = SCENARIO_INPUT_VALUES;
        for (size_t i = 0; i + 1 < in->n_items; i += 2) {
            const char *k = in->items[i]->value;

            if (strcmp(k, "values") != 0 && strcmp(k, "length") != 0 &&
                ynode_map_get(in, k) != NULL && diag_nearest(k, keys, COUNT(keys)) != NULL &&
                strcmp(diag_nearest(k, keys, COUNT(keys)), k) == 0) {
                err(v, in->items[i], "'%s' is a distribution parameter; inputs.values needs none",
                    k);
            }
        }
        check_input_values(v, sc, vals, len_node);
        return;
    }
    {
        int kind = enum_value(v, dist, input_dists, COUNT(input_dists), "input distribution");
        double *slots[][2] = {
            [SCENARIO_INPUT_VALUES] = {NULL, NULL},
            [SCENARIO_INPUT_UNIFORM] = {&sc->inputs.min, &sc->inputs.max},
            [SCENARIO_INPUT_NORMAL] = {&sc->inputs.mean, &sc->inputs.sd},
            [SCENARIO_INPUT_LOGNORMAL] = {&sc->inputs.zeta, &sc->inputs.sigma},
            [SCENARIO_INPUT_PARETO] = {&sc->inputs.a, &sc->inputs.b},
            [SCENARIO_INPUT_EXPONENTIAL] = {&sc->inputs.mean, NULL},
        };
        const double lim = (double)sc->comp.max_abs;

        if (kind < 0) {
            return;
        }
        sc->inputs.kind = (enum scenario_input_kind)kind;
        /* Parameters that belong to another distribution are errors. */
        for (size_t i = 0; i + 1 < in->n_items; i += 2) {
            const char *k = in->items[i]->value;
            int belongs = strcmp(k, "distribution") == 0 || strcmp(k, "length") == 0;

            for (int j = 0; j < 3 && input_params[kind][j] != NULL; j++) {
                belongs |= strcmp(k, input_params[kind][j]) == 0;
            }
            if (!belongs && strcmp(k, "values") != 0) {
                int known = 0;

                for (size_t j = 0; j < COUNT(keys); j++) {
                    known |= strcmp(k, keys[j]) == 0;
                }
                if (known) {
                    err(v, in->items[i], "'%s' does not apply to distribution %s (it takes %s%s%s)",
                        k, input_dists[kind], input_params[kind][0],
                        input_params[kind][1] ? " and " : "",
                        input_params[kind][1] ? input_params[kind][1] : "");
                }
            }
        }
        for (int j = 0; j < 2 && input_params[kind][j] != NULL; j++) {
            const struct ynode *p = required(v, in, input_params[kind][j], "inputs");
            char what[64];

            snprintf(what, sizeof(what), "inputs.%s", input_params[kind][j]);
            if (p == NULL) {
                continue;
            }
            if (kind == SCENARIO_INPUT_UNIFORM) {
                /* Integer bounds, read exactly (the draw is over the integers). */
                mpcsim_i128 *slot = j == 0 ? &sc->inputs.imin : &sc->inputs.imax;

                if (input_value(v, sc, p, what, what, slot)) {
                    *slots[kind][j] = (double)*slot;
                }
            } else {
                (void)double_value(v, p, -lim, lim, 0, what, slots[kind][j]);
            }
        }
        switch (sc->inputs.kind) {
        case SCENARIO_INPUT_UNIFORM:
            if (sc->inputs.imin > sc->inputs.imax) {
                char lo[COMPUTATION_FORMAT_MAX], hi[COMPUTATION_FORMAT_MAX];

                (void)computation_format_int(lo, sizeof(lo), sc->inputs.imin);
                (void)computation_format_int(hi, sizeof(hi), sc->inputs.imax);
                err(v, in, "inputs.min (%s) is larger than inputs.max (%s)", lo, hi);
            }
            break;
        case SCENARIO_INPUT_NORMAL:
            if (sc->inputs.sd < 0) {
                err(v, ynode_map_get(in, "sd"), "inputs.sd must be >= 0");
            } else {
                input_tail(v, sc, in, fabs(sc->inputs.mean) + SCENARIO_Z_1E9 * sc->inputs.sd);
            }
            break;
        case SCENARIO_INPUT_LOGNORMAL:
            if (sc->inputs.sigma < 0) {
                err(v, ynode_map_get(in, "sigma"), "inputs.sigma must be >= 0");
            }
            if (sc->inputs.zeta > (sc->comp.max_abs > COMPUTATION_MAX_ABS ? 87 : 40)) {
                err(v, ynode_map_get(in, "zeta"),
                    "inputs.zeta %g gives values near e^%g, beyond the field (|x| < %s)",
                    sc->inputs.zeta, sc->inputs.zeta, field_range_text(sc));
            } else if (sc->inputs.sigma >= 0) {
                input_tail(v, sc, in, exp(sc->inputs.zeta + SCENARIO_Z_1E9 * sc->inputs.sigma));
            }
            break;
        case SCENARIO_INPUT_PARETO:
            if (!(sc->inputs.a > 0) || !(sc->inputs.b > 0)) {
                err(v, in, "inputs.a (shape) and inputs.b (scale) must both be > 0");
            } else {
                input_tail(v, sc, in, sc->inputs.b * pow(1e9, 1.0 / sc->inputs.a));
            }
            break;
        case SCENARIO_INPUT_EXPONENTIAL:
            if (!(sc->inputs.mean > 0)) {
                err(v, ynode_map_get(in, "mean"), "inputs.mean must be > 0");
            } else {
                input_tail(v, sc, in, sc->inputs.mean * log(1e9));
            }
            break;
        default:
            break;
        }
    }
}

/*
 * computation.weights: public decimals read exactly from their text
 * (`1.5`, `0.0125`).  With d the largest number of fractional digits,
 * every weight is stored as the integer w * 10^d (comp.weight_digits = d):
 * the protocols sum exactly with those, and the output divides by 10^d in
 * public (computation_format).  d <= 18 and |w| 10^d <= 2^60 - 1 (any
 * field's range), so every protocol's weight arithmetic stays exact.
 */
static void
check_weights(struct vctx *v, struct scenario *sc, const struct ynode *w)
{
    struct ynumber num[64];
    struct ynumber *nums = (size_t)v->n <= 64 ? num : NULL;
    int d = 0;
    int ok = 1;

    if (nums == NULL) {
        nums = alloc_or_oom(v, (size_t)v->n, sizeof(*nums));
        if (nums == NULL) {
            return;
        }
    }
    for (int i = 0; i < v->n; i++) {
        const char *why = NULL;
        char buf[64];

        if (w->items[i]->kind != YNODE_SCALAR || ynumber_parse(&nums[i], &why, w->items[i]) < 0) {
            err(v, w->items[i], "expected a decimal number for a weight, found %s",
                found(v, w->items[i], buf, sizeof(buf)));
            ok = 0;
            continue;
        }
        if (nums[i].exp10 < -18) {
            err(v, w->items[i], "a weight has at most 18 fractional digits");
            ok = 0;
        } else if (nums[i].exp10 < 0 && -nums[i].exp10 > d) {
            d = -nums[i].exp10;
        }
    }
    for (int i = 0; ok && i < v->n; i++) {
        int shift = nums[i].exp10 + d; /* the weight times 10^d is mag * 10^shift */
        mpcsim_u128 mag = nums[i].mag;
        int fits = shift <= 38;

        for (int k = 0; fits && k < shift; k++) {
            fits = mag <= (mpcsim_u128)COMPUTATION_MAX_ABS / 10;
            mag *= 10;
        }
        if (!fits || mag > (mpcsim_u128)COMPUTATION_MAX_ABS) {
            err(v, w->items[i],
                "weight times 10^%d (%d being the most fractional digits of any weight) leaves "
                "|w| < 2^60; use fewer digits or smaller weights",
                d, d);
            ok = 0;
            continue;
        }
        sc->weights[i] = nums[i].negative ? -(mpcsim_i128)mag : (mpcsim_i128)mag;
    }
    sc->comp.weight_digits = d;
    if (nums != num) {
        mpcsim_free(nums);
    }
}

/*
 * protocol.field, read before the inputs (whose range it sets): m127 when
 * the key says exactly that, m61 for any other value (check_protocol
 * reports a bad one); without the key m127 for comparisons, else m61.
 * Sets sc->comp.max_abs to the field's signed range.
 */
static void
prescan_field(struct scenario *sc, const struct ynode *root)
{
    const struct ynode *p = ynode_map_get(root, "protocol");
    const struct ynode *f = p != NULL && p->kind == YNODE_MAP ? ynode_map_get(p, "field") : NULL;

    const struct ynode *c = ynode_map_get(root, "computation");
    const struct ynode *k = c == NULL                 ? NULL
                            : c->kind == YNODE_SCALAR ? c
                            : c->kind == YNODE_MAP    ? ynode_map_get(c, "kind")
                                                      : NULL;
    int kind = k != NULL && k->kind == YNODE_SCALAR ? computation_lookup(k->value) : -1;
    const struct ynode *pk = p != NULL && p->kind == YNODE_MAP ? ynode_map_get(p, "kind") : NULL;

    /* protocol.kind is required; a missing or bad one is reported later. */
    sc->protocol.field_applies = pk == NULL || pk->kind != YNODE_SCALAR ||
                                 strcmp(pk->value, "additive") == 0 ||
                                 strcmp(pk->value, "shamir") == 0;

    /* Paillier: |x| < 2^126 (the 128-bit output; n/2 is larger, adapter.h). */
    if (pk != NULL && pk->kind == YNODE_SCALAR && strcmp(pk->value, "paillier") == 0) {
        snprintf(sc->protocol.kind, sizeof(sc->protocol.kind), "%s", pk->value);
    }
    if (f != NULL) {
        sc->protocol.field =
            f->kind == YNODE_SCALAR && strcmp(f->value, "m127") == 0 ? FIELD_M127 : FIELD_M61;
    } else {
        /* Comparisons default to m127 (issue 19: room for l = 64). */
        sc->protocol.field = kind >= 0 && computation_is_comparison((enum computation_kind)kind)
                                 ? FIELD_M127
                                 : FIELD_M61;
    }
    sc->comp.max_abs = (mpcsim_i128)field_half(sc->protocol.field);
    if (is_paillier(sc)) {
        sc->comp.max_abs = PAILLIER_MAX_ABS;
    }
    /* secagg: values and sums within 2^126 (its input_bits, up to 126, bound them further) */
    if (pk != NULL && pk->kind == YNODE_SCALAR && strcmp(pk->value, "secagg") == 0) {
        sc->comp.max_abs = (mpcsim_i128)field_half(FIELD_M127);
    }
}

/* sum_threshold's op and threshold, max's reveal; 0 after an error. */
static int
check_comparison_keys(struct vctx *v, struct scenario *sc, const struct ynode *c, const char *kind)
{
    static const char *const ops[] = {">=", ">", "<=", "<"};
    static const char *const reveals[] = {"value", "index", "both"};
    const struct ynode *op = ynode_map_get(c, "op");
    const struct ynode *th = ynode_map_get(c, "threshold");
    const struct ynode *rv = ynode_map_get(c, "reveal");
    int is_st = sc->comp.kind == COMPUTATION_SUM_THRESHOLD;
    mpcsim_i128 x = 0;
    int m;

    if (!is_st && (op != NULL || th != NULL)) {
        err(v, op != NULL ? op : th, "'%s' applies to computation sum_threshold only, not %s",
            op != NULL ? "op" : "threshold", kind);
        return 0;
    }
    if (sc->comp.kind != COMPUTATION_MAX && rv != NULL) {
        err(v, rv, "'reveal' applies to computation max only, not %s", kind);
        return 0;
    }
    if (is_st) {
        if (op == NULL || th == NULL) {
            err(v, c, "computation sum_threshold needs 'op' (>=, >, <=, <) and 'threshold'");
            return 0;
        }
        m = enum_value(v, op, ops, 4, "computation.op");
        if (m >= 0) {
            sc->comp.op = (enum computation_cmp)m;
        }
        if (input_value(v, sc, th, "computation.threshold", "the threshold", &x)) {
            sc->comp.threshold = x;
        }
    }
    if (rv != NULL) {
        m = enum_value(v, rv, reveals, 3, "computation.reveal");
        if (m >= 0) {
            sc->comp.reveal = (enum computation_reveal)m;
        }
    }
    return 1;
}

static void
check_computation(struct vctx *v, struct scenario *sc, const struct ynode *c)
{
    static const char *const keys[] = {"kind", "weights", "op", "threshold", "reveal"};
    static const char *const kinds[] = {"sum",      "weighted_sum", "mean",
                                        "variance", "dot_product",  "sum_threshold",
                                        "max",      "second_price", "median"};
    const struct ynode *kind_node = c;
    const struct ynode *w = NULL;
    int kind;

    sc->comp.kind = COMPUTATION_SUM;
    if (c->kind == YNODE_MAP) {
        check_keys(v, c, keys, COUNT(keys), "computation");
        kind_node = required(v, c, "kind", "computation");
        if (kind_node == NULL) {
            return;
        }
        w = ynode_map_get(c, "weights");
    } else if (!expect_kind(v, c, YNODE_SCALAR, "computation")) {
        return;
    }
    kind = enum_value(v, kind_node, kinds, COUNT(kinds), "computation");
    if (kind < 0) {
        return;
    }
    sc->comp.kind = (enum computation_kind)kind;
    if (kind == COMPUTATION_WEIGHTED_SUM && w == NULL) {
        err(v, c, "computation weighted_sum needs 'weights' (one public number per party)");
        return;
    }
    if (kind != COMPUTATION_WEIGHTED_SUM && w != NULL) {
        err(v, w, "'weights' applies to computation weighted_sum only, not %s", kinds[kind]);
        return;
    }
    if (c->kind == YNODE_MAP && !check_comparison_keys(v, sc, c, kinds[kind])) {
        return;
    }
    if (w != NULL && expect_kind(v, w, YNODE_SEQ, "computation.weights") && v->n > 0) {
        if (w->n_items != (size_t)v->n) {
            err(v, w, "computation.weights has %zu entries; expected one per party (%d)",
                w->n_items, v->n);
            return;
        }
        sc->weights = alloc_or_oom(v, (size_t)v->n, sizeof(*sc->weights));
        if (sc->weights == NULL) {
            return;
        }
        check_weights(v, sc, w);
        sc->comp.weights = sc->weights;
        sc->comp.n_weights = (size_t)v->n;
    }
}

static const char *const protocol_keys[] = {
    "kind",
    "mac",
    "threshold",
    "reconstruction",
    "key_bits",
    "decryption",
    "decryption_threshold",
    "aggregation",
    "fanout",
    "encryption",
    "fresh_keys",
    "input_bits",
    "result_to_clients",
    "field",
    "round_timeout_ms",
    "comparison_bits",
    "statistical_security",
    "num_shares",
    "reconstruction_threshold",
};
static const int protocol_key_bits[] = {
    0,
    SCENARIO_PKEY_MAC,
    SCENARIO_PKEY_THRESHOLD,
    SCENARIO_PKEY_RECONSTRUCTION,
    SCENARIO_PKEY_KEY_BITS,
    SCENARIO_PKEY_DECRYPTION,
    SCENARIO_PKEY_DECRYPTION_THRESHOLD,
    SCENARIO_PKEY_AGGREGATION,
    SCENARIO_PKEY_FANOUT,
    SCENARIO_PKEY_ENCRYPTION,
    SCENARIO_PKEY_FRESH_KEYS,
    SCENARIO_PKEY_INPUT_BITS,
    SCENARIO_PKEY_RESULT_TO_CLIENTS,
    SCENARIO_PKEY_FIELD,
    0,
    SCENARIO_PKEY_COMPARISON_BITS,
    SCENARIO_PKEY_STATISTICAL_SECURITY,
    SCENARIO_PKEY_NUM_SHARES,
    SCENARIO_PKEY_RECONSTRUCTION_THRESHOLD,
};

static const struct registry_entry *
check_protocol(struct vctx *v, struct scenario *sc, const struct ynode *p)
{
    struct scenario_protocol *sp = &sc->protocol;
    const struct registry_entry *re = NULL;
    const struct ynode *kind = NULL;
    const struct ynode *node = NULL;
    int64_t x = 0;

    sp->threshold = -1;
    sp->robust = 1;
    sp->key_bits = 2048;
    sp->threshold_decryption = 1;
    sp->decryption_threshold = -1;
    sp->round_timeout_ms = 5000;
    sp->statistical_security = 40;
    if (!expect_kind(v, p, YNODE_MAP, "protocol")) {
        return NULL;
    }
    check_keys(v, p, protocol_keys, COUNT(protocol_keys), "protocol");
    kind = required(v, p, "kind", "protocol");
    if (kind == NULL || !expect_kind(v, kind, YNODE_SCALAR, "protocol.kind")) {
        return NULL;
    }
    re = registry_lookup(kind->value);
    if (re == NULL) {
        size_t n = 0;
        const struct registry_entry *all = registry_all(&n);
        const char *names[16];
        size_t k = 0;

        for (size_t i = 0; i < n && k < COUNT(names); i++) {
            if (!all[i].test_only) {
                names[k++] = all[i].kind;
            }
        }
        (void)enum_value(v, kind, names, k, "protocol kind");
        return NULL;
    }
    snprintf(sp->kind, sizeof(sp->kind), "%s", re->kind);
    /* Keys that belong to another protocol. */
    for (size_t i = 0; i + 1 < p->n_items; i += 2) {
        for (size_t j = 0; j < COUNT(protocol_keys); j++) {
            if (strcmp(p->items[i]->value, protocol_keys[j]) == 0 && protocol_key_bits[j] != 0) {
                sp->set_mask |= protocol_key_bits[j];
                if (!(re->key_mask & protocol_key_bits[j])) {
                    err(v, p->items[i], "'%s' does not apply to protocol %s", protocol_keys[j],
                        re->kind);
                }
            }
        }
    }
    if ((node = ynode_map_get(p, "mac")) != NULL) {
        (void)bool_value(v, node, "protocol.mac", &sp->mac);
    }
    if ((node = ynode_map_get(p, "threshold")) != NULL && v->n > 0) {
        char what[96];

        snprintf(what, sizeof(what), "protocol.threshold (the degree t; t+1 of %d shares rebuild)",
                 v->n);
        if (int_value(v, node, 1, v->n - 1, what, &x)) {
            sp->threshold = (int)x;
        }
    }
    if ((node = ynode_map_get(p, "reconstruction")) != NULL) {
        static const char *const modes[] = {"fast", "robust"};
        int m = enum_value(v, node, modes, 2, "protocol.reconstruction");

        if (m >= 0) {
            sp->robust = m;
        }
    }
    if ((node = ynode_map_get(p, "key_bits")) != NULL) {
        static const char *const sizes[] = {"1024", "2048", "3072", "4096"};
        int m = enum_value(v, node, sizes, 4, "protocol.key_bits (modulus bits)");

        if (m >= 0) {
            sp->key_bits = (unsigned)(1024 * (m + 1));
        }
    }
    if ((node = ynode_map_get(p, "decryption")) != NULL) {
        static const char *const modes[] = {"single", "threshold"};
        int m = enum_value(v, node, modes, 2, "protocol.decryption");

        if (m >= 0) {
            sp->threshold_decryption = m;
        }
    }
    if ((node = ynode_map_get(p, "decryption_threshold")) != NULL && v->n > 0) {
        if (int_value(v, node, 1, v->n, "protocol.decryption_threshold", &x)) {
            sp->decryption_threshold = (int)x;
        }
    }
    if ((node = ynode_map_get(p, "aggregation")) != NULL) {
        static const char *const modes[] = {"star", "tree"};
        int m = enum_value(v, node, modes, 2, "protocol.aggregation");

        sp->tree_fanout = m == 1 ? 8 : 0;
    }
    if ((node = ynode_map_get(p, "fanout")) != NULL) {
        if (sp->tree_fanout == 0) {
            err(v, node, "'fanout' applies to aggregation: tree only");
        } else if (int_value(v, node, 2, 1000, "protocol.fanout (children per aggregator)", &x)) {
            sp->tree_fanout = (int)x;
        }
    }
    if ((node = ynode_map_get(p, "encryption")) != NULL) {
        static const char *const modes[] = {"precomputed", "plain"};
        int m = enum_value(v, node, modes, 2, "protocol.encryption");

        sp->plain_encryption = m == 1;
    }
    if ((node = ynode_map_get(p, "fresh_keys")) != NULL) {
        (void)bool_value(v, node, "protocol.fresh_keys", &sp->fresh_keys);
    }
    if ((node = ynode_map_get(p, "input_bits")) != NULL &&
        int_value(v, node, 1, 126, "protocol.input_bits (bits of one input, sign included)", &x)) {
        sp->input_bits = (int)x;
    }
    if ((node = ynode_map_get(p, "result_to_clients")) != NULL) {
        (void)bool_value(v, node, "protocol.result_to_clients", &sp->result_to_clients);
    }
    if ((node = ynode_map_get(p, "comparison_bits")) != NULL &&
        int_value(v, node, 3, 120, "protocol.comparison_bits (bits of a compared quantity)", &x)) {
        sp->comparison_bits = (int)x;
    }
    if ((node = ynode_map_get(p, "statistical_security")) != NULL &&
        int_value(v, node, 1, 119, "protocol.statistical_security (kappa, bits)", &x)) {
        sp->statistical_security = (int)x;
    }
    if ((node = ynode_map_get(p, "num_shares")) != NULL) {
        /* SecAgg+ (Bell et al. 2020): an integer K >= 2, or auto. */
        if (node->kind == YNODE_SCALAR && !node->quoted && strcmp(node->value, "auto") == 0) {
            sp->num_shares = -1;
        } else if (int_value(v, node, 2, SIM_MAX_PARTIES,
                             "protocol.num_shares (shares of each client's secrets, or auto)",
                             &x)) {
            sp->num_shares = (int)x;
        }
    }
    if ((node = ynode_map_get(p, "reconstruction_threshold")) != NULL) {
        if (ynode_map_get(p, "threshold") != NULL) {
            err(v, node, "give one of 'threshold' and 'reconstruction_threshold' (the same t)");
        } else if (v->n > 1 &&
                   int_value(v, node, 1, v->n - 1,
                             "protocol.reconstruction_threshold (shares that rebuild a secret)",
                             &x)) {
            sp->reconstruction_threshold = (int)x;
        }
    }
    if ((node = ynode_map_get(p, "round_timeout_ms")) != NULL) {
        (void)ms_value(v, node, 0, 1e9, 1, "protocol.round_timeout_ms", &sp->round_timeout_ms);
    }
    if ((node = ynode_map_get(p, "field")) != NULL) {
        static const char *const fields[] = {"m61", "m127"};

        (void)enum_value(v, node, fields, COUNT(fields),
                         "protocol.field (m61: GF(2^61 - 1); m127: GF(2^127 - 1))");
        /* sp->field was set by prescan_field, before the inputs were read. */
    }
    if (v->n > 0) {
        if (sp->threshold < 0) {
            sp->threshold = (v->n - 1) / 2 > 0 ? (v->n - 1) / 2 : 1;
        }
        if (sp->decryption_threshold < 0) {
            sp->decryption_threshold = v->n / 2 + 1;
        }
    }
    return re;
}

static const char *const latency_dists[] = {
    [SIM_LATENCY_CONSTANT] = "constant",       [SIM_LATENCY_UNIFORM] = "uniform",
    [SIM_LATENCY_NORMAL] = "normal",           [SIM_LATENCY_LOGNORMAL] = "lognormal",
    [SIM_LATENCY_EXPONENTIAL] = "exponential", [SIM_LATENCY_PARETO] = "pareto",
};
static const char *const latency_params[][2] = {
    [SIM_LATENCY_CONSTANT] = {"ms", NULL},         [SIM_LATENCY_UNIFORM] = {"min_ms", "max_ms"},
    [SIM_LATENCY_NORMAL] = {"mean_ms", "sd_ms"},   [SIM_LATENCY_LOGNORMAL] = {"median_ms", "sigma"},
    [SIM_LATENCY_EXPONENTIAL] = {"mean_ms", NULL}, [SIM_LATENCY_PARETO] = {"min_ms", "alpha"},
};

static double *
latency_slot(struct sim_latency *l, const char *key)
{
    if (strcmp(key, "ms") == 0) {
        return &l->ms;
    } else if (strcmp(key, "min_ms") == 0) {
        return &l->min_ms;
    } else if (strcmp(key, "max_ms") == 0) {
        return &l->max_ms;
    } else if (strcmp(key, "mean_ms") == 0) {
        return &l->mean_ms;
    } else if (strcmp(key, "sd_ms") == 0) {
        return &l->sd_ms;
    } else if (strcmp(key, "median_ms") == 0) {
        return &l->median_ms;
    } else if (strcmp(key, "sigma") == 0) {
        return &l->sigma;
    }
    return &l->alpha;
}

/* z of the 99.9th percentile of the standard normal. */
#define SCENARIO_Z999 3.090232306167813

/*
 * A latency distribution whose 99.9th percentile lies beyond the longest
 * time a scenario can name (SCENARIO_MAX_MS) describes no network: one
 * message in a thousand would outlast any run.  (Rarer draws beyond the
 * horizon are the engine's to clamp.)
 */
static void
check_tail(struct vctx *v, const struct ynode *at, double q999_ms, const char *dist)
{
    if (!(q999_ms <= SCENARIO_MAX_MS)) {
        err(v, at,
            "%s latency: one message in a thousand would take more than %g ms (99.9th "
            "percentile %g ms), beyond any simulated run; use %s",
            dist, SCENARIO_MAX_MS, q999_ms,
            strcmp(dist, "pareto") == 0 ? "a larger alpha" : "a smaller sigma or median");
    }
}

/* The distribution keys of a latency map (the base's or the jitter's). */
static const char *const latency_keys[] = {
    "distribution", "ms", "min_ms", "max_ms", "mean_ms", "sd_ms", "median_ms", "sigma", "alpha"};

/*
 * A latency distribution `node` (a map with `distribution`, or a bare
 * number: constant ms) into *l; `where` names it in messages
 * ("network.latency", "network.latency.jitter").  Keys outside
 * latency_keys are the caller's to check.
 */
static void
check_distribution(struct vctx *v, struct sim_latency *l, const struct ynode *node,
                   const char *where)
{
    const struct ynode *dist = NULL;
    int errors_before = v->errors;
    char what[96];
    int kind;

    if (node->kind == YNODE_SCALAR) { /* `latency: 40` is constant 40 ms */
        l->kind = SIM_LATENCY_CONSTANT;
        snprintf(what, sizeof(what), "%s (ms)", where);
        (void)ms_value(v, node, 0, 1e7, 0, what, &l->ms);
        return;
    }
    if (!expect_kind(v, node, YNODE_MAP, where)) {
        return;
    }
    dist = ynode_map_get(node, "distribution");
    if (dist == NULL) {
        err(v, node,
            "missing required key 'distribution' in %s (constant, uniform, "
            "normal, lognormal, exponential, pareto)",
            where);
        return;
    }
    kind = enum_value(v, dist, latency_dists, COUNT(latency_dists), "latency distribution");
    if (kind < 0) {
        return;
    }
    l->kind = (enum sim_latency_kind)kind;
    for (size_t i = 0; i + 1 < node->n_items; i += 2) {
        const char *k = node->items[i]->value;
        int belongs = strcmp(k, "distribution") == 0;

        for (int j = 0; j < 2; j++) {
            belongs |= latency_params[kind][j] != NULL && strcmp(k, latency_params[kind][j]) == 0;
        }
        if (!belongs) {
            for (size_t j = 0; j < COUNT(latency_keys); j++) {
                if (strcmp(k, latency_keys[j]) == 0) {
                    err(v, node->items[i],
                        "'%s' does not apply to latency distribution %s (it "
                        "takes %s%s%s)",
                        k, latency_dists[kind], latency_params[kind][0],
                        latency_params[kind][1] ? " and " : "",
                        latency_params[kind][1] ? latency_params[kind][1] : "");
                }
            }
        }
    }
    for (int j = 0; j < 2 && latency_params[kind][j] != NULL; j++) {
        const char *key = latency_params[kind][j];
        const struct ynode *p = required(v, node, key, where);
        int is_ms = strstr(key, "_ms") != NULL || strcmp(key, "ms") == 0;

        snprintf(what, sizeof(what), "%s.%s", where, key);
        if (p == NULL) {
            continue;
        }
        if (is_ms) {
            if (ms_value(v, p, 0, 1e7, 0, what, latency_slot(l, key)) &&
                *latency_slot(l, key) < 0) {
                err(v, p, "%s must be >= 0", what);
            }
        } else if (strcmp(key, "alpha") == 0) {
            (void)double_value(v, p, 0, 1e3, 1, what, &l->alpha);
        } else {
            (void)double_value(v, p, 0, 10, 0, what, &l->sigma);
        }
    }
    if (kind == SIM_LATENCY_UNIFORM && l->min_ms > l->max_ms) {
        err(v, node, "%s.min_ms (%g) is larger than max_ms (%g)", where, l->min_ms, l->max_ms);
    }
    if (kind == SIM_LATENCY_PARETO && !(l->min_ms > 0) && ynode_map_get(node, "min_ms") != NULL) {
        err(v, ynode_map_get(node, "min_ms"), "%s.min_ms must be > 0 for pareto", where);
    }
    if (kind == SIM_LATENCY_LOGNORMAL && !(l->median_ms > 0) &&
        ynode_map_get(node, "median_ms") != NULL) {
        err(v, ynode_map_get(node, "median_ms"), "%s.median_ms must be > 0 for lognormal", where);
    }
    if (v->errors == errors_before) {
        if (kind == SIM_LATENCY_LOGNORMAL) {
            check_tail(v, node, l->median_ms * exp(SCENARIO_Z999 * l->sigma), "lognormal");
        } else if (kind == SIM_LATENCY_PARETO) {
            check_tail(v, node, l->min_ms * pow(1000.0, 1.0 / l->alpha), "pareto");
        }
    }
}

/*
 * network.latency: a distribution (or, with regions, only `sigma`), plus
 * `per: message | pair | link` and `jitter: <distribution>` (sim.h enum
 * sim_latency_per).
 */
static void
check_latency(struct vctx *v, struct sim_network *net, const struct ynode *node, int regions)
{
    static const char *const keys[] = {"distribution", "ms",    "min_ms",    "max_ms",
                                       "mean_ms",      "sd_ms", "median_ms", "sigma",
                                       "alpha",        "per",   "jitter"};
    static const char *const pers[] = {[SIM_LATENCY_PER_MESSAGE] = "message",
                                       [SIM_LATENCY_PER_PAIR] = "pair",
                                       [SIM_LATENCY_PER_LINK] = "link"};
    const struct ynode *p = NULL;

    if (node->kind == YNODE_SCALAR && regions) {
        err(v, node,
            "with network.regions, latency is lognormal around the region medians: give "
            "'latency: {sigma: S}', not a constant (it would be ignored)");
        return;
    }
    if (node->kind == YNODE_SCALAR) {
        check_distribution(v, &net->latency, node, "network.latency");
        return;
    }
    if (!expect_kind(v, node, YNODE_MAP, "network.latency")) {
        return;
    }
    check_keys(v, node, keys, COUNT(keys), "network.latency");
    if ((p = ynode_map_get(node, "per")) != NULL) {
        int k = enum_value(v, p, pers, COUNT(pers), "network.latency.per");

        net->latency_per = k < 0 ? SIM_LATENCY_PER_MESSAGE : (enum sim_latency_per)k;
    }
    if ((p = ynode_map_get(node, "jitter")) != NULL) {
        if (p->kind == YNODE_MAP) {
            check_keys(v, p, latency_keys, COUNT(latency_keys), "network.latency.jitter");
        }
        check_distribution(v, &net->jitter, p, "network.latency.jitter");
        net->has_jitter = 1;
    }
    if (regions) {
        /* Lognormal around the region medians: only `sigma` means something. */
        const struct ynode *s = ynode_map_get(node, "sigma");

        for (size_t i = 0; i + 1 < node->n_items; i += 2) {
            const char *k = node->items[i]->value;

            if (strcmp(k, "sigma") == 0 || strcmp(k, "per") == 0 || strcmp(k, "jitter") == 0 ||
                (strcmp(k, "distribution") == 0 && node->items[i + 1]->kind == YNODE_SCALAR &&
                 strcmp(node->items[i + 1]->value, "lognormal") == 0)) {
                continue;
            }
            err(v, node->items[i],
                "with network.regions, latency is lognormal around the "
                "region medians: give only 'sigma' (and 'per', 'jitter'), not '%s'",
                k);
        }
        if (s != NULL) {
            (void)double_value(v, s, 0, 10, 0, "network.latency.sigma", &net->latency.sigma);
        }
        net->latency.kind = SIM_LATENCY_LOGNORMAL;
        return;
    }
    check_distribution(v, &net->latency, node, "network.latency");
}

static void
check_transport(struct vctx *v, struct sim_transport *t, const struct ynode *node)
{
    static const char *const keys[] = {"kind",
                                       "mss",
                                       "header_bytes",
                                       "window_bytes",
                                       "initial_window_segments",
                                       "rto_ms",
                                       "rto_max_ms",
                                       "connection_timeout_ms",
                                       "slow_start_after_idle",
                                       "handshake",
                                       "tls"};
    static const char *const kinds[] = {"tcp", "datagram"};
    const struct ynode *k = node;
    const struct ynode *p = NULL;
    int64_t x = 0;
    int kind;

    if (node->kind == YNODE_MAP) {
        check_keys(v, node, keys, COUNT(keys), "network.transport");
        /* kind defaults to tcp, so `--set network.transport.rto_ms=...` works alone. */
        k = ynode_map_get(node, "kind");
    } else if (!expect_kind(v, node, YNODE_SCALAR, "network.transport")) {
        return;
    }
    kind = k == NULL ? SIM_TRANSPORT_TCP : enum_value(v, k, kinds, 2, "network.transport kind");
    if (kind < 0) {
        return;
    }
    t->kind = (enum sim_transport_kind)kind;
    if (node->kind != YNODE_MAP) {
        return;
    }
    if ((p = ynode_map_get(node, "mss")) != NULL &&
        int_value(v, p, 64, 1 << 20, "network.transport.mss (bytes)", &x)) {
        t->mss = (uint32_t)x;
    }
    if ((p = ynode_map_get(node, "header_bytes")) != NULL &&
        int_value(v, p, 0, 4096, "network.transport.header_bytes", &x)) {
        t->header_bytes = (uint32_t)x;
    }
    if ((p = ynode_map_get(node, "window_bytes")) != NULL &&
        int_value(v, p, 1024, INT64_C(1) << 31, "network.transport.window_bytes", &x)) {
        t->window_bytes = (uint32_t)x;
    }
    if ((p = ynode_map_get(node, "rto_ms")) != NULL) {
        (void)ms_value(v, p, 0, 1e7, 1, "network.transport.rto_ms", &t->rto_ms);
    }
    if ((p = ynode_map_get(node, "initial_window_segments")) != NULL &&
        int_value(v, p, 0, 1 << 20, "network.transport.initial_window_segments", &x)) {
        t->initial_window_segments = (uint32_t)x;
    }
    if ((p = ynode_map_get(node, "slow_start_after_idle")) != NULL) {
        int on = 0;

        if (bool_value(v, p, "network.transport.slow_start_after_idle", &on)) {
            t->slow_start_after_idle = on;
        }
    }
    if ((p = ynode_map_get(node, "handshake")) != NULL) {
        int on = 0;

        if (bool_value(v, p, "network.transport.handshake", &on)) {
            t->handshake = on;
        }
    }
    if ((p = ynode_map_get(node, "tls")) != NULL) {
        int on = 0;

        if (bool_value(v, p, "network.transport.tls", &on)) {
            t->tls = on;
        }
    }
    if ((p = ynode_map_get(node, "rto_max_ms")) != NULL) {
        (void)ms_value(v, p, 0, 1e7, 1, "network.transport.rto_max_ms", &t->rto_max_ms);
    }
    if ((p = ynode_map_get(node, "connection_timeout_ms")) != NULL) {
        (void)ms_value(v, p, 0, 1e9, 0, "network.transport.connection_timeout_ms",
                       &t->connection_timeout_ms);
    }
    if (t->rto_max_ms < t->rto_ms) {
        /* Name the key the file set: rto_max_ms, else rto_ms (above the default cap). */
        if ((p = ynode_map_get(node, "rto_max_ms")) != NULL) {
            err(v, p, "network.transport.rto_max_ms (%g ms) is below rto_ms (%g ms)", t->rto_max_ms,
                t->rto_ms);
        } else {
            err(v, ynode_map_get(node, "rto_ms"),
                "network.transport.rto_ms (%g ms) is above rto_max_ms (%g ms)", t->rto_ms,
                t->rto_max_ms);
        }
    }
    if (kind == SIM_TRANSPORT_DATAGRAM) {
        for (size_t i = 0; i + 1 < node->n_items; i += 2) {
            const char *key = node->items[i]->value;

            if (strcmp(key, "mss") == 0 || strcmp(key, "window_bytes") == 0 ||
                strcmp(key, "rto_ms") == 0 || strcmp(key, "rto_max_ms") == 0 ||
                strcmp(key, "connection_timeout_ms") == 0 ||
                strcmp(key, "initial_window_segments") == 0 ||
                strcmp(key, "slow_start_after_idle") == 0 || strcmp(key, "handshake") == 0 ||
                strcmp(key, "tls") == 0) {
                err(v, node->items[i], "'%s' applies to the tcp transport, not datagram", key);
            }
        }
    }
}

/* network.regions.preset: the preset's regions and one-way medians
 * (regions.h), with `intra_ms` within a region.  Returns the region count
 * (0 on error) and fills list[] with the names. */
static size_t
check_region_preset(struct vctx *v, struct scenario *sc, const struct ynode *node,
                    const char **list, char *what, size_t what_cap)
{
    const char *names[8];
    const struct ynode *preset = ynode_map_get(node, "preset");
    const struct ynode *p = NULL;
    const struct region_preset *rp = NULL;
    double intra = 0.5;
    int idx;

    for (size_t i = 0; i < region_preset_count && i < COUNT(names); i++) {
        names[i] = region_presets[i].name;
    }
    for (size_t i = 0; i + 1 < node->n_items; i += 2) {
        const char *k = node->items[i]->value;

        if (strcmp(k, "names") == 0 || strcmp(k, "median_ms") == 0) {
            err(v, node->items[i],
                "'%s' does not go with network.regions.preset (the preset names the regions "
                "and their latencies)",
                k);
        }
    }
    idx = enum_value(v, preset, names,
                     region_preset_count < COUNT(names) ? region_preset_count : COUNT(names),
                     "network.regions.preset");
    if (idx < 0) {
        return 0;
    }
    rp = &region_presets[idx];
    snprintf(what, what_cap, "a region of preset %s", rp->name);
    if ((p = ynode_map_get(node, "intra_ms")) != NULL) {
        (void)ms_value(v, p, 0, 1e7, 1, "network.regions.intra_ms (one-way, within a region)",
                       &intra);
    }
    sc->region_median_ms = alloc_or_oom(v, rp->n * rp->n, sizeof(double));
    if (sc->region_median_ms == NULL) {
        return 0;
    }
    for (size_t r = 0; r < rp->n; r++) {
        list[r] = rp->regions[r];
        for (size_t c = 0; c < rp->n; c++) {
            sc->region_median_ms[r * rp->n + c] = region_preset_one_way_ms(rp, r, c, intra);
        }
    }
    return rp->n;
}

/* network.regions.{names, median_ms}: a matrix given in the scenario.
 * Returns the region count (0 on error) and fills list[] with the names. */
static size_t
check_region_matrix(struct vctx *v, struct scenario *sc, const struct ynode *node,
                    const char **list)
{
    const struct ynode *names = required(v, node, "names", "network.regions");
    const struct ynode *med = required(v, node, "median_ms", "network.regions");
    const struct ynode *intra = ynode_map_get(node, "intra_ms");
    size_t k;

    if (intra != NULL) {
        err(v, intra,
            "network.regions.intra_ms goes with a preset; with median_ms, give the "
            "diagonal of the matrix");
    }
    if (names == NULL || med == NULL ||
        !expect_kind(v, names, YNODE_SEQ, "network.regions.names")) {
        return 0;
    }
    k = names->n_items;
    if (k == 0 || k > 64) {
        err(v, names, "expected 1..64 region names");
        return 0;
    }
    for (size_t i = 0; i < k; i++) {
        if (!expect_kind(v, names->items[i], YNODE_SCALAR, "a region name")) {
            return 0;
        }
        list[i] = names->items[i]->value;
        for (size_t j = 0; j < i; j++) {
            if (strcmp(names->items[i]->value, names->items[j]->value) == 0) {
                err(v, names->items[i], "region '%s' is named twice", names->items[i]->value);
            }
        }
    }
    if (!expect_kind(v, med, YNODE_SEQ, "network.regions.median_ms")) {
        return 0;
    }
    if (med->n_items != k) {
        err(v, med, "network.regions.median_ms has %zu rows; expected %zu (one per region)",
            med->n_items, k);
        return 0;
    }
    sc->region_median_ms = alloc_or_oom(v, k * k, sizeof(double));
    if (sc->region_median_ms == NULL) {
        return 0;
    }
    for (size_t r = 0; r < k; r++) {
        const struct ynode *row = med->items[r];

        if (!expect_kind(v, row, YNODE_SEQ, "a row of network.regions.median_ms")) {
            continue;
        }
        if (row->n_items != k) {
            err(v, row, "this row of network.regions.median_ms has %zu entries; expected %zu",
                row->n_items, k);
            continue;
        }
        for (size_t s = 0; s < k; s++) {
            (void)ms_value(v, row->items[s], 0, 1e7, 0, "a median latency (ms)",
                           &sc->region_median_ms[r * k + s]);
        }
    }
    return k;
}

static void
check_regions(struct vctx *v, struct scenario *sc, const struct ynode *node)
{
    static const char *const keys[] = {"names", "assign", "median_ms", "preset", "intra_ms"};
    const struct ynode *assign = NULL;
    const char *list[64];
    char what[64] = "region";
    size_t k;

    if (!expect_kind(v, node, YNODE_MAP, "network.regions")) {
        return;
    }
    check_keys(v, node, keys, COUNT(keys), "network.regions");
    assign = ynode_map_get(node, "assign");
    if (ynode_map_get(node, "preset") != NULL) {
        k = check_region_preset(v, sc, node, list, what, sizeof(what));
    } else {
        k = check_region_matrix(v, sc, node, list);
    }
    if (k == 0 || v->n == 0) {
        return;
    }
    sc->party_region = alloc_or_oom(v, (size_t)v->n, sizeof(int));
    if (sc->party_region == NULL) {
        return;
    }
    if (assign == NULL ||
        (assign->kind == YNODE_SCALAR && strcmp(assign->value, "round_robin") == 0)) {
        for (int i = 0; i < v->n; i++) {
            sc->party_region[i] = (int)((size_t)i % k);
        }
    } else if (assign->kind == YNODE_SEQ) {
        if (assign->n_items != (size_t)v->n) {
            err(v, assign, "network.regions.assign lists %zu regions; expected one per party (%d)",
                assign->n_items, v->n);
            return;
        }
        for (int i = 0; i < v->n; i++) {
            const struct ynode *a = assign->items[i];
            int found_region = -1;

            for (size_t r = 0; a->kind == YNODE_SCALAR && r < k; r++) {
                if (strcmp(a->value, list[r]) == 0) {
                    found_region = (int)r;
                }
            }
            if (found_region < 0) {
                (void)enum_value(v, a, list, k, what);
                continue;
            }
            sc->party_region[i] = found_region;
        }
    } else {
        err(v, assign,
            "expected round_robin or a list of region names (one per party) for "
            "network.regions.assign");
        return;
    }
    sc->net.n_regions = (int)k;
    sc->net.party_region = sc->party_region;
    sc->net.region_median_ms = sc->region_median_ms;
}

/*
 * Regions with lognormal spread (sigma > 0): every median must be > 0 (a
 * lognormal has no 0 median) and the slowest link's tail within range.
 */
static void
check_region_sigma(struct vctx *v, const struct scenario *sc, const struct ynode *med,
                   const struct ynode *latency)
{
    size_t k = (size_t)sc->net.n_regions;
    double sigma = sc->net.latency.sigma;
    double max_ms = 0;

    for (size_t j = 0; j < k * k; j++) { /* also for a preset (med NULL) */
        max_ms = sc->region_median_ms[j] > max_ms ? sc->region_median_ms[j] : max_ms;
    }
    for (size_t r = 0; med != NULL && r < k && r < med->n_items; r++) {
        for (size_t c = 0; c < k && c < med->items[r]->n_items; c++) {
            double m = sc->region_median_ms[r * k + c];

            if (!(m > 0)) {
                err(v, med->items[r]->items[c],
                    "a median latency of 0 ms with network.latency.sigma %g: a lognormal "
                    "latency needs a median > 0 (or sigma 0 for fixed latencies)",
                    sigma);
            }
        }
    }
    check_tail(v, latency, max_ms * exp(SCENARIO_Z999 * sigma), "region (lognormal)");
}

struct listed_party {
    int id, group;
};

static int
listed_cmp(const void *a, const void *b)
{
    const struct listed_party *x = a;
    const struct listed_party *y = b;

    return (x->id > y->id) - (x->id < y->id);
}

/* The groups of one partition, stored sparsely (sim.h): only the listed parties. */
static void
check_partition_groups(struct vctx *v, struct sim_partition *sp, const struct ynode *groups)
{
    struct listed_party *all = NULL;
    int *listed = NULL;
    int *listed_group = NULL;
    size_t total = 0;
    size_t m = 0;

    for (size_t g = 0; g < groups->n_items; g++) {
        total += groups->items[g]->kind == YNODE_SEQ ? groups->items[g]->n_items : 0;
    }
    all = total > 0 ? alloc_or_oom(v, total, sizeof(*all)) : NULL;
    if (total > 0 && all == NULL) {
        return;
    }
    for (size_t g = 0; g < groups->n_items; g++) {
        int count = 0;
        int *ids = party_list(v, groups->items[g], "a partition group", &count);

        for (int j = 0; j < count && m < total; j++) {
            all[m].id = ids[j];
            all[m++].group = (int)g;
        }
        mpcsim_free(ids);
    }
    if (m > 0) {
        qsort(all, m, sizeof(*all), listed_cmp);
        for (size_t j = 1; j < m; j++) {
            if (all[j].id == all[j - 1].id) {
                err(v, groups->items[all[j].group], "party %d is in two groups of this partition",
                    all[j].id);
            }
        }
        listed = alloc_or_oom(v, m, sizeof(int));
        listed_group = alloc_or_oom(v, m, sizeof(int));
        if (listed == NULL || listed_group == NULL) {
            mpcsim_free(listed);
            mpcsim_free(listed_group);
            mpcsim_free(all);
            return;
        }
        for (size_t j = 0; j < m; j++) {
            listed[j] = all[j].id;
            listed_group[j] = all[j].group;
        }
    }
    mpcsim_free(all);
    sp->listed = listed;
    sp->listed_group = listed_group;
    sp->n_listed = (int)m;
}

static void
check_partitions(struct vctx *v, struct scenario *sc, const struct ynode *node)
{
    static const char *const keys[] = {"from_ms", "to_ms", "groups"};

    if (!expect_kind(v, node, YNODE_SEQ, "network.partitions") || v->n == 0) {
        return;
    }
    if (node->n_items == 0) {
        return;
    }
    sc->partitions = alloc_or_oom(v, node->n_items, sizeof(*sc->partitions));
    if (sc->partitions == NULL) {
        return;
    }
    for (size_t i = 0; i < node->n_items; i++) {
        const struct ynode *p = node->items[i];
        struct sim_partition *sp = &sc->partitions[i];
        const struct ynode *from = NULL;
        const struct ynode *to = NULL;
        const struct ynode *groups = NULL;
        double f = 0;
        double t = 0;

        sc->net.n_partitions = (int)i + 1; /* so destroy frees what is allocated */
        if (!expect_kind(v, p, YNODE_MAP, "a partition")) {
            continue;
        }
        check_keys(v, p, keys, COUNT(keys), "a partition");
        from = required(v, p, "from_ms", "a partition");
        to = required(v, p, "to_ms", "a partition");
        groups = required(v, p, "groups", "a partition");
        if (from != NULL) {
            (void)ms_value(v, from, 0, 1e12, 0, "partition from_ms", &f);
        }
        if (to != NULL && ms_value(v, to, 0, 1e12, 0, "partition to_ms", &t) && t <= f) {
            err(v, to, "partition to_ms (%g) must be after from_ms (%g)", t, f);
        }
        sp->from_ns = (int64_t)(f * 1e6);
        sp->to_ns = (int64_t)(t * 1e6);
        if (groups == NULL || !expect_kind(v, groups, YNODE_SEQ, "partition groups")) {
            continue;
        }
        if (groups->n_items < 1) {
            err(v, groups, "expected at least one group of parties");
            continue;
        }
        sp->rest = (int)groups->n_items; /* the implicit group of the parties not listed */
        check_partition_groups(v, sp, groups);
    }
    sc->net.partitions = sc->partitions;
}

static void
check_network(struct vctx *v, struct scenario *sc, const struct ynode *node)
{
    static const char *const keys[] = {"latency", "bandwidth_mbps", "transport", "loss",
                                       "regions", "partitions",     "sharing"};
    static const char *const sharings[] = {"fifo", "fair"};
    const struct ynode *p = NULL;

    if (!expect_kind(v, node, YNODE_MAP, "network")) {
        return;
    }
    check_keys(v, node, keys, COUNT(keys), "network");
    if ((p = ynode_map_get(node, "regions")) != NULL) {
        check_regions(v, sc, p);
    }
    if ((p = ynode_map_get(node, "latency")) != NULL) {
        check_latency(v, &sc->net, p, ynode_map_get(node, "regions") != NULL);
        if (sc->net.n_regions > 0 && sc->net.latency.sigma > 0) {
            check_region_sigma(v, sc, ynode_map_get(ynode_map_get(node, "regions"), "median_ms"),
                               p);
        }
    }
    if ((p = ynode_map_get(node, "bandwidth_mbps")) != NULL) {
        (void)double_value(v, p, 1e-3, 1e7, 0, "network.bandwidth_mbps (at least 1 kbit/s)",
                           &sc->net.bandwidth_mbps);
    }
    if ((p = ynode_map_get(node, "transport")) != NULL) {
        check_transport(v, &sc->net.transport, p);
    }
    if ((p = ynode_map_get(node, "loss")) != NULL) {
        (void)double_value(v, p, 0, 0.99, 0, "network.loss (a probability below 1)", &sc->net.loss);
    }
    if ((p = ynode_map_get(node, "partitions")) != NULL) {
        check_partitions(v, sc, p);
    }
    if ((p = ynode_map_get(node, "sharing")) != NULL) {
        int k = enum_value(v, p, sharings, 2, "network.sharing");

        if (k >= 0) {
            sc->net.sharing = (enum sim_sharing)k;
        }
    }
}

/*
 * profiles: [{parties: [ids] | {from, to}, uplink_mbps, downlink_mbps,
 * cpu_scale}] (sim.h struct sim_profile).  A party in two profiles is an
 * error at the second listing; parties not named keep the defaults.
 */
static void
check_profiles(struct vctx *v, struct scenario *sc, const struct ynode *node)
{
    static const char *const keys[] = {"parties", "uplink_mbps", "downlink_mbps", "cpu_scale"};
    static const char *const range_keys[] = {"from", "to"};

    if (!expect_kind(v, node, YNODE_SEQ, "profiles (a list of {parties, uplink_mbps, ...})") ||
        v->n == 0 || node->n_items == 0) {
        return;
    }
    if (node->n_items > (size_t)v->n) {
        err(v, node, "%zu profiles for %d parties: a party takes at most one profile",
            node->n_items, v->n);
        return;
    }
    sc->profiles = alloc_or_oom(v, node->n_items, sizeof(*sc->profiles));
    sc->party_profile = alloc_or_oom(v, (size_t)v->n, sizeof(int));
    if (sc->profiles == NULL || sc->party_profile == NULL) {
        return;
    }
    for (int i = 0; i < v->n; i++) {
        sc->party_profile[i] = -1;
    }
    sc->n_profiles = (int)node->n_items;
    for (size_t j = 0; j < node->n_items; j++) {
        const struct ynode *pn = node->items[j];
        struct sim_profile *pr = &sc->profiles[j];
        const struct ynode *p = NULL;
        const struct ynode *parties = NULL;
        int64_t from = 0, to = v->n - 1;
        int *ids = NULL;
        int count = 0;

        pr->uplink_mbps = SIM_PROFILE_NETWORK;
        pr->downlink_mbps = SIM_PROFILE_NETWORK;
        pr->cpu_scale = 1.0;
        if (!expect_kind(v, pn, YNODE_MAP, "a profile")) {
            continue;
        }
        check_keys(v, pn, keys, COUNT(keys), "a profile");
        if ((p = ynode_map_get(pn, "uplink_mbps")) != NULL) {
            (void)double_value(v, p, 1e-3, 1e7, 0, "a profile's uplink_mbps (at least 1 kbit/s)",
                               &pr->uplink_mbps);
        }
        if ((p = ynode_map_get(pn, "downlink_mbps")) != NULL) {
            (void)double_value(v, p, 1e-3, 1e7, 0, "a profile's downlink_mbps (at least 1 kbit/s)",
                               &pr->downlink_mbps);
        }
        if ((p = ynode_map_get(pn, "cpu_scale")) != NULL) {
            (void)double_value(v, p, 0, 1000, 1, "a profile's cpu_scale (cost-table multiplier)",
                               &pr->cpu_scale);
        }
        parties = required(v, pn, "parties", "a profile");
        if (parties == NULL) {
            continue;
        }
        if (parties->kind == YNODE_MAP) {
            const struct ynode *f = NULL;
            const struct ynode *t = NULL;
            char label[96];

            check_keys(v, parties, range_keys, COUNT(range_keys), "a profile's parties");
            f = required(v, parties, "from", "a profile's parties range");
            t = ynode_map_get(parties, "to");
            snprintf(label, sizeof(label), "a party id (parties are 0..%d)", v->n - 1);
            if (f == NULL || !int_value(v, f, 0, v->n - 1, label, &from) ||
                (t != NULL && !int_value(v, t, 0, v->n - 1, label, &to))) {
                continue;
            }
            if (to < from) {
                err(v, t, "a profile's parties range ends (%lld) before it starts (%lld)",
                    (long long)to, (long long)from);
                continue;
            }
        } else {
            ids = party_list(v, parties, "a profile's parties", &count);
            if (ids == NULL) {
                continue;
            }
        }
        for (int64_t q = 0; q < (ids != NULL ? count : to - from + 1); q++) {
            int id = ids != NULL ? ids[q] : (int)(from + q);
            const struct ynode *at = ids != NULL ? parties->items[q] : parties;

            if (sc->party_profile[id] >= 0) {
                err(v, at,
                    "party %d is in two profiles (%d and %zu, counting from 0); a party takes "
                    "one profile",
                    id, sc->party_profile[id], j);
                break;
            }
            sc->party_profile[id] = (int)j;
        }
        mpcsim_free(ids);
    }
}

/*
 * The N of `at: round N`: an exact integer in [0, 1000000] (no wrap).
 * Returns 1 when the text is "round <number>" (with *round = -1 and an
 * error when N is out of range), 0 when it is not that form.
 */
static int
dropout_round(struct vctx *v, const struct ynode *at, int64_t *round)
{
    struct ynode n = *at;
    mpcsim_i128 x = 0;
    char why[200];

    n.value = at->value + 6;
    if (!parse_int(&n, 0, 1000000, &x, why, sizeof(why))) {
        struct ynumber num;
        const char *reason = NULL;

        if (ynumber_parse(&num, &reason, &n) < 0) {
            return 0;
        }
        err(v, at,
            "expected 'round N' with N an integer in [0, 1000000] for faults.dropout.at, "
            "found '%s'%s",
            at->value, why);
        *round = -1;
        return 1;
    }
    *round = (int64_t)x;
    return 1;
}

static void
check_faults(struct vctx *v, struct scenario *sc, const struct ynode *node)
{
    static const char *const keys[] = {"crash", "dropout"};
    static const char *const crash_keys[] = {"party", "at_ms", "at_round"};
    static const char *const drop_keys[] = {"probability", "at"};
    const struct ynode *crash = NULL;
    const struct ynode *drop = NULL;

    if (!expect_kind(v, node, YNODE_MAP, "faults")) {
        return;
    }
    check_keys(v, node, keys, COUNT(keys), "faults");
    crash = ynode_map_get(node, "crash");
    if (crash != NULL && expect_kind(v, crash, YNODE_SEQ, "faults.crash") && v->n > 0 &&
        crash->n_items > 0) {
        sc->crashes = alloc_or_oom(v, crash->n_items, sizeof(*sc->crashes));
        for (size_t i = 0; sc->crashes != NULL && i < crash->n_items; i++) {
            const struct ynode *c = crash->items[i];
            const struct ynode *party = NULL;
            const struct ynode *at_ms = NULL;
            const struct ynode *at_round = NULL;
            struct sim_crash *sc_c = &sc->crashes[i];
            int64_t x = 0;

            sc_c->at_round = -1;
            if (!expect_kind(v, c, YNODE_MAP, "a crash")) {
                continue;
            }
            check_keys(v, c, crash_keys, COUNT(crash_keys), "a crash");
            party = required(v, c, "party", "a crash");
            if (party != NULL && int_value(v, party, 0, v->n - 1, "crash party", &x)) {
                sc_c->party = (int)x;
            }
            at_ms = ynode_map_get(c, "at_ms");
            at_round = ynode_map_get(c, "at_round");
            if ((at_ms == NULL) == (at_round == NULL)) {
                err(v, c, "a crash needs exactly one of 'at_ms' or 'at_round'");
                continue;
            }
            if (at_ms != NULL) {
                double ms = 0;

                if (ms_value(v, at_ms, 0, 1e12, 0, "crash at_ms", &ms)) {
                    sc_c->at_ns = (int64_t)(ms * 1e6);
                }
            } else if (int_value(v, at_round, 0, 1000000, "crash at_round", &x)) {
                sc_c->at_round = (int)x;
            }
        }
        sc->faults.crashes = sc->crashes;
        sc->faults.n_crashes = sc->crashes != NULL ? (int)crash->n_items : 0;
    }
    drop = ynode_map_get(node, "dropout");
    if (drop != NULL && expect_kind(v, drop, YNODE_MAP, "faults.dropout")) {
        const struct ynode *prob = NULL;
        const struct ynode *at = NULL;

        check_keys(v, drop, drop_keys, COUNT(drop_keys), "faults.dropout");
        prob = required(v, drop, "probability", "faults.dropout");
        if (prob != NULL) {
            (void)double_value(v, prob, 0, 1, 0, "faults.dropout.probability",
                               &sc->faults.dropout_probability);
        }
        sc->faults.dropout_at = SIM_DROPOUT_START;
        at = ynode_map_get(drop, "at");
        if (at != NULL) {
            int64_t round = -1;

            if (at->kind == YNODE_SCALAR && strcmp(at->value, "start") == 0) {
                sc->faults.dropout_at = SIM_DROPOUT_START;
            } else if (at->kind == YNODE_SCALAR && strcmp(at->value, "random") == 0) {
                sc->faults.dropout_at = SIM_DROPOUT_RANDOM;
            } else if (at->kind == YNODE_SCALAR && !at->quoted &&
                       strncmp(at->value, "round ", 6) == 0 && dropout_round(v, at, &round) != 0) {
                if (round >= 0) {
                    sc->faults.dropout_at = SIM_DROPOUT_ROUND;
                    sc->faults.dropout_round = (int)round;
                }
            } else {
                char buf[64];

                err(v, at,
                    "expected start, random or 'round N' (N >= 0) for faults.dropout.at, "
                    "found %s",
                    found(v, at, buf, sizeof(buf)));
            }
        }
    }
}

static void
check_adversary(struct vctx *v, struct scenario *sc, const struct ynode *node,
                const struct registry_entry *re)
{
    static const char *const keys[] = {"parties", "count", "behaviour", "delay_ms"};
    const char *names[SIM_BEHAVIOUR_COUNT];
    const struct ynode *parties = NULL;
    const struct ynode *count = NULL;
    const struct ynode *beh = NULL;
    const struct ynode *delay = NULL;
    int b;

    if (!expect_kind(v, node, YNODE_MAP, "adversary")) {
        return;
    }
    sc->has_adversary = 1;
    check_keys(v, node, keys, COUNT(keys), "adversary");
    parties = ynode_map_get(node, "parties");
    count = ynode_map_get(node, "count");
    if ((parties == NULL) == (count == NULL)) {
        err(v, node, "adversary needs exactly one of 'parties' (a list of ids) or 'count'");
    } else if (parties != NULL) {
        sc->adversary.parties =
            party_list(v, parties, "adversary.parties", &sc->adversary.n_parties);
    } else if (v->n > 0) {
        int64_t x = 0;

        if (int_value(v, count, 0, v->n - 1, "adversary.count (corrupted parties)", &x)) {
            sc->adversary.count = (int)x;
        }
    }
    beh = required(v, node, "behaviour", "adversary");
    names[0] = NULL; /* "honest" is not a behaviour one can ask for */
    for (int i = 1; i < SIM_BEHAVIOUR_COUNT; i++) {
        names[i] = sim_behaviour_name((enum sim_behaviour)i);
    }
    if (beh == NULL) {
        return;
    }
    b = enum_value(v, beh, names, SIM_BEHAVIOUR_COUNT, "adversary behaviour");
    if (b < 0) {
        return;
    }
    sc->adversary.behaviour = (enum sim_behaviour)b;
    if (re != NULL && !(re->behaviours & (1u << b))) {
        char list[200] = "";

        for (int i = 1; i < SIM_BEHAVIOUR_COUNT; i++) {
            size_t used = strlen(list);

            if (re->behaviours & (1u << i)) {
                snprintf(list + used, sizeof(list) - used, "%s%s", used ? ", " : "", names[i]);
            }
        }
        err(v, beh, "behaviour %s means nothing for protocol %s (it has: %s)", names[b], re->kind,
            list);
    }
    delay = ynode_map_get(node, "delay_ms");
    if (b == SIM_DELAY) {
        sc->adversary.delay_ms = 1000;
        if (delay != NULL) {
            (void)ms_value(v, delay, 0, 1e9, 0, "adversary.delay_ms", &sc->adversary.delay_ms);
        }
    } else if (delay != NULL) {
        err(v, delay, "'delay_ms' applies to behaviour delay only, not %s", names[b]);
    }
}

static void
check_cost_map(struct vctx *v, struct scenario *sc, const struct ynode *map, const char *what)
{
    const char *names[SIM_OP_COUNT];

    for (int i = 0; i < SIM_OP_COUNT; i++) {
        names[i] = sim_op_name((enum sim_op)i);
    }
    if (!expect_kind(v, map, YNODE_MAP, what)) {
        return;
    }
    check_keys(v, map, names, SIM_OP_COUNT, what);
    for (int i = 0; i < SIM_OP_COUNT; i++) {
        const struct ynode *p = ynode_map_get(map, names[i]);
        char label[96];

        snprintf(label, sizeof(label), "%s.%s (ns per operation)", what, names[i]);
        if (p != NULL) {
            (void)double_value(v, p, 0, 1e9, 0, label, &sc->cost_ns[i]);
        }
    }
}

static void
check_cost_model(struct vctx *v, struct scenario *sc, const struct ynode *node,
                 const char *base_dir)
{
    struct ynode *tree = NULL;
    char path[4096];
    char *name = NULL;
    int rc;

    if (node->kind == YNODE_MAP) {
        check_cost_map(v, sc, node, "cost_model");
        return;
    }
    if (!expect_kind(v, node, YNODE_SCALAR, "cost_model (a file or a mapping)")) {
        return;
    }
    if (node->value[0] == '/' || base_dir == NULL) {
        snprintf(path, sizeof(path), "%s", node->value);
    } else {
        snprintf(path, sizeof(path), "%s/%s", base_dir, node->value);
    }
    /* The name outlives this call in the diagnostics only, which copy it. */
    name = dup_or_oom(v, path);
    if (name == NULL) {
        return;
    }
    rc = ytree_load_foreign(&tree, path, name, v->d);
    if (rc == MPCSIM_EIO) {
        err(v, node, "cannot read cost_model file '%s'", path);
    } else if (rc < 0) {
        v->errors++;
    } else if (tree == NULL) {
        err(v, node, "cost_model file '%s' is empty", path);
    } else {
        v->quiet_values = 1;
        check_cost_map(v, sc, tree, "cost_model");
        v->quiet_values = 0;
    }
    ynode_free(tree);
    mpcsim_free(name);
}

/*
 * The range of a distribution's inputs: uniform, its bounds; the others,
 * their 10^-9 and 1 - 10^-9 quantiles (as input_tail).  0 when out of the
 * field (input_tail has reported it).
 */
static int
input_range(const struct scenario_inputs *in, double lim, mpcsim_i128 *lo, mpcsim_i128 *hi)
{
    double a = 0;
    double b = 0;

    switch (in->kind) {
    case SCENARIO_INPUT_UNIFORM:
        *lo = in->imin;
        *hi = in->imax;
        return 1;
    case SCENARIO_INPUT_NORMAL:
        a = in->mean - SCENARIO_Z_1E9 * in->sd;
        b = in->mean + SCENARIO_Z_1E9 * in->sd;
        break;
    case SCENARIO_INPUT_LOGNORMAL:
        b = exp(in->zeta + SCENARIO_Z_1E9 * in->sigma);
        break;
    case SCENARIO_INPUT_PARETO:
        b = in->b * pow(1e9, 1.0 / in->a);
        break;
    case SCENARIO_INPUT_EXPONENTIAL:
        b = in->mean * log(1e9);
        break;
    default:
        return 0;
    }
    if (!(fabs(a) < lim) || !(fabs(b) < lim)) {
        return 0;
    }
    *lo = (mpcsim_i128)nearbyint(a);
    *hi = (mpcsim_i128)nearbyint(b);
    return 1;
}

/*
 * The result must fit the field, as the run checks it (runner.c): for
 * fixed values, exactly; for a distribution, with every input at either
 * end of its range (input_range), so that a run fails at most once in
 * 10^9 draws.
 */
static void
check_result_range(struct vctx *v, const struct scenario *sc, const struct ynode *in)
{
    size_t n = (size_t)v->n;
    size_t len = sc->inputs.length;
    const mpcsim_i128 **rows = NULL;
    mpcsim_i128 *bound = NULL;
    mpcsim_i128 *out = NULL;
    uint8_t *included = NULL; /* secagg: the server's input (party 0) is not summed */
    int secagg = strcmp(sc->protocol.kind, "secagg") == 0;
    int bad = 0;

    mpcsim_i128 lo = 0;
    mpcsim_i128 hi = 0;

    if (in == NULL) {
        return;
    }
    if (sc->inputs.kind != SCENARIO_INPUT_VALUES &&
        !input_range(&sc->inputs, (double)sc->comp.max_abs, &lo, &hi)) {
        return;
    }
    rows = alloc_or_oom(v, n, sizeof(*rows));
    out = alloc_or_oom(v, computation_raw_len(&sc->comp) + 1,
                       sizeof(*out)); /* raw: variance has 2L */
    bound = sc->inputs.kind != SCENARIO_INPUT_VALUES ? alloc_or_oom(v, len, sizeof(*bound)) : NULL;
    included = secagg ? alloc_or_oom(v, n, sizeof(*included)) : NULL;
    if (rows == NULL || out == NULL ||
        (sc->inputs.kind != SCENARIO_INPUT_VALUES && bound == NULL) ||
        (secagg && included == NULL)) {
        goto out;
    }
    for (size_t i = 1; included != NULL && i < n; i++) {
        included[i] = 1;
    }
    if (sc->inputs.kind == SCENARIO_INPUT_VALUES) {
        for (size_t i = 0; i < n; i++) {
            rows[i] = &sc->inputs.values[i * len];
        }
        /* Only MPCSIM_ERANGE is this check's: a shape the computation does
         * not take (vector inputs to a comparison) has its own error. */
        bad = computation_expected(out, &sc->comp, v->n, rows, included) == MPCSIM_ERANGE;
    } else {
        for (int side = 0; side < 2 && !bad; side++) {
            for (size_t k = 0; k < len; k++) {
                bound[k] = side == 0 ? hi : lo;
            }
            for (size_t i = 0; i < n; i++) {
                rows[i] = bound;
            }
            bad = computation_expected(out, &sc->comp, v->n, rows, included) == MPCSIM_ERANGE;
        }
    }
    if (bad) {
        err(v, in,
            "the %s of these inputs over %zu parties leaves %s (|x| < %s); use "
            "smaller inputs or fewer parties%s",
            computation_name(sc->comp.kind), secagg ? n - 1 : n,
            is_paillier(sc) ? "the range protocol paillier takes"
            : secagg        ? "the range protocol secagg takes (its clients' sum)"
                            : "the field's range",
            field_range_text(sc),
            sc->protocol.field == FIELD_M61 && sc->protocol.field_applies
                ? ", or protocol.field: m127 (|x| < 2^126)"
                : "");
    }
out:
    mpcsim_free(rows);
    mpcsim_free(bound);
    mpcsim_free(out);
    mpcsim_free(included);
}

/*
 * Comparisons: where the scenario's values decide it, a compared quantity
 * outside |q| < 2^(l-1) is an error here (max, second_price, median: every
 * input within |x| < 2^(l-2); sum_threshold: |sum - T| < 2^(l-1)).  For
 * distributions the parties check their own inputs at run time (abort).
 */
static void
check_comparison_range(struct vctx *v, const struct scenario *sc, const struct ynode *in)
{
    const struct scenario_protocol *sp = &sc->protocol;
    int ell = sp->comparison_bits > 0 ? sp->comparison_bits : 64;
    mpcsim_i128 half = (mpcsim_i128)1 << (ell - 1);
    mpcsim_i128 sum = 0;

    if (in == NULL || !computation_is_comparison(sc->comp.kind) ||
        sc->inputs.kind != SCENARIO_INPUT_VALUES || sc->inputs.values == NULL ||
        sc->inputs.length != 1 || ell < 3 || ell > 120) {
        return;
    }
    for (int i = 0; i < v->n; i++) {
        mpcsim_i128 x = sc->inputs.values[i];

        if (sc->comp.kind != COMPUTATION_SUM_THRESHOLD && (x >= half / 2 || x <= -half / 2)) {
            char val[COMPUTATION_FORMAT_MAX];

            (void)computation_format_int(val, sizeof(val), x);
            err(v, in,
                "party %d's input %s is outside the comparison range |x| < 2^%d "
                "(comparison_bits %d: comparing two values needs one bit more)",
                i, val, ell - 2, ell);
            return;
        }
        if (__builtin_add_overflow(sum, x, &sum)) {
            err(v, in, "the sum of these inputs leaves the 128-bit range");
            return;
        }
    }
    if (sc->comp.kind == COMPUTATION_SUM_THRESHOLD &&
        (sum >= sc->comp.threshold + half || sum <= sc->comp.threshold - half)) {
        /* |sum - T| < 2^(l-1) on both sides: LTZ of -2^(l-1) is not a bit. */
        err(v, in,
            "sum - threshold is outside the comparison range |sum - T| < 2^%d (comparison_bits "
            "%d); raise comparison_bits (<= 85 in field m127)",
            ell - 1, ell);
    }
}

/* Cross-section checks once every section has been read. */
static void
check_combinations(struct vctx *v, struct scenario *sc, const struct ynode *root,
                   const struct registry_entry *re)
{
    const struct ynode *proto = ynode_map_get(root, "protocol");
    const struct ynode *comp = ynode_map_get(root, "computation");
    const struct ynode *at = comp != NULL ? comp : (proto != NULL ? proto : root);

    if (v->n == 0 || re == NULL) {
        return;
    }
    if (sc->comp.kind == COMPUTATION_DOT_PRODUCT && sc->inputs.kind == SCENARIO_INPUT_VALUES &&
        sc->inputs.values == NULL) {
        return;
    }
    if (re->proto == NULL) {
        err(v, ynode_map_get(proto, "kind"),
            "protocol %s is not part of this build yet (available: toy for tests)", re->kind);
        return;
    }
    check_result_range(v, sc, ynode_map_get(root, "inputs"));
    check_comparison_range(v, sc, ynode_map_get(root, "inputs"));
    if (re->unsupported != NULL) {
        const char *why = re->unsupported(sc);

        if (why != NULL) {
            err(v, at, "%s", why);
        }
    }
    if (sc->has_adversary && sc->adversary.parties != NULL) {
        for (int i = 0; i < sc->adversary.n_parties; i++) {
            for (int j = 0; j < sc->faults.n_crashes; j++) {
                (void)j; /* a corrupted party may also crash: allowed */
            }
        }
    }
}

/* see scenario.h */
int
scenario_from_tree(struct scenario **out, const struct ynode *root, const char *file,
                   const char *base_dir, struct diag *d)
{
    static const char *const keys[] = {"name",    "description",     "seed",        "trials",
                                       "parties", "inputs",          "computation", "protocol",
                                       "network", "faults",          "adversary",   "cost_model",
                                       "sweep",   "max_sim_time_ms", "streams",     "profiles"};
    struct vctx v = {d, 0, 0, 0, 0};
    struct scenario *sc = NULL;
    const struct registry_entry *re = NULL;
    const struct ynode *node = NULL;
    int64_t x = 0;
    int rc = 0;

    sc = mpcsim_calloc(1, sizeof(*sc));
    if (sc == NULL) {
        return MPCSIM_ENOMEM;
    }
    sc->file = file;
    sc->seed = 1;
    sc->trials = 1;
    sc->comp.length = 1;
    sc->net.transport.kind = SIM_TRANSPORT_TCP;
    sc->net.transport.mss = 1460;
    sc->net.transport.header_bytes = 40;
    sc->net.transport.window_bytes = 6291456; /* Linux's tcp_rmem maximum */
    sc->net.transport.initial_window_segments = 10;
    sc->net.transport.slow_start_after_idle = 1;
    sc->net.transport.rto_ms = 200;
    sc->net.transport.rto_max_ms = 60000;
    sc->net.transport.connection_timeout_ms = 30000;
    sc->max_sim_time_ms = 3.6e6;
    memcpy(sc->cost_ns, sim_cost_default, sizeof(sc->cost_ns));
    if (root == NULL) {
        diag_error(d, file, 1, 1,
                   "empty scenario: expected a mapping with at least name, parties, inputs and "
                   "protocol");
        rc = MPCSIM_EPARSE;
        goto out;
    }
    if (!expect_kind(&v, root, YNODE_MAP, "the scenario (name, parties, inputs, protocol, ...)")) {
        rc = MPCSIM_EPARSE;
        goto out;
    }
    check_keys(&v, root, keys, COUNT(keys), "the scenario");
    if ((node = required(&v, root, "name", "the scenario")) != NULL &&
        expect_kind(&v, node, YNODE_SCALAR, "name")) {
        sc->name = dup_or_oom(&v, node->value);
    }
    if ((node = ynode_map_get(root, "description")) != NULL &&
        expect_kind(&v, node, YNODE_SCALAR, "description")) {
        sc->description = dup_or_oom(&v, node->value);
    }
    if ((node = ynode_map_get(root, "seed")) != NULL) {
        mpcsim_i128 s = 0;
        char why[200];

        if (!parse_int(node, 0, (mpcsim_i128)UINT64_MAX, &s, why, sizeof(why))) {
            char buf[64];

            err(&v, node, "expected an unsigned 64-bit integer for seed, found %s%s",
                found(&v, node, buf, sizeof(buf)), why);
        } else {
            sc->seed = (uint64_t)s;
        }
    }
    if ((node = ynode_map_get(root, "trials")) != NULL &&
        int_value(&v, node, 1, SCENARIO_MAX_TRIALS, "trials", &x)) {
        sc->trials = (int)x;
    }
    if ((node = required(&v, root, "parties", "the scenario")) != NULL &&
        int_value(&v, node, 2, SIM_MAX_PARTIES, "parties", &x)) {
        sc->parties = (int)x;
        v.n = (int)x;
    }
    if ((node = ynode_map_get(root, "max_sim_time_ms")) != NULL) {
        (void)ms_value(&v, node, 0, 1e12, 1, "max_sim_time_ms", &sc->max_sim_time_ms);
    }
    if ((node = ynode_map_get(root, "streams")) != NULL) {
        static const char *const streams[] = {"common", "independent"};
        int k = enum_value(&v, node, streams, COUNT(streams), "streams");

        sc->streams_independent = k == 1;
    }
    prescan_field(sc, root);
    if ((node = required(&v, root, "inputs", "the scenario")) != NULL) {
        check_inputs(&v, sc, node);
    }
    sc->comp.length = sc->inputs.length;
    if ((node = ynode_map_get(root, "computation")) != NULL) {
        check_computation(&v, sc, node);
    }
    if (sc->comp.kind == COMPUTATION_DOT_PRODUCT && v.n > 0 && v.n < 2) {
        err(&v, root, "dot_product needs at least 2 parties");
    }
    if ((node = required(&v, root, "protocol", "the scenario")) != NULL) {
        re = check_protocol(&v, sc, node);
    }
    if ((node = ynode_map_get(root, "network")) != NULL) {
        check_network(&v, sc, node);
    }
    if ((node = ynode_map_get(root, "profiles")) != NULL) {
        check_profiles(&v, sc, node);
    }
    if ((node = ynode_map_get(root, "faults")) != NULL) {
        check_faults(&v, sc, node);
    }
    if ((node = ynode_map_get(root, "adversary")) != NULL) {
        check_adversary(&v, sc, node, re);
    }
    if ((node = ynode_map_get(root, "cost_model")) != NULL) {
        check_cost_model(&v, sc, node, base_dir);
    }
    if ((node = ynode_map_get(root, "sweep")) != NULL) {
        (void)expect_kind(&v, node, YNODE_MAP, "sweep (dotted key: list of values)");
    }
    if (v.errors == 0 && !v.oom) {
        check_combinations(&v, sc, root, re);
    }
    if (v.oom) {
        rc = MPCSIM_ENOMEM;
    } else if (v.errors > 0) {
        rc = MPCSIM_EPARSE;
    }
out:
    if (rc < 0) {
        scenario_destroy(sc);
        return rc;
    }
    *out = sc;
    return 0;
}

/* see scenario.h */
void
scenario_destroy(struct scenario *sc)
{
    if (sc == NULL) {
        return;
    }
    mpcsim_free(sc->name);
    mpcsim_free(sc->description);
    mpcsim_free(sc->inputs.values);
    mpcsim_free(sc->weights);
    mpcsim_free(sc->party_region);
    mpcsim_free(sc->region_median_ms);
    mpcsim_free(sc->profiles);
    mpcsim_free(sc->party_profile);
    if (sc->partitions != NULL) {
        for (int i = 0; i < sc->net.n_partitions; i++) {
            /* Owned here; const in the engine's view (sim.h). */
            mpcsim_free((void *)(uintptr_t)sc->partitions[i].listed);
            mpcsim_free((void *)(uintptr_t)sc->partitions[i].listed_group);
        }
    }
    mpcsim_free(sc->partitions);
    mpcsim_free(sc->crashes);
    mpcsim_free(sc->adversary.parties);
    mpcsim_free(sc);
}

/* ------------------------------------------------------------------ */

/* see scenario.h */
int
scenario_tree_set(struct ynode *root, const char *path, struct ynode *value, struct diag *d)
{
    char buf[256];
    char *seg = NULL;
    char *dot = NULL;
    struct ynode *map = root;

    if (strlen(path) >= sizeof(buf) || path[0] == '\0' || root == NULL || root->kind != YNODE_MAP) {
        diag_error(d, value->file, value->line, value->col, "cannot set '%s' here", path);
        ynode_free(value);
        return MPCSIM_EPARSE;
    }
    snprintf(buf, sizeof(buf), "%s", path);
    seg = buf;
    while ((dot = strchr(seg, '.')) != NULL) {
        struct ynode *next = NULL;

        *dot = '\0';
        if (seg[0] == '\0') {
            diag_error(d, value->file, value->line, value->col, "empty key in path '%s'", path);
            ynode_free(value);
            return MPCSIM_EPARSE;
        }
        next = ynode_map_get(map, seg);
        if (next == NULL) {
            struct ynode *fresh = ynode_new(YNODE_MAP, value->file, value->line, value->col, NULL);

            if (fresh == NULL) {
                ynode_free(value);
                return MPCSIM_ENOMEM;
            }
            if (ynode_map_set(map, seg, fresh) < 0) {
                ynode_free(value);
                return MPCSIM_ENOMEM;
            }
            next = fresh;
        } else if (next->kind == YNODE_SCALAR &&
                   (strcmp(seg, "computation") == 0 || strcmp(seg, "transport") == 0)) {
            /* `computation: sum` + `computation.weights`: promote to {kind: sum}. */
            struct ynode *fresh = ynode_new(YNODE_MAP, next->file, next->line, next->col, NULL);
            struct ynode *kind = ynode_clone(next);

            if (fresh == NULL || kind == NULL || ynode_map_set(fresh, "kind", kind) < 0 ||
                ynode_map_set(map, seg, fresh) < 0) {
                ynode_free(value);
                return MPCSIM_ENOMEM;
            }
            next = fresh;
        } else if (next->kind != YNODE_MAP) {
            diag_error(d, value->file, value->line, value->col,
                       "cannot set '%s': '%s' is not a mapping (set at %s:%zu:%zu)", path, seg,
                       next->file, next->line, next->col);
            ynode_free(value);
            return MPCSIM_EPARSE;
        }
        map = next;
        seg = dot + 1;
    }
    if (seg[0] == '\0') {
        diag_error(d, value->file, value->line, value->col, "empty key in path '%s'", path);
        ynode_free(value);
        return MPCSIM_EPARSE;
    }
    return ynode_map_set(map, seg, value);
}

/* see scenario.h */
int
scenario_tree_set_arg(struct ynode *root, const char *arg, const char *origin, struct diag *d)
{
    const char *eq = strchr(arg, '=');
    struct ynode *value = NULL;
    char key[256];
    int rc;

    if (eq == NULL || eq == arg || (size_t)(eq - arg) >= sizeof(key)) {
        diag_error(d, origin, 0, 0, "expected KEY=VALUE (e.g. network.latency.ms=30)");
        return MPCSIM_EPARSE;
    }
    memcpy(key, arg, (size_t)(eq - arg));
    key[eq - arg] = '\0';
    rc = ytree_load_string(&value, eq + 1, strlen(eq + 1), origin, d);
    if (rc < 0) {
        return rc;
    }
    if (value == NULL) {
        diag_error(d, origin, 0, 0, "no value after '=' for %s", key);
        return MPCSIM_EPARSE;
    }
    return scenario_tree_set(root, key, value, d);
}

/* see scenario.h */
int
scenario_sweep_read(struct scenario_sweep *sw, const struct ynode *root, struct diag *d)
{
    const struct ynode *sweep = ynode_map_get(root, "sweep");
    int bad = 0;

    memset(sw, 0, sizeof(*sw));
    sw->n_points = 1;
    if (sweep == NULL) {
        return 0;
    }
    if (sweep->kind != YNODE_MAP) {
        diag_error(d, sweep->file, sweep->line, sweep->col,
                   "expected a mapping (dotted key: list of values) for sweep");
        return MPCSIM_EPARSE;
    }
    sw->n_keys = ynode_len(sweep);
    if (sw->n_keys == 0) {
        return 0;
    }
    sw->keys = mpcsim_calloc(sw->n_keys, sizeof(*sw->keys));
    sw->lists = mpcsim_calloc(sw->n_keys, sizeof(*sw->lists));
    if (sw->keys == NULL || sw->lists == NULL) {
        scenario_sweep_clear(sw);
        return MPCSIM_ENOMEM;
    }
    for (size_t k = 0; k < sw->n_keys; k++) {
        const struct ynode *key = sweep->items[2 * k];
        const struct ynode *list = sweep->items[2 * k + 1];

        sw->keys[k] = key->value;
        sw->lists[k] = list;
        if (strcmp(key->value, "sweep") == 0 || strncmp(key->value, "sweep.", 6) == 0) {
            diag_error(d, key->file, key->line, key->col, "a sweep cannot sweep itself");
            bad = 1;
            continue;
        }
        if (list->kind != YNODE_SEQ || list->n_items == 0) {
            diag_error(d, list->file, list->line, list->col,
                       "expected a non-empty list of values for sweep key '%s'", key->value);
            bad = 1;
            continue;
        }
        if (sw->n_points > SCENARIO_MAX_SWEEP_POINTS / list->n_items) {
            diag_error(d, list->file, list->line, list->col, "the sweep has more than %d points",
                       SCENARIO_MAX_SWEEP_POINTS);
            bad = 1;
            continue;
        }
        sw->n_points *= list->n_items;
    }
    if (bad) {
        scenario_sweep_clear(sw);
        return MPCSIM_EPARSE;
    }
    return 0;
}

/* see scenario.h */
void
scenario_sweep_clear(struct scenario_sweep *sw)
{
    mpcsim_free(sw->keys);
    mpcsim_free(sw->lists);
    memset(sw, 0, sizeof(*sw));
    sw->n_points = 1;
}

/* Index into key k's list for point idx (the last key varies fastest). */
static size_t
sweep_index(const struct scenario_sweep *sw, size_t k, size_t idx)
{
    for (size_t j = sw->n_keys; j-- > k + 1;) {
        idx /= sw->lists[j]->n_items;
    }
    return idx % sw->lists[k]->n_items;
}

/* see scenario.h */
int
scenario_sweep_point(struct ynode **out, const struct ynode *root, const struct scenario_sweep *sw,
                     size_t idx, struct diag *d)
{
    /* A point is a plain scenario: the copy leaves `sweep` out. */
    struct ynode *copy = ynode_clone_without(root, "sweep");

    if (copy == NULL) {
        return MPCSIM_ENOMEM;
    }
    for (size_t k = 0; k < sw->n_keys; k++) {
        const struct ynode *val = sw->lists[k]->items[sweep_index(sw, k, idx)];
        struct ynode *vc = ynode_clone(val);
        int rc;

        if (vc == NULL) {
            ynode_free(copy);
            return MPCSIM_ENOMEM;
        }
        rc = scenario_tree_set(copy, sw->keys[k], vc, d);
        if (rc < 0) {
            ynode_free(copy);
            return rc;
        }
    }
    *out = copy;
    return 0;
}

/* Whether dotted path a is b or a prefix of it at a dot ("protocol" of "protocol.kind"). */
static int
path_covers(const char *a, const char *b)
{
    size_t n = strlen(a);

    return strncmp(a, b, n) == 0 && (b[n] == '\0' || b[n] == '.');
}

/* see scenario.h */
void
scenario_sweep_work_clear(struct scenario_sweep_work *w)
{
    if (w->parents != NULL) {
        for (size_t k = 0; k < w->n_keys; k++) {
            if (w->parents[k] != NULL) {
                w->parents[k]->items[w->index[k]] = w->saved[k]; /* give back the placeholder */
            }
        }
    }
    ynode_free(w->tree);
    ynode_free(w->point);
    mpcsim_free(w->parents);
    mpcsim_free(w->index);
    mpcsim_free(w->saved);
    memset(w, 0, sizeof(*w));
}

/* see scenario.h */
int
scenario_sweep_work_init(struct scenario_sweep_work *w, const struct ynode *root,
                         const struct scenario_sweep *sw, struct diag *d)
{
    int rc = 0;

    memset(w, 0, sizeof(*w));
    w->root = root;
    if (root == NULL || sw->n_keys == 0) {
        return 0; /* nothing swept: the caller uses root */
    }
    w->tree = ynode_clone_without(root, "sweep");
    if (w->tree == NULL) {
        return MPCSIM_ENOMEM;
    }
    for (size_t a = 0; a < sw->n_keys; a++) {
        for (size_t b = 0; b < sw->n_keys; b++) {
            w->clone_each |= a != b && path_covers(sw->keys[a], sw->keys[b]);
        }
    }
    if (w->clone_each) {
        return 0; /* nested keys: each point is a copy (scenario_sweep_point) */
    }
    w->n_keys = sw->n_keys;
    w->parents = mpcsim_calloc(sw->n_keys, sizeof(*w->parents));
    w->index = mpcsim_calloc(sw->n_keys, sizeof(*w->index));
    w->saved = mpcsim_calloc(sw->n_keys, sizeof(*w->saved));
    if (w->parents == NULL || w->index == NULL || w->saved == NULL) {
        scenario_sweep_work_clear(w);
        return MPCSIM_ENOMEM;
    }
    /* A placeholder at each swept path (creating the maps on the way)... */
    for (size_t k = 0; k < sw->n_keys && rc == 0; k++) {
        const struct ynode *l = sw->lists[k];
        struct ynode *ph = ynode_new(YNODE_SCALAR, l->file, l->line, l->col, "~");

        rc = ph == NULL ? MPCSIM_ENOMEM : scenario_tree_set(w->tree, sw->keys[k], ph, d);
    }
    /* ...then, with the tree's shape final, the slot of each. */
    for (size_t k = 0; k < sw->n_keys && rc == 0; k++) {
        char buf[256];
        char *seg = buf;
        char *dot = NULL;
        struct ynode *map = w->tree;

        snprintf(buf, sizeof(buf), "%s", sw->keys[k]);
        while ((dot = strchr(seg, '.')) != NULL) {
            *dot = '\0';
            map = ynode_map_get(map, seg);
            seg = dot + 1;
        }
        MPCSIM_ASSERT(map != NULL && map->kind == YNODE_MAP);
        for (size_t i = 0; i + 1 < map->n_items; i += 2) {
            if (strcmp(map->items[i]->value, seg) == 0) {
                w->parents[k] = map;
                w->index[k] = i + 1;
                w->saved[k] = map->items[i + 1];
            }
        }
        MPCSIM_ASSERT(w->parents[k] != NULL);
    }
    if (rc < 0) {
        scenario_sweep_work_clear(w);
    }
    return rc;
}

/* see scenario.h */
int
scenario_sweep_work_point(const struct ynode **out, struct scenario_sweep_work *w,
                          const struct scenario_sweep *sw, size_t idx, struct diag *d)
{
    if (w->clone_each) {
        int rc;

        ynode_free(w->point);
        w->point = NULL;
        rc = scenario_sweep_point(&w->point, w->root, sw, idx, d);
        *out = w->point;
        return rc;
    }
    for (size_t k = 0; k < w->n_keys; k++) {
        /* Borrowed from the sweep list; scenario_sweep_work_clear puts the placeholder back. */
        w->parents[k]->items[w->index[k]] =
            (struct ynode *)sw->lists[k]->items[sweep_index(sw, k, idx)];
    }
    *out = w->tree;
    return 0;
}

/* A growing string. */
struct sbuf {
    char *s;
    size_t len, cap;
    int oom;
};

static void
sb_put(struct sbuf *b, const char *s, size_t n)
{
    if (b->oom) {
        return;
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap == 0 ? 64 : b->cap;
        char *bigger = NULL;

        while (cap < b->len + n + 1) {
            cap *= 2;
        }
        bigger = mpcsim_realloc(b->s, cap);
        if (bigger == NULL) {
            b->oom = 1;
            return;
        }
        b->s = bigger;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void
sb_str(struct sbuf *b, const char *s)
{
    sb_put(b, s, strlen(s));
}

/* A scalar that reads back as the same plain scalar: [A-Za-z0-9._+/-] and UTF-8. */
static int
plain_safe(const struct ynode *node)
{
    const unsigned char *c = (const unsigned char *)node->value;

    if (node->quoted || *c == '\0' || strcmp(node->value, "-") == 0) {
        return 0;
    }
    for (; *c != '\0'; c++) {
        if (!(*c >= 0x80 || (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
              (*c >= '0' && *c <= '9') || strchr("._+-/", *c) != NULL)) {
            return 0;
        }
    }
    return 1;
}

static void
canonical(struct sbuf *b, const struct ynode *node)
{
    if (node->kind == YNODE_SCALAR) {
        if (plain_safe(node)) {
            sb_str(b, node->value);
            return;
        }
        sb_put(b, "\"", 1);
        for (const unsigned char *c = (const unsigned char *)node->value; *c != '\0'; c++) {
            char esc[8];

            if (*c == '"' || *c == '\\') {
                snprintf(esc, sizeof(esc), "\\%c", *c);
            } else if (*c < 0x20 || *c == 0x7f) {
                snprintf(esc, sizeof(esc), "\\x%02x", *c);
            } else {
                esc[0] = (char)*c;
                esc[1] = '\0';
            }
            sb_str(b, esc);
        }
        sb_put(b, "\"", 1);
        return;
    }
    sb_str(b, node->kind == YNODE_SEQ ? "[" : "{");
    for (size_t i = 0; i < node->n_items; i++) {
        if (i > 0) {
            sb_str(b, node->kind == YNODE_MAP && i % 2 ? ": " : ", ");
        }
        canonical(b, node->items[i]);
    }
    sb_str(b, node->kind == YNODE_SEQ ? "]" : "}");
}

/* see scenario.h */
char *
scenario_node_text(const struct ynode *node)
{
    struct sbuf b = {NULL, 0, 0, 0};

    canonical(&b, node);
    if (b.oom) {
        mpcsim_free(b.s);
        return NULL;
    }
    return b.s;
}

/* see scenario.h */
char *
scenario_sweep_value(const struct scenario_sweep *sw, size_t k, size_t idx)
{
    return scenario_node_text(sw->lists[k]->items[sweep_index(sw, k, idx)]);
}
