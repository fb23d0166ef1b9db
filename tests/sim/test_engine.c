/* SPDX-License-Identifier: MIT */
/*
 * tests/sim/test_engine.c - lifecycle, toy protocol, ordering, compute
 * model, rounds, adversary hook, limits, determinism, out-of-memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sim/sim_int.h" /* sim__payload_bytes */
#include "tests/sim/probe.h"
#include "tests/support.h"

#define MS SIM_NS_PER_MS

static struct sim *
run_ok(const struct sim_config *c, const struct sim_protocol *proto, const void *params)
{
    struct sim *sim = NULL;

    assert_int_equal(sim_create(&sim, c, proto, params), 0);
    assert_int_equal(sim_run(sim), 0);
    return sim;
}

/* The toy all-to-all: every party outputs the sum; counts are exact. */
static void
test_engine_toy(void **state)
{
    struct sim_config c;
    struct sim *sim;
    const struct sim_metrics *m;
    const int n = 50;

    (void)state;
    sim_config_init(&c, n, 7);
    probe_toy_inputs(&c);
    probe_no_message_cost(&c);
    c.net.latency.ms = 10;
    c.net.transport.window_bytes = 0;
    sim = run_ok(&c, &sim_toy_protocol, NULL);
    m = sim_metrics(sim);
    for (int i = 0; i < n; i++) {
        const struct sim_party_result *r = sim_party_result(sim, i);

        assert_true(r->honest && r->has_output && !r->crashed);
        assert_int_equal(r->output_len, 1);
        assert_int_equal(r->output[0], n * (n + 1) / 2);
        assert_int_equal(r->output_ns, 10 * MS);
        assert_int_equal(r->output_depth, 1);
        assert_int_equal(r->bytes_sent, (uint64_t)(n - 1) * 48);
    }
    assert_int_equal(m->messages, (uint64_t)n * (n - 1));
    assert_int_equal(m->events, (uint64_t)n * (n - 1));
    assert_int_equal(m->bytes, (uint64_t)n * (n - 1) * 48);
    assert_int_equal(m->max_party_bytes, 2 * (uint64_t)(n - 1) * 48);
    assert_int_equal(m->latency_ns, 10 * MS);
    assert_int_equal(m->latency_p50_ns, 10 * MS);
    assert_int_equal(m->rounds, 1);
    assert_int_equal(m->dropped, 0);
    assert_int_equal(m->messages_lost, 0);
    assert_int_equal(m->end_ns, 10 * MS);
    assert_int_equal(m->peak_pending_events, (size_t)n * (n - 1));
    assert_false(m->timed_out);
    sim_destroy(sim);
}

/* Timers set for the same time fire in the order they were set. */
struct order_state {
    uint64_t seen[8];
    int n_seen;
};

static int
order_setup(struct sim_party *p, const struct sim_protocol_cfg *cfg)
{
    sim_party_set_state(p, (void *)(uintptr_t)cfg->params);
    return 0;
}

static void
order_start(struct sim_party *p)
{
    if (sim_party_id(p) != 0) {
        return;
    }
    /* 3 at 5 ms, 1 at 2 ms, 4 at 5 ms, 2 at 2 ms, 5 at 0 (now). */
    assert_int_equal(sim_set_timer(p, 5 * MS, 3), 0);
    assert_int_equal(sim_set_timer(p, 2 * MS, 1), 0);
    assert_int_equal(sim_set_timer(p, 5 * MS, 4), 0);
    assert_int_equal(sim_set_timer(p, 2 * MS, 2), 0);
    assert_int_equal(sim_set_timer(p, 0, 0), 0);
}

static void
order_timer(struct sim_party *p, uint64_t id)
{
    struct order_state *st = sim_party_state(p);

    st->seen[st->n_seen++] = id;
}

static void
order_msg(struct sim_party *p, int from, const uint8_t *msg, size_t len)
{
    (void)p;
    (void)from;
    (void)msg;
    (void)len;
}

static void
test_engine_tie_order(void **state)
{
    static const struct sim_protocol proto = {.name = "order",
                                              .setup = order_setup,
                                              .on_start = order_start,
                                              .on_message = order_msg,
                                              .on_timer = order_timer};
    struct order_state st = {{0}, 0};
    struct sim_config c;
    struct sim *sim;

    (void)state;
    sim_config_init(&c, 2, 1);
    sim = run_ok(&c, &proto, &st);
    assert_int_equal(st.n_seen, 5);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(st.seen[i], (uint64_t)i);
    }
    assert_int_equal(sim_metrics(sim)->events, 5);
    assert_int_equal(sim_metrics(sim)->end_ns, 5 * MS);
    sim_destroy(sim);
}

/* Charged compute delays the sends, and a busy party handles its messages
 * one after another. */
