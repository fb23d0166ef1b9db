/* SPDX-License-Identifier: MIT */
/*
 * tests/paillier/test_paillier_adapter.c - whole trials of the Paillier
 * protocol on the engine: star and tree, threshold and single decryption,
 * dropouts up to n - t and the aborts beyond, and the adversary
 * behaviours.  1024-bit keys except the 100-party timing run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/alloc.h"
#include "protocols/paillier/adapter.h"
#include "tests/support.h"

#define MAXN 100
#define MAXL 4

struct outcome {
    int outputs, correct, aborted, wrong;
    int accused[MAXN]; /* times each party was accused */
    int included;      /* parties included by party 0's (or any) output */
};

static mpcsim_i128 g_in[MAXN][MAXL];
static const mpcsim_i128 *g_rows[MAXN];
static size_t g_len[MAXN];

static void
make_inputs(int n, size_t L)
{
    for (int i = 0; i < n; i++) {
        for (size_t k = 0; k < L; k++) {
            g_in[i][k] = (int64_t)(mpcsim_test_rand64() % 2000001) - 1000000;
        }
        g_rows[i] = g_in[i];
        g_len[i] = L;
    }
}

/* Run one trial; check every output against computation_expected over its included set. */
static struct outcome
run(int n, const struct paillier_params *prm, const struct sim_crash *crashes, int n_crashes,
    const enum sim_behaviour *beh, double *wall_ms)
{
    struct sim_config c;
    struct sim *sim = NULL;
    struct outcome o;
    const struct sim_accusation *acc = NULL;
    size_t n_acc;
    char err[200];

    memset(&o, 0, sizeof(o));
    assert_int_equal(paillier_params_check(prm, n, err, sizeof(err)), 0);
    sim_config_init(&c, n, 1234);
    c.inputs = g_rows;
    c.input_len = g_len;
    c.net.latency.ms = 20;
    c.round_timeout_ns = 1000 * SIM_NS_PER_MS;
    c.faults.crashes = crashes;
    c.faults.n_crashes = n_crashes;
    c.behaviour = beh;
    assert_int_equal(sim_create(&sim, &c, &paillier_protocol, prm), 0);
    assert_int_equal(sim_run(sim), 0);
    if (wall_ms != NULL) {
        *wall_ms = sim_metrics(sim)->wall_ms;
    }
    for (int i = 0; i < n; i++) {
        const struct sim_party_result *r = sim_party_result(sim, i);
        mpcsim_i128 want[MAXL];
        int inc = 0;

        if (!r->honest || r->crashed) {
            continue;
        }
        if (r->aborted) {
            o.aborted++;
        }
        if (!r->has_output) {
            continue;
        }
        o.outputs++;
        assert_int_equal(r->output_len, prm->comp.length);
        assert_int_equal(computation_expected(want, &prm->comp, n, g_rows, r->included), 0);
        if (memcmp(want, r->output, r->output_len * sizeof(mpcsim_i128)) == 0) {
            o.correct++;
        } else {
            o.wrong++;
        }
        for (int j = 0; j < n; j++) {
            inc += r->included[j] != 0;
        }
        o.included = inc;
    }
    n_acc = sim_accusations(sim, &acc);
    for (size_t k = 0; k < n_acc; k++) {
        o.accused[acc[k].accused]++;
    }
    sim_destroy(sim);
    return o;
}

static struct paillier_params
params(enum computation_kind kind, size_t L, int threshold, int t, int fanout)
{
    struct paillier_params p;

    memset(&p, 0, sizeof(p));
    p.comp.kind = kind;
    p.comp.length = L;
    p.key_bits = 1024;
    p.threshold_decryption = threshold;
    p.decryption_threshold = t;
    p.tree_fanout = fanout;
    return p;
}

/* Star, threshold: every party outputs the right sum over everyone. */
static void
test_paillier_adapter_star_threshold(void **state)
{
    struct paillier_params p = params(COMPUTATION_SUM, 1, 1, 5, 0);
    struct outcome o;

    (void)state;
    make_inputs(8, 1);
    o = run(8, &p, NULL, 0, NULL, NULL);
    assert_int_equal(o.outputs, 8);
    assert_int_equal(o.correct, 8);
    assert_int_equal(o.included, 8);
}

