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
    assert_non_null(strstr(
        s, ",depth,time_to_abort_ms,max_party_compute_ms,retransmissions,offline_bytes,reason\n"));
    /* included, latency_ms, latency_p50_ms, rounds: empty; the name quoted. */
    assert_non_null(
        strstr(s, "3,\"exchanges, EU\",1,18446744073709551615,toy,3,abort,false,,,,,,,9,441,"));
    /* wall_ms 0, depth empty, time_to_abort_ms 250, max_party_compute_ms empty,
     * retransmissions 0, the protocol column this row does not have: empty. */
    assert_non_null(strstr(s, ",0.000,,250.000000,,0,,party 0: additive"));
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

static struct scenario *
load_text(const char *t)
{
    struct diag d;
    struct ynode *root = NULL;
    struct scenario *sc = NULL;

    diag_init(&d);
    assert_int_equal(ytree_load_string(&root, t, strlen(t), "v.yaml", &d), 0);
    assert_int_equal(scenario_from_tree(&sc, root, "v.yaml", ".", &d), 0);
    ynode_free(root);
    diag_clear(&d);
    return sc;
}

static const char vec_text[] = "name: vec\n"
                               "seed: 7\n"
                               "parties: 3\n"
                               "inputs: { distribution: uniform, min: 0, max: 10, length: 3 }\n"
                               "protocol: { kind: additive }\n";

/* An ok trial with every value present; integers past 2^53. */
static void
ok_row(struct trial_row *r)
{
    memset(r, 0, sizeof(*r));
    r->trial = 4;
    r->seed = 42;
    r->status = TRIAL_OK;
    r->correct = 1;
    r->output = "10;20;30";
    r->expected = "10;20;30";
    r->included = 3;
    r->latency_ms = 12.5;
    r->latency_p50_ms = 11.25;
    r->rounds = 2;
    r->messages = 9007199254740993ULL; /* 2^53 + 1: not a double */
    r->bytes = 18446744073709551615ULL;
    r->max_party_bytes = 1500;
    r->compute_ms = 0.25;
    r->dropped = 0;
    r->accused = "1;2";
    r->false_accusations = 0;
    r->events = 77;
    r->wall_ms = 1.5;
    r->depth = 4;
    r->time_to_abort_ms = NAN;
    r->max_party_compute_ms = 0.125;
    r->retransmissions = 7;
    r->n_stats = 2;
    strcpy(r->stat_names[0], "offline_bytes");
    r->stat_is_int[0] = 1; /* integer statistics are written exactly */
    r->stat_u64[0] = 12345678901234567891u;
    r->stat_values[0] = 12345678901234567891.0;
    strcpy(r->stat_names[1], "ratio");
    r->stat_values[1] = 0.1;
    r->reason = "";
}

/* RFC 4180: quote on comma, quote, CR or LF; quotes doubled; else as is. */
static void
test_csv_field(void **state)
{
    FILE *f = tmpfile();
    char *s;

    (void)state;
    results_csv_field(f, "plain");
    fputc('|', f);
    results_csv_field(f, "");
    fputc('|', f);
    results_csv_field(f, "a,b");
    fputc('|', f);
    results_csv_field(f, "say \"hi\"");
    fputc('|', f);
    results_csv_field(f, "two\nlines");
    fputc('|', f);
    results_csv_field(f, "cr\r");
    s = slurp(f);
    assert_string_equal(s, "plain||\"a,b\"|\"say \"\"hi\"\"\"|\"two\nlines\"|\"cr\r\"");
    free(s);
    fclose(f);
}

/* Sweep keys quoted in the header, values in full, exact integers, the
 * protocol columns this row has (%.10g) and those it lacks (empty). */
static void
test_csv_ok_row_columns(void **state)
{
    struct scenario *sc = load_text(vec_text);
    const char *keys[] = {"network.latency.median_ms", "odd,key"};
    const char *values[] = {"2.5", "x\"y"};
    struct results_point pt = {sc, 2, keys, values};
    const char *extra[] = {"offline_bytes", "ratio", "absent_stat", NULL};
    struct trial_row r;
    FILE *f = tmpfile();
    char *s;

    (void)state;
    ok_row(&r);
    results_csv_header(f, &pt, extra);
    results_csv_row(f, &pt, &r, extra);
    results_csv_header(f, &pt, NULL);
    s = slurp(f);
    assert_non_null(strstr(s, "sweep.network.latency.median_ms,sweep.\"odd,key\",scenario,trial,"));
    assert_non_null(strstr(
        s, ",max_party_compute_ms,retransmissions,offline_bytes,ratio,absent_stat,reason\n"));
    assert_non_null(strstr(s, "\n2.5,\"x\"\"y\",vec,4,42,additive,3,ok,true,10;20;30,10;20;30,3,"
                              "12.500000,11.250000,2,9007199254740993,18446744073709551615,"
                              "1500,0.250000,0,1;2,0,77,1.500,4,,0.125000,7,"
                              "12345678901234567891,0.1,,\n"));
    /* Without extra columns: the contract's columns, then reason. */
    assert_non_null(strstr(s, "\nsweep.network.latency.median_ms,sweep.\"odd,key\",scenario,"));
    assert_non_null(strstr(s, ",time_to_abort_ms,max_party_compute_ms,retransmissions,reason\n"));
    free(s);
    fclose(f);
    scenario_destroy(sc);
}