static void
test_engine_compute_delays_sends(void **state)
{
    struct probe_params pp = {0};
    struct sim_config c;
    struct sim *sim;
    double cost[SIM_OP_COUNT];

    (void)state;
    for (int k = 0; k < SIM_OP_COUNT; k++) {
        cost[k] = sim_cost_default[k];
    }
    cost[SIM_OP_HASH_BYTE] = 1e6; /* 1 ms per op */
    cost[SIM_OP_MESSAGE] = 0.0;
    sim_config_init(&c, 2, 1);
    c.cost_ns = cost;
    c.net.latency.ms = 10;
    c.net.transport.window_bytes = 0;
    pp.sender = 0;
    pp.receiver = 1;
    pp.count = 3;
    pp.len = 8;
    pp.charge = 2;      /* each send after 2 ms of work */
    pp.recv_charge = 5; /* each receive costs 5 ms */
    sim = run_ok(&c, &probe_protocol, &pp);
    assert_int_equal(pp.n_rec, 3);
    /* Sent at 2, 4, 6 ms; arrive at 12, 14, 16; handled from 12, 17, 22. */
    assert_int_equal(pp.rec[0].t, 12 * MS + 5 * MS);
    assert_int_equal(pp.rec[1].t, 22 * MS);
    assert_int_equal(pp.rec[2].t, 27 * MS);
    assert_int_equal(sim_party_result(sim, 0)->compute_ns, 6 * MS);
    assert_int_equal(sim_party_result(sim, 1)->compute_ns, 15 * MS);
    assert_int_equal(sim_metrics(sim)->compute_ns, 21 * MS);
    free(pp.rec);
    sim_destroy(sim);
}

/* Rounds: a token relayed h hops (hop h stated as round h) is output at
 * round h and depth h. */
static void
test_engine_rounds(void **state)
{
    struct relay_params rp = {7};
    struct sim_config c;
    struct sim *sim;

    (void)state;
    sim_config_init(&c, 3, 1);
    c.net.latency.ms = 1;
    sim = run_ok(&c, &relay_protocol, &rp);
    assert_int_equal(sim_metrics(sim)->rounds, 7); /* hop h is round h */
    assert_int_equal(sim_metrics(sim)->depth, 7);
    assert_int_equal(sim_metrics(sim)->messages, 7);
    assert_true(sim_party_result(sim, 7 % 3)->has_output);
    assert_int_equal(sim_party_result(sim, 7 % 3)->output_depth, 7);
    assert_int_equal(sim_party_result(sim, 7 % 3)->output[0], 7);
    sim_destroy(sim);
}

/* A 2-round all-to-all: each party broadcasts in round 1, then in round
 * 2 once it heard every round-1 message, and outputs after every round-2
 * message. */
struct two_state {
    int heard[3];
};

static int
two_setup(struct sim_party *p, const struct sim_protocol_cfg *cfg)
{
    struct two_state *st = mpcsim_calloc(1, sizeof(*st));

    (void)cfg;
    if (st == NULL) {
        return MPCSIM_ENOMEM;
    }
    sim_party_set_state(p, st);
    return 0;
}

static void
two_start(struct sim_party *p)
{
    uint8_t m = 1;

    assert_int_equal(sim_broadcast(p, 1, &m, 1), 0);
}

static void
two_msg(struct sim_party *p, int from, const uint8_t *msg, size_t len)
{
    struct two_state *st = sim_party_state(p);
    int n1 = sim_party_count(p) - 1;
    uint8_t m = 2;
    mpcsim_i128 out = 0;

    (void)from;
    assert_int_equal(len, 1);
    if (++st->heard[msg[0]] == n1 && msg[0] == 1) {
        assert_true(sim_party_round(p) >= 1); /* a fast peer's round 2 may be here already */
        assert_int_equal(sim_broadcast(p, 2, &m, 1), 0);
    }
    if (st->heard[2] == n1 && st->heard[1] == n1) {
        assert_int_equal(sim_output(p, &out, 1, NULL), 0);
    }
}

static void
two_teardown(struct sim_party *p)
{
    mpcsim_free(sim_party_state(p));
}

/* Rounds are the protocol's: 2 at any n on lognormal latency, where the
 * causal depth (a party that heard a fast peer's round-2 message stamps its
 * own round-2 message deeper) grows beyond it. */
static void
test_engine_rounds_vs_depth(void **state)
{
    static const struct sim_protocol proto = {.name = "two",
                                              .setup = two_setup,
                                              .on_start = two_start,
                                              .on_message = two_msg,
                                              .teardown = two_teardown};
    static const int ns[3] = {5, 30, 200};

    (void)state;
    for (int k = 0; k < 3; k++) {
        struct sim_config c;
        struct sim *sim;

        sim_config_init(&c, ns[k], 3);
        c.net.latency.kind = SIM_LATENCY_LOGNORMAL;
        c.net.latency.median_ms = 40;
        c.net.latency.sigma = 0.3;
        sim = run_ok(&c, &proto, NULL);
        assert_int_equal(sim_metrics(sim)->rounds, 2);
        for (int i = 0; i < ns[k]; i++) {
            assert_true(sim_party_result(sim, i)->has_output);
            assert_int_equal(sim_party_result(sim, i)->output_round, 2);
        }
        if (ns[k] >= 30) {
            assert_true(sim_metrics(sim)->depth > 2);
        }
        sim_destroy(sim);
    }
}

