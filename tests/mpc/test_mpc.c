/* SPDX-License-Identifier: MIT */
/*
 * tests/mpc/test_mpc.c - the shared layer and secure comparison, run in
 * one process (mpc_run_local): exhaustive and edge-value comparisons on
 * both schemes and fields, the computations against their plaintext
 * answers, adversaries on the comparison's messages, and the privacy of
 * the masked opening.
 */
#include <setjmp.h> /* cmocka.h needs these four first */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "common/alloc.h"
#include "protocols/mpc/compare.h"
#include "protocols/mpc/mpc.h"
#include "tests/support.h"

/* All pairs a, b in [-64, 64): |a - b| < 2^7 at l = 8, both schemes. */
static void
test_mpc_exhaustive_l8(void **state)
{
    size_t count = 128 * 128;
    int64_t *a = mpcsim_malloc(count * sizeof(int64_t));
    int64_t *b = mpcsim_malloc(count * sizeof(int64_t));
    uint8_t *out = mpcsim_malloc(count);

    (void)state;
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(out);
    for (size_t k = 0; k < count; k++) {
        a[k] = (int64_t)(k / 128) - 64;
        b[k] = (int64_t)(k % 128) - 64;
    }
    for (int sch = 0; sch < 2; sch++) {
        memset(out, 9, count);
        assert_int_equal(mpc_compare_batch(out, a, b, count, sch ? MPC_SHAMIR : MPC_ADDITIVE, 3, 1,
                                           MPC_FIELD_M61, 8, 40, 11 + (uint64_t)sch),
                         0);
        for (size_t k = 0; k < count; k++) {
            if (out[k] != (a[k] < b[k])) {
                fail_msg("scheme %d: [%lld < %lld] gave %d", sch, (long long)a[k], (long long)b[k],
                         out[k]);
            }
        }
    }
    mpcsim_free(a);
    mpcsim_free(b);
    mpcsim_free(out);
}

/* Random and edge values at l = 19 (m61), 64 and 85 (m127). */
static void
test_mpc_edges_large(void **state)
{
    static const unsigned ells[] = {19, 64, 85};
    enum { CNT = 64 };

    (void)state;
    for (size_t e = 0; e < 3; e++) {
        unsigned ell = ells[e];
        enum mpc_field_kind f = ell == 19 ? MPC_FIELD_M61 : MPC_FIELD_M127;
        /* Values whose difference fits: a, b in [-2^(l-2), 2^(l-2)), plus
         * a - b at the edges -2^(l-1)+1 .. 2^(l-1)-1 within int64. */
        int64_t a[CNT], b[CNT];
        uint8_t out[CNT];
        int64_t q = ell - 2 < 62 ? INT64_C(1) << (ell - 2) : INT64_C(1) << 62;

        for (int k = 0; k < CNT; k++) {
            uint64_t r = mpcsim_test_rand64();

            a[k] = (int64_t)(r % (2 * (uint64_t)q)) - q;
            b[k] = (int64_t)((r >> 7) % (2 * (uint64_t)q)) - q;
        }
        a[0] = -q, b[0] = q - 1; /* most negative difference */
        a[1] = q - 1, b[1] = -q; /* most positive */
        a[2] = 0, b[2] = 0;
        a[3] = 5, b[3] = 5;
        a[4] = -1, b[4] = 0;
        a[5] = 0, b[5] = -1;
        a[6] = -q, b[6] = -q;
        for (int sch = 0; sch < 2; sch++) {
            assert_int_equal(mpc_compare_batch(out, a, b, CNT, sch ? MPC_SHAMIR : MPC_ADDITIVE, 5,
                                               2, f, ell, 40, 100 + e),
                             0);
            for (int k = 0; k < CNT; k++) {
                if (out[k] != (a[k] < b[k])) {
                    fail_msg("l=%u scheme %d: [%lld < %lld] gave %d", ell, sch, (long long)a[k],
                             (long long)b[k], out[k]);
                }
            }
        }
    }
    /* Out of the range and a field too small: refused. */
    {
        int64_t a = INT64_C(1) << 20, b = -(INT64_C(1) << 20);
        uint8_t o;

        assert_int_equal(
            mpc_compare_batch(&o, &a, &b, 1, MPC_SHAMIR, 3, 1, MPC_FIELD_M61, 19, 40, 1),
            MPCSIM_EINVAL);
        assert_int_equal(
            mpc_compare_batch(&o, &b, &b, 1, MPC_SHAMIR, 3, 1, MPC_FIELD_M61, 20, 40, 1),
            MPCSIM_EINVAL);
    }
}

