/* SPDX-License-Identifier: MIT */
/*
 * sim/queue.c - see queue.h.
 *
 * The 4-ary heap keeps 32-byte entries in a flat array that doubles when
 * full; its children of node i are 4i+1 .. 4i+4, so a node's children
 * share a 128-byte span.  The radix heap keeps 24-byte events in chains of
 * 4 KiB blocks from a pool of chunks (a quarter of the pool, 64 KiB to
 * 4 MiB, never moved), and the grouped queue its groups' events in 248-byte
 * blocks: nothing is allocated per event.  A radix refill or a rung's
 * spread reserves the blocks it may need before it moves anything (one per
 * target: the blocks it empties go back to the pool as it goes), so an
 * allocation failure leaves the queue intact; each bucket's minimum and
 * maximum are kept by the appends.  The radix heap's slack is a partly
 * filled block per bucket and sub-bucket in use, plus the sorted run and
 * its sort buffer (1.5 MiB each, allocated at the first sort).
 */
#define _DEFAULT_SOURCE /* madvise's MADV_HUGEPAGE */
#include "sim/queue.h"

#include <string.h>
#include <sys/mman.h>

#include "common/alloc.h"

#define HEAPQ_MIN_CAP 64
#define ARRAY_MIN_CAP 16

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
 * from *cap, or ARRAY_MIN_CAP).  0 or MPCSIM_ENOMEM (*arr unchanged). */
