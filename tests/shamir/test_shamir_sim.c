/* SPDX-License-Identifier: MIT */
/*
 * tests/shamir/test_shamir_sim.c - the Shamir adapter run by the engine:
 * every computation against the plaintext answer, the robustness table
 * (n = 4, 7, 10, 31; t = (n-1)/3; 0..t corrupted), both sides of the
 * decoding radius, fast reconstruction's documented wrong outputs, the
 * dropout table, malformed messages, withholding, determinism.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "protocols/field/f127.h"
#include "protocols/field/fp.h"
#include "protocols/shamir/adapter.h"
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
    double mbps;                      /* per-party bandwidth; 0 = unlimited */
    const struct sim_protocol *proto; /* NULL: shamir_protocol */
    int no_latency;                   /* 1: zero latency instead of 10 ms */
    int slow;                         /* >= 0: this party's CPU is 10^4 times slower */
};

struct verdict {
    int ok, wrong, aborted, silent;
    int included; /* of the last party that output */
    int false_acc;
};

static void
world_init(struct world *w, int n, size_t L)
{
    memset(w, 0, sizeof(*w));
    w->n = n;
    w->L = L;
    w->slow = -1;
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

static const struct sim_profile g_slow = {SIM_PROFILE_NETWORK, SIM_PROFILE_NETWORK, 1e4};
static int g_profile[MAXN];

/* Party w->slow (if any) computes 10^4 times slower. */
static void
world_profile(const struct world *w, struct sim_config *c)
{
    if (w->slow < 0) {
        return;
    }
    for (int i = 0; i < w->n; i++) {
        g_profile[i] = i == w->slow ? 0 : -1;
    }
    c->n_profiles = 1;
    c->profiles = &g_slow;
    c->party_profile = g_profile;
}

/* Run on datagrams losing each message with probability loss (> 0), else the default transport. */
static struct sim *
world_run_loss(struct world *w, const struct shamir_params *prm, uint64_t seed, double loss)
{
    struct sim_config c;
    struct sim *sim = NULL;

    sim_config_init(&c, w->n, seed);
    c.inputs = w->inp;
    c.input_len = w->lens;
    c.net.latency.ms = w->no_latency ? 0 : 10;
    c.net.bandwidth_mbps = w->mbps;
    world_profile(w, &c);
    if (loss > 0) {
        c.net.transport.kind = SIM_TRANSPORT_DATAGRAM;
        c.net.loss = loss;
    }
    c.behaviour = w->beh;
    c.adversary_delay_ns = 100 * SIM_NS_PER_MS;
    c.round_timeout_ns = 1000 * SIM_NS_PER_MS;
    c.faults.n_crashes = w->n_crash;
    c.faults.crashes = w->crash;
    assert_int_equal(sim_create(&sim, &c, w->proto != NULL ? w->proto : &shamir_protocol, prm), 0);
    assert_int_equal(sim_run(sim), 0);
    return sim;
}

static struct sim *
world_run(struct world *w, const struct shamir_params *prm, uint64_t seed)
{
    return world_run_loss(w, prm, seed, 0);
}

/* Judge every honest party that did not crash. */
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
            int inc = 0;

            assert_int_equal(computation_expected(want, comp, w->n, w->inp, r->included), 0);
            assert_int_equal(r->output_len, computation_raw_len(comp));
            for (int j = 0; j < w->n; j++) {
                inc += r->included[j] != 0;
            }
            v.included = inc;
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

/* Live honest parties. */
static int
honest_live(const struct sim *sim, int n)
{
    int h = 0;

    for (int i = 0; i < n; i++) {
        const struct sim_party_result *r = sim_party_result(sim, i);

        h += r->honest && !r->crashed;
    }
    return h;
}

static void
pick(int *out, int n, int k, int avoid_low)
{
    int pool[MAXN], m = 0;

    for (int i = avoid_low; i < n; i++) {
        pool[m++] = i;
    }
    for (int i = 0; i < k; i++) {
        int j = i + (int)(mpcsim_test_rand64() % (uint64_t)(m - i));
        int tmp = pool[i];

        pool[i] = pool[j];
        pool[j] = tmp;
        out[i] = pool[i];
    }
}

/* Every computation, robust and fast, random n in 2..64 and t. */
static void
test_shamir_sim_correct(void **state)
{
    (void)state;
    for (int kind = COMPUTATION_SUM; kind <= COMPUTATION_DOT_PRODUCT; kind++) {
        for (int rep = 0; rep < 16; rep++) {
            struct world w;
            struct shamir_params prm;
            int n = 2 + (int)(mpcsim_test_rand64() % 63);
            size_t L = 1 + mpcsim_test_rand64() % MAXL;
            struct sim *sim;
            struct verdict v;
            int tmax;

            if (rep == 0) {
                n = 2;
            }
            world_init(&w, n, L);
            memset(&prm, 0, sizeof(prm));
            prm.comp.kind = (enum computation_kind)kind;
            prm.comp.length = L;
            prm.comp.weights = w.weights;
            prm.comp.n_weights = (size_t)n;
            tmax = computation_needs_mul(prm.comp.kind) ? (n - 1) / 2 : n - 1;
            prm.threshold = (int)(mpcsim_test_rand64() % (uint64_t)(tmax + 1));
            prm.robust = rep & 1;
            assert_null(shamir_unsupported(&prm, n));
            sim = world_run(&w, &prm, 100 + (uint64_t)rep);
            v = judge(sim, &w, &prm.comp);
            assert_int_equal(v.ok, n);
            assert_int_equal(v.included, kind == COMPUTATION_DOT_PRODUCT ? 2 : n);
            /* With t = 0, fast reconstruction needs only the party's own share. */
            if (prm.threshold > 0 || prm.robust) {
                assert_int_equal(sim_metrics(sim)->rounds, shamir_rounds(&prm));
            } else {
                assert_true(sim_metrics(sim)->rounds <= shamir_rounds(&prm));
            }
            assert_int_equal(v.false_acc, 0);
            sim_destroy(sim);
        }
    }
}

/*
 * The robustness table: n = 4, 7, 10, 31 with t = (n-1)/3 and c = 0..t
 * corrupted parties, each linear computation.  Robust reconstruction
 * outputs the right answer everywhere; under corrupt_shares every honest
 * party accuses exactly the corrupted parties, once each; under
 * equivocate and malformed no honest party is accused.
 */
static void
test_shamir_sim_robust_table(void **state)
{
    static const int ns[] = {4, 7, 10, 31};
    static const enum sim_behaviour bs[] = {SIM_CORRUPT_SHARES, SIM_EQUIVOCATE, SIM_MALFORMED};

    (void)state;
    for (size_t a = 0; a < sizeof(ns) / sizeof(ns[0]); a++) {
        int n = ns[a], t = (n - 1) / 3;

        for (size_t b = 0; b < sizeof(bs) / sizeof(bs[0]); b++) {
            for (int c = 0; c <= t; c++) {
                struct world w;
                struct shamir_params prm = {
                    .comp = {.kind = (enum computation_kind)(c % 3), .length = 2},
                    .threshold = t,
                    .robust = 1};
                int bad[MAXN];
                struct sim *sim;
                struct verdict v;
                const struct sim_accusation *acc = NULL;
                size_t n_acc;

                world_init(&w, n, 2);
                prm.comp.weights = w.weights;
                prm.comp.n_weights = (size_t)n;
                pick(bad, n, c, 0);
                for (int i = 0; i < c; i++) {
                    w.beh[bad[i]] = bs[b];
                }
                sim = world_run(&w, &prm, 7 + (uint64_t)c + 100 * b);
                v = judge(sim, &w, &prm.comp);
                assert_int_equal(v.ok, n - c);
                assert_int_equal(v.wrong + v.aborted + v.silent, 0);
                assert_int_equal(v.included, n);
                assert_int_equal(v.false_acc, 0);
                n_acc = sim_accusations(sim, &acc);
                for (size_t x = 0; x < n_acc; x++) {
                    assert_int_equal(w.beh[acc[x].accuser], SIM_HONEST);
                }
                if (bs[b] == SIM_CORRUPT_SHARES) {
                    /* Exactly: every honest party names every corrupted one, once. */
                    int seen[MAXN][MAXN];

                    memset(seen, 0, sizeof(seen));
                    assert_int_equal(n_acc, (size_t)((n - c) * c));
                    for (size_t x = 0; x < n_acc; x++) {
                        assert_int_equal(seen[acc[x].accuser][acc[x].accused]++, 0);
                    }
                }
                sim_destroy(sim);
            }
        }
    }
}

/*
 * Other behaviours within the bound (n = 10, t = 3, 3 corrupted):
 * equivocation and malformed messages never give a wrong output or a
 * false accusation; withholding costs one timeout and still outputs.
 */
static void
test_shamir_sim_behaviours(void **state)
{
    static const enum sim_behaviour bs[] = {SIM_EQUIVOCATE, SIM_MALFORMED, SIM_WITHHOLD, SIM_DELAY};

    (void)state;
    for (size_t b = 0; b < sizeof(bs) / sizeof(bs[0]); b++) {
        for (int robust = 0; robust <= 1; robust++) {
            struct world w;
            struct shamir_params prm = {
                .comp = {.kind = COMPUTATION_SUM, .length = 1}, .threshold = 3, .robust = robust};
            struct sim *sim;
            struct verdict v;

            world_init(&w, 10, 1);
            w.beh[1] = w.beh[4] = w.beh[8] = bs[b];
            sim = world_run(&w, &prm, 31);
            v = judge(sim, &w, &prm.comp);
            assert_int_equal(v.false_acc, 0);
            if (robust || bs[b] == SIM_WITHHOLD || bs[b] == SIM_DELAY) {
                assert_int_equal(v.ok, 7);
            }
            if (robust && bs[b] == SIM_WITHHOLD) {
                assert_true(sim_metrics(sim)->latency_ns >= 1000 * SIM_NS_PER_MS);
            }
            if (!robust && bs[b] == SIM_WITHHOLD) {
                assert_true(sim_metrics(sim)->latency_ns < 1000 * SIM_NS_PER_MS);
            }
            sim_destroy(sim);
        }
    }
}

/*
 * GF(2^127 - 1) (issue 18): a sum, a weighted sum, a variance and a dot
 * product of wei-sized values (around 10^18) are exact; with robust
 * reconstruction and two parties sending corrupted shares (n = 10, t = 3:
 * radius 3 among the 10 output shares), Reed-Solomon decoding over m127
 * corrects them in sum and weighted_sum: every honest party outputs the
 * exact answer and only cheaters are accused.  In variance and
 * dot_product the corrupted resharing makes the honest parties abort (as
 * at m61: a multiplication cannot be checked), never output a wrong
 * value.  With field m61 every party refuses these inputs.
 */
static void
test_shamir_sim_m127_wei(void **state)
{
    static const enum computation_kind ks[] = {COMPUTATION_SUM, COMPUTATION_WEIGHTED_SUM,
                                               COMPUTATION_VARIANCE, COMPUTATION_DOT_PRODUCT};
    const mpcsim_i128 e18 = (mpcsim_i128)1000000000000000000;

    (void)state;
    for (size_t k = 0; k < sizeof(ks) / sizeof(ks[0]); k++) {
        for (int cheat = 0; cheat < 2; cheat++) {
            struct world w;
            struct shamir_params prm;
            struct sim *sim;
            struct verdict v;
            mpcsim_i128 want[2 * MAXL];
            const struct sim_accusation *acc = NULL;

            world_init(&w, 10, 2);
            for (int i = 0; i < 10; i++) {
                for (size_t j = 0; j < 2; j++) {
                    w.in[i][j] = e18 + (mpcsim_i128)(mpcsim_test_rand64() % 2000000000000000000u);
                }
            }
            memset(&prm, 0, sizeof(prm));
            prm.comp.kind = ks[k];
            prm.comp.length = 2;
            prm.comp.weights = w.weights;
            prm.comp.n_weights = 10;
            prm.comp.max_abs = (mpcsim_i128)F127_HALF;
            prm.threshold = 3;
            prm.robust = 1;
            prm.field = FIELD_M127;
            if (cheat) {
                w.beh[2] = w.beh[7] = SIM_CORRUPT_SHARES;
            }
            assert_null(shamir_unsupported(&prm, 10));
            assert_int_equal(computation_expected(want, &prm.comp, 10, w.inp, NULL), 0);
            assert_true(want[0] > (mpcsim_i128)FP_HALF || want[0] < -(mpcsim_i128)FP_HALF);
            sim = world_run(&w, &prm, 900 + k * 2 + (uint64_t)cheat);
            v = judge(sim, &w, &prm.comp);
            if (cheat && computation_needs_mul(ks[k])) {
                /* A corrupted resharing cannot be corrected (as at m61): abort, never wrong. */
                assert_int_equal(v.ok + v.aborted, 8);
            } else {
                assert_int_equal(v.ok, cheat ? 8 : 10);
            }
            assert_int_equal(v.wrong, 0);
            assert_int_equal(v.false_acc, 0);
            if (cheat && !computation_needs_mul(ks[k])) {
                assert_true(sim_accusations(sim, &acc) > 0);
            }
            sim_destroy(sim);
        }
    }
}

/*
 * Beyond the radius: robust reconstruction aborts rather than output a
 * wrong value (n = 4, t = 1, 2 corrupted; n = 7, t = 2, 3 corrupted).  The
 * fast mode, trusting the first t+1 shares, outputs wrong values under
 * corrupt_shares: the documented cost of `fast`.
 */
static void
test_shamir_sim_radius_and_fast(void **state)
{
    static const int cases[][3] = {{4, 1, 2}, {7, 2, 3}, {10, 3, 4}};

    (void)state;
    for (size_t a = 0; a < sizeof(cases) / sizeof(cases[0]); a++) {
        struct world w;
        struct shamir_params prm = {
            .comp = {.kind = COMPUTATION_SUM, .length = 1}, .threshold = cases[a][1], .robust = 1};
        struct sim *sim;
        struct verdict v;

        world_init(&w, cases[a][0], 1);
        for (int i = 0; i < cases[a][2]; i++) {
            w.beh[i] = SIM_CORRUPT_SHARES;
        }
        sim = world_run(&w, &prm, 5);
        v = judge(sim, &w, &prm.comp);
        assert_int_equal(v.wrong, 0);
        assert_int_equal(v.ok + v.aborted, cases[a][0] - cases[a][2]);
        assert_int_equal(v.false_acc, 0);
        sim_destroy(sim);

        prm.robust = 0;
        sim = world_run(&w, &prm, 5);
        v = judge(sim, &w, &prm.comp);
        assert_true(v.wrong > 0);
        sim_destroy(sim);
    }
}

/*
 * A multiplication cannot be checked: a corrupted resharing makes robust
 * reconstruction abort, never output a wrong value.
 */
static void
test_shamir_sim_mul_tamper(void **state)
{
    (void)state;
    for (int kind = COMPUTATION_VARIANCE; kind <= COMPUTATION_DOT_PRODUCT; kind++) {
        struct world w;
        struct shamir_params prm = {.comp = {.kind = (enum computation_kind)kind, .length = 2},
                                    .threshold = 2,
                                    .robust = 1};
        struct sim *sim;
        struct verdict v;

        world_init(&w, 10, 2);
        w.beh[5] = SIM_CORRUPT_SHARES;
        sim = world_run(&w, &prm, 9);
        v = judge(sim, &w, &prm.comp);
        assert_int_equal(v.wrong, 0);
        assert_int_equal(v.ok + v.aborted, 9);
        assert_int_equal(v.false_acc, 0);
        sim_destroy(sim);
    }
}

/* The set of parties accused by honest parties, as a bit mask. */
static uint64_t
accused_mask(const struct sim *sim)
{
    const struct sim_accusation *acc = NULL;
    size_t n_acc = sim_accusations(sim, &acc);
    uint64_t mask = 0;

    for (size_t a = 0; a < n_acc; a++) {
        mask |= (uint64_t)1 << acc[a].accused;
    }
    return mask;
}

/*
 * Issue 15: an equivocating resharer in a multiplication made honest
 * parties' output shares wrong, and robust reconstruction named those
 * honest senders.  A wrong product share is no proof against its sender
 * (a resharer may have fed it): only the cheater, caught by its wrong
 * linear share, is named, and every honest party aborts.  The issue's
 * fa-min scenario (n = 4, t = 1, inputs 1..4, variance, cheater 3) and
 * every cheater at n = 7, t = 2 (odd cheaters used to get the other odd
 * indices accused).
 */
static void
test_shamir_sim_equivocate_mul_accusations(void **state)
{
    static const int cases[][2] = {{4, 1}, {7, 2}};

    (void)state;
    for (size_t a = 0; a < sizeof(cases) / sizeof(cases[0]); a++) {
        int n = cases[a][0];

        for (int cheat = 0; cheat < n; cheat++) {
            for (uint64_t seed = 1; seed <= 3; seed++) {
                struct world w;
                struct shamir_params prm = {.comp = {.kind = COMPUTATION_VARIANCE, .length = 1},
                                            .threshold = cases[a][1],
                                            .robust = 1};
                struct sim *sim;
                struct verdict v;

                world_init(&w, n, 1);
                for (int i = 0; i < n; i++) {
                    w.in[i][0] = i + 1;
                }
                w.beh[cheat] = SIM_EQUIVOCATE;
                sim = world_run(&w, &prm, seed);
                v = judge(sim, &w, &prm.comp);
                assert_int_equal(v.false_acc, 0);
                assert_int_equal(accused_mask(sim), (uint64_t)1 << cheat);
                assert_int_equal(v.wrong, 0);
                assert_int_equal(v.aborted, n - 1);
                sim_destroy(sim);
            }
        }
    }
}

/* The largest k for which every live honest party outputs correctly. */
static int
max_tolerated(int n, int t, enum computation_kind kind, int robust, int at_round)
{
    int best = -1;

    for (int k = 0; k < n; k++) {
        struct world w;
        struct shamir_params prm = {
            .comp = {.kind = kind, .length = 1}, .threshold = t, .robust = robust};
        int who[MAXN];
        struct sim *sim;
        struct verdict v;

        world_init(&w, n, 1);
        pick(who, n, k, 0);
        for (int i = 0; i < k; i++) {
            w.crash[i].party = who[i];
            w.crash[i].at_round = at_round;
        }
        w.n_crash = k;
        sim = world_run(&w, &prm, 77 + (uint64_t)k);
        v = judge(sim, &w, &prm.comp);
        assert_int_equal(v.wrong, 0);
        assert_int_equal(v.silent, 0);
        if (v.ok == honest_live(sim, n) && v.ok > 0) {
            assert_int_equal(v.included, at_round == 0 ? n - k : n);
            assert_int_equal(k, best + 1); /* tolerated counts are a prefix */
            best = k;
        } else {
            assert_int_equal(v.ok, 0);
        }
        sim_destroy(sim);
    }
    return best;
}

/*
 * The dropout table: linear computations survive n - (t+1) dropouts, a
 * multiplication n - (2t+1); parties that drop before sharing their input
 * are left out of `included`.
 */
static void
test_shamir_sim_dropout_table(void **state)
{
    (void)state;
    for (int robust = 0; robust <= 1; robust++) {
        for (int at = 0; at <= 1; at++) {
            assert_int_equal(max_tolerated(7, 2, COMPUTATION_SUM, robust, at), 7 - 3);
            assert_int_equal(max_tolerated(10, 3, COMPUTATION_MEAN, robust, at), 10 - 4);
            assert_int_equal(max_tolerated(7, 2, COMPUTATION_VARIANCE, robust, at), 7 - 5);
            assert_int_equal(max_tolerated(11, 3, COMPUTATION_VARIANCE, robust, at), 11 - 7);
        }
    }
}

/* Same seed, same everything (but wall time). */
/*
 * Issue 15: lost datagrams, no adversary.  A round-1 datagram lost to
 * some parties only left that input out of their product shares; others
 * combined those resharings with theirs and every party output a wrong
 * variance.  Each honest party must output the right answer or abort,
 * accusing nobody; some trials must do each (the loss is felt).
 */
static void
test_shamir_sim_datagram_loss_variance(void **state)
{
    static const int ns[] = {3, 5, 7};
    int ok = 0, aborted = 0;

    (void)state;
    for (size_t in = 0; in < sizeof(ns) / sizeof(ns[0]); in++) {
        for (int robust = 0; robust <= 1; robust++) {
            for (uint64_t seed = 1; seed <= 40; seed++) {
                struct world w;
                struct shamir_params prm;
                int n = ns[in];
                struct sim *sim;
                struct verdict v;

                world_init(&w, n, 1 + (size_t)(seed % 2));
                memset(&prm, 0, sizeof(prm));
                prm.comp.kind = COMPUTATION_VARIANCE;
                prm.comp.length = w.L;
                prm.threshold = seed % 2 ? 1 : (n - 1) / 2;
                prm.robust = robust;
                sim = world_run_loss(&w, &prm, seed * 7919 + (uint64_t)n, 0.1);
                v = judge(sim, &w, &prm.comp);
                assert_int_equal(v.wrong, 0);
                assert_int_equal(v.false_acc, 0);
                ok += v.ok;
                aborted += v.aborted;
                sim_destroy(sim);
            }
        }
    }
    assert_true(ok > 0);
    assert_true(aborted > 0);
}

/*
 * Issue 16: a crash in the middle of the input broadcast.  25 parties,
 * t = 12, a sum of scalars; party 3 crashes 0.5 ms in, while its input
 * shares (49 wire bytes, 39.2 us apiece at 10 Mbit/s) are still leaving:
 * 12 parties got its share, 12 did not.  Neither view has t + 1 = 13
 * output shares, so each view decoded on its own aborted.  The view
 * agreement leaves input 3 out (12 views hold it: fewer than t + 1, so it
 * could never be reconstructed), the holders subtract its share, and all
 * 24 live parties output the sum of the other 24 inputs, in one more
 * round (rounds 3).
 */
static void
test_shamir_sim_crash_mid_broadcast_25(void **state)
{
    (void)state;
    for (int robust = 0; robust <= 1; robust++) {
        struct world w;
        struct shamir_params prm = {
            .comp = {.kind = COMPUTATION_SUM, .length = 1}, .threshold = 12, .robust = robust};
        struct sim *sim;
        struct verdict v;

        world_init(&w, 25, 1);
        w.mbps = 10;
        w.crash[0].party = 3;
        w.crash[0].at_ns = SIM_NS_PER_MS / 2;
        w.crash[0].at_round = -1;
        w.n_crash = 1;
        sim = world_run(&w, &prm, 16);
        v = judge(sim, &w, &prm.comp);
        assert_int_equal(v.wrong, 0);
        assert_int_equal(v.false_acc, 0);
        assert_int_equal(v.ok, 24);
        assert_int_equal(v.included, 24);
        assert_int_equal(sim_metrics(sim)->rounds, 3);
        sim_destroy(sim);
    }
}

/* The fewest output shares an honest party decoded from, or -1. */
static long
min_shares(const struct sim *sim)
{
    for (size_t i = 0; i < sim_stat_count(sim); i++) {
        if (strcmp(sim_stat_name(sim, i), "min_output_shares") == 0) {
            return (long)sim_stat_u64(sim, i);
        }
    }
    return -1;
}

/* One crash at a seeded time inside the input broadcast (10 Mbit/s). */
static void
crash_in_broadcast(struct world *w)
{
    /* An input message is 1 + 8 L bytes plus a 40-byte header. */
    int64_t per = (int64_t)(8 * (41 + 8 * w->L)) * SIM_NS_PER_MS / 10000;

    w->mbps = 10;
    w->crash[0].party = (int)(mpcsim_test_rand64() % (uint64_t)w->n);
    w->crash[0].at_ns = (int64_t)(mpcsim_test_rand64() % (uint64_t)(per * w->n));
    w->crash[0].at_round = -1;
    w->n_crash = 1;
}

/*
 * Crash times swept over the input broadcast: 50 seeded (party, time)
 * pairs for each n in {7, 13, 25}, t = (n-1)/2 or (n-1)/3, sum, mean and
 * weighted_sum, robust and fast.  One crash is within the README's bound
 * (n - (t+1) dropouts): every live party outputs the right value over the
 * inputs it reports, nobody is accused, `included` is n - 1 or n; the
 * view agreement ran in some trials (rounds 3) and left the input out in
 * some and kept it in others.
 */
static void
test_shamir_sim_crash_sweep(void **state)
{
    static const int ns[] = {7, 13, 25};
    int agreed = 0, kept = 0, left_out = 0;

    (void)state;
    for (size_t a = 0; a < sizeof(ns) / sizeof(ns[0]); a++) {
        for (int k = 0; k < 50; k++) {
            int n = ns[a];
            struct world w;
            struct shamir_params prm;
            struct sim *sim;
            struct verdict v;

            world_init(&w, n, 1 + (size_t)(k % 2));
            crash_in_broadcast(&w);
            memset(&prm, 0, sizeof(prm));
            prm.comp.kind = (enum computation_kind)(k % 3);
            prm.comp.length = w.L;
            prm.comp.weights = w.weights;
            prm.comp.n_weights = (size_t)n;
            prm.threshold = k % 4 < 2 ? (n - 1) / 2 : (n - 1) / 3;
            prm.robust = k % 5 != 0;
            sim = world_run(&w, &prm, 1000 + (uint64_t)(k + 100 * n));
            v = judge(sim, &w, &prm.comp);
            assert_int_equal(v.wrong, 0);
            assert_int_equal(v.false_acc, 0);
            assert_int_equal(v.ok, n - 1);
            assert_true(v.included == n - 1 || v.included == n);
            agreed += sim_metrics(sim)->rounds == 3;
            kept += v.included == n;
            left_out += v.included == n - 1;
            sim_destroy(sim);
        }
    }
    assert_true(agreed > 0);
    assert_true(kept > 0);
    assert_true(left_out > 0);
}

/*
 * Issue 16, products: 13 parties, t = 4, variance of scalars; party 3
 * crashes after 2 of its input shares left (10 Mbit/s).  The resharings
 * carry two views (2 hold input 3, 10 do not): the 10 could reduce
 * degree on their own, the 2 could not (before: 10 outputs, 2 aborts).
 * The agreement leaves input 3 out (10 >= t + 1 views lack it), the two
 * holders subtract its share, all 12 reshare over S* and every live
 * party outputs the variance of the other 12 inputs (rounds 4).
 */
static void
test_shamir_sim_crash_mid_broadcast_variance(void **state)
{
    (void)state;
    for (int robust = 0; robust <= 1; robust++) {
        struct world w;
        struct shamir_params prm = {
            .comp = {.kind = COMPUTATION_VARIANCE, .length = 1}, .threshold = 4, .robust = robust};
        struct sim *sim;
        struct verdict v;

        world_init(&w, 13, 1);
        w.mbps = 10;
        w.crash[0].party = 3;
        w.crash[0].at_ns = 2 * (8 * (41 + 8)) * SIM_NS_PER_MS / 10000 + 1000;
        w.crash[0].at_round = -1;
        w.n_crash = 1;
        sim = world_run(&w, &prm, 16);
        v = judge(sim, &w, &prm.comp);
        assert_int_equal(v.wrong, 0);
        assert_int_equal(v.false_acc, 0);
        assert_int_equal(v.ok, 12);
        assert_int_equal(v.included, 12);
        assert_int_equal(sim_metrics(sim)->rounds, 4);
        sim_destroy(sim);
    }
}

/*
 * Crash times swept over the input broadcast for the products: 60 seeded
 * (party, time) pairs for each n in {9, 13}, variance and dot_product,
 * t = (n-1)/3 or (n-2)/2 (so n - 1 >= 2t + 1: one crash is within the
 * README's bound n - (2t+1)), robust and fast, 10 ms or no latency.  Never a wrong output,
 * never an accusation; every live party outputs (over n - 1 or n
 * inputs) unless dot_product lost the input of party 0 or 1 (the
 * parties lacking it abort).  The agreement ran in some trials (rounds
 * 4), left the input out in some and kept it in others.
 */
static void
test_shamir_sim_crash_sweep_products(void **state)
{
    static const int ns[] = {9, 13};
    int agreed = 0, kept = 0, left_out = 0;

    (void)state;
    for (size_t a = 0; a < sizeof(ns) / sizeof(ns[0]); a++) {
        for (int k = 0; k < 60; k++) {
            int n = ns[a];
            struct world w;
            struct shamir_params prm;
            struct sim *sim;
            struct verdict v;

            world_init(&w, n, 1 + (size_t)(k % 2));
            crash_in_broadcast(&w);
            w.no_latency = k % 7 == 3;
            memset(&prm, 0, sizeof(prm));
            prm.comp.kind = k % 3 == 2 ? COMPUTATION_DOT_PRODUCT : COMPUTATION_VARIANCE;
            prm.comp.length = w.L;
            prm.threshold = k % 4 < 2 ? (n - 1) / 3 : (n - 2) / 2;
            prm.robust = k % 5 != 0;
            sim = world_run(&w, &prm, 7000 + (uint64_t)(k + 100 * n));
            v = judge(sim, &w, &prm.comp);
            assert_int_equal(v.wrong, 0);
            assert_int_equal(v.false_acc, 0);
            if (prm.comp.kind == COMPUTATION_VARIANCE || w.crash[0].party >= 2) {
                assert_int_equal(v.ok, n - 1);
            }
            if (prm.comp.kind == COMPUTATION_VARIANCE) {
                assert_true(v.included == n - 1 || v.included == n);
                agreed += sim_metrics(sim)->rounds == 4;
                kept += v.included == n;
                left_out += v.included == n - 1;
            }
            sim_destroy(sim);
        }
    }
    assert_true(agreed > 0);
    assert_true(kept > 0);
    assert_true(left_out > 0);
}

/*
 * A crash in the middle of the resharing broadcast: 25 parties, t = 11,
 * dot_product, no latency, party 9 crashes 0.92 ms in, while its
 * resharing leaves.  The 4 parties that heard it had all 25 resharings
 * and entered the output round at once, their output view (T of 25)
 * shared by nobody else; the 20 others waited for the resharing round's
 * timeout.  Before, the 4 parties' output round timed out just as the
 * 20 shares of the other view arrived, and they aborted.  Now a product's
 * output round that cannot decode yet waits until t0 + 3 timeouts: all
 * 24 live parties output.
 */
static void
test_shamir_sim_crash_mid_reshare(void **state)
{
    struct world w;
    struct shamir_params prm = {
        .comp = {.kind = COMPUTATION_DOT_PRODUCT, .length = 2}, .threshold = 11, .robust = 1};
    struct sim *sim;
    struct verdict v;

    (void)state;
    world_init(&w, 25, 2);
    w.mbps = 10;
    w.no_latency = 1;
    w.crash[0].party = 9;
    w.crash[0].at_ns = 919700;
    w.crash[0].at_round = -1;
    w.n_crash = 1;
    sim = world_run(&w, &prm, 9559);
    v = judge(sim, &w, &prm.comp);
    assert_int_equal(v.wrong, 0);
    assert_int_equal(v.false_acc, 0);
    assert_int_equal(v.ok, 24);
    sim_destroy(sim);
}

static int g_toggle = -1; /* the input a view equivocator claims to hold or lack */

static uint32_t
rd32(const uint8_t *b)
{
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static void
wr32(uint8_t *b, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        b[i] = (uint8_t)(v >> (8 * i));
    }
}

/*
 * Equivocate, with views too: to odd receivers an output share's view
 * (adapter.h: [3][u32 n_in][u32 n_mul][ids][values]) says the opposite
 * about input g_toggle (held if left out, left out if held); then the
 * adapter's own equivocation perturbs the values for odd receivers.
 */
static enum sim_adv_action
view_equivocate(struct sim_party *p, enum sim_behaviour b, int to, uint8_t *msg, size_t *len,
                size_t cap)
{
    if (*len >= 9 && msg[0] == 3 && (to & 1) && g_toggle >= 0) {
        uint32_t n_in = rd32(msg + 1), n_mul = rd32(msg + 5);
        size_t nid = (size_t)n_in + n_mul, vals = *len - 9 - 4 * nid, m = 0;
        uint32_t ids[2 * MAXN + 1];
        uint8_t tail[2 * MAXN * 4 + 64 + 16 * MAXL];
        int found = 0;

        assert_true(nid <= 2 * MAXN && vals + 4 * n_mul <= sizeof(tail));
        for (size_t e = 0; e < n_in; e++) {
            uint32_t id = rd32(msg + 9 + 4 * e);

            if (id == (uint32_t)g_toggle) {
                found = 1;
                continue;
            }
            if (!found && id > (uint32_t)g_toggle) {
                ids[m++] = (uint32_t)g_toggle;
                found = 2;
            }
            ids[m++] = id;
        }
        if (!found) {
            ids[m++] = (uint32_t)g_toggle;
        }
        memcpy(tail, msg + 9 + 4 * (size_t)n_in, 4 * (size_t)n_mul + vals);
        wr32(msg + 1, (uint32_t)m);
        for (size_t e = 0; e < m; e++) {
            wr32(msg + 9 + 4 * e, ids[e]);
        }
        memcpy(msg + 9 + 4 * m, tail, 4 * (size_t)n_mul + vals);
        *len = 9 + 4 * (m + n_mul) + vals;
        assert_true(*len <= cap);
    }
    return shamir_protocol.tamper(p, b, to, msg, len, cap);
}

/*
 * Equivocated views with a crash mid-broadcast: c = 1..t corrupted
 * parties (t = (n-1)/3) send odd receivers an output view that flips the
 * crashed party's input, and wrong values, then equivocate their shares
 * over S*.  Honest parties may compute different S* and abort, but no
 * honest party is accused and no output is wrong while c <= m - t - 1 (m
 * the fewest shares an honest party decoded from: the guarantee table).
 */
static void
test_shamir_sim_crash_view_equivocation(void **state)
{
    static const int ns[] = {7, 13, 25};
    struct sim_protocol proto = shamir_protocol;
    int ok = 0, inside = 0;

    (void)state;
    proto.tamper = view_equivocate;
    for (size_t a = 0; a < sizeof(ns) / sizeof(ns[0]); a++) {
        for (int k = 0; k < 20; k++) {
            int n = ns[a], t = (n - 1) / 3, c = 1 + k % t;
            struct world w;
            struct shamir_params prm = {
                .comp = {.kind = COMPUTATION_SUM, .length = 1}, .threshold = t, .robust = 1};
            int bad[MAXN];
            struct sim *sim;
            struct verdict v;
            long m;

            world_init(&w, n, 1);
            w.proto = &proto;
            crash_in_broadcast(&w);
            g_toggle = w.crash[0].party;
            pick(bad, n, c + 1, 0);
            for (int i = 0, placed = 0; placed < c; i++) {
                if (bad[i] != g_toggle) {
                    w.beh[bad[i]] = SIM_EQUIVOCATE;
                    placed++;
                }
            }
            sim = world_run(&w, &prm, 5000 + (uint64_t)(k + 100 * n));
            v = judge(sim, &w, &prm.comp);
            m = min_shares(sim);
            assert_int_equal(v.false_acc, 0);
            if (m >= 0 && c <= m - t - 1) {
                assert_int_equal(v.wrong, 0);
                inside++;
            }
            ok += v.ok > 0 && v.wrong == 0;
            sim_destroy(sim);
        }
    }
    g_toggle = -1;
    assert_true(ok > 0);
    assert_true(inside > 0);
}

/*
 * A resharer that lies about its view (adapter.h: a resharing is
 * [2][u32 k][k ids][values] when k inputs were left out): it claims to
 * lack input g_lie_in[self] as well as those the honest parties lack.
 * Its values are left intact (the behaviour only marks it corrupted).
 */
static int g_lie_in[MAXN];

static enum sim_adv_action
view_lie(struct sim_party *p, enum sim_behaviour b, int to, uint8_t *msg, size_t *len, size_t cap)
{
    int self = sim_party_id(p);

    (void)b;
    (void)to;
    if (*len >= 5 && msg[0] == 2 && g_lie_in[self] >= 0) {
        uint32_t k = rd32(msg + 1), ids[MAXN + 1], m = 0;
        uint8_t vals[64];
        size_t nv = *len - 5 - 4 * (size_t)k;
        int placed = 0;

        assert_true(k <= MAXN && nv <= sizeof(vals) && *len + 4 <= cap);
        memcpy(vals, msg + 5 + 4 * (size_t)k, nv);
        for (uint32_t e = 0; e < k; e++) {
            uint32_t id = rd32(msg + 5 + 4 * e);

            if (!placed && id > (uint32_t)g_lie_in[self]) {
                ids[m++] = (uint32_t)g_lie_in[self];
                placed = 1;
            }
            ids[m++] = id;
        }
        if (!placed) {
            ids[m++] = (uint32_t)g_lie_in[self];
        }
        wr32(msg + 1, m);
        for (uint32_t e = 0; e < m; e++) {
            wr32(msg + 5 + 4 * e, ids[e]);
        }
        memcpy(msg + 5 + 4 * (size_t)m, vals, nv);
        *len = 5 + 4 * (size_t)m + nv;
    }
    return SIM_ADV_SEND;
}

/*
 * Fewer than 2t + 1 holders of S*: 7 parties, t = 2, variance, party 4
 * silent from the start (every view lacks input 4), corrupted parties 5
 * and 6 reshare claiming to lack input 0 and input 1 as well.  Inputs 0
 * and 1 are held by 6 of the 7 views (>= 2t + 1, lacked by <= t), so S*
 * leaves only input 4 out and its holders are the 4 honest live parties:
 * fewer than 2t + 1 = 5, so every honest party aborts after the
 * resharing round - no output, no accusation.
 */
static void
test_shamir_sim_mul_agree_too_few_holders(void **state)
{
    struct world w;
    struct shamir_params prm = {
        .comp = {.kind = COMPUTATION_VARIANCE, .length = 2}, .threshold = 2, .robust = 1};
    struct sim_protocol proto = shamir_protocol;
    struct sim *sim;
    struct verdict v;

    (void)state;
    proto.tamper = view_lie;
    for (int i = 0; i < MAXN; i++) {
        g_lie_in[i] = -1;
    }
    g_lie_in[5] = 0;
    g_lie_in[6] = 1;
    world_init(&w, 7, 2);
    w.proto = &proto;
    w.beh[5] = SIM_EQUIVOCATE;
    w.beh[6] = SIM_EQUIVOCATE;
    w.crash[0].party = 4;
    w.crash[0].at_ns = 0;
    w.crash[0].at_round = -1;
    w.n_crash = 1;
    sim = world_run(&w, &prm, 77);
    v = judge(sim, &w, &prm.comp);
    assert_int_equal(v.wrong, 0);
    assert_int_equal(v.false_acc, 0);
    assert_int_equal(v.ok, 0);
    assert_int_equal(v.aborted, 4);
    for (int i = 0; i < 4; i++) {
        assert_non_null(
            strstr(sim_party_result(sim, i)->abort_reason, "fewer than 2t+1 parties hold"));
    }
    sim_destroy(sim);
}

static void
test_shamir_sim_deterministic(void **state)
{
    struct world w;
    struct shamir_params prm = {
        .comp = {.kind = COMPUTATION_VARIANCE, .length = 3}, .threshold = 4, .robust = 1};
    struct sim *s1, *s2;
    const struct sim_metrics *m1, *m2;

    (void)state;
    world_init(&w, 12, 3);
    w.beh[3] = SIM_CORRUPT_SHARES;
    s1 = world_run(&w, &prm, 1234);
    s2 = world_run(&w, &prm, 1234);
    m1 = sim_metrics(s1);
    m2 = sim_metrics(s2);
    assert_int_equal(m1->latency_ns, m2->latency_ns);
    assert_int_equal(m1->messages, m2->messages);
    assert_int_equal(m1->bytes, m2->bytes);
    assert_int_equal(m1->compute_ns, m2->compute_ns);
    assert_int_equal(m1->events, m2->events);
    for (int i = 0; i < 12; i++) {
        const struct sim_party_result *a = sim_party_result(s1, i);
        const struct sim_party_result *b = sim_party_result(s2, i);

        assert_int_equal(a->has_output, b->has_output);
        assert_int_equal(a->aborted, b->aborted);
        if (a->has_output) {
            assert_memory_equal(a->output, b->output, a->output_len * sizeof(mpcsim_i128));
        }
    }
    sim_destroy(s1);
    sim_destroy(s2);
}

/* Parameters the protocol cannot run are named. */
static void
test_shamir_sim_unsupported(void **state)
{
    struct shamir_params prm = {
        .comp = {.kind = COMPUTATION_VARIANCE, .length = 1}, .threshold = 3, .robust = 1};

    (void)state;
    assert_non_null(shamir_unsupported(&prm, 6));
    assert_null(shamir_unsupported(&prm, 7));
    prm.comp.kind = COMPUTATION_SUM;
    assert_null(shamir_unsupported(&prm, 4));
    assert_non_null(shamir_unsupported(&prm, 3));
    prm.threshold = -1;
    assert_non_null(shamir_unsupported(&prm, 5));
    prm.threshold = 1;
    prm.comp.kind = COMPUTATION_WEIGHTED_SUM;
    assert_non_null(shamir_unsupported(&prm, 5));
    assert_int_equal(shamir_rounds(&prm), 2);
    prm.comp.kind = COMPUTATION_DOT_PRODUCT;
    assert_int_equal(shamir_rounds(&prm), 3);
}

/*
 * Out of memory: every allocation failure in sim_create (trial_setup,
 * setup) is reported and leaks nothing; failures while running make
 * parties abort or the run fail, never crash or leak.
 */
static void
test_shamir_sim_oom(void **state)
{
    struct world w;
    struct shamir_params prm = {
        .comp = {.kind = COMPUTATION_VARIANCE, .length = 2}, .threshold = 2, .robust = 1};
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
        rc = sim_create(&sim, &c, &shamir_protocol, &prm);
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

        assert_int_equal(sim_create(&sim, &c, &shamir_protocol, &prm), 0);
        mpcsim_test_fail_alloc_after(k);
        rc = sim_run(sim);
        mpcsim_test_fail_alloc_after(-1);
        assert_true(rc == 0 || rc == MPCSIM_ENOMEM);
        sim_destroy(sim);
    }
}

