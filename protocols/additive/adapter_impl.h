/* SPDX-License-Identifier: MIT */
/*
 * protocols/additive/adapter_impl.h - the additive engine protocol over
 * the field that protocols/field/field_inst.h selected; compiled once per
 * field (adapter_m61.c, adapter_m127.c) into FE_SYM(additive_protocol),
 * which adapter.c dispatches to.  See adapter.h for the protocol.
 *
 * A party is a state machine over phases (one per round; without a
 * multiplication the MUL phase is skipped, so the protocol's rounds, as
 * messages and abort reasons number them, are the phases that run, counted
 * from 1: ad__round).  Messages of a
 * later phase may arrive before the party reaches it: openings are sums,
 * so they are accumulated on arrival, and commitments and sigmas are
 * stored; a phase ends when its counter shows every other party, or its
 * timer fires (abort).  The input owners are parties 0..nin-1: all n, or
 * parties 0 and 1 for dot_product.
 *
 * Memory per party is O(n + nin L + M) for M multiplications; the dealer
 * holds O(n (M + nin L)) for the trial.  Both the trial and the party
 * state begin with the field's kind, which is how adapter.c dispatches.
 */
#include <string.h>

#include "common/alloc.h"
#include "protocols/additive/adapter.h"
#include "protocols/additive/additive.h"
#include "protocols/field/perturb_impl.h"
#include "protocols/round.h"

#if defined(FIELD_INST_M61)
#define AD_FN(x) x
#define AD_TRIPLE additive_triple
#define AD_OP_MUL SIM_OP_FIELD_MUL /* the cost of one product in this field */
#else
#define AD_FN(x) x##_m127
#define AD_TRIPLE additive_triple_m127
#define AD_OP_MUL SIM_OP_FIELD_MUL_M127
#endif

enum {
    AD_MSG_INPUT = 1,
    AD_MSG_OPEN_MUL = 2,
    AD_MSG_OPEN_OUT = 3,
    AD_MSG_COMMIT = 4,
    AD_MSG_SIGMA = 5,
    AD_MSG_TYPES = 6
};

enum { AD_PH_INPUT = 1, AD_PH_MUL, AD_PH_OUT, AD_PH_COMMIT, AD_PH_SIGMA, AD_PH_DONE };

/* Scratch elements on the stack in message handlers (else malloc). */
#define AD_STACK_ELEMS 48

/* Stream ids under a party's key. */
#define AD_STREAM_PROTOCOL 1
#define AD_STREAM_ADVERSARY 2

struct additive_trial {
    enum field_kind field; /* first: adapter.c dispatches on it */
    int n, mac;
    size_t L, nin, n_mul;
    FE *alpha;                 /* n shares of the MAC key */
    struct AD_TRIPLE *triples; /* n * n_mul, party-major */
    FE *mask_v, *mask_m;       /* n * nin * L: party j's share of owner i's mask k */
    FE *mask_clear;            /* nin * L: the masks, known to their owners */
    FE *wf;                    /* weighted_sum: n weights as field elements, else NULL */
    /* Per message type, the parties' heard sets as columns of an n x n
     * bit matrix (round_heard_init_column): the input shares arrive sender
     * by sender, and each receiver's bit is then next to the last one's. */
    uint64_t *heard[AD_MSG_TYPES];
};

struct additive_party {
    /* What an input share's delivery reads comes first, in 128 bytes (at
     * n = 10 000 deliveries alternate between receivers, each missing the
     * cache on every line of its receiver it touches). */
    enum field_kind field; /* first: adapter.c dispatches on it */
    int n, self, mac, phase;
    struct round rd; /* phase, its timer, abort */
    size_t L;
    const FE *wf; /* the trial's weights, NULL = all 1 */
    size_t nin;
    FE *lin; /* 2L: sum of w_i [x_i] over the inputs so far, then their MACs (ad__linmac) */
    struct round_heard heard[AD_MSG_TYPES]; /* per message type: who was heard (0 unused) */
    FE *xsh, *xmac; /* with a multiplication: the owners' input shares, nin * L */
    const struct additive_params *prm;
    const struct additive_trial *tr;
    size_t n_mul, R, n_open;
    enum sim_behaviour behaviour;
    struct fp_stream *rng, *adv;
    FE *x;            /* own input, L */
    FE *own;          /* my shares of the opened values: d, e (2M) then output (R) */
    FE *ownmac;       /* their MAC shares */
    FE *opened;       /* sums of everybody's shares, same layout */
    uint8_t *commits; /* n * ADDITIVE_COMMIT_BYTES */
    uint8_t *nonces;  /* n * ADDITIVE_NONCE_BYTES */
    FE *sigmas;       /* n */
    FE my_sigma;
    uint8_t my_nonce[ADDITIVE_NONCE_BYTES];
    FE adv_delta; /* wrong_mac: the error added to sigma, 0 until drawn */
};