/* JSON: vectors as arrays, accused as an array, exact integers, protocol
 * columns (null when absent), a second row after ",\n", "malformed" null. */
static void
test_json_vector_rows(void **state)
{
    struct scenario *sc = load_text(vec_text);
    const char *keys[] = {"a\"b"};
    const char *values[] = {"v\\1"};
    struct results_point pt = {sc, 1, keys, values};
    const char *extra[] = {"offline_bytes", "absent_stat", NULL};
    struct trial_row r, w;
    FILE *f = tmpfile();
    char *s;

    (void)state;
    ok_row(&r);
    ok_row(&w);
    w.trial = 5;
    w.status = TRIAL_WRONG_OUTPUT;
    w.correct = 0;
    w.output = "malformed";
    w.accused = "";
    w.reason = "tab\there";
    results_json_begin(f);
    results_json_row(f, &pt, &r, extra, 1);
    results_json_row(f, &pt, &w, extra, 0);
    results_json_end(f);
    s = slurp(f);
    assert_true(strncmp(s, "[\n  {\"sweep.a\\\"b\": \"v\\\\1\", \"scenario\": \"vec\"", 44) == 0);
    assert_non_null(strstr(s, "\"output\": [10,20,30], \"expected\": [10,20,30], \"included\": 3"));
    assert_non_null(strstr(s, "\"latency_ms\": 12.500000, \"latency_p50_ms\": 11.250000, "
                              "\"rounds\": 2, \"messages\": 9007199254740993, "
                              "\"bytes\": 18446744073709551615, \"max_party_bytes\": 1500"));
    assert_non_null(strstr(s, "\"accused\": [1,2], \"false_accusations\": 0, \"events\": 77, "
                              "\"wall_ms\": 1.500, \"depth\": 4, \"time_to_abort_ms\": null, "
                              "\"max_party_compute_ms\": 0.125000, \"retransmissions\": 7, "
                              "\"offline_bytes\": "
                              "12345678901234567891, \"absent_stat\": null, \"reason\": \"\"}"));
    assert_non_null(strstr(s, "},\n  {\"sweep.a\\\"b\""));
    assert_non_null(strstr(s, "\"trial\": 5, \"seed\": \"42\""));
    assert_non_null(strstr(s, "\"status\": \"wrong_output\", \"correct\": false, "
                              "\"output\": null, \"expected\": [10,20,30]"));
    assert_non_null(strstr(s, "\"accused\": [], "));
    assert_non_null(strstr(s, "\"reason\": \"tab\\u0009here\"}\n]\n"));
    free(s);
    fclose(f);
    scenario_destroy(sc);
}

/* The table of ok trials: the point line, vector lengths, no reason, no
 * star, a CI over the ok latencies, byte units, singular/plural. */
static void
test_summary_ok_point(void **state)
{
    struct scenario *sc = load_text(vec_text);
    const char *keys[] = {"parties", "network.bandwidth_mbps"};
    const char *values[] = {"3", "10"};
    struct results_point pt = {sc, 2, keys, values};
    struct trial_row rows[3];
    FILE *f = tmpfile();
    char *s;

    (void)state;
    for (int i = 0; i < 3; i++) {
        ok_row(&rows[i]);
        rows[i].trial = i;
        rows[i].messages = 10;
        rows[i].latency_ms = 10.0 * (i + 1);
        rows[i].bytes = 2500000;        /* 2.5 MB */
        rows[i].max_party_bytes = 1500; /* 1.5 kB */
        rows[i].accused = "";
    }
    results_summary(f, &pt, rows, 3);
    s = slurp(f);
    assert_non_null(
        strstr(s, "vec: additive, 3 parties, sum of length-3 vectors, 3 trials, seed 7\n"));
    assert_non_null(strstr(s, "  point:  parties = 3,  network.bandwidth_mbps = 10\n"));
    assert_non_null(strstr(s, "\n      0 ok           yes     10;20;30"));
    assert_null(strstr(s, "*"));
    assert_non_null(strstr(s, "status           ok 3, abort 0, wrong_output 0; correct 3/3\n"));
    assert_null(strstr(s, "SECURITY FAILURE"));
    assert_null(strstr(s, "time_to_abort_ms mean"));
    assert_non_null(strstr(s, "latency_ms       mean 20.000, median 20.000"));
    assert_non_null(strstr(s, ", 95% CI [-4.841, 44.841] (over 3 ok trials)\n"));
    assert_non_null(strstr(s, "traffic          rounds 2.0, depth 4.0 (trials with output); "
                              "messages 10, bytes 2.5 MB, max per party 1.5 kB"));
    assert_non_null(strstr(s, "compute_ms       0.25 summed over parties, 0.125 the busiest"));
    assert_non_null(strstr(s, "dropped 0.00 parties (mean)"));
    assert_non_null(strstr(s, "trial time       4.5 ms summed over 3 trials"));
    free(s);
    fclose(f);

    /* One trial, under 1 kB, bytes past 1 GB as GB; absent wall time skipped. */
    f = tmpfile();
    rows[0].bytes = 3000000000ULL;
    rows[0].max_party_bytes = 999;
    rows[0].wall_ms = NAN;
    rows[0].dropped = TRIAL_ABSENT;
    rows[0].max_party_compute_ms = NAN;
    results_summary(f, &pt, rows, 1);
    s = slurp(f);
    assert_non_null(strstr(s, ", 1 trial, seed 7\n"));
    assert_non_null(strstr(s, "(over 1 ok trial)\n"));
    assert_non_null(strstr(s, "max 10.000 (over 1 ok trial)\n"));
    assert_non_null(strstr(s, "bytes 3.00 GB, max per party 999 B"));
    assert_non_null(strstr(s, "0.25 summed over parties, - the busiest party"));
    assert_non_null(strstr(s, "dropped - parties (mean)"));
    assert_non_null(strstr(s, "trial time       0.0 ms summed over 1 trial "));
    free(s);
    fclose(f);
    scenario_destroy(sc);
}

