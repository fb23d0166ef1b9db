/* SPDX-License-Identifier: MIT */
/*
 * protocols/mpc/party.c - one party's side of a run of a circuit (see
 * mpc.h): dealer material, rounds, decoding, the MAC check.
 *
 * Rounds: 1 = inputs; 2 .. R+1 = the circuit's interactive levels 1..R;
 * with MACs R+2 = commitments to the sigmas, R+3 = the sigmas.  Each
 * round is one broadcast per party.  The dealer is a ChaCha20 stream
 * under the trial's dealer key that every party reads in the same order
 * (input masks, then the circuit's gates in index order), keeping only
 * its own share: the same material a dealer would send, without the
 * dealer holding n copies.
 *
 * Memory per party: O(wires) values (and MAC shares), O(n * E) for the
 * round's received elements (E = the largest round's elements), and with
 * MACs O(opened values) for the check.
 */
#include "protocols/mpc/mpc.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "common/alloc.h"
#include "protocols/mpc/mpc_int.h"

#define MPC_STREAM_DEALER 7
#define MPC_STREAM_OWN 8
#define MPC_COMMIT_BYTES 32
#define MPC_NONCE_BYTES 32

struct mpc_party {
    struct mpc_party_cfg cfg;
    enum mpc_field_kind f;
    int n, t, self, additive, mac, robust;
    size_t eb;
    struct fp_stream *dealer, *own;
    mpcsim_u128 alpha_share, alpha; /* MAC key: my share, and (dealer view) the key */
    size_t L;                       /* input length */
    mpcsim_u128 *mask, *mask_mac;   /* n * L: my share of owner i's input masks */
    mpcsim_u128 *my_eps;            /* L: my input minus my masks */
    mpcsim_u128 *eps;               /* n * L */
    uint8_t *refused, *included, *gone, *heard, *accused;
    /* Shamir: the inputs this party computes over (a digest of refused and
     * included), and the one each sender's round message carried.  A
     * sender with another view holds shares of other values: its shares
     * are left out of decoding, never taken as proof of cheating. */
    uint64_t view, *vtag;
    struct mpc_circuit *own_circ;
    const struct mpc_circuit *c;
    mpcsim_u128 *val, *vmac, *aux;
    int round, rounds; /* current round; total rounds (after inputs) */
    size_t level;      /* the circuit level of this round */
    mpcsim_u128 *recv; /* n rows of E_cap elements */
    size_t E, E_cap;
    mpcsim_u128 *log_v, *log_m; /* MAC check: opened values and my MAC shares */
    size_t n_log, cap_log;
    mpcsim_u128 sigma;
    uint8_t nonce[MPC_NONCE_BYTES];
    uint8_t *commits, *nonces; /* n * 32 */
    mpcsim_u128 *sigmas;       /* n */
    mpcsim_i128 *out;
    size_t n_out;
    int *cheat;
    size_t n_cheat;
    /* scratch for decoding: xs, ys, coeffs, bad */
    mpcsim_u128 *xs, *ys, *co, *lam;
    size_t *bad;
    int *pts;
    struct mpc_ops ops;
    char reason[128];
};

/* ------------------------------------------------------------------ */

/* Where wire w's MAC share lives: its own slot with MACs, else one
 * scratch slot (no memory per wire without MACs). */
static size_t
mpc__mi(const struct mpc_party *p, size_t w)
{
    return p->mac ? w : 0;
}

/* Elements gate g contributes to its round's message. */
static size_t
mpc__elems(const struct mpc_party *p, const struct mpc_gate *g)
{
    return g->op == MPC_OP_MUL && p->additive ? 2 : 1;
}

/* Shares of `secret` (degree d for Shamir): mine in *v (and *m, MAC). */
static void
mpc__deal(struct mpc_party *p, mpcsim_u128 secret, int d, mpcsim_u128 *v, mpcsim_u128 *m)
{
    enum mpc_field_kind f = p->f;

    if (p->additive) {
        for (int pass = 0; pass < (p->mac ? 2 : 1); pass++) {
            mpcsim_u128 s = pass == 0 ? secret : mpc_fmul(f, p->alpha, secret);
            mpcsim_u128 acc = 0, mine = 0;

            for (int j = 0; j < p->n - 1; j++) {
                mpcsim_u128 r = mpc_fsample(f, p->dealer);

                acc = mpc_fadd(f, acc, r);
                if (j == p->self) {
                    mine = r;
                }
            }
            if (p->self == p->n - 1) {
                mine = mpc_fsub(f, s, acc);
            }
            if (pass == 0) {
                *v = mine;
            } else {
                *m = mine;
            }
            p->ops.sample += (uint64_t)(p->n - 1);
            p->ops.add += (uint64_t)p->n;
        }
        if (!p->mac && m != NULL) {
            *m = 0;
        }
        return;
    }
    {
        /* Horner at x = self + 1 over coefficients drawn in order 1..d. */
        mpcsim_u128 x = (mpcsim_u128)(p->self + 1), acc = 0;
        mpcsim_u128 coef[128];

        MPCSIM_ASSERT(d < 128);
        for (int k = 1; k <= d; k++) {
            coef[k] = mpc_fsample(f, p->dealer);
        }
        for (int k = d; k >= 1; k--) {
            acc = mpc_fmul(f, mpc_fadd(f, acc, coef[k]), x);
        }
        *v = mpc_fadd(f, acc, secret);
        if (m != NULL) {
            *m = 0;
        }
        p->ops.sample += (uint64_t)d;
        p->ops.mul += (uint64_t)d;
        p->ops.add += (uint64_t)d + 1;
    }
}

