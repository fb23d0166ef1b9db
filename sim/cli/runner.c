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
 */
#include "sim/cli/runner.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "common/alloc.h"
#include "sim/cli/perparty.h"
#include "sim/cli/registry.h"

static int secure_random = 0;

/* see runner.h */
void
runner_set_secure_random(int on)
{
    secure_random = on;
}

static uint64_t
splitmix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/* see runner.h */
uint64_t
runner_trial_seed(uint64_t seed, uint64_t point, uint64_t trial)
{
    return splitmix64(splitmix64(splitmix64(seed) ^ point) ^ (trial * 0xd1b54a32d192ed03ULL));
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

static gsl_rng *
make_rng(uint64_t trial_seed, uint64_t purpose)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);

    if (r != NULL) {
        gsl_rng_set(r, (unsigned long)splitmix64(trial_seed ^ purpose));
    }
    return r;
}

/* Sample one input; returns 0 or MPCSIM_ERANGE. */
static int
sample_input(int64_t *out, const struct scenario_inputs *in, gsl_rng *r)
{
    double x = 0;

    switch (in->kind) {
    case SCENARIO_INPUT_UNIFORM: {
        double span = floor(in->max) - ceil(in->min);

        if (span >= 0 && span < 4.0e9) {
            x = ceil(in->min) + (double)gsl_rng_uniform_int(r, (unsigned long)span + 1);
        } else {
            x = in->min + gsl_rng_uniform(r) * (in->max - in->min);
        }
        break;
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
    if (!(fabs(x) <= (double)COMPUTATION_MAX_ABS)) {
        return MPCSIM_ERANGE;
    }
    *out = (int64_t)x;
    return 0;
}

static char *
format_values(const struct computation *c, const int64_t *raw, int count)
{
    size_t n = computation_out_len(c);
    size_t cap = n * 32 + 1;
    char *s = mpcsim_malloc(cap);
    size_t used = 0;
    int integral = c->kind != COMPUTATION_MEAN && c->kind != COMPUTATION_VARIANCE;

    if (s == NULL) {
        return NULL;
    }
    s[0] = '\0';
    for (size_t k = 0; k < n; k++) {
        if (integral) {
            used +=
                (size_t)snprintf(s + used, cap - used, "%s%lld", k ? ";" : "", (long long)raw[k]);
        } else {
            used += (size_t)snprintf(s + used, cap - used, "%s%.6f", k ? ";" : "",
                                     computation_finish(c, raw, k, count));
        }
    }
    return s;
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
    int *ids = NULL;
    size_t k = 0;
    size_t used = 0;

    row->accused = mpcsim_malloc(na * 8 + 1);
    if (row->accused == NULL) {
        return MPCSIM_ENOMEM;
    }
    row->accused[0] = '\0';
    if (na == 0) {
        return 0;
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
        used += (size_t)snprintf(row->accused + used, na * 8 + 1 - used, "%s%d", used ? ";" : "",
                                 ids[i]);
        if (ids[i] >= 0 && ids[i] < n && beh[ids[i]] == SIM_HONEST) {
            row->false_accusations++;
        }
    }
    mpcsim_free(ids);
    return 0;
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
    int64_t *values = NULL;
    const int64_t **inputs = NULL;
    size_t *input_len = NULL;
    enum sim_behaviour *beh = NULL;
    int64_t *expected = NULL;
    void *params = NULL;
    struct sim *sim = NULL;
    gsl_rng *r = NULL;
    struct sim_config cfg;
    const struct sim_metrics *m = NULL;
    const struct sim_party_result *first = NULL;
    const char *reason = "";
    char reason_buf[256] = "";
    int all_output = 1;
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
        r = make_rng(trial_seed, 0x696e70757473ULL); /* "inputs" */
        if (r == NULL) {
            rc = MPCSIM_ENOMEM;
            goto out;
        }
        for (size_t i = 0; i < (size_t)n * len; i++) {
            if (sample_input(&values[i], &sc->inputs, r) < 0) {
                snprintf(errbuf, errcap,
                         "trial %d: party %zu's sampled input does not fit the field "
                         "(|x| < 2^60); narrow the input distribution",
                         trial, i / len);
                rc = MPCSIM_ERANGE;
                goto out;
            }
        }
        gsl_rng_free(r);
        r = NULL;
    }
    for (int i = 0; i < n; i++) {
        inputs[i] = &values[(size_t)i * len];
        input_len[i] = len;
    }
    if (computation_expected(expected, &sc->comp, n, inputs, NULL) < 0) {
        snprintf(errbuf, errcap,
                 "trial %d: the %s of these inputs leaves the field's range (|x| < 2^60); "
                 "use smaller inputs or fewer parties",
                 trial, computation_name(sc->comp.kind));
        rc = MPCSIM_ERANGE;
        goto out;
    }
    /* Corrupted parties. */
    if (sc->has_adversary) {
        if (sc->adversary.parties != NULL) {
            for (int i = 0; i < sc->adversary.n_parties; i++) {
                beh[sc->adversary.parties[i]] = sc->adversary.behaviour;
            }
        } else if (sc->adversary.count > 0) {
            int *all = mpcsim_calloc((size_t)n, sizeof(int));
            int *chosen = mpcsim_calloc((size_t)sc->adversary.count, sizeof(int));

            r = make_rng(trial_seed, 0x616476657273ULL); /* "advers" */
            if (all == NULL || chosen == NULL || r == NULL) {
                mpcsim_free(all);
                mpcsim_free(chosen);
                rc = MPCSIM_ENOMEM;
                goto out;
            }
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            gsl_ran_choose(r, chosen, (size_t)sc->adversary.count, all, (size_t)n, sizeof(int));
            for (int i = 0; i < sc->adversary.count; i++) {
                beh[chosen[i]] = sc->adversary.behaviour;
            }
            mpcsim_free(all);
            mpcsim_free(chosen);
        }
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
    cfg.adversary_delay_ns = (int64_t)(sc->adversary.delay_ms * 1e6);
    cfg.round_timeout_ns = (int64_t)(sc->protocol.round_timeout_ms * 1e6);
    cfg.cost_ns = sc->cost_ns;
    cfg.max_sim_time_ns = (int64_t)(sc->max_sim_time_ms * 1e6);
    cfg.secure_random = secure_random;
    rc = re->make_params(&params, sc);
    if (rc < 0) {
        goto out;
    }
    rc = sim_create(&sim, &cfg, re->proto, params);
    if (rc < 0) {
        snprintf(errbuf, errcap, "trial %d: cannot set up the simulation: %s", trial,
                 mpcsim_strerror(rc));
        goto out;
    }
    rc = sim_run(sim);
    if (rc < 0) {
        snprintf(errbuf, errcap, "trial %d: the simulation stopped: %s", trial,
                 mpcsim_strerror(rc));
        goto out;
    }
    /* Judge. */
    for (int i = 0; i < n; i++) {
        const struct sim_party_result *pr = sim_party_result(sim, i);

        if (!pr->honest || pr->crashed ||
            (i != 0 && re->clients_output != NULL && !re->clients_output(sc))) {
            continue;
        }
        if (!pr->has_output) {
            all_output = 0;
            if (pr->aborted && reason[0] == '\0') {
                snprintf(reason_buf, sizeof(reason_buf), "party %d: %s", i,
                         pr->abort_reason != NULL ? pr->abort_reason : "aborted");
                reason = reason_buf;
            }
            continue;
        }
        if (first == NULL) {
            first = pr;
        }
        if (computation_expected(expected, &sc->comp, n, inputs, pr->included) < 0 ||
            pr->output_len != raw_len ||
            memcmp(pr->output, expected, raw_len * sizeof(*expected)) != 0) {
            if (!wrong) {
                snprintf(reason_buf, sizeof(reason_buf),
                         "party %d output a value that differs from the plaintext answer", i);
                reason = reason_buf;
            }
            wrong = 1;
            first = pr; /* show the wrong output */
        }
    }
    m = sim_metrics(sim);
    if (wrong) {
        row->status = TRIAL_WRONG_OUTPUT;
    } else if (all_output && first != NULL) {
        row->status = TRIAL_OK;
    } else {
        row->status = TRIAL_ABORT;
        if (reason[0] == '\0') {
            reason = m->timed_out ? "max_sim_time_ms reached before every honest party output"
                                  : "an honest party ended without output";
        }
    }
    /* Output, expected and included, as the first judged party saw them. */
    {
        uint8_t *inc = NULL;
        int count = 0;

        if (first != NULL) {
            inc = (uint8_t *)first->included;
        }
        for (int i = 0; i < n; i++) {
            const struct sim_party_result *pr = sim_party_result(sim, i);
            int in = inc != NULL ? inc[i] : !pr->crashed;

            count += in != 0;
        }
        if (first == NULL) {
            uint8_t *alive = mpcsim_calloc((size_t)n, 1);

            if (alive == NULL) {
                rc = MPCSIM_ENOMEM;
                goto out;
            }
            for (int i = 0; i < n; i++) {
                alive[i] = !sim_party_result(sim, i)->crashed;
            }
            if (sc->comp.kind == COMPUTATION_DOT_PRODUCT) {
                alive[0] = alive[1] = 1;
            }
            if (computation_expected(expected, &sc->comp, n, inputs, alive) < 0) {
                memset(expected, 0, raw_len * sizeof(*expected));
            }
            mpcsim_free(alive);
            row->output = mpcsim_strdup("");
        } else {
            if (computation_expected(expected, &sc->comp, n, inputs, first->included) < 0) {
                memset(expected, 0, raw_len * sizeof(*expected));
            }
            row->output = first->output_len == raw_len
                              ? format_values(&sc->comp, first->output, count)
                              : mpcsim_strdup("malformed");
        }
        row->expected = format_values(&sc->comp, expected, count);
        row->included = count;
        row->correct = first != NULL && !wrong;
    }
    row->reason = mpcsim_strdup(reason);
    if (row->output == NULL || row->expected == NULL || row->reason == NULL) {
        rc = MPCSIM_ENOMEM;
        goto out;
    }
    row->latency_ms = (double)m->latency_ns / 1e6;
    row->latency_p50_ms = (double)m->latency_p50_ns / 1e6;
    row->rounds = m->rounds;
    row->depth = m->rounds;          /* until the engine reports both apart */
    row->time_to_abort_ms = NAN;     /* until the engine reports it */
    row->max_party_compute_ms = NAN; /* until the engine reports it */
    row->messages = m->messages;
    row->bytes = m->bytes;
    row->max_party_bytes = m->max_party_bytes;
    row->compute_ms = (double)m->compute_ns / 1e6;
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
    row->n_stats = sim_stat_count(sim);
    if (row->n_stats > RUNNER_MAX_STATS - 2) {
        row->n_stats = RUNNER_MAX_STATS - 2;
    }
    for (size_t i = 0; i < row->n_stats; i++) {
        snprintf(row->stat_names[i], sizeof(row->stat_names[i]), "%s", sim_stat_name(sim, i));
        row->stat_values[i] = sim_stat_value(sim, i);
    }
    if (re->server) {
        const struct sim_party_result *srv = sim_party_result(sim, 0);

        snprintf(row->stat_names[row->n_stats], sizeof(row->stat_names[0]), "server_bytes");
        row->stat_values[row->n_stats++] = (double)(srv->bytes_sent + srv->bytes_received);
        snprintf(row->stat_names[row->n_stats], sizeof(row->stat_names[0]), "server_compute_ms");
        row->stat_values[row->n_stats++] = (double)srv->compute_ns / 1e6;
    }
out:
    if (rc < 0) {
        trial_row_clear(row);
    }
    sim_destroy(sim);
    if (params != NULL) {
        re->free_params(params);
    }
    gsl_rng_free(r);
    mpcsim_free(values);
    mpcsim_free(inputs);
    mpcsim_free(input_len);
    mpcsim_free(beh);
    mpcsim_free(expected);
    return rc;
}
