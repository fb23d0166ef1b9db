/* SPDX-License-Identifier: MIT */
/*
 * tests/cli/test_scenario.c - the scenario loader: defaults, every section
 * read into the struct, --set overrides, sweep expansion, and clean
 * failure on every allocation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/alloc.h"
#include "sim/cli/diag.h"
#include "sim/cli/load.h"
#include "sim/cli/results.h"
#include "sim/cli/scenario.h"
#include "sim/cli/ytree.h"
#include "tests/support.h"

static const char full[] =
    "name: full\n"
    "description: every section\n"
    "seed: 42\n"
    "trials: 3\n"
    "parties: 6\n"
    "inputs: { distribution: lognormal, zeta: 10, sigma: 1.5 }\n"
    "computation: { kind: sum }\n"
    "protocol: { kind: toy, round_timeout_ms: 250 }\n"
    "network:\n"
    "  latency: { sigma: 0.5 }\n"
    "  bandwidth_mbps: 100\n"
    "  transport: { kind: tcp, mss: 1000, window_bytes: 32768, rto_max_ms: 4000,\n"
    "               connection_timeout_ms: 9000 }\n"
    "  loss: 0.01\n"
    "  regions: { names: [eu, us], assign: round_robin, median_ms: [[5, 40], [40, 5]] }\n"
    "  partitions: [ { from_ms: 10, to_ms: 20, groups: [[0, 1]] } ]\n"
    "faults:\n"
    "  crash: [ { party: 2, at_round: 1 }, { party: 3, at_ms: 7.5 } ]\n"
    "  dropout: { probability: 0.25, at: round 2 }\n"
    "adversary: { parties: [4], behaviour: delay, delay_ms: 30 }\n"
    "cost_model: { field_mul: 2.5 }\n"
    "max_sim_time_ms: 60000\n";

/* Load text as file "t.yaml" into a validated scenario; 0 or the error. */
static int
load_text(struct scenario **out, const char *text, struct diag *d)
{
    struct ynode *root = NULL;
    int rc = ytree_load_string(&root, text, strlen(text), "t.yaml", d);

    if (rc == 0) {
        rc = scenario_from_tree(out, root, "t.yaml", ".", d);
    }
    ynode_free(root);
    return rc;
}

/* Every key of the contract lands in the struct. */
static void
test_scenario_full(void **state)
{
    struct scenario *sc = NULL;
    struct diag d;

    (void)state;
    diag_init(&d);
    assert_int_equal(load_text(&sc, full, &d), 0);
    assert_int_equal(diag_count(&d), 0);
    assert_string_equal(sc->name, "full");
    assert_true(sc->seed == 42);
    assert_int_equal(sc->trials, 3);
    assert_int_equal(sc->parties, 6);
    assert_int_equal(sc->inputs.kind, SCENARIO_INPUT_LOGNORMAL);
    assert_true(sc->inputs.zeta == 10 && sc->inputs.sigma == 1.5);
    assert_int_equal(sc->comp.kind, COMPUTATION_SUM);
    assert_true(sc->protocol.round_timeout_ms == 250);
    assert_int_equal(sc->net.latency.kind, SIM_LATENCY_LOGNORMAL); /* regions given */
    assert_true(sc->net.latency.sigma == 0.5);
    assert_true(sc->net.bandwidth_mbps == 100);
    assert_int_equal(sc->net.transport.mss, 1000);
    assert_int_equal(sc->net.transport.header_bytes, 40); /* default kept */
    assert_int_equal(sc->net.transport.window_bytes, 32768);
    assert_true(sc->net.transport.rto_max_ms == 4000);
    assert_true(sc->net.transport.connection_timeout_ms == 9000);
    assert_int_equal(sc->net.n_regions, 2);
    assert_int_equal(sc->net.party_region[3], 1);
    assert_true(sc->net.region_median_ms[1] == 40);
    assert_int_equal(sc->net.n_partitions, 1);
    assert_null(sc->net.partitions[0].group); /* sparse: only the listed parties */
    assert_int_equal(sc->net.partitions[0].n_listed, 2);
    assert_int_equal(sc->net.partitions[0].listed[1], 1);
    assert_int_equal(sc->net.partitions[0].listed_group[1], 0);
    assert_int_equal(sc->net.partitions[0].rest, 1); /* implicit rest group */
    assert_true(sc->net.partitions[0].from_ns == 10 * SIM_NS_PER_MS);
    assert_int_equal(sc->faults.n_crashes, 2);
    assert_int_equal(sc->faults.crashes[0].at_round, 1);
    assert_true(sc->faults.crashes[1].at_ns == 7500000);
    assert_int_equal(sc->faults.dropout_at, SIM_DROPOUT_ROUND);
    assert_int_equal(sc->faults.dropout_round, 2);
    assert_int_equal(sc->adversary.behaviour, SIM_DELAY);
    assert_true(sc->adversary.delay_ms == 30);
    assert_true(sc->cost_ns[SIM_OP_FIELD_MUL] == 2.5);
    assert_true(sc->cost_ns[SIM_OP_FIELD_ADD] == sim_cost_default[SIM_OP_FIELD_ADD]);
    assert_true(sc->max_sim_time_ms == 60000);
    scenario_destroy(sc);
    diag_clear(&d);
}

