/* SPDX-License-Identifier: MIT */
/*
 * protocols/round.c - see round.h.
 *
 * Nothing here changes what an adapter sends or when: round_enter arms
 * the same timer (id = phase, the round timeout) and round_broadcast the
 * same bytes each adapter built before, so results stay byte-identical.
 */
#include "protocols/round.h"

#include <stdarg.h>
#include <stdio.h>

#include "common/alloc.h"

/* see round.h */
void
round_init(struct round *r, int *phase, int first, int over, int64_t timeout_ns)
{
    r->phase = phase;
    r->over = over;
    r->timeout_ns = timeout_ns;
    *phase = first;
}

/* see round.h */
int
round_enter(const struct round *r, struct sim_party *p, int next)
{
    MPCSIM_ASSERT(next != r->over && next > 0);
    *r->phase = next;
    return sim_set_timer(p, r->timeout_ns, (uint64_t)next);
}

/* see round.h */
void
round_finish(const struct round *r)
{
    *r->phase = r->over;
}

/* see round.h */
int
round_over(const struct round *r)
{
    return *r->phase == r->over;
}

/* see round.h */
void
round_abort(const struct round *r, struct sim_party *p, const char *fmt, ...)
{
    char reason[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(reason, sizeof(reason), fmt, ap);
    va_end(ap);
    *r->phase = r->over;
    sim_abort(p, reason);
}

/* see round.h */
int
round_timer_current(const struct round *r, uint64_t id)
{
    return *r->phase != r->over && id == (uint64_t)*r->phase;
}

/* see round.h */
int
round_broadcast(struct sim_party *p, int round, uint8_t type, const struct field_ops *f,
                const void *elems, size_t count)
{
    size_t len = 1 + f->wire_bytes * count;
    uint8_t *msg = mpcsim_malloc(len);
    int rc;

    if (msg == NULL) {
        return MPCSIM_ENOMEM;
    }
    msg[0] = type;
    f->encode(msg + 1, elems, count);
    rc = sim_broadcast(p, round, msg, len);
    mpcsim_free(msg);
    return rc;
}

/* see round.h */
void
round_teardown(struct sim_party *p, round_free_fn *free_state)
{
    free_state(sim_party_state(p));
    sim_party_set_state(p, NULL);
}

/* ------------------------------------------------------------------ */

/* see round.h */
int
round_heard_init(struct round_heard *h, int n)
{
    MPCSIM_ASSERT(n >= 1);
    h->count = 0;
    h->n = n;
    h->step = 0;
    h->shift = 0;
    h->bits = mpcsim_calloc(((size_t)n + 63) / 64, sizeof(uint64_t));
    return h->bits == NULL ? MPCSIM_ENOMEM : 0;
}

/* see round.h */
size_t
round_heard_matrix_words(int n)
{
    MPCSIM_ASSERT(n >= 1);
    return (size_t)n * (((size_t)n + 63) / 64);
}

/* see round.h */
void
round_heard_init_column(struct round_heard *h, int n, uint64_t *matrix, int self)
{
    MPCSIM_ASSERT(n >= 1 && self >= 0 && self < n && matrix != NULL);
    h->count = 0;
    h->n = n;
    h->step = ((size_t)n + 63) / 64;
    h->shift = (unsigned)self % 64;
    h->bits = matrix + (size_t)self / 64;
}

/* see round.h */
void
round_heard_clear(struct round_heard *h)
{
    if (h == NULL) {
        return;
    }
    if (h->step == 0) {
        mpcsim_free(h->bits);
    }
    h->bits = NULL;
    h->count = 0;
}

/* see round.h */
int
round_heard_has(const struct round_heard *h, int j)
{
    size_t u = (size_t)j;

    MPCSIM_ASSERT(j >= 0 && j < h->n);
    if (h->step != 0) {
        return (int)((h->bits[u * h->step] >> h->shift) & 1);
    }
    return (int)((h->bits[u / 64] >> (u % 64)) & 1);
}

/* see round.h */
int
round_heard_add(struct round_heard *h, int j)
{
    size_t u = (size_t)j;

    if (round_heard_has(h, j)) {
        return 0;
    }
    if (h->step != 0) {
        h->bits[u * h->step] |= (uint64_t)1 << h->shift;
    } else {
        h->bits[u / 64] |= (uint64_t)1 << (u % 64);
    }
    h->count++;
    return 1;
}

/* see round.h */
int
round_heard_complete(const struct round_heard *h, size_t awaited)
{
    return h->count >= awaited;
}

/* see round.h */
int
round_heard_silent(const struct round_heard *h, int lim, int self)
{
    for (int j = 0; j < lim && j < h->n; j++) {
        if (j != self && !round_heard_has(h, j)) {
            return j;
        }
    }
    return -1;
}
