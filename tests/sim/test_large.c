/* SPDX-License-Identifier: MIT */
/*
 * tests/sim/test_large.c - beyond n = 11585 the engine keeps per-link tcp
 * state in a hash table whose entries expire, not in the dense n x n
 * table.  A ring of 12000 parties, each sending a burst of numbered
 * messages to its successor over tcp with random latency, checks what that
 * path must keep: in-order delivery per link, every message delivered,
 * the same metrics on two runs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "common/alloc.h"
#include "sim/sim.h"
#include "tests/support.h"

#define RING_N 12000
#define BURST 6

struct ring_party {
    int next_expected; /* from the predecessor */
    int out_of_order;
    int received;
};

static int
ring_setup(struct sim_party *p, const struct sim_protocol_cfg *cfg)
{
    struct ring_party *st = mpcsim_calloc(1, sizeof(*st));

    (void)cfg;
    if (st == NULL) {
        return MPCSIM_ENOMEM;
    }
    sim_party_set_state(p, st);
    return 0;
}

static void
ring_on_start(struct sim_party *p)
{
    int n = sim_party_count(p);
    int to = (sim_party_id(p) + 1) % n;

    for (uint8_t k = 0; k < BURST; k++) {
        uint8_t msg[200];

        memset(msg, k, sizeof(msg));
        if (sim_send(p, to, 1, msg, sizeof(msg)) != 0) {
            sim_abort(p, "send failed");
        }
    }
}

static void
ring_on_message(struct sim_party *p, int from, const uint8_t *msg, size_t len)
{
    struct ring_party *st = sim_party_state(p);
    mpcsim_i128 got = 0;

    (void)from;
    if (len != 200 || msg[0] != st->next_expected) {
        st->out_of_order++;
    }
    st->next_expected = msg[0] + 1;
    if (++st->received == BURST) {
        got = st->out_of_order;
        if (sim_output(p, &got, 1, NULL) != 0) {
            sim_abort(p, "output failed");
        }
    }
}

static void
ring_on_timer(struct sim_party *p, uint64_t id)
{
    (void)p;
    (void)id;
}

static void
ring_teardown(struct sim_party *p)
{
    mpcsim_free(sim_party_state(p));
}

static const struct sim_protocol ring_protocol = {
    .name = "ring",
    .setup = ring_setup,
    .on_start = ring_on_start,
    .on_message = ring_on_message,
    .on_timer = ring_on_timer,
    .teardown = ring_teardown,
};

static void
run_ring(struct sim_metrics *m)
{
    struct sim_config cfg;
    struct sim *sim = NULL;

    sim_config_init(&cfg, RING_N, 77);
    cfg.net.latency.kind = SIM_LATENCY_LOGNORMAL;
    cfg.net.latency.median_ms = 20;
    cfg.net.latency.sigma = 1.0; /* wide: later messages often draw shorter latencies */
    cfg.net.bandwidth_mbps = 50;
    assert_int_equal(sim_create(&sim, &cfg, &ring_protocol, NULL), 0);
    assert_int_equal(sim_run(sim), 0);
    for (int i = 0; i < RING_N; i++) {
        const struct sim_party_result *r = sim_party_result(sim, i);

        assert_true(r->has_output);
        assert_int_equal(r->output[0], 0); /* nothing overtook on its link */
    }
    *m = *sim_metrics(sim);
    assert_true(m->messages == (uint64_t)RING_N * BURST);
    sim_destroy(sim);
}

/* In order per link, all delivered, deterministic, through the hash path. */
static void
test_large_ring_hash_links(void **state)
{
    struct sim_metrics a;
    struct sim_metrics b;

    (void)state;
    run_ring(&a);
    run_ring(&b);
    assert_true(a.latency_ns == b.latency_ns);
    assert_true(a.latency_p50_ns == b.latency_p50_ns);
    assert_true(a.bytes == b.bytes);
    assert_true(a.events == b.events);
    assert_true(a.end_ns == b.end_ns);
}

static int big_rc;

static void
big_on_start(struct sim_party *p)
{
    uint8_t byte = 0;

    if (sim_party_id(p) == 0) {
        /* The limit is checked before anything is read or copied. */
        big_rc = sim_send(p, 1, 1, &byte, SIM_MAX_MESSAGE_BYTES + 1);
    }
}

static const struct sim_protocol big_protocol = {
    .name = "big",
    .setup = ring_setup,
    .on_start = big_on_start,
    .on_message = ring_on_message,
    .on_timer = ring_on_timer,
    .teardown = ring_teardown,
};

/* A message over SIM_MAX_MESSAGE_BYTES is refused, and the run says so. */
static void
test_large_message_limit(void **state)
{
    struct sim_config cfg;
    struct sim *sim = NULL;

    (void)state;
    sim_config_init(&cfg, 2, 1);
    assert_int_equal(sim_create(&sim, &cfg, &big_protocol, NULL), 0);
    assert_int_equal(sim_run(sim), MPCSIM_ELIMIT);
    assert_int_equal(big_rc, MPCSIM_ELIMIT);
    assert_true(sim_metrics(sim)->messages == 0);
    sim_destroy(sim);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_large_ring_hash_links),
        cmocka_unit_test(test_large_message_limit),
    };

    mpcsim_test_init();
    return cmocka_run_group_tests_name("large", tests, NULL, NULL);
}
