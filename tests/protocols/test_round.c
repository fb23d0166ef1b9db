/* SPDX-License-Identifier: MIT */
/*
 * tests/protocols/test_round.c - the shared round bookkeeping
 * (protocols/round.h): the heard sets and the phase state.  Arming timers,
 * aborting and broadcasting run in every adapter's simulator tests
 * (tests/additive, tests/shamir, tests/mpc) and the scenario goldens.
 */
#include <setjmp.h> /* cmocka.h needs these four first */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "protocols/round.h"
#include "tests/support.h"

/* A set over 70 parties (two words): adds, repeats, the silent party. */
static void
test_round_heard(void **state)
{
    struct round_heard h;

    (void)state;
    assert_int_equal(round_heard_init(&h, 70), 0);
    assert_int_equal(round_heard_silent(&h, 70, 0), 1);
    for (int j = 0; j < 70; j++) {
        if (j != 65) {
            assert_int_equal(round_heard_add(&h, j), 1);
        }
    }
    assert_int_equal(round_heard_add(&h, 3), 0); /* a repeat counts once */
    assert_int_equal((int)h.count, 69);
    assert_true(round_heard_has(&h, 64));
    assert_false(round_heard_has(&h, 65));
    assert_true(round_heard_complete(&h, 69));
    assert_false(round_heard_complete(&h, 70));
    assert_int_equal(round_heard_silent(&h, 70, 0), 65);
    assert_int_equal(round_heard_silent(&h, 65, 0), -1);  /* beyond lim: not awaited */
    assert_int_equal(round_heard_silent(&h, 70, 65), -1); /* itself */
    round_heard_clear(&h);
    assert_null(h.bits);
    round_heard_clear(&h);
    round_heard_clear(NULL);
}

/* Out of memory: reported, nothing leaks, and the set clears. */
static void
test_round_heard_oom(void **state)
{
    struct round_heard h;

    (void)state;
    mpcsim_test_fail_alloc_after(0);
    assert_int_equal(round_heard_init(&h, 5), MPCSIM_ENOMEM);
    mpcsim_test_fail_alloc_after(-1);
    assert_null(h.bits);
    round_heard_clear(&h);
}

/* The phase lives in the caller's variable; over and stale timers. */
static void
test_round_phase(void **state)
{
    struct round rd;
    int phase = -7;

    (void)state;
    round_init(&rd, &phase, 1, 9, 1000);
    assert_int_equal(phase, 1);
    assert_false(round_over(&rd));
    assert_true(round_timer_current(&rd, 1));
    assert_false(round_timer_current(&rd, 2)); /* another phase's: stale */
    phase = 3;                                 /* the adapter moves on */
    assert_true(round_timer_current(&rd, 3));
    assert_false(round_timer_current(&rd, 1));
    round_finish(&rd);
    assert_int_equal(phase, 9);
    assert_true(round_over(&rd));
    assert_false(round_timer_current(&rd, 9)); /* over: every timer is stale */
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_heard),
        cmocka_unit_test(test_round_heard_oom),
        cmocka_unit_test(test_round_phase),
    };

    mpcsim_test_init();
    return cmocka_run_group_tests_name("round", tests, NULL, NULL);
}
