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
#include "common/json.h"

static const char *const columns[] = {
    "scenario",        "trial",          "seed",    "protocol", "parties",
    "status",          "correct",        "output",  "expected", "included",
    "latency_ms",      "latency_p50_ms", "rounds",  "messages", "bytes",
    "max_party_bytes", "compute_ms",     "dropped", "accused",  "false_accusations",
    "events",          "wall_ms",
};

static void
csv_field(FILE *f, const char *s)
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

static double
stat_of(const struct trial_row *row, const char *name)
{
    for (size_t i = 0; i < row->n_stats; i++) {
        if (strcmp(row->stat_names[i], name) == 0) {
            return row->stat_values[i];
        }
    }
    return 0;
}

/* see results.h */
void
results_csv_header(FILE *f, const struct results_point *pt, const char *const *extra)
{
    for (size_t k = 0; k < pt->n_sweep; k++) {
        csv_field(f, pt->sweep_keys[k]);
        fputc(',', f);
    }
    for (size_t i = 0; i < sizeof(columns) / sizeof(columns[0]); i++) {
        fprintf(f, "%s%s", i ? "," : "", columns[i]);
    }
    for (size_t i = 0; extra != NULL && extra[i] != NULL; i++) {
        fprintf(f, ",%s", extra[i]);
    }
    fprintf(f, ",reason\n");
}

/* see results.h */
void
results_csv_row(FILE *f, const struct results_point *pt, const struct trial_row *row,
                const char *const *extra)
{
    const struct scenario *sc = pt->sc;

    for (size_t k = 0; k < pt->n_sweep; k++) {
        csv_field(f, pt->sweep_values[k]);
        fputc(',', f);
    }
    csv_field(f, sc->name);
    fprintf(f, ",%d,%llu,%s,%d,%s,%s,", row->trial, (unsigned long long)row->seed,
            sc->protocol.kind, sc->parties, trial_status_name(row->status),
            row->correct ? "true" : "false");
    csv_field(f, row->output);
    fputc(',', f);
    csv_field(f, row->expected);
    fprintf(f, ",%d,%.6f,%.6f,%d,%llu,%llu,%llu,%.6f,%d,", row->included, row->latency_ms,
            row->latency_p50_ms, row->rounds, (unsigned long long)row->messages,
            (unsigned long long)row->bytes, (unsigned long long)row->max_party_bytes,
            row->compute_ms, row->dropped);
    csv_field(f, row->accused);
    fprintf(f, ",%d,%llu,%.3f", row->false_accusations, (unsigned long long)row->events,
            row->wall_ms);
    for (size_t i = 0; extra != NULL && extra[i] != NULL; i++) {
        fprintf(f, ",%.10g", stat_of(row, extra[i]));
    }
    fputc(',', f);
    csv_field(f, row->reason);
    fputc('\n', f);
}

/* "1;2;3" -> [1, 2, 3]; "7" -> 7; "" -> null. */
static void
json_values(FILE *f, const char *s, int vector)
{
    if (s[0] == '\0' || strcmp(s, "malformed") == 0) {
        fputs("null", f);
        return;
    }
    if (!vector) {
        fputs(s, f);
        return;
    }
    fputc('[', f);
    for (; *s != '\0'; s++) {
        fputc(*s == ';' ? ',' : *s, f);
    }
    fputc(']', f);
}

/* see results.h */
void
results_json_begin(FILE *f)
{
    fputs("[\n", f);
}