/* More than 10 trials: no per-trial lines, only the statistics; aborted
 * trials with no time_to_abort_ms are counted but have no value. */
static void
test_summary_many_trials(void **state)
{
    struct scenario *sc = load();
    struct results_point pt = {sc, 0, NULL, NULL};
    struct trial_row rows[11];
    FILE *f = tmpfile();
    char *s;

    (void)state;
    for (int i = 0; i < 11; i++) {
        abort_row(&rows[i]);
        rows[i].trial = i;
        rows[i].time_to_abort_ms = NAN;
    }
    results_summary(f, &pt, rows, 11);
    s = slurp(f);
    assert_non_null(strstr(s, "exchanges, EU: toy, 3 parties, sum, 11 trials, seed "));
    assert_null(strstr(s, "  trial status"));
    assert_null(strstr(s, "party 1 silent"));
    assert_non_null(strstr(s, "status           ok 0, abort 11, wrong_output 0; correct 0/11\n"));
    assert_non_null(strstr(s, "time_to_abort_ms - (no abort trial with a value)\n"));
    assert_non_null(
        strstr(s, "traffic          rounds -, depth - (trials with output); messages 9"));
    free(s);
    fclose(f);
    scenario_destroy(sc);
}

/* Control characters in scenario text and reasons are escaped in the table. */
static void
test_summary_escapes(void **state)
{
    struct scenario *sc = load();
    const char *keys[] = {"k\x1b[2J"};
    const char *values[] = {"v\x07"};
    struct results_point pt = {sc, 1, keys, values};
    struct trial_row r;
    FILE *f = tmpfile();
    char *s;

    (void)state;
    abort_row(&r);
    r.reason = "bad\x1b]0;title\x07";
    r.output = "7";
    results_summary(f, &pt, &r, 1);
    s = slurp(f);
    assert_non_null(strstr(s, "  point:  k\\e[2J = v\\x07\n"));
    assert_non_null(strstr(s, "bad\\e]0;title\\x07\n"));
    assert_null(strchr(s, '\x1b'));
    assert_null(strchr(s, '\x07'));
    assert_non_null(strstr(s, "7*"));
    free(s);
    fclose(f);
    scenario_destroy(sc);
}

/* The older aggregate: mean, sample sd, median, p95, Student-t CI. */
static void
test_aggregate(void **state)
{
    double v[] = {3, 1, 2};
    double one[] = {5};
    struct results_agg a;

    (void)state;
    results_aggregate(&a, v, 3);
    assert_int_equal(a.n, 3);
    assert_true(fabs(a.mean - 2) < 1e-12 && fabs(a.sd - 1) < 1e-12);
    assert_true(fabs(a.median - 2) < 1e-12 && fabs(a.p95 - 2.9) < 1e-12);
    assert_true(fabs(a.ci_lo - (2 - 4.302652729911275 / sqrt(3))) < 1e-9);
    assert_true(fabs(a.ci_hi - (2 + 4.302652729911275 / sqrt(3))) < 1e-9);
    assert_true(v[0] == 1 && v[2] == 3); /* sorted in place */
    results_aggregate(&a, one, 1);
    assert_true(a.n == 1 && a.mean == 5 && a.sd == 0 && a.ci_lo == 5 && a.ci_hi == 5);
    results_aggregate(&a, NULL, 0);
    assert_true(a.n == 0 && a.mean == 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_absent_and_quoting),
        cmocka_unit_test(test_json_null_and_seed),
        cmocka_unit_test(test_run_table),
        cmocka_unit_test(test_csv_field),
        cmocka_unit_test(test_csv_ok_row_columns),
        cmocka_unit_test(test_json_vector_rows),
        cmocka_unit_test(test_summary_ok_point),
        cmocka_unit_test(test_summary_many_trials),
        cmocka_unit_test(test_summary_escapes),
        cmocka_unit_test(test_aggregate),
    };

    mpcsim_test_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
