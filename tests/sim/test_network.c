/* SPDX-License-Identifier: MIT */
/*
 * tests/sim/test_network.c - latency distributions (Kolmogorov-Smirnov
 * against GSL's CDFs), regions, bandwidth and FIFO queueing, the tcp
 * window limit, in-order delivery, loss and partitions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>

#include "common/alloc.h"
#include "sim/sim_int.h" /* sim__net_link_bytes */
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

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* The latency model: a CDF in ms. */
static double
model_cdf(const struct sim_latency *l, double x)
{
    switch (l->kind) {
    case SIM_LATENCY_UNIFORM:
        return gsl_cdf_flat_P(x, l->min_ms, l->max_ms);
    case SIM_LATENCY_NORMAL: {
        double f0 = gsl_cdf_gaussian_P(-l->mean_ms, l->sd_ms);

        return x < 0 ? 0 : (gsl_cdf_gaussian_P(x - l->mean_ms, l->sd_ms) - f0) / (1 - f0);
    }
    case SIM_LATENCY_LOGNORMAL:
        return gsl_cdf_lognormal_P(x, log(l->median_ms), l->sigma);
    case SIM_LATENCY_EXPONENTIAL:
        return gsl_cdf_exponential_P(x, l->mean_ms);
    case SIM_LATENCY_PARETO:
        return gsl_cdf_pareto_P(x, l->alpha, l->min_ms);
    default:
        return x >= l->ms ? 1.0 : 0.0;
    }
}

/* Party 0 sends K datagrams at time 0; their arrival times are latency
 * samples.  The KS statistic stays below its 0.1 % critical value. */
static void
test_network_latency_distributions(void **state)
{
    const int K = 3000;
    struct sim_latency lat[5];
    double *x = malloc((size_t)K * sizeof(double));

    (void)state;
    memset(lat, 0, sizeof(lat));
    lat[0].kind = SIM_LATENCY_UNIFORM;
    lat[0].min_ms = 5;
    lat[0].max_ms = 25;
    lat[1].kind = SIM_LATENCY_NORMAL;
    lat[1].mean_ms = 3;
    lat[1].sd_ms = 4; /* truncation matters */
    lat[2].kind = SIM_LATENCY_LOGNORMAL;
    lat[2].median_ms = 40;
    lat[2].sigma = 0.5;
    lat[3].kind = SIM_LATENCY_EXPONENTIAL;
    lat[3].mean_ms = 12;
    lat[4].kind = SIM_LATENCY_PARETO;
    lat[4].min_ms = 10;
    lat[4].alpha = 2.5;
    for (int d = 0; d < 5; d++) {
        struct probe_params pp = {0};
        struct sim_config c;
        struct sim *sim;
        double dmax = 0;

        sim_config_init(&c, 2, 1234 + (uint64_t)d);
        c.net.latency = lat[d];
        c.net.transport.kind = SIM_TRANSPORT_DATAGRAM;
        pp.receiver = 1;
        pp.count = K;
        pp.len = 4;
        sim = run_probe(&c, &pp);
        assert_int_equal(pp.n_rec, (size_t)K);
        for (int i = 0; i < K; i++) {
            x[i] = (double)pp.rec[i].t / 1e6;
        }
        qsort(x, (size_t)K, sizeof(double), cmp_double);
        for (int i = 0; i < K; i++) {
            double f = model_cdf(&lat[d], x[i]);
            double lo = fabs(f - (double)i / K), hi = fabs((double)(i + 1) / K - f);

            dmax = fmax(dmax, fmax(lo, hi));
        }
        /* c(0.001) = 1.95 */
        assert_true(dmax < 1.95 / sqrt((double)K));
        free(pp.rec);
        sim_destroy(sim);
    }
    free(x);
}

/* Regions: each pair gets its matrix latency (sigma 0: exactly). */
static void
test_network_regions(void **state)
{
    static const int region[4] = {0, 1, 2, 0};
    static const double med[9] = {1, 50, 100, 50, 2, 80, 100, 80, 3};
    struct probe_params pp = {0};
    struct sim_config c;
    struct sim *sim;

    (void)state;
    sim_config_init(&c, 4, 1);
    c.net.n_regions = 3;
    c.net.party_region = region;
    c.net.region_median_ms = med;
    c.net.transport.window_bytes = 0;
    pp.receiver = -1;
    pp.all_send = 1;
    pp.count = 1;
    pp.len = 4;
    sim = run_probe(&c, &pp);
    assert_int_equal(pp.n_rec, 12);
    for (size_t i = 0; i < pp.n_rec; i++) {
        int r = region[pp.rec[i].from], s = region[pp.rec[i].to];

        assert_int_equal(pp.rec[i].t, (int64_t)(med[r * 3 + s] * 1e6));
    }
    free(pp.rec);
    sim_destroy(sim);
}

