/* SPDX-License-Identifier: MIT */
/*
 * tests/additive/test_additive_sim.c - the additive adapter run by the
 * engine: every computation with and without MACs against the plaintext
 * answer; with MACs every tampering behaviour makes every honest party
 * abort; without MACs tampering gives wrong outputs (documented); one
 * dropout aborts; the dealer's offline columns; determinism.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "protocols/additive/adapter.h"
#include "protocols/field/f127.h"
#include "protocols/field/fp.h"
#include "tests/support.h"

#define MAXN 64
#define MAXL 4

struct world {
    int n;
    size_t L;
    mpcsim_i128 in[MAXN][MAXL];
    const mpcsim_i128 *inp[MAXN];
    size_t lens[MAXN];
    mpcsim_i128 weights[MAXN];
    enum sim_behaviour beh[MAXN];
    struct sim_crash crash[MAXN];
    int n_crash;
};

struct verdict {
    int ok, wrong, aborted, silent, false_acc;
};

static void
world_init(struct world *w, int n, size_t L)
{
    memset(w, 0, sizeof(*w));
    w->n = n;
    w->L = L;
    for (int i = 0; i < n; i++) {
        for (size_t k = 0; k < L; k++) {
            w->in[i][k] = (int64_t)(mpcsim_test_rand64() % 2000001) - 1000000;
        }
        w->inp[i] = w->in[i];
        w->lens[i] = L;
        w->weights[i] = (int64_t)(mpcsim_test_rand64() % 201) - 100;
        w->beh[i] = SIM_HONEST;
    }
}

static struct sim *
world_run(struct world *w, const struct additive_params *prm, uint64_t seed)
{
    struct sim_config c;
    struct sim *sim = NULL;

    sim_config_init(&c, w->n, seed);
    c.inputs = w->inp;
    c.input_len = w->lens;
    c.net.latency.ms = 10;
    c.behaviour = w->beh;
    c.adversary_delay_ns = 100 * SIM_NS_PER_MS;
    c.round_timeout_ns = 1000 * SIM_NS_PER_MS;
    c.faults.n_crashes = w->n_crash;
    c.faults.crashes = w->crash;
    assert_int_equal(sim_create(&sim, &c, &additive_protocol, prm), 0);
    assert_int_equal(sim_run(sim), 0);
    return sim;
}

static struct verdict
judge(const struct sim *sim, const struct world *w, const struct computation *comp)
{
    struct verdict v;
    const struct sim_accusation *acc = NULL;
    size_t n_acc = sim_accusations(sim, &acc);

    memset(&v, 0, sizeof(v));
    for (int i = 0; i < w->n; i++) {
        const struct sim_party_result *r = sim_party_result(sim, i);

        if (!r->honest || r->crashed) {
            continue;
        }
        if (r->has_output) {
            mpcsim_i128 want[2 * MAXL];

            assert_int_equal(computation_expected(want, comp, w->n, w->inp, r->included), 0);
            if (memcmp(want, r->output, r->output_len * sizeof(mpcsim_i128)) == 0) {
                v.ok++;
            } else {
                v.wrong++;
            }
        } else if (r->aborted) {
            v.aborted++;
        } else {
            v.silent++;
        }
    }
    for (size_t a = 0; a < n_acc; a++) {
        if (w->beh[acc[a].accused] == SIM_HONEST) {
            v.false_acc++;
        }
    }
    return v;
}

static double
stat(const struct sim *sim, const char *name)
{
    for (size_t i = 0; i < sim_stat_count(sim); i++) {
        if (strcmp(sim_stat_name(sim, i), name) == 0) {
            return sim_stat_value(sim, i);
        }
    }
    fail_msg("no statistic %s", name);
    return -1;
}

/* Every computation, with and without MACs, random n in 2..64. */
static void
test_additive_sim_correct(void **state)
{
    (void)state;
    for (int kind = COMPUTATION_SUM; kind <= COMPUTATION_DOT_PRODUCT; kind++) {
        for (int rep = 0; rep < 16; rep++) {
            struct world w;
            struct additive_params prm;
            int n = rep == 0 ? 2 : 2 + (int)(mpcsim_test_rand64() % 63);
            size_t L = 1 + mpcsim_test_rand64() % MAXL;
            struct sim *sim;
            struct verdict v;

            world_init(&w, n, L);
            memset(&prm, 0, sizeof(prm));
            prm.comp.kind = (enum computation_kind)kind;
            prm.comp.length = L;
            prm.comp.weights = w.weights;
            prm.comp.n_weights = (size_t)n;
            prm.mac = rep & 1;
            assert_null(additive_unsupported(&prm, n));
            sim = world_run(&w, &prm, 200 + (uint64_t)rep);
            v = judge(sim, &w, &prm.comp);
            assert_int_equal(v.ok, n);
            assert_int_equal(sim_metrics(sim)->rounds, additive_rounds(&prm));
            if (prm.mac || computation_needs_mul(prm.comp.kind)) {
                assert_true(stat(sim, "offline_messages") == (double)n);
                assert_true(stat(sim, "offline_bytes") > 0);
                assert_true(stat(sim, "offline_compute_ms") > 0);
            } else {
                assert_true(stat(sim, "offline_messages") == 0);
            }
            sim_destroy(sim);
        }
    }
}

