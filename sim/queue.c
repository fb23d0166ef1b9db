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

/* ---- events grouped by time ---------------------------------------------- */

#define TQ_MIN_GROUPS 64u
#define TQ_MAX_NODES (UINT32_MAX - ((uint32_t)1 << SIM__TQ_CHUNK0_BITS))

/* Node i lives in chunk k = h - CHUNK0_BITS at offset j - 2^h, where
 * j = i + 2^CHUNK0_BITS and 2^h <= j < 2^(h+1). */
static inline struct sim__tq_node *
tq_node(const struct sim__timeq *q, uint32_t i)
{
    uint64_t j = (uint64_t)i + ((uint64_t)1 << SIM__TQ_CHUNK0_BITS);
    unsigned h = 63u - (unsigned)__builtin_clzll(j);

    return &q->chunks[h - SIM__TQ_CHUNK0_BITS][j - ((uint64_t)1 << h)];
}

/* Nodes held by chunks 0 .. k-1. */
static inline uint64_t
tq_nodes_below(uint32_t k)
{
    return ((uint64_t)1 << (SIM__TQ_CHUNK0_BITS + k)) - ((uint64_t)1 << SIM__TQ_CHUNK0_BITS);
}

static inline unsigned
tq_slot(int64_t time)
{
    return (unsigned)(((uint64_t)time * UINT64_C(0x9e3779b97f4a7c15)) >> 52) & (SIM__TQ_CACHE - 1);
}

/* see queue.h */
void
sim__timeq_init(struct sim__timeq *q)
{
    memset(q, 0, sizeof(*q));
    sim__radixq_init(&q->groups_q);
    q->group_free = SIM__TQ_NONE;
    q->node_free = SIM__TQ_NONE;
    q->cur = SIM__TQ_NONE;
}

/* see queue.h */
void
sim__timeq_clear(struct sim__timeq *q)
{
    if (q == NULL) {
        return;
    }
    sim__radixq_clear(&q->groups_q);
    for (uint32_t c = 0; c < q->n_chunks; c++) {
        mpcsim_free(q->chunks[c]);
    }
    mpcsim_free(q->groups);
    mpcsim_free(q->cache);
    sim__timeq_init(q);
}

/* Make sure a node can be taken without allocating: 0, MPCSIM_ENOMEM or
 * MPCSIM_ELIMIT (2^32 nodes pending). */
static int
tq_reserve_node(struct sim__timeq *q)
{
    struct sim__tq_node *chunk;

    if (q->node_free != SIM__TQ_NONE || q->nodes_used < tq_nodes_below(q->n_chunks)) {
        return 0;
    }
    if (q->nodes_used >= TQ_MAX_NODES || q->n_chunks == SIM__TQ_CHUNKS) {
        return MPCSIM_ELIMIT;
    }
    chunk =
        mpcsim_reallocarray(NULL, (size_t)1 << (SIM__TQ_CHUNK0_BITS + q->n_chunks), sizeof(*chunk));
    if (chunk == NULL) {
        return MPCSIM_ENOMEM;
    }
    q->chunks[q->n_chunks++] = chunk;
    return 0;
}

/* Make sure a group can be taken without allocating. */
static int
tq_reserve_group(struct sim__timeq *q)
{
    uint32_t c;
    struct sim__tq_group *g;

    if (q->group_free != SIM__TQ_NONE || q->groups_used < q->groups_cap) {
        return 0;
    }
    if (q->groups_cap >= UINT32_MAX / 2) {
        return MPCSIM_ELIMIT;
    }
    c = q->groups_cap == 0 ? TQ_MIN_GROUPS : 2 * q->groups_cap;
    g = mpcsim_reallocarray(q->groups, c, sizeof(*g));
    if (g == NULL) {
        return MPCSIM_ENOMEM;
    }
    q->groups = g;
    q->groups_cap = c;
    return 0;
}

static void
tq_group_free(struct sim__timeq *q, uint32_t gid)
{
    q->groups[gid].time = -1;
    q->groups[gid].head = q->group_free;
    q->group_free = gid;
}

