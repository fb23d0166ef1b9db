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

#include <gmp.h>

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
        /* Each result carries L 16-byte values and the excluded list, no ciphertext. */
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

/* A decimal string as an exact 128-bit integer (test inputs). */
static mpcsim_i128
dec128(const char *s)
{
    int neg = *s == '-';
    mpcsim_i128 v = 0;

    for (s += neg; *s != '\0'; s++) {
        v = v * 10 + (*s - '0');
    }
    return neg ? -v : v;
}

/* v as an mpz (the oracle side). */
static void
mpz_from_i128(mpz_t z, mpcsim_i128 v)
{
    char buf[64];
    char *p = buf + sizeof(buf) - 1;
    mpcsim_u128 mag = v < 0 ? (mpcsim_u128)0 - (mpcsim_u128)v : (mpcsim_u128)v;

    *p = '\0';
    do {
        *--p = (char)('0' + (int)(mag % 10));
        mag /= 10;
    } while (mag != 0);
    if (v < 0) {
        *--p = '-';
    }
    assert_int_equal(mpz_set_str(z, p, 10), 0);
}

/* Wei-sized balances (about 10^24, beyond 2^64): 8 parties. */
static const char *const wei[8] = {
    "2384852752100000000000000", "536890900000000000000001",  "2925000000000000000000003",
    "128395061742839506174286",  "1950000000000000000000004", "433333333333333333333337",
    "942339433292751641815846",  "650000000000000000000007",
};

/*
 * Run one trial over the wei inputs (g_rows) and check that every honest
 * party outputs exactly `want` (a decimal, computed by GMP from the
 * inputs), for every element.
 */
static void
run_exact(int n, const struct paillier_params *prm, const char *want)
{
    struct outcome o = run(n, prm, NULL, 0, NULL, NULL);
    mpz_t oracle, got;

    assert_int_equal(o.wrong, 0);
    assert_int_equal(o.outputs, n);
    assert_int_equal(o.correct, n);
    mpz_inits(oracle, got, NULL);
    assert_int_equal(mpz_set_str(oracle, want, 10), 0);
    {
        struct sim_config c;
        struct sim *sim = NULL;

        sim_config_init(&c, n, 1234);
        c.inputs = g_rows;
        c.input_len = g_len;
        c.net.latency.ms = 20;
        c.round_timeout_ns = 1000 * SIM_NS_PER_MS;
        assert_int_equal(sim_create(&sim, &c, &paillier_protocol, prm), 0);
        assert_int_equal(sim_run(sim), 0);
        for (int i = 0; i < n; i++) {
            const struct sim_party_result *r = sim_party_result(sim, i);

            assert_true(r->has_output);
            for (size_t k = 0; k < r->output_len; k++) {
                mpz_from_i128(got, r->output[k]);
                assert_true(mpz_cmp(got, oracle) == 0);
            }
        }
        sim_destroy(sim);
    }
    mpz_clears(oracle, got, NULL);
}

/* The sum of the wei inputs, computed by GMP from their decimal text. */
static void
wei_oracle(char *out, size_t cap, const mpcsim_i128 *w)
{
    mpz_t s, x;

    mpz_inits(s, x, NULL);
    for (int i = 0; i < 8; i++) {
        assert_int_equal(mpz_set_str(x, wei[i], 10), 0);
        if (w != NULL) {
            mpz_t wz;

            mpz_init(wz);
            mpz_from_i128(wz, w[i]);
            mpz_mul(x, x, wz);
            mpz_clear(wz);
        }
        mpz_add(s, s, x);
    }
    assert_true(mpz_sizeinbase(s, 10) + 2 <= cap);
    mpz_get_str(out, 10, s);
    mpz_clears(s, x, NULL);
}

/*
 * Issue 18: wei-sized balances (8 parties x ~10^24) summed, weighted and
 * averaged exactly under Paillier, against GMP: threshold and single
 * decryption (the 16-byte result message), star and tree, vectors.
 */
