/* SPDX-License-Identifier: MIT */
/*
 * tests/cli/test_regions.c - the scenario side of issue 17: the aws-2017
 * regions preset (compiled from sim/data/aws-inter-region-rtt-2017.csv),
 * latency `per` and `jitter`, and `profiles`, read into the struct and run
 * through the engine; errors name FILE:LINE:COL.
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
#include "sim/cli/regions.h"
#include "sim/cli/scenario.h"
#include "sim/cli/ytree.h"
#include "tests/sim/probe.h"
#include "tests/support.h"

#define MS SIM_NS_PER_MS

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

/* Whether some diagnostic contains `needle`. */
static int
diag_has(const struct diag *d, const char *needle)
{
    for (size_t i = 0; i < d->n; i++) {
        if (strstr(d->msgs[i], needle) != NULL) {
            return 1;
        }
    }
    return 0;
}

static const char preset[] = "name: aws\n"
                             "parties: 3\n"
                             "inputs: { values: [1, 2, 3] }\n"
                             "protocol: { kind: toy }\n"
                             "network:\n"
                             "  regions: { preset: aws-2017, assign: [us-east-1, ap-southeast-2, "
                             "us-east-1] }\n"
                             "  latency: { per: pair }\n";

/* us-east-1 -> ap-southeast-2 is 230 ms RTT in the table: 115 ms one-way,
 * the other way 229.7 / 2; a region to itself intra_ms (0.5 by default). */
static void
test_regions_aws_2017(void **state)
{
    struct scenario *sc = NULL;
    struct diag d;
    size_t k;

    (void)state;
    diag_init(&d);
    assert_int_equal(load_text(&sc, preset, &d), 0);
    assert_int_equal(sc->net.n_regions, 10);
    assert_int_equal(sc->net.latency_per, SIM_LATENCY_PER_PAIR);
    assert_int_equal(sc->party_region[0], 0);
    assert_int_equal(sc->party_region[1], 8);
    assert_int_equal(sc->party_region[2], 0);
    k = (size_t)sc->net.n_regions;
    assert_true(sc->region_median_ms[0 * k + 8] == 115.0);
    assert_true(sc->region_median_ms[8 * k + 0] == 229.7 / 2);
    for (size_t r = 0; r < k; r++) {
        assert_true(sc->region_median_ms[r * k + r] == 0.5);
        for (size_t c = 0; c < k; c++) {
            assert_true(sc->region_median_ms[r * k + c] > 0);
        }
    }
    assert_string_equal(region_presets[0].regions[8], "ap-southeast-2");
    scenario_destroy(sc);
    diag_clear(&d);
}

/* Through the engine: party 0 (us-east-1) to party 1 (ap-southeast-2)
 * arrives 115 ms after it leaves; to party 2 (same region) 0.5 ms. */
static void
test_regions_aws_2017_run(void **state)
{
    struct scenario *sc = NULL;
    struct probe_params pp = {0};
    struct sim_config c;
    struct sim *sim = NULL;
    struct diag d;

    (void)state;
    diag_init(&d);
    assert_int_equal(load_text(&sc, preset, &d), 0);
    sim_config_init(&c, 3, 1);
    c.net = sc->net;
    c.net.transport.kind = SIM_TRANSPORT_DATAGRAM;
    probe_no_message_cost(&c);
    pp.receiver = -1;
    pp.count = 1;
    pp.len = 8;
    assert_int_equal(sim_create(&sim, &c, &probe_protocol, &pp), 0);
    assert_int_equal(sim_run(sim), 0);
    assert_int_equal(pp.n_rec, 2);
    for (size_t i = 0; i < 2; i++) {
        assert_true(pp.rec[i].t == (pp.rec[i].to == 1 ? 115 * MS : MS / 2));
    }
    free(pp.rec);
    sim_destroy(sim);
    scenario_destroy(sc);
    diag_clear(&d);
}

/* intra_ms, round_robin over the preset's regions, and the errors. */
static void
test_regions_preset_errors(void **state)
{
    static const char intra[] = "name: aws\nparties: 12\ninputs: { distribution: uniform, min: 0, "
                                "max: 9 }\nprotocol: { kind: toy }\nnetwork:\n"
                                "  regions: { preset: aws-2017, intra_ms: 2 }\n";
    static const char bad[] =
        "name: aws\nparties: 2\ninputs: { values: [1, 2] }\nprotocol: { kind: toy }\n"
        "network:\n"
        "  regions: { preset: aws-2017, assign: [us-east-1, mars-1], names: [a] }\n";
    static const char bad_preset[] =
        "name: aws\nparties: 2\ninputs: { values: [1, 2] }\nprotocol: { kind: toy }\n"
        "network:\n  regions: { preset: aws-2018 }\n";
    static const char intra_matrix[] =
        "name: m\nparties: 2\ninputs: { values: [1, 2] }\nprotocol: { kind: toy }\n"
        "network:\n  regions: { names: [a], median_ms: [[1]], intra_ms: 0.2 }\n";
    struct scenario *sc = NULL;
    struct diag d;

    (void)state;
    diag_init(&d);
    assert_int_equal(load_text(&sc, intra, &d), 0);
    assert_true(sc->region_median_ms[3 * 10 + 3] == 2.0);
    assert_int_equal(sc->party_region[11], 1); /* round robin over 10 */
    scenario_destroy(sc);
    sc = NULL;
    assert_int_equal(load_text(&sc, bad, &d), MPCSIM_EPARSE);
    assert_true(diag_has(&d, "t.yaml:6:52: error: expected one of us-east-1, us-west-1"));
    assert_true(diag_has(&d, "for a region of preset aws-2017, found 'mars-1'"));
    assert_true(diag_has(&d, "us-east-1, us-west-1, us-west-2, eu-west-1, eu-central-1, "
                             "ap-northeast-1, ap-northeast-2, ap-southeast-1, ap-southeast-2, "
                             "sa-east-1"));
    assert_true(
        diag_has(&d, "t.yaml:6:61: error: 'names' does not go with network.regions.preset"));
    diag_clear(&d);
    diag_init(&d);
    assert_int_equal(load_text(&sc, bad_preset, &d), MPCSIM_EPARSE);
    assert_true(diag_has(&d, "t.yaml:6:22: error: unknown network.regions.preset 'aws-2018'; did "
                             "you mean 'aws-2017'?"));
    diag_clear(&d);
    diag_init(&d);
    assert_int_equal(load_text(&sc, intra_matrix, &d), MPCSIM_EPARSE);
    assert_true(diag_has(&d, "t.yaml:6:54: error: network.regions.intra_ms goes with a preset"));
    assert_null(sc);
    diag_clear(&d);
}

