/* SPDX-License-Identifier: MIT */
/*
 * tests/sim/test_queue.c - the event queues pop in (time, insertion)
 * order, equal times first-in first-out, under interleaved pushes and
 * pops.  Events carry no sequence number: each test numbers its pushes in
 * `party` (or u.id) and checks the order by it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "common/alloc.h"
#include "sim/queue.h"
#include "tests/support.h"

#define N_EV 20000

enum { Q_HEAP, Q_RADIX, Q_TIME, Q_KINDS };

/* The three queues behind one interface. */
struct anyq {
    int kind;
    struct sim__heapq hq;
    struct sim__radixq rq;
    struct sim__timeq tq;
};

static void
anyq_init(struct anyq *q, int kind)
{
    q->kind = kind;
    sim__heapq_init(&q->hq);
    sim__radixq_init(&q->rq);
    sim__timeq_init(&q->tq);
}

static void
anyq_clear(struct anyq *q)
{
    sim__heapq_clear(&q->hq);
    sim__radixq_clear(&q->rq);
    sim__timeq_clear(&q->tq);
}

static int
anyq_push(struct anyq *q, const struct sim__event *ev)
{
    switch (q->kind) {
    case Q_HEAP:
        return sim__heapq_push(&q->hq, ev);
    case Q_RADIX:
        return sim__radixq_push(&q->rq, ev);
    default:
        return sim__timeq_push(&q->tq, ev);
    }
}

static int
anyq_pop(struct anyq *q, struct sim__event *ev)
{
    switch (q->kind) {
    case Q_HEAP:
        return sim__heapq_pop(&q->hq, ev);
    case Q_RADIX:
        return sim__radixq_pop(&q->rq, ev);
    default:
        return sim__timeq_pop(&q->tq, ev);
    }
}

static size_t
anyq_size(const struct anyq *q)
{
    switch (q->kind) {
    case Q_HEAP:
        return sim__heapq_size(&q->hq);
    case Q_RADIX:
        return sim__radixq_size(&q->rq);
    default:
        return sim__timeq_size(&q->tq);
    }
}

static size_t
anyq_peak(const struct anyq *q)
{
    return q->kind == Q_HEAP ? q->hq.peak : q->kind == Q_RADIX ? q->rq.peak : q->tq.peak;
}

/* A reference: check a popped sequence is sorted by (time, push number),
 * the push number being `party`. */
static void
check_sorted(const struct sim__event *ev, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        assert_true(ev[i - 1].time < ev[i].time ||
                    (ev[i - 1].time == ev[i].time && ev[i - 1].party < ev[i].party));
    }
}

/* Pushes at random times >= the last pop (few distinct values, so many
 * ties), pops interleaved: the output is sorted and complete, and each
 * event comes back with what was pushed. */
static void
run_interleaved(int kind, int64_t spread)
{
    struct anyq q;
    struct sim__event *out = test_malloc(2 * N_EV * sizeof(*out));
    size_t n_out = 0, pushed = 0;
    int64_t now = 0;

    anyq_init(&q, kind);
    while (pushed < N_EV || anyq_size(&q) > 0) {
        int burst = (int)(mpcsim_test_rand64() % 8);

        for (int b = 0; b < burst && pushed < N_EV; b++) {
            struct sim__event ev = {0};

            ev.time = now + (int64_t)(mpcsim_test_rand64() % 4) *
                                (int64_t)(mpcsim_test_rand64() % (uint64_t)spread);
            ev.party = (uint32_t)pushed;
            ev.aux = (uint32_t)(pushed * 7);
            ev.u.id = pushed * 13;
            assert_int_equal(anyq_push(&q, &ev), 0);
            pushed++;
        }
        for (int b = 0; b < 3; b++) {
            struct sim__event ev;
            int got = anyq_pop(&q, &ev);

            if (got == 0) {
                break;
            }
            assert_int_equal(got, 1);
            assert_true(ev.time >= now);
            assert_int_equal(ev.aux, ev.party * 7);
            assert_int_equal(ev.u.id, (uint64_t)ev.party * 13);
            now = ev.time;
            out[n_out++] = ev;
        }
    }
    assert_int_equal(n_out, N_EV);
    check_sorted(out, n_out);
    assert_true(anyq_peak(&q) > 0);
    anyq_clear(&q);
    test_free(out);
}

