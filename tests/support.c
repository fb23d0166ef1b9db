/* SPDX-License-Identifier: MIT */
/*
 * tests/support.c - see support.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tests/support.h"

#include "common/alloc.h"

static int fail_after = -1;
static uint64_t rng_state = 0x6d706373696dULL;

static int
should_fail(void)
{
    if (fail_after < 0) {
        return 0;
    }
    if (fail_after == 0) {
        fail_after = -1;
        return 1;
    }
    fail_after--;
    return 0;
}

static void *
t_malloc(size_t size)
{
    return should_fail() ? NULL : test_malloc(size);
}

static void *
t_calloc(size_t nmemb, size_t size)
{
    return should_fail() ? NULL : test_calloc(nmemb, size);
}

static void *
t_realloc(void *ptr, size_t size)
{
    return should_fail() ? NULL : test_realloc(ptr, size);
}

static void
t_free(void *ptr)
{
    test_free(ptr);
}

/* see support.h */
void
mpcsim_test_init(void)
{
    static const struct mpcsim_alloc_hooks hooks = {t_malloc, t_calloc, t_realloc, t_free};

    mpcsim_alloc_set_hooks(&hooks);
    mpcsim_test_seed(42);
}

/* see support.h */
void
mpcsim_test_fail_alloc_after(int n)
{
    fail_after = n;
}

/* see support.h */
void
mpcsim_test_seed(uint64_t seed)
{
    rng_state = seed;
}

/* see support.h */
uint64_t
mpcsim_test_rand64(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
