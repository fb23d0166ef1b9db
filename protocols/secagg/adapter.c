/* SPDX-License-Identifier: MIT */
/*
 * protocols/secagg/adapter.c - see adapter.h.
 *
 * Both roles are state machines over the four rounds.  The server closes
 * a round when every client it expects has been heard (a message that
 * does not parse counts as heard, and its sender is accused) or at its
 * timer; it accumulates the masked inputs as they arrive, so it keeps
 * O(L) for them, and the unmasking shares in an n x n x 5 table (SecAgg+:
 * n x (k + 1) x 5, by slot).  Clients keep the keys and shares of the
 * others, O(n) (SecAgg+: of their neighbours, O(k), by slot).
 *
 * Wire format, as tight as the paper's accounting (Bonawitz et al. 2017,
 * section 7.1) allows.  A set of parties (SET below) is a tag byte and
 * either a bitmap (tag 0: ceil(n / 8) bytes, bit i of byte i / 8 for
 * party i, party 0 and the spare bits zero) or a list (tag 1: the count m
 * and the m ids in ascending order, each a fixed-width little-endian
 * integer of w bytes, w the fewest that hold n - 1): 1 + min(ceil(n / 8),
 * w (m + 1)) bytes.  The writer takes the list only when it is strictly
 * smaller and the reader refuses the other choice, so a set has one
 * encoding.  SecAgg+ sends a client only the part of each set within its
 * neighbourhood (itself and its k neighbours), so its sets are lists of
 * O(k log n) bits; the entries that follow a set are in its order.
 * Masked values are packed in k = secagg_ring_bits bits each and share
 * elements in 61 bits each (secagg_pack); ct is SECAGG_CT_BYTES (10
 * packed elements and the AEAD tag):
 *   ADV     [1] c_pk s_pk                                client -> server
 *   KEYS    [2] SET U1, |U1| x (c_pk, s_pk)               server -> all clients
 *   SHARES  [3] ct for each v in U1 \ {self}              client -> server
 *   FWD     [4] SET S, ct from each u in S                server -> v in U2
 *               (S = U2 \ {v})
 *   MASKED  [5] commit(b) (32), L values of k bits        client -> server
 *   U3      [6] SET U3                                    server -> u in U3
 *   UNMASK  [7] SET H, 5 elements per v in H              client -> server
 *               (H: the clients whose share it holds)
 *   RESULT  [8] SET U3, L values of k bits                server -> all clients
 *               (only with result_to_clients; the whole U3, which the
 *               clients output as `included`)
 *   ABORT   [9]                                          server -> all clients
 */
#include "protocols/secagg/adapter.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "common/alloc.h"
#include "protocols/field/fp.h"
#include "protocols/field/fp_stream.h"
#include "protocols/round.h"
#include "protocols/secagg/secagg.h"
#include "protocols/shamir/shamir.h"

enum {
    SA_MSG_ADV = 1,
    SA_MSG_KEYS,
    SA_MSG_SHARES,
    SA_MSG_FWD,
    SA_MSG_MASKED,
    SA_MSG_U3,
    SA_MSG_UNMASK,
    SA_MSG_RESULT,
    SA_MSG_ABORT
};
/* Server phases are the round numbers 1..4; client phases wait for a server message. */
enum { SV_ADV = 1, SV_SHARE = 2, SV_MASK = 3, SV_UNMASK = 4, SV_DONE = 5 };
enum { CL_KEYS = 1, CL_FWD = 2, CL_U3 = 3, CL_RESULT = 4, CL_DONE = 5 };
_Static_assert((int)SV_DONE == (int)CL_DONE, "one struct round over value for server and clients");

#define SA_STREAM_PROTOCOL 1
#define SA_STREAM_ADVERSARY 2
#define SA_K SECAGG_KEY_BYTES
#define SA_SE SECAGG_SECRET_ELEMS
#define SA_KEYS_ENTRY (2 * SA_K)
#define SA_CT_ENTRY SECAGG_CT_BYTES
#define SA_EB SECAGG_ELEM_BITS
#define SA_WATCHDOG 5 /* client: round timeouts of server silence before giving up */
#define SA_AGREE_HASH_BYTES (13 + 1 + 3 * SA_K)
/* Keystream bytes per mask element: 8, or 16 for a ring wider than 64 bits. */
#define SA_PRG_BYTES(st) ((size_t)((st)->rbits > 64 ? 16 : 8))

struct secagg_trial {
    struct shamir_ctx *sh; /* n - 1 clients (SecAgg+: k + 1 slots), degree t - 1 */
};

struct secagg_party {
    const struct secagg_params *prm;
    const struct shamir_ctx *sh;
    int n, t, self, phase;
    struct round rd;   /* phase, its timer, abort (protocols/round.h) */
    int kdeg;          /* SecAgg+ degree k; 0: SecAgg, the complete graph */
    int nshares;       /* Shamir parties: n - 1, or k + 1 slots for SecAgg+ */
    size_t width;      /* client: entries of pk, ckey, held, has (n, or k + 1 slots) */
    size_t uw;         /* server: columns of ush and uhas (n, or k + 1 slots) */
    size_t L, bm;      /* vector length; bitmap bytes */
    unsigned rbits;    /* masks live in Z_R, R = 2^rbits */
    mpcsim_u128 rmask; /* R - 1 */
    int is_signed;     /* contributions and the sum are two's complement in Z_R */
    int result_to_clients;
    enum sim_behaviour behaviour;
    int64_t timeout;
    struct fp_stream *rng, *adv;
    unsigned adv_count;
    uint8_t *pk; /* n x (c_pk, s_pk) of the clients in U1 */
    /* U1, U2, U3: the server's are n flags by party; a client's are
     * `width` flags by sa__li (party, or SecAgg+ slot) */
    uint8_t *in1, *in2, *in3;
    int cnt1, cnt2, cnt3;
    /* client */
    const mpcsim_i128 *input; /* L: x (borrowed from the engine until sim_destroy) */
    mpcsim_i128 weight;       /* w (1 for sum and mean) */
    struct secagg_keypair ck, sk;
    uint8_t b[SA_K];
    uint8_t *ckey;  /* n x 32: encryption keys with the U1 members */
    uint64_t *held; /* n x 10: the shares u sent me */
    uint8_t *has;   /* n flags: held[u] is valid */
    uint64_t watch; /* id of the live watchdog timer */
    /* server */
    struct round_heard heard[SV_UNMASK]; /* per phase SV_ADV..SV_UNMASK: the clients heard */
    uint8_t **shares_msg;                /* n: SHARES entries of each u in U2 */
    mpcsim_u128 *z;                      /* L: the running sum of masked inputs (Z_R) */
    mpcsim_u128 *ybuf;                   /* L: one masked input being added */
    uint8_t *commit;                     /* n x 32 */
    uint8_t *resp;                       /* n flags: U5 */
    int cnt5;
    uint64_t *ush;  /* n x n x 5: ush[(v n + w) 5 + k], client w's share of v's secret */
    uint8_t *uhas;  /* n x n flags */
    uint32_t *ktab; /* kcap: open-addressing table of the U1 keys (2 u + j + 1; 0 empty) */
    size_t kcap;    /* a power of two >= 4 n */
};

/* ------------------------------------------------------------------ */

/* see adapter.h */
int
secagg_rounds(const struct secagg_params *p)
{
    return p->result_to_clients ? 8 : 7;
}

static int
sa__input_bits(const struct secagg_params *p)
{
    return p->input_bits == 0 ? SECAGG_DEFAULT_INPUT_BITS : p->input_bits;
}

/* see adapter.h */
unsigned
secagg_ring_bits(const struct secagg_params *p, int n)
{
    unsigned lg = 0;

    while (n > 2 && (UINT64_C(1) << lg) < (uint64_t)(n - 1)) {
        lg++;
    }
    return (unsigned)sa__input_bits(p) + lg;
}

/* see adapter.h */
int
secagg_default_threshold(int n)
{
    return 2 * (n - 1) / 3 + 1;
}

/* see adapter.h */
int
secagg_sparse_degree(int num_shares, int clients)
{
    int k;

    if (num_shares <= 1) {
        return 0;
    }
    k = num_shares < 3 ? 2 : num_shares - 1; /* H(1, c) is not connected */
    if (k % 2 == 1 && clients % 2 == 1) {
        k++;
    }
    return k >= clients - 1 ? 0 : k;
}

/* see adapter.h */
int
secagg_harary_at(int k, int clients, int u, int slot)
{
    int h = k / 2;
    int c0 = u - 1;

    if (slot == 0) {
        return u;
    }
    if (slot <= h) {
        return (c0 + slot) % clients + 1;
    }
    if (slot <= 2 * h) {
        return (c0 - (slot - h) + clients) % clients + 1;
    }
    return (c0 + clients / 2) % clients + 1; /* odd k: the opposite client */
}

/* see adapter.h */
int
secagg_harary_slot(int k, int clients, int u, int v)
{
    int h = k / 2;
    int d = ((v - u) % clients + clients) % clients;

    if (d == 0) {
        return 0;
    }
    if (d <= h) {
        return d;
    }
    if (d >= clients - h) {
        return h + (clients - d);
    }
    if (k % 2 == 1 && 2 * d == clients) {
        return k;
    }
    return -1;
}

/* log P[Bin(n, q) = i] */
static double
sa__lbinom(int n, int i, double q)
{
    if (q <= 0) {
        return i == 0 ? 0 : -INFINITY;
    }
    if (q >= 1) {
        return i == n ? 0 : -INFINITY;
    }
    return lgamma(n + 1.0) - lgamma(i + 1.0) - lgamma(n - i + 1.0) + i * log(q) +
           (n - i) * log1p(-q);
}