/*
 * With MACs, every tampering behaviour by 1, (n-1)/3 or n-1 corrupted
 * parties (n = 2, 4, 7, 10, 31) makes every honest party abort before
 * output, in linear computations and with a multiplication; no honest
 * party is accused.
 */
static void
test_additive_sim_mac_aborts(void **state)
{
    static const enum sim_behaviour bs[] = {SIM_CORRUPT_SHARES, SIM_EQUIVOCATE, SIM_WRONG_MAC,
                                            SIM_MALFORMED};
    static const enum computation_kind ks[] = {COMPUTATION_SUM, COMPUTATION_VARIANCE,
                                               COMPUTATION_DOT_PRODUCT};
    static const int ns[] = {2, 4, 7, 10, 31};

    (void)state;
    for (size_t b = 0; b < sizeof(bs) / sizeof(bs[0]); b++) {
        for (size_t k = 0; k < sizeof(ks) / sizeof(ks[0]); k++) {
            for (size_t a = 0; a < sizeof(ns) / sizeof(ns[0]); a++) {
                const int n = ns[a];
                const int counts[3] = {1, (n - 1) / 3, n - 1};

                for (int ci = 0; ci < 3; ci++) {
                    struct world w;
                    struct additive_params prm = {.comp = {.kind = ks[k], .length = 2}, .mac = 1};
                    int bad[MAXN];
                    struct sim *sim;
                    struct verdict v;

                    if (counts[ci] < 1 || (ci > 0 && counts[ci] == counts[ci - 1])) {
                        continue;
                    }
                    if (bs[b] == SIM_EQUIVOCATE && n == 2) {
                        continue; /* one receiver: nothing to equivocate between */
                    }
                    world_init(&w, n, 2);
                    for (int i = 0; i < n; i++) {
                        bad[i] = i;
                    }
                    for (int i = 0; i < counts[ci]; i++) {
                        int j = i + (int)(mpcsim_test_rand64() % (uint64_t)(n - i));
                        int tmp = bad[i];

                        bad[i] = bad[j];
                        bad[j] = tmp;
                        w.beh[bad[i]] = bs[b];
                    }
                    sim = world_run(&w, &prm, 40 + b + 7 * a);
                    v = judge(sim, &w, &prm.comp);
                    assert_int_equal(v.ok + v.wrong + v.silent, 0);
                    assert_int_equal(v.aborted, n - counts[ci]);
                    assert_int_equal(v.false_acc, 0);
                    sim_destroy(sim);
                }
            }
        }
    }
}

/* Without MACs nothing checks the openings: tampering gives wrong outputs. */
static void
test_additive_sim_no_mac_wrong(void **state)
{
    struct world w;
    struct additive_params prm = {.comp = {.kind = COMPUTATION_SUM, .length = 1}, .mac = 0};
    struct sim *sim;
    struct verdict v;

    (void)state;
    world_init(&w, 5, 1);
    w.beh[2] = SIM_CORRUPT_SHARES;
    sim = world_run(&w, &prm, 3);
    v = judge(sim, &w, &prm.comp);
    assert_int_equal(v.wrong, 4);
    sim_destroy(sim);
}