/* v += C for a public C (party 0 only for additive; MAC += alpha_i C). */
static void
mpc__addc(const struct mpc_party *p, mpcsim_u128 *v, mpcsim_u128 *m, mpcsim_u128 C)
{
    enum mpc_field_kind f = p->f;

    if (!p->additive || p->self == 0) {
        *v = mpc_fadd(f, *v, C);
    }
    if (p->additive && p->mac) {
        *m = mpc_fadd(f, *m, mpc_fmul(f, p->alpha_share, C));
    }
}

static int
mpc__fail(struct mpc_party *p, int rc, const char *reason)
{
    snprintf(p->reason, sizeof(p->reason), "%s", reason);
    return rc;
}

/* see mpc.h */
void
mpc_party_destroy(struct mpc_party *p)
{
    if (p == NULL) {
        return;
    }
    fp_stream_destroy(p->dealer);
    fp_stream_destroy(p->own);
    mpcsim_free(p->mask);
    mpcsim_free(p->mask_mac);
    mpcsim_free(p->eps);
    mpcsim_free(p->my_eps);
    mpcsim_free(p->refused);
    mpcsim_free(p->included);
    mpcsim_free(p->gone);
    mpcsim_free(p->heard);
    mpcsim_free(p->accused);
    mpcsim_free(p->vtag);
    if (!p->cfg.build_borrowed) {
        mpc_circuit_destroy(p->own_circ);
    }
    mpcsim_free(p->val);
    mpcsim_free(p->vmac);
    mpcsim_free(p->aux);
    mpcsim_free(p->recv);
    mpcsim_free(p->log_v);
    mpcsim_free(p->log_m);
    mpcsim_free(p->commits);
    mpcsim_free(p->nonces);
    mpcsim_free(p->sigmas);
    mpcsim_free(p->out);
    mpcsim_free(p->cheat);
    mpcsim_free(p->xs);
    mpcsim_free(p->ys);
    mpcsim_free(p->co);
    mpcsim_free(p->lam);
    mpcsim_free(p->bad);
    mpcsim_free(p->pts);
    mpcsim_free(p);
}

/* see mpc.h */
int
mpc_party_create(struct mpc_party **out, const struct mpc_party_cfg *cfg)
{
    struct mpc_party *p = NULL;
    size_t n = (size_t)cfg->n;
    int rc;

    if (cfg->n < 2 || cfg->self < 0 || cfg->self >= cfg->n || cfg->build == NULL ||
        (cfg->scheme == MPC_SHAMIR && (cfg->t < 1 || 2 * cfg->t + 1 > cfg->n || cfg->t > 60))) {
        return MPCSIM_EINVAL;
    }
    p = mpcsim_calloc(1, sizeof(*p));
    if (p == NULL) {
        return MPCSIM_ENOMEM;
    }
    p->cfg = *cfg;
    p->f = cfg->field;
    p->n = cfg->n;
    p->t = cfg->t;
    p->self = cfg->self;
    p->additive = cfg->scheme == MPC_ADDITIVE;
    p->mac = p->additive && cfg->mac;
    p->robust = !p->additive && cfg->robust;
    p->eb = mpc_field_bytes(p->f);
    p->round = 1;
    rc = fp_stream_create(&p->dealer, cfg->dealer_key, MPC_STREAM_DEALER);
    if (rc == 0) {
        rc = fp_stream_create(&p->own, cfg->key, MPC_STREAM_OWN);
    }
    if (rc != 0) {
        goto out;
    }
    p->L = cfg->input_len;
    p->mask = mpcsim_calloc(n * p->L + 1, sizeof(*p->mask));
    p->mask_mac = mpcsim_calloc(n * p->L + 1, sizeof(*p->mask_mac));
    p->eps = mpcsim_calloc(n * p->L + 1, sizeof(*p->eps));
    p->my_eps = mpcsim_calloc(p->L + 1, sizeof(*p->my_eps));
    p->refused = mpcsim_calloc(n, 1);
    p->included = mpcsim_calloc(n, 1);
    p->gone = mpcsim_calloc(n, 1);
    p->heard = mpcsim_calloc(n, 1);
    p->accused = mpcsim_calloc(n, 1);
    p->vtag = mpcsim_calloc(n, sizeof(*p->vtag));
    p->cheat = mpcsim_calloc(n, sizeof(*p->cheat));
    p->xs = mpcsim_calloc(n, sizeof(*p->xs));
    p->ys = mpcsim_calloc(n, sizeof(*p->ys));
    p->co = mpcsim_calloc(n + 1, sizeof(*p->co));
    p->lam = mpcsim_calloc(n, sizeof(*p->lam));
    p->bad = mpcsim_calloc(n, sizeof(*p->bad));
    p->pts = mpcsim_calloc(n, sizeof(*p->pts));
    if (p->mask == NULL || p->mask_mac == NULL || p->eps == NULL || p->my_eps == NULL ||
        p->refused == NULL || p->included == NULL || p->gone == NULL || p->heard == NULL ||
        p->accused == NULL || p->vtag == NULL || p->cheat == NULL || p->xs == NULL ||
        p->ys == NULL || p->co == NULL || p->lam == NULL || p->bad == NULL || p->pts == NULL) {
        rc = MPCSIM_ENOMEM;
        goto out;
    }
    if (p->mac) {
        p->commits = mpcsim_calloc(n, MPC_COMMIT_BYTES);
        p->nonces = mpcsim_calloc(n, MPC_NONCE_BYTES);
        p->sigmas = mpcsim_calloc(n, sizeof(*p->sigmas));
        if (p->commits == NULL || p->nonces == NULL || p->sigmas == NULL) {
            rc = MPCSIM_ENOMEM;
            goto out;
        }
        for (int j = 0; j < p->n; j++) {
            mpcsim_u128 a = mpc_fsample(p->f, p->dealer);

            p->alpha = mpc_fadd(p->f, p->alpha, a);
            if (j == p->self) {
                p->alpha_share = a;
            }
        }
    }
    /* Input masks: owner i knows r_i, everybody holds a share. */
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < p->L; k++) {
            mpcsim_u128 r = mpc_fsample(p->f, p->dealer);

            mpc__deal(p, r, p->t, &p->mask[i * p->L + k], &p->mask_mac[i * p->L + k]);
            if (i == (size_t)p->self) {
                p->my_eps[k] = mpc_fsub(p->f, mpc_ffrom_i128(p->f, cfg->input[k]), r);
            }
        }
    }
    *out = p;
    p = NULL;
