/* SPDX-License-Identifier: MIT */
/*
 * tests/sim/test_stream.c - keyed streams (sim/stream.h): full 64-bit
 * keys, exact unbiased integer draws, the checked ns conversion.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>

#include <gsl/gsl_randist.h>

#include "sim/stream.h"
#include "tests/support.h"

/* Keys that differ only in their high 32 bits name different streams
 * (gsl_rng_set() keeps 32 bits of a seed: these would have collided). */
static void
test_stream_key_uses_64_bits(void **state)
{
    const uint64_t lo = UINT64_C(0x12345678);
    const uint64_t hi = lo | (UINT64_C(1) << 40);
    struct sim_stream a, b;
    int same = 0;

    (void)state;
    assert_true(sim_stream_key(lo, 1, 2, 3) != sim_stream_key(hi, 1, 2, 3));
    assert_true(sim_stream_key(1, 1, lo, 3) != sim_stream_key(1, 1, hi, 3));
    assert_true(sim_stream_key(1, 1, 2, lo) != sim_stream_key(1, 1, 2, hi));
    assert_true(sim_stream_key(1, lo, 2, 3) != sim_stream_key(1, hi, 2, 3));
    sim_stream_init(&a, lo);
    sim_stream_init(&b, hi);
    for (int i = 0; i < 16; i++) {
        same += gsl_rng_get(&a.rng) == gsl_rng_get(&b.rng);
    }
    assert_true(same < 2);
}

/* A draw depends on its name only: output k of a key is the same however
 * many draws other streams made, and replays exactly. */
static void
test_stream_counter_based(void **state)
{
    struct sim_stream s;
    uint64_t k = sim_stream_key(42, 7, 3, 9);
    double u[4];

    (void)state;
    sim_stream_init(&s, k);
    for (int i = 0; i < 4; i++) {
        u[i] = gsl_rng_uniform(&s.rng);
        assert_true(u[i] >= 0.0 && u[i] < 1.0);
        assert_true(u[i] == sim_stream_uniform_at(k, (uint64_t)i));
    }
    sim_stream_init(&s, k);
    assert_true(gsl_rng_uniform(&s.rng) == u[0]);
}

/* Exact integers: min = max gives exactly that value (through double it
 * became ...016), and a range of 2^59 is not confined to multiples of
 * 2^27 (32-bit draws scaled through double were); the extremes of int64
 * work; draws stay in range. */
static void
test_stream_int_range_exact(void **state)
{
    struct sim_stream s;
    const int64_t v = INT64_C(100000000000000010);
    const int64_t top = (INT64_C(1) << 59) - 1;
    int odd = 0;

    (void)state;
    sim_stream_init(&s, 5);
    for (int i = 0; i < 100; i++) {
        assert_true(sim_stream_int_range(&s, v, v) == v);
    }
    for (int i = 0; i < 100; i++) {
        int64_t x = sim_stream_int_range(&s, 0, top);

        assert_true(x >= 0 && x <= top);
        odd |= (x & ((INT64_C(1) << 27) - 1)) != 0;
    }
    assert_true(odd);
    for (int i = 0; i < 100; i++) {
        int64_t x = sim_stream_int_range(&s, INT64_MIN, INT64_MAX);
        int64_t y = sim_stream_int_range(&s, -3, 3);

        (void)x;
        assert_true(y >= -3 && y <= 3);
    }
}

/* Unbiased: over 3 values, 30000 draws land within 5 sd of 10000 each. */
static void
test_stream_int_range_unbiased(void **state)
{
    struct sim_stream s;
    int count[3] = {0, 0, 0};

    (void)state;
    sim_stream_init(&s, 99);
    for (int i = 0; i < 30000; i++) {
        count[sim_stream_int_range(&s, 0, 2)]++;
    }
    for (int k = 0; k < 3; k++) {
        assert_true(fabs(count[k] - 10000.0) < 5 * sqrt(30000 * (1.0 / 3) * (2.0 / 3)));
    }
}

/* Durations beyond the horizon, NaN and negatives are clamped, and time
 * sums saturate at the horizon (no int64 overflow). */
static void
test_stream_ns_clamp(void **state)
{
    (void)state;
    assert_true(sim_ns_clamp(1.4) == 1);
    assert_true(sim_ns_clamp(2.5) == 3); /* halves away from 0, as llround */
    assert_true(sim_ns_clamp(0.49999999999999994) == 0);
    assert_true(sim_ns_clamp(4503599627370497.0) == 4503599627370497); /* 2^52 + 1 */
    assert_true(sim_ns_clamp(-5.0) == 0);
    assert_true(sim_ns_clamp(1e300) == SIM_HORIZON_NS);
    assert_true(sim_ns_clamp(INFINITY) == SIM_HORIZON_NS);
    assert_true(sim_ns_clamp(NAN) == SIM_HORIZON_NS);
    assert_true(sim_time_add(SIM_HORIZON_NS, SIM_HORIZON_NS) == SIM_HORIZON_NS);
    assert_true(sim_time_add(SIM_HORIZON_NS - 1, 2) == SIM_HORIZON_NS);
    assert_true(sim_time_add(5, 7) == 12);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stream_key_uses_64_bits),
        cmocka_unit_test(test_stream_counter_based),
        cmocka_unit_test(test_stream_int_range_exact),
        cmocka_unit_test(test_stream_int_range_unbiased),
        cmocka_unit_test(test_stream_ns_clamp),
    };

    mpcsim_test_init();
    return cmocka_run_group_tests_name("stream", tests, NULL, NULL);
}
