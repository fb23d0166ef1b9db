/* SPDX-License-Identifier: MIT */
/*
 * tests/sim/test_fair.c - network.sharing: fair (issue 17): max-min fair
 * rates over each sender's uplink and receiver's downlink, re-planned when
 * flows start and end; a window-limited flow leaves its spare capacity to
 * the others; a crash cuts every flow of the sender at once.  Every
 * expected value is a closed form (8 Mbit/s = 1 byte per microsecond).
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

#define US INT64_C(1000)
#define MS SIM_NS_PER_MS

/* A scripted send: party `from` sends `len` payload bytes to `to` at
 * `at_ns` (0: in on_start). */
struct fx_send {
    int from, to;
    size_t len;
    int64_t at_ns;
};

struct fx_arrival {
    int from, to;
    size_t len;
    int64_t t;
};

struct fx_params {
    const struct fx_send *sends;
    int n_sends;
    struct fx_arrival rec[1400];
    int n_rec;
};

static int
fx_setup(struct sim_party *p, const struct sim_protocol_cfg *cfg)
{
    sim_party_set_state(p, (void *)(uintptr_t)cfg->params);
    return 0;
}

static void
fx_send_one(struct sim_party *p, const struct fx_send *s)
{
    static uint8_t buf[65536];

    assert_true(s->len <= sizeof(buf));
    /* MPCSIM_ENOMEM is sticky: sim_run returns it (the OOM loop). */
    if (sim_send(p, s->to, 1, buf, s->len) < 0) {
        return;
    }
}

static void
fx_start(struct sim_party *p)
{
    const struct fx_params *fp = sim_party_state(p);

    for (int i = 0; i < fp->n_sends; i++) {
        if (fp->sends[i].from != sim_party_id(p)) {
            continue;
        }
        if (fp->sends[i].at_ns == 0) {
            fx_send_one(p, &fp->sends[i]);
        } else {
            if (sim_set_timer(p, fp->sends[i].at_ns, (uint64_t)i) < 0) {
                return;
            }
        }
    }
}

static void
fx_timer(struct sim_party *p, uint64_t id)
{
    const struct fx_params *fp = sim_party_state(p);

    fx_send_one(p, &fp->sends[id]);
}

static void
fx_message(struct sim_party *p, int from, const uint8_t *msg, size_t len)
{
    struct fx_params *fp = sim_party_state(p);

    (void)msg;
    assert_true(fp->n_rec < 1400);
    fp->rec[fp->n_rec].from = from;
    fp->rec[fp->n_rec].to = sim_party_id(p);
    fp->rec[fp->n_rec].len = len;
    fp->rec[fp->n_rec].t = sim_now(p);
    fp->n_rec++;
}

static void
fx_teardown(struct sim_party *p)
{
    (void)p;
}

static const struct sim_protocol fx_protocol = {
    .name = "fx",
    .setup = fx_setup,
    .on_start = fx_start,
    .on_message = fx_message,
    .on_timer = fx_timer,
    .teardown = fx_teardown,
};

static double fx_cost[SIM_OP_COUNT]; /* all zero: no compute */

/* n parties, constant latency `lat_ms`, 8 Mbit/s, tcp without a window
 * (no slow start, no window cap) unless the test sets one, fair sharing. */
static void
fx_config(struct sim_config *c, int n, double lat_ms)
{
    sim_config_init(c, n, 7);
    c->net.latency.ms = lat_ms;
    c->net.bandwidth_mbps = 8;
    c->net.transport.window_bytes = 0;
    c->net.sharing = SIM_SHARING_FAIR;
    c->cost_ns = fx_cost;
}

static struct sim *
fx_run(const struct sim_config *c, struct fx_params *fp)
{
    struct sim *sim = NULL;

    assert_int_equal(sim_create(&sim, c, &fx_protocol, fp), 0);
    assert_int_equal(sim_run(sim), 0);
    return sim;
}

/* The arrival time of the message from `from` to `to` of `len` bytes. */
static int64_t
fx_at(const struct fx_params *fp, int from, int to, size_t len)
{
    for (int i = 0; i < fp->n_rec; i++) {
        if (fp->rec[i].from == from && fp->rec[i].to == to && fp->rec[i].len == len) {
            return fp->rec[i].t;
        }
    }
    return -1;
}

