/* SPDX-License-Identifier: MIT */
/*
 * tests/cli/test_results.c - the result writers (sim/cli/results.h) on
 * hand-made rows: absent values are empty CSV fields and JSON null (never
 * 0), sweep keys are `sweep.<key>` columns, the seed is a JSON string,
 * fields with commas are quoted, and the run table shows `-`, the reason,
 * a starred partial output and an ellipsis.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cli/diag.h"
#include "sim/cli/results.h"
#include "sim/cli/scenario.h"
#include "sim/cli/ytree.h"
#include "tests/support.h"

static const char text[] = "name: \"exchanges, EU\"\n"
                           "parties: 3\n"
                           "inputs: { distribution: uniform, min: 0, max: 10 }\n"
                           "protocol: { kind: toy }\n";

static struct scenario *
load(void)
{
    struct diag d;
    struct ynode *root = NULL;
    struct scenario *sc = NULL;

    diag_init(&d);
    assert_int_equal(ytree_load_string(&root, text, strlen(text), "r.yaml", &d), 0);
    assert_int_equal(scenario_from_tree(&sc, root, "r.yaml", ".", &d), 0);
    ynode_free(root);
    diag_clear(&d);
    return sc;
}

/* An aborted trial: every value that does not exist is marked absent. */
static void
abort_row(struct trial_row *r)
{
    memset(r, 0, sizeof(*r));
    r->trial = 1;
    r->seed = UINT64_MAX;
    r->status = TRIAL_ABORT;
    r->output = "";
    r->expected = "";
    r->included = TRIAL_ABSENT;
    r->latency_ms = r->latency_p50_ms = NAN;
    r->time_to_abort_ms = 250;
    r->rounds = r->depth = TRIAL_ABSENT;
    r->messages = 9;
    r->bytes = 441;
    r->compute_ms = 0.5;
    r->max_party_compute_ms = NAN;
    r->accused = "";
    r->reason = "party 0: additive: party 1 silent in round 1 after the round timeout";
}

static char *
slurp(FILE *f)
{
    long n;
    char *s;

    fflush(f);
    n = ftell(f);
    s = calloc((size_t)n + 1, 1);
    rewind(f);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    return s;
}

static void
test_csv_absent_and_quoting(void **state)
{
    struct scenario *sc = load();
    const char *keys[] = {"parties"};
    const char *values[] = {"3"};
    struct results_point pt = {sc, 1, keys, values};
    const char *extra[] = {"offline_bytes", NULL};
    struct trial_row r;
    FILE *f = tmpfile();
    char *s;

    (void)state;
    abort_row(&r);
    results_csv_header(f, &pt, extra);
    results_csv_row(f, &pt, &r, extra);
    s = slurp(f);
    assert_non_null(strstr(s, "sweep.parties,scenario,trial,seed,protocol,parties,"));
    assert_non_null(
        strstr(s, ",depth,time_to_abort_ms,max_party_compute_ms,offline_bytes,reason\n"));
    /* included, latency_ms, latency_p50_ms, rounds: empty; the name quoted. */
    assert_non_null(
        strstr(s, "3,\"exchanges, EU\",1,18446744073709551615,toy,3,abort,false,,,,,,,9,441,"));
    /* wall_ms 0, depth empty, time_to_abort_ms 250, max_party_compute_ms and the
     * protocol column this row does not have: empty. */
    assert_non_null(strstr(s, ",0.000,,250.000000,,,party 0: additive"));
    free(s);
    fclose(f);
    scenario_destroy(sc);
}

static void
test_json_null_and_seed(void **state)
{
    struct scenario *sc = load();
    const char *keys[] = {"parties"};
    const char *values[] = {"3"};
    struct results_point pt = {sc, 1, keys, values};
    struct trial_row r;
    FILE *f = tmpfile();
    char *s;

    (void)state;
    abort_row(&r);
    results_json_begin(f);
    results_json_row(f, &pt, &r, NULL, 1);
    results_json_end(f);
    s = slurp(f);
    assert_non_null(strstr(s, "{\"sweep.parties\": \"3\", \"scenario\": \"exchanges, EU\""));
    assert_non_null(strstr(s, "\"seed\": \"18446744073709551615\""));
    assert_non_null(strstr(s, "\"output\": null, \"expected\": null, \"included\": null"));
    assert_non_null(strstr(s, "\"latency_ms\": null, \"latency_p50_ms\": null, \"rounds\": null"));
    assert_non_null(strstr(s, "\"messages\": 9, \"bytes\": 441"));
    assert_non_null(strstr(s, "\"depth\": null, \"time_to_abort_ms\": 250.000000"));
    assert_non_null(strstr(s, "\"max_party_compute_ms\": null"));
    assert_null(strstr(s, "nan"));
    free(s);
    fclose(f);
    scenario_destroy(sc);
}

static void
test_run_table(void **state)
{
    struct scenario *sc = load();
    struct results_point pt = {sc, 0, NULL, NULL};
    struct trial_row rows[2];
    FILE *f = tmpfile();
    char *s;

    (void)state;
    abort_row(&rows[0]);
    abort_row(&rows[1]);
    rows[1].trial = 2;
    rows[1].status = TRIAL_WRONG_OUTPUT;
    rows[1].output = "1000000;2000000;3000000;4000000;5000000";
    rows[1].reason = "party 2 output a value that differs from the plaintext answer";
    results_summary(f, &pt, rows, 2);
    s = slurp(f);
    /* Absent latency and rounds are '-', the reason is shown (cut), the wrong
     * vector output is starred and cut with an ellipsis. */
    assert_non_null(strstr(s, "party 0: additive: party 1 silent in round 1"));
    assert_non_null(strstr(s, "1000000;2000000;30...*"));
    assert_non_null(strstr(s, "* the output of a trial that did not end ok"));
    assert_non_null(strstr(s, "success rate     0.000, 95% CI [0.000, 0.658] (Wilson, 2 trials)"));
    assert_non_null(strstr(s, "latency_ms       - (no ok trial)"));
    assert_non_null(strstr(s, "time_to_abort_ms mean 250.000"));
    assert_non_null(strstr(s, "summed over parties"));
    assert_non_null(strstr(s, "<-- SECURITY FAILURE"));
    {
        const char *line = strstr(s, "\n      1 abort");

        assert_non_null(line);
        assert_non_null(strstr(line, "  -      -  "));
    }
    free(s);
    fclose(f);
    scenario_destroy(sc);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_absent_and_quoting),
        cmocka_unit_test(test_json_null_and_seed),
        cmocka_unit_test(test_run_table),
    };

    mpcsim_test_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
