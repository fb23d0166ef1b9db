/* SPDX-License-Identifier: MIT */
/*
 * sim/cli/perparty.c - per-party result rows from the engine's
 * sim_party_result(), and their CSV / JSON writers.
 */
#include "sim/cli/perparty.h"

#include <math.h>
#include <stdatomic.h>
#include <string.h>

#include "common/alloc.h"
#include "common/json.h"
#include "sim/cli/scenario.h"

static atomic_int enabled = 0;

/* see perparty.h */
void
perparty_set_enabled(int on)
{
    atomic_store(&enabled, on != 0);
}

/* see perparty.h */
const char *
perparty_role_name(enum perparty_role r)
{
    switch (r) {
    case PERPARTY_CLIENT:
        return "client";
    case PERPARTY_SERVER:
        return "server";
    case PERPARTY_DEALER:
        return "dealer";
    default:
        return "party";
    }
}

/* see perparty.h */
const char *
perparty_status_name(enum perparty_status s)
{
    switch (s) {
    case PERPARTY_OUTPUT:
        return "output";
    case PERPARTY_ABORT:
        return "abort";
    default:
        return "none";
    }
}

/* see perparty.h */
void
perparty_rows_free(struct trial_row *row)
{
    for (size_t i = 0; row->parties != NULL && i < row->n_parties; i++) {
        mpcsim_free(row->parties[i].accused_by);
        mpcsim_free(row->parties[i].reason);
    }
    mpcsim_free(row->parties);
    row->parties = NULL;
    row->n_parties = 0;
}

/* The value of statistic `name`, or NAN when the protocol did not add it. */
static double
stat_named(const struct sim *sim, const char *name)
{
    for (size_t i = 0; i < sim_stat_count(sim); i++) {
        if (strcmp(sim_stat_name(sim, i), name) == 0) {
            return sim_stat_value(sim, i);
        }
    }
    return NAN;
}

/* 1 when party i is listed in the scenario's faults.crash (else it dropped out). */
static int
listed_crash(const struct scenario *sc, int i)
{
    for (int k = 0; k < sc->faults.n_crashes; k++) {
        if (sc->faults.crashes[k].party == i) {
            return 1;
        }
    }
    return 0;
}

/* "a;b;c": the distinct honest accusers of `accused`, ascending. */
static char *
accusers_of(const struct sim_accusation *acc, size_t na, int accused, int n)
{
    size_t cap = 1, used = 0;
    char *s;

    for (size_t k = 0; k < na; k++) {
        cap += acc[k].accused == accused ? 12 : 0;
    }
    s = mpcsim_malloc(cap);
    if (s == NULL) {
        return NULL;
    }
    s[0] = '\0';
    if (cap == 1) {
        return s;
    }
    /* Ascending and distinct without sorting: parties are 0 .. n-1. */
    for (int p = 0; p < n; p++) {
        for (size_t k = 0; k < na; k++) {
            if (acc[k].accused == accused && acc[k].accuser == p) {
                used += (size_t)snprintf(s + used, cap - used, "%s%d", used ? ";" : "", p);
                break;
            }
        }
    }
    return s;
}

/* see perparty.h */
int
perparty_collect(struct trial_row *row, const struct sim *sim, const struct scenario *sc,
                 int server)
{
    const struct sim_accusation *acc = NULL;
    size_t na = sim_accusations(sim, &acc);
    int n = sc->parties;
    double off_msgs = stat_named(sim, "offline_messages");
    int64_t last = -1;
    size_t count;

    row->critical_party = TRIAL_ABSENT;
    for (int i = 0; i < n; i++) {
        const struct sim_party_result *pr = sim_party_result(sim, i);

        if (pr->honest && pr->has_output && pr->output_ns > last) {
            last = pr->output_ns;
            row->critical_party = i;
        }
    }
    if (!atomic_load(&enabled)) {
        return 0;
    }
    count = (size_t)n + (isnan(off_msgs) ? 0 : 1);
    row->parties = mpcsim_calloc(count, sizeof(*row->parties));
    if (row->parties == NULL) {
        return MPCSIM_ENOMEM;
    }
    row->n_parties = count;
    for (int i = 0; i < n; i++) {
        const struct sim_party_result *pr = sim_party_result(sim, i);
        struct perparty_row *r = &row->parties[i];

        r->party = i;
        r->role = !server ? PERPARTY_PARTY : i == 0 ? PERPARTY_SERVER : PERPARTY_CLIENT;
        r->honest = pr->honest != 0;
        r->down = !pr->crashed ? "" : listed_crash(sc, i) ? "crash" : "dropout";
        r->down_ms = pr->crashed ? (double)pr->crash_ns / 1e6 : NAN;
        r->messages_sent = pr->messages_sent;
        r->bytes_sent = pr->bytes_sent;
        r->messages_received = pr->messages_received;
        r->bytes_received = pr->bytes_received;
        r->compute_ms = (double)pr->compute_ns / 1e6;
        r->status = pr->has_output ? PERPARTY_OUTPUT : pr->aborted ? PERPARTY_ABORT : PERPARTY_NONE;
        r->time_ms = pr->has_output ? (double)pr->output_ns / 1e6
                     : pr->aborted  ? (double)pr->abort_ns / 1e6
                                    : NAN;
        r->depth = pr->has_output ? pr->output_depth : TRIAL_ABSENT;
        r->accused_by = accusers_of(acc, na, i, n);
        r->reason = mpcsim_strdup(pr->aborted && pr->abort_reason != NULL ? pr->abort_reason : "");
        if (r->accused_by == NULL || r->reason == NULL) {
            perparty_rows_free(row);
            return MPCSIM_ENOMEM;
        }
    }
    if (count > (size_t)n) {
        /* The additive dealer: its offline_* statistics (whole numbers the
         * adapter reports as doubles), outside the trial's messages/bytes. */
        struct perparty_row *r = &row->parties[n];
        double b = stat_named(sim, "offline_bytes");
        double c = stat_named(sim, "offline_compute_ms");

        r->party = TRIAL_ABSENT;
        r->role = PERPARTY_DEALER;
        r->honest = TRIAL_ABSENT;
        r->down = "";
        r->down_ms = NAN;
        r->messages_sent = off_msgs >= 0 ? (uint64_t)llround(off_msgs) : 0;
        r->bytes_sent = !isnan(b) && b >= 0 ? (uint64_t)llround(b) : 0;
        r->messages_received = 0;
        r->bytes_received = 0;
        r->compute_ms = c;
        r->status = PERPARTY_NONE;
        r->time_ms = NAN;
        r->depth = TRIAL_ABSENT;
        r->accused_by = mpcsim_strdup("");
        r->reason = mpcsim_strdup("");
        if (r->accused_by == NULL || r->reason == NULL) {
            perparty_rows_free(row);
            return MPCSIM_ENOMEM;
        }
    }
    return 0;
}