/* profiles and latency per/jitter land in the struct. */
static void
test_regions_profiles_parse(void **state)
{
    static const char text[] =
        "name: p\nparties: 500\ninputs: { distribution: uniform, min: 0, max: 9 }\n"
        "protocol: { kind: toy }\n"
        "network:\n"
        "  latency: { distribution: lognormal, median_ms: 20, sigma: 0.3, per: link,\n"
        "             jitter: { distribution: uniform, min_ms: 0, max_ms: 2 } }\n"
        "  bandwidth_mbps: 100\n"
        "profiles:\n"
        "  - { parties: [0], uplink_mbps: 10000, downlink_mbps: 10000, cpu_scale: 0.25 }\n"
        "  - { parties: { from: 1, to: 499 }, uplink_mbps: 5, downlink_mbps: 30, cpu_scale: 3 }\n";
    struct scenario *sc = NULL;
    struct diag d;

    (void)state;
    diag_init(&d);
    assert_int_equal(load_text(&sc, text, &d), 0);
    assert_int_equal(sc->net.latency_per, SIM_LATENCY_PER_LINK);
    assert_int_equal(sc->net.has_jitter, 1);
    assert_int_equal(sc->net.jitter.kind, SIM_LATENCY_UNIFORM);
    assert_true(sc->net.jitter.max_ms == 2);
    assert_int_equal(sc->n_profiles, 2);
    assert_true(sc->profiles[0].uplink_mbps == 10000 && sc->profiles[0].cpu_scale == 0.25);
    assert_true(sc->profiles[1].uplink_mbps == 5 && sc->profiles[1].downlink_mbps == 30 &&
                sc->profiles[1].cpu_scale == 3);
    assert_int_equal(sc->party_profile[0], 0);
    assert_int_equal(sc->party_profile[1], 1);
    assert_int_equal(sc->party_profile[499], 1);
    scenario_destroy(sc);
    diag_clear(&d);
}

/* A party in two profiles is an error at its second listing. */
static void
test_regions_profiles_errors(void **state)
{
    static const char text[] =
        "name: p\nparties: 5\ninputs: { distribution: uniform, min: 0, max: 9 }\n"
        "protocol: { kind: toy }\n"
        "profiles:\n"
        "  - { parties: { from: 1, to: 3 }, cpu_scale: 2 }\n"
        "  - { parties: [4, 3], uplink_mbps: 5 }\n"
        "  - { parties: { from: 2, to: 1 } }\n"
        "  - { parties: [0], cpu_scale: 0, downlink: 4 }\n";
    struct scenario *sc = NULL;
    struct diag d;

    (void)state;
    diag_init(&d);
    assert_int_equal(load_text(&sc, text, &d), MPCSIM_EPARSE);
    assert_true(diag_has(&d, "t.yaml:7:20: error: party 3 is in two profiles (0 and 1"));
    assert_true(diag_has(&d, "t.yaml:8:31: error: a profile's parties range ends (1) before it "
                             "starts (2)"));
    assert_true(diag_has(&d, "t.yaml:9:32: error: expected a number in (0, 1000] for a "
                             "profile's cpu_scale"));
    assert_true(diag_has(&d, "t.yaml:9:35: error: unknown key 'downlink' in a profile; did you "
                             "mean 'downlink_mbps'?"));
    assert_null(sc);
    diag_clear(&d);
}

/* Every allocation failure while loading profiles and a preset is clean. */
static void
test_regions_load_oom(void **state)
{
    static const char text[] =
        "name: p\nparties: 4\ninputs: { values: [1, 2, 3, 4] }\nprotocol: { kind: toy }\n"
        "network:\n  regions: { preset: aws-2017, assign: round_robin }\n"
        "profiles: [ { parties: [1, 2], cpu_scale: 2 } ]\n";

    (void)state;
    for (int k = 0;; k++) {
        struct scenario *sc = NULL;
        struct diag d;
        int rc;

        diag_init(&d);
        mpcsim_test_fail_alloc_after(k);
        rc = load_text(&sc, text, &d);
        mpcsim_test_fail_alloc_after(-1);
        diag_clear(&d);
        if (rc == 0) {
            scenario_destroy(sc);
            break;
        }
        assert_int_equal(rc, MPCSIM_ENOMEM);
        assert_null(sc);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_regions_aws_2017),
        cmocka_unit_test(test_regions_aws_2017_run),
        cmocka_unit_test(test_regions_preset_errors),
        cmocka_unit_test(test_regions_profiles_parse),
        cmocka_unit_test(test_regions_profiles_errors),
        cmocka_unit_test(test_regions_load_oom),
    };

    mpcsim_test_init();
    return cmocka_run_group_tests_name("regions", tests, NULL, NULL);
}