/* Wei-sized inputs (balances around 10^18 .. 3 10^18 wei, beyond m61's 2^60). */
static void
world_init_wei(struct world *w, int n, size_t L)
{
    const mpcsim_i128 e18 = (mpcsim_i128)1000000000000000000;

    world_init(w, n, L);
    for (int i = 0; i < n; i++) {
        for (size_t k = 0; k < L; k++) {
            w->in[i][k] = e18 + (mpcsim_i128)(mpcsim_test_rand64() % 2000000000000000000u) +
                          (mpcsim_i128)(i + 1);
        }
    }
}

/*
 * GF(2^127 - 1): a sum, a weighted sum, a variance and a dot product of
 * wei-sized values are exact, with and without MACs (issue 18).  With
 * field m61 the same test fails: every party refuses the inputs at setup.
 */
static void
test_additive_sim_m127_wei(void **state)
{
    static const enum computation_kind ks[] = {COMPUTATION_SUM, COMPUTATION_WEIGHTED_SUM,
                                               COMPUTATION_VARIANCE, COMPUTATION_DOT_PRODUCT};

    (void)state;
    for (size_t k = 0; k < sizeof(ks) / sizeof(ks[0]); k++) {
        for (int mac = 0; mac < 2; mac++) {
            struct world w;
            struct additive_params prm;
            struct sim *sim;
            struct verdict v;
            mpcsim_i128 want[2 * MAXL];
            int n = 8;

            world_init_wei(&w, n, 2);
            memset(&prm, 0, sizeof(prm));
            prm.comp.kind = ks[k];
            prm.comp.length = 2;
            prm.comp.weights = w.weights;
            prm.comp.n_weights = (size_t)n;
            prm.comp.max_abs = (mpcsim_i128)F127_HALF;
            prm.mac = mac;
            prm.field = FIELD_M127;
            assert_null(additive_unsupported(&prm, n));
            /* The answer needs m127: beyond 2^60. */
            assert_int_equal(computation_expected(want, &prm.comp, n, w.inp, NULL), 0);
            assert_true(want[0] > (mpcsim_i128)FP_HALF || want[0] < -(mpcsim_i128)FP_HALF);
            sim = world_run(&w, &prm, 500 + k * 2 + (uint64_t)mac);
            v = judge(sim, &w, &prm.comp);
            assert_int_equal(v.ok, n);
            assert_int_equal(v.wrong, 0);
            assert_true(sim_party_result(sim, 0)->output[0] == want[0]);
            sim_destroy(sim);
        }
    }
}

/* m127 with MACs: corrupted openings abort every honest party; without
 * MACs they give wrong outputs (the same guarantees as m61). */
static void
test_additive_sim_m127_tamper(void **state)
{
    (void)state;
    for (int mac = 0; mac < 2; mac++) {
        struct world w;
        struct additive_params prm;
        struct sim *sim;
        struct verdict v;

        world_init_wei(&w, 5, 1);
        memset(&prm, 0, sizeof(prm));
        prm.comp.kind = COMPUTATION_VARIANCE;
        prm.comp.length = 1;
        prm.comp.max_abs = (mpcsim_i128)F127_HALF;
        prm.mac = mac;
        prm.field = FIELD_M127;
        w.beh[2] = SIM_CORRUPT_SHARES;
        sim = world_run(&w, &prm, 77);
        v = judge(sim, &w, &prm.comp);
        if (mac) {
            assert_int_equal(v.aborted, 4);
            assert_int_equal(v.ok + v.wrong, 0);
        } else {
            assert_int_equal(v.wrong, 4);
        }
        sim_destroy(sim);
    }
}

/*
 * n-of-n cannot survive a dropout: one party crashing before or after
 * sharing its input, or withholding, makes every honest party abort after
 * the round timeout.  The largest tolerated dropout count is 0.
 */