/* The MACs of st->lin's sums: the second half of its block. */
static inline FE *
ad__linmac(const struct additive_party *st)
{
    return st->lin + st->L;
}

/* ------------------------------------------------------------------ */

static size_t
ad__nin(const struct computation *c, int n)
{
    return c->kind == COMPUTATION_DOT_PRODUCT ? 2 : (size_t)n;
}

static size_t
ad__n_mul(const struct computation *c, int n)
{
    switch (c->kind) {
    case COMPUTATION_VARIANCE:
        return (size_t)n * c->length;
    case COMPUTATION_DOT_PRODUCT:
        return c->length;
    default:
        return 0;
    }
}

/* ------------------------------------------------------------------
 * The dealer
 * ------------------------------------------------------------------ */

static void
ad__trial_teardown(void *trial)
{
    struct additive_trial *tr = trial;

    if (tr == NULL) {
        return;
    }
    mpcsim_free(tr->alpha);
    mpcsim_free(tr->triples);
    mpcsim_free(tr->mask_v);
    mpcsim_free(tr->mask_m);
    mpcsim_free(tr->mask_clear);
    mpcsim_free(tr->wf);
    for (int t = 0; t < AD_MSG_TYPES; t++) {
        mpcsim_free(tr->heard[t]);
    }
    mpcsim_free(tr);
}

static int
ad__trial_setup(struct sim *sim, void **trial_out, const struct sim_protocol_cfg *cfg0,
                const uint8_t trial_key[32])
{
    const struct additive_params *prm = cfg0->params;
    struct additive_trial *tr = NULL;
    struct fp_stream *rng = NULL;
    FE *tmp_v = NULL, *tmp_m = NULL;
    FE alpha = 0;
    double samples = 0, muls = 0, adds = 0;
    uint64_t bytes = 0; /* exact: an integer statistic */
    size_t n, L;
    int rc;

    if (additive_unsupported(prm, cfg0->n) != NULL) {
        return MPCSIM_EINVAL;
    }
    n = (size_t)cfg0->n;
    L = prm->comp.length;
    tr = mpcsim_calloc(1, sizeof(*tr));
    if (tr == NULL) {
        return MPCSIM_ENOMEM;
    }
    tr->field = FE_KIND;
    tr->n = cfg0->n;
    tr->mac = prm->mac != 0;
    tr->L = L;
    tr->nin = ad__nin(&prm->comp, cfg0->n);
    tr->n_mul = ad__n_mul(&prm->comp, cfg0->n);
    for (int t = AD_MSG_INPUT; t < AD_MSG_TYPES; t++) {
        tr->heard[t] = mpcsim_calloc(round_heard_matrix_words(cfg0->n), sizeof(uint64_t));
        if (tr->heard[t] == NULL) {
            rc = MPCSIM_ENOMEM;
            goto out;
        }
    }
    rc = fp_stream_create(&rng, trial_key, 0);
    if (rc != 0) {
        goto out;
    }
    if (prm->comp.kind == COMPUTATION_WEIGHTED_SUM) {
        tr->wf = mpcsim_malloc(n * sizeof(FE));
        if (tr->wf == NULL) {
            rc = MPCSIM_ENOMEM;
            goto out;
        }
        for (size_t i = 0; i < n; i++) {
            rc = FE_from_int128(&tr->wf[i], prm->comp.weights[i]);
            if (rc != 0) {
                goto out;
            }
        }
    }
    if (tr->mac) {
        tr->alpha = mpcsim_malloc(n * sizeof(FE));
        tr->mask_v = mpcsim_malloc(n * tr->nin * L * sizeof(FE));
        tr->mask_m = mpcsim_malloc(n * tr->nin * L * sizeof(FE));
        tr->mask_clear = mpcsim_malloc(tr->nin * L * sizeof(FE));
        tmp_v = mpcsim_malloc(n * sizeof(FE));
        tmp_m = mpcsim_malloc(n * sizeof(FE));
        if (tr->alpha == NULL || tr->mask_v == NULL || tr->mask_m == NULL ||
            tr->mask_clear == NULL || tmp_v == NULL || tmp_m == NULL) {
            rc = MPCSIM_ENOMEM;
            goto out;
        }
        FE_stream_fill(rng, tr->alpha, n);
        for (size_t j = 0; j < n; j++) {
            alpha = FE_add(alpha, tr->alpha[j]);
        }
        samples += (double)n;
        for (size_t i = 0; i < tr->nin; i++) {
            for (size_t k = 0; k < L; k++) {
                FE r = FE_stream_next(rng);

                tr->mask_clear[i * L + k] = r;
                AD_FN(additive_share_mac)(tmp_v, tmp_m, n, &r, 1, alpha, rng);
                for (size_t j = 0; j < n; j++) {
                    tr->mask_v[(j * tr->nin + i) * L + k] = tmp_v[j];
                    tr->mask_m[(j * tr->nin + i) * L + k] = tmp_m[j];
                }
            }
        }
        samples += (double)(tr->nin * L) * (double)(2 * n - 1);
        muls += (double)(tr->nin * L);
        adds += (double)(tr->nin * L) * (double)(2 * n);
        bytes += (uint64_t)n * FE_BYTES + (uint64_t)(n * tr->nin * L) * 2 * FE_BYTES +
                 (uint64_t)(tr->nin * L) * FE_BYTES;
    }
    if (tr->n_mul > 0) {
        double per = tr->mac ? 6.0 : 3.0;

        tr->triples = mpcsim_malloc(n * tr->n_mul * sizeof(*tr->triples));
        if (tr->triples == NULL) {
            rc = MPCSIM_ENOMEM;
            goto out;
        }
        AD_FN(additive_deal_triples)(tr->triples, n, tr->n_mul, tr->mac, alpha, rng);
        samples += (double)tr->n_mul * (2.0 + per * (double)(n - 1));
        muls += (double)tr->n_mul * (tr->mac ? 4.0 : 1.0);
        adds += (double)tr->n_mul * per * (double)n;
        bytes += (uint64_t)(n * tr->n_mul) * (tr->mac ? 6u : 3u) * FE_BYTES;
    }
    if ((rc = sim_stat_add_u64(sim, "offline_messages", tr->mac || tr->n_mul > 0 ? n : 0)) != 0 ||
        (rc = sim_stat_add_u64(sim, "offline_bytes", bytes)) != 0 ||
        (rc = sim_stat_add(sim, "offline_compute_ms",
                           (samples * sim_cost_default[SIM_OP_FIELD_SAMPLE] +
                            muls * sim_cost_default[AD_OP_MUL] +
                            adds * sim_cost_default[SIM_OP_FIELD_ADD]) /
                               1e6)) != 0) {
        goto out;
    }
    *trial_out = tr;
    tr = NULL;
out:
    mpcsim_free(tmp_v);
    mpcsim_free(tmp_m);
    fp_stream_destroy(rng);
    ad__trial_teardown(tr);
    return rc;
}

