/* SPDX-License-Identifier: MIT */
/*
 * protocols/shamir/adapter_impl.h - the Shamir engine protocol over the
 * field protocols/field/field_inst.h selected; compiled once per field
 * (adapter_m61.c, adapter_m127.c) into FE_SYM(shamir_protocol), which
 * adapter.c dispatches to (the trial and party state begin with the
 * field's kind).  See adapter.h for the protocol.
 *
 * A party is a state machine over three phases (input, multiplication,
 * output).  Messages of a later phase may arrive early and are stored;
 * messages of a phase the party has closed are ignored.  Input shares are
 * accumulated on arrival (the linear sums, the local squares for
 * variance, the two vectors for dot_product), so a party keeps O(L) per
 * input, O(n L) for the subshares and output shares of the others.
 *
 * A resharer's product share is over the inputs it received, so a
 * resharing message carries the sender's list of inputs left out (only
 * when not empty: the common message is unchanged) and a party combines
 * only the resharings over its own input set.  Mixing them (a datagram
 * lost in round 1 left an input out at some parties only) interpolated
 * sums over different sets: consistent shares of a wrong value, which no
 * decoder can detect (issue 15).
 *
 * Output shares carry the sender's view (the sorted lists of inputs left
 * out and of parties missing from its resharer set T): only shares of
 * the same view are interpolated together, so honest parties whose views
 * differ (a message lost to some of them) never mix sums over different
 * sets.  The trial-wide shamir context (powers of 1..n, inverse
 * tables) is built once by trial_setup and shared read-only.
 *
 * View agreement (issue 16): a crash in the middle of the input broadcast
 * leaves its input at some parties only, and no view may gather t + 1
 * output shares.  A linear computation whose output round ends with
 * several views agrees on one input set S* (sh__agree) and, when the
 * output round's shares do not already decode it, runs one more round of
 * shares over S*.  For that a linear computation keeps every input share
 * as received (insh, nin * L elements: as much again as outsh); a run
 * whose views agree never reaches this code.  A product cannot be moved
 * to another input set without resharing again, so a product run agrees
 * earlier: the resharings carry their sender's view, a resharing round
 * that heard several views agrees on S* with the same rule (2t + 1
 * holders needed instead of t + 1) and reshares once more over S*
 * (sh__mul_agree); variance keeps insh for it too (dot_product's two
 * inputs are in dotx).  A party that entered a round early (it had every
 * input) waits for the views of those that waited for a timeout (the
 * deadlines in sh__on_timer).
 */
#include <stdio.h>
#include <string.h>

#include "common/alloc.h"
#include "protocols/field/perturb_impl.h"
#include "protocols/round.h"
#include "protocols/shamir/adapter.h"
#include "protocols/shamir/shamir.h"

#if defined(FIELD_INST_M61)
#define SH_FN(x) x
#define SH_CTX shamir_ctx
#define FE_SQR fp_sqr
#define SH_OP_MUL SIM_OP_FIELD_MUL /* the cost of one product in this field */
#else
#define SH_FN(x) x##_m127
#define SH_CTX shamir_ctx_m127
#define FE_SQR f127_sqr
#define SH_OP_MUL SIM_OP_FIELD_MUL_M127
#endif

enum {
    SH_MSG_INPUT = 1,
    SH_MSG_RESHARE = 2,
    SH_MSG_OUTPUT = 3,
    SH_MSG_AGREE = 4,
    SH_MSG_MUL_AGREE = 5 /* a resharing over S* */
};
enum {
    SH_PH_INPUT = 1,
    SH_PH_MUL = 2,
    SH_PH_OUT = 3,
    SH_PH_DONE = 4,
    SH_PH_AGREE = 5,
    SH_PH_MUL_AGREE = 6 /* the resharing round over S* */
};

#define SH_STREAM_PROTOCOL 1
#define SH_STREAM_ADVERSARY 2
#define SH_STACK_ELEMS 32 /* scratch elements on the stack in handlers (else malloc) */
#define SH_HDR 9          /* type, u32 count of inputs left out, u32 count missing from T */

#define SH_DUAL_CACHE 8 /* point sets whose dual weights a trial keeps */

/* Dual-code weights of one point set (sorted party indices). */
struct sh_dual {
    size_t m;
    int *idx;
    FE *v;
};

struct shamir_trial {
    enum field_kind field; /* first: adapter.c dispatches on it */
    struct SH_CTX *sh;
    FE *wf; /* n: the public weights as field elements (1 unless weighted_sum) */
    /* Dual weights of the point sets robust reconstruction met: every
     * party of one view decodes from the same set, so they are computed
     * once per trial (a trial runs on one thread). */
    struct sh_dual dual[SH_DUAL_CACHE];
    size_t n_dual;
};

/* The shares of one view received so far. */
struct sh_group {
    uint32_t n_in, n_mul; /* ids: n_in inputs left out, then n_mul parties not in T */
    int *ids;
    size_t count;
    size_t need; /* robust: parties of this view (n minus the union of both lists) */
};

struct shamir_party {
    enum field_kind field; /* first: adapter.c dispatches on it */
    const struct shamir_params *prm;
    const struct SH_CTX *sh;
    struct shamir_trial *tr; /* the trial's dual-weight cache */
    int n, t, self, robust, mul, phase;
    size_t L, nin, Lm, R;
    enum computation_kind kind;
    enum sim_behaviour behaviour;
    int64_t t0;      /* when the party started */
    int out_waited;  /* the output round's deadline was moved to t0 + 2 timeouts */
    struct round rd; /* phase, its timer, abort */
    struct fp_stream *rng, *adv;
    FE *x;        /* own input, L */
    const FE *wf; /* weights as field elements, n (the trial's) */
    /* input phase */
    uint8_t *in_got;
    size_t in_cnt;
    FE *lin;  /* L: sum of w_i [x_i] */
    FE *insh; /* nin * L: each input share as received (linear kinds: the view agreement) */
    FE *sq;   /* L: sum of [x_i]^2 (degree 2t), variance */
    FE *dotx; /* 2L: [x_0], [x_1], dot_product */
    /* multiplication phase */
    FE *resh;             /* n * Lm subshares, row per sender */
    uint8_t *resh_got;    /* n: a resharing was heard from the sender */
    uint8_t *resh_ok;     /* n: ... and it is over the same inputs as ours (phase 2 on) */
    int **resh_view;      /* n: inputs the sender left out, heard in phase 1 (owned) */
    uint32_t *resh_nview; /* n: their counts */
    size_t resh_heard;    /* resharings heard, usable or not */
    size_t resh_cnt;      /* usable resharings (resh_ok) */
    size_t resh_need_got, resh_need;
    /* output phase */
    FE *mine;  /* R: own share of the raw output */
    int *excl; /* own view: n_ex_in inputs, then n_ex_mul resharers */
    uint32_t n_ex_in, n_ex_mul;
    FE *outsh;      /* n * R, row per sender */
    int *out_group; /* n: group of each sender's output share, -1 = none */
    int *arrival;   /* senders in arrival order (NULL when robust: it decodes all) */
    size_t n_arrival;
    struct sh_group *groups;
    size_t n_groups;
    /* view agreement: shares over S* that arrived before our own decision
     * (allocated on the first one) */
    FE *ag_sh;        /* n * R, row per sender */
    int **ag_ids;     /* n: the sender's S* as inputs left out (owned) */
    uint32_t *ag_nid; /* n: their counts */
    uint8_t *ag_got;  /* n */
    /* product view agreement: resharings over S* that arrived before our
     * own decision, kept as received (allocated on the first one) */
    uint8_t **ma_msg; /* n */
    size_t *ma_len;   /* n */
    int magree;       /* the resharing round over S* ran (or runs) */
    int holder;       /* ... and we held every input of S* (we reshared) */
    int mul_waited;   /* a resharing round's deadline was moved (sh__on_timer) */
};

/* ------------------------------------------------------------------ */

static size_t
sh__nin(const struct computation *c, int n)
{
    return c->kind == COMPUTATION_DOT_PRODUCT ? 2 : (size_t)n;
}

/* ------------------------------------------------------------------ */

static void
sh__trial_teardown(void *trial)
{
    struct shamir_trial *tr = trial;

    if (tr == NULL) {
        return;
    }
    for (size_t i = 0; i < tr->n_dual; i++) {
        mpcsim_free(tr->dual[i].idx);
        mpcsim_free(tr->dual[i].v);
    }
    mpcsim_free(tr->wf);
    SH_FN(shamir_ctx_destroy)(tr->sh);
    mpcsim_free(tr);
}

