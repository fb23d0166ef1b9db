/* SPDX-License-Identifier: MIT */
/*
 * sim/network.c - the network model: latency, bandwidth, transports,
 * loss and partitions (SCENARIO.md `network`).
 *
 * A message of w wire bytes sent at local time t by s to r:
 *   1. uplink: FIFO per sender, occupied 8w/bandwidth from
 *      max(t, uplink free);
 *   2. tcp link s->r: FIFO per link at min(bandwidth, window/RTT), RTT =
 *      the link's typical one-way latency (median or mean) forward plus
 *      return, occupied w*RTT/window from max(t, link free); the message's
 *      first byte leaves when both are free, its last when both are done;
 *   3. a sender whose (time) crash comes before its last byte left
 *      delivers nothing of it (crash times are in the config, so this is
 *      decided here, at send time);
 *   4. + one latency sample + the adversary's delay; the message crosses
 *      the network from its first byte leaving to its last arriving, and a
 *      partition meeting that interval drops a datagram or stalls a tcp
 *      message (RTO backoff until it heals, or the connection fails);
 *   5. loss: a datagram (or each of its fragments) is lost with
 *      probability `loss`; a tcp segment is sent a geometric number of
 *      times, each loss costing one RTT (fast retransmit) or the RTO with
 *      backoff (sim.h), drawn lost segment by lost segment (geometric
 *      gaps), so the cost is O(lost segments), not O(segments); the
 *      latency and loss draws of the k-th message on link s->r come from
 *      the streams (seed, purpose, (s, r), k) (sim/stream.h), so they do
 *      not depend on the order of sends;
 *   6. tcp: never before the previous message on the link (in order);
 *   7. downlink: FIFO per receiver in arrival order, the last bit received
 *      at max(arrival, downlink free + 8w/bandwidth); this step is an
 *      ARRIVE event, so only bandwidth-limited runs pay for it.
 * Under default settings (no loss, no partitions, no time crashes) steps
 * 3-5 cost one comparison each.
 * Every duration becomes simulated ns through sim_ns_clamp and every sum
 * of times through sim_time_add: a draw beyond the horizon (2^62 ns) is
 * clamped to it, never undefined behaviour.
 * Per-link state (2, 5's message index, 6, a failed connection) lives in a dense n x n table
 * (16 bytes a link when arrivals are in order anyway, 24 with the last
 * arrival) while that is at most SIM__DENSE_LINK_BYTES, else in a hash table whose
 * entries expire once both times are in the past (only links with traffic
 * in flight are live), unless messages draw latency or loss: then an
 * entry keeps its message index for the whole trial (memory grows with
 * the links used, never beyond the messages sent).  Revisit if a protocol
 * at n > 9459 (11585 with 16-byte entries) keeps most links busy.
 *
 * Issue 17: 4's latency is a base plus jitter (sim.h enum
 * sim_latency_per): per message a draw keyed by (s, r, k), per pair the
 * median, per link a draw keyed by the unordered pair {s, r} alone
 * (nothing stored); jitter is a draw keyed by (s, r, k) from its own
 * stream.  1 and 6 use each party's own rate (profiles: up_ns_per_byte,
 * down_ns_per_byte, set once by sim__net_init).
 */
#include "sim/sim_int.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "common/alloc.h"

#define SIM__DENSE_LINK_BYTES ((uint64_t)2 << 30)
/* Stream purposes of the per-link latency base and the jitter ("linklat",
 * "jitter"): distinct from the engine's small purpose numbers. */
#define PURPOSE_LINK_LATENCY UINT64_C(0x6c696e6b6c6174)
#define PURPOSE_JITTER UINT64_C(0x6a6974746572)

/* ns, rounded to nearest, clamped to [0, SIM_HORIZON_NS]. */
static inline int64_t
to_ns(double x)
{
    return sim_ns_clamp(x);
}

/* The typical one-way latency of link s->r in ns (for RTT). */
static double
typical_latency_ns(const struct sim *sim, int s, int r)
{
    const struct sim_network *net = &sim->cfg.net;
    const struct sim_latency *l = &net->latency;

    if (net->n_regions > 0) {
        return sim->region_median_ms[sim->party_region[s] * net->n_regions + sim->party_region[r]] *
               1e6;
    }
    switch (l->kind) {
    case SIM_LATENCY_CONSTANT:
        return l->ms * 1e6;
    case SIM_LATENCY_UNIFORM:
        return 0.5 * (l->min_ms + l->max_ms) * 1e6;
    case SIM_LATENCY_NORMAL:
        return l->mean_ms * 1e6;
    case SIM_LATENCY_LOGNORMAL:
        return l->median_ms * 1e6;
    case SIM_LATENCY_EXPONENTIAL:
        return l->mean_ms * 1e6;
    case SIM_LATENCY_PARETO:
        return l->min_ms * pow(2.0, 1.0 / l->alpha) * 1e6; /* median */
    }
    return 0.0;
}

