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

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
    /* 3 repetitions + 4 aggregates (mean, median, stddev, cv). */
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

/*
 * One entry of the "benchmarks" array, read the way Google Benchmark's
 * tools/compare.py (gbench/report.py, util.py) reads it: name, run_name,
 * run_type, aggregate_name, repetitions, repetition_index, threads,
 * iterations, real_time, cpu_time, time_unit and the items_per_second
 * counter.  Our writer puts one "key": value per line.
 */
struct gb_entry {
    char name[256], run_name[256], run_type[256], aggregate_name[256], aggregate_unit[256];
    char time_unit[256];
    long repetitions, repetition_index, threads, iterations;
    double real_time, cpu_time, items_per_second;
};

static int
gb_parse(const char *json, struct gb_entry *e, int max)
{
    const char *p = strstr(json, "\"benchmarks\": [");
    int n = 0;

    assert_non_null(p);
    while ((p = strstr(p, "\n    {\n")) != NULL) {
        const char *end = strstr(p, "\n    }");
        struct gb_entry *x = &e[n];

        assert_true(n < max);
        assert_non_null(end);
        memset(x, 0, sizeof(*x));
        x->repetition_index = -1;
        x->real_time = x->cpu_time = x->items_per_second = NAN;
        p += 7;
        while (p < end) {
            char key[64], val[256];
            const char *nl = strchr(p, '\n');

            assert_int_equal(sscanf(p, " \"%63[^\"]\": %255[^\n]", key, val), 2);
            if (val[strlen(val) - 1] == ',') {
                val[strlen(val) - 1] = '\0';
            }
            if (val[0] == '"') {
                char *q = strchr(val + 1, '"');

                assert_non_null(q);
                *q = '\0';
                memmove(val, val + 1, strlen(val));
            }
            if (strcmp(key, "name") == 0) {
                snprintf(x->name, sizeof(x->name), "%s", val);
            } else if (strcmp(key, "run_name") == 0) {
                snprintf(x->run_name, sizeof(x->run_name), "%s", val);
            } else if (strcmp(key, "run_type") == 0) {
                snprintf(x->run_type, sizeof(x->run_type), "%s", val);
            } else if (strcmp(key, "aggregate_name") == 0) {
                snprintf(x->aggregate_name, sizeof(x->aggregate_name), "%s", val);
            } else if (strcmp(key, "aggregate_unit") == 0) {
                snprintf(x->aggregate_unit, sizeof(x->aggregate_unit), "%s", val);
            } else if (strcmp(key, "time_unit") == 0) {
                snprintf(x->time_unit, sizeof(x->time_unit), "%s", val);
            } else if (strcmp(key, "repetitions") == 0) {
                x->repetitions = atol(val);
            } else if (strcmp(key, "repetition_index") == 0) {
                x->repetition_index = atol(val);
            } else if (strcmp(key, "threads") == 0) {
                x->threads = atol(val);
            } else if (strcmp(key, "iterations") == 0) {
                x->iterations = atol(val);
            } else if (strcmp(key, "real_time") == 0) {
                x->real_time = strtod(val, NULL);
            } else if (strcmp(key, "cpu_time") == 0) {
                x->cpu_time = strtod(val, NULL);
            } else if (strcmp(key, "items_per_second") == 0) {
                x->items_per_second = strtod(val, NULL);
            }
            p = nl + 1;
        }
        n++;
        p = end;
    }
    return n;
}

/* Google Benchmark's statistics (src/statistics.cc). */
static void
gb_stats(const double *v, int n, double out[4])
{
    double tmp[16], mean = 0, ss = 0;

    for (int i = 0; i < n; i++) {
        mean += v[i] / n;
        tmp[i] = v[i];
    }
    for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
            if (tmp[j] < tmp[i]) {
                double t = tmp[i];

                tmp[i] = tmp[j];
                tmp[j] = t;
            }
        }
        ss += (v[i] - mean) * (v[i] - mean);
    }
    out[0] = mean;
    out[1] = n % 2 ? tmp[n / 2] : (tmp[n / 2 - 1] + tmp[n / 2]) / 2;
    out[2] = n > 1 ? sqrt(ss / (n - 1)) : 0;
    out[3] = n > 1 && mean != 0 ? out[2] / mean : 0;
}