/* ------------------------------------------------------------------
 * Party setup
 * ------------------------------------------------------------------ */

static void
ad__free(void *state)
{
    struct additive_party *st = state;

    if (st == NULL) {
        return;
    }
    fp_stream_destroy(st->rng);
    fp_stream_destroy(st->adv);
    mpcsim_free(st->x);
    for (int t = 0; t < AD_MSG_TYPES; t++) {
        round_heard_clear(&st->heard[t]);
    }
    mpcsim_free(st->lin); /* and its MACs */
    mpcsim_free(st->xsh);
    mpcsim_free(st->xmac);
    mpcsim_free(st->own);
    mpcsim_free(st->ownmac);
    mpcsim_free(st->opened);
    mpcsim_free(st->commits);
    mpcsim_free(st->nonces);
    mpcsim_free(st->sigmas);
    mpcsim_free(st);
}

static int
ad__setup(struct sim_party *p, const struct sim_protocol_cfg *cfg)
{
    const struct additive_params *prm = cfg->params;
    struct additive_party *st = NULL;
    size_t n = (size_t)cfg->n;
    int rc = 0;

    if (cfg->trial == NULL || additive_unsupported(prm, cfg->n) != NULL ||
        cfg->input_len != prm->comp.length) {
        return MPCSIM_EINVAL;
    }
    st = mpcsim_calloc(1, sizeof(*st));
    if (st == NULL) {
        return MPCSIM_ENOMEM;
    }
    st->field = FE_KIND;
    st->prm = prm;
    st->tr = cfg->trial;
    st->n = cfg->n;
    st->self = cfg->self;
    st->mac = prm->mac != 0;
    st->L = prm->comp.length;
    st->nin = st->tr->nin;
    st->n_mul = st->tr->n_mul;
    st->R = computation_raw_len(&prm->comp);
    st->n_open = 2 * st->n_mul + st->R;
    st->behaviour = cfg->behaviour;
    round_init(&st->rd, &st->phase, AD_PH_INPUT, AD_PH_DONE, cfg->round_timeout_ns);
    rc = fp_stream_create(&st->rng, cfg->key, AD_STREAM_PROTOCOL);
    if (rc == 0) {
        rc = fp_stream_create(&st->adv, cfg->key, AD_STREAM_ADVERSARY);
    }
    if (rc != 0) {
        goto out;
    }
    st->x = mpcsim_calloc(st->L, sizeof(FE));
    st->wf = st->tr->wf;
    for (int t = AD_MSG_INPUT; t < AD_MSG_TYPES; t++) {
        round_heard_init_column(&st->heard[t], cfg->n, st->tr->heard[t], cfg->self);
    }
    st->lin = mpcsim_calloc(2 * st->L, sizeof(FE)); /* the sums, then their MACs */
    st->own = mpcsim_calloc(st->n_open, sizeof(FE));
    st->ownmac = mpcsim_calloc(st->n_open, sizeof(FE));
    st->opened = mpcsim_calloc(st->n_open, sizeof(FE));
    if (rc != 0 || st->x == NULL || st->lin == NULL || st->own == NULL || st->ownmac == NULL ||
        st->opened == NULL) {
        rc = MPCSIM_ENOMEM;
        goto out;
    }
    if (st->n_mul > 0) {
        st->xsh = mpcsim_calloc(st->nin * st->L, sizeof(FE));
        st->xmac = mpcsim_calloc(st->nin * st->L, sizeof(FE));
        if (st->xsh == NULL || st->xmac == NULL) {
            rc = MPCSIM_ENOMEM;
            goto out;
        }
    }
    if (st->mac) {
        st->commits = mpcsim_calloc(n, ADDITIVE_COMMIT_BYTES);
        st->nonces = mpcsim_calloc(n, ADDITIVE_NONCE_BYTES);
        st->sigmas = mpcsim_calloc(n, sizeof(FE));
        if (st->commits == NULL || st->nonces == NULL || st->sigmas == NULL) {
            rc = MPCSIM_ENOMEM;
            goto out;
        }
    }
    for (size_t k = 0; k < st->L; k++) {
        rc = FE_from_int128(&st->x[k], cfg->input[k]);
        if (rc != 0) {
            goto out;
        }
    }
    sim_party_set_state(p, st);
    st = NULL;
out:
    ad__free(st);
    return rc;
}