/* Link s->r's name in stream keys: (s, r) itself, not s*n + r, so a link
 * keeps its draws across a sweep over the number of parties. */
static inline uint64_t
link_name(int s, int r)
{
    return (uint64_t)(uint32_t)s << 32 | (uint32_t)r;
}

/* The stream of draw `purpose_key` for message `index` on link s->r. */
static inline void
link_stream(struct sim_stream *st, uint64_t purpose_key, uint64_t link, uint64_t index)
{
    sim_stream_init(st, sim_stream_subkey(purpose_key, link, index));
}

/* One draw of distribution l in ns (zeta: ln of its median in ns, for
 * lognormal). */
static inline int64_t
draw_latency(const struct sim_latency *l, double zeta, gsl_rng *rng)
{
    switch (l->kind) {
    case SIM_LATENCY_CONSTANT:
        break;
    case SIM_LATENCY_UNIFORM:
        return to_ns(gsl_ran_flat(rng, l->min_ms * 1e6, l->max_ms * 1e6));
    case SIM_LATENCY_NORMAL:
        /* Truncated at 0: redraw negative samples (a few tries suffice
         * unless the mean is far below 0, which validation refuses). */
        for (int tries = 0; tries < 1000; tries++) {
            double x = l->mean_ms * 1e6 + gsl_ran_gaussian(rng, l->sd_ms * 1e6);

            if (x >= 0.0) {
                return to_ns(x);
            }
        }
        return 0;
    case SIM_LATENCY_LOGNORMAL:
        return to_ns(gsl_ran_lognormal(rng, zeta, l->sigma));
    case SIM_LATENCY_EXPONENTIAL:
        return to_ns(gsl_ran_exponential(rng, l->mean_ms * 1e6));
    case SIM_LATENCY_PARETO:
        return to_ns(gsl_ran_pareto(rng, l->alpha, l->min_ms * 1e6));
    }
    return to_ns(l->ms * 1e6);
}

/* The median of distribution l in ns (sim.h, SIM_LATENCY_PER_PAIR). */
static double
median_latency_ns(const struct sim_latency *l)
{
    switch (l->kind) {
    case SIM_LATENCY_CONSTANT:
        return l->ms * 1e6;
    case SIM_LATENCY_UNIFORM:
        return 0.5 * (l->min_ms + l->max_ms) * 1e6;
    case SIM_LATENCY_NORMAL:
        if (l->sd_ms == 0.0) {
            return l->mean_ms * 1e6;
        }
        /* Truncated at 0: F(x) = (Phi((x-m)/s) - Phi(-m/s)) / (1 - Phi(-m/s)) = 1/2. */
        return (l->mean_ms +
                l->sd_ms * gsl_cdf_ugaussian_Pinv(
                               0.5 + 0.5 * gsl_cdf_ugaussian_P(-l->mean_ms / l->sd_ms))) *
               1e6;
    case SIM_LATENCY_LOGNORMAL:
        return l->median_ms * 1e6;
    case SIM_LATENCY_EXPONENTIAL:
        return l->mean_ms * M_LN2 * 1e6;
    case SIM_LATENCY_PARETO:
        return l->min_ms * pow(2.0, 1.0 / l->alpha) * 1e6;
    }
    return 0.0;
}

/* The one-way latency of the index-th message on s->r in ns: its base
 * (per message, per pair or per link: sim.h) plus its jitter (random
 * latency only: kept out of line, off the constant-latency hot path). */
static __attribute__((noinline)) int64_t
sample_latency(struct sim *sim, struct sim_party *p, int to, uint64_t index)
{
    const struct sim_network *net = &sim->cfg.net;
    const struct sim_latency *l = &net->latency;
    struct sim_stream st;
    gsl_rng *rng = &st.rng;
    int k;
    int64_t base;

    if (sim->latency_plain) { /* per message, no regions, no jitter (the default) */
        link_stream(&st, sim->lat_key, link_name(p->id, to), index);
        return draw_latency(l, sim->latency_zeta, rng);
    }
    k = net->n_regions > 0 ? sim->party_region[p->id] * net->n_regions + sim->party_region[to] : 0;
    if (net->n_regions == 0 && sim->base_const) {
        base = sim->latency_const; /* per pair, or a distribution of one value */
    } else if (net->n_regions > 0 &&
               (net->latency_per == SIM_LATENCY_PER_PAIR || l->sigma == 0.0)) {
        base = to_ns(sim->region_median_ms[k] * 1e6); /* regions without spread */
    } else {
        if (net->latency_per == SIM_LATENCY_PER_LINK) {
            /* Keyed by the unordered pair: both directions draw the same. */
            int a = p->id < to ? p->id : to, b = p->id < to ? to : p->id;

            link_stream(&st, sim->link_lat_key, link_name(a, b), 0);
        } else {
            link_stream(&st, sim->lat_key, link_name(p->id, to), index);
        }
        base = net->n_regions > 0 ? to_ns(gsl_ran_lognormal(rng, sim->region_zeta[k], l->sigma))
                                  : draw_latency(l, sim->latency_zeta, rng);
    }
    if (net->has_jitter) {
        link_stream(&st, sim->jitter_key, link_name(p->id, to), index);
        base = sim_time_add(base, draw_latency(&net->jitter, sim->jitter_zeta, rng));
    }
    return base;
}

