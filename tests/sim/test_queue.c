/* SPDX-License-Identifier: MIT */
/*
 * tests/sim/test_queue.c - both event queues pop in (time, seq) order,
 * equal times first-in first-out, under interleaved pushes and pops.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sim/queue.h"
#include "tests/support.h"

#define N_EV 20000

/* A reference: check a popped sequence is (time, seq)-sorted. */
static void
check_sorted(const struct sim__event *ev, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        assert_true(sim__event_before(&ev[i - 1], &ev[i]));
    }
}

/* Pushes at random times >= the last pop (few distinct values, so many
 * ties), pops interleaved: the output is sorted and complete. */
static void
run_interleaved(int radix)
{
    struct sim__heapq hq;
    struct sim__radixq rq;
    struct sim__event *out = test_malloc(2 * N_EV * sizeof(*out));
    size_t n_out = 0, pushed = 0;
    uint64_t seq = 0;
    int64_t now = 0;

    sim__heapq_init(&hq);
    sim__radixq_init(&rq);
    while (pushed < N_EV || (radix ? sim__radixq_size(&rq) : sim__heapq_size(&hq)) > 0) {
        int burst = (int)(mpcsim_test_rand64() % 8);

        for (int b = 0; b < burst && pushed < N_EV; b++) {
            struct sim__event ev = {0};

            ev.time =
                now + (int64_t)(mpcsim_test_rand64() % 4) * (int64_t)(mpcsim_test_rand64() % 1000);
            ev.seq = seq++;
            ev.party = (uint32_t)pushed;
            if (radix) {
                assert_int_equal(sim__radixq_push(&rq, &ev), 0);
            } else {
                assert_int_equal(sim__heapq_push(&hq, &ev), 0);
            }
            pushed++;
        }
        for (int b = 0; b < 3; b++) {
            struct sim__event ev;
            int got = radix ? sim__radixq_pop(&rq, &ev) : sim__heapq_pop(&hq, &ev);

            if (got == 0) {
                break;
            }
            assert_int_equal(got, 1);
            assert_true(ev.time >= now);
            now = ev.time;
            out[n_out++] = ev;
        }
    }
    assert_int_equal(n_out, N_EV);
    check_sorted(out, n_out);
    assert_true((radix ? rq.peak : hq.peak) > 0);
    sim__heapq_clear(&hq);
    sim__radixq_clear(&rq);
    test_free(out);
}

static void
test_queue_heap_order(void **state)
{
    (void)state;
    run_interleaved(0);
}

static void
test_queue_radix_order(void **state)
{
    (void)state;
    run_interleaved(1);
}

/* Equal times pop first-in first-out, whatever else is queued. */
static void
test_queue_ties_fifo(void **state)
{
    for (int radix = 0; radix < 2; radix++) {
        struct sim__heapq hq;
        struct sim__radixq rq;
        const int64_t times[] = {5, 3, 5, 5, 3, 9, 5, 0, 3};
        uint64_t last_seq[10];
        int64_t last_t = -1;
        struct sim__event ev;
        int got;

        (void)state;
        sim__heapq_init(&hq);
        sim__radixq_init(&rq);
        for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
            struct sim__event e = {0};

            e.time = times[i];
            e.seq = i;
            assert_int_equal(radix ? sim__radixq_push(&rq, &e) : sim__heapq_push(&hq, &e), 0);
        }
        for (int i = 0; i < 10; i++) {
            last_seq[i] = 0;
        }
        while ((got = radix ? sim__radixq_pop(&rq, &ev) : sim__heapq_pop(&hq, &ev)) == 1) {
            assert_true(ev.time >= last_t);
            if (ev.time == last_t) {
                assert_true(ev.seq > last_seq[ev.time]);
            }
            last_seq[ev.time] = ev.seq;
            last_t = ev.time;
        }
        assert_int_equal(got, 0);
        assert_int_equal(last_t, 9);
        sim__heapq_clear(&hq);
        sim__radixq_clear(&rq);
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
        ev.seq = (uint64_t)i;
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

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_queue_heap_order),
        cmocka_unit_test(test_queue_radix_order),
        cmocka_unit_test(test_queue_ties_fifo),
        cmocka_unit_test(test_queue_oom),
    };

    mpcsim_test_init();
    return cmocka_run_group_tests_name("queue", tests, NULL, NULL);
}