/* Payload bytes of a tcp message of `wire` wire bytes (mss 1460, 40-byte
 * headers): 10 240 wire = 7 segments, 1000 wire = 1 segment. */
#define A_LEN (10240 - 7 * 40) /* 9960 */
#define B_LEN (1000 - 40)      /* 960 */

/*
 * Party 0 sends A (10 240 wire bytes) to 1, then B (1000) to 2, both at 0,
 * 1 ms latency.  fair: each gets half the uplink while both send, so B
 * leaves at 2 ms (arrives 3 ms) and A, alone from then on, at (10 240 +
 * 1000) us = 11.24 ms (arrives 12.24 ms).  fifo: B waits behind A and
 * leaves at 11.24 ms.
 */
static void
test_fair_one_sender_two_receivers(void **state)
{
    static const struct fx_send sends[] = {{0, 1, A_LEN, 0}, {0, 2, B_LEN, 0}};
    struct fx_params fp = {sends, 2, {{0}}, 0};
    struct sim_config c;
    struct sim *sim;

    (void)state;
    fx_config(&c, 3, 1);
    sim = fx_run(&c, &fp);
    assert_int_equal(fx_at(&fp, 0, 2, B_LEN), 3 * MS);
    assert_int_equal(fx_at(&fp, 0, 1, A_LEN), 12240 * US);
    assert_int_equal(sim_metrics(sim)->bytes, 11240);
    assert_int_equal(sim_metrics(sim)->messages, 2);
    sim_destroy(sim);

    /* fifo, the default: B behind A. */
    memset(&fp, 0, sizeof(fp));
    fp.sends = sends;
    fp.n_sends = 2;
    c.net.sharing = SIM_SHARING_FIFO;
    sim = fx_run(&c, &fp);
    assert_int_equal(fx_at(&fp, 0, 1, A_LEN), 11240 * US);
    assert_int_equal(fx_at(&fp, 0, 2, B_LEN), 12240 * US);
    sim_destroy(sim);
}

/* Parties 0 and 1 send A and B to party 2 at 0: its downlink is shared
 * the same way (the senders' uplinks each carry one flow). */
static void
test_fair_downlink_two_senders(void **state)
{
    static const struct fx_send sends[] = {{0, 2, A_LEN, 0}, {1, 2, B_LEN, 0}};
    struct fx_params fp = {sends, 2, {{0}}, 0};
    struct sim_config c;
    struct sim *sim;

    (void)state;
    fx_config(&c, 3, 1);
    sim = fx_run(&c, &fp);
    assert_int_equal(fx_at(&fp, 1, 2, B_LEN), 3 * MS);
    assert_int_equal(fx_at(&fp, 0, 2, A_LEN), 12240 * US);
    sim_destroy(sim);
}

/*
 * Two messages queue in one flow (0 -> 1) while a third (0 -> 2) shares
 * the uplink with the first: m1 and m3 (1000 wire bytes each) leave at
 * 2 ms, m2 alone at 3 ms; a flow starting later (party 0 sends 1000 bytes
 * to 1 at 5 ms, alone) takes the whole uplink.
 */
static void
test_fair_flow_queue_and_later_start(void **state)
{
    static const struct fx_send sends[] = {
        {0, 1, B_LEN, 0}, {0, 1, B_LEN - 1, 0}, {0, 2, B_LEN, 0}, {0, 1, B_LEN - 2, 5 * MS}};
    struct fx_params fp = {sends, 4, {{0}}, 0};
    struct sim_config c;
    struct sim *sim;

    (void)state;
    fx_config(&c, 3, 1);
    sim = fx_run(&c, &fp);
    assert_int_equal(fx_at(&fp, 0, 1, B_LEN), 3 * MS);
    assert_int_equal(fx_at(&fp, 0, 2, B_LEN), 3 * MS);
    assert_int_equal(fx_at(&fp, 0, 1, B_LEN - 1), 3999 * US); /* 999 wire bytes alone */
    assert_int_equal(fx_at(&fp, 0, 1, B_LEN - 2), 5 * MS + 998 * US + 1 * MS);
    sim_destroy(sim);
}

