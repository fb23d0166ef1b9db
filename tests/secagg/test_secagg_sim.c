/* SPDX-License-Identifier: MIT */
/*
 * tests/secagg/test_secagg_sim.c - the secure-aggregation adapter run by
 * the engine: every supported computation against the plaintext answer,
 * the dropout table (0, 10, 30 % of the clients dropping at each round
 * boundary), aborts below the threshold, a dropped client's input kept
 * out of the sum, the server's view of masked inputs (chi-square), the
 * adversary behaviours, malformed and mutated messages, out-of-memory in
 * setup, determinism.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "common/alloc.h"
#include "protocols/field/fp.h"
#include "protocols/secagg/adapter.h"
#include "protocols/secagg/secagg.h"
#include "tests/support.h"

#define MAXN 64
#define MAXL 8

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
    int ok, wrong, aborted, silent;
    int included; /* of the last party that output */
    int false_acc, acc;
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

static void
params_init(struct secagg_params *prm, struct world *w, enum computation_kind kind, int t)
{
    memset(prm, 0, sizeof(*prm));
    prm->comp.kind = kind;
    prm->comp.length = w->L;
    prm->comp.weights = w->weights;
    prm->comp.n_weights = (size_t)w->n;
    prm->threshold = t;
    prm->result_to_clients = 1; /* every client outputs the sum too */
}

static struct sim *
world_run_proto(struct world *w, const struct sim_protocol *proto, const struct secagg_params *prm,
                uint64_t seed)
{
    struct sim_config c;
    struct sim *sim = NULL;

    sim_config_init(&c, w->n, seed);
    c.inputs = w->inp;
    c.input_len = w->lens;
    c.net.latency.kind = SIM_LATENCY_UNIFORM;
    c.net.latency.min_ms = 5;
    c.net.latency.max_ms = 15;
    c.behaviour = w->beh;
    c.adversary_delay_ns = 2000 * SIM_NS_PER_MS;
    c.round_timeout_ns = 1000 * SIM_NS_PER_MS;
    c.faults.n_crashes = w->n_crash;
    c.faults.crashes = w->crash;
    assert_int_equal(sim_create(&sim, &c, proto, prm), 0);
    assert_int_equal(sim_run(sim), 0);
    return sim;
}

static struct sim *
world_run(struct world *w, const struct secagg_params *prm, uint64_t seed)
{
    return world_run_proto(w, &secagg_protocol, prm, seed);
}

/* Judge every honest party that did not crash, as the front end does. */
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
            mpcsim_i128 want[MAXL];
            int inc = 0;

            assert_int_equal(r->included[0], 0); /* the server is never included */
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
        v.acc++;
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

