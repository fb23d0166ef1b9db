/* SPDX-License-Identifier: MIT */
/*
 * tests/sim/test_inflight.c - faults on bytes in flight (issue 16): a
 * crash cuts what has not left the uplink, partitions act on the interval
 * a message crosses the network (datagrams dropped, tcp stalled and
 * retransmitted with RTO backoff until the connection times out), the
 * tcp window's RTT is forward + return latency, and per-transmission
 * segment loss (fast retransmit, tail loss with backoff, retransmitted
 * bytes counted).  Every expected value is a closed form.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>

#include "sim/sim_int.h" /* sim__tcp_seg_delay: the per-loss delay formula */
#include "tests/sim/probe.h"
#include "tests/support.h"

#define MS SIM_NS_PER_MS

static struct sim *
run_probe(const struct sim_config *c, struct probe_params *pp)
{
    struct sim_config cc = *c;
    struct sim *sim = NULL;

    if (cc.cost_ns == NULL) {
        probe_no_message_cost(&cc);
    }
    assert_int_equal(sim_create(&sim, &cc, &probe_protocol, pp), 0);
    assert_int_equal(sim_run(sim), 0);
    return sim;
}

/*
 * Party 0 broadcasts 1000 bytes (1040 on the wire) at 8 Mbit/s: the copy
 * to party 1 leaves the uplink at 1.04 ms, the copy to party 2 at 2.08 ms.
 * A crash at 1.5 ms delivers the first and nothing of the second.
 */
static void
test_inflight_crash_cuts_uplink(void **state)
{
    struct sim_crash cr = {0, 1500 * 1000, -1};
    struct probe_params pp = {0};
    struct sim_config c;
    struct sim *sim;

    (void)state;
    sim_config_init(&c, 3, 1);
    c.net.latency.ms = 1;
    c.net.bandwidth_mbps = 8;
    c.net.transport.window_bytes = 0;
    c.faults.n_crashes = 1;
    c.faults.crashes = &cr;
    pp.receiver = -1;
    pp.count = 1;
    pp.len = 1000;
    sim = run_probe(&c, &pp);
    assert_int_equal(pp.n_rec, 1);
    assert_int_equal(pp.rec[0].to, 1);
    assert_int_equal(pp.rec[0].t, 1040 * 1000 + 1 * MS); /* its downlink was idle */
    assert_int_equal(sim_metrics(sim)->messages_lost, 1);
    free(pp.rec);
    sim_destroy(sim);

    /* A crash exactly when the last byte leaves still delivers it. */
    memset(&pp, 0, sizeof(pp));
    cr.at_ns = 2080 * 1000;
    pp.receiver = -1;
    pp.count = 1;
    pp.len = 1000;
    sim = run_probe(&c, &pp);
    assert_int_equal(pp.n_rec, 2);
    free(pp.rec);
    sim_destroy(sim);
}

/*
 * The tcp window limit uses RTT = forward + return latency: regions
 * [[0, 10], [90, 0]] give 100 ms both ways, so 1 MB (1 027 400 wire bytes)
 * leaves at 65536 bytes per 100 ms.
 */
static void
test_inflight_rtt_asymmetric(void **state)
{
    static const int region[2] = {0, 1};
    static const double med[4] = {0, 10, 90, 0};
    struct probe_params pp = {0};
    struct sim_config c;
    struct sim *sim;
    const int64_t tx = (int64_t)llround(1027400.0 * 100e6 / 65536.0);

    (void)state;
    sim_config_init(&c, 2, 1);
    c.net.transport.window_bytes = 65536;
    c.net.transport.initial_window_segments = 0; /* the fluid window model */
    c.net.n_regions = 2;
    c.net.party_region = region;
    c.net.region_median_ms = med;
    pp.receiver = -1;
    pp.all_send = 1;
    pp.count = 1;
    pp.len = 1000000;
    sim = run_probe(&c, &pp);
    assert_int_equal(pp.n_rec, 2);
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(pp.rec[i].t, tx + (pp.rec[i].from == 0 ? 10 : 90) * MS);
    }
    free(pp.rec);
    sim_destroy(sim);
}

/*
 * Datagrams: a partition drops what crosses the network during its
 * window.  Latency 10 ms, partition [5, 6) ms: the message sent at 0 is
 * in flight then (dropped), the one sent at 7 ms is not.
 */
