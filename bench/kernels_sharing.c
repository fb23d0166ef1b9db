/* SPDX-License-Identifier: MIT */
/*
 * bench/kernels_sharing.c - benchmark kernels of the additive and Shamir
 * protocols.
 *
 * sharing/shamir/share/n=N/t=T: one secret into N shares (an item is one
 *     secret); the check reconstructs the last one.
 * sharing/shamir/reconstruct/...: the secret from t+1 shares, of parties
 *     0..t (cached weights) or of a random set (weights computed);
 *     robust/errors=0 checks all n shares and interpolates; robust/
 *     errors=E decodes with E wrong shares (Gao) and names them.
 * sharing/additive/share, mac_check (sigma over `count` opened values:
 *     coefficients by BLAKE2b + ChaCha20, then one pass), beaver (one
 *     multiplication among n parties, all local).
 * scenario/{shamir,additive}_{sum,variance}/n=N: one whole simulated trial
 *     (create, run, destroy) per iteration; the check compares every
 *     party's output with the plaintext answer.  Shamir is robust with
 *     t = (n - 1) / 2; huge/scenario/shamir_sum/n=3000 (only with --filter)
 *     is the size of issue 15's n^3 report; huge/scenario/additive_sum/
 *     n=10000 (2 * 10^8 messages, 10^8 pending at once) is issue 21's
 *     10 000-party sum (10 ms constant latency, tcp, unlimited bandwidth).
 */
#include "bench/kernels.h"

#include <string.h>

#include "common/alloc.h"
#include "protocols/additive/adapter.h"
#include "protocols/additive/additive.h"
#include "protocols/field/fp.h"
#include "protocols/shamir/adapter.h"
#include "protocols/shamir/shamir.h"

static const uint8_t bench_key[32] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11,
                                      12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
                                      23, 24, 25, 26, 27, 28, 29, 30, 31, 32};

/* ---- Shamir ------------------------------------------------------------- */

struct sh_bench {
    int n, t, errors, mode;
    struct shamir_ctx *sh;
    struct fp_stream *rng;
    uint64_t secret, got;
    uint64_t *shares; /* n */
    uint64_t *sel;    /* n: the shares used, in idx order */
    int *idx;         /* n */
    size_t m;
    size_t *bad;
    size_t nbad;
    int bad_rc;
};

enum { SH_SHARE, SH_REC_LOW, SH_REC_RANDOM, SH_ROBUST };

static void
sh_teardown(void *state)
{
    struct sh_bench *b = state;

    if (b == NULL) {
        return;
    }
    shamir_ctx_destroy(b->sh);
    fp_stream_destroy(b->rng);
    mpcsim_free(b->shares);
    mpcsim_free(b->sel);
    mpcsim_free(b->idx);
    mpcsim_free(b->bad);
    mpcsim_free(b);
}

static int
sh_setup(void **state, int n, int t, int mode, int errors)
{
    struct sh_bench *b = mpcsim_calloc(1, sizeof(*b));
    int rc;

    if (b == NULL) {
        return MPCSIM_ENOMEM;
    }
    b->n = n;
    b->t = t;
    b->mode = mode;
    b->errors = errors;
    b->shares = mpcsim_calloc((size_t)n, sizeof(uint64_t));
    b->sel = mpcsim_calloc((size_t)n, sizeof(uint64_t));
    b->idx = mpcsim_calloc((size_t)n, sizeof(int));
    b->bad = mpcsim_calloc((size_t)n, sizeof(size_t));
    if (b->shares == NULL || b->sel == NULL || b->idx == NULL || b->bad == NULL) {
        sh_teardown(b);
        return MPCSIM_ENOMEM;
    }
    rc = shamir_ctx_create(&b->sh, n, t);
    if (rc == 0) {
        rc = fp_stream_create(&b->rng, bench_key, 7);
    }
    if (rc != 0) {
        sh_teardown(b);
        return rc;
    }
    b->secret = 0x123456789abcdefULL;
    shamir_share(b->sh, b->shares, b->secret, b->rng);
    /* Parties: 0..m-1 (SH_REC_LOW), 7i mod n (SH_REC_RANDOM), all (robust). */
    b->m = mode == SH_ROBUST ? (size_t)n : (size_t)t + 1;
    for (int i = 0; i < n; i++) {
        b->idx[i] = mode == SH_REC_RANDOM ? (i * 7) % n : i; /* a permutation: gcd(7, n) = 1 */
    }
    for (size_t i = 0; i < b->m; i++) {
        b->sel[i] = b->shares[b->idx[i]];
    }
    for (int e = 0; e < errors; e++) {
        size_t pos = (size_t)e * 5 % b->m; /* distinct while 5 errors < m */

        b->sel[pos] = fp_add(b->sel[pos], 1 + (uint64_t)e);
    }
    *state = b;
    return 0;
}