/*
 * Each party's uplink and downlink rate: the network's bandwidth, or its
 * profile's (sim.h struct sim_profile).  The send path reads the party's
 * own field, so profiles cost the default path nothing.  The config's
 * profile arrays are borrowed only until here.
 */
static void
init_party_rates(struct sim *sim)
{
    const struct sim_config *c = &sim->cfg;

    sim->down_limited = sim->ns_per_byte > 0.0;
    for (int i = 0; i < sim->n; i++) {
        struct sim_party *p = &sim->parties[i];
        const struct sim_profile *pr = c->party_profile != NULL && c->party_profile[i] >= 0
                                           ? &c->profiles[c->party_profile[i]]
                                           : NULL;

        p->up_ns_per_byte = sim->ns_per_byte;
        p->down_ns_per_byte = sim->ns_per_byte;
        if (pr != NULL && pr->uplink_mbps != SIM_PROFILE_NETWORK) {
            p->up_ns_per_byte = pr->uplink_mbps > 0.0 ? 8e3 / pr->uplink_mbps : 0.0;
        }
        if (pr != NULL && pr->downlink_mbps != SIM_PROFILE_NETWORK) {
            p->down_ns_per_byte = pr->downlink_mbps > 0.0 ? 8e3 / pr->downlink_mbps : 0.0;
        }
        sim->down_limited |= p->down_ns_per_byte > 0.0;
    }
    sim->cfg.profiles = NULL;
    sim->cfg.party_profile = NULL;
}

