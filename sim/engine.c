/* SPDX-License-Identifier: MIT */
/*
 * sim/engine.c - trial lifecycle, event loop, party runtime, faults,
 * adversary hook, randomness and metrics (see sim.h).
 *
 * Compute model: a party's events are dispatched in queue order; a
 * handler for an event at time T starts at local time max(T, busy_until),
 * so a busy party handles what reached it in arrival order once its CPU is
 * free, without re-queueing.  Everything the handler does (sends, timers,
 * output) is stamped with its local time.  Local times only grow, and
 * every event a handler schedules lies at or after the global time, which
 * is all the queue needs.
 *
 * Messages: a payload (header + bytes) comes from a size-class slab
 * (16 B .. 8 KiB, free lists, no malloc in the steady state) or, larger,
 * from mpcsim_malloc; a broadcast shares one payload, refcounted by the
 * n-1 events that carry it.
 *
 * Randomness: simulation draws come from keyed counter-based streams
 * (sim/stream.h): a dropout from (trial seed, dropout, party), a network
 * draw from (trial seed, purpose, link, message index on the link), so no
 * draw depends on the order of others.  Protocol keys are BLAKE2b-KDF
 * subkeys (libsodium) of a master key hashed from the seed.
 */
#include "sim/sim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "common/alloc.h"
#include "sim/sim_int.h"

#define SLAB_BYTES (256u * 1024u)
#define SLAB_BYTES_BIG ((size_t)8 << 20) /* after SLABS_SMALL slabs: huge pages */
#define SLABS_SMALL 8u
#define SCRATCH_SPARE 64u

enum { PURPOSE_LATENCY = 1, PURPOSE_LOSS = 2, PURPOSE_DROPOUT = 3 };

static const char *const behaviour_names[SIM_BEHAVIOUR_COUNT] = {
    [SIM_HONEST] = "honest",
    [SIM_CORRUPT_SHARES] = "corrupt_shares",
    [SIM_EQUIVOCATE] = "equivocate",
    [SIM_WITHHOLD] = "withhold",
    [SIM_DELAY] = "delay",
    [SIM_WRONG_MAC] = "wrong_mac",
    [SIM_BAD_CIPHERTEXT] = "bad_ciphertext",
    [SIM_MALFORMED] = "malformed",
};

/* see sim.h */
const char *
sim_behaviour_name(enum sim_behaviour b)
{
    if ((int)b < 0 || b >= SIM_BEHAVIOUR_COUNT) {
        return NULL;
    }
    return behaviour_names[b];
}

/* see sim.h */
void
sim_config_init(struct sim_config *cfg, int n, uint64_t seed)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->n = n;
    cfg->seed = seed;
    cfg->net.latency.kind = SIM_LATENCY_CONSTANT;
    cfg->net.transport.kind = SIM_TRANSPORT_TCP;
    cfg->net.transport.mss = 1460;
    cfg->net.transport.header_bytes = 40;
    cfg->net.transport.window_bytes = 6291456;
    cfg->net.transport.initial_window_segments = 10;
    cfg->net.transport.slow_start_after_idle = 1;
    cfg->net.transport.rto_ms = 200.0;
    cfg->net.transport.rto_max_ms = 60000.0;
    cfg->net.transport.connection_timeout_ms = 30000.0;
    cfg->round_timeout_ns = 5000 * SIM_NS_PER_MS;
}

/* ---------------------------------------------------------------------
 * Randomness
 * ------------------------------------------------------------------- */

static void
keys_init(struct sim *sim)
{
    sim->lat_key = sim_stream_key(sim->cfg.seed, PURPOSE_LATENCY, 0, 0);
    sim->loss_key = sim_stream_key(sim->cfg.seed, PURPOSE_LOSS, 0, 0);
}

/* The master key of the trial's protocol randomness. */
static void
master_key(uint8_t out[crypto_kdf_KEYBYTES], uint64_t seed)
{
    static const char domain[] = "mpcsim/trial-seed/v1";
    uint8_t in[sizeof(domain) + 8];

    memcpy(in, domain, sizeof(domain));
    for (int i = 0; i < 8; i++) {
        in[sizeof(domain) + (size_t)i] = (uint8_t)(seed >> (8 * i));
    }
    crypto_generichash(out, crypto_kdf_KEYBYTES, in, sizeof(in), NULL, 0);
}

/* ---------------------------------------------------------------------
 * Payloads
 * ------------------------------------------------------------------- */

/* The size class of a full payload of `total` bytes (header included),
 * or SIM__PAYLOAD_CLASSES if it is malloc'd. */
static inline unsigned
payload_class(size_t total)
{
    unsigned cls = 1;

    while (cls < SIM__PAYLOAD_CLASSES && sim__payload_class_bytes(cls) < total) {
        cls++;
    }
    return cls;
}

/* see sim_int.h */
size_t
sim__payload_bytes(size_t len)
{
    size_t total = SIM__PAYLOAD_HDR + len;
    unsigned cls = payload_class(total);

    if (len <= SIM__PAYLOAD_COMPACT_LEN) {
        return sim__payload_class_bytes(0);
    }
    return cls == SIM__PAYLOAD_CLASSES ? total : sim__payload_class_bytes(cls);
}

/* A block of class `cls` from its free list or its slab, or NULL. */
static void *
payload_block(struct sim *sim, unsigned cls)
{
    void *blk = sim->free_list[cls];
    size_t bs = sim__payload_class_bytes(cls);

    if (blk != NULL) {
        memcpy(&sim->free_list[cls], blk, sizeof(void *));
        return blk;
    }
    if ((size_t)(sim->bump_end[cls] - sim->bump[cls]) < bs) {
        /* A fresh slab for this class; its first 64 bytes link the chain. */
        size_t sb = sim->n_slabs < SLABS_SMALL ? SLAB_BYTES : SLAB_BYTES_BIG;
        uint8_t *slab = mpcsim_malloc(sb);

        if (slab == NULL) {
            return NULL;
        }
        sim__pool_advise(slab, sb);
        sim->n_slabs++;
        memcpy(slab, &sim->slabs, sizeof(void *));
        sim->slabs = slab;
        sim->bump[cls] = slab + 64;
        sim->bump_end[cls] = slab + sb;
    }
    blk = sim->bump[cls];
    sim->bump[cls] += bs;
    return blk;
}

/* A payload of `len` bytes with one reference (its data not yet written):
 * compact when it fits (sim_int.h), else full. */
static struct sim__payload *
payload_new(struct sim *sim, size_t len, int depth, int round)
{
    size_t total = SIM__PAYLOAD_HDR + len;
    struct sim__payload *pl;
    unsigned cls;

    MPCSIM_ASSERT(round >= 0 && round <= 0xffff && depth >= 0);
    if (len > UINT32_MAX) {
        return NULL;
    }
    if (len <= SIM__PAYLOAD_COMPACT_LEN && depth <= SIM__PAYLOAD_COMPACT_DEPTH) {
        pl = payload_block(sim, 0);
        if (pl != NULL) {
            sim__payload_set_word(pl, 1u | UINT32_C(1) << SIM__PL_REFS_SHIFT | (uint32_t)len << 24);
            pl->round = (uint16_t)round;
            ((uint8_t *)pl)[6] = (uint8_t)depth;
        }
        return pl;
    }
    cls = payload_class(total);
    if (cls == SIM__PAYLOAD_CLASSES) {
        pl = mpcsim_malloc(total);
        cls = SIM__PAYLOAD_BIG;
    } else {
        pl = payload_block(sim, cls);
    }
    if (pl == NULL) {
        return NULL;
    }
    sim__payload_set_word(pl, UINT32_C(1) << SIM__PL_REFS_SHIFT | cls << SIM__PL_CLASS_SHIFT);
    pl->len = (uint32_t)len;
    pl->depth = depth;
    pl->round = (uint16_t)round;
    return pl;
}

