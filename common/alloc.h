/* SPDX-License-Identifier: MIT */
/*
 * common/alloc.h - the one allocator every module goes through.
 *
 * Tests swap the hooks (cmocka's test_malloc for leak checks, and a
 * counter that fails the n-th allocation), as Lua's debug_realloc does.
 * Hooks are process-global and not thread-safe to change: set them before
 * starting threads.
 */
#ifndef MPCSIM_COMMON_ALLOC_H
#define MPCSIM_COMMON_ALLOC_H

#include <stddef.h>

#include "common/mpcsim.h"

struct mpcsim_alloc_hooks {
    void *(*malloc_fn)(size_t size);
    void *(*calloc_fn)(size_t nmemb, size_t size);
    void *(*realloc_fn)(void *ptr, size_t size);
    void (*free_fn)(void *ptr);
};

/* Replace the hooks; NULL restores libc's.  Returns nothing. */
void mpcsim_alloc_set_hooks(const struct mpcsim_alloc_hooks *hooks);

/* malloc/calloc/realloc/free through the hooks.  Size 0 returns NULL. */
void *mpcsim_malloc(size_t size);
void *mpcsim_calloc(size_t nmemb, size_t size); /* checks nmemb*size overflow */
void *mpcsim_realloc(void *ptr, size_t size);
/* reallocarray: NULL on overflow of nmemb*size, ptr untouched on failure. */
void *mpcsim_reallocarray(void *ptr, size_t nmemb, size_t size);
void mpcsim_free(void *ptr);
/*
 * Memory budget: with `bytes` > 0, an allocation that would take the live
 * total of mpcsim_* blocks past it fails (returns NULL) and the budget
 * counts as hit.  0 removes the budget.  Set it before starting threads.
 * (GMP's and libyaml's own allocations are not counted.)
 */
void mpcsim_alloc_set_budget(size_t bytes);
/* Whether an allocation was refused by the budget since it was set. */
int mpcsim_alloc_budget_hit(void);
/*
 * A lower bound on the budget the refused allocations needed: the largest
 * (live total + request) among them since the budget was set, or 0.  A
 * limit below it cannot work; messages quote it as the minimum.
 */
size_t mpcsim_alloc_budget_need(void);
/* The budget in force (0: none). */
size_t mpcsim_alloc_budget(void);
/* The live total of mpcsim_* blocks now, in bytes. */
size_t mpcsim_alloc_live(void);
/* Restart the peak from the live total (to measure one phase's peak). */
void mpcsim_alloc_peak_reset(void);
/* The largest live total of mpcsim_* blocks seen so far, in bytes. */
size_t mpcsim_alloc_peak(void);

/* A copy of `s` (caller frees with mpcsim_free), or NULL. */
char *mpcsim_strdup(const char *s);

#endif /* MPCSIM_COMMON_ALLOC_H */
