/* SPDX-License-Identifier: MIT */
/*
 * sim/queue.c - see queue.h.
 *
 * Both queues keep 32-byte events in flat arrays that double when full;
 * nothing is allocated per event.  The 4-ary heap's children of node i are
 * 4i+1 .. 4i+4, so a node's children share a 128-byte span.  The radix
 * heap redistributes a bucket in three passes (minimum, counts, moves) so
 * that it can reserve every target bucket before moving anything: an
 * allocation failure leaves the queue intact.  A bucket emptied by a
 * redistribution gives its memory back when it is large, which bounds the
 * radix heap's slack at about one extra copy of the largest bucket.
 */
#include "sim/queue.h"

#include <string.h>

#include "common/alloc.h"

#define HEAPQ_MIN_CAP 64
#define RADIX_MIN_CAP 16
#define RADIX_KEEP_CAP 4096

static int
grow(struct sim__event **arr, size_t *cap, size_t need)
{
    size_t c = *cap == 0 ? RADIX_MIN_CAP : *cap;
    struct sim__event *p;

    while (c < need) {
        c *= 2;
    }
    p = mpcsim_reallocarray(*arr, c, sizeof(**arr));
    if (p == NULL) {
        return MPCSIM_ENOMEM;
    }
    *arr = p;
    *cap = c;
    return 0;
}

/* ---- 4-ary heap with a FIFO lane ------------------------------------ */

/* see queue.h */
void
sim__heapq_init(struct sim__heapq *q)
{
    memset(q, 0, sizeof(*q));
}

/* see queue.h */
void
sim__heapq_clear(struct sim__heapq *q)
{
    if (q == NULL) {
        return;
    }
    mpcsim_free(q->heap);
    mpcsim_free(q->lane);
    sim__heapq_init(q);
}

static int
lane_grow(struct sim__heapq *q)
{
    size_t nc = q->lane_cap == 0 ? HEAPQ_MIN_CAP : 2 * q->lane_cap;
    struct sim__event *nl = mpcsim_reallocarray(NULL, nc, sizeof(*nl));

    if (nl == NULL) {
        return MPCSIM_ENOMEM;
    }
    for (size_t i = 0; i < q->lane_n; i++) {
        nl[i] = q->lane[(q->lane_head + i) & (q->lane_cap - 1)];
    }
    mpcsim_free(q->lane);
    q->lane = nl;
    q->lane_cap = nc;
    q->lane_head = 0;
    return 0;
}

/* see queue.h */
int
sim__heapq_push(struct sim__heapq *q, const struct sim__event *ev)
{
    size_t i;

    /* The lane takes a run of equal times: its events stay in seq order. */
    if (q->lane_n == 0 || ev->time == q->lane_time) {
        if (q->lane_n == q->lane_cap && lane_grow(q) < 0) {
            return MPCSIM_ENOMEM;
        }
        q->lane[(q->lane_head + q->lane_n) & (q->lane_cap - 1)] = *ev;
        q->lane_n++;
        q->lane_time = ev->time;
        goto out;
    }
    if (q->n == q->cap) {
        size_t c = q->cap < HEAPQ_MIN_CAP ? HEAPQ_MIN_CAP : q->cap;

        if (grow(&q->heap, &c, q->n + 1) < 0) {
            return MPCSIM_ENOMEM;
        }
        q->cap = c;
    }
    i = q->n++;
    while (i > 0) {
        size_t parent = (i - 1) / 4;

        if (!sim__event_before(ev, &q->heap[parent])) {
            break;
        }
        q->heap[i] = q->heap[parent];
        i = parent;
    }
    q->heap[i] = *ev;
out:
    if (q->n + q->lane_n > q->peak) {
        q->peak = q->n + q->lane_n;
    }
    return 0;
}

static void
heap_pop_top(struct sim__heapq *q, struct sim__event *out)
{
    struct sim__event last;
    size_t i = 0, n;

    *out = q->heap[0];
    n = --q->n;
    if (n == 0) {
        return;
    }
    last = q->heap[n];
    for (;;) {
        size_t c = 4 * i + 1, best, end;

        if (c >= n) {
            break;
        }
        best = c;
        end = c + 4 < n ? c + 4 : n;
        for (size_t k = c + 1; k < end; k++) {
            if (sim__event_before(&q->heap[k], &q->heap[best])) {
                best = k;
            }
        }
        if (!sim__event_before(&q->heap[best], &last)) {
            break;
        }
        q->heap[i] = q->heap[best];
        i = best;
    }
    q->heap[i] = last;
}

