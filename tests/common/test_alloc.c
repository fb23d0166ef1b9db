/* SPDX-License-Identifier: MIT */
/*
 * tests/common/test_alloc.c - the allocator hooks and failure injection.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "common/alloc.h"
#include "tests/support.h"

/* Injected failures hit exactly the n-th allocation, then stop. */
static void
test_alloc_fail_nth(void **state)
{
    void *a = NULL;
    void *b = NULL;

    (void)state;
    mpcsim_test_fail_alloc_after(1);
    a = mpcsim_malloc(16);
    b = mpcsim_malloc(16);
    assert_non_null(a);
    assert_null(b);
    b = mpcsim_malloc(16);
    assert_non_null(b);
    mpcsim_free(a);
    mpcsim_free(b);
}

/* calloc refuses an overflowing size instead of wrapping. */
static void
test_alloc_calloc_overflow(void **state)
{
    (void)state;
    assert_null(mpcsim_calloc(SIZE_MAX / 2, 4));
    assert_null(mpcsim_reallocarray(NULL, SIZE_MAX / 2, 4));
}

static void
test_alloc_strdup(void **state)
{
    char *s = NULL;

    (void)state;
    s = mpcsim_strdup("mpcsim");
    assert_non_null(s);
    assert_string_equal(s, "mpcsim");
    mpcsim_free(s);
    assert_string_equal(mpcsim_strerror(MPCSIM_ENOMEM), "out of memory");
}

/* The live total of mpcsim_* blocks, read through the budget: a budget of
 * one byte refuses malloc(2) and records live + 2 as the need. */
static size_t
live_bytes(void)
{
    size_t need;

    mpcsim_alloc_set_budget(1);
    assert_null(mpcsim_malloc(2));
    need = mpcsim_alloc_budget_need();
    mpcsim_alloc_set_budget(0);
    assert_true(need >= 2);
    return need - 2;
}

/* Size 0 and sizes past SIZE_MAX - header are NULL; the block stays valid. */
static void
test_alloc_degenerate_sizes(void **state)
{
    char *p = NULL;

    (void)state;
    assert_null(mpcsim_malloc(0));
    assert_null(mpcsim_malloc(SIZE_MAX));
    assert_null(mpcsim_calloc(0, 8));
    assert_null(mpcsim_calloc(8, 0));
    p = mpcsim_realloc(NULL, 8); /* realloc(NULL) is malloc */
    assert_non_null(p);
    memcpy(p, "abcdefg", 8);
    assert_null(mpcsim_realloc(p, 0));
    assert_null(mpcsim_realloc(p, SIZE_MAX));
    assert_null(mpcsim_reallocarray(p, SIZE_MAX / 2, 4));
    assert_string_equal(p, "abcdefg");
    p = mpcsim_reallocarray(p, 4, 8);
    assert_non_null(p);
    assert_string_equal(p, "abcdefg");
    mpcsim_free(p);
    mpcsim_free(NULL);
}

/* The budget: a block that would pass it is refused (NULL, budget hit, the
 * need recorded as live + request); up to the budget exactly is fine; a
 * refused realloc leaves the block; shrinking returns bytes; 0 removes it. */
static void
test_alloc_budget(void **state)
{
    size_t live0 = live_bytes();
    char *a = NULL;
    char *b = NULL;
    char *c = NULL;

    (void)state;
    mpcsim_alloc_set_budget(live0 + 1000);
    assert_int_equal(mpcsim_alloc_budget_hit(), 0);
    assert_int_equal(mpcsim_alloc_budget_need(), 0);
    a = mpcsim_malloc(600);
    assert_non_null(a);
    assert_null(mpcsim_malloc(600));
    assert_int_equal(mpcsim_alloc_budget_hit(), 1);
    assert_int_equal(mpcsim_alloc_budget_need(), live0 + 1200);
    assert_null(mpcsim_calloc(100, 5)); /* a smaller refusal keeps the larger need */
    assert_int_equal(mpcsim_alloc_budget_need(), live0 + 1200);
    b = mpcsim_calloc(100, 4); /* live0 + 1000: exactly the budget */
    assert_non_null(b);
    assert_null(mpcsim_malloc(1));
    mpcsim_free(b);
    memset(a, 'x', 600);
    a[599] = '\0';
    assert_null(mpcsim_realloc(a, 1001)); /* past the budget: a untouched */
    assert_int_equal(strlen(a), 599);
    a = mpcsim_realloc(a, 1000);
    assert_non_null(a);
    assert_int_equal(a[0], 'x');
    a = mpcsim_realloc(a, 100); /* shrinking gives back 900 bytes */
    assert_non_null(a);
    c = mpcsim_malloc(900);
    assert_non_null(c);
    assert_null(mpcsim_malloc(1));
    mpcsim_free(c);
    mpcsim_free(a);
    assert_int_equal(live_bytes(), live0); /* every byte returned */
    mpcsim_alloc_set_budget(live0 + 10);
    mpcsim_alloc_set_budget(0); /* none: hit and need cleared */
    assert_int_equal(mpcsim_alloc_budget_hit(), 0);
    assert_int_equal(mpcsim_alloc_budget_need(), 0);
    a = mpcsim_malloc(1 << 20);
    assert_non_null(a);
    mpcsim_free(a);
}