static void
ad__teardown(struct sim_party *p)
{
    round_teardown(p, ad__free);
}

/* ------------------------------------------------------------------
 * Protocol steps
 * ------------------------------------------------------------------ */

/* The protocol round of phase `ph` (message types share the numbering). */
static int
ad__round(const struct additive_party *st, int ph)
{
    return st->n_mul == 0 && ph > AD_PH_MUL ? ph - 1 : ph;
}

/* Broadcast type || elements as a message of the type's round. */
static int
ad__broadcast_elems(struct sim_party *p, uint8_t type, const FE *v, size_t count)
{
    return round_broadcast(p, ad__round(sim_party_state(p), type), type, field_ops_get(FE_KIND), v,
                           count);
}

/* Owner i's input, as a share v[0..L) and its MAC shares m (NULL: zeros). */
static void
ad__take(struct additive_party *st, size_t i, const FE *v, const FE *m)
{
    FE w = st->wf != NULL ? st->wf[i] : 1;

    for (size_t k = 0; k < st->L; k++) {
        FE mk = m != NULL ? m[k] : 0;

        st->lin[k] = FE_add(st->lin[k], FE_mul(w, v[k]));
        ad__linmac(st)[k] = FE_add(ad__linmac(st)[k], FE_mul(w, mk));
        if (st->xsh != NULL) {
            st->xsh[i * st->L + k] = v[k];
            st->xmac[i * st->L + k] = mk;
        }
    }
}

/* Party self's share of owner i's input, from the masked value eps (MACs). */
static void
ad__take_masked(struct additive_party *st, size_t i, const FE *eps, FE *scratch)
{
    const struct additive_trial *tr = st->tr;
    size_t base = ((size_t)st->self * tr->nin + i) * st->L;
    FE alpha = tr->alpha[st->self];
    FE *v = scratch, *m = scratch + st->L;

    for (size_t k = 0; k < st->L; k++) {
        FE r = tr->mask_v[base + k];

        v[k] = st->self == 0 ? FE_add(r, eps[k]) : r;
        m[k] = FE_add(tr->mask_m[base + k], FE_mul(alpha, eps[k]));
    }
    ad__take(st, i, v, m);
}

/* Round 1: deal own input (owners only). */
static int
ad__send_input(struct sim_party *p, struct additive_party *st)
{
    size_t n = (size_t)st->n;
    size_t L = st->L;
    size_t self = (size_t)st->self;
    FE *rows = NULL;
    uint8_t *msg = NULL;
    int rc = 0;

    if (self >= st->nin) {
        return 0;
    }
    if (st->mac) {
        FE *eps = mpcsim_malloc(3 * L * sizeof(*eps));

        if (eps == NULL) {
            return MPCSIM_ENOMEM;
        }
        for (size_t k = 0; k < L; k++) {
            eps[k] = FE_sub(st->x[k], st->tr->mask_clear[self * L + k]);
        }
        sim_charge(p, SIM_OP_FIELD_ADD, (double)L);
        rc = ad__broadcast_elems(p, AD_MSG_INPUT, eps, L);
        ad__take_masked(st, self, eps, eps + L);
        mpcsim_free(eps);
    } else {
        rows = mpcsim_malloc(n * L * sizeof(*rows));
        msg = mpcsim_malloc(1 + FE_BYTES * L);
        if (rows == NULL || msg == NULL) {
            rc = MPCSIM_ENOMEM;
            goto out;
        }
        AD_FN(additive_share)(rows, n, st->x, L, st->rng);
        sim_charge(p, SIM_OP_FIELD_SAMPLE, (double)((n - 1) * L));
        sim_charge(p, SIM_OP_FIELD_ADD, (double)(n * L));
        msg[0] = AD_MSG_INPUT;
        for (size_t j = 0; j < n && rc == 0; j++) {
            if (j == self) {
                ad__take(st, self, rows + j * L, NULL);
                continue;
            }
            FE_vec_encode(msg + 1, rows + j * L, L);
            rc = sim_send(p, (int)j, 1, msg, 1 + FE_BYTES * L);
        }
    }
    (void)round_heard_add(&st->heard[AD_MSG_INPUT], (int)self);
out:
    mpcsim_free(rows);
    mpcsim_free(msg);
    return rc;
}

