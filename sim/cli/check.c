/* SPDX-License-Identifier: MIT */
/*
 * sim/cli/check.c - `mpcsim check`: run scenarios, compare their rows with
 * committed baselines.
 *
 * The rows come from `mpcsim sweep SCENARIO --quiet --csv TMP` run in
 * this process (cli_sweep), so a baseline is exactly a sweep's CSV and the
 * loader, runner, threads and writers are the ones every command uses.
 * Both sides are read back with the one CSV splitter (cli_csv_split) and
 * compared as text: the writers are deterministic, so exact means equal
 * bytes, and no integer passes through a double (only --tolerance, an
 * approximate comparison by definition, and the printed change % do).
 *
 * Rows are matched by (sweep.* values, trial); each side is in sweep
 * order, so the match is tried at the same index first (linear overall
 * for unchanged grids).
 */
#define _POSIX_C_SOURCE 200809L
#include "sim/cli/check.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/alloc.h"
#include "common/escape.h"
#include "common/mpcsim.h"
#include "sim/cli/commands.h"
#include "sim/cli/diag.h"
#include "sim/cli/outfile.h"
#include "sim/cli/ytree.h"

#define CHECK_MAX_COLS 256
#define CHECK_MAX_TOL 64
#define CHECK_MAX_LINES 25                       /* diff lines printed per scenario */
#define CHECK_MAX_KINDS (2 * CHECK_MAX_COLS + 2) /* kinds of difference: see same_kind */
#define CHECK_META "# mpcsim-check baseline:"

struct check_tol {
    const char *col;
    double pct;
    int used;
};

struct check_opts {
    const char *dir;
    struct check_tol tol[CHECK_MAX_TOL];
    size_t n_tol;
    int update;
    int github;
    const char *jobs;
};

/* A CSV file read whole: a header and rows of cells pointing into `lines`. */
struct check_table {
    char meta_version[64];    /* "" when the file has no meta line */
    long meta_model;          /* -1 when absent */
    struct cli_csv_table csv; /* header and rows */
    char **keys;              /* per row: the sweep.* values and the trial, joined by \x1f */
};

/* One difference: a cell (col >= 0), or a whole row (col < 0). */
struct check_diff {
    size_t row_b, row_n; /* SIZE_MAX when the side has no row */
    const char *col;
    const char *b, *n; /* NULL: no value (the row or column is missing) */
};

struct check_diffs {
    struct check_diff *d;
    size_t n, cap;
    size_t n_tolerated; /* values that moved within --tolerance */
};

static void
check_usage(FILE *f)
{
    fprintf(f, "usage: mpcsim check SCENARIO.yaml... --baseline DIR [--tolerance COL=PCT]...\n"
               "                    [--update] [--format text|github] [-j N]\n"
               "\n"
               "Runs each scenario as 'mpcsim sweep' does (every point and trial) and\n"
               "compares every trial's columns with DIR/NAME.csv (NAME: the scenario's\n"
               "file name without .yaml), written by --update.  Exact by default (counts,\n"
               "simulated times, status, outputs); wall_ms and events are ignored;\n"
               "--tolerance COL=PCT allows a numeric column to move by PCT %% of its\n"
               "baseline value.  An empty (absent) value differs from 0.  A trial that\n"
               "ends in wrong_output always fails.  Prints, per scenario, the trials and\n"
               "metrics that changed (baseline, now, change %%); --format github also\n"
               "prints ::error annotations for a pull request.  The baseline records the\n"
               "mpcsim and model versions; when they differ, that is said first.\n"
               "--update writes the baselines (atomically) instead of comparing.\n"
               "Exit: 0 no change, 1 a change or a wrong_output trial, 2 bad input.\n");
}

static void
table_clear(struct check_table *t)
{
    for (size_t i = 0; t->keys != NULL && i < t->csv.nrows; i++) {
        mpcsim_free(t->keys[i]); /* keys are made only once every row has been read */
    }
    mpcsim_free(t->keys);
    cli_csv_table_clear(&t->csv);
    memset(t, 0, sizeof(*t));
    t->meta_model = -1;
}

static const char *
cell(const struct check_table *t, size_t row, int col)
{
    return cli_csv_cell(&t->csv, row, col);
}

static int
col_index(const struct check_table *t, const char *name)
{
    for (int c = 0; c < t->csv.ncol; c++) {
        if (strcmp(t->csv.hdr[c], name) == 0) {
            return c;
        }
    }
    return -1;
}

/* Parse "# mpcsim-check baseline: mpcsim_version=V model_version=M ...". */
static void
parse_meta(struct check_table *t, const char *line)
{
    const char *v = strstr(line, " mpcsim_version=");
    const char *m = strstr(line, " model_version=");

    if (v != NULL) {
        v += strlen(" mpcsim_version=");
        snprintf(t->meta_version, sizeof(t->meta_version), "%.*s", (int)strcspn(v, " \r\n"), v);
    }
    if (m != NULL) {
        char *end = NULL;
        long x = strtol(m + strlen(" model_version="), &end, 10);

        t->meta_model = end != NULL && (*end == ' ' || *end == '\n' || *end == '\0') ? x : -1;
    }
}

/* The row keys: sweep.* cells and `trial`, joined.  0 or MPCSIM_ENOMEM. */
static int
make_keys(struct check_table *t)
{
    t->keys = mpcsim_calloc(t->csv.nrows ? t->csv.nrows : 1, sizeof(*t->keys));
    if (t->keys == NULL) {
        return MPCSIM_ENOMEM;
    }
    for (size_t r = 0; r < t->csv.nrows; r++) {
        size_t len = 1;
        char *k;

        for (int c = 0; c < t->csv.ncol; c++) {
            if (strncmp(t->csv.hdr[c], "sweep.", 6) == 0 || strcmp(t->csv.hdr[c], "trial") == 0) {
                len += strlen(cell(t, r, c)) + 1;
            }
        }
        k = mpcsim_malloc(len);
        if (k == NULL) {
            return MPCSIM_ENOMEM;
        }
        k[0] = '\0';
        for (int c = 0; c < t->csv.ncol; c++) {
            if (strncmp(t->csv.hdr[c], "sweep.", 6) == 0 || strcmp(t->csv.hdr[c], "trial") == 0) {
                strcat(k, cell(t, r, c));
                strcat(k, "\x1f");
            }
        }
        t->keys[r] = k;
    }
    return 0;
}