/* Same config and seed: identical metrics; another seed: different. */
static void
test_engine_determinism(void **state)
{
    struct sim_config c;
    struct sim *a, *b, *d;

    (void)state;
    sim_config_init(&c, 60, 99);
    probe_toy_inputs(&c);
    c.net.latency.kind = SIM_LATENCY_LOGNORMAL;
    c.net.latency.median_ms = 20;
    c.net.latency.sigma = 0.8;
    c.net.bandwidth_mbps = 10;
    c.net.loss = 0.05;
    c.faults.dropout_probability = 0.1;
    c.faults.dropout_at = SIM_DROPOUT_START;
    a = run_ok(&c, &sim_toy_protocol, NULL);
    b = run_ok(&c, &sim_toy_protocol, NULL);
    assert_true(probe_metrics_equal(sim_metrics(a), sim_metrics(b)));
    for (int i = 0; i < c.n; i++) {
        assert_int_equal(sim_party_result(a, i)->output_ns, sim_party_result(b, i)->output_ns);
        assert_int_equal(sim_party_result(a, i)->crashed, sim_party_result(b, i)->crashed);
    }
    c.seed = 100;
    d = run_ok(&c, &sim_toy_protocol, NULL);
    assert_false(probe_metrics_equal(sim_metrics(a), sim_metrics(d)));
    sim_destroy(a);
    sim_destroy(b);
    sim_destroy(d);
}

/* A pool (sim_pool) changes nothing a trial computes: trials run with
 * one, one after another, give what trials without one give; from the
 * second on they take their queue's blocks from what the first gave back
 * (the pool holds memory between them), and destroying it frees all. */
static void
test_engine_pool(void **state)
{
    struct sim_config c;
    struct sim_pool *pool = NULL;
    size_t held = 0;

    (void)state;
    assert_int_equal(sim_pool_create(&pool), 0);
    assert_int_equal(sim_pool_bytes(pool), 0);
    sim_config_init(&c, 300, 5);
    probe_toy_inputs(&c);
    c.net.latency.kind = SIM_LATENCY_LOGNORMAL;
    c.net.latency.median_ms = 20;
    c.net.latency.sigma = 0.5;
    c.net.bandwidth_mbps = 100;
    for (int t = 0; t < 6; t++) {
        if (t == 3) {
            /* constant latency: the grouped queue's blocks, kept too */
            c.net.latency.kind = SIM_LATENCY_CONSTANT;
            c.net.latency.ms = 10;
            c.net.bandwidth_mbps = 0;
        }
        struct sim *a, *b;

        c.seed = 5 + (uint64_t)t;
        c.pool = NULL;
        a = run_ok(&c, &sim_toy_protocol, NULL);
        c.pool = pool;
        b = run_ok(&c, &sim_toy_protocol, NULL);
        assert_true(probe_metrics_equal(sim_metrics(a), sim_metrics(b)));
        for (int i = 0; i < c.n; i++) {
            assert_int_equal(sim_party_result(a, i)->output_ns, sim_party_result(b, i)->output_ns);
            assert_int_equal(sim_party_result(a, i)->output[0], sim_party_result(b, i)->output[0]);
        }
        sim_destroy(a);
        sim_destroy(b);
        /* 89 700 events pending at once: 1.5 to 2.2 MB of blocks, kept */
        assert_true(sim_pool_bytes(pool) >= (size_t)c.n * (size_t)(c.n - 1) * 16);
        if (t != 0 && t != 3) {
            assert_int_equal(sim_pool_bytes(pool), held); /* reused, not grown */
        }
        held = sim_pool_bytes(pool);
    }
    /* Released, the pool holds nothing and is still usable. */
    sim_pool_release(pool);
    assert_int_equal(sim_pool_bytes(pool), 0);
    c.pool = pool;
    sim_destroy(run_ok(&c, &sim_toy_protocol, NULL));
    assert_true(sim_pool_bytes(pool) > 0);
    sim_pool_release(NULL);
    sim_pool_destroy(pool);
    sim_pool_destroy(NULL);
}

/* Protocol keys: per party, per seed, reproducible. */
static uint8_t key_seen[4][32];
static uint8_t trial_key_seen[32];

static int
key_trial_setup(struct sim *sim, void **trial_out, const struct sim_protocol_cfg *cfg0,
                const uint8_t trial_key[32])
{
    (void)cfg0;
    memcpy(trial_key_seen, trial_key, 32);
    *trial_out = NULL;
    return sim_stat_add(sim, "offline_bytes", 10.0);
}

static int
key_setup(struct sim_party *p, const struct sim_protocol_cfg *cfg)
{
    (void)p;
    memcpy(key_seen[cfg->self], cfg->key, 32);
    return 0;
}

