/* SPDX-License-Identifier: MIT */
/*
 * tests/sim/test_latency.c - latency per pair, per link and per message,
 * and jitter (issue 17, "latency that behaves like links"): per pair the
 * slowest link does not grow with n; per link a link's base is one draw
 * per trial, the same for every message and both directions, and new in
 * every trial; jitter keeps each tcp link's order and is drawn per message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>

#include <gsl/gsl_cdf.h>

#include "tests/sim/probe.h"
#include "tests/support.h"

#define MS SIM_NS_PER_MS

static struct sim *
run_probe(struct sim_config *c, struct probe_params *pp)
{
    struct sim *sim = NULL;

    probe_no_message_cost(c);
    assert_int_equal(sim_create(&sim, c, &probe_protocol, pp), 0);
    assert_int_equal(sim_run(sim), 0);
    return sim;
}

/* The toy all-to-all sum at n parties: its latency (slowest honest party). */
static int64_t
toy_latency(int n, enum sim_latency_per per, uint64_t seed)
{
    static const double zero[SIM_OP_COUNT] = {0};
    struct sim_config c;
    struct sim *sim = NULL;
    int64_t lat;

    sim_config_init(&c, n, seed);
    c.net.latency.kind = SIM_LATENCY_LOGNORMAL;
    c.net.latency.median_ms = 20;
    c.net.latency.sigma = 0.5;
    c.net.latency_per = per;
    c.net.transport.window_bytes = 0;
    c.cost_ns = zero;
    probe_toy_inputs(&c);
    assert_int_equal(sim_create(&sim, &c, &sim_toy_protocol, NULL), 0);
    assert_int_equal(sim_run(sim), 0);
    lat = sim_metrics(sim)->latency_ns;
    sim_destroy(sim);
    return lat;
}

/* per: pair - every link's base is the median, so a one-round protocol
 * takes exactly 20 ms at any n; per: message the slowest of n(n-1) draws
 * grows with n (seed 7: 51, 128, 128 ms). */
static void
test_latency_pair_flat_in_n(void **state)
{
    static const int ns[3] = {5, 20, 80};
    int64_t msg[3];

    (void)state;
    for (int i = 0; i < 3; i++) {
        assert_true(toy_latency(ns[i], SIM_LATENCY_PER_PAIR, 7) == 20 * MS);
        msg[i] = toy_latency(ns[i], SIM_LATENCY_PER_MESSAGE, 7);
    }
    /* Common random numbers: the links of n = 5 are among those of n = 20. */
    assert_true(msg[0] > 20 * MS && msg[1] >= msg[0] && msg[2] >= msg[1] && msg[2] > msg[0]);
}

/* per: pair uses each distribution's median (sim.h): F(base) = 1/2. */
static void
test_latency_pair_medians(void **state)
{
    struct sim_latency l[5];
    double median_ms[5];

    (void)state;
    memset(l, 0, sizeof(l));
    l[0].kind = SIM_LATENCY_UNIFORM;
    l[0].min_ms = 5;
    l[0].max_ms = 25;
    median_ms[0] = 15;
    l[1].kind = SIM_LATENCY_EXPONENTIAL;
    l[1].mean_ms = 10;
    median_ms[1] = 10 * M_LN2;
    l[2].kind = SIM_LATENCY_PARETO;
    l[2].min_ms = 10;
    l[2].alpha = 2.5;
    median_ms[2] = 10 * pow(2, 1 / 2.5);
    l[3].kind = SIM_LATENCY_LOGNORMAL;
    l[3].median_ms = 40;
    l[3].sigma = 0.5;
    median_ms[3] = 40;
    l[4].kind = SIM_LATENCY_NORMAL; /* truncated at 0: its median is above the mean */
    l[4].mean_ms = 3;
    l[4].sd_ms = 4;
    {
        double f0 = gsl_cdf_ugaussian_P(-3.0 / 4.0);

        median_ms[4] = 3 + 4 * gsl_cdf_ugaussian_Pinv(0.5 + 0.5 * f0);
        /* F(m) = (Phi((m - 3)/4) - f0) / (1 - f0) = 1/2 */
        assert_true(fabs((gsl_cdf_ugaussian_P((median_ms[4] - 3) / 4) - f0) / (1 - f0) - 0.5) <
                    1e-12);
        assert_true(median_ms[4] > 3.5);
    }
    for (int d = 0; d < 5; d++) {
        struct probe_params pp = {0};
        struct sim_config c;
        struct sim *sim;

        sim_config_init(&c, 2, 99);
        c.net.latency = l[d];
        c.net.latency_per = SIM_LATENCY_PER_PAIR;
        c.net.transport.kind = SIM_TRANSPORT_DATAGRAM;
        pp.receiver = 1;
        pp.count = 50;
        pp.len = 4;
        sim = run_probe(&c, &pp);
        assert_int_equal(pp.n_rec, 50);
        for (size_t i = 0; i < pp.n_rec; i++) {
            assert_true(pp.rec[i].t == llround(median_ms[d] * 1e6));
        }
        free(pp.rec);
        sim_destroy(sim);
    }
}