static void
assert_close(double got, double want)
{
    if (!(fabs(got - want) <= 1e-9 * fabs(want) + 1e-12)) {
        fail_msg("got %.17g, want %.17g", got, want);
    }
}

/* The aggregates are computed from the repetitions, as Google Benchmark
 * computes them; none with one repetition. */
static void
test_harness_json_aggregates(void **state)
{
    char path[] = "/tmp/mpcsim-bench-agg-XXXXXX";
    int fd = mkstemp(path);
    char *args[] = {"bench",         "--filter", "^field/inv$", "--min-time", "0.02",
                    "--repetitions", "4",        "--json",      path,         NULL};
    static const char *const aggs[] = {"mean", "median", "stddev", "cv"};
    struct gb_entry e[16];
    double real[4], cpu[4], ips[4], s_real[4], s_cpu[4], s_ips[4];
    char *json;
    int n;

    (void)state;
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(bench_main(9, args), 0);
    json = slurp(path);
    n = gb_parse(json, e, 16);
    assert_int_equal(n, 8);
    for (int i = 0; i < 4; i++) {
        assert_string_equal(e[i].run_type, "iteration");
        assert_string_equal(e[i].name, "field/inv");
        assert_int_equal(e[i].repetition_index, i);
        assert_int_equal(e[i].repetitions, 4);
        assert_int_equal(e[i].threads, 1);
        assert_string_equal(e[i].time_unit, "ns");
        assert_true(e[i].real_time > 0 && e[i].cpu_time > 0);
        /* A rate counter: items per CPU second (Google Benchmark's default),
         * the same items per iteration in every repetition. */
        assert_close(e[i].items_per_second * e[i].cpu_time / 1e9,
                     e[0].items_per_second * e[0].cpu_time / 1e9);
        assert_true(e[i].items_per_second * e[i].cpu_time / 1e9 > 0.999);
        real[i] = e[i].real_time;
        cpu[i] = e[i].cpu_time;
        ips[i] = e[i].items_per_second;
    }
    gb_stats(real, 4, s_real);
    gb_stats(cpu, 4, s_cpu);
    gb_stats(ips, 4, s_ips);
    for (int a = 0; a < 4; a++) {
        const struct gb_entry *x = &e[4 + a];
        char want[64];

        snprintf(want, sizeof(want), "field/inv_%s", aggs[a]);
        assert_string_equal(x->name, want);
        assert_string_equal(x->run_name, "field/inv");
        assert_string_equal(x->run_type, "aggregate");
        assert_string_equal(x->aggregate_name, aggs[a]);
        assert_string_equal(x->aggregate_unit, a == 3 ? "percentage" : "time");
        assert_int_equal(x->repetition_index, -1);
        assert_int_equal(x->iterations, 4); /* aggregates count repetitions */
        assert_int_equal(x->repetitions, 4);
        assert_int_equal(x->threads, 1);
        assert_string_equal(x->time_unit, "ns");
        assert_close(x->real_time, s_real[a]);
        assert_close(x->cpu_time, s_cpu[a]);
        assert_close(x->items_per_second, s_ips[a]);
    }
    free(json);
    /* One repetition: no aggregates. */
    args[6] = "1";
    assert_int_equal(bench_main(9, args), 0);
    json = slurp(path);
    assert_int_equal(gb_parse(json, e, 16), 1);
    assert_int_equal(count(json, "\"run_type\": \"aggregate\""), 0);
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

/* --compare fails closed: a baseline that is not a valid count file, or
 * that holds none of the kernels, is an error, never "new kernel". */
static void
test_harness_compare_fails_closed(void **state)
{
    static const char *const bad[] = {
        "",
        "{\n  \"benchmarks\": [\n    {\n      \"name\": \"a\",\n      \"instructions\": 10",
        "not json",
        "{\"benchmarks\": [{\"name\": \"a\", \"instructions\": NaN}]}",
        "{\"benchmarks\": [{\"name\": \"a\", \"instructions\": -1000}]}",
        "{\"benchmarks\": [{\"name\": \"a\", \"instructions\": Infinity}]}",
        "{\"benchmarks\": [{\"name\": \"a\", \"instructions\": 1e999}]}",
        "{\"benchmarks\": [{\"name\": \"a\", \"instructions\": 0}]}",
        "{\"benchmarks\": [{\"name\": \"other\", \"instructions\": 1000}]}",
        "{\"benchmarks\": [{\"name\": \"a\", \"real_time\": 5}]}",
        "{\"benchmarks\": [{\"name\": \"a\", \"instructions\": 1000}]} trailing",
        "{\"benchmarks\": [{\"name\": \"a\", \"instructions\": 1000},]}",
        "{\"benchmarks\": [{\"name\": \"a\", \"instructions\": 1.}]}",
        "{\"benchmarks\": [{\"name\": \"a\", \"instructions\": 1e}]}",
        "{\"benchmarks\": [{\"name\": \"a\", \"instructions\": 01}]}",
        "{\"benchmarks\": [{\"name\": \"a\", \"instructions\": "
        "1000000000000000000000000000000000000000000000000000000000000000000}]}",
        "{\"benchmarks\": [{\"name\": \"a\\q\", \"instructions\": 1000}]}",
        "{\"benchmarks\": [{\"name\": \"a\\u12\", \"instructions\": 1000}]}",
        "{\"benchmarks\": [{\"name\": \"a\n\", \"instructions\": 1000}]}",
        "{\"benchmarks\": [{\"name\": \"a, \"instructions\": 1000}]}",
        "{\"benchmarks\": [{\"name\" \"a\", \"instructions\": 1000}]}",
        "{\"benchmarks\": [{\"name\": \"a\" \"instructions\": 1000}]}",
        "{\"benchmarks\": [{\"name\": \"a\", \"instructions\": 1000} {}]}",
        "{\"x\": tru, \"benchmarks\": [{\"name\": \"a\", \"instructions\": 1000}]}",
        "{\"x\": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
        "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]], "
        "\"benchmarks\": [{\"name\": \"a\", \"instructions\": 1000}]}",
        "{\"benchmarks\": [{\"name\": \"a\", \"instructions\": \"1000\"}]}",
        "[1000]",
    };
    const char *names[] = {"a"};
    double counts[] = {1000};
    FILE *sink = fopen("/dev/null", "w");

    (void)state;
    assert_non_null(sink);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int rc = bench_compare(sink, bad[i], names, counts, 1, 0.05);

        if (rc >= 0) {
            fail_msg("baseline %zu accepted (%d): %s", i, rc, bad[i]);
        }
    }
    assert_int_equal(bench_compare(sink,
                                   "{\"benchmarks\": [{\"name\": \"a\", \"instructions\": 1000}]}",
                                   names, counts, 1, 0.05),
                     0);
    /* All of JSON's forms elsewhere in the file are fine. */
    assert_int_equal(bench_compare(sink,
                                   " {\"context\": {\"a\": [1, -2.5e+3, 0.5E-1, true, false, null, "
                                   "\"x\\u0041\\n\\\"\\/\"], \"e\": {}, \"f\": []},\n"
                                   "\"benchmarks\": [5, {}, {\"name\": \"a\", \"instructions\": "
                                   "1000.0}, {\"name\": \"b\"}]}\n",
                                   names, counts, 1, 0.05),
                     0);
    fclose(sink);
}