static void
test_engine_keys_stats(void **state)
{
    static const struct sim_protocol proto = {.name = "keys",
                                              .trial_setup = key_trial_setup,
                                              .setup = key_setup,
                                              .on_message = order_msg};
    uint8_t first[4][32], first_trial[32];
    struct sim_config c;
    struct sim *sim;

    (void)state;
    sim_config_init(&c, 4, 5);
    sim = run_ok(&c, &proto, NULL);
    assert_int_equal(sim_stat_count(sim), 1);
    assert_string_equal(sim_stat_name(sim, 0), "offline_bytes");
    assert_true(sim_stat_value(sim, 0) == 10.0);
    assert_int_equal(sim_stat_add(sim, "offline_bytes", 5.0), 0);
    assert_true(sim_stat_value(sim, 0) == 15.0);
    sim_destroy(sim);
    memcpy(first, key_seen, sizeof(first));
    memcpy(first_trial, trial_key_seen, 32);
    assert_memory_not_equal(first[0], first[1], 32);
    assert_memory_not_equal(first[0], first_trial, 32);
    sim = run_ok(&c, &proto, NULL);
    assert_memory_equal(first, key_seen, sizeof(first));
    assert_memory_equal(first_trial, trial_key_seen, 32);
    sim_destroy(sim);
    c.seed = 6;
    sim = run_ok(&c, &proto, NULL);
    assert_memory_not_equal(first[0], key_seen[0], 32);
    sim_destroy(sim);
}

/* The adversary hook: tamper rewrites per receiver (equivocation), drops
 * and delays; without a hook, withhold drops and delay delays. */
static enum sim_adv_action
tamper_fn(struct sim_party *p, enum sim_behaviour b, int to, uint8_t *msg, size_t *len, size_t cap)
{
    (void)p;
    assert_true(cap >= *len + 64);
    if (b == SIM_EQUIVOCATE) {
        msg[0] = (uint8_t)(msg[0] + to); /* a different value per receiver */
        return SIM_ADV_SEND;
    }
    if (b == SIM_MALFORMED) {
        *len = *len + 3; /* grow into the spare capacity */
        return to == 2 ? SIM_ADV_DROP : SIM_ADV_DELAY;
    }
    return SIM_ADV_SEND;
}

static void
test_engine_adversary(void **state)
{
    struct sim_protocol toy_tamper = sim_toy_protocol;
    enum sim_behaviour beh[4] = {SIM_HONEST, SIM_EQUIVOCATE, SIM_HONEST, SIM_HONEST};
    struct sim_config c;
    struct sim *sim;

    (void)state;
    toy_tamper.tamper = tamper_fn;
    sim_config_init(&c, 4, 3);
    probe_toy_inputs(&c); /* 1, 2, 3, 4: sum 10 */
    probe_no_message_cost(&c);
    c.behaviour = beh;
    c.net.latency.ms = 1;
    c.net.transport.window_bytes = 0;
    c.adversary_delay_ns = 50 * MS;
    sim = run_ok(&c, &toy_tamper, NULL);
    assert_int_equal(sim_party_result(sim, 0)->output[0], 10);
    assert_int_equal(sim_party_result(sim, 2)->output[0], 12);
    assert_int_equal(sim_party_result(sim, 3)->output[0], 13);
    assert_false(sim_party_result(sim, 1)->honest);
    sim_destroy(sim);

    /* Malformed: grown by 3 bytes, dropped to 2, delayed to 0 and 3. */
    beh[1] = SIM_MALFORMED;
    sim = run_ok(&c, &toy_tamper, NULL);
    assert_false(sim_party_result(sim, 2)->has_output);
    assert_int_equal(sim_party_result(sim, 0)->output_ns, 51 * MS);
    assert_int_equal(sim_party_result(sim, 1)->bytes_sent, 2 * (8 + 3 + 40));
    assert_int_equal(sim_metrics(sim)->messages, 3 * 3 + 2);
    sim_destroy(sim);

    /* No hook: withhold drops everything, delay delays everything. */
    beh[1] = SIM_WITHHOLD;
    sim = run_ok(&c, &sim_toy_protocol, NULL);
    assert_false(sim_party_result(sim, 0)->has_output);
    assert_true(sim_party_result(sim, 1)->has_output);
    assert_int_equal(sim_party_result(sim, 1)->messages_sent, 0);
    sim_destroy(sim);
    beh[1] = SIM_DELAY;
    sim = run_ok(&c, &sim_toy_protocol, NULL);
    assert_int_equal(sim_party_result(sim, 0)->output[0], 10);
    assert_true(sim_party_result(sim, 0)->output_ns > 50 * MS);
    assert_true(sim_party_result(sim, 1)->output_ns < 2 * MS);
    sim_destroy(sim);
}

/* Outputs, aborts and accusations are recorded. */
static void
judge_start(struct sim_party *p)
{
    mpcsim_i128 v[2] = {sim_party_id(p), 42};
    uint8_t inc[3] = {1, 0, 1};

    if (sim_party_id(p) == 0) {
        assert_int_equal(sim_output(p, v, 2, inc), 0);
        assert_int_equal(sim_output(p, v, 1, NULL), 0); /* ignored */
        sim_accuse(p, 2);
    } else if (sim_party_id(p) == 1) {
        sim_abort(p, "mac check failed");
        sim_abort(p, "again");
        sim_accuse(p, 0);
    } else if (sim_party_id(p) == 2) {
        sim_accuse(p, 1); /* party 2 is corrupted in the second run: not recorded */
    }
}