/* see sim_int.h */
void
sim__payload_release(struct sim *sim, struct sim__payload *pl)
{
    uint32_t w = sim__payload_word(pl) - (UINT32_C(1) << SIM__PL_REFS_SHIFT);
    unsigned cls;

    if ((w & SIM__PL_REFS_MASK << SIM__PL_REFS_SHIFT) != 0) {
        sim__payload_set_word(pl, w);
        return;
    }
    cls = (w & 1u) ? 0 : (w >> SIM__PL_CLASS_SHIFT) & 0x7fu;
    if (cls == SIM__PAYLOAD_BIG) {
        mpcsim_free(pl);
        return;
    }
    memcpy((void *)pl, &sim->free_list[cls], sizeof(void *));
    sim->free_list[cls] = pl;
}

/* ---------------------------------------------------------------------
 * Events
 * ------------------------------------------------------------------- */

/* see sim_int.h */
int
sim__push(struct sim *sim, int64_t time, uint32_t party, uint32_t aux, void *ptr)
{
    struct sim__event ev;

    ev.time = time;
    ev.u.ptr = ptr;
    ev.party = party;
    ev.aux = aux;
    return SIM__Q_PUSH(&sim->q, &ev);
}

/* see sim_int.h */
int
sim__push_id(struct sim *sim, int64_t time, uint32_t party, uint32_t aux, uint64_t id)
{
    struct sim__event ev;

    ev.time = time;
    ev.u.id = id;
    ev.party = party;
    ev.aux = aux;
    return SIM__Q_PUSH(&sim->q, &ev);
}

static int
push_timer(struct sim *sim, int64_t time, uint32_t party, uint64_t id)
{
    return sim__push_id(sim, time, party, SIM__EV_AUX(SIM__EV_TIMER, 0), id);
}

static void
crash_now(struct sim_party *p, int64_t t)
{
    if (!p->crashed) {
        SIM__TRACE(p->sim, SIM_TRACE_CRASH, p->id, -1, t < p->crash_at ? p->crash_round : -1, t, t,
                   0, NULL);
        p->crashed = 1;
        p->res.crashed = 1;
        p->res.crash_ns = t;
    }
}

/* Local start time of a handler for an event at `t`, or -1 if the party
 * is (or is by then) crashed. */
static inline int64_t
handler_start(struct sim_party *p, int64_t t)
{
    int64_t local = t > p->busy_until ? t : p->busy_until;

    if (p->crashed) {
        return -1;
    }
    if (local >= p->crash_at) {
        crash_now(p, p->crash_at);
        return -1;
    }
    return local;
}

/* Run p's on_message for a message from `from` handled from `local` on. */
static inline void
deliver_run(struct sim *sim, struct sim_party *p, int64_t local, int from, const uint8_t *data,
            uint32_t len, int depth, int round)
{
    p->depth = depth > p->depth ? depth : p->depth;
    p->round = round > p->round ? round : p->round;
    p->res.bytes_received += sim__net_wire_bytes(sim, len);
    p->res.messages_received++;
    p->now = local;
    p->in_handler = 1;
    sim_charge(p, SIM_OP_MESSAGE, 1);
    sim->proto->on_message(p, from, data, len);
    p->in_handler = 0;
}

/* see sim_int.h */
void
sim__deliver(struct sim *sim, const struct sim__event *ev)
{
    struct sim_party *p = &sim->parties[ev->party];
    struct sim__payload *pl = ev->u.ptr;
    int64_t local = handler_start(p, ev->time);

    if (local < 0) {
        sim->m.messages_lost++;
        SIM__TRACE(sim, SIM_TRACE_DROP, p->id, SIM__EV_FROM(ev->aux), sim__payload_round(pl),
                   ev->time, ev->time, sim__net_wire_bytes(sim, sim__payload_len(pl)), pl);
        goto out;
    }
    if (sim__payload_compact(pl)) {
        deliver_run(sim, p, local, SIM__EV_FROM(ev->aux),
                    (const uint8_t *)pl + SIM__PAYLOAD_COMPACT_HDR, ((const uint8_t *)pl)[3],
                    ((const uint8_t *)pl)[6], pl->round);
    } else {
        deliver_run(sim, p, local, SIM__EV_FROM(ev->aux), pl->data, pl->len, pl->depth, pl->round);
    }
    SIM__TRACE_DELIVER(sim, p, ev, pl);
    p->busy_until = p->now;
out:
    sim__payload_release(sim, pl);
}

/* see sim_int.h */
void
sim__deliver_imm(struct sim *sim, const struct sim__event *ev)
{
    struct sim_party *p = &sim->parties[SIM__EV_PARTY(ev->party)];
    int64_t local = handler_start(p, ev->time);
    uint8_t buf[SIM__IMM_MAX_LEN];
    uint32_t len;

    if (local < 0) {
        sim->m.messages_lost++; /* no trace: immediates are not sent while tracing */
        return;
    }
    len = sim__imm_unpack(ev, buf);
    deliver_run(sim, p, local, (int)(ev->aux & SIM__IMM_FROM_MASK), buf, len,
                SIM__IMM_DEPTH(ev->party), SIM__IMM_ROUND(ev->party));
    p->busy_until = p->now;
}

/* Look-ahead distances (events) of sim_run's prefetches: the receiving
 * party's record and a message's payload, then, once the record is in
 * the cache, the protocol state it points to. */
#define AHEAD_PARTY 8
#define AHEAD_STATE 4

static void
dispatch(struct sim *sim, const struct sim__event *ev)
{
    struct sim_party *p;
    int64_t local;

    switch (SIM__EV_KIND(ev->aux)) {
    case SIM__EV_DELIVER:
        sim__deliver(sim, ev);
        break;
    case SIM__EV_DELIVER_IMM:
        sim__deliver_imm(sim, ev);
        break;
    case SIM__EV_ARRIVE:
    case SIM__EV_ARRIVE_IMM:
        if (sim__net_arrive(sim, ev) < 0) {
            sim->rc = MPCSIM_ENOMEM;
        }
        break;
    case SIM__EV_TIMER:
        p = &sim->parties[ev->party];
        local = handler_start(p, ev->time);
        if (local < 0 || sim->proto->on_timer == NULL) {
            break;
        }
        p->now = local;
        p->in_handler = 1;
        sim->proto->on_timer(p, ev->u.id);
        p->in_handler = 0;
        SIM__TRACE(sim, SIM_TRACE_HANDLER, p->id, -1, SIM_TRACE_TIMER, local, p->now, 0, NULL);
        p->busy_until = p->now;
        break;
    case SIM__EV_CRASH:
        crash_now(&sim->parties[ev->party], ev->time);
        break;
    default:
        MPCSIM_ASSERT(SIM__EV_KIND(ev->aux) == SIM__EV_NET);
        if (sim__net_event(sim, ev) < 0) {
            sim->rc = MPCSIM_ENOMEM;
        }
    }
}