/* LTZ on quantities given as input + public offset, so the very edges of
 * the range are reached in every field: q = -2^(l-1), -2^(l-1) + 1, -1, 0,
 * 1, 2^(l-1) - 1 at l = 19 (m61), 64 and 85 (m127), and every q in
 * [-128, 128) at l = 8; both schemes. */
struct ltz_arg {
    enum mpc_field_kind f;
    unsigned ell;
    size_t count;
    const mpcsim_i128 *offset;
};

static int
build_ltz(struct mpc_circuit **out, const void *arg, int n, const uint8_t *included)
{
    const struct ltz_arg *la = arg;
    struct mpc_circuit *c = NULL;
    int rc;

    (void)n;
    (void)included;
    rc = mpc_circuit_create(&c, la->f);
    if (rc != 0) {
        return rc;
    }
    for (size_t k = 0; k < la->count; k++) {
        mpcsim_i128 o = la->offset[k];
        mpcsim_u128 mag = o < 0 ? (mpcsim_u128)0 - (mpcsim_u128)o : (mpcsim_u128)o;
        mpcsim_u128 K = o < 0 ? mpc_fneg(la->f, mag) : mag;
        int q = mpc_lin_f(c, 1, mpc_input(c, 0, k), 0, -1, K);

        mpc_output(c, mpc_open(c, mpc_ltz(c, q, la->ell, 40)));
    }
    rc = mpc_circuit_finish(c);
    if (rc == 0) {
        *out = c;
        c = NULL;
    }
    mpc_circuit_destroy(c);
    return rc;
}

static void
test_mpc_ltz_edges(void **state)
{
    static const unsigned ells[] = {8, 19, 64, 85};
    mpcsim_i128 off[256];
    int64_t in[3 * 256];

    (void)state;
    for (size_t e = 0; e < 4; e++) {
        unsigned ell = ells[e];
        mpcsim_i128 half = (mpcsim_i128)1 << (ell - 1);
        struct ltz_arg la = {.f = ell <= 19 ? MPC_FIELD_M61 : MPC_FIELD_M127, .ell = ell};
        size_t cnt = 0;

        if (ell == 8) {
            for (int q = -128; q < 128; q++) {
                off[cnt++] = q;
            }
        } else {
            const mpcsim_i128 edge[] = {-half, -half + 1, -1, 0, 1, half - 1, half - 2, -half + 7};

            for (size_t k = 0; k < 8; k++) {
                off[cnt++] = edge[k];
            }
        }
        la.count = cnt;
        la.offset = off;
        memset(in, 0, sizeof(in));
        for (int sch = 0; sch < 2; sch++) {
            struct mpc_party_cfg cfg;
            struct mpc_local_result res;

            memset(&cfg, 0, sizeof(cfg));
            cfg.scheme = sch ? MPC_SHAMIR : MPC_ADDITIVE;
            cfg.field = la.f;
            cfg.n = 3;
            cfg.t = 1;
            cfg.mac = 1;
            cfg.robust = 1;
            cfg.input_len = cnt;
            cfg.build = build_ltz;
            cfg.build_arg = &la;
            cfg.dealer_key[0] = (uint8_t)(e * 2 + (size_t)sch);
            assert_int_equal(mpc_run_local(&res, &cfg, in, 77, NULL, NULL), 0);
            assert_int_equal(res.status, 0);
            assert_int_equal(res.n_out, cnt);
            for (size_t k = 0; k < cnt; k++) {
                if (res.out[k] != (off[k] < 0)) {
                    fail_msg("l=%u scheme %d: q index %zu gave %d", ell, sch, k, (int)res.out[k]);
                }
            }
            mpcsim_free(res.out);
        }
    }
}

struct run {
    enum mpc_scheme scheme;
    int n, t, mac;
    struct mpc_compute mc;
};

