/* SPDX-License-Identifier: MIT */
/*
 * sim/cli/plot.c - `mpcsim plot`: per-trial CSV in, gnuplot figure out.
 *
 * Rows are grouped into series by --by and into points by --x; each point
 * is the mean of --y over every row of its group that has a value, with
 * an error bar (95 % confidence interval from Student's t, or the standard
 * deviation).  An empty field is an absent value (SCENARIO.md: "absent is
 * not zero"): it is skipped and counted, never read as 0; a point without
 * any value is not drawn and is reported on stderr.  The data and the
 * gnuplot script are written next to the figure (FIG.dat, FIG.gp) so that
 * users can restyle it, and gnuplot is run on the script.
 *
 * Nothing supplied by the user or read from the CSV reaches gnuplot as a
 * command: strings go into single-quoted gnuplot strings (in which only ''
 * is special) with control bytes escaped, file names with control bytes
 * are refused, and relative file names are written as ./NAME so that
 * gnuplot's '<command' data files and '|command' outputs cannot be named.
 */
#include "sim/cli/commands.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

#include "common/alloc.h"
#include "common/escape.h"
#include "common/path.h"
#include "sim/sim.h" /* SIM_MAX_PARTIES */

#define PLOT_MAX_COLS 1024
#define PLOT_MAX_SERIES 64
#define PLOT_MAX_CATEGORIES 256
#define PLOT_MAX_LINE (1 << 20)
#define PLOT_MAX_PATH 4096

struct sample {
    int series;
    double x;
    double y;   /* NAN when absent */
    size_t row; /* index into the rows, for the pooling checks */
};

struct plot_opts {
    const char *csv, *x, *y, *by, *out, *title, *key;
    const char *timeline; /* --timeline TRACE.json: a message-sequence chart instead */
    int errorbars_sd;
    int errorbars_none;
    int logx, logy;
    int pool; /* --pool: several protocols in one line, said on stderr */
};

/* The CSV, whole: ncol cells per row, pointing into each row's line. */

static void
plot_usage(FILE *f)
{
    fprintf(f,
            "usage: mpcsim plot RESULTS.csv --x COL --y COL [--by COL] [--errorbars ci|sd|none]\n"
            "                   [--logx] [--logy] [--title TEXT] [--key POSITION] [--pool]\n"
            "                   [-o FIG.png|FIG.svg]\n"
            "       mpcsim plot --timeline TRACE.json [-o FIG.png|FIG.svg] [--title TEXT]\n"
            "\n"
            "Plots the mean of column Y against column X, one line per value of --by,\n"
            "with 95%% confidence intervals (or standard deviations) as error bars.\n"
            "Y may also be success_rate (the fraction of trials with status ok).\n"
            "Empty fields are absent values: skipped, never read as 0; a point with\n"
            "no value is not drawn (stderr says which).  A non-numeric X (e.g.\n"
            "protocol.kind) is drawn as categories.  Rows of several protocols are\n"
            "not pooled into one line unless --pool says so (use --by protocol.kind).\n"
            "A sweep key may be named with or without its 'sweep.' prefix.\n"
            "Writes FIG.dat and FIG.gp beside the figure and runs gnuplot.\n"
            "--timeline draws a trace of one trial (mpcsim run --trial K --trace F):\n"
            "parties on y, simulated time on x, one arrow per message coloured by\n"
            "protocol round, compute as bars, outputs and faults marked; beyond 20\n"
            "parties, messages are aggregated per round (and stderr says so).\n"
            "Exit: 0 ok, 2 bad arguments, an unreadable CSV or no gnuplot.\n");
}

/* Print `s` to stderr with control bytes escaped. */
static void
err_str(const char *s)
{
    mpcsim_escape_fputs(stderr, s);
}

static int
has_control(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        if (*p < 0x20 || *p == 0x7f) {
            return 1;
        }
    }
    return 0;
}

/* Refuse a user-supplied string that would end a line of the script. */
static int
check_text(const char *what, const char *s)
{
    if (s != NULL && has_control(s)) {
        fprintf(stderr, "mpcsim plot: %s '", what);
        err_str(s);
        fprintf(stderr, "' contains a control character; refused (it would end a line of "
                        "the gnuplot script)\n");
        return -1;
    }
    return 0;
}

/* see commands.h */
int
cli_csv_split(char *line, char **fields, int max)
{
    int n = 0;
    char *p = line;

    line[strcspn(line, "\r\n")] = '\0';
    for (;;) {
        char *out = p;

        if (n == max) {
            return max + 1;
        }
        fields[n++] = p;
        if (*p == '"') {
            char *r = p + 1;

            for (;;) {
                if (*r == '\0') {
                    break;
                }
                if (*r == '"' && r[1] == '"') {
                    *out++ = '"';
                    r += 2;
                } else if (*r == '"') {
                    r++;
                    break;
                } else {
                    *out++ = *r++;
                }
            }
            p = r;
            *out = '\0';
            if (*p == ',') {
                p++;
                continue;
            }
            break;
        }
        p = strchr(p, ',');
        if (p == NULL) {
            break;
        }
        *p++ = '\0';
    }
    return n;
}

/* see commands.h */
void
cli_csv_table_clear(struct cli_csv_table *t)
{
    for (size_t i = 0; i < t->nrows; i++) {
        mpcsim_free(t->lines[i]);
    }
    mpcsim_free(t->lines);
    mpcsim_free(t->cells);
    mpcsim_free(t->hdr);
    mpcsim_free(t->hdr_line);
    memset(t, 0, sizeof(*t));
}

/* see commands.h */
const char *
cli_csv_cell(const struct cli_csv_table *t, size_t row, int col)
{
    return t->cells[row * (size_t)t->ncol + (size_t)col];
}

/* see commands.h */
int
cli_csv_table_add_row(struct cli_csv_table *t, const char *line, char **fields, int max)
{
    int nf;

    if (t->nrows == t->cap) {
        size_t nc = t->cap ? 2 * t->cap : 64;
        char **nl = mpcsim_reallocarray(t->lines, nc, sizeof(*nl));
        char **ncells;

        if (nl == NULL) {
            return MPCSIM_ENOMEM;
        }
        t->lines = nl;
        ncells = mpcsim_reallocarray(t->cells, nc * (size_t)t->ncol, sizeof(*ncells));
        if (ncells == NULL) {
            return MPCSIM_ENOMEM;
        }
        t->cells = ncells;
        t->cap = nc;
    }
    t->lines[t->nrows] = mpcsim_strdup(line);
    if (t->lines[t->nrows] == NULL) {
        return MPCSIM_ENOMEM;
    }
    nf = cli_csv_split(t->lines[t->nrows], fields, max);
    t->nrows++;
    if (nf == t->ncol) {
        memcpy(&t->cells[(t->nrows - 1) * (size_t)t->ncol], fields,
               (size_t)t->ncol * sizeof(*fields));
    }
    return nf;
}

/* Read the whole CSV.  0 or -1 (message printed). */
static int
table_read(struct cli_csv_table *t, const char *path)
{
    FILE *in = fopen(path, "r");
    char *line = mpcsim_malloc(PLOT_MAX_LINE);
    char **fields = mpcsim_calloc(PLOT_MAX_COLS + 1, sizeof(*fields));
    long lineno = 1;
    int rc = -1;

    memset(t, 0, sizeof(*t));
    if (in == NULL || line == NULL || fields == NULL) {
        fprintf(stderr, "mpcsim plot: cannot read ");
        err_str(path);
        fprintf(stderr, ": %s\n", in == NULL ? strerror(errno) : "out of memory");
        goto out;
    }
    if (fgets(line, PLOT_MAX_LINE, in) == NULL) {
        if (ferror(in)) {
            fprintf(stderr, "mpcsim plot: cannot read ");
            err_str(path);
            fprintf(stderr, ": %s\n", strerror(errno));
            goto out;
        }
        err_str(path);
        fprintf(stderr, ":1: error: empty file; expected a CSV header\n");
        goto out;
    }
    if (strchr(line, '\n') == NULL && !feof(in)) {
        err_str(path);
        fprintf(stderr, ":1: error: header longer than %d bytes\n", PLOT_MAX_LINE);
        goto out;
    }
    t->hdr_line = mpcsim_strdup(line);
    if (t->hdr_line == NULL) {
        goto oom;
    }
    t->ncol = cli_csv_split(t->hdr_line, fields, PLOT_MAX_COLS);
    if (t->ncol > PLOT_MAX_COLS) {
        err_str(path);
        fprintf(stderr, ":1: error: more than %d columns\n", PLOT_MAX_COLS);
        goto out;
    }
    t->hdr = mpcsim_calloc((size_t)t->ncol, sizeof(*t->hdr));
    if (t->hdr == NULL) {
        goto oom;
    }
    memcpy(t->hdr, fields, (size_t)t->ncol * sizeof(*fields));
    while (fgets(line, PLOT_MAX_LINE, in) != NULL) {
        size_t len = strlen(line);
        int nf;

        lineno++;
        if (len > 0 && line[len - 1] != '\n' && !feof(in)) {
            err_str(path);
            fprintf(stderr, ":%ld: error: line longer than %d bytes\n", lineno, PLOT_MAX_LINE);
            goto out;
        }
        if (line[0] == '\n' || line[0] == '\0' || (line[0] == '\r' && line[1] == '\n')) {
            continue;
        }
        nf = cli_csv_table_add_row(t, line, fields, PLOT_MAX_COLS);
        if (nf == MPCSIM_ENOMEM) {
            goto oom;
        }
        if (nf != t->ncol) {
            err_str(path);
            fprintf(stderr, ":%ld: error: %d%s fields, the header has %d\n", lineno,
                    nf > PLOT_MAX_COLS ? PLOT_MAX_COLS : nf, nf > PLOT_MAX_COLS ? "+" : "",
                    t->ncol);
            goto out;
        }
    }
    if (ferror(in)) {
        fprintf(stderr, "mpcsim plot: error reading ");
        err_str(path);
        fprintf(stderr, "\n");
        goto out;
    }
    rc = 0;
    goto out;
oom:
    fprintf(stderr, "mpcsim plot: out of memory reading ");
    err_str(path);
    fprintf(stderr, "\n");
out:
    if (in != NULL) {
        fclose(in);
    }
    mpcsim_free(line);
    mpcsim_free(fields);
    return rc;
}