/* Dropouts before sending: up to n - t survive (excluded), one more aborts. */
static void
test_paillier_adapter_dropouts(void **state)
{
    const int n = 8, t = 5;
    struct paillier_params p = params(COMPUTATION_MEAN, 2, 1, t, 0);
    struct sim_crash cr[8];
    struct outcome o;

    (void)state;
    make_inputs(n, 2);
    for (int k = 0; k < n - t + 1; k++) {
        cr[k].party = n - 1 - k;
        cr[k].at_ns = 0;
        cr[k].at_round = 0;
    }
    o = run(n, &p, cr, n - t, NULL, NULL);
    assert_int_equal(o.outputs, t);
    assert_int_equal(o.correct, t);
    assert_int_equal(o.included, t);
    o = run(n, &p, cr, n - t + 1, NULL, NULL);
    assert_int_equal(o.outputs, 0);
    assert_int_equal(o.aborted, t - 1);
    /* Dropping after the ciphertext (round 1): included, and still decrypted. */
    for (int k = 0; k < n - t; k++) {
        cr[k].at_round = 1;
    }
    o = run(n, &p, cr, n - t, NULL, NULL);
    assert_int_equal(o.outputs, t);
    assert_int_equal(o.correct, t);
    assert_int_equal(o.included, n);
    /* The aggregator gone: everyone aborts. */
    cr[0].party = 0;
    cr[0].at_round = 0;
    o = run(n, &p, cr, 1, NULL, NULL);
    assert_int_equal(o.outputs, 0);
    assert_int_equal(o.aborted, n - 1);
}

/* Single decryption; a tree of fanout 2 with weights and vectors. */
static void
test_paillier_adapter_single_and_tree(void **state)
{
    mpcsim_i128 w[10] = {3, -2, 0, 7, 1, -5, 4, 2, 9, -1};
    struct paillier_params p = params(COMPUTATION_SUM, 1, 0, 0, 0);
    struct sim_crash cr[1] = {{4, 0, 0}};
    struct outcome o;

    (void)state;
    make_inputs(6, 1);
    o = run(6, &p, NULL, 0, NULL, NULL);
    assert_int_equal(o.outputs, 6);
    assert_int_equal(o.correct, 6);
    p = params(COMPUTATION_WEIGHTED_SUM, 3, 1, 4, 2);
    p.comp.weights = w;
    p.comp.n_weights = 10;
    make_inputs(10, 3);
    o = run(10, &p, NULL, 0, NULL, NULL);
    assert_int_equal(o.outputs, 10);
    assert_int_equal(o.correct, 10);
    /* an internal node (4: children 9) drops: its subtree {4, 9} is excluded */
    o = run(10, &p, cr, 1, NULL, NULL);
    assert_int_equal(o.outputs, 9);
    assert_int_equal(o.correct, 9);
    assert_int_equal(o.included, 8);
    /* star weighted, single */
    p = params(COMPUTATION_WEIGHTED_SUM, 1, 0, 0, 0);
    p.comp.weights = w;
    p.comp.n_weights = 10;
    o = run(10, &p, NULL, 0, NULL, NULL);
    assert_int_equal(o.correct, 10);
}

/* Single decryption sends only what it needs: the ciphertexts up, then the
 * result from party 0 (no broadcast of the aggregate ciphertexts). */
static void
test_paillier_adapter_single_sends_result_only(void **state)
{
    const int n = 9;
    const size_t L = 2;
    const uint64_t ctb = 2 * 1024 / 8;
    const int fanouts[2] = {0, 2};

    (void)state;
    make_inputs(n, L);
    for (int f = 0; f < 2; f++) {
        struct paillier_params p = params(COMPUTATION_SUM, L, 0, 0, fanouts[f]);
        struct sim_config c;
        struct sim *sim = NULL;
        const struct sim_party_result *r0;

        sim_config_init(&c, n, 99);
        c.inputs = g_rows;
        c.input_len = g_len;
        c.net.latency.ms = 20;
        assert_int_equal(sim_create(&sim, &c, &paillier_protocol, &p), 0);
        assert_int_equal(sim_run(sim), 0);
        for (int i = 0; i < n; i++) {
            assert_true(sim_party_result(sim, i)->has_output);
        }
        /* n - 1 ciphertext messages up the star or tree, n - 1 results down. */
        assert_int_equal(sim_metrics(sim)->messages, 2 * (uint64_t)(n - 1));
        r0 = sim_party_result(sim, 0);
        assert_int_equal(r0->messages_sent, (uint64_t)(n - 1));
        /* Each result carries L 8-byte values and the excluded list, no ciphertext. */
        assert_true(r0->bytes_sent < (uint64_t)(n - 1) * ctb);
        sim_destroy(sim);
    }
}