out:
    mpc_party_destroy(p);
    return rc;
}

/* see mpc.h */
int
mpc_party_round(const struct mpc_party *p)
{
    return p->round;
}

/* see mpc.h */
int
mpc_msg_round(const uint8_t *msg, size_t len)
{
    if (len < MPC_HDR || msg[0] < MPC_MSG_INPUT || msg[0] > MPC_MSG_SIGMA) {
        return 0;
    }
    return (int)msg[1] | (int)msg[2] << 8;
}

/* The kind of message round r carries. */
static int
mpc__kind(const struct mpc_party *p, int r)
{
    if (r == 1) {
        return MPC_MSG_INPUT;
    }
    if (p->c != NULL && r <= 1 + (int)(p->c->levels - 1)) {
        return MPC_MSG_ROUND;
    }
    return r == p->rounds - 1 ? MPC_MSG_COMMIT : MPC_MSG_SIGMA;
}

/* see mpc.h */
size_t
mpc_party_msg_len(const struct mpc_party *p)
{
    switch (mpc__kind(p, p->round)) {
    case MPC_MSG_INPUT:
        return MPC_HDR + (p->cfg.refuse_input ? 0 : p->eb * p->L);
    case MPC_MSG_ROUND:
        return MPC_HDR + p->E * p->eb + (p->additive ? 0 : MPC_VIEW_BYTES);
    case MPC_MSG_COMMIT:
        return MPC_HDR + MPC_COMMIT_BYTES;
    default:
        return MPC_HDR + p->eb + MPC_NONCE_BYTES;
    }
}

static void
mpc__commit(uint8_t out[MPC_COMMIT_BYTES], const uint8_t *sig, size_t eb,
            const uint8_t nonce[MPC_NONCE_BYTES])
{
    crypto_generichash_state h;

    crypto_generichash_init(&h, NULL, 0, MPC_COMMIT_BYTES);
    crypto_generichash_update(&h, sig, eb);
    crypto_generichash_update(&h, nonce, MPC_NONCE_BYTES);
    crypto_generichash_final(&h, out, MPC_COMMIT_BYTES);
}

/* see mpc.h */
void
mpc_party_msg(struct mpc_party *p, uint8_t *out)
{
    int kind = mpc__kind(p, p->round);
    uint8_t *e = out + MPC_HDR;

    out[0] = (uint8_t)kind;
    out[1] = (uint8_t)(p->round & 0xff);
    out[2] = (uint8_t)(p->round >> 8);
    p->heard[p->self] = 1;
    if (kind == MPC_MSG_INPUT) {
        for (size_t k = 0; k < p->L && !p->cfg.refuse_input; k++) {
            mpc_fencode(p->f, e + k * p->eb, p->my_eps[k]);
        }
        memcpy(p->eps + (size_t)p->self * p->L, p->my_eps, p->L * sizeof(*p->eps));
        p->refused[p->self] = (uint8_t)(p->cfg.refuse_input != 0);
    } else if (kind == MPC_MSG_ROUND) {
        const struct mpc_circuit *c = p->c;
        const int32_t *ord = c->order + c->start[p->level];
        mpcsim_u128 *row = p->recv + (size_t)p->self * p->E_cap;
        size_t k = 0;

        for (size_t q = 0; q < c->n_inter[p->level]; q++) {
            const struct mpc_gate *g = &c->g[ord[q]];

            if (g->op == MPC_OP_OPEN) {
                row[k++] = p->val[g->x];
            } else if (p->additive) {
                const mpcsim_u128 *a = p->aux + (size_t)c->mix[ord[q]] * 6;

                row[k++] = mpc_fsub(p->f, p->val[g->x], a[0]);
                row[k++] = mpc_fsub(p->f, p->val[g->y], a[1]);
            } else {
                const mpcsim_u128 *a = p->aux + (size_t)c->mix[ord[q]] * 2;

                row[k++] = mpc_fsub(p->f, mpc_fmul(p->f, p->val[g->x], p->val[g->y]), a[1]);
                p->ops.mul++;
            }
        }
        for (size_t q = 0; q < k; q++) {
            mpc_fencode(p->f, e + q * p->eb, row[q]);
        }
        if (!p->additive) {
            for (int b = 0; b < MPC_VIEW_BYTES; b++) {
                e[k * p->eb + (size_t)b] = (uint8_t)(p->view >> (8 * b));
            }
        }
        p->ops.add += k;
    } else if (kind == MPC_MSG_COMMIT) {
        uint8_t sig[F127_BYTES];

        mpc_fencode(p->f, sig, p->sigma);
        mpc__commit(e, sig, p->eb, p->nonce);
        memcpy(p->commits + (size_t)p->self * MPC_COMMIT_BYTES, e, MPC_COMMIT_BYTES);
        p->ops.hash_bytes += p->eb + MPC_NONCE_BYTES;
    } else {
        mpc_fencode(p->f, e, p->sigma);
        memcpy(e + p->eb, p->nonce, MPC_NONCE_BYTES);
        p->sigmas[p->self] = p->sigma;
        memcpy(p->nonces + (size_t)p->self * MPC_NONCE_BYTES, p->nonce, MPC_NONCE_BYTES);
    }
}