/* ---------------------------------------------------------------------
 * Lifecycle
 * ------------------------------------------------------------------- */

static int
finite_nonneg(double x)
{
    return isfinite(x) && x >= 0.0;
}

/* A latency distribution's parameters (the base or the jitter). */
static int
validate_latency(const struct sim_latency *l)
{
    switch (l->kind) {
    case SIM_LATENCY_CONSTANT:
        if (!finite_nonneg(l->ms)) {
            return MPCSIM_EINVAL;
        }
        break;
    case SIM_LATENCY_UNIFORM:
        if (!finite_nonneg(l->min_ms) || !finite_nonneg(l->max_ms) || l->max_ms < l->min_ms) {
            return MPCSIM_EINVAL;
        }
        break;
    case SIM_LATENCY_NORMAL:
        /* The mean must not be far below 0, or truncation never ends. */
        if (!isfinite(l->mean_ms) || !finite_nonneg(l->sd_ms) || l->mean_ms < 0.0) {
            return MPCSIM_EINVAL;
        }
        break;
    case SIM_LATENCY_LOGNORMAL:
        if (!finite_nonneg(l->median_ms) || l->median_ms <= 0.0 || !finite_nonneg(l->sigma)) {
            return MPCSIM_EINVAL;
        }
        break;
    case SIM_LATENCY_EXPONENTIAL:
        if (!finite_nonneg(l->mean_ms)) {
            return MPCSIM_EINVAL;
        }
        break;
    case SIM_LATENCY_PARETO:
        if (!finite_nonneg(l->min_ms) || !(l->alpha > 0.0) || !isfinite(l->alpha)) {
            return MPCSIM_EINVAL;
        }
        break;
    default:
        return MPCSIM_EINVAL;
    }
    return 0;
}

/* Profiles: indices in range, bandwidths >= 0 (or the network's), and
 * every scaled cost within SIM_COST_MAX_NS. */
static int
validate_profiles(const struct sim_config *c)
{
    const double *cost = c->cost_ns != NULL ? c->cost_ns : sim_cost_default;

    if (c->party_profile == NULL) {
        return 0;
    }
    if (c->n_profiles < 0 || (c->n_profiles > 0 && c->profiles == NULL)) {
        return MPCSIM_EINVAL;
    }
    for (int i = 0; i < c->n; i++) {
        if (c->party_profile[i] < -1 || c->party_profile[i] >= c->n_profiles) {
            return MPCSIM_EINVAL;
        }
    }
    for (int k = 0; k < c->n_profiles; k++) {
        const struct sim_profile *pr = &c->profiles[k];

        if (!(finite_nonneg(pr->uplink_mbps) || pr->uplink_mbps == SIM_PROFILE_NETWORK) ||
            !(finite_nonneg(pr->downlink_mbps) || pr->downlink_mbps == SIM_PROFILE_NETWORK) ||
            !(pr->cpu_scale > 0.0) || !isfinite(pr->cpu_scale)) {
            return MPCSIM_EINVAL;
        }
        for (int op = 0; op < SIM_OP_COUNT; op++) {
            if (!(cost[op] * pr->cpu_scale <= SIM_COST_MAX_NS)) {
                return MPCSIM_EINVAL;
            }
        }
    }
    return 0;
}

static int
validate(const struct sim_config *c)
{
    const struct sim_network *net = &c->net;
    const struct sim_latency *l = &net->latency;

    if (c->n < 2 || c->n > SIM_MAX_PARTIES) {
        return MPCSIM_EINVAL;
    }
    if (net->n_regions < 0 ||
        (net->n_regions > 0 && (net->party_region == NULL || net->region_median_ms == NULL))) {
        return MPCSIM_EINVAL;
    }
    if (net->n_regions > 0) {
        for (int i = 0; i < c->n; i++) {
            if (net->party_region[i] < 0 || net->party_region[i] >= net->n_regions) {
                return MPCSIM_EINVAL;
            }
        }
        for (int k = 0; k < net->n_regions * net->n_regions; k++) {
            if (!finite_nonneg(net->region_median_ms[k]) ||
                (l->sigma > 0.0 && net->region_median_ms[k] <= 0.0)) {
                return MPCSIM_EINVAL;
            }
        }
        if (!finite_nonneg(l->sigma)) {
            return MPCSIM_EINVAL;
        }
    } else if (validate_latency(l) < 0) {
        return MPCSIM_EINVAL;
    }
    if ((int)net->latency_per < 0 || net->latency_per > SIM_LATENCY_PER_LINK ||
        (net->has_jitter && validate_latency(&net->jitter) < 0)) {
        return MPCSIM_EINVAL;
    }
    if (validate_profiles(c) < 0) {
        return MPCSIM_EINVAL;
    }
    if (!finite_nonneg(net->bandwidth_mbps) || !(net->loss >= 0.0 && net->loss < 1.0)) {
        return MPCSIM_EINVAL;
    }
    if ((net->transport.kind != SIM_TRANSPORT_TCP &&
         net->transport.kind != SIM_TRANSPORT_DATAGRAM) ||
        net->transport.mss == 0 || !finite_nonneg(net->transport.rto_ms) ||
        !finite_nonneg(net->transport.rto_max_ms) ||
        !finite_nonneg(net->transport.connection_timeout_ms)) {
        return MPCSIM_EINVAL;
    }
    if (net->n_partitions < 0 || (net->n_partitions > 0 && net->partitions == NULL)) {
        return MPCSIM_EINVAL;
    }
    for (int k = 0; k < net->n_partitions; k++) {
        const struct sim_partition *pt = &net->partitions[k];

        if ((pt->group == NULL && pt->n_listed > 0 &&
             (pt->listed == NULL || pt->listed_group == NULL)) ||
            pt->n_listed < 0 || pt->to_ns < pt->from_ns) {
            return MPCSIM_EINVAL;
        }
    }
    if (c->faults.n_crashes < 0 || (c->faults.n_crashes > 0 && c->faults.crashes == NULL)) {
        return MPCSIM_EINVAL;
    }
    for (int k = 0; k < c->faults.n_crashes; k++) {
        const struct sim_crash *cr = &c->faults.crashes[k];

        if (cr->party < 0 || cr->party >= c->n || (cr->at_round < 0 && cr->at_ns < 0) ||
            cr->at_round > SIM_MAX_ROUND) {
            return MPCSIM_EINVAL;
        }
    }
    if (!(c->faults.dropout_probability >= 0.0 && c->faults.dropout_probability <= 1.0) ||
        (int)c->faults.dropout_at < 0 || c->faults.dropout_at > SIM_DROPOUT_ROUND ||
        c->faults.dropout_round < 0 || c->faults.random_max_round < 0) {
        return MPCSIM_EINVAL;
    }
    if (c->behaviour != NULL) {
        for (int i = 0; i < c->n; i++) {
            if ((int)c->behaviour[i] < 0 || c->behaviour[i] >= SIM_BEHAVIOUR_COUNT) {
                return MPCSIM_EINVAL;
            }
        }
    }
    if (c->adversary_delay_ns < 0 || c->round_timeout_ns < 0 || c->max_sim_time_ns < 0 ||
        c->adversary_delay_ns > SIM_HORIZON_NS || c->round_timeout_ns > SIM_HORIZON_NS) {
        return MPCSIM_EINVAL;
    }
    if (c->cost_ns != NULL) {
        for (int k = 0; k < SIM_OP_COUNT; k++) {
            if (!finite_nonneg(c->cost_ns[k]) || c->cost_ns[k] > SIM_COST_MAX_NS) {
                return MPCSIM_EINVAL;
            }
        }
    }
    if (c->inputs != NULL && c->input_len == NULL) {
        return MPCSIM_EINVAL;
    }
    return 0;
}