static void
test_engine_results(void **state)
{
    static const struct sim_protocol proto = {
        .name = "judge", .on_start = judge_start, .on_message = order_msg};
    const struct sim_accusation *acc;
    struct sim_config c;
    struct sim *sim;

    (void)state;
    sim_config_init(&c, 3, 1);
    sim = run_ok(&c, &proto, NULL);
    assert_int_equal(sim_party_result(sim, 0)->output_len, 2);
    assert_int_equal(sim_party_result(sim, 0)->output[1], 42);
    assert_int_equal(sim_party_result(sim, 0)->included[1], 0);
    assert_true(sim_party_result(sim, 1)->aborted);
    assert_string_equal(sim_party_result(sim, 1)->abort_reason, "mac check failed");
    assert_int_equal(sim_accusations(sim, &acc), 3);
    assert_int_equal(acc[0].accuser, 0);
    assert_int_equal(acc[0].accused, 2);
    assert_int_equal(acc[1].accuser, 1);
    assert_int_equal(acc[2].accuser, 2);
    sim_destroy(sim);

    /* Only honest parties' accusations count: party 2 corrupted. */
    {
        static const enum sim_behaviour beh[3] = {SIM_HONEST, SIM_HONEST, SIM_WITHHOLD};

        c.behaviour = beh;
        sim = run_ok(&c, &proto, NULL);
        assert_int_equal(sim_accusations(sim, &acc), 2);
        assert_int_equal(acc[0].accuser, 0);
        assert_int_equal(acc[1].accuser, 1);
        sim_destroy(sim);
    }
}

/* max_sim_time ends the trial; max_events returns MPCSIM_ELIMIT. */
static void
test_engine_limits(void **state)
{
    struct probe_params pp = {0};
    struct sim_config c;
    struct sim *sim = NULL;

    (void)state;
    sim_config_init(&c, 2, 1);
    c.net.latency.ms = 1;
    pp.sender = 0;
    pp.receiver = 1;
    pp.count = 100;
    pp.len = 4;
    pp.gap_ns = MS;
    c.max_sim_time_ns = 10 * MS + MS / 2;
    sim = run_ok(&c, &probe_protocol, &pp);
    assert_true(sim_metrics(sim)->timed_out);
    assert_true(sim_metrics(sim)->end_ns <= c.max_sim_time_ns);
    assert_int_equal(pp.n_rec, 10); /* sent at 0..9 ms arrive by 10 ms */
    sim_destroy(sim);
    c.max_sim_time_ns = 0;
    c.max_events = 5;
    pp.n_rec = 0;
    assert_int_equal(sim_create(&sim, &c, &probe_protocol, &pp), 0);
    assert_int_equal(sim_run(sim), MPCSIM_ELIMIT);
    assert_int_equal(sim_metrics(sim)->events, 5);
    sim_destroy(sim);
    free(pp.rec);
}

/* Bad configurations are refused. */
static void
test_engine_invalid(void **state)
{
    struct sim_config c;
    struct sim *sim = NULL;
    struct sim_crash cr = {5, 0, 0};

    (void)state;
    sim_config_init(&c, 1, 1);
    assert_int_equal(sim_create(&sim, &c, &sim_toy_protocol, NULL), MPCSIM_EINVAL);
    sim_config_init(&c, 4, 1);
    c.net.loss = 1.5;
    assert_int_equal(sim_create(&sim, &c, &sim_toy_protocol, NULL), MPCSIM_EINVAL);
    sim_config_init(&c, 4, 1);
    c.net.latency.kind = SIM_LATENCY_LOGNORMAL;
    assert_int_equal(sim_create(&sim, &c, &sim_toy_protocol, NULL), MPCSIM_EINVAL);
    sim_config_init(&c, 4, 1);
    c.faults.n_crashes = 1;
    c.faults.crashes = &cr;
    assert_int_equal(sim_create(&sim, &c, &sim_toy_protocol, NULL), MPCSIM_EINVAL);
    sim_config_init(&c, 4, 1);
    c.net.transport.mss = 0;
    assert_int_equal(sim_create(&sim, &c, &sim_toy_protocol, NULL), MPCSIM_EINVAL);
    assert_null(sim);
    assert_string_equal(sim_behaviour_name(SIM_CORRUPT_SHARES), "corrupt_shares");
    assert_null(sim_behaviour_name(SIM_BEHAVIOUR_COUNT));
}

/* Every allocation failure in sim_create is reported and leaks nothing. */
static void
test_engine_create_oom(void **state)
{
    static const mpcsim_i128 xs[3] = {1, 2, 3};
    static const int region[3] = {0, 1, 0};
    static const double med[4] = {1, 2, 2, 1};
    static const int grp[3] = {0, 0, 1};
    struct sim_partition part = {0, MS, grp, 0, NULL, NULL, 0};
    struct sim_crash cr = {2, 5 * MS, -1};
    const mpcsim_i128 *in[3] = {&xs[0], &xs[1], &xs[2]};
    size_t len[3] = {1, 1, 1};
    struct sim_config c;
    int n;

    (void)state;
    sim_config_init(&c, 3, 1);
    c.inputs = in;
    c.input_len = len;
    c.net.n_regions = 2;
    c.net.party_region = region;
    c.net.region_median_ms = med;
    c.net.latency.sigma = 0.3;
    c.net.n_partitions = 1;
    c.net.partitions = &part;
    c.faults.n_crashes = 1;
    c.faults.crashes = &cr;
    for (n = 0;; n++) {
        struct sim *sim = NULL;
        int rc;

        mpcsim_test_fail_alloc_after(n);
        rc = sim_create(&sim, &c, &sim_toy_protocol, NULL);
        mpcsim_test_fail_alloc_after(-1);
        if (rc == 0) {
            assert_int_equal(sim_run(sim), 0);
            sim_destroy(sim);
            break;
        }
        assert_int_equal(rc, MPCSIM_ENOMEM);
        assert_null(sim);
    }
    assert_true(n > 5);
}

