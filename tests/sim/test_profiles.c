/* SPDX-License-Identifier: MIT */
/*
 * tests/sim/test_profiles.c - party profiles (issue 17, "heterogeneous
 * parties"): a slow uplink delays exactly that party's messages, a slow
 * downlink exactly the messages to that party, and cpu_scale multiplies
 * that party's compute; closed forms on the toy all-to-all sum.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tests/sim/probe.h"
#include "tests/support.h"

#define MS SIM_NS_PER_MS
#define US INT64_C(1000)

/* Costs: 1 us per delivered message, nothing else (whole ns: exact). */
static double costs[SIM_OP_COUNT];

/* The toy sum at n = 3 over 10 ms datagrams (48 wire bytes each: 8 + 40
 * header), parties as profiled; returns the finished trial. */
static struct sim *
toy3(const struct sim_profile *profiles, int n_profiles, const int *party_profile,
     double bandwidth_mbps, double message_ns)
{
    struct sim_config c;
    struct sim *sim = NULL;

    sim_config_init(&c, 3, 1);
    probe_toy_inputs(&c);
    c.net.latency.ms = 10;
    c.net.transport.kind = SIM_TRANSPORT_DATAGRAM;
    c.net.bandwidth_mbps = bandwidth_mbps;
    memset(costs, 0, sizeof(costs));
    costs[SIM_OP_MESSAGE] = message_ns;
    c.cost_ns = costs;
    c.n_profiles = n_profiles;
    c.profiles = profiles;
    c.party_profile = party_profile;
    assert_int_equal(sim_create(&sim, &c, &sim_toy_protocol, NULL), 0);
    assert_int_equal(sim_run(sim), 0);
    return sim;
}

static int64_t
out_ns(const struct sim *sim, int i)
{
    const struct sim_party_result *r = sim_party_result(sim, i);

    assert_true(r->has_output);
    return r->output_ns;
}

/* Party 1's uplink at 1 Mbit/s (384 us per 48-byte message), everyone
 * else unlimited: party 1's broadcast leaves one message after the other
 * (to 0 at 384 us, to 2 at 768 us); nobody else's messages wait. */
static void
test_profiles_slow_uplink(void **state)
{
    static const struct sim_profile slow = {1.0, SIM_PROFILE_NETWORK, 1.0};
    static const int pp[3] = {-1, 0, -1};
    struct sim *sim;

    (void)state;
    sim = toy3(&slow, 1, pp, 0, 0);
    assert_true(out_ns(sim, 0) == 10 * MS + 384 * US);
    assert_true(out_ns(sim, 1) == 10 * MS);
    assert_true(out_ns(sim, 2) == 10 * MS + 768 * US);
    sim_destroy(sim);
    /* Without the profile: everyone at 10 ms. */
    sim = toy3(NULL, 0, NULL, 0, 0);
    for (int i = 0; i < 3; i++) {
        assert_true(out_ns(sim, i) == 10 * MS);
    }
    sim_destroy(sim);
}

/* Party 2's downlink at 1 Mbit/s: its two messages arrive together at
 * 10 ms; the first streams in while in flight, the second needs 384 us
 * more (README closed form: max(arrival, downlink free + 8w/bandwidth)). */
static void
test_profiles_slow_downlink(void **state)
{
    static const struct sim_profile slow = {SIM_PROFILE_NETWORK, 1.0, 1.0};
    static const int pp[3] = {-1, -1, 0};
    struct sim *sim;

    (void)state;
    sim = toy3(&slow, 1, pp, 0, 0);
    assert_true(out_ns(sim, 0) == 10 * MS);
    assert_true(out_ns(sim, 1) == 10 * MS);
    assert_true(out_ns(sim, 2) == 10 * MS + 384 * US);
    sim_destroy(sim);
}

/* Party 0 broadcasts one 8-byte datagram (48 wire bytes) over 10 ms
 * links at a network bandwidth of 1 Mbit/s; arrivals at 1 and 2, in ns. */
static void
broadcast_arrivals(const struct sim_profile *pr, const int *party_profile, int64_t *at)
{
    struct probe_params pp = {0};
    struct sim_config c;
    struct sim *sim = NULL;

    sim_config_init(&c, 3, 1);
    c.net.latency.ms = 10;
    c.net.transport.kind = SIM_TRANSPORT_DATAGRAM;
    c.net.bandwidth_mbps = 1.0;
    probe_no_message_cost(&c);
    c.n_profiles = pr != NULL;
    c.profiles = pr;
    c.party_profile = party_profile;
    pp.receiver = -1;
    pp.count = 1;
    pp.len = 8;
    assert_int_equal(sim_create(&sim, &c, &probe_protocol, &pp), 0);
    assert_int_equal(sim_run(sim), 0);
    assert_int_equal(pp.n_rec, 2);
    for (size_t i = 0; i < 2; i++) {
        at[pp.rec[i].to] = pp.rec[i].t;
    }
    free(pp.rec);
    sim_destroy(sim);
}