/* P[Bin(n, q) >= a] */
static double
sa__binom_upper(int n, double q, int a)
{
    double s = 0;

    if (a <= 0) {
        return 1;
    }
    for (int i = a; i <= n; i++) {
        s += exp(sa__lbinom(n, i, q));
    }
    return s;
}

/* see adapter.h */
int
secagg_auto_shares(int clients, double dropout, double corrupt, int *t)
{
    double sec = ldexp(1.0, -40) / clients, cor = ldexp(1.0, -20) / clients;

    for (int K = 3; K < clients; K++) {
        int k = K - 1;

        if (secagg_sparse_degree(K, clients) != k) {
            continue; /* k odd with c odd: K + 1 is tried next */
        }
        for (int T = K / 2 + 1; T <= K; T++) {
            if (sa__binom_upper(k, corrupt, 2 * T - K) > sec) {
                continue; /* not secure: try a larger threshold */
            }
            /* T is the least secure threshold: correct? (survivors < T) */
            if (1.0 - sa__binom_upper(k, 1.0 - dropout, T - 1) <= cor) {
                *t = T;
                return K;
            }
            break;
        }
    }
    *t = secagg_default_threshold(clients + 1);
    return clients;
}

static int
sa__threshold(const struct secagg_params *p, int n)
{
    int k = secagg_sparse_degree(p->num_shares, n - 1);

    if (p->threshold != 0) {
        return p->threshold;
    }
    return k > 0 ? secagg_default_threshold(k + 2) : secagg_default_threshold(n);
}

/* see adapter.h */
const char *
secagg_unsupported(const struct secagg_params *p, int n)
{
    int t = sa__threshold(p, n);

    if (n < 2) {
        return "secagg needs a server (party 0) and at least one client";
    }
    if (p->comp.length == 0) {
        return "input vectors must have length >= 1";
    }
    if (p->comp.kind != COMPUTATION_SUM && p->comp.kind != COMPUTATION_MEAN &&
        p->comp.kind != COMPUTATION_WEIGHTED_SUM) {
        return "secagg computes sum, weighted_sum and mean (a masked sum), not variance or "
               "dot_product (use shamir or additive)";
    }
    if (p->num_shares < 0 || p->num_shares == 1) {
        return "secagg num_shares must be at least 2 (the shares of one client's secrets)";
    }
    if (t < 1 || t > n - 1) {
        return "secagg threshold t must satisfy 1 <= t <= parties - 1 (the clients)";
    }
    if (n >= 2 && secagg_sparse_degree(p->num_shares, n - 1) > 0 &&
        t > secagg_sparse_degree(p->num_shares, n - 1) + 1) {
        return "secagg reconstruction_threshold must be at most num_shares (each client's secrets "
               "have num_shares shares; one more when num_shares is even and the clients odd)";
    }
    if (p->comp.kind == COMPUTATION_WEIGHTED_SUM &&
        (p->comp.weights == NULL || p->comp.n_weights != (size_t)n)) {
        return "weighted_sum needs one weight per party";
    }
    if (p->input_bits < 0 || p->input_bits > SECAGG_MAX_INPUT_BITS) {
        return "secagg input_bits must be 1 ... 126";
    }
    if (n >= 2 && secagg_ring_bits(p, n) > 128 - (p->inputs_unsigned != 0)) {
        return "secagg input_bits + ceil(log2 clients) must be at most 128 (127 for unsigned "
               "inputs): the masking ring Z_R, whose sum must fit a signed 128-bit result";
    }
    return NULL;
}

/* ------------------------------------------------------------------ */

static void
sa__trial_teardown(void *trial)
{
    struct secagg_trial *tr = trial;

    if (tr == NULL) {
        return;
    }
    shamir_ctx_destroy(tr->sh);
    mpcsim_free(tr);
}

static int
sa__trial_setup(struct sim *sim, void **trial_out, const struct sim_protocol_cfg *cfg0,
                const uint8_t trial_key[32])
{
    const struct secagg_params *prm = cfg0->params;
    struct secagg_trial *tr = NULL;
    int rc;

    (void)sim;
    (void)trial_key;
    if (secagg_unsupported(prm, cfg0->n) != NULL) {
        return MPCSIM_EINVAL;
    }
    if (sodium_init() < 0) {
        return MPCSIM_ENOTSUP;
    }
    tr = mpcsim_calloc(1, sizeof(*tr));
    if (tr == NULL) {
        return MPCSIM_ENOMEM;
    }
    {
        int k = secagg_sparse_degree(prm->num_shares, cfg0->n - 1);

        rc = shamir_ctx_create(&tr->sh, k > 0 ? k + 1 : cfg0->n - 1,
                               sa__threshold(prm, cfg0->n) - 1);
    }
    if (rc != 0) {
        mpcsim_free(tr);
        return rc;
    }
    *trial_out = tr;
    return 0;
}

static void
sa__free(void *state)
{
    struct secagg_party *st = state;

    if (st == NULL) {
        return;
    }
    fp_stream_destroy(st->rng);
    fp_stream_destroy(st->adv);
    mpcsim_free(st->pk);
    mpcsim_free(st->in1);
    mpcsim_free(st->in2);
    mpcsim_free(st->in3);
    if (st->ckey != NULL) {
        sodium_memzero(st->ckey, st->width * SA_K);
    }
    mpcsim_free(st->ckey);
    mpcsim_free(st->held);
    mpcsim_free(st->has);
    for (int k = 0; k < SV_UNMASK; k++) {
        round_heard_clear(&st->heard[k]);
    }
    if (st->shares_msg != NULL) {
        for (int i = 0; i < st->n; i++) {
            mpcsim_free(st->shares_msg[i]);
        }
    }
    mpcsim_free(st->shares_msg);
    mpcsim_free(st->z);
    mpcsim_free(st->ybuf);
    mpcsim_free(st->commit);
    mpcsim_free(st->resp);
    mpcsim_free(st->ush);
    mpcsim_free(st->uhas);
    mpcsim_free(st->ktab);
    sodium_memzero(st, sizeof(*st));
    mpcsim_free(st);
}

static int
sa__setup(struct sim_party *p, const struct sim_protocol_cfg *cfg)
{
    const struct secagg_params *prm = cfg->params;
    const struct secagg_trial *tr = cfg->trial;
    struct secagg_party *st = NULL;
    size_t n = (size_t)cfg->n;
    int rc = 0;

    if (tr == NULL || secagg_unsupported(prm, cfg->n) != NULL ||
        (cfg->self != 0 && cfg->input_len != prm->comp.length)) {
        return MPCSIM_EINVAL;
    }
    st = mpcsim_calloc(1, sizeof(*st));
    if (st == NULL) {
        return MPCSIM_ENOMEM;
    }
    st->prm = prm;
    st->sh = tr->sh;
    st->n = cfg->n;
    st->t = sa__threshold(prm, cfg->n);
    st->self = cfg->self;
    st->kdeg = secagg_sparse_degree(prm->num_shares, cfg->n - 1);
    st->nshares = st->kdeg > 0 ? st->kdeg + 1 : cfg->n - 1;
    st->width = st->kdeg > 0 && cfg->self != 0 ? (size_t)st->kdeg + 1 : n;
    st->uw = st->kdeg > 0 ? (size_t)st->kdeg + 1 : n;
    st->L = prm->comp.length;
    st->bm = (n + 7) / 8;
    st->behaviour = cfg->behaviour;
    st->timeout = cfg->round_timeout_ns;
    /* SV_DONE == CL_DONE: the server and the clients are over at the same value */
    round_init(&st->rd, &st->phase, cfg->self == 0 ? SV_ADV : CL_KEYS, SV_DONE,
               cfg->round_timeout_ns);
    st->rbits = secagg_ring_bits(prm, cfg->n);
    st->rmask = st->rbits >= 128 ? ~(mpcsim_u128)0 : ((mpcsim_u128)1 << st->rbits) - 1;
    st->is_signed = !prm->inputs_unsigned;
    st->result_to_clients = prm->result_to_clients;
    rc = fp_stream_create(&st->rng, cfg->key, SA_STREAM_PROTOCOL);
    if (rc == 0) {
        rc = fp_stream_create(&st->adv, cfg->key, SA_STREAM_ADVERSARY);
    }
    if (rc != 0) {
        goto out;
    }
    st->pk = mpcsim_calloc(st->width, 2 * SA_K);
    st->in1 = mpcsim_calloc(st->width, 1);
    st->in2 = mpcsim_calloc(st->width, 1);
    st->in3 = mpcsim_calloc(st->width, 1);
    if (st->pk == NULL || st->in1 == NULL || st->in2 == NULL || st->in3 == NULL) {
        rc = MPCSIM_ENOMEM;
        goto out;
    }
    if (st->self == 0) {
        for (int k = 0; k < SV_UNMASK && rc == 0; k++) {
            rc = round_heard_init(&st->heard[k], cfg->n);
        }
        st->shares_msg = mpcsim_calloc(n, sizeof(*st->shares_msg));
        st->z = mpcsim_calloc(st->L, sizeof(*st->z));
        st->ybuf = mpcsim_calloc(st->L, sizeof(*st->ybuf));
        st->commit = mpcsim_calloc(n, SECAGG_COMMIT_BYTES);
        st->resp = mpcsim_calloc(n, 1);
        st->kcap = 16;
        while (st->kcap < 4 * n) {
            st->kcap *= 2;
        }
        st->ktab = mpcsim_calloc(st->kcap, sizeof(*st->ktab));
        if (rc != 0 || st->shares_msg == NULL || st->z == NULL || st->ybuf == NULL ||
            st->commit == NULL || st->resp == NULL || st->ktab == NULL) {
            rc = MPCSIM_ENOMEM;
            goto out;
        }
    } else {
        mpcsim_i128 w =
            prm->comp.kind == COMPUTATION_WEIGHTED_SUM ? prm->comp.weights[st->self] : 1;
        int b = sa__input_bits(prm);
        mpcsim_i128 lo = st->is_signed ? -((mpcsim_i128)1 << (b - 1)) : 0;
        mpcsim_i128 hi = st->is_signed ? ((mpcsim_i128)1 << (b - 1)) : ((mpcsim_i128)1 << b);

        st->ckey = mpcsim_calloc(st->width, SA_K);
        st->held = mpcsim_calloc(st->width, SECAGG_SHARE_ELEMS * sizeof(uint64_t));
        st->has = mpcsim_calloc(st->width, 1);
        if (st->ckey == NULL || st->held == NULL || st->has == NULL) {
            rc = MPCSIM_ENOMEM;
            goto out;
        }
        /* The contributions w x must fit input_bits (computed again when masking). */
        for (size_t k = 0; k < st->L; k++) {
            mpcsim_i128 c = 0;

            if (__builtin_mul_overflow(w, cfg->input[k], &c) || c < lo || c >= hi) {
                rc = MPCSIM_ERANGE; /* beyond protocol.input_bits */
                goto out;
            }
        }
        st->input = cfg->input;
        st->weight = w;
    }
    sim_party_set_state(p, st);
    st = NULL;
out:
    sa__free(st);
    return rc;
}