static int
run_compute(struct mpc_local_result *res, const struct run *r, const int64_t *in,
            mpc_tamper_fn *tamper, void *arg, uint64_t seed)
{
    struct mpc_party_cfg cfg;

    memset(&cfg, 0, sizeof(cfg));
    cfg.scheme = r->scheme;
    cfg.field = r->mc.field;
    cfg.n = r->n;
    cfg.t = r->t;
    cfg.mac = r->mac;
    cfg.robust = 1;
    cfg.input_len = 1;
    cfg.build = mpc_build_compute;
    cfg.build_arg = &r->mc;
    memcpy(cfg.dealer_key, &seed, sizeof(seed));
    cfg.dealer_key[31] = 0x5a;
    return mpc_run_local(res, &cfg, in, seed, tamper, arg);
}

/* Every computation against its plaintext answer, both schemes. */
static void
test_mpc_computations(void **state)
{
    static const enum computation_kind kinds[] = {COMPUTATION_SUM_THRESHOLD, COMPUTATION_MAX,
                                                  COMPUTATION_SECOND_PRICE, COMPUTATION_MEDIAN};

    (void)state;
    for (int n = 3; n <= 8; n++) {
        for (size_t kk = 0; kk < 4; kk++) {
            for (int sch = 0; sch < 2; sch++) {
                struct run r = {
                    .scheme = sch ? MPC_SHAMIR : MPC_ADDITIVE, .n = n, .t = (n - 1) / 2, .mac = 1};
                int64_t in[8];
                mpcsim_i128 in128[8];
                const mpcsim_i128 *rows[8];
                mpcsim_i128 want[2];
                struct mpc_local_result res;

                r.mc.comp.kind = kinds[kk];
                r.mc.comp.length = 1;
                r.mc.comp.op = (enum computation_cmp)(n % 4);
                r.mc.comp.threshold = 100 * n;
                r.mc.comp.reveal = (enum computation_reveal)(n % 3);
                r.mc.field = n % 2 ? MPC_FIELD_M127 : MPC_FIELD_M61;
                r.mc.ell = n % 2 ? 32 : 16;
                r.mc.kappa = 40;
                if (r.mc.field == MPC_FIELD_M61) {
                    r.mc.kappa = 40 - (unsigned)(r.mc.ell - 16) - 3;
                }
                for (int i = 0; i < n; i++) {
                    in[i] = (int64_t)(mpcsim_test_rand64() % 400) - 100;
                }
                if (n == 4) {
                    in[1] = in[3] = 250; /* a tie for the top */
                }
                for (int i = 0; i < n; i++) {
                    in128[i] = in[i];
                    rows[i] = &in128[i];
                }
                assert_int_equal(computation_expected(want, &r.mc.comp, n, rows, NULL), 0);
                assert_int_equal(run_compute(&res, &r, in, NULL, NULL, (uint64_t)(n * 10 + sch)),
                                 0);
                if (res.status != 0) {
                    fail_msg("n=%d kind=%d scheme=%d: %s", n, (int)kinds[kk], sch, res.reason);
                }
                assert_int_equal(res.n_out, computation_raw_len(&r.mc.comp));
                for (size_t k = 0; k < res.n_out; k++) {
                    if (res.out[k] != want[k]) {
                        fail_msg("n=%d kind=%d scheme=%d out[%zu]=%lld want %lld", n,
                                 (int)kinds[kk], sch, k, (long long)res.out[k], (long long)want[k]);
                    }
                }
                mpcsim_free(res.out);
            }
        }
    }
}

struct adv {
    int cheater, equivocate;
    size_t tail; /* bytes at the end left alone (Shamir: the view tag) */
    uint64_t hits;
};

/* Add 1 to the first field element of the cheater's round messages
 * (after the input round: input substitution is out of scope). */
static void
tamper_add(void *arg, int from, int to, uint8_t *msg, size_t len)
{
    struct adv *a = arg;

    if (from != a->cheater || len < MPC_HDR + 8 || msg[0] != MPC_MSG_ROUND ||
        (a->equivocate && (to & 1) == 0)) {
        return;
    }
    for (size_t o = MPC_HDR; o + 8 + a->tail <= len; o += 8) {
        uint64_t v = 0;

        if (fp_decode(&v, msg + o) == 0) {
            fp_encode(msg + o, fp_add(v, 1)); /* a different, valid element */
        }
    }
    a->hits++;
}