/* 1 MB over 8 Mbit/s: 1 s plus segment headers, plus latency; a second
 * message right behind queues on the uplink. */
static void
test_network_bandwidth(void **state)
{
    struct probe_params pp = {0};
    struct sim_config c;
    struct sim *sim;
    const int64_t wire = 1000000 + 685 * 40; /* ceil(1e6 / 1460) = 685 segments */

    (void)state;
    sim_config_init(&c, 2, 1);
    c.net.latency.ms = 10;
    c.net.bandwidth_mbps = 8;
    c.net.transport.window_bytes = 0;
    pp.receiver = 1;
    pp.count = 2;
    pp.len = 1000000;
    sim = run_probe(&c, &pp);
    assert_int_equal(pp.n_rec, 2);
    assert_int_equal(pp.rec[0].t, wire * 1000 + 10 * MS); /* 1000 ns per byte */
    assert_int_equal(pp.rec[1].t, 2 * wire * 1000 + 10 * MS);
    assert_int_equal(sim_metrics(sim)->bytes, 2 * (uint64_t)wire);
    assert_int_equal(sim_party_result(sim, 1)->bytes_received, 2 * (uint64_t)wire);
    free(pp.rec);
    sim_destroy(sim);

    /* Two senders into one receiver share its downlink. */
    memset(&pp, 0, sizeof(pp));
    sim_config_init(&c, 3, 1);
    c.net.latency.ms = 10;
    c.net.bandwidth_mbps = 8;
    c.net.transport.window_bytes = 0;
    pp.receiver = 2;
    pp.all_send = 1;
    pp.count = 1;
    pp.len = 1000000;
    sim = run_probe(&c, &pp);
    assert_int_equal(pp.n_rec, 2);
    assert_int_equal(pp.rec[0].t, wire * 1000 + 10 * MS);
    assert_int_equal(pp.rec[1].t, 2 * wire * 1000 + 10 * MS);
    free(pp.rec);
    sim_destroy(sim);
}

/* A long fat link: throughput is window / RTT, not the bandwidth. */
static void
test_network_window_limit(void **state)
{
    struct probe_params pp = {0};
    struct sim_config c;
    struct sim *sim;
    const double wire = 1000000 + 685 * 40;
    double rate, expect;

    (void)state;
    sim_config_init(&c, 2, 1);
    c.net.latency.ms = 50; /* RTT 100 ms */
    c.net.bandwidth_mbps = 1000;
    c.net.transport.window_bytes = 65536;
    c.net.transport.initial_window_segments = 0; /* the fluid model (slow start: test_inflight) */
    pp.receiver = 1;
    pp.count = 1;
    pp.len = 1000000;
    sim = run_probe(&c, &pp);
    assert_int_equal(pp.n_rec, 1);
    /* bytes per second over the transfer */
    rate = wire / ((double)(pp.rec[0].t - 50 * MS) / 1e9);
    expect = 65536 / 0.1;
    assert_true(fabs(rate - expect) / expect < 1e-6);
    free(pp.rec);
    sim_destroy(sim);
}

/* tcp delivers in order per link despite random latency; datagrams do not. */
static void
test_network_in_order(void **state)
{
    for (int dg = 0; dg < 2; dg++) {
        struct probe_params pp = {0};
        struct sim_config c;
        struct sim *sim;
        int inversions = 0;

        (void)state;
        sim_config_init(&c, 2, 3);
        c.net.latency.kind = SIM_LATENCY_EXPONENTIAL;
        c.net.latency.mean_ms = 10;
        c.net.transport.kind = dg ? SIM_TRANSPORT_DATAGRAM : SIM_TRANSPORT_TCP;
        pp.receiver = 1;
        pp.count = 500;
        pp.len = 16;
        pp.gap_ns = MS / 10;
        sim = run_probe(&c, &pp);
        assert_int_equal(pp.n_rec, 500);
        for (size_t i = 1; i < pp.n_rec; i++) {
            inversions += pp.rec[i].k < pp.rec[i - 1].k;
        }
        if (dg) {
            assert_true(inversions > 10);
        } else {
            assert_int_equal(inversions, 0);
        }
        free(pp.rec);
        sim_destroy(sim);
    }
}