static void
sa__teardown(struct sim_party *p)
{
    round_teardown(p, sa__free);
}

/* ------------------------------------------------------------------ */

/* Server: give up and tell the clients. */
static void
sa__server_abort(struct sim_party *p, struct secagg_party *st, const char *reason)
{
    const uint8_t msg[1] = {SA_MSG_ABORT};
    /* Sent in place of the server's message of its current round k (2k). */
    int round = 2 * (st->phase >= SV_ADV && st->phase <= SV_UNMASK ? st->phase : SV_UNMASK);

    round_abort(&st->rd, p, "%s", reason);
    if (st->n > 1 && sim_broadcast(p, round, msg, sizeof(msg)) != 0) {
        return; /* sticky MPCSIM_ENOMEM: sim_run reports it */
    }
}

static int
sa__client_watch(struct sim_party *p, struct secagg_party *st)
{
    st->watch++;
    return sim_set_timer(p, SA_WATCHDOG * st->timeout, st->watch);
}

/* The integer that z in Z_R stands for (two's complement when signed). */
static mpcsim_i128
sa__ring_to_int(const struct secagg_party *st, mpcsim_u128 z)
{
    if (st->is_signed && ((z >> (st->rbits - 1)) & 1)) {
        return -(mpcsim_i128)(~z & st->rmask) - 1; /* z - R */
    }
    return (mpcsim_i128)z; /* < 2^127: the sum of c contributions of < 2^126 */
}

/* Whether clients u != v are neighbours (always, for SecAgg). */
static int
sa__nb(const struct secagg_party *st, int u, int v)
{
    return u != v && (st->kdeg == 0 || secagg_harary_slot(st->kdeg, st->n - 1, u, v) > 0);
}

/* The Shamir index of v's share of u's secrets (v = u or a neighbour). */
static int
sa__shidx(const struct secagg_party *st, int u, int v)
{
    return st->kdeg == 0 ? v - 1 : secagg_harary_slot(st->kdeg, st->n - 1, u, v);
}

/* The client holding Shamir index i of u's secrets. */
static int
sa__holder(const struct secagg_party *st, int u, int i)
{
    return st->kdeg == 0 ? i + 1 : secagg_harary_at(st->kdeg, st->n - 1, u, i);
}

/* Client: where v's entries live in pk, ckey, held, has (-1: not a neighbour). */
static int
sa__li(const struct secagg_party *st, int v)
{
    return st->kdeg == 0 ? v : secagg_harary_slot(st->kdeg, st->n - 1, st->self, v);
}

/* Server: U1 members among u and its neighbours. */
static int
sa__count_nb1(const struct secagg_party *st, int u)
{
    int c = 1;

    if (st->kdeg == 0) {
        return st->cnt1;
    }
    for (int s = 1; s <= st->kdeg; s++) {
        c += st->in1[secagg_harary_at(st->kdeg, st->n - 1, u, s)];
    }
    return c;
}

/* ------------------------------------------------------------------ */
/* Client */

static void
sa__client_start(struct sim_party *p, struct secagg_party *st)
{
    uint8_t seed[SA_K];
    uint8_t msg[1 + 2 * SA_K];
    int rc;

    fp_stream_bytes(st->rng, seed, SA_K);
    rc = secagg_keypair(&st->ck, seed);
    fp_stream_bytes(st->rng, seed, SA_K);
    if (rc == 0) {
        rc = secagg_keypair(&st->sk, seed);
    }
    sodium_memzero(seed, sizeof(seed));
    sim_charge(p, SIM_OP_X25519, 2);
    if (rc != 0) {
        round_abort(&st->rd, p, "secagg: key generation failed");
        return;
    }
    msg[0] = SA_MSG_ADV;
    memcpy(msg + 1, st->ck.pk, SA_K);
    memcpy(msg + 1 + SA_K, st->sk.pk, SA_K);
    rc = sim_send(p, 0, 1, msg, sizeof(msg)); /* round 1: AdvertiseKeys */
    if (rc == 0) {
        rc = sa__client_watch(p, st);
    }
    if (rc != 0) {
        round_abort(&st->rd, p, "secagg: out of memory");
    }
}

/* Client: the party at li (0 .. width - 1), the inverse of sa__li. */
static int
sa__cid(const struct secagg_party *st, size_t li)
{
    return st->kdeg == 0 ? (int)li : secagg_harary_at(st->kdeg, st->n - 1, st->self, (int)li);
}

/*
 * SecAgg+: client u and its k neighbours in ascending order into out
 * (k + 1 entries): the circular run u - h .. u + h (mod c, h = floor(k / 2))
 * rotated at its wrap, and for odd k the opposite client merged in.
 */
static size_t
sa__nbhd_sorted(const struct secagg_party *st, int u, int *out)
{
    int c = st->n - 1, h = st->kdeg / 2;
    int start = ((u - 1 - h) % c + c) % c; /* 0-based */
    int run = 2 * h + 1, wrap = c - start;
    size_t m = 0;

    if (wrap >= run) {
        for (int i = 0; i < run; i++) {
            out[m++] = start + i + 1;
        }
    } else {
        for (int i = 0; i < run - wrap; i++) {
            out[m++] = i + 1;
        }
        for (int i = 0; i < wrap; i++) {
            out[m++] = start + i + 1;
        }
    }
    if (st->kdeg % 2 == 1) {
        int o = secagg_harary_at(st->kdeg, c, u, st->kdeg);
        size_t j = m++;

        while (j > 0 && out[j - 1] > o) {
            out[j] = out[j - 1];
            j--;
        }
        out[j] = o;
    }
    return m;
}

/* Encoded bytes of a set of m members (secagg_set_bytes). */
static size_t
sa__set_bytes(const struct secagg_party *st, size_t m)
{
    return secagg_set_bytes(st->n, m);
}

/* Write the set ids[0..m) (ascending, each in 1 .. n - 1); returns its bytes. */
static size_t
sa__set_write(uint8_t *out, const struct secagg_party *st, const int *ids, size_t m)
{
    return secagg_set_write(out, st->n, ids, m);
}

/* The members of flags[1 .. n) into ids (ascending); returns their count. */
static size_t
sa__flags_ids(const struct secagg_party *st, const uint8_t *flags, int *ids)
{
    size_t m = 0;

    for (int i = 1; i < st->n; i++) {
        if (flags[i]) {
            ids[m++] = i;
        }
    }
    return m;
}

/* Parse a set (secagg_set_parse) of at most cap members. */
static int
sa__set_parse(const struct secagg_party *st, int *ids, size_t cap, size_t *m, size_t *used,
              const uint8_t *in, size_t len)
{
    return secagg_set_parse(ids, cap, m, used, st->n, in, len);
}