static void
test_queue_heap_order(void **state)
{
    (void)state;
    run_interleaved(Q_HEAP, 1000);
}

static void
test_queue_radix_order(void **state)
{
    (void)state;
    run_interleaved(Q_RADIX, 1000);
}

/* Many ties (more pending times than the cache has slots, so groups of
 * one time also split), and nearly all times distinct. */
static void
test_queue_time_order(void **state)
{
    (void)state;
    run_interleaved(Q_TIME, 1000);
    run_interleaved(Q_TIME, 3);
    run_interleaved(Q_TIME, 100000000);
}

/* A time whose cache slot is taken over by another time in between starts
 * over (a plain entry, then a group): its events still pop in push order,
 * and an event pushed at the current time while its group is being popped
 * comes after it. */
static void
test_queue_time_split_groups(void **state)
{
    struct sim__timeq q;
    struct sim__event ev = {0}, got;
    uint64_t seq = 0;
    int64_t other = -1;

    (void)state;
    sim__timeq_init(&q);
    ev.time = 100;
    ev.u.id = seq++;
    assert_int_equal(sim__timeq_push(&q, &ev), 0);
    /* Find a time sharing 100's cache slot and push it: it evicts 100. */
    for (int64_t t = 101; other < 0; t++) {
        if (sim__tq_slot(t, q.cache_bits) == sim__tq_slot(100, q.cache_bits)) {
            other = t;
        }
    }
    ev.time = other;
    ev.u.id = seq++;
    assert_int_equal(sim__timeq_push(&q, &ev), 0);
    for (int i = 0; i < 3; i++) {
        ev.time = 100;
        ev.u.id = seq++;
        assert_int_equal(sim__timeq_push(&q, &ev), 0);
    }
    assert_true(q.groups_used >= 1); /* 100 was split */
    for (uint64_t want = 0; want < 5; want++) {
        if (want == 1) {
            continue;
        }
        assert_int_equal(sim__timeq_pop(&q, &got), 1);
        assert_int_equal(got.time, 100);
        assert_int_equal(got.u.id, want);
        if (want == 2) {
            ev.time = 100; /* pushed at the current time, mid-group */
            ev.u.id = seq++;
            assert_int_equal(sim__timeq_push(&q, &ev), 0);
        }
    }
    assert_int_equal(sim__timeq_pop(&q, &got), 1);
    assert_int_equal(got.time, 100);
    assert_int_equal(got.u.id, 5);
    assert_int_equal(sim__timeq_pop(&q, &got), 1);
    assert_int_equal(got.time, other);
    assert_int_equal(sim__timeq_pop(&q, &got), 0);
    sim__timeq_clear(&q);
}

/* Equal times pop first-in first-out, whatever else is queued. */
static void
test_queue_ties_fifo(void **state)
{
    for (int kind = 0; kind < Q_KINDS; kind++) {
        struct anyq q;
        const int64_t times[] = {5, 3, 5, 5, 3, 9, 5, 0, 3};
        uint64_t last_seq[10];
        int64_t last_t = -1;
        struct sim__event ev;
        int got;

        (void)state;
        anyq_init(&q, kind);
        for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
            struct sim__event e = {0};

            e.time = times[i];
            e.u.id = i;
            assert_int_equal(anyq_push(&q, &e), 0);
        }
        for (int i = 0; i < 10; i++) {
            last_seq[i] = 0;
        }
        while ((got = anyq_pop(&q, &ev)) == 1) {
            assert_true(ev.time >= last_t);
            if (ev.time == last_t) {
                assert_true(ev.u.id > last_seq[ev.time]);
            }
            last_seq[ev.time] = ev.u.id;
            last_t = ev.time;
        }
        assert_int_equal(got, 0);
        assert_int_equal(last_t, 9);
        anyq_clear(&q);
    }
}

/* The radix heap's sorted run: a bucket of distinct times is sorted into
 * the run at a refill; events pushed afterwards at times inside the run's
 * span, at times equal to run events, and earlier than its head still pop
 * in (time, push) order, ties after the run's events (pushed earlier). */
