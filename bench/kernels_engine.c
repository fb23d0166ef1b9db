/* SPDX-License-Identifier: MIT */
/*
 * bench/kernels_engine.c - benchmark kernels of the engine module.
 *
 * engine/toy_all_to_all/n=N/LATENCY: one whole trial of the toy protocol
 *     (create, run, destroy) per iteration; an item is one event (a
 *     message delivery), n(n-1) per trial.  The check verifies every
 *     party's output and the event count.
 * huge/toy_all_to_all/n=10000/LATENCY: the same at n = 10 000 (1e8 events,
 *     several GB): not matched by --filter engine; run it with
 *     --filter huge --min-time 0.001.
 * engine/queue/{radix,heap4,time}/...: the event queues of sim/queue.h on
 *     the classic "hold" model (pop one, push one at a later time, with
 *     `pending` events queued) and on a burst (push N random times, then
 *     pop them all, like an all-to-all wave); engine/queue/{radix,time}/
 *     wave/1M: 1000 senders x 1000 messages, sender s's k-th message at
 *     time k (a downlink's serialisation steps: 1000 distinct times, each
 *     repeated 1000 times), the dense-timestamp case sim__timeq groups.
 */
#include "bench/kernels.h"

#include <stdlib.h>

#include "common/alloc.h"
#include "sim/queue.h"
#include "sim/sim.h"

/* ---- whole trials -------------------------------------------------------- */

struct toy_bench {
    int n;
    int lognormal;
    mpcsim_i128 *values;
    const mpcsim_i128 **inputs;
    size_t *input_len;
    int bad;
    struct sim_pool *pool; /* memory kept between trials, as a sweep's worker keeps it */
};

static int
toy_setup(void **state, int n, int lognormal)
{
    struct toy_bench *tb = mpcsim_calloc(1, sizeof(*tb));

    if (tb == NULL) {
        return MPCSIM_ENOMEM;
    }
    tb->n = n;
    tb->lognormal = lognormal;
    tb->values = mpcsim_calloc((size_t)n, sizeof(mpcsim_i128));
    tb->inputs = mpcsim_calloc((size_t)n, sizeof(*tb->inputs));
    tb->input_len = mpcsim_calloc((size_t)n, sizeof(size_t));
    if (tb->values == NULL || tb->inputs == NULL || tb->input_len == NULL ||
        sim_pool_create(&tb->pool) < 0) {
        sim_pool_destroy(tb->pool);
        mpcsim_free(tb->values);
        mpcsim_free(tb->inputs);
        mpcsim_free(tb->input_len);
        mpcsim_free(tb);
        return MPCSIM_ENOMEM;
    }
    for (int i = 0; i < n; i++) {
        tb->values[i] = i + 1;
        tb->inputs[i] = &tb->values[i];
        tb->input_len[i] = 1;
    }
    *state = tb;
    return 0;
}

static void
toy_run(void *state, uint64_t iters)
{
    struct toy_bench *tb = state;

    for (uint64_t it = 0; it < iters; it++) {
        struct sim_config c;
        struct sim *sim = NULL;
        int64_t want = (int64_t)tb->n * (tb->n + 1) / 2;

        sim_config_init(&c, tb->n, 1 + it);
        c.inputs = tb->inputs;
        c.input_len = tb->input_len;
        c.pool = tb->pool;
        if (tb->lognormal) {
            c.net.latency.kind = SIM_LATENCY_LOGNORMAL;
            c.net.latency.median_ms = 10;
            c.net.latency.sigma = 0.5;
        } else {
            c.net.latency.kind = SIM_LATENCY_CONSTANT;
            c.net.latency.ms = 10;
        }
        if (sim_create(&sim, &c, &sim_toy_protocol, NULL) != 0 || sim_run(sim) != 0) {
            tb->bad = 1;
            sim_destroy(sim);
            continue;
        }
        if (sim_metrics(sim)->events != (uint64_t)tb->n * (uint64_t)(tb->n - 1)) {
            tb->bad = 1;
        }
        for (int i = 0; i < tb->n; i++) {
            const struct sim_party_result *r = sim_party_result(sim, i);

            if (!r->has_output || r->output[0] != want) {
                tb->bad = 1;
            }
        }
        bench_keep(sim_metrics(sim)->events);
        sim_destroy(sim);
    }
}

static int
toy_check(void *state)
{
    return ((struct toy_bench *)state)->bad;
}

static void
toy_teardown(void *state)
{
    struct toy_bench *tb = state;

    sim_pool_destroy(tb->pool);
    mpcsim_free(tb->values);
    mpcsim_free(tb->inputs);
    mpcsim_free(tb->input_len);
    mpcsim_free(tb);
}

#define TOY_SETUP(n, logn)                                                                         \
    static int toy_setup_##n##_##logn(void **state)                                                \
    {                                                                                              \
        return toy_setup(state, n, logn);                                                          \
    }