/* KEYS: check U1, derive the encryption keys, share sk and b, send SHARES. */
static void
sa__client_keys(struct sim_party *p, struct secagg_party *st, const uint8_t *msg, size_t len)
{
    size_t m = 0, used = 0;
    int found = 0;
    int *ids = NULL;
    uint64_t *rows = NULL, *scratch = NULL;
    uint8_t *out = NULL;
    size_t olen, o;
    int rc = 0;

    ids = mpcsim_malloc(st->width * sizeof(*ids));
    if (ids == NULL) {
        rc = MPCSIM_ENOMEM;
        goto out;
    }
    if (sa__set_parse(st, ids, st->width, &m, &used, msg + 1, len - 1) != 0 ||
        len != 1 + used + m * SA_KEYS_ENTRY) {
        goto malformed;
    }
    for (size_t e = 0; e < m; e++) {
        const uint8_t *ent = msg + 1 + used + e * SA_KEYS_ENTRY;
        int id = ids[e];

        if (sa__li(st, id) < 0) {
            goto malformed; /* SecAgg+: the server sends the neighbourhood only */
        }
        if (id == st->self) {
            if (memcmp(ent, st->ck.pk, SA_K) != 0 || memcmp(ent + SA_K, st->sk.pk, SA_K) != 0) {
                goto malformed;
            }
            found = 1;
        } else if (memcmp(ent, st->ck.pk, SA_K) == 0 || memcmp(ent + SA_K, st->sk.pk, SA_K) == 0) {
            goto malformed; /* the paper: all key pairs must differ */
        }
    }
    if ((int)m < st->t) {
        round_abort(&st->rd, p, "secagg: fewer than t clients advertised keys");
        goto out;
    }
    if (!found) {
        /* Left out of U1: wait for the sum, or (not sent) stop here. */
        st->phase = st->result_to_clients ? CL_RESULT : CL_DONE;
        goto out;
    }
    for (size_t e = 0; e < m; e++) {
        size_t li = (size_t)sa__li(st, ids[e]);

        memcpy(st->pk + li * 2 * SA_K, msg + 1 + used + e * SA_KEYS_ENTRY, 2 * SA_K);
        st->in1[li] = 1;
    }
    st->cnt1 = (int)m;
    /* Encryption keys with every other member of U1 (SecAgg+: the neighbours). */
    for (size_t e = 0; e < m; e++) {
        size_t li = (size_t)sa__li(st, ids[e]);

        if (ids[e] == st->self) {
            continue;
        }
        if (secagg_agree(st->ckey + li * SA_K, st->ck.sk, st->ck.pk, st->pk + li * 2 * SA_K,
                         SECAGG_DOMAIN_ENC) != 0) {
            goto malformed; /* the server vouched for an unusable key */
        }
    }
    sim_charge(p, SIM_OP_X25519, (double)(m - 1));
    sim_charge(p, SIM_OP_HASH_BYTE, (double)(m - 1) * SA_AGREE_HASH_BYTES);
    /* Share s_sk and b over all n - 1 clients, or SecAgg+'s k + 1 slots
     * (shares outside U1 are dropped). */
    fp_stream_bytes(st->rng, st->b, SA_K);
    rows = mpcsim_malloc((size_t)st->nshares * SECAGG_SHARE_ELEMS * sizeof(*rows));
    scratch = mpcsim_malloc((size_t)st->nshares * sizeof(*scratch));
    olen = 1 + (m - 1) * SA_CT_ENTRY;
    out = mpcsim_malloc(olen);
    if (rows == NULL || scratch == NULL || out == NULL) {
        rc = MPCSIM_ENOMEM;
        goto out;
    }
    secagg_share_secrets(st->sh, rows, scratch, st->sk.sk, st->b, st->rng);
    sim_charge(p, SIM_OP_FIELD_SAMPLE, (double)((size_t)(st->t - 1) * SECAGG_SHARE_ELEMS));
    sim_charge(p, SIM_OP_FIELD_MUL,
               (double)((size_t)st->nshares * (size_t)(st->t - 1) * SECAGG_SHARE_ELEMS));
    memcpy(st->held + (size_t)sa__li(st, st->self) * SECAGG_SHARE_ELEMS,
           rows + (size_t)sa__shidx(st, st->self, st->self) * SECAGG_SHARE_ELEMS,
           SECAGG_SHARE_ELEMS * sizeof(*rows));
    st->has[sa__li(st, st->self)] = 1;
    out[0] = SA_MSG_SHARES;
    o = 1;
    for (size_t e = 0; e < m; e++) {
        int v = ids[e];

        if (v == st->self) {
            continue;
        }
        secagg_seal(out + o, st->ckey + (size_t)sa__li(st, v) * SA_K, (uint32_t)st->self,
                    (uint32_t)v, rows + (size_t)sa__shidx(st, st->self, v) * SECAGG_SHARE_ELEMS);
        o += SA_CT_ENTRY;
    }
    sim_charge(p, SIM_OP_AEAD_BYTE, (double)((m - 1) * SECAGG_CT_BYTES));
    rc = sim_send(p, 0, 3, out, olen); /* round 3: ShareKeys */
    if (rc == 0) {
        st->phase = CL_FWD;
    }
out:
    if (rows != NULL) {
        sodium_memzero(rows, (size_t)st->nshares * SECAGG_SHARE_ELEMS * sizeof(*rows));
    }
    mpcsim_free(ids);
    mpcsim_free(rows);
    mpcsim_free(scratch);
    mpcsim_free(out);
    if (rc != 0) {
        round_abort(&st->rd, p, "secagg: out of memory");
    }
    return;
malformed:
    mpcsim_free(ids);
    sim_accuse(p, 0);
    round_abort(&st->rd, p, "secagg: malformed key list from the server");
}

/* FWD: open the shares, mask the input, send MASKED. */
static void
sa__client_fwd(struct sim_party *p, struct secagg_party *st, const uint8_t *msg, size_t len)
{
    size_t L = st->L;
    size_t mlen = 1 + SECAGG_COMMIT_BYTES + SECAGG_PACKED_BYTES(L, st->rbits);
    size_t m = 0, used = 0;
    int *ids = NULL;
    uint8_t *out = NULL;
    mpcsim_u128 *y = NULL;
    uint8_t key[SA_K];
    int rc = 0;

    ids = mpcsim_malloc(st->width * sizeof(*ids));
    if (ids == NULL) {
        rc = MPCSIM_ENOMEM;
        goto out;
    }
    if (sa__set_parse(st, ids, st->width, &m, &used, msg + 1, len - 1) != 0 ||
        len != 1 + used + m * SA_CT_ENTRY) {
        goto malformed;
    }
    for (size_t e = 0; e < m; e++) {
        int li = sa__li(st, ids[e]);

        if (ids[e] == st->self || li < 0 || !st->in1[li]) {
            goto malformed; /* U2 \ {self} must lie in U1 (SecAgg+: among the neighbours) */
        }
    }
    if ((int)m + 1 < st->t) {
        round_abort(&st->rd, p, "secagg: fewer than t clients shared their keys");
        goto out;
    }
    st->in2[sa__li(st, st->self)] = 1;
    for (size_t e = 0; e < m; e++) {
        const uint8_t *ent = msg + 1 + used + e * SA_CT_ENTRY;
        size_t li = (size_t)sa__li(st, ids[e]);

        st->in2[li] = 1;
        if (secagg_open(st->held + li * SECAGG_SHARE_ELEMS, st->ckey + li * SA_K, (uint32_t)ids[e],
                        (uint32_t)st->self, ent) == 0) {
            st->has[li] = 1;
        }
        /* Else this client holds no share of u.  No accusation: u or the
         * relaying server may have tampered, and nobody can tell which. */
    }
    st->cnt2 = (int)m + 1;
    sim_charge(p, SIM_OP_AEAD_BYTE, (double)(m * SECAGG_CT_BYTES));
    /* y = w x + PRG(b) + sum of the signed pairwise masks, in Z_R. */
    out = mpcsim_malloc(mlen);
    y = mpcsim_malloc(L * sizeof(*y));
    if (out == NULL || y == NULL) {
        rc = MPCSIM_ENOMEM;
        goto out;
    }
    for (size_t k = 0; k < L; k++) { /* w x in Z_R (two's complement when signed) */
        y[k] = (mpcsim_u128)(st->weight * st->input[k]) & st->rmask;
    }
    secagg_prg_add_mod2k_wide(y, L, st->b, +1, st->rbits);
    for (size_t e = 0; e < m; e++) {
        int u = ids[e];

        if (secagg_agree(key, st->sk.sk, st->sk.pk,
                         st->pk + (size_t)sa__li(st, u) * 2 * SA_K + SA_K,
                         SECAGG_DOMAIN_MASK) != 0) {
            sodium_memzero(y, L * sizeof(*y));
            sim_accuse(p, 0);
            round_abort(&st->rd, p, "secagg: unusable mask key from the server");
            goto out;
        }
        secagg_prg_add_mod2k_wide(y, L, key, st->self < u ? +1 : -1, st->rbits);
    }
    sodium_memzero(key, sizeof(key));
    sim_charge(p, SIM_OP_X25519, (double)m);
    sim_charge(p, SIM_OP_HASH_BYTE, (double)m * SA_AGREE_HASH_BYTES + 15 + SA_K);
    sim_charge(p, SIM_OP_PRG_BYTE, (double)((m + 1) * SA_PRG_BYTES(st) * L));
    sim_charge(p, SIM_OP_FIELD_ADD, (double)((m + 1) * L));
    sim_charge(p, SIM_OP_FIELD_MUL, (double)L);
    out[0] = SA_MSG_MASKED;
    secagg_commit(out + 1, st->b);
    secagg_pack_wide(out + 1 + SECAGG_COMMIT_BYTES, y, L, st->rbits);
    rc = sim_send(p, 0, 5, out, mlen); /* MaskedInput */
    if (rc == 0) {
        st->phase = CL_U3;
    }
out:
    mpcsim_free(ids);
    mpcsim_free(out);
    mpcsim_free(y);
    if (rc != 0) {
        round_abort(&st->rd, p, "secagg: out of memory");
    }
    return;
malformed:
    mpcsim_free(ids);
    sim_accuse(p, 0);
    round_abort(&st->rd, p, "secagg: malformed share list from the server");
}

/* Ascending order of the (id, li) pairs in ids (k + 1 at most: insertion sort). */
static void
sa__sort_pairs(int *ids, size_t *lis, size_t m)
{
    for (size_t i = 1; i < m; i++) {
        int v = ids[i];
        size_t l = lis[i], j = i;

        while (j > 0 && ids[j - 1] > v) {
            ids[j] = ids[j - 1];
            lis[j] = lis[j - 1];
            j--;
        }
        ids[j] = v;
        lis[j] = l;
    }
}

