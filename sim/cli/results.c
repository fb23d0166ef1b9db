/* SPDX-License-Identifier: MIT */
/*
 * sim/cli/results.c - see results.h.  Numbers are printed with fixed
 * formats so that two runs with one seed give byte-identical files but
 * for wall_ms.
 */
#include "sim/cli/results.h"

#include <stdlib.h>
#include <string.h>

#include <math.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "common/alloc.h"
#include "common/escape.h"
#include "common/json.h"
#include "sim/cli/stats.h"

static const char *const columns[] = {
    "scenario",        "trial",          "seed",    "protocol",         "parties",
    "status",          "correct",        "output",  "expected",         "included",
    "latency_ms",      "latency_p50_ms", "rounds",  "messages",         "bytes",
    "max_party_bytes", "compute_ms",     "dropped", "accused",          "false_accusations",
    "events",          "wall_ms",        "depth",   "time_to_abort_ms", "max_party_compute_ms",
    "retransmissions",
};

/* see results.h */
void
results_csv_field(FILE *f, const char *s)
{
    if (strpbrk(s, ",\"\n\r") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s != '\0'; s++) {
        if (*s == '"') {
            fputc('"', f);
        }
        fputc(*s, f);
    }
    fputc('"', f);
}

/*
 * Write protocol column `name` of `row`: an integer statistic exactly
 * (stat_u64), any other with 10 significant digits; absent ("" or null)
 * when this row's protocol has no such column.
 */
static void
put_stat(FILE *f, const struct trial_row *row, const char *name, int json)
{
    for (size_t i = 0; i < row->n_stats; i++) {
        if (strcmp(row->stat_names[i], name) == 0) {
            if (row->stat_is_int[i]) {
                fprintf(f, "%llu", (unsigned long long)row->stat_u64[i]);
            } else if (isnan(row->stat_values[i]) || isinf(row->stat_values[i])) {
                fputs(json ? "null" : "", f);
            } else {
                fprintf(f, "%.10g", row->stat_values[i]);
            }
            return;
        }
    }
    fputs(json ? "null" : "", f);
}

/* Numbers, absent as "" (CSV) or null (JSON). */
static void
put_int(FILE *f, int v, int json)
{
    if (v == TRIAL_ABSENT) {
        fputs(json ? "null" : "", f);
    } else {
        fprintf(f, "%d", v);
    }
}

static void
put_dbl(FILE *f, double v, int prec, int json)
{
    if (isnan(v) || isinf(v)) {
        fputs(json ? "null" : "", f);
    } else {
        fprintf(f, "%.*f", prec, v);
    }
}

/* see results.h */
void
results_csv_header(FILE *f, const struct results_point *pt, const char *const *extra)
{
    for (size_t k = 0; k < pt->n_sweep; k++) {
        fputs("sweep.", f);
        results_csv_field(f, pt->sweep_keys[k]);
        fputc(',', f);
    }
    for (size_t i = 0; i < sizeof(columns) / sizeof(columns[0]); i++) {
        fprintf(f, "%s%s", i ? "," : "", columns[i]);
    }
    for (size_t i = 0; extra != NULL && extra[i] != NULL; i++) {
        fputc(',', f);
        results_csv_field(f, extra[i]);
    }
    fprintf(f, ",reason\n");
}

/* see results.h */
void
results_csv_row_key(FILE *f, const struct results_point *pt, const struct trial_row *row)
{
    for (size_t k = 0; k < pt->n_sweep; k++) {
        results_csv_field(f, pt->sweep_values[k]);
        fputc(',', f);
    }
    results_csv_field(f, pt->sc->name);
    fprintf(f, ",%d,%llu", row->trial, (unsigned long long)row->seed);
}

/* see results.h */
void
results_json_row_key(FILE *f, const struct results_point *pt, const struct trial_row *row)
{
    for (size_t k = 0; k < pt->n_sweep; k++) {
        char key[512];

        snprintf(key, sizeof(key), "sweep.%s", pt->sweep_keys[k]);
        mpcsim_json_string(f, key);
        fputs(": ", f);
        mpcsim_json_string(f, pt->sweep_values[k]);
        fputs(", ", f);
    }
    fputs("\"scenario\": ", f);
    mpcsim_json_string(f, pt->sc->name);
    fprintf(f, ", \"trial\": %d, \"seed\": \"%llu\"", row->trial, (unsigned long long)row->seed);
}