/* Copy the config arrays the engine keeps. */
static int
copy_config(struct sim *sim, const struct sim_config *c)
{
    const struct sim_network *net = &c->net;
    size_t n = (size_t)c->n;

    sim->cfg = *c;
    if (net->n_regions > 0) {
        size_t k2 = (size_t)net->n_regions * (size_t)net->n_regions;

        sim->party_region = mpcsim_calloc(n, sizeof(int));
        sim->region_median_ms = mpcsim_calloc(k2, sizeof(double));
        if (sim->party_region == NULL || sim->region_median_ms == NULL) {
            return MPCSIM_ENOMEM;
        }
        memcpy(sim->party_region, net->party_region, n * sizeof(int));
        memcpy(sim->region_median_ms, net->region_median_ms, k2 * sizeof(double));
        sim->cfg.net.party_region = sim->party_region;
        sim->cfg.net.region_median_ms = sim->region_median_ms;
    }
    if (net->n_partitions > 0) {
        size_t np = (size_t)net->n_partitions;

        size_t ints = 0, at = 0; /* dense: n per partition; sparse: 2 per listed party */

        for (size_t k = 0; k < np; k++) {
            const struct sim_partition *pt = &net->partitions[k];

            ints += pt->group != NULL ? n : 2 * (size_t)pt->n_listed;
        }
        sim->partitions = mpcsim_calloc(np, sizeof(*sim->partitions));
        sim->partition_groups = mpcsim_calloc(ints > 0 ? ints : 1, sizeof(int));
        if (sim->partitions == NULL || sim->partition_groups == NULL) {
            return MPCSIM_ENOMEM;
        }
        for (size_t k = 0; k < np; k++) {
            const struct sim_partition *pt = &net->partitions[k];
            size_t m = (size_t)pt->n_listed;

            sim->partitions[k] = *pt;
            if (pt->group != NULL) {
                memcpy(&sim->partition_groups[at], pt->group, n * sizeof(int));
                sim->partitions[k].group = &sim->partition_groups[at];
                at += n;
            } else if (m > 0) {
                memcpy(&sim->partition_groups[at], pt->listed, m * sizeof(int));
                memcpy(&sim->partition_groups[at + m], pt->listed_group, m * sizeof(int));
                sim->partitions[k].listed = &sim->partition_groups[at];
                sim->partitions[k].listed_group = &sim->partition_groups[at + m];
                at += 2 * m;
            }
        }
        sim->cfg.net.partitions = sim->partitions;
    }
    /* Crashes and behaviours are applied to the parties, not kept. */
    sim->cfg.faults.crashes = NULL;
    sim->cfg.behaviour = NULL;
    sim->cfg.cost_ns = NULL;
    memcpy(sim->cost_ns, c->cost_ns != NULL ? c->cost_ns : sim_cost_default, sizeof(sim->cost_ns));
    for (int k = 0; k < SIM_OP_COUNT; k++) {
        sim->cost_fs[k] = (uint64_t)llround(sim->cost_ns[k] * 1e6);
    }
    for (int i = 0; i < c->n; i++) {
        sim->parties[i].cost_fs = sim->cost_fs;
    }
    /* Profiles' cpu_scale: one scaled table per profile (each entry rounded
     * to fs once, as the table's).  Their rates: sim__net_init. */
    if (c->party_profile != NULL && c->n_profiles > 0) {
        sim->profile_cost_fs =
            mpcsim_calloc((size_t)c->n_profiles * SIM_OP_COUNT, sizeof(uint64_t));
        if (sim->profile_cost_fs == NULL) {
            return MPCSIM_ENOMEM;
        }
        for (int j = 0; j < c->n_profiles; j++) {
            for (int k = 0; k < SIM_OP_COUNT; k++) {
                sim->profile_cost_fs[(size_t)j * SIM_OP_COUNT + (size_t)k] =
                    (uint64_t)llround(sim->cost_ns[k] * c->profiles[j].cpu_scale * 1e6);
            }
        }
        for (int i = 0; i < c->n; i++) {
            if (c->party_profile[i] >= 0) {
                sim->parties[i].cost_fs =
                    &sim->profile_cost_fs[(size_t)c->party_profile[i] * SIM_OP_COUNT];
            }
        }
    }
    return 0;
}

/* Crashes from the config and dropouts drawn from the dropout streams. */
static int
apply_faults(struct sim *sim, const struct sim_config *c)
{
    const struct sim_faults *f = &c->faults;

    for (int k = 0; k < f->n_crashes; k++) {
        struct sim_party *p = &sim->parties[f->crashes[k].party];

        if (f->crashes[k].at_round >= 0) {
            if (p->crash_round < 0 || f->crashes[k].at_round < p->crash_round) {
                p->crash_round = f->crashes[k].at_round;
            }
        } else if (f->crashes[k].at_ns < p->crash_at) {
            p->crash_at = f->crashes[k].at_ns;
        }
    }
    if (f->dropout_probability > 0.0) {
        for (int i = 0; i < sim->n; i++) {
            struct sim_party *p = &sim->parties[i];
            uint64_t key = sim_stream_key(c->seed, PURPOSE_DROPOUT, (uint64_t)i, 0);
            int round;

            /* One uniform per party, whatever the probability: sets nest. */
            if (i < f->dropout_exempt || p->behaviour != SIM_HONEST ||
                !(sim_stream_uniform_at(key, 0) < f->dropout_probability)) {
                continue;
            }
            switch (f->dropout_at) {
            case SIM_DROPOUT_RANDOM:
                round = (int)(sim_stream_uniform_at(key, 1) * (double)(f->random_max_round + 1));
                break;
            case SIM_DROPOUT_ROUND:
                round = f->dropout_round;
                break;
            default:
                round = 0;
                break;
            }
            if (p->crash_round < 0 || round < p->crash_round) {
                p->crash_round = round;
            }
        }
    }
    for (int i = 0; i < sim->n; i++) {
        struct sim_party *p = &sim->parties[i];

        if (p->crash_at != INT64_MAX &&
            sim__push(sim, p->crash_at, (uint32_t)i, SIM__EV_AUX(SIM__EV_CRASH, 0), NULL) < 0) {
            return MPCSIM_ENOMEM;
        }
    }
    return 0;
}

