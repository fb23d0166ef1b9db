/* SPDX-License-Identifier: MIT */
/*
 * sim/cli/plot.c - `mpcsim plot`: per-trial CSV in, gnuplot figure out.
 *
 * Rows are grouped into series by --by and into points by --x; each point
 * is the mean of --y over its trials with an error bar (95 % confidence
 * interval from Student's t, or the standard deviation).  The data and
 * the gnuplot script are written next to the figure (FIG.dat, FIG.gp) so
 * that users can restyle it, and gnuplot is run on the script.
 */
#include "sim/cli/commands.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

#include "common/alloc.h"

#define PLOT_MAX_COLS 128
#define PLOT_MAX_SERIES 64
#define PLOT_MAX_LINE 65536

struct sample {
    int series;
    double x, y;
};

struct plot_opts {
    const char *csv, *x, *y, *by, *out, *title, *key;
    int errorbars_sd;
    int errorbars_none;
    int logx, logy;
};

static void
plot_usage(FILE *f)
{
    fprintf(f,
            "usage: mpcsim plot RESULTS.csv --x COL --y COL [--by COL] [--errorbars ci|sd|none]\n"
            "                   [--logx] [--logy] [--title TEXT] [--key POSITION]\n"
            "                   [-o FIG.png|FIG.svg]\n"
            "\n"
            "Plots the mean of column Y against column X, one line per value of --by,\n"
            "with 95%% confidence intervals (or standard deviations) as error bars.\n"
            "Y may also be success_rate (the fraction of trials with status ok).\n"
            "Writes FIG.dat and FIG.gp beside the figure and runs gnuplot.\n"
            "Exit: 0 ok, 2 bad arguments, an unreadable CSV or no gnuplot.\n");
}

/* Split a CSV line in place (RFC 4180 quotes).  Returns the field count. */
static int
csv_split(char *line, char **fields, int max)
{
    int n = 0;
    char *p = line;

    line[strcspn(line, "\r\n")] = '\0';
    while (n < max) {
        char *out = p;

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

static int
col_index(char **names, int n, const char *want)
{
    for (int i = 0; i < n; i++) {
        if (strcmp(names[i], want) == 0) {
            return i;
        }
    }
    return -1;
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
    return (x->x > y->x) - (x->x < y->x);
}

/* Escape for a single-quoted gnuplot string. */
static void
gp_string(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s != '\0'; s++) {
        if (*s == '\'') {
            fputc('\'', f);
        }
        fputc(*s, f);
    }
    fputc('\'', f);
}

static int
run_gnuplot(const char *script)
{
    pid_t pid;
    int st = 0;

    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        execlp("gnuplot", "gnuplot", script, (char *)NULL);
        _exit(127);
    }
    if (pid < 0 || waitpid(pid, &st, 0) < 0) {
        return -1;
    }
    if (WIFEXITED(st) && WEXITSTATUS(st) == 127) {
        fprintf(stderr,
                "mpcsim plot: gnuplot is not installed (apt-get install gnuplot-nox); "
                "the data and script are written, run 'gnuplot %s' later\n",
                script);
        return -1;
    }
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "mpcsim plot: gnuplot failed on %s\n", script);
        return -1;
    }
    return 0;
}

