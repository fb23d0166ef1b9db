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

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc_fail_nth),
        cmocka_unit_test(test_alloc_calloc_overflow),
        cmocka_unit_test(test_alloc_strdup),
    };

    mpcsim_test_init();
    return cmocka_run_group_tests_name("alloc", tests, NULL, NULL);
}