/* see sim_int.h */
int
sim__net_init(struct sim *sim)
{
    const struct sim_network *net = &sim->cfg.net;
    const struct sim_latency *l = &net->latency;
    int n = sim->n;
    int any_rtt = 0, adversary = 0;

    sim->tcp = net->transport.kind == SIM_TRANSPORT_TCP;
    sim->rto_ns = to_ns(net->transport.rto_ms * 1e6);
    sim->rto_max_ns = to_ns(net->transport.rto_max_ms * 1e6);
    sim->conn_timeout_ns = to_ns(net->transport.connection_timeout_ms * 1e6);
    sim->ns_per_byte = net->bandwidth_mbps > 0.0 ? 8e3 / net->bandwidth_mbps : 0.0;
    init_party_rates(sim);
    sim->link_lat_key = sim_stream_key(sim->cfg.seed, PURPOSE_LINK_LATENCY, 0, 0);
    sim->jitter_key = sim_stream_key(sim->cfg.seed, PURPOSE_JITTER, 0, 0);
    sim->latency_random = 1;
    sim->latency_plain =
        net->latency_per == SIM_LATENCY_PER_MESSAGE && net->n_regions == 0 && !net->has_jitter;
    if (net->n_regions > 0) {
        int k2 = net->n_regions * net->n_regions;

        sim->region_zeta = mpcsim_calloc((size_t)k2, sizeof(double));
        if (sim->region_zeta == NULL) {
            return MPCSIM_ENOMEM;
        }
        for (int k = 0; k < k2; k++) {
            sim->region_zeta[k] = log(sim->region_median_ms[k] * 1e6);
            any_rtt |= sim->region_median_ms[k] > 0.0;
        }
    } else {
        sim->rtt_ns = 2.0 * typical_latency_ns(sim, 0, 0);
        any_rtt = sim->rtt_ns > 0.0;
        if (l->kind == SIM_LATENCY_CONSTANT ||
            (l->kind == SIM_LATENCY_UNIFORM && l->min_ms == l->max_ms) ||
            (l->kind == SIM_LATENCY_NORMAL && l->sd_ms == 0.0) ||
            (l->kind == SIM_LATENCY_LOGNORMAL && l->sigma == 0.0)) {
            sim->base_const = 1;
            sim->latency_const = to_ns(typical_latency_ns(sim, 0, 0));
        } else if (net->latency_per == SIM_LATENCY_PER_PAIR) {
            sim->base_const = 1;
            sim->latency_const = to_ns(median_latency_ns(l));
        }
        sim->latency_random = !sim->base_const || net->has_jitter;
        if (l->kind == SIM_LATENCY_LOGNORMAL) {
            sim->latency_zeta = log(l->median_ms * 1e6);
        }
    }
    if (net->has_jitter && net->jitter.kind == SIM_LATENCY_LOGNORMAL) {
        sim->jitter_zeta = log(net->jitter.median_ms * 1e6);
    }
    for (int i = 0; i < n; i++) {
        adversary |= sim->parties[i].behaviour != SIM_HONEST;
    }
    /* A message's index on its link keys its latency draw, unless its
     * latency is the link's alone (per pair or per link, no jitter). */
    sim->link_draws =
        (sim->latency_random && (net->latency_per == SIM_LATENCY_PER_MESSAGE || net->has_jitter)) ||
        net->loss > 0.0;
    sim->net_faults = net->loss > 0.0 || net->n_partitions > 0;
    sim->windowed = sim->tcp && net->transport.window_bytes > 0;
    sim->slow_start = sim->windowed && net->transport.initial_window_segments > 0;
    sim->wseg = sim->windowed ? net->transport.window_bytes / net->transport.mss : 0;
    sim->wseg = sim->wseg > 0 ? sim->wseg : 1;
    /* tcp delivers in order.  With one latency for every message, no
     * adversary delay and no faults, a link's arrival times already grow
     * with its departures (departures, link and uplink free times only
     * grow), so the clamp to the last arrival never binds: skip it and
     * the 8 bytes per link it needs. */
    sim->in_order = sim->tcp && (sim->latency_random || adversary || sim->net_faults);
    sim->need_links =
        (sim->tcp && ((any_rtt && net->transport.window_bytes > 0) || sim->latency_random ||
                      net->loss > 0.0 || adversary || net->n_partitions > 0)) ||
        sim->link_draws;
    if (sim->need_links) {
        uint64_t nn = (uint64_t)n * (uint64_t)n;

        sim->links_stride = sim->in_order ? sizeof(struct sim__link) : SIM__LINK_BYTES_ORDERED;
        if (nn * sim->links_stride <= SIM__DENSE_LINK_BYTES) {
            sim->links_dense = mpcsim_calloc((size_t)nn, sim->links_stride);
            if (sim->links_dense == NULL) {
                return MPCSIM_ENOMEM;
            }
            sim__pool_advise(sim->links_dense, (size_t)nn * sim->links_stride);
        } else {
            sim->links_hash_cap = 1024;
            sim->links_hash = mpcsim_calloc(sim->links_hash_cap, sizeof(struct sim__link_slot));
            if (sim->links_hash == NULL) {
                return MPCSIM_ENOMEM;
            }
        }
    }
    return 0;
}

/* see sim_int.h */
size_t
sim__net_link_bytes(const struct sim *sim)
{
    return sim->links_dense != NULL ? sim->links_stride : 0;
}

/* see sim_int.h */
void
sim__net_clear(struct sim *sim)
{
    mpcsim_free(sim->region_zeta);
    mpcsim_free(sim->links_dense);
    mpcsim_free(sim->links_hash);
    sim->region_zeta = NULL;
    sim->links_dense = NULL;
    sim->links_hash = NULL;
}

static inline uint64_t
hash64(uint64_t x)
{
    x ^= x >> 33;
    x *= UINT64_C(0xff51afd7ed558ccd);
    x ^= x >> 33;
    return x;
}

static int
link_live(const struct sim *sim, const struct sim__link_slot *s, int64_t now)
{
    /* A link keeps its cwnd until it has been idle for an RTO (forever
     * without slow-start restart). */
    return s->key != 0 &&
           (sim->link_draws || s->link.link_free > now || s->link.last_arrival > now ||
            (sim->slow_start && (!sim->cfg.net.transport.slow_start_after_idle ||
                                 sim_time_add(s->link.link_free, sim->rto_ns) >= now)));
}

/* Rebuild the hash table keeping live entries; double it if they fill it. */
static int
links_rehash(struct sim *sim)
{
    size_t live = 0, cap = sim->links_hash_cap;
    struct sim__link_slot *old = sim->links_hash, *nt;

    for (size_t i = 0; i < cap; i++) {
        live += link_live(sim, &old[i], sim->now);
    }
    while (live * 4 > cap) {
        cap *= 2;
    }
    nt = mpcsim_calloc(cap, sizeof(*nt));
    if (nt == NULL) {
        return MPCSIM_ENOMEM;
    }
    for (size_t i = 0; i < sim->links_hash_cap; i++) {
        if (link_live(sim, &old[i], sim->now)) {
            size_t j = hash64(old[i].key) & (cap - 1);

            while (nt[j].key != 0) {
                j = (j + 1) & (cap - 1);
            }
            nt[j] = old[i];
        }
    }
    mpcsim_free(old);
    sim->links_hash = nt;
    sim->links_hash_cap = cap;
    sim->links_hash_used = live;
    return 0;
}