/* see mpc.h */
void
mpc_party_wrong_mac(struct mpc_party *p, uint8_t *msg, size_t len, mpcsim_u128 delta)
{
    uint8_t sig[F127_BYTES];
    mpcsim_u128 bad = mpc_fadd(p->f, p->sigma, delta);

    if (!p->mac || len < MPC_HDR) {
        return;
    }
    mpc_fencode(p->f, sig, bad);
    if (msg[0] == MPC_MSG_COMMIT && len == MPC_HDR + MPC_COMMIT_BYTES) {
        mpc__commit(msg + MPC_HDR, sig, p->eb, p->nonce);
    } else if (msg[0] == MPC_MSG_SIGMA && len == MPC_HDR + p->eb + MPC_NONCE_BYTES) {
        memcpy(msg + MPC_HDR, sig, p->eb);
    }
}

/* see mpc.h */
int
mpc_party_take(struct mpc_party *p, int from, const uint8_t *msg, size_t len)
{
    int kind = mpc__kind(p, p->round);
    const uint8_t *e = msg + MPC_HDR;
    size_t uf = (size_t)from;

    if (from < 0 || from >= p->n || from == p->self || p->round == 0) {
        return MPCSIM_EINVAL;
    }
    if (len < MPC_HDR || msg[0] != kind || mpc_msg_round(msg, len) != p->round) {
        return MPCSIM_EDECODE;
    }
    if (p->heard[uf]) {
        return 0; /* a repeat: the first one counts */
    }
    switch (kind) {
    case MPC_MSG_INPUT:
        if (len == MPC_HDR) {
            p->refused[uf] = 1;
        } else if (len != MPC_HDR + p->eb * p->L) {
            return MPCSIM_EDECODE;
        } else {
            for (size_t k = 0; k < p->L; k++) {
                if (mpc_fdecode(p->f, &p->eps[uf * p->L + k], e + k * p->eb) != 0) {
                    return MPCSIM_EDECODE;
                }
            }
        }
        break;
    case MPC_MSG_ROUND: {
        mpcsim_u128 *row = p->recv + uf * p->E_cap;

        if (len != MPC_HDR + p->E * p->eb + (p->additive ? 0 : MPC_VIEW_BYTES)) {
            return MPCSIM_EDECODE;
        }
        for (size_t q = 0; q < p->E; q++) {
            if (mpc_fdecode(p->f, &row[q], e + q * p->eb) != 0) {
                return MPCSIM_EDECODE;
            }
        }
        if (!p->additive) {
            uint64_t v = 0;

            for (int b = 0; b < MPC_VIEW_BYTES; b++) {
                v |= (uint64_t)e[p->E * p->eb + (size_t)b] << (8 * b);
            }
            p->vtag[uf] = v;
        }
        break;
    }
    case MPC_MSG_COMMIT:
        if (len != MPC_HDR + MPC_COMMIT_BYTES) {
            return MPCSIM_EDECODE;
        }
        memcpy(p->commits + uf * MPC_COMMIT_BYTES, e, MPC_COMMIT_BYTES);
        break;
    default:
        if (len != MPC_HDR + p->eb + MPC_NONCE_BYTES || mpc_fdecode(p->f, &p->sigmas[uf], e) != 0) {
            return MPCSIM_EDECODE;
        }
        memcpy(p->nonces + uf * MPC_NONCE_BYTES, e + p->eb, MPC_NONCE_BYTES);
        break;
    }
    p->heard[uf] = 1;
    return 0;
}

/* see mpc.h */
int
mpc_party_heard(const struct mpc_party *p, int from)
{
    return from >= 0 && from < p->n && p->heard[from];
}

/* see mpc.h */
int
mpc_party_silent(const struct mpc_party *p)
{
    for (int j = 0; j < p->n; j++) {
        if (j != p->self && !p->heard[j] && (p->additive || !p->gone[j])) {
            return j;
        }
    }
    return -1;
}

/* see mpc.h */
int
mpc_party_complete(const struct mpc_party *p)
{
    return p->round != 0 && mpc_party_silent(p) < 0;
}

/* see mpc.h */
const char *
mpc_party_reason(const struct mpc_party *p)
{
    return p->reason;
}

/* see mpc.h */
size_t
mpc_party_cheaters(const struct mpc_party *p, const int **ids)
{
    *ids = p->cheat;
    return p->n_cheat;
}

/* see mpc.h */
size_t
mpc_party_outputs(const struct mpc_party *p, const mpcsim_i128 **out)
{
    *out = p->out;
    return p->round == 0 ? p->n_out : 0;
}

/* see mpc.h */
const uint8_t *
mpc_party_included(const struct mpc_party *p)
{
    return p->included;
}

/* see mpc.h */
const struct mpc_ops *
mpc_party_ops(const struct mpc_party *p)
{
    return &p->ops;
}

/* ------------------------------------------------------------------ */

