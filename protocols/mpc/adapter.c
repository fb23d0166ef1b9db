/* SPDX-License-Identifier: MIT */
/*
 * protocols/mpc/adapter.c - see adapter.h.
 *
 * A message of a later round is kept until the party gets there, one of
 * an earlier round is dropped, a round ends when every awaited party was
 * heard or its timer fires, and every failure is an abort with the
 * round's reason.  The phase (= the round whose timer is armed, 0 once
 * over), its timer and the abort are protocols/round.h's; the per-party
 * work is mpc_party_* (party.c).
 */
#include "protocols/mpc/adapter.h"

#include <stdio.h>
#include <string.h>

#include "common/alloc.h"
#include "protocols/mpc/mpc_int.h"
#include "protocols/round.h"

#define MPC_STREAM_ADV 9

/* Circuits for included sets other than all n, built once per trial:
 * parties whose round-1 views agree share one (a trial runs on one
 * thread).  At most one entry per party. */
struct mpc_cache {
    const struct mpc_compute *mc;
    size_t count;
    uint8_t **inc;
    struct mpc_circuit **c;
};

struct mpc_trial {
    struct mpc_circuit *full; /* all n included */
    uint8_t dealer_key[32];
    struct mpc_cache *cache; /* n slots */
};

static int
mpc__cached_build(struct mpc_circuit **out, const void *arg, int n, const uint8_t *included)
{
    const struct mpc_trial *tr = arg;
    struct mpc_cache *ca = tr->cache;
    struct mpc_circuit *c = NULL;
    int rc;

    for (size_t i = 0; i < ca->count; i++) {
        if (memcmp(ca->inc[i], included, (size_t)n) == 0) {
            *out = ca->c[i];
            return 0;
        }
    }
    MPCSIM_ASSERT(ca->count < (size_t)n);
    ca->inc[ca->count] = mpcsim_malloc((size_t)n);
    if (ca->inc[ca->count] == NULL) {
        return MPCSIM_ENOMEM;
    }
    memcpy(ca->inc[ca->count], included, (size_t)n);
    rc = mpc_build_compute(&c, ca->mc, n, included);
    if (rc != 0) {
        mpcsim_free(ca->inc[ca->count]);
        return rc;
    }
    ca->c[ca->count++] = c;
    *out = c;
    return 0;
}

struct mpc_pending {
    int from;
    size_t len;
    uint8_t *msg;
};

struct mpc_sim_party {
    const struct mpc_sim_params *prm;
    struct mpc_party *pt;
    struct fp_stream *adv;
    mpcsim_u128 adv_delta;
    struct mpc_ops charged;
    struct round rd; /* phase: the round whose timer is armed; 0 once over */
    int phase;
    struct mpc_pending *pend;
    size_t n_pend, cap_pend;
};

/* see adapter.h */
const char *
mpc_sim_unsupported(const struct mpc_sim_params *p, int n, char *why, size_t cap)
{
    const char *w = mpc_compute_unsupported(&p->mc, why, cap);

    if (w != NULL) {
        return w;
    }
    if (n < 2) {
        return "comparisons need at least 2 parties";
    }
    if (p->scheme == MPC_SHAMIR && (p->t < 1 || 2 * p->t + 1 > n || p->t > 60)) {
        snprintf(why, cap,
                 "comparisons multiply: shamir needs n >= 2t + 1 (t = %d, n = %d; t <= 60)", p->t,
                 n);
        return why;
    }
    if (n > 1000) {
        return "comparisons are limited to 1000 parties";
    }
    return NULL;
}

/* see adapter.h */
int
mpc_sim_rounds(const struct mpc_sim_params *p, int n)
{
    struct mpc_circuit *c = NULL;
    int r;

    if (mpc_build_compute(&c, &p->mc, n, NULL) != 0) {
        return -1;
    }
    r = mpc_rounds(c, p->scheme, p->mac);
    mpc_circuit_destroy(c);
    return r;
}

