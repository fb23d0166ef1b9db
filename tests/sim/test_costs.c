/* SPDX-License-Identifier: MIT */
/*
 * tests/sim/test_costs.c - the engine's compute model: charges add up
 * exactly (no per-charge rounding), every delivered message is charged
 * SIM_OP_MESSAGE, and the cost table is validated.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tests/sim/probe.h"
#include "tests/support.h"

/* Each party charges `count` single SIM_OP_FIELD_ADD operations, outputs. */
struct tiny_params {
    int count;
};

static int
tiny_setup(struct sim_party *p, const struct sim_protocol_cfg *cfg)
{
    sim_party_set_state(p, (void *)(uintptr_t)cfg->params);
    return 0;
}

static void
tiny_start(struct sim_party *p)
{
    const struct tiny_params *tp = sim_party_state(p);
    mpcsim_i128 zero = 0;

    for (int k = 0; k < tp->count; k++) {
        sim_charge(p, SIM_OP_FIELD_ADD, 1);
    }
    assert_int_equal(sim_output(p, &zero, 1, NULL), 0);
}

static void
tiny_message(struct sim_party *p, int from, const uint8_t *msg, size_t len)
{
    (void)p;
    (void)from;
    (void)msg;
    (void)len;
}

static const struct sim_protocol tiny_protocol = {
    .name = "tiny",
    .setup = tiny_setup,
    .on_start = tiny_start,
    .on_message = tiny_message,
};

static void
zero_costs(double cost[SIM_OP_COUNT])
{
    for (int k = 0; k < SIM_OP_COUNT; k++) {
        cost[k] = 0.0;
    }
}

/* 1000 charges of 0.25 ns are 250 ns, not 1000 x round(0.25) = 0; and
 * of 0.267186 ns, 267 ns (the exact 267.186 floored once). */
static void
test_costs_sub_ns_charges_add_up(void **state)
{
    struct tiny_params tp = {1000};
    double cost[SIM_OP_COUNT];
    struct sim_config c;
    struct sim *sim = NULL;

    (void)state;
    zero_costs(cost);
    cost[SIM_OP_FIELD_ADD] = 0.25;
    sim_config_init(&c, 3, 1);
    c.cost_ns = cost;
    assert_int_equal(sim_create(&sim, &c, &tiny_protocol, &tp), 0);
    assert_int_equal(sim_run(sim), 0);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(sim_party_result(sim, i)->compute_ns, 250);
        assert_int_equal(sim_party_result(sim, i)->output_ns, 250);
    }
    assert_int_equal(sim_metrics(sim)->compute_ns, 750);
    sim_destroy(sim);

    cost[SIM_OP_FIELD_ADD] = 0.267186;
    assert_int_equal(sim_create(&sim, &c, &tiny_protocol, &tp), 0);
    assert_int_equal(sim_run(sim), 0);
    assert_int_equal(sim_party_result(sim, 0)->compute_ns, 267);
    sim_destroy(sim);
}

/* The toy all-to-all with only `message` priced: each of the n(n - 1)
 * deliveries costs exactly one message. */
static void
test_costs_message_per_delivery(void **state)
{
    double cost[SIM_OP_COUNT];
    struct sim_config c;
    struct sim *sim = NULL;
    const int n = 6;

    (void)state;
    zero_costs(cost);
    cost[SIM_OP_MESSAGE] = 1000.0;
    sim_config_init(&c, n, 3);
    probe_toy_inputs(&c);
    c.cost_ns = cost;
    c.net.latency.ms = 1;
    assert_int_equal(sim_create(&sim, &c, &sim_toy_protocol, NULL), 0);
    assert_int_equal(sim_run(sim), 0);
    assert_int_equal(sim_metrics(sim)->messages, (uint64_t)n * (n - 1));
    assert_int_equal(sim_metrics(sim)->compute_ns, (int64_t)n * (n - 1) * 1000);
    for (int i = 0; i < n; i++) {
        assert_int_equal(sim_party_result(sim, i)->compute_ns, (int64_t)(n - 1) * 1000);
    }
    sim_destroy(sim);
}

/* Entries must be finite, >= 0 and at most SIM_COST_MAX_NS. */
static void
test_costs_table_checked(void **state)
{
    struct tiny_params tp = {1};
    double cost[SIM_OP_COUNT];
    struct sim_config c;
    struct sim *sim = NULL;

    (void)state;
    zero_costs(cost);
    sim_config_init(&c, 2, 1);
    c.cost_ns = cost;
    cost[SIM_OP_X25519] = SIM_COST_MAX_NS * 2;
    assert_int_equal(sim_create(&sim, &c, &tiny_protocol, &tp), MPCSIM_EINVAL);
    cost[SIM_OP_X25519] = -1.0;
    assert_int_equal(sim_create(&sim, &c, &tiny_protocol, &tp), MPCSIM_EINVAL);
    cost[SIM_OP_X25519] = SIM_COST_MAX_NS;
    assert_int_equal(sim_create(&sim, &c, &tiny_protocol, &tp), 0);
    assert_int_equal(sim_run(sim), 0);
    sim_destroy(sim);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_costs_sub_ns_charges_add_up),
        cmocka_unit_test(test_costs_message_per_delivery),
        cmocka_unit_test(test_costs_table_checked),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