static int
setup_parties(struct sim *sim, const struct sim_config *c)
{
    uint8_t master[crypto_kdf_KEYBYTES];
    uint8_t trial_key[32];
    struct sim_protocol_cfg pc;
    int rc = 0;

    if (c->secure_random) {
        randombytes_buf(master, sizeof(master));
    } else {
        master_key(master, c->seed);
    }
    crypto_kdf_derive_from_key(trial_key, sizeof(trial_key), 0, "mpctrial", master);
    for (int i = 0; i < sim->n; i++) {
        struct sim_party *p = &sim->parties[i];

        memset(&pc, 0, sizeof(pc));
        pc.n = sim->n;
        pc.self = i;
        if (c->inputs != NULL) {
            pc.input = c->inputs[i];
            pc.input_len = c->input_len[i];
        }
        pc.params = sim->params;
        pc.trial = sim->trial;
        pc.behaviour = p->behaviour;
        pc.round_timeout_ns = c->round_timeout_ns;
        crypto_kdf_derive_from_key(pc.key, sizeof(pc.key), (uint64_t)i, "mpcparty", master);
        if (i == 0 && sim->proto->trial_setup != NULL) {
            rc = sim->proto->trial_setup(sim, &sim->trial, &pc, trial_key);
            if (rc < 0) {
                goto out;
            }
            sim->trial_setup_done = 1;
            pc.trial = sim->trial;
        }
        if (sim->proto->setup != NULL) {
            p->now = 0;
            rc = sim->proto->setup(p, &pc);
            if (rc < 0) {
                goto out;
            }
            p->busy_until = p->now;
        }
        p->setup_done = 1;
    }
out:
    sodium_memzero(master, sizeof(master));
    sodium_memzero(trial_key, sizeof(trial_key));
    sodium_memzero(&pc, sizeof(pc));
    return rc;
}

/* see sim.h */
int
sim_pool_create(struct sim_pool **out)
{
    struct sim_pool *pool = mpcsim_calloc(1, sizeof(*pool));

    if (pool == NULL) {
        return MPCSIM_ENOMEM;
    }
    *out = pool;
    return 0;
}

/* see sim.h */
void
sim_pool_release(struct sim_pool *pool)
{
    if (pool != NULL) {
        sim__chunk_cache_clear(&pool->radix);
        sim__tq_keep_clear(&pool->tq);
    }
}

/* see sim.h */
void
sim_pool_destroy(struct sim_pool *pool)
{
    sim_pool_release(pool);
    mpcsim_free(pool);
}

/* see sim.h */
size_t
sim_pool_bytes(const struct sim_pool *pool)
{
    size_t bytes = 0;

    if (pool == NULL) {
        return 0;
    }
    for (int c = 0; c < SIM__TQ_CHUNKS; c++) {
        bytes += pool->tq.chunk[c] != NULL
                     ? sizeof(struct sim__tq_block) * sim__tq_chunk_blocks((unsigned)c)
                     : 0;
    }
    return bytes + pool->radix.blocks * sizeof(struct sim__radix_block);
}

/* see sim.h */
int
sim_create(struct sim **out, const struct sim_config *cfg, const struct sim_protocol *proto,
           const void *params)
{
    struct sim *sim = NULL;
    int rc;

    MPCSIM_ASSERT(out != NULL && cfg != NULL && proto != NULL);
    MPCSIM_ASSERT(proto->on_message != NULL);
    rc = validate(cfg);
    if (rc < 0) {
        return rc;
    }
    if (sodium_init() < 0) {
        return MPCSIM_ENOTSUP;
    }
    sim = mpcsim_calloc(1, sizeof(*sim));
    if (sim == NULL) {
        return MPCSIM_ENOMEM;
    }
    SIM__Q_INIT(&sim->q);
    SIM__Q_PTR_KINDS(&sim->q, (UINT32_C(1) << SIM__EV_DELIVER) | (UINT32_C(1) << SIM__EV_ARRIVE));
    if (cfg->pool != NULL) {
        SIM__Q_KEEP(&sim->q, &cfg->pool->radix, &cfg->pool->tq);
    }
    sim->proto = proto;
    sim->params = params;
    sim->n = cfg->n;
    sim->parties = mpcsim_calloc((size_t)cfg->n, sizeof(struct sim_party));
    if (sim->parties == NULL) {
        rc = MPCSIM_ENOMEM;
        goto out;
    }
    for (int i = 0; i < cfg->n; i++) {
        struct sim_party *p = &sim->parties[i];

        p->sim = sim;
        p->id = i;
        p->crash_at = INT64_MAX;
        p->crash_round = -1;
        p->behaviour = cfg->behaviour != NULL ? cfg->behaviour[i] : SIM_HONEST;
        p->res.honest = p->behaviour == SIM_HONEST;
    }
    rc = copy_config(sim, cfg);
    if (rc < 0) {
        goto out;
    }
    keys_init(sim);
    rc = sim__net_init(sim);
    if (rc < 0) {
        goto out;
    }
    /* Drawn latencies make nearly every time distinct: nothing to group. */
    SIM__Q_GROUPING(&sim->q, !sim->latency_random);
    rc = apply_faults(sim, cfg);
    if (rc < 0) {
        goto out;
    }
    rc = setup_parties(sim, cfg);
    if (rc < 0) {
        goto out;
    }
    *out = sim;
    sim = NULL;
out:
    sim_destroy(sim);
    return rc;
}

/* see sim.h */
void
sim_destroy(struct sim *sim)
{
    struct sim__event ev;

    if (sim == NULL) {
        return;
    }
    if (sim->parties != NULL) {
        for (int i = 0; i < sim->n; i++) {
            struct sim_party *p = &sim->parties[i];

            if (p->setup_done && sim->proto->teardown != NULL) {
                sim->proto->teardown(p);
            }
        }
    }
    if (sim->trial_setup_done && sim->proto->trial_teardown != NULL) {
        sim->proto->trial_teardown(sim->trial);
    }
    /* Pending events hold payload references (big payloads are malloc'd). */
    while (SIM__Q_POP(&sim->q, &ev) > 0) {
        unsigned kind = SIM__EV_KIND(ev.aux);

        if (kind == SIM__EV_DELIVER || kind == SIM__EV_ARRIVE) {
            sim__payload_release(sim, ev.u.ptr);
        }
    }
    SIM__Q_CLEAR(&sim->q);
    sim__net_release(sim);
    while (sim->slabs != NULL) {
        void *next;

        memcpy(&next, sim->slabs, sizeof(next));
        mpcsim_free(sim->slabs);
        sim->slabs = next;
    }
    if (sim->parties != NULL) {
        for (int i = 0; i < sim->n; i++) {
            struct sim_party_result *r = &sim->parties[i].res;

            mpcsim_free((void *)(uintptr_t)r->output);
            mpcsim_free((void *)(uintptr_t)r->included);
            mpcsim_free((void *)(uintptr_t)r->abort_reason);
        }
    }
    for (size_t k = 0; k < sim->n_stats; k++) {
        mpcsim_free(sim->stats[k].name);
    }
    mpcsim_free(sim->stats);
    mpcsim_free(sim->acc);
    mpcsim_free(sim->scratch);
    sim__net_clear(sim);
    mpcsim_free(sim->profile_cost_fs);
    mpcsim_free(sim->party_region);
    mpcsim_free(sim->region_median_ms);
    mpcsim_free(sim->partitions);
    mpcsim_free(sim->partition_groups);
    mpcsim_free(sim->parties);
    mpcsim_free(sim);
}

static int
cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

