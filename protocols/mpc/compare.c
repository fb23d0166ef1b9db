/* SPDX-License-Identifier: MIT */
/*
 * protocols/mpc/compare.c - LTZ (Catrina-de Hoogh 2010) and the
 * comparison computations as circuits; see compare.h.
 *
 * Networks and their cost for m included inputs (C = one comparison,
 * 1 + ceil(log2(l-1)) rounds; each select is one more round of products):
 *   max            tournament, m - 1 comparisons, depth ceil(log2 m)
 *   second_price   tournament of (max, index, second) nodes: a merge of
 *                  two pair nodes is 2 comparisons in sequence; the leaf
 *                  level needs 1 (the loser is the second); m - 1 merges
 *   median         Batcher's odd-even merge sort on the next power of two
 *                  (padding never moves: comparators reaching it are
 *                  dropped), pruned backwards to the comparators the
 *                  median position depends on; depth <= k(k+1)/2 for
 *                  2^k >= m (31 inputs: 15 levels)
 * Ties go to the lowest index: a node keeps its lower-index side unless
 * the other is strictly larger.
 */
#include "protocols/mpc/compare.h"

#include <stdio.h>
#include <string.h>

#include "common/alloc.h"
#include "protocols/mpc/mpc_int.h"

static int
mpc__or(struct mpc_circuit *c, int x, int y)
{
    return mpc_sub(c, mpc_add(c, x, y), mpc_mul(c, x, y));
}

/* see compare.h */
int
mpc_ltz(struct mpc_circuit *c, int a, unsigned ell, unsigned kappa)
{
    unsigned m = ell - 1;
    int r[128], cb[128], h[128];
    int rp, rr, cw, cop, cpub, u, amod;

    MPCSIM_ASSERT(ell >= 3 && ell <= 120 && m < 128);
    rp = 0;
    cpub = 0;
    for (unsigned i = 0; i < m; i++) {
        r[i] = mpc_rand_bit(c);
        rp = mpc_lin_f(c, 1, rp, mpc_fpow2(i), r[i], 0);
    }
    rr = mpc_rand_int(c, kappa + 1);
    cw = mpc_lin_f(c, 1, a, mpc_fpow2(m), rr, mpc_fpow2(ell - 1));
    cw = mpc_add(c, cw, rp);
    cop = mpc_open(c, cw);
    for (unsigned i = 0; i < m; i++) {
        cb[i] = mpc_pub_bit(c, cop, i);
        cpub = mpc_lin_f(c, 1, cpub, mpc_fpow2(i), cb[i], 0);
        /* h runs from the top bit down: h[k] = e[m-1-k]. */
        h[m - 1 - i] = mpc_xor_pub(c, r[i], cb[i]);
    }
    /* Prefix OR of h (Sklansky): h[k] = OR of h[0..k]. */
    for (unsigned d = 1; d < m; d <<= 1) {
        for (unsigned blk = 0; blk + d < m; blk += 2 * d) {
            int piv = h[blk + d - 1];

            for (unsigned k = blk + d; k < blk + 2 * d && k < m; k++) {
                h[k] = mpc__or(c, h[k], piv);
            }
        }
    }
    /* f_i = h[m-1-i]; g_i = f_i - f_(i+1); u = sum g_i (1 - c_i). */
    u = 0;
    for (unsigned i = 0; i < m; i++) {
        int fi = h[m - 1 - i];
        int fnext = i + 1 < m ? h[m - 2 - i] : 0;
        int gi = mpc_sub(c, fi, fnext);
        int notc = mpc_lin(c, -1, cb[i], 0, -1, 1);

        u = mpc_add(c, u, mpc_mul(c, gi, notc));
    }
    /* a mod 2^m = c' - r' + 2^m u; [a < 0] = (a mod 2^m - a) / 2^m. */
    amod = mpc_lin_f(c, 1, cpub, mpc_fneg(c->field, 1), rp, 0);
    amod = mpc_lin_f(c, 1, amod, mpc_fpow2(m), u, 0);
    return mpc_div_pow2(c, mpc_sub(c, amod, a), m);
}

/* see compare.h */
int
mpc_lt(struct mpc_circuit *c, int a, int b, unsigned ell, unsigned kappa)
{
    return mpc_ltz(c, mpc_sub(c, a, b), ell, kappa);
}