static int
parse_plot_args(struct plot_opts *o, int argc, char **argv)
{
    memset(o, 0, sizeof(*o));
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;

        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            plot_usage(stdout);
            return 1;
        } else if (strcmp(a, "--logx") == 0) {
            o->logx = 1;
        } else if (strcmp(a, "--logy") == 0) {
            o->logy = 1;
        } else if (a[0] != '-') {
            if (o->csv != NULL) {
                fprintf(stderr, "mpcsim plot: one CSV at a time\n");
                return 2;
            }
            o->csv = a;
        } else if (v == NULL) {
            fprintf(stderr, "mpcsim plot: %s needs a value (see mpcsim plot --help)\n", a);
            return 2;
        } else {
            i++;
            if (strcmp(a, "--x") == 0) {
                o->x = v;
            } else if (strcmp(a, "--y") == 0) {
                o->y = v;
            } else if (strcmp(a, "--by") == 0) {
                o->by = v;
            } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
                o->out = v;
            } else if (strcmp(a, "--title") == 0) {
                o->title = v;
            } else if (strcmp(a, "--key") == 0) {
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
            } else if (strcmp(a, "--errorbars") == 0) {
                if (strcmp(v, "ci") == 0) {
                    o->errorbars_sd = 0;
                } else if (strcmp(v, "sd") == 0) {
                    o->errorbars_sd = 1;
                } else if (strcmp(v, "none") == 0) {
                    o->errorbars_none = 1;
                } else {
                    fprintf(stderr, "mpcsim plot: --errorbars expects ci, sd or none, got '%s'\n",
                            v);
                    return 2;
                }
            } else {
                fprintf(stderr, "mpcsim plot: unknown option '%s' (see mpcsim plot --help)\n", a);
                return 2;
            }
        }
    }
    if (o->csv == NULL || o->x == NULL || o->y == NULL) {
        plot_usage(stderr);
        return 2;
    }
    return 0;
}