/* The linear part of the raw output (and its MAC) into own/ownmac at off. */
static void
ad__linear(struct additive_party *st, size_t off)
{
    memcpy(st->own + off, st->lin, st->L * sizeof(FE));
    memcpy(st->ownmac + off, ad__linmac(st), st->L * sizeof(FE));
}

/* The i-th multiplication's operands (x, y) and their MAC shares. */
static void
ad__operands(const struct additive_party *st, size_t i, FE *x, FE *y, FE *mx, FE *my)
{
    if (st->prm->comp.kind == COMPUTATION_VARIANCE) {
        *x = *y = st->xsh[i];
        *mx = *my = st->xmac[i];
    } else {
        *x = st->xsh[i];
        *y = st->xsh[st->L + i];
        *mx = st->xmac[i];
        *my = st->xmac[st->L + i];
    }
}

/* Round 2: open d, e for every multiplication. */
static int
ad__send_mul(struct sim_party *p, struct additive_party *st)
{
    const struct AD_TRIPLE *tr = st->tr->triples + (size_t)st->self * st->n_mul;
    size_t M = st->n_mul;

    for (size_t i = 0; i < M; i++) {
        FE x, y, mx, my;

        ad__operands(st, i, &x, &y, &mx, &my);
        AD_FN(additive_beaver_open)(&st->own[i], &st->own[M + i], x, y, &tr[i]);
        st->ownmac[i] = FE_sub(mx, tr[i].ma);
        st->ownmac[M + i] = FE_sub(my, tr[i].mb);
        st->opened[i] = FE_add(st->opened[i], st->own[i]);
        st->opened[M + i] = FE_add(st->opened[M + i], st->own[M + i]);
    }
    sim_charge(p, SIM_OP_FIELD_ADD, (double)(6 * M));
    return ad__broadcast_elems(p, AD_MSG_OPEN_MUL, st->own, 2 * M);
}

/* Round 3: the shares of the raw output. */
static int
ad__send_out(struct sim_party *p, struct additive_party *st)
{
    size_t M = st->n_mul;
    size_t L = st->L;
    size_t off = 2 * M;
    enum computation_kind kind = st->prm->comp.kind;

    if (kind != COMPUTATION_DOT_PRODUCT) {
        ad__linear(st, off);
    }
    if (M > 0) {
        const struct AD_TRIPLE *tr = st->tr->triples + (size_t)st->self * M;
        FE alpha = st->mac ? st->tr->alpha[st->self] : 0;
        size_t dst = kind == COMPUTATION_VARIANCE ? off + L : off;

        if (kind == COMPUTATION_VARIANCE) {
            for (size_t k = 0; k < L; k++) {
                st->own[dst + k] = 0;
                st->ownmac[dst + k] = 0;
            }
        } else {
            st->own[dst] = 0;
            st->ownmac[dst] = 0;
        }
        for (size_t i = 0; i < M; i++) {
            FE d = st->opened[i], e = st->opened[M + i];
            size_t slot = kind == COMPUTATION_VARIANCE ? dst + i % L : dst;
            FE z = AD_FN(additive_beaver_finish)(&tr[i], d, e, st->self == 0);

            st->own[slot] = FE_add(st->own[slot], z);
            if (st->mac) {
                st->ownmac[slot] = FE_add(st->ownmac[slot],
                                          AD_FN(additive_beaver_finish_mac)(&tr[i], d, e, alpha));
            }
        }
        sim_charge(p, AD_OP_MUL, (double)(M * (st->mac ? 7 : 3)));
        sim_charge(p, SIM_OP_FIELD_ADD, (double)(M * (st->mac ? 8 : 4)));
    }
    for (size_t k = 0; k < st->R; k++) {
        st->opened[off + k] = FE_add(st->opened[off + k], st->own[off + k]);
    }
    return ad__broadcast_elems(p, AD_MSG_OPEN_OUT, st->own + off, st->R);
}