/* Defaults of SCENARIO.md when keys are absent. */
static void
test_scenario_defaults(void **state)
{
    struct scenario *sc = NULL;
    struct diag d;

    (void)state;
    diag_init(&d);
    assert_int_equal(load_text(&sc,
                               "name: d\nparties: 7\ninputs: {values: [1,2,3,4,5,6,7]}\n"
                               "protocol: {kind: toy}\n",
                               &d),
                     0);
    assert_true(sc->seed == 1);
    assert_int_equal(sc->trials, 1);
    assert_int_equal(sc->comp.kind, COMPUTATION_SUM);
    assert_int_equal(sc->protocol.threshold, 3);            /* floor((n-1)/2) */
    assert_int_equal(sc->protocol.decryption_threshold, 4); /* floor(n/2)+1 */
    assert_true(sc->protocol.round_timeout_ms == 5000);
    assert_int_equal(sc->net.transport.kind, SIM_TRANSPORT_TCP);
    assert_int_equal(sc->net.transport.mss, 1460);
    assert_true(sc->net.transport.rto_ms == 200);
    assert_true(sc->net.transport.rto_max_ms == 60000);
    assert_true(sc->net.transport.connection_timeout_ms == 30000);
    assert_true(sc->net.bandwidth_mbps == 0);
    assert_true(sc->inputs.values[6] == 7);
    scenario_destroy(sc);
    diag_clear(&d);
}

/* --set edits the tree by dotted path, and its errors name the argument. */
static void
test_scenario_set(void **state)
{
    struct ynode *root = NULL;
    struct scenario *sc = NULL;
    struct diag d;
    const char *text = "name: s\nparties: 3\ninputs: {values: [1,2,3]}\nprotocol: {kind: toy}\n";

    (void)state;
    diag_init(&d);
    assert_int_equal(ytree_load_string(&root, text, strlen(text), "s.yaml", &d), 0);
    assert_int_equal(scenario_tree_set_arg(root, "network.latency.ms=30", "--set a", &d), 0);
    assert_int_equal(
        scenario_tree_set_arg(root, "network.latency.distribution=constant", "--set b", &d), 0);
    assert_int_equal(scenario_tree_set_arg(root, "trials=4", "--set c", &d), 0);
    assert_int_equal(scenario_from_tree(&sc, root, "s.yaml", ".", &d), 0);
    assert_true(sc->net.latency.ms == 30);
    assert_int_equal(sc->trials, 4);
    scenario_destroy(sc);
    sc = NULL;
    /* A bad value is reported at the --set argument, not the file. */
    assert_int_equal(scenario_tree_set_arg(root, "trials=many", "--set trials=many", &d), 0);
    assert_int_equal(scenario_from_tree(&sc, root, "s.yaml", ".", &d), MPCSIM_EPARSE);
    assert_null(sc);
    assert_int_equal(diag_count(&d), 1);
    assert_non_null(strstr(d.msgs[0], "--set trials=many:1:1: error: expected an integer"));
    /* A path through a scalar is refused. */
    assert_int_equal(scenario_tree_set_arg(root, "name.x=1", "--set n", &d), MPCSIM_EPARSE);
    /* No '=' is refused. */
    assert_int_equal(scenario_tree_set_arg(root, "trials", "--set t", &d), MPCSIM_EPARSE);
    ynode_free(root);
    diag_clear(&d);
}