static int
sh__trial_setup(struct sim *sim, void **trial_out, const struct sim_protocol_cfg *cfg0,
                const uint8_t trial_key[32])
{
    const struct shamir_params *prm = cfg0->params;
    struct shamir_trial *tr = NULL;
    int rc;

    (void)sim;
    (void)trial_key;
    if (shamir_unsupported(prm, cfg0->n) != NULL) {
        return MPCSIM_EINVAL;
    }
    tr = mpcsim_calloc(1, sizeof(*tr));
    if (tr == NULL) {
        return MPCSIM_ENOMEM;
    }
    tr->field = FE_KIND;
    rc = SH_FN(shamir_ctx_create)(&tr->sh, cfg0->n, prm->threshold);
    tr->wf = rc == 0 ? mpcsim_malloc((size_t)cfg0->n * sizeof(FE)) : NULL;
    if (rc == 0 && tr->wf == NULL) {
        rc = MPCSIM_ENOMEM;
    }
    for (int i = 0; rc == 0 && i < cfg0->n; i++) {
        rc = FE_from_int128(&tr->wf[i],
                            prm->comp.kind == COMPUTATION_WEIGHTED_SUM ? prm->comp.weights[i] : 1);
    }
    if (rc != 0) {
        sh__trial_teardown(tr);
        return rc;
    }
    *trial_out = tr;
    return 0;
}

static void
sh__free(void *state)
{
    struct shamir_party *st = state;

    if (st == NULL) {
        return;
    }
    fp_stream_destroy(st->rng);
    fp_stream_destroy(st->adv);
    mpcsim_free(st->x);
    mpcsim_free(st->in_got);
    mpcsim_free(st->lin);
    mpcsim_free(st->insh);
    mpcsim_free(st->sq);
    mpcsim_free(st->dotx);
    mpcsim_free(st->resh);
    mpcsim_free(st->resh_got);
    mpcsim_free(st->resh_ok);
    if (st->resh_view != NULL) {
        for (int j = 0; j < st->n; j++) {
            mpcsim_free(st->resh_view[j]);
        }
    }
    mpcsim_free(st->resh_view);
    mpcsim_free(st->resh_nview);
    mpcsim_free(st->mine);
    mpcsim_free(st->excl);
    mpcsim_free(st->outsh);
    mpcsim_free(st->out_group);
    mpcsim_free(st->arrival);
    for (size_t g = 0; g < st->n_groups; g++) {
        mpcsim_free(st->groups[g].ids);
    }
    mpcsim_free(st->groups);
    if (st->ag_ids != NULL) {
        for (int j = 0; j < st->n; j++) {
            mpcsim_free(st->ag_ids[j]);
        }
    }
    mpcsim_free(st->ag_ids);
    mpcsim_free(st->ag_nid);
    mpcsim_free(st->ag_got);
    mpcsim_free(st->ag_sh);
    if (st->ma_msg != NULL) {
        for (int j = 0; j < st->n; j++) {
            mpcsim_free(st->ma_msg[j]);
        }
    }
    mpcsim_free(st->ma_msg);
    mpcsim_free(st->ma_len);
    mpcsim_free(st);
}

