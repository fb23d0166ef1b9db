/* SPDX-License-Identifier: MIT */
/*
 * tests/sim/probe.h - small test protocols and helpers shared by the
 * engine's tests (static: each test file gets its own copy).
 *
 * probe: party `sender` sends `count` messages of `len` bytes (the first 4
 *        bytes number them) to `receiver` (-1: broadcast), `gap_ns` of
 *        local time apart (by timer), each after charging `charge` SIM_OP_
 *        HASH_BYTE operations; every party that receives records (from, k,
 *        local time) and charges `recv_charge` SIM_OP_HASH_BYTE operations.
 *        If `all_send`, every party is a sender (to receiver, or to all).
 *        Message k (from 0) is of protocol round k + 1.
 * relay: a token goes round the ring 0 -> 1 -> ... for `hops` hops; the
 *        party receiving the last hop outputs it; hop h is round h.
 */
#ifndef MPCSIM_TESTS_SIM_PROBE_H
#define MPCSIM_TESTS_SIM_PROBE_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "sim/sim.h"

struct probe_rec {
    int from, to;
    uint32_t k;
    int64_t t;
    int depth;
};

struct probe_params {
    int sender;
    int receiver; /* -1 = broadcast */
    int all_send;
    int count;
    size_t len;
    int64_t gap_ns;
    double charge, recv_charge;
    /* Recorder (test-owned, mutable through the const params). */
    struct probe_rec *rec;
    size_t n_rec, cap_rec;
};

struct probe_state {
    const struct probe_params *pp;
    int sent;
};

static inline void
probe_send_one(struct sim_party *p)
{
    struct probe_state *st = sim_party_state(p);
    const struct probe_params *pp = st->pp;
    uint8_t *buf = calloc(1, pp->len + 4);
    uint32_t k = (uint32_t)st->sent++;
    int rc;

    memcpy(buf, &k, pp->len >= 4 ? 4 : pp->len);
    if (pp->charge > 0) {
        sim_charge(p, SIM_OP_HASH_BYTE, pp->charge);
    }
    if (pp->receiver < 0) {
        rc = sim_broadcast(p, (int)k + 1, buf, pp->len);
    } else {
        rc = sim_send(p, pp->receiver, (int)k + 1, buf, pp->len);
    }
    free(buf);
    if (rc < 0) {
        return;
    }
    if (st->sent < pp->count && pp->gap_ns > 0) {
        rc = sim_set_timer(p, pp->gap_ns, 1);
        (void)rc;
    } else if (st->sent < pp->count) {
        probe_send_one(p);
    }
}

static inline int
probe_setup(struct sim_party *p, const struct sim_protocol_cfg *cfg)
{
    struct probe_state *st = mpcsim_calloc(1, sizeof(*st));

    if (st == NULL) {
        return MPCSIM_ENOMEM;
    }
    st->pp = cfg->params;
    sim_party_set_state(p, st);
    return 0;
}

static inline int
probe_is_sender(struct sim_party *p)
{
    struct probe_state *st = sim_party_state(p);

    return st->pp->all_send ? st->pp->receiver != sim_party_id(p)
                            : st->pp->sender == sim_party_id(p);
}

static inline void
probe_on_start(struct sim_party *p)
{
    struct probe_state *st = sim_party_state(p);

    if (probe_is_sender(p) && st->pp->count > 0) {
        probe_send_one(p);
    }
}

static inline void
probe_on_timer(struct sim_party *p, uint64_t id)
{
    (void)id;
    probe_send_one(p);
}

static inline void
probe_on_message(struct sim_party *p, int from, const uint8_t *msg, size_t len)
{
    struct probe_state *st = sim_party_state(p);
    struct probe_params *pp = (struct probe_params *)(uintptr_t)st->pp;
    uint32_t k = 0;

    if (pp->recv_charge > 0) {
        sim_charge(p, SIM_OP_HASH_BYTE, pp->recv_charge);
    }
    memcpy(&k, msg, len >= 4 ? 4 : len);
    if (pp->n_rec == pp->cap_rec) {
        pp->cap_rec = pp->cap_rec == 0 ? 256 : 2 * pp->cap_rec;
        pp->rec = realloc(pp->rec, pp->cap_rec * sizeof(*pp->rec));
    }
    pp->rec[pp->n_rec].from = from;
    pp->rec[pp->n_rec].to = sim_party_id(p);
    pp->rec[pp->n_rec].k = k;
    pp->rec[pp->n_rec].t = sim_now(p);
    pp->rec[pp->n_rec].depth = sim_party_depth(p);
    pp->n_rec++;
}