/*
 * The dense link table drops the last-arrival time and the message index
 * (12 of 24 bytes per link) when a link's arrivals are in order anyway and
 * nothing draws: one latency for every message, no adversary, no loss or
 * partitions.  A drawn latency, a delaying adversary or loss keep them,
 * and tcp still delivers in order; datagrams with drawn latency keep the
 * index only (16 bytes).  (Was 24 bytes in every case, then 16.)
 */
static void
test_network_link_bytes(void **state)
{
    enum sim_behaviour beh[2] = {SIM_DELAY, SIM_HONEST};

    (void)state;
    for (int v = 0; v < 7; v++) {
        struct probe_params pp = {0};
        struct sim_config c;
        struct sim *sim;
        int64_t last = 0;

        sim_config_init(&c, 2, 3);
        c.net.latency.ms = 10;
        if (v == 1) {
            c.net.latency.kind = SIM_LATENCY_EXPONENTIAL;
            c.net.latency.mean_ms = 10;
        } else if (v == 2) {
            c.behaviour = beh;
        } else if (v == 3) {
            c.net.loss = 0.1;
        } else if (v == 4) {
            c.net.bandwidth_mbps = 1;
        } else if (v == 5) {
            c.net.transport.kind = SIM_TRANSPORT_DATAGRAM; /* no link state at all */
        } else if (v == 6) {
            c.net.transport.kind = SIM_TRANSPORT_DATAGRAM; /* the message index only */
            c.net.latency.kind = SIM_LATENCY_EXPONENTIAL;
            c.net.latency.mean_ms = 10;
        }
        pp.receiver = 1;
        pp.count = 300;
        pp.len = 16;
        pp.gap_ns = MS / 10;
        sim = run_probe(&c, &pp);
        assert_int_equal(sim__net_link_bytes(sim), v == 5             ? 0
                                                   : v == 6           ? SIM__LINK_BYTES_DRAWS
                                                   : v == 0 || v == 4 ? SIM__LINK_BYTES_BASE
                                                                      : sizeof(struct sim__link));
        assert_int_equal(SIM__LINK_BYTES_BASE, 12);
        assert_true(pp.n_rec > 0);
        for (size_t i = 0; i < pp.n_rec && v != 6; i++) { /* (datagrams may reorder) */
            assert_true(i == 0 || pp.rec[i].k > pp.rec[i - 1].k);
            assert_true(pp.rec[i].t >= last);
            last = pp.rec[i].t;
        }
        free(pp.rec);
        sim_destroy(sim);
    }
}

/* calloc that refuses more than 1 GiB, as under ulimit -v. */
static void *
calloc_small_only(size_t nmemb, size_t size)
{
    return size != 0 && nmemb > ((size_t)1 << 30) / size ? NULL : calloc(nmemb, size);
}

/* Which table holds link state at large n (issue 21): dense while n^2
 * entries fit 2 GiB; beyond that, when hash entries would never expire
 * (drawn latency keeps every link's message index), dense up to 8 GiB:
 * the all-to-all toy at n = 10 000 with lognormal latency spent 35 % of
 * its time probing the hash table.  Otherwise hashed (0).  Only created:
 * the dense table is calloc'd, so its untouched pages cost nothing. */