/* U3: send the shares of b (U3) or of the mask key (U2 \ U3) held. */
static void
sa__client_u3(struct sim_party *p, struct secagg_party *st, const uint8_t *msg, size_t len)
{
    size_t cnt = 0, o, olen, m = 0, used = 0;
    uint8_t *out = NULL;
    uint64_t *el = NULL;
    int *ids = NULL;
    size_t *lis = NULL;
    int rc = 0;

    ids = mpcsim_malloc(st->width * sizeof(*ids));
    lis = mpcsim_malloc(st->width * sizeof(*lis));
    el = mpcsim_malloc(st->width * SA_SE * sizeof(*el));
    if (ids == NULL || lis == NULL || el == NULL) {
        rc = MPCSIM_ENOMEM;
        goto out;
    }
    if (sa__set_parse(st, ids, st->width, &m, &used, msg + 1, len - 1) != 0 || len != 1 + used) {
        goto malformed;
    }
    for (size_t e = 0; e < m; e++) {
        int li = sa__li(st, ids[e]);

        if (li < 0 || !st->in2[li]) {
            goto malformed; /* U3 must lie in U2 (SecAgg+: and in the neighbourhood) */
        }
    }
    memset(st->in3, 0, st->width);
    for (size_t e = 0; e < m; e++) {
        st->in3[sa__li(st, ids[e])] = 1;
    }
    if (!st->in3[sa__li(st, st->self)]) {
        goto malformed; /* sent only to the members of U3 */
    }
    st->cnt3 = (int)m;
    if (st->cnt3 < st->t) {
        round_abort(&st->rd, p, "secagg: fewer than t clients sent masked inputs");
        goto out;
    }
    for (size_t li = 0; li < st->width; li++) {
        if (st->in2[li] && st->has[li]) {
            ids[cnt] = sa__cid(st, li);
            lis[cnt++] = li;
        }
    }
    sa__sort_pairs(ids, lis, cnt); /* SecAgg: already in order */
    for (size_t e = 0; e < cnt; e++) {
        /* Never both secrets of one client: b for survivors, the key for the dropped. */
        memcpy(el + e * SA_SE,
               st->held + lis[e] * SECAGG_SHARE_ELEMS + (st->in3[lis[e]] ? SA_SE : 0),
               SA_SE * sizeof(*el));
    }
    olen = 1 + sa__set_bytes(st, cnt) + SECAGG_PACKED_BYTES(cnt * SA_SE, SA_EB);
    out = mpcsim_malloc(olen);
    if (out == NULL) {
        rc = MPCSIM_ENOMEM;
        goto out;
    }
    out[0] = SA_MSG_UNMASK;
    o = 1 + sa__set_write(out + 1, st, ids, cnt);
    secagg_pack(out + o, el, cnt * SA_SE, SA_EB);
    rc = sim_send(p, 0, 7, out, olen); /* round 7: Unmasking */
    if (rc == 0) {
        /* Without result_to_clients the client's part ends here. */
        st->phase = st->result_to_clients ? CL_RESULT : CL_DONE;
    }
out:
    if (el != NULL) {
        sodium_memzero(el, st->width * SA_SE * sizeof(*el));
    }
    mpcsim_free(el);
    mpcsim_free(ids);
    mpcsim_free(lis);
    mpcsim_free(out);
    if (rc != 0) {
        round_abort(&st->rd, p, "secagg: out of memory");
    }
    return;
malformed:
    mpcsim_free(el);
    mpcsim_free(ids);
    mpcsim_free(lis);
    sim_accuse(p, 0);
    round_abort(&st->rd, p, "secagg: malformed survivor list from the server");
}

/* RESULT: output the server's sum with its included flags. */
static void
sa__client_result(struct sim_party *p, struct secagg_party *st, const uint8_t *msg, size_t len)
{
    size_t L = st->L;
    uint8_t *inc = NULL;
    int *ids = NULL;
    mpcsim_i128 *vals = NULL;
    mpcsim_u128 *z = NULL;
    size_t m = 0, used = 0;

    inc = mpcsim_calloc((size_t)st->n, 1);
    ids = mpcsim_malloc((size_t)st->n * sizeof(*ids));
    vals = mpcsim_malloc(L * sizeof(*vals));
    z = mpcsim_malloc(L * sizeof(*z));
    if (inc == NULL || ids == NULL || vals == NULL || z == NULL) {
        round_abort(&st->rd, p, "secagg: out of memory");
        goto out;
    }
    if (sa__set_parse(st, ids, (size_t)st->n, &m, &used, msg + 1, len - 1) != 0 ||
        len != 1 + used + SECAGG_PACKED_BYTES(L, st->rbits)) {
        goto malformed;
    }
    if (secagg_unpack_wide(z, msg + 1 + used, L, st->rbits) != 0) {
        goto malformed;
    }
    for (size_t e = 0; e < m; e++) {
        inc[ids[e]] = 1;
    }
    for (size_t k = 0; k < L; k++) {
        vals[k] = sa__ring_to_int(st, z[k]);
    }
    round_finish(&st->rd);
    if (sim_output(p, vals, L, inc) != 0) {
        sim_abort(p, "secagg: out of memory");
    }
    goto out;
malformed:
    sim_accuse(p, 0);
    round_abort(&st->rd, p, "secagg: malformed result from the server");
out:
    mpcsim_free(inc);
    mpcsim_free(ids);
    mpcsim_free(vals);
    mpcsim_free(z);
}

static void
sa__client_message(struct sim_party *p, struct secagg_party *st, int from, const uint8_t *msg,
                   size_t len)
{
    int rc;

    if (from != 0) {
        sim_accuse(p, from); /* clients talk only to the server */
        return;
    }
    if (len < 1) {
        sim_accuse(p, 0);
        round_abort(&st->rd, p, "secagg: empty message from the server");
        return;
    }
    rc = sa__client_watch(p, st);
    if (rc != 0) {
        round_abort(&st->rd, p, "secagg: out of memory");
        return;
    }
    switch (msg[0]) {
    case SA_MSG_KEYS:
        if (st->phase == CL_KEYS) {
            sa__client_keys(p, st, msg, len);
        }
        break;
    case SA_MSG_FWD:
        if (st->phase == CL_FWD) {
            sa__client_fwd(p, st, msg, len);
        }
        break;
    case SA_MSG_U3:
        if (st->phase == CL_U3) {
            sa__client_u3(p, st, msg, len);
        }
        break;
    case SA_MSG_RESULT:
        sa__client_result(p, st, msg, len);
        break;
    case SA_MSG_ABORT:
        round_abort(&st->rd, p, "secagg: the server aborted");
        break;
    default:
        sim_accuse(p, 0);
        round_abort(&st->rd, p, "secagg: malformed message from the server");
        break;
    }
}

/* ------------------------------------------------------------------ */
/* Server */

/* SecAgg+: send each client the members of U1 among itself and its neighbours. */
static int
sa__server_close_adv_sparse(struct sim_party *p, struct secagg_party *st)
{
    size_t width = (size_t)st->kdeg + 1;
    size_t len = 1 + sa__set_bytes(st, width) + st->bm + width * SA_KEYS_ENTRY; /* at most */
    uint8_t *msg = mpcsim_malloc(len);
    int *nb = mpcsim_malloc(width * sizeof(*nb));
    int *ids = mpcsim_malloc(width * sizeof(*ids));
    int rc = 0;

    if (msg == NULL || nb == NULL || ids == NULL) {
        rc = MPCSIM_ENOMEM;
        goto out;
    }
    msg[0] = SA_MSG_KEYS;
    for (int v = 1; v < st->n && rc == 0; v++) {
        size_t m = 0, o;

        sa__nbhd_sorted(st, v, nb);
        for (size_t i = 0; i < width; i++) {
            if (st->in1[nb[i]]) {
                ids[m++] = nb[i];
            }
        }
        o = 1 + sa__set_write(msg + 1, st, ids, m);
        for (size_t i = 0; i < m; i++) {
            memcpy(msg + o, st->pk + (size_t)ids[i] * 2 * SA_K, 2 * SA_K);
            o += SA_KEYS_ENTRY;
        }
        rc = sim_send(p, v, 2, msg, o); /* round 2: the key list U1 */
    }
out:
    mpcsim_free(msg);
    mpcsim_free(nb);
    mpcsim_free(ids);
    return rc == 0 ? round_enter(&st->rd, p, SV_SHARE) : rc;
}

/* Close AdvertiseKeys: broadcast U1. */
static int
sa__server_close_adv(struct sim_party *p, struct secagg_party *st)
{
    size_t len = 1 + sa__set_bytes(st, (size_t)st->cnt1) + (size_t)st->cnt1 * SA_KEYS_ENTRY;
    uint8_t *msg;
    int *ids;
    size_t o, m;
    int rc;

    if (st->cnt1 < st->t) {
        sa__server_abort(p, st, "secagg: fewer than t clients advertised keys");
        return 0;
    }
    if (st->kdeg > 0) {
        return sa__server_close_adv_sparse(p, st);
    }
    msg = mpcsim_malloc(len);
    ids = mpcsim_malloc((size_t)st->n * sizeof(*ids));
    if (msg == NULL || ids == NULL) {
        mpcsim_free(msg);
        mpcsim_free(ids);
        return MPCSIM_ENOMEM;
    }
    msg[0] = SA_MSG_KEYS;
    m = sa__flags_ids(st, st->in1, ids);
    o = 1 + sa__set_write(msg + 1, st, ids, m);
    for (size_t i = 0; i < m; i++) {
        memcpy(msg + o, st->pk + (size_t)ids[i] * 2 * SA_K, 2 * SA_K);
        o += SA_KEYS_ENTRY;
    }
    rc = sim_broadcast(p, 2, msg, len); /* round 2: the key list U1 */
    mpcsim_free(msg);
    mpcsim_free(ids);
    return rc == 0 ? round_enter(&st->rd, p, SV_SHARE) : rc;
}