/* The state of link s->r, or NULL on MPCSIM_ENOMEM. */
static struct sim__link *
link_get(struct sim *sim, int s, int r)
{
    uint64_t key = (uint64_t)s * (uint64_t)sim->n + (uint64_t)r + 1;
    size_t mask, j;

    if (sim->links_dense != NULL) {
        return (struct sim__link *)(void *)((uint8_t *)sim->links_dense +
                                            (key - 1) * sim->links_stride);
    }
    if ((sim->links_hash_used + 1) * 2 > sim->links_hash_cap && links_rehash(sim) < 0) {
        return NULL;
    }
    mask = sim->links_hash_cap - 1;
    j = hash64(key) & mask;
    while (sim->links_hash[j].key != 0 && sim->links_hash[j].key != key) {
        j = (j + 1) & mask;
    }
    if (sim->links_hash[j].key == 0) {
        sim->links_hash[j].key = key;
        sim->links_hash[j].link.link_free = 0;
        sim->links_hash[j].link.last_arrival = 0;
        sim->links_hash[j].link.sent = 0;
        sim->links_hash[j].link.cwnd = 0;
        sim->links_hash_used++;
    }
    return &sim->links_hash[j].link;
}

/* Payload bytes per unit: a tcp segment, or a datagram (fragment). */
static inline uint64_t
unit_bytes(const struct sim *sim)
{
    return sim->tcp ? sim->cfg.net.transport.mss : SIM_DATAGRAM_MAX_BYTES;
}

/* Units (segments or datagram fragments) of a len-byte message: >= 1. */
static inline uint64_t
net_units(const struct sim *sim, uint64_t len)
{
    uint64_t u = unit_bytes(sim);

    return len == 0 ? 1 : (len + u - 1) / u;
}

/* see sim_int.h */
uint64_t
sim__net_wire_bytes(const struct sim *sim, size_t len)
{
    return (uint64_t)len + net_units(sim, len) * sim->cfg.net.transport.header_bytes;
}

/* Wire bytes of unit j (0-based) of a len-byte message in `units` units. */
static inline uint64_t
unit_wire(const struct sim *sim, uint64_t len, uint64_t units, uint64_t j)
{
    uint64_t u = unit_bytes(sim);

    return (j + 1 < units ? u : len - (units - 1) * u) + sim->cfg.net.transport.header_bytes;
}

/* first + (last - first) * num / den, exact (last >= first, num <= den). */
static inline int64_t
time_frac(int64_t first, int64_t last, uint64_t num, uint64_t den)
{
    mpcsim_u128 d = (mpcsim_u128)(uint64_t)(last - first) * num / den;

    return first + (int64_t)(uint64_t)d;
}

/* Party i's group in partition pt (sim.h: dense, or sparse by binary search). */
static int
partition_group(const struct sim_partition *pt, int i)
{
    int lo = 0, hi = pt->n_listed;

    if (pt->group != NULL) {
        return pt->group[i];
    }
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;

        if (pt->listed[mid] < i) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo < pt->n_listed && pt->listed[lo] == i ? pt->listed_group[lo] : pt->rest;
}

/* The first partition separating s and r at some time of [x, y] (x <= y;
 * the instant x when x == y), or NULL. */
static const struct sim_partition *
crossing_blocked(const struct sim *sim, int s, int r, int64_t x, int64_t y)
{
    for (int k = 0; k < sim->cfg.net.n_partitions; k++) {
        const struct sim_partition *pt = &sim->partitions[k];

        if (x < pt->to_ns && (y > pt->from_ns || x >= pt->from_ns) &&
            partition_group(pt, s) != partition_group(pt, r)) {
            return pt;
        }
    }
    return NULL;
}

/* see sim_int.h */
int64_t
sim__tcp_seg_delay(int fast, uint64_t losses, int64_t rtt_ns, int64_t rto_ns, int64_t rto_max_ns)
{
    int64_t d = 0, cur = rto_ns < rto_max_ns ? rto_ns : rto_max_ns;

    if (losses == 0) {
        return 0;
    }
    if (fast) {
        d = rtt_ns;
        losses--;
    }
    while (losses > 0 && cur < rto_max_ns) {
        d = sim_time_add(d, cur);
        cur = cur > rto_max_ns / 2 ? rto_max_ns : 2 * cur;
        losses--;
    }
    if (losses > 0 && cur > 0) {
        d = losses > (uint64_t)(SIM_HORIZON_NS / cur) ? SIM_HORIZON_NS
                                                      : sim_time_add(d, (int64_t)losses * cur);
    }
    return d;
}

