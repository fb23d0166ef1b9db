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
 *   sim__timeq   events grouped by time: each distinct pending time is one
 *                group (a FIFO list of 24-byte nodes in a pool of
 *                doubling chunks, so it grows without copying),
 *                and the radix heap above orders the groups.  A push finds
 *                its time's group through a small direct-mapped cache (a
 *                miss opens a new group for that time; the newest group of
 *                a time is always the one the cache names, so equal times
 *                still pop in seq order).  Dense timestamps (constant
 *                latency, a downlink's serialisation steps, broadcast
 *                waves) then cost the heap one entry per time, not per
 *                event.  Pushes must not be earlier than the last pop.
 *
 * bench/kernels_engine.c measures them ("engine/queue/..."); the engine
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

/* ---- events grouped by time ---------------------------------------------- */

#define SIM__TQ_NONE UINT32_MAX
#define SIM__TQ_CHUNK0_BITS 8 /* the node pool's chunk k holds 2^(8 + k) nodes */
#define SIM__TQ_CHUNKS 25     /* enough for 2^32 nodes */
#define SIM__TQ_CACHE 4096    /* time -> group cache slots */

/* One queued event: 24 bytes (the time is its group's). */
struct sim__tq_node {
    union {
        void *ptr;
        uint64_t id;
    } u;
    uint32_t party;
    uint32_t aux;
    uint32_t next;   /* next node of the group, or the free list's */
    uint32_t seq_lo; /* low 32 bits of the event's seq */
};

/* A pending time: its events, oldest first.  time < 0: the group is free
 * (head links the free list). */
struct sim__tq_group {
    int64_t time;
    uint32_t head, tail;
};

struct sim__tq_cache {
    int64_t time;
    uint32_t gid;
};

struct sim__timeq {
    struct sim__radixq groups_q; /* (time, u.id = group index) */
    struct sim__tq_group *groups;
    uint32_t groups_cap, groups_used, group_free;
    struct sim__tq_node *chunks[SIM__TQ_CHUNKS]; /* doubling, never moved */
    uint32_t n_chunks;
    uint32_t nodes_used, node_free; /* nodes ever handed out; free list */
    struct sim__tq_cache *cache;    /* SIM__TQ_CACHE slots, or NULL */
    uint32_t cur;                   /* the group being popped, or SIM__TQ_NONE */
    size_t size, peak;
};

void sim__timeq_init(struct sim__timeq *q);
void sim__timeq_clear(struct sim__timeq *q); /* frees everything */
/* Add `ev`; ev->time must be >= the last popped time and >= 0.  Fewer than
 * 2^32 events may be pending. */
MPCSIM_NODISCARD int sim__timeq_push(struct sim__timeq *q, const struct sim__event *ev);
/* Remove the first event into *out (out->seq: the low 32 bits of the seq
 * pushed); 1, 0 if empty, or MPCSIM_ENOMEM (queue unchanged). */
int sim__timeq_pop(struct sim__timeq *q, struct sim__event *out);
static inline size_t
sim__timeq_size(const struct sim__timeq *q)
{
    return q->size;
}

#endif /* MPCSIM_SIM_QUEUE_H */