/* Close ShareKeys: forward to each v in U2 the ciphertexts addressed to it. */
static int
sa__server_close_share(struct sim_party *p, struct secagg_party *st)
{
    size_t n = (size_t)st->n;
    size_t cap = st->kdeg > 0 ? (size_t)st->kdeg + 1 : n;
    int *rank = NULL; /* rank in U1 */
    int *all = NULL, *ids = NULL;
    uint8_t *msg = NULL;
    size_t len = 1 + 1 + st->bm +
                 (size_t)(st->kdeg > 0 ? st->kdeg : st->cnt2 - 1) * SA_CT_ENTRY; /* at most */
    size_t n_all = 0;
    int r = 0, rc = 0;

    if (st->cnt2 < st->t) {
        sa__server_abort(p, st, "secagg: fewer than t clients shared their keys");
        return 0;
    }
    rank = mpcsim_malloc(n * sizeof(*rank));
    msg = mpcsim_malloc(len);
    all = mpcsim_malloc(n * sizeof(*all));
    ids = mpcsim_malloc(cap * sizeof(*ids));
    if (rank == NULL || msg == NULL || all == NULL || ids == NULL) {
        rc = MPCSIM_ENOMEM;
        goto out;
    }
    for (size_t u = 0; u < n; u++) {
        rank[u] = st->in1[u] ? r++ : -1;
    }
    if (st->kdeg == 0) {
        n_all = sa__flags_ids(st, st->in2, all);
    }
    msg[0] = SA_MSG_FWD;
    for (size_t v = 1; v < n && rc == 0; v++) {
        size_t m = 0, o;

        if (!st->in2[v]) {
            continue;
        }
        if (st->kdeg == 0) {
            for (size_t i = 0; i < n_all; i++) {
                if ((size_t)all[i] != v) {
                    ids[m++] = all[i];
                }
            }
        } else {
            /* SecAgg+: the neighbours of v in U2, ascending. */
            size_t k1 = sa__nbhd_sorted(st, (int)v, all);

            for (size_t i = 0; i < k1; i++) {
                if ((size_t)all[i] != v && st->in2[all[i]]) {
                    ids[m++] = all[i];
                }
            }
        }
        o = 1 + sa__set_write(msg + 1, st, ids, m);
        for (size_t i = 0; i < m; i++) {
            size_t u = (size_t)ids[i];
            size_t pos = 0;

            if (st->kdeg == 0) {
                /* u's entries cover U1 \ {u} in order. */
                pos = (size_t)rank[v] - (rank[u] < rank[v] ? 1 : 0);
            } else {
                /* SecAgg+: u's neighbours in U1, in order. */
                for (int sl = 1; sl <= st->kdeg; sl++) {
                    int w = secagg_harary_at(st->kdeg, st->n - 1, (int)u, sl);

                    pos += st->in1[w] && (size_t)w < v;
                }
            }
            memcpy(msg + o, st->shares_msg[u] + pos * SA_CT_ENTRY, SECAGG_CT_BYTES);
            o += SA_CT_ENTRY;
        }
        rc = sim_send(p, (int)v, 4, msg, o); /* round 4: forwarded shares */
    }
    for (size_t u = 0; u < n; u++) {
        mpcsim_free(st->shares_msg[u]);
        st->shares_msg[u] = NULL;
    }
    if (rc == 0) {
        rc = round_enter(&st->rd, p, SV_MASK);
    }
out:
    mpcsim_free(rank);
    mpcsim_free(msg);
    mpcsim_free(all);
    mpcsim_free(ids);
    return rc;
}

/* Close MaskedInputCollection: send U3 to its members (SecAgg+: each its neighbourhood's part). */
static int
sa__server_close_mask(struct sim_party *p, struct secagg_party *st)
{
    size_t n = (size_t)st->n;
    uint8_t *msg;
    int *ids, *nb;
    size_t mlen = 0;
    int rc = 0;

    if (st->cnt3 < st->t) {
        sa__server_abort(p, st, "secagg: fewer than t clients sent masked inputs");
        return 0;
    }
    msg = mpcsim_malloc(1 + 1 + st->bm); /* type, the largest set */
    ids = mpcsim_malloc(n * sizeof(*ids));
    nb = mpcsim_malloc(n * sizeof(*nb));
    st->ush = mpcsim_malloc(n * st->uw * SA_SE * sizeof(uint64_t));
    st->uhas = mpcsim_calloc(n * st->uw, 1);
    if (msg == NULL || ids == NULL || nb == NULL || st->ush == NULL || st->uhas == NULL) {
        rc = MPCSIM_ENOMEM;
        goto out;
    }
    msg[0] = SA_MSG_U3;
    if (st->kdeg == 0) {
        mlen = 1 + sa__set_write(msg + 1, st, ids, sa__flags_ids(st, st->in3, ids));
    }
    for (size_t u = 1; u < n && rc == 0; u++) {
        if (!st->in3[u]) {
            continue;
        }
        if (st->kdeg > 0) {
            size_t k1 = sa__nbhd_sorted(st, (int)u, nb), m = 0;

            for (size_t i = 0; i < k1; i++) {
                if (st->in3[nb[i]]) {
                    ids[m++] = nb[i];
                }
            }
            mlen = 1 + sa__set_write(msg + 1, st, ids, m);
        }
        rc = sim_send(p, (int)u, 6, msg, mlen); /* round 6: U3 */
    }
    if (rc == 0) {
        rc = round_enter(&st->rd, p, SV_UNMASK);
    }
out:
    mpcsim_free(msg);
    mpcsim_free(ids);
    mpcsim_free(nb);
    return rc;
}

/* Whether the rebuilt secret of client v checks (commitment to b, or its s_pk). */
static int
sa__verify(struct sim_party *p, const struct secagg_party *st, size_t v, const uint8_t *secret)
{
    uint8_t chk[SA_K];

    if (st->in3[v]) {
        secagg_commit(chk, secret);
        sim_charge(p, SIM_OP_HASH_BYTE, 15 + SA_K);
        return sodium_memcmp(chk, st->commit + v * SECAGG_COMMIT_BYTES, SA_K) == 0;
    }
    sim_charge(p, SIM_OP_X25519, 1);
    return secagg_public_key(chk, secret) == 0 &&
           sodium_memcmp(chk, st->pk + v * 2 * SA_K + SA_K, SA_K) == 0;
}

/*
 * Rebuild client v's secret from the m shares in rows (senders idx, Shamir
 * indices): t shares with Lagrange weights (reused while the first t
 * senders stay the same), then, if the check fails, Reed-Solomon decoding
 * of all m, accusing the senders of wrong shares.  0, MPCSIM_EDECODE (no
 * consistent secret), MPCSIM_ENOMEM.
 */
static int
sa__rebuild(struct sim_party *p, struct secagg_party *st, uint8_t *secret, size_t v,
            const uint64_t *rows, const int *idx, size_t m, int *cache_idx, uint64_t *lambda,
            int *cache_ok)
{
    size_t t = (size_t)st->t;
    uint64_t e[SA_SE];
    size_t *bad = NULL;
    size_t nbad = 0;
    int rc;

    if (!*cache_ok || memcmp(cache_idx, idx, t * sizeof(int)) != 0) {
        rc = shamir_lagrange0(st->sh, lambda, idx, t);
        if (rc != 0) {
            return rc;
        }
        memcpy(cache_idx, idx, t * sizeof(int));
        *cache_ok = 1;
        sim_charge(p, SIM_OP_FIELD_INV, 1); /* the weights' batch inversion */
        sim_charge(p, SIM_OP_FIELD_MUL, (double)(t * ((size_t)st->nshares - t) + 3 * t));
    }
    shamir_combine(e, lambda, rows, t, SA_SE);
    sim_charge(p, SIM_OP_LAGRANGE_TERM, (double)(t * SA_SE));
    if (secagg_secret_decode(secret, e) == 0 && sa__verify(p, st, v, secret)) {
        return 0;
    }
    /* A wrong share among the first t: decode all m. */
    bad = mpcsim_malloc(m * sizeof(*bad));
    if (bad == NULL) {
        return MPCSIM_ENOMEM;
    }
    rc = shamir_reconstruct_robust(st->sh, e, bad, &nbad, NULL, rows, idx, m, SA_SE, st->rng);
    sim_charge(p, SIM_OP_RS_DECODE_N2, (double)(m * m * SA_SE));
    if (rc == 0 && (secagg_secret_decode(secret, e) != 0 || !sa__verify(p, st, v, secret))) {
        rc = MPCSIM_EDECODE;
    }
    if (rc == 0) {
        for (size_t i = 0; i < nbad; i++) {
            sim_accuse(p, sa__holder(st, (int)v, idx[bad[i]]));
        }
    } else if (rc != MPCSIM_ENOMEM) {
        rc = MPCSIM_EDECODE;
    }
    mpcsim_free(bad);
    return rc;
}