static void
sh_run(void *state, uint64_t iters)
{
    struct sh_bench *b = state;

    for (uint64_t it = 0; it < iters; it++) {
        switch (b->mode) {
        case SH_SHARE:
            shamir_share(b->sh, b->shares, b->secret, b->rng);
            bench_keep(b->shares[b->n - 1]);
            break;
        case SH_REC_LOW:
        case SH_REC_RANDOM:
            b->bad_rc |= shamir_reconstruct(b->sh, &b->got, b->sel, b->idx, b->m, 1);
            bench_keep(b->got);
            break;
        default:
            b->bad_rc |= shamir_reconstruct_robust(b->sh, &b->got, b->bad, &b->nbad, NULL, b->sel,
                                                   b->idx, b->m, 1, b->rng);
            bench_keep(b->got);
            break;
        }
    }
}

static int
sh_check(void *state)
{
    struct sh_bench *b = state;
    uint64_t got = 0;

    if (b->bad_rc != 0) {
        return 1;
    }
    if (b->mode == SH_SHARE) {
        for (int i = 0; i < b->n; i++) {
            b->idx[i] = i;
        }
        return shamir_reconstruct(b->sh, &got, b->shares, b->idx, (size_t)b->t + 1, 1) != 0 ||
               got != b->secret;
    }
    if (b->got != b->secret) {
        return 1;
    }
    return b->mode == SH_ROBUST && b->nbad != (size_t)b->errors;
}

#define SH_SETUP(name, n, t, mode, errors)                                                         \
    static int name(void **state)                                                                  \
    {                                                                                              \
        return sh_setup(state, n, t, mode, errors);                                                \
    }
SH_SETUP(sh_share_100, 100, 33, SH_SHARE, 0)
SH_SETUP(sh_share_1000, 1000, 333, SH_SHARE, 0)
SH_SETUP(sh_rec_low_1000, 1000, 333, SH_REC_LOW, 0)
SH_SETUP(sh_rec_rand_1000, 1000, 333, SH_REC_RANDOM, 0)
SH_SETUP(sh_robust0_1000, 1000, 333, SH_ROBUST, 0)
SH_SETUP(sh_robust_e_1000, 1000, 333, SH_ROBUST, 166)
SH_SETUP(sh_robust_e_100, 100, 33, SH_ROBUST, 16)

/* ---- additive ----------------------------------------------------------- */

struct ad_bench {
    size_t n, count;
    int mode;
    struct fp_stream *rng;
    uint64_t *a, *b; /* n each (share), count each (mac) */
    uint64_t *coeffs;
    struct additive_triple *tr;
    uint64_t secret, alpha_share, out;
    int bad;
};

enum { AD_SHARE, AD_MAC, AD_BEAVER };

static void
ad_teardown(void *state)
{
    struct ad_bench *b = state;

    if (b == NULL) {
        return;
    }
    fp_stream_destroy(b->rng);
    mpcsim_free(b->a);
    mpcsim_free(b->b);
    mpcsim_free(b->coeffs);
    mpcsim_free(b->tr);
    mpcsim_free(b);
}

