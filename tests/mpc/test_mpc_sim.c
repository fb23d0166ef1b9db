/* SPDX-License-Identifier: MIT */
/*
 * tests/mpc/test_mpc_sim.c - comparisons run by the engine through the
 * shared layer's adapter: results against the plaintext answer on both
 * schemes, the adversary tables on the comparison's messages (MAC'd
 * additive aborts on every tamper; robust Shamir corrects within
 * floor((m - 2t - 1)/2) or aborts; no honest party accused), dropouts,
 * an input outside the comparison range (abort with the reason).
 */
#include <setjmp.h> /* cmocka.h needs these four first */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "protocols/mpc/adapter.h"
#include "tests/support.h"

#define MAXN 32

struct world {
    int n;
    mpcsim_i128 in[MAXN];
    const mpcsim_i128 *inp[MAXN];
    size_t lens[MAXN];
    enum sim_behaviour beh[MAXN];
    struct sim_crash crash[MAXN];
    int n_crash;
};

struct verdict {
    int ok, wrong, aborted;
    int false_acc, true_acc;
    char reason[160];
    mpcsim_i128 out[2];
};

static void
world_init(struct world *w, int n)
{
    memset(w, 0, sizeof(*w));
    w->n = n;
    for (int i = 0; i < n; i++) {
        w->in[i] = (mpcsim_i128)(int64_t)(mpcsim_test_rand64() % 20001) - 10000;
        w->inp[i] = &w->in[i];
        w->lens[i] = 1;
    }
}

static void
run(struct verdict *v, struct world *w, const struct mpc_sim_params *prm, uint64_t seed)
{
    struct sim_config c;
    struct sim *sim = NULL;
    const struct sim_accusation *acc = NULL;
    size_t na;
    mpcsim_i128 want[2];
    const mpcsim_i128 *rows[MAXN];

    memset(v, 0, sizeof(*v));
    sim_config_init(&c, w->n, seed);
    c.inputs = w->inp;
    c.input_len = w->lens;
    c.net.latency.ms = 10;
    c.behaviour = w->beh;
    c.adversary_delay_ns = 100 * SIM_NS_PER_MS;
    c.round_timeout_ns = 1000 * SIM_NS_PER_MS;
    c.faults.n_crashes = w->n_crash;
    c.faults.crashes = w->crash;
    assert_int_equal(sim_create(&sim, &c, &mpc_protocol, prm), 0);
    assert_int_equal(sim_run(sim), 0);
    for (int i = 0; i < w->n; i++) {
        rows[i] = &w->in[i];
    }
    for (int i = 0; i < w->n; i++) {
        const struct sim_party_result *r = sim_party_result(sim, i);

        if (!r->honest || r->crashed) {
            continue;
        }
        if (r->has_output) {
            assert_int_equal(computation_expected(want, &prm->mc.comp, w->n, rows, r->included), 0);
            if (memcmp(want, r->output, r->output_len * sizeof(mpcsim_i128)) == 0) {
                v->ok++;
            } else {
                v->wrong++;
            }
            memcpy(v->out, r->output, r->output_len * sizeof(mpcsim_i128));
        } else if (r->aborted) {
            v->aborted++;
            snprintf(v->reason, sizeof(v->reason), "%s", r->abort_reason);
        }
    }
    na = sim_accusations(sim, &acc);
    for (size_t k = 0; k < na; k++) {
        if (w->beh[acc[k].accused] == SIM_HONEST) {
            v->false_acc++;
        } else {
            v->true_acc++;
        }
    }
    sim_destroy(sim);
}

static void
params(struct mpc_sim_params *p, enum mpc_scheme s, enum computation_kind kind, int t, int mac)
{
    memset(p, 0, sizeof(*p));
    p->mc.comp.kind = kind;
    p->mc.comp.length = 1;
    p->mc.comp.threshold = 1000;
    p->mc.field = MPC_FIELD_M127;
    p->mc.ell = 24;
    p->mc.kappa = 40;
    p->scheme = s;
    p->t = t;
    p->mac = mac;
    p->robust = 1;
}

