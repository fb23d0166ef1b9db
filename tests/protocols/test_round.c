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

/* Column sets: 130 parties (three words per matrix row) share one matrix;
 * random adds to random parties' sets behave exactly as each party's own
 * set (membership, repeats, count, the silent party), no column touches
 * another's, and clearing leaves the borrowed matrix alone. */
static void
test_round_heard_columns(void **state)
{
    enum { N = 130 };
    struct round_heard own[N], col[N];
    uint64_t *m = test_calloc(round_heard_matrix_words(N), sizeof(uint64_t));

    (void)state;
    assert_int_equal(round_heard_matrix_words(N), (size_t)N * 3);
    for (int i = 0; i < N; i++) {
        assert_int_equal(round_heard_init(&own[i], N), 0);
        round_heard_init_column(&col[i], N, m, i);
    }
    for (int k = 0; k < 20000; k++) {
        int i = (int)(mpcsim_test_rand64() % N), j = (int)(mpcsim_test_rand64() % N);

        assert_int_equal(round_heard_has(&col[i], j), round_heard_has(&own[i], j));
        assert_int_equal(round_heard_add(&col[i], j), round_heard_add(&own[i], j));
    }
    for (int i = 0; i < N; i++) {
        assert_int_equal(col[i].count, own[i].count);
        assert_int_equal(round_heard_silent(&col[i], N, i), round_heard_silent(&own[i], N, i));
        for (int j = 0; j < N; j++) {
            assert_int_equal(round_heard_has(&col[i], j), round_heard_has(&own[i], j));
        }
        round_heard_clear(&own[i]);
        round_heard_clear(&col[i]);
        assert_null(col[i].bits);
    }
    test_free(m); /* still the test's: a column never frees it */
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
        cmocka_unit_test(test_round_heard_columns),
        cmocka_unit_test(test_round_heard_oom),
        cmocka_unit_test(test_round_phase),
    };

    mpcsim_test_init();
    return cmocka_run_group_tests_name("round", tests, NULL, NULL);
}