static int
mpc__log(struct mpc_party *p, mpcsim_u128 v, mpcsim_u128 m)
{
    if (!p->mac) {
        return 0;
    }
    if (p->n_log == p->cap_log) {
        size_t cap = p->cap_log == 0 ? 256 : 2 * p->cap_log;
        mpcsim_u128 *a = mpcsim_reallocarray(p->log_v, cap, sizeof(*a));

        if (a == NULL) {
            return MPCSIM_ENOMEM;
        }
        p->log_v = a;
        a = mpcsim_reallocarray(p->log_m, cap, sizeof(*a));
        if (a == NULL) {
            return MPCSIM_ENOMEM;
        }
        p->log_m = a;
        p->cap_log = cap;
    }
    p->log_v[p->n_log] = v;
    p->log_m[p->n_log] = m;
    p->n_log++;
    return 0;
}

/* Evaluate the local gates of the current level. */
static void
mpc__eval_local(struct mpc_party *p)
{
    const struct mpc_circuit *c = p->c;
    enum mpc_field_kind f = p->f;
    size_t s = p->level;

    for (size_t q = c->start[s] + c->n_inter[s]; q < c->start[s + 1]; q++) {
        size_t w = (size_t)c->order[q];
        const struct mpc_gate *g = &c->g[w];
        mpcsim_u128 *v = &p->val[w], *m = &p->vmac[mpc__mi(p, (size_t)w)];

        switch (g->op) {
        case MPC_OP_LIN:
            if (g->pub) {
                mpcsim_u128 r = g->k;

                if (g->x >= 0) {
                    r = mpc_fadd(f, r, mpc_fmul(f, g->a, p->val[g->x]));
                }
                if (g->y >= 0) {
                    r = mpc_fadd(f, r, mpc_fmul(f, g->b, p->val[g->y]));
                }
                *v = r;
            } else {
                mpcsim_u128 C = g->k, sv = 0, sm = 0;
                const int32_t xy[2] = {g->x, g->y};
                const mpcsim_u128 ab[2] = {g->a, g->b};

                for (int u = 0; u < 2; u++) {
                    if (xy[u] < 0) {
                        continue;
                    }
                    if (c->g[xy[u]].pub) {
                        C = mpc_fadd(f, C, mpc_fmul(f, ab[u], p->val[xy[u]]));
                    } else {
                        sv = mpc_fadd(f, sv, mpc_fmul(f, ab[u], p->val[xy[u]]));
                        if (p->mac) {
                            sm = mpc_fadd(f, sm,
                                          mpc_fmul(f, ab[u], p->vmac[mpc__mi(p, (size_t)xy[u])]));
                        }
                    }
                }
                if (C != 0) {
                    mpc__addc(p, &sv, &sm, C);
                }
                *v = sv;
                *m = sm;
            }
            p->ops.mul += 2;
            p->ops.add += 2;
            break;
        case MPC_OP_MULP:
            *v = mpc_fmul(f, p->val[g->x], p->val[g->y]);
            if (p->mac && !g->pub) {
                *m = mpc_fmul(f, p->vmac[mpc__mi(p, (size_t)g->x)], p->val[g->y]);
            }
            p->ops.mul++;
            break;
        case MPC_OP_XORP:
            if (p->val[g->y] == 0) {
                *v = p->val[g->x];
                *m = p->vmac[mpc__mi(p, (size_t)g->x)];
            } else if (g->pub) {
                *v = mpc_fsub(f, 1, p->val[g->x]);
            } else {
                *v = mpc_fneg(f, p->val[g->x]);
                *m = mpc_fneg(f, p->vmac[mpc__mi(p, (size_t)g->x)]);
                mpc__addc(p, v, m, 1);
            }
            p->ops.add++;
            break;
        case MPC_OP_PBIT:
            *v = (p->val[g->x] >> g->arg) & 1;
            break;
        default: /* inputs and dealer values: set by mpc__begin */
            break;
        }
    }
}