static void
test_queue_radix_run(void **state)
{
    for (int kind = Q_RADIX; kind <= Q_TIME; kind++) {
        struct anyq q;
        struct sim__event ev = {0}, out[4000];
        uint32_t pushed = 0;
        size_t n_out = 0;
        int got;

        (void)state;
        anyq_init(&q, kind);
        if (kind == Q_TIME) {
            sim__timeq_set_grouping(&q.tq, 0); /* the radix heap itself */
        }
        for (int i = 0; i < 1500; i++) {
            ev.time = 1000000 + (int64_t)(mpcsim_test_rand64() % 300) * 3001; /* ~5 per time */
            ev.party = pushed++;
            assert_int_equal(anyq_push(&q, &ev), 0);
        }
        for (int round = 0; round < 1000; round++) {
            assert_int_equal(anyq_pop(&q, &out[n_out]), 1);
            n_out++;
            if (round == 0) {
                assert_true(kind != Q_RADIX || q.rq.run_n > 0); /* the run formed */
            }
            /* At the time just popped (a tie with anything left there),
             * one shortly after, and one far later. */
            ev.time = out[n_out - 1].time;
            ev.party = pushed++;
            assert_int_equal(anyq_push(&q, &ev), 0);
            ev.time = out[n_out - 1].time + (int64_t)(mpcsim_test_rand64() % 3000);
            ev.party = pushed++;
            assert_int_equal(anyq_push(&q, &ev), 0);
            if (round % 2 == 0) {
                ev.time = out[n_out - 1].time + 500000;
                ev.party = pushed++;
                assert_int_equal(anyq_push(&q, &ev), 0);
            }
        }
        while ((got = anyq_pop(&q, &out[n_out])) == 1) {
            n_out++;
            assert_true(n_out <= sizeof(out) / sizeof(out[0]));
        }
        assert_int_equal(got, 0);
        assert_int_equal(n_out, pushed);
        check_sorted(out, n_out);
        anyq_clear(&q);
    }
}

/* A failed allocation leaves the queue usable and leaks nothing. */
static void
test_queue_oom(void **state)
{
    struct sim__heapq hq;
    struct sim__radixq rq;
    struct sim__event ev = {0};
    int failures = 0;

    (void)state;
    sim__heapq_init(&hq);
    sim__radixq_init(&rq);
    for (int i = 0; i < 300; i++) {
        ev.time = 1000 - i;
        ev.u.id = (uint64_t)i;
        mpcsim_test_fail_alloc_after(0);
        failures += sim__heapq_push(&hq, &ev) < 0;
        failures += sim__radixq_push(&rq, &ev) < 0;
        mpcsim_test_fail_alloc_after(-1);
    }
    assert_true(failures > 0);
    /* A refill that cannot reserve its target buckets fails cleanly. */
    mpcsim_test_fail_alloc_after(0);
    {
        int got = sim__radixq_pop(&rq, &ev);

        mpcsim_test_fail_alloc_after(-1);
        assert_true(got == 1 || got == MPCSIM_ENOMEM);
    }
    while (sim__radixq_pop(&rq, &ev) == 1) {
    }
    assert_int_equal(sim__radixq_size(&rq), 0);
    sim__heapq_clear(&hq);
    sim__radixq_clear(&rq);
}

/* A bucket becomes the sorted run by insertion sort up to 128 events and
 * by radix sort above: at both sides of the switch (and at the smallest
 * run), with ties, the run pops in (time, push order). */
static void
test_queue_radix_run_sizes(void **state)
{
    static const size_t sizes[] = {16, 100, 128, 129, 5000};

    (void)state;
    for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
        struct sim__radixq q;
        struct sim__event ev = {0};
        struct sim__event *out = test_malloc(sizes[s] * sizeof(*out));

        sim__radixq_init(&q);
        ev.time = 0;
        assert_int_equal(sim__radixq_push(&q, &ev), 0);
        for (size_t k = 0; k < sizes[s]; k++) {
            ev.time = ((int64_t)1 << 30) + (int64_t)(mpcsim_test_rand64() % (sizes[s] / 3 + 1)) * 7;
            ev.party = (uint32_t)k;
            assert_int_equal(sim__radixq_push(&q, &ev), 0);
        }
        assert_int_equal(sim__radixq_pop(&q, &ev), 1); /* time 0 */
        for (size_t k = 0; k < sizes[s]; k++) {
            assert_int_equal(sim__radixq_pop(&q, &out[k]), 1);
            if (k == 0) {
                assert_true(q.run_n == sizes[s]); /* the whole bucket became the run */
            }
        }
        assert_int_equal(sim__radixq_pop(&q, &ev), 0);
        check_sorted(out, sizes[s]);
        test_free(out);
        sim__radixq_clear(&q);
    }
}