/*
 * Read a CSV written by the result writers, with an optional meta line
 * first.  0, or -1 with the message printed (`what`: "baseline" or
 * "results").
 */
static int
table_read(struct check_table *t, const char *path, const char *what)
{
    FILE *in = fopen(path, "r");
    char **fields = mpcsim_calloc(CHECK_MAX_COLS + 1, sizeof(*fields));
    char *line = NULL;
    size_t lcap = 0;
    long lineno = 0;
    int rc = -1;

    memset(t, 0, sizeof(*t));
    t->meta_model = -1;
    if (in == NULL || fields == NULL) {
        fprintf(stderr, "mpcsim check: cannot read %s ", what);
        mpcsim_escape_fputs(stderr, path);
        fprintf(stderr, ": %s\n", in == NULL ? strerror(errno) : "out of memory");
        goto out;
    }
    for (;;) {
        ssize_t len = getline(&line, &lcap, in);
        int nf;

        if (len < 0) {
            break;
        }
        lineno++;
        if (t->csv.hdr_line == NULL && strncmp(line, CHECK_META, strlen(CHECK_META)) == 0) {
            parse_meta(t, line);
            continue;
        }
        if (line[0] == '\n' || line[0] == '\0' || (line[0] == '\r' && line[1] == '\n')) {
            continue;
        }
        if (t->csv.hdr_line == NULL) {
            t->csv.hdr_line = mpcsim_strdup(line);
            if (t->csv.hdr_line == NULL) {
                goto oom;
            }
            t->csv.ncol = cli_csv_split(t->csv.hdr_line, fields, CHECK_MAX_COLS);
            if (t->csv.ncol > CHECK_MAX_COLS) {
                mpcsim_escape_fputs(stderr, path);
                fprintf(stderr, ":%ld: error: more than %d columns\n", lineno, CHECK_MAX_COLS);
                goto out;
            }
            t->csv.hdr = mpcsim_calloc((size_t)t->csv.ncol, sizeof(*t->csv.hdr));
            if (t->csv.hdr == NULL) {
                goto oom;
            }
            memcpy(t->csv.hdr, fields, (size_t)t->csv.ncol * sizeof(*fields));
            if (col_index(t, "trial") < 0) {
                mpcsim_escape_fputs(stderr, path);
                fprintf(stderr, ":%ld: error: no `trial` column; not a file of result rows\n",
                        lineno);
                goto out;
            }
            continue;
        }
        nf = cli_csv_table_add_row(&t->csv, line, fields, CHECK_MAX_COLS);
        if (nf == MPCSIM_ENOMEM) {
            goto oom;
        }
        if (nf != t->csv.ncol) {
            mpcsim_escape_fputs(stderr, path);
            fprintf(stderr, ":%ld: error: %d%s fields, the header has %d\n", lineno,
                    nf > CHECK_MAX_COLS ? CHECK_MAX_COLS : nf, nf > CHECK_MAX_COLS ? "+" : "",
                    t->csv.ncol);
            goto out;
        }
    }
    if (ferror(in)) {
        fprintf(stderr, "mpcsim check: error reading ");
        mpcsim_escape_fputs(stderr, path);
        fprintf(stderr, "\n");
        goto out;
    }
    if (t->csv.hdr_line == NULL) {
        mpcsim_escape_fputs(stderr, path);
        fprintf(stderr, ":1: error: no CSV header; not a %s file\n", what);
        goto out;
    }
    if (make_keys(t) < 0) {
        goto oom;
    }
    rc = 0;
    goto out;
oom:
    fprintf(stderr, "mpcsim check: out of memory reading ");
    mpcsim_escape_fputs(stderr, path);
    fprintf(stderr, "\n");
out:
    if (in != NULL) {
        fclose(in);
    }
    free(line); /* getline's buffer comes from malloc */
    mpcsim_free(fields);
    return rc;
}

/* Columns that are not results: wall time, and the engine's event count. */
static int
col_ignored(const char *name)
{
    return strcmp(name, "wall_ms") == 0 || strcmp(name, "events") == 0;
}

/* A finite number and nothing else. */
static int
parse_num(const char *s, double *out)
{
    char *end = NULL;

    if (s[0] == '\0') {
        return 0;
    }
    errno = 0;
    *out = strtod(s, &end);
    return end != NULL && *end == '\0' && errno == 0 && isfinite(*out);
}

static const struct check_tol *
tol_find(const struct check_opts *o, const char *col)
{
    for (size_t i = 0; i < o->n_tol; i++) {
        if (strcmp(o->tol[i].col, col) == 0) {
            return &o->tol[i];
        }
    }
    return NULL;
}

static int
diff_add(struct check_diffs *ds, size_t rb, size_t rn, const char *col, const char *b,
         const char *n)
{
    if (ds->n == ds->cap) {
        size_t nc = ds->cap ? 2 * ds->cap : 64;
        struct check_diff *nd = mpcsim_reallocarray(ds->d, nc, sizeof(*nd));

        if (nd == NULL) {
            return MPCSIM_ENOMEM;
        }
        ds->d = nd;
        ds->cap = nc;
    }
    ds->d[ds->n].row_b = rb;
    ds->d[ds->n].row_n = rn;
    ds->d[ds->n].col = col;
    ds->d[ds->n].b = b;
    ds->d[ds->n].n = n;
    ds->n++;
    return 0;
}