/* Round 4 (MACs): sigma over every opened value, committed. */
static int
ad__send_commit(struct sim_party *p, struct additive_party *st)
{
    FE *coeffs = mpcsim_malloc(st->n_open * sizeof(*coeffs));
    uint8_t msg[1 + ADDITIVE_COMMIT_BYTES];
    int rc;

    if (coeffs == NULL) {
        return MPCSIM_ENOMEM;
    }
    rc = AD_FN(additive_mac_coeffs)(coeffs, st->opened, st->n_open);
    if (rc == 0) {
        st->my_sigma = AD_FN(additive_mac_sigma)(st->opened, st->ownmac, coeffs, st->n_open,
                                                 st->tr->alpha[st->self]);
        fp_stream_bytes(st->rng, st->my_nonce, sizeof(st->my_nonce));
        msg[0] = AD_MSG_COMMIT;
        AD_FN(additive_commit)(msg + 1, st->my_sigma, st->my_nonce);
        memcpy(st->commits + (size_t)st->self * ADDITIVE_COMMIT_BYTES, msg + 1,
               ADDITIVE_COMMIT_BYTES);
        sim_charge(p, SIM_OP_FIELD_SAMPLE, (double)st->n_open);
        sim_charge(p, AD_OP_MUL, (double)(2 * st->n_open));
        sim_charge(p, SIM_OP_FIELD_ADD, (double)(2 * st->n_open));
        sim_charge(p, SIM_OP_HASH_BYTE, (double)(FE_BYTES * st->n_open + 40));
        rc = sim_broadcast(p, ad__round(st, AD_PH_COMMIT), msg, sizeof(msg));
    }
    mpcsim_free(coeffs);
    return rc;
}

/* Round 5 (MACs): open sigma. */
static int
ad__send_sigma(struct sim_party *p, struct additive_party *st)
{
    uint8_t msg[1 + FE_BYTES + ADDITIVE_NONCE_BYTES];

    msg[0] = AD_MSG_SIGMA;
    FE_encode(msg + 1, st->my_sigma);
    memcpy(msg + 1 + FE_BYTES, st->my_nonce, ADDITIVE_NONCE_BYTES);
    st->sigmas[st->self] = st->my_sigma;
    memcpy(st->nonces + (size_t)st->self * ADDITIVE_NONCE_BYTES, st->my_nonce,
           ADDITIVE_NONCE_BYTES);
    return sim_broadcast(p, ad__round(st, AD_PH_SIGMA), msg, sizeof(msg));
}

static void
ad__output(struct sim_party *p, struct additive_party *st)
{
    mpcsim_i128 *vals = mpcsim_malloc(st->R * sizeof(*vals));
    uint8_t *inc = mpcsim_calloc((size_t)st->n, 1);

    if (vals == NULL || inc == NULL) {
        round_abort(&st->rd, p, "additive: out of memory");
        goto out;
    }
    for (size_t k = 0; k < st->R; k++) {
        vals[k] = FE_to_int128(st->opened[2 * st->n_mul + k]);
    }
    for (size_t i = 0; i < st->nin; i++) {
        inc[i] = 1;
    }
    round_finish(&st->rd);
    if (sim_output(p, vals, st->R, inc) != 0) {
        sim_abort(p, "additive: out of memory");
    }
out:
    mpcsim_free(vals);
    mpcsim_free(inc);
}

/* Check every commitment and the sigmas; output or abort. */
static void
ad__finish_mac(struct sim_party *p, struct additive_party *st)
{
    for (int j = 0; j < st->n; j++) {
        size_t uj = (size_t)j;

        if (!AD_FN(additive_commit_verify)(st->commits + uj * ADDITIVE_COMMIT_BYTES, st->sigmas[uj],
                                           st->nonces + uj * ADDITIVE_NONCE_BYTES)) {
            sim_accuse(p, j);
            round_abort(&st->rd, p, "additive: a MAC-check commitment does not open");
            return;
        }
    }
    sim_charge(p, SIM_OP_HASH_BYTE, (double)st->n * 40.0);
    if (!AD_FN(additive_mac_accept)(st->sigmas, (size_t)st->n)) {
        round_abort(&st->rd, p, "additive: MAC check failed (a share or MAC was tampered with)");
        return;
    }
    ad__output(p, st);
}