/* see compare.h */
const char *
mpc_compute_unsupported(const struct mpc_compute *mc, char *why, size_t cap)
{
    unsigned lim = mpc_field_log2(mc->field);
    const char *fname = mc->field == MPC_FIELD_M127 ? "m127" : "m61";

    if (mc->comp.length != 1) {
        return "comparisons take scalar inputs (inputs.length 1)";
    }
    if (mc->ell < 3 || mc->ell > 120) {
        snprintf(why, cap, "protocol.comparison_bits must be in 3..120 (got %u)", mc->ell);
        return why;
    }
    if (mc->kappa < 1 || mc->kappa > 119) {
        /* The dealer's mask r has kappa + 1 random bits, at most 120. */
        snprintf(why, cap, "protocol.statistical_security must be in 1..119 (got %u)", mc->kappa);
        return why;
    }
    if (mc->ell + mc->kappa + 1 > lim) {
        snprintf(why, cap,
                 "comparison_bits %u + statistical_security %u + 1 exceeds the %u bits field %s "
                 "holds without wrapping (use comparison_bits <= %u%s)",
                 mc->ell, mc->kappa, lim, fname, lim > mc->kappa + 1 ? lim - mc->kappa - 1 : 0,
                 mc->field == MPC_FIELD_M61 ? ", or field: m127" : "");
        return why;
    }
    return NULL;
}

/* see compare.h */
mpcsim_u128
mpc_compute_input_bound(const struct mpc_compute *mc, int n)
{
    mpcsim_u128 half = (mpcsim_u128)1 << (mc->ell - 1);
    mpcsim_u128 t;

    if (mc->comp.kind != COMPUTATION_SUM_THRESHOLD) {
        return ((mpcsim_u128)1 << (mc->ell - 2)) - 1;
    }
    t = mc->comp.threshold < 0 ? (mpcsim_u128)0 - (mpcsim_u128)(mpcsim_i128)mc->comp.threshold
                               : (mpcsim_u128)mc->comp.threshold;
    if (t >= half - 1 || n < 1) {
        return 0;
    }
    return (half - 1 - t) / (mpcsim_u128)n;
}

/* Batcher's odd-even merge sort comparators on N = 2^k wires (i < j). */
static size_t
mpc__batcher(int *ci, int *cj, size_t cap, int N, int m)
{
    size_t nc = 0;

    for (int p = 1; p < N; p <<= 1) {
        for (int k = p; k >= 1; k >>= 1) {
            for (int j = k % p; j + k < N; j += 2 * k) {
                for (int i = 0; i < k && i < N - j - k; i++) {
                    if ((i + j) / (2 * p) == (i + j + k) / (2 * p) && i + j + k < m) {
                        MPCSIM_ASSERT(nc < cap);
                        ci[nc] = i + j;
                        cj[nc] = i + j + k;
                        nc++;
                    }
                }
            }
        }
    }
    return nc;
}

static int
mpc__median(struct mpc_circuit *c, const struct mpc_compute *mc, int *x, int m)
{
    int N = 1;
    size_t cap, nc;
    int *ci = NULL, *cj = NULL;
    uint8_t *need = NULL, *keep = NULL;
    int rc = 0;

    while (N < m) {
        N <<= 1;
    }
    cap = (size_t)N * 64 + 16;
    ci = mpcsim_malloc(cap * sizeof(int));
    cj = mpcsim_malloc(cap * sizeof(int));
    need = mpcsim_calloc((size_t)N, 1);
    keep = mpcsim_calloc(cap, 1);
    if (ci == NULL || cj == NULL || need == NULL || keep == NULL) {
        rc = MPCSIM_ENOMEM;
        goto out;
    }
    nc = mpc__batcher(ci, cj, cap, N, m);
    need[(m - 1) / 2] = 1;
    for (size_t q = nc; q-- > 0;) {
        if (need[ci[q]] || need[cj[q]]) {
            keep[q] = 1;
            need[ci[q]] = need[cj[q]] = 1;
        }
    }
    for (size_t q = 0; q < nc; q++) {
        int a = x[ci[q]], b = x[cj[q]], sw;

        if (!keep[q]) {
            continue;
        }
        sw = mpc_lt(c, b, a, mc->ell, mc->kappa); /* out of order */
        x[ci[q]] = mpc_sel(c, sw, b, a);
        x[cj[q]] = mpc_sel(c, sw, a, b);
    }
    mpc_output(c, mpc_open(c, x[(m - 1) / 2]));
out:
    mpcsim_free(ci);
    mpcsim_free(cj);
    mpcsim_free(need);
    mpcsim_free(keep);
    return rc;
}