/* k distinct clients (ids >= 1) into out. */
static void
pick_clients(int *out, int n, int k)
{
    int pool[MAXN], m = 0;

    for (int i = 1; i < n; i++) {
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

/* sum, mean and weighted_sum, n = 2..40, vectors, default and random t, no faults. */
static void
test_secagg_sim_correct(void **state)
{
    static const enum computation_kind kinds[] = {COMPUTATION_SUM, COMPUTATION_MEAN,
                                                  COMPUTATION_WEIGHTED_SUM};

    (void)state;
    for (size_t kk = 0; kk < 3; kk++) {
        for (int rep = 0; rep < 6; rep++) {
            struct world w;
            struct secagg_params prm;
            int n = rep == 0 ? 2 : 3 + (int)(mpcsim_test_rand64() % 38);
            size_t L = 1 + mpcsim_test_rand64() % MAXL;
            int t = (rep & 1) ? 0 : 1 + (int)(mpcsim_test_rand64() % (uint64_t)(n - 1));
            struct sim *sim;
            struct verdict v;

            world_init(&w, n, L);
            params_init(&prm, &w, kinds[kk], t);
            assert_null(secagg_unsupported(&prm, n));
            sim = world_run(&w, &prm, 100 + (uint64_t)rep);
            v = judge(sim, &w, &prm.comp);
            assert_int_equal(v.ok, n);
            assert_int_equal(v.included, n - 1);
            assert_int_equal(v.acc, 0);
            assert_int_equal(sim_metrics(sim)->rounds, secagg_rounds(&prm));
            sim_destroy(sim);
        }
    }
}

/*
 * The dropout table: 30 clients, default t = 21; 0, 3 (10 %) and 9 (30 %)
 * clients drop at each round boundary (engine rounds 0, 2, 4, 6: before
 * advertising, after advertising, after sharing keys, after the masked
 * input).  Everyone alive outputs the right sum over exactly the clients
 * whose masked input the server summed.
 */
static void
test_secagg_sim_dropouts(void **state)
{
    static const int drops[] = {0, 3, 9};
    static const int bounds[] = {0, 2, 4, 6};

    (void)state;
    for (size_t d = 0; d < 3; d++) {
        for (size_t b = 0; b < 4; b++) {
            struct world w;
            struct secagg_params prm;
            int who[MAXN];
            struct sim *sim;
            struct verdict v;
            int n = 31;

            world_init(&w, n, 4);
            params_init(&prm, &w, COMPUTATION_SUM, 0);
            pick_clients(who, n, drops[d]);
            for (int i = 0; i < drops[d]; i++) {
                w.crash[i].party = who[i];
                w.crash[i].at_round = bounds[b];
            }
            w.n_crash = drops[d];
            sim = world_run(&w, &prm, 7 + d * 4 + b);
            v = judge(sim, &w, &prm.comp);
            assert_int_equal(v.ok, n - drops[d]);
            assert_int_equal(v.wrong + v.aborted + v.silent, 0);
            /* Dropped after the masked input: still in the sum (self-mask removed). */
            assert_int_equal(v.included, bounds[b] == 6 ? n - 1 : n - 1 - drops[d]);
            assert_int_equal(v.acc, 0);
            sim_destroy(sim);
        }
    }
}

/* Dropouts at every boundary mixed in one trial, vectors, weighted sums, many seeds. */
static void
test_secagg_sim_mixed_dropouts(void **state)
{
    (void)state;
    for (int rep = 0; rep < 12; rep++) {
        struct world w;
        struct secagg_params prm;
        int who[MAXN];
        int n = 12 + (int)(mpcsim_test_rand64() % 30);
        int t = secagg_default_threshold(n);
        int k = (n - 1) - t; /* as many as can drop */
        int before_mask = 0;
        struct sim *sim;
        struct verdict v;

        world_init(&w, n, 1 + (size_t)(rep % MAXL));
        params_init(&prm, &w, rep & 1 ? COMPUTATION_WEIGHTED_SUM : COMPUTATION_SUM, 0);
        pick_clients(who, n, k);
        for (int i = 0; i < k; i++) {
            w.crash[i].party = who[i];
            w.crash[i].at_round = 1 + (int)(mpcsim_test_rand64() % 8);
            before_mask += w.crash[i].at_round <= 4;
        }
        w.n_crash = k;
        sim = world_run(&w, &prm, 500 + (uint64_t)rep);
        v = judge(sim, &w, &prm.comp);
        assert_int_equal(v.ok, honest_live(sim, n));
        assert_int_equal(v.wrong + v.aborted + v.silent, 0);
        assert_int_equal(v.included, n - 1 - before_mask);
        sim_destroy(sim);
    }
}

/* One client fewer than t at any round: the server aborts and so does every live client. */
static void
test_secagg_sim_below_threshold(void **state)
{
    static const int bounds[] = {0, 2, 4, 6};

    (void)state;
    for (size_t b = 0; b < 4; b++) {
        struct world w;
        struct secagg_params prm;
        int who[MAXN];
        struct sim *sim;
        struct verdict v;
        int n = 16, t = 11;

        world_init(&w, n, 2);
        params_init(&prm, &w, COMPUTATION_SUM, t);
        pick_clients(who, n, n - 1 - t + 1);
        for (int i = 0; i < n - t; i++) {
            w.crash[i].party = who[i];
            w.crash[i].at_round = bounds[b];
        }
        w.n_crash = n - t;
        sim = world_run(&w, &prm, 40 + b);
        v = judge(sim, &w, &prm.comp);
        assert_int_equal(v.ok + v.wrong + v.silent, 0);
        assert_int_equal(v.aborted, t);
        assert_true(sim_party_result(sim, 0)->aborted);
        sim_destroy(sim);
    }
}

/*
 * A client that drops before its masked input never enters the sum: with
 * huge inputs for the dropped ones, the output is exactly the others' sum
 * and their included flags are 0.
 */
static void
test_secagg_sim_dropped_input_excluded(void **state)
{
    static const int bounds[] = {0, 2, 4};

    (void)state;
    for (size_t b = 0; b < 3; b++) {
        struct world w;
        struct secagg_params prm;
        struct sim *sim;
        const struct sim_party_result *r;
        int n = 20;
        int drop[3] = {3, 9, 17};
        int64_t want = 0;

        world_init(&w, n, 1);
        params_init(&prm, &w, COMPUTATION_SUM, 0);
        prm.input_bits = 52; /* the huge inputs: |x| < 2^51 */
        for (int i = 0; i < 3; i++) {
            w.in[drop[i]][0] = INT64_C(100000000000000) * (i + 1);
            w.crash[i].party = drop[i];
            w.crash[i].at_round = bounds[b];
        }
        w.n_crash = 3;
        for (int i = 1; i < n; i++) {
            if (i != 3 && i != 9 && i != 17) {
                want += w.in[i][0];
            }
        }
        sim = world_run(&w, &prm, 77 + b);
        for (int i = 0; i < n; i++) {
            r = sim_party_result(sim, i);
            if (r->crashed) {
                continue;
            }
            assert_true(r->has_output);
            assert_true(r->output[0] == want);
            for (int j = 0; j < n; j++) {
                assert_int_equal(r->included[j] != 0, j != 0 && j != 3 && j != 9 && j != 17);
            }
        }
        sim_destroy(sim);
    }
}

/* ---- the server's view: a wrapper that records the masked inputs it receives ---- */

#define VIEW_MAX 20000
#define VIEW_BITS 21 /* 16-bit unsigned inputs, 20 clients: Z_R with R = 2^(16 + 5) */
static uint64_t view[VIEW_MAX];
static size_t n_view;

static void
view_on_message(struct sim_party *p, int from, const uint8_t *msg, size_t len)
{
    uint64_t v[MAXL];

    if (sim_party_id(p) == 0 && msg[0] == 5 && len == 33 + SECAGG_PACKED_BYTES(MAXL, VIEW_BITS) &&
        secagg_unpack(v, msg + 33, MAXL, VIEW_BITS) == 0) {
        for (size_t k = 0; k < MAXL && n_view < VIEW_MAX; k++) {
            view[n_view++] = v[k];
        }
    }
    secagg_protocol.on_message(p, from, msg, len);
}

/*
 * Every client holds the same small input; the masked inputs the server
 * sees fall evenly into 64 buckets by their top 6 bits (chi-square, 63
 * degrees of freedom, below the 0.001 critical value 103.4), while the
 * inputs themselves all fall into one bucket.
 */
static void
test_secagg_sim_view_uniform(void **state)
{
    struct sim_protocol wrap = secagg_protocol;
    struct world w;
    struct secagg_params prm;
    struct sim *sim;
    double expect, chi = 0;
    size_t bucket[64] = {0};

    (void)state;
    wrap.on_message = view_on_message;
    n_view = 0;
    world_init(&w, 21, MAXL);
    for (int i = 0; i < 21; i++) {
        for (size_t k = 0; k < MAXL; k++) {
            w.in[i][k] = 42;
        }
    }
    params_init(&prm, &w, COMPUTATION_SUM, 0);
    prm.input_bits = 16;
    prm.inputs_unsigned = 1;
    assert_int_equal(secagg_ring_bits(&prm, 21), VIEW_BITS);
    for (uint64_t seed = 1; seed <= 40; seed++) {
        sim = world_run_proto(&w, &wrap, &prm, seed);
        assert_true(sim_party_result(sim, 0)->has_output);
        assert_true(sim_party_result(sim, 0)->output[0] == 42 * 20);
        sim_destroy(sim);
    }
    assert_int_equal(n_view, 40 * 20 * MAXL);
    for (size_t i = 0; i < n_view; i++) {
        bucket[view[i] >> (VIEW_BITS - 6)]++;
    }
    expect = (double)n_view / 64.0;
    for (int b = 0; b < 64; b++) {
        chi += ((double)bucket[b] - expect) * ((double)bucket[b] - expect) / expect;
    }
    assert_true(chi < 103.4);
}

/*
 * The adversary on clients: withhold, delay, malformed and corrupt_shares
 * on up to a few clients' unmasking shares.  The sum stays right; malformed
 * and corrupted senders are accused (never an honest one); corrupted
 * shares are corrected by decoding when there are enough, and at worst the
 * server aborts, never a wrong sum.
 */
static void
test_secagg_sim_adversary_clients(void **state)
{
    static const enum sim_behaviour behs[] = {SIM_WITHHOLD, SIM_DELAY, SIM_MALFORMED,
                                              SIM_CORRUPT_SHARES, SIM_EQUIVOCATE};

    (void)state;
    for (size_t bi = 0; bi < 5; bi++) {
        for (int c = 1; c <= 4; c++) {
            struct world w;
            struct secagg_params prm;
            int who[MAXN];
            struct sim *sim;
            struct verdict v;
            int n = 26;

            world_init(&w, n, 3);
            params_init(&prm, &w, COMPUTATION_SUM, 0);
            pick_clients(who, n, c);
            for (int i = 0; i < c; i++) {
                /* Corrupted shares among the first t the server uses, so they are caught. */
                w.beh[behs[bi] == SIM_CORRUPT_SHARES ? 1 + i : who[i]] = behs[bi];
            }
            sim = world_run(&w, &prm, 900 + bi * 10 + (uint64_t)c);
            v = judge(sim, &w, &prm.comp);
            assert_int_equal(v.wrong, 0);
            assert_int_equal(v.false_acc, 0);
            assert_int_equal(v.ok, n - c);
            assert_int_equal(v.included, n - 1);
            if (behs[bi] == SIM_MALFORMED || behs[bi] == SIM_CORRUPT_SHARES) {
                assert_int_equal(v.acc > 0, 1);
            }
            sim_destroy(sim);
        }
    }
}

/*
 * A corrupted server: withhold, malformed and a delay longer than the
 * round timeout (its own rounds then close before the clients answer)
 * make every client abort; corrupt_shares has nothing to act on.
 */
static void
test_secagg_sim_adversary_server(void **state)
{
    static const enum sim_behaviour behs[] = {SIM_WITHHOLD, SIM_MALFORMED, SIM_DELAY,
                                              SIM_CORRUPT_SHARES};

    (void)state;
    for (size_t bi = 0; bi < 4; bi++) {
        struct world w;
        struct secagg_params prm;
        struct sim *sim;
        struct verdict v;
        int n = 12;

        world_init(&w, n, 2);
        params_init(&prm, &w, COMPUTATION_SUM, 0);
        w.beh[0] = behs[bi];
        sim = world_run(&w, &prm, 300 + bi);
        v = judge(sim, &w, &prm.comp);
        assert_int_equal(v.wrong + v.silent, 0);
        assert_int_equal(v.false_acc, 0);
        if (behs[bi] == SIM_CORRUPT_SHARES) {
            assert_int_equal(v.ok, n - 1);
        } else {
            assert_int_equal(v.aborted, n - 1);
        }
        sim_destroy(sim);
    }
}

/* ---- garbage: a corrupted client that sends random and mutated messages ---- */

static uint64_t garbage_state;

static uint64_t
garbage_next(void)
{
    garbage_state += 0x9e3779b97f4a7c15ULL;
    uint64_t z = garbage_state;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void
garbage_spray(struct sim_party *p, const uint8_t *seen, size_t seen_len)
{
    uint8_t buf[600];
    int n = sim_party_count(p);

    for (int rep = 0; rep < 12; rep++) {
        size_t len = garbage_next() % sizeof(buf);
        int to = (int)(garbage_next() % (uint64_t)n);

        for (size_t i = 0; i < len; i++) {
            buf[i] = (uint8_t)garbage_next();
        }
        if (len > 0) {
            buf[0] = (uint8_t)(garbage_next() % 11);
        }
        if (len >= 5 && (rep & 1)) {
            uint32_t m = (uint32_t)(garbage_next() % 40);

            memcpy(buf + 1, &m, 4); /* a plausible count */
        }
        if (seen != NULL && seen_len <= sizeof(buf) && (rep % 3) == 0) {
            /* A mutated copy of a real message, to the server. */
            memcpy(buf, seen, seen_len);
            len = seen_len;
            if (len > 1) {
                buf[1 + garbage_next() % (len - 1)] ^= (uint8_t)(1 + garbage_next() % 255);
            }
            to = 0;
        }
        if (to == sim_party_id(p)) {
            to = 0;
        }
        if (to != sim_party_id(p)) {
            assert_int_equal(sim_send(p, to, 7, buf, len), 0);
        }
    }
}

static void
garbage_on_start(struct sim_party *p)
{
    secagg_protocol.on_start(p);
    if (sim_party_id(p) == 1) {
        garbage_spray(p, NULL, 0);
    }
}

static void
garbage_on_message(struct sim_party *p, int from, const uint8_t *msg, size_t len)
{
    secagg_protocol.on_message(p, from, msg, len);
    if (sim_party_id(p) == 1 || (sim_party_id(p) == 2 && from == 0)) {
        garbage_spray(p, msg, len);
    }
}

/* Mutate the server's messages to party 3 (one random byte flipped or the length cut). */
static enum sim_adv_action
garbage_tamper(struct sim_party *p, enum sim_behaviour b, int to, uint8_t *msg, size_t *len,
               size_t cap)
{
    if (sim_party_id(p) == 0) {
        (void)b;
        (void)cap;
        if (to == 3 && *len > 0) {
            if (garbage_next() & 1) {
                msg[garbage_next() % *len] ^= (uint8_t)(1 + garbage_next() % 255);
            } else {
                *len = garbage_next() % *len;
            }
        }
        return SIM_ADV_SEND;
    }
    return secagg_protocol.tamper(p, b, to, msg, len, cap);
}

/*
 * Random, plausible and mutated messages from corrupted clients 1 and 2,
 * and a server that mangles what it sends to client 3: nothing crashes
 * (ASan/UBSan builds check memory), honest clients never accuse each
 * other, and while the server is honest the others' sum is right.
 */
static void
test_secagg_sim_garbage(void **state)
{
    struct sim_protocol wrap = secagg_protocol;

    (void)state;
    wrap.on_start = garbage_on_start;
    wrap.on_message = garbage_on_message;
    wrap.tamper = garbage_tamper;
    for (uint64_t seed = 1; seed <= 30; seed++) {
        struct world w;
        struct secagg_params prm;
        struct sim *sim;
        struct verdict v;
        const struct sim_accusation *acc = NULL;
        size_t n_acc;
        int n = 10 + (int)(seed % 8);

        garbage_state = seed;
        world_init(&w, n, 1 + seed % 3);
        params_init(&prm, &w, COMPUTATION_SUM, 0);
        w.beh[1] = SIM_MALFORMED;
        w.beh[2] = SIM_MALFORMED;
        if (seed > 15) {
            w.beh[0] = SIM_MALFORMED;
        }
        sim = world_run_proto(&w, &wrap, &prm, seed);
        v = judge(sim, &w, &prm.comp);
        n_acc = sim_accusations(sim, &acc);
        for (size_t a = 0; a < n_acc; a++) {
            /* Honest parties accuse only corrupted ones. */
            assert_true(acc[a].accused <= 2);
        }
        if (seed <= 15) {
            assert_int_equal(v.wrong, 0);
        }
        sim_destroy(sim);
    }
}

/* Each allocation failure in setup is reported as MPCSIM_ENOMEM and leaks nothing. */
static void
test_secagg_sim_setup_oom(void **state)
{
    struct world w;
    struct secagg_params prm;

    (void)state;
    world_init(&w, 6, 3);
    params_init(&prm, &w, COMPUTATION_SUM, 0);
    for (int k = 0;; k++) {
        struct sim_config c;
        struct sim *sim = NULL;
        int rc;

        sim_config_init(&c, w.n, 5);
        c.inputs = w.inp;
        c.input_len = w.lens;
        mpcsim_test_fail_alloc_after(k);
        rc = sim_create(&sim, &c, &secagg_protocol, &prm);
        mpcsim_test_fail_alloc_after(-1);
        if (rc == 0) {
            struct verdict v;

            assert_int_equal(sim_run(sim), 0);
            v = judge(sim, &w, &prm.comp);
            assert_int_equal(v.ok, w.n);
            sim_destroy(sim);
            break;
        }
        assert_int_equal(rc, MPCSIM_ENOMEM);
        assert_null(sim);
    }
}

/* Allocation failures while running: the trial ends (abort or ENOMEM), never a wrong sum. */
static void
test_secagg_sim_run_oom(void **state)
{
    struct world w;
    struct secagg_params prm;

    (void)state;
    world_init(&w, 6, 3);
    params_init(&prm, &w, COMPUTATION_SUM, 0);
    for (int k = 0; k < 400; k += 3) {
        struct sim_config c;
        struct sim *sim = NULL;
        struct verdict v;
        int rc;

        sim_config_init(&c, w.n, 5);
        c.inputs = w.inp;
        c.input_len = w.lens;
        assert_int_equal(sim_create(&sim, &c, &secagg_protocol, &prm), 0);
        mpcsim_test_fail_alloc_after(k);
        rc = sim_run(sim);
        mpcsim_test_fail_alloc_after(-1);
        assert_true(rc == 0 || rc == MPCSIM_ENOMEM);
        v = judge(sim, &w, &prm.comp);
        assert_int_equal(v.wrong, 0);
        sim_destroy(sim);
    }
}

/* Same seed, same everything (but wall time); the parameters that cannot run are refused. */
static void
test_secagg_sim_determinism_and_params(void **state)
{
    struct world w;
    struct secagg_params prm;
    struct sim *a, *b;
    int who[MAXN];

    (void)state;
    world_init(&w, 20, 5);
    params_init(&prm, &w, COMPUTATION_SUM, 0);
    pick_clients(who, 20, 4);
    for (int i = 0; i < 4; i++) {
        w.crash[i].party = who[i];
        w.crash[i].at_round = 2 * i;
    }
    w.n_crash = 4;
    a = world_run(&w, &prm, 31337);
    b = world_run(&w, &prm, 31337);
    assert_true(sim_metrics(a)->bytes == sim_metrics(b)->bytes);
    assert_true(sim_metrics(a)->latency_ns == sim_metrics(b)->latency_ns);
    assert_true(sim_metrics(a)->compute_ns == sim_metrics(b)->compute_ns);
    assert_true(sim_metrics(a)->events == sim_metrics(b)->events);
    assert_true(sim_metrics(a)->compute_ns > 0);
    assert_memory_equal(sim_party_result(a, 0)->output, sim_party_result(b, 0)->output,
                        5 * sizeof(mpcsim_i128));
    sim_destroy(a);
    sim_destroy(b);

    assert_int_equal(secagg_default_threshold(31), 21);
    assert_int_equal(secagg_default_threshold(2), 1);
    assert_null(secagg_unsupported(&prm, 20));
    assert_non_null(secagg_unsupported(&prm, 1));
    prm.threshold = 20;
    assert_non_null(secagg_unsupported(&prm, 20));
    prm.threshold = 19;
    assert_null(secagg_unsupported(&prm, 20));
    prm.threshold = -1;
    assert_non_null(secagg_unsupported(&prm, 20));
    prm.threshold = 0;
    prm.comp.kind = COMPUTATION_VARIANCE;
    assert_non_null(secagg_unsupported(&prm, 20));
    prm.comp.kind = COMPUTATION_DOT_PRODUCT;
    assert_non_null(secagg_unsupported(&prm, 20));
    prm.comp.kind = COMPUTATION_WEIGHTED_SUM;
    assert_non_null(secagg_unsupported(&prm, 19));
    prm.comp.kind = COMPUTATION_SUM;
    prm.comp.length = 0;
    assert_non_null(secagg_unsupported(&prm, 20));
    prm.comp.length = 5;
    prm.num_shares = 1;
    assert_non_null(secagg_unsupported(&prm, 20));
    prm.num_shares = -1;
    assert_non_null(secagg_unsupported(&prm, 20));
    prm.num_shares = 5; /* SecAgg+ with k = 4: t <= 5 */
    prm.threshold = 5;
    assert_null(secagg_unsupported(&prm, 20));
    prm.threshold = 6;
    assert_non_null(secagg_unsupported(&prm, 20));
}

/*
 * Per-client expansion against Bonawitz et al. 2017 (section 7.1): a
 * client sends and receives 256 (7c - 4) + m (b + log2 c) bits for m
 * entries of b bits, c clients.  mpcsim's expansion is (bytes sent +
 * received, TCP headers included) / (m b / 8).  Golden bytes per client
 * at three small scales (every client the same in a fault-free run; no
 * result to the clients, as in the paper); at m / c = 1000, as in the
 * paper's figures, within 10 % of the formula.
 */
static void
test_secagg_sim_expansion(void **state)
{
    static const struct {
        int c;
        size_t m;
        uint64_t bytes; /* per client, golden */
    } rows[] = {{4, 256, 1934}, {16, 1024, 7423}, {16, 16000, 45903}};

    (void)state;
    for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
        const int n = rows[r].c + 1;
        const size_t m = rows[r].m;
        mpcsim_i128 *vals = mpcsim_malloc((size_t)n * m * sizeof(*vals));
        const mpcsim_i128 **inp = mpcsim_malloc((size_t)n * sizeof(*inp));
        size_t *lens = mpcsim_malloc((size_t)n * sizeof(*lens));
        struct secagg_params prm;
        struct sim_config c;
        struct sim *sim = NULL;
        uint64_t per;
        double expansion, paper;

        assert_non_null(vals);
        assert_non_null(inp);
        assert_non_null(lens);
        for (int i = 0; i < n; i++) {
            for (size_t k = 0; k < m; k++) {
                vals[(size_t)i * m + k] = (int64_t)(mpcsim_test_rand64() % 65536);
            }
            inp[i] = vals + (size_t)i * m;
            lens[i] = m;
        }
        memset(&prm, 0, sizeof(prm));
        prm.comp.kind = COMPUTATION_SUM;
        prm.comp.length = m;
        prm.input_bits = 16;
        prm.inputs_unsigned = 1;
        sim_config_init(&c, n, 5);
        c.inputs = inp;
        c.input_len = lens;
        c.net.latency.ms = 10;
        assert_int_equal(sim_create(&sim, &c, &secagg_protocol, &prm), 0);
        assert_int_equal(sim_run(sim), 0);
        assert_true(sim_party_result(sim, 0)->has_output);
        per = sim_party_result(sim, 1)->bytes_sent + sim_party_result(sim, 1)->bytes_received;
        for (int i = 2; i < n; i++) {
            const struct sim_party_result *pr = sim_party_result(sim, i);

            assert_int_equal(pr->bytes_sent + pr->bytes_received, per);
            assert_false(pr->has_output); /* result_to_clients: false */
        }
        expansion = (double)per / ((double)m * 16 / 8);
        paper =
            (256.0 * (7 * rows[r].c - 4) + (double)m * (16 + log2(rows[r].c))) / ((double)m * 16);
        print_message("c = %d, m = %zu: %llu bytes per client, expansion %.4f, paper %.4f\n",
                      rows[r].c, m, (unsigned long long)per, expansion, paper);
        assert_int_equal(per, rows[r].bytes);
        if (m >= 1000 * (size_t)rows[r].c) {
            assert_true(fabs(expansion / paper - 1) < 0.10);
        }
        sim_destroy(sim);
        mpcsim_free(vals);
        mpcsim_free(inp);
        mpcsim_free(lens);
    }
}

/* ------------------------------------------------------------------ */
/* SecAgg+ (Bell et al. 2020): the Harary graph and sparse neighbourhoods */

/* Whether the clients 1..c minus `gone` (flags) are connected in H(k, c). */
static int
harary_connected(int k, int c, const uint8_t *gone)
{
    int seen[MAXN + 1] = {0}, stack[MAXN + 1], sp = 0, start = 0, reached = 0, alive = 0;

    for (int u = 1; u <= c; u++) {
        if (!gone[u]) {
            alive++;
            start = start == 0 ? u : start;
        }
    }
    if (alive == 0) {
        return 1;
    }
    stack[sp++] = start;
    seen[start] = 1;
    while (sp > 0) {
        int u = stack[--sp];

        reached++;
        for (int s = 1; s <= k; s++) {
            int v = secagg_harary_at(k, c, u, s);

            if (!gone[v] && !seen[v]) {
                seen[v] = 1;
                stack[sp++] = v;
            }
        }
    }
    return reached == alive;
}

/* Remove every set of `left` more clients from u >= from; 1 if all keep it connected. */
static int
harary_cut_free(int k, int c, uint8_t *gone, int from, int left)
{
    if (left == 0) {
        return harary_connected(k, c, gone);
    }
    for (int u = from; u <= c; u++) {
        int ok;

        gone[u] = 1;
        ok = harary_cut_free(k, c, gone, u + 1, left - 1);
        gone[u] = 0;
        if (!ok) {
            return 0;
        }
    }
    return 1;
}

/*
 * H(k, c): k-regular (k distinct neighbours, none the client itself),
 * symmetric, slots and clients in one-to-one correspondence, and
 * k-connected (no k - 1 clients disconnect it; Harary 1962) — checked
 * exhaustively for c <= 11 and as plain connectivity up to c = 60.  K = c
 * (or more) and K = 0 are the complete graph.
 */
static void
test_secagg_plus_graph(void **state)
{
    (void)state;
    for (int c = 3; c <= 60; c++) {
        assert_int_equal(secagg_sparse_degree(0, c), 0);
        assert_int_equal(secagg_sparse_degree(c, c), 0);
        assert_int_equal(secagg_sparse_degree(c + 5, c), 0);
        for (int K = 2; K < c; K++) {
            int k = secagg_sparse_degree(K, c);
            uint8_t gone[MAXN + 1] = {0};

            if (k == 0) {
                assert_true(K >= c - 2); /* k raised to c - 1: complete */
                continue;
            }
            assert_true(k == K - 1 || (k == K && (K - 1) % 2 == 1 && c % 2 == 1) ||
                        (K == 2 && k == 2));
            assert_true(k >= 2);
            assert_true(k % 2 == 0 || c % 2 == 0);
            for (int u = 1; u <= c; u++) {
                uint8_t mark[MAXN + 1] = {0};
                int deg = 0;

                assert_int_equal(secagg_harary_at(k, c, u, 0), u);
                assert_int_equal(secagg_harary_slot(k, c, u, u), 0);
                for (int s = 1; s <= k; s++) {
                    int v = secagg_harary_at(k, c, u, s);

                    assert_true(v >= 1 && v <= c && v != u);
                    assert_int_equal(mark[v], 0);
                    mark[v] = 1;
                    assert_int_equal(secagg_harary_slot(k, c, u, v), s);
                    assert_true(secagg_harary_slot(k, c, v, u) >= 1); /* symmetric */
                }
                for (int v = 1; v <= c; v++) {
                    deg += secagg_harary_slot(k, c, u, v) >= 1;
                    assert_int_equal(secagg_harary_slot(k, c, u, v) >= 1, mark[v]);
                }
                assert_int_equal(deg, k);
            }
            assert_true(harary_connected(k, c, gone));
            if (c <= 11) {
                assert_true(harary_cut_free(k, c, gone, 1, k - 1));
                /* and k removals can cut it when k < c - 1: the neighbours of client 1 */
                for (int s = 1; s <= k; s++) {
                    gone[secagg_harary_at(k, c, 1, s)] = 1;
                }
                assert_false(harary_connected(k, c, gone));
            }
        }
    }
}

/* Sum, mean, weighted_sum with sparse neighbourhoods, no faults: exact, every client included. */
static void
test_secagg_plus_correct(void **state)
{
    static const enum computation_kind kinds[] = {COMPUTATION_SUM, COMPUTATION_MEAN,
                                                  COMPUTATION_WEIGHTED_SUM};

    (void)state;
    for (size_t kk = 0; kk < 3; kk++) {
        for (int rep = 0; rep < 6; rep++) {
            struct world w;
            struct secagg_params prm;
            int n = 8 + (int)(mpcsim_test_rand64() % 50);
            int K = 2 + (int)(mpcsim_test_rand64() % (uint64_t)(n - 4));
            size_t L = 1 + mpcsim_test_rand64() % MAXL;
            int k = secagg_sparse_degree(K, n - 1);
            int t = (rep & 1) || k == 0
                        ? 0
                        : k / 2 + 1 + (int)(mpcsim_test_rand64() % (uint64_t)(k / 2 + 1));
            struct sim *sim;
            struct verdict v;

            world_init(&w, n, L);
            params_init(&prm, &w, kinds[kk], t);
            prm.num_shares = K;
            assert_null(secagg_unsupported(&prm, n));
            sim = world_run(&w, &prm, 300 + (uint64_t)rep);
            v = judge(sim, &w, &prm.comp);
            if (v.ok != n) {
                for (int i = 0; i < n; i++) {
                    const struct sim_party_result *r = sim_party_result(sim, i);
                    if (r->aborted) {
                        printf("n %d K %d t %d party %d: %s\n", n, K, t, i, r->abort_reason);
                    }
                }
            }
            assert_int_equal(v.ok, n);
            assert_int_equal(v.included, n - 1);
            assert_int_equal(v.acc, 0);
            sim_destroy(sim);
        }
    }
}

/*
 * num_shares equal to the clients is today's SecAgg: the same outputs,
 * messages, bytes and events as num_shares 0.
 */
static void
test_secagg_plus_complete_is_secagg(void **state)
{
    struct world w;
    struct secagg_params a, b;
    struct sim *sa, *sb;
    int n = 17;

    (void)state;
    world_init(&w, n, 3);
    params_init(&a, &w, COMPUTATION_SUM, 0);
    b = a;
    b.num_shares = n - 1;
    w.crash[0].party = 3;
    w.crash[0].at_round = 4;
    w.n_crash = 1;
    sa = world_run(&w, &a, 77);
    sb = world_run(&w, &b, 77);
    assert_int_equal(sim_metrics(sa)->messages, sim_metrics(sb)->messages);
    assert_int_equal(sim_metrics(sa)->bytes, sim_metrics(sb)->bytes);
    assert_int_equal(sim_metrics(sa)->events, sim_metrics(sb)->events);
    assert_memory_equal(sim_party_result(sa, 0)->output, sim_party_result(sb, 0)->output,
                        3 * sizeof(int64_t));
    sim_destroy(sa);
    sim_destroy(sb);
}

/*
 * The dropout table for SecAgg+: 40 clients, K = 9 (k = 8), T = 7, so a
 * neighbourhood survives K - T = 2 dropouts.  Every 5th client drops (at
 * most 2 in any 9 consecutive) at each round boundary: everyone alive
 * outputs the exact sum.  Then 4 consecutive clients drop (a neighbourhood
 * loses 4 > 2): after sharing keys or after the masked input the server
 * cannot rebuild a dropped client's secret and aborts; before, clients
 * whose neighbourhood is too thin abort.  Never a wrong output.
 */
static void
test_secagg_plus_dropouts(void **state)
{
    static const int bounds[] = {0, 2, 4, 6};

    (void)state;
    for (size_t b = 0; b < 4; b++) {
        for (int beyond = 0; beyond < 2; beyond++) {
            struct world w;
            struct secagg_params prm;
            struct sim *sim;
            struct verdict v;
            int n = 41, nd = 0;

            world_init(&w, n, 4);
            params_init(&prm, &w, COMPUTATION_SUM, 7);
            prm.num_shares = 9;
            for (int u = 1; u < n; u++) {
                int drop = beyond ? (u >= 10 && u < 14) : (u % 5 == 1);

                if (drop) {
                    w.crash[nd].party = u;
                    w.crash[nd].at_round = bounds[b];
                    nd++;
                }
            }
            w.n_crash = nd;
            sim = world_run(&w, &prm, 60 + b * 2 + (uint64_t)beyond);
            v = judge(sim, &w, &prm.comp);
            assert_int_equal(v.wrong, 0);
            assert_int_equal(v.false_acc, 0);
            if (!beyond) {
                assert_int_equal(v.ok, n - nd);
                assert_int_equal(v.aborted + v.silent, 0);
                assert_int_equal(v.included, bounds[b] == 6 ? n - 1 : n - 1 - nd);
            } else if (bounds[b] >= 4) {
                assert_true(sim_party_result(sim, 0)->aborted);
                assert_int_equal(v.ok, 0);
            } else {
                assert_true(v.aborted > 0);
            }
            sim_destroy(sim);
        }
    }
}

/* Mixed dropouts within the per-neighbourhood bound, many seeds and sizes. */
static void
test_secagg_plus_mixed_dropouts(void **state)
{
    (void)state;
    for (int rep = 0; rep < 10; rep++) {
        struct world w;
        struct secagg_params prm;
        int n = 30 + (int)(mpcsim_test_rand64() % 30);
        int before_mask = 0, nd = 0;
        struct sim *sim;
        struct verdict v;

        world_init(&w, n, 1 + (size_t)(rep % MAXL));
        params_init(&prm, &w, rep & 1 ? COMPUTATION_WEIGHTED_SUM : COMPUTATION_SUM, 6);
        prm.num_shares = 9; /* k = 8 (or 9 raised to 10 for odd clients... k even here) */
        for (int u = 1; u < n; u++) {
            if (u % 6 == 2) { /* at most 2 of any 9 consecutive; none of client 1's worry */
                w.crash[nd].party = u;
                w.crash[nd].at_round = 1 + (int)(mpcsim_test_rand64() % 8);
                before_mask += w.crash[nd].at_round <= 4;
                nd++;
            }
        }
        w.n_crash = nd;
        sim = world_run(&w, &prm, 700 + (uint64_t)rep);
        v = judge(sim, &w, &prm.comp);
        assert_int_equal(v.wrong + v.aborted + v.silent, 0);
        assert_int_equal(v.ok, honest_live(sim, n));
        assert_int_equal(v.included, n - 1 - before_mask);
        sim_destroy(sim);
    }
}

/*
 * num_shares: auto.  K grows with log of the clients, the bounds hold for
 * the returned (K, T), and T - 1 would break security (T is the least
 * secure threshold).  Values quoted in the README.
 */
static void
test_secagg_plus_auto(void **state)
{
    static const int cs[] = {1000, 10000, 100000};
    int prev = 0;

    (void)state;
    for (size_t i = 0; i < 3; i++) {
        int t = 0;
        int K = secagg_auto_shares(cs[i], 0.1, 0.1, &t);

        assert_true(K > prev && K < cs[i]);
        assert_int_equal(K, 109 + 12 * (int)i); /* README: 109, 121, 133 */
        assert_true(t > K / 2 && t <= K);
        prev = K;
        printf("auto: clients %d dropout 0.1 corrupt 0.1: K = %d, T = %d\n", cs[i], K, t);
    }
    {
        int t = 0;
        int K = secagg_auto_shares(1000, 0.0, 0.0, &t);

        printf("auto: clients 1000 dropout 0 corrupt 0: K = %d, T = %d\n", K, t);
        assert_true(K >= 3);
        K = secagg_auto_shares(1000, 0.1, 0.0, &t);
        assert_int_equal(K, 35); /* README */
        assert_int_equal(t, 18);
        K = secagg_auto_shares(10000, 0.1, 0.0, &t);
        assert_int_equal(K, 39);
        assert_int_equal(t, 20);
        K = secagg_auto_shares(20, 0.5, 0.3, &t);
        assert_int_equal(K, 20); /* nothing sparser qualifies: the complete graph */
    }
}

/* Bytes of a set of m clients among n parties (adapter.c's wire format). */
static uint64_t
set_bytes(int n, uint64_t m)
{
    uint64_t w = n - 1 < 256 ? 1 : n - 1 < 65536 ? 2 : 3, bm = (uint64_t)(n + 7) / 8;

    return 1 + (w * (m + 1) < bm ? w * (m + 1) : bm);
}

/*
 * SecAgg+ client bytes (sent + received, no TCP headers) in a fault-free
 * run, as a closed form: ADV 65, SHARES 1 + 93k, MASKED 33 + ceil(L r / 8),
 * UNMASK 1 + set(k + 1) + ceil(5 (k + 1) 61 / 8); KEYS 1 + set(k + 1) +
 * 64 (k + 1), FWD 1 + set(k) + 93k, U3 1 + set(k + 1), with set(m) = 1 +
 * min(ceil(n / 8), w (m + 1)) and r = input_bits + ceil(log2 c).  Same k
 * at c = 200 and c = 2000: the sets are lists of w = 1 and 2 bytes per id,
 * and a client's bytes grow by less than the log factor log 2000 / log 200.
 */
static void
test_secagg_plus_client_bytes(void **state)
{
    static const int cs[] = {200, 2000};
    const uint64_t k = 8, L = 16;
    uint64_t per[2];

    (void)state;
    for (size_t r = 0; r < 2; r++) {
        const int n = cs[r] + 1;
        mpcsim_i128 *vals = mpcsim_malloc((size_t)n * L * sizeof(*vals));
        const mpcsim_i128 **inp = mpcsim_malloc((size_t)n * sizeof(*inp));
        size_t *lens = mpcsim_malloc((size_t)n * sizeof(*lens));
        struct secagg_params prm;
        struct sim_config c;
        struct sim *sim = NULL;
        uint64_t rb = 16 + (r == 0 ? 8 : 11), want;

        assert_non_null(vals);
        assert_non_null(inp);
        assert_non_null(lens);
        for (int i = 0; i < n; i++) {
            for (size_t j = 0; j < L; j++) {
                vals[(size_t)i * L + j] = (int64_t)(mpcsim_test_rand64() % 65536);
            }
            inp[i] = vals + (size_t)i * L;
            lens[i] = L;
        }
        memset(&prm, 0, sizeof(prm));
        prm.comp.kind = COMPUTATION_SUM;
        prm.comp.length = L;
        prm.input_bits = 16;
        prm.inputs_unsigned = 1;
        prm.num_shares = (int)k + 1;
        assert_int_equal(secagg_ring_bits(&prm, n), rb);
        assert_int_equal(secagg_sparse_degree(prm.num_shares, n - 1), (int)k);
        sim_config_init(&c, n, 9);
        c.inputs = inp;
        c.input_len = lens;
        c.net.latency.ms = 10;
        c.net.transport.header_bytes = 0;
        assert_int_equal(sim_create(&sim, &c, &secagg_protocol, &prm), 0);
        assert_int_equal(sim_run(sim), 0);
        assert_true(sim_party_result(sim, 0)->has_output);
        want = 65 + (1 + 93 * k) + (33 + (L * rb + 7) / 8) +
               (1 + set_bytes(n, k + 1) + (5 * (k + 1) * 61 + 7) / 8) +
               (1 + set_bytes(n, k + 1) + 64 * (k + 1)) + (1 + set_bytes(n, k) + 93 * k) +
               (1 + set_bytes(n, k + 1));
        for (int i = 1; i < n; i++) {
            const struct sim_party_result *pr = sim_party_result(sim, i);

            assert_int_equal(pr->bytes_sent + pr->bytes_received, want);
        }
        per[r] = want;
        print_message("c = %d, k = %llu: %llu bytes per client\n", cs[r], (unsigned long long)k,
                      (unsigned long long)want);
        sim_destroy(sim);
        mpcsim_free(vals);
        mpcsim_free(inp);
        mpcsim_free(lens);
    }
    assert_int_equal(set_bytes(201, 9), 11);  /* lists: 1 + 1 (count) + 9 ids of 1 byte */
    assert_int_equal(set_bytes(2001, 9), 21); /* 1 + 2 (count) + 9 ids of 2 bytes */
    assert_true((double)per[1] / (double)per[0] <= log(2000.0) / log(200.0));
}

/*
 * Values beyond 2^60 (issue 18): wei-sized inputs (up to ~10^27 wei,
 * 2^90) with input_bits 100, 20 clients (ring 105 bits, 128-bit words):
 * sum, mean and weighted_sum exact, also with clients dropping before and
 * after their masked input; SecAgg+ too.
 */
static void
test_secagg_sim_wei(void **state)
{
    static const enum computation_kind kinds[] = {COMPUTATION_SUM, COMPUTATION_MEAN,
                                                  COMPUTATION_WEIGHTED_SUM};

    (void)state;
    for (size_t kk = 0; kk < 3; kk++) {
        for (int drop = 0; drop < 3; drop++) {
            struct world w;
            struct secagg_params prm;
            struct sim *sim;
            struct verdict v;
            const int n = 21;

            world_init(&w, n, 4);
            for (int i = 0; i < n; i++) {
                for (size_t k = 0; k < w.L; k++) {
                    /* |x| < 10^27 < 2^90, times |w| <= 100 < 2^7: within 2^99 */
                    mpcsim_i128 x =
                        (mpcsim_i128)(mpcsim_test_rand64() % 1000000000) * 1000000000000000000 +
                        (mpcsim_i128)(mpcsim_test_rand64() % 1000000000000000000);

                    w.in[i][k] = (mpcsim_test_rand64() & 1) ? -x : x;
                }
            }
            params_init(&prm, &w, kinds[kk], 0);
            prm.input_bits = 100;
            prm.comp.max_abs = ((mpcsim_i128)1 << 126) - 1;
            prm.num_shares = drop == 2 ? 9 : 0;
            assert_null(secagg_unsupported(&prm, n));
            assert_int_equal(secagg_ring_bits(&prm, n), 105);
            if (drop > 0) {
                w.crash[0].party = 3;
                w.crash[0].at_round = 2; /* before its masked input */
                w.crash[1].party = 12;
                w.crash[1].at_round = 6; /* after it */
                w.n_crash = 2;
            }
            sim = world_run(&w, &prm, 1800 + kk * 3 + (uint64_t)drop);
            v = judge(sim, &w, &prm.comp);
            assert_int_equal(v.wrong + v.aborted + v.silent, 0);
            assert_int_equal(v.ok, n - w.n_crash);
            assert_int_equal(v.included, drop > 0 ? n - 2 : n - 1);
            sim_destroy(sim);
        }
    }
}

/*
 * Bit widths at their edges: input_bits 126 with 3 clients (ring 128
 * bits) and 62 / 63 / 64 / 65 around the word size, inputs at both ends
 * of the signed range [-2^(b-1), 2^(b-1)) and of the unsigned [0, 2^b):
 * the sum exact (computed here in 128 bits); one past either end refused
 * (ERANGE); input_bits 127, a ring past 128 bits (127 unsigned: the sum
 * must fit a signed 128-bit result), unsupported.
 */
static void
test_secagg_sim_bit_edges(void **state)
{
    static const int bits[] = {1, 2, 62, 63, 64, 65, 100, 126};

    (void)state;
    for (size_t bi = 0; bi < sizeof(bits) / sizeof(bits[0]); bi++) {
        for (int uns = 0; uns < 2; uns++) {
            const int n = 4, b = bits[bi];
            mpcsim_i128 lo = uns ? 0 : -((mpcsim_i128)1 << (b - 1));
            mpcsim_i128 hi = (uns ? ((mpcsim_i128)1 << b) : ((mpcsim_i128)1 << (b - 1))) - 1;
            struct world w;
            struct secagg_params prm;
            struct sim *sim;
            mpcsim_i128 want[3] = {0, 0, 0};

            world_init(&w, n, 3);
            for (int i = 0; i < n; i++) {
                w.in[i][0] = hi;
                w.in[i][1] = lo;
                w.in[i][2] = i % 2 ? hi : lo;
                for (size_t k = 0; k < 3 && i > 0; k++) {
                    /* unsigned: the 126-bit unsigned case (skipped below) would overflow */
                    want[k] = (mpcsim_i128)((mpcsim_u128)want[k] + (mpcsim_u128)w.in[i][k]);
                }
            }
            params_init(&prm, &w, COMPUTATION_SUM, 0);
            prm.input_bits = b;
            prm.inputs_unsigned = uns;
            if (uns && b == 126) {
                /* a sum < 2^128 would not fit a signed 128-bit result */
                assert_non_null(secagg_unsupported(&prm, n));
                prm.inputs_unsigned = 0;
                continue;
            }
            assert_null(secagg_unsupported(&prm, n));
            sim = world_run(&w, &prm, 90 + bi);
            for (int i = 0; i < n; i++) {
                const struct sim_party_result *r = sim_party_result(sim, i);

                assert_true(r->has_output);
                assert_memory_equal(r->output, want, sizeof(want));
            }
            sim_destroy(sim);
            /* one past the top, then one below the bottom: the client refuses */
            for (int side = 0; side < 2; side++) {
                struct sim_config c;

                w.in[2][1] = side == 0 ? hi + 1 : lo - 1;
                sim_config_init(&c, n, 5);
                c.inputs = w.inp;
                c.input_len = w.lens;
                sim = NULL;
                if (sim_create(&sim, &c, &secagg_protocol, &prm) == 0) {
                    assert_int_equal(sim_run(sim), MPCSIM_ERANGE);
                } else {
                    assert_null(sim);
                }
                sim_destroy(sim);
            }
        }
    }
    {
        struct world w;
        struct secagg_params prm;

        world_init(&w, 5, 1);
        params_init(&prm, &w, COMPUTATION_SUM, 0);
        prm.input_bits = 126;
        assert_null(secagg_unsupported(&prm, 5));     /* 4 clients: 2 bits of headroom */
        assert_non_null(secagg_unsupported(&prm, 6)); /* 5 clients: 3 bits, 129 */
        prm.inputs_unsigned = 1;
        prm.input_bits = 125;
        assert_null(secagg_unsupported(&prm, 5)); /* unsigned: the ring at most 127 bits */
        assert_non_null(secagg_unsupported(&prm, 6));
        prm.inputs_unsigned = 0;
        prm.input_bits = 127;
        assert_non_null(secagg_unsupported(&prm, 3));
        prm.input_bits = 125;
        assert_null(secagg_unsupported(&prm, 9));      /* 8 clients: 3 bits */
        assert_non_null(secagg_unsupported(&prm, 10)); /* 9 clients: 4 bits */
    }
}

/* Corrupted clients 2 and 3 advertise keys that collide: 2 sends (K1, K2), 3 sends (K2, K3). */
static enum sim_adv_action
dupkey_tamper(struct sim_party *p, enum sim_behaviour b, int to, uint8_t *msg, size_t *len,
              size_t cap)
{
    int id = sim_party_id(p);

    (void)b;
    (void)to;
    (void)cap;
    if ((id == 2 || id == 3) && *len == 1 + 2 * SECAGG_KEY_BYTES && msg[0] == 1) {
        for (int j = 0; j < 2; j++) {
            struct secagg_keypair kp;
            uint8_t seed[SECAGG_KEY_BYTES];

            memset(seed, 0x40 + id - 1 + j, sizeof(seed)); /* K1, K2 from 2; K2, K3 from 3 */
            assert_int_equal(secagg_keypair(&kp, seed), 0);
            memcpy(msg + 1 + j * SECAGG_KEY_BYTES, kp.pk, SECAGG_KEY_BYTES);
        }
    }
    return SIM_ADV_SEND;
}

/*
 * The paper: all advertised keys differ.  Client 3's encryption key is
 * client 2's mask key: whichever arrives second is refused and its sender
 * accused (by the server's key table); the others' sum is exact.
 */
static void
test_secagg_sim_duplicate_keys(void **state)
{
    struct sim_protocol wrap = secagg_protocol;

    (void)state;
    wrap.tamper = dupkey_tamper;
    for (int plus = 0; plus < 2; plus++) {
        struct world w;
        struct secagg_params prm;
        struct sim *sim;
        const struct sim_accusation *acc = NULL;
        size_t n_acc;
        int by_server = 0;

        world_init(&w, 12, 2);
        params_init(&prm, &w, COMPUTATION_SUM, 0);
        prm.num_shares = plus ? 7 : 0; /* SecAgg+: k = 6, t = 5 */
        w.beh[2] = SIM_MALFORMED;
        w.beh[3] = SIM_MALFORMED;
        sim = world_run_proto(&w, &wrap, &prm, 4242 + (uint64_t)plus);
        n_acc = sim_accusations(sim, &acc);
        for (size_t a = 0; a < n_acc; a++) {
            if (acc[a].accuser == 0) {
                assert_true(acc[a].accused == 2 || acc[a].accused == 3);
                by_server++;
            }
        }
        assert_int_equal(by_server, 1);
        assert_true(sim_party_result(sim, 0)->has_output);
        assert_false(sim_party_result(sim, 0)->included[2] &&
                     sim_party_result(sim, 0)->included[3]);
        sim_destroy(sim);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_secagg_sim_correct),
        cmocka_unit_test(test_secagg_sim_dropouts),
        cmocka_unit_test(test_secagg_sim_mixed_dropouts),
        cmocka_unit_test(test_secagg_sim_below_threshold),
        cmocka_unit_test(test_secagg_sim_dropped_input_excluded),
        cmocka_unit_test(test_secagg_sim_view_uniform),
        cmocka_unit_test(test_secagg_sim_adversary_clients),
        cmocka_unit_test(test_secagg_sim_adversary_server),
        cmocka_unit_test(test_secagg_sim_garbage),
        cmocka_unit_test(test_secagg_sim_setup_oom),
        cmocka_unit_test(test_secagg_sim_run_oom),
        cmocka_unit_test(test_secagg_sim_determinism_and_params),
        cmocka_unit_test(test_secagg_sim_expansion),
        cmocka_unit_test(test_secagg_plus_graph),
        cmocka_unit_test(test_secagg_plus_correct),
        cmocka_unit_test(test_secagg_plus_complete_is_secagg),
        cmocka_unit_test(test_secagg_plus_dropouts),
        cmocka_unit_test(test_secagg_plus_mixed_dropouts),
        cmocka_unit_test(test_secagg_plus_auto),
        cmocka_unit_test(test_secagg_plus_client_bytes),
        cmocka_unit_test(test_secagg_sim_wei),
        cmocka_unit_test(test_secagg_sim_bit_edges),
        cmocka_unit_test(test_secagg_sim_duplicate_keys),
    };

    mpcsim_test_init();
    return cmocka_run_group_tests_name("secagg_sim", tests, NULL, NULL);
}