static int
ad_setup(void **state, size_t n, size_t count, int mode)
{
    struct ad_bench *b = mpcsim_calloc(1, sizeof(*b));
    size_t len = n > count ? n : count;

    if (b == NULL) {
        return MPCSIM_ENOMEM;
    }
    b->n = n;
    b->count = count;
    b->mode = mode;
    b->a = mpcsim_calloc(len * 4, sizeof(uint64_t));
    b->b = mpcsim_calloc(len * 4, sizeof(uint64_t));
    b->coeffs = mpcsim_calloc(len, sizeof(uint64_t));
    b->tr = mpcsim_calloc(n, sizeof(*b->tr));
    if (b->a == NULL || b->b == NULL || b->coeffs == NULL || b->tr == NULL ||
        fp_stream_create(&b->rng, bench_key, 9) != 0) {
        ad_teardown(b);
        return MPCSIM_ENOMEM;
    }
    b->secret = 424242;
    b->alpha_share = 987654321;
    fp_stream_fill(b->rng, b->a, len);
    fp_stream_fill(b->rng, b->b, len);
    additive_deal_triples(b->tr, n, 1, 0, 0, b->rng);
    *state = b;
    return 0;
}

static void
ad_run(void *state, uint64_t iters)
{
    struct ad_bench *b = state;

    for (uint64_t it = 0; it < iters; it++) {
        switch (b->mode) {
        case AD_SHARE:
            additive_share(b->a, b->n, &b->secret, 1, b->rng);
            bench_keep(b->a[b->n - 1]);
            break;
        case AD_MAC:
            /* One party's work: coefficients from the opened values, sigma, commitment. */
            if (additive_mac_coeffs(b->coeffs, b->a, b->count) != 0) {
                b->bad = 1;
            }
            b->out = additive_mac_sigma(b->a, b->b, b->coeffs, b->count, b->alpha_share);
            {
                uint8_t commit[ADDITIVE_COMMIT_BYTES], nonce[ADDITIVE_NONCE_BYTES] = {0};

                additive_commit(commit, b->out, nonce);
                bench_keep(commit[0]);
            }
            break;
        default: {
            /* One multiplication among n parties: share, open, finish, reconstruct. */
            uint64_t *xs = b->a, *ys = b->a + b->n, *d = b->a + 2 * b->n, *e = b->a + 3 * b->n;
            uint64_t x = 31337, y = 271828, dd, ee;

            additive_share(xs, b->n, &x, 1, b->rng);
            additive_share(ys, b->n, &y, 1, b->rng);
            for (size_t j = 0; j < b->n; j++) {
                additive_beaver_open(&d[j], &e[j], xs[j], ys[j], &b->tr[j]);
            }
            additive_reconstruct(&dd, d, b->n, 1);
            additive_reconstruct(&ee, e, b->n, 1);
            for (size_t j = 0; j < b->n; j++) {
                b->b[j] = additive_beaver_finish(&b->tr[j], dd, ee, j == 0);
            }
            additive_reconstruct(&b->out, b->b, b->n, 1);
            bench_keep(b->out);
            break;
        }
        }
    }
}

static int
ad_check(void *state)
{
    struct ad_bench *b = state;
    uint64_t got = 0, want = 0;

    if (b->bad) {
        return 1;
    }
    switch (b->mode) {
    case AD_SHARE:
        additive_reconstruct(&got, b->a, b->n, 1);
        return got != b->secret;
    case AD_MAC:
        /* Recompute sigma the slow way. */
        if (additive_mac_coeffs(b->coeffs, b->a, b->count) != 0) {
            return 1;
        }
        for (size_t k = 0; k < b->count; k++) {
            want = fp_add(want,
                          fp_mul(b->coeffs[k], fp_sub(b->b[k], fp_mul(b->alpha_share, b->a[k]))));
        }
        return want != b->out;
    default:
        return b->out != fp_mul(31337, 271828);
    }
}

#define AD_SETUP(name, n, count, mode)                                                             \
    static int name(void **state)                                                                  \
    {                                                                                              \
        return ad_setup(state, n, count, mode);                                                    \
    }
AD_SETUP(ad_share_1000, 1000, 0, AD_SHARE)
AD_SETUP(ad_mac_1000, 1, 1000, AD_MAC)
AD_SETUP(ad_beaver_10, 10, 0, AD_BEAVER)
AD_SETUP(ad_beaver_1000, 1000, 0, AD_BEAVER)