static void
test_network_link_table_choice(void **state)
{
    static const struct {
        int n, lognormal;
        size_t bytes;
    } cases[] = {
        {9500, 0, SIM__LINK_BYTES_BASE},      /* 1.08 GB */
        {9500, 1, sizeof(struct sim__link)},  /* 2.17 GB, kept entries: dense */
        {14000, 0, 0},                        /* 2.35 GB, expiring entries: hashed */
        {18900, 1, sizeof(struct sim__link)}, /* 8.57e9 B <= 8 GiB */
        {19000, 1, 0},                        /* 8.66e9 B > 8 GiB: hashed */
    };

    (void)state;
    mpcsim_alloc_set_hooks(NULL); /* libc's calloc: cmocka's would touch every byte */
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct probe_params pp = {0};
        struct sim_config c;
        struct sim *sim = NULL;

        sim_config_init(&c, cases[i].n, 3);
        c.net.latency.ms = 10;
        if (cases[i].lognormal) {
            c.net.latency.kind = SIM_LATENCY_LOGNORMAL;
            c.net.latency.median_ms = 10;
            c.net.latency.sigma = 0.5;
        }
        probe_no_message_cost(&c);
        assert_int_equal(sim_create(&sim, &c, &probe_protocol, &pp), 0);
        assert_int_equal(sim__net_link_bytes(sim), cases[i].bytes);
        sim_destroy(sim);
    }
    /* The optional dense table gives way to the hash table when a
     * --max-memory budget could not hold it twice over, or when calloc
     * refuses it (ulimit -v): the trial runs, it does not fail (the
     * budget counts the whole table, touched or not). */
    for (int v = 0; v < 3; v++) {
        static const struct mpcsim_alloc_hooks no_big = {malloc, calloc_small_only, realloc, free};
        struct probe_params pp = {0};
        struct sim_config c;
        struct sim *sim = NULL;

        sim_config_init(&c, 9500, 3);
        c.net.latency.kind = SIM_LATENCY_LOGNORMAL;
        c.net.latency.median_ms = 10;
        c.net.latency.sigma = 0.5;
        probe_no_message_cost(&c);
        if (v == 0) {
            mpcsim_alloc_set_budget((size_t)3 << 30); /* 2.17 GB > half of 3 GiB */
        } else if (v == 1) {
            mpcsim_alloc_set_budget((size_t)5 << 30); /* fits twice over */
        } else {
            mpcsim_alloc_set_hooks(&no_big);
        }
        assert_int_equal(sim_create(&sim, &c, &probe_protocol, &pp), 0);
        assert_int_equal(sim__net_link_bytes(sim), v == 1 ? sizeof(struct sim__link) : 0);
        assert_false(mpcsim_alloc_budget_hit());
        sim_destroy(sim);
        mpcsim_alloc_set_budget(0);
        mpcsim_alloc_set_hooks(NULL);
    }
    mpcsim_test_init();
}

/* Loss: datagrams lost within the binomial interval; tcp loses none but
 * delays by one RTO per lost segment. */
static void
test_network_loss(void **state)
{
    struct probe_params pp = {0};
    struct sim_config c;
    struct sim *sim;
    const int K = 10000;
    int delayed = 0;
    double sd = sqrt(K * 0.1 * 0.9);

    (void)state;
    sim_config_init(&c, 2, 11);
    c.net.latency.ms = 1;
    c.net.transport.kind = SIM_TRANSPORT_DATAGRAM;
    c.net.loss = 0.1;
    pp.receiver = 1;
    pp.count = K;
    pp.len = 4;
    sim = run_probe(&c, &pp);
    assert_true(fabs((double)pp.n_rec - 0.9 * K) < 4.5 * sd);
    assert_int_equal(sim_metrics(sim)->messages_lost, (uint64_t)K - pp.n_rec);
    assert_int_equal(sim_metrics(sim)->messages, (uint64_t)K);
    free(pp.rec);
    sim_destroy(sim);

    memset(&pp, 0, sizeof(pp));
    c.net.transport.kind = SIM_TRANSPORT_TCP;
    c.net.transport.window_bytes = 0;
    pp.receiver = 1;
    pp.count = K;
    pp.len = 4;
    pp.gap_ns = 1000 * MS; /* far apart: no head-of-line blocking */
    sim = run_probe(&c, &pp);
    assert_int_equal(pp.n_rec, (size_t)K);
    for (int i = 0; i < K; i++) {
        int64_t d = pp.rec[i].t - (int64_t)pp.rec[i].k * 1000 * MS - MS;

        assert_true(d % (200 * MS) == 0);
        delayed += d > 0;
    }
    assert_true(fabs((double)delayed - 0.1 * K) < 4.5 * sd);
    assert_int_equal(sim_metrics(sim)->messages_lost, 0);
    free(pp.rec);
    sim_destroy(sim);
}

/* Partitions drop exactly the cross-group datagrams crossing during their
 * window (tcp stalls instead: tests/sim/test_inflight.c). */