/*
 * A window-limited flow leaves its spare capacity to the other.  tcp with
 * an 8000-byte window and no slow start; party 1 is far (16 ms one way,
 * RTT 32 ms: the 0 -> 1 flow is capped at 8000 B / 32 ms = 0.25 B/us),
 * party 2 near (0.5 ms, cap 8 B/us, above the uplink).  A (10 240 wire
 * bytes) to 1 and C (15 360: 11 segments) to 2 at 0: C gets the other
 * 0.75 B/us and leaves at 20.48 ms (arrives 20.98 ms); A stays at its cap
 * and leaves at 40.96 ms (arrives 56.96 ms).  fifo: C waits for the
 * uplink until 10.24 ms and leaves at 25.6 ms.
 */
static void
test_fair_window_cap_spare(void **state)
{
    static const struct fx_send sends[] = {{0, 1, A_LEN, 0}, {0, 2, 15360 - 11 * 40, 0}};
    static const int region[3] = {0, 1, 0};
    static const double median[4] = {0.5, 16, 16, 0.5};
    struct fx_params fp = {sends, 2, {{0}}, 0};
    struct sim_config c;
    struct sim *sim;

    (void)state;
    fx_config(&c, 3, 0);
    c.net.n_regions = 2;
    c.net.party_region = region;
    c.net.region_median_ms = median;
    c.net.transport.window_bytes = 8000;
    c.net.transport.initial_window_segments = 0;
    sim = fx_run(&c, &fp);
    assert_int_equal(fx_at(&fp, 0, 2, 15360 - 11 * 40), 20980 * US);
    assert_int_equal(fx_at(&fp, 0, 1, A_LEN), 56960 * US);
    sim_destroy(sim);

    memset(&fp, 0, sizeof(fp));
    fp.sends = sends;
    fp.n_sends = 2;
    c.net.sharing = SIM_SHARING_FIFO;
    sim = fx_run(&c, &fp);
    assert_int_equal(fx_at(&fp, 0, 2, 15360 - 11 * 40), 26100 * US);
    sim_destroy(sim);
}

/*
 * Slow start under fair sharing, one flow at a time, is fifo's model: the
 * 57 561-byte message (40 segments) at 100 ms RTT on an unlimited link
 * leaves in flights of 10, 20 and 10 and arrives 2 RTT + 50 ms = 250 ms
 * after it is sent.
 */
static void
test_fair_slow_start_flights(void **state)
{
    static const struct fx_send sends[] = {{0, 1, 57561, 0}};
    struct fx_params fp = {sends, 1, {{0}}, 0};
    struct sim_config c;
    struct sim *sim;

    (void)state;
    fx_config(&c, 2, 50);
    c.net.bandwidth_mbps = 0;
    c.net.transport.window_bytes = 6291456;
    sim = fx_run(&c, &fp);
    assert_int_equal(fx_at(&fp, 0, 1, 57561), 250 * MS);
    sim_destroy(sim);
}

/*
 * During the first flight of a slow-start flow (10 segments = 15 000 wire
 * bytes at 8 Mbit/s, RTT 100 ms) a 1000-byte flow to party 2 shares the
 * uplink: it leaves at 2 ms; the first flight ends at 16 ms, and the flow
 * then waits for its ACKs (at 100 ms), leaving the uplink idle for others:
 * a 1000-byte message to party 2 sent at 50 ms gets the whole uplink and
 * leaves at 51 ms.
 */
static void
test_fair_cwnd_wait_leaves_capacity(void **state)
{
    static const struct fx_send sends[] = {
        {0, 1, 20 * 1460, 0}, {0, 2, B_LEN, 0}, {0, 2, B_LEN - 1, 50 * MS}};
    struct fx_params fp = {sends, 3, {{0}}, 0};
    struct sim_config c;
    struct sim *sim;

    (void)state;
    fx_config(&c, 3, 50);
    c.net.transport.window_bytes = 6291456;
    sim = fx_run(&c, &fp);
    assert_int_equal(fx_at(&fp, 0, 2, B_LEN), 52 * MS);
    assert_int_equal(fx_at(&fp, 0, 2, B_LEN - 1), 50 * MS + 999 * US + 50 * MS);
    /* Second flight (10 segments) from 100 ms, alone: leaves at 115 ms. */
    assert_int_equal(fx_at(&fp, 0, 1, 20 * 1460), 165 * MS);
    sim_destroy(sim);
}

/*
 * A crash of the sender while its flows share the uplink cuts both at
 * once: at 1.5 ms each has sent 750 bytes (no whole 1500-byte segment):
 * nothing arrives, no bytes count.  At 2.5 ms, B (done at 2 ms) arrived
 * and A had sent 1000 + 500 = 1500 bytes: one whole segment counts.
 */