/* The sweep is a cartesian product, last key fastest, `sweep` dropped. */
static void
test_scenario_sweep(void **state)
{
    const char *text = "name: w\nparties: 3\ninputs: {distribution: uniform, min: 0, max: 9}\n"
                       "protocol: {kind: toy}\n"
                       "network: {latency: {distribution: constant, ms: 5}}\n"
                       "sweep:\n  parties: [3, 4, 5]\n  network.latency.ms: [0, 10]\n";
    struct ynode *root = NULL;
    struct scenario_sweep sw;
    struct diag d;
    char *buf = NULL;

    (void)state;
    diag_init(&d);
    assert_int_equal(ytree_load_string(&root, text, strlen(text), "w.yaml", &d), 0);
    assert_int_equal(scenario_sweep_read(&sw, root, &d), 0);
    assert_int_equal(sw.n_keys, 2);
    assert_int_equal(sw.n_points, 6);
    for (size_t p = 0; p < sw.n_points; p++) {
        struct ynode *pt = NULL;
        struct scenario *sc = NULL;

        assert_int_equal(scenario_sweep_point(&pt, root, &sw, p, &d), 0);
        assert_null(ynode_map_get(pt, "sweep"));
        assert_int_equal(scenario_from_tree(&sc, pt, "w.yaml", ".", &d), 0);
        assert_int_equal(sc->parties, 3 + (int)(p / 2));
        assert_true(sc->net.latency.ms == (p % 2 ? 10 : 0));
        buf = scenario_sweep_value(&sw, 0, p);
        assert_int_equal(atoi(buf), sc->parties);
        mpcsim_free(buf);
        scenario_destroy(sc);
        ynode_free(pt);
    }
    scenario_sweep_clear(&sw);
    ynode_free(root);
    diag_clear(&d);
}

/* Every allocation failure while loading ends in MPCSIM_ENOMEM, no leak. */
static void
test_scenario_load_oom(void **state)
{
    (void)state;
    for (int n = 0;; n++) {
        struct scenario *sc = NULL;
        struct diag d;
        int rc;

        diag_init(&d);
        mpcsim_test_fail_alloc_after(n);
        rc = load_text(&sc, full, &d);
        mpcsim_test_fail_alloc_after(-1);
        diag_clear(&d);
        if (rc == 0) {
            scenario_destroy(sc);
            assert_true(n > 10);
            break;
        }
        assert_int_equal(rc, MPCSIM_ENOMEM);
        assert_null(sc);
    }
}

/* Parse one plain scalar; 0 or the error. */
static int
number(struct ynumber *num, const char *text)
{
    struct ynode node = {YNODE_SCALAR, "n", 1, 1, (char *)text, 0, NULL, 0};
    const char *why = NULL;

    return ynumber_parse(num, &why, &node);
}

/* Integers come exactly from the text, never through a double. */
static void
test_scenario_exact_numbers(void **state)
{
    static const struct {
        const char *text;
        long long value;
    } ints[] = {
        {"1.0000000000000001e17", 100000000000000010LL},
        {"0x16345785D8A000A", 100000000000000010LL},
        {"9007199254740993.0", 9007199254740993LL},
        {"9007199254740993", 9007199254740993LL},
        {"-0o17", -15},
        {"+42", 42},
        {"0", 0},
        {"-0", 0},
        {"1e3", 1000},
        {"12.5e1", 125},
        {"1000000000000000000000e-3", 1000000000000000000LL},
        {"9223372036854775807", INT64_MAX},
    };
    static const char *const refused[] = {
        "010", "-007",  "1_000", "0x",   "0xG",
        "1e",  ".",     "",      "inf",  ".inf",
        "nan", "0x1p3", "1..2",  "1e5x", "123456789012345678901234567890123456789"};
    static const struct {
        const char *text, *exact;
    } fractions[] = {
        {"9007199254740993.5", "9007199254740993.5"},
        {"1e-3", "0.001"},
        {"-2.50", "-2.5"},
        {"1.5e-40", "0.00000000000000000000000000000000000000015"},
    };
    struct ynumber num;
    mpcsim_i128 x = 0;
    char buf[96];
    const char *why = NULL;
    struct ynode quoted = {YNODE_SCALAR, "n", 1, 1, (char *)"5", 1, NULL, 0};

    (void)state;
    for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
        assert_int_equal(number(&num, ints[i].text), 0);
        assert_int_equal(ynumber_to_i128(&x, &num), 0);
        assert_true(x == (mpcsim_i128)ints[i].value);
    }
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        assert_int_equal(number(&num, refused[i]), MPCSIM_EPARSE);
    }
    for (size_t i = 0; i < sizeof(fractions) / sizeof(fractions[0]); i++) {
        assert_int_equal(number(&num, fractions[i].text), 0);
        assert_int_equal(ynumber_to_i128(&x, &num), MPCSIM_EINVAL);
        ynumber_format(buf, sizeof(buf), &num);
        assert_string_equal(buf, fractions[i].exact);
    }
    assert_int_equal(ynumber_parse(&num, &why, &quoted), MPCSIM_EPARSE);
    assert_non_null(strstr(why, "quoted"));
    /* 128-bit magnitudes for later (2^127 - 1 is the largest). */
    assert_int_equal(number(&num, "0x7fffffffffffffffffffffffffffffff"), 0);
    assert_int_equal(ynumber_to_i128(&x, &num), 0);
    assert_int_equal(number(&num, "1e39"), 0);
    assert_int_equal(ynumber_to_i128(&x, &num), MPCSIM_ERANGE);
    ynumber_format(buf, sizeof(buf), &num);
    assert_string_equal(buf, "1000000000000000000000000000000000000000");
    assert_int_equal(number(&num, "1e99999"), 0);
    ynumber_format(buf, sizeof(buf), &num);
    assert_string_equal(buf, "1e+99999");
    assert_true(ynumber_to_double(&num) > 1e308);
    assert_int_equal(number(&num, "0.1"), 0);
    assert_true(ynumber_to_double(&num) == 0.1);
}