static void
test_network_partitions(void **state)
{
    static const int grp[4] = {0, 0, 1, 1};
    struct sim_partition part = {3 * MS, 6 * MS, grp, 0, NULL, NULL, 0};
    struct probe_params pp = {0};
    struct sim_config c;
    struct sim *sim;
    int got[10][4][4];

    (void)state;
    memset(got, 0, sizeof(got));
    sim_config_init(&c, 4, 1);
    c.net.latency.ms = 0.5;
    c.net.transport.kind = SIM_TRANSPORT_DATAGRAM;
    c.net.n_partitions = 1;
    c.net.partitions = &part;
    pp.receiver = -1;
    pp.all_send = 1;
    pp.count = 10; /* sent at 0, 1, ..., 9 ms */
    pp.len = 4;
    pp.gap_ns = MS;
    sim = run_probe(&c, &pp);
    for (size_t i = 0; i < pp.n_rec; i++) {
        got[pp.rec[i].k][pp.rec[i].from][pp.rec[i].to]++;
    }
    for (int k = 0; k < 10; k++) {
        for (int s = 0; s < 4; s++) {
            for (int r = 0; r < 4; r++) {
                int blocked = k >= 3 && k < 6 && grp[s] != grp[r];

                if (s != r) {
                    assert_int_equal(got[k][s][r], !blocked);
                }
            }
        }
    }
    /* 3 windows x 4 senders x 2 cross receivers */
    assert_int_equal(sim_metrics(sim)->messages_lost, 24);
    assert_int_equal(pp.n_rec, 10 * 12 - 24);
    free(pp.rec);
    sim_destroy(sim);
}

/*
 * Common random numbers: the k-th message on link 0 -> 1 draws the same
 * latency (and loss) whether party 0 sends only to 1 or broadcasts to
 * everyone, since draws are keyed by (link, index on the link), not taken
 * from a per-sender stream in send order.
 */
static void
test_network_draws_per_link(void **state)
{
    for (int transport = 0; transport < 2; transport++) {
        struct probe_params a = {0}, b = {0};
        struct sim_config c;
        struct sim *sa, *sb;
        size_t kb = 0, got = 0;

        (void)state;
        sim_config_init(&c, 6, 31);
        c.net.latency.kind = SIM_LATENCY_LOGNORMAL;
        c.net.latency.median_ms = 30;
        c.net.latency.sigma = 1.0;
        c.net.loss = 0.2;
        c.net.transport.kind = transport ? SIM_TRANSPORT_DATAGRAM : SIM_TRANSPORT_TCP;
        c.net.transport.window_bytes = 0;
        a.sender = b.sender = 0;
        a.receiver = 1;
        b.receiver = -1;
        a.count = b.count = 8;
        a.len = b.len = 8;
        a.gap_ns = b.gap_ns = 500 * MS; /* far apart: tcp order never binds */
        sa = run_probe(&c, &a);
        sb = run_probe(&c, &b);
        for (size_t k = 0; k < a.n_rec; k++) {
            while (kb < b.n_rec && b.rec[kb].to != 1) {
                kb++;
            }
            assert_true(kb < b.n_rec);
            assert_int_equal(a.rec[k].k, b.rec[kb].k);
            assert_true(a.rec[k].t == b.rec[kb].t);
            kb++;
            got++;
        }
        while (kb < b.n_rec && b.rec[kb].to != 1) {
            kb++;
        }
        assert_true(kb == b.n_rec); /* the same messages were lost */
        assert_true(got > 0 && got <= (size_t)a.count);
        free(a.rec);
        free(b.rec);
        sim_destroy(sa);
        sim_destroy(sb);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_network_latency_distributions),
        cmocka_unit_test(test_network_draws_per_link),
        cmocka_unit_test(test_network_regions),
        cmocka_unit_test(test_network_bandwidth),
        cmocka_unit_test(test_network_window_limit),
        cmocka_unit_test(test_network_in_order),
        cmocka_unit_test(test_network_link_bytes),
        cmocka_unit_test(test_network_loss),
        cmocka_unit_test(test_network_partitions),
        cmocka_unit_test(test_network_link_table_choice), /* last: it resets the hooks */
    };

    mpcsim_test_init();
    return cmocka_run_group_tests_name("network", tests, NULL, NULL);
}