/*
 * A tcp message crossing [*first, *first + dur] met partition `pt`: the
 * RTO fires from the time t it met it, with backoff, until a firing's
 * crossing is clear.  On success moves *first there and returns the
 * number of lost retransmissions (probes); returns -1 if the connection
 * times out first (*probes_out is still set).
 */
static int
tcp_stall(const struct sim *sim, int s, int r, const struct sim_partition *pt, int64_t *first,
          int64_t dur, uint64_t *probes_out)
{
    int64_t t = *first > pt->from_ns ? *first : pt->from_ns;
    int64_t at = t, cur = sim->rto_ns < sim->rto_max_ns ? sim->rto_ns : sim->rto_max_ns;
    uint64_t probes = 0;

    for (;;) {
        at = cur > 0 ? sim_time_add(at, cur) : pt->to_ns;
        cur = cur > sim->rto_max_ns / 2 ? sim->rto_max_ns : 2 * cur;
        if (at - t > sim->conn_timeout_ns) {
            *probes_out = probes;
            return -1;
        }
        pt = crossing_blocked(sim, s, r, at, sim_time_add(at, dur));
        if (pt == NULL) {
            break;
        }
        probes++;
    }
    *first = at;
    *probes_out = probes;
    return 0;
}

/* U in (0, 1] from the stream. */
static inline double
uniform_pos(struct sim_stream *st)
{
    return 1.0 - gsl_rng_uniform(&st->rng);
}

/*
 * Per-transmission loss of a tcp message of `units` segments whose first
 * byte leaves at `first` and last at `last` (segment j leaves at
 * first + (last - first)(j + 1)/units).  Walks the segments whose first
 * transmission is lost from the last one down (geometric gaps), so each
 * knows how many later segments arrived (fast retransmit needs 3).
 * Returns the latest leave time + loss delay over lost segments (or -1),
 * and adds the retransmissions and their wire bytes.
 */
static int64_t
tcp_loss(const struct sim *sim, struct sim_stream *st, uint64_t len, uint64_t units, int64_t first,
         int64_t last, int64_t rtt_ns, uint64_t *retx, uint64_t *rbytes)
{
    const double p = sim->cfg.net.loss;
    const double lp = log(p), l1p = log1p(-p);
    uint64_t j = units, lost_after = 0;
    int64_t latest = -1;

    for (;;) {
        /* Segments before the next lost one, from the top: Geom(p) - 1. */
        double gap = floor(log(uniform_pos(st)) / l1p);
        uint64_t k;
        int64_t at;

        if (!(gap < (double)j)) {
            break;
        }
        j -= (uint64_t)gap + 1;
        /* Further losses of segment j: failures before success, Geom(1 - p) - 1. */
        gap = floor(log(uniform_pos(st)) / lp);
        k = gap < 0x1p62 ? (uint64_t)gap : UINT64_C(1) << 62;
        at = sim_time_add(time_frac(first, last, j + 1, units),
                          sim__tcp_seg_delay(units - 1 - j - lost_after >= 3, k + 1, rtt_ns,
                                             sim->rto_ns, sim->rto_max_ns));
        latest = at > latest ? at : latest;
        *retx += k + 1;
        *rbytes += (k + 1) * unit_wire(sim, len, units, j);
        lost_after++;
    }
    return latest;
}

/*
 * Slow start (sim.h): the time a message of `units` segments (`wire`
 * bytes) occupies link lk from `start`: its serialization plus, for each
 * flight but the last, the idle max(0, RTT - flight serialization).
 * Updates the link's cwnd.  Once cwnd reaches the receive window the
 * remaining full flights are counted at once, so the cost is O(log S).
 */
static int64_t
tcp_flights(const struct sim *sim, struct sim__link *lk, int64_t start, uint64_t units,
            uint64_t wire, double rtt)
{
    const struct sim_transport *t = &sim->cfg.net.transport;
    uint64_t wseg = sim->wseg, cw = lk->cwnd, rem = units;
    double seg_ns = (double)(t->mss + t->header_bytes) * sim->ns_per_byte, idle = 0.0;

    if (cw == 0 || (t->slow_start_after_idle && start - lk->link_free > sim->rto_ns)) {
        cw = t->initial_window_segments; /* first use, or idle for longer than the RTO */
    }
    while (rem > (cw < wseg ? cw : wseg)) {
        uint64_t f = cw < wseg ? cw : wseg;

        if (f == wseg) {
            uint64_t rounds = (rem - 1) / wseg; /* full flights before the last */

            idle += (double)rounds * fmax(0.0, rtt - (double)wseg * seg_ns);
            rem -= rounds * wseg;
            break;
        }
        idle += fmax(0.0, rtt - (double)f * seg_ns);
        rem -= f;
        cw += f; /* one segment per ACKed segment */
    }
    cw += rem;
    lk->cwnd = (uint32_t)(cw < wseg ? cw : wseg);
    return to_ns(idle + (double)wire * sim->ns_per_byte);
}