static int
col_exact(const struct cli_csv_table *t, const char *want)
{
    for (int i = 0; i < t->ncol; i++) {
        if (strcmp(t->hdr[i], want) == 0) {
            return i;
        }
    }
    return -1;
}

/*
 * The column `want` names: itself, or a sweep key under its `sweep.`
 * prefix, or (for a `sweep.` name) today's unprefixed header.  When both
 * KEY and sweep.KEY exist and differ on some row, the name is ambiguous.
 * `protocol.kind` falls back to the result column `protocol`.  Returns the
 * index, -1 when absent, -2 when ambiguous (message printed).
 */
static int
col_resolve(const struct cli_csv_table *t, const char *want)
{
    static const char prefix[] = "sweep.";
    const size_t plen = sizeof(prefix) - 1;
    char buf[512];
    int exact = col_exact(t, want);
    int other;

    if (strncmp(want, prefix, plen) == 0) {
        return exact >= 0 ? exact : col_exact(t, want + plen);
    }
    if (strlen(want) + plen >= sizeof(buf)) {
        return exact;
    }
    snprintf(buf, sizeof(buf), "%s%s", prefix, want);
    other = col_exact(t, buf);
    if (other < 0) {
        if (exact < 0 && strcmp(want, "protocol.kind") == 0) {
            return col_exact(t, "protocol");
        }
        return exact;
    }
    if (exact < 0) {
        return other;
    }
    for (size_t r = 0; r < t->nrows; r++) {
        if (strcmp(cli_csv_cell(t, r, exact), cli_csv_cell(t, r, other)) != 0) {
            fprintf(stderr, "mpcsim plot: '");
            err_str(want);
            fprintf(stderr, "' is ambiguous: columns '");
            err_str(want);
            fprintf(stderr, "' and '");
            err_str(buf);
            fprintf(stderr, "' differ (row %zu); name one of them\n", r + 1);
            return -2;
        }
    }
    return other; /* the same values: the sweep key */
}

static int
parse_num(const char *s, double *out)
{
    char *end = NULL;

    errno = 0;
    *out = strtod(s, &end);
    return s[0] != '\0' && errno == 0 && *end == '\0' && isfinite(*out);
}

/* An axis label with its unit for the columns mpcsim writes. */
static const char *
axis_label(const char *col)
{
    static const struct {
        const char *col, *label;
    } labels[] = {
        {"latency_ms", "latency to output, slowest honest party (ms)"},
        {"latency_p50_ms", "latency to output, median party (ms)"},
        {"bytes", "bytes on the wire, all parties (B)"},
        {"max_party_bytes", "bytes sent + received by the busiest party (B)"},
        {"messages", "messages"},
        {"rounds", "rounds"},
        {"compute_ms", "modelled compute, all parties (ms)"},
        {"parties", "parties"},
        {"success_rate", "trials with status ok (fraction)"},
        {"faults.dropout.probability", "dropout probability"},
        {"network.latency.ms", "one-way latency (ms)"},
        {"network.latency.median_ms", "median one-way latency (ms)"},
        {"network.bandwidth_mbps", "bandwidth (Mbit/s)"},
        {"wall_ms", "simulator wall time (ms)"},
        {"events", "events processed"},
        {"dropped", "parties dropped"},
        {"offline_bytes", "dealer (offline) bytes (B)"},
        {"server_bytes", "bytes sent + received by the server (B)"},
        {"server_compute_ms", "modelled compute of the server (ms)"},
        {"inputs.length", "input vector length"},
        {"offline_compute_ms", "dealer (offline) compute (ms)"},
    };

    if (strncmp(col, "sweep.", 6) == 0) {
        col += 6;
    }
    for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
        if (strcmp(labels[i].col, col) == 0) {
            return labels[i].label;
        }
    }
    return col;
}

static int
cmp_sample(const void *a, const void *b)
{
    const struct sample *x = a;
    const struct sample *y = b;

    if (x->series != y->series) {
        return x->series - y->series;
    }
    if (x->x != y->x) {
        return (x->x > y->x) - (x->x < y->x);
    }
    return (x->row > y->row) - (x->row < y->row);
}

/*
 * Write `s` as a single-quoted gnuplot string: '' for a quote, control
 * bytes (and backslashes) as visible escapes.  In single quotes gnuplot
 * expands nothing (no backquote commands, no macros, no backslashes).
 */
static void
gp_string(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;

        if (c == '\'') {
            fputs("''", f);
        } else if (c < 0x20 || c == 0x7f) {
            fprintf(f, "\\x%02x", c);
        } else {
            fputc(c, f);
        }
    }
    fputc('\'', f);
}

/*
 * A file name as gnuplot must see it: relative names get "./" so that a
 * leading '<' (read from a command), '|' (write to a command), '-' (stdin,
 * or an option to the gnuplot executable) or '+' is only a name.  The
 * caller has refused names with control bytes.
 */
static void
gp_path(char *buf, size_t cap, const char *path)
{
    snprintf(buf, cap, "%s%s", path[0] == '/' ? "" : "./", path);
}

/* A line of text in the .dat or a script comment: control bytes escaped. */
static void
dat_text(FILE *f, const char *s)
{
    mpcsim_escape_fputs(f, s);
}

static int
run_gnuplot(const char *script, const char *shown)
{
    pid_t pid;
    int st = 0;
    char arg[PLOT_MAX_PATH + 8];

    gp_path(arg, sizeof(arg), script);
    fflush(stdout);
    fflush(stderr);
    pid = fork();
    if (pid == 0) {
        execlp("gnuplot", "gnuplot", arg, (char *)NULL);
        _exit(127);
    }
    if (pid < 0 || waitpid(pid, &st, 0) < 0) {
        return -1;
    }
    if (WIFEXITED(st) && WEXITSTATUS(st) == 127) {
        fprintf(stderr, "mpcsim plot: gnuplot is not installed (apt-get install gnuplot-nox); "
                        "the data and script are written, run 'gnuplot ");
        err_str(shown);
        fprintf(stderr, "' later\n");
        return -1;
    }
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "mpcsim plot: gnuplot failed on ");
        err_str(shown);
        fprintf(stderr, "\n");
        return -1;
    }
    return 0;
}

enum {
    OPT_LOGX = 256,
    OPT_LOGY,
    OPT_POOL,
    OPT_X,
    OPT_Y,
    OPT_BY,
    OPT_TITLE,
    OPT_KEY,
    OPT_EB,
    OPT_TIMELINE
};