/* MAC'd additive aborts on any tamper, nobody accused; robust Shamir
 * corrects one cheater among 5 at t = 1 and names only it. */
static void
test_mpc_adversaries(void **state)
{
    int64_t in[5] = {40, -7, 99, 12, 60};
    struct mpc_local_result res;

    (void)state;
    for (int eq = 0; eq < 2; eq++) {
        struct run r = {.scheme = MPC_ADDITIVE, .n = 5, .mac = 1};
        struct adv a = {.cheater = 2, .equivocate = eq};

        r.mc.comp.kind = COMPUTATION_SECOND_PRICE;
        r.mc.comp.length = 1;
        r.mc.field = MPC_FIELD_M61;
        r.mc.ell = 16;
        r.mc.kappa = 40;
        r.mc.kappa = 40;
        r.mc.ell = 19;
        assert_int_equal(run_compute(&res, &r, in, tamper_add, &a, 5), 0);
        assert_true(a.hits > 0);
        assert_int_not_equal(res.status, 0);
        assert_non_null(strstr(res.reason, "MAC check failed"));
        assert_int_equal(res.n_accused, 0);
        mpcsim_free(res.out);
    }
    for (int eq = 0; eq < 2; eq++) {
        struct run r = {.scheme = MPC_SHAMIR, .n = 5, .t = 1};
        struct adv a = {.cheater = 3, .equivocate = eq, .tail = MPC_VIEW_BYTES};

        r.mc.comp.kind = COMPUTATION_SECOND_PRICE;
        r.mc.comp.length = 1;
        r.mc.field = MPC_FIELD_M61;
        r.mc.ell = 19;
        r.mc.kappa = 40;
        assert_int_equal(run_compute(&res, &r, in, tamper_add, &a, 6), 0);
        assert_true(a.hits > 0);
        assert_int_equal(res.status, 0);
        assert_int_equal(res.n_out, 2);
        assert_true(res.out[0] == 2 && res.out[1] == 60);
        assert_int_equal(res.n_accused, 1);
        assert_int_equal(res.accused[0], 3);
        mpcsim_free(res.out);
    }
    /* Shamir n = 5, t = 2: 2t + 1 = 5 points leave no redundancy for
     * products; a cheater makes the run abort, never a wrong output, and
     * no honest party is accused. */
    {
        struct run r = {.scheme = MPC_SHAMIR, .n = 5, .t = 2};
        struct adv a = {.cheater = 1, .tail = MPC_VIEW_BYTES};

        r.mc.comp.kind = COMPUTATION_MAX;
        r.mc.comp.length = 1;
        r.mc.field = MPC_FIELD_M61;
        r.mc.ell = 19;
        r.mc.kappa = 40;
        assert_int_equal(run_compute(&res, &r, in, tamper_add, &a, 7), 0);
        assert_int_not_equal(res.status, 0);
        for (size_t k = 0; k < res.n_accused; k++) {
            assert_int_equal(res.accused[k], 1); /* only the cheater, when proven */
        }
        mpcsim_free(res.out);
    }
}

/* The opened masked value of one comparison, captured from party 0's
 * round-2 message sums: with additive sharing the opened value is the
 * sum of the round-2 broadcasts. */
struct cap {
    uint64_t sum;
    int seen;
};

static void
tamper_capture(void *arg, int from, int to, uint8_t *msg, size_t len)
{
    struct cap *c = arg;
    uint64_t v = 0;

    if (to != (from == 0 ? 1 : 0) || msg[0] != MPC_MSG_ROUND || mpc_msg_round(msg, len) != 2 ||
        len != MPC_HDR + 8) {
        return;
    }
    memcpy(&v, msg + MPC_HDR, 8);
    c->sum = fp_add(c->sum, v);
    c->seen++;
}

/* Privacy: two input pairs with the same result give the same
 * distribution of the opened masked value (top bits, chi-square, 8 bins). */