/* The baseline row with key `key`, trying `hint` first; SIZE_MAX if none. */
static size_t
find_row(const struct check_table *t, const char *key, size_t hint)
{
    if (hint < t->csv.nrows && strcmp(t->keys[hint], key) == 0) {
        return hint;
    }
    for (size_t r = 0; r < t->csv.nrows; r++) {
        if (strcmp(t->keys[r], key) == 0) {
            return r;
        }
    }
    return SIZE_MAX;
}

/*
 * Compare `now` with `base`; differences go to *ds (cells point into the
 * tables).  0 or MPCSIM_ENOMEM.
 */
static int
compare(struct check_diffs *ds, struct check_opts *o, const struct check_table *base,
        const struct check_table *now)
{
    char *seen = mpcsim_calloc(base->csv.nrows ? base->csv.nrows : 1, 1);
    int rc = 0;

    if (seen == NULL) {
        return MPCSIM_ENOMEM;
    }
    for (size_t k = 0; k < o->n_tol; k++) {
        o->tol[k].used |= col_index(now, o->tol[k].col) >= 0;
    }
    /* Columns: the baseline's that are gone, then the new ones. */
    for (int c = 0; c < base->csv.ncol && rc == 0; c++) {
        if (!col_ignored(base->csv.hdr[c]) && col_index(now, base->csv.hdr[c]) < 0) {
            rc = diff_add(ds, SIZE_MAX, SIZE_MAX, base->csv.hdr[c], "column", NULL);
        }
    }
    for (int c = 0; c < now->csv.ncol && rc == 0; c++) {
        if (!col_ignored(now->csv.hdr[c]) && col_index(base, now->csv.hdr[c]) < 0) {
            rc = diff_add(ds, SIZE_MAX, SIZE_MAX, now->csv.hdr[c], NULL, "column");
        }
    }
    for (size_t r = 0; r < now->csv.nrows && rc == 0; r++) {
        size_t rb = find_row(base, now->keys[r], r);

        if (rb == SIZE_MAX) {
            rc = diff_add(ds, SIZE_MAX, r, NULL, NULL, "trial");
            continue;
        }
        seen[rb] = 1;
        for (int c = 0; c < now->csv.ncol && rc == 0; c++) {
            const char *name = now->csv.hdr[c];
            int cb = col_index(base, name);
            const char *vb, *vn;
            const struct check_tol *tol;
            double xb, xn;

            if (cb < 0 || col_ignored(name)) {
                continue;
            }
            vb = cell(base, rb, cb);
            vn = cell(now, r, c);
            if (strcmp(vb, vn) == 0) {
                continue;
            }
            tol = tol_find(o, name);
            if (tol != NULL && parse_num(vb, &xb) && parse_num(vn, &xn) &&
                fabs(xn - xb) <= fabs(xb) * tol->pct / 100.0) {
                ds->n_tolerated++;
                continue;
            }
            rc = diff_add(ds, rb, r, name, vb, vn);
        }
    }
    for (size_t r = 0; r < base->csv.nrows && rc == 0; r++) {
        if (!seen[r]) {
            rc = diff_add(ds, r, SIZE_MAX, NULL, "trial", NULL);
        }
    }
    mpcsim_free(seen);
    return rc;
}

/* "trial 3 (protocol.kind=additive)": the row's trial and sweep values. */
static void
row_label(char *buf, size_t cap, const struct check_table *t, size_t r)
{
    size_t len;
    int n_sweep = 0;

    snprintf(buf, cap, "%s", cell(t, r, col_index(t, "trial")));
    for (int c = 0; c < t->csv.ncol; c++) {
        char v[128];

        if (strncmp(t->csv.hdr[c], "sweep.", 6) != 0) {
            continue;
        }
        len = strlen(buf);
        mpcsim_escape(v, sizeof(v), cell(t, r, c));
        snprintf(buf + len, cap - len, "%s%s=%s", n_sweep ? ", " : " (", t->csv.hdr[c] + 6, v);
        n_sweep++;
    }
    len = strlen(buf);
    if (n_sweep > 0) {
        snprintf(buf + len, cap - len, ")");
    }
}

/* The change from b to n in %, or "" when not two numbers. */
static void
change_pct(char *buf, size_t cap, const char *b, const char *n)
{
    double xb, xn, pct;

    buf[0] = '\0';
    if (b == NULL || n == NULL || !parse_num(b, &xb) || !parse_num(n, &xn)) {
        return;
    }
    if (xb == 0.0) {
        snprintf(buf, cap, "%s", xn == 0.0 ? "0%" : "from 0");
        return;
    }
    pct = (xn - xb) / fabs(xb) * 100.0;
    snprintf(buf, cap, fabs(pct) >= 0.1 ? "%+.1f%%" : "%+.2g%%", pct);
}

/* A cell for display: "absent" for an empty value, escaped, cut at cap. */
static void
show_value(char *buf, size_t cap, const char *v)
{
    if (v == NULL) {
        snprintf(buf, cap, "-");
    } else if (v[0] == '\0') {
        snprintf(buf, cap, "absent");
    } else {
        mpcsim_escape(buf, cap, v);
    }
}

struct check_line {
    char trial[160], metric[64], b[64], n[64], pct[24];
};