/* In-order arrival on a tcp link, then the DELIVER (or ARRIVE) event. */
static inline int
net_push(struct sim *sim, struct sim_party *p, int to, struct sim__payload *pl,
         struct sim__link *lk, int64_t arrive)
{
    int rc;

    if (lk != NULL && sim->in_order) {
        if (arrive < lk->last_arrival) {
            arrive = lk->last_arrival;
        }
        lk->last_arrival = arrive;
    }
    rc = sim__push(sim, arrive, (uint32_t)to,
                   SIM__EV_AUX(sim->down_limited ? SIM__EV_ARRIVE : SIM__EV_DELIVER, p->id), pl);
    if (rc < 0) {
        return rc;
    }
    pl->refs++;
    return 0;
}

/* Count `wire` bytes sent by p, `retx` of them retransmissions. */
static inline void
net_count(struct sim *sim, struct sim_party *p, uint64_t bytes, uint64_t retx)
{
    p->res.bytes_sent += bytes;
    sim->m.bytes += bytes;
    sim->m.retransmissions += retx;
}

/*
 * The rest of a send when partitions or loss are configured (kept out of
 * line, off the default path): the message's first and last bytes enter
 * the network at `first` and `left` (adversary delay included) and take
 * `lat` to cross.
 */
static __attribute__((noinline)) int
send_faulty(struct sim *sim, struct sim_party *p, int to, struct sim__payload *pl,
            struct sim__link *lk, uint64_t index, int64_t depart, int64_t first, int64_t left,
            int64_t lat, double rtt)
{
    const struct sim_network *net = &sim->cfg.net;
    uint64_t wire = sim__net_wire_bytes(sim, pl->len), units = net_units(sim, pl->len);
    uint64_t retx = 0, rbytes = 0;
    int64_t arrive;

    if (lk != NULL && lk->last_arrival == SIM__LINK_FAILED) {
        /* The connection timed out in a partition: nothing crosses it. */
        sim->m.messages_lost++;
        SIM__TRACE_MSG(sim, SIM_TRACE_LOST, p->id, to, pl, depart, depart);
        return 0;
    }
    if (net->n_partitions > 0) {
        const struct sim_partition *pt =
            crossing_blocked(sim, p->id, to, first, sim_time_add(left, lat));

        if (pt != NULL) {
            int64_t dur = left - first;
            uint64_t probes = 0;

            if (!sim->tcp) {
                net_count(sim, p, wire, 0);
                sim->m.messages_lost++;
                SIM__TRACE_MSG(sim, SIM_TRACE_LOST, p->id, to, pl, depart, depart);
                return 0;
            }
            if (tcp_stall(sim, p->id, to, pt, &first, sim_time_add(dur, lat), &probes) < 0) {
                lk->last_arrival = SIM__LINK_FAILED;
                net_count(sim, p, wire + probes * unit_wire(sim, pl->len, units, 0), probes);
                sim->m.messages_lost++;
                SIM__TRACE_MSG(sim, SIM_TRACE_LOST, p->id, to, pl, depart, depart);
                return 0;
            }
            /* Each probe resent the first segment; after the heal the
             * whole message is resent. */
            retx += probes + units;
            rbytes += probes * unit_wire(sim, pl->len, units, 0) + wire;
            left = sim_time_add(first, dur);
        }
    }
    arrive = sim_time_add(left, lat);
    if (net->loss > 0.0) {
        struct sim_stream st;

        link_stream(&st, sim->loss_key, link_name(p->id, to), index);
        if (!sim->tcp) {
            double plost = units == 1 ? net->loss : -expm1((double)units * log1p(-net->loss));

            if (gsl_rng_uniform(&st.rng) < plost) {
                net_count(sim, p, wire, 0);
                sim->m.messages_lost++;
                SIM__TRACE_MSG(sim, SIM_TRACE_LOST, p->id, to, pl, depart, depart);
                return 0;
            }
        } else {
            int64_t latest =
                tcp_loss(sim, &st, pl->len, units, first, left, to_ns(rtt), &retx, &rbytes);

            if (latest >= 0 && sim_time_add(latest, lat) > arrive) {
                arrive = sim_time_add(latest, lat);
            }
        }
    }
    net_count(sim, p, wire + rbytes, retx);
    return net_push(sim, p, to, pl, lk, arrive);
}