static void
test_inflight_partition_datagram(void **state)
{
    static const int grp[2] = {0, 1};
    struct sim_partition part = {5 * MS, 6 * MS, grp, 0, NULL, NULL, 0};
    struct probe_params pp = {0};
    struct sim_config c;
    struct sim *sim;

    (void)state;
    sim_config_init(&c, 2, 1);
    c.net.latency.ms = 10;
    c.net.transport.kind = SIM_TRANSPORT_DATAGRAM;
    c.net.n_partitions = 1;
    c.net.partitions = &part;
    pp.receiver = 1;
    pp.count = 2;
    pp.len = 4;
    pp.gap_ns = 7 * MS;
    sim = run_probe(&c, &pp);
    assert_int_equal(pp.n_rec, 1);
    assert_int_equal(pp.rec[0].k, 1);
    assert_int_equal(pp.rec[0].t, 17 * MS);
    assert_int_equal(sim_metrics(sim)->messages_lost, 1);
    free(pp.rec);
    sim_destroy(sim);

    /* A 1 us partition at 0 drops the datagram leaving then, not the one
     * queued behind it whose bytes only leave at 1.04 ms (8 Mbit/s). */
    memset(&pp, 0, sizeof(pp));
    part.from_ns = 0;
    part.to_ns = 1000;
    c.net.latency.ms = 0;
    c.net.bandwidth_mbps = 8;
    pp.receiver = 1;
    pp.count = 2;
    pp.len = 1000;
    sim = run_probe(&c, &pp);
    assert_int_equal(pp.n_rec, 1);
    assert_int_equal(pp.rec[0].k, 1);
    assert_int_equal(sim_metrics(sim)->messages_lost, 1);
    free(pp.rec);
    sim_destroy(sim);
}

/*
 * tcp stalls across a partition and retransmits after it heals: latency
 * 10 ms, partition [5, 1000) ms.  The message sent at 0 meets it at 5 ms;
 * RTO 200 ms with backoff fires at 205, 605 (still partitioned) and
 * 1405 ms, so it arrives at 1415 ms.
 */
static void
test_inflight_partition_tcp(void **state)
{
    static const int grp[2] = {0, 1};
    struct sim_partition part = {5 * MS, 1000 * MS, grp, 0, NULL, NULL, 0};
    struct probe_params pp = {0};
    struct sim_config c;
    struct sim *sim;

    (void)state;
    sim_config_init(&c, 2, 1);
    c.net.latency.ms = 10;
    c.net.transport.window_bytes = 0;
    c.net.n_partitions = 1;
    c.net.partitions = &part;
    pp.receiver = 1;
    pp.count = 1;
    pp.len = 4;
    sim = run_probe(&c, &pp);
    assert_int_equal(pp.n_rec, 1);
    assert_int_equal(pp.rec[0].t, 1415 * MS);
    assert_int_equal(sim_metrics(sim)->messages_lost, 0);
    free(pp.rec);
    sim_destroy(sim);

    /* A partition of 100 s outlasts the 30 s connection timeout: retries
     * at 205, 605, 1405, 3005, 6205, 12605, 25405 ms, and the next (51005)
     * is past 5 + 30000 ms.  The connection fails: the message and one
     * sent after the partition healed (200 s) never arrive. */
    memset(&pp, 0, sizeof(pp));
    part.to_ns = 100000 * MS;
    pp.receiver = 1;
    pp.count = 2;
    pp.len = 4;
    pp.gap_ns = 200000 * MS;
    sim = run_probe(&c, &pp);
    assert_int_equal(pp.n_rec, 0);
    assert_int_equal(sim_metrics(sim)->messages_lost, 2);
    free(pp.rec);
    sim_destroy(sim);
}

/*
 * The per-loss delay formula on hand-made loss patterns (RFC 5681 fast
 * retransmit, RFC 6298 backoff): RTT 100 ms, RTO 200 ms, cap 1 s.
 */