static int
grow_array(void **arr, size_t *cap, size_t need, size_t size)
{
    size_t c = *cap == 0 ? ARRAY_MIN_CAP : *cap;
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

#define RADIX_CHUNK_MIN 16    /* a pool chunk: 16 blocks (64 KiB), or a quarter ... */
#define RADIX_CHUNK_MAX 1024  /* ... of the pool, up to 1024 (4 MiB) */
#define RUN_DIGIT 11          /* the run's sort: digits of at most 11 bits */
#define RUN_INSERTION_MAX 128 /* runs this short are insertion-sorted */
#define RUNG_TARGET 4096      /* a rung aims at this many events per sub-bucket */

static inline unsigned
radix_bucket(uint64_t key, uint64_t last)
{
    uint64_t x = key ^ last;

    return x == 0 ? 0u : 64u - (unsigned)__builtin_clzll(x);
}

/* An empty chain without blocks. */
static inline void
chain_reset(struct sim__radix_chain *c)
{
    c->head = c->tail = NULL;
    c->n = 0;
    c->head_off = 0;
    c->tail_n = SIM__RADIX_BLOCK;
}

/* see queue.h */
void
sim__radixq_init(struct sim__radixq *q)
{
    memset(q, 0, sizeof(*q));
    for (int b = 0; b < SIM__RADIX_BUCKETS; b++) {
        chain_reset(&q->b[b]);
    }
}

/* see queue.h */
void
sim__chunk_cache_clear(struct sim__chunk_cache *cc)
{
    for (size_t k = 0; k < cc->n; k++) {
        mpcsim_free(cc->c[k].blocks);
    }
    mpcsim_free(cc->c);
    memset(cc, 0, sizeof(*cc));
}

/* Keep chunk ch in cache cc (or free it when the cache cannot grow). */
static void
cache_put(struct sim__chunk_cache *cc, struct sim__chunk ch)
{
    void *c = cc->c;

    if (cc->n == cc->cap && grow_array(&c, &cc->cap, cc->n + 1, sizeof(*cc->c)) < 0) {
        mpcsim_free(ch.blocks);
        return;
    }
    cc->c = c;
    cc->c[cc->n++] = ch;
    cc->blocks += ch.n;
}

/* see queue.h */
void
sim__radixq_clear(struct sim__radixq *q)
{
    struct sim__chunk_cache *cache;

    if (q == NULL) {
        return;
    }
    cache = q->cache;
    for (size_t c = 0; c < q->n_chunks; c++) {
        if (cache != NULL) {
            cache_put(cache, q->chunks[c]);
        } else {
            mpcsim_free(q->chunks[c].blocks);
        }
    }
    mpcsim_free(q->chunks);
    for (int r = 0; r < SIM__RADIX_RUNGS; r++) {
        mpcsim_free(q->rung[r].sub);
    }
    mpcsim_free(q->run);
    mpcsim_free(q->tmp);
    sim__radixq_init(q);
    q->cache = cache;
}

/* Blocks [chunk, chunk + n) become the pool's untouched tail; the old
 * tail's blocks join the free list. */
static void
pool_add(struct sim__radixq *q, struct sim__radix_block *chunk, size_t n)
{
    while (q->bump < q->bump_end) {
        q->bump->next = q->free;
        q->free = q->bump++;
        q->n_free++;
    }
    q->bump = chunk;
    q->bump_end = chunk + n;
}

/* Make sure `need` blocks can be taken without allocating, from chunks
 * the cache holds first: 0 or MPCSIM_ENOMEM (the events unchanged). */
static int
pool_reserve(struct sim__radixq *q, size_t need)
{
    size_t have = q->n_free + (size_t)(q->bump_end - q->bump), blocks;
    struct sim__radix_block *chunk;
    void *list = q->chunks;

    if (have >= need) {
        return 0;
    }
    if (q->n_chunks == q->chunks_cap &&
        grow_array(&list, &q->chunks_cap, q->n_chunks + 1, sizeof(*q->chunks)) < 0) {
        return MPCSIM_ENOMEM;
    }
    q->chunks = list;
    if (q->cache != NULL && q->cache->n > 0) {
        /* A chunk an earlier queue used: its pages are mapped already. */
        struct sim__chunk ch = q->cache->c[--q->cache->n];

        q->cache->blocks -= ch.n;
        q->chunks[q->n_chunks++] = ch;
        q->pool_blocks += ch.n;
        pool_add(q, ch.blocks, ch.n);
        return pool_reserve(q, need);
    }
    blocks = q->pool_blocks / 4 < RADIX_CHUNK_MIN   ? RADIX_CHUNK_MIN
             : q->pool_blocks / 4 > RADIX_CHUNK_MAX ? RADIX_CHUNK_MAX
                                                    : q->pool_blocks / 4;
    if (blocks < need - have) {
        blocks = need - have;
    }
    chunk = mpcsim_reallocarray(NULL, blocks, sizeof(*chunk));
    if (chunk == NULL) {
        return MPCSIM_ENOMEM;
    }
    sim__pool_advise(chunk, blocks * sizeof(*chunk)); /* never realloc'd */
    q->chunks[q->n_chunks].blocks = chunk;
    q->chunks[q->n_chunks++].n = blocks;
    q->pool_blocks += blocks;
    pool_add(q, chunk, blocks);
    return 0;
}

/* A reserved block: the free list's newest (its page is in use), else
 * the next untouched one. */
static inline struct sim__radix_block *
pool_take(struct sim__radixq *q)
{
    struct sim__radix_block *b = q->free;

    if (b != NULL) {
        q->free = b->next;
        q->n_free--;
    } else {
        MPCSIM_ASSERT(q->bump < q->bump_end);
        b = q->bump++;
    }
    b->next = NULL;
    return b;
}

static inline void
pool_give(struct sim__radixq *q, struct sim__radix_block *b)
{
    b->next = q->free;
    q->free = b;
    q->n_free++;
}

/* Give back every block of chain c and empty it. */
static void
chain_release(struct sim__radixq *q, struct sim__radix_chain *c)
{
    for (struct sim__radix_block *b = c->head, *next; b != NULL; b = next) {
        next = b->next;
        pool_give(q, b);
    }
    chain_reset(c);
}

/* While events k .. k+7 of a block are read, ask for the same bytes of
 * the next one: a chain's blocks are scattered pages, which the
 * hardware's stream prefetcher does not cross into.  A macro: gcc finds a
 * function that only prefetches pure and drops its calls. */
#define BLOCK_PREFETCH(next, k)                                                                    \
    do {                                                                                           \
        if ((next) != NULL && ((k)&7) == 0) {                                                      \
            const char *pf_ = (const char *)&(next)->ev[k];                                        \
            __builtin_prefetch(pf_);                                                               \
            __builtin_prefetch(pf_ + 64);                                                          \
            __builtin_prefetch(pf_ + 128);                                                         \
        }                                                                                          \
    } while (0)

/* Append to c, whose tail is full or missing, a new (reserved) block. */
static inline void
chain_extend(struct sim__radixq *q, struct sim__radix_chain *c)
{
    struct sim__radix_block *b = pool_take(q);

    if (c->tail != NULL) {
        c->tail->next = b;
    } else {
        c->head = b;
        c->head_off = 0;
    }
    c->tail = b;
    c->tail_n = 0;
}

/* Append ev to c, with a block reserved in case its tail is full. */
static inline void
chain_put(struct sim__radixq *q, struct sim__radix_chain *c, const struct sim__event *ev)
{
    if (c->tail_n == SIM__RADIX_BLOCK) {
        chain_extend(q, c);
    }
    c->tail->ev[c->tail_n++] = *ev;
    c->n++;
}

/* Append ev to bucket c, keeping its minimum and maximum. */
static inline void
bucket_put(struct sim__radixq *q, struct sim__radix_chain *c, const struct sim__event *ev,
           uint64_t key)
{
    if (c->n == 0) {
        c->min = c->max = key;
    } else {
        c->min = key < c->min ? key : c->min;
        c->max = key > c->max ? key : c->max;
    }
    chain_put(q, c, ev);
}

/* see queue.h */
int
sim__radixq_push(struct sim__radixq *q, const struct sim__event *ev)
{
    uint64_t key = (uint64_t)ev->time;
    unsigned bi;
    struct sim__radix_chain *c;

    MPCSIM_ASSERT(ev->time >= 0 && key >= q->last);
    bi = radix_bucket(key, q->last);
    c = &q->b[bi];
    if (c->tail_n == SIM__RADIX_BLOCK && pool_reserve(q, 1) < 0) {
        return MPCSIM_ENOMEM;
    }
    bucket_put(q, c, ev, key);
    q->nonempty |= (uint64_t)1 << bi;
    if (++q->size > q->peak) {
        q->peak = q->size;
    }
    return 0;
}

/* Make room for n events in the run, and in its sort buffer when the
 * sort has passes to make (a run of one time, which may be larger than
 * SIM__RADIX_RUN_MAX, has none). */
static int
run_reserve(struct sim__radixq *q, size_t n, int sorts)
{
    size_t cap = n < SIM__RADIX_RUN_MAX ? SIM__RADIX_RUN_MAX : n;

    if (q->run_cap < cap) {
        struct sim__event *r = mpcsim_reallocarray(q->run, cap, sizeof(*r));

        if (r == NULL) {
            return MPCSIM_ENOMEM;
        }
        q->run = r;
        q->run_cap = cap;
    }
    if (sorts && q->tmp_cap < cap) {
        struct sim__event *t = mpcsim_reallocarray(q->tmp, cap, sizeof(*t));

        if (t == NULL) {
            return MPCSIM_ENOMEM;
        }
        q->tmp = t;
        q->tmp_cap = cap;
    }
    return 0;
}

/* Copy chain c's events, in order, to dst and give its blocks back. */
static void
chain_gather(struct sim__radixq *q, struct sim__radix_chain *c, struct sim__event *dst)
{
    size_t w = 0;
    uint32_t off = c->head_off;

    for (struct sim__radix_block *b = c->head, *next; b != NULL; b = next) {
        uint32_t end = b == c->tail ? c->tail_n : SIM__RADIX_BLOCK;

        next = b->next;
        memcpy(&dst[w], &b->ev[off], (end - off) * sizeof(*dst));
        w += end - off;
        off = 0;
        pool_give(q, b);
    }
    MPCSIM_ASSERT(w == c->n);
    chain_reset(c);
}

/*
 * Sort chain c (n events, times in [lo, lo + 2^bits)) by time into
 * q->run, stably, and empty it: LSD radix sort on time - lo, in
 * ceil(bits / 11) digits of equal width, ping-ponging between run and
 * tmp (digits every event shares are skipped).  0, or MPCSIM_ENOMEM
 * with nothing changed.
 */
static int
run_sort(struct sim__radixq *q, struct sim__radix_chain *c, uint64_t lo, unsigned bits)
{
    const size_t n = c->n;
    unsigned passes = (bits + RUN_DIGIT - 1) / RUN_DIGIT, digit;
    struct sim__event *from, *to;
    size_t count[(size_t)1 << RUN_DIGIT];

    if (run_reserve(q, n, bits > 0) < 0) {
        return MPCSIM_ENOMEM;
    }
    if (n <= RUN_INSERTION_MAX && bits > 0) {
        /* Few events: a stable insertion sort beats count passes. */
        chain_gather(q, c, q->tmp);
        from = q->tmp;
        to = q->run;
        for (size_t k = 0; k < n; k++) {
            struct sim__event e = from[k];
            size_t j = k;

            while (j > 0 && to[j - 1].time > e.time) {
                to[j] = to[j - 1];
                j--;
            }
            to[j] = e;
        }
        goto done;
    }
    /* Gather where an odd or even number of passes ends in run. */
    digit = passes == 0 ? 0 : (bits + passes - 1) / passes;
    from = passes % 2 == 1 ? q->tmp : q->run;
    chain_gather(q, c, from);
    for (unsigned shift = 0; shift < bits; shift += digit) {
        const uint64_t mask = ((uint64_t)1 << digit) - 1;
        size_t sum = 0;
        int skip = 0;

        to = from == q->run ? q->tmp : q->run;
        memset(count, 0, (mask + 1) * sizeof(count[0]));
        for (size_t k = 0; k < n; k++) {
            count[(((uint64_t)from[k].time - lo) >> shift) & mask]++;
        }
        for (size_t d = 0; d <= mask; d++) {
            size_t x = count[d];

            skip |= x == n;
            count[d] = sum;
            sum += x;
        }
        if (skip) {
            continue; /* every event has this digit: the order stands */
        }
        for (size_t k = 0; k < n; k++) {
            to[count[(((uint64_t)from[k].time - lo) >> shift) & mask]++] = from[k];
        }
        from = to;
    }
    if (from != q->run) {
        memcpy(q->run, from, n * sizeof(*from));
    }
done:
    q->run_head = 0;
    q->run_n = n;
    return 0;
}

/*
 * Spread chain c (times in [lo, max], max - lo < 2^bits) into a new rung
 * on top of the ladder: 2^r sub-buckets for about RUNG_TARGET events
 * each (r in [RUNG_BITS_MIN, RUNG_BITS_MAX], at most bits), slot k for
 * times lo + [k, k + 1) * 2^shift.  Blocks c empties go back to the
 * pool as the spread goes, so it needs at most one more block per
 * sub-bucket (and one for the block being read): reserved first.  0 or
 * MPCSIM_ENOMEM (nothing changed).
 */
static int
rung_spread(struct sim__radixq *q, struct sim__radix_chain *c, uint64_t lo, uint64_t max,
            unsigned bits)
{
    struct sim__radix_rung *r;
    unsigned rb = SIM__RADIX_RUNG_BITS_MIN, shift;
    size_t n_sub;
    uint32_t off = c->head_off;

    MPCSIM_ASSERT(q->n_rungs < SIM__RADIX_RUNGS && bits > 0 && max >= lo);
    while (rb < SIM__RADIX_RUNG_BITS_MAX && ((size_t)RUNG_TARGET << rb) < c->n) {
        rb++;
    }
    shift = bits > rb ? bits - rb : 0;
    n_sub = (size_t)((max - lo) >> shift) + 1;
    r = &q->rung[q->n_rungs];
    if (r->cap < n_sub) {
        struct sim__radix_chain *s = mpcsim_reallocarray(r->sub, n_sub, sizeof(*s));

        if (s == NULL) {
            return MPCSIM_ENOMEM;
        }
        r->sub = s;
        r->cap = n_sub;
    }
    if (pool_reserve(q, n_sub + 2) < 0) {
        return MPCSIM_ENOMEM;
    }
    for (size_t k = 0; k < n_sub; k++) {
        chain_reset(&r->sub[k]);
    }
    for (struct sim__radix_block *b = c->head, *next; b != NULL; b = next) {
        uint32_t end = b == c->tail ? c->tail_n : SIM__RADIX_BLOCK;

        next = b->next;
        for (uint32_t k = off; k < end; k++) {
            BLOCK_PREFETCH(next, k);
            chain_put(q, &r->sub[((uint64_t)b->ev[k].time - lo) >> shift], &b->ev[k]);
        }
        off = 0;
        pool_give(q, b);
    }
    chain_reset(c);
    r->n_sub = n_sub;
    r->next = 0;
    r->lo = lo;
    r->shift = shift;
    q->n_rungs++;
    return 0;
}

/* The earliest and latest time in chain c (n > 0). */
static void
chain_range(const struct sim__radix_chain *c, uint64_t *min, uint64_t *max)
{
    uint64_t lo = UINT64_MAX, hi = 0;
    uint32_t off = c->head_off;

    for (const struct sim__radix_block *b = c->head; b != NULL; b = b->next) {
        uint32_t end = b == c->tail ? c->tail_n : SIM__RADIX_BLOCK;

        for (uint32_t k = off; k < end; k++) {
            uint64_t t = (uint64_t)b->ev[k].time;

            lo = t < lo ? t : lo;
            hi = t > hi ? t : hi;
        }
        off = 0;
    }
    *min = lo;
    *max = hi;
}

/*
 * The run is empty and the ladder is not: make the ladder's next
 * non-empty sub-bucket the run (sorted), spreading it into a rung below
 * first while it is larger than a run.  Rungs whose sub-buckets are all
 * taken leave the ladder.  0 or MPCSIM_ENOMEM (nothing lost: a failed
 * step leaves its sub-bucket in place).
 */
static int
ladder_advance(struct sim__radixq *q)
{
    while (q->n_rungs > 0) {
        struct sim__radix_rung *r = &q->rung[q->n_rungs - 1];
        struct sim__radix_chain *c;
        uint64_t lo, min, max;
        int rc;

        while (r->next < r->n_sub && r->sub[r->next].n == 0) {
            r->next++;
        }
        if (r->next == r->n_sub) {
            q->n_rungs--;
            continue;
        }
        c = &r->sub[r->next];
        lo = r->lo + ((uint64_t)r->next << r->shift);
        if (c->n <= SIM__RADIX_RUN_MAX || r->shift == 0) {
            /* (width 1: all at one time, in push order: any size) */
            rc = run_sort(q, c, lo, r->shift);
            if (rc == 0) {
                r->next++;
            }
            return rc;
        }
        /* Too large for the run: spread over its true range (a pass that
         * only reads), so that a dense cluster costs one rung, not one per
         * 6 bits of the slot's width, and one time is taken whole. */
        chain_range(c, &min, &max);
        if (min == max) {
            rc = run_sort(q, c, min, 0);
            if (rc == 0) {
                r->next++;
            }
            return rc;
        }
        rc = rung_spread(q, c, min, max, 64u - (unsigned)__builtin_clzll(max - min));
        if (rc < 0) {
            return rc;
        }
        r->next++; /* (r is below the new rung: the ladder's top moved) */
    }
    return 0;
}

/*
 * Bucket 0 is empty: bring the next events forward from the lowest
 * non-empty bucket i (buckets 0 .. i-1 are then empty).  All at one time
 * (a broadcast wave): the chain becomes bucket 0 as it is.  Else, while
 * the run and the ladder are empty, a bucket of RUN_MIN ... RUN_MAX events
 * becomes the sorted run and a larger one a rung of the ladder (returns
 * 1); otherwise it is redistributed into buckets 0 .. i-1 relative to its
 * minimum, its blocks going back to the pool as they empty (at most one
 * block more per target: reserved first, so an allocation failure leaves
 * the queue intact).  0, 1 or MPCSIM_ENOMEM.
 */
static int
radix_refill(struct sim__radixq *q)
{
    struct sim__radix_chain *src;
    uint64_t min;
    unsigned i;
    uint32_t off;

    MPCSIM_ASSERT((q->nonempty & ~(uint64_t)1) != 0);
    i = (unsigned)__builtin_ctzll(q->nonempty & ~(uint64_t)1);
    src = &q->b[i];
    min = src->min;
    if (src->max == min) {
        chain_release(q, &q->b[0]); /* empty: at most a spent block */
        q->b[0] = *src;
        chain_reset(src);
        q->last = min;
        q->nonempty = (q->nonempty & ~((uint64_t)1 << i)) | 1u;
        return 0;
    }
    if (q->run_head == q->run_n && q->n_rungs == 0 && src->n >= SIM__RADIX_RUN_MIN) {
        /* (a failed sort or spread is only a missed optimisation) */
        if (src->n <= SIM__RADIX_RUN_MAX ? run_sort(q, src, min, i - 1) == 0
                                         : rung_spread(q, src, min, src->max, i - 1) == 0) {
            q->nonempty &= ~((uint64_t)1 << i);
            return 1;
        }
    }
    if (pool_reserve(q, (size_t)i + 2) < 0) {
        return MPCSIM_ENOMEM;
    }
    q->last = min;
    off = src->head_off;
    for (struct sim__radix_block *b = src->head, *next; b != NULL; b = next) {
        uint32_t end = b == src->tail ? src->tail_n : SIM__RADIX_BLOCK;

        next = b->next;
        for (uint32_t k = off; k < end; k++) {
            uint64_t t = (uint64_t)b->ev[k].time;
            unsigned bi = radix_bucket(t, min);

            BLOCK_PREFETCH(next, k);
            bucket_put(q, &q->b[bi], &b->ev[k], t);
            q->nonempty |= (uint64_t)1 << bi;
        }
        off = 0;
        pool_give(q, b);
    }
    chain_reset(src);
    q->nonempty &= ~((uint64_t)1 << i);
    return 0;
}

/* The next run event. */
static inline void
radix_run_pop(struct sim__radixq *q, struct sim__event *out)
{
    *out = q->run[q->run_head++];
    q->size--;
}

/* see queue.h */
int
sim__radixq_pop(struct sim__radixq *q, struct sim__event *out)
{
    struct sim__radix_chain *b0 = &q->b[0];

    for (;;) {
        uint64_t rest = q->nonempty & ~(uint64_t)1;
        int rc;

        if (q->run_head == q->run_n && q->n_rungs > 0 && ladder_advance(q) < 0) {
            return MPCSIM_ENOMEM;
        }
        if (q->run_head < q->run_n) {
            /* The run goes first unless a bucket holds an earlier time
             * (bucket 0's events are at `last`, the others' at their min). */
            uint64_t t = (uint64_t)q->run[q->run_head].time;

            if (!((b0->n > 0 && q->last < t) ||
                  (b0->n == 0 && rest != 0 && q->b[__builtin_ctzll(rest)].min < t))) {
                radix_run_pop(q, out);
                return 1;
            }
        }
        if (b0->n > 0) {
            struct sim__radix_block *h = b0->head;

            if (b0->head_off == SIM__RADIX_BLOCK) {
                /* a spent block that is not the tail (n > 0) */
                b0->head = h->next;
                pool_give(q, h);
                h = b0->head;
                b0->head_off = 0;
            }
            *out = h->ev[b0->head_off++];
            if (--b0->n == 0) {
                /* keep the one block, rewound (a chain with n == 0 never
                 * holds more than one) */
                if (h != b0->tail) {
                    chain_release(q, b0);
                } else {
                    b0->head_off = 0;
                    b0->tail_n = 0;
                }
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
    struct sim__tq_keep *keep;
    struct sim__chunk_cache *cache;

    if (q == NULL) {
        return;
    }
    keep = q->keep;
    cache = q->heap.cache;
    sim__radixq_clear(&q->heap);
    for (uint32_t c = 0; c < q->n_chunks; c++) {
        if (keep != NULL && keep->chunk[c] == NULL) {
            keep->chunk[c] = q->chunks[c];
        } else {
            mpcsim_free(q->chunks[c]);
        }
    }
    mpcsim_free(q->groups);
    mpcsim_free(q->cache);
    sim__timeq_init(q);
    q->keep = keep;
    q->heap.cache = cache;
}

/* see queue.h */
void
sim__tq_keep_clear(struct sim__tq_keep *k)
{
    for (int c = 0; c < SIM__TQ_CHUNKS; c++) {
        mpcsim_free(k->chunk[c]);
        k->chunk[c] = NULL;
    }
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
    if (q->keep != NULL && q->keep->chunk[q->n_chunks] != NULL) {
        /* The same chunk of an earlier queue: its pages are mapped already. */
        q->chunks[q->n_chunks] = q->keep->chunk[q->n_chunks];
        q->keep->chunk[q->n_chunks++] = NULL;
        return 0;
    }
    chunk = mpcsim_reallocarray(NULL, sim__tq_chunk_blocks(q->n_chunks), sizeof(*chunk));
    if (chunk == NULL) {
        return MPCSIM_ENOMEM;
    }
    sim__pool_advise(chunk, sizeof(*chunk) * sim__tq_chunk_blocks(q->n_chunks));
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