static void
diff_line(struct check_line *l, const struct check_diff *d, const struct check_table *base,
          const struct check_table *now)
{
    memset(l, 0, sizeof(*l));
    if (d->row_n != SIZE_MAX) {
        row_label(l->trial, sizeof(l->trial), now, d->row_n);
    } else if (d->row_b != SIZE_MAX) {
        row_label(l->trial, sizeof(l->trial), base, d->row_b);
    } else {
        snprintf(l->trial, sizeof(l->trial), "all");
    }
    if (d->col == NULL) {
        snprintf(l->metric, sizeof(l->metric), "(trial)");
        snprintf(l->b, sizeof(l->b), "%s", d->b != NULL ? "present" : "missing");
        snprintf(l->n, sizeof(l->n), "%s", d->n != NULL ? "present" : "missing");
        return;
    }
    mpcsim_escape(l->metric, sizeof(l->metric), d->col);
    if (d->row_b == SIZE_MAX && d->row_n == SIZE_MAX) { /* a whole column */
        snprintf(l->b, sizeof(l->b), "%s", d->b != NULL ? "column" : "no column");
        snprintf(l->n, sizeof(l->n), "%s", d->n != NULL ? "column" : "no column");
        return;
    }
    show_value(l->b, sizeof(l->b), d->b);
    show_value(l->n, sizeof(l->n), d->n);
    change_pct(l->pct, sizeof(l->pct), d->b, d->n);
}

/* GitHub workflow-command escaping: data (%, CR, LF), properties also ':' and ','. */
static void
gh_escape(FILE *f, const char *s, int property)
{
    for (; *s != '\0'; s++) {
        if (*s == '%') {
            fputs("%25", f);
        } else if (*s == '\r') {
            fputs("%0D", f);
        } else if (*s == '\n') {
            fputs("%0A", f);
        } else if (property && *s == ':') {
            fputs("%3A", f);
        } else if (property && *s == ',') {
            fputs("%2C", f);
        } else if ((unsigned char)*s < 0x20 || *s == 0x7f) {
            fputc('?', f);
        } else {
            fputc(*s, f);
        }
    }
}

/*
 * The scenario key that most directly drives a column, as dotted paths
 * tried in order; the annotation points at the first that the file has.
 */
struct col_keys {
    const char *col;
    const char *keys[5];
};

static const struct col_keys col_keys[] = {
    {"latency_ms", {"network.bandwidth_mbps", "network.latency", "network", "protocol", NULL}},
    {"latency_p50_ms", {"network.bandwidth_mbps", "network.latency", "network", "protocol", NULL}},
    {"time_to_abort_ms", {"protocol.round_timeout_ms", "faults", "network", "protocol", NULL}},
    {"rounds", {"protocol", NULL}},
    {"depth", {"network.latency", "protocol", NULL}},
    {"messages", {"protocol", "parties", NULL}},
    {"bytes", {"protocol", "network.transport", "parties", NULL}},
    {"max_party_bytes", {"protocol", "network.transport", "parties", NULL}},
    {"compute_ms", {"cost_model", "protocol", NULL}},
    {"max_party_compute_ms", {"cost_model", "protocol", NULL}},
    {"retransmissions", {"network.loss", "network.transport", "network.partitions", NULL}},
    {"dropped", {"faults", NULL}},
    {"included", {"faults", "parties", NULL}},
    {"status", {"protocol.threshold", "adversary", "faults", "protocol", NULL}},
    {"correct", {"adversary", "protocol", NULL}},
    {"output", {"inputs", "computation", NULL}},
    {"expected", {"inputs", "computation", NULL}},
    {"accused", {"adversary", "protocol", NULL}},
    {"false_accusations", {"adversary", "protocol", NULL}},
    {"reason", {"protocol.threshold", "adversary", "faults", "protocol", NULL}},
    {"parties", {"parties", NULL}},
    {"protocol", {"protocol", NULL}},
    {"seed", {"seed", NULL}},
    {NULL, {NULL}},
};

/* The line of dotted `path` in the tree, or 0. */
static size_t
key_line(const struct ynode *root, const char *path)
{
    const struct ynode *map = root;
    size_t line = 0;
    char part[128];

    while (map != NULL && map->kind == YNODE_MAP && *path != '\0') {
        size_t len = strcspn(path, ".");
        const struct ynode *next = NULL;

        snprintf(part, sizeof(part), "%.*s", (int)len, path);
        for (size_t i = 0; i + 1 < map->n_items; i += 2) {
            if (strcmp(map->items[i]->value, part) == 0) {
                line = map->items[i]->line;
                next = map->items[i + 1];
            }
        }
        if (next == NULL) {
            return 0;
        }
        path += len + (path[len] == '.');
        map = next;
        if (*path == '\0') {
            return line;
        }
    }
    return 0;
}

static size_t
col_line(const struct ynode *root, const char *col)
{
    if (root == NULL || col == NULL) {
        return 1;
    }
    if (strncmp(col, "sweep.", 6) == 0) {
        size_t l = key_line(root, "sweep");

        return l ? l : 1;
    }
    for (size_t i = 0; col_keys[i].col != NULL; i++) {
        if (strcmp(col_keys[i].col, col) != 0) {
            continue;
        }
        for (size_t k = 0; col_keys[i].keys[k] != NULL; k++) {
            size_t l = key_line(root, col_keys[i].keys[k]);

            if (l > 0) {
                return l;
            }
        }
    }
    if (strncmp(col, "offline_", 8) == 0) {
        size_t l = key_line(root, "protocol");

        return l ? l : 1;
    }
    return 1;
}

/* Two differences of one kind: one column's cells, one whole column, or trials missing on one side.
 */
static int
same_kind(const struct check_diff *a, const struct check_diff *b)
{
    int whole_a = a->row_b == SIZE_MAX && a->row_n == SIZE_MAX;
    int whole_b = b->row_b == SIZE_MAX && b->row_n == SIZE_MAX;

    if ((a->col == NULL) != (b->col == NULL)) {
        return 0;
    }
    if (a->col == NULL) {
        return (a->n == NULL) == (b->n == NULL);
    }
    return whole_a == whole_b && strcmp(a->col, b->col) == 0;
}

