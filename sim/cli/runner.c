/* SPDX-License-Identifier: MIT */
/*
 * sim/cli/runner.c - one trial: sample inputs, pick the corrupted
 * parties, run the engine, judge every honest party's output against the
 * plaintext answer over the inputs it says it covers.
 *
 * Judging: an honest party that outputs a value different from the
 * answer over its `included` parties makes the trial `wrong_output`, a
 * security failure; otherwise the trial is `ok` when every honest party
 * that did not drop out has output, and `abort` when any of them did not.
 *
 * Randomness: every draw comes from a stream keyed by the full 64-bit
 * (trial seed, purpose, party) (sim/stream.h): inputs per party, so
 * party i's inputs do not depend on n or on any other draw; the adversary
 * set from its own stream; the engine keys its own.  Strings are built
 * with a growing buffer: no fixed-size formatting.
 */
#include "sim/cli/runner.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "common/alloc.h"
#include "sim/cli/perparty.h"
#include "sim/cli/registry.h"
#include "sim/cli/trace.h"
#include "sim/stream.h"

/* Stream purposes under the trial seed (the engine uses 1..3). */
#define PURPOSE_INPUTS UINT64_C(0x696e70757473)    /* "inputs" */
#define PURPOSE_ADVERSARY UINT64_C(0x616476657273) /* "advers" */

static int secure_random = 0;
static _Thread_local struct sim_pool *thread_pool = NULL;

/* see runner.h */
void
runner_use_pool(struct sim_pool *pool)
{
    thread_pool = pool;
}

/* see runner.h */
void
runner_set_secure_random(int on)
{
    secure_random = on;
}

/* see runner.h */
uint64_t
runner_trial_seed(const struct scenario *sc, uint64_t point, uint64_t trial)
{
    /* Purpose 1: trial seeds under common streams, 2: independent ones. */
    if (sc->streams_independent) {
        return sim_stream_key(sc->seed, 2, point, trial);
    }
    return sim_stream_key(sc->seed, 1, trial, 0);
}

/* A growing string; `oom` sticks once an allocation failed. */
struct sbuf {
    char *s;
    size_t len, cap;
    int oom;
};

static void sbuf_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
sbuf_printf(struct sbuf *b, const char *fmt, ...)
{
    va_list ap;
    int need;

    if (b->oom) {
        return;
    }
    va_start(ap, fmt);
    need = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (need < 0) {
        b->oom = 1;
        return;
    }
    if (b->len + (size_t)need + 1 > b->cap) {
        size_t cap = b->cap == 0 ? 64 : b->cap;
        char *t;

        while (b->len + (size_t)need + 1 > cap) {
            cap *= 2;
        }
        t = mpcsim_realloc(b->s, cap);
        if (t == NULL) {
            b->oom = 1;
            return;
        }
        b->s = t;
        b->cap = cap;
    }
    va_start(ap, fmt);
    (void)vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    b->len += (size_t)need;
}

/* The buffer's string (owned by the caller; "" when empty), or NULL on OOM. */
static char *
sbuf_take(struct sbuf *b)
{
    char *s = b->s;

    if (b->oom) {
        mpcsim_free(b->s);
        return NULL;
    }
    if (s == NULL) {
        s = mpcsim_strdup("");
    }
    b->s = NULL;
    return s;
}

/* see runner.h */
const char *
trial_status_name(enum trial_status s)
{
    switch (s) {
    case TRIAL_OK:
        return "ok";
    case TRIAL_ABORT:
        return "abort";
    default:
        return "wrong_output";
    }
}

/* see runner.h */
void
trial_row_clear(struct trial_row *row)
{
    mpcsim_free(row->output);
    mpcsim_free(row->expected);
    mpcsim_free(row->accused);
    mpcsim_free(row->reason);
    perparty_rows_free(row);
    memset(row, 0, sizeof(*row));
}

/*
 * A uniform integer in [lo, hi], exact and unbiased over any 128-bit
 * range: a range within int64 is sim_stream_int_range's draw (so m61
 * scenarios draw what they always drew); a wider one takes 128 random
 * bits masked to the span's bit length, rejected while above the span
 * (fewer than 2 tries expected).
 */