/* bad_ciphertext and malformed: the sender is accused and left out; nobody is wrong. */
static void
test_paillier_adapter_bad_messages(void **state)
{
    const int n = 7;
    enum sim_behaviour beh[7] = {0};
    struct paillier_params p = params(COMPUTATION_SUM, 1, 1, 3, 0);
    struct outcome o;

    (void)state;
    make_inputs(n, 1);
    beh[3] = SIM_BAD_CIPHERTEXT;
    o = run(n, &p, NULL, 0, beh, NULL);
    assert_int_equal(o.wrong, 0);
    assert_int_equal(o.outputs, n - 1);
    assert_int_equal(o.correct, n - 1);
    assert_int_equal(o.included, n - 1);
    assert_true(o.accused[3] >= 1); /* by the aggregator (and any party still listening) */
    for (int i = 0; i < n; i++) {
        assert_true(i == 3 || o.accused[i] == 0);
    }
    beh[3] = SIM_MALFORMED;
    o = run(n, &p, NULL, 0, beh, NULL);
    assert_int_equal(o.wrong, 0);
    assert_int_equal(o.correct, n - 1);
    assert_true(o.accused[3] >= 1);
    beh[3] = SIM_WITHHOLD;
    o = run(n, &p, NULL, 0, beh, NULL);
    assert_int_equal(o.correct, n - 1);
    assert_int_equal(o.included, n - 1);
}

/* corrupt_shares on partial decryptions: detected (abort), never a wrong output. */
static void
test_paillier_adapter_corrupt_shares(void **state)
{
    const int n = 7;
    enum sim_behaviour beh[7] = {0};
    struct paillier_params p = params(COMPUTATION_SUM, 1, 1, 3, 0);
    struct outcome o;

    (void)state;
    make_inputs(n, 1);
    beh[1] = SIM_CORRUPT_SHARES;
    o = run(n, &p, NULL, 0, beh, NULL);
    assert_int_equal(o.wrong, 0);
    assert_true(o.aborted > 0);
    assert_int_equal(o.outputs + o.aborted, n - 1);
    /* t = n: exactly t partials, combined unchecked; the range check still aborts. */
    p = params(COMPUTATION_SUM, 1, 1, n, 0);
    o = run(n, &p, NULL, 0, beh, NULL);
    assert_int_equal(o.wrong, 0);
    assert_int_equal(o.aborted, n - 1);
    /* equivocating aggregator */
    memset(beh, 0, sizeof(beh));
    beh[0] = SIM_EQUIVOCATE;
    p = params(COMPUTATION_SUM, 1, 1, 3, 0);
    o = run(n, &p, NULL, 0, beh, NULL);
    assert_int_equal(o.wrong, 0);
}

/* Variance and dot_product are refused with a reason; bad params too. */
static void
test_paillier_adapter_params(void **state)
{
    struct paillier_params p = params(COMPUTATION_VARIANCE, 1, 1, 0, 0);
    char err[200];

    (void)state;
    assert_false(paillier_supports(&p.comp));
    assert_int_equal(paillier_params_check(&p, 5, err, sizeof(err)), MPCSIM_ENOTSUP);
    assert_non_null(strstr(err, "variance"));
    p = params(COMPUTATION_SUM, 1, 1, 6, 0);
    assert_int_equal(paillier_params_check(&p, 5, err, sizeof(err)), MPCSIM_EINVAL);
    p = params(COMPUTATION_SUM, 1, 1, 0, 0);
    p.key_bits = 1000;
    assert_int_equal(paillier_params_check(&p, 5, err, sizeof(err)), MPCSIM_EINVAL);
    p.key_bits = 1024;
    assert_int_equal(paillier_params_check(&p, 5, err, sizeof(err)), 0);
    assert_int_equal(paillier_protocol_rounds(&p, 5), 3);
}

/*
 * A 100-party 2048-bit threshold sum with real ciphertexts is correct for
 * every party.  Its speed is measured by the bench
 * (scenario/paillier_sum/n=100/2048), never by a wall-clock assertion here.
 */
static void
test_paillier_adapter_100_parties(void **state)
{
    struct paillier_params p = params(COMPUTATION_SUM, 1, 1, 0, 0);
    struct outcome o;
    double wall = 0;

    (void)state;
    p.key_bits = 2048;
    make_inputs(100, 1);
    o = run(100, &p, NULL, 0, NULL, &wall);
    assert_int_equal(o.correct, 100);
}

static int
group_setup(void **state)
{
    (void)state;
    return paillier_dealer_cache_warm(1024) == 0 && paillier_dealer_cache_warm(2048) == 0 ? 0 : -1;
}

static int
group_teardown(void **state)
{
    (void)state;
    paillier_dealer_cache_clear();
    return 0;
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paillier_adapter_star_threshold),
        cmocka_unit_test(test_paillier_adapter_dropouts),
        cmocka_unit_test(test_paillier_adapter_single_and_tree),
        cmocka_unit_test(test_paillier_adapter_single_sends_result_only),
        cmocka_unit_test(test_paillier_adapter_bad_messages),
        cmocka_unit_test(test_paillier_adapter_corrupt_shares),
        cmocka_unit_test(test_paillier_adapter_params),
        cmocka_unit_test(test_paillier_adapter_100_parties),
    };

    mpcsim_test_init();
    return cmocka_run_group_tests_name("paillier_adapter", tests, group_setup, group_teardown);
}
