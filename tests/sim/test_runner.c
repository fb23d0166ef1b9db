/* SPDX-License-Identifier: MIT */
/*
 * tests/sim/test_runner.c - one trial as a result row (sim/cli/runner.h):
 * absent values, per-trial metrics, paired (common random number) trial
 * seeds, replay from a row's seed, exact formatting of long values.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cli/diag.h"
#include "sim/cli/runner.h"
#include "sim/cli/scenario.h"
#include "sim/cli/ytree.h"
#include "tests/support.h"

static struct scenario *
load(const char *text)
{
    struct scenario *sc = NULL;
    struct ynode *root = NULL;
    struct diag d;

    diag_init(&d);
    assert_int_equal(ytree_load_string(&root, text, strlen(text), "r.yaml", &d), 0);
    if (scenario_from_tree(&sc, root, "r.yaml", ".", &d) != 0) {
        for (size_t i = 0; i < d.n; i++) {
            print_error("%s\n", d.msgs[i]);
        }
        fail();
    }
    ynode_free(root);
    diag_clear(&d);
    return sc;
}

static void
run(struct trial_row *row, const struct scenario *sc, uint64_t point, int trial)
{
    char err[256] = "";

    assert_int_equal(runner_run_trial(row, sc, trial, runner_trial_seed(sc, point, (uint64_t)trial),
                                      err, sizeof(err)),
                     0);
}

/* An aborted trial: no latency, rounds, depth, included or expected; the
 * time the last honest party gave up; the reason names round 2. */
static void
test_runner_abort_row(void **state)
{
    struct scenario *sc = load("name: a\nparties: 4\ninputs: { values: [1, 2, 3, 4] }\n"
                               "protocol: { kind: additive, round_timeout_ms: 100 }\n"
                               "network: { latency: { distribution: constant, ms: 10 } }\n"
                               "faults: { crash: [ { party: 2, at_round: 1 } ] }\n");
    struct trial_row row;

    (void)state;
    run(&row, sc, 0, 0);
    assert_int_equal(row.status, TRIAL_ABORT);
    assert_false(row.correct);
    assert_true(isnan(row.latency_ms) && isnan(row.latency_p50_ms));
    assert_int_equal(row.rounds, TRIAL_ABSENT);
    assert_int_equal(row.depth, TRIAL_ABSENT);
    assert_int_equal(row.included, TRIAL_ABSENT);
    assert_string_equal(row.expected, "");
    assert_string_equal(row.output, "");
    /* Round 1 arrives at 10 ms; the round-2 timer (100 ms) fires at 110 ms
     * plus the modelled compute of the round-1 handler (microseconds). */
    assert_true(row.time_to_abort_ms > 110.0 && row.time_to_abort_ms < 110.1);
    assert_non_null(strstr(row.reason, "silent in round 2"));
    assert_int_equal(row.dropped, 1);
    trial_row_clear(&row);
    scenario_destroy(sc);
}

/* An ok trial: every metric present, rounds (2) apart from depth, the
 * compute of the busiest party, included = the input owners. */
static void
test_runner_ok_row(void **state)
{
    struct scenario *sc = load("name: o\nparties: 30\n"
                               "inputs: { distribution: uniform, min: 0, max: 1000 }\n"
                               "protocol: { kind: shamir }\n"
                               "network: { latency: { distribution: lognormal, median_ms: 40, "
                               "sigma: 0.3 } }\n");
    struct trial_row row;

    (void)state;
    run(&row, sc, 0, 0);
    assert_int_equal(row.status, TRIAL_OK);
    assert_true(row.correct);
    assert_int_equal(row.rounds, 2);
    assert_true(row.depth >= 2);
    assert_int_equal(row.included, 30);
    assert_true(row.latency_ms > 0 && row.latency_p50_ms <= row.latency_ms);
    assert_true(isnan(row.time_to_abort_ms));
    assert_true(row.max_party_compute_ms > 0 && row.max_party_compute_ms <= row.compute_ms);
    assert_string_equal(row.output, row.expected);
    trial_row_clear(&row);
    scenario_destroy(sc);
}

/* Common random numbers: the trial seed depends on (seed, trial) only, so
 * shamir and additive see the same inputs in trial k; with `streams:
 * independent` it depends on the point too. */