/* Party `from` sends `count` 4-byte datagrams to `to`, one per second;
 * out[k] = message k's latency in ns. */
static void
link_latencies(const struct sim_config *c0, int from, int to, int count, int64_t *out)
{
    struct probe_params pp = {0};
    struct sim_config c = *c0;
    struct sim *sim;

    pp.sender = from;
    pp.receiver = to;
    pp.count = count;
    pp.len = 4;
    pp.gap_ns = 1000 * MS;
    sim = run_probe(&c, &pp);
    assert_int_equal(pp.n_rec, (size_t)count);
    for (size_t i = 0; i < pp.n_rec; i++) {
        out[pp.rec[i].k] = pp.rec[i].t - (int64_t)pp.rec[i].k * 1000 * MS;
    }
    free(pp.rec);
    sim_destroy(sim);
}

/* per: link - one draw per link and trial: every message of a trial sees
 * it, both directions share it, and other trials (seeds) draw anew. */
static void
test_latency_link_stable(void **state)
{
    int64_t first[8];

    (void)state;
    for (int t = 0; t < 8; t++) {
        struct sim_config c;
        int64_t fwd[20], back[20];

        sim_config_init(&c, 3, 1000 + (uint64_t)t);
        c.net.latency.kind = SIM_LATENCY_LOGNORMAL;
        c.net.latency.median_ms = 20;
        c.net.latency.sigma = 0.5;
        c.net.latency_per = SIM_LATENCY_PER_LINK;
        c.net.transport.kind = SIM_TRANSPORT_DATAGRAM;
        link_latencies(&c, 0, 2, 20, fwd);
        link_latencies(&c, 2, 0, 20, back);
        for (int k = 0; k < 20; k++) {
            assert_true(fwd[k] == fwd[0]);
            assert_true(back[k] == fwd[0]);
        }
        first[t] = fwd[0];
        for (int u = 0; u < t; u++) {
            assert_true(first[u] != first[t]);
        }
    }
    /* Not the median: these are draws. */
    for (int t = 0; t < 8; t++) {
        assert_true(first[t] != 20 * MS);
    }
}

/* per: link with regions: lognormal around each direction's matrix entry
 * with one normal deviate per pair, so base(s->r) / median(s->r) is the
 * same both ways. */
static void
test_latency_link_regions(void **state)
{
    static const int region[2] = {0, 1};
    static const double med[4] = {1, 40, 60, 1};
    struct sim_config c;
    int64_t fwd[3], back[3];
    double a, b;

    (void)state;
    sim_config_init(&c, 2, 5);
    c.net.n_regions = 2;
    c.net.party_region = region;
    c.net.region_median_ms = med;
    c.net.latency.sigma = 0.4;
    c.net.latency_per = SIM_LATENCY_PER_LINK;
    c.net.transport.kind = SIM_TRANSPORT_DATAGRAM;
    link_latencies(&c, 0, 1, 3, fwd);
    link_latencies(&c, 1, 0, 3, back);
    a = (double)fwd[0] / (40 * 1e6);
    b = (double)back[0] / (60 * 1e6);
    assert_true(fwd[1] == fwd[0] && fwd[2] == fwd[0] && back[1] == back[0]);
    assert_true(fabs(a - b) < 1e-7 && fabs(a - 1) > 1e-3);
}