static void
gh_error(const char *scenario, size_t line, const char *title, const char *msg)
{
    fputs("::error file=", stdout);
    gh_escape(stdout, scenario, 1);
    printf(",line=%zu,title=", line);
    gh_escape(stdout, title, 1);
    fputs("::", stdout);
    gh_escape(stdout, msg, 0);
    fputc('\n', stdout);
}

/*
 * GitHub annotations: one per changed column (how many trials, the first
 * example), one per kind of missing/extra trial, one for wrong_output.
 */
static void
report_github(const char *scenario, const char *stem, const struct check_diffs *ds,
              const struct check_table *base, const struct check_table *now, size_t n_wrong,
              const char *model_msg)
{
    size_t kind_first[CHECK_MAX_KINDS], kind_count[CHECK_MAX_KINDS]; /* 8 KiB */
    size_t n_kinds = 0;
    struct ynode *root = NULL;
    struct diag d;
    char title[256], msg[1024];
    char esc[160];

    diag_init(&d);
    if (ytree_load_file(&root, scenario, scenario, &d) != 0) {
        root = NULL; /* it was loaded by the run: only lines are lost */
    }
    mpcsim_escape(esc, sizeof(esc), stem);
    snprintf(title, sizeof(title), "mpcsim check: %s", esc);
    if (model_msg != NULL) {
        fputs("::warning file=", stdout);
        gh_escape(stdout, scenario, 1);
        fputs(",line=1,title=", stdout);
        gh_escape(stdout, title, 1);
        fputs("::", stdout);
        gh_escape(stdout, model_msg, 0);
        fputc('\n', stdout);
    }
    if (n_wrong > 0) {
        snprintf(msg, sizeof(msg),
                 "%zu trial%s ended in wrong_output (an honest party output a wrong value: a "
                 "security failure)",
                 n_wrong, n_wrong == 1 ? "" : "s");
        gh_error(scenario, col_line(root, "correct"), title, msg);
    }
    /* Group by column (or by missing/extra trial); report at the first of each. */
    for (size_t i = 0; i < ds->n; i++) {
        size_t k = 0;

        while (k < n_kinds && !same_kind(&ds->d[kind_first[k]], &ds->d[i])) {
            k++;
        }
        if (k == n_kinds) {
            if (n_kinds == CHECK_MAX_KINDS) {
                continue; /* cannot happen: kinds are bounded by the columns */
            }
            kind_first[n_kinds] = i;
            kind_count[n_kinds++] = 0;
        }
        kind_count[k]++;
    }
    for (size_t k = 0; k < n_kinds; k++) {
        const struct check_diff *di = &ds->d[kind_first[k]];
        size_t count = kind_count[k];
        struct check_line l;

        diff_line(&l, di, base, now);
        if (di->col == NULL) {
            snprintf(msg, sizeof(msg), "%zu trial%s %s (first: trial %s)", count,
                     count == 1 ? "" : "s",
                     di->n == NULL ? "in the baseline missing from this run"
                                   : "in this run not in the baseline",
                     l.trial);
        } else if (di->row_b == SIZE_MAX && di->row_n == SIZE_MAX) {
            snprintf(msg, sizeof(msg), "column %s %s", l.metric,
                     di->n == NULL ? "is in the baseline but not in this run"
                                   : "is new in this run (not in the baseline)");
        } else {
            snprintf(msg, sizeof(msg), "%s changed in %zu of %zu trials (trial %s: %s -> %s%s%s)",
                     l.metric, count, now->csv.nrows, l.trial, l.b, l.n, l.pct[0] ? ", " : "",
                     l.pct);
        }
        gh_error(scenario, col_line(root, di->col), title, msg);
    }
    ynode_free(root);
    diag_clear(&d);
}

/* The text diff: a table of (trial, metric, baseline, now, change). */
static void
report_text(const struct check_diffs *ds, const struct check_table *base,
            const struct check_table *now)
{
    static const char *const head[5] = {"trial", "metric", "baseline", "now", "change"};
    struct check_line *lines;
    size_t n = ds->n < CHECK_MAX_LINES ? ds->n : CHECK_MAX_LINES;
    int w[4];

    lines = mpcsim_calloc(n ? n : 1, sizeof(*lines));
    if (lines == NULL) {
        printf("  (out of memory printing %zu differences)\n", ds->n);
        return;
    }
    for (int k = 0; k < 4; k++) {
        w[k] = (int)strlen(head[k]);
    }
    for (size_t i = 0; i < n; i++) {
        diff_line(&lines[i], &ds->d[i], base, now);
        w[0] = (int)strlen(lines[i].trial) > w[0] ? (int)strlen(lines[i].trial) : w[0];
        w[1] = (int)strlen(lines[i].metric) > w[1] ? (int)strlen(lines[i].metric) : w[1];
        w[2] = (int)strlen(lines[i].b) > w[2] ? (int)strlen(lines[i].b) : w[2];
        w[3] = (int)strlen(lines[i].n) > w[3] ? (int)strlen(lines[i].n) : w[3];
    }
    printf("  %-*s  %-*s  %*s  %*s  %s\n", w[0], head[0], w[1], head[1], w[2], head[2], w[3],
           head[3], head[4]);
    for (size_t i = 0; i < n; i++) {
        const struct check_line *l = &lines[i];

        printf("  %-*s  %-*s  %*s  %*s", w[0], l->trial, w[1], l->metric, w[2], l->b, w[3], l->n);
        if (l->pct[0] != '\0') {
            printf("  %s", l->pct);
        }
        putchar('\n');
    }
    if (ds->n > n) {
        printf("  ... and %zu more difference%s\n", ds->n - n, ds->n - n == 1 ? "" : "s");
    }
    mpcsim_free(lines);
}