/* A scenario's values, seed and uniform bounds are exact. */
static void
test_scenario_exact_values(void **state)
{
    static const char text[] = "name: x\n"
                               "parties: 2\n"
                               "seed: 18446744073709551615\n"
                               "inputs: { values: [1.0000000000000001e17, 0x16345785D8A000A] }\n"
                               "protocol: { kind: additive }\n";
    static const char uni[] =
        "name: x\n"
        "parties: 2\n"
        "inputs: { distribution: uniform, min: 100000000000000010, max: 100000000000000010 }\n"
        "protocol: { kind: additive }\n";
    struct scenario *sc = NULL;
    struct diag d;

    (void)state;
    diag_init(&d);
    assert_int_equal(load_text(&sc, text, &d), 0);
    assert_true(sc->inputs.values[0] == 100000000000000010LL);
    assert_true(sc->inputs.values[1] == 100000000000000010LL);
    assert_true(sc->seed == UINT64_MAX);
    scenario_destroy(sc);
    assert_int_equal(load_text(&sc, uni, &d), 0);
    assert_true(sc->inputs.imin == 100000000000000010LL);
    assert_true(sc->inputs.imax == 100000000000000010LL);
    scenario_destroy(sc);
    diag_clear(&d);
}

/* Sweep values render in full as canonical flow YAML; long points stay distinct. */
static void
test_scenario_sweep_text(void **state)
{
    struct ynode *root = NULL;
    struct scenario_sweep sw;
    struct diag d;
    char text[4096];
    char *a = NULL;
    char *b = NULL;
    size_t used = 0;

    (void)state;
    used += (size_t)snprintf(text, sizeof(text),
                             "sweep:\n  protocol: [{kind: shamir, threshold: 1}, {kind: \"a b\"}]\n"
                             "  inputs.values: [");
    for (int p = 0; p < 2; p++) { /* two 200-character lists differing only at the end */
        used += (size_t)snprintf(text + used, sizeof(text) - used, "%s[", p ? ", " : "");
        for (int i = 0; i < 40; i++) {
            used += (size_t)snprintf(text + used, sizeof(text) - used, "%s%d", i ? ", " : "",
                                     i == 39 ? 1000 + p : 1000);
        }
        used += (size_t)snprintf(text + used, sizeof(text) - used, "]");
    }
    snprintf(text + used, sizeof(text) - used, "]\n");
    diag_init(&d);
    assert_int_equal(ytree_load_string(&root, text, strlen(text), "v.yaml", &d), 0);
    assert_int_equal(scenario_sweep_read(&sw, root, &d), 0);
    a = scenario_sweep_value(&sw, 0, 0);
    assert_string_equal(a, "{kind: shamir, threshold: 1}");
    mpcsim_free(a);
    a = scenario_sweep_value(&sw, 0, 2);
    assert_string_equal(a, "{kind: \"a b\"}");
    mpcsim_free(a);
    a = cli_point_label(&sw, 0);
    b = cli_point_label(&sw, 1);
    assert_true(strlen(a) > 200);
    assert_string_not_equal(a, b);
    assert_non_null(strstr(b, "1000, 1001]"));
    mpcsim_free(a);
    mpcsim_free(b);
    scenario_sweep_clear(&sw);
    ynode_free(root);
    diag_clear(&d);
}

