/* SPDX-License-Identifier: MIT */
/*
 * common/alloc.c - allocation hooks, the memory budget, the error-code
 * table.
 *
 * Every block carries a 16-byte header with its size, so the live total
 * is known exactly and a budget (`--max-memory`) can refuse an allocation
 * cleanly — the caller sees NULL and reports MPCSIM_ENOMEM — instead of
 * the process meeting the OOM killer.  The counter is atomic: sweeps
 * allocate from several threads.
 */
#include "common/alloc.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static struct mpcsim_alloc_hooks hooks = {malloc, calloc, realloc, free};

#define HEADER 16 /* keeps the user block 16-byte aligned */

static atomic_size_t live_bytes;
static atomic_size_t peak_bytes;
static size_t budget; /* 0 = none; set before threads start */
static atomic_int budget_hit;
static atomic_size_t budget_need; /* live + request of the largest refused allocation */

/* Reserve `n` bytes against the budget; 0 if that would exceed it. */
static int
reserve(size_t n)
{
    size_t now = atomic_fetch_add(&live_bytes, n) + n;
    size_t peak = atomic_load(&peak_bytes);

    if (budget != 0 && now > budget) {
        size_t need = atomic_load(&budget_need);

        atomic_fetch_sub(&live_bytes, n);
        atomic_store(&budget_hit, 1);
        while (now > need && !atomic_compare_exchange_weak(&budget_need, &need, now)) {
        }
        return 0;
    }
    while (now > peak && !atomic_compare_exchange_weak(&peak_bytes, &peak, now)) {
    }
    return 1;
}

static void
release(size_t n)
{
    atomic_fetch_sub(&live_bytes, n);
}

/* see alloc.h */
void
mpcsim_alloc_set_budget(size_t bytes)
{
    budget = bytes;
    atomic_store(&budget_hit, 0);
    atomic_store(&budget_need, 0);
}

/* see alloc.h */
size_t
mpcsim_alloc_budget_need(void)
{
    return atomic_load(&budget_need);
}

/* see alloc.h */
int
mpcsim_alloc_budget_hit(void)
{
    return atomic_load(&budget_hit);
}

/* see alloc.h */
size_t
mpcsim_alloc_budget(void)
{
    return budget;
}

/* see alloc.h */
size_t
mpcsim_alloc_live(void)
{
    return atomic_load(&live_bytes);
}

/* see alloc.h */
void
mpcsim_alloc_peak_reset(void)
{
    atomic_store(&peak_bytes, atomic_load(&live_bytes));
}

/* see alloc.h */
size_t
mpcsim_alloc_peak(void)
{
    return atomic_load(&peak_bytes);
}

/* see alloc.h */
void
mpcsim_alloc_set_hooks(const struct mpcsim_alloc_hooks *h)
{
    if (h == NULL) {
        hooks.malloc_fn = malloc;
        hooks.calloc_fn = calloc;
        hooks.realloc_fn = realloc;
        hooks.free_fn = free;
        return;
    }
    hooks = *h;
}

/* see alloc.h */
void *
mpcsim_malloc(size_t size)
{
    unsigned char *p;

    if (size == 0 || size > SIZE_MAX - HEADER || !reserve(size)) {
        return NULL;
    }
    p = hooks.malloc_fn(size + HEADER);
    if (p == NULL) {
        release(size);
        return NULL;
    }
    memcpy(p, &size, sizeof(size));
    return p + HEADER;
}

/* see alloc.h */
void *
mpcsim_calloc(size_t nmemb, size_t size)
{
    unsigned char *p;
    size_t total;

    if (nmemb == 0 || size == 0 || nmemb > (SIZE_MAX - HEADER) / size) {
        return NULL;
    }
    total = nmemb * size;
    if (!reserve(total)) {
        return NULL;
    }
    p = hooks.calloc_fn(1, total + HEADER);
    if (p == NULL) {
        release(total);
        return NULL;
    }
    memcpy(p, &total, sizeof(total));
    return p + HEADER;
}

/* see alloc.h */
void *
mpcsim_realloc(void *ptr, size_t size)
{
    unsigned char *base;
    unsigned char *p;
    size_t old = 0;

    if (ptr == NULL) {
        return mpcsim_malloc(size);
    }
    if (size == 0 || size > SIZE_MAX - HEADER) {
        return NULL;
    }
    base = (unsigned char *)ptr - HEADER;
    memcpy(&old, base, sizeof(old));
    if (size > old && !reserve(size - old)) {
        return NULL;
    }
    p = hooks.realloc_fn(base, size + HEADER);
    if (p == NULL) {
        if (size > old) {
            release(size - old);
        }
        return NULL;
    }
    if (size < old) {
        release(old - size);
    }
    memcpy(p, &size, sizeof(size));
    return p + HEADER;
}

/* see alloc.h */
void *
mpcsim_reallocarray(void *ptr, size_t nmemb, size_t size)
{
    if (size != 0 && nmemb > SIZE_MAX / size) {
        return NULL;
    }
    return mpcsim_realloc(ptr, nmemb * size);
}

/* see alloc.h */
void
mpcsim_free(void *ptr)
{
    unsigned char *base;
    size_t size;

    if (ptr == NULL) {
        return;
    }
    base = (unsigned char *)ptr - HEADER;
    memcpy(&size, base, sizeof(size));
    release(size);
    hooks.free_fn(base);
}

/* see alloc.h */
char *
mpcsim_strdup(const char *s)
{
    size_t len = strlen(s) + 1;
    char *copy = mpcsim_malloc(len);

    if (copy != NULL) {
        memcpy(copy, s, len);
    }
    return copy;
}

/* see mpcsim.h */
const char *
mpcsim_strerror(int rc)
{
    switch (rc) {
    case MPCSIM_OK:
        return "success";
    case MPCSIM_ENOMEM:
        return "out of memory";
    case MPCSIM_EINVAL:
        return "invalid argument";
    case MPCSIM_EIO:
        return "input/output error";
    case MPCSIM_EPARSE:
        return "parse error";
    case MPCSIM_ERANGE:
        return "value out of range";
    case MPCSIM_ENOQUORUM:
        return "not enough shares";
    case MPCSIM_EDECODE:
        return "cannot decode";
    case MPCSIM_EZERODIV:
        return "inverse of zero";
    case MPCSIM_ELIMIT:
        return "limit reached";
    case MPCSIM_ENOTSUP:
        return "not supported";
    default:
        return "unknown error";
    }
}

/* see mpcsim.h */
_Noreturn void
mpcsim__assert_fail(const char *expr, const char *file, int line)
{
    fprintf(stderr, "%s:%d: mpcsim assertion failed: %s\n", file, line, expr);
    fflush(stderr);
    abort();
}