/* ---- writers ----------------------------------------------------------- */

static void
csv_int(FILE *f, int v)
{
    if (v != TRIAL_ABSENT) {
        fprintf(f, "%d", v);
    }
}

static void
csv_dbl(FILE *f, double v)
{
    if (!isnan(v)) {
        fprintf(f, "%.6f", v);
    }
}

/* see perparty.h */
void
perparty_csv_header(FILE *f, const struct results_point *pt)
{
    for (size_t k = 0; k < pt->n_sweep; k++) {
        char key[512];

        snprintf(key, sizeof(key), "sweep.%s", pt->sweep_keys[k]);
        results_csv_field(f, key);
        fputc(',', f);
    }
    fputs("scenario,trial,seed,party,role,honest,down,down_ms,messages_sent,bytes_sent,"
          "messages_received,bytes_received,compute_ms,status,time_ms,depth,accused_by,reason\n",
          f);
}

/* see perparty.h */
void
perparty_csv_rows(FILE *f, const struct results_point *pt, const struct trial_row *tr)
{
    for (size_t i = 0; i < tr->n_parties; i++) {
        const struct perparty_row *r = &tr->parties[i];

        results_csv_row_key(f, pt, tr);
        fputc(',', f);
        csv_int(f, r->party);
        fprintf(f, ",%s,", perparty_role_name(r->role));
        csv_int(f, r->honest);
        fprintf(f, ",%s,", r->down);
        csv_dbl(f, r->down_ms);
        fprintf(f, ",%llu,%llu,%llu,%llu,", (unsigned long long)r->messages_sent,
                (unsigned long long)r->bytes_sent, (unsigned long long)r->messages_received,
                (unsigned long long)r->bytes_received);
        csv_dbl(f, r->compute_ms);
        fprintf(f, ",%s,", perparty_status_name(r->status));
        csv_dbl(f, r->time_ms);
        fputc(',', f);
        csv_int(f, r->depth);
        fputc(',', f);
        results_csv_field(f, r->accused_by);
        fputc(',', f);
        results_csv_field(f, r->reason);
        fputc('\n', f);
    }
}

/* see perparty.h */
void
perparty_json_begin(FILE *f)
{
    fputs("[\n", f);
}

/* see perparty.h */
void
perparty_json_end(FILE *f)
{
    fputs("\n]\n", f);
}

static void
json_int(FILE *f, const char *key, int v)
{
    fprintf(f, ", \"%s\": ", key);
    if (v == TRIAL_ABSENT) {
        fputs("null", f);
    } else {
        fprintf(f, "%d", v);
    }
}

static void
json_dbl(FILE *f, const char *key, double v)
{
    fprintf(f, ", \"%s\": ", key);
    if (isnan(v)) {
        fputs("null", f);
    } else {
        fprintf(f, "%.6f", v);
    }
}

/* see perparty.h */
void
perparty_json_rows(FILE *f, const struct results_point *pt, const struct trial_row *tr, int *first)
{
    for (size_t i = 0; i < tr->n_parties; i++) {
        const struct perparty_row *r = &tr->parties[i];

        fputs(*first ? "  {" : ",\n  {", f);
        *first = 0;
        results_json_row_key(f, pt, tr);
        json_int(f, "party", r->party);
        fprintf(f, ", \"role\": \"%s\"", perparty_role_name(r->role));
        fputs(", \"honest\": ", f);
        fputs(r->honest == TRIAL_ABSENT ? "null" : r->honest ? "true" : "false", f);
        fputs(", \"down\": ", f);
        if (r->down[0] == '\0') {
            fputs("null", f);
        } else {
            mpcsim_json_string(f, r->down);
        }
        json_dbl(f, "down_ms", r->down_ms);
        fprintf(f,
                ", \"messages_sent\": %llu, \"bytes_sent\": %llu, \"messages_received\": %llu, "
                "\"bytes_received\": %llu",
                (unsigned long long)r->messages_sent, (unsigned long long)r->bytes_sent,
                (unsigned long long)r->messages_received, (unsigned long long)r->bytes_received);
        json_dbl(f, "compute_ms", r->compute_ms);
        fprintf(f, ", \"status\": \"%s\"", perparty_status_name(r->status));
        json_dbl(f, "time_ms", r->time_ms);
        json_int(f, "depth", r->depth);
        fputs(", \"accused_by\": [", f);
        for (const char *s = r->accused_by; *s != '\0'; s++) {
            fputc(*s == ';' ? ',' : *s, f);
        }
        fputs("], \"reason\": ", f);
        mpcsim_json_string(f, r->reason);
        fputc('}', f);
    }
}