/* see results.h */
void
results_json_row(FILE *f, const struct results_point *pt, const struct trial_row *row,
                 const char *const *extra, int first)
{
    const struct scenario *sc = pt->sc;
    int vector = computation_out_len(&sc->comp) > 1;

    fputs(first ? "  {" : ",\n  {", f);
    for (size_t k = 0; k < pt->n_sweep; k++) {
        mpcsim_json_string(f, pt->sweep_keys[k]);
        fputs(": ", f);
        mpcsim_json_string(f, pt->sweep_values[k]);
        fputs(", ", f);
    }
    fputs("\"scenario\": ", f);
    mpcsim_json_string(f, sc->name);
    fprintf(f,
            ", \"trial\": %d, \"seed\": %llu, \"protocol\": \"%s\", \"parties\": %d, "
            "\"status\": \"%s\", \"correct\": %s, \"output\": ",
            row->trial, (unsigned long long)row->seed, sc->protocol.kind, sc->parties,
            trial_status_name(row->status), row->correct ? "true" : "false");
    json_values(f, row->output, vector);
    fputs(", \"expected\": ", f);
    json_values(f, row->expected, vector);
    fprintf(f,
            ", \"included\": %d, \"latency_ms\": %.6f, \"latency_p50_ms\": %.6f, "
            "\"rounds\": %d, \"messages\": %llu, \"bytes\": %llu, \"max_party_bytes\": %llu, "
            "\"compute_ms\": %.6f, \"dropped\": %d, \"accused\": [",
            row->included, row->latency_ms, row->latency_p50_ms, row->rounds,
            (unsigned long long)row->messages, (unsigned long long)row->bytes,
            (unsigned long long)row->max_party_bytes, row->compute_ms, row->dropped);
    for (const char *s = row->accused; *s != '\0'; s++) {
        fputc(*s == ';' ? ',' : *s, f);
    }
    fprintf(f, "], \"false_accusations\": %d, \"events\": %llu, \"wall_ms\": %.3f",
            row->false_accusations, (unsigned long long)row->events, row->wall_ms);
    for (size_t i = 0; extra != NULL && extra[i] != NULL; i++) {
        fprintf(f, ", \"%s\": %.10g", extra[i], stat_of(row, extra[i]));
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
    if (b < 1e3) {
        snprintf(buf, cap, "%.0f B", b);
    } else if (b < 1e6) {
        snprintf(buf, cap, "%.1f kB", b / 1e3);
    } else if (b < 1e9) {
        snprintf(buf, cap, "%.1f MB", b / 1e6);
    } else {
        snprintf(buf, cap, "%.2f GB", b / 1e9);
    }
}

/* see results.h */
void
results_summary(FILE *f, const struct results_point *pt, const struct trial_row *rows, size_t n)
{
    const struct scenario *sc = pt->sc;
    double *lat = mpcsim_calloc(n > 0 ? n : 1, sizeof(double));
    size_t counts[3] = {0, 0, 0};
    size_t n_lat = 0;
    size_t correct = 0;
    double msgs = 0, bytes = 0, maxp = 0, comp = 0, wall = 0, rounds = 0, dropped = 0;
    char b1[32], b2[32];

    fprintf(f, "%s: %s, %d parties, %s", sc->name, sc->protocol.kind, sc->parties,
            computation_name(sc->comp.kind));
    if (sc->inputs.length > 1) {
        fprintf(f, " of length-%zu vectors", sc->inputs.length);
    }
    fprintf(f, ", %zu trial%s, seed %llu\n", n, n == 1 ? "" : "s", (unsigned long long)sc->seed);
    for (size_t k = 0; k < pt->n_sweep; k++) {
        fprintf(f, "%s  %s = %s", k ? "," : "  point:", pt->sweep_keys[k], pt->sweep_values[k]);
    }
    if (pt->n_sweep > 0) {
        fputc('\n', f);
    }
    if (n <= 10) {
        fprintf(f, "  %5s %-12s %-7s %-22s %-22s %11s %6s %9s %10s %s\n", "trial", "status",
                "correct", "output", "expected", "latency_ms", "rounds", "messages", "bytes",
                "accused");
        for (size_t i = 0; i < n; i++) {
            const struct trial_row *r = &rows[i];

            fprintf(f, "  %5d %-12s %-7s %-22.22s %-22.22s %11.3f %6d %9llu %10llu %s\n", r->trial,
                    trial_status_name(r->status), r->correct ? "yes" : "no",
                    r->output[0] ? r->output : "-", r->expected, r->latency_ms, r->rounds,
                    (unsigned long long)r->messages, (unsigned long long)r->bytes,
                    r->accused[0] ? r->accused : "-");
        }
    }
    for (size_t i = 0; i < n; i++) {
        const struct trial_row *r = &rows[i];

        counts[r->status]++;
        correct += r->correct != 0;
        if (r->status == TRIAL_OK && lat != NULL) {
            lat[n_lat++] = r->latency_ms;
        }
        msgs += (double)r->messages / (double)n;
        bytes += (double)r->bytes / (double)n;
        maxp += (double)r->max_party_bytes / (double)n;
        comp += r->compute_ms / (double)n;
        rounds += r->rounds / (double)n;
        dropped += r->dropped / (double)n;
        wall += r->wall_ms;
    }
    fprintf(f, "  status      ok %zu, abort %zu, wrong_output %zu%s; correct %zu/%zu\n", counts[0],
            counts[1], counts[2], counts[2] ? "  <-- SECURITY FAILURE" : "", correct, n);
    if (n_lat > 0) {
        gsl_sort(lat, 1, n_lat);
        fprintf(f, "  latency_ms  mean %.3f, median %.3f, p95 %.3f, max %.3f (ok trials)\n",
                gsl_stats_mean(lat, 1, n_lat), gsl_stats_median_from_sorted_data(lat, 1, n_lat),
                gsl_stats_quantile_from_sorted_data(lat, 1, n_lat, 0.95), lat[n_lat - 1]);
    }
    human_bytes(b1, sizeof(b1), bytes);
    human_bytes(b2, sizeof(b2), maxp);
    fprintf(f, "  traffic     rounds %.1f, messages %.0f, bytes %s, max per party %s (means)\n",
            rounds, msgs, b1, b2);
    fprintf(f, "  compute_ms  %.3f (mean, modelled); dropped %.2f parties (mean)\n", comp, dropped);
    fprintf(f, "  wall        %.1f ms for %zu trial%s\n", wall, n, n == 1 ? "" : "s");
    mpcsim_free(lat);
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