/* Close Unmasking: rebuild the secrets, remove the masks, output, tell the clients. */
static int
sa__server_close_unmask(struct sim_party *p, struct secagg_party *st)
{
    size_t n = (size_t)st->n;
    size_t L = st->L;
    size_t t = (size_t)st->t;
    int *idx = NULL, *cache_idx = NULL;
    uint64_t *rows = NULL, *lambda = NULL;
    uint8_t *inc = NULL, *msg = NULL;
    uint8_t *secret = NULL; /* n x 32 */
    mpcsim_i128 *vals = NULL;
    int cache_ok = 0;
    size_t n_drop = 0, pairs = 0;
    size_t mlen = 1 + 1 + st->bm + SECAGG_PACKED_BYTES(L, st->rbits); /* at most */
    int *ids = NULL;
    int rc = 0;

    if (st->cnt5 < st->t) {
        sa__server_abort(p, st, "secagg: fewer than t clients sent unmasking shares");
        return 0;
    }
    idx = mpcsim_malloc(n * sizeof(*idx));
    cache_idx = mpcsim_malloc(t * sizeof(*cache_idx));
    rows = mpcsim_malloc(n * SA_SE * sizeof(*rows));
    lambda = mpcsim_malloc(t * sizeof(*lambda));
    secret = mpcsim_malloc(n * SA_K);
    inc = mpcsim_calloc(n, 1);
    vals = mpcsim_malloc(L * sizeof(*vals));
    msg = mpcsim_malloc(mlen);
    ids = mpcsim_malloc(n * sizeof(*ids));
    if (idx == NULL || cache_idx == NULL || rows == NULL || lambda == NULL || secret == NULL ||
        inc == NULL || vals == NULL || msg == NULL || ids == NULL) {
        rc = MPCSIM_ENOMEM;
        goto out;
    }
    /* Rebuild b_v for v in U3 and the mask key of v in U2 \ U3. */
    for (size_t v = 1; v < n; v++) {
        size_t m = 0;

        if (!st->in2[v]) {
            continue;
        }
        for (size_t w = 1; w < n; w++) {
            /* SecAgg: column w, index w - 1; SecAgg+: slot w - 1 (0 .. k) */
            size_t col = st->kdeg == 0 ? w : w - 1;
            int hw = st->kdeg == 0 ? (int)w : sa__holder(st, (int)v, (int)col);

            if (st->kdeg > 0 && col > (size_t)st->kdeg) {
                break;
            }
            if (st->resp[hw] && st->uhas[v * st->uw + col]) {
                idx[m] = st->kdeg == 0 ? (int)w - 1 : (int)col;
                memcpy(rows + m * SA_SE, st->ush + (v * st->uw + col) * SA_SE,
                       SA_SE * sizeof(*rows));
                m++;
            }
        }
        if (m < t) {
            sa__server_abort(p, st, "secagg: fewer than t shares of a client's secret");
            goto out;
        }
        rc = sa__rebuild(p, st, secret + v * SA_K, v, rows, idx, m, cache_idx, lambda, &cache_ok);
        if (rc == MPCSIM_EDECODE) {
            char reason[128];

            snprintf(reason, sizeof(reason),
                     "secagg: the shares of client %zu's %s are inconsistent beyond correction", v,
                     st->in3[v] ? "self-mask seed" : "mask key");
            sa__server_abort(p, st, reason);
            rc = 0;
            goto out;
        }
        if (rc != 0) {
            goto out;
        }
        n_drop += !st->in3[v];
    }
    /* Remove the self-masks of U3 and the masks U3 shares with U2 \ U3. */
    for (size_t v = 1; v < n; v++) {
        if (st->in3[v]) {
            secagg_prg_add_mod2k_wide(st->z, L, secret + v * SA_K, -1, st->rbits);
            continue;
        }
        if (!st->in2[v]) {
            continue;
        }
        for (size_t i = 1; i < (st->kdeg > 0 ? (size_t)st->kdeg + 1 : n); i++) {
            /* SecAgg: every client; SecAgg+: v's neighbours by slot */
            size_t u = st->kdeg > 0 ? (size_t)sa__holder(st, (int)v, (int)i) : i;
            uint8_t key[SA_K];

            if (!st->in3[u] || !sa__nb(st, (int)v, (int)u)) {
                continue;
            }
            pairs++;
            if (secagg_agree(key, secret + v * SA_K, st->pk + v * 2 * SA_K + SA_K,
                             st->pk + u * 2 * SA_K + SA_K, SECAGG_DOMAIN_MASK) != 0) {
                sa__server_abort(p, st, "secagg: unusable mask key"); /* checked at round 1 */
                goto out;
            }
            /* u added (u < v ? +1 : -1) PRG(s_uv). */
            secagg_prg_add_mod2k_wide(st->z, L, key, u < v ? -1 : +1, st->rbits);
            sodium_memzero(key, sizeof(key));
        }
    }
    {
        double masks = (double)st->cnt3 + (double)pairs;

        (void)n_drop;
        sim_charge(p, SIM_OP_X25519, (double)pairs);
        sim_charge(p, SIM_OP_HASH_BYTE, (double)pairs * SA_AGREE_HASH_BYTES);
        sim_charge(p, SIM_OP_PRG_BYTE, masks * (double)(SA_PRG_BYTES(st) * L));
        sim_charge(p, SIM_OP_FIELD_ADD, masks * (double)L);
    }
    for (size_t k = 0; k < L; k++) {
        vals[k] = sa__ring_to_int(st, st->z[k]);
    }
    memcpy(inc, st->in3, n);
    inc[0] = 0;
    round_finish(&st->rd);
    rc = sim_output(p, vals, L, inc);
    if (rc == 0 && st->result_to_clients) {
        size_t o;

        msg[0] = SA_MSG_RESULT;
        o = 1 + sa__set_write(msg + 1, st, ids, sa__flags_ids(st, inc, ids));
        secagg_pack_wide(msg + o, st->z, L, st->rbits);
        rc = sim_broadcast(p, 8, msg, o + SECAGG_PACKED_BYTES(L, st->rbits)); /* round 8 */
    }
out:
    if (secret != NULL) {
        sodium_memzero(secret, n * SA_K);
    }
    mpcsim_free(idx);
    mpcsim_free(cache_idx);
    mpcsim_free(rows);
    mpcsim_free(lambda);
    mpcsim_free(secret);
    mpcsim_free(inc);
    mpcsim_free(vals);
    mpcsim_free(msg);
    mpcsim_free(ids);
    return rc;
}

static int
sa__server_close(struct sim_party *p, struct secagg_party *st)
{
    switch (st->phase) {
    case SV_ADV:
        return sa__server_close_adv(p, st);
    case SV_SHARE:
        return sa__server_close_share(p, st);
    case SV_MASK:
        return sa__server_close_mask(p, st);
    case SV_UNMASK:
        return sa__server_close_unmask(p, st);
    default:
        return 0;
    }
}

/* The clients the server waits for in its current phase. */
static int
sa__server_expected(const struct secagg_party *st, int u, int *count)
{
    switch (st->phase) {
    case SV_ADV:
        *count = st->n - 1;
        return 1;
    case SV_SHARE:
        *count = st->cnt1;
        return st->in1[u];
    case SV_MASK:
        *count = st->cnt2;
        return st->in2[u];
    default:
        *count = st->cnt3;
        return st->in3[u];
    }
}

/* UNMASK from u: a set H within U2 and 5 packed elements (< p) per member. */
static int
sa__server_take_unmask(struct secagg_party *st, int u, const uint8_t *msg, size_t len)
{
    int *ids = NULL;
    uint64_t *el = NULL;
    size_t cnt = 0, used = 0;
    int rc = MPCSIM_EDECODE;

    ids = mpcsim_malloc(st->uw * sizeof(*ids));
    if (ids == NULL) {
        return MPCSIM_ENOMEM;
    }
    if (sa__set_parse(st, ids, st->uw, &cnt, &used, msg + 1, len - 1) != 0 ||
        len != 1 + used + SECAGG_PACKED_BYTES(cnt * SA_SE, SA_EB)) {
        goto out;
    }
    for (size_t e = 0; e < cnt; e++) {
        int v = ids[e];

        if (!st->in2[v] || (v != u && !sa__nb(st, u, v))) {
            goto out;
        }
    }
    el = mpcsim_malloc((cnt * SA_SE + 1) * sizeof(*el));
    if (el == NULL) {
        rc = MPCSIM_ENOMEM;
        goto out;
    }
    if (secagg_unpack(el, msg + 1 + used, cnt * SA_SE, SA_EB) != 0) {
        goto out;
    }
    for (size_t k = 0; k < cnt * SA_SE; k++) {
        if (el[k] >= FP_P) {
            goto out;
        }
    }
    for (size_t e = 0; e < cnt; e++) {
        size_t v = (size_t)ids[e];
        size_t col = st->kdeg == 0 ? (size_t)u : (size_t)sa__shidx(st, (int)v, u);

        memcpy(st->ush + (v * st->uw + col) * SA_SE, el + e * SA_SE, SA_SE * sizeof(*el));
        st->uhas[v * st->uw + col] = 1;
    }
    st->resp[u] = 1;
    st->cnt5++;
    rc = 0;
out:
    mpcsim_free(el);
    mpcsim_free(ids);
    return rc;
}

/* The key-table slot where a key hashes (its first 8 bytes: keys are random points). */
static size_t
sa__key_home(const struct secagg_party *st, const uint8_t *key)
{
    uint64_t h;

    memcpy(&h, key, sizeof(h));
    return (size_t)(h * UINT64_C(0x9e3779b97f4a7c15) >> 20) & (st->kcap - 1);
}