static mpcsim_i128
uniform_i128(struct sim_stream *st, mpcsim_i128 lo, mpcsim_i128 hi)
{
    mpcsim_u128 span = (mpcsim_u128)hi - (mpcsim_u128)lo;
    mpcsim_u128 mask = span;
    mpcsim_u128 x;

    if (lo >= INT64_MIN && hi <= INT64_MAX) {
        return sim_stream_int_range(st, (int64_t)lo, (int64_t)hi);
    }
    for (int k = 1; k < 128; k <<= 1) {
        mask |= mask >> k;
    }
    do {
        uint64_t top = sim_stream_u64(st); /* two statements: a fixed draw order */
        uint64_t bottom = sim_stream_u64(st);

        x = (((mpcsim_u128)top << 64) | bottom) & mask;
    } while (x > span);
    return (mpcsim_i128)((mpcsim_u128)lo + x);
}

/*
 * Sample one input; returns 0 or MPCSIM_ERANGE (beyond `max`, the field's
 * signed range).  `uniform` is an exact, unbiased integer draw over
 * [imin, imax] (128-bit); the other distributions are drawn as doubles
 * and rounded, so they carry 53 bits.
 */
static int
sample_input(mpcsim_i128 *out, const struct scenario_inputs *in, struct sim_stream *st,
             mpcsim_i128 max)
{
    gsl_rng *r = &st->rng;
    double x = 0;

    switch (in->kind) {
    case SCENARIO_INPUT_UNIFORM: {
        mpcsim_i128 v = uniform_i128(st, in->imin, in->imax);

        if (v > max || v < -max) {
            return MPCSIM_ERANGE;
        }
        *out = v;
        return 0;
    }
    case SCENARIO_INPUT_NORMAL:
        x = in->mean + gsl_ran_gaussian(r, in->sd);
        break;
    case SCENARIO_INPUT_LOGNORMAL:
        x = gsl_ran_lognormal(r, in->zeta, in->sigma);
        break;
    case SCENARIO_INPUT_PARETO:
        x = gsl_ran_pareto(r, in->a, in->b);
        break;
    case SCENARIO_INPUT_EXPONENTIAL:
        x = gsl_ran_exponential(r, in->mean);
        break;
    default:
        x = 0;
        break;
    }
    x = nearbyint(x);
    if (!(fabs(x) < (double)max)) { /* (double)max rounds up to 2^60 or 2^126: strict */
        return MPCSIM_ERANGE;
    }
    *out = (mpcsim_i128)x; /* exact: an integral double below 2^126 */
    return 0;
}

/* The output values as text ("1;2;3"), in full; NULL on MPCSIM_ENOMEM. */
static char *
format_values(const struct computation *c, const mpcsim_i128 *raw, int count)
{
    size_t n = computation_out_len(c);
    struct sbuf b = {0};

    for (size_t k = 0; k < n; k++) {
        char v[COMPUTATION_FORMAT_MAX];

        (void)computation_format(v, sizeof(v), c, raw, k, count);
        sbuf_printf(&b, "%s%s", k ? ";" : "", v);
    }
    return sbuf_take(&b);
}

static int
cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a;
    int y = *(const int *)b;

    return (x > y) - (x < y);
}

/* Fill accused/false_accusations from the (honest parties') accusations. */
static int
collect_accusations(struct trial_row *row, const struct sim *sim, const enum sim_behaviour *beh,
                    int n)
{
    const struct sim_accusation *acc = NULL;
    size_t na = sim_accusations(sim, &acc);
    struct sbuf b = {0};
    int *ids = NULL;
    size_t k = 0;

    if (na == 0) {
        row->accused = mpcsim_strdup("");
        return row->accused == NULL ? MPCSIM_ENOMEM : 0;
    }
    ids = mpcsim_calloc(na, sizeof(*ids));
    if (ids == NULL) {
        return MPCSIM_ENOMEM;
    }
    for (size_t i = 0; i < na; i++) {
        ids[k++] = acc[i].accused; /* the engine records honest accusers only */
    }
    qsort(ids, k, sizeof(*ids), cmp_int);
    for (size_t i = 0; i < k; i++) {
        if (i > 0 && ids[i] == ids[i - 1]) {
            continue;
        }
        sbuf_printf(&b, "%s%d", b.len > 0 ? ";" : "", ids[i]);
        if (ids[i] >= 0 && ids[i] < n && beh[ids[i]] == SIM_HONEST) {
            row->false_accusations++;
        }
    }
    mpcsim_free(ids);
    row->accused = sbuf_take(&b);
    return row->accused == NULL ? MPCSIM_ENOMEM : 0;
}