/* ---- whole scenarios ------------------------------------------------------ */

struct sc_bench {
    int n, shamir, mac;
    enum computation_kind kind;
    mpcsim_i128 *values;
    const mpcsim_i128 **inputs;
    size_t *input_len;
    mpcsim_i128 want[2];
    int bad;
    struct sim_pool *pool; /* memory kept between trials, as a run's worker keeps it */
};

static void
sc_teardown(void *state)
{
    struct sc_bench *b = state;

    if (b == NULL) {
        return;
    }
    sim_pool_destroy(b->pool);
    mpcsim_free(b->values);
    mpcsim_free(b->inputs);
    mpcsim_free(b->input_len);
    mpcsim_free(b);
}

static int
sc_setup(void **state, int n, int shamir, int mac, enum computation_kind kind)
{
    struct sc_bench *b = mpcsim_calloc(1, sizeof(*b));
    struct computation comp = {.kind = kind, .length = 1};

    if (b == NULL) {
        return MPCSIM_ENOMEM;
    }
    b->n = n;
    b->shamir = shamir;
    b->mac = mac;
    b->kind = kind;
    b->values = mpcsim_calloc((size_t)n, sizeof(mpcsim_i128));
    b->inputs = mpcsim_calloc((size_t)n, sizeof(*b->inputs));
    b->input_len = mpcsim_calloc((size_t)n, sizeof(size_t));
    if (b->values == NULL || b->inputs == NULL || b->input_len == NULL ||
        sim_pool_create(&b->pool) < 0) {
        sc_teardown(b);
        return MPCSIM_ENOMEM;
    }
    for (int i = 0; i < n; i++) {
        b->values[i] = 1000 + 37 * i;
        b->inputs[i] = &b->values[i];
        b->input_len[i] = 1;
    }
    if (computation_expected(b->want, &comp, n, b->inputs, NULL) != 0) {
        sc_teardown(b);
        return MPCSIM_EINVAL;
    }
    *state = b;
    return 0;
}

static void
sc_run(void *state, uint64_t iters)
{
    struct sc_bench *b = state;
    struct shamir_params sp = {
        .comp = {.kind = b->kind, .length = 1}, .threshold = (b->n - 1) / 2, .robust = 1};
    struct additive_params ap = {.comp = {.kind = b->kind, .length = 1}, .mac = b->mac};
    size_t raw = computation_raw_len(&sp.comp);

    for (uint64_t it = 0; it < iters; it++) {
        struct sim_config c;
        struct sim *sim = NULL;
        int rc;

        sim_config_init(&c, b->n, 1 + it);
        c.inputs = b->inputs;
        c.input_len = b->input_len;
        c.pool = b->pool;
        c.net.latency.ms = 10;
        rc = b->shamir ? sim_create(&sim, &c, &shamir_protocol, &sp)
                       : sim_create(&sim, &c, &additive_protocol, &ap);
        if (rc != 0 || sim_run(sim) != 0) {
            b->bad = 1;
            sim_destroy(sim);
            continue;
        }
        for (int i = 0; i < b->n; i++) {
            const struct sim_party_result *r = sim_party_result(sim, i);

            if (!r->has_output || r->output_len != raw ||
                memcmp(r->output, b->want, raw * sizeof(mpcsim_i128)) != 0) {
                b->bad = 1;
            }
        }
        bench_keep(sim_metrics(sim)->events);
        sim_destroy(sim);
    }
}

static int
sc_check(void *state)
{
    return ((struct sc_bench *)state)->bad;
}

#define SC_SETUP(name, n, shamir, mac, kind)                                                       \
    static int name(void **state)                                                                  \
    {                                                                                              \
        return sc_setup(state, n, shamir, mac, kind);                                              \
    }