/* Blocks the radix heap's pool can hand out without allocating. */
static size_t
pool_spare(const struct sim__radixq *q)
{
    return q->n_free + (size_t)(q->bump_end - q->bump);
}

/* A refill that the run cannot take redistributes its bucket block by
 * block, giving each emptied block back before the next is read: with
 * allocations failing, 27 000 events move from bucket 21 (the run holds a
 * bucket taken before them) into lower buckets using the pool's spare
 * blocks only.  Before, each target's array was allocated anew (robust
 * Shamir at n = 5000: an 805 MB array and its copy alive at once).  Order
 * and ties survive. */
static void
test_queue_radix_refill_in_place(void **state)
{
    struct sim__radixq q;
    struct sim__event ev = {0};
    const int64_t base = (int64_t)1 << 20, n = 27000;

    (void)state;
    sim__radixq_init(&q);
    for (int64_t k = 0; k < 100; k++) { /* bucket 8: becomes the run */
        ev.time = 128 + k;
        ev.u.id = (uint64_t)k;
        assert_int_equal(sim__radixq_push(&q, &ev), 0);
    }
    for (int64_t k = 0; k < n; k++) {
        ev.time = base + (base >> 1) + (n - k) / 2; /* descending, pairs tie */
        ev.u.id = (uint64_t)(100 + k);
        assert_int_equal(sim__radixq_push(&q, &ev), 0);
    }
    assert_int_equal(sim__radixq_pop(&q, &ev), 1);
    assert_int_equal(ev.time, 128);
    assert_true(q.run_n == 100);
    for (int k = 1; k < 99; k++) {
        assert_int_equal(sim__radixq_pop(&q, &ev), 1);
    }
    /* pushed now, popped after the run: bucket 21 must be redistributed
     * while the run still holds an event (the run is empty only after the
     * next pop) */
    ev.time = 227;
    ev.u.id = 999999;
    assert_int_equal(sim__radixq_push(&q, &ev), 0);
    /* what a refill of bucket 21 reserves (the pool's chunk sizes leave it) */
    assert_true(pool_spare(&q) >= 23);
    mpcsim_test_fail_alloc_after(0);
    assert_int_equal(sim__radixq_pop(&q, &ev), 1); /* the run's last (time 227: the run first) */
    assert_int_equal(ev.u.id, 99);
    assert_int_equal(sim__radixq_pop(&q, &ev), 1); /* pushed at 227 */
    assert_int_equal(ev.u.id, 999999);
    {
        int64_t last = 0;
        uint64_t last_id = 0;

        for (int64_t k = 0; k < n; k++) {
            assert_int_equal(sim__radixq_pop(&q, &ev), 1); /* no allocation */
            assert_true(ev.time > last || (ev.time == last && ev.u.id > last_id));
            last = ev.time;
            last_id = ev.u.id;
        }
    }
    mpcsim_test_fail_alloc_after(-1);
    assert_int_equal(sim__radixq_size(&q), 0);
    sim__radixq_clear(&q);
}

/* The ladder: a bucket larger than the run becomes a rung of sub-buckets
 * by time; a sub-bucket still larger becomes a rung below it (a dense
 * cluster), and one of a single time is taken whole, whatever its size.
 * Events pushed while the ladder drains (ties with its events, times
 * inside and before its span) pop in (time, push) order, ties after the
 * ladder's older events; every event comes back once. */