/* Allocation failures while running are reported by sim_run; destroy
 * frees everything. */
static void
test_engine_run_oom(void **state)
{
    struct sim_config c;
    int n, failed = 0;

    (void)state;
    sim_config_init(&c, 30, 1);
    probe_toy_inputs(&c);
    c.net.latency.kind = SIM_LATENCY_EXPONENTIAL;
    c.net.latency.mean_ms = 3;
    c.net.bandwidth_mbps = 1;
    for (n = 0; n < 400; n++) {
        struct sim *sim = NULL;
        int rc;

        assert_int_equal(sim_create(&sim, &c, &sim_toy_protocol, NULL), 0);
        mpcsim_test_fail_alloc_after(n);
        rc = sim_run(sim);
        mpcsim_test_fail_alloc_after(-1);
        assert_true(rc == 0 || rc == MPCSIM_ENOMEM);
        failed += rc != 0;
        sim_destroy(sim);
        if (rc == 0) {
            break;
        }
    }
    assert_true(failed > 0);
}

/*
 * A pending message's payload: a 9-byte message (a type byte and one
 * 64-bit share, as Shamir's and additive's input shares) takes a 16-byte
 * compact block (a 7-byte header; was 24 with a 15-byte one).  Full
 * payloads (a 14-byte header) take 24 B, then 32 B doubling to 8 KiB;
 * beyond, header and data are malloc'd.
 */
static void
test_engine_payload_bytes(void **state)
{
    (void)state;
    assert_int_equal(SIM__PAYLOAD_HDR, 14);
    assert_int_equal(sim__payload_bytes(0), 16);
    assert_int_equal(sim__payload_bytes(9), 16);
    assert_int_equal(sim__payload_bytes(10), 24);
    assert_int_equal(sim__payload_bytes(11), 32);
    assert_int_equal(sim__payload_bytes(18), 32);
    assert_int_equal(sim__payload_bytes(19), 64);
    assert_int_equal(sim__payload_bytes(8192 - 14), 8192);
    assert_int_equal(sim__payload_bytes(8192 - 13), 8192 - 13 + 14);
}

/*
 * Compact and full payloads carry the same message: a relay chain sends
 * messages of 0 ... 12 bytes (compact up to 9) hop after hop through
 * depth 600 (the largest compact depth is 255), in a broadcast as
 * well (one payload, refs counted per receiver).  Every receiver checks
 * the bytes, length and round (1 + hop, rising) it got; the trial's
 * output depth is the hop count.
 */
#define RELAY_HOPS 600
struct plrelay_party {
    int hops;
    int bad;
};

static int
plrelay_setup(struct sim_party *p, const struct sim_protocol_cfg *cfg)
{
    struct plrelay_party *st = calloc(1, sizeof(*st));

    (void)cfg;
    if (st == NULL) {
        return MPCSIM_ENOMEM;
    }
    sim_party_set_state(p, st);
    return 0;
}

static size_t
plrelay_msg(uint8_t msg[static 16], int hop)
{
    size_t len = (size_t)(hop % 13);

    for (size_t i = 0; i < 16; i++) {
        msg[i] = (uint8_t)(hop * 31 + (int)i);
    }
    return len;
}

static void
plrelay_send(struct sim_party *p, int hop)
{
    uint8_t msg[16];
    size_t len;
    int n = sim_party_count(p), rc;

    len = plrelay_msg(msg, hop);
    if (hop % 100 == 99) {
        rc = sim_broadcast(p, 1 + hop % 3000, msg, len);
    } else {
        rc = sim_send(p, (sim_party_id(p) + 1) % n, 1 + hop % 3000, msg, len);
    }
    assert_int_equal(rc, 0);
}

static void
plrelay_start(struct sim_party *p)
{
    if (sim_party_id(p) == 0) {
        plrelay_send(p, 0);
    }
}

static void
plrelay_message(struct sim_party *p, int from, const uint8_t *msg, size_t len)
{
    struct plrelay_party *st = sim_party_state(p);
    int hop = sim_party_depth(p) - 1, n = sim_party_count(p);
    uint8_t want[16];
    size_t wlen;
    mpcsim_i128 v = hop + 1;

    (void)from;
    wlen = plrelay_msg(want, hop);
    if (len != wlen || (len > 0 && memcmp(msg, want, len) != 0) ||
        sim_party_round(p) != 1 + hop % 3000) {
        st->bad++;
    }
    if (++st->hops > RELAY_HOPS) { /* a lost depth would relay for ever */
        st->bad++;
        return;
    }
    if (hop + 1 == RELAY_HOPS) {
        assert_int_equal(sim_output(p, &v, 1, NULL), 0);
        return;
    }
    /* Of a broadcast, only the next party in the ring relays. */
    if (hop % 100 != 99 || sim_party_id(p) == (from + 1) % n) {
        plrelay_send(p, hop + 1);
    }
}

