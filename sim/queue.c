/* SPDX-License-Identifier: MIT */
/*
 * sim/queue.c - see queue.h.
 *
 * The queues keep 24-byte events (the 4-ary heap 32-byte entries) in flat
 * arrays that double when full; nothing is allocated per event.  The 4-ary
 * heap's children of node i are 4i+1 .. 4i+4, so a node's children share a
 * 128-byte span.  The radix
 * heap redistributes a bucket in two passes (counts, moves) so that it can
 * reserve every target bucket before moving anything: an allocation
 * failure leaves the queue intact; each bucket's minimum is kept by the
 * pushes.  A bucket emptied by a redistribution gives its memory back when
 * it is large, which bounds the radix heap's slack at about one extra copy
 * of the largest bucket (plus the sorted run and its sort buffer, 1.5 MiB
 * each, allocated at the first sort).
 */
#define _DEFAULT_SOURCE /* madvise's MADV_HUGEPAGE */
#include "sim/queue.h"

#include <string.h>
#include <sys/mman.h>

#include "common/alloc.h"

#define HEAPQ_MIN_CAP 64
#define RADIX_MIN_CAP 16
#define RADIX_KEEP_CAP 4096

/* see queue.h */
void
sim__pool_advise(void *p, size_t len)
{
#ifdef MADV_HUGEPAGE
    const uintptr_t huge = (uintptr_t)2 << 20;
    uintptr_t lo = ((uintptr_t)p + huge - 1) & ~(huge - 1);
    uintptr_t hi = ((uintptr_t)p + len) & ~(huge - 1);

    if (len >= SIM__POOL_HUGE_MIN && hi > lo) {
        (void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE); /* advice only */
    }
#else
    (void)p;
    (void)len;
#endif
}

/* Grow the array *arr of `size`-byte elements to hold `need` (doubling
 * from *cap, or RADIX_MIN_CAP).  0 or MPCSIM_ENOMEM (*arr unchanged). */
static int
grow_array(void **arr, size_t *cap, size_t need, size_t size)
{
    size_t c = *cap == 0 ? RADIX_MIN_CAP : *cap;
    void *p;

    while (c < need) {
        c *= 2;
    }
    p = mpcsim_reallocarray(*arr, c, size);
    if (p == NULL) {
        return MPCSIM_ENOMEM;
    }
    *arr = p;
    *cap = c;
    /* No huge-page advice here: advising the 2 MiB-aligned interior of
     * the mapping splits it, and glibc's realloc then cannot mremap it
     * (EFAULT): every doubling was copied into fresh pages instead. */
    return 0;
}

static int
grow(struct sim__event **arr, size_t *cap, size_t need)
{
    void *p = *arr;
    int rc = grow_array(&p, cap, need, sizeof(**arr));

    *arr = p;
    return rc;
}

/* (a.time, a.seq) < (b.time, b.seq) */
static inline int
heapq_before(const struct sim__heapq_entry *a, const struct sim__heapq_entry *b)
{
    return a->ev.time < b->ev.time || (a->ev.time == b->ev.time && a->seq < b->seq);
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
    struct sim__heapq_entry *nl = mpcsim_reallocarray(NULL, nc, sizeof(*nl));

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
    struct sim__heapq_entry e = {*ev, q->seq++};
    size_t i;

    /* The lane takes a run of equal times: its events stay in seq order. */
    if (q->lane_n == 0 || ev->time == q->lane_time) {
        if (q->lane_n == q->lane_cap && lane_grow(q) < 0) {
            return MPCSIM_ENOMEM;
        }
        q->lane[(q->lane_head + q->lane_n) & (q->lane_cap - 1)] = e;
        q->lane_n++;
        q->lane_time = ev->time;
        goto out;
    }
    if (q->n == q->cap) {
        size_t c = q->cap < HEAPQ_MIN_CAP ? HEAPQ_MIN_CAP : q->cap;
        void *h = q->heap;

        if (grow_array(&h, &c, q->n + 1, sizeof(*q->heap)) < 0) {
            return MPCSIM_ENOMEM;
        }
        q->heap = h;
        q->cap = c;
    }
    i = q->n++;
    while (i > 0) {
        size_t parent = (i - 1) / 4;

        if (!heapq_before(&e, &q->heap[parent])) {
            break;
        }
        q->heap[i] = q->heap[parent];
        i = parent;
    }
    q->heap[i] = e;
out:
    if (q->n + q->lane_n > q->peak) {
        q->peak = q->n + q->lane_n;
    }
    return 0;
}