static void
test_inflight_seg_delay_formula(void **state)
{
    const int64_t rtt = 100 * MS, rto = 200 * MS, cap = 1000 * MS;

    (void)state;
    assert_int_equal(sim__tcp_seg_delay(0, 0, rtt, rto, cap), 0);
    assert_int_equal(sim__tcp_seg_delay(1, 0, rtt, rto, cap), 0);
    /* One loss: fast retransmit costs one RTT, a tail loss one RTO. */
    assert_int_equal(sim__tcp_seg_delay(1, 1, rtt, rto, cap), 100 * MS);
    assert_int_equal(sim__tcp_seg_delay(0, 1, rtt, rto, cap), 200 * MS);
    /* Tail loss, lost again twice: 200 + 400 + 800. */
    assert_int_equal(sim__tcp_seg_delay(0, 3, rtt, rto, cap), 1400 * MS);
    /* Fast retransmit lost, then its RTO retransmission lost: 100 + 200 + 400. */
    assert_int_equal(sim__tcp_seg_delay(1, 3, rtt, rto, cap), 700 * MS);
    /* Backoff capped: 200 + 400 + 800 -> 1000 + 1000 + 1000. */
    assert_int_equal(sim__tcp_seg_delay(0, 6, rtt, rto, cap), (200 + 400 + 800 + 3000) * MS);
    /* The defaults: 200 ms doubling to 60 s. */
    assert_int_equal(sim__tcp_seg_delay(0, 12, rtt, rto, 60000 * MS),
                     (200 + 400 + 800 + 1600 + 3200 + 6400 + 12800 + 25600 + 51200 + 3 * 60000) *
                         MS);
    /* Saturates at the horizon instead of overflowing. */
    assert_int_equal(sim__tcp_seg_delay(0, UINT64_MAX, rtt, rto, cap), SIM_HORIZON_NS);
}

/* One-segment messages far apart on a 1 ms link; their extra delays. */
struct tail_run {
    uint64_t msgs, retx, bytes;
    double mean_delay_ms, var_delay_ms;
};

static void
run_tail(struct tail_run *out, double loss, int64_t rto_max_ms, int count, uint64_t seed)
{
    struct probe_params pp = {0};
    struct sim_config c;
    struct sim *sim;
    uint64_t k_sum = 0;
    double sum = 0, sum2 = 0;

    sim_config_init(&c, 2, seed);
    c.net.latency.ms = 1;
    c.net.transport.window_bytes = 0;
    c.net.transport.rto_max_ms = (double)rto_max_ms;
    c.net.loss = loss;
    pp.receiver = 1;
    pp.count = count;
    pp.len = 100;             /* 140 wire bytes, one segment */
    pp.gap_ns = 1000000 * MS; /* far apart: no head-of-line blocking */
    sim = run_probe(&c, &pp);
    assert_int_equal(pp.n_rec, (size_t)count);
    for (size_t i = 0; i < pp.n_rec; i++) {
        int64_t d = pp.rec[i].t - (int64_t)pp.rec[i].k * 1000000 * MS - MS;
        uint64_t k = 0;

        /* d is the backoff sum of some number k of losses: find k. */
        while (sim__tcp_seg_delay(0, k, 0, 200 * MS, rto_max_ms * MS) < d) {
            k++;
        }
        assert_int_equal(sim__tcp_seg_delay(0, k, 0, 200 * MS, rto_max_ms * MS), d);
        k_sum += k;
        sum += (double)d / 1e6;
        sum2 += ((double)d / 1e6) * ((double)d / 1e6);
    }
    out->msgs = (uint64_t)count;
    out->retx = sim_metrics(sim)->retransmissions;
    out->bytes = sim_metrics(sim)->bytes;
    assert_int_equal(out->retx, k_sum);
    assert_int_equal(sim_party_result(sim, 0)->bytes_sent, out->bytes);
    assert_int_equal(sim_party_result(sim, 1)->bytes_received, (uint64_t)count * 140);
    out->mean_delay_ms = sum / count;
    out->var_delay_ms = sum2 / count - out->mean_delay_ms * out->mean_delay_ms;
    free(pp.rec);
    sim_destroy(sim);
}

/*
 * Tail losses: every delay is a backoff sum 200 (2^k - 1) ms (capped),
 * `retransmissions` is the number of losses they imply, and `bytes` grows
 * by exactly one 140-byte segment per retransmission.  With backoff the
 * mean delay is finite and light-tailed at p = 0.3 (p * 2 < 1): it
 * matches sum_k P(k losses) D(k) = sum_k (1 - p) p^k D(k).
 */
static void
test_inflight_tail_loss_bytes_and_mean(void **state)
{
    const double p = 0.3;
    const int n = 20000;
    struct tail_run r;
    double expect = 0;

    (void)state;
    run_tail(&r, p, 60000, n, 5);
    assert_int_equal(r.bytes, (r.msgs + r.retx) * 140);
    for (uint64_t k = 1; k < 200; k++) {
        expect += (1 - p) * pow(p, (double)k) *
                  (double)sim__tcp_seg_delay(0, k, 0, 200 * MS, 60000 * MS) / 1e6;
    }
    /* 5 standard errors of the sample mean. */
    assert_true(fabs(r.mean_delay_ms - expect) < 5 * sqrt(r.var_delay_ms / n));
}