/* Jitter on a per-pair base: each message draws (mean as configured);
 * tcp keeps the link's order, datagrams overtake one another. */
static void
test_latency_jitter_order(void **state)
{
    const int K = 2000;

    (void)state;
    for (int tcp = 0; tcp < 2; tcp++) {
        struct probe_params pp = {0};
        struct sim_config c;
        struct sim *sim;
        double sum = 0;
        int inversions = 0;

        sim_config_init(&c, 2, 31);
        c.net.latency.kind = SIM_LATENCY_CONSTANT;
        c.net.latency.ms = 10;
        c.net.latency_per = SIM_LATENCY_PER_PAIR;
        c.net.has_jitter = 1;
        c.net.jitter.kind = SIM_LATENCY_EXPONENTIAL;
        c.net.jitter.mean_ms = 5;
        c.net.transport.kind = tcp ? SIM_TRANSPORT_TCP : SIM_TRANSPORT_DATAGRAM;
        c.net.transport.window_bytes = 0;
        pp.receiver = 1;
        pp.count = K;
        pp.len = 4;
        sim = run_probe(&c, &pp);
        assert_int_equal(pp.n_rec, (size_t)K);
        for (int i = 0; i < K; i++) {
            assert_true(pp.rec[i].t >= 10 * MS);
            sum += (double)(pp.rec[i].t - 10 * MS) / 1e6;
            inversions += i > 0 && pp.rec[i].k < pp.rec[i - 1].k;
            if (tcp) {
                assert_int_equal(pp.rec[i].k, i); /* delivered in sending order */
            }
        }
        if (tcp) {
            assert_int_equal(inversions, 0);
        } else {
            /* All sent at t = 0: arrival order is jitter order. */
            assert_true(inversions > K / 4);
            /* Exponential(5 ms): standard error 5/sqrt(K) = 0.11 ms. */
            assert_true(fabs(sum / K - 5.0) < 0.5);
        }
        free(pp.rec);
        sim_destroy(sim);
    }
}

/* The jitter stream is its own: adding jitter to per: message latency
 * keeps the base draws (the same messages, the same base), and the
 * default (per message, no jitter) is what it always was. */
static void
test_latency_jitter_adds(void **state)
{
    struct sim_config c;
    int64_t base[30], jit[30];

    (void)state;
    sim_config_init(&c, 2, 77);
    c.net.latency.kind = SIM_LATENCY_UNIFORM;
    c.net.latency.min_ms = 5;
    c.net.latency.max_ms = 25;
    c.net.transport.kind = SIM_TRANSPORT_DATAGRAM;
    link_latencies(&c, 0, 1, 30, base);
    c.net.has_jitter = 1;
    c.net.jitter.kind = SIM_LATENCY_CONSTANT;
    c.net.jitter.ms = 3;
    link_latencies(&c, 0, 1, 30, jit);
    for (int k = 0; k < 30; k++) {
        assert_true(jit[k] == base[k] + 3 * MS);
        assert_true(k == 0 || base[k] != base[0]);
    }
}

/* sim_create refuses a bad per or jitter. */
static void
test_latency_invalid(void **state)
{
    struct sim_config c;
    struct sim *sim = NULL;

    (void)state;
    sim_config_init(&c, 2, 1);
    c.net.latency_per = (enum sim_latency_per)7;
    assert_int_equal(sim_create(&sim, &c, &sim_toy_protocol, NULL), MPCSIM_EINVAL);
    sim_config_init(&c, 2, 1);
    c.net.has_jitter = 1;
    c.net.jitter.kind = SIM_LATENCY_LOGNORMAL; /* median 0 */
    assert_int_equal(sim_create(&sim, &c, &sim_toy_protocol, NULL), MPCSIM_EINVAL);
    assert_null(sim);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_latency_pair_flat_in_n), cmocka_unit_test(test_latency_pair_medians),
        cmocka_unit_test(test_latency_link_stable),    cmocka_unit_test(test_latency_link_regions),
        cmocka_unit_test(test_latency_jitter_order),   cmocka_unit_test(test_latency_jitter_adds),
        cmocka_unit_test(test_latency_invalid),
    };

    mpcsim_test_init();
    return cmocka_run_group_tests_name("latency", tests, NULL, NULL);
}