/* A profile overrides the network's bandwidth for its party only, and
 * SIM_PROFILE_NETWORK keeps the network's. */
static void
test_profiles_override_network(void **state)
{
    static const struct sim_profile fast_up = {100.0, SIM_PROFILE_NETWORK, 1.0};
    static const struct sim_profile fast_down = {SIM_PROFILE_NETWORK, 100.0, 1.0};
    static const int p0[3] = {0, -1, -1};
    int64_t at[3];

    (void)state;
    /* The network's 1 Mbit/s: 384 us per message on 0's uplink. */
    broadcast_arrivals(NULL, NULL, at);
    assert_true(at[1] == 10 * MS + 384 * US && at[2] == 10 * MS + 768 * US);
    /* Party 0 at 100 Mbit/s up: 3.84 us per message. */
    broadcast_arrivals(&fast_up, p0, at);
    assert_true(at[1] == 10 * MS + 3840 && at[2] == 10 * MS + 7680);
    /* Only 0's downlink changed: its uplink is still the network's. */
    broadcast_arrivals(&fast_down, p0, at);
    assert_true(at[1] == 10 * MS + 384 * US && at[2] == 10 * MS + 768 * US);
}

/* cpu_scale multiplies every cost-table entry for its party: party 1 at
 * 3x pays 3 us per message received, the others 1 us. */
static void
test_profiles_cpu_scale(void **state)
{
    static const struct sim_profile slow_cpu = {SIM_PROFILE_NETWORK, SIM_PROFILE_NETWORK, 3.0};
    static const struct sim_profile fast_cpu = {SIM_PROFILE_NETWORK, SIM_PROFILE_NETWORK, 0.25};
    const struct sim_profile two[2] = {slow_cpu, fast_cpu};
    static const int pp[3] = {1, 0, -1};
    struct sim *sim;

    (void)state;
    sim = toy3(two, 2, pp, 0, 1000.0);
    assert_true(sim_party_result(sim, 0)->compute_ns == 2 * 250);
    assert_true(sim_party_result(sim, 1)->compute_ns == 2 * 3000);
    assert_true(sim_party_result(sim, 2)->compute_ns == 2 * 1000);
    /* The toy outputs after charging its second message. */
    assert_true(out_ns(sim, 1) == 10 * MS + 2 * 3000);
    assert_true(out_ns(sim, 2) == 10 * MS + 2 * 1000);
    assert_true(sim_metrics(sim)->max_party_compute_ns == 6000);
    sim_destroy(sim);
}

/* sim_create refuses bad profiles, and fails cleanly without memory. */
static void
test_profiles_invalid(void **state)
{
    struct sim_profile pr = {SIM_PROFILE_NETWORK, SIM_PROFILE_NETWORK, 1.0};
    int pp[2] = {0, 1};
    struct sim_config c;
    struct sim *sim = NULL;

    (void)state;
    sim_config_init(&c, 2, 1);
    probe_toy_inputs(&c);
    c.n_profiles = 1;
    c.profiles = &pr;
    c.party_profile = pp; /* profile 1 does not exist */
    assert_int_equal(sim_create(&sim, &c, &sim_toy_protocol, NULL), MPCSIM_EINVAL);
    pp[1] = -1;
    pr.cpu_scale = 0;
    assert_int_equal(sim_create(&sim, &c, &sim_toy_protocol, NULL), MPCSIM_EINVAL);
    pr.cpu_scale = 1e9; /* a cost beyond SIM_COST_MAX_NS */
    assert_int_equal(sim_create(&sim, &c, &sim_toy_protocol, NULL), MPCSIM_EINVAL);
    pr.cpu_scale = 2;
    pr.uplink_mbps = -3;
    assert_int_equal(sim_create(&sim, &c, &sim_toy_protocol, NULL), MPCSIM_EINVAL);
    assert_null(sim);
    pr.uplink_mbps = 5;
    for (int k = 0;; k++) {
        int rc;

        mpcsim_test_fail_alloc_after(k);
        rc = sim_create(&sim, &c, &sim_toy_protocol, NULL);
        mpcsim_test_fail_alloc_after(-1);
        if (rc == 0) {
            break;
        }
        assert_int_equal(rc, MPCSIM_ENOMEM);
        assert_null(sim);
    }
    sim_destroy(sim);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_profiles_slow_uplink),
        cmocka_unit_test(test_profiles_slow_downlink),
        cmocka_unit_test(test_profiles_override_network),
        cmocka_unit_test(test_profiles_cpu_scale),
        cmocka_unit_test(test_profiles_invalid),
    };

    mpcsim_test_init();
    return cmocka_run_group_tests_name("profiles", tests, NULL, NULL);
}
