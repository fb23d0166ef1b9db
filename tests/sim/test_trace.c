/* SPDX-License-Identifier: MIT */
/*
 * tests/sim/test_trace.c - the engine's trace sink (sim.h "Tracing"):
 * what it reports matches the metrics, every delivery names a send, and a
 * sink changes nothing in the results.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "sim/sim.h"
#include "tests/support.h"

#define MS SIM_NS_PER_MS
#define MAXN 8
#define MAXFLIGHT 4096

struct flight {
    const void *msg;
    int from, to;
};

struct tally {
    uint64_t count[SIM_TRACE_KIND_COUNT];
    uint64_t unmatched; /* deliveries or drops without an earlier send */
    int64_t compute[MAXN];
    int64_t up_end[MAXN], down_end[MAXN];
    int overlap; /* a link interval started before the previous ended */
    struct flight fl[MAXFLIGHT];
    size_t n_fl;
};

static void
sink(void *ctx, const struct sim_trace_record *r)
{
    struct tally *t = ctx;

    assert_true(r->kind >= 0 && r->kind < SIM_TRACE_KIND_COUNT);
    assert_true(r->party >= 0 && r->party < MAXN);
    assert_true(r->t1 >= r->t0);
    t->count[r->kind]++;
    switch (r->kind) {
    case SIM_TRACE_SEND:
        assert_true(t->n_fl < MAXFLIGHT);
        t->fl[t->n_fl].msg = r->msg;
        t->fl[t->n_fl].from = r->party;
        t->fl[t->n_fl].to = r->peer;
        t->n_fl++;
        break;
    case SIM_TRACE_DELIVER:
    case SIM_TRACE_LOST:
    case SIM_TRACE_DROP: {
        size_t k = 0;
        int lost = r->kind == SIM_TRACE_LOST; /* then party is the sender */
        int from = lost ? r->party : r->peer, to = lost ? r->peer : r->party;

        while (k < t->n_fl &&
               !(t->fl[k].msg == r->msg && t->fl[k].from == from && t->fl[k].to == to)) {
            k++;
        }
        if (k == t->n_fl) {
            t->unmatched++;
        } else {
            t->fl[k] = t->fl[--t->n_fl];
        }
        if (r->kind == SIM_TRACE_DELIVER) {
            assert_true(r->t2 >= r->t1 && r->t1 >= r->t0);
            t->compute[r->party] += r->t2 - r->t1;
        }
        break;
    }
    case SIM_TRACE_HANDLER:
        t->compute[r->party] += r->t1 - r->t0;
        break;
    case SIM_TRACE_UPLINK:
        t->overlap |= r->t0 < t->up_end[r->party];
        t->up_end[r->party] = r->t1;
        break;
    case SIM_TRACE_DOWNLINK:
        t->overlap |= r->t0 < t->down_end[r->party];
        t->down_end[r->party] = r->t1;
        break;
    default:
        break;
    }
}

static const mpcsim_i128 toy_values[MAXN] = {1, 2, 3, 4, 5, 6, 7, 8};
static const mpcsim_i128 *const toy_inputs[MAXN] = {
    &toy_values[0], &toy_values[1], &toy_values[2], &toy_values[3],
    &toy_values[4], &toy_values[5], &toy_values[6], &toy_values[7],
};
static const size_t toy_len[MAXN] = {1, 1, 1, 1, 1, 1, 1, 1};

static void
config(struct sim_config *c, int n)
{
    sim_config_init(c, n, 11);
    c->inputs = toy_inputs;
    c->input_len = toy_len;
    c->net.latency.kind = SIM_LATENCY_LOGNORMAL;
    c->net.latency.median_ms = 2;
    c->net.latency.sigma = 0.6;
    c->net.bandwidth_mbps = 1; /* links busy for 0.38 ms per message */
}

/* One flow per message, compute and links as the metrics say; results
 * identical with and without a sink. */