static void
test_additive_sim_dropout(void **state)
{
    (void)state;
    for (int mac = 0; mac <= 1; mac++) {
        for (int at = 0; at <= 1; at++) {
            for (int k = 0; k <= 2; k++) {
                struct world w;
                struct additive_params prm = {.comp = {.kind = COMPUTATION_MEAN, .length = 1},
                                              .mac = mac};
                struct sim *sim;
                struct verdict v;

                world_init(&w, 5, 1);
                for (int i = 0; i < k; i++) {
                    w.crash[i].party = 4 - i;
                    w.crash[i].at_round = at;
                }
                w.n_crash = k;
                sim = world_run(&w, &prm, 11);
                v = judge(sim, &w, &prm.comp);
                if (k == 0) {
                    assert_int_equal(v.ok, 5);
                } else {
                    assert_int_equal(v.ok + v.wrong + v.silent, 0);
                    assert_int_equal(v.aborted, 5 - k);
                    assert_true(sim_metrics(sim)->end_ns >= 1000 * SIM_NS_PER_MS);
                }
                sim_destroy(sim);
            }
        }
    }
    {
        struct world w;
        struct additive_params prm = {.comp = {.kind = COMPUTATION_SUM, .length = 1}, .mac = 1};
        struct sim *sim;
        struct verdict v;

        world_init(&w, 4, 1);
        w.beh[1] = SIM_WITHHOLD;
        sim = world_run(&w, &prm, 12);
        v = judge(sim, &w, &prm.comp);
        assert_int_equal(v.aborted, 3);
        sim_destroy(sim);
    }
}

/* Same seed, same everything (but wall time). */
static void
test_additive_sim_deterministic(void **state)
{
    struct world w;
    struct additive_params prm = {.comp = {.kind = COMPUTATION_VARIANCE, .length = 2}, .mac = 1};
    struct sim *s1, *s2;

    (void)state;
    world_init(&w, 9, 2);
    s1 = world_run(&w, &prm, 99);
    s2 = world_run(&w, &prm, 99);
    assert_int_equal(sim_metrics(s1)->latency_ns, sim_metrics(s2)->latency_ns);
    assert_int_equal(sim_metrics(s1)->bytes, sim_metrics(s2)->bytes);
    assert_int_equal(sim_metrics(s1)->compute_ns, sim_metrics(s2)->compute_ns);
    assert_true(stat(s1, "offline_bytes") == stat(s2, "offline_bytes"));
    for (int i = 0; i < 9; i++) {
        const struct sim_party_result *a = sim_party_result(s1, i);
        const struct sim_party_result *b = sim_party_result(s2, i);

        assert_true(a->has_output && b->has_output);
        assert_memory_equal(a->output, b->output, a->output_len * sizeof(mpcsim_i128));
    }
    sim_destroy(s1);
    sim_destroy(s2);
}

static void
test_additive_sim_unsupported(void **state)
{
    struct additive_params prm = {.comp = {.kind = COMPUTATION_WEIGHTED_SUM, .length = 1}};

    (void)state;
    assert_non_null(additive_unsupported(&prm, 4));
    prm.comp.kind = COMPUTATION_SUM;
    assert_null(additive_unsupported(&prm, 4));
    assert_non_null(additive_unsupported(&prm, 1));
    assert_int_equal(additive_rounds(&prm), 2);
    prm.mac = 1;
    prm.comp.kind = COMPUTATION_DOT_PRODUCT;
    assert_int_equal(additive_rounds(&prm), 5);
}

/*
 * Out of memory: every allocation failure in sim_create (trial_setup,
 * setup) is reported and leaks nothing; failures while running make
 * parties abort or the run fail, never crash or leak.
 */