/* Run every phase whose messages are all in. */
static void
ad__advance(struct sim_party *p, struct additive_party *st)
{
    size_t others = (size_t)st->n - 1;
    int rc = 0;

    while (rc == 0) {
        switch (st->phase) {
        case AD_PH_INPUT: {
            if (!round_heard_complete(&st->heard[AD_MSG_INPUT], st->nin)) {
                return;
            }
            if (st->n_mul > 0) {
                rc = ad__send_mul(p, st);
                if (rc == 0) {
                    rc = round_enter(&st->rd, p, AD_PH_MUL);
                }
            } else {
                rc = ad__send_out(p, st);
                if (rc == 0) {
                    rc = round_enter(&st->rd, p, AD_PH_OUT);
                }
            }
            break;
        }
        case AD_PH_MUL:
            if (!round_heard_complete(&st->heard[AD_MSG_OPEN_MUL], others)) {
                return;
            }
            rc = ad__send_out(p, st);
            if (rc == 0) {
                rc = round_enter(&st->rd, p, AD_PH_OUT);
            }
            break;
        case AD_PH_OUT:
            if (!round_heard_complete(&st->heard[AD_MSG_OPEN_OUT], others)) {
                return;
            }
            if (!st->mac) {
                ad__output(p, st);
                return;
            }
            rc = ad__send_commit(p, st);
            if (rc == 0) {
                rc = round_enter(&st->rd, p, AD_PH_COMMIT);
            }
            break;
        case AD_PH_COMMIT:
            if (!round_heard_complete(&st->heard[AD_MSG_COMMIT], others)) {
                return;
            }
            rc = ad__send_sigma(p, st);
            if (rc == 0) {
                rc = round_enter(&st->rd, p, AD_PH_SIGMA);
            }
            break;
        case AD_PH_SIGMA:
            if (!round_heard_complete(&st->heard[AD_MSG_SIGMA], others)) {
                return;
            }
            ad__finish_mac(p, st);
            return;
        default:
            return;
        }
    }
    round_abort(&st->rd, p, "additive: out of memory");
}

static void
ad__on_start(struct sim_party *p)
{
    struct additive_party *st = sim_party_state(p);
    int rc = ad__send_input(p, st);

    if (rc == 0) {
        rc = round_enter(&st->rd, p, AD_PH_INPUT);
    }
    if (rc != 0) {
        round_abort(&st->rd, p, "additive: out of memory");
        return;
    }
    ad__advance(p, st);
}

/* Decode count elements after the type byte; 0 or MPCSIM_EDECODE. */
static int
ad__decode(FE *out, const uint8_t *msg, size_t len, size_t count)
{
    if (len != 1 + FE_BYTES * count) {
        return MPCSIM_EDECODE;
    }
    return FE_vec_decode(out, NULL, msg + 1, count) == 0 ? 0 : MPCSIM_EDECODE;
}

/* Accumulate an opening of `count` elements into opened[off ..]. */
static int
ad__take_opening(struct additive_party *st, size_t off, const uint8_t *msg, size_t len,
                 size_t count)
{
    uint8_t buf[FE_BYTES];

    if (len != 1 + FE_BYTES * count || count == 0) {
        return MPCSIM_EDECODE;
    }
    for (size_t k = 0; k < count; k++) {
        FE v;

        memcpy(buf, msg + 1 + FE_BYTES * k, FE_BYTES);
        if (FE_decode(&v, buf) != 0) {
            return MPCSIM_EDECODE;
        }
        /* A bad element later in the message leaves earlier ones added: the
         * party aborts on MPCSIM_EDECODE anyway. */
        st->opened[off + k] = FE_add(st->opened[off + k], v);
    }
    return 0;
}

static void
ad__on_message(struct sim_party *p, int from, const uint8_t *msg, size_t len)
{
    struct additive_party *st = sim_party_state(p);
    size_t uf = (size_t)from;
    FE stack[AD_STACK_ELEMS];
    int type;
    int rc = 0;

    if (round_over(&st->rd) || from < 0 || from >= st->n || from == st->self) {
        return;
    }
    if (len < 1 || msg[0] < AD_MSG_INPUT || msg[0] >= AD_MSG_TYPES) {
        rc = MPCSIM_EDECODE;
        goto out;
    }
    type = msg[0];
    if (round_heard_has(&st->heard[type], from)) {
        return; /* a repeat: the first one counts */
    }
    switch (type) {
    case AD_MSG_INPUT: {
        FE *v;

        if (uf >= st->nin) {
            rc = MPCSIM_EDECODE;
            break;
        }
        v = 3 * st->L <= AD_STACK_ELEMS ? stack : mpcsim_malloc(3 * st->L * sizeof(*v));
        if (v == NULL) {
            round_abort(&st->rd, p, "additive: out of memory");
            return;
        }
        rc = ad__decode(v, msg, len, st->L);
        if (rc == 0) {
            if (st->mac) {
                ad__take_masked(st, uf, v, v + st->L);
            } else {
                ad__take(st, uf, v, NULL);
            }
            sim_charge(p, AD_OP_MUL, (double)(st->L * (st->mac ? 3 : 1)));
        }
        if (v != stack) {
            mpcsim_free(v);
        }
        break;
    }
    case AD_MSG_OPEN_MUL:
        rc = ad__take_opening(st, 0, msg, len, 2 * st->n_mul);
        break;
    case AD_MSG_OPEN_OUT:
        rc = ad__take_opening(st, 2 * st->n_mul, msg, len, st->R);
        break;
    case AD_MSG_COMMIT:
        if (!st->mac || len != 1 + ADDITIVE_COMMIT_BYTES) {
            rc = MPCSIM_EDECODE;
            break;
        }
        memcpy(st->commits + uf * ADDITIVE_COMMIT_BYTES, msg + 1, ADDITIVE_COMMIT_BYTES);
        break;
    case AD_MSG_SIGMA:
        if (!st->mac || len != 1 + FE_BYTES + ADDITIVE_NONCE_BYTES ||
            FE_decode(&st->sigmas[uf], msg + 1) != 0) {
            rc = MPCSIM_EDECODE;
            break;
        }
        memcpy(st->nonces + uf * ADDITIVE_NONCE_BYTES, msg + 1 + FE_BYTES, ADDITIVE_NONCE_BYTES);
        break;
    default:
        rc = MPCSIM_EDECODE;
        break;
    }
    if (rc != 0) {
        goto out;
    }
    (void)round_heard_add(&st->heard[type], from);
    sim_charge(p, SIM_OP_FIELD_ADD, (double)(len / FE_BYTES));
    ad__advance(p, st);
    return;
out:
    sim_accuse(p, from);
    round_abort(&st->rd, p, "additive: malformed message from party %d", from);
}