/*
 * A crash mid-broadcast that splits the views, under memory failures:
 * 7 parties of world w (prm ready), 10 Mbit/s, no latency, party 6
 * crashes after 3 of its input shares left; party 5 computes slowly, so
 * the messages over S* reach it before its own decision.  The clean run
 * agrees (every live party ok, included 6, `rounds` as given); with any
 * one of 1500 allocations failing the run ends cleanly (rc 0 or
 * MPCSIM_ENOMEM), without a wrong output or a leak.
 */
static void
split_oom(struct world *w, const struct shamir_params *prm, int64_t rounds)
{
    struct sim_config c;
    struct sim *sim = NULL;
    struct verdict v;

    w->mbps = 10;
    w->no_latency = 1;
    w->slow = 5;
    w->crash[0].party = 6;
    w->crash[0].at_ns = 3 * (8 * (41 + 16)) * SIM_NS_PER_MS / 10000 + 1000;
    w->crash[0].at_round = -1;
    w->n_crash = 1;
    sim = world_run(w, prm, 3);
    v = judge(sim, w, &prm->comp);
    assert_int_equal(v.ok, 6);
    assert_int_equal(v.included, 6);
    assert_int_equal(sim_metrics(sim)->rounds, rounds);
    sim_destroy(sim);
    sim_config_init(&c, w->n, 3);
    c.inputs = w->inp;
    c.input_len = w->lens;
    c.net.bandwidth_mbps = 10;
    c.round_timeout_ns = 1000 * SIM_NS_PER_MS;
    c.faults.n_crashes = 1;
    c.faults.crashes = w->crash;
    world_profile(w, &c);
    for (int k = 0; k < 1500; k++) {
        int rc;

        sim = NULL;
        assert_int_equal(sim_create(&sim, &c, &shamir_protocol, prm), 0);
        mpcsim_test_fail_alloc_after(k);
        rc = sim_run(sim);
        mpcsim_test_fail_alloc_after(-1);
        assert_true(rc == 0 || rc == MPCSIM_ENOMEM);
        v = judge(sim, w, &prm->comp);
        assert_int_equal(v.wrong, 0);
        sim_destroy(sim);
    }
}