static void
test_mpc_privacy(void **state)
{
    enum { SEEDS = 1600, BINS = 8 };
    int64_t pairs[2][2] = {{-3, 100}, {-120, 2}};
    double cnt[2][BINS] = {{0}};
    double chi = 0;

    (void)state;
    for (int pi = 0; pi < 2; pi++) {
        for (int s = 0; s < SEEDS; s++) {
            struct run r = {.scheme = MPC_ADDITIVE, .n = 2};
            struct cap c = {0, 0};
            struct mpc_local_result res;
            int64_t in[2] = {pairs[pi][0], pairs[pi][1]};

            r.mc.comp.kind = COMPUTATION_MAX;
            r.mc.comp.length = 1;
            r.mc.field = MPC_FIELD_M61;
            r.mc.ell = 12;
            r.mc.kappa = 20;
            assert_int_equal(
                run_compute(&res, &r, in, tamper_capture, &c, 1000u * (unsigned)pi + (unsigned)s),
                0);
            assert_int_equal(res.status, 0);
            assert_int_equal(c.seen, 2);
            /* c < 2^(l + kappa) + 2^l < 2^(l + kappa + 1) = 2^33: bin
             * [0, 2^32) by its top 3 bits (the rest, < 2^12 values, in
             * the last bin). */
            assert_true(c.sum < (UINT64_C(1) << 33));
            cnt[pi][c.sum >> 29 < BINS ? c.sum >> 29 : BINS - 1]++;
            mpcsim_free(res.out);
        }
    }
    for (int k = 0; k < BINS; k++) {
        double t = cnt[0][k] + cnt[1][k];

        if (t > 0) {
            chi += (cnt[0][k] - cnt[1][k]) * (cnt[0][k] - cnt[1][k]) / t;
        }
    }
    /* 7 degrees of freedom: P(chi2 > 24.3) = 0.001. */
    assert_true(chi < 24.3);
    /* and near-uniform: the masked value fills [0, 2^33), every top bin used */
    for (int k = 0; k < BINS; k++) {
        assert_true(cnt[0][k] > SEEDS / BINS / 2);
    }
}

/* A circuit's statistics: rounds of one LTZ = 1 + ceil(log2(l - 1)). */
static void
test_mpc_ltz_rounds(void **state)
{
    struct mpc_circuit *c = NULL;
    struct mpc_circuit_stats st;

    (void)state;
    assert_int_equal(mpc_circuit_create(&c, MPC_FIELD_M127), 0);
    mpc_output(c, mpc_open(c, mpc_lt(c, mpc_input(c, 0, 0), mpc_input(c, 1, 0), 64, 40)));
    assert_int_equal(mpc_circuit_finish(c), 0);
    mpc_circuit_stats(c, &st);
    assert_int_equal(st.rounds, 1 + 6 + 1); /* mask opening, 6 OR levels, output */
    assert_int_equal(st.bits, 63);
    assert_int_equal(st.ints, 1);
    mpc_circuit_destroy(c);
}

/* Each allocation failure is reported as MPCSIM_ENOMEM and leaks nothing
 * (circuit, parties, local driver, both schemes). */
static void
test_mpc_oom(void **state)
{
    int64_t a[2] = {3, -5}, b[2] = {4, -9};

    (void)state;
    for (int sch = 0; sch < 2; sch++) {
        for (int n = 0;; n++) {
            uint8_t out[2] = {9, 9};
            int rc;

            mpcsim_test_fail_alloc_after(n);
            rc = mpc_compare_batch(out, a, b, 2, sch ? MPC_SHAMIR : MPC_ADDITIVE, 3, 1,
                                   MPC_FIELD_M61, 8, 20, 5);
            mpcsim_test_fail_alloc_after(-1);
            if (rc == 0) {
                assert_true(out[0] == 1 && out[1] == 0);
                break;
            }
            assert_int_equal(rc, MPCSIM_ENOMEM);
        }
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mpc_ltz_rounds),  cmocka_unit_test(test_mpc_exhaustive_l8),
        cmocka_unit_test(test_mpc_edges_large), cmocka_unit_test(test_mpc_ltz_edges),
        cmocka_unit_test(test_mpc_oom),         cmocka_unit_test(test_mpc_computations),
        cmocka_unit_test(test_mpc_adversaries), cmocka_unit_test(test_mpc_privacy),
    };

    mpcsim_test_init();
    return cmocka_run_group_tests_name("mpc", tests, NULL, NULL);
}