/* The inputs are in: make the circuit, deal its material, run level 0. */
static int
mpc__begin(struct mpc_party *p)
{
    size_t nw, E = 1;
    const struct mpc_circuit *c;
    int all = 1;
    int rc;

    for (int i = 0; i < p->n; i++) {
        p->included[i] = p->heard[i];
        all &= p->heard[i];
        if (!p->heard[i]) {
            p->gone[i] = 1;
        }
    }
    {
        uint8_t d[8];
        crypto_generichash_state h;

        crypto_generichash_init(&h, NULL, 0, sizeof(d));
        crypto_generichash_update(&h, p->included, (size_t)p->n);
        crypto_generichash_update(&h, p->refused, (size_t)p->n);
        crypto_generichash_final(&h, d, sizeof(d));
        p->view = 0;
        for (int b = 0; b < 8; b++) {
            p->view |= (uint64_t)d[b] << (8 * b);
        }
        p->vtag[p->self] = p->view;
    }
    if (all && p->cfg.full != NULL) {
        p->c = p->cfg.full;
    } else {
        rc = p->cfg.build(&p->own_circ, p->cfg.build_arg, p->n, p->included);
        if (rc != 0) {
            return mpc__fail(p, rc, "building the circuit failed");
        }
        p->c = p->own_circ;
    }
    c = p->c;
    MPCSIM_ASSERT(c->scheduled && c->field == p->f);
    nw = c->n;
    p->val = mpcsim_calloc(nw, sizeof(*p->val));
    p->vmac = mpcsim_calloc(p->mac ? nw : 1, sizeof(*p->vmac));
    p->aux = mpcsim_calloc(c->n_mul * (p->additive ? 6 : 2) + 1, sizeof(*p->aux));
    p->out = mpcsim_calloc(c->n_out + 1, sizeof(*p->out));
    for (size_t s = 1; s < c->levels; s++) {
        size_t e = 0;

        for (size_t q = c->start[s]; q < c->start[s] + c->n_inter[s]; q++) {
            e += mpc__elems(p, &c->g[c->order[q]]);
        }
        E = e > E ? e : E;
    }
    p->E_cap = E;
    p->recv = mpcsim_calloc((size_t)p->n * E, sizeof(*p->recv));
    if (p->val == NULL || p->vmac == NULL || p->aux == NULL || p->out == NULL || p->recv == NULL) {
        return mpc__fail(p, MPCSIM_ENOMEM, "out of memory");
    }
    /* Dealer material and inputs, in gate order (every party alike). */
    for (size_t w = 0; w < nw; w++) {
        const struct mpc_gate *g = &c->g[w];

        switch (g->op) {
        case MPC_OP_INPUT: {
            size_t at = (size_t)g->arg * p->L + (size_t)g->k;

            MPCSIM_ASSERT((size_t)g->k < p->L);
            p->val[w] = p->mask[at];
            p->vmac[mpc__mi(p, (size_t)w)] = p->mask_mac[at];
            mpc__addc(p, &p->val[w], &p->vmac[mpc__mi(p, (size_t)w)], p->eps[at]);
            break;
        }
        case MPC_OP_RBIT:
            mpc__deal(p, mpc_fsample(p->f, p->dealer) & 1, p->t, &p->val[w],
                      &p->vmac[mpc__mi(p, (size_t)w)]);
            break;
        case MPC_OP_RINT: {
            mpcsim_u128 r = mpc_fsample(p->f, p->dealer);

            if (p->f == MPC_FIELD_M61 || g->arg > 60) {
                r |= (mpcsim_u128)fp_stream_next(p->dealer) << 60; /* enough random bits */
            }
            r &= ((mpcsim_u128)1 << g->arg) - 1;
            mpc__deal(p, r, p->t, &p->val[w], &p->vmac[mpc__mi(p, (size_t)w)]);
            break;
        }
        case MPC_OP_MUL: {
            size_t mi = (size_t)c->mix[w];

            if (p->additive) {
                mpcsim_u128 *a = p->aux + mi * 6;
                mpcsim_u128 x = mpc_fsample(p->f, p->dealer), y = mpc_fsample(p->f, p->dealer);

                mpc__deal(p, x, 0, &a[0], &a[3]);
                mpc__deal(p, y, 0, &a[1], &a[4]);
                mpc__deal(p, mpc_fmul(p->f, x, y), 0, &a[2], &a[5]);
            } else {
                mpcsim_u128 *a = p->aux + mi * 2;
                mpcsim_u128 r = mpc_fsample(p->f, p->dealer);

                mpc__deal(p, r, p->t, &a[0], NULL);
                mpc__deal(p, r, 2 * p->t, &a[1], NULL);
            }
            break;
        }
        default:
            break;
        }
    }
    p->level = 0;
    mpc__eval_local(p);
    p->rounds = 1 + (int)(c->levels - 1) + (p->mac ? 2 : 0);
    return 0;
}

/* Lagrange weights at 0 for points xs[0..m). */
static int
mpc__lagrange0(struct mpc_party *p, mpcsim_u128 *lam, const mpcsim_u128 *xs, size_t m)
{
    enum mpc_field_kind f = p->f;

    for (size_t i = 0; i < m; i++) {
        mpcsim_u128 num = 1, den = 1, inv = 0;

        for (size_t j = 0; j < m; j++) {
            if (j != i) {
                num = mpc_fmul(f, num, xs[j]);
                den = mpc_fmul(f, den, mpc_fsub(f, xs[j], xs[i]));
            }
        }
        if (mpc_finv(f, &inv, den) != 0) {
            return MPCSIM_EINVAL;
        }
        lam[i] = mpc_fmul(f, num, inv);
    }
    p->ops.mul += 2 * m * m;
    p->ops.inv += m;
    return 0;
}

/*
 * Shamir: the parties whose elements of degree d this round are used, in
 * p->pts[0..*m): heard, not left out; robust: a random combination of the
 * round's degree-d elements is decoded, proven cheaters are accused and
 * left out.
 */
static int
mpc__points(struct mpc_party *p, int d, size_t *m_out)
{
    enum mpc_field_kind f = p->f;
    const struct mpc_circuit *c = p->c;
    const int32_t *ord = c->order + c->start[p->level];
    size_t m = 0;

    for (int j = 0; j < p->n; j++) {
        if (p->heard[j] && !p->gone[j] && p->vtag[j] == p->view) {
            p->pts[m++] = j;
        }
    }
    if (m < (size_t)d + 1) {
        snprintf(p->reason, sizeof(p->reason),
                 "too few shares in round %d (%zu of the %d needed from parties that computed "
                 "over the same inputs)",
                 p->round, m, d + 1);
        return MPCSIM_ENOQUORUM;
    }
    if (!p->robust) {
        *m_out = (size_t)d + 1;
        return 0;
    }
    for (int pass = 0; pass < 3; pass++) {
        size_t nbad = 0, k = 0;
        int rc;

        for (size_t i = 0; i < m; i++) {
            p->xs[i] = (mpcsim_u128)(p->pts[i] + 1);
            p->ys[i] = 0;
        }
        for (size_t q = 0; q < c->n_inter[p->level]; q++) {
            const struct mpc_gate *g = &c->g[ord[q]];
            int dg = g->op == MPC_OP_MUL ? 2 * p->t : p->t;

            if (dg == d) {
                mpcsim_u128 rho = mpc_fsample(f, p->own);

                for (size_t i = 0; i < m; i++) {
                    p->ys[i] = mpc_fadd(
                        f, p->ys[i], mpc_fmul(f, rho, p->recv[(size_t)p->pts[i] * p->E_cap + k]));
                }
            }
            k += mpc__elems(p, g);
        }
        p->ops.mul += (uint64_t)(m * k);
        p->ops.sample += k;
        p->ops.rs_n2 += 1;
        rc = mpc_frs_decode(f, p->co, p->bad, &nbad, p->xs, p->ys, m, (size_t)d);
        if (rc == MPCSIM_ENOMEM) {
            return mpc__fail(p, rc, "out of memory");
        }
        if (rc != 0) {
            snprintf(p->reason, sizeof(p->reason),
                     "shares of round %d do not decode (%zu shares, degree %d: more errors than "
                     "%zu can correct)",
                     p->round, m, d, (m - (size_t)d - 1) / 2);
            return MPCSIM_EDECODE;
        }
        if (nbad == 0) {
            *m_out = m;
            return 0;
        }
        for (size_t b = 0; b < nbad; b++) {
            int j = p->pts[p->bad[b]];

            p->gone[j] = 1;
            if (!p->accused[j]) {
                p->accused[j] = 1;
                p->cheat[p->n_cheat++] = j;
            }
        }
        m = 0;
        for (int j = 0; j < p->n; j++) {
            if (p->heard[j] && !p->gone[j] && p->vtag[j] == p->view) {
                p->pts[m++] = j;
            }
        }
        if (m < (size_t)d + 1) {
            break;
        }
    }
    snprintf(p->reason, sizeof(p->reason), "shares of round %d do not decode consistently",
             p->round);
    return MPCSIM_EDECODE;
}