static void
test_queue_radix_ladder(void **state)
{
    enum { SPREAD = 150000, CLUSTER = 120000, SAME = 70000, LATER = 60000 };
    const size_t total = SPREAD + CLUSTER + SAME + 2 * LATER + 1;
    struct sim__radixq q;
    struct sim__event ev = {0}, *out = test_malloc(total * sizeof(*out));
    const int64_t base = (int64_t)1 << 30;
    uint32_t pushed = 0;
    size_t n_out = 0;
    unsigned deepest = 0;
    int got;

    (void)state;
    sim__radixq_init(&q);
    ev.time = 0;
    ev.party = pushed++;
    assert_int_equal(sim__radixq_push(&q, &ev), 0);
    for (int k = 0; k < SPREAD + CLUSTER + SAME; k++) {
        int64_t t = k < SPREAD ? base + (int64_t)(mpcsim_test_rand64() % ((uint64_t)1 << 29))
                    : k < SPREAD + CLUSTER
                        ? base + 12345678 + (int64_t)(mpcsim_test_rand64() % 5000)
                        : base + 300000000;

        ev.time = t;
        ev.party = pushed++;
        assert_int_equal(sim__radixq_push(&q, &ev), 0);
    }
    while ((got = sim__radixq_pop(&q, &out[n_out])) == 1) {
        n_out++;
        deepest = q.n_rungs > deepest ? q.n_rungs : deepest;
        if (pushed < total && n_out % 3 == 0) {
            /* a tie with the event just popped, and one a little later */
            ev.time = out[n_out - 1].time;
            ev.party = pushed++;
            assert_int_equal(sim__radixq_push(&q, &ev), 0);
            ev.time = out[n_out - 1].time + (int64_t)(mpcsim_test_rand64() % 100000);
            ev.party = pushed++;
            assert_int_equal(sim__radixq_push(&q, &ev), 0);
        }
    }
    assert_int_equal(got, 0);
    assert_int_equal(n_out, pushed);
    assert_true(deepest >= 2); /* the cluster made a rung below the first */
    /* An oversized sub-bucket is spread over its true range and one time
     * is taken whole: 4 rungs here, where spreading over the slot's width
     * went 6 bits at a time down to width 1 (5). */
    assert_true(deepest <= 4);
    assert_true(q.run_cap >= SAME); /* the single time was taken whole */
    check_sorted(out, n_out);
    test_free(out);
    sim__radixq_clear(&q);
}

/* The radix heap holds its events in pool blocks that refills recycle:
 * what it allocates stays within a few percent of 24 bytes per pending
 * event (plus the run, its sort buffer and one block per bucket and
 * sub-bucket).  With arrays, a refill's targets were allocated while its
 * source was alive and arrays doubled: about twice that. */
static void
test_queue_radix_memory(void **state)
{
    struct sim__radixq q;
    struct sim__event ev = {0};
    const size_t n = (size_t)1 << 20;
    size_t before, peak;
    int64_t now = 0;

    (void)state;
    sim__radixq_init(&q);
    before = mpcsim_alloc_live();
    mpcsim_alloc_peak_reset();
    for (size_t k = 0; k < n; k++) {
        ev.time = (int64_t)(mpcsim_test_rand64() % 100000000);
        assert_int_equal(sim__radixq_push(&q, &ev), 0);
    }
    /* pop half, pushing one later event for each */
    for (size_t k = 0; k < n / 2; k++) {
        assert_int_equal(sim__radixq_pop(&q, &ev), 1);
        now = ev.time;
        ev.time = now + (int64_t)(mpcsim_test_rand64() % 100000000);
        assert_int_equal(sim__radixq_push(&q, &ev), 0);
    }
    while (sim__radixq_pop(&q, &ev) == 1) {
    }
    peak = mpcsim_alloc_peak() - before;
    assert_true(peak <= n * sizeof(struct sim__event) * 105 / 100 + ((size_t)8 << 20));
    sim__radixq_clear(&q);
}

/* A wave of senders each pushing the same 1000 times in turn (more times
 * than the cache starts with slots): the cache grows, times are grouped,
 * and the radix heap holds a few entries per time (each resize starts every
 * time over), not one per event (a cache that only grew with open groups
 * thrashed here and grouped nothing). */
static void
test_queue_time_wave_groups(void **state)
{
    struct sim__timeq q;
    struct sim__event ev = {0};
    uint64_t seq = 0;
    int64_t last = -1;

    (void)state;
    sim__timeq_init(&q);
    for (int s = 0; s < 50; s++) {
        for (int k = 0; k < 1000; k++) {
            ev.time = k;
            ev.u.id = seq;
            ev.party = (uint32_t)seq++;
            assert_int_equal(sim__timeq_push(&q, &ev), 0);
        }
    }
    assert_true(q.heap.peak <= 10000); /* 7632 here; 50 000 when thrashing */
    for (uint64_t i = 0, last_seq = 0; i < seq; i++) {
        assert_int_equal(sim__timeq_pop(&q, &ev), 1);
        assert_true(ev.time > last || (ev.time == last && ev.u.id > last_seq));
        assert_int_equal(ev.u.id, ev.party);
        last = ev.time;
        last_seq = ev.u.id;
    }
    assert_int_equal(sim__timeq_pop(&q, &ev), 0);
    sim__timeq_clear(&q);
}