static void
test_additive_sim_oom(void **state)
{
    struct world w;
    struct additive_params prm = {.comp = {.kind = COMPUTATION_VARIANCE, .length = 2}, .mac = 1};
    struct sim_config c;

    (void)state;
    world_init(&w, 7, 2);
    w.beh[3] = SIM_CORRUPT_SHARES;
    sim_config_init(&c, w.n, 5);
    c.inputs = w.inp;
    c.input_len = w.lens;
    c.net.latency.ms = 10;
    c.behaviour = w.beh;
    c.round_timeout_ns = 1000 * SIM_NS_PER_MS;
    for (int k = 0;; k++) {
        struct sim *sim = NULL;
        int rc;

        mpcsim_test_fail_alloc_after(k);
        rc = sim_create(&sim, &c, &additive_protocol, &prm);
        mpcsim_test_fail_alloc_after(-1);
        if (rc == 0) {
            assert_int_equal(sim_run(sim), 0);
            sim_destroy(sim);
            break;
        }
        assert_int_equal(rc, MPCSIM_ENOMEM);
        assert_null(sim);
    }
    for (int k = 0; k < 400; k += 3) {
        struct sim *sim = NULL;
        int rc;

        assert_int_equal(sim_create(&sim, &c, &additive_protocol, &prm), 0);
        mpcsim_test_fail_alloc_after(k);
        rc = sim_run(sim);
        mpcsim_test_fail_alloc_after(-1);
        assert_true(rc == 0 || rc == MPCSIM_ENOMEM);
        sim_destroy(sim);
    }
}

/* Party 0's compute (ns) of an honest variance (products) whose only
 * priced operation is `op` (1 us each). */
static int64_t
priced_compute(enum field_kind f, int mac, enum sim_op op)
{
    struct world w;
    struct additive_params prm;
    struct sim_config c;
    struct sim *sim = NULL;
    double cost[SIM_OP_COUNT] = {0};
    int64_t ns;

    world_init(&w, 5, 2);
    memset(&prm, 0, sizeof(prm));
    prm.comp.kind = COMPUTATION_VARIANCE;
    prm.comp.length = 2;
    prm.mac = mac;
    prm.field = f;
    assert_null(additive_unsupported(&prm, w.n));
    cost[op] = 1000.0;
    sim_config_init(&c, w.n, 7);
    c.inputs = w.inp;
    c.input_len = w.lens;
    c.net.latency.ms = 10;
    c.cost_ns = cost;
    assert_int_equal(sim_create(&sim, &c, &additive_protocol, &prm), 0);
    assert_int_equal(sim_run(sim), 0);
    assert_true(sim_party_result(sim, 0)->has_output);
    ns = sim_party_result(sim, 0)->compute_ns;
    sim_destroy(sim);
    return ns;
}

/* Products are charged at their own field's cost-table entry: m127 ones
 * at field_mul_m127, not at field_mul (the m61 cost), as the mpc layer. */
static void
test_additive_sim_mul_cost_per_field(void **state)
{
    (void)state;
    for (int mac = 0; mac < 2; mac++) {
        assert_int_equal(priced_compute(FIELD_M127, mac, SIM_OP_FIELD_MUL), 0);
        assert_true(priced_compute(FIELD_M127, mac, SIM_OP_FIELD_MUL_M127) > 0);
        assert_int_equal(priced_compute(FIELD_M61, mac, SIM_OP_FIELD_MUL_M127), 0);
        /* the same count of products in either field */
        assert_true(priced_compute(FIELD_M127, mac, SIM_OP_FIELD_MUL_M127) ==
                    priced_compute(FIELD_M61, mac, SIM_OP_FIELD_MUL));
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_additive_sim_correct),
        cmocka_unit_test(test_additive_sim_mac_aborts),
        cmocka_unit_test(test_additive_sim_no_mac_wrong),
        cmocka_unit_test(test_additive_sim_m127_wei),
        cmocka_unit_test(test_additive_sim_m127_tamper),
        cmocka_unit_test(test_additive_sim_dropout),
        cmocka_unit_test(test_additive_sim_deterministic),
        cmocka_unit_test(test_additive_sim_unsupported),
        cmocka_unit_test(test_additive_sim_oom),
        cmocka_unit_test(test_additive_sim_mul_cost_per_field),
    };

    mpcsim_test_init();
    return cmocka_run_group_tests_name("additive_sim", tests, NULL, NULL);
}