/* Every computation, both schemes, honest: right answer at every party. */
static void
test_mpc_sim_honest(void **state)
{
    static const enum computation_kind kinds[] = {COMPUTATION_SUM_THRESHOLD, COMPUTATION_MAX,
                                                  COMPUTATION_SECOND_PRICE, COMPUTATION_MEDIAN};
    struct world w;
    struct mpc_sim_params p;
    struct verdict v;

    (void)state;
    for (size_t k = 0; k < 4; k++) {
        for (int s = 0; s < 2; s++) {
            world_init(&w, 7);
            params(&p, s ? MPC_SHAMIR : MPC_ADDITIVE, kinds[k], 2, s == 0);
            run(&v, &w, &p, 40 + k);
            assert_int_equal(v.ok, 7);
            assert_int_equal(v.wrong + v.aborted + v.false_acc, 0);
        }
    }
}

/* MAC'd additive: each behaviour by one party ends in an abort by every
 * honest party, with no wrong output and no honest party accused. */
static void
test_mpc_sim_additive_adversaries(void **state)
{
    static const enum sim_behaviour bs[] = {SIM_CORRUPT_SHARES, SIM_EQUIVOCATE, SIM_WRONG_MAC,
                                            SIM_MALFORMED, SIM_WITHHOLD};
    struct world w;
    struct mpc_sim_params p;
    struct verdict v;

    (void)state;
    for (size_t b = 0; b < sizeof(bs) / sizeof(bs[0]); b++) {
        world_init(&w, 5);
        w.beh[2] = bs[b];
        params(&p, MPC_ADDITIVE, COMPUTATION_SECOND_PRICE, 0, 1);
        run(&v, &w, &p, 7 + b);
        assert_int_equal(v.wrong, 0);
        assert_int_equal(v.ok, 0);
        assert_int_equal(v.aborted, 4);
        assert_int_equal(v.false_acc, 0);
        if (bs[b] == SIM_CORRUPT_SHARES || bs[b] == SIM_WRONG_MAC) {
            assert_non_null(strstr(v.reason, "MAC check failed"));
        }
    }
}

/* Robust Shamir, n = 10, t = 2: up to floor((m - 2t - 1)/2) = 2 cheaters
 * in products are corrected and named; 3 abort (products' radius) or
 * correct, never a wrong output or a false accusation. */
static void
test_mpc_sim_shamir_robust(void **state)
{
    struct world w;
    struct mpc_sim_params p;
    struct verdict v;

    (void)state;
    for (int bad = 0; bad <= 3; bad++) {
        for (int eq = 0; eq < 2; eq++) {
            world_init(&w, 10);
            for (int j = 0; j < bad; j++) {
                w.beh[1 + 3 * j] = eq ? SIM_EQUIVOCATE : SIM_CORRUPT_SHARES;
            }
            params(&p, MPC_SHAMIR, COMPUTATION_MEDIAN, 2, 0);
            run(&v, &w, &p, 100 + (uint64_t)bad);
            assert_int_equal(v.wrong, 0);
            assert_int_equal(v.false_acc, 0);
            if (bad <= 2) {
                assert_int_equal(v.ok, 10 - bad);
                assert_true(bad == 0 || v.true_acc > 0);
            } else {
                assert_int_equal(v.ok + v.aborted, 10 - bad);
            }
        }
    }
}

/* Shamir: dropouts before sharing are left out (the median of the rest);
 * a crash mid-comparison is survived while 2t + 1 parties remain. */