static int
sh__setup(struct sim_party *p, const struct sim_protocol_cfg *cfg)
{
    const struct shamir_params *prm = cfg->params;
    const struct shamir_trial *tr = cfg->trial;
    struct shamir_party *st = NULL;
    size_t n = (size_t)cfg->n;
    int rc = 0;

    if (tr == NULL || shamir_unsupported(prm, cfg->n) != NULL ||
        cfg->input_len != prm->comp.length) {
        return MPCSIM_EINVAL;
    }
    st = mpcsim_calloc(1, sizeof(*st));
    if (st == NULL) {
        return MPCSIM_ENOMEM;
    }
    st->field = FE_KIND;
    st->prm = prm;
    st->sh = tr->sh;
    st->tr = cfg->trial;
    st->n = cfg->n;
    st->t = prm->threshold;
    st->self = cfg->self;
    st->robust = prm->robust != 0;
    st->kind = prm->comp.kind;
    st->mul = computation_needs_mul(st->kind);
    st->L = prm->comp.length;
    st->nin = sh__nin(&prm->comp, cfg->n);
    st->Lm = st->kind == COMPUTATION_VARIANCE ? st->L : (st->mul ? 1 : 0);
    st->R = computation_raw_len(&prm->comp);
    st->behaviour = cfg->behaviour;
    round_init(&st->rd, &st->phase, SH_PH_INPUT, SH_PH_DONE, cfg->round_timeout_ns);
    rc = fp_stream_create(&st->rng, cfg->key, SH_STREAM_PROTOCOL);
    if (rc == 0) {
        rc = fp_stream_create(&st->adv, cfg->key, SH_STREAM_ADVERSARY);
    }
    if (rc != 0) {
        goto out;
    }
    st->x = mpcsim_calloc(st->L, sizeof(FE));
    st->wf = tr->wf;
    st->in_got = mpcsim_calloc(n, 1);
    st->lin = mpcsim_calloc(st->L, sizeof(FE));
    st->sq = mpcsim_calloc(st->L, sizeof(FE));
    st->dotx = mpcsim_calloc(2 * st->L, sizeof(FE));
    st->mine = mpcsim_calloc(st->R, sizeof(FE));
    st->excl = mpcsim_calloc(2 * n, sizeof(int));
    st->outsh = mpcsim_calloc(n * st->R, sizeof(FE));
    st->out_group = mpcsim_malloc(n * sizeof(int));
    /* Robust reconstruction decodes every share it has, in sender order:
     * only the count of arrivals matters (4 bytes per sender saved). */
    st->arrival = st->robust ? NULL : mpcsim_calloc(n, sizeof(int));
    if (st->x == NULL || st->in_got == NULL || st->lin == NULL || st->sq == NULL ||
        st->dotx == NULL || st->mine == NULL || st->excl == NULL || st->outsh == NULL ||
        st->out_group == NULL || (!st->robust && st->arrival == NULL)) {
        rc = MPCSIM_ENOMEM;
        goto out;
    }
    if (st->mul) {
        st->resh = mpcsim_calloc(n * st->Lm, sizeof(FE));
        st->resh_got = mpcsim_calloc(n, 1);
        st->resh_ok = mpcsim_calloc(n, 1);
        st->resh_view = mpcsim_calloc(n, sizeof(int *));
        st->resh_nview = mpcsim_calloc(n, sizeof(uint32_t));
        if (st->resh == NULL || st->resh_got == NULL || st->resh_ok == NULL ||
            st->resh_view == NULL || st->resh_nview == NULL) {
            rc = MPCSIM_ENOMEM;
            goto out;
        }
    }
    /* dot_product keeps its two input shares in dotx already. */
    if (st->kind != COMPUTATION_DOT_PRODUCT) {
        st->insh = mpcsim_malloc(st->nin * st->L * sizeof(FE));
        if (st->insh == NULL) {
            rc = MPCSIM_ENOMEM;
            goto out;
        }
    }
    for (size_t i = 0; i < n; i++) {
        st->out_group[i] = -1;
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
    sh__free(st);
    return rc;
}

static void
sh__teardown(struct sim_party *p)
{
    round_teardown(p, sh__free);
}

/* ------------------------------------------------------------------ */

static void
sh__abort(struct sim_party *p, struct shamir_party *st, const char *reason)
{
    round_abort(&st->rd, p, "%s", reason);
}

static int
sh__enter(struct sim_party *p, struct shamir_party *st, int phase)
{
    return round_enter(&st->rd, p, phase);
}

/*
 * Share v[0..len) with degree t and send row j to party j (type); own row
 * to own_row.  A non-empty view (nview sorted input indices) goes between
 * the type and the values as a u32 count and u32 ids.
 */
static int
sh__deal(struct sim_party *p, struct shamir_party *st, uint8_t type, const FE *v, size_t len,
         FE *own_row, const int *view, uint32_t nview)
{
    size_t n = (size_t)st->n;
    size_t off = nview == 0 ? 1 : 5 + 4 * (size_t)nview;
    FE *rows = mpcsim_malloc(n * len * sizeof(*rows));
    FE *scratch = mpcsim_malloc(n * sizeof(*scratch));
    uint8_t *msg = mpcsim_malloc(off + FE_BYTES * len);
    int rc = 0;

    if (rows == NULL || scratch == NULL || msg == NULL) {
        rc = MPCSIM_ENOMEM;
        goto out;
    }
    SH_FN(shamir_share_vec)(st->sh, rows, scratch, v, len, st->rng);
    sim_charge(p, SIM_OP_FIELD_SAMPLE, (double)((size_t)st->t * len));
    sim_charge(p, SH_OP_MUL, (double)(n * (size_t)st->t * len));
    msg[0] = type;
    for (int b = 0; nview > 0 && b < 4; b++) {
        msg[1 + b] = (uint8_t)(nview >> (8 * b));
    }
    for (size_t e = 0; e < nview; e++) {
        for (int b = 0; b < 4; b++) {
            msg[5 + 4 * e + (size_t)b] = (uint8_t)((uint32_t)view[e] >> (8 * b));
        }
    }
    for (size_t j = 0; j < n && rc == 0; j++) {
        if (j == (size_t)st->self) {
            memcpy(own_row, rows + j * len, len * sizeof(*rows));
            continue;
        }
        FE_vec_encode(msg + off, rows + j * len, len);
        /* Round 1 deals inputs, round 2 reshares products, round 3 over S*. */
        rc = sim_send(p, (int)j,
                      type == SH_MSG_INPUT     ? 1
                      : type == SH_MSG_RESHARE ? 2
                                               : 3,
                      msg, off + FE_BYTES * len);
    }
out:
    mpcsim_free(rows);
    mpcsim_free(scratch);
    mpcsim_free(msg);
    return rc;
}

/* Take party i's input share v[0..L) (phase 1 only). */
static void
sh__take_input(struct sim_party *p, struct shamir_party *st, size_t i, const FE *v)
{
    size_t L = st->L;

    for (size_t k = 0; k < L; k++) {
        switch (st->kind) {
        case COMPUTATION_DOT_PRODUCT:
            st->dotx[i * L + k] = v[k];
            break;
        case COMPUTATION_VARIANCE:
            st->sq[k] = FE_add(st->sq[k], FE_SQR(v[k]));
            st->lin[k] = FE_add(st->lin[k], v[k]);
            break;
        default:
            st->lin[k] = FE_add(st->lin[k], FE_mul(st->wf[i], v[k]));
            break;
        }
    }
    if (st->insh != NULL) {
        memcpy(st->insh + i * L, v, L * sizeof(*v));
    }
    sim_charge(p, SH_OP_MUL, (double)L);
    sim_charge(p, SIM_OP_FIELD_ADD, (double)L);
    st->in_got[i] = 1;
    st->in_cnt++;
}

/* Find or add the group of a view; its index, or -1 (out of memory). */
static int
sh__group(struct shamir_party *st, uint32_t n_in, uint32_t n_mul, const int *ids)
{
    size_t nid = (size_t)n_in + n_mul;
    struct sh_group *g;
    struct sh_group *grown;

    for (size_t i = 0; i < st->n_groups; i++) {
        g = &st->groups[i];
        if (g->n_in == n_in && g->n_mul == n_mul &&
            (nid == 0 || memcmp(g->ids, ids, nid * sizeof(int)) == 0)) {
            return (int)i;
        }
    }
    grown = mpcsim_reallocarray(st->groups, st->n_groups + 1, sizeof(*grown));
    if (grown == NULL) {
        return -1;
    }
    st->groups = grown;
    g = &st->groups[st->n_groups];
    memset(g, 0, sizeof(*g));
    g->n_in = n_in;
    g->n_mul = n_mul;
    if (nid > 0) {
        g->ids = mpcsim_malloc(nid * sizeof(int));
        if (g->ids == NULL) {
            return -1;
        }
        memcpy(g->ids, ids, nid * sizeof(int));
    }
    /* need = n - |ins U muls|, both sorted. */
    {
        size_t a = 0, b = 0, uni = 0;

        while (a < n_in || b < n_mul) {
            if (b == n_mul || (a < n_in && ids[a] < ids[n_in + b])) {
                a++;
            } else if (a == n_in || ids[n_in + b] < ids[a]) {
                b++;
            } else {
                a++;
                b++;
            }
            uni++;
        }
        g->need = (size_t)st->n - uni;
    }
    return (int)st->n_groups++;
}

static void
sh__output(struct sim_party *p, struct shamir_party *st, const struct sh_group *g,
           const FE *secrets)
{
    mpcsim_i128 *vals = mpcsim_malloc(st->R * sizeof(*vals));
    uint8_t *inc = mpcsim_calloc((size_t)st->n, 1);

    st->phase = SH_PH_DONE;
    if (vals == NULL || inc == NULL) {
        sim_abort(p, "shamir: out of memory");
        goto out;
    }
    for (size_t k = 0; k < st->R; k++) {
        vals[k] = FE_to_int128(secrets[k]);
    }
    for (size_t i = 0; i < st->nin; i++) {
        inc[i] = 1;
    }
    for (uint32_t e = 0; e < g->n_in; e++) {
        inc[g->ids[e]] = 0;
    }
    if (sim_output(p, vals, st->R, inc) != 0) {
        sim_abort(p, "shamir: out of memory");
    }
out:
    mpcsim_free(vals);
    mpcsim_free(inc);
}

/*
 * The dual weights of the sorted point set idx[0..m): from the trial's
 * cache, or computed into v (m elements) and cached while there is room.
 * Returns a pointer to them, or NULL (out of memory).
 */
static const FE *
sh__dual(struct shamir_party *st, FE *v, const int *idx, size_t m)
{
    struct shamir_trial *tr = st->tr;
    struct sh_dual *e;

    for (size_t i = 0; i < tr->n_dual; i++) {
        e = &tr->dual[i];
        if (e->m == m && memcmp(e->idx, idx, m * sizeof(*idx)) == 0) {
            return e->v;
        }
    }
    if (SH_FN(shamir_dual_weights)(st->sh, v, idx, m) != 0) {
        return NULL;
    }
    if (tr->n_dual < SH_DUAL_CACHE) {
        e = &tr->dual[tr->n_dual];
        e->idx = mpcsim_malloc(m * sizeof(*idx));
        e->v = mpcsim_malloc(m * sizeof(*v));
        if (e->idx == NULL || e->v == NULL) {
            mpcsim_free(e->idx);
            mpcsim_free(e->v);
            return v; /* not cached: still correct */
        }
        memcpy(e->idx, idx, m * sizeof(*idx));
        memcpy(e->v, v, m * sizeof(*v));
        e->m = m;
        tr->n_dual++;
    }
    return v;
}

/*
 * Robust decoding of columns [c0, c0 + cl) of the m rows (row pitch R):
 * secrets[0..cl), the positions of the wrong rows flagged in flag[0..m).
 * tmp holds m * cl elements, bad m positions.  *ndec counts the elements
 * that needed the decoder.  Returns shamir_reconstruct_robust's code.
 */
static int
sh__decode_cols(struct shamir_party *st, FE *secrets, uint8_t *flag, size_t *ndec, FE *tmp,
                size_t *bad, const FE *rows, const int *idx, const FE *dual, size_t m, size_t c0,
                size_t cl)
{
    size_t R = st->R;
    size_t nbad = 0, dec = 0;
    int rc;

    for (size_t i = 0; i < m; i++) {
        memcpy(tmp + i * cl, rows + i * R + c0, cl * sizeof(*tmp));
    }
    rc = SH_FN(shamir_reconstruct_robust_dual)(st->sh, secrets, bad, &nbad, &dec, tmp, idx, dual, m,
                                               cl, st->rng);
    *ndec += dec;
    if (rc == 0) {
        for (size_t b = 0; b < nbad; b++) {
            flag[bad[b]] = 1;
        }
    }
    return rc;
}

/*
 * Reconstruct from group gi's shares (all of them, in arrival order).
 *
 * Robust mode names a sender only on proof that it sent wrong data.  The
 * linear part of an output share (the sum of the input shares, which
 * honest dealers sent correctly: input dealing is out of scope) is the
 * sender's own work, so a wrong linear share proves its sender faulty.
 * The product part is a combination of the subshares others reshared to
 * the sender: a wrong product share may come from a cheating resharer, so
 * it proves nothing against its sender (issue 15: an equivocating resharer
 * got honest receivers of its bad subshares accused).  A product part
 * with errors outside the proven senders therefore aborts, naming only
 * the proven ones.
 */
static void
sh__finish(struct sim_party *p, struct shamir_party *st, size_t gi)
{
    const struct sh_group *g = &st->groups[gi];
    size_t R = st->R;
    size_t m = 0;
    size_t q = (size_t)st->t + 1;
    size_t ndec = 0;
    /* Output elements [0, Rl) are linear in the inputs, [Rl, R) products. */
    size_t Rl = !st->mul ? R : (st->kind == COMPUTATION_VARIANCE ? st->L : 0);
    int *idx = mpcsim_malloc(g->count * sizeof(int));
    FE *rows = mpcsim_malloc(g->count * R * sizeof(FE));
    FE *tmp = mpcsim_malloc(g->count * R * sizeof(FE));
    FE *secrets = mpcsim_malloc(R * sizeof(FE));
    size_t *bad = mpcsim_malloc(g->count * sizeof(size_t));
    uint8_t *proven = mpcsim_calloc(g->count, 1);
    uint8_t *flag_mul = mpcsim_calloc(g->count, 1);
    FE *vbuf = mpcsim_malloc(g->count * sizeof(FE));
    const FE *dual = NULL;
    int unproven = 0;
    int rc = 0;

    if (idx == NULL || rows == NULL || tmp == NULL || secrets == NULL || bad == NULL ||
        proven == NULL || flag_mul == NULL || vbuf == NULL) {
        sh__abort(p, st, "shamir: out of memory");
        goto out;
    }
    /* fast: the first shares to arrive; robust uses them all, in party
     * order, so that every party of a view decodes on one point set. */
    for (size_t a = 0; m < g->count && a < (st->robust ? (size_t)st->n : st->n_arrival); a++) {
        int s = st->robust ? (int)a : st->arrival[a];

        if (st->out_group[s] == (int)gi) {
            idx[m] = s;
            memcpy(rows + m * R, st->outsh + (size_t)s * R, R * sizeof(FE));
            m++;
        }
    }
    /* The fewest shares an honest party decoded from: the README's bound
     * on cheaters is stated in it (a lost share costs redundancy like a
     * crashed party's). */
    if (st->behaviour == SIM_HONEST &&
        sim_stat_min_u64(sim_party_sim(p), "min_output_shares", m) != 0) {
        sh__abort(p, st, "shamir: out of memory");
        goto out;
    }
    if (st->robust && m >= q && (dual = sh__dual(st, vbuf, idx, m)) == NULL) {
        sh__abort(p, st, "shamir: out of memory");
        goto out;
    }
    if (!st->robust) {
        rc = SH_FN(shamir_reconstruct)(st->sh, secrets, rows, idx, m, R);
        sim_charge(p, SIM_OP_FIELD_INV, 1); /* the weights' batch inversion */
        sim_charge(p, SIM_OP_LAGRANGE_TERM, (double)(q * R));
        sim_charge(p, SH_OP_MUL, (double)(q * q));
    } else {
        if (Rl > 0) {
            rc = sh__decode_cols(st, secrets, proven, &ndec, tmp, bad, rows, idx, dual, m, 0, Rl);
        }
        if (rc == 0 && Rl < R) {
            rc = sh__decode_cols(st, secrets + Rl, flag_mul, &ndec, tmp, bad, rows, idx, dual, m,
                                 Rl, R - Rl);
            for (size_t i = 0; rc == 0 && i < m; i++) {
                unproven |= flag_mul[i] && !proven[i];
            }
        }
        sim_charge(p, SIM_OP_FIELD_INV, 1); /* the weights' batch inversion */
        sim_charge(p, SIM_OP_LAGRANGE_TERM, (double)(m * R));
        sim_charge(p, SH_OP_MUL, (double)(m * 16 + m * ((size_t)st->n - m)));
        sim_charge(p, SIM_OP_RS_DECODE_N2, (double)ndec * (double)m * (double)m);
        for (size_t i = 0; i < m; i++) {
            if (proven[i]) {
                sim_accuse(p, idx[i]);
            }
        }
    }
    if (rc == MPCSIM_EDECODE) {
        char reason[128];

        snprintf(reason, sizeof(reason),
                 "shamir: %zu output shares are inconsistent beyond the %zu errors they can "
                 "correct",
                 m, SH_FN(shamir_max_errors)(st->sh, m));
        sh__abort(p, st, reason);
        goto out;
    }
    if (rc != 0) {
        sh__abort(p, st,
                  rc == MPCSIM_ENOQUORUM ? "shamir: too few output shares"
                                         : "shamir: out of memory");
        goto out;
    }
    if (unproven) {
        sh__abort(p, st,
                  "shamir: product shares are inconsistent and their senders' linear shares "
                  "are not: a resharing was corrupted, the cheater cannot be proven");
        goto out;
    }
    sh__output(p, st, g, secrets);
out:
    mpcsim_free(idx);
    mpcsim_free(rows);
    mpcsim_free(tmp);
    mpcsim_free(secrets);
    mpcsim_free(bad);
    mpcsim_free(proven);
    mpcsim_free(flag_mul);
    mpcsim_free(vbuf);
}

/* Finish with group gi if it has enough shares (phase 3 only). */
static void
sh__try_finish(struct sim_party *p, struct shamir_party *st, size_t gi)
{
    const struct sh_group *g = &st->groups[gi];
    size_t q = (size_t)st->t + 1;

    if (st->phase != SH_PH_OUT && st->phase != SH_PH_AGREE) {
        return;
    }
    if (st->robust ? g->count >= (g->need > q ? g->need : q) : g->count >= q) {
        sh__finish(p, st, gi);
    }
}

/* Store sender s's output share of the given view. */
static int
sh__take_output(struct sim_party *p, struct shamir_party *st, int s, uint32_t n_in, uint32_t n_mul,
                const int *ids, const FE *v)
{
    int gi;

    if (st->out_group[s] >= 0) {
        return 0;
    }
    gi = sh__group(st, n_in, n_mul, ids);
    if (gi < 0) {
        return MPCSIM_ENOMEM;
    }
    memcpy(st->outsh + (size_t)s * st->R, v, st->R * sizeof(*v));
    st->out_group[s] = gi;
    if (st->arrival != NULL) {
        st->arrival[st->n_arrival] = s;
    }
    st->n_arrival++;
    st->groups[gi].count++;
    sh__try_finish(p, st, (size_t)gi);
    return 0;
}

/*
 * Broadcast in `round` a message [type][u32 n_in][u32 n_mul][n_in + n_mul
 * u32 ids][R values]: an output share with its view, or a share over S*.
 */
static int
sh__broadcast_view(struct sim_party *p, struct shamir_party *st, uint8_t type, int round,
                   uint32_t n_in, uint32_t n_mul, const int *ids, const FE *v)
{
    size_t nid = (size_t)n_in + n_mul;
    size_t len = SH_HDR + 4 * nid + FE_BYTES * st->R;
    uint8_t *msg = mpcsim_malloc(len);
    int rc;

    if (msg == NULL) {
        return MPCSIM_ENOMEM;
    }
    msg[0] = type;
    for (int b = 0; b < 4; b++) {
        msg[1 + b] = (uint8_t)(n_in >> (8 * b));
        msg[5 + b] = (uint8_t)(n_mul >> (8 * b));
    }
    for (size_t e = 0; e < nid; e++) {
        for (int b = 0; b < 4; b++) {
            msg[SH_HDR + 4 * e + (size_t)b] = (uint8_t)((uint32_t)ids[e] >> (8 * b));
        }
    }
    FE_vec_encode(msg + SH_HDR + 4 * nid, v, st->R);
    rc = sim_broadcast(p, round, msg, len);
    mpcsim_free(msg);
    return rc;
}

/* Phase 3: broadcast own output share with own view, then wait. */
static int
sh__send_output(struct sim_party *p, struct shamir_party *st)
{
    /* The last round of a run whose views agree (one later after a
     * resharing over S*, which a party lacking an input of S* only hears). */
    int send = !st->magree || st->holder;
    int rc = !send ? 0
                   : sh__broadcast_view(p, st, SH_MSG_OUTPUT, st->mul ? 3 + st->magree : 2,
                                        st->n_ex_in, st->n_ex_mul, st->excl, st->mine);

    if (rc == 0) {
        rc = sh__enter(p, st, SH_PH_OUT);
    }
    if (rc == 0 && send) {
        rc = sh__take_output(p, st, st->self, st->n_ex_in, st->n_ex_mul, st->excl, st->mine);
    }
    for (size_t g = 0; rc == 0 && g < st->n_groups && st->phase == SH_PH_OUT; g++) {
        sh__try_finish(p, st, g);
    }
    return rc;
}

/* Whether the sorted list a[0..na) is a subset of the sorted list b[0..nb). */
static int
sh__subset(const int *a, size_t na, const int *b, size_t nb)
{
    size_t j = 0;

    for (size_t i = 0; i < na; i++) {
        while (j < nb && b[j] < a[i]) {
            j++;
        }
        if (j == nb || b[j] != a[i]) {
            return 0;
        }
        j++;
    }
    return 1;
}

/*
 * The agreement rule (both paths): S* leaves input j out iff at least
 * t + 1 of the w views received lack it (lack[j]) or fewer than `need`
 * hold it - need is the parties a computation over j needs: t + 1 output
 * shares for a sum, 2t + 1 resharers for a product's degree reduction.
 * Writes the inputs left out, sorted, to ex (nin) and returns their count.
 */
static uint32_t
sh__agreed_set(const struct shamir_party *st, const size_t *lack, size_t w, size_t need, int *ex)
{
    uint32_t nex = 0;

    for (size_t j = 0; j < st->nin; j++) {
        if (lack[j] >= (size_t)st->t + 1 || w - lack[j] < need) {
            ex[nex++] = (int)j;
        }
    }
    return nex;
}

/* Keep sender s's share over its S* (ids: the inputs it leaves out) until
 * our own decision.  0 or MPCSIM_ENOMEM. */
static int
sh__keep_agree(struct shamir_party *st, int s, uint32_t nid, const int *ids, const FE *v)
{
    size_t n = (size_t)st->n;

    if (st->ag_got == NULL) {
        uint8_t *got = mpcsim_calloc(n, 1);
        uint32_t *nids = mpcsim_calloc(n, sizeof(*nids));
        int **idv = mpcsim_calloc(n, sizeof(*idv));
        FE *sh = mpcsim_malloc(n * st->R * sizeof(*sh));

        if (got == NULL || nids == NULL || idv == NULL || sh == NULL) {
            mpcsim_free(got);
            mpcsim_free(nids);
            mpcsim_free(idv);
            mpcsim_free(sh);
            return MPCSIM_ENOMEM;
        }
        st->ag_got = got;
        st->ag_nid = nids;
        st->ag_ids = idv;
        st->ag_sh = sh;
    }
    if (st->ag_got[s]) {
        return 0;
    }
    if (nid > 0) {
        st->ag_ids[s] = mpcsim_malloc(nid * sizeof(int));
        if (st->ag_ids[s] == NULL) {
            return MPCSIM_ENOMEM;
        }
        memcpy(st->ag_ids[s], ids, nid * sizeof(int));
    }
    st->ag_nid[s] = nid;
    memcpy(st->ag_sh + (size_t)s * st->R, v, st->R * sizeof(*v));
    st->ag_got[s] = 1;
    return 0;
}

/*
 * The output round of a linear computation ended (round timeout) with
 * different views: decide on the views received (own included), the same
 * way at every party that received the same views.
 *
 * S* leaves input j out iff x_j >= t + 1 views lack it or fewer than t + 1
 * hold it (w - x_j <= t, w the views received).  With c <= t corrupted
 * views (which may differ per receiver): x_j >= t + 1 proves that an
 * honest party lacks j, so j's dealer crashed in its broadcast (an honest
 * dealer that completes it reaches every honest party on a reliable
 * transport); w - x_j <= t means fewer than t + 1 parties could
 * contribute to a sum over j, which could then never be reconstructed -
 * an honest dealer's input is left out this way only when fewer than
 * t + 1 honest parties' views arrived, and then the corrupted ones could
 * block any output anyway.  Every other input is in S*.
 *
 * If the group whose view is S* is complete (its members may have output
 * already) or no view strictly contains S* (an agreement round would
 * bring the same shares again), it is decoded now.  Else, when at least
 * t + 1 views hold S*, one more round: each holder broadcasts its share
 * over S* (its linear share minus its shares of the inputs outside S*),
 * tagged with S*; a party lacking an input of S* abstains (an erasure,
 * never an accusation).  Shares over different S* are never mixed, so
 * parties that computed different S* (equivocated views, a view that
 * arrived late) at worst abort.  Each party sends at most one share over
 * a set other than its view.
 */
static int
sh__agree(struct sim_party *p, struct shamir_party *st)
{
    size_t nin = st->nin, L = st->L, R = st->R;
    size_t q = (size_t)st->t + 1, w = st->n_arrival;
    size_t *lack = mpcsim_calloc(nin, sizeof(*lack));
    int *ex = mpcsim_malloc(nin * sizeof(*ex));
    FE *share = mpcsim_malloc(R * sizeof(*share));
    uint32_t nex = 0;
    size_t holders = 0;
    int gstar = -1, gi, holder, rc = 0;

    if (lack == NULL || ex == NULL || share == NULL) {
        rc = MPCSIM_ENOMEM;
        goto out;
    }
    for (size_t g = 0; g < st->n_groups; g++) {
        for (uint32_t e = 0; e < st->groups[g].n_in; e++) {
            lack[st->groups[g].ids[e]] += st->groups[g].count;
        }
    }
    nex = sh__agreed_set(st, lack, w, q, ex);
    /* Views over products are not views of a linear computation: no holders. */
    for (size_t g = 0; g < st->n_groups; g++) {
        const struct sh_group *gr = &st->groups[g];

        if (gr->n_mul == 0 && sh__subset(gr->ids, gr->n_in, ex, nex)) {
            holders += gr->count;
            if (gr->n_in == nex) {
                gstar = (int)g;
            }
        }
    }
    if (gstar >= 0 && st->groups[gstar].count >= q &&
        (st->groups[gstar].count >= st->groups[gstar].need || st->groups[gstar].count >= holders)) {
        sh__finish(p, st, (size_t)gstar);
        goto out;
    }
    if (holders < q) {
        sh__abort(p, st,
                  "shamir: the output views differ and fewer than t+1 parties hold the inputs "
                  "they agree on");
        goto out;
    }
    /* Own share over S*: subtract the inputs held outside it. */
    holder = st->n_ex_mul == 0 && sh__subset(st->excl, st->n_ex_in, ex, nex);
    if (holder) {
        size_t sub = 0;

        memcpy(share, st->mine, R * sizeof(*share));
        for (uint32_t e = 0; e < nex; e++) {
            size_t j = (size_t)ex[e];

            if (!st->in_got[j]) {
                continue;
            }
            for (size_t k = 0; k < L; k++) {
                share[k] = FE_sub(share[k], FE_mul(st->wf[j], st->insh[j * L + k]));
            }
            sub++;
        }
        sim_charge(p, SH_OP_MUL, (double)(sub * L));
        sim_charge(p, SIM_OP_FIELD_ADD, (double)(sub * L));
    }
    /* The output round is over: its shares make way for those over S*. */
    for (size_t g = 0; g < st->n_groups; g++) {
        mpcsim_free(st->groups[g].ids);
    }
    st->n_groups = 0;
    for (int s = 0; s < st->n; s++) {
        st->out_group[s] = -1;
    }
    st->n_arrival = 0;
    gi = sh__group(st, nex, 0, ex);
    if (gi < 0) {
        rc = MPCSIM_ENOMEM;
        goto out;
    }
    st->groups[gi].need = holders; /* robust: wait for every holder */
    rc = sh__enter(p, st, SH_PH_AGREE);
    if (rc == 0 && holder) {
        rc = sh__broadcast_view(p, st, SH_MSG_AGREE, (st->mul ? 3 : 2) + 1, nex, 0, ex, share);
    }
    if (rc == 0 && holder) {
        rc = sh__take_output(p, st, st->self, nex, 0, ex, share);
    }
    for (int s = 0; rc == 0 && st->ag_got != NULL && s < st->n && st->phase == SH_PH_AGREE; s++) {
        if (st->ag_got[s]) {
            rc = sh__take_output(p, st, s, st->ag_nid[s], 0, st->ag_ids[s],
                                 st->ag_sh + (size_t)s * R);
        }
    }
out:
    mpcsim_free(lack);
    mpcsim_free(ex);
    mpcsim_free(share);
    return rc;
}

/* Whether the sorted input list ids[0..k) is the one we left out (phase 2 on). */
static uint8_t
sh__same_inputs(const struct shamir_party *st, const int *ids, uint32_t k)
{
    return k == st->n_ex_in && (k == 0 || memcmp(ids, st->excl, k * sizeof(int)) == 0);
}

/* Own product share: the L local squares (variance) or the dot product. */
static const FE *
sh__product(struct sim_party *p, struct shamir_party *st, FE *h)
{
    if (st->kind != COMPUTATION_DOT_PRODUCT) {
        return st->sq;
    }
#if defined(FIELD_INST_M61)
    {
        mpcsim_u128 acc = 0;

        for (size_t k = 0; k < st->L; k++) {
            acc += (mpcsim_u128)st->dotx[k] * st->dotx[st->L + k];
            if ((k & 31) == 31) {
                acc = fp_reduce128(acc);
            }
        }
        h[0] = fp_reduce128(acc);
    }
#else
    h[0] = FE_vec_dot(st->dotx, st->dotx + st->L, st->L);
#endif
    sim_charge(p, SH_OP_MUL, (double)st->L);
    return h;
}

/* Reshare own product share hv (type), tagged with our input view. */
static int
sh__reshare(struct sim_party *p, struct shamir_party *st, uint8_t type, const FE *hv)
{
    int rc = sh__deal(p, st, type, hv, st->Lm, st->resh + (size_t)st->self * st->Lm, st->excl,
                      st->n_ex_in);

    if (rc != 0) {
        return rc;
    }
    st->resh_got[st->self] = 1;
    st->resh_ok[st->self] = 1;
    st->resh_heard++;
    st->resh_cnt++;
    st->resh_need_got++;
    return 0;
}

/* End of phase 1: fix the inputs left out, then reshare or output. */
static int
sh__end_input(struct sim_party *p, struct shamir_party *st)
{
    size_t L = st->L;
    FE h[1];
    int rc;

    st->n_ex_in = 0;
    for (size_t i = 0; i < st->nin; i++) {
        if (!st->in_got[i]) {
            st->excl[st->n_ex_in++] = (int)i;
        }
    }
    if (st->kind == COMPUTATION_DOT_PRODUCT && st->n_ex_in > 0) {
        sh__abort(p, st, "shamir: dot_product needs the inputs of parties 0 and 1");
        return 0;
    }
    if (!st->mul) {
        memcpy(st->mine, st->lin, L * sizeof(FE));
        return sh__send_output(p, st);
    }
    /* Expected resharers: everyone whose input was not left out. */
    st->resh_need = (size_t)st->n - st->n_ex_in;
    st->resh_need_got = 0;
    st->resh_cnt = 0;
    for (size_t j = 0; j < (size_t)st->n; j++) {
        if (!st->resh_got[j]) {
            continue;
        }
        if (j >= st->nin || st->in_got[j]) {
            st->resh_need_got++;
        }
        /* Resharings heard early are usable only over our inputs; their
         * views are kept for the agreement (sh__mul_agree). */
        st->resh_ok[j] = sh__same_inputs(st, st->resh_view[j], st->resh_nview[j]);
        st->resh_cnt += st->resh_ok[j];
    }
    rc = sh__reshare(p, st, SH_MSG_RESHARE, sh__product(p, st, h));
    if (rc != 0) {
        return rc;
    }
    return sh__enter(p, st, SH_PH_MUL);
}

/* Keep a resharing over S* that arrived before our decision (msg as
 * received).  0 or MPCSIM_ENOMEM. */
static int
sh__keep_mul_agree(struct shamir_party *st, size_t uf, const uint8_t *msg, size_t len)
{
    if (st->ma_msg == NULL) {
        uint8_t **m = mpcsim_calloc((size_t)st->n, sizeof(*m));
        size_t *l = mpcsim_calloc((size_t)st->n, sizeof(*l));

        if (m == NULL || l == NULL) {
            mpcsim_free(m);
            mpcsim_free(l);
            return MPCSIM_ENOMEM;
        }
        st->ma_msg = m;
        st->ma_len = l;
    }
    if (st->ma_msg[uf] != NULL) {
        return 0;
    }
    st->ma_msg[uf] = mpcsim_malloc(len);
    if (st->ma_msg[uf] == NULL) {
        return MPCSIM_ENOMEM;
    }
    memcpy(st->ma_msg[uf], msg, len);
    st->ma_len[uf] = len;
    return 0;
}

static int sh__take_reshare(struct shamir_party *st, size_t uf, const uint8_t *msg, size_t len);

/*
 * The resharing round ended with resharings over other input sets than
 * ours (a crash in the middle of the input broadcast): agree on S* from
 * the views of the resharings heard (own included) with the rule of the
 * linear path (sh__agreed_set), with need = 2t + 1, and run one more
 * resharing round over S*.  A party holding every input of S* (its view
 * a subset of S*'s left-out list) subtracts its shares of the inputs it
 * holds outside S* from its linear sum and its squares (insh), and
 * reshares its product over S*, tagged with S*; a party lacking an input
 * of S* abstains from it and from the output round (it still decodes the
 * others' output shares).  Fewer than 2t + 1 holders abort (an erasure,
 * never an accusation); receivers use only resharings tagged with their
 * own S*, so parties that computed different S* at worst abort.
 */
static int
sh__mul_agree(struct sim_party *p, struct shamir_party *st)
{
    size_t n = (size_t)st->n, nin = st->nin, L = st->L;
    size_t need = 2 * (size_t)st->t + 1;
    size_t *lack = mpcsim_calloc(nin, sizeof(*lack));
    int *ex = mpcsim_malloc(nin * sizeof(*ex));
    size_t holders = 0;
    uint32_t nex;
    FE h[1];
    int rc = 0;

    if (lack == NULL || ex == NULL) {
        rc = MPCSIM_ENOMEM;
        goto out;
    }
    for (size_t j = 0; j < n; j++) {
        const int *v = j == (size_t)st->self ? st->excl : st->resh_view[j];
        uint32_t k = j == (size_t)st->self ? st->n_ex_in : st->resh_nview[j];

        for (uint32_t e = 0; st->resh_got[j] && e < k; e++) {
            lack[v[e]]++;
        }
    }
    nex = sh__agreed_set(st, lack, st->resh_heard, need, ex);
    for (size_t j = 0; j < n; j++) {
        const int *v = j == (size_t)st->self ? st->excl : st->resh_view[j];
        uint32_t k = j == (size_t)st->self ? st->n_ex_in : st->resh_nview[j];

        holders += st->resh_got[j] && sh__subset(v, k, ex, nex);
    }
    if (holders < need || (st->kind == COMPUTATION_DOT_PRODUCT && nex > 0)) {
        sh__abort(p, st,
                  "shamir: the resharings' input views differ and fewer than 2t+1 parties hold "
                  "the inputs they agree on");
        goto out;
    }
    st->holder = sh__subset(st->excl, st->n_ex_in, ex, nex);
    if (st->holder) {
        size_t sub = 0;

        for (uint32_t e = 0; st->insh != NULL && e < nex; e++) {
            const FE *xj = st->insh + (size_t)ex[e] * L;

            if (!st->in_got[ex[e]]) {
                continue;
            }
            for (size_t k = 0; k < L; k++) {
                st->lin[k] = FE_sub(st->lin[k], xj[k]);
                st->sq[k] = FE_sub(st->sq[k], FE_SQR(xj[k]));
            }
            sub++;
        }
        sim_charge(p, SH_OP_MUL, (double)(sub * L));
        sim_charge(p, SIM_OP_FIELD_ADD, (double)(2 * sub * L));
    }
    /* The first resharing round is over: its subshares make way. */
    memcpy(st->excl, ex, nex * sizeof(*ex));
    st->n_ex_in = nex;
    for (size_t j = 0; j < n; j++) {
        mpcsim_free(st->resh_view[j]);
        st->resh_view[j] = NULL;
        st->resh_nview[j] = 0;
    }
    memset(st->resh_got, 0, n);
    memset(st->resh_ok, 0, n);
    st->resh_heard = st->resh_cnt = st->resh_need_got = 0;
    st->resh_need = holders;
    st->magree = 1;
    rc = sh__enter(p, st, SH_PH_MUL_AGREE);
    if (rc == 0 && st->holder) {
        rc = sh__reshare(p, st, SH_MSG_MUL_AGREE, sh__product(p, st, h));
    }
    for (size_t j = 0; rc == 0 && st->ma_msg != NULL && j < n; j++) {
        if (st->ma_msg[j] != NULL && !st->resh_got[j]) {
            rc = sh__take_reshare(st, j, st->ma_msg[j], st->ma_len[j]);
            if (rc == MPCSIM_EDECODE) {
                sim_accuse(p, (int)j); /* bytes that do not parse */
                rc = 0;
            }
        }
    }
out:
    mpcsim_free(lack);
    mpcsim_free(ex);
    return rc;
}

/* End of a resharing round: combine the subshares of the resharers heard. */
static int
sh__end_mul(struct sim_party *p, struct shamir_party *st)
{
    size_t n = (size_t)st->n;
    size_t Lm = st->Lm;
    size_t m = 0;
    int *T = NULL;
    FE *lambda = NULL, *rows = NULL;
    int rc = 0;

    if (st->phase == SH_PH_MUL && st->resh_heard > st->resh_cnt) {
        return sh__mul_agree(p, st);
    }
    if (st->resh_cnt < 2 * (size_t)st->t + 1 && st->magree && !st->holder) {
        /* We abstained: others may have output over a view we can decode
         * (holders that went on without the agreement). */
        rc = sh__enter(p, st, SH_PH_OUT);
        for (size_t g = 0; rc == 0 && g < st->n_groups && st->phase == SH_PH_OUT; g++) {
            sh__try_finish(p, st, g);
        }
        return rc;
    }
    if (st->resh_cnt < 2 * (size_t)st->t + 1) {
        sh__abort(p, st,
                  "shamir: fewer than 2t+1 parties reshared their products over the same inputs");
        return 0;
    }
    T = mpcsim_malloc(st->resh_cnt * sizeof(int));
    lambda = mpcsim_malloc(st->resh_cnt * sizeof(FE));
    rows = mpcsim_malloc(st->resh_cnt * Lm * sizeof(FE));
    if (T == NULL || lambda == NULL || rows == NULL) {
        rc = MPCSIM_ENOMEM;
        goto out;
    }
    st->n_ex_mul = 0;
    for (size_t j = 0; j < n; j++) {
        if (st->resh_ok[j]) {
            T[m] = (int)j;
            memcpy(rows + m * Lm, st->resh + j * Lm, Lm * sizeof(FE));
            m++;
        } else {
            st->excl[st->n_ex_in + st->n_ex_mul++] = (int)j;
        }
    }
    rc = SH_FN(shamir_lagrange0)(st->sh, lambda, T, m);
    if (rc != 0) {
        goto out;
    }
    sim_charge(p, SIM_OP_FIELD_INV, 1); /* the weights' batch inversion */
    sim_charge(p, SH_OP_MUL, (double)(m * (n - m) + 3 * m));
    sim_charge(p, SIM_OP_LAGRANGE_TERM, (double)(m * Lm));
    if (st->kind == COMPUTATION_VARIANCE) {
        memcpy(st->mine, st->lin, st->L * sizeof(FE));
        SH_FN(shamir_combine)(st->mine + st->L, lambda, rows, m, Lm);
    } else {
        SH_FN(shamir_combine)(st->mine, lambda, rows, m, Lm);
    }
    rc = sh__send_output(p, st);
out:
    mpcsim_free(T);
    mpcsim_free(lambda);
    mpcsim_free(rows);
    return rc;
}

static void
sh__advance(struct sim_party *p, struct shamir_party *st)
{
    int rc = 0;

    if (st->phase == SH_PH_INPUT && st->in_cnt == st->nin) {
        rc = sh__end_input(p, st);
    }
    if (rc == 0 && st->phase == SH_PH_MUL &&
        (st->resh_heard == (size_t)st->n || st->resh_need_got >= st->resh_need)) {
        rc = sh__end_mul(p, st);
    }
    if (rc == 0 && st->phase == SH_PH_MUL_AGREE && st->resh_need_got >= st->resh_need) {
        rc = sh__end_mul(p, st);
    }
    if (rc != 0) {
        sh__abort(p, st, "shamir: out of memory");
    }
}

static void
sh__on_start(struct sim_party *p)
{
    struct shamir_party *st = sim_party_state(p);
    int rc = 0;

    st->t0 = sim_now(p);
    if ((size_t)st->self < st->nin) {
        FE *row = mpcsim_malloc(st->L * sizeof(*row));

        if (row == NULL) {
            rc = MPCSIM_ENOMEM;
        } else {
            rc = sh__deal(p, st, SH_MSG_INPUT, st->x, st->L, row, NULL, 0);
            if (rc == 0) {
                sh__take_input(p, st, (size_t)st->self, row);
            }
            mpcsim_free(row);
        }
    }
    if (rc == 0) {
        rc = sh__enter(p, st, SH_PH_INPUT);
    }
    if (rc != 0) {
        sh__abort(p, st, "shamir: out of memory");
        return;
    }
    sh__advance(p, st);
}

/*
 * Take sender uf's resharing: [type][values], or [type][u32 k][k u32
 * input ids, strictly increasing][values] when it left k >= 1 inputs out.
 * One over other inputs than ours is heard but not used (a lost datagram,
 * not a proof of cheating).  Returns 0, MPCSIM_EDECODE or MPCSIM_ENOMEM.
 */
static int
sh__take_reshare(struct shamir_party *st, size_t uf, const uint8_t *msg, size_t len)
{
    size_t vals = FE_BYTES * st->Lm;
    uint32_t k = 0;
    size_t off = 1;
    int *ids = NULL;

    if (len != 1 + vals) {
        if (len < 5 + vals) {
            return MPCSIM_EDECODE;
        }
        for (int i = 3; i >= 0; i--) {
            k = (k << 8) | msg[1 + i];
        }
        if (k == 0 || k > st->nin || len != 5 + 4 * (size_t)k + vals) {
            return MPCSIM_EDECODE;
        }
        off = 5 + 4 * (size_t)k;
        ids = mpcsim_malloc(k * sizeof(int));
        if (ids == NULL) {
            return MPCSIM_ENOMEM;
        }
        for (size_t e = 0; e < k; e++) {
            uint32_t id = 0;

            for (int i = 3; i >= 0; i--) {
                id = (id << 8) | msg[5 + 4 * e + (size_t)i];
            }
            if (id >= st->nin || (e > 0 && (int)id <= ids[e - 1])) {
                mpcsim_free(ids);
                return MPCSIM_EDECODE;
            }
            ids[e] = (int)id;
        }
    }
    if (FE_vec_decode(st->resh + uf * st->Lm, NULL, msg + off, st->Lm) != 0) {
        mpcsim_free(ids);
        return MPCSIM_EDECODE;
    }
    st->resh_got[uf] = 1;
    st->resh_heard++;
    /* The view is kept: judged when phase 1 ends, agreed on at the end of phase 2. */
    st->resh_view[uf] = ids;
    st->resh_nview[uf] = k;
    if (st->phase == SH_PH_MUL || st->phase == SH_PH_MUL_AGREE) {
        st->resh_ok[uf] = sh__same_inputs(st, ids, k);
        st->resh_cnt += st->resh_ok[uf];
        /* Over S*: every holder is expected (resh_need). */
        if (st->phase == SH_PH_MUL_AGREE || uf >= st->nin || st->in_got[uf]) {
            st->resh_need_got++;
        }
    }
    return 0;
}

/* Parse an output message; 0 or MPCSIM_EDECODE.  ids has room for the (len - SH_HDR - 8R) / 4
 * ids such a length leaves, v for R elements. */
static int
sh__parse_output(const struct shamir_party *st, const uint8_t *msg, size_t len, uint32_t *n_in,
                 uint32_t *n_mul, int *ids, FE *v)
{
    uint32_t a = 0, b = 0;
    size_t nid;

    if (len < SH_HDR) {
        return MPCSIM_EDECODE;
    }
    for (int i = 3; i >= 0; i--) {
        a = (a << 8) | msg[1 + i];
        b = (b << 8) | msg[5 + i];
    }
    if (a > (uint32_t)st->n || b > (uint32_t)st->n) {
        return MPCSIM_EDECODE;
    }
    nid = (size_t)a + b;
    if (len != SH_HDR + 4 * nid + FE_BYTES * st->R) {
        return MPCSIM_EDECODE;
    }
    for (size_t e = 0; e < nid; e++) {
        uint32_t id = 0;

        for (int i = 3; i >= 0; i--) {
            id = (id << 8) | msg[SH_HDR + 4 * e + (size_t)i];
        }
        if (id >= (uint32_t)st->n) {
            return MPCSIM_EDECODE;
        }
        ids[e] = (int)id;
        /* Each list strictly increasing: a canonical view. */
        if (e != 0 && e != a && ids[e] <= ids[e - 1]) {
            return MPCSIM_EDECODE;
        }
    }
    if (FE_vec_decode(v, NULL, msg + SH_HDR + 4 * nid, st->R) != 0) {
        return MPCSIM_EDECODE;
    }
    *n_in = a;
    *n_mul = b;
    return 0;
}

static void
sh__on_message(struct sim_party *p, int from, const uint8_t *msg, size_t len)
{
    struct shamir_party *st = sim_party_state(p);
    size_t uf = (size_t)from;
    FE stack[SH_STACK_ELEMS];
    int rc = 0;

    if (st->phase == SH_PH_DONE || from < 0 || from >= st->n || from == st->self) {
        return;
    }
    if (len < 1) {
        rc = MPCSIM_EDECODE;
    } else if (msg[0] == SH_MSG_INPUT) {
        FE *v;

        if (uf >= st->nin) {
            rc = MPCSIM_EDECODE;
        } else if (st->phase != SH_PH_INPUT || st->in_got[uf]) {
            return; /* too late (left out) or a repeat */
        } else if (len != 1 + FE_BYTES * st->L) {
            rc = MPCSIM_EDECODE;
        } else if ((v = st->L <= SH_STACK_ELEMS ? stack : mpcsim_malloc(st->L * sizeof(*v))) ==
                   NULL) {
            sh__abort(p, st, "shamir: out of memory");
            return;
        } else {
            rc = FE_vec_decode(v, NULL, msg + 1, st->L) == 0 ? 0 : MPCSIM_EDECODE;
            if (rc == 0) {
                sh__take_input(p, st, uf, v);
            }
            if (v != stack) {
                mpcsim_free(v);
            }
        }
    } else if (msg[0] == SH_MSG_RESHARE) {
        if (!st->mul) {
            rc = MPCSIM_EDECODE;
        } else if (st->phase > SH_PH_MUL || st->resh_got[uf]) {
            return;
        } else {
            rc = sh__take_reshare(st, uf, msg, len);
            if (rc == MPCSIM_ENOMEM) {
                sh__abort(p, st, "shamir: out of memory");
                return;
            }
        }
    } else if (msg[0] == SH_MSG_MUL_AGREE) {
        if (!st->mul) {
            rc = MPCSIM_EDECODE;
        } else if (st->phase == SH_PH_MUL_AGREE) {
            if (st->resh_got[uf]) {
                return;
            }
            rc = sh__take_reshare(st, uf, msg, len);
        } else if (st->phase == SH_PH_INPUT || st->phase == SH_PH_MUL) {
            rc = sh__keep_mul_agree(st, uf, msg, len); /* before our own decision */
        } else {
            return; /* that round is over */
        }
        if (rc == MPCSIM_ENOMEM) {
            sh__abort(p, st, "shamir: out of memory");
            return;
        }
    } else if (msg[0] == SH_MSG_OUTPUT || msg[0] == SH_MSG_AGREE) {
        /* The view's ids fit in what the length leaves after the values. */
        size_t fixed = SH_HDR + FE_BYTES * st->R;
        size_t nid = len > fixed ? (len - fixed) / 4 : 0;
        int ids_stack[SH_STACK_ELEMS];
        int *ids;
        FE *v;
        uint32_t a = 0, b = 0;
        int oom;

        if (msg[0] == SH_MSG_OUTPUT && st->phase == SH_PH_AGREE) {
            return; /* the output round is over */
        }
        ids = nid <= SH_STACK_ELEMS ? ids_stack : mpcsim_malloc(nid * sizeof(int));
        v = st->R <= SH_STACK_ELEMS ? stack : mpcsim_malloc(st->R * sizeof(FE));
        oom = ids == NULL || v == NULL;
        if (!oom) {
            rc = sh__parse_output(st, msg, len, &a, &b, ids, v);
            if (rc == 0 && msg[0] == SH_MSG_AGREE && (st->mul || b != 0)) {
                rc = MPCSIM_EDECODE; /* products are never agreed on */
            }
            if (rc == 0 && (msg[0] == SH_MSG_OUTPUT || st->phase == SH_PH_AGREE)) {
                oom = sh__take_output(p, st, from, a, b, ids, v) != 0;
            } else if (rc == 0) {
                oom = sh__keep_agree(st, from, a, ids, v) != 0;
            }
        }
        if (ids != ids_stack) {
            mpcsim_free(ids);
        }
        if (v != stack) {
            mpcsim_free(v);
        }
        if (oom) {
            sh__abort(p, st, "shamir: out of memory");
            return;
        }
    } else {
        rc = MPCSIM_EDECODE;
    }
    if (rc != 0) {
        /* Only a faulty party sends bytes that do not parse: name it and
         * go on without the message (it counts as not received). */
        sim_accuse(p, from);
        return;
    }
    sh__advance(p, st);
}

/* At a round timeout: robust decodes the group with the most shares if
 * it has t + 1; fast (which would have finished already) aborts. */
static void
sh__finish_best(struct sim_party *p, struct shamir_party *st, const char *reason)
{
    size_t best = 0;

    for (size_t g = 1; g < st->n_groups; g++) {
        if (st->groups[g].count > st->groups[best].count) {
            best = g;
        }
    }
    if (st->robust && st->n_groups > 0 && st->groups[best].count >= (size_t)st->t + 1) {
        sh__finish(p, st, best);
    } else {
        sh__abort(p, st, reason);
    }
}

static void
sh__on_timer(struct sim_party *p, uint64_t id)
{
    struct shamir_party *st = sim_party_state(p);
    int rc = 0;

    if (!round_timer_current(&st->rd, id)) {
        return;
    }
    switch (st->phase) {
    case SH_PH_INPUT:
        rc = sh__end_input(p, st);
        if (rc == 0) {
            sh__advance(p, st);
        }
        break;
    case SH_PH_MUL:
    case SH_PH_MUL_AGREE: {
        /* A party that had every input entered the resharing round early:
         * the views of parties that waited for an input arrive about
         * t0 + 2 timeouts, their resharings over S* before t0 + 3.  When
         * the views already differ, or too few resharers share ours, the
         * round waits until then (a run whose views agree and can go on
         * never does). */
        int agree = st->phase == SH_PH_MUL_AGREE;
        int64_t late = st->t0 + (agree ? 3 : 2) * st->rd.timeout_ns - sim_now(p);
        int short_of =
            agree ? st->resh_need_got < st->resh_need
                  : st->resh_heard < (size_t)st->n &&
                        (st->resh_heard > st->resh_cnt || st->resh_cnt < 2 * (size_t)st->t + 1);

        if (short_of && late > 0 && st->mul_waited < 1 + agree) {
            st->mul_waited = 1 + agree;
            rc = sim_set_timer(p, late, (uint64_t)st->phase);
        } else {
            rc = sh__end_mul(p, st);
            if (rc == 0) {
                sh__advance(p, st);
            }
        }
        break;
    }
    case SH_PH_OUT: {
        /* A party that lacked an input sent its output share only at the
         * input round's timeout: a party that entered the output round
         * early hears its view about t0 + 2 timeouts (a product's: after
         * the resharing round's, t0 + 3; after a resharing over S*, t0 +
         * 4).  Unless its own view can be decoded now, it waits until then. */
        int64_t late = st->t0 + (st->mul ? 3 + st->magree : 2) * st->rd.timeout_ns - sim_now(p);
        int now_ok = st->n_groups == 1 && st->robust && st->groups[0].count >= (size_t)st->t + 1;

        if (!now_ok && late > 0 && !st->out_waited) {
            st->out_waited = 1;
            rc = sim_set_timer(p, late, SH_PH_OUT);
        } else if (!st->mul && st->n_groups > 1) {
            rc = sh__agree(p, st);
        } else {
            sh__finish_best(p, st, "shamir: too few output shares before the round timeout");
        }
        break;
    }
    case SH_PH_AGREE:
        sh__finish_best(p, st,
                        "shamir: too few shares over the agreed inputs before the round timeout");
        break;
    default:
        break;
    }
    if (rc != 0) {
        sh__abort(p, st, "shamir: out of memory");
    }
}

/* ------------------------------------------------------------------ */

static enum sim_adv_action
sh__tamper(struct sim_party *p, enum sim_behaviour b, int to, uint8_t *msg, size_t *len, size_t cap)
{
    struct shamir_party *st = sim_party_state(p);
    int type = *len > 0 ? msg[0] : 0;
    size_t off;

    (void)cap;
    if (st == NULL || type == SH_MSG_INPUT) {
        return SIM_ADV_SEND; /* input dealing is out of scope (SCENARIO.md) */
    }
    /* The field elements: after the type byte, or after the view. */
    off = type == SH_MSG_OUTPUT || type == SH_MSG_AGREE        ? *len - FE_BYTES * st->R
          : type == SH_MSG_RESHARE || type == SH_MSG_MUL_AGREE ? *len - FE_BYTES * st->Lm
                                                               : 1;
    switch (b) {
    case SIM_CORRUPT_SHARES:
        field_perturb(st->adv, msg, off, *len);
        return SIM_ADV_SEND;
    case SIM_EQUIVOCATE:
        if (to & 1) {
            field_perturb(st->adv, msg, off, *len);
        }
        return SIM_ADV_SEND;
    case SIM_WITHHOLD:
        return SIM_ADV_DROP;
    case SIM_DELAY:
        return SIM_ADV_DELAY;
    case SIM_MALFORMED:
        switch (to % 3) {
        case 0:
            *len -= 1;
            break;
        case 1:
            memset(msg + *len - FE_BYTES, 0xff, FE_BYTES); /* a value >= p */
            break;
        default:
            fp_stream_bytes(st->adv, msg, *len);
            break;
        }
        return SIM_ADV_SEND;
    default:
        return SIM_ADV_SEND;
    }
}

/* see adapter_int.h */
const struct sim_protocol FE_SYM(shamir_protocol) = {
    .name = "shamir",
    .trial_setup = sh__trial_setup,
    .trial_teardown = sh__trial_teardown,
    .setup = sh__setup,
    .on_start = sh__on_start,
    .on_message = sh__on_message,
    .on_timer = sh__on_timer,
    .teardown = sh__teardown,
    .tamper = sh__tamper,
};

#undef SH_FN
#undef SH_CTX
#undef FE_SQR