static void
test_fair_crash_while_sharing(void **state)
{
    static const struct fx_send sends[] = {{0, 1, A_LEN, 0}, {0, 2, B_LEN, 0}};
    struct sim_crash cr = {0, 1500 * US, -1};
    struct fx_params fp = {sends, 2, {{0}}, 0};
    struct sim_config c;
    struct sim *sim;

    (void)state;
    fx_config(&c, 3, 1);
    c.faults.n_crashes = 1;
    c.faults.crashes = &cr;
    sim = fx_run(&c, &fp);
    assert_int_equal(fp.n_rec, 0);
    assert_int_equal(sim_metrics(sim)->bytes, 0);
    assert_int_equal(sim_metrics(sim)->messages, 2);
    assert_int_equal(sim_metrics(sim)->messages_lost, 2);
    sim_destroy(sim);

    memset(&fp, 0, sizeof(fp));
    fp.sends = sends;
    fp.n_sends = 2;
    cr.at_ns = 2500 * US;
    sim = fx_run(&c, &fp);
    assert_int_equal(fp.n_rec, 1);
    assert_int_equal(fx_at(&fp, 0, 2, B_LEN), 3 * MS);
    assert_int_equal(sim_metrics(sim)->bytes, 1000 + 1500);
    assert_int_equal(sim_metrics(sim)->messages_lost, 1);
    sim_destroy(sim);
}

/* Datagrams and unlimited links: a flow with no constraint leaves at
 * once; partitions still drop what crosses them. */
static void
test_fair_unlimited_and_partition(void **state)
{
    static const struct fx_send sends[] = {{0, 1, 100, 0}, {0, 2, 100, 0}};
    static const int groups[3] = {0, 0, 1};
    struct sim_partition pt = {0, 10 * MS, groups, 0, NULL, NULL, 0};
    struct fx_params fp = {sends, 2, {{0}}, 0};
    struct sim_config c;
    struct sim *sim;

    (void)state;
    fx_config(&c, 3, 1);
    c.net.bandwidth_mbps = 0;
    c.net.transport.kind = SIM_TRANSPORT_DATAGRAM;
    c.net.n_partitions = 1;
    c.net.partitions = &pt;
    sim = fx_run(&c, &fp);
    assert_int_equal(fp.n_rec, 1);
    assert_int_equal(fx_at(&fp, 0, 1, 100), 1 * MS);
    assert_int_equal(sim_metrics(sim)->messages_lost, 1);
    sim_destroy(sim);
}

/*
 * transport.handshake: a link's first use waits one RTT (20 ms at 10 ms
 * one way) before its first byte leaves: 1000 wire bytes sent at 0 leave
 * at 21 ms and arrive at 31 ms; the next message on the open link (at
 * 50 ms) does not wait (61 ms); the other direction is its own connection
 * (sent at 50 ms, arrives at 81 ms).
 */
static void
test_fair_handshake_fifo(void **state)
{
    static const struct fx_send sends[] = {
        {0, 1, B_LEN, 0}, {0, 1, B_LEN - 1, 50 * MS}, {1, 0, B_LEN, 50 * MS}};
    struct fx_params fp = {sends, 3, {{0}}, 0};
    struct sim_config c;
    struct sim *sim;

    (void)state;
    fx_config(&c, 2, 10);
    c.net.sharing = SIM_SHARING_FIFO;
    c.net.transport.handshake = 1;
    sim = fx_run(&c, &fp);
    assert_int_equal(fx_at(&fp, 0, 1, B_LEN), 31 * MS);
    assert_int_equal(fx_at(&fp, 0, 1, B_LEN - 1), 60999 * US);
    assert_int_equal(fx_at(&fp, 1, 0, B_LEN), 81 * MS);
    assert_int_equal(sim_metrics(sim)->bytes, 2999);
    sim_destroy(sim);
}

/*
 * transport.tls (with handshake): two RTTs on first use, and 22 bytes per
 * record of up to 16 384 bytes: 960 payload bytes are 982 to tcp, one
 * segment, 1022 wire bytes, arriving at 40 + 1.022 + 10 ms; 20 000 bytes
 * are two records (20 044), 14 segments, 20 604 wire bytes.  With window
 * and slow start (the default transport) the same first-use wait applies.
 */