static void
plrelay_teardown(struct sim_party *p)
{
    struct plrelay_party *st = sim_party_state(p);

    assert_int_equal(st->bad, 0);
    free(st);
}

static void
test_engine_payload_layouts(void **state)
{
    static const struct sim_protocol proto = {.name = "relay",
                                              .setup = plrelay_setup,
                                              .on_start = plrelay_start,
                                              .on_message = plrelay_message,
                                              .teardown = plrelay_teardown};
    struct sim_config cfg;
    struct sim *sim;
    const struct sim_metrics *m;

    (void)state;
    sim_config_init(&cfg, 3, 5);
    assert_int_equal(sim_create(&sim, &cfg, &proto, NULL), 0);
    assert_int_equal(sim_run(sim), 0);
    m = sim_metrics(sim);
    assert_int_equal(m->depth, RELAY_HOPS);
    sim_destroy(sim);
}

/*
 * Immediate messages (sim_int.h: up to 9 bytes, round and depth up to 15,
 * carried in the event) and payloads deliver the same: every party sends
 * each other party messages of 0 ... 12 bytes in rounds 1 ... 20 (some
 * immediate, some not), then broadcasts a 9-byte one; each receiver
 * checks every byte (they name sender, receiver and length) and counts.
 * The same trial with a trace sink installed (which keeps every message a
 * payload) must give the same metrics and per-party results, on networks
 * without and with downlink limits (ARRIVE_IMM queued or delivered at
 * once), with drawn latency, and with crashes (immediates dropped at a
 * crashed receiver); and when every message fits (up to 9 bytes, rounds
 * up to 15) and nothing traces, the trial allocates no payload slab.
 */
#define IMM_LENS 13
struct imm_party {
    int got[IMM_LENS + 1];
    int bad;
};

static int imm_max_len = IMM_LENS - 1; /* the longest message the trial sends */
static int imm_rounds = 20;            /* a len-byte message's round: 1 + 7 len mod this */

static void
imm_fill(uint8_t msg[static IMM_LENS], int from, int to, size_t len)
{
    for (size_t b = 0; b < len && b < IMM_LENS; b++) {
        msg[b] = (uint8_t)(from * 131 + to * 17 + (int)len * 7 + (int)b * 3 + 1);
    }
}

static int
imm_setup(struct sim_party *p, const struct sim_protocol_cfg *cfg)
{
    (void)cfg;
    sim_party_set_state(p, calloc(1, sizeof(struct imm_party)));
    return sim_party_state(p) != NULL ? 0 : MPCSIM_ENOMEM;
}

static void
imm_start(struct sim_party *p)
{
    uint8_t msg[IMM_LENS];
    int n = sim_party_count(p), me = sim_party_id(p);

    for (int to = 0; to < n; to++) {
        for (int len = 0; to != me && len <= imm_max_len; len++) {
            imm_fill(msg, me, to, (size_t)len);
            assert_int_equal(sim_send(p, to, 1 + (len * 7) % imm_rounds, msg, (size_t)len), 0);
        }
    }
    imm_fill(msg, me, -1, 9);
    assert_int_equal(sim_broadcast(p, 2, msg, 9), 0);
}

static void
imm_message(struct sim_party *p, int from, const uint8_t *msg, size_t len)
{
    struct imm_party *st = sim_party_state(p);
    uint8_t want[IMM_LENS], bcast[IMM_LENS];

    if (len > IMM_LENS - 1) {
        st->bad++;
        return;
    }
    imm_fill(want, from, sim_party_id(p), len);
    imm_fill(bcast, from, -1, len);
    if ((len > 0 && memcmp(msg, want, len) != 0 && (len != 9 || memcmp(msg, bcast, 9) != 0))) {
        st->bad++;
        return;
    }
    st->got[len]++;
    if (len == 9 && memcmp(msg, bcast, 9) == 0) {
        st->got[IMM_LENS]++;
    }
}

static void
imm_teardown(struct sim_party *p)
{
    struct imm_party *st = sim_party_state(p);

    assert_int_equal(st->bad, 0);
    free(st);
}

static void
imm_trace_sink(void *ctx, const struct sim_trace_record *rec)
{
    (void)rec;
    ++*(int *)ctx;
}

/* Run the trial, with a trace sink or not; *slabs: payload slabs taken. */
static struct sim *
imm_run(const struct sim_config *cfg, int traced, size_t *slabs)
{
    static const struct sim_protocol proto = {.name = "imm",
                                              .setup = imm_setup,
                                              .on_start = imm_start,
                                              .on_message = imm_message,
                                              .teardown = imm_teardown};
    struct sim *sim;
    int records = 0;

    assert_int_equal(sim_create(&sim, cfg, &proto, NULL), 0);
    if (traced) {
        sim_trace_set(sim, imm_trace_sink, &records);
    }
    assert_int_equal(sim_run(sim), 0);
    assert_true(!traced || records > 0);
    *slabs = sim->n_slabs;
    return sim;
}