/* see sim_int.h */
int
sim__net_send(struct sim *sim, struct sim_party *p, int to, struct sim__payload *pl, int64_t depart,
              int64_t extra_ns)
{
    const struct sim_network *net = &sim->cfg.net;
    uint64_t units = net_units(sim, pl->len);
    uint64_t wire = pl->len + units * net->transport.header_bytes;
    int64_t first = depart, left = depart, lat;
    double rtt = sim->rtt_ns;
    struct sim__link *lk = NULL;
    uint64_t index = 0;

    SIM__TRACE_MSG(sim, SIM_TRACE_SEND, p->id, to, pl, depart, depart);
    if (p->up_ns_per_byte > 0.0) {
        first = depart > p->up_free ? depart : p->up_free;
        left = sim_time_add(first, to_ns((double)wire * p->up_ns_per_byte));
        p->up_free = left;
        SIM__TRACE_MSG(sim, SIM_TRACE_UPLINK, p->id, to, pl, first, left);
    }
    if (sim->need_links) {
        lk = link_get(sim, p->id, to);
        if (lk == NULL) {
            return MPCSIM_ENOMEM;
        }
        if (sim->link_draws) {
            index = lk->sent++;
        }
        if (net->n_regions > 0) {
            rtt = typical_latency_ns(sim, p->id, to) + typical_latency_ns(sim, to, p->id);
        }
        if (sim->windowed && rtt > 0.0) {
            int64_t start = depart > lk->link_free ? depart : lk->link_free;
            int64_t end;

            if (sim->slow_start) {
                if (units <= lk->cwnd && !(net->transport.slow_start_after_idle &&
                                           start - lk->link_free > sim->rto_ns)) {
                    /* One flight: only its serialization (the uplink's). */
                    uint64_t cw = lk->cwnd + units;

                    lk->cwnd = (uint32_t)(cw < sim->wseg ? cw : sim->wseg);
                    end = sim_time_add(start, left - first);
                } else {
                    end = sim_time_add(start, tcp_flights(sim, lk, start, units, wire, rtt));
                }
            } else {
                end = sim_time_add(start, to_ns((double)wire * rtt / net->transport.window_bytes));
            }

            lk->link_free = end;
            first = start > first ? start : first;
            left = end > left ? end : left;
        }
    }
    if (left > p->crash_at) {
        /* The sender crashes before the last byte leaves: the message was
         * sent and is lost (nothing arrives); the whole units that had
         * left crossed the wire. */
        p->res.messages_sent++;
        sim->m.messages++;
        if (p->crash_at > first) {
            uint64_t done = (uint64_t)((mpcsim_u128)(uint64_t)(p->crash_at - first) * units /
                                       (uint64_t)(left - first));

            net_count(sim, p, done * (unit_bytes(sim) + net->transport.header_bytes), 0);
        }
        sim->m.messages_lost++;
        SIM__TRACE_MSG(sim, SIM_TRACE_LOST, p->id, to, pl, depart, depart);
        return 0;
    }
    p->res.messages_sent++;
    sim->m.messages++;
    lat = sim->latency_random ? sample_latency(sim, p, to, index) : sim->latency_const;
    if (sim->net_faults) {
        return send_faulty(sim, p, to, pl, lk, index, depart, sim_time_add(first, extra_ns),
                           sim_time_add(left, extra_ns), lat, rtt);
    }
    p->res.bytes_sent += wire;
    sim->m.bytes += wire;
    {
        /* Each term is in [0, SIM_HORIZON_NS]: the sum fits a uint64. */
        uint64_t a = (uint64_t)left + (uint64_t)extra_ns + (uint64_t)lat;

        return net_push(sim, p, to, pl, lk,
                        a > (uint64_t)SIM_HORIZON_NS ? SIM_HORIZON_NS : (int64_t)a);
    }
}

/* see sim_int.h */
int
sim__net_arrive(struct sim *sim, const struct sim__event *ev)
{
    struct sim_party *r = &sim->parties[ev->party];
    struct sim__payload *pl = ev->u.ptr;
    int64_t tx = to_ns((double)sim__net_wire_bytes(sim, pl->len) * r->down_ns_per_byte);
    int64_t end = sim_time_add(r->down_free, tx);
    struct sim__event d = *ev;

    if (end < ev->time) {
        end = ev->time;
    }
    r->down_free = end;
    SIM__TRACE_MSG(sim, SIM_TRACE_DOWNLINK, r->id, SIM__EV_FROM(ev->aux), pl, end - tx, end);
    d.aux = SIM__EV_AUX(SIM__EV_DELIVER, SIM__EV_FROM(ev->aux));
    if (end == ev->time) {
        sim__deliver(sim, &d);
        return 0;
    }
    /* The queued event keeps the payload reference. */
    if (sim__push(sim, end, d.party, d.aux, pl) < 0) {
        sim__payload_release(sim, pl);
        return MPCSIM_ENOMEM;
    }
    return 0;
}