static int
finish_metrics(struct sim *sim)
{
    struct sim_metrics *m = &sim->m;
    int64_t *lat = mpcsim_malloc((size_t)sim->n * sizeof(int64_t));
    size_t k = 0;

    if (lat == NULL) {
        return MPCSIM_ENOMEM;
    }
    for (int i = 0; i < sim->n; i++) {
        const struct sim_party_result *r = &sim->parties[i].res;
        uint64_t b = r->bytes_sent + r->bytes_received;

        m->compute_ns = sim_time_add(m->compute_ns, r->compute_ns);
        if (r->compute_ns > m->max_party_compute_ns) {
            m->max_party_compute_ns = r->compute_ns;
        }
        m->dropped += r->crashed;
        m->max_party_bytes = b > m->max_party_bytes ? b : m->max_party_bytes;
        if (r->honest && r->has_output) {
            lat[k++] = r->output_ns;
            m->rounds = r->output_round > m->rounds ? r->output_round : m->rounds;
            m->depth = r->output_depth > m->depth ? r->output_depth : m->depth;
        }
    }
    if (k > 0) {
        qsort(lat, k, sizeof(*lat), cmp_i64);
        m->latency_ns = lat[k - 1];
        m->latency_p50_ns =
            k % 2 == 1 ? lat[k / 2] : lat[k / 2 - 1] + (lat[k / 2] - lat[k / 2 - 1]) / 2;
    }
    m->peak_pending_events = SIM__Q_PEAK(&sim->q);
    mpcsim_free(lat);
    return 0;
}

static double
wall_ms_since(const struct timespec *t0)
{
    struct timespec t1;

    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) * 1e-6;
}

/* see sim.h */
int
sim_run(struct sim *sim)
{
    struct timespec t0;
    struct sim__event ev;
    const int64_t tmax = sim->cfg.max_sim_time_ns;
    const uint64_t emax = sim->cfg.max_events;
    int rc = 0;

    MPCSIM_ASSERT(!sim->ran);
    sim->ran = 1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < sim->n && sim->rc == 0; i++) {
        struct sim_party *p = &sim->parties[i];
        int64_t local = handler_start(p, 0);

        SIM__TRACE(sim, SIM_TRACE_HANDLER, i, -1, SIM_TRACE_SETUP, 0, p->busy_until, 0, NULL);
        if (local < 0) {
            continue;
        }
        if (p->crash_round == 0) {
            crash_now(p, local);
            continue;
        }
        if (sim->proto->on_start != NULL) {
            p->now = local;
            p->in_handler = 1;
            sim->proto->on_start(p);
            p->in_handler = 0;
            SIM__TRACE(sim, SIM_TRACE_HANDLER, i, -1, SIM_TRACE_START, local, p->now, 0, NULL);
            p->busy_until = p->now;
        }
    }
    while (sim->rc == 0) {
        int got = SIM__Q_POP(&sim->q, &ev);

        if (got <= 0) {
            rc = got;
            break;
        }
        if (tmax > 0 && ev.time > tmax) {
            sim->m.timed_out = 1;
            /* Put it back so that sim_destroy releases what it holds. */
            rc = SIM__Q_PUSH(&sim->q, &ev);
            break;
        }
        if (emax > 0 && sim->m.events == emax) {
            rc = SIM__Q_PUSH(&sim->q, &ev);
            if (rc == 0) {
                rc = MPCSIM_ELIMIT;
            }
            break;
        }
        sim->now = ev.time;
        sim->m.end_ns = ev.time;
        sim->m.events++;
        /* Prefetch what the events a few pops ahead will read first: at
         * 10 000 parties the party records (256 bytes each) and their
         * protocol states no longer stay in the cache while 10^8 events
         * stream through it, and the misses on them were most of the cost
         * of delivering one.  Written out here, not in a helper: gcc
         * finds a function that only prefetches pure and drops its calls. */
        {
            struct sim__event a, b;

            if (SIM__Q_AHEAD(&sim->q, AHEAD_PARTY, &a)) {
                unsigned ka = SIM__EV_KIND(a.aux), kb;
                uint32_t ia = SIM__EV_PARTY(a.party), ib;

                if (ka == SIM__EV_DELIVER || ka == SIM__EV_ARRIVE) {
                    __builtin_prefetch(a.u.ptr);
                }
                if ((ka == SIM__EV_DELIVER || ka == SIM__EV_DELIVER_IMM) && ia < (uint32_t)sim->n) {
                    __builtin_prefetch(&sim->parties[ia]);
                    __builtin_prefetch((const char *)&sim->parties[ia] + 64);
                }
                /* (Always there when the event AHEAD_PARTY pops ahead is;
                 * tested all the same: without link-time optimisation gcc
                 * cannot tell, and -Wmaybe-uninitialized fails the build.) */
                if (SIM__Q_AHEAD(&sim->q, AHEAD_STATE, &b)) {
                    kb = SIM__EV_KIND(b.aux);
                    ib = SIM__EV_PARTY(b.party);
                    if ((kb == SIM__EV_DELIVER || kb == SIM__EV_DELIVER_IMM) &&
                        ib < (uint32_t)sim->n) {
                        __builtin_prefetch(sim->parties[ib].state);
                    }
                }
            }
        }
        dispatch(sim, &ev);
    }
    if (rc == 0) {
        rc = sim->rc;
    }
    if (finish_metrics(sim) < 0 && rc == 0) {
        rc = MPCSIM_ENOMEM;
    }
    sim->m.wall_ms = wall_ms_since(&t0);
    return rc;
}

/* ---------------------------------------------------------------------
 * Party runtime
 * ------------------------------------------------------------------- */

/* see sim.h */
int
sim_party_id(const struct sim_party *p)
{
    return p->id;
}

/* see sim.h */
int
sim_party_count(const struct sim_party *p)
{
    return p->sim->n;
}

/* see sim.h */
int64_t
sim_now(const struct sim_party *p)
{
    return p->now;
}

/* see sim.h */
int
sim_party_depth(const struct sim_party *p)
{
    return p->depth;
}

/* see sim.h */
int
sim_party_round(const struct sim_party *p)
{
    return p->round;
}

/* see sim.h */
struct sim *
sim_party_sim(struct sim_party *p)
{
    return p->sim;
}

/* see sim.h */
void
sim_party_set_state(struct sim_party *p, void *state)
{
    p->state = state;
}

/* see sim.h */
void *
sim_party_state(const struct sim_party *p)
{
    return p->state;
}

static int
set_rc(struct sim *sim, int rc)
{
    if (rc < 0 && sim->rc == 0) {
        sim->rc = rc;
    }
    return rc;
}

/* Whether the party's sends of `round` vanish: crashed, crashing by now,
 * or crashed at an earlier round (then it crashes now). */
static inline int
silenced(struct sim_party *p, int round)
{
    MPCSIM_ASSERT(round >= 1 && round <= SIM_MAX_ROUND);
    if (p->crash_round >= 0 && round > p->crash_round && !p->crashed && p->now < p->crash_at) {
        crash_now(p, p->now);
    }
    return p->crashed || p->now >= p->crash_at;
}

/* A corrupted party's message to `to`, through the adversary hook. */
static int
send_corrupted(struct sim_party *p, int to, int round, const uint8_t *msg, size_t len,
               struct sim__payload *shared)
{
    struct sim *sim = p->sim;
    struct sim__payload *pl = shared;
    int64_t extra = 0;
    int rc;

