/* SPDX-License-Identifier: MIT */
/*
 * tests/bench/test_harness.c - the bench harness itself: JSON in Google
 * Benchmark's shape, parsed back; --filter selects exactly; a 10 %
 * instruction regression is flagged and a 2 % one passes; a calibrated
 * cost table loads as a scenario's cost_model.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/bench.h"
#include "sim/cli/diag.h"
#include "sim/cli/scenario.h"
#include "sim/cli/ytree.h"

static char *
slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long len;

    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    len = ftell(f);
    assert_true(len > 0);
    rewind(f);
    buf = malloc((size_t)len + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
    buf[len] = '\0';
    fclose(f);
    return buf;
}

static size_t
count(const char *hay, const char *needle)
{
    size_t n = 0;

    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle)) {
        n++;
    }
    return n;
}

/* --json output parses back: context keys, and per entry every key. */
static void
test_harness_json_shape(void **state)
{
    char path[] = "/tmp/mpcsim-bench-json-XXXXXX";
    int fd = mkstemp(path);
    char *args[] = {"bench",         "--filter", "^field/inv$", "--min-time", "0.02",
                    "--repetitions", "3",        "--json",      path,         NULL};
    char *json = NULL;

    (void)state;
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(bench_main(9, args), 0);
    json = slurp(path);
    assert_non_null(strstr(json, "\"context\": {"));
    assert_non_null(strstr(json, "\"date\": "));
    assert_non_null(strstr(json, "\"host_name\": "));
    assert_non_null(strstr(json, "\"mpcsim_version\": "));
    assert_non_null(strstr(json, "\"library_build_type\": "));
    assert_non_null(strstr(json, "\"benchmarks\": ["));
    /* 3 repetitions + 4 aggregates (mean, median, min, stddev). */
    assert_int_equal(count(json, "\"run_name\": \"field/inv\""), 7);
    assert_int_equal(count(json, "\"run_type\": \"iteration\""), 3);
    assert_int_equal(count(json, "\"run_type\": \"aggregate\""), 4);
    assert_int_equal(count(json, "\"aggregate_name\": \"median\""), 1);
    assert_int_equal(count(json, "\"iterations\": "), 7);
    assert_int_equal(count(json, "\"real_time\": "), 7);
    assert_int_equal(count(json, "\"cpu_time\": "), 7);
    assert_int_equal(count(json, "\"time_unit\": \"ns\""), 7);
    assert_int_equal(count(json, "\"items_per_second\": "), 7);
    /* --filter selected exactly one kernel: no other name appears. */
    assert_int_equal(count(json, "\"name\": \"field/"), 7);
    assert_int_equal(count(json, "\"name\": "), 7);
    free(json);
    unlink(path);
}

/* A filter that matches nothing is a usage error; a bad regex too. */
static void
test_harness_filter_errors(void **state)
{
    char *none[] = {"bench", "--filter", "^no-such-kernel$", NULL};
    char *bad[] = {"bench", "--filter", "(", NULL};
    char *badopt[] = {"bench", "--repetitions", "0", NULL};

    (void)state;
    assert_int_equal(bench_main(3, none), 2);
    assert_int_equal(bench_main(3, bad), 2);
    assert_int_equal(bench_main(3, badopt), 2);
}

/* A 10 % instruction regression fails at 5 %; 2 % passes; gains pass. */
static void
test_harness_compare(void **state)
{
    const char *baseline = "{\n  \"benchmarks\": [\n"
                           "    {\n      \"name\": \"a\",\n      \"instructions\": 1000\n    },\n"
                           "    {\n      \"name\": \"ab\",\n      \"instructions\": 5000\n    }\n"
                           "  ]\n}\n";
    const char *names[] = {"a", "ab", "new"};
    double worse[] = {1100, 5000, 7};
    double fine[] = {1020, 4000, 7};
    FILE *sink = fopen("/dev/null", "w");

    (void)state;
    assert_non_null(sink);
    assert_int_equal(bench_compare(sink, baseline, names, worse, 3, 0.05), 1);
    assert_int_equal(bench_compare(sink, baseline, names, fine, 3, 0.05), 0);
    /* "a" must not match "ab"'s entry, nor the reverse. */
    worse[0] = 1000;
    worse[1] = 5600;
    assert_int_equal(bench_compare(sink, baseline, names, worse, 3, 0.05), 1);
    fclose(sink);
}

/* --calibrate writes a table that loads as a cost_model. */
static void
test_harness_calibrate_loads(void **state)
{
    char path[] = "/tmp/mpcsim-costs-XXXXXX";
    int fd = mkstemp(path);
    char *args[] = {"bench", "--calibrate",   path, "--min-time",
                    "0.001", "--repetitions", "1",  NULL};
    char text[512];
    struct ynode *root = NULL;
    struct scenario *sc = NULL;
    struct diag d;

    (void)state;
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(bench_main(7, args), 0);
    snprintf(text, sizeof(text),
             "name: c\nparties: 3\ninputs: {values: [1, 2, 3]}\nprotocol: {kind: toy}\n"
             "cost_model: %s\n",
             path);
    diag_init(&d);
    assert_int_equal(ytree_load_string(&root, text, strlen(text), "c.yaml", &d), 0);
    assert_int_equal(scenario_from_tree(&sc, root, "c.yaml", "/", &d), 0);
    /* Loadable and plausible; sanitizer builds are far slower, so no tight bound. */
    assert_true(sc->cost_ns[SIM_OP_FIELD_MUL] > 0 && sc->cost_ns[SIM_OP_FIELD_MUL] < 1e6);
    assert_true(sc->cost_ns[SIM_OP_PAILLIER_ENCRYPT] > 1e5 &&
                sc->cost_ns[SIM_OP_PAILLIER_ENCRYPT] < 1e10);
    scenario_destroy(sc);
    ynode_free(root);
    diag_clear(&d);
    unlink(path);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_harness_json_shape),
        cmocka_unit_test(test_harness_filter_errors),
        cmocka_unit_test(test_harness_compare),
        cmocka_unit_test(test_harness_calibrate_loads),
    };

    return cmocka_run_group_tests_name("bench_harness", tests, NULL, NULL);
}