/*
 * The view agreement (weighted_sum: a 3/3 split, one extra round) under
 * memory failures.
 */
static void
test_shamir_sim_agree_oom(void **state)
{
    struct world w;
    struct shamir_params prm = {
        .comp = {.kind = COMPUTATION_WEIGHTED_SUM, .length = 2}, .threshold = 2, .robust = 1};

    (void)state;
    world_init(&w, 7, 2);
    prm.comp.weights = w.weights;
    prm.comp.n_weights = 7;
    split_oom(&w, &prm, 3);
}

/* Party 0's compute (ns) of an honest run of `kind` whose only priced
 * operation is `op` (1 us each). */
static int64_t
priced_compute(enum field_kind f, enum computation_kind kind, int robust, enum sim_op op)
{
    struct world w;
    struct shamir_params prm;
    struct sim_config c;
    struct sim *sim = NULL;
    double cost[SIM_OP_COUNT] = {0};
    int64_t ns;

    world_init(&w, 5, 2);
    memset(&prm, 0, sizeof(prm));
    prm.comp.kind = kind;
    prm.comp.length = 2;
    prm.threshold = 1;
    prm.robust = robust;
    prm.field = f;
    assert_null(shamir_unsupported(&prm, w.n));
    cost[op] = 1000.0;
    sim_config_init(&c, w.n, 7);
    c.inputs = w.inp;
    c.input_len = w.lens;
    c.net.latency.ms = 10;
    c.cost_ns = cost;
    assert_int_equal(sim_create(&sim, &c, &shamir_protocol, &prm), 0);
    assert_int_equal(sim_run(sim), 0);
    assert_true(sim_party_result(sim, 0)->has_output);
    ns = sim_party_result(sim, 0)->compute_ns;
    sim_destroy(sim);
    return ns;
}