static inline void
probe_teardown(struct sim_party *p)
{
    mpcsim_free(sim_party_state(p));
}

static const struct sim_protocol probe_protocol __attribute__((unused)) = {
    .name = "probe",
    .setup = probe_setup,
    .on_start = probe_on_start,
    .on_message = probe_on_message,
    .on_timer = probe_on_timer,
    .teardown = probe_teardown,
};

/* ---- relay ---------------------------------------------------------- */

struct relay_params {
    int hops;
};

static inline void
relay_on_start(struct sim_party *p)
{
    uint32_t h = 1;

    if (sim_party_id(p) == 0) {
        if (sim_send(p, 1, 1, (const uint8_t *)&h, 4) < 0) {
            return;
        }
    }
}

static inline void
relay_on_message(struct sim_party *p, int from, const uint8_t *msg, size_t len)
{
    const struct relay_params *rp = sim_party_state(p);
    uint32_t h;
    mpcsim_i128 out;

    (void)from;
    (void)len;
    memcpy(&h, msg, 4);
    if ((int)h >= rp->hops) {
        out = h;
        if (sim_output(p, &out, 1, NULL) < 0) {
            return;
        }
        return;
    }
    h++;
    if (sim_send(p, (sim_party_id(p) + 1) % sim_party_count(p), (int)h, (const uint8_t *)&h, 4) <
        0) {
        return;
    }
}

static inline int
relay_setup(struct sim_party *p, const struct sim_protocol_cfg *cfg)
{
    sim_party_set_state(p, (void *)(uintptr_t)cfg->params);
    return 0;
}

static const struct sim_protocol relay_protocol __attribute__((unused)) = {
    .name = "relay",
    .setup = relay_setup,
    .on_start = relay_on_start,
    .on_message = relay_on_message,
};

/* ---- dummy: does nothing (for fault draws) -------------------------- */

static inline void
dummy_on_message(struct sim_party *p, int from, const uint8_t *msg, size_t len)
{
    (void)p;
    (void)from;
    (void)msg;
    (void)len;
}

static const struct sim_protocol order_dummy_protocol __attribute__((unused)) = {
    .name = "dummy",
    .on_message = dummy_on_message,
};

/* ---- helpers -------------------------------------------------------- */

/* The default costs but a free `message` (the engine charges it per
 * delivery): for tests that time the network alone. */
static inline void
probe_no_message_cost(struct sim_config *c)
{
    static double cost[SIM_OP_COUNT];

    memcpy(cost, sim_cost_default, sizeof(cost));
    cost[SIM_OP_MESSAGE] = 0.0;
    c->cost_ns = cost;
}

/* Inputs 1..n for the toy (static storage, n <= 4096). */
static inline void
probe_toy_inputs(struct sim_config *c)
{
    static mpcsim_i128 v[4096];
    static const mpcsim_i128 *pv[4096];
    static size_t len[4096];

    for (int i = 0; i < c->n && i < 4096; i++) {
        v[i] = i + 1;
        pv[i] = &v[i];
        len[i] = 1;
    }
    c->inputs = pv;
    c->input_len = len;
}

/* Metrics equal except wall time. */
static inline int
probe_metrics_equal(const struct sim_metrics *a, const struct sim_metrics *b)
{
    return a->latency_ns == b->latency_ns && a->latency_p50_ns == b->latency_p50_ns &&
           a->rounds == b->rounds && a->messages == b->messages && a->bytes == b->bytes &&
           a->max_party_bytes == b->max_party_bytes && a->compute_ns == b->compute_ns &&
           a->dropped == b->dropped && a->events == b->events &&
           a->messages_lost == b->messages_lost && a->end_ns == b->end_ns &&
           a->timed_out == b->timed_out && a->peak_pending_events == b->peak_pending_events;
}

#endif /* MPCSIM_TESTS_SIM_PROBE_H */