/* The peak is the largest live total, growing with malloc and realloc,
 * never falling on free; a refused allocation does not raise it. */
static void
test_alloc_peak(void **state)
{
    size_t live0 = live_bytes();
    size_t p0 = mpcsim_alloc_peak();
    size_t n = p0 + 4096; /* past any earlier peak */
    char *a = NULL;

    (void)state;
    assert_true(p0 >= live0);
    a = mpcsim_malloc(n);
    assert_non_null(a);
    assert_int_equal(mpcsim_alloc_peak(), live0 + n);
    a = mpcsim_realloc(a, n + 100);
    assert_non_null(a);
    assert_int_equal(mpcsim_alloc_peak(), live0 + n + 100);
    mpcsim_free(a);
    assert_int_equal(mpcsim_alloc_peak(), live0 + n + 100);
    mpcsim_alloc_set_budget(live0 + 10);
    assert_null(mpcsim_malloc(n + 200));
    mpcsim_alloc_set_budget(0);
    assert_int_equal(mpcsim_alloc_peak(), live0 + n + 100);
}

/* A hook that fails (injected) gives NULL and returns its reservation:
 * the live total is unchanged, and a failed realloc keeps the block. */
static void
test_alloc_injected_failures_release(void **state)
{
    size_t live0 = live_bytes();
    char *p = NULL;

    (void)state;
    mpcsim_test_fail_alloc_after(0);
    assert_null(mpcsim_malloc(100));
    assert_int_equal(live_bytes(), live0);
    mpcsim_test_fail_alloc_after(0);
    assert_null(mpcsim_calloc(10, 10));
    assert_int_equal(live_bytes(), live0);
    p = mpcsim_calloc(4, 4);
    assert_non_null(p);
    for (int i = 0; i < 16; i++) {
        assert_int_equal(p[i], 0); /* calloc zeroes */
    }
    p[0] = 'k';
    mpcsim_test_fail_alloc_after(0);
    assert_null(mpcsim_realloc(p, 4096)); /* grow fails */
    assert_int_equal(live_bytes(), live0 + 16);
    mpcsim_test_fail_alloc_after(0);
    assert_null(mpcsim_realloc(p, 8)); /* shrink fails */
    assert_int_equal(live_bytes(), live0 + 16);
    assert_int_equal(p[0], 'k');
    mpcsim_test_fail_alloc_after(0);
    assert_null(mpcsim_strdup("x"));
    mpcsim_free(p);
    assert_int_equal(live_bytes(), live0);
}

/* NULL hooks restore libc's allocator. */
static void
test_alloc_libc_hooks(void **state)
{
    char *s = NULL;

    (void)state;
    mpcsim_alloc_set_hooks(NULL);
    mpcsim_test_fail_alloc_after(0); /* the test hooks are gone: no failure */
    s = mpcsim_strdup("libc");
    assert_non_null(s);
    s = mpcsim_realloc(s, 64);
    assert_non_null(s);
    assert_string_equal(s, "libc");
    mpcsim_free(s);
    s = mpcsim_calloc(2, 2);
    assert_non_null(s);
    mpcsim_free(s);
    mpcsim_test_init();               /* back to cmocka's hooks */
    mpcsim_test_fail_alloc_after(-1); /* disarm */
}

/* Every error code has its message; others are "unknown error". */
static void
test_alloc_strerror(void **state)
{
    (void)state;
    assert_string_equal(mpcsim_strerror(MPCSIM_OK), "success");
    assert_string_equal(mpcsim_strerror(MPCSIM_EINVAL), "invalid argument");
    assert_string_equal(mpcsim_strerror(MPCSIM_EIO), "input/output error");
    assert_string_equal(mpcsim_strerror(MPCSIM_EPARSE), "parse error");
    assert_string_equal(mpcsim_strerror(MPCSIM_ERANGE), "value out of range");
    assert_string_equal(mpcsim_strerror(MPCSIM_ENOQUORUM), "not enough shares");
    assert_string_equal(mpcsim_strerror(MPCSIM_EDECODE), "cannot decode");
    assert_string_equal(mpcsim_strerror(MPCSIM_EZERODIV), "inverse of zero");
    assert_string_equal(mpcsim_strerror(MPCSIM_ELIMIT), "limit reached");
    assert_string_equal(mpcsim_strerror(MPCSIM_ENOTSUP), "not supported");
    assert_string_equal(mpcsim_strerror(-99), "unknown error");
    assert_string_equal(mpcsim_strerror(1), "unknown error");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc_fail_nth),
        cmocka_unit_test(test_alloc_calloc_overflow),
        cmocka_unit_test(test_alloc_strdup),
        cmocka_unit_test(test_alloc_degenerate_sizes),
        cmocka_unit_test(test_alloc_budget),
        cmocka_unit_test(test_alloc_peak),
        cmocka_unit_test(test_alloc_injected_failures_release),
        cmocka_unit_test(test_alloc_libc_hooks),
        cmocka_unit_test(test_alloc_strerror),
    };

    mpcsim_test_init();
    return cmocka_run_group_tests_name("alloc", tests, NULL, NULL);
}