/* Products (sharing, resharing, interpolation) are charged at their own
 * field's cost-table entry: m127 ones at field_mul_m127, not at
 * field_mul (the m61 cost), as the mpc layer does. */
static void
test_shamir_sim_mul_cost_per_field(void **state)
{
    static const enum computation_kind ks[] = {COMPUTATION_SUM, COMPUTATION_VARIANCE};

    (void)state;
    for (size_t k = 0; k < sizeof(ks) / sizeof(ks[0]); k++) {
        for (int robust = 0; robust < 2; robust++) {
            assert_int_equal(priced_compute(FIELD_M127, ks[k], robust, SIM_OP_FIELD_MUL), 0);
            assert_true(priced_compute(FIELD_M127, ks[k], robust, SIM_OP_FIELD_MUL_M127) > 0);
            assert_int_equal(priced_compute(FIELD_M61, ks[k], robust, SIM_OP_FIELD_MUL_M127), 0);
            assert_true(priced_compute(FIELD_M127, ks[k], robust, SIM_OP_FIELD_MUL_M127) ==
                        priced_compute(FIELD_M61, ks[k], robust, SIM_OP_FIELD_MUL));
        }
    }
}

/*
 * The product agreement (variance: one resharing over S*, rounds 4) under
 * memory failures.
 */