/* Finish a circuit round. */
static int
mpc__finish_level(struct mpc_party *p)
{
    enum mpc_field_kind f = p->f;
    const struct mpc_circuit *c = p->c;
    size_t s = p->level;
    const int32_t *ord = c->order + c->start[s];
    size_t ni = c->n_inter[s], k = 0;
    mpcsim_u128 lt[2][128];
    int lid[2][128];
    size_t mt[2] = {0, 0};
    int rc;

    if (!p->additive) {
        int has[2] = {0, 0};

        for (size_t q = 0; q < ni; q++) {
            has[c->g[ord[q]].op == MPC_OP_MUL] = 1;
        }
        for (int u = 0; u < 2; u++) {
            int d = u ? 2 * p->t : p->t;
            size_t m = 0;

            if (!has[u]) {
                continue;
            }
            rc = mpc__points(p, d, &m);
            if (rc != 0) {
                return rc;
            }
            /* Interpolate from the first d+1 consistent points. */
            for (int i = 0; i <= d; i++) {
                p->xs[i] = (mpcsim_u128)(p->pts[i] + 1);
            }
            rc = mpc__lagrange0(p, lt[u], p->xs, (size_t)d + 1);
            if (rc != 0) {
                return mpc__fail(p, rc, "bad evaluation points");
            }
            mt[u] = (size_t)d + 1;
            for (int i = 0; i <= d; i++) {
                lid[u][i] = p->pts[i];
            }
        }
    } else if (mpc_party_silent(p) >= 0) {
        snprintf(p->reason, sizeof(p->reason), "party %d silent in round %d (n-of-n)",
                 mpc_party_silent(p), p->round);
        return MPCSIM_ENOQUORUM;
    }
    for (size_t q = 0; q < ni; q++) {
        size_t w = (size_t)ord[q];
        const struct mpc_gate *g = &c->g[w];
        size_t ne = mpc__elems(p, g);
        mpcsim_u128 open[2];

        for (size_t u = 0; u < ne; u++) {
            mpcsim_u128 acc = 0;

            if (p->additive) {
                for (int j = 0; j < p->n; j++) {
                    acc = mpc_fadd(f, acc, p->recv[(size_t)j * p->E_cap + k + u]);
                }
                p->ops.add += (uint64_t)p->n;
            } else {
                int cls = g->op == MPC_OP_MUL;

                for (size_t i = 0; i < mt[cls]; i++) {
                    size_t j = (size_t)lid[cls][i];

                    acc = mpc_fadd(f, acc, mpc_fmul(f, lt[cls][i], p->recv[j * p->E_cap + k + u]));
                }
                p->ops.mul += mt[cls];
            }
            open[u] = acc;
        }
        if (g->op == MPC_OP_OPEN) {
            p->val[w] = open[0];
            rc = mpc__log(p, open[0], p->vmac[mpc__mi(p, (size_t)g->x)]);
        } else if (p->additive) {
            const mpcsim_u128 *a = p->aux + (size_t)c->mix[w] * 6;
            mpcsim_u128 d = open[0], e = open[1];
            mpcsim_u128 z =
                mpc_fadd(f, a[2], mpc_fadd(f, mpc_fmul(f, d, a[1]), mpc_fmul(f, e, a[0])));
            mpcsim_u128 mz = 0;

            if (p->mac) {
                mz = mpc_fadd(f, a[5], mpc_fadd(f, mpc_fmul(f, d, a[4]), mpc_fmul(f, e, a[3])));
            }
            mpc__addc(p, &z, &mz, mpc_fmul(f, d, e));
            p->val[w] = z;
            p->vmac[mpc__mi(p, (size_t)w)] = mz;
            rc = mpc__log(p, d, mpc_fsub(f, p->vmac[mpc__mi(p, (size_t)g->x)], a[3]));
            if (rc == 0) {
                rc = mpc__log(p, e, mpc_fsub(f, p->vmac[mpc__mi(p, (size_t)g->y)], a[4]));
            }
            p->ops.mul += p->mac ? 7 : 3;
        } else {
            const mpcsim_u128 *a = p->aux + (size_t)c->mix[w] * 2;

            p->val[w] = mpc_fadd(f, open[0], a[0]);
            rc = 0;
        }
        if (rc != 0) {
            return mpc__fail(p, rc, "out of memory");
        }
        k += ne;
    }
    mpc__eval_local(p);
    return 0;
}