/* Whether a U1 member advertised `key` (either of its two keys). */
static int
sa__key_seen(const struct secagg_party *st, const uint8_t *key)
{
    for (size_t i = sa__key_home(st, key);; i = (i + 1) & (st->kcap - 1)) {
        uint32_t e = st->ktab[i];

        if (e == 0) {
            return 0;
        }
        if (memcmp(st->pk + (size_t)(e - 1) * SA_K, key, SA_K) == 0) {
            return 1;
        }
    }
}

/* Enter key j = 2 u + (0: c_pk, 1: s_pk), already in pk (at most 2 (n - 1) keys). */
static void
sa__key_add(struct secagg_party *st, uint32_t j)
{
    size_t i = sa__key_home(st, st->pk + (size_t)j * SA_K);

    while (st->ktab[i] != 0) {
        i = (i + 1) & (st->kcap - 1);
    }
    st->ktab[i] = j + 1;
}

/* Take one client's message of the current phase; 0, MPCSIM_EDECODE (malformed), ENOMEM. */
static int
sa__server_take(struct sim_party *p, struct secagg_party *st, int u, const uint8_t *msg, size_t len)
{
    size_t L = st->L;

    switch (st->phase) {
    case SV_ADV:
        sim_charge(p, SIM_OP_X25519, 2);
        if (len != 1 + 2 * SA_K || memcmp(msg + 1, msg + 1 + SA_K, SA_K) == 0 ||
            !secagg_public_key_ok(msg + 1) || !secagg_public_key_ok(msg + 1 + SA_K)) {
            return MPCSIM_EDECODE;
        }
        /* The paper: all key pairs differ (a copied key is refused). */
        if (sa__key_seen(st, msg + 1) || sa__key_seen(st, msg + 1 + SA_K)) {
            return MPCSIM_EDECODE;
        }
        memcpy(st->pk + (size_t)u * 2 * SA_K, msg + 1, 2 * SA_K);
        sa__key_add(st, (uint32_t)u * 2);
        sa__key_add(st, (uint32_t)u * 2 + 1);
        st->in1[u] = 1;
        st->cnt1++;
        return 0;
    case SV_SHARE: {
        uint8_t *copy;

        /* One ciphertext for each v in U1 \ {u}, in order. */
        if (len != 1 + (size_t)(sa__count_nb1(st, u) - 1) * SA_CT_ENTRY) {
            return MPCSIM_EDECODE;
        }
        if (len > 1) { /* else U1 = {u}: nothing to forward */
            copy = mpcsim_malloc(len - 1);
            if (copy == NULL) {
                return MPCSIM_ENOMEM;
            }
            memcpy(copy, msg + 1, len - 1);
            st->shares_msg[u] = copy;
        }
        st->in2[u] = 1;
        st->cnt2++;
        return 0;
    }
    case SV_MASK: {
        const uint8_t *body = msg + 1 + SECAGG_COMMIT_BYTES;

        if (len != 1 + SECAGG_COMMIT_BYTES + SECAGG_PACKED_BYTES(L, st->rbits) ||
            secagg_unpack_wide(st->ybuf, body, L, st->rbits) != 0) {
            return MPCSIM_EDECODE;
        }
        for (size_t k = 0; k < L; k++) {
            st->z[k] = (st->z[k] + st->ybuf[k]) & st->rmask;
        }
        sim_charge(p, SIM_OP_FIELD_ADD, (double)L);
        memcpy(st->commit + (size_t)u * SECAGG_COMMIT_BYTES, msg + 1, SECAGG_COMMIT_BYTES);
        st->in3[u] = 1;
        st->cnt3++;
        return 0;
    }
    case SV_UNMASK:
        return sa__server_take_unmask(st, u, msg, len);
    default:
        return 0;
    }
}

static void
sa__server_message(struct sim_party *p, struct secagg_party *st, int from, const uint8_t *msg,
                   size_t len)
{
    static const int phase_of[] = {[SA_MSG_ADV] = SV_ADV,
                                   [SA_MSG_SHARES] = SV_SHARE,
                                   [SA_MSG_MASKED] = SV_MASK,
                                   [SA_MSG_UNMASK] = SV_UNMASK};
    int ph = 0, count = 0;
    int rc;

    if (round_over(&st->rd)) {
        return;
    }
    if (len >= 1 && msg[0] < sizeof(phase_of) / sizeof(phase_of[0])) {
        ph = phase_of[msg[0]];
    }
    if (ph == 0 || ph > st->phase) {
        sim_accuse(p, from); /* not a client's message, or ahead of the protocol */
        return;
    }
    if (ph < st->phase || !sa__server_expected(st, from, &count) ||
        !round_heard_add(&st->heard[st->phase - 1], from)) {
        return; /* late, left out, or a repeat */
    }
    rc = sa__server_take(p, st, from, msg, len);
    if (rc == MPCSIM_EDECODE) {
        sim_accuse(p, from); /* it counts as not answering */
        rc = 0;
    }
    if (rc == 0 && round_heard_complete(&st->heard[st->phase - 1], (size_t)count)) {
        rc = sa__server_close(p, st);
    }
    if (rc != 0) {
        sa__server_abort(p, st, "secagg: out of memory");
    }
}

/* ------------------------------------------------------------------ */

static void
sa__on_start(struct sim_party *p)
{
    struct secagg_party *st = sim_party_state(p);

    if (st->self != 0) {
        sa__client_start(p, st);
        return;
    }
    if (round_enter(&st->rd, p, SV_ADV) != 0) {
        sa__server_abort(p, st, "secagg: out of memory");
    }
}

static void
sa__on_message(struct sim_party *p, int from, const uint8_t *msg, size_t len)
{
    struct secagg_party *st = sim_party_state(p);

    if (from < 0 || from >= st->n || from == st->self) {
        return;
    }
    if (st->self == 0) {
        sa__server_message(p, st, from, msg, len);
    } else if (!round_over(&st->rd)) {
        sa__client_message(p, st, from, msg, len);
    }
}

static void
sa__on_timer(struct sim_party *p, uint64_t id)
{
    struct secagg_party *st = sim_party_state(p);

    if (st->self != 0) {
        if (!round_over(&st->rd) && id == st->watch) {
            round_abort(&st->rd, p, "secagg: the server went silent");
        }
        return;
    }
    if (!round_timer_current(&st->rd, id)) {
        return;
    }
    if (sa__server_close(p, st) != 0) {
        sa__server_abort(p, st, "secagg: out of memory");
    }
}

/* ------------------------------------------------------------------ */

static uint64_t
sa__nonzero(struct fp_stream *s)
{
    uint64_t e;

    do {
        e = fp_stream_next(s);
    } while (e == 0);
    return e;
}

static enum sim_adv_action
sa__tamper(struct sim_party *p, enum sim_behaviour b, int to, uint8_t *msg, size_t *len, size_t cap)
{
    struct secagg_party *st = sim_party_state(p);
    int type = *len > 0 ? msg[0] : 0;

    (void)cap;
    if (st == NULL || (st->self != 0 && type != SA_MSG_UNMASK)) {
        return SIM_ADV_SEND; /* a client's keys and masked input are its input sharing */
    }
    switch (b) {
    case SIM_CORRUPT_SHARES:
        if (type == SA_MSG_UNMASK && *len >= 2) {
            int *ids = mpcsim_malloc((size_t)st->n * sizeof(*ids));
            size_t m = 0, skip = 0, cnt = 0;
            uint64_t *el = NULL;

            if (ids != NULL &&
                sa__set_parse(st, ids, (size_t)st->n, &m, &skip, msg + 1, *len - 1) == 0) {
                skip++;
                cnt = (*len - skip) * 8 / SA_EB; /* elements the message holds */
                el = mpcsim_malloc((cnt + 1) * sizeof(*el));
            }
            if (el != NULL && secagg_unpack(el, msg + skip, cnt, SA_EB) == 0 &&
                SECAGG_PACKED_BYTES(cnt, SA_EB) == *len - skip) {
                for (size_t k = 0; k < cnt; k++) {
                    if (el[k] < FP_P) {
                        el[k] = fp_add(el[k], sa__nonzero(st->adv));
                    }
                }
                secagg_pack(msg + skip, el, cnt, SA_EB);
            }
            mpcsim_free(el);
            mpcsim_free(ids);
        }
        return SIM_ADV_SEND;
    case SIM_WITHHOLD:
        return SIM_ADV_DROP;
    case SIM_DELAY:
        return SIM_ADV_DELAY;
    case SIM_MALFORMED:
        if (*len == 0) {
            return SIM_ADV_SEND;
        }
        if (st->self == 0) {
            /* The server: truncated, or garbage of an unknown type.  Both are
             * caught by every client; a plausible wrong key list is the
             * malicious-server model, out of scope. */
            if ((st->adv_count++ + (unsigned)to) % 2 == 0) {
                *len -= 1;
            } else {
                fp_stream_bytes(st->adv, msg, *len);
                msg[0] = 0;
            }
            return SIM_ADV_SEND;
        }
        switch ((st->adv_count++ + (unsigned)to) % 3) {
        case 0:
            *len -= 1;
            break;
        case 1:
            if (*len >= 1 + FP_BYTES) {
                memset(msg + *len - FP_BYTES, 0xff, FP_BYTES); /* a value >= p */
            } else {
                msg[0] = 0xff;
            }
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

/* see adapter.h */
const struct sim_protocol secagg_protocol = {
    .name = "secagg",
    .trial_setup = sa__trial_setup,
    .trial_teardown = sa__trial_teardown,
    .setup = sa__setup,
    .on_start = sa__on_start,
    .on_message = sa__on_message,
    .on_timer = sa__on_timer,
    .teardown = sa__teardown,
    .tamper = sa__tamper,
};