static void
test_shamir_sim_mul_agree_oom(void **state)
{
    struct world w;
    struct shamir_params prm = {
        .comp = {.kind = COMPUTATION_VARIANCE, .length = 2}, .threshold = 2, .robust = 1};

    (void)state;
    world_init(&w, 7, 2);
    split_oom(&w, &prm, 4);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shamir_sim_correct),
        cmocka_unit_test(test_shamir_sim_robust_table),
        cmocka_unit_test(test_shamir_sim_behaviours),
        cmocka_unit_test(test_shamir_sim_m127_wei),
        cmocka_unit_test(test_shamir_sim_radius_and_fast),
        cmocka_unit_test(test_shamir_sim_mul_tamper),
        cmocka_unit_test(test_shamir_sim_equivocate_mul_accusations),
        cmocka_unit_test(test_shamir_sim_dropout_table),
        cmocka_unit_test(test_shamir_sim_datagram_loss_variance),
        cmocka_unit_test(test_shamir_sim_crash_mid_broadcast_25),
        cmocka_unit_test(test_shamir_sim_crash_sweep),
        cmocka_unit_test(test_shamir_sim_crash_view_equivocation),
        cmocka_unit_test(test_shamir_sim_deterministic),
        cmocka_unit_test(test_shamir_sim_unsupported),
        cmocka_unit_test(test_shamir_sim_oom),
        cmocka_unit_test(test_shamir_sim_agree_oom),
        cmocka_unit_test(test_shamir_sim_mul_cost_per_field),
        cmocka_unit_test(test_shamir_sim_crash_mid_broadcast_variance),
        cmocka_unit_test(test_shamir_sim_crash_sweep_products),
        cmocka_unit_test(test_shamir_sim_mul_agree_oom),
        cmocka_unit_test(test_shamir_sim_crash_mid_reshare),
        cmocka_unit_test(test_shamir_sim_mul_agree_too_few_holders),
    };

    mpcsim_test_init();
    return cmocka_run_group_tests_name("shamir_sim", tests, NULL, NULL);
}