/* see results.h */
void
results_csv_row(FILE *f, const struct results_point *pt, const struct trial_row *row,
                const char *const *extra)
{
    const struct scenario *sc = pt->sc;

    results_csv_row_key(f, pt, row);
    fputc(',', f);
    results_csv_field(f, sc->protocol.kind);
    fprintf(f, ",%d,%s,%s,", sc->parties, trial_status_name(row->status),
            row->correct ? "true" : "false");
    results_csv_field(f, row->output);
    fputc(',', f);
    results_csv_field(f, row->expected);
    fputc(',', f);
    put_int(f, row->included, 0);
    fputc(',', f);
    put_dbl(f, row->latency_ms, 6, 0);
    fputc(',', f);
    put_dbl(f, row->latency_p50_ms, 6, 0);
    fputc(',', f);
    put_int(f, row->rounds, 0);
    fprintf(f, ",%llu,%llu,%llu,", (unsigned long long)row->messages,
            (unsigned long long)row->bytes, (unsigned long long)row->max_party_bytes);
    put_dbl(f, row->compute_ms, 6, 0);
    fputc(',', f);
    put_int(f, row->dropped, 0);
    fputc(',', f);
    results_csv_field(f, row->accused);
    fputc(',', f);
    put_int(f, row->false_accusations, 0);
    fprintf(f, ",%llu,", (unsigned long long)row->events);
    put_dbl(f, row->wall_ms, 3, 0);
    fputc(',', f);
    put_int(f, row->depth, 0);
    fputc(',', f);
    put_dbl(f, row->time_to_abort_ms, 6, 0);
    fputc(',', f);
    put_dbl(f, row->max_party_compute_ms, 6, 0);
    fprintf(f, ",%llu", (unsigned long long)row->retransmissions);
    for (size_t i = 0; extra != NULL && extra[i] != NULL; i++) {
        fputc(',', f);
        put_stat(f, row, extra[i], 0);
    }
    fputc(',', f);
    results_csv_field(f, row->reason);
    fputc('\n', f);
}

/* One value of an output: a decimal as an exact JSON number (any number of
 * digits: 128-bit integers, exact decimals), a fraction "p/q" (a mean or
 * variance that no decimal writes exactly) as a JSON string. */
static void
json_value(FILE *f, const char *s, size_t len)
{
    int ratio = memchr(s, '/', len) != NULL;

    if (ratio) {
        fputc('"', f);
    }
    fwrite(s, 1, len, f);
    if (ratio) {
        fputc('"', f);
    }
}

/* "1;2;3" -> [1, 2, 3]; "7" -> 7; "2/3" -> "2/3"; "" -> null: the text as it is (exact). */
static void
json_values(FILE *f, const char *s, int vector)
{
    if (s[0] == '\0' || strcmp(s, "malformed") == 0) {
        fputs("null", f);
        return;
    }
    if (vector) {
        fputc('[', f);
    }
    for (;;) {
        size_t len = strcspn(s, ";");

        json_value(f, s, len);
        if (s[len] == '\0') {
            break;
        }
        fputc(',', f);
        s += len + 1;
    }
    if (vector) {
        fputc(']', f);
    }
}

/* see results.h */
void
results_json_begin(FILE *f)
{
    fputs("[\n", f);
}

static void
json_key(FILE *f, const char *key)
{
    fputs(", ", f);
    mpcsim_json_string(f, key);
    fputs(": ", f);
}