/* Party i's inputs from its own stream (trial seed, inputs, i). */
static int
sample_inputs(mpcsim_i128 *values, const struct scenario *sc, uint64_t trial_seed, int trial,
              char *errbuf, size_t errcap)
{
    size_t len = sc->inputs.length;

    for (int i = 0; i < sc->parties; i++) {
        struct sim_stream st;

        sim_stream_init(&st, sim_stream_key(trial_seed, PURPOSE_INPUTS, (uint64_t)i, 0));
        for (size_t k = 0; k < len; k++) {
            if (sample_input(&values[(size_t)i * len + k], &sc->inputs, &st, sc->comp.max_abs) <
                0) {
                snprintf(errbuf, errcap,
                         "trial %d: party %d's sampled input does not fit the field "
                         "(|x| < %s); narrow the input distribution",
                         trial, i, sc->protocol.field == FIELD_M127 ? "2^126" : "2^60");
                return MPCSIM_ERANGE;
            }
        }
    }
    return 0;
}

/* The corrupted parties: listed, or `count` chosen from (trial seed, adversary). */
static int
choose_adversary(enum sim_behaviour *beh, const struct scenario *sc, uint64_t trial_seed)
{
    int n = sc->parties;
    int *all = NULL, *chosen = NULL;
    struct sim_stream st;

    if (!sc->has_adversary) {
        return 0;
    }
    if (sc->adversary.parties != NULL) {
        for (int i = 0; i < sc->adversary.n_parties; i++) {
            beh[sc->adversary.parties[i]] = sc->adversary.behaviour;
        }
        return 0;
    }
    if (sc->adversary.count <= 0) {
        return 0;
    }
    all = mpcsim_calloc((size_t)n, sizeof(int));
    chosen = mpcsim_calloc((size_t)sc->adversary.count, sizeof(int));
    if (all == NULL || chosen == NULL) {
        mpcsim_free(all);
        mpcsim_free(chosen);
        return MPCSIM_ENOMEM;
    }
    for (int i = 0; i < n; i++) {
        all[i] = i;
    }
    sim_stream_init(&st, sim_stream_key(trial_seed, PURPOSE_ADVERSARY, 0, 0));
    gsl_ran_choose(&st.rng, chosen, (size_t)sc->adversary.count, all, (size_t)n, sizeof(int));
    for (int i = 0; i < sc->adversary.count; i++) {
        beh[chosen[i]] = sc->adversary.behaviour;
    }
    mpcsim_free(all);
    mpcsim_free(chosen);
    return 0;
}

/* ms (a scenario's double) to engine ns, clamped (sim/stream.h). */
static int64_t
ms_to_ns(double ms)
{
    return sim_ns_clamp(ms * 1e6);
}

/* Protocol columns from the engine's statistics and the server's figures. */
static void
collect_stats(struct trial_row *row, const struct sim *sim, int server)
{
    size_t limit = RUNNER_MAX_STATS - (server ? 2 : 0);

    row->n_stats = sim_stat_count(sim);
    if (row->n_stats > limit) {
        row->n_stats = limit;
    }
    for (size_t i = 0; i < row->n_stats; i++) {
        const char *name = sim_stat_name(sim, i);

        MPCSIM_ASSERT(strlen(name) < sizeof(row->stat_names[i])); /* protocols' constants */
        memcpy(row->stat_names[i], name, strlen(name) + 1);
        row->stat_values[i] = sim_stat_value(sim, i);
        row->stat_is_int[i] = (uint8_t)sim_stat_is_int(sim, i);
        row->stat_u64[i] = sim_stat_u64(sim, i);
    }
    if (server) {
        const struct sim_party_result *srv = sim_party_result(sim, 0);
        size_t k = row->n_stats;

        memcpy(row->stat_names[k], "server_bytes", sizeof("server_bytes"));
        row->stat_u64[k] = srv->bytes_sent + srv->bytes_received;
        row->stat_values[k] = (double)row->stat_u64[k];
        row->stat_is_int[k] = 1;
        k++;
        memcpy(row->stat_names[k], "server_compute_ms", sizeof("server_compute_ms"));
        row->stat_values[k] = (double)srv->compute_ns / 1e6;
        row->stat_is_int[k] = 0;
        row->n_stats = k + 1;
    }
}