/* The baseline of `scenario`: DIR/STEM.csv, STEM its file name without .yaml/.yml. */
static void
baseline_path(char *buf, size_t cap, char *stem, size_t stem_cap, const char *dir,
              const char *scenario)
{
    const char *base = strrchr(scenario, '/');
    size_t len;

    base = base != NULL ? base + 1 : scenario;
    len = strlen(base);
    if (len > 5 && strcmp(base + len - 5, ".yaml") == 0) {
        len -= 5;
    } else if (len > 4 && strcmp(base + len - 4, ".yml") == 0) {
        len -= 4;
    }
    snprintf(stem, stem_cap, "%.*s", (int)len, base);
    snprintf(buf, cap, "%s/%s.csv", dir, stem);
}

/* Copy the sweep's CSV into the baseline, after the meta line.  0 or -1 (printed). */
static int
write_baseline(const char *target, const char *rows_path, const char *stem)
{
    struct outfile of;
    FILE *in = fopen(rows_path, "r");
    char buf[8192];
    size_t n;
    int rc = -1;

    if (in == NULL) {
        fprintf(stderr, "mpcsim check: cannot read the run's rows: %s\n", strerror(errno));
        return -1;
    }
    if (outfile_open(&of, target) < 0) {
        fprintf(stderr, "mpcsim check: cannot write ");
        mpcsim_escape_fputs(stderr, target);
        fprintf(stderr, ": %s\n", strerror(errno));
        fclose(in);
        return -1;
    }
    fprintf(of.f, "%s mpcsim_version=%s model_version=%d scenario=", CHECK_META, MPCSIM_VERSION,
            MPCSIM_MODEL_VERSION);
    mpcsim_escape_fputs(of.f, stem);
    fputc('\n', of.f);
    while ((n = fread(buf, 1, sizeof(buf), in)) > 0) {
        fwrite(buf, 1, n, of.f);
    }
    if (ferror(in)) {
        fprintf(stderr, "mpcsim check: error reading the run's rows\n");
        outfile_discard(&of);
    } else if (outfile_commit(&of) < 0) {
        fprintf(stderr, "mpcsim check: cannot write ");
        mpcsim_escape_fputs(stderr, target);
        fprintf(stderr, ": %s (the previous baseline is untouched)\n", strerror(errno));
    } else {
        rc = 0;
    }
    fclose(in);
    return rc;
}

/* mkdir -p `dir`.  0, or -1 with errno set. */
static int
make_dirs(const char *dir)
{
    char path[4096];
    struct stat st;
    size_t len = strlen(dir);

    if (len == 0 || len >= sizeof(path)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(path, dir, len + 1);
    for (size_t i = 1; i <= len; i++) {
        if (path[i] != '/' && path[i] != '\0') {
            continue;
        }
        path[i] = '\0';
        if (stat(path, &st) != 0 && mkdir(path, 0777) != 0 && errno != EEXIST) {
            return -1;
        }
        path[i] = dir[i];
    }
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    return 0;
}

/* Returns 0 to go on, 1 after --help, 2 on a usage error. */
static int
check_parse(struct check_opts *o, int argc, char **argv)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"baseline", required_argument, NULL, 'b'},
        {"tolerance", required_argument, NULL, 't'},
        {"update", no_argument, NULL, 'u'},
        {"format", required_argument, NULL, 'f'},
        {"jobs", required_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    char esc[256];
    int c;

    memset(o, 0, sizeof(*o));
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":hj:", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            check_usage(stdout);
            return 1;
        case 'b':
            o->dir = optarg;
            break;
        case 'u':
            o->update = 1;
            break;
        case 'j':
            o->jobs = optarg;
            break;
        case 'f':
            if (strcmp(optarg, "text") == 0 || strcmp(optarg, "github") == 0) {
                o->github = strcmp(optarg, "github") == 0;
                break;
            }
            mpcsim_escape(esc, sizeof(esc), optarg);
            fprintf(stderr, "mpcsim check: --format is text or github, got '%s'\n", esc);
            return 2;
        case 't': {
            const char *eq = strchr(optarg, '=');
            char *end = NULL;
            double pct = 0.0;

            if (eq != NULL && eq != optarg) {
                errno = 0;
                pct = strtod(eq + 1, &end);
            }
            if (end != NULL && *end == '%') {
                end++;
            }
            if (eq == NULL || eq == optarg || end == eq + 1 || end == NULL || *end != '\0' ||
                errno != 0 || !(pct >= 0.0) || !isfinite(pct)) {
                mpcsim_escape(esc, sizeof(esc), optarg);
                fprintf(stderr,
                        "mpcsim check: --tolerance expects COLUMN=PERCENT (e.g. "
                        "latency_ms=5), got '%s'\n",
                        esc);
                return 2;
            }
            if (o->n_tol == CHECK_MAX_TOL) {
                fprintf(stderr, "mpcsim check: at most %d --tolerance options\n", CHECK_MAX_TOL);
                return 2;
            }
            optarg[eq - optarg] = '\0'; /* our argv: the column name ends at '=' */
            o->tol[o->n_tol].col = optarg;
            o->tol[o->n_tol].pct = pct;
            o->n_tol++;
            break;
        }
        case ':':
            mpcsim_escape(esc, sizeof(esc), argv[optind - 1]);
            fprintf(stderr, "mpcsim check: %s needs a value (see mpcsim check --help)\n", esc);
            return 2;
        default:
            mpcsim_escape(esc, sizeof(esc), optind > 0 ? argv[optind - 1] : "?");
            fprintf(stderr, "mpcsim check: unknown option '%s' (see mpcsim check --help)\n", esc);
            return 2;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "mpcsim check: which scenarios? (usage: mpcsim check SCENARIO.yaml... "
                        "--baseline DIR; see mpcsim check --help)\n");
        return 2;
    }
    if (o->dir == NULL) {
        fprintf(stderr, "mpcsim check: --baseline DIR is required (the directory of committed "
                        "results; create it with --update)\n");
        return 2;
    }
    return 0;
}