/* see compare.h */
int
mpc_build_compute(struct mpc_circuit **out, const void *arg, int n, const uint8_t *included)
{
    const struct mpc_compute *mc = arg;
    struct mpc_circuit *c = NULL;
    int *x = NULL, *idx = NULL, *sec = NULL;
    uint8_t *has = NULL;
    unsigned ell = mc->ell, kappa = mc->kappa;
    int m = 0;
    int rc;

    rc = mpc_circuit_create(&c, mc->field);
    if (rc != 0) {
        return rc;
    }
    x = mpcsim_calloc((size_t)n, sizeof(int));
    idx = mpcsim_calloc((size_t)n, sizeof(int));
    sec = mpcsim_calloc((size_t)n, sizeof(int));
    has = mpcsim_calloc((size_t)n, 1);
    if (x == NULL || idx == NULL || sec == NULL || has == NULL) {
        rc = MPCSIM_ENOMEM;
        goto out;
    }
    for (int i = 0; i < n; i++) {
        if (included == NULL || included[i]) {
            x[m] = mpc_input(c, i, 0);
            idx[m] = mpc_const(c, i);
            m++;
        }
    }
    if (m == 0) {
        rc = MPCSIM_EINVAL;
        goto out;
    }
    switch (mc->comp.kind) {
    case COMPUTATION_SUM_THRESHOLD: {
        int s = x[0], d, bit;
        mpcsim_i128 T = mc->comp.threshold;

        for (int i = 1; i < m; i++) {
            s = mpc_add(c, s, x[i]);
        }
        /* ">=": 1 - [s - T < 0]; ">": [T - s < 0]; "<=": 1 - [T - s < 0]. */
        if (mc->comp.op == COMPUTATION_GE || mc->comp.op == COMPUTATION_LT) {
            d = mpc_lin(c, 1, s, 0, -1, 0);
            d = mpc_lin_f(c, 1, d, 0, -1, mpc_fneg(c->field, mpc_ffrom_i128(c->field, T)));
        } else {
            d = mpc_lin_f(c, mpc_fneg(c->field, 1), s, 0, -1, mpc_ffrom_i128(c->field, T));
        }
        bit = mpc_ltz(c, d, ell, kappa);
        if (mc->comp.op == COMPUTATION_GE || mc->comp.op == COMPUTATION_LE) {
            bit = mpc_lin(c, -1, bit, 0, -1, 1);
        }
        mpc_output(c, mpc_open(c, bit));
        break;
    }
    case COMPUTATION_MAX:
    case COMPUTATION_SECOND_PRICE: {
        int sp = mc->comp.kind == COMPUTATION_SECOND_PRICE;
        int sentinel = mpc_const(c, -(INT64_C(1) << (ell - 2 < 62 ? ell - 2 : 62)));

        while (m > 1) {
            int k = 0;

            for (int i = 0; i + 1 < m; i += 2) {
                int lt = mpc_lt(c, x[i], x[i + 1], ell, kappa); /* right side strictly larger */
                int mx = mpc_sel(c, lt, x[i + 1], x[i]);
                int ix = mpc_sel(c, lt, idx[i + 1], idx[i]);

                if (sp) {
                    int loser = mpc_sel(c, lt, x[i], x[i + 1]);

                    if (!has[i] && !has[i + 1]) {
                        sec[k] = loser;
                    } else {
                        int sa = has[i] ? sec[i] : sentinel,
                            sb = has[i + 1] ? sec[i + 1] : sentinel;
                        int ws = mpc_sel(c, lt, sb, sa);
                        int lt2 = mpc_lt(c, loser, ws, ell, kappa);

                        sec[k] = mpc_sel(c, lt2, ws, loser);
                    }
                    has[k] = 1;
                }
                x[k] = mx;
                idx[k] = ix;
                k++;
            }
            if (m % 2 == 1) {
                x[k] = x[m - 1];
                idx[k] = idx[m - 1];
                sec[k] = sec[m - 1];
                has[k] = has[m - 1];
                k++;
            }
            m = k;
        }
        if (sp) {
            mpc_output(c, mpc_open(c, idx[0]));
            mpc_output(c, mpc_open(c, has[0] ? sec[0] : x[0]));
        } else {
            if (mc->comp.reveal != COMPUTATION_REVEAL_VALUE) {
                mpc_output(c, mpc_open(c, idx[0]));
            }
            if (mc->comp.reveal != COMPUTATION_REVEAL_INDEX) {
                mpc_output(c, mpc_open(c, x[0]));
            }
        }
        break;
    }
    case COMPUTATION_MEDIAN:
        rc = mpc__median(c, mc, x, m);
        break;
    default:
        rc = MPCSIM_EINVAL;
        break;
    }
    if (rc == 0) {
        rc = mpc_circuit_finish(c);
    }
    if (rc == 0) {
        *out = c;
        c = NULL;
    }
out:
    mpc_circuit_destroy(c);
    mpcsim_free(x);
    mpcsim_free(idx);
    mpcsim_free(sec);
    mpcsim_free(has);
    return rc;
}