/* see adapter.h */
uint64_t
mpc_sim_memory(const struct mpc_sim_params *p, int n)
{
    struct mpc_circuit *c = NULL;
    struct mpc_circuit_stats st;
    uint64_t E = 1, party, circ, un = (uint64_t)n;
    int additive = p->scheme == MPC_ADDITIVE, mac = additive && p->mac;

    if (mpc_build_compute(&c, &p->mc, n, NULL) != 0) {
        return 0;
    }
    mpc_circuit_stats(c, &st);
    for (size_t s = 1; s < c->levels; s++) {
        uint64_t e = 0;

        for (size_t q = c->start[s]; q < c->start[s] + c->n_inter[s]; q++) {
            e += c->g[c->order[q]].op == MPC_OP_MUL && additive ? 2 : 1;
        }
        E = e > E ? e : E;
    }
    /* The gate array grows by doubling (1.5x on average), plus the order
     * and product index per gate. */
    circ = (uint64_t)c->cap * sizeof(struct mpc_gate) + (uint64_t)st.wires * 8;
    /* Per party: values (and MAC shares) per wire, triples (6 values with
     * their MACs) or double sharings (2), n rows of E received elements,
     * the input masks, and with MACs the log of opened values (2 per
     * product, 1 per opening; its array doubles). */
    party = (uint64_t)st.wires * 16 * (mac ? 2 : 1) + (uint64_t)st.muls * 16 * (additive ? 6 : 2) +
            un * E * 16 + un * 16 * 4 + (mac ? (uint64_t)(2 * st.muls + st.opens) * 32 * 3 / 2 : 0);
    mpc_circuit_destroy(c);
    return circ + un * party;
}

static void
mpc__trial_teardown(void *trial)
{
    struct mpc_trial *tr = trial;

    if (tr == NULL) {
        return;
    }
    mpc_circuit_destroy(tr->full);
    if (tr->cache != NULL) {
        for (size_t i = 0; i < tr->cache->count; i++) {
            mpcsim_free(tr->cache->inc[i]);
            mpc_circuit_destroy(tr->cache->c[i]);
        }
        mpcsim_free(tr->cache->inc);
        mpcsim_free(tr->cache->c);
        mpcsim_free(tr->cache);
    }
    mpcsim_free(tr);
}

/* The cost-table entry of one product in `f` (measured per field: bench
 * field/mul_vec_simd/1M and field/mul_vec_best_m127/1M). */
static enum sim_op
mpc__mul_op(enum mpc_field_kind f)
{
    return f == MPC_FIELD_M127 ? SIM_OP_FIELD_MUL_M127 : SIM_OP_FIELD_MUL;
}

static int
mpc__trial_setup(struct sim *sim, void **trial_out, const struct sim_protocol_cfg *cfg0,
                 const uint8_t trial_key[32])
{
    const struct mpc_sim_params *prm = cfg0->params;
    struct mpc_trial *tr = NULL;
    struct mpc_circuit_stats st;
    char why[160];
    uint64_t elems, samples;
    size_t eb = mpc_field_bytes(prm->mc.field);
    int n = cfg0->n;
    int rc;

    if (mpc_sim_unsupported(prm, n, why, sizeof(why)) != NULL) {
        return MPCSIM_EINVAL;
    }
    tr = mpcsim_calloc(1, sizeof(*tr));
    if (tr == NULL) {
        return MPCSIM_ENOMEM;
    }
    memcpy(tr->dealer_key, trial_key, 32);
    tr->cache = mpcsim_calloc(1, sizeof(*tr->cache));
    if (tr->cache == NULL ||
        (tr->cache->inc = mpcsim_calloc((size_t)n, sizeof(uint8_t *))) == NULL ||
        (tr->cache->c = mpcsim_calloc((size_t)n, sizeof(struct mpc_circuit *))) == NULL) {
        rc = MPCSIM_ENOMEM;
        goto out;
    }
    tr->cache->mc = &prm->mc;
    rc = mpc_build_compute(&tr->full, &prm->mc, n, NULL);
    if (rc != 0) {
        goto out;
    }
    mpc_circuit_stats(tr->full, &st);
    elems = mpc_offline_elements(tr->full, prm->scheme, prm->mac, n);
    /* The dealer samples each value and its sharing: ~n draws per value
     * (additive, twice with MACs) or t (Shamir; 3t+1 per double sharing). */
    samples = elems * (uint64_t)(prm->scheme == MPC_ADDITIVE ? n : prm->t + 1);
    if ((rc = sim_stat_add_u64(sim, "offline_messages", (uint64_t)n)) != 0 ||
        (rc = sim_stat_add_u64(sim, "offline_bytes", elems * (uint64_t)eb * (uint64_t)n)) != 0 ||
        (rc = sim_stat_add(sim, "offline_compute_ms",
                           ((double)samples * (sim_cost_default[SIM_OP_FIELD_SAMPLE] +
                                               sim_cost_default[mpc__mul_op(prm->mc.field)])) /
                               1e6)) != 0) {
        goto out;
    }
    *trial_out = tr;
    tr = NULL;
out:
    mpc__trial_teardown(tr);
    return rc;
}