static void
heap_pop_top(struct sim__heapq *q, struct sim__event *out)
{
    struct sim__heapq_entry last;
    size_t i = 0, n;

    *out = q->heap[0].ev;
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
            if (heapq_before(&q->heap[k], &q->heap[best])) {
                best = k;
            }
        }
        if (!heapq_before(&q->heap[best], &last)) {
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
        const struct sim__heapq_entry *h = &q->lane[q->lane_head];

        if (q->n == 0 || heapq_before(h, &q->heap[0])) {
            *out = h->ev;
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
    mpcsim_free(q->run);
    mpcsim_free(q->tmp);
    sim__radixq_init(q);
}

/* see queue.h */
int
sim__radixq_push(struct sim__radixq *q, const struct sim__event *ev)
{
    uint64_t key = (uint64_t)ev->time;
    unsigned bi;
    struct sim__radix_bucket *b;

    MPCSIM_ASSERT(ev->time >= 0 && key >= q->last);
    bi = radix_bucket(key, q->last);
    b = &q->b[bi];
    if (b->n == b->cap && grow(&b->ev, &b->cap, b->n + 1) < 0) {
        return MPCSIM_ENOMEM;
    }
    if (b->n == 0 || key < b->min) {
        b->min = key;
    }
    b->ev[b->n++] = *ev;
    q->nonempty |= (uint64_t)1 << bi;
    if (++q->size > q->peak) {
        q->peak = q->size;
    }
    return 0;
}

#define RUN_DIGIT 11
#define RUN_INSERTION_MAX 128 /* runs this short are insertion-sorted */

/*
 * Sort bucket src (n events, times in [min, min + 2^bits)) by time into
 * q->run, stably, and empty it: LSD radix sort on time - min, 11-bit
 * digits, ping-ponging between run and tmp (digits every event shares are
 * skipped).  0, or MPCSIM_ENOMEM with nothing changed.
 */
static int
radix_sort_run(struct sim__radixq *q, struct sim__radix_bucket *src, unsigned bits)
{
    const size_t n = src->n;
    const uint64_t min = src->min;
    struct sim__event *from = src->ev, *to;
    size_t count[(size_t)1 << RUN_DIGIT];

    if (q->run == NULL) {
        q->run = mpcsim_reallocarray(NULL, SIM__RADIX_RUN_MAX, sizeof(*q->run));
        q->tmp = mpcsim_reallocarray(NULL, SIM__RADIX_RUN_MAX, sizeof(*q->tmp));
        if (q->run == NULL || q->tmp == NULL) {
            mpcsim_free(q->run);
            mpcsim_free(q->tmp);
            q->run = q->tmp = NULL;
            return MPCSIM_ENOMEM;
        }
    }
    to = q->run;
    if (n <= RUN_INSERTION_MAX) {
        /* Few events: a stable insertion sort beats 2^11-entry count passes. */
        for (size_t k = 0; k < n; k++) {
            struct sim__event e = from[k];
            size_t j = k;

            while (j > 0 && to[j - 1].time > e.time) {
                to[j] = to[j - 1];
                j--;
            }
            to[j] = e;
        }
        from = to;
        bits = 0; /* skip the radix passes */
    }
    for (unsigned shift = 0; shift < bits; shift += RUN_DIGIT) {
        const uint64_t mask = ((uint64_t)1 << RUN_DIGIT) - 1;
        size_t sum = 0;
        int skip = 0;

        memset(count, 0, sizeof(count));
        for (size_t k = 0; k < n; k++) {
            count[(((uint64_t)from[k].time - min) >> shift) & mask]++;
        }
        for (size_t d = 0; d <= mask; d++) {
            size_t c = count[d];

            skip |= c == n;
            count[d] = sum;
            sum += c;
        }
        if (skip) {
            continue; /* every event has this digit: the order stands */
        }
        for (size_t k = 0; k < n; k++) {
            to[count[(((uint64_t)from[k].time - min) >> shift) & mask]++] = from[k];
        }
        from = to;
        to = from == q->run ? q->tmp : q->run;
    }
    if (from != q->run) {
        memcpy(q->run, from, n * sizeof(*from));
    }
    q->run_head = 0;
    q->run_n = n;
    src->n = 0;
    q->nonempty &= ~((uint64_t)1 << (unsigned)(src - q->b));
    return 0;
}

/*
 * Bucket 0 is empty: bring the next events forward from the lowest
 * non-empty bucket i (buckets 0 .. i-1 are then empty).  A bucket of
 * RUN_MIN ... RUN_MAX events becomes the sorted run when the run is empty
 * (returns 1); otherwise it is redistributed into buckets 0 .. i-1 (one
 * pass to count each target's events, so that every target is reserved
 * before anything moves and an allocation failure leaves the queue
 * intact, one to move them).  The target that gets the most events keeps
 * bucket i's array: its events are compacted to the front in place (the
 * write index never passes the read index, and order is kept), so a
 * refill needs fresh memory for the other targets only, not for all of
 * bucket i again (robust Shamir at n = 5000 had an 805 MB array and its
 * copy alive at once).  0, 1 or MPCSIM_ENOMEM.
 */
static int
radix_refill(struct sim__radixq *q)
{
    size_t count[SIM__RADIX_BUCKETS] = {0}, w = 0;
    struct sim__radix_bucket *src;
    uint64_t min, bmin = UINT64_MAX;
    unsigned i, big = 0;

    MPCSIM_ASSERT((q->nonempty & ~(uint64_t)1) != 0);
    i = (unsigned)__builtin_ctzll(q->nonempty & ~(uint64_t)1);
    src = &q->b[i];
    min = src->min;
    if (q->run_head == q->run_n && src->n >= SIM__RADIX_RUN_MIN && src->n <= SIM__RADIX_RUN_MAX &&
        radix_sort_run(q, src, i) == 0) {
        return 1; /* (a failed sort is only a missed optimisation) */
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
        q->nonempty = (q->nonempty & ~((uint64_t)1 << i)) | 1u;
        return 0;
    }
    for (unsigned b = 0; b < i; b++) {
        big = count[b] > count[big] ? b : big;
    }
    for (unsigned b = 0; b < i; b++) {
        if (b != big && count[b] > q->b[b].cap && grow(&q->b[b].ev, &q->b[b].cap, count[b]) < 0) {
            return MPCSIM_ENOMEM;
        }
    }
    q->last = min;
    for (size_t k = 0; k < src->n; k++) {
        uint64_t t = (uint64_t)src->ev[k].time;
        unsigned bi = radix_bucket(t, min);
        struct sim__radix_bucket *dst = &q->b[bi];

        if (bi == big) {
            bmin = t < bmin ? t : bmin;
            src->ev[w++] = src->ev[k]; /* w <= k */
            continue;
        }
        if (dst->n == 0 || t < dst->min) {
            dst->min = t;
        }
        dst->ev[dst->n++] = src->ev[k];
        q->nonempty |= (uint64_t)1 << bi;
    }
    MPCSIM_ASSERT(w == count[big] && w > 0 && q->b[big].n == 0);
    {
        /* bucket big takes src's array (its w events, in push order) */
        struct sim__event *ev = q->b[big].ev;
        size_t cap = q->b[big].cap;
        q->b[big].ev = src->ev;
        q->b[big].cap = src->cap;
        q->b[big].n = w;
        q->b[big].min = bmin;
        q->nonempty |= (uint64_t)1 << big;
        src->ev = ev;
        src->cap = cap;
    }
    src->n = 0;
    q->nonempty &= ~((uint64_t)1 << i);
    if (src->cap > RADIX_KEEP_CAP) {
        mpcsim_free(src->ev);
        src->ev = NULL;
        src->cap = 0;
    }
    return 0;
}

/* The next run event, with the prefetch of one a few pops ahead. */
static inline void
radix_run_pop(struct sim__radixq *q, struct sim__event *out)
{
    size_t h = q->run_head++;

    if (h + SIM__RADIX_PREFETCH < q->run_n) {
        __builtin_prefetch(q->run[h + SIM__RADIX_PREFETCH].u.ptr);
    }
    *out = q->run[h];
    q->size--;
}

/* see queue.h; returns MPCSIM_ENOMEM (queue unchanged) if a refill fails. */
int
sim__radixq_pop(struct sim__radixq *q, struct sim__event *out)
{
    struct sim__radix_bucket *b0 = &q->b[0];

    for (;;) {
        uint64_t rest = q->nonempty & ~(uint64_t)1;
        int rc;

        if (q->run_head < q->run_n) {
            /* The run goes first unless a bucket holds an earlier time
             * (bucket 0's events are at `last`, the others' at their min). */
            uint64_t t = (uint64_t)q->run[q->run_head].time;

            if (!((q->head0 < b0->n && (uint64_t)b0->ev[q->head0].time < t) ||
                  (q->head0 == b0->n && rest != 0 && q->b[__builtin_ctzll(rest)].min < t))) {
                radix_run_pop(q, out);
                return 1;
            }
        }
        if (q->head0 < b0->n) {
            *out = b0->ev[q->head0++];
            if (q->head0 == b0->n) {
                b0->n = 0;
                q->head0 = 0;
                q->nonempty &= ~(uint64_t)1;
            }
            q->size--;
            return 1;
        }
        if (q->size == 0) {
            return 0;
        }
        rc = radix_refill(q);
        if (rc < 0) {
            return MPCSIM_ENOMEM;
        }
    }
}

/* ---- events grouped by time ---------------------------------------------- */

#define TQ_MIN_GROUPS 64u
#define TQ_MAX_BLOCKS (UINT32_MAX - ((uint32_t)1 << SIM__TQ_CHUNK0_BITS))

/* Blocks held by chunks 0 .. k-1. */
static inline uint64_t
tq_blocks_below(uint32_t k)
{
    return ((uint64_t)1 << (SIM__TQ_CHUNK0_BITS + k)) - ((uint64_t)1 << SIM__TQ_CHUNK0_BITS);
}

/* see queue.h */
void
sim__timeq_init(struct sim__timeq *q)
{
    memset(q, 0, sizeof(*q));
    sim__radixq_init(&q->heap);
    q->group_free = SIM__TQ_NONE;
    q->block_free = SIM__TQ_NONE;
    q->cur = SIM__TQ_NONE;
}

/* see queue.h */
void
sim__timeq_clear(struct sim__timeq *q)
{
    if (q == NULL) {
        return;
    }
    sim__radixq_clear(&q->heap);
    for (uint32_t c = 0; c < q->n_chunks; c++) {
        mpcsim_free(q->chunks[c]);
    }
    mpcsim_free(q->groups);
    mpcsim_free(q->cache);
    sim__timeq_init(q);
}

/* Make sure a block can be taken without allocating: 0, MPCSIM_ENOMEM or
 * MPCSIM_ELIMIT. */
static int
tq_reserve_block(struct sim__timeq *q)
{
    struct sim__tq_block *chunk;

    if (q->block_free != SIM__TQ_NONE || q->blocks_used < tq_blocks_below(q->n_chunks)) {
        return 0;
    }
    if (q->blocks_used >= TQ_MAX_BLOCKS || q->n_chunks == SIM__TQ_CHUNKS) {
        return MPCSIM_ELIMIT;
    }
    chunk =
        mpcsim_reallocarray(NULL, (size_t)1 << (SIM__TQ_CHUNK0_BITS + q->n_chunks), sizeof(*chunk));
    if (chunk == NULL) {
        return MPCSIM_ENOMEM;
    }
    sim__pool_advise(chunk, sizeof(*chunk) << (SIM__TQ_CHUNK0_BITS + q->n_chunks));
    q->chunks[q->n_chunks++] = chunk;
    return 0;
}

/* A reserved block, empty. */
static uint32_t
tq_take_block(struct sim__timeq *q)
{
    uint32_t bi;
    struct sim__tq_block *b;

    if (q->block_free != SIM__TQ_NONE) {
        bi = q->block_free;
        b = sim__tq_block_at(q, bi);
        q->block_free = b->next;
    } else {
        bi = q->blocks_used++;
        b = sim__tq_block_at(q, bi);
    }
    b->next = SIM__TQ_NONE;
    return bi;
}

static void
tq_free_block(struct sim__timeq *q, uint32_t bi)
{
    sim__tq_block_at(q, bi)->next = q->block_free;
    q->block_free = bi;
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
    struct sim__tq_group *g = &q->groups[gid];

    if (g->head != SIM__TQ_NONE) {
        tq_free_block(q, g->head); /* the last, emptied block */
    }
    g->time = -1;
    g->head = q->group_free;
    q->group_free = gid;
    q->groups_live--;
}

/* A cache of 2^bits empty slots in place of the old one (whose entries
 * are dropped: a time it no longer finds starts over, which keeps the
 * order).  0 or MPCSIM_ENOMEM (nothing changed). */
static int
tq_cache_resize(struct sim__timeq *q, unsigned bits)
{
    struct sim__tq_cache *c = mpcsim_reallocarray(NULL, (size_t)1 << bits, sizeof(*c));

    if (c == NULL) {
        return MPCSIM_ENOMEM;
    }
    for (size_t k = 0; k < (size_t)1 << bits; k++) {
        c[k].time = -1;
        c[k].gid = SIM__TQ_NONE;
    }
    mpcsim_free(q->cache);
    q->cache = c;
    q->cache_bits = bits;
    return 0;
}

/* Open a group for slot's time (a plain entry at that time precedes it):
 * its marker goes into the heap.  0 or an error (nothing changed). */
static int
tq_open_group(struct sim__timeq *q, struct sim__tq_cache *slot)
{
    struct sim__event m;
    struct sim__tq_group *g;
    uint32_t gid;
    int rc = tq_reserve_group(q);

    if (rc < 0) {
        return rc;
    }
    if (q->group_free != SIM__TQ_NONE) {
        gid = q->group_free;
        q->group_free = q->groups[gid].head;
    } else {
        gid = q->groups_used++;
    }
    m.time = slot->time;
    m.u.id = gid;
    m.party = 0;
    m.aux = SIM__TQ_MARKER;
    rc = sim__radixq_push(&q->heap, &m);
    if (rc < 0) {
        q->groups[gid].time = -1;
        q->groups[gid].head = q->group_free;
        q->group_free = gid;
        return rc;
    }
    g = &q->groups[gid];
    g->time = slot->time;
    g->head = tq_take_block(q);
    g->tail = g->head;
    g->off = 0;
    g->tail_n = 0;
    slot->gid = gid;
    q->groups_live++;
    return 0;
}

/* see queue.h */
void
sim__timeq_set_grouping(struct sim__timeq *q, int on)
{
    MPCSIM_ASSERT(q->size == 0 && q->cur == SIM__TQ_NONE);
    q->plain = !on;
}

/* see queue.h (sim__timeq_push's full path) */
int
sim__timeq_push_slow(struct sim__timeq *q, const struct sim__event *ev)
{
    struct sim__tq_cache *slot;
    struct sim__tq_group *g;
    struct sim__tq_block *b;
    int rc;

    MPCSIM_ASSERT(ev->time >= 0 && ev->aux != SIM__TQ_MARKER && !q->plain);
    if (q->cache == NULL && tq_cache_resize(q, SIM__TQ_CACHE_BITS_MIN) < 0) {
        return MPCSIM_ENOMEM;
    }
    if ((q->groups_live > (1u << q->cache_bits) / 4 || q->evictions > (1u << q->cache_bits)) &&
        q->cache_bits < SIM__TQ_CACHE_BITS_MAX) {
        /* Crowded or thrashing (more slots taken over than it has). */
        if (tq_cache_resize(q, q->cache_bits + 1) == 0) { /* an optimisation: may fail */
            q->evictions = 0;
        }
    }
    slot = &q->cache[sim__tq_slot(ev->time, q->cache_bits)];
    if (slot->time != ev->time ||
        (slot->gid != SIM__TQ_NONE && q->groups[slot->gid].time != ev->time)) {
        /* First at this time (as far as the cache knows): a plain entry. */
        rc = sim__radixq_push(&q->heap, ev);
        if (rc < 0) {
            return rc;
        }
        q->evictions += slot->time >= 0 && slot->time != ev->time;
        slot->time = ev->time;
        slot->gid = SIM__TQ_NONE;
        goto out;
    }
    /* A block for the event, and a group if the time has none yet. */
    rc = tq_reserve_block(q);
    if (rc < 0) {
        return rc;
    }
    if (slot->gid == SIM__TQ_NONE) {
        /* Its first block is the one just reserved, and the event fits. */
        rc = tq_open_group(q, slot);
        if (rc < 0) {
            return rc;
        }
    }
    g = &q->groups[slot->gid];
    b = sim__tq_block_at(q, g->tail);
    if (g->tail_n == SIM__TQ_BLOCK) {
        uint32_t bi = tq_take_block(q);

        b->next = bi;
        g->tail = bi;
        g->tail_n = 0;
        b = sim__tq_block_at(q, bi);
    }
    b->ev[g->tail_n].u.id = ev->u.id;
    b->ev[g->tail_n].party = ev->party;
    b->ev[g->tail_n].aux = ev->aux;
    g->tail_n++;
out:
    if (++q->size > q->peak) {
        q->peak = q->size;
    }
    return 0;
}

/* see queue.h (sim__timeq_pop's full path) */
int
sim__timeq_pop_slow(struct sim__timeq *q, struct sim__event *out)
{
    struct sim__tq_group *g;
    struct sim__tq_block *b;

    if (q->size == 0) {
        return 0;
    }
    for (;;) {
        int got;

        if (q->cur != SIM__TQ_NONE) {
            g = &q->groups[q->cur];
            b = sim__tq_block_at(q, g->head);
            if (g->off == SIM__TQ_BLOCK && g->head != g->tail) {
                uint32_t next = b->next;

                tq_free_block(q, g->head);
                g->head = next;
                g->off = 0;
                b = sim__tq_block_at(q, next);
            }
            if (g->off < sim__tq_head_n(g)) {
                break;
            }
            /* Empty (its last block stays until the group closes): while it
             * is the current group, pushes at its time may still join it. */
            tq_group_free(q, q->cur);
            q->cur = SIM__TQ_NONE;
        }
        got = sim__radixq_pop(&q->heap, out);
        if (got <= 0) {
            MPCSIM_ASSERT(got < 0);
            return got;
        }
        if (out->aux != SIM__TQ_MARKER) {
            q->size--;
            return 1;
        }
        q->cur = (uint32_t)out->u.id;
    }
    out->time = g->time;
    out->u.id = b->ev[g->off].u.id;
    out->party = b->ev[g->off].party;
    out->aux = b->ev[g->off].aux;
    g->off++;
    q->size--;
    return 1;
}