static void
ad__on_timer(struct sim_party *p, uint64_t id)
{
    struct additive_party *st = sim_party_state(p);
    static const uint8_t type_of[] = {
        0, AD_MSG_INPUT, AD_MSG_OPEN_MUL, AD_MSG_OPEN_OUT, AD_MSG_COMMIT, AD_MSG_SIGMA};
    int lim;

    if (!round_timer_current(&st->rd, id)) {
        return;
    }
    lim = st->phase == AD_PH_INPUT ? (int)st->nin : st->n;
    round_abort(&st->rd, p, "additive: party %d silent in round %d (n-of-n)",
                round_heard_silent(&st->heard[type_of[st->phase]], lim, st->self),
                ad__round(st, st->phase));
}

/* ------------------------------------------------------------------
 * The adversary
 * ------------------------------------------------------------------ */

static enum sim_adv_action
ad__tamper(struct sim_party *p, enum sim_behaviour b, int to, uint8_t *msg, size_t *len, size_t cap)
{
    struct additive_party *st = sim_party_state(p);
    int type = *len > 0 ? msg[0] : 0;

    (void)cap;
    if (st == NULL || type == AD_MSG_INPUT) {
        return SIM_ADV_SEND; /* input dealing is out of scope (SCENARIO.md) */
    }
    switch (b) {
    case SIM_CORRUPT_SHARES:
        if (type == AD_MSG_OPEN_MUL || type == AD_MSG_OPEN_OUT) {
            field_perturb(st->adv, msg, 1, *len);
        }
        return SIM_ADV_SEND;
    case SIM_EQUIVOCATE:
        if ((type == AD_MSG_OPEN_MUL || type == AD_MSG_OPEN_OUT) && (to & 1)) {
            field_perturb(st->adv, msg, 1, *len);
        }
        return SIM_ADV_SEND;
    case SIM_WRONG_MAC:
        if (!st->mac) {
            return SIM_ADV_SEND;
        }
        if (st->adv_delta == 0) {
            st->adv_delta = field_nonzero(st->adv);
        }
        if (type == AD_MSG_COMMIT && *len == 1 + ADDITIVE_COMMIT_BYTES) {
            AD_FN(additive_commit)(msg + 1, FE_add(st->my_sigma, st->adv_delta), st->my_nonce);
        } else if (type == AD_MSG_SIGMA && *len == 1 + FE_BYTES + ADDITIVE_NONCE_BYTES) {
            FE_encode(msg + 1, FE_add(st->my_sigma, st->adv_delta));
        }
        return SIM_ADV_SEND;
    case SIM_WITHHOLD:
        return SIM_ADV_DROP;
    case SIM_DELAY:
        return SIM_ADV_DELAY;
    case SIM_MALFORMED:
        switch (to % 3) {
        case 0:
            *len -= 1; /* truncated */
            break;
        case 1:
            memset(msg + *len - (*len > FE_BYTES ? FE_BYTES : *len - 1), 0xff,
                   *len > FE_BYTES ? FE_BYTES : *len - 1); /* a value >= p */
            break;
        default:
            fp_stream_bytes(st->adv, msg, *len); /* garbage */
            break;
        }
        return SIM_ADV_SEND;
    default:
        return SIM_ADV_SEND;
    }
}

/* see adapter_int.h */
const struct sim_protocol FE_SYM(additive_protocol) = {
    .name = "additive",
    .trial_setup = ad__trial_setup,
    .trial_teardown = ad__trial_teardown,
    .setup = ad__setup,
    .on_start = ad__on_start,
    .on_message = ad__on_message,
    .on_timer = ad__on_timer,
    .teardown = ad__teardown,
    .tamper = ad__tamper,
};

#undef AD_FN
#undef AD_TRIPLE