static void
mpc__free(void *state)
{
    struct mpc_sim_party *st = state;

    if (st == NULL) {
        return;
    }
    mpc_party_destroy(st->pt);
    fp_stream_destroy(st->adv);
    for (size_t i = 0; i < st->n_pend; i++) {
        mpcsim_free(st->pend[i].msg);
    }
    mpcsim_free(st->pend);
    mpcsim_free(st);
}

static int
mpc__setup(struct sim_party *p, const struct sim_protocol_cfg *cfg)
{
    const struct mpc_sim_params *prm = cfg->params;
    const struct mpc_trial *tr = cfg->trial;
    struct mpc_sim_party *st = NULL;
    struct mpc_party_cfg pc;
    mpcsim_u128 bound;
    mpcsim_i128 x;
    int rc;

    if (tr == NULL || cfg->input_len != 1) {
        return MPCSIM_EINVAL;
    }
    st = mpcsim_calloc(1, sizeof(*st));
    if (st == NULL) {
        return MPCSIM_ENOMEM;
    }
    st->prm = prm;
    memset(&pc, 0, sizeof(pc));
    pc.scheme = prm->scheme;
    pc.field = prm->mc.field;
    pc.n = cfg->n;
    pc.t = prm->t;
    pc.self = cfg->self;
    pc.mac = prm->mac;
    pc.robust = prm->robust;
    memcpy(pc.dealer_key, tr->dealer_key, 32);
    memcpy(pc.key, cfg->key, 32);
    pc.input = cfg->input;
    pc.input_len = 1;
    x = cfg->input[0];
    bound = mpc_compute_input_bound(&prm->mc, cfg->n);
    /* A party declines an input outside the comparison range (the others
     * then abort with the reason): a wrong comparison is never output. */
    pc.refuse_input = !prm->inputs_checked && (x < 0 ? (mpcsim_u128)0 - (mpcsim_u128)(mpcsim_i128)x
                                                     : (mpcsim_u128)x) > bound;
    pc.build = mpc__cached_build;
    pc.build_arg = tr;
    pc.build_borrowed = 1;
    pc.full = tr->full;
    rc = mpc_party_create(&st->pt, &pc);
    if (rc == 0) {
        rc = fp_stream_create(&st->adv, cfg->key, MPC_STREAM_ADV);
    }
    if (rc != 0) {
        mpc__free(st);
        return rc;
    }
    round_init(&st->rd, &st->phase, 1, 0, cfg->round_timeout_ns);
    sim_party_set_state(p, st);
    return 0;
}

static void
mpc__teardown(struct sim_party *p)
{
    round_teardown(p, mpc__free);
}

/* Charge what the party computed since the last charge. */
static void
mpc__charge(struct sim_party *p, struct mpc_sim_party *st)
{
    const struct mpc_ops *o = mpc_party_ops(st->pt);
    double n = (double)sim_party_count(p);

    sim_charge(p, SIM_OP_FIELD_ADD, (double)(o->add - st->charged.add));
    sim_charge(p, mpc__mul_op(st->prm->mc.field), (double)(o->mul - st->charged.mul));
    sim_charge(p, SIM_OP_FIELD_SAMPLE, (double)(o->sample - st->charged.sample));
    sim_charge(p, SIM_OP_FIELD_INV, (double)(o->inv - st->charged.inv));
    sim_charge(p, SIM_OP_HASH_BYTE, (double)(o->hash_bytes - st->charged.hash_bytes));
    sim_charge(p, SIM_OP_RS_DECODE_N2, (double)(o->rs_n2 - st->charged.rs_n2) * n * n / 1e4);
    st->charged = *o;
}

static void
mpc__abort(struct sim_party *p, struct mpc_sim_party *st, const char *why)
{
    round_abort(&st->rd, p, "%s: %s", st->prm->scheme == MPC_ADDITIVE ? "additive" : "shamir", why);
}