    if (sim->proto->tamper != NULL) {
        size_t cap = len + SCRATCH_SPARE, l = len;
        enum sim_adv_action act;

        if (cap > sim->scratch_cap) {
            uint8_t *s = mpcsim_realloc(sim->scratch, cap);

            if (s == NULL) {
                return MPCSIM_ENOMEM;
            }
            sim->scratch = s;
            sim->scratch_cap = cap;
        }
        if (len > 0) {
            memcpy(sim->scratch, msg, len);
        }
        act = sim->proto->tamper(p, p->behaviour, to, sim->scratch, &l, cap);
        MPCSIM_ASSERT(l <= cap);
        if (act == SIM_ADV_DROP) {
            return 0;
        }
        extra = act == SIM_ADV_DELAY ? sim->cfg.adversary_delay_ns : 0;
        pl = payload_new(sim, l, p->depth + 1, round);
        if (pl == NULL) {
            return MPCSIM_ENOMEM;
        }
        if (l > 0) {
            memcpy((uint8_t *)sim__payload_data(pl), sim->scratch, l);
        }
        rc = sim__net_send(sim, p, to, pl, p->now, extra);
        sim__payload_release(sim, pl);
        return rc;
    }
    if (p->behaviour == SIM_WITHHOLD) {
        return 0;
    }
    if (p->behaviour == SIM_DELAY) {
        extra = sim->cfg.adversary_delay_ns;
    }
    return sim__net_send(sim, p, to, pl, p->now, extra);
}

/* Whether p's messages may travel immediate (sim_int.h): an honest sender
 * on the default network path, no trace. */
static inline int
imm_ok(const struct sim_party *p)
{
    return p->behaviour == SIM_HONEST && p->sim->imm_path && p->sim->trace == NULL;
}

static struct sim__payload *
payload_copy(struct sim_party *p, int round, const uint8_t *msg, size_t len)
{
    struct sim__payload *pl = payload_new(p->sim, len, p->depth + 1, round);

    if (pl != NULL && len > 0) {
        memcpy((uint8_t *)sim__payload_data(pl), msg, len);
    }
    return pl;
}

/* see sim.h */
int
sim_send(struct sim_party *p, int to, int round, const uint8_t *msg, size_t len)
{
    struct sim *sim = p->sim;
    struct sim__payload *pl;
    struct sim__imm imm;
    int rc;

    MPCSIM_ASSERT(p->in_handler);
    MPCSIM_ASSERT(to >= 0 && to < sim->n && to != p->id);
    MPCSIM_ASSERT(msg != NULL || len == 0);
    if (len > SIM_MAX_MESSAGE_BYTES) {
        return set_rc(sim, MPCSIM_ELIMIT); /* a message no simulated link should carry */
    }
    if (silenced(p, round)) {
        return 0;
    }
    if (imm_ok(p) && sim__imm_pack(msg, len, round, p->depth, &imm)) {
        return set_rc(sim, sim__net_send_imm(sim, p, to, &imm, p->now));
    }
    pl = payload_copy(p, round, msg, len);
    if (pl == NULL) {
        return set_rc(sim, MPCSIM_ENOMEM);
    }
    if (p->behaviour != SIM_HONEST) {
        rc = send_corrupted(p, to, round, msg, len, pl);
    } else {
        rc = sim__net_send(sim, p, to, pl, p->now, 0);
    }
    sim__payload_release(sim, pl);
    return set_rc(sim, rc);
}

/* see sim.h */
int
sim_broadcast(struct sim_party *p, int round, const uint8_t *msg, size_t len)
{
    struct sim *sim = p->sim;
    struct sim__payload *pl;
    struct sim__imm imm;
    int rc = 0;

    MPCSIM_ASSERT(p->in_handler);
    MPCSIM_ASSERT(msg != NULL || len == 0);
    if (len > SIM_MAX_MESSAGE_BYTES) {
        return set_rc(sim, MPCSIM_ELIMIT); /* a message no simulated link should carry */
    }
    if (silenced(p, round)) {
        return 0;
    }
    if (imm_ok(p) && sim__imm_pack(msg, len, round, p->depth, &imm)) {
        /* Each receiver's event carries the message: no shared payload. */
        for (int to = 0; to < sim->n && rc == 0; to++) {
            if (to != p->id) {
                rc = sim__net_send_imm(sim, p, to, &imm, p->now);
            }
        }
        return set_rc(sim, rc);
    }
    pl = payload_copy(p, round, msg, len);
    if (pl == NULL) {
        return set_rc(sim, MPCSIM_ENOMEM);
    }
    for (int to = 0; to < sim->n && rc == 0; to++) {
        if (to == p->id) {
            continue;
        }
        if (p->behaviour != SIM_HONEST) {
            rc = send_corrupted(p, to, round, msg, len, pl);
        } else {
            rc = sim__net_send(sim, p, to, pl, p->now, 0);
        }
    }
    sim__payload_release(sim, pl);
    return set_rc(sim, rc);
}

/* see sim.h */
int
sim_set_timer(struct sim_party *p, int64_t delay_ns, uint64_t id)
{
    MPCSIM_ASSERT(p->in_handler);
    MPCSIM_ASSERT(delay_ns >= 0);
    if (p->crashed || p->now >= p->crash_at) {
        return 0;
    }
    if (delay_ns > SIM_HORIZON_NS) {
        delay_ns = SIM_HORIZON_NS;
    }
    return set_rc(p->sim, push_timer(p->sim, sim_time_add(p->now, delay_ns), (uint32_t)p->id, id));
}

/* see sim.h */
void
sim_charge(struct sim_party *p, enum sim_op op, double count)
{
    mpcsim_u128 total;
    uint64_t fs, ns;

    MPCSIM_ASSERT((int)op >= 0 && op < SIM_OP_COUNT);
    MPCSIM_ASSERT(count >= 0.0 && count < 0x1p64);
    fs = p->cost_fs[op]; /* the table, or the party's profile's scaled copy */
    /* Exact in femtoseconds for whole counts; the party keeps the sub-ns
     * remainder, so time advances by whole ns and nothing is lost.  The
     * common case (a single operation, as the engine's per-delivery
     * `message` charge) stays in 64 bits, where fs <= SIM_COST_MAX_NS
     * (10^12 ns = 10^18 fs) plus a carry below 10^6 always fits. */
    if (count == 1.0 && fs <= UINT64_MAX - 1000000u) {
        uint64_t t = fs + p->compute_fs_carry;

        p->compute_fs_carry = t % 1000000u;
        ns = t / 1000000u;
        p->now = sim_time_add(p->now, (int64_t)ns);
        p->res.compute_ns = sim_time_add(p->res.compute_ns, (int64_t)ns);
        return;
    }
    if (count == floor(count)) {
        total = (mpcsim_u128)fs * (uint64_t)count;
    } else {
        total = (mpcsim_u128)llroundl((long double)fs * (long double)count);
    }
    total += p->compute_fs_carry;
    p->compute_fs_carry = (uint64_t)(total % 1000000u);
    total /= 1000000u;
    ns = total > (mpcsim_u128)INT64_MAX ? (uint64_t)INT64_MAX : (uint64_t)total;
    p->now = sim_time_add(p->now, (int64_t)ns);
    p->res.compute_ns = sim_time_add(p->res.compute_ns, (int64_t)ns);
}

/* see sim.h */
int
sim_output(struct sim_party *p, const mpcsim_i128 *values, size_t len, const uint8_t *included)
{
    struct sim_party_result *r = &p->res;
    mpcsim_i128 *out = NULL;
    uint8_t *inc = NULL;
    size_t n = (size_t)p->sim->n;

    if (r->has_output || p->crashed) {
        return 0; /* a party that crashed in this handler (sending past its round) is gone */
    }
    MPCSIM_ASSERT(values != NULL || len == 0);
    if (len > 0) {
        out = mpcsim_malloc(len * sizeof(*out));
        if (out == NULL) {
            return set_rc(p->sim, MPCSIM_ENOMEM);
        }
        memcpy(out, values, len * sizeof(*out));
    }
    inc = mpcsim_malloc(n);
    if (inc == NULL) {
        mpcsim_free(out);
        return set_rc(p->sim, MPCSIM_ENOMEM);
    }
    if (included != NULL) {
        memcpy(inc, included, n);
    } else {
        memset(inc, 1, n);
    }
    r->has_output = 1;
    r->output = out;
    r->output_len = len;
    r->included = inc;
    r->output_ns = p->now;
    r->output_depth = p->depth;
    r->output_round = p->round;
    SIM__TRACE(p->sim, SIM_TRACE_OUTPUT, p->id, -1, p->round, p->now, p->now, 0, NULL);
    return 0;
}