/* see commands.h */
int
cli_plot(int argc, char **argv)
{
    struct plot_opts o;
    FILE *in = NULL;
    FILE *f = NULL;
    char *line = NULL;
    char *hdr[PLOT_MAX_COLS];
    char *fields[PLOT_MAX_COLS];
    char *series[PLOT_MAX_SERIES];
    int n_series = 0;
    struct sample *s = NULL;
    size_t n_s = 0, cap_s = 0;
    int ncol, xi, yi, bi = -1, si = -1;
    char out[4096], dat[4200], gp[4200];
    int svg = 0;
    int status = CLI_EXIT_USAGE;
    long lineno = 1;
    int rc;

    rc = parse_plot_args(&o, argc, argv);
    if (rc != 0) {
        return rc == 1 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    }
    in = fopen(o.csv, "r");
    line = mpcsim_malloc(PLOT_MAX_LINE);
    if (in == NULL || line == NULL) {
        fprintf(stderr, "mpcsim plot: cannot read %s: %s\n", o.csv, strerror(errno));
        goto out;
    }
    if (fgets(line, PLOT_MAX_LINE, in) == NULL) {
        fprintf(stderr, "%s:1: error: empty file; expected a CSV header\n", o.csv);
        goto out;
    }
    {
        char *copy = mpcsim_strdup(line);
        char *tmp[PLOT_MAX_COLS];

        if (copy == NULL) {
            goto out;
        }
        ncol = csv_split(copy, tmp, PLOT_MAX_COLS);
        for (int i = 0; i < ncol; i++) {
            hdr[i] = tmp[i];
        }
        /* hdr[] points into `copy`, kept until exit via hdr[0]. */
    }
    xi = col_index(hdr, ncol, o.x);
    yi = strcmp(o.y, "success_rate") == 0 ? -2 : col_index(hdr, ncol, o.y);
    si = col_index(hdr, ncol, "status");
    if (o.by != NULL) {
        bi = col_index(hdr, ncol, o.by);
    }
    if (xi < 0 || yi == -1 || (o.by != NULL && bi < 0) || (yi == -2 && si < 0)) {
        const char *bad = xi < 0 ? o.x : (yi == -1 ? o.y : (bi < 0 && o.by ? o.by : "status"));

        fprintf(stderr, "mpcsim plot: %s has no column '%s' (columns:", o.csv, bad);
        for (int i = 0; i < ncol; i++) {
            fprintf(stderr, " %s", hdr[i]);
        }
        fprintf(stderr, ")\n");
        goto out_hdr;
    }
    while (fgets(line, PLOT_MAX_LINE, in) != NULL) {
        int nf;
        double x, y;
        int ser = 0;

        lineno++;
        if (line[0] == '\n' || line[0] == '\0') {
            continue;
        }
        nf = csv_split(line, fields, PLOT_MAX_COLS);
        if (nf != ncol) {
            fprintf(stderr, "%s:%ld: error: %d fields, the header has %d\n", o.csv, lineno, nf,
                    ncol);
            goto out_hdr;
        }
        if (!parse_num(fields[xi], &x)) {
            fprintf(stderr, "%s:%ld: error: column '%s' is not numeric ('%s'); --x needs numbers\n",
                    o.csv, lineno, o.x, fields[xi]);
            goto out_hdr;
        }
        if (yi == -2) {
            y = strcmp(fields[si], "ok") == 0;
        } else if (!parse_num(fields[yi], &y)) {
            fprintf(stderr, "%s:%ld: error: column '%s' is not numeric ('%s'); --y needs numbers\n",
                    o.csv, lineno, o.y, fields[yi]);
            goto out_hdr;
        }
        if ((o.logx && !(x > 0)) || (o.logy && !(y > 0))) {
            continue; /* not drawable on a log axis */
        }
        if (bi >= 0) {
            for (ser = 0; ser < n_series && strcmp(series[ser], fields[bi]) != 0; ser++) {
            }
            if (ser == n_series) {
                if (n_series == PLOT_MAX_SERIES) {
                    fprintf(stderr, "mpcsim plot: more than %d series in --by %s\n",
                            PLOT_MAX_SERIES, o.by);
                    goto out_hdr;
                }
                series[n_series] = mpcsim_strdup(fields[bi]);
                if (series[n_series] == NULL) {
                    goto out_hdr;
                }
                n_series++;
            }
        } else {
            n_series = 1;
            series[0] = NULL;
        }
        if (n_s == cap_s) {
            struct sample *ns = mpcsim_reallocarray(s, cap_s ? 2 * cap_s : 256, sizeof(*s));

            if (ns == NULL) {
                goto out_hdr;
            }
            s = ns;
            cap_s = cap_s ? 2 * cap_s : 256;
        }
        s[n_s].series = ser;
        s[n_s].x = x;
        s[n_s].y = y;
        n_s++;
    }
    if (n_s == 0) {
        fprintf(stderr, "mpcsim plot: %s has no rows to plot\n", o.csv);
        goto out_hdr;
    }
    qsort(s, n_s, sizeof(*s), cmp_sample);
    if (o.out != NULL) {
        snprintf(out, sizeof(out), "%s", o.out);
    } else {
        snprintf(out, sizeof(out), "%.*s.png",
                 (int)(strlen(o.csv) > 4 && strcmp(o.csv + strlen(o.csv) - 4, ".csv") == 0
                           ? strlen(o.csv) - 4
                           : strlen(o.csv)),
                 o.csv);
    }
    if (strlen(out) > 4 && strcmp(out + strlen(out) - 4, ".svg") == 0) {
        svg = 1;
    } else if (!(strlen(out) > 4 && strcmp(out + strlen(out) - 4, ".png") == 0)) {
        fprintf(stderr, "mpcsim plot: -o must end in .png or .svg, got '%s'\n", out);
        goto out_hdr;
    }
    snprintf(dat, sizeof(dat), "%.*s.dat", (int)strlen(out) - 4, out);
    snprintf(gp, sizeof(gp), "%.*s.gp", (int)strlen(out) - 4, out);
    /* The data: one gnuplot index per series, one line per x: x mean err n. */
    f = fopen(dat, "w");
    if (f == NULL) {
        fprintf(stderr, "mpcsim plot: cannot write %s: %s\n", dat, strerror(errno));
        goto out_hdr;
    }
    fprintf(f, "# mpcsim plot of %s: %s vs %s; columns: x, mean, %s, trials\n", o.csv, o.y, o.x,
            o.errorbars_sd ? "sd" : "95% CI half-width");
    for (int ser = 0; ser < n_series; ser++) {
        size_t i = 0;

        fprintf(f, "# series %s\n", series[ser] != NULL ? series[ser] : o.y);
        while (i < n_s) {
            size_t j = i;
            double ys[4096];
            size_t k = 0;

            if (s[i].series != ser) {
                i++;
                continue;
            }
            while (j < n_s && s[j].series == ser && s[j].x == s[i].x) {
                if (k < sizeof(ys) / sizeof(ys[0])) {
                    ys[k++] = s[j].y;
                }
                j++;
            }
            {
                double mean = gsl_stats_mean(ys, 1, k);
                double sd = k > 1 ? gsl_stats_sd_m(ys, 1, k, mean) : 0;
                double err =
                    o.errorbars_sd
                        ? sd
                        : (k > 1 ? gsl_cdf_tdist_Pinv(0.975, (double)(k - 1)) * sd / sqrt((double)k)
                                 : 0);

                fprintf(f, "%.9g %.9g %.9g %zu\n", s[i].x, mean, err, k);
            }
            i = j;
        }
        fprintf(f, "\n\n");
    }
    fclose(f);
    f = fopen(gp, "w");
    if (f == NULL) {
        fprintf(stderr, "mpcsim plot: cannot write %s: %s\n", gp, strerror(errno));
        goto out_hdr;
    }
    fprintf(f, "# Written by mpcsim plot; edit and run: gnuplot %s\n", gp);
    fprintf(f, "set terminal %s size 900,560 font 'Sans,12' noenhanced\n",
            svg ? "svg dynamic" : "pngcairo");
    fprintf(f, "set output ");
    gp_string(f, out);
    fprintf(f, "\nset title ");
    if (o.title != NULL) {
        gp_string(f, o.title);
    } else {
        char t[300];

        snprintf(t, sizeof(t), "%s vs %s", axis_label(o.y), axis_label(o.x));
        gp_string(f, t);
    }
    fprintf(f, "\nset xlabel ");
    gp_string(f, axis_label(o.x));
    fprintf(f, "\nset ylabel ");
    gp_string(f, axis_label(o.y));
    fprintf(f, "\nset grid\nset offsets graph 0.04, graph 0.04, graph 0.08, graph 0.04\n");
    if (o.key != NULL && strcmp(o.key, "off") == 0) {
        fprintf(f, "unset key\n");
    } else {
        fprintf(f, "set key %s box opaque\n", o.key != NULL ? o.key : "top left");
    }
    fprintf(f, "set style data %s\nset pointsize 1.2\n",
            o.errorbars_none ? "linespoints" : "yerrorlines");
    if (o.logx) {
        fprintf(f, "set logscale x\n");
    }
    if (o.logy) {
        fprintf(f, "set logscale y\n");
    }
    if (!o.logy && yi == -2) {
        fprintf(f, "set yrange [0:1.05]\n");
    }
    fprintf(f, "plot ");
    for (int ser = 0; ser < n_series; ser++) {
        char title[300];

        if (series[ser] != NULL) {
            snprintf(title, sizeof(title), "%s = %s", o.by, series[ser]);
        } else {
            snprintf(title, sizeof(title), "%s", o.y);
        }
        fprintf(f, "%s", ser ? ", \\\n     " : "");
        gp_string(f, dat);
        fprintf(f, " index %d using 1:2%s lw 2 title ", ser, o.errorbars_none ? "" : ":3");
        gp_string(f, title);
    }
    fprintf(f, "\n");
    fclose(f);
    f = NULL;
    if (run_gnuplot(gp) < 0) {
        goto out_hdr;
    }
    printf("wrote %s (data %s, script %s)\n", out, dat, gp);
    status = CLI_EXIT_OK;
out_hdr:
    mpcsim_free(hdr[0]);
out:
    for (int i = 0; i < n_series; i++) {
        mpcsim_free(series[i]);
    }
    mpcsim_free(s);
    mpcsim_free(line);
    if (in != NULL) {
        fclose(in);
    }
    return status;
}