/* see results.h */
void
results_json_row(FILE *f, const struct results_point *pt, const struct trial_row *row,
                 const char *const *extra, int first)
{
    const struct scenario *sc = pt->sc;
    int vector = computation_out_len(&sc->comp) > 1;

    fputs(first ? "  {" : ",\n  {", f);
    results_json_row_key(f, pt, row);
    fputs(", \"protocol\": ", f);
    mpcsim_json_string(f, sc->protocol.kind);
    fprintf(f, ", \"parties\": %d, \"status\": \"%s\", \"correct\": %s, \"output\": ", sc->parties,
            trial_status_name(row->status), row->correct ? "true" : "false");
    json_values(f, row->output, vector);
    fputs(", \"expected\": ", f);
    json_values(f, row->expected, vector);
    json_key(f, "included");
    put_int(f, row->included, 1);
    json_key(f, "latency_ms");
    put_dbl(f, row->latency_ms, 6, 1);
    json_key(f, "latency_p50_ms");
    put_dbl(f, row->latency_p50_ms, 6, 1);
    json_key(f, "rounds");
    put_int(f, row->rounds, 1);
    fprintf(f, ", \"messages\": %llu, \"bytes\": %llu, \"max_party_bytes\": %llu",
            (unsigned long long)row->messages, (unsigned long long)row->bytes,
            (unsigned long long)row->max_party_bytes);
    json_key(f, "compute_ms");
    put_dbl(f, row->compute_ms, 6, 1);
    json_key(f, "dropped");
    put_int(f, row->dropped, 1);
    fputs(", \"accused\": [", f);
    for (const char *s = row->accused; *s != '\0'; s++) {
        fputc(*s == ';' ? ',' : *s, f);
    }
    fputc(']', f);
    json_key(f, "false_accusations");
    put_int(f, row->false_accusations, 1);
    fprintf(f, ", \"events\": %llu", (unsigned long long)row->events);
    json_key(f, "wall_ms");
    put_dbl(f, row->wall_ms, 3, 1);
    json_key(f, "depth");
    put_int(f, row->depth, 1);
    json_key(f, "time_to_abort_ms");
    put_dbl(f, row->time_to_abort_ms, 6, 1);
    json_key(f, "max_party_compute_ms");
    put_dbl(f, row->max_party_compute_ms, 6, 1);
    fprintf(f, ", \"retransmissions\": %llu", (unsigned long long)row->retransmissions);
    for (size_t i = 0; extra != NULL && extra[i] != NULL; i++) {
        json_key(f, extra[i]);
        put_stat(f, row, extra[i], 1);
    }
    fputs(", \"reason\": ", f);
    mpcsim_json_string(f, row->reason);
    fputc('}', f);
}

/* see results.h */
void
results_json_end(FILE *f)
{
    fputs("\n]\n", f);
}

static void
human_bytes(char *buf, size_t cap, double b)
{
    if (isnan(b)) {
        snprintf(buf, cap, "-");
    } else if (b < 1e3) {
        snprintf(buf, cap, "%.0f B", b);
    } else if (b < 1e6) {
        snprintf(buf, cap, "%.1f kB", b / 1e3);
    } else if (b < 1e9) {
        snprintf(buf, cap, "%.1f MB", b / 1e6);
    } else {
        snprintf(buf, cap, "%.2f GB", b / 1e9);
    }
}

/* `s` in at most `width` characters: cut with "..." (the full value is in CSV/JSON). */
static void
cut(char *buf, size_t cap, const char *s, size_t width)
{
    char esc[512];
    size_t len = mpcsim_escape(esc, sizeof(esc), s);

    if (len > width) {
        memcpy(esc + width - 3, "...", 4); /* the full value is in the CSV/JSON */
        len = width;
    }
    if (len >= cap) {
        len = cap - 1;
    }
    memcpy(buf, esc, len);
    buf[len] = '\0';
}

static void
cell_int(char *buf, size_t cap, int v)
{
    if (v == TRIAL_ABSENT) {
        snprintf(buf, cap, "-");
    } else {
        snprintf(buf, cap, "%d", v);
    }
}

static void
cell_dbl(char *buf, size_t cap, double v, int prec)
{
    if (isnan(v)) {
        snprintf(buf, cap, "-");
    } else if (prec < 0) {
        snprintf(buf, cap, "%.4g", v);
    } else {
        snprintf(buf, cap, "%.*f", prec, v);
    }
}

/* Mean of f over rows with a value; NAN when none. */
static double
mean_of(const struct trial_row *rows, size_t n, double (*get)(const struct trial_row *))
{
    double s = 0;
    size_t m = 0;

    for (size_t i = 0; i < n; i++) {
        double v = get(&rows[i]);

        if (!isnan(v)) {
            s += v;
            m++;
        }
    }
    return m > 0 ? s / (double)m : NAN;
}

static double
r_rounds(const struct trial_row *r)
{
    return r->rounds == TRIAL_ABSENT ? NAN : (double)r->rounds;
}
static double
r_depth(const struct trial_row *r)
{
    return r->depth == TRIAL_ABSENT ? NAN : (double)r->depth;
}
static double
r_messages(const struct trial_row *r)
{
    return (double)r->messages;
}
static double
r_bytes(const struct trial_row *r)
{
    return (double)r->bytes;
}
static double
r_maxp(const struct trial_row *r)
{
    return (double)r->max_party_bytes;
}
static double
r_retx(const struct trial_row *r)
{
    return (double)r->retransmissions;
}
static double
r_compute(const struct trial_row *r)
{
    return r->compute_ms;
}
static double
r_maxcompute(const struct trial_row *r)
{
    return r->max_party_compute_ms;
}
static double
r_dropped(const struct trial_row *r)
{
    return r->dropped == TRIAL_ABSENT ? NAN : (double)r->dropped;
}