static void
test_trace_toy(void **state)
{
    struct sim_config c;
    struct sim *a = NULL, *b = NULL;
    struct tally *t = calloc(1, sizeof(*t));
    const int n = 6;
    uint64_t received = 0;

    (void)state;
    assert_non_null(t);
    config(&c, n);
    assert_int_equal(sim_create(&a, &c, &sim_toy_protocol, NULL), 0);
    assert_int_equal(sim_create(&b, &c, &sim_toy_protocol, NULL), 0);
    sim_trace_set(b, sink, t);
    assert_int_equal(sim_run(a), 0);
    assert_int_equal(sim_run(b), 0);
    assert_int_equal(t->count[SIM_TRACE_SEND], sim_metrics(b)->messages);
    assert_int_equal(t->count[SIM_TRACE_DELIVER], sim_metrics(b)->messages);
    assert_int_equal(t->unmatched, 0);
    assert_int_equal(t->n_fl, 0);
    assert_int_equal(t->count[SIM_TRACE_OUTPUT], n);
    assert_int_equal(t->count[SIM_TRACE_UPLINK], sim_metrics(b)->messages);
    assert_true(t->count[SIM_TRACE_DOWNLINK] == sim_metrics(b)->messages);
    assert_false(t->overlap);
    for (int i = 0; i < n; i++) {
        const struct sim_party_result *ra = sim_party_result(a, i);
        const struct sim_party_result *rb = sim_party_result(b, i);

        assert_int_equal(t->compute[i], rb->compute_ns);
        assert_int_equal(rb->messages_received, (uint64_t)(n - 1));
        received += rb->messages_received;
        assert_int_equal(ra->output_ns, rb->output_ns);
        assert_int_equal(ra->messages_received, rb->messages_received);
        assert_int_equal(ra->bytes_received, rb->bytes_received);
    }
    assert_int_equal(received, sim_metrics(b)->messages);
    assert_int_equal(sim_metrics(a)->latency_ns, sim_metrics(b)->latency_ns);
    assert_int_equal(sim_metrics(a)->events, sim_metrics(b)->events);
    assert_int_equal(sim_metrics(a)->end_ns, sim_metrics(b)->end_ns);
    sim_destroy(a);
    sim_destroy(b);
    free(t);
}

/* Losses, crashes and drops: each reported once and names its send. */
static void
test_trace_faults(void **state)
{
    struct sim_config c;
    struct sim *sim = NULL;
    struct tally *t = calloc(1, sizeof(*t));
    const struct sim_crash crash[2] = {{.party = 2, .at_ns = 1 * MS, .at_round = -1},
                                       {.party = 4, .at_ns = 0, .at_round = 0}};
    uint64_t received = 0;
    const int n = 6;

    (void)state;
    assert_non_null(t);
    config(&c, n);
    c.net.transport.kind = SIM_TRANSPORT_DATAGRAM;
    c.net.loss = 0.3;
    c.faults.crashes = crash;
    c.faults.n_crashes = 2;
    assert_int_equal(sim_create(&sim, &c, &sim_toy_protocol, NULL), 0);
    sim_trace_set(sim, sink, t);
    assert_int_equal(sim_run(sim), 0);
    assert_int_equal(t->count[SIM_TRACE_CRASH], 2);
    assert_true(t->count[SIM_TRACE_LOST] > 0);
    assert_true(t->count[SIM_TRACE_DROP] > 0);
    assert_int_equal(t->unmatched, 0);
    assert_int_equal(t->count[SIM_TRACE_SEND], sim_metrics(sim)->messages);
    assert_int_equal(t->n_fl, 0); /* each send delivered, dropped or lost */
    assert_int_equal(t->count[SIM_TRACE_LOST] + t->count[SIM_TRACE_DROP],
                     sim_metrics(sim)->messages_lost);
    for (int i = 0; i < n; i++) {
        received += sim_party_result(sim, i)->messages_received;
    }
    assert_int_equal(received, t->count[SIM_TRACE_DELIVER]);
    sim_destroy(sim);
    free(t);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trace_toy),
        cmocka_unit_test(test_trace_faults),
    };

    mpcsim_test_init();
    return cmocka_run_group_tests_name("trace", tests, NULL, NULL);
}