/* Run `scenario` as `sweep --quiet --csv TMP`; 0, 1 (wrong_output) or the sweep's code. */
static int
run_sweep(const char *scenario, const char *csv, const char *jobs)
{
    char *argv[8];
    int argc = 0;

    argv[argc++] = (char *)"sweep";
    argv[argc++] = (char *)scenario;
    argv[argc++] = (char *)"--quiet";
    argv[argc++] = (char *)"--csv";
    argv[argc++] = (char *)csv;
    if (jobs != NULL) {
        argv[argc++] = (char *)"-j";
        argv[argc++] = (char *)jobs;
    }
    argv[argc] = NULL;
    return cli_sweep(argc, argv);
}

/* Check (or update) one scenario.  Returns its exit code (0, 1 or 2, or 128+signal). */
static int
check_one(struct check_opts *o, const char *scenario, const char *target, const char *stem)
{
    struct check_table base, now;
    struct check_diffs ds = {NULL, 0, 0, 0};
    char tmp[4096];
    const char *tdir = getenv("TMPDIR");
    char model_msg[512];
    int have_model_msg = 0;
    size_t n_wrong = 0;
    int status;
    int fd;
    int rc;

    memset(&base, 0, sizeof(base));
    memset(&now, 0, sizeof(now));
    snprintf(tmp, sizeof(tmp), "%s/mpcsim-check-XXXXXX",
             tdir != NULL && tdir[0] != '\0' ? tdir : "/tmp");
    fd = mkstemp(tmp);
    if (fd < 0) {
        fprintf(stderr, "mpcsim check: cannot create a temporary file in %s: %s\n",
                tdir != NULL ? tdir : "/tmp", strerror(errno));
        return CLI_EXIT_USAGE;
    }
    close(fd);
    rc = run_sweep(scenario, tmp, o->jobs);
    if (rc != CLI_EXIT_OK && rc != CLI_EXIT_WRONG) {
        fputs("mpcsim check: ", stderr);
        mpcsim_escape_fputs(stderr, scenario);
        fputs(": not run (see above)\n", stderr);
        status = rc;
        goto out;
    }
    if (table_read(&now, tmp, "results") < 0) {
        status = CLI_EXIT_USAGE;
        goto out;
    }
    {
        int cs = col_index(&now, "status");

        for (size_t r = 0; cs >= 0 && r < now.csv.nrows; r++) {
            n_wrong += strcmp(cell(&now, r, cs), "wrong_output") == 0;
        }
    }
    if (o->update) {
        if (write_baseline(target, tmp, stem) < 0) {
            status = CLI_EXIT_USAGE;
            goto out;
        }
        mpcsim_escape_fputs(stdout, scenario);
        printf(": baseline written to ");
        mpcsim_escape_fputs(stdout, target);
        printf(" (%zu trial%s)", now.csv.nrows, now.csv.nrows == 1 ? "" : "s");
        if (n_wrong > 0) {
            printf("; %zu ended in wrong_output, which fails every check", n_wrong);
        }
        putchar('\n');
        status = n_wrong > 0 ? CLI_EXIT_WRONG : CLI_EXIT_OK;
        goto out;
    }
    if (access(target, F_OK) != 0) {
        mpcsim_escape_fputs(stderr, scenario);
        fputs(": error: no baseline ", stderr);
        mpcsim_escape_fputs(stderr, target);
        fprintf(stderr, " (%s); write it with mpcsim check --update\n", strerror(errno));
        status = CLI_EXIT_USAGE;
        goto out;
    }
    if (table_read(&base, target, "baseline") < 0) {
        status = CLI_EXIT_USAGE;
        goto out;
    }
    if (compare(&ds, o, &base, &now) < 0) {
        fprintf(stderr, "mpcsim check: out of memory comparing rows\n");
        status = CLI_EXIT_USAGE;
        goto out;
    }
    if (base.meta_model != MPCSIM_MODEL_VERSION) {
        char from[160];
        const char *then = ds.n > 0 || n_wrong > 0
                               ? "differences may come from the new model, not from the "
                                 "scenario: review them, then run mpcsim check --update"
                               : "every trial is the same; mpcsim check --update records the "
                                 "new versions";

        if (base.meta_model < 0) {
            snprintf(from, sizeof(from),
                     "the baseline records no model version (it was not written by mpcsim "
                     "check --update)");
        } else {
            char v[80];

            mpcsim_escape(v, sizeof(v), base.meta_version);
            snprintf(from, sizeof(from), "the baseline is from mpcsim %s, model %ld", v,
                     base.meta_model);
        }
        snprintf(model_msg, sizeof(model_msg),
                 "the model changed: %s; this is mpcsim %s, model %d; %s", from, MPCSIM_VERSION,
                 MPCSIM_MODEL_VERSION, then);
        have_model_msg = 1;
    }
    mpcsim_escape_fputs(stdout, scenario);
    if (ds.n == 0 && n_wrong == 0) {
        printf(": same as the baseline (%zu trial%s", now.csv.nrows, now.csv.nrows == 1 ? "" : "s");
        if (ds.n_tolerated > 0) {
            printf("; %zu value%s moved within --tolerance", ds.n_tolerated,
                   ds.n_tolerated == 1 ? "" : "s");
        }
        printf(")\n");
    } else {
        size_t n_trials = 0;
        size_t prev_b = SIZE_MAX, prev_n = SIZE_MAX;

        /* Trials with a difference (a row's differences are consecutive). */
        for (size_t i = 0; i < ds.n; i++) {
            const struct check_diff *d = &ds.d[i];

            if (d->row_n == SIZE_MAX && d->row_b == SIZE_MAX) {
                continue; /* a whole column */
            }
            if (d->row_b != prev_b || d->row_n != prev_n) {
                n_trials++;
            }
            prev_b = d->row_b;
            prev_n = d->row_n;
        }
        printf(": CHANGED, %zu difference%s in %zu of %zu trial%s (baseline ", ds.n,
               ds.n == 1 ? "" : "s", n_trials, now.csv.nrows, now.csv.nrows == 1 ? "" : "s");
        mpcsim_escape_fputs(stdout, target);
        printf(")\n");
    }
    if (have_model_msg) {
        printf("  %s\n", model_msg);
    } else if (strcmp(base.meta_version, MPCSIM_VERSION) != 0) {
        char v[80];

        mpcsim_escape(v, sizeof(v), base.meta_version);
        printf("  note: the baseline is from mpcsim %s (this is %s); the model is the same "
               "(%d)\n",
               v, MPCSIM_VERSION, MPCSIM_MODEL_VERSION);
    }
    if (n_wrong > 0) {
        printf("  %zu trial%s ended in wrong_output (an honest party output a wrong value: a "
               "security failure); this fails even when the baseline has it\n",
               n_wrong, n_wrong == 1 ? "" : "s");
    }
    if (ds.n > 0) {
        report_text(&ds, &base, &now);
    }
    if (o->github && (ds.n > 0 || n_wrong > 0 || have_model_msg)) {
        report_github(scenario, stem, &ds, &base, &now, n_wrong, have_model_msg ? model_msg : NULL);
    }
    status = ds.n > 0 || n_wrong > 0 ? CLI_EXIT_WRONG : CLI_EXIT_OK;
out:
    unlink(tmp);
    if (status > CLI_EXIT_USAGE) { /* interrupted: the sweep saved TMP.partial */
        char partial[4200];

        snprintf(partial, sizeof(partial), "%s.partial", tmp);
        unlink(partial);
    }
    mpcsim_free(ds.d);
    table_clear(&base);
    table_clear(&now);
    return status;
}