/* Broadcast the current round's message and arm its timer. */
static int
mpc__send(struct sim_party *p, struct mpc_sim_party *st)
{
    int round = mpc_party_round(st->pt);
    size_t len = mpc_party_msg_len(st->pt);
    uint8_t *msg = mpcsim_malloc(len);
    int rc;

    if (msg == NULL) {
        return MPCSIM_ENOMEM;
    }
    mpc_party_msg(st->pt, msg);
    mpc__charge(p, st);
    rc = sim_broadcast(p, round, msg, len);
    mpcsim_free(msg);
    if (rc == 0) {
        rc = round_enter(&st->rd, p, round);
    }
    return rc;
}

static void mpc__take(struct sim_party *p, struct mpc_sim_party *st, int from, const uint8_t *msg,
                      size_t len);

/* End the current round: accuse the proven cheaters, then output, or
 * send the next round's message.  Returns 1 when the party goes on. */
static int
mpc__step(struct sim_party *p, struct mpc_sim_party *st)
{
    int rc = mpc_party_finish(st->pt);
    const int *ids = NULL;
    size_t nc = mpc_party_cheaters(st->pt, &ids);

    for (size_t k = 0; k < nc; k++) {
        sim_accuse(p, ids[k]);
    }
    mpc__charge(p, st);
    if (rc != 0) {
        mpc__abort(p, st, rc == MPCSIM_ENOMEM ? "out of memory" : mpc_party_reason(st->pt));
        return 0;
    }
    if (mpc_party_round(st->pt) == 0) {
        const mpcsim_i128 *o = NULL;
        size_t no = mpc_party_outputs(st->pt, &o);

        round_finish(&st->rd);
        if (sim_output(p, o, no, mpc_party_included(st->pt)) != 0) {
            sim_abort(p, "out of memory");
        }
        return 0;
    }
    if (mpc__send(p, st) != 0) {
        mpc__abort(p, st, "out of memory");
        return 0;
    }
    /* Messages of the new round that came early. */
    for (size_t i = 0; i < st->n_pend && !round_over(&st->rd);) {
        struct mpc_pending pd = st->pend[i];

        if (mpc_msg_round(pd.msg, pd.len) == mpc_party_round(st->pt)) {
            st->pend[i] = st->pend[--st->n_pend];
            mpc__take(p, st, pd.from, pd.msg, pd.len);
            mpcsim_free(pd.msg);
        } else if (mpc_msg_round(pd.msg, pd.len) < mpc_party_round(st->pt)) {
            st->pend[i] = st->pend[--st->n_pend];
            mpcsim_free(pd.msg);
        } else {
            i++;
        }
    }
    return !round_over(&st->rd);
}

/* Finish every round whose messages are in. */
static void
mpc__advance(struct sim_party *p, struct mpc_sim_party *st)
{
    while (!round_over(&st->rd) && mpc_party_complete(st->pt) && mpc__step(p, st)) {
    }
}

static void
mpc__take(struct sim_party *p, struct mpc_sim_party *st, int from, const uint8_t *msg, size_t len)
{
    if (mpc_party_take(st->pt, from, msg, len) != 0) {
        char why[96];

        if (st->prm->scheme == MPC_ADDITIVE) {
            /* n-of-n: every party computes over all inputs (or aborts), so
             * a message of the wrong shape is its sender's. */
            sim_accuse(p, from);
            snprintf(why, sizeof(why), "malformed message from party %d", from);
            mpc__abort(p, st, why);
        }
        /* Shamir: the message counts as not received.  Not an accusation:
         * a sender that computes over other inputs (a share lost to it, a
         * partial broadcast) sends rounds of another shape. */
    }
}

static void
mpc__on_start(struct sim_party *p)
{
    struct mpc_sim_party *st = sim_party_state(p);

    if (mpc__send(p, st) != 0) {
        mpc__abort(p, st, "out of memory");
        return;
    }
    mpc__advance(p, st);
}