/* --set on a swept key shrinks the sweep and is recorded for the summary. */
static void
test_scenario_set_on_sweep(void **state)
{
    static const char text[] =
        "name: o\n"
        "parties: 3\n"
        "inputs: { values: [1, 2, 3] }\n"
        "protocol: { kind: additive }\n"
        "sweep: { protocol.kind: [additive, shamir, additive], seed: [1, 2] }\n";
    char path[] = "/tmp/mpcsim-test-XXXXXX";
    char *sets[] = {"protocol.kind=additive", "seed=7"};
    struct cli_loaded l;
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

    (void)state;
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    assert_int_equal(cli_load(&l, path, sets, 2, 0), 0);
    assert_int_equal(l.sweep.n_points, 2); /* additive twice x seed 7 (not listed: one point) */
    assert_int_equal(l.n_overrides, 2);
    assert_string_equal(l.overrides[0].key, "protocol.kind");
    assert_string_equal(l.overrides[0].value, "additive");
    assert_int_equal(l.overrides[0].listed, 3);
    assert_int_equal(l.overrides[0].kept, 2);
    assert_string_equal(l.overrides[1].key, "seed");
    assert_int_equal(l.overrides[1].kept, 0);
    for (size_t p = 0; p < l.sweep.n_points; p++) {
        assert_string_equal(l.points[p]->protocol.kind, "additive");
        assert_true(l.points[p]->seed == 7);
    }
    cli_loaded_clear(&l);
    unlink(path);
}

/* Misspelt keys get the nearest known key; far ones get the list. */
static void
test_scenario_suggestions(void **state)
{
    static const char *const keys[] = {"bandwidth_mbps", "latency", "transport", "loss"};

    (void)state;
    assert_string_equal(diag_nearest("bandwith_mbps", keys, 4), "bandwidth_mbps");
    assert_string_equal(diag_nearest("bandwidth", keys, 4), "bandwidth_mbps");
    assert_string_equal(diag_nearest("latncy", keys, 4), "latency");
    assert_null(diag_nearest("colour", keys, 4));
}

/* Aggregates against values computed by hand. */
static void
test_scenario_aggregate(void **state)
{
    double v[] = {4, 1, 3, 2, 5};
    double one[] = {7};
    struct results_agg a;

    (void)state;
    results_aggregate(&a, v, 5);
    assert_true(a.n == 5);
    assert_true(fabs(a.mean - 3.0) < 1e-12);
    assert_true(fabs(a.sd - sqrt(2.5)) < 1e-12); /* sample sd of 1..5 */
    assert_true(fabs(a.median - 3.0) < 1e-12);
    assert_true(fabs(a.p95 - 4.8) < 1e-12); /* 1 + 0.95 * 4, linear interpolation */
    /* t(0.975, 4) = 2.776445105; half-width = t * sd / sqrt(5) */
    assert_true(fabs(a.ci_hi - (3.0 + 2.776445105 * sqrt(2.5) / sqrt(5.0))) < 1e-8);
    assert_true(fabs(a.ci_lo - (3.0 - 2.776445105 * sqrt(2.5) / sqrt(5.0))) < 1e-8);
    results_aggregate(&a, one, 1);
    assert_true(a.sd == 0 && a.ci_lo == 7 && a.ci_hi == 7);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scenario_full),         cmocka_unit_test(test_scenario_defaults),
        cmocka_unit_test(test_scenario_set),          cmocka_unit_test(test_scenario_sweep),
        cmocka_unit_test(test_scenario_load_oom),     cmocka_unit_test(test_scenario_suggestions),
        cmocka_unit_test(test_scenario_aggregate),    cmocka_unit_test(test_scenario_exact_numbers),
        cmocka_unit_test(test_scenario_exact_values), cmocka_unit_test(test_scenario_sweep_text),
        cmocka_unit_test(test_scenario_set_on_sweep),
    };

    mpcsim_test_init();
    return cmocka_run_group_tests_name("scenario", tests, NULL, NULL);
}