/* see runner.h */
int
runner_run_trial(struct trial_row *row, const struct scenario *sc, int trial, uint64_t trial_seed,
                 char *errbuf, size_t errcap)
{
    const struct registry_entry *re = registry_lookup(sc->protocol.kind);
    int n = sc->parties;
    size_t len = sc->inputs.length;
    size_t raw_len = computation_raw_len(&sc->comp);
    mpcsim_i128 *values = NULL;
    const mpcsim_i128 **inputs = NULL;
    size_t *input_len = NULL;
    enum sim_behaviour *beh = NULL;
    mpcsim_i128 *expected = NULL;
    uint8_t *server_out = NULL; /* with a server: every party but 0 (the contributions) */
    void *params = NULL;
    struct sim *sim = NULL;
    struct sim_config cfg;
    const struct sim_metrics *m = NULL;
    const struct sim_party_result *first = NULL;
    struct sbuf reason = {0};
    int64_t gave_up = -1;
    int all_output = 1;
    int any_output = 0;
    int wrong = 0;
    int rc = 0;

    memset(row, 0, sizeof(*row));
    row->trial = trial;
    row->seed = trial_seed;
    MPCSIM_ASSERT(re != NULL && re->proto != NULL);
    values = mpcsim_calloc((size_t)n * len, sizeof(*values));
    inputs = mpcsim_calloc((size_t)n, sizeof(*inputs));
    input_len = mpcsim_calloc((size_t)n, sizeof(*input_len));
    beh = mpcsim_calloc((size_t)n, sizeof(*beh));
    expected = mpcsim_calloc(raw_len, sizeof(*expected));
    if (values == NULL || inputs == NULL || input_len == NULL || beh == NULL || expected == NULL) {
        rc = MPCSIM_ENOMEM;
        goto out;
    }
    /* Inputs. */
    if (sc->inputs.kind == SCENARIO_INPUT_VALUES) {
        memcpy(values, sc->inputs.values, (size_t)n * len * sizeof(*values));
    } else {
        rc = sample_inputs(values, sc, trial_seed, trial, errbuf, errcap);
        if (rc < 0) {
            goto out;
        }
    }
    for (int i = 0; i < n; i++) {
        inputs[i] = &values[(size_t)i * len];
        input_len[i] = len;
    }
    if (re->server) { /* the server's input (party 0) is not a contribution */
        server_out = mpcsim_calloc((size_t)n, 1);
        if (server_out == NULL) {
            rc = MPCSIM_ENOMEM;
            goto out;
        }
        memset(server_out + 1, 1, (size_t)n - 1);
    }
    if (computation_expected(expected, &sc->comp, n, inputs, server_out) < 0) {
        snprintf(errbuf, errcap,
                 "trial %d: the %s of these inputs leaves the field's range (|x| < %s); "
                 "use smaller inputs or fewer parties",
                 trial, computation_name(sc->comp.kind),
                 sc->comp.max_abs > COMPUTATION_MAX_ABS ? "2^126" : "2^60");
        rc = MPCSIM_ERANGE;
        goto out;
    }
    rc = choose_adversary(beh, sc, trial_seed);
    if (rc < 0) {
        goto out;
    }
    /* The engine. */
    sim_config_init(&cfg, n, trial_seed);
    cfg.inputs = inputs;
    cfg.input_len = input_len;
    cfg.net = sc->net;
    cfg.faults = sc->faults;
    cfg.faults.random_max_round = re->rounds != NULL ? re->rounds(sc) : 1;
    cfg.faults.dropout_exempt = re->server ? 1 : 0; /* dropouts are the clients' */
    cfg.behaviour = beh;
    cfg.adversary_delay_ns = ms_to_ns(sc->adversary.delay_ms);
    cfg.round_timeout_ns = ms_to_ns(sc->protocol.round_timeout_ms);
    cfg.cost_ns = sc->cost_ns;
    cfg.n_profiles = sc->n_profiles;
    cfg.profiles = sc->profiles;
    cfg.party_profile = sc->party_profile;
    cfg.max_sim_time_ns = ms_to_ns(sc->max_sim_time_ms);
    cfg.secure_random = secure_random;
    cfg.pool = thread_pool;
    rc = re->make_params(&params, sc);
    if (rc < 0) {
        goto out;
    }
    rc = sim_create(&sim, &cfg, registry_protocol(re, sc), params);
    if (rc < 0) {
        snprintf(errbuf, errcap, "trial %d: cannot set up the simulation: %s", trial,
                 mpcsim_strerror(rc));
        goto out;
    }
    if (cli_trace_current() != NULL) {
        sim_trace_set(sim, cli_trace_sink, cli_trace_current()); /* run --trace (one trial) */
    }
    rc = sim_run(sim);
    if (rc < 0) {
        snprintf(errbuf, errcap, "trial %d: the simulation stopped: %s", trial,
                 mpcsim_strerror(rc));
        goto out;
    }
    m = sim_metrics(sim);
    /* Judge. */
    for (int i = 0; i < n; i++) {
        const struct sim_party_result *pr = sim_party_result(sim, i);

        if (!pr->honest || pr->crashed ||
            (i != 0 && re->clients_output != NULL && !re->clients_output(sc))) {
            continue;
        }
        if (!pr->has_output) {
            int64_t t = pr->aborted ? pr->abort_ns : m->end_ns;

            all_output = 0;
            gave_up = t > gave_up ? t : gave_up;
            if (pr->aborted && reason.len == 0 && !wrong) {
                sbuf_printf(&reason, "party %d: %s", i,
                            pr->abort_reason != NULL ? pr->abort_reason : "aborted");
            }
            continue;
        }
        any_output = 1;
        if (first == NULL) {
            first = pr;
        }
        if (computation_expected(expected, &sc->comp, n, inputs, pr->included) < 0 ||
            pr->output_len != raw_len ||
            memcmp(pr->output, expected, raw_len * sizeof(*expected)) != 0) {
            if (!wrong) {
                reason.len = 0;
                sbuf_printf(&reason,
                            "party %d output a value that differs from the plaintext answer", i);
            }
            wrong = 1;
            first = pr; /* show the wrong output */
        }
    }
    if (wrong) {
        row->status = TRIAL_WRONG_OUTPUT;
    } else if (all_output && first != NULL) {
        row->status = TRIAL_OK;
    } else {
        row->status = TRIAL_ABORT;
        if (reason.len == 0) {
            sbuf_printf(&reason, "%s",
                        m->timed_out ? "max_sim_time_ms reached before every honest party output"
                                     : "an honest party ended without output");
        }
    }
    /* Output, expected and included, as the first judged party saw them;
     * included counts exactly the input owners its output covers (never a
     * server).  Abort rows have no output, expected nor included: some
     * honest parties may have output (each was checked above: a wrong one
     * makes the trial wrong_output), but the trial's output is the one
     * every honest party holds; --per-party shows the partial outputs. */
    if (first == NULL || row->status == TRIAL_ABORT) {
        row->output = mpcsim_strdup("");
    } else {
        int count = 0;

        for (int i = re->server ? 1 : 0; i < n; i++) {
            count += first->included[i] != 0;
        }
        if (computation_expected(expected, &sc->comp, n, inputs, first->included) < 0) {
            memset(expected, 0, raw_len * sizeof(*expected));
        }
        row->output = first->output_len == raw_len ? format_values(&sc->comp, first->output, count)
                                                   : mpcsim_strdup("malformed");
        row->expected = format_values(&sc->comp, expected, count);
        row->included = count;
    }
    if (row->expected == NULL && row->status == TRIAL_ABORT) {
        row->expected = mpcsim_strdup("");
        row->included = TRIAL_ABSENT;
    }
    row->correct = row->status == TRIAL_OK;
    row->reason = sbuf_take(&reason);
    if (row->output == NULL || row->expected == NULL || row->reason == NULL) {
        rc = MPCSIM_ENOMEM;
        goto out;
    }
    /* Metrics; absent values per runner.h. */
    row->latency_ms = row->status == TRIAL_OK ? (double)m->latency_ns / 1e6 : NAN;
    row->latency_p50_ms = row->status == TRIAL_OK ? (double)m->latency_p50_ns / 1e6 : NAN;
    row->rounds = any_output ? m->rounds : TRIAL_ABSENT;
    row->depth = any_output ? m->depth : TRIAL_ABSENT;
    row->time_to_abort_ms =
        row->status == TRIAL_ABORT && gave_up >= 0 ? (double)gave_up / 1e6 : NAN;
    row->messages = m->messages;
    row->bytes = m->bytes;
    row->max_party_bytes = m->max_party_bytes;
    row->compute_ms = (double)m->compute_ns / 1e6;
    row->max_party_compute_ms = (double)m->max_party_compute_ns / 1e6;
    row->retransmissions = m->retransmissions;
    row->dropped = m->dropped;
    row->events = m->events;
    row->wall_ms = m->wall_ms;
    rc = collect_accusations(row, sim, beh, n);
    if (rc < 0) {
        goto out;
    }
    rc = perparty_collect(row, sim, sc, re->server); /* per-party rows, critical party */
    if (rc < 0) {
        goto out;
    }
    collect_stats(row, sim, re->server);
    if (cli_trace_current() != NULL) {
        rc = cli_trace_finish(cli_trace_current(), sim, sc, re->server, trial, trial_seed,
                              trial_status_name(row->status));
    }
out:
    mpcsim_free(reason.s);
    if (rc < 0) {
        trial_row_clear(row);
    }
    sim_destroy(sim);
    if (params != NULL) {
        re->free_params(params);
    }
    mpcsim_free(values);
    mpcsim_free(inputs);
    mpcsim_free(input_len);
    mpcsim_free(beh);
    mpcsim_free(expected);
    mpcsim_free(server_out);
    return rc;
}