static void
mpc__on_message(struct sim_party *p, int from, const uint8_t *msg, size_t len)
{
    struct mpc_sim_party *st = sim_party_state(p);
    int r = mpc_msg_round(msg, len), cur;

    if (round_over(&st->rd)) {
        return;
    }
    cur = mpc_party_round(st->pt);
    if (r == 0) {
        mpc__take(p, st, from, msg, len); /* refused as malformed */
    } else if (r > cur) {
        struct mpc_pending *np;

        if (st->n_pend == st->cap_pend) {
            size_t cap = st->cap_pend == 0 ? 8 : 2 * st->cap_pend;

            np = mpcsim_reallocarray(st->pend, cap, sizeof(*np));
            if (np == NULL) {
                mpc__abort(p, st, "out of memory");
                return;
            }
            st->pend = np;
            st->cap_pend = cap;
        }
        np = &st->pend[st->n_pend];
        np->msg = mpcsim_malloc(len);
        if (np->msg == NULL) {
            mpc__abort(p, st, "out of memory");
            return;
        }
        memcpy(np->msg, msg, len);
        np->len = len;
        np->from = from;
        st->n_pend++;
        return;
    } else if (r == cur) {
        mpc__take(p, st, from, msg, len);
    } else {
        return; /* a round already closed */
    }
    mpc__advance(p, st);
}

static void
mpc__on_timer(struct sim_party *p, uint64_t id)
{
    struct mpc_sim_party *st = sim_party_state(p);

    if (!round_timer_current(&st->rd, id)) {
        return;
    }
    if (st->prm->scheme == MPC_ADDITIVE) {
        char why[96];

        snprintf(why, sizeof(why), "party %d silent in round %d (n-of-n)", mpc_party_silent(st->pt),
                 mpc_party_round(st->pt));
        mpc__abort(p, st, why);
        return;
    }
    /* Shamir: go on without the silent parties. */
    if (mpc__step(p, st)) {
        mpc__advance(p, st);
    }
}

/* Add a random non-zero error to every element of msg[MPC_HDR, len). */
static void
mpc__perturb(struct mpc_sim_party *st, uint8_t *msg, size_t len)
{
    enum mpc_field_kind f = st->prm->mc.field;
    size_t eb = mpc_field_bytes(f);

    for (size_t o = MPC_HDR; o + eb <= len; o += eb) {
        mpcsim_u128 v = 0, e;

        do {
            e = mpc_fsample(f, st->adv);
        } while (e == 0);
        if (mpc_fdecode(f, &v, msg + o) == 0) {
            mpc_fencode(f, msg + o, mpc_fadd(f, v, e));
        }
    }
}

static enum sim_adv_action
mpc__tamper(struct sim_party *p, enum sim_behaviour b, int to, uint8_t *msg, size_t *len,
            size_t cap)
{
    struct mpc_sim_party *st = sim_party_state(p);
    int type = *len > 0 ? msg[0] : 0;

    (void)cap;
    if (st == NULL || type == MPC_MSG_INPUT) {
        return SIM_ADV_SEND; /* input dealing is out of scope (SCENARIO.md) */
    }
    switch (b) {
    case SIM_CORRUPT_SHARES:
        if (type == MPC_MSG_ROUND) {
            mpc__perturb(st, msg, *len);
        }
        return SIM_ADV_SEND;
    case SIM_EQUIVOCATE:
        if (type == MPC_MSG_ROUND && (to & 1)) {
            mpc__perturb(st, msg, *len);
        }
        return SIM_ADV_SEND;
    case SIM_WRONG_MAC:
        if (st->adv_delta == 0) {
            do {
                st->adv_delta = mpc_fsample(st->prm->mc.field, st->adv);
            } while (st->adv_delta == 0);
        }
        mpc_party_wrong_mac(st->pt, msg, *len, st->adv_delta);
        return SIM_ADV_SEND;
    case SIM_WITHHOLD:
        return SIM_ADV_DROP;
    case SIM_DELAY:
        return SIM_ADV_DELAY;
    case SIM_MALFORMED: {
        size_t eb = mpc_field_bytes(st->prm->mc.field);

        switch (to % 3) {
        case 0:
            *len -= 1; /* truncated */
            break;
        case 1:
            if (*len >= MPC_HDR + eb) {
                memset(msg + *len - eb, 0xff, eb); /* a value >= p */
            }
            break;
        default:
            fp_stream_bytes(st->adv, msg, *len); /* garbage */
            break;
        }
        return SIM_ADV_SEND;
    }
    default:
        return SIM_ADV_SEND;
    }
}

/* see adapter.h */
const struct sim_protocol mpc_protocol = {
    .name = "mpc",
    .trial_setup = mpc__trial_setup,
    .trial_teardown = mpc__trial_teardown,
    .setup = mpc__setup,
    .on_start = mpc__on_start,
    .on_message = mpc__on_message,
    .on_timer = mpc__on_timer,
    .teardown = mpc__teardown,
    .tamper = mpc__tamper,
};