static void
test_paillier_adapter_wei_exact(void **state)
{
    /* Decimal weights 1.5, -2, 0.5, 12.5, -0.3, 0, 0.7, 1 scaled by 10 (weight_digits 1). */
    static const mpcsim_i128 w[8] = {15, -20, 5, 125, -3, 0, 7, 10};
    char want[80];
    const int modes[][2] = {{1, 0}, {0, 0}, {1, 2}, {0, 3}}; /* (threshold, fanout) */

    (void)state;
    for (int i = 0; i < 8; i++) {
        for (size_t k = 0; k < 2; k++) {
            g_in[i][k] = dec128(wei[i]);
        }
        g_rows[i] = g_in[i];
        g_len[i] = 2;
    }
    for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
        struct paillier_params p = params(COMPUTATION_SUM, 2, modes[m][0], 0, modes[m][1]);

        p.comp.max_abs = PAILLIER_MAX_ABS;
        wei_oracle(want, sizeof(want), NULL);
        assert_string_equal(want, "9950811480468924481323484");
        run_exact(8, &p, want);
        p.comp.kind = COMPUTATION_MEAN; /* the raw output is the sum */
        run_exact(8, &p, want);
        p.comp.kind = COMPUTATION_WEIGHTED_SUM;
        p.comp.weights = w;
        p.comp.n_weights = 8;
        p.comp.weight_digits = 1;
        wei_oracle(want, sizeof(want), w);
        assert_string_equal(want, "62955732032404199764496725");
        run_exact(8, &p, want);
    }
}

/* Results at the bound: sums of exactly +-(2^126 - 1) come out exact. */
static void
test_paillier_adapter_result_at_bound(void **state)
{
    const mpcsim_i128 max = PAILLIER_MAX_ABS;
    const int modes[][2] = {{1, 0}, {0, 0}};
    char want[80];

    (void)state;
    assert_true(max == ((mpcsim_i128)1 << 126) - 1);
    for (int sign = 1; sign >= -1; sign -= 2) {
        /* 4 parties: three of (2^126 - 1) / 4 rounded down, the rest to the bound. */
        for (int i = 0; i < 4; i++) {
            g_in[i][0] = sign * (i < 3 ? max / 4 : max - 3 * (max / 4));
            g_rows[i] = g_in[i];
            g_len[i] = 1;
        }
        snprintf(want, sizeof(want), "%s85070591730234615865843651857942052863",
                 sign < 0 ? "-" : "");
        for (size_t m = 0; m < 2; m++) {
            struct paillier_params p = params(COMPUTATION_SUM, 1, modes[m][0], 0, modes[m][1]);

            p.comp.max_abs = max;
            run_exact(4, &p, want);
        }
    }
}

/* A party 0 whose single-mode result message says 2^127 - 1 (beyond any range). */
static enum sim_adv_action
result_out_of_range(struct sim_party *p, enum sim_behaviour b, int to, uint8_t *msg, size_t *len,
                    size_t cap)
{
    (void)p;
    (void)b;
    (void)to;
    (void)cap;
    if (*len >= 1 + 16 && msg[0] == 4) { /* MSG_RESULT: the last 16 bytes are the value */
        memset(msg + *len - 16, 0xFF, 16);
        msg[*len - 16] = 0x7F;
    }
    return SIM_ADV_SEND;
}

/*
 * Single decryption: a 16-byte result beyond the computation's range
 * cannot come from a decryption; every honest party accuses party 0 and
 * aborts (an in-range lie stays undetected, as adapter.h says).
 */
static void
test_paillier_adapter_result_range_checked(void **state)
{
    const int n = 5;
    enum sim_behaviour beh[5] = {SIM_CORRUPT_SHARES};
    struct sim_protocol proto = paillier_protocol;
    struct paillier_params p = params(COMPUTATION_SUM, 1, 0, 0, 0);
    struct sim_config c;
    struct sim *sim = NULL;

    (void)state;
    proto.tamper = result_out_of_range;
    p.comp.max_abs = PAILLIER_MAX_ABS;
    make_inputs(n, 1);
    sim_config_init(&c, n, 7);
    c.inputs = g_rows;
    c.input_len = g_len;
    c.behaviour = beh;
    c.net.latency.ms = 20;
    assert_int_equal(sim_create(&sim, &c, &proto, &p), 0);
    assert_int_equal(sim_run(sim), 0);
    for (int i = 1; i < n; i++) {
        assert_false(sim_party_result(sim, i)->has_output);
        assert_true(sim_party_result(sim, i)->aborted);
    }
    sim_destroy(sim);
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
    /* A range past 2^126 - 1 (the 128-bit output) is refused, naming the bound. */
    p.comp.max_abs = PAILLIER_MAX_ABS + 1;
    assert_int_equal(paillier_params_check(&p, 5, err, sizeof(err)), MPCSIM_EINVAL);
    assert_non_null(strstr(err, "2^126"));
    p.comp.max_abs = PAILLIER_MAX_ABS;
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
        cmocka_unit_test(test_paillier_adapter_wei_exact),
        cmocka_unit_test(test_paillier_adapter_result_at_bound),
        cmocka_unit_test(test_paillier_adapter_result_range_checked),
        cmocka_unit_test(test_paillier_adapter_100_parties),
    };

    mpcsim_test_init();
    return cmocka_run_group_tests_name("paillier_adapter", tests, group_setup, group_teardown);
}