static void
test_mpc_sim_dropouts(void **state)
{
    struct world w;
    struct mpc_sim_params p;
    struct verdict v;

    (void)state;
    world_init(&w, 9);
    w.crash[0] = (struct sim_crash){.party = 3, .at_round = 0};
    w.crash[1] = (struct sim_crash){.party = 6, .at_round = 5};
    w.n_crash = 2;
    params(&p, MPC_SHAMIR, COMPUTATION_MEDIAN, 2, 0);
    run(&v, &w, &p, 9);
    assert_int_equal(v.ok, 7);
    assert_int_equal(v.wrong + v.aborted + v.false_acc, 0);
    /* additive: a dropout aborts, naming the silent party and the round */
    world_init(&w, 4);
    w.crash[0] = (struct sim_crash){.party = 1, .at_round = 3};
    w.n_crash = 1;
    params(&p, MPC_ADDITIVE, COMPUTATION_MAX, 0, 1);
    run(&v, &w, &p, 10);
    assert_int_equal(v.aborted, 3);
    assert_non_null(strstr(v.reason, "party 1 silent in round 4"));
}

/* An input outside |x| < 2^(l-2) is declined by its owner: abort with the
 * reason, never a wrong output. */
static void
test_mpc_sim_out_of_range(void **state)
{
    struct world w;
    struct mpc_sim_params p;
    struct verdict v;

    (void)state;
    for (int s = 0; s < 2; s++) {
        world_init(&w, 5);
        w.in[4] = INT64_C(1) << 22; /* l = 24: bound 2^22 - 1 */
        params(&p, s ? MPC_SHAMIR : MPC_ADDITIVE, COMPUTATION_MAX, 2, 1);
        run(&v, &w, &p, 3);
        assert_int_equal(v.ok + v.wrong, 0);
        assert_int_equal(v.aborted, 5);
        assert_non_null(strstr(v.reason, "party 4's input is outside the comparison range"));
    }
}

/* Party 0's compute (ns) of an honest comparison whose only priced
 * operation is `op` (1 us each). */
static int64_t
priced_compute(enum mpc_field_kind f, enum sim_op op)
{
    struct world w;
    struct mpc_sim_params p;
    struct sim_config c;
    struct sim *sim = NULL;
    double cost[SIM_OP_COUNT] = {0};
    int64_t ns;

    world_init(&w, 5);
    params(&p, MPC_SHAMIR, COMPUTATION_MAX, 2, 0);
    p.mc.field = f;
    p.mc.ell = 19; /* fits m61 at kappa 40 */
    cost[op] = 1000.0;
    sim_config_init(&c, w.n, 5);
    c.inputs = w.inp;
    c.input_len = w.lens;
    c.net.latency.ms = 10;
    c.cost_ns = cost;
    assert_int_equal(sim_create(&sim, &c, &mpc_protocol, &p), 0);
    assert_int_equal(sim_run(sim), 0);
    assert_true(sim_party_result(sim, 0)->has_output);
    ns = sim_party_result(sim, 0)->compute_ns;
    sim_destroy(sim);
    return ns;
}

/* Products are charged at their own field's cost-table entry: m127 ones
 * at field_mul_m127 (bench field/mul_vec_best_m127/1M), not as m61 ones. */
static void
test_mpc_sim_mul_cost_per_field(void **state)
{
    (void)state;
    assert_int_equal(priced_compute(MPC_FIELD_M127, SIM_OP_FIELD_MUL), 0);
    assert_true(priced_compute(MPC_FIELD_M127, SIM_OP_FIELD_MUL_M127) > 0);
    assert_int_equal(priced_compute(MPC_FIELD_M61, SIM_OP_FIELD_MUL_M127), 0);
    assert_true(priced_compute(MPC_FIELD_M61, SIM_OP_FIELD_MUL) > 0);
    /* The same circuit, the same count of products in either field. */
    assert_true(priced_compute(MPC_FIELD_M127, SIM_OP_FIELD_MUL_M127) ==
                priced_compute(MPC_FIELD_M61, SIM_OP_FIELD_MUL));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mpc_sim_honest),
        cmocka_unit_test(test_mpc_sim_additive_adversaries),
        cmocka_unit_test(test_mpc_sim_shamir_robust),
        cmocka_unit_test(test_mpc_sim_dropouts),
        cmocka_unit_test(test_mpc_sim_out_of_range),
        cmocka_unit_test(test_mpc_sim_mul_cost_per_field),
    };

    mpcsim_test_init();
    return cmocka_run_group_tests_name("mpc_sim", tests, NULL, NULL);
}