/* The batch circuit: party 0 holds a, party 1 holds b. */
struct mpc__batch {
    size_t count;
    enum mpc_field_kind field;
    unsigned ell, kappa;
};

static int
mpc__build_batch(struct mpc_circuit **out, const void *arg, int n, const uint8_t *included)
{
    const struct mpc__batch *b = arg;
    struct mpc_circuit *c = NULL;
    int rc;

    (void)n;
    if (included != NULL && (!included[0] || !included[1])) {
        return MPCSIM_EINVAL;
    }
    rc = mpc_circuit_create(&c, b->field);
    if (rc != 0) {
        return rc;
    }
    for (size_t k = 0; k < b->count; k++) {
        int lt = mpc_lt(c, mpc_input(c, 0, k), mpc_input(c, 1, k), b->ell, b->kappa);

        mpc_output(c, mpc_open(c, lt));
    }
    rc = mpc_circuit_finish(c);
    if (rc == 0) {
        *out = c;
        c = NULL;
    }
    mpc_circuit_destroy(c);
    return rc;
}

/* see compare.h */
int
mpc_compare_batch(uint8_t *out, const int64_t *a, const int64_t *b, size_t count,
                  enum mpc_scheme scheme, int n, int t, enum mpc_field_kind field, unsigned ell,
                  unsigned kappa, uint64_t seed)
{
    struct mpc__batch arg = {.count = count, .field = field, .ell = ell, .kappa = kappa};
    struct mpc_party_cfg cfg;
    struct mpc_local_result res;
    struct mpc_circuit *full = NULL;
    int64_t *in = NULL;
    mpcsim_i128 half = (mpcsim_i128)1 << (ell - 1);
    int rc;

    if (n < 2 || count == 0 || ell < 3 || ell + kappa + 1 > mpc_field_log2(field)) {
        return MPCSIM_EINVAL;
    }
    for (size_t k = 0; k < count; k++) {
        mpcsim_i128 d = (mpcsim_i128)a[k] - b[k];

        if (d >= half || d < -half) {
            return MPCSIM_EINVAL;
        }
    }
    in = mpcsim_calloc((size_t)n * count, sizeof(*in));
    if (in == NULL) {
        return MPCSIM_ENOMEM;
    }
    memcpy(in, a, count * sizeof(*in));
    memcpy(in + count, b, count * sizeof(*in));
    memset(&cfg, 0, sizeof(cfg));
    cfg.scheme = scheme;
    cfg.field = field;
    cfg.n = n;
    cfg.t = t;
    cfg.robust = 1;
    cfg.input_len = count;
    cfg.build = mpc__build_batch;
    cfg.build_arg = &arg;
    memcpy(cfg.dealer_key, &seed, sizeof(seed));
    rc = mpc__build_batch(&full, &arg, n, NULL); /* one circuit for every party */
    if (rc != 0) {
        mpcsim_free(in);
        return rc;
    }
    cfg.full = full;
    rc = mpc_run_local(&res, &cfg, in, seed, NULL, NULL);
    mpc_circuit_destroy(full);
    if (rc == 0 && res.status != 0) {
        rc = res.status;
    }
    if (rc == 0) {
        for (size_t k = 0; k < count; k++) {
            out[k] = (uint8_t)(res.out[k] != 0);
        }
    }
    mpcsim_free(res.out);
    mpcsim_free(in);
    return rc;
}