static void
test_fair_tls_records(void **state)
{
    static const struct fx_send sends[] = {{0, 1, B_LEN, 0}, {1, 0, 20000, 0}};
    struct fx_params fp = {sends, 2, {{0}}, 0};
    struct sim_config c;
    struct sim *sim;

    (void)state;
    for (int fair = 0; fair < 2; fair++) {
        memset(&fp, 0, sizeof(fp));
        fp.sends = sends;
        fp.n_sends = 2;
        fx_config(&c, 2, 10);
        c.net.sharing = fair ? SIM_SHARING_FAIR : SIM_SHARING_FIFO;
        c.net.transport.handshake = 1;
        c.net.transport.tls = 1;
        sim = fx_run(&c, &fp);
        assert_int_equal(fx_at(&fp, 0, 1, B_LEN), 51022 * US);
        assert_int_equal(fx_at(&fp, 1, 0, 20000), 40 * MS + 20604 * US + 10 * MS);
        assert_int_equal(sim_metrics(sim)->bytes, 1022 + 20604);
        sim_destroy(sim);
    }
    /* tls alone: one RTT, here with the default window and slow start
     * (one segment: one flight from the end of the wait). */
    memset(&fp, 0, sizeof(fp));
    fp.sends = sends;
    fp.n_sends = 1;
    fx_config(&c, 2, 10);
    c.net.transport.window_bytes = 6291456;
    c.net.sharing = SIM_SHARING_FIFO;
    c.net.transport.tls = 1;
    sim = fx_run(&c, &fp);
    assert_int_equal(fx_at(&fp, 0, 1, B_LEN), 31022 * US);
    sim_destroy(sim);
}

/*
 * Under fair sharing a connection's handshake does not hold the uplink:
 * party 0 opens 0 -> 1 with 1000 bytes at 0 (leaves 20 - 21 ms); at 30 ms
 * it sends 10 240 bytes to party 2 (a new connection: waits until 50 ms)
 * and 1000 bytes to 1 on the open link, which has the uplink alone and
 * leaves at 31 ms (arrives 41 ms); the 10 240 bytes then leave alone,
 * 50 - 60.24 ms (arrive 70.24 ms).
 */
static void
test_fair_handshake_fair(void **state)
{
    static const struct fx_send sends[] = {
        {0, 1, B_LEN, 0}, {0, 2, A_LEN, 30 * MS}, {0, 1, B_LEN - 1, 30 * MS}};
    struct fx_params fp = {sends, 3, {{0}}, 0};
    struct sim_config c;
    struct sim *sim;

    (void)state;
    fx_config(&c, 3, 10);
    c.net.transport.handshake = 1;
    sim = fx_run(&c, &fp);
    assert_int_equal(fx_at(&fp, 0, 1, B_LEN), 31 * MS);
    assert_int_equal(fx_at(&fp, 0, 1, B_LEN - 1), 40999 * US);
    assert_int_equal(fx_at(&fp, 0, 2, A_LEN), 70240 * US);
    sim_destroy(sim);
}

/*
 * Beyond 2048 parties flows are found through a hash table: party 0 of
 * 2100 sends 1000 wire bytes to each of 700 others at 0 (the table grows
 * past its first 1024 slots), all sharing its uplink: all leave at 700 ms
 * and arrive at 701 ms; then every flow is removed (backward-shift
 * deletion) and a second wave at 1 s to the same 700 leaves at 1.7 s.
 */
static void
test_fair_many_flows_hash(void **state)
{
    static struct fx_send sends[1400];
    static struct fx_params fp;
    struct sim_config c;
    struct sim *sim;

    (void)state;
    for (int i = 0; i < 1400; i++) {
        sends[i].from = 0;
        sends[i].to = 1 + (i % 700) * 3;
        sends[i].len = B_LEN;
        sends[i].at_ns = i < 700 ? 0 : 1000 * MS;
    }
    memset(&fp, 0, sizeof(fp));
    fp.sends = sends;
    fp.n_sends = 1400;
    fx_config(&c, 2100, 1);
    sim = fx_run(&c, &fp);
    assert_int_equal(fp.n_rec, 1400);
    for (int i = 0; i < 1400; i++) {
        assert_int_equal(fp.rec[i].t, i < 700 ? 701 * MS : 1701 * MS);
    }
    sim_destroy(sim);
}