/* see queue.h */
int
sim__heapq_pop(struct sim__heapq *q, struct sim__event *out)
{
    if (q->lane_n > 0) {
        struct sim__event *h = &q->lane[q->lane_head];

        if (q->n == 0 || sim__event_before(h, &q->heap[0])) {
            *out = *h;
            q->lane_head = (q->lane_head + 1) & (q->lane_cap - 1);
            q->lane_n--;
            return 1;
        }
    }
    if (q->n == 0) {
        return 0;
    }
    heap_pop_top(q, out);
    return 1;
}

/* ---- radix heap ------------------------------------------------------- */

static inline unsigned
radix_bucket(uint64_t key, uint64_t last)
{
    uint64_t x = key ^ last;

    return x == 0 ? 0u : 64u - (unsigned)__builtin_clzll(x);
}

/* see queue.h */
void
sim__radixq_init(struct sim__radixq *q)
{
    memset(q, 0, sizeof(*q));
}

/* see queue.h */
void
sim__radixq_clear(struct sim__radixq *q)
{
    if (q == NULL) {
        return;
    }
    for (int b = 0; b < SIM__RADIX_BUCKETS; b++) {
        mpcsim_free(q->b[b].ev);
    }
    sim__radixq_init(q);
}

/* see queue.h */
int
sim__radixq_push(struct sim__radixq *q, const struct sim__event *ev)
{
    uint64_t key = (uint64_t)ev->time;
    struct sim__radix_bucket *b;

    MPCSIM_ASSERT(ev->time >= 0 && key >= q->last);
    b = &q->b[radix_bucket(key, q->last)];
    if (b->n == b->cap && grow(&b->ev, &b->cap, b->n + 1) < 0) {
        return MPCSIM_ENOMEM;
    }
    b->ev[b->n++] = *ev;
    if (++q->size > q->peak) {
        q->peak = q->size;
    }
    return 0;
}

/* Refill bucket 0 from the lowest non-empty bucket.  0 or MPCSIM_ENOMEM. */
static int
radix_refill(struct sim__radixq *q)
{
    size_t count[SIM__RADIX_BUCKETS] = {0};
    struct sim__radix_bucket *src;
    uint64_t min;
    int i = 1;

    while (q->b[i].n == 0) {
        i++;
    }
    src = &q->b[i];
    min = (uint64_t)src->ev[0].time;
    for (size_t k = 1; k < src->n; k++) {
        uint64_t t = (uint64_t)src->ev[k].time;

        min = t < min ? t : min;
    }
    for (size_t k = 0; k < src->n; k++) {
        count[radix_bucket((uint64_t)src->ev[k].time, min)]++;
    }
    if (count[0] == src->n) {
        /* All at one time (a broadcast wave): the bucket becomes bucket 0. */
        struct sim__radix_bucket tmp = q->b[0];

        q->b[0] = *src;
        *src = tmp;
        q->last = min;
        return 0;
    }
    for (int b = 0; b < i; b++) {
        if (count[b] > q->b[b].cap && grow(&q->b[b].ev, &q->b[b].cap, count[b]) < 0) {
            return MPCSIM_ENOMEM;
        }
    }
    q->last = min;
    for (size_t k = 0; k < src->n; k++) {
        struct sim__radix_bucket *dst = &q->b[radix_bucket((uint64_t)src->ev[k].time, min)];

        dst->ev[dst->n++] = src->ev[k];
    }
    src->n = 0;
    if (src->cap > RADIX_KEEP_CAP) {
        mpcsim_free(src->ev);
        src->ev = NULL;
        src->cap = 0;
    }
    return 0;
}

/* see queue.h; returns MPCSIM_ENOMEM (queue unchanged) if a refill fails. */
int
sim__radixq_pop(struct sim__radixq *q, struct sim__event *out)
{
    struct sim__radix_bucket *b0 = &q->b[0];

    if (q->head0 == b0->n) {
        b0->n = 0;
        q->head0 = 0;
        if (q->size == 0) {
            return 0;
        }
        if (radix_refill(q) < 0) {
            return MPCSIM_ENOMEM;
        }
    }
    *out = b0->ev[q->head0++];
    q->size--;
    return 1;
}