SC_SETUP(sc_sh_sum_100, 100, 1, 0, COMPUTATION_SUM)
SC_SETUP(sc_sh_sum_1000, 1000, 1, 0, COMPUTATION_SUM)
SC_SETUP(sc_sh_sum_3000, 3000, 1, 0, COMPUTATION_SUM)
SC_SETUP(sc_sh_var_100, 100, 1, 0, COMPUTATION_VARIANCE)
SC_SETUP(sc_ad_sum_100, 100, 0, 0, COMPUTATION_SUM)
SC_SETUP(sc_ad_sum_1000, 1000, 0, 0, COMPUTATION_SUM)
SC_SETUP(sc_ad_sum_10000, 10000, 0, 0, COMPUTATION_SUM)
SC_SETUP(sc_ad_sum_mac_1000, 1000, 0, 1, COMPUTATION_SUM)
SC_SETUP(sc_ad_var_mac_100, 100, 0, 1, COMPUTATION_VARIANCE)

static const struct bench_kernel kernels[] = {
    {"sharing/shamir/share/n=100/t=33", "secret", 1, sh_share_100, sh_run, sh_check, sh_teardown,
     100},
    {"sharing/shamir/share/n=1000/t=333", "secret", 1, sh_share_1000, sh_run, sh_check, sh_teardown,
     10},
    {"sharing/shamir/reconstruct/n=1000/t=333/parties=0..t", "secret", 1, sh_rec_low_1000, sh_run,
     sh_check, sh_teardown, 100},
    {"sharing/shamir/reconstruct/n=1000/t=333/parties=any", "secret", 1, sh_rec_rand_1000, sh_run,
     sh_check, sh_teardown, 10},
    {"sharing/shamir/robust/n=1000/t=333/errors=0", "secret", 1, sh_robust0_1000, sh_run, sh_check,
     sh_teardown, 10},
    {"sharing/shamir/robust/n=100/t=33/errors=16", "secret", 1, sh_robust_e_100, sh_run, sh_check,
     sh_teardown, 10},
    {"sharing/shamir/robust/n=1000/t=333/errors=166", "secret", 1, sh_robust_e_1000, sh_run,
     sh_check, sh_teardown, 1},
    {"sharing/additive/share/n=1000", "secret", 1, ad_share_1000, ad_run, ad_check, ad_teardown,
     100},
    {"sharing/additive/mac_check/count=1000", "value", 1000, ad_mac_1000, ad_run, ad_check,
     ad_teardown, 100},
    {"sharing/additive/beaver/n=10", "mul", 1, ad_beaver_10, ad_run, ad_check, ad_teardown, 100},
    {"sharing/additive/beaver/n=1000", "mul", 1, ad_beaver_1000, ad_run, ad_check, ad_teardown, 10},
    {"scenario/shamir_sum/n=100", "trial", 1, sc_sh_sum_100, sc_run, sc_check, sc_teardown, 1},
    {"scenario/shamir_sum/n=1000", "trial", 1, sc_sh_sum_1000, sc_run, sc_check, sc_teardown, 1},
    {"huge/scenario/shamir_sum/n=3000", "trial", 1, sc_sh_sum_3000, sc_run, sc_check, sc_teardown,
     1},
    {"scenario/shamir_variance/n=100", "trial", 1, sc_sh_var_100, sc_run, sc_check, sc_teardown, 1},
    {"scenario/additive_sum/n=100", "trial", 1, sc_ad_sum_100, sc_run, sc_check, sc_teardown, 1},
    {"scenario/additive_sum/n=1000", "trial", 1, sc_ad_sum_1000, sc_run, sc_check, sc_teardown, 1},
    {"huge/scenario/additive_sum/n=10000", "trial", 1, sc_ad_sum_10000, sc_run, sc_check,
     sc_teardown, 1},
    {"scenario/additive_sum_mac/n=1000", "trial", 1, sc_ad_sum_mac_1000, sc_run, sc_check,
     sc_teardown, 1},
    {"scenario/additive_variance_mac/n=100", "trial", 1, sc_ad_var_mac_100, sc_run, sc_check,
     sc_teardown, 1},
};

/* see kernels.h */
const struct bench_kernel *
bench_sharing_kernels(size_t *count)
{
    *count = sizeof(kernels) / sizeof(kernels[0]);
    return kernels;
}