/*
 * Slow start where a flight takes longer than the RTT (8 Mbit/s, RTT 2 ms:
 * the first flight of 10 segments takes 15 ms): the next flight follows at
 * once, so the 57 561-byte message (59 161 wire bytes) leaves in 59.161 ms
 * under both sharings.  A crash while the flow waits for its ACKs (RTT
 * 100 ms, crash at 50 ms, after the first flight of 10 segments) counts
 * those 15 000 bytes and delivers nothing.
 */
static void
test_fair_flights_and_crash_waiting(void **state)
{
    static const struct fx_send sends[] = {{0, 1, 57561, 0}};
    struct sim_crash cr = {0, 50 * MS, -1};
    struct fx_params fp = {sends, 1, {{0}}, 0};
    struct sim_config c;
    struct sim *sim;

    (void)state;
    for (int fair = 0; fair < 2; fair++) {
        memset(&fp, 0, sizeof(fp));
        fp.sends = sends;
        fp.n_sends = 1;
        fx_config(&c, 2, 1);
        c.net.sharing = fair ? SIM_SHARING_FAIR : SIM_SHARING_FIFO;
        c.net.transport.window_bytes = 6291456;
        sim = fx_run(&c, &fp);
        assert_int_equal(fx_at(&fp, 0, 1, 57561), 60161 * US);
        sim_destroy(sim);
    }
    memset(&fp, 0, sizeof(fp));
    fp.sends = sends;
    fp.n_sends = 1;
    fx_config(&c, 2, 50);
    c.net.transport.window_bytes = 6291456;
    c.faults.n_crashes = 1;
    c.faults.crashes = &cr;
    sim = fx_run(&c, &fp);
    assert_int_equal(fp.n_rec, 0);
    assert_int_equal(sim_metrics(sim)->bytes, 15000);
    assert_int_equal(sim_metrics(sim)->messages_lost, 1);
    sim_destroy(sim);
}

/* An invalid sharing value is refused; allocation failures while running
 * come back as MPCSIM_ENOMEM without leaks. */
static void
test_fair_invalid_and_oom(void **state)
{
    static const struct fx_send sends[] = {
        {0, 1, A_LEN, 0}, {0, 2, B_LEN, 0}, {1, 2, B_LEN, 0}, {2, 0, B_LEN, 3 * MS}};
    struct fx_params fp = {sends, 4, {{0}}, 0};
    struct sim_config c;
    struct sim *sim = NULL;

    (void)state;
    fx_config(&c, 3, 1);
    c.net.sharing = (enum sim_sharing)7;
    assert_int_equal(sim_create(&sim, &c, &fx_protocol, &fp), MPCSIM_EINVAL);
    c.net.sharing = SIM_SHARING_FAIR;
    for (int k = 0;; k++) {
        int rc;

        fp.n_rec = 0;
        mpcsim_test_fail_alloc_after(k);
        rc = sim_create(&sim, &c, &fx_protocol, &fp);
        if (rc == 0) {
            rc = sim_run(sim);
            sim_destroy(sim);
        }
        mpcsim_test_fail_alloc_after(-1);
        if (rc == 0) {
            break;
        }
        assert_int_equal(rc, MPCSIM_ENOMEM);
        sim = NULL;
    }
    assert_int_equal(fp.n_rec, 4);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fair_one_sender_two_receivers),
        cmocka_unit_test(test_fair_downlink_two_senders),
        cmocka_unit_test(test_fair_flow_queue_and_later_start),
        cmocka_unit_test(test_fair_window_cap_spare),
        cmocka_unit_test(test_fair_slow_start_flights),
        cmocka_unit_test(test_fair_cwnd_wait_leaves_capacity),
        cmocka_unit_test(test_fair_crash_while_sharing),
        cmocka_unit_test(test_fair_unlimited_and_partition),
        cmocka_unit_test(test_fair_handshake_fifo),
        cmocka_unit_test(test_fair_tls_records),
        cmocka_unit_test(test_fair_handshake_fair),
        cmocka_unit_test(test_fair_many_flows_hash),
        cmocka_unit_test(test_fair_flights_and_crash_waiting),
        cmocka_unit_test(test_fair_invalid_and_oom),
    };

    mpcsim_test_init();
    return cmocka_run_group_tests_name("fair", tests, NULL, NULL);
}