/* A FIFO, an empty file or a directory as --compare baseline: exit 2 at
 * once, before anything runs (a FIFO must not block). */
static void
test_harness_compare_file(void **state)
{
    char dir[] = "/tmp/mpcsim-bench-cmp-XXXXXX";
    char fifo[300], empty[300];
    char *args[] = {"bench", "--count-instructions", "--filter", "^field/inv$", "--compare", NULL,
                    NULL};
    FILE *f;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(fifo, sizeof(fifo), "%s/fifo.json", dir);
    snprintf(empty, sizeof(empty), "%s/empty.json", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    f = fopen(empty, "w");
    assert_non_null(f);
    fclose(f);
    alarm(60); /* a blocking open fails the test instead of hanging it */
    args[5] = fifo;
    assert_int_equal(bench_main(6, args), 2);
    args[5] = empty;
    assert_int_equal(bench_main(6, args), 2);
    args[5] = dir;
    assert_int_equal(bench_main(6, args), 2);
    alarm(0);
    unlink(fifo);
    unlink(empty);
    rmdir(dir);
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
        cmocka_unit_test(test_harness_json_aggregates),
        cmocka_unit_test(test_harness_compare_fails_closed),
        cmocka_unit_test(test_harness_compare_file),
        cmocka_unit_test(test_harness_calibrate_loads),
    };

    return cmocka_run_group_tests_name("bench_harness", tests, NULL, NULL);
}