TOY_SETUP(10, 0)
TOY_SETUP(10, 1)
TOY_SETUP(100, 0)
TOY_SETUP(100, 1)
TOY_SETUP(1000, 0)
TOY_SETUP(1000, 1)
TOY_SETUP(10000, 0)
TOY_SETUP(10000, 1)

/* ---- queues ------------------------------------------------------------ */

#define HOLD_OPS 1000

enum { QB_HEAP, QB_RADIX, QB_TIME };

struct queue_bench {
    int radix; /* QB_* */
    size_t pending;
    struct sim__heapq hq;
    struct sim__radixq rq;
    struct sim__timeq tq;
    uint64_t rng, seq;
    int64_t last;
    int bad;
};

static inline uint64_t
xorshift(uint64_t *s)
{
    uint64_t x = *s;

    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

/* A latency-like increment: 1 ms + up to ~60 ms, skewed. */
static inline int64_t
increment(uint64_t *s)
{
    uint64_t r = xorshift(s);

    return 1000000 + (int64_t)((r & 0xffffff) * ((r >> 24) & 3));
}

static int
q_push(struct queue_bench *qb, int64_t t)
{
    struct sim__event ev = {0};

    ev.time = t;
    ev.u.id = qb->seq++;
    switch (qb->radix) {
    case QB_HEAP:
        return sim__heapq_push(&qb->hq, &ev);
    case QB_RADIX:
        return sim__radixq_push(&qb->rq, &ev);
    default:
        return sim__timeq_push(&qb->tq, &ev);
    }
}

static int
q_pop(struct queue_bench *qb, struct sim__event *ev)
{
    switch (qb->radix) {
    case QB_HEAP:
        return sim__heapq_pop(&qb->hq, ev);
    case QB_RADIX:
        return sim__radixq_pop(&qb->rq, ev);
    default:
        return sim__timeq_pop(&qb->tq, ev);
    }
}

static int
queue_setup(void **state, int radix, size_t pending)
{
    struct queue_bench *qb = mpcsim_calloc(1, sizeof(*qb));

    if (qb == NULL) {
        return MPCSIM_ENOMEM;
    }
    qb->radix = radix;
    qb->pending = pending;
    qb->rng = 0x9e3779b97f4a7c15u;
    sim__heapq_init(&qb->hq);
    sim__radixq_init(&qb->rq);
    sim__timeq_init(&qb->tq);
    for (size_t i = 0; i < pending; i++) {
        if (q_push(qb, increment(&qb->rng)) < 0) {
            sim__heapq_clear(&qb->hq);
            sim__radixq_clear(&qb->rq);
            sim__timeq_clear(&qb->tq);
            mpcsim_free(qb);
            return MPCSIM_ENOMEM;
        }
    }
    *state = qb;
    return 0;
}

/* Hold: pop the first event, push one at its time + an increment. */
static void
queue_hold_run(void *state, uint64_t iters)
{
    struct queue_bench *qb = state;
    struct sim__event ev;

    for (uint64_t it = 0; it < iters * HOLD_OPS; it++) {
        if (q_pop(qb, &ev) != 1 || ev.time < qb->last) {
            qb->bad = 1;
            return;
        }
        qb->last = ev.time;
        if (q_push(qb, ev.time + increment(&qb->rng)) < 0) {
            qb->bad = 1;
            return;
        }
    }
}

/* Burst: push `pending` events at now + increment, pop them all. */
static void
queue_burst_run(void *state, uint64_t iters)
{
    struct queue_bench *qb = state;
    struct sim__event ev;

    for (uint64_t it = 0; it < iters; it++) {
        for (size_t i = 0; i < qb->pending; i++) {
            if (q_push(qb, qb->last + increment(&qb->rng)) < 0) {
                qb->bad = 1;
                return;
            }
        }
        for (size_t i = 0; i < qb->pending; i++) {
            if (q_pop(qb, &ev) != 1 || ev.time < qb->last) {
                qb->bad = 1;
                return;
            }
            qb->last = ev.time;
        }
    }
}

static int
queue_check(void *state)
{
    return ((struct queue_bench *)state)->bad;
}

static void
queue_teardown(void *state)
{
    struct queue_bench *qb = state;

    sim__heapq_clear(&qb->hq);
    sim__radixq_clear(&qb->rq);
    sim__timeq_clear(&qb->tq);
    mpcsim_free(qb);
}

#define WAVE_SENDERS 1000
#define WAVE_MSGS 1000

/* Wave: every sender pushes its k-th message at time now + k, then all
 * are popped (pops must come in time order). */
static void
queue_wave_run(void *state, uint64_t iters)
{
    struct queue_bench *qb = state;
    struct sim__event ev;

    for (uint64_t it = 0; it < iters; it++) {
        int64_t base = qb->last + 1;

        for (int s = 0; s < WAVE_SENDERS; s++) {
            for (int k = 0; k < WAVE_MSGS; k++) {
                if (q_push(qb, base + k) < 0) {
                    qb->bad = 1;
                    return;
                }
            }
        }
        for (int i = 0; i < WAVE_SENDERS * WAVE_MSGS; i++) {
            if (q_pop(qb, &ev) != 1 || ev.time < qb->last) {
                qb->bad = 1;
                return;
            }
            qb->last = ev.time;
        }
    }
}

static int
q_radix_hold(void **s)
{
    return queue_setup(s, QB_RADIX, 1000000);
}
static int
q_heap_hold(void **s)
{
    return queue_setup(s, QB_HEAP, 1000000);
}
static int
q_radix_hold_small(void **s)
{
    return queue_setup(s, QB_RADIX, 1000);
}
static int
q_heap_hold_small(void **s)
{
    return queue_setup(s, QB_HEAP, 1000);
}
static int
q_radix_burst(void **s)
{
    int rc = queue_setup(s, QB_RADIX, 0);

    if (rc == 0) {
        ((struct queue_bench *)*s)->pending = 1000000;
    }
    return rc;
}
static int
q_heap_burst(void **s)
{
    int rc = queue_setup(s, QB_HEAP, 0);

    if (rc == 0) {
        ((struct queue_bench *)*s)->pending = 1000000;
    }
    return rc;
}

static int
q_time_hold(void **s)
{
    return queue_setup(s, QB_TIME, 1000000);
}
static int
q_time_burst(void **s)
{
    int rc = queue_setup(s, QB_TIME, 0);

    if (rc == 0) {
        ((struct queue_bench *)*s)->pending = 1000000;
    }
    return rc;
}
static int
q_radix_wave(void **s)
{
    return queue_setup(s, QB_RADIX, 0);
}
static int
q_time_wave(void **s)
{
    return queue_setup(s, QB_TIME, 0);
}

#define TOY(name, n, logn, fixed)                                                                  \
    {                                                                                              \
        name, "event", (double)(n) * ((n)-1), toy_setup_##n##_##logn, toy_run, toy_check,          \
            toy_teardown, fixed                                                                    \
    }

static const struct bench_kernel kernels[] = {
    TOY("engine/toy_all_to_all/n=10/constant", 10, 0, 100),
    TOY("engine/toy_all_to_all/n=10/lognormal", 10, 1, 100),
    TOY("engine/toy_all_to_all/n=100/constant", 100, 0, 10),
    TOY("engine/toy_all_to_all/n=100/lognormal", 100, 1, 10),
    TOY("engine/toy_all_to_all/n=1000/constant", 1000, 0, 1),
    TOY("engine/toy_all_to_all/n=1000/lognormal", 1000, 1, 1),
    TOY("huge/toy_all_to_all/n=10000/constant", 10000, 0, 1),
    TOY("huge/toy_all_to_all/n=10000/lognormal", 10000, 1, 1),
    {"engine/queue/radix/hold/pending=1M", "event", HOLD_OPS, q_radix_hold, queue_hold_run,
     queue_check, queue_teardown, 100},
    {"engine/queue/heap4/hold/pending=1M", "event", HOLD_OPS, q_heap_hold, queue_hold_run,
     queue_check, queue_teardown, 100},
    {"engine/queue/radix/hold/pending=1k", "event", HOLD_OPS, q_radix_hold_small, queue_hold_run,
     queue_check, queue_teardown, 100},
    {"engine/queue/heap4/hold/pending=1k", "event", HOLD_OPS, q_heap_hold_small, queue_hold_run,
     queue_check, queue_teardown, 100},
    {"engine/queue/radix/burst/1M", "event", 1000000, q_radix_burst, queue_burst_run, queue_check,
     queue_teardown, 1},
    {"engine/queue/heap4/burst/1M", "event", 1000000, q_heap_burst, queue_burst_run, queue_check,
     queue_teardown, 1},
    {"engine/queue/time/hold/pending=1M", "event", HOLD_OPS, q_time_hold, queue_hold_run,
     queue_check, queue_teardown, 100},
    {"engine/queue/time/burst/1M", "event", 1000000, q_time_burst, queue_burst_run, queue_check,
     queue_teardown, 1},
    {"engine/queue/radix/wave/1M", "event", WAVE_SENDERS *WAVE_MSGS, q_radix_wave, queue_wave_run,
     queue_check, queue_teardown, 1},
    {"engine/queue/time/wave/1M", "event", WAVE_SENDERS *WAVE_MSGS, q_time_wave, queue_wave_run,
     queue_check, queue_teardown, 1},
};

/* see kernels.h */
const struct bench_kernel *
bench_engine_kernels(size_t *count)
{
    *count = sizeof(kernels) / sizeof(kernels[0]);
    return kernels;
}