static const struct option plot_longopts[] = {
    {"x", required_argument, NULL, OPT_X},
    {"y", required_argument, NULL, OPT_Y},
    {"by", required_argument, NULL, OPT_BY},
    {"output", required_argument, NULL, 'o'},
    {"title", required_argument, NULL, OPT_TITLE},
    {"key", required_argument, NULL, OPT_KEY},
    {"errorbars", required_argument, NULL, OPT_EB},
    {"logx", no_argument, NULL, OPT_LOGX},
    {"logy", no_argument, NULL, OPT_LOGY},
    {"pool", no_argument, NULL, OPT_POOL},
    {"timeline", required_argument, NULL, OPT_TIMELINE},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static const char *
opt_name(int val)
{
    for (const struct option *p = plot_longopts; p->name != NULL; p++) {
        if (p->val == val) {
            return p->name;
        }
    }
    return "?";
}

static int
parse_plot_args(struct plot_opts *o, int argc, char **argv)
{
    static const char *const what[] = {[OPT_X - OPT_X] = "a column name",
                                       [OPT_Y - OPT_X] = "a column name or success_rate",
                                       [OPT_BY - OPT_X] = "a column name",
                                       [OPT_TITLE - OPT_X] = "a title",
                                       [OPT_KEY - OPT_X] = "a key position",
                                       [OPT_EB - OPT_X] = "ci, sd or none",
                                       [OPT_TIMELINE - OPT_X] =
                                           "a trace file (mpcsim run --trace)"};
    int c;

    memset(o, 0, sizeof(*o));
    optind = 0; /* GNU: full re-initialisation */
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:h", plot_longopts, NULL)) != -1) {
        const char *v = optarg;

        switch (c) {
        case 'h':
            plot_usage(stdout);
            return 1;
        case OPT_LOGX:
            o->logx = 1;
            break;
        case OPT_LOGY:
            o->logy = 1;
            break;
        case OPT_POOL:
            o->pool = 1;
            break;
        case OPT_X:
            o->x = v;
            break;
        case OPT_Y:
            o->y = v;
            break;
        case OPT_BY:
            o->by = v;
            break;
        case OPT_TIMELINE:
            o->timeline = v;
            break;
        case 'o':
            o->out = v;
            break;
        case OPT_TITLE:
            o->title = v;
            break;
        case OPT_KEY: {
            static const char *const ok[] = {"top left",     "top right",    "bottom left",
                                             "bottom right", "center right", "off"};
            size_t k = 0;

            while (k < sizeof(ok) / sizeof(ok[0]) && strcmp(v, ok[k]) != 0) {
                k++;
            }
            if (k == sizeof(ok) / sizeof(ok[0])) {
                fprintf(stderr, "mpcsim plot: --key expects 'top left', 'top right', "
                                "'bottom left', 'bottom right', 'center right' or off\n");
                return 2;
            }
            o->key = v;
            break;
        }
        case OPT_EB:
            if (strcmp(v, "ci") == 0) {
                o->errorbars_sd = 0;
                o->errorbars_none = 0;
            } else if (strcmp(v, "sd") == 0) {
                o->errorbars_sd = 1;
                o->errorbars_none = 0;
            } else if (strcmp(v, "none") == 0) {
                o->errorbars_none = 1;
            } else {
                fprintf(stderr, "mpcsim plot: --errorbars expects ci, sd or none, got '");
                err_str(v);
                fprintf(stderr, "'\n");
                return 2;
            }
            break;
        case ':':
            if (optopt == 'o') {
                fprintf(stderr, "mpcsim plot: -o/--output needs a value: FIG.png or FIG.svg\n");
            } else if (optopt >= OPT_X && optopt <= OPT_TIMELINE) {
                fprintf(stderr, "mpcsim plot: --%s needs a value: %s\n", opt_name(optopt),
                        what[optopt - OPT_X]);
            } else {
                fprintf(stderr, "mpcsim plot: %s needs a value\n", argv[optind - 1]);
            }
            return 2;
        default:
            fprintf(stderr, "mpcsim plot: unknown option '");
            err_str(optopt != 0 && optopt < 256 ? (char[]){'-', (char)optopt, '\0'}
                                                : argv[optind - 1]);
            fprintf(stderr, "' (see mpcsim plot --help)\n");
            return 2;
        }
    }
    for (int i = optind; i < argc; i++) {
        if (o->csv != NULL) {
            fprintf(stderr, "mpcsim plot: one CSV at a time\n");
            return 2;
        }
        o->csv = argv[i];
    }
    if (o->timeline != NULL) {
        if (o->csv != NULL || o->x != NULL || o->y != NULL || o->by != NULL) {
            fprintf(stderr, "mpcsim plot: --timeline draws a trace; it takes no RESULTS.csv, "
                            "--x, --y or --by\n");
            return 2;
        }
        if (check_text("the trace file name", o->timeline) < 0 || check_text("-o", o->out) < 0 ||
            check_text("--title", o->title) < 0) {
            return 2;
        }
        return 0;
    }
    if (o->csv == NULL || o->x == NULL || o->y == NULL) {
        fprintf(stderr, "mpcsim plot: missing %s (see mpcsim plot --help)\n",
                o->csv == NULL ? "the RESULTS.csv argument"
                               : (o->x == NULL ? "--x COL" : "--y COL"));
        return 2;
    }
    if (check_text("the CSV file name", o->csv) < 0 || check_text("--x", o->x) < 0 ||
        check_text("--y", o->y) < 0 || check_text("--by", o->by) < 0 ||
        check_text("-o", o->out) < 0 || check_text("--title", o->title) < 0) {
        return 2;
    }
    return 0;
}

/* Open a temporary file beside `path`; its name goes to tmp. */
static FILE *
open_tmp(char *tmp, size_t cap, const char *path)
{
    int fd;
    FILE *f;

    if ((size_t)snprintf(tmp, cap, "%s.tmp.XXXXXX", path) >= cap) {
        errno = ENAMETOOLONG;
        return NULL;
    }
    fd = mkstemp(tmp);
    if (fd < 0) {
        return NULL;
    }
    {
        mode_t mask = umask(0);

        umask(mask);
        (void)fchmod(fd, 0666 & ~mask); /* as fopen() would create it */
    }
    f = fdopen(fd, "w");
    if (f == NULL) {
        close(fd);
        unlink(tmp);
    }
    return f;
}