/*
 * The number of transmissions of a segment is geometric with mean
 * 1/(1 - p): over 2000 messages of 50 segments (100 000 segments),
 * (segments + retransmissions) / segments lies within 5 standard errors
 * (sd of Geom = sqrt(p)/(1 - p)).  Every extra transmission counts one
 * full 1500-byte segment in `bytes`.
 */
static void
test_inflight_transmissions_geometric(void **state)
{
    static const double ps[3] = {0.1, 0.5, 0.9};

    (void)state;
    for (int i = 0; i < 3; i++) {
        struct probe_params pp = {0};
        struct sim_config c;
        struct sim *sim;
        const double p = ps[i];
        const double segs = 2000.0 * 50.0;
        double mean;

        sim_config_init(&c, 2, 77 + (uint64_t)i);
        c.net.latency.ms = 1;
        c.net.transport.window_bytes = 0;
        c.net.loss = p;
        pp.receiver = 1;
        pp.count = 2000;
        pp.len = 50 * 1460;
        sim = run_probe(&c, &pp);
        assert_int_equal(pp.n_rec, 2000);
        mean = (segs + (double)sim_metrics(sim)->retransmissions) / segs;
        assert_true(fabs(mean - 1 / (1 - p)) < 5 * sqrt(p) / (1 - p) / sqrt(segs));
        assert_int_equal(sim_metrics(sim)->bytes,
                         (2000 * 50 + sim_metrics(sim)->retransmissions) * 1500);
        free(pp.rec);
        sim_destroy(sim);
    }
}

/*
 * Fast retransmit vs tail loss, end to end: 40-segment messages with every
 * segment leaving at once (no bandwidth or window limit), RTT 2 ms, RTO
 * 200 ms, loss 1 %.  A message with exactly one lost transmission (one
 * retransmission) is late by one RTT if the segment had 3 later segments
 * (37 of 40 positions) and by one RTO otherwise; messages are sent 10 s
 * apart so each one's delay and retransmissions can be read off.
 */
static void
test_inflight_fast_retransmit(void **state)
{
    struct probe_params pp = {0};
    struct sim_config c;
    struct sim *sim;
    int fast = 0, tail = 0, other = 0;
    const int n = 3000;

    (void)state;
    sim_config_init(&c, 2, 9);
    c.net.latency.ms = 1;
    c.net.transport.window_bytes = 0;
    c.net.loss = 0.01;
    pp.receiver = 1;
    pp.count = n;
    pp.len = 40 * 1460;
    pp.gap_ns = 10000 * MS;
    sim = run_probe(&c, &pp);
    assert_int_equal(pp.n_rec, (size_t)n);
    for (size_t i = 0; i < pp.n_rec; i++) {
        int64_t d = pp.rec[i].t - (int64_t)pp.rec[i].k * 10000 * MS - MS;

        if (d == 0) {
            continue;
        }
        if (d == 2 * MS) {
            fast++;
        } else if (d == 200 * MS) {
            tail++;
        } else {
            other++;
        }
    }
    /* P(one loss in 40) ~ 0.27; 37/40 of those fast. */
    assert_true(fast > 10 * tail);
    assert_true(tail > 0);
    assert_true(fast + tail > 5 * other);
    free(pp.rec);
    sim_destroy(sim);
}

/*
 * A datagram larger than 65 507 bytes goes as fragments, each with its
 * header and its own loss draw: 200 000 bytes are 4 fragments (200 160
 * wire bytes), and one arrives with probability (1 - p)^4.
 */
static void
test_inflight_datagram_fragments(void **state)
{
    struct probe_params pp = {0};
    struct sim_config c;
    struct sim *sim;
    const int n = 4000;
    const double p = 0.1, q = pow(1 - p, 4);

    (void)state;
    sim_config_init(&c, 2, 13);
    c.net.latency.ms = 1;
    c.net.transport.kind = SIM_TRANSPORT_DATAGRAM;
    c.net.loss = p;
    pp.receiver = 1;
    pp.count = n;
    pp.len = 200000;
    sim = run_probe(&c, &pp);
    assert_int_equal(sim_metrics(sim)->bytes, (uint64_t)n * 200160);
    assert_int_equal(sim_metrics(sim)->messages_lost, (uint64_t)n - pp.n_rec);
    assert_int_equal(sim_metrics(sim)->retransmissions, 0);
    assert_true(fabs((double)pp.n_rec - n * q) < 5 * sqrt(n * q * (1 - q)));
    free(pp.rec);
    sim_destroy(sim);
}