/* see sim.h */
void
sim_abort(struct sim_party *p, const char *reason)
{
    struct sim_party_result *r = &p->res;

    if (r->aborted || p->crashed) {
        return;
    }
    r->aborted = 1;
    r->abort_ns = p->now;
    r->abort_reason = mpcsim_strdup(reason != NULL ? reason : "");
    if (r->abort_reason == NULL) {
        set_rc(p->sim, MPCSIM_ENOMEM);
    }
    SIM__TRACE(p->sim, SIM_TRACE_ABORT, p->id, -1, -1, p->now, p->now, 0, r->abort_reason);
}

/* see sim.h */
void
sim_accuse(struct sim_party *p, int cheater)
{
    struct sim *sim = p->sim;

    MPCSIM_ASSERT(cheater >= 0 && cheater < sim->n);
    if (p->behaviour != SIM_HONEST) {
        return; /* a corrupted party runs the same code; what it claims counts for nothing */
    }
    if (sim->n_acc == sim->acc_cap) {
        size_t c = sim->acc_cap == 0 ? 16 : 2 * sim->acc_cap;
        struct sim_accusation *a = mpcsim_reallocarray(sim->acc, c, sizeof(*a));

        if (a == NULL) {
            set_rc(sim, MPCSIM_ENOMEM);
            return;
        }
        sim->acc = a;
        sim->acc_cap = c;
    }
    sim->acc[sim->n_acc].accuser = p->id;
    sim->acc[sim->n_acc].accused = cheater;
    sim->n_acc++;
    SIM__TRACE(sim, SIM_TRACE_ACCUSE, p->id, cheater, -1, p->now, p->now, 0, NULL);
}

/* Add value/u64 to statistic `name` (created at the first report), or
 * with keep_min keep the smaller of the two. */
static int
stat_add(struct sim *sim, const char *name, double value, uint64_t u64, int is_int, int keep_min)
{
    MPCSIM_ASSERT(name != NULL);
    for (size_t k = 0; k < sim->n_stats; k++) {
        if (strcmp(sim->stats[k].name, name) == 0) {
            MPCSIM_ASSERT(sim->stats[k].is_int == is_int);
            if (!keep_min) {
                sim->stats[k].value += value;
                sim->stats[k].u64 += u64;
            } else if (u64 < sim->stats[k].u64) {
                sim->stats[k].value = value;
                sim->stats[k].u64 = u64;
            }
            return 0;
        }
    }
    if (sim->n_stats == sim->stats_cap) {
        size_t c = sim->stats_cap == 0 ? 8 : 2 * sim->stats_cap;
        struct sim__stat *s = mpcsim_reallocarray(sim->stats, c, sizeof(*s));

        if (s == NULL) {
            return MPCSIM_ENOMEM;
        }
        sim->stats = s;
        sim->stats_cap = c;
    }
    sim->stats[sim->n_stats].name = mpcsim_strdup(name);
    if (sim->stats[sim->n_stats].name == NULL) {
        return MPCSIM_ENOMEM;
    }
    sim->stats[sim->n_stats].value = value;
    sim->stats[sim->n_stats].u64 = u64;
    sim->stats[sim->n_stats].is_int = is_int;
    sim->n_stats++;
    return 0;
}

/* see sim.h */
int
sim_stat_add(struct sim *sim, const char *name, double value)
{
    return stat_add(sim, name, value, 0, 0, 0);
}

/* see sim.h */
int
sim_stat_add_u64(struct sim *sim, const char *name, uint64_t value)
{
    return stat_add(sim, name, (double)value, value, 1, 0);
}

/* see sim.h */
int
sim_stat_min_u64(struct sim *sim, const char *name, uint64_t value)
{
    return stat_add(sim, name, (double)value, value, 1, 1);
}

/* ---------------------------------------------------------------------
 * Tracing
 * ------------------------------------------------------------------- */

/* see sim.h */
void
sim_trace_set(struct sim *sim, sim_trace_fn *fn, void *ctx)
{
    MPCSIM_ASSERT(!sim->ran);
    sim->trace = fn;
    sim->trace_ctx = ctx;
}

/* see sim_int.h */
void
sim__trace_msg(struct sim *sim, enum sim_trace_kind kind, int party, int peer,
               const struct sim__payload *pl, int64_t t0, int64_t t1)
{
    SIM__TRACE(sim, kind, party, peer, sim__payload_round(pl), t0, t1,
               sim__net_wire_bytes(sim, sim__payload_len(pl)), pl);
}

/* see sim_int.h */
void
sim__trace_deliver(struct sim *sim, const struct sim_party *p, const struct sim__event *ev,
                   const struct sim__payload *pl)
{
    int64_t start = ev->time > p->busy_until ? ev->time : p->busy_until; /* as handler_start */

    SIM__TRACE3(sim, SIM_TRACE_DELIVER, p->id, SIM__EV_FROM(ev->aux), sim__payload_round(pl),
                ev->time, start, p->now, sim__net_wire_bytes(sim, sim__payload_len(pl)), pl);
}

/* see sim_int.h */
void
sim__trace_emit(struct sim *sim, struct sim_trace_record *r)
{
    if (r->kind == SIM_TRACE_ABORT) {
        r->text = r->msg;
        r->msg = NULL;
    }
    sim->trace(sim->trace_ctx, r);
}

/* ---------------------------------------------------------------------
 * Results
 * ------------------------------------------------------------------- */

/* see sim.h */
const struct sim_metrics *
sim_metrics(const struct sim *sim)
{
    return &sim->m;
}

/* see sim.h */
const struct sim_party_result *
sim_party_result(const struct sim *sim, int i)
{
    MPCSIM_ASSERT(i >= 0 && i < sim->n);
    return &sim->parties[i].res;
}

/* see sim.h */
size_t
sim_accusations(const struct sim *sim, const struct sim_accusation **out)
{
    *out = sim->acc;
    return sim->n_acc;
}

/* see sim.h */
size_t
sim_stat_count(const struct sim *sim)
{
    return sim->n_stats;
}

/* see sim.h */
const char *
sim_stat_name(const struct sim *sim, size_t i)
{
    MPCSIM_ASSERT(i < sim->n_stats);
    return sim->stats[i].name;
}

/* see sim.h */
double
sim_stat_value(const struct sim *sim, size_t i)
{
    MPCSIM_ASSERT(i < sim->n_stats);
    return sim->stats[i].value;
}

/* see sim.h */
int
sim_stat_is_int(const struct sim *sim, size_t i)
{
    MPCSIM_ASSERT(i < sim->n_stats);
    return sim->stats[i].is_int;
}

/* see sim.h */
uint64_t
sim_stat_u64(const struct sim *sim, size_t i)
{
    MPCSIM_ASSERT(i < sim->n_stats);
    return sim->stats[i].u64;
}