static void
test_runner_paired_seeds(void **state)
{
    static const char base[] = "name: p\nseed: 9\nparties: 5\n"
                               "inputs: { distribution: uniform, min: 0, max: 1000000 }\n"
                               "protocol: { kind: %s }\n%s";
    char text[512];
    struct scenario *a, *b, *ind;
    struct trial_row ra, rb;

    (void)state;
    snprintf(text, sizeof(text), base, "shamir", "");
    a = load(text);
    snprintf(text, sizeof(text), base, "additive", "");
    b = load(text);
    snprintf(text, sizeof(text), base, "shamir", "streams: independent\n");
    ind = load(text);
    for (int k = 0; k < 3; k++) {
        assert_true(runner_trial_seed(a, 0, (uint64_t)k) == runner_trial_seed(a, 5, (uint64_t)k));
        assert_true(runner_trial_seed(ind, 0, (uint64_t)k) !=
                    runner_trial_seed(ind, 5, (uint64_t)k));
        run(&ra, a, 0, k);
        run(&rb, b, 1, k);
        assert_string_equal(ra.expected, rb.expected);
        trial_row_clear(&ra);
        trial_row_clear(&rb);
    }
    run(&ra, a, 0, 0);
    run(&rb, a, 0, 1);
    assert_string_not_equal(ra.expected, rb.expected);
    trial_row_clear(&ra);
    trial_row_clear(&rb);
    scenario_destroy(a);
    scenario_destroy(b);
    scenario_destroy(ind);
}

/* A row is reproduced from its seed alone (the trial number is a label). */
static void
test_runner_replay(void **state)
{
    struct scenario *sc = load("name: r\nseed: 4\ntrials: 5\nparties: 6\n"
                               "inputs: { distribution: lognormal, zeta: 10, sigma: 1 }\n"
                               "protocol: { kind: shamir }\n"
                               "network: { latency: { distribution: pareto, min_ms: 5, "
                               "alpha: 2 }, loss: 0.01 }\n"
                               "faults: { dropout: { probability: 0.2, at: random } }\n");
    struct trial_row a, b;
    char err[256];

    (void)state;
    run(&a, sc, 3, 4);
    assert_int_equal(runner_run_trial(&b, sc, 0, a.seed, err, sizeof(err)), 0);
    assert_string_equal(a.expected, b.expected);
    assert_string_equal(a.output, b.output);
    assert_int_equal(a.status, b.status);
    assert_true(a.latency_ms == b.latency_ms || (isnan(a.latency_ms) && isnan(b.latency_ms)));
    assert_true(a.messages == b.messages && a.bytes == b.bytes && a.events == b.events);
    assert_int_equal(a.dropped, b.dropped);
    trial_row_clear(&a);
    trial_row_clear(&b);
    scenario_destroy(sc);
}

/* Long values are written in full (a 4-vector variance with a corrupting
 * party overflowed a fixed buffer; scalars beyond 32 characters were cut). */
static void
test_runner_long_values(void **state)
{
    struct scenario *sc = load("name: v\nparties: 3\n"
                               "inputs: { values: [[1,2,3,4],[5,6,7,8],[9,10,11,12]] }\n"
                               "computation: variance\nprotocol: { kind: additive }\n"
                               "adversary: { parties: [2], behaviour: corrupt_shares }\n");
    struct trial_row row;

    (void)state;
    run(&row, sc, 0, 0);
    assert_int_equal(row.status, TRIAL_WRONG_OUTPUT); /* additive without MACs */
    assert_int_equal(row.included, 3);
    assert_string_equal(row.expected, "32/3;32/3;32/3;32/3");
    /* Four values, each a full decimal: three separators, nothing cut. */
    {
        int seps = 0;

        for (const char *s = row.output; *s != '\0'; s++) {
            seps += *s == ';';
        }
        assert_int_equal(seps, 3);
        assert_true(strlen(row.output) > 4 * 8);
    }
    trial_row_clear(&row);
    scenario_destroy(sc);
}

/* secagg: included never counts the server; server_bytes is exact. */
static void
test_runner_secagg_included(void **state)
{
    struct scenario *sc = load("name: s\nparties: 6\ninputs: { values: [0, 1, 2, 3, 4, 5] }\n"
                               "protocol: { kind: secagg }\n");
    struct trial_row row;
    int found = 0;

    (void)state;
    run(&row, sc, 0, 0);
    assert_int_equal(row.status, TRIAL_OK);
    assert_int_equal(row.included, 5);
    assert_int_equal(row.rounds, 7); /* 8 only with result_to_clients */
    for (size_t i = 0; i < row.n_stats; i++) {
        if (strcmp(row.stat_names[i], "server_bytes") == 0) {
            found = 1;
            assert_true(row.stat_is_int[i]);
            assert_true(row.stat_u64[i] > 0);
        }
    }
    assert_true(found);
    trial_row_clear(&row);
    scenario_destroy(sc);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_runner_abort_row),    cmocka_unit_test(test_runner_ok_row),
        cmocka_unit_test(test_runner_paired_seeds), cmocka_unit_test(test_runner_replay),
        cmocka_unit_test(test_runner_long_values),  cmocka_unit_test(test_runner_secagg_included),
    };

    mpcsim_test_init();
    return cmocka_run_group_tests_name("runner", tests, NULL, NULL);
}
