/* SPDX-License-Identifier: MIT */
/*
 * sim/queue.h - the engine's event queues (internal to sim/ and its bench).
 *
 * An event is a 32-byte record ordered by (time, seq), seq being the
 * engine's global insertion counter, so equal times pop first-in
 * first-out.  Two interchangeable queues hold them, both in flat arrays
 * with no allocation per event:
 *
 *   sim__heapq   a 4-ary min-heap on (time, seq) plus a FIFO "lane" that
 *                takes a run of events sharing one time (the current time,
 *                or the common arrival time of a broadcast wave) without
 *                heap work.  Pushes may be at any time.
 *   sim__radixq  a radix heap (Ahuja et al.) on time: 65 buckets, bucket b
 *                holding times whose highest bit differing from the last
 *                popped time is b-1.  Pushes must not be earlier than the
 *                last pop (a discrete-event simulator's invariant).  Equal
 *                times always share a bucket and every move is a stable
 *                append, so equal times pop in insertion (seq) order and
 *                the order is exactly (time, seq).
 *
 * bench/kernels_engine.c measures both ("engine/queue/..."); the engine
 * uses the one SIM_QUEUE names (see sim/queue.c's comment for figures).
 */
#ifndef MPCSIM_SIM_QUEUE_H
#define MPCSIM_SIM_QUEUE_H

#include <stddef.h>
#include <stdint.h>

#include "common/mpcsim.h"

struct sim__event {
    int64_t time;
    uint64_t seq;
    union {
        void *ptr;
        uint64_t id;
    } u;
    uint32_t party;
    uint32_t aux;
};

/* (a.time, a.seq) < (b.time, b.seq) */
static inline int
sim__event_before(const struct sim__event *a, const struct sim__event *b)
{
    return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

/* ---- 4-ary heap with a FIFO lane ------------------------------------ */

struct sim__heapq {
    struct sim__event *heap; /* heap[0 .. n) */
    size_t n, cap;
    struct sim__event *lane; /* ring: lane[(head + i) & (lane_cap - 1)], i < lane_n */
    size_t lane_head, lane_n, lane_cap;
    int64_t lane_time; /* every lane event has this time */
    size_t peak;       /* most events held at once */
};

void sim__heapq_init(struct sim__heapq *q);
void sim__heapq_clear(struct sim__heapq *q); /* frees the arrays */
/* Add `ev` (seq already set, larger than every seq pushed so far). */
MPCSIM_NODISCARD int sim__heapq_push(struct sim__heapq *q, const struct sim__event *ev);
/* Remove the first event into *out; 0 if the queue is empty, else 1. */
int sim__heapq_pop(struct sim__heapq *q, struct sim__event *out);
static inline size_t
sim__heapq_size(const struct sim__heapq *q)
{
    return q->n + q->lane_n;
}

/* ---- radix heap ------------------------------------------------------- */

#define SIM__RADIX_BUCKETS 65

struct sim__radix_bucket {
    struct sim__event *ev;
    size_t n, cap;
};

struct sim__radixq {
    struct sim__radix_bucket b[SIM__RADIX_BUCKETS];
    size_t head0;  /* bucket 0 is consumed from head0 (FIFO) */
    uint64_t last; /* last popped time */
    size_t size, peak;
};

void sim__radixq_init(struct sim__radixq *q);
void sim__radixq_clear(struct sim__radixq *q);
/* Add `ev`; ev->time must be >= the last popped time and >= 0. */
MPCSIM_NODISCARD int sim__radixq_push(struct sim__radixq *q, const struct sim__event *ev);
int sim__radixq_pop(struct sim__radixq *q, struct sim__event *out);
static inline size_t
sim__radixq_size(const struct sim__radixq *q)
{
    return q->size;
}

#endif /* MPCSIM_SIM_QUEUE_H */