/*
 * Slow start (issue 17): a 57 561-byte message (40 segments) at 100 ms RTT
 * with no bandwidth limit leaves in flights of 10, 20 and 10 segments and
 * arrives 2 RTT + the one-way latency after it is sent: 250 ms.  At
 * 100 Mbit/s (80 ns per byte, 120 us per 1500-byte segment) each stall is
 * the RTT less its flight's serialization: 59 161 bytes' serialization
 * (4.73288 ms) + (100 - 1.2) + (100 - 2.4) ms + 50 ms.
 */
static void
test_inflight_slow_start(void **state)
{
    struct probe_params pp = {0};
    struct sim_config c;
    struct sim *sim;

    (void)state;
    sim_config_init(&c, 2, 1);
    c.net.latency.ms = 50;
    pp.receiver = 1;
    pp.count = 1;
    pp.len = 57561;
    sim = run_probe(&c, &pp);
    assert_int_equal(pp.n_rec, 1);
    assert_int_equal(pp.rec[0].t, 250 * MS);
    free(pp.rec);
    sim_destroy(sim);

    memset(&pp, 0, sizeof(pp));
    c.net.bandwidth_mbps = 100;
    pp.receiver = 1;
    pp.count = 1;
    pp.len = 57561;
    sim = run_probe(&c, &pp);
    assert_int_equal(pp.n_rec, 1);
    assert_int_equal(pp.rec[0].t, 59161 * 80 + (98800 + 97600 + 50000) * 1000);
    free(pp.rec);
    sim_destroy(sim);
}

/*
 * cwnd lives per link across messages: a second 40-segment message sent
 * 100 ms after the first (cwnd 40 by then, idle < RTO) leaves in one
 * flight; sent 1 s after (idle > the 200 ms RTO) it starts again from 10
 * segments, unless slow_start_after_idle is off.  A receive window of
 * 14 600 bytes (10 segments) caps every flight: 4 flights, 3 RTT.
 */
static void
test_inflight_slow_start_idle_and_cap(void **state)
{
    struct probe_params pp = {0};
    struct sim_config c;
    struct sim *sim;

    (void)state;
    sim_config_init(&c, 2, 1);
    c.net.latency.ms = 50;
    pp.receiver = 1;
    pp.count = 2;
    pp.len = 57561;
    pp.gap_ns = 300 * MS; /* the first left at 200 ms: idle 100 ms */
    sim = run_probe(&c, &pp);
    assert_int_equal(pp.n_rec, 2);
    assert_int_equal(pp.rec[1].t, 350 * MS);
    free(pp.rec);
    sim_destroy(sim);

    memset(&pp, 0, sizeof(pp));
    pp.receiver = 1;
    pp.count = 2;
    pp.len = 57561;
    pp.gap_ns = 1200 * MS; /* idle 1 s */
    sim = run_probe(&c, &pp);
    assert_int_equal(pp.rec[1].t, (1200 + 250) * MS);
    free(pp.rec);
    sim_destroy(sim);

    memset(&pp, 0, sizeof(pp));
    c.net.transport.slow_start_after_idle = 0;
    pp.receiver = 1;
    pp.count = 2;
    pp.len = 57561;
    pp.gap_ns = 1200 * MS;
    sim = run_probe(&c, &pp);
    assert_int_equal(pp.rec[1].t, (1200 + 50) * MS);
    free(pp.rec);
    sim_destroy(sim);

    memset(&pp, 0, sizeof(pp));
    c.net.transport.window_bytes = 14600;
    pp.receiver = 1;
    pp.count = 1;
    pp.len = 57561;
    sim = run_probe(&c, &pp);
    assert_int_equal(pp.rec[0].t, 350 * MS);
    free(pp.rec);
    sim_destroy(sim);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_inflight_crash_cuts_uplink),
        cmocka_unit_test(test_inflight_rtt_asymmetric),
        cmocka_unit_test(test_inflight_partition_datagram),
        cmocka_unit_test(test_inflight_partition_tcp),
        cmocka_unit_test(test_inflight_seg_delay_formula),
        cmocka_unit_test(test_inflight_tail_loss_bytes_and_mean),
        cmocka_unit_test(test_inflight_transmissions_geometric),
        cmocka_unit_test(test_inflight_fast_retransmit),
        cmocka_unit_test(test_inflight_datagram_fragments),
        cmocka_unit_test(test_inflight_slow_start),
        cmocka_unit_test(test_inflight_slow_start_idle_and_cap),
    };

    mpcsim_test_init();
    return cmocka_run_group_tests_name("inflight", tests, NULL, NULL);
}