/* The grouped queue: a failed push (cache, node chunk, group array or the
 * group heap) changes nothing, and what was pushed pops complete and in
 * order. */
static void
test_queue_time_oom(void **state)
{
    struct sim__timeq q;
    struct sim__event ev = {0};
    size_t ok = 0, popped = 0;
    int64_t last = -1;
    int failures = 0;

    (void)state;
    sim__timeq_init(&q);
    for (int i = 0; i < 3000; i++) {
        int rc;

        ev.time = (i * 7919) % 1500;
        ev.u.id = (uint64_t)i;
        mpcsim_test_fail_alloc_after(i % 5 == 0 ? 0 : -1);
        rc = sim__timeq_push(&q, &ev);
        mpcsim_test_fail_alloc_after(-1);
        failures += rc < 0;
        ok += rc == 0;
    }
    assert_true(failures > 0);
    assert_int_equal(sim__timeq_size(&q), ok);
    for (;;) {
        int got;

        mpcsim_test_fail_alloc_after(popped % 3 == 0 ? 0 : -1);
        got = sim__timeq_pop(&q, &ev);
        mpcsim_test_fail_alloc_after(-1);
        if (got == 0) {
            break;
        }
        if (got < 0) {
            assert_int_equal(got, MPCSIM_ENOMEM);
            popped++;
            continue;
        }
        assert_true(ev.time >= last);
        last = ev.time;
        popped++;
        ok--;
    }
    assert_int_equal(ok, 0);
    sim__timeq_clear(&q);
}

/* Queues that share a chunk cache (a sim_pool's) one after another: the
 * second takes the first's chunks and allocates little more than its
 * chunk list and sorted run, where without the cache it allocated every
 * block again; both pop the same events in the same order. */
static void
test_queue_radix_cache(void **state)
{
    struct sim__chunk_cache cache = {0};
    uint64_t sums[2] = {0, 0};
    size_t grew[2] = {0, 0};

    (void)state;
    for (int pass = 0; pass < 2; pass++) {
        struct sim__radixq q;
        struct sim__event ev = {0};
        size_t before;
        uint64_t seed = 12345;

        sim__radixq_init(&q);
        q.cache = &cache;
        before = mpcsim_alloc_live();
        mpcsim_alloc_peak_reset();
        for (uint32_t k = 0; k < 300000; k++) {
            seed = seed * 6364136223846793005u + 1442695040888963407u;
            ev.time = (int64_t)(seed >> 40);
            ev.party = k;
            assert_int_equal(sim__radixq_push(&q, &ev), 0);
        }
        for (uint64_t k = 0; sim__radixq_pop(&q, &ev) == 1; k++) {
            sums[pass] = sums[pass] * 31 + ev.party + k;
        }
        grew[pass] = mpcsim_alloc_peak() - before;
        sim__radixq_clear(&q);
        assert_ptr_equal(q.cache, &cache);
        assert_true(cache.blocks * SIM__RADIX_BLOCK >= 300000); /* the chunks were kept */
    }
    assert_true(sums[0] == sums[1]);
    assert_true(grew[0] > (size_t)300000 * sizeof(struct sim__event));
    assert_true(grew[1] < ((size_t)4 << 20)); /* the run and its buffer: 3 MiB */
    sim__chunk_cache_clear(&cache);
    assert_int_equal(cache.n, 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_queue_heap_order),
        cmocka_unit_test(test_queue_radix_order),
        cmocka_unit_test(test_queue_ties_fifo),
        cmocka_unit_test(test_queue_oom),
        cmocka_unit_test(test_queue_time_order),
        cmocka_unit_test(test_queue_time_split_groups),
        cmocka_unit_test(test_queue_time_oom),
        cmocka_unit_test(test_queue_time_wave_groups),
        cmocka_unit_test(test_queue_radix_run),
        cmocka_unit_test(test_queue_radix_refill_in_place),
        cmocka_unit_test(test_queue_radix_run_sizes),
        cmocka_unit_test(test_queue_radix_ladder),
        cmocka_unit_test(test_queue_radix_memory),
        cmocka_unit_test(test_queue_radix_cache),
    };

    mpcsim_test_init();
    return cmocka_run_group_tests_name("queue", tests, NULL, NULL);
}