static void
test_engine_immediate_messages(void **state)
{
    const struct sim_crash crashes[] = {{4, MS / 2, -1}, {6, 2 * MS, -1}};
    struct sim_config cfg;
    const int n = 9;

    (void)state;
    for (int v = 0; v < 5; v++) {
        struct sim *a, *b;
        size_t slabs_a, slabs_b;
        const struct sim_metrics *ma, *mb;

        sim_config_init(&cfg, n, 11 + (uint64_t)v);
        cfg.net.latency.kind = SIM_LATENCY_CONSTANT;
        cfg.net.latency.ms = 2.0;
        if (v == 1 || v == 3) {
            cfg.net.bandwidth_mbps = 1.0; /* downlinks queue: ARRIVE_IMM, then DELIVER_IMM */
        }
        if (v == 2 || v == 3) {
            cfg.net.latency.kind = SIM_LATENCY_LOGNORMAL;
            cfg.net.latency.median_ms = 2.0;
            cfg.net.latency.sigma = 0.5;
        }
        if (v == 3) {
            cfg.faults.n_crashes = 2;
            cfg.faults.crashes = crashes;
        }
        imm_max_len = v == 4 ? 9 : IMM_LENS - 1;
        imm_rounds = v == 4 ? 15 : 20;
        a = imm_run(&cfg, 0, &slabs_a);
        b = imm_run(&cfg, 1, &slabs_b);
        ma = sim_metrics(a);
        mb = sim_metrics(b);
        assert_int_equal(ma->messages, mb->messages);
        assert_int_equal(ma->bytes, mb->bytes);
        assert_int_equal(ma->events, mb->events);
        assert_int_equal(ma->messages_lost, mb->messages_lost);
        assert_int_equal(ma->end_ns, mb->end_ns);
        assert_int_equal(ma->max_party_bytes, mb->max_party_bytes);
        assert_int_equal(ma->compute_ns, mb->compute_ns);
        assert_true(v != 3 || ma->messages_lost > 0);
        for (int i = 0; i < n; i++) {
            const struct sim_party_result *ra = sim_party_result(a, i),
                                          *rb = sim_party_result(b, i);
            const struct imm_party *sa = a->parties[i].state, *sb = b->parties[i].state;

            assert_int_equal(ra->messages_received, rb->messages_received);
            assert_int_equal(ra->bytes_received, rb->bytes_received);
            assert_int_equal(ra->bytes_sent, rb->bytes_sent);
            assert_int_equal(ra->compute_ns, rb->compute_ns);
            assert_int_equal(a->parties[i].depth, b->parties[i].depth);
            assert_int_equal(a->parties[i].round, b->parties[i].round);
            assert_int_equal(a->parties[i].busy_until, b->parties[i].busy_until);
            for (int k = 0; k <= IMM_LENS; k++) {
                assert_int_equal(sa->got[k], sb->got[k]);
                if (v != 3 && k <= imm_max_len) {
                    /* every other party's message, and the broadcasts */
                    assert_int_equal(sa->got[k], k == 9 ? 2 * (n - 1) : n - 1);
                }
            }
            if (v != 3) {
                assert_int_equal(sa->got[IMM_LENS], n - 1);
            }
        }
        {
            int want = 2; /* the broadcast's */

            for (int len = 0; len <= imm_max_len; len++) {
                want = 1 + (len * 7) % imm_rounds > want ? 1 + (len * 7) % imm_rounds : want;
            }
            assert_int_equal(a->parties[0].round, want); /* 18, or 15 */
        }
        /* Only payload-sized messages take slabs; traced, all do. */
        assert_true(slabs_b > 0);
        assert_true(v == 4 ? slabs_a == 0 : slabs_a > 0);
        sim_destroy(a);
        sim_destroy(b);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_engine_toy),
        cmocka_unit_test(test_engine_payload_bytes),
        cmocka_unit_test(test_engine_payload_layouts),
        cmocka_unit_test(test_engine_immediate_messages),
        cmocka_unit_test(test_engine_tie_order),
        cmocka_unit_test(test_engine_compute_delays_sends),
        cmocka_unit_test(test_engine_rounds),
        cmocka_unit_test(test_engine_rounds_vs_depth),
        cmocka_unit_test(test_engine_determinism),
        cmocka_unit_test(test_engine_keys_stats),
        cmocka_unit_test(test_engine_adversary),
        cmocka_unit_test(test_engine_results),
        cmocka_unit_test(test_engine_limits),
        cmocka_unit_test(test_engine_pool),
        cmocka_unit_test(test_engine_invalid),
        cmocka_unit_test(test_engine_create_oom),
        cmocka_unit_test(test_engine_run_oom),
    };

    mpcsim_test_init();
    return cmocka_run_group_tests_name("engine", tests, NULL, NULL);
}