/* see check.h */
int
cli_check(int argc, char **argv)
{
    struct check_opts o;
    char(*targets)[4096] = NULL;
    char(*stems)[256] = NULL;
    int n_sc;
    int status = CLI_EXIT_OK;
    size_t n_changed = 0;
    int rc;

    rc = check_parse(&o, argc, argv);
    if (rc != 0) {
        return rc == 1 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    }
    n_sc = argc - optind;
    argv += optind;
    if (o.update) {
        if (make_dirs(o.dir) != 0) {
            fprintf(stderr, "mpcsim check: cannot create the baseline directory ");
            mpcsim_escape_fputs(stderr, o.dir);
            fprintf(stderr, ": %s\n", strerror(errno));
            return CLI_EXIT_USAGE;
        }
    }
    targets = mpcsim_calloc((size_t)n_sc, sizeof(*targets));
    stems = mpcsim_calloc((size_t)n_sc, sizeof(*stems));
    if (targets == NULL || stems == NULL) {
        fprintf(stderr, "mpcsim check: out of memory\n");
        status = CLI_EXIT_USAGE;
        goto out;
    }
    /* Refuse clashes: two scenarios on one baseline, a baseline on a scenario. */
    for (int i = 0; i < n_sc; i++) {
        baseline_path(targets[i], sizeof(targets[i]), stems[i], sizeof(stems[i]), o.dir, argv[i]);
        for (int j = 0; j < n_sc; j++) {
            const char *clash = NULL;

            if (j < i && mpcsim_same_path(targets[i], targets[j])) {
                clash = "the same baseline as";
            } else if (mpcsim_same_path(targets[i], argv[j])) {
                clash = "a baseline that is the scenario";
            }
            if (clash != NULL) {
                fprintf(stderr, "mpcsim check: ");
                mpcsim_escape_fputs(stderr, argv[i]);
                fprintf(stderr, " would use %s ", clash);
                mpcsim_escape_fputs(stderr, argv[j]);
                fprintf(stderr, " (");
                mpcsim_escape_fputs(stderr, targets[i]);
                fprintf(stderr, "); give scenarios distinct file names\n");
                status = CLI_EXIT_USAGE;
                goto out;
            }
        }
    }
    for (int i = 0; i < n_sc; i++) {
        rc = check_one(&o, argv[i], targets[i], stems[i]);
        if (rc > CLI_EXIT_USAGE) { /* interrupted: stop here */
            status = rc;
            goto out;
        }
        if (rc == CLI_EXIT_USAGE) {
            status = CLI_EXIT_USAGE;
        } else if (rc == CLI_EXIT_WRONG) {
            n_changed++;
            if (status == CLI_EXIT_OK) {
                status = CLI_EXIT_WRONG;
            }
        }
    }
    for (size_t k = 0; k < o.n_tol; k++) {
        if (!o.tol[k].used && !o.update && status != CLI_EXIT_USAGE) {
            fprintf(stderr, "mpcsim check: --tolerance ");
            mpcsim_escape_fputs(stderr, o.tol[k].col);
            fprintf(stderr, ": no such column in the results (names as in the CSV header, "
                            "e.g. latency_ms)\n");
            status = CLI_EXIT_USAGE;
        }
    }
    if (!o.update && n_sc > 1) {
        printf("mpcsim check: %zu of %d scenarios changed%s\n", n_changed, n_sc,
               status == CLI_EXIT_USAGE ? "; some could not be checked (exit 2)" : "");
    }
out:
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "mpcsim check: cannot write to stdout: %s\n", strerror(errno));
        status = CLI_EXIT_USAGE;
    }
    mpcsim_free(targets);
    mpcsim_free(stems);
    return status;
}