/* see queue.h */
int
sim__timeq_push(struct sim__timeq *q, const struct sim__event *ev)
{
    struct sim__tq_cache *slot;
    struct sim__tq_node *node;
    struct sim__tq_group *g;
    uint32_t ni, gid;
    int rc;

    MPCSIM_ASSERT(ev->time >= 0);
    if (q->cache == NULL) {
        q->cache = mpcsim_reallocarray(NULL, SIM__TQ_CACHE, sizeof(*q->cache));
        if (q->cache == NULL) {
            return MPCSIM_ENOMEM;
        }
        for (unsigned k = 0; k < SIM__TQ_CACHE; k++) {
            q->cache[k].time = -1;
            q->cache[k].gid = SIM__TQ_NONE;
        }
    }
    rc = tq_reserve_node(q);
    if (rc < 0) {
        return rc;
    }
    slot = &q->cache[tq_slot(ev->time)];
    gid = slot->gid;
    if (slot->time != ev->time || q->groups[gid].time != ev->time) {
        /* A new group for this time: it becomes the time's newest. */
        struct sim__event ge;

        rc = tq_reserve_group(q);
        if (rc < 0) {
            return rc;
        }
        if (q->group_free != SIM__TQ_NONE) {
            gid = q->group_free;
            q->group_free = q->groups[gid].head;
        } else {
            gid = q->groups_used++;
        }
        ge.time = ev->time;
        ge.seq = 0;
        ge.u.id = gid;
        ge.party = 0;
        ge.aux = 0;
        rc = sim__radixq_push(&q->groups_q, &ge);
        if (rc < 0) {
            tq_group_free(q, gid);
            return rc;
        }
        g = &q->groups[gid];
        g->time = ev->time;
        g->head = SIM__TQ_NONE;
        g->tail = SIM__TQ_NONE;
        slot->time = ev->time;
        slot->gid = gid;
    }
    g = &q->groups[gid];
    if (q->node_free != SIM__TQ_NONE) {
        ni = q->node_free;
        q->node_free = tq_node(q, ni)->next;
    } else {
        ni = q->nodes_used++;
    }
    node = tq_node(q, ni);
    node->u.id = ev->u.id;
    node->party = ev->party;
    node->aux = ev->aux;
    node->next = SIM__TQ_NONE;
    node->seq_lo = (uint32_t)ev->seq;
    if (g->head == SIM__TQ_NONE) {
        g->head = ni;
    } else {
        tq_node(q, g->tail)->next = ni;
    }
    g->tail = ni;
    if (++q->size > q->peak) {
        q->peak = q->size;
    }
    return 0;
}

/* see queue.h */
int
sim__timeq_pop(struct sim__timeq *q, struct sim__event *out)
{
    struct sim__tq_group *g;
    struct sim__tq_node *node;
    uint32_t ni;

    if (q->size == 0) {
        return 0;
    }
    while (q->cur == SIM__TQ_NONE || q->groups[q->cur].head == SIM__TQ_NONE) {
        struct sim__event ge;
        int got;

        if (q->cur != SIM__TQ_NONE) {
            tq_group_free(q, q->cur);
            q->cur = SIM__TQ_NONE;
        }
        got = sim__radixq_pop(&q->groups_q, &ge);
        if (got <= 0) {
            MPCSIM_ASSERT(got < 0);
            return got;
        }
        q->cur = (uint32_t)ge.u.id;
    }
    g = &q->groups[q->cur];
    ni = g->head;
    node = tq_node(q, ni);
    out->time = g->time;
    out->seq = node->seq_lo;
    out->u.id = node->u.id;
    out->party = node->party;
    out->aux = node->aux;
    g->head = node->next;
    if (node->next != SIM__TQ_NONE) {
        /* The list is scattered through the pool: fetch the next node, and
         * the payload of the one after, while this event is handled. */
        const struct sim__tq_node *nx = tq_node(q, node->next);

        __builtin_prefetch(nx);
        __builtin_prefetch(nx->u.ptr);
    }
    node->next = q->node_free;
    q->node_free = ni;
    q->size--;
    return 1;
}