/* "mean M, median X, p95 P, max Y [CI]" of one column over the selected rows. */
static void
line_stats(FILE *f, const char *label, const struct trial_row *rows, size_t n,
           enum trial_status only, int use_abort_time, const char *over)
{
    double *v = mpcsim_calloc(n > 0 ? n : 1, sizeof(double));
    size_t m = 0;
    struct stats_summary s;

    if (v == NULL) {
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (rows[i].status == only) {
            v[m++] = use_abort_time ? rows[i].time_to_abort_ms : rows[i].latency_ms;
        }
    }
    stats_summarize(&s, v, m, 0.95);
    if (s.n == 0) {
        fprintf(f, "  %-16s - (no %s trial%s)\n", label, over, m > 0 ? " with a value" : "");
    } else {
        fprintf(f, "  %-16s mean %.3f, median %.3f, p95 %.3f, max %.3f", label, s.mean, s.median,
                s.p95, s.max);
        if (!isnan(s.ci_lo)) {
            fprintf(f, ", 95%% CI [%.3f, %.3f]", s.ci_lo, s.ci_hi);
        }
        fprintf(f, " (over %zu %s trial%s)\n", s.n, over, s.n == 1 ? "" : "s");
    }
    mpcsim_free(v);
}

/* see results.h */
void
results_summary(FILE *f, const struct results_point *pt, const struct trial_row *rows, size_t n)
{
    const struct scenario *sc = pt->sc;
    size_t counts[3] = {0, 0, 0};
    size_t correct = 0;
    double wall = 0;
    char b1[32], b2[32], name[256];
    double lo, hi;

    mpcsim_escape(name, sizeof(name), sc->name);
    fprintf(f, "%s: %s, %d parties, %s", name, sc->protocol.kind, sc->parties,
            computation_name(sc->comp.kind));
    if (sc->inputs.length > 1) {
        fprintf(f, " of length-%zu vectors", sc->inputs.length);
    }
    fprintf(f, ", %zu trial%s, seed %llu\n", n, n == 1 ? "" : "s", (unsigned long long)sc->seed);
    for (size_t k = 0; k < pt->n_sweep; k++) {
        fprintf(f, "%s  ", k ? "," : "  point:");
        mpcsim_escape_fputs(f, pt->sweep_keys[k]);
        fputs(" = ", f);
        mpcsim_escape_fputs(f, pt->sweep_values[k]);
    }
    if (pt->n_sweep > 0) {
        fputc('\n', f);
    }
    if (n <= 10) {
        int starred = 0;

        fprintf(f, "  %5s %-12s %-7s %-22s %-22s %10s %6s %8s %10s %14s %20s %8s %-8s %s\n",
                "trial", "status", "correct", "output", "expected", "latency_ms", "rounds",
                "messages", "bytes", "compute_ms_sum", "max_party_compute_ms", "critical",
                "accused", "reason");
        for (size_t i = 0; i < n; i++) {
            const struct trial_row *r = &rows[i];
            char out[64], exp[64], lat[32], rnd[16], cmp[32], mcmp[32], crit[16], acc[64], why[64];
            char line[512];
            size_t len;

            cut(out, sizeof(out) - 1, r->output[0] ? r->output : "-", 22);
            if (r->status != TRIAL_OK && r->output[0] != '\0') {
                cut(out, sizeof(out) - 1, r->output, 21);
                strcat(out, "*");
                starred = 1;
            }
            cut(exp, sizeof(exp), r->expected[0] ? r->expected : "-", 22);
            cell_dbl(lat, sizeof(lat), r->latency_ms, 3);
            cell_int(rnd, sizeof(rnd), r->rounds);
            cell_dbl(cmp, sizeof(cmp), r->compute_ms, -1);
            cell_dbl(mcmp, sizeof(mcmp), r->max_party_compute_ms, -1);
            cell_int(crit, sizeof(crit), r->critical_party); /* whose output came last */
            cut(acc, sizeof(acc), r->accused[0] ? r->accused : "-", 8);
            cut(why, sizeof(why), r->status != TRIAL_OK && r->reason[0] ? r->reason : "", 48);
            len = (size_t)snprintf(
                line, sizeof(line),
                "  %5d %-12s %-7s %-22s %-22s %10s %6s %8llu %10llu %14s %20s %8s %-8s %s",
                r->trial, trial_status_name(r->status), r->correct ? "yes" : "no", out, exp, lat,
                rnd, (unsigned long long)r->messages, (unsigned long long)r->bytes, cmp, mcmp, crit,
                acc, why);
            if (len >= sizeof(line)) {
                len = sizeof(line) - 1;
            }
            while (len > 0 && line[len - 1] == ' ') {
                line[--len] = '\0'; /* no trailing blanks when there is no reason */
            }
            fprintf(f, "%s\n", line);
        }
        if (starred) {
            fprintf(f, "  * the output of a trial that did not end ok (partial or wrong)\n");
        }
    }
    for (size_t i = 0; i < n; i++) {
        counts[rows[i].status]++;
        correct += rows[i].correct != 0;
        if (!isnan(rows[i].wall_ms)) {
            wall += rows[i].wall_ms;
        }
    }
    stats_wilson(&lo, &hi, counts[TRIAL_OK], n, 0.95);
    fprintf(f, "  status           ok %zu, abort %zu, wrong_output %zu%s; correct %zu/%zu\n",
            counts[0], counts[1], counts[2], counts[2] ? "  <-- SECURITY FAILURE" : "", correct, n);
    if (n > 0) {
        fprintf(f, "  success rate     %.3f, 95%% CI [%.3f, %.3f] (Wilson, %zu trial%s)\n",
                (double)counts[0] / (double)n, lo, hi, n, n == 1 ? "" : "s");
    }
    line_stats(f, "latency_ms", rows, n, TRIAL_OK, 0, "ok");
    if (counts[TRIAL_ABORT] > 0) {
        line_stats(f, "time_to_abort_ms", rows, n, TRIAL_ABORT, 1, "abort");
    }
    human_bytes(b1, sizeof(b1), mean_of(rows, n, r_bytes));
    human_bytes(b2, sizeof(b2), mean_of(rows, n, r_maxp));
    {
        char rnd[32], dep[32];

        cell_dbl(rnd, sizeof(rnd), mean_of(rows, n, r_rounds), 1);
        cell_dbl(dep, sizeof(dep), mean_of(rows, n, r_depth), 1);
        char retx[64] = "";
        double mr = mean_of(rows, n, r_retx);

        if (mr > 0.0) { /* only where loss or partitions made tcp resend */
            snprintf(retx, sizeof(retx), ", retransmissions %.1f", mr);
        }
        fprintf(f,
                "  traffic          rounds %s, depth %s (trials with output); messages %.0f, "
                "bytes %s, max per party %s%s (all trials; means)\n",
                rnd, dep, mean_of(rows, n, r_messages), b1, b2, retx);
    }
    {
        char c1[32], c2[32], d[32];

        cell_dbl(c1, sizeof(c1), mean_of(rows, n, r_compute), -1);
        cell_dbl(c2, sizeof(c2), mean_of(rows, n, r_maxcompute), -1);
        cell_dbl(d, sizeof(d), mean_of(rows, n, r_dropped), 2);
        fprintf(f,
                "  compute_ms       %s summed over parties, %s the busiest party (means, "
                "modelled); dropped %s parties (mean)\n",
                c1, c2, d);
    }
    fprintf(f, "  trial time       %.1f ms summed over %zu trial%s (host wall time)\n", wall, n,
            n == 1 ? "" : "s");
}

/* see results.h */
void
results_aggregate(struct results_agg *a, double *v, size_t n)
{
    memset(a, 0, sizeof(*a));
    a->n = n;
    if (n == 0) {
        return;
    }
    gsl_sort(v, 1, n);
    a->mean = gsl_stats_mean(v, 1, n);
    a->sd = n > 1 ? gsl_stats_sd_m(v, 1, n, a->mean) : 0;
    a->median = gsl_stats_median_from_sorted_data(v, 1, n);
    a->p95 = gsl_stats_quantile_from_sorted_data(v, 1, n, 0.95);
    if (n > 1) {
        double half = gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * a->sd / sqrt((double)n);

        a->ci_lo = a->mean - half;
        a->ci_hi = a->mean + half;
    } else {
        a->ci_lo = a->ci_hi = a->mean;
    }
}