/* Close `f` (written to tmp) and rename it to path.  0 or -1 (message). */
static int
commit_tmp(FILE *f, const char *tmp, const char *path)
{
    int bad = ferror(f);

    if (fclose(f) != 0 || bad) {
        fprintf(stderr, "mpcsim plot: error writing ");
        err_str(path);
        fprintf(stderr, "\n");
        unlink(tmp);
        return -1;
    }
    if (rename(tmp, path) != 0) {
        fprintf(stderr, "mpcsim plot: cannot write ");
        err_str(path);
        fprintf(stderr, ": %s\n", strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

/* Everything cli_plot() computed, for the script writer. */
struct plot_ctx {
    const struct plot_opts *o;
    char **series;
    int n_series;
    char **cats; /* categorical x labels, or NULL */
    int n_cats;
    int success; /* --y success_rate */
    int drawn;   /* points in the .dat */
};

static void
write_script(FILE *f, const struct plot_ctx *c, const char *gp, const char *dat, const char *out,
             int svg)
{
    const struct plot_opts *o = c->o;
    char path[PLOT_MAX_PATH + 8];

    fprintf(f, "# Written by mpcsim plot; edit and run: gnuplot ");
    gp_path(path, sizeof(path), gp);
    gp_string(f, path);
    fprintf(f, "\nset terminal %s size 900,560 font 'Sans,12' noenhanced\n",
            svg ? "svg dynamic" : "pngcairo");
    fprintf(f, "set output ");
    gp_path(path, sizeof(path), out);
    gp_string(f, path);
    fprintf(f, "\nset title ");
    if (o->title != NULL) {
        gp_string(f, o->title);
    } else {
        char t[600];

        snprintf(t, sizeof(t), "%s vs %s", axis_label(o->y), axis_label(o->x));
        gp_string(f, t);
    }
    fprintf(f, "\nset xlabel ");
    gp_string(f, axis_label(o->x));
    fprintf(f, "\nset ylabel ");
    gp_string(f, axis_label(o->y));
    fprintf(f, "\nset grid\nset offsets graph 0.04, graph 0.04, graph 0.08, graph 0.04\n");
    if (o->key != NULL && strcmp(o->key, "off") == 0) {
        fprintf(f, "unset key\n");
    } else {
        fprintf(f, "set key %s box opaque\n", o->key != NULL ? o->key : "top left");
    }
    if (c->cats != NULL) {
        /* Categories: grouped points at 0, 1, ... with their names as tics. */
        fprintf(f, "set style data %s\nset pointsize 1.5\nset xtics (",
                o->errorbars_none ? "points" : "yerrorbars");
        for (int i = 0; i < c->n_cats; i++) {
            char label[300];

            mpcsim_escape(label, sizeof(label), c->cats[i]);
            fprintf(f, "%s", i ? ", " : "");
            gp_string(f, label);
            fprintf(f, " %d", i);
        }
        fprintf(f, ")\nset xrange [-0.5:%g]\nset offsets 0, 0, graph 0.08, graph 0.04\n",
                c->n_cats - 0.5);
    } else {
        fprintf(f, "set style data %s\nset pointsize 1.2\n",
                o->errorbars_none ? "linespoints" : "yerrorlines");
    }
    if (o->logx) {
        fprintf(f, "set logscale x\n");
    }
    if (o->logy) {
        fprintf(f, "set logscale y\n");
    }
    if (!o->logy && c->success) {
        fprintf(f, "set yrange [0:1.05]\n");
    }
    fprintf(f, "plot ");
    gp_path(path, sizeof(path), dat);
    for (int ser = 0; ser < c->n_series; ser++) {
        char title[600];
        char value[300];

        if (c->series[ser] != NULL) {
            mpcsim_escape(value, sizeof(value), c->series[ser]);
            snprintf(title, sizeof(title), "%s = %s", o->by, value);
        } else {
            snprintf(title, sizeof(title), "%s", o->y);
        }
        fprintf(f, "%s", ser ? ", \\\n     " : "");
        gp_string(f, path);
        fprintf(f, " index %d using 1:2%s lw 2 title ", ser, o->errorbars_none ? "" : ":3");
        gp_string(f, title);
    }
    fprintf(f, "\n");
}

/* "series = value, " for a message. */
static void
err_point(const struct plot_ctx *c, int ser, double x)
{
    if (c->series[ser] != NULL) {
        err_str(c->o->by);
        fprintf(stderr, " = ");
        err_str(c->series[ser][0] != '\0' ? c->series[ser] : "(absent)");
        fprintf(stderr, ", ");
    }
    err_str(c->o->x);
    fprintf(stderr, " = ");
    if (c->cats != NULL) {
        err_str(c->cats[(int)x]);
    } else {
        fprintf(stderr, "%.9g", x);
    }
}

/* The same, into the .dat. */
static void
dat_point(FILE *f, const struct plot_ctx *c, int ser, double x)
{
    if (c->series[ser] != NULL) {
        dat_text(f, c->o->by);
        fprintf(f, " = ");
        dat_text(f, c->series[ser]);
        fprintf(f, ", ");
    }
    dat_text(f, c->o->x);
    fprintf(f, " = ");
    if (c->cats != NULL) {
        dat_text(f, c->cats[(int)x]);
    } else {
        fprintf(f, "%.9g", x);
    }
}

/*
 * Rows of one group that mix values of column `col` (protocols, or a
 * summary's metrics): 1 with the two values in a/b, else 0.
 */
static int
group_mixes(const struct cli_csv_table *t, const struct sample *s, size_t i, size_t j, int col,
            const char **a, const char **b)
{
    if (col < 0) {
        return 0;
    }
    for (size_t k = i + 1; k < j; k++) {
        if (strcmp(cli_csv_cell(t, s[k].row, col), cli_csv_cell(t, s[i].row, col)) != 0) {
            *a = cli_csv_cell(t, s[i].row, col);
            *b = cli_csv_cell(t, s[k].row, col);
            return 1;
        }
    }
    return 0;
}

/* Write the .dat: one gnuplot index per series, one line per x. */
static int
write_dat(FILE *f, struct plot_ctx *c, const struct sample *s, size_t n_s, size_t nrows)
{
    const struct plot_opts *o = c->o;
    double *ys = mpcsim_calloc(n_s > 0 ? n_s : 1, sizeof(*ys));

    if (ys == NULL) {
        return -1;
    }
    fprintf(f, "# mpcsim plot of ");
    dat_text(f, o->csv);
    fprintf(f, " (%zu rows): ", nrows);
    dat_text(f, o->y);
    fprintf(f, " vs ");
    dat_text(f, o->x);
    fprintf(f, "\n# columns: x, mean, %s, rows with a value (n), rows in the group\n",
            o->errorbars_sd ? "sd" : "95% CI half-width (Student's t; 0 when n = 1)");
    fprintf(f, "# Empty CSV fields are absent values: left out, never read as 0.\n");
    if (c->cats != NULL) {
        fprintf(f, "# x is categorical:");
        for (int i = 0; i < c->n_cats; i++) {
            fprintf(f, " %d = ", i);
            dat_text(f, c->cats[i]);
        }
        fprintf(f, "\n");
    }
    c->drawn = 0;
    for (int ser = 0; ser < c->n_series; ser++) {
        size_t i = 0;

        fprintf(f, "# series ");
        dat_text(f, c->series[ser] != NULL ? c->series[ser] : o->y);
        fprintf(f, "\n");
        while (i < n_s) {
            size_t j = i;
            size_t k = 0;

            if (s[i].series != ser) {
                i++;
                continue;
            }
            while (j < n_s && s[j].series == ser && s[j].x == s[i].x) {
                if (!isnan(s[j].y)) {
                    ys[k++] = s[j].y;
                }
                j++;
            }
            fprintf(f, "# ");
            dat_point(f, c, ser, s[i].x);
            fprintf(f, ": mean over %zu of %zu rows (%zu absent)\n", k, j - i, j - i - k);
            if (k == 0) {
                fprintf(stderr, "mpcsim plot: no value of ");
                err_str(o->y);
                fprintf(stderr, " at ");
                err_point(c, ser, s[i].x);
                fprintf(stderr, ": all %zu rows are absent (e.g. aborted trials); no point drawn\n",
                        j - i);
                fprintf(f, "# no value: no point drawn\n");
            } else if (o->logx && !(s[i].x > 0)) {
                fprintf(stderr, "mpcsim plot: --logx: no point at ");
                err_point(c, ser, s[i].x);
                fprintf(stderr, " (%zu rows): x <= 0 has no place on a log axis\n", j - i);
                fprintf(f, "# x <= 0 on a log axis: no point drawn\n");
            } else {
                double mean = gsl_stats_mean(ys, 1, k);
                double sd = k > 1 ? gsl_stats_sd_m(ys, 1, k, mean) : 0;
                double err =
                    o->errorbars_sd
                        ? sd
                        : (k > 1 ? gsl_cdf_tdist_Pinv(0.975, (double)(k - 1)) * sd / sqrt((double)k)
                                 : 0);
                size_t nonpos = 0;

                for (size_t q = 0; q < k; q++) {
                    nonpos += !(ys[q] > 0);
                }
                if (o->logy && !(mean > 0)) {
                    fprintf(stderr, "mpcsim plot: --logy: no point at ");
                    err_point(c, ser, s[i].x);
                    fprintf(stderr, ": the mean over %zu rows is %.6g, not > 0\n", k, mean);
                    fprintf(f, "# mean %.9g <= 0 on a log axis: no point drawn\n", mean);
                } else {
                    if (o->logy && nonpos > 0) {
                        fprintf(stderr, "mpcsim plot: --logy: at ");
                        err_point(c, ser, s[i].x);
                        fprintf(stderr,
                                ", %zu of %zu values are <= 0; they are kept in the mean "
                                "(nothing dropped)\n",
                                nonpos, k);
                    }
                    fprintf(f, "%.9g %.9g %.9g %zu %zu\n", s[i].x, mean, err, k, j - i);
                    c->drawn++;
                }
            }
            i = j;
        }
        fprintf(f, "\n\n");
    }
    mpcsim_free(ys);
    return 0;
}

static int
find_or_add(char **list, int *n, int max, const char *v)
{
    int i;

    for (i = 0; i < *n && strcmp(list[i], v) != 0; i++) {
    }
    if (i == *n) {
        if (*n == max) {
            return -1;
        }
        list[*n] = mpcsim_strdup(v);
        if (list[*n] == NULL) {
            return -1;
        }
        (*n)++;
    }
    return i;
}

/* ---- --timeline: a message-sequence chart of a trace ------------------- */

/*
 * The chart reads what `mpcsim run --trace` writes (sim/cli/trace.h: one
 * JSON event per line, keys in a fixed order): process names, flow starts
 * (from, to, round, bytes) and ends, compute slices (cpu track) and
 * instants.  It is not a general JSON reader: a trace from elsewhere is
 * refused ("not an mpcsim trace").  Times stay integer ns until they are
 * printed as exact decimal ms.
 */
#define TL_MAX_PARTIES_DRAWN 20
#define TL_MAX_ROUND_KEYS 12 /* more rounds: one key entry, colours by round */

struct tl_flow {
    uint64_t id;
    int from, to, round;
    int64_t t_send, t_recv; /* t_recv < 0: no end seen */
    uint64_t bytes;
};

struct tl_bar {
    int party;
    int64_t t0, t1;
};

struct tl_mark {
    int party;
    int64_t t;
    char name[48];
};

struct tl_data {
    struct tl_flow *flows;
    size_t n_flows, cap_flows;
    struct tl_flow *ends; /* id, to (pid - 1), t_recv */
    size_t n_ends, cap_ends;
    struct tl_bar *bars;
    size_t n_bars, cap_bars;
    struct tl_mark *marks;
    size_t n_marks, cap_marks;
    int n_parties;
    int max_round;
    int64_t t_end;
    char scenario[256];
    int trial;
};

/* Grow *p (n used, *cap slots of `size`) for one more; 0 or -1. */
static int
tl_grow(void **p, size_t n, size_t *cap, size_t size)
{
    void *q;
    size_t c;

    if (n < *cap) {
        return 0;
    }
    c = *cap == 0 ? 256 : 2 * *cap;
    q = mpcsim_reallocarray(*p, c, size);
    if (q == NULL) {
        return -1;
    }
    *p = q;
    *cap = c;
    return 0;
}

/* The text right after "key": in `line`, or NULL. */
static const char *
tl_field(const char *line, const char *key)
{
    char pat[64];
    const char *p;

    snprintf(pat, sizeof(pat), "\"%s\":", key);
    p = strstr(line, pat);
    return p != NULL ? p + strlen(pat) : NULL;
}

static int
tl_int(const char *line, const char *key, long long *out)
{
    const char *p = tl_field(line, key);
    char *end;

    if (p == NULL) {
        return 0;
    }
    errno = 0;
    *out = strtoll(p, &end, 10);
    return end != p && errno == 0;
}

/* "123.456" (microseconds, as the trace writes them) as integer ns. */
static int
tl_us(const char *line, const char *key, int64_t *out)
{
    const char *p = tl_field(line, key);
    int64_t v = 0;
    int frac = 0;

    if (p == NULL || *p < '0' || *p > '9') {
        return 0;
    }
    for (; *p >= '0' && *p <= '9'; p++) {
        if (v > (INT64_MAX - 9) / 10 / 1000) {
            return 0;
        }
        v = v * 10 + (*p - '0');
    }
    v *= 1000;
    if (*p == '.') {
        int scale = 100;

        for (p++; *p >= '0' && *p <= '9'; p++) {
            frac += scale * (*p - '0');
            scale /= 10;
        }
    }
    *out = v + frac;
    return 1;
}

/* A JSON string value after "key": copied (escapes kept as written). */
static int
tl_str(const char *line, const char *key, char *buf, size_t cap)
{
    const char *p = tl_field(line, key);
    size_t n = 0;

    if (p == NULL || *p != '"') {
        return 0;
    }
    for (p++; *p != '\0' && *p != '"' && n + 1 < cap; p++) {
        if (*p == '\\' && p[1] != '\0') {
            buf[n++] = *p++;
            if (n + 1 >= cap) {
                break;
            }
        }
        buf[n++] = *p;
    }
    buf[n] = '\0';
    return 1;
}

static int
cmp_flow_id(const void *a, const void *b)
{
    const struct tl_flow *x = a, *y = b;

    return (x->id > y->id) - (x->id < y->id);
}

static void
tl_clear(struct tl_data *d)
{
    mpcsim_free(d->flows);
    mpcsim_free(d->ends);
    mpcsim_free(d->bars);
    mpcsim_free(d->marks);
    memset(d, 0, sizeof(*d));
}

/* Read the trace; 0, or -1 after a message. */
static int
tl_read(struct tl_data *d, const char *path)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    long long lineno = 0;
    int rc = -1;

    memset(d, 0, sizeof(*d));
    if (f == NULL) {
        fprintf(stderr, "mpcsim plot: cannot read ");
        err_str(path);
        fprintf(stderr, ": %s\n", strerror(errno));
        return -1;
    }
    while (getline(&line, &cap, f) >= 0) {
        char ph[4];
        long long pid = 0, tid = 0, v = 0;
        int64_t ts = 0, dur = 0;

        lineno++;
        if (lineno == 1) {
            long long trial = -1;

            if (strstr(line, "\"generator\":\"mpcsim\"") == NULL) {
                break;
            }
            tl_str(line, "scenario", d->scenario, sizeof(d->scenario));
            d->trial = tl_int(line, "trial", &trial) ? (int)trial : -1;
            continue;
        }
        if (!tl_str(line, "ph", ph, sizeof(ph)) || !tl_int(line, "pid", &pid) || pid < 1 ||
            pid > SIM_MAX_PARTIES) {
            continue;
        }
        if (strcmp(ph, "M") == 0) {
            if (strstr(line, "\"process_name\"") != NULL && pid > d->n_parties) {
                d->n_parties = (int)pid;
            }
            continue;
        }
        if (!tl_int(line, "tid", &tid) || !tl_us(line, "ts", &ts)) {
            continue;
        }
        d->t_end = ts > d->t_end ? ts : d->t_end;
        if (strcmp(ph, "s") == 0 || strcmp(ph, "f") == 0) {
            int s = ph[0] == 's';
            struct tl_flow *fl;
            long long from = 0, to = 0, round = 0, bytes = 0;

            if (!tl_int(line, "id", &v) || v < 1 ||
                (s && (!tl_int(line, "from", &from) || !tl_int(line, "to", &to) ||
                       !tl_int(line, "round", &round) || !tl_int(line, "bytes", &bytes)))) {
                continue;
            }
            if (s ? tl_grow((void **)&d->flows, d->n_flows, &d->cap_flows, sizeof(*fl))
                  : tl_grow((void **)&d->ends, d->n_ends, &d->cap_ends, sizeof(*fl))) {
                fprintf(stderr, "mpcsim plot: out of memory\n");
                goto out;
            }
            fl = s ? &d->flows[d->n_flows++] : &d->ends[d->n_ends++];
            memset(fl, 0, sizeof(*fl));
            fl->id = (uint64_t)v;
            fl->from = (int)from;
            fl->to = s ? (int)to : (int)pid - 1;
            fl->round = (int)round;
            fl->bytes = (uint64_t)bytes;
            fl->t_send = ts;
            fl->t_recv = s ? -1 : ts;
            d->max_round = (int)round > d->max_round ? (int)round : d->max_round;
        } else if (strcmp(ph, "X") == 0 && tid == 1 && tl_us(line, "dur", &dur) && dur > 0) {
            if (tl_grow((void **)&d->bars, d->n_bars, &d->cap_bars, sizeof(*d->bars))) {
                fprintf(stderr, "mpcsim plot: out of memory\n");
                goto out;
            }
            d->bars[d->n_bars].party = (int)pid - 1;
            d->bars[d->n_bars].t0 = ts;
            d->bars[d->n_bars].t1 = ts + dur;
            d->n_bars++;
            d->t_end = ts + dur > d->t_end ? ts + dur : d->t_end;
        } else if (strcmp(ph, "i") == 0) {
            struct tl_mark *m;

            if (tl_grow((void **)&d->marks, d->n_marks, &d->cap_marks, sizeof(*d->marks))) {
                fprintf(stderr, "mpcsim plot: out of memory\n");
                goto out;
            }
            m = &d->marks[d->n_marks];
            m->party = (int)pid - 1;
            m->t = ts;
            if (tl_str(line, "name", m->name, sizeof(m->name))) {
                d->n_marks++;
            }
        }
    }
    if (ferror(f) || lineno == 0 || d->n_parties == 0) {
        fprintf(stderr, "mpcsim plot: ");
        err_str(path);
        fprintf(stderr, " is not an mpcsim trace (write one with: mpcsim run SCENARIO.yaml "
                        "--trial K --trace FILE.json)\n");
        goto out;
    }
    /* Pair each flow start with its end (by id). */
    qsort(d->flows, d->n_flows, sizeof(*d->flows), cmp_flow_id);
    qsort(d->ends, d->n_ends, sizeof(*d->ends), cmp_flow_id);
    for (size_t i = 0, j = 0; i < d->n_flows; i++) {
        while (j < d->n_ends && d->ends[j].id < d->flows[i].id) {
            j++;
        }
        if (j < d->n_ends && d->ends[j].id == d->flows[i].id) {
            d->flows[i].t_recv = d->ends[j].t_recv;
        }
    }
    rc = 0;
out:
    free(line); /* getline's buffer comes from malloc */
    fclose(f);
    if (rc < 0) {
        tl_clear(d);
    }
    return rc;
}

/* ns as exact decimal ms ("1.234567"). */
static void
tl_ms(FILE *f, int64_t ns)
{
    fprintf(f, "%lld.%06lld", (long long)(ns / 1000000), (long long)(ns % 1000000));
}

/* The .dat: index 0 messages (or, aggregated, rounds), 1 compute, 2 marks. */
static void
tl_write_dat(FILE *f, const struct tl_data *d, const char *trace, int aggregate)
{
    fprintf(f, "# mpcsim plot --timeline of ");
    dat_text(f, trace);
    fprintf(f, ": %d parties, %zu messages delivered; times in simulated ms\n", d->n_parties,
            d->n_flows);
    if (!aggregate) {
        fprintf(f, "# index 0, messages (one line each): send_ms from deliver_ms to round bytes\n");
        for (size_t i = 0; i < d->n_flows; i++) {
            const struct tl_flow *fl = &d->flows[i];

            if (fl->t_recv < 0) {
                continue;
            }
            tl_ms(f, fl->t_send);
            fprintf(f, " %d ", fl->from);
            tl_ms(f, fl->t_recv);
            fprintf(f, " %d %d %llu\n", fl->to, fl->round, (unsigned long long)fl->bytes);
        }
    } else {
        fprintf(f,
                "# index 0, rounds (messages aggregated: more than %d parties): round "
                "first_send_ms last_delivery_ms messages bytes\n",
                TL_MAX_PARTIES_DRAWN);
        for (int r = 0; r <= d->max_round; r++) {
            int64_t a = INT64_MAX, b = -1;
            uint64_t n = 0, bytes = 0;

            for (size_t i = 0; i < d->n_flows; i++) {
                const struct tl_flow *fl = &d->flows[i];

                if (fl->round != r || fl->t_recv < 0) {
                    continue;
                }
                a = fl->t_send < a ? fl->t_send : a;
                b = fl->t_recv > b ? fl->t_recv : b;
                n++;
                bytes += fl->bytes;
            }
            if (n > 0) {
                fprintf(f, "%d ", r);
                tl_ms(f, a);
                fputc(' ', f);
                tl_ms(f, b);
                fprintf(f, " %llu %llu\n", (unsigned long long)n, (unsigned long long)bytes);
            }
        }
    }
    fprintf(f, "\n\n# index 1, compute (one line per handler with modelled compute): party "
               "start_ms end_ms\n");
    for (size_t i = 0; i < d->n_bars; i++) {
        fprintf(f, "%d ", d->bars[i].party);
        tl_ms(f, d->bars[i].t0);
        fputc(' ', f);
        tl_ms(f, d->bars[i].t1);
        fputc('\n', f);
    }
    fprintf(f, "\n\n# index 2, marks: party time_ms kind (0 output, 1 fault) label\n");
    for (size_t i = 0; i < d->n_marks; i++) {
        const struct tl_mark *m = &d->marks[i];
        int output = strcmp(m->name, "output") == 0;

        fprintf(f, "%d ", m->party);
        tl_ms(f, m->t);
        fprintf(f, " %d \"", output ? 0 : 1);
        /* "lost to P5": the sender's mark says "lost" (several coincide). */
        for (const char *p = m->name; *p != '\0' && strncmp(p, " to P", 5) != 0; p++) {
            fputc(*p == '"' || *p == '\\' || (unsigned char)*p < 0x20 ? '_' : *p, f);
        }
        fputs("\"\n", f);
    }
}

static void
tl_write_script(FILE *f, const struct tl_data *d, const char *gp, const char *dat, const char *out,
                int svg, const char *title, int aggregate)
{
    char path[PLOT_MAX_PATH + 8], dpath[PLOT_MAX_PATH + 8], t[600];
    int rows = aggregate ? d->max_round + 1 : d->n_parties;
    int outputs = 0, faults = 0;

    for (size_t i = 0; i < d->n_marks; i++) {
        outputs |= strcmp(d->marks[i].name, "output") == 0;
        faults |= strcmp(d->marks[i].name, "output") != 0;
    }

    fprintf(f, "# Written by mpcsim plot --timeline; edit and run: gnuplot ");
    gp_path(path, sizeof(path), gp);
    gp_string(f, path);
    fprintf(f, "\nset terminal %s size 1000,%d font 'Sans,11' noenhanced\n",
            svg ? "svg dynamic" : "pngcairo", 160 + 34 * (rows < 4 ? 4 : rows));
    fprintf(f, "set output ");
    gp_path(path, sizeof(path), out);
    gp_string(f, path);
    fprintf(f, "\nset title ");
    if (title != NULL) {
        gp_string(f, title);
    } else {
        char sc[300];

        mpcsim_escape(sc, sizeof(sc), d->scenario);
        snprintf(t, sizeof(t), "%s, trial %d: %zu messages%s", sc, d->trial, d->n_flows,
                 aggregate ? " (aggregated per round)" : "");
        gp_string(f, t);
    }
    fprintf(f, "\nset xlabel 'simulated time (ms)'\nset grid xtics\n");
    fprintf(f, "set key outside right top box opaque\nset xrange [0:*]\nset offsets 0, graph "
               "0.03, 0, 0\n");
    gp_path(dpath, sizeof(dpath), dat);
    if (!aggregate) {
        fprintf(f, "set ylabel 'party'\nset yrange [%d.5:-0.7]\nset ytics (", d->n_parties - 1);
        for (int i = 0; i < d->n_parties; i++) {
            fprintf(f, "%s'P%d' %d", i ? ", " : "", i, i);
        }
        fprintf(f, ")\n");
        fprintf(f, "plot ");
        for (int r = 1; r <= d->max_round && d->max_round <= TL_MAX_ROUND_KEYS; r++) {
            fprintf(f, "%s", r > 1 ? ", \\\n     " : "");
            gp_string(f, dpath);
            fprintf(f,
                    " index 0 using 1:($5 == %d ? $2 : NaN):($3-$1):($4-$2) with vectors "
                    "head filled size screen 0.008,20 lw 1.2 lc %d title 'round %d'",
                    r, r, r);
        }
        if (d->max_round > TL_MAX_ROUND_KEYS) {
            /* Too many rounds for a key entry each: one clause, colour by round. */
            gp_string(f, dpath);
            fprintf(f, " index 0 using 1:2:($3-$1):($4-$2):5 with vectors head filled size "
                       "screen 0.008,20 lw 1.2 lc variable title 'messages (colour: round)'");
        }
        fprintf(f, "%s", d->max_round >= 1 ? ", \\\n     " : "");
        if (d->n_bars > 0) {
            gp_string(f, dpath);
            fprintf(f, " index 1 using 2:1:($3-$2):(0) with vectors nohead lw 9 lc rgb '#404040' "
                       "title 'compute', \\\n     ");
        }
    } else {
        fprintf(f, "set ylabel 'protocol round'\nset yrange [%d.6:0.4]\nset ytics (",
                d->max_round + faults);
        for (int r = 1; r <= d->max_round; r++) {
            fprintf(f, "%s'%d' %d", r > 1 ? ", " : "", r, r);
        }
        fprintf(f, "%s)\n", faults ? ", 'faults' 0" : "");
        if (faults) {
            fprintf(f, "set yrange [%d.6:-0.6]\n", d->max_round);
        }
        fprintf(f, "plot ");
        gp_string(f, dpath);
        fprintf(f, " index 0 using 2:1:($3-$2):(0):1 with vectors nohead lw 14 lc variable "
                   "title 'first send to last delivery', \\\n     ");
        if (faults) {
            gp_string(f, dpath);
            fprintf(f, " index 2 using ($3 == 1 ? $2 : NaN):(0) with points pt 7 ps 1.2 lc rgb "
                       "'#d7191c' title 'fault (crash, dropout, lost, abort)', \\\n     ");
        }
        gp_string(f, dpath);
        fprintf(f, " index 0 using 3:1:(sprintf(' %%d msgs', $4)) with labels left notitle, "
                   "\\\n     ");
    }
    if (!aggregate && outputs) {
        gp_string(f, dpath);
        fprintf(f, " index 2 using ($3 == 0 ? $2 : NaN):1 with points pt 9 ps 1.6 lc rgb "
                   "'#1a9641' title 'output', \\\n     ");
    }
    if (!aggregate && faults) {
        gp_string(f, dpath);
        fprintf(f, " index 2 using ($3 == 1 ? $2 : NaN):1 with points pt 7 ps 1.4 lc rgb "
                   "'#d7191c' title 'fault', \\\n     ");
        gp_string(f, dpath);
        fprintf(f, " index 2 using ($3 == 1 ? $2 : NaN):1:4 with labels offset 0.8,0.6 left "
                   "tc rgb '#d7191c' notitle, \\\n     ");
    }
    fprintf(f, "NaN notitle\n");
}

/* A figure's script writer: `out` is the figure the script draws into. */
typedef void figure_script_fn(FILE *f, const void *arg, const char *gp, const char *dat,
                              const char *out, int svg);

/*
 * Write the figure's script and the figure, each atomically: the .gp that
 * names the final figure, then gnuplot run on a temporary copy of it that
 * draws into a temporary figure, renamed over `out` when gnuplot succeeds.
 * tgp, tout and trun (PLOT_MAX_PATH + 16 bytes) receive the temporaries'
 * names; the caller unlinks tout and trun while they are set.  Prints
 * "wrote OUT (data DAT, script GP): WHAT".  Returns 0, or -1 (reported).
 */
static int
figure_render(figure_script_fn *script, const void *arg, const char *gp, const char *dat,
              const char *out, int svg, char *tgp, char *tout, char *trun, const char *what)
{
    FILE *f = open_tmp(tgp, PLOT_MAX_PATH + 16, gp);

    if (f == NULL) {
        fprintf(stderr, "mpcsim plot: cannot write ");
        err_str(gp);
        fprintf(stderr, ": %s\n", strerror(errno));
        return -1;
    }
    script(f, arg, gp, dat, out, svg);
    if (commit_tmp(f, tgp, gp) < 0) {
        return -1;
    }
    f = open_tmp(tout, PLOT_MAX_PATH + 16, out);
    if (f != NULL) {
        fclose(f);
        f = open_tmp(trun, PLOT_MAX_PATH + 16, gp);
    }
    if (f == NULL) {
        fprintf(stderr, "mpcsim plot: cannot write beside ");
        err_str(out);
        fprintf(stderr, ": %s\n", strerror(errno));
        return -1;
    }
    script(f, arg, gp, dat, tout, svg);
    if (fclose(f) != 0) {
        fprintf(stderr, "mpcsim plot: cannot write a temporary script\n");
        return -1;
    }
    if (run_gnuplot(trun, gp) < 0) {
        return -1;
    }
    if (rename(tout, out) != 0) {
        fprintf(stderr, "mpcsim plot: cannot write ");
        err_str(out);
        fprintf(stderr, ": %s\n", strerror(errno));
        return -1;
    }
    tout[0] = '\0';
    printf("wrote ");
    mpcsim_escape_fputs(stdout, out);
    printf(" (data ");
    mpcsim_escape_fputs(stdout, dat);
    printf(", script ");
    mpcsim_escape_fputs(stdout, gp);
    printf("): %s\n", what);
    return 0;
}
/* write_script as a figure_script_fn. */
static void
plot_script_cb(FILE *f, const void *arg, const char *gp, const char *dat, const char *out, int svg)
{
    write_script(f, arg, gp, dat, out, svg);
}

/* tl_write_script as a figure_script_fn. */
struct tl_script_arg {
    const struct tl_data *d;
    const char *title;
    int aggregate;
};

static void
tl_script_cb(FILE *f, const void *arg, const char *gp, const char *dat, const char *out, int svg)
{
    const struct tl_script_arg *a = arg;

    tl_write_script(f, a->d, gp, dat, out, svg, a->title, a->aggregate);
}

/* mpcsim plot --timeline TRACE.json [-o FIG.png|svg] [--title T]. */
static int
plot_timeline(const struct plot_opts *o)
{
    struct tl_data d;
    char out[PLOT_MAX_PATH], dat[PLOT_MAX_PATH], gp[PLOT_MAX_PATH];
    char tdat[PLOT_MAX_PATH + 16], tgp[PLOT_MAX_PATH + 16], tout[PLOT_MAX_PATH + 16],
        trun[PLOT_MAX_PATH + 16];
    FILE *f = NULL;
    size_t len;
    int svg, aggregate;
    int status = CLI_EXIT_USAGE;

    tout[0] = trun[0] = '\0';
    if (o->out != NULL) {
        len = strlen(o->out);
        if (len >= sizeof(out) - 8) {
            fprintf(stderr, "mpcsim plot: -o name too long\n");
            return CLI_EXIT_USAGE;
        }
        memcpy(out, o->out, len + 1);
    } else {
        len = strlen(o->timeline);
        if (len >= sizeof(out) - 8) {
            fprintf(stderr, "mpcsim plot: trace name too long\n");
            return CLI_EXIT_USAGE;
        }
        if (len > 5 && strcmp(o->timeline + len - 5, ".json") == 0) {
            len -= 5;
        }
        snprintf(out, sizeof(out), "%.*s.png", (int)len, o->timeline);
    }
    len = strlen(out);
    if (!(len > 4 && (strcmp(out + len - 4, ".svg") == 0 || strcmp(out + len - 4, ".png") == 0))) {
        fprintf(stderr, "mpcsim plot: -o must end in .png or .svg, got '");
        err_str(out);
        fprintf(stderr, "'\n");
        return CLI_EXIT_USAGE;
    }
    svg = strcmp(out + len - 4, ".svg") == 0;
    snprintf(dat, sizeof(dat), "%.*s.dat", (int)len - 4, out);
    snprintf(gp, sizeof(gp), "%.*s.gp", (int)len - 4, out);
    if (mpcsim_same_path(dat, o->timeline) || mpcsim_same_path(gp, o->timeline) ||
        mpcsim_same_path(out, o->timeline)) {
        fprintf(stderr, "mpcsim plot: -o ");
        err_str(out);
        fprintf(stderr, " would overwrite the trace (its .dat/.gp/figure); choose another name\n");
        return CLI_EXIT_USAGE;
    }
    if (tl_read(&d, o->timeline) < 0) {
        return CLI_EXIT_USAGE;
    }
    aggregate = d.n_parties > TL_MAX_PARTIES_DRAWN;
    if (aggregate) {
        fprintf(stderr,
                "mpcsim plot: %d parties: more than %d to draw one arrow per message, so the "
                "chart aggregates messages per protocol round (first send to last delivery)\n",
                d.n_parties, TL_MAX_PARTIES_DRAWN);
    }
    f = open_tmp(tdat, sizeof(tdat), dat);
    if (f == NULL) {
        fprintf(stderr, "mpcsim plot: cannot write ");
        err_str(dat);
        fprintf(stderr, ": %s\n", strerror(errno));
        goto out;
    }
    tl_write_dat(f, &d, o->timeline, aggregate);
    if (commit_tmp(f, tdat, dat) < 0) {
        goto out;
    }
    {
        struct tl_script_arg sa = {&d, o->title, aggregate};
        char what[96];

        snprintf(what, sizeof(what), "%d parties, %zu messages%s", d.n_parties, d.n_flows,
                 aggregate ? ", aggregated per round" : "");
        if (figure_render(tl_script_cb, &sa, gp, dat, out, svg, tgp, tout, trun, what) < 0) {
            goto out;
        }
    }
    status = CLI_EXIT_OK;
out:
    if (tout[0] != '\0') {
        unlink(tout);
    }
    if (trun[0] != '\0') {
        unlink(trun);
    }
    tl_clear(&d);
    return status;
}

/* see commands.h */
int
cli_plot(int argc, char **argv)
{
    struct plot_opts o;
    struct cli_csv_table t;
    struct plot_ctx c;
    char *series[PLOT_MAX_SERIES];
    char *cats[PLOT_MAX_CATEGORIES];
    int n_cats = 0;
    int categorical = 0;
    struct sample *s = NULL;
    size_t n_s = 0;
    size_t absent_x = 0;
    int xi, yi, bi = -1, si, pi, mi;
    char out[PLOT_MAX_PATH], dat[PLOT_MAX_PATH], gp[PLOT_MAX_PATH];
    char tdat[PLOT_MAX_PATH + 16], tgp[PLOT_MAX_PATH + 16], tout[PLOT_MAX_PATH + 16],
        trun[PLOT_MAX_PATH + 16];
    FILE *f = NULL;
    int status = CLI_EXIT_USAGE;
    int rc;
    int svg;
    size_t len;

    memset(&c, 0, sizeof(c));
    memset(&t, 0, sizeof(t));
    tout[0] = trun[0] = '\0';
    rc = parse_plot_args(&o, argc, argv);
    if (rc != 0) {
        return rc == 1 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    }
    if (o.timeline != NULL) {
        return plot_timeline(&o);
    }
    c.o = &o;
    c.series = series;
    /* The output names, checked before any work. */
    if (o.out != NULL) {
        len = strlen(o.out);
        if (len >= sizeof(out) - 8) {
            fprintf(stderr, "mpcsim plot: -o name too long\n");
            return CLI_EXIT_USAGE;
        }
        memcpy(out, o.out, len + 1);
    } else {
        len = strlen(o.csv);
        if (len >= sizeof(out) - 8) {
            fprintf(stderr, "mpcsim plot: CSV name too long\n");
            return CLI_EXIT_USAGE;
        }
        if (len > 4 && strcmp(o.csv + len - 4, ".csv") == 0) {
            len -= 4;
        }
        snprintf(out, sizeof(out), "%.*s.png", (int)len, o.csv);
    }
    len = strlen(out);
    if (!(len > 4 && (strcmp(out + len - 4, ".svg") == 0 || strcmp(out + len - 4, ".png") == 0))) {
        fprintf(stderr, "mpcsim plot: -o must end in .png or .svg, got '");
        err_str(out);
        fprintf(stderr, "'\n");
        return CLI_EXIT_USAGE;
    }
    svg = strcmp(out + len - 4, ".svg") == 0;
    snprintf(dat, sizeof(dat), "%.*s.dat", (int)len - 4, out);
    snprintf(gp, sizeof(gp), "%.*s.gp", (int)len - 4, out);

    if (table_read(&t, o.csv) < 0) {
        goto out;
    }
    c.success = strcmp(o.y, "success_rate") == 0 && col_exact(&t, "success_rate") < 0;
    xi = col_resolve(&t, o.x);
    yi = c.success ? -3 : col_resolve(&t, o.y);
    si = col_exact(&t, "status");
    if (o.by != NULL) {
        bi = col_resolve(&t, o.by);
    }
    if (xi == -2 || yi == -2 || bi == -2) {
        goto out;
    }
    if (xi < 0 || yi == -1 || (o.by != NULL && bi < 0) || (c.success && si < 0)) {
        const char *bad = xi < 0 ? o.x : (yi == -1 ? o.y : (bi < 0 && o.by ? o.by : "status"));

        fprintf(stderr, "mpcsim plot: ");
        err_str(o.csv);
        fprintf(stderr, " has no column '");
        err_str(bad);
        fprintf(stderr, "' (columns:");
        for (int i = 0; i < t.ncol; i++) {
            fprintf(stderr, " ");
            err_str(t.hdr[i]);
        }
        fprintf(stderr, ")\n");
        goto out;
    }
    /* A --summary CSV has one row per (point, metric): its statistics
     * columns mean nothing averaged across metrics. */
    mi = col_exact(&t, "column") >= 0 && col_exact(&t, "mean") >= 0 ? col_exact(&t, "column")
                                                                    : col_exact(&t, "metric");
    if (mi >= 0 && col_exact(&t, "mean") < 0) {
        mi = -1;
    }
    pi = col_exact(&t, "protocol");
    /* x: numeric unless some present value is not a number. */
    for (size_t r = 0; r < t.nrows; r++) {
        double x;
        const char *v = cli_csv_cell(&t, r, xi);

        if (v[0] != '\0' && !parse_num(v, &x)) {
            categorical = 1;
            break;
        }
    }
    if (categorical && o.logx) {
        fprintf(stderr, "mpcsim plot: --logx needs a numeric --x; '");
        err_str(o.x);
        fprintf(stderr, "' holds names\n");
        goto out;
    }
    s = mpcsim_calloc(t.nrows > 0 ? t.nrows : 1, sizeof(*s));
    if (s == NULL) {
        fprintf(stderr, "mpcsim plot: out of memory\n");
        goto out;
    }
    for (size_t r = 0; r < t.nrows; r++) {
        const char *xv = cli_csv_cell(&t, r, xi);
        double x, y;
        int ser = 0;

        if (xv[0] == '\0') {
            absent_x++;
            continue;
        }
        if (categorical) {
            int k = find_or_add(cats, &n_cats, PLOT_MAX_CATEGORIES, xv);

            if (k < 0) {
                fprintf(stderr, "mpcsim plot: more than %d categories in --x ",
                        PLOT_MAX_CATEGORIES);
                err_str(o.x);
                fprintf(stderr, "\n");
                goto out;
            }
            x = k;
        } else if (!parse_num(xv, &x)) {
            goto out; /* not reached: checked above */
        }
        if (c.success) {
            const char *st = cli_csv_cell(&t, r, si);

            y = st[0] == '\0' ? NAN : strcmp(st, "ok") == 0;
        } else {
            const char *yv = cli_csv_cell(&t, r, yi);

            if (yv[0] == '\0') {
                y = NAN;
            } else if (!parse_num(yv, &y)) {
                err_str(o.csv);
                fprintf(stderr, ":%zu: error: column '", r + 2);
                err_str(o.y);
                fprintf(stderr, "' is not numeric ('");
                err_str(yv);
                fprintf(stderr, "'); --y needs numbers (an empty field is an absent value)\n");
                goto out;
            }
        }
        if (bi >= 0) {
            ser = find_or_add(series, &c.n_series, PLOT_MAX_SERIES, cli_csv_cell(&t, r, bi));
            if (ser < 0) {
                fprintf(stderr, "mpcsim plot: more than %d series in --by ", PLOT_MAX_SERIES);
                err_str(o.by);
                fprintf(stderr, "\n");
                goto out;
            }
        } else {
            c.n_series = 1;
            series[0] = NULL;
        }
        s[n_s].series = ser;
        s[n_s].x = x;
        s[n_s].y = y;
        s[n_s].row = r;
        n_s++;
    }
    if (absent_x > 0) {
        fprintf(stderr, "mpcsim plot: %zu rows have no value of --x ", absent_x);
        err_str(o.x);
        fprintf(stderr, "; left out\n");
    }
    if (n_s == 0) {
        fprintf(stderr, "mpcsim plot: ");
        err_str(o.csv);
        fprintf(stderr, " has no rows to plot\n");
        goto out;
    }
    qsort(s, n_s, sizeof(*s), cmp_sample);
    c.cats = categorical ? cats : NULL;
    c.n_cats = n_cats;
    /* One line must not pool protocols, nor a summary's metrics. */
    {
        size_t pooled = 0;

        for (size_t i = 0; i < n_s;) {
            size_t j = i;
            const char *a = NULL, *b = NULL;

            while (j < n_s && s[j].series == s[i].series && s[j].x == s[i].x) {
                j++;
            }
            if (group_mixes(&t, s, i, j, mi, &a, &b) && (bi < 0 || bi != mi)) {
                fprintf(stderr, "mpcsim plot: ");
                err_str(o.csv);
                fprintf(stderr, " is a --summary CSV (one row per metric); its '");
                err_str(o.y);
                fprintf(stderr, "' at ");
                err_point(&c, s[i].series, s[i].x);
                fprintf(stderr, " mixes metrics '");
                err_str(a);
                fprintf(stderr, "' and '");
                err_str(b);
                fprintf(stderr, "': add --by %s (or plot the per-trial CSV)\n", t.hdr[mi]);
                goto out;
            }
            if (group_mixes(&t, s, i, j, pi, &a, &b)) {
                if (!o.pool) {
                    fprintf(stderr, "mpcsim plot: the rows at ");
                    err_point(&c, s[i].series, s[i].x);
                    fprintf(stderr, " mix protocols '");
                    err_str(a);
                    fprintf(stderr, "' and '");
                    err_str(b);
                    fprintf(stderr, "'; add --by protocol.kind for one line per protocol, or "
                                    "--pool to average them anyway\n");
                    goto out;
                }
                pooled++;
            }
            i = j;
        }
        if (pooled > 0) {
            fprintf(stderr,
                    "mpcsim plot: --pool: %zu point(s) average rows of several protocols into "
                    "one line\n",
                    pooled);
        }
    }
    /* Write the .dat and the script to temporary files, then rename. */
    f = open_tmp(tdat, sizeof(tdat), dat);
    if (f == NULL) {
        fprintf(stderr, "mpcsim plot: cannot write ");
        err_str(dat);
        fprintf(stderr, ": %s\n", strerror(errno));
        goto out;
    }
    if (write_dat(f, &c, s, n_s, t.nrows) < 0) {
        fclose(f);
        unlink(tdat);
        goto out;
    }
    if (commit_tmp(f, tdat, dat) < 0) {
        goto out;
    }
    if (c.drawn == 0) {
        fprintf(stderr, "mpcsim plot: no point to draw (data in ");
        err_str(dat);
        fprintf(stderr, ")\n");
        goto out;
    }
    {
        char what[96];

        snprintf(what, sizeof(what), "%d points from %zu rows", c.drawn, t.nrows);
        if (figure_render(plot_script_cb, &c, gp, dat, out, svg, tgp, tout, trun, what) < 0) {
            goto out;
        }
    }
    status = CLI_EXIT_OK;
out:
    if (tout[0] != '\0') {
        unlink(tout);
    }
    if (trun[0] != '\0') {
        unlink(trun);
    }
    for (int i = 0; i < c.n_series; i++) {
        mpcsim_free(series[i]);
    }
    for (int i = 0; i < n_cats; i++) {
        mpcsim_free(cats[i]);
    }
    mpcsim_free(s);
    cli_csv_table_clear(&t);
    return status;
}