/* The MAC check's sigma over everything opened (SPDZ: random linear
 * combination with coefficients from a hash of the opened values). */
static int
mpc__sigma(struct mpc_party *p)
{
    enum mpc_field_kind f = p->f;
    crypto_generichash_state h;
    uint8_t key[32], buf[F127_BYTES];
    struct fp_stream *s = NULL;
    mpcsim_u128 sig = 0;

    crypto_generichash_init(&h, NULL, 0, sizeof(key));
    for (size_t i = 0; i < p->n_log; i++) {
        mpc_fencode(f, buf, p->log_v[i]);
        crypto_generichash_update(&h, buf, p->eb);
    }
    crypto_generichash_final(&h, key, sizeof(key));
    if (fp_stream_create(&s, key, 0) != 0) {
        return mpc__fail(p, MPCSIM_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < p->n_log; i++) {
        mpcsim_u128 rho = mpc_fsample(f, s);
        mpcsim_u128 t = mpc_fsub(f, p->log_m[i], mpc_fmul(f, p->alpha_share, p->log_v[i]));

        sig = mpc_fadd(f, sig, mpc_fmul(f, rho, t));
    }
    fp_stream_destroy(s);
    p->sigma = sig;
    fp_stream_bytes(p->own, p->nonce, sizeof(p->nonce));
    p->ops.sample += p->n_log;
    p->ops.mul += 2 * p->n_log;
    p->ops.add += 2 * p->n_log;
    p->ops.hash_bytes += p->eb * p->n_log;
    return 0;
}

static void
mpc__outputs(struct mpc_party *p)
{
    for (size_t k = 0; k < p->c->n_out; k++) {
        p->out[k] = mpc_fto_i128(p->f, p->val[p->c->outs[k]]);
    }
    p->n_out = p->c->n_out;
}

/* see mpc.h */
int
mpc_party_finish(struct mpc_party *p)
{
    int kind = mpc__kind(p, p->round);
    int rc = 0;

    p->n_cheat = 0;
    if (p->round == 0) {
        return MPCSIM_EINVAL;
    }
    if (kind == MPC_MSG_INPUT) {
        int silent = mpc_party_silent(p);

        if (p->additive && silent >= 0) {
            snprintf(p->reason, sizeof(p->reason), "party %d silent in round 1 (n-of-n)", silent);
            return MPCSIM_ENOQUORUM;
        }
        for (int j = 0; j < p->n; j++) {
            if (p->heard[j] && p->refused[j]) {
                snprintf(p->reason, sizeof(p->reason),
                         "party %d's input is outside the comparison range", j);
                return MPCSIM_ERANGE;
            }
        }
        rc = mpc__begin(p);
    } else if (kind == MPC_MSG_ROUND) {
        for (int j = 0; j < p->n && !p->additive; j++) {
            if (!p->heard[j]) {
                p->gone[j] = 1; /* silent: not awaited again */
            }
        }
        rc = mpc__finish_level(p);
    } else if (kind == MPC_MSG_COMMIT) {
        if (mpc_party_silent(p) >= 0) {
            snprintf(p->reason, sizeof(p->reason), "party %d silent in round %d (n-of-n)",
                     mpc_party_silent(p), p->round);
            return MPCSIM_ENOQUORUM;
        }
    } else {
        mpcsim_u128 sum = 0;

        if (mpc_party_silent(p) >= 0) {
            snprintf(p->reason, sizeof(p->reason), "party %d silent in round %d (n-of-n)",
                     mpc_party_silent(p), p->round);
            return MPCSIM_ENOQUORUM;
        }
        for (int j = 0; j < p->n; j++) {
            uint8_t sig[F127_BYTES], cm[MPC_COMMIT_BYTES];

            mpc_fencode(p->f, sig, p->sigmas[j]);
            mpc__commit(cm, sig, p->eb, p->nonces + (size_t)j * MPC_NONCE_BYTES);
            if (memcmp(cm, p->commits + (size_t)j * MPC_COMMIT_BYTES, MPC_COMMIT_BYTES) != 0) {
                if (!p->accused[j]) {
                    p->accused[j] = 1;
                    p->cheat[p->n_cheat++] = j;
                }
                snprintf(p->reason, sizeof(p->reason),
                         "a MAC-check commitment does not open (party %d)", j);
                return MPCSIM_EDECODE;
            }
            sum = mpc_fadd(p->f, sum, p->sigmas[j]);
        }
        p->ops.hash_bytes += (uint64_t)p->n * (p->eb + MPC_NONCE_BYTES);
        if (sum != 0) {
            return mpc__fail(p, MPCSIM_EDECODE,
                             "MAC check failed (a share or MAC was tampered with)");
        }
    }
    if (rc != 0) {
        return rc;
    }
    /* Next round. */
    memset(p->heard, 0, (size_t)p->n);
    p->round++;
    if (p->round > p->rounds) {
        mpc__outputs(p);
        p->round = 0;
        return 0;
    }
    kind = mpc__kind(p, p->round);
    if (kind == MPC_MSG_ROUND) {
        const struct mpc_circuit *c = p->c;

        p->level = (size_t)p->round - 1;
        p->E = 0;
        for (size_t q = c->start[p->level]; q < c->start[p->level] + c->n_inter[p->level]; q++) {
            p->E += mpc__elems(p, &c->g[c->order[q]]);
        }
    } else if (kind == MPC_MSG_COMMIT) {
        return mpc__sigma(p); /* the outputs wait for the check */
    }
    return 0;
}
