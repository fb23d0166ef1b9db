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
 * (12 bytes a link when arrivals are in order anyway and nothing draws, 16
 * with the message index, 24 with the last arrival: sim_int.h) while that
 * is at most SIM__DENSE_LINK_BYTES, else in a hash table whose
 * entries expire once both times are in the past (only links with traffic
 * in flight are live), unless messages draw latency or loss (or wait for a
 * handshake): then an entry keeps its state for the whole trial.  A live
 * hash entry costs 64 to 128 bytes (a 32-byte slot, load 1/4 to 1/2), so
 * in that case the dense table stays cheaper as long as more than about a
 * third of the links carry traffic, and it is used up to
 * SIM__DENSE_LINK_BYTES_KEPT (n = 18 918 with 24-byte entries) without
 * huge-page advice: calloc's pages are zero-filled on first touch, so a
 * protocol that uses few links (secagg's star) pays about one 4 KiB page
 * per sender, not n^2 entries.  The all-to-all toy at n = 10 000 with
 * lognormal latency spent 35 % of its time in the hash table's probes and
 * 4 % rehashing it.
 *
 * Issue 17: 4's latency is a base plus jitter (sim.h enum
 * sim_latency_per): per message a draw keyed by (s, r, k), per pair the
 * median, per link a draw keyed by the unordered pair {s, r} alone
 * (nothing stored); jitter is a draw keyed by (s, r, k) from its own
 * stream.  1 and 6 use each party's own rate (profiles: up_ns_per_byte,
 * down_ns_per_byte, set once by sim__net_init).
 *
 * Issue 17 options (sim.h): tls lengthens every message by its record
 * overhead before 1 and 2 cut it into segments, and tls/handshake delay a
 * link's first message by RTTs at step 2 (the uplink is not held); the
 * default send path is an instance of the fifo body compiled without
 * them.  sharing: fair replaces 1, 2 and 7 by flows (the last section of
 * this file): a send queues the message for its departure time, and 3-6
 * run when its last byte has left.
 */
#include "sim/sim_int.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "common/alloc.h"

#define SIM__DENSE_LINK_BYTES ((uint64_t)2 << 30)
#define SIM__DENSE_LINK_BYTES_KEPT ((uint64_t)8 << 30)

static int fair_init(struct sim *sim);
static void fair_free(struct sim *sim);
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

/*
 * A lognormal draw e^(zeta + sigma Z).  Z, here and for normal latencies,
 * comes from GSL's ziggurat (Marsaglia & Tsang, J. Stat. Softw. 5(8),
 * 2000; one 32-bit draw per sample but for ~1 % of them), not from
 * gsl_ran_lognormal's polar method (two uniforms per try, ~1.27 tries,
 * a log, a square root and a division): drawing latencies was ~20 % of a
 * 1000-party sum with lognormal latency.  Its grid, 2^-24 of a strip's
 * width, is far finer than the nanosecond a latency is rounded to.
 */
static inline double
lognormal(gsl_rng *rng, double zeta, double sigma)
{
    return exp(zeta + gsl_ran_gaussian_ziggurat(rng, sigma));
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
            double x = l->mean_ms * 1e6 + gsl_ran_gaussian_ziggurat(rng, l->sd_ms * 1e6);

            if (x >= 0.0) {
                return to_ns(x);
            }
        }
        return 0;
    case SIM_LATENCY_LOGNORMAL:
        return to_ns(lognormal(rng, zeta, l->sigma));
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
        base = net->n_regions > 0 ? to_ns(lognormal(rng, sim->region_zeta[k], l->sigma))
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

/* What a network makes the engine keep per message and per link. */
struct net_shape {
    int base_const;     /* no regions, and every link's base latency is one constant */
    int latency_random; /* a message's latency is drawn (times are mostly distinct) */
    int link_draws;     /* a message's index on its link keys its draws */
    int net_faults;     /* loss or partitions */
    int first_rtts;     /* round trips before a link's first byte (handshake, TLS) */
    int in_order;       /* arrivals are clamped to the link's last one */
    int need_links;     /* per-link state is kept */
    int imm_path;       /* sim.imm_path */
    size_t links_stride;
};

/* Whether a distribution is one value (no draw needed). */
static int
latency_is_const(const struct sim_latency *l)
{
    return l->kind == SIM_LATENCY_CONSTANT ||
           (l->kind == SIM_LATENCY_UNIFORM && l->min_ms == l->max_ms) ||
           (l->kind == SIM_LATENCY_NORMAL && l->sd_ms == 0.0) ||
           (l->kind == SIM_LATENCY_LOGNORMAL && l->sigma == 0.0);
}

/* The shape of network `net` (sim__net_init's flags, and the memory
 * estimate's): `any_rtt` says some link has a positive typical latency,
 * `adversary` that some party is corrupted. */
static void
net_shape(const struct sim_network *net, int any_rtt, int adversary, struct net_shape *s)
{
    int tcp = net->transport.kind == SIM_TRANSPORT_TCP;

    memset(s, 0, sizeof(*s));
    s->first_rtts = tcp ? (net->transport.handshake != 0) + (net->transport.tls != 0) : 0;
    s->base_const = net->n_regions == 0 &&
                    (latency_is_const(&net->latency) || net->latency_per == SIM_LATENCY_PER_PAIR);
    s->latency_random = !s->base_const || net->has_jitter;
    /* A message's index on its link keys its latency draw, unless its
     * latency is the link's alone (per pair or per link, no jitter). */
    s->link_draws =
        (s->latency_random && (net->latency_per == SIM_LATENCY_PER_MESSAGE || net->has_jitter)) ||
        net->loss > 0.0;
    s->net_faults = net->loss > 0.0 || net->n_partitions > 0;
    /* Neither tls, handshake, fair sharing (sim.net_opts) nor faults: the
     * default send path, on which messages may travel immediate. */
    s->imm_path = s->first_rtts == 0 && !s->net_faults && net->sharing == SIM_SHARING_FIFO;
    /* tcp delivers in order.  With one latency for every message, no
     * adversary delay, no faults, no handshake wait and fifo sharing, a
     * link's arrival times already grow with its departures (departures,
     * link and uplink free times only grow), so the clamp to the last
     * arrival never binds: skip it and the 8 bytes per link it needs. */
    s->in_order = tcp && (s->latency_random || adversary || s->net_faults || s->first_rtts > 0 ||
                          net->sharing != SIM_SHARING_FIFO);
    s->need_links =
        (tcp && ((any_rtt && net->transport.window_bytes > 0) || s->latency_random ||
                 net->loss > 0.0 || adversary || net->n_partitions > 0 || s->first_rtts > 0)) ||
        s->link_draws;
    s->links_stride = !s->need_links  ? 0
                      : s->in_order   ? sizeof(struct sim__link)
                      : s->link_draws ? SIM__LINK_BYTES_DRAWS
                                      : SIM__LINK_BYTES_BASE;
}

/* see sim.h */
void
sim_memory_shape(const struct sim_network *net, int n, int adversary, size_t len,
                 double *per_message, double *per_pair)
{
    struct net_shape s;
    uint64_t nn = (uint64_t)n * (uint64_t)n;

    net_shape(net, 1, adversary, &s);
    /* The queued event: 24 bytes in a radix heap block, 26 with the
     * blocks partly filled and the pool's chunk not yet used (up to a
     * quarter of it, 4 MiB at most), when times are drawn; 24 when
     * downlinks are limited (a message is an ARRIVE, then a DELIVER at its
     * own serialisation step); 16.5 in a time group otherwise.  Then its
     * payload block, unless an honest party's message travels in its
     * event (sim_int.h, immediate messages: the rounds and depths of the
     * protocols' large fan-outs are far below the bounds). */
    *per_message = (s.latency_random            ? 26.0
                    : net->bandwidth_mbps > 0.0 ? 24.0
                                                : 16.5) +
                   (s.imm_path && len <= SIM__IMM_MAX_LEN ? 0.0 : (double)sim__payload_bytes(len));
    /* The link state: n^2 dense entries up to SIM__DENSE_LINK_BYTES (the
     * larger optional table is not counted: pages it never touches cost
     * nothing), else a hash slot per link in use. */
    *per_pair = 0.0;
    if (s.links_stride > 0 && nn * s.links_stride <= SIM__DENSE_LINK_BYTES) {
        *per_pair = (double)s.links_stride;
    } else if (s.links_stride > 0) {
        *per_message += (double)sizeof(struct sim__link_slot);
    }
}

/* see sim_int.h */
int
sim__net_init(struct sim *sim)
{
    const struct sim_network *net = &sim->cfg.net;
    const struct sim_latency *l = &net->latency;
    int n = sim->n;
    int any_rtt = 0, adversary = 0;
    struct net_shape shape;

    sim->tcp = net->transport.kind == SIM_TRANSPORT_TCP;
    sim->tls = sim->tcp && net->transport.tls;
    sim->first_rtts = sim->tcp ? (net->transport.handshake != 0) + sim->tls : 0;
    sim->net_opts = sim->tls || sim->first_rtts > 0 || net->sharing == SIM_SHARING_FAIR;
    sim->rto_ns = to_ns(net->transport.rto_ms * 1e6);
    sim->rto_max_ns = to_ns(net->transport.rto_max_ms * 1e6);
    sim->conn_timeout_ns = to_ns(net->transport.connection_timeout_ms * 1e6);
    sim->ns_per_byte = net->bandwidth_mbps > 0.0 ? 8e3 / net->bandwidth_mbps : 0.0;
    init_party_rates(sim);
    sim->link_lat_key = sim_stream_key(sim->cfg.seed, PURPOSE_LINK_LATENCY, 0, 0);
    sim->jitter_key = sim_stream_key(sim->cfg.seed, PURPOSE_JITTER, 0, 0);
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
        if (latency_is_const(l)) {
            sim->latency_const = to_ns(typical_latency_ns(sim, 0, 0));
        } else if (net->latency_per == SIM_LATENCY_PER_PAIR) {
            sim->latency_const = to_ns(median_latency_ns(l));
        }
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
    net_shape(net, any_rtt, adversary, &shape);
    MPCSIM_ASSERT(shape.first_rtts == sim->first_rtts);
    sim->base_const = shape.base_const;
    sim->latency_random = shape.latency_random;
    sim->link_draws = shape.link_draws;
    sim->net_faults = shape.net_faults;
    sim->imm_path = shape.imm_path;
    MPCSIM_ASSERT(!sim->imm_path || (!sim->net_opts && !sim->net_faults));
    sim->in_order = shape.in_order;
    sim->need_links = shape.need_links;
    sim->windowed = sim->tcp && net->transport.window_bytes > 0;
    sim->slow_start = sim->windowed && net->transport.initial_window_segments > 0;
    sim->wseg = sim->windowed ? net->transport.window_bytes / net->transport.mss : 0;
    sim->wseg = sim->wseg > 0 ? sim->wseg : 1;
    if (net->sharing != SIM_SHARING_FIFO && net->sharing != SIM_SHARING_FAIR) {
        return MPCSIM_EINVAL;
    }
    if (net->sharing == SIM_SHARING_FAIR) {
        int rc = fair_init(sim);

        if (rc < 0) {
            return rc;
        }
    }
    if (sim->need_links) {
        uint64_t nn = (uint64_t)n * (uint64_t)n;

        sim->links_stride = shape.links_stride;
        uint64_t bytes = nn * sim->links_stride;
        /* Hash entries never expire (link_live). */
        int kept = sim->link_draws || sim->first_rtts > 0;

        if (bytes <= SIM__DENSE_LINK_BYTES) {
            sim->links_dense = mpcsim_calloc((size_t)nn, sim->links_stride);
            if (sim->links_dense == NULL) {
                return MPCSIM_ENOMEM;
            }
            sim__pool_advise(sim->links_dense, (size_t)bytes);
        } else if (kept && bytes <= SIM__DENSE_LINK_BYTES_KEPT && (size_t)bytes == bytes) {
            /* Optional: only while it takes at most half of what a
             * --max-memory budget leaves (the budget counts the whole
             * table, touched or not), and not when the address space is
             * limited (ulimit -v): then the hash table, as before. */
            size_t budget = mpcsim_alloc_budget(), live = mpcsim_alloc_live();

            if (budget == 0 || (live < budget && bytes <= (budget - live) / 2)) {
                sim->links_dense = mpcsim_calloc((size_t)nn, sim->links_stride);
            }
        }
        if (sim->links_dense == NULL) {
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
    fair_free(sim);
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
           (sim->link_draws || sim->first_rtts > 0 || s->link.link_free > now ||
            s->link.last_arrival > now ||
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
static inline __attribute__((always_inline)) struct sim__link *
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

/* The bytes tcp carries for a len-byte message: len, plus the TLS record
 * overhead when tls is on (sim.h). */
static inline uint64_t
net_len(const struct sim *sim, uint64_t len)
{
    if (__builtin_expect(sim->tls, 0)) {
        uint64_t records = len == 0 ? 1 : (len + SIM_TLS_RECORD_BYTES - 1) / SIM_TLS_RECORD_BYTES;

        return len + records * SIM_TLS_RECORD_OVERHEAD;
    }
    return len;
}

/* Units (segments or datagram fragments) of a len-byte message: >= 1. */
static inline uint64_t
net_units(const struct sim *sim, uint64_t len)
{
    uint64_t u = unit_bytes(sim);

    len = net_len(sim, len);
    return len == 0 ? 1 : (len + u - 1) / u;
}

/* see sim_int.h */
uint64_t
sim__net_wire_bytes(const struct sim *sim, size_t len)
{
    uint64_t tl = net_len(sim, len), u = unit_bytes(sim);

    /* One unit (most messages) without the division. */
    return tl + (tl <= u ? 1 : (tl + u - 1) / u) * sim->cfg.net.transport.header_bytes;
}

/* Wire bytes of unit j (0-based) of a len-byte message in `units` units. */
static inline uint64_t
unit_wire(const struct sim *sim, uint64_t len, uint64_t units, uint64_t j)
{
    uint64_t u = unit_bytes(sim);

    return (j + 1 < units ? u : net_len(sim, len) - (units - 1) * u) +
           sim->cfg.net.transport.header_bytes;
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
static inline __attribute__((always_inline)) int64_t
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

/* In-order arrival on a tcp link, then the DELIVER (or ARRIVE) event: of
 * payload `pl`, or of immediate message `imm` when pl is NULL. */
static inline int
net_push(struct sim *sim, struct sim_party *p, int to, struct sim__payload *pl,
         const struct sim__imm *imm, struct sim__link *lk, int64_t arrive, uint64_t wire)
{
    uint32_t party = (uint32_t)to;
    int rc;

    if (lk != NULL && sim->in_order) {
        if (arrive < lk->last_arrival) {
            arrive = lk->last_arrival;
        }
        lk->last_arrival = arrive;
    }
    if (pl == NULL) {
        return sim__push_id(
            sim, arrive, party | imm->party,
            SIM__EV_AUX(sim->down_limited ? SIM__EV_ARRIVE_IMM : SIM__EV_DELIVER_IMM, p->id) |
                imm->aux,
            imm->id);
    }
    if (sim->down_limited && wire <= SIM__EV_WIRE_MAX) {
        party |= (uint32_t)wire << SIM__EV_PARTY_BITS; /* sim_int.h: the downlink's hint */
    }
    rc = sim__push(sim, arrive, party,
                   SIM__EV_AUX(sim->down_limited ? SIM__EV_ARRIVE : SIM__EV_DELIVER, p->id), pl);
    if (rc < 0) {
        return rc;
    }
    sim__payload_ref(pl);
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
    uint64_t wire = sim__net_wire_bytes(sim, sim__payload_len(pl)),
             units = net_units(sim, sim__payload_len(pl));
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
                net_count(sim, p, wire + probes * unit_wire(sim, sim__payload_len(pl), units, 0),
                          probes);
                sim->m.messages_lost++;
                SIM__TRACE_MSG(sim, SIM_TRACE_LOST, p->id, to, pl, depart, depart);
                return 0;
            }
            /* Each probe resent the first segment; after the heal the
             * whole message is resent. */
            retx += probes + units;
            rbytes += probes * unit_wire(sim, sim__payload_len(pl), units, 0) + wire;
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
            int64_t latest = tcp_loss(sim, &st, sim__payload_len(pl), units, first, left,
                                      to_ns(rtt), &retx, &rbytes);

            if (latest >= 0 && sim_time_add(latest, lat) > arrive) {
                arrive = sim_time_add(latest, lat);
            }
        }
    }
    net_count(sim, p, wire + rbytes, retx);
    return net_push(sim, p, to, pl, NULL, lk, arrive, wire);
}

static int fair_send(struct sim *sim, struct sim_party *p, int to, struct sim__payload *pl,
                     int64_t depart, int64_t extra_ns);

/*
 * sim__net_send's fifo body; `opts` (a constant in each instance) says
 * whether tls or handshake is on, so the default instance pays nothing
 * for them.
 */
static inline __attribute__((always_inline)) int
net_send_fifo(struct sim *sim, struct sim_party *p, int to, struct sim__payload *pl,
              const struct sim__imm *imm, int64_t depart, int64_t extra_ns, const int opts)
{
    const struct sim_network *net = &sim->cfg.net;
    uint64_t len = pl != NULL ? sim__payload_len(pl) : imm->len;
    uint64_t tl = opts ? net_len(sim, len) : len, u = unit_bytes(sim);
    uint64_t units = tl <= u ? 1 : (tl + u - 1) / u; /* most messages: one unit, no division */
    uint64_t wire = tl + units * net->transport.header_bytes;
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
        if (opts && sim->first_rtts > 0 && lk->link_free == 0 && lk->last_arrival == 0 &&
            rtt > 0.0) {
            /* The link's first use: handshake (and TLS) before the first
             * byte; the uplink is not held meanwhile. */
            int64_t s0 = sim_time_add(depart, to_ns(rtt * sim->first_rtts));

            lk->link_free = s0; /* marks the link used; the window starts here */
            if (!sim->windowed && s0 > first) {
                left = sim_time_add(s0, left - first);
                first = s0;
            }
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
        MPCSIM_ASSERT(pl != NULL); /* immediates only when !net_faults */
        return send_faulty(sim, p, to, pl, lk, index, depart, sim_time_add(first, extra_ns),
                           sim_time_add(left, extra_ns), lat, rtt);
    }
    p->res.bytes_sent += wire;
    sim->m.bytes += wire;
    {
        /* Each term is in [0, SIM_HORIZON_NS]: the sum fits a uint64. */
        uint64_t a = (uint64_t)left + (uint64_t)extra_ns + (uint64_t)lat;

        return net_push(sim, p, to, pl, imm, lk,
                        a > (uint64_t)SIM_HORIZON_NS ? SIM_HORIZON_NS : (int64_t)a, wire);
    }
}

/* The instance with tls or handshake on. */
static __attribute__((noinline)) int
net_send_opts(struct sim *sim, struct sim_party *p, int to, struct sim__payload *pl, int64_t depart,
              int64_t extra_ns)
{
    return net_send_fifo(sim, p, to, pl, NULL, depart, extra_ns, 1);
}

/* see sim_int.h */
int
sim__net_send(struct sim *sim, struct sim_party *p, int to, struct sim__payload *pl, int64_t depart,
              int64_t extra_ns)
{
    if (__builtin_expect(sim->net_opts, 0)) {
        if (sim->fair != NULL) {
            return fair_send(sim, p, to, pl, depart, extra_ns);
        }
        return net_send_opts(sim, p, to, pl, depart, extra_ns);
    }
    return net_send_fifo(sim, p, to, pl, NULL, depart, extra_ns, 0);
}

/* see sim_int.h */
int
sim__net_send_imm(struct sim *sim, struct sim_party *p, int to, const struct sim__imm *imm,
                  int64_t depart)
{
    MPCSIM_ASSERT(sim->imm_path && sim->trace == NULL);
    return net_send_fifo(sim, p, to, NULL, imm, depart, 0, 0);
}

/* see sim_int.h */
int
sim__net_arrive(struct sim *sim, const struct sim__event *ev)
{
    struct sim_party *r = &sim->parties[SIM__EV_PARTY(ev->party)];
    int imm = SIM__EV_KIND(ev->aux) == SIM__EV_ARRIVE_IMM; /* the message is in the event */
    struct sim__payload *pl = imm ? NULL : ev->u.ptr;
    uint64_t wire = imm ? 0 : SIM__EV_WIRE(ev->party);
    int64_t tx, end;
    /* Field by field: the caller wrote *ev that way (a pop), and a
     * 16-byte load of two fresh 8-byte stores cannot be forwarded
     * from them (a stall of a fifth of sim_run's time at 1 Gbit/s). */
    struct sim__event d = {.time = ev->time, .u = ev->u, .party = ev->party, .aux = ev->aux};

    if (wire == 0) {
        /* An immediate's length is in the event; a payload's wire bytes
         * were too large for the hint. */
        wire = sim__net_wire_bytes(sim, imm ? SIM__IMM_LEN(ev->party) : sim__payload_len(pl));
    }
    tx = to_ns((double)wire * r->down_ns_per_byte);
    end = sim_time_add(r->down_free, tx);
    if (end < ev->time) {
        end = ev->time;
    }
    r->down_free = end;
    SIM__TRACE_MSG(sim, SIM_TRACE_DOWNLINK, r->id, SIM__EV_FROM(ev->aux), pl, end - tx, end);
    if (imm) {
        /* Its DELIVER_IMM keeps every field but the kind. */
        d.aux = (ev->aux & ~(UINT32_C(15) << 28)) | (uint32_t)SIM__EV_DELIVER_IMM << 28;
    } else {
        d.party = (uint32_t)r->id;
        d.aux = SIM__EV_AUX(SIM__EV_DELIVER, SIM__EV_FROM(ev->aux));
    }
    if (end == ev->time) {
        if (imm) {
            sim__deliver_imm(sim, &d);
        } else {
            sim__deliver(sim, &d);
        }
        return 0;
    }
    if (imm) {
        return sim__push_id(sim, end, d.party, d.aux, d.u.id);
    }
    /* The queued event keeps the payload reference. */
    if (sim__push(sim, end, d.party, d.aux, pl) < 0) {
        sim__payload_release(sim, pl);
        return MPCSIM_ENOMEM;
    }
    return 0;
}

/* ---------------------------------------------------------------------
 * network.sharing: fair (sim.h enum sim_sharing).
 *
 * State exists only for active flows: a flow (s, r) is created by its
 * first queued message and freed when its queue empties, found through an
 * open-addressing table keyed by s * n + r; messages waiting in a flow are
 * records of a pool with a free list.  Each party has two resources, its
 * uplink (2i) and downlink (2i + 1), each with an intrusive list of the
 * flows sending through it.  A change (a flow starts or stops sending)
 * marks both resources dirty and schedules one reshare at the current
 * time; the reshare collects the connected component of the dirty
 * resources, runs progressive filling over it with a heap of saturation
 * levels (a level only rises as flows freeze elsewhere, so stale heap
 * entries are skipped, O((flows + resources) log)), and re-plans the
 * flows whose rate changed: settle the bytes sent at the old rate, push a
 * new event, and bump the flow's version so the old event is ignored.
 * Rates are held as ns per byte (1 / rate); a constraint with nothing
 * frozen on it gives k x its own ns per byte exactly.  Revisit (a virtual
 * clock per resource, as processor-sharing queues have) if components of
 * 10^5 flows with distinct start times show up.
 * ------------------------------------------------------------------- */

enum { FAIR_EV_START = 0, FAIR_EV_FLOW, FAIR_EV_RESHARE };

/* link_get out of line (it stays inlined on the default send path). */
static __attribute__((noinline)) struct sim__link *
fair_link(struct sim *sim, int s, int r)
{
    return link_get(sim, s, r);
}
/* Flows are found through a dense n x n index up to this many links (16 MiB). */
#define FAIR_DENSE_MAX (UINT64_C(1) << 22)
enum { FAIR_SENDING = 0, FAIR_WAITING };

struct fair_msg {
    struct sim__payload *pl; /* a reference; NULL: the record is free */
    int64_t depart, extra;
    uint64_t index; /* the message's index on its link (its draws) */
    int32_t next;   /* next in the flow's FIFO (or the free list), -1: none */
    int32_t from, to;
};

struct fair_flow {
    int32_t s, r;
    int32_t head, tail;                         /* message FIFO; head is being sent */
    int32_t up_prev, up_next, dn_prev, dn_next; /* resource lists (while sending) */
    uint32_t ver;                               /* events carrying another version are stale */
    uint32_t stamp;                             /* reshare visit mark */
    int state;                                  /* FAIR_SENDING or FAIR_WAITING */
    int in_lists;
    int has_rate;
    int frozen;
    int ss;         /* slow start: flights of cwnd segments */
    double ipr;     /* ns per byte (0: unlimited) */
    double new_ipr; /* reshare scratch */
    double cap_ipr; /* the window cap's ns per byte (tcp without slow start), 0: none */
    double rem;     /* bytes of the current flight not sent at t_upd */
    double rtt;     /* ns */
    int64_t t_upd;
    int64_t first;        /* the current message's first byte left */
    int64_t flight_start; /* the current flight started */
    int64_t planned;      /* flight end (sending) or ACK return (waiting) */
    uint64_t units, seg_done, flight_segs, flight_bytes, wire;
    uint64_t cwnd;
};

struct fair_res {
    int32_t head; /* first sending flow, -1: none */
    int32_t count;
    double nspb; /* ns per byte of the link, 0: unlimited */
    /* reshare scratch */
    uint32_t stamp;
    uint32_t ver;
    int32_t k;
    double fs; /* rate already frozen on it (bytes/ns) */
    int dirty;
};

struct fair_heap_ent {
    double level; /* bytes/ns at which it saturates */
    uint32_t id;  /* resource, or flow | 1u << 31 */
    uint32_t ver;
};

struct sim__fair {
    struct fair_flow *flows;
    size_t n_flows, cap_flows;
    int32_t free_flow;
    struct fair_msg *msgs;
    size_t n_msgs, cap_msgs;
    int32_t free_msg;
    int32_t *dense;    /* n x n flow index + 1 (0: none) while small, else NULL */
    uint64_t *tab_key; /* key + 1, 0: empty (no dense table) */
    int32_t *tab_val;
    size_t tab_cap, tab_used;
    struct fair_res *res; /* 2n */
    int32_t *dirty;
    size_t n_dirty;
    int64_t reshare_at; /* time of the pending reshare, -1: none */
    uint32_t stamp;
    int32_t *comp_res, *comp_flows;
    size_t cap_comp_res, cap_comp_flows;
    struct fair_heap_ent *heap;
    size_t cap_heap;
};

/* Grow *arr (elements of `size`) to hold at least `need`: 0 or MPCSIM_ENOMEM. */
static int
fair_grow(void **arr, size_t *cap, size_t need, size_t size)
{
    size_t c = *cap > 0 ? *cap : 64;
    void *a;

    if (need <= *cap) {
        return 0;
    }
    while (c < need) {
        c *= 2;
    }
    a = mpcsim_realloc(*arr, c * size);
    if (a == NULL) {
        return MPCSIM_ENOMEM;
    }
    *arr = a;
    *cap = c;
    return 0;
}

static int
fair_init(struct sim *sim)
{
    struct sim__fair *F = mpcsim_calloc(1, sizeof(*F));

    if (F == NULL) {
        return MPCSIM_ENOMEM;
    }
    sim->fair = F;
    F->free_flow = -1;
    F->free_msg = -1;
    F->reshare_at = -1;
    if ((uint64_t)sim->n * (uint64_t)sim->n <= FAIR_DENSE_MAX) {
        F->dense = mpcsim_calloc((size_t)sim->n * (size_t)sim->n, sizeof(int32_t));
        if (F->dense == NULL) {
            return MPCSIM_ENOMEM;
        }
    } else {
        F->tab_cap = 1024;
        F->tab_key = mpcsim_calloc(F->tab_cap, sizeof(uint64_t));
        F->tab_val = mpcsim_calloc(F->tab_cap, sizeof(int32_t));
        if (F->tab_key == NULL || F->tab_val == NULL) {
            return MPCSIM_ENOMEM;
        }
    }
    F->res = mpcsim_calloc(2 * (size_t)sim->n, sizeof(struct fair_res));
    F->dirty = mpcsim_calloc(2 * (size_t)sim->n, sizeof(int32_t));
    if (F->res == NULL || F->dirty == NULL) {
        return MPCSIM_ENOMEM;
    }
    for (int i = 0; i < sim->n; i++) {
        F->res[2 * i].head = -1;
        F->res[2 * i].nspb = sim->parties[i].up_ns_per_byte;
        F->res[2 * i + 1].head = -1;
        F->res[2 * i + 1].nspb = sim->parties[i].down_ns_per_byte;
    }
    /* The downlink is a constraint of each flow, not a queue of its own. */
    sim->down_limited = 0;
    return 0;
}

static void
fair_free(struct sim *sim)
{
    struct sim__fair *F = sim->fair;

    if (F == NULL) {
        return;
    }
    mpcsim_free(F->flows);
    mpcsim_free(F->msgs);
    mpcsim_free(F->dense);
    mpcsim_free(F->tab_key);
    mpcsim_free(F->tab_val);
    mpcsim_free(F->res);
    mpcsim_free(F->dirty);
    mpcsim_free(F->comp_res);
    mpcsim_free(F->comp_flows);
    mpcsim_free(F->heap);
    mpcsim_free(F);
    sim->fair = NULL;
}

/* see sim_int.h */
void
sim__net_release(struct sim *sim)
{
    struct sim__fair *F = sim->fair;

    if (F == NULL) {
        return;
    }
    for (size_t i = 0; i < F->n_msgs; i++) {
        if (F->msgs[i].pl != NULL) {
            sim__payload_release(sim, F->msgs[i].pl);
            F->msgs[i].pl = NULL;
        }
    }
}

/* The flow table slot of key, or where it would go. */
static size_t
fair_slot(const struct sim__fair *F, uint64_t key)
{
    size_t mask = F->tab_cap - 1, j = hash64(key) & mask;

    while (F->tab_key[j] != 0 && F->tab_key[j] != key + 1) {
        j = (j + 1) & mask;
    }
    return j;
}

static int
fair_tab_grow(struct sim__fair *F)
{
    size_t old_cap = F->tab_cap, cap = old_cap * 2;
    uint64_t *ok = F->tab_key, *nk = mpcsim_calloc(cap, sizeof(uint64_t));
    int32_t *ov = F->tab_val, *nv = mpcsim_calloc(cap, sizeof(int32_t));

    if (nk == NULL || nv == NULL) {
        mpcsim_free(nk);
        mpcsim_free(nv);
        return MPCSIM_ENOMEM;
    }
    F->tab_key = nk;
    F->tab_val = nv;
    F->tab_cap = cap;
    for (size_t i = 0; i < old_cap; i++) {
        if (ok[i] != 0) {
            size_t j = fair_slot(F, ok[i] - 1);

            nk[j] = ok[i];
            nv[j] = ov[i];
        }
    }
    mpcsim_free(ok);
    mpcsim_free(ov);
    return 0;
}

/* Remove key from the table (backward-shift deletion, linear probing). */
static void
fair_tab_del(struct sim__fair *F, uint64_t key)
{
    size_t mask = F->tab_cap - 1, i = fair_slot(F, key), j = i;

    if (F->tab_key[i] == 0) {
        return;
    }
    for (;;) {
        size_t home;

        j = (j + 1) & mask;
        if (F->tab_key[j] == 0) {
            break;
        }
        home = hash64(F->tab_key[j] - 1) & mask;
        /* Move j into the hole at i unless its home lies cyclically in (i, j]. */
        if ((i <= j) ? (home <= i || home > j) : (home <= i && home > j)) {
            F->tab_key[i] = F->tab_key[j];
            F->tab_val[i] = F->tab_val[j];
            i = j;
        }
    }
    F->tab_key[i] = 0;
    F->tab_used--;
}

static inline uint64_t
fair_key(const struct sim *sim, int s, int r)
{
    return (uint64_t)s * (uint64_t)sim->n + (uint64_t)r;
}

/* Mark resource x changed and make sure a reshare runs at the current time. */
static int
fair_dirty(struct sim *sim, int32_t x)
{
    struct sim__fair *F = sim->fair;

    if (!F->res[x].dirty) {
        F->res[x].dirty = 1;
        F->dirty[F->n_dirty++] = x;
    }
    if (F->reshare_at != sim->now) {
        F->reshare_at = sim->now;
        return sim__push(sim, sim->now, 0, SIM__EV_AUX(SIM__EV_NET, FAIR_EV_RESHARE), NULL);
    }
    return 0;
}

/* Flow f starts sending (joins its uplink's and downlink's lists). */
static int
fair_enter(struct sim *sim, int32_t fi)
{
    struct sim__fair *F = sim->fair;
    struct fair_flow *f = &F->flows[fi];
    struct fair_res *up = &F->res[2 * f->s], *dn = &F->res[2 * f->r + 1];

    f->state = FAIR_SENDING;
    f->has_rate = 0;
    f->ver++;
    f->in_lists = 1;
    f->up_prev = -1;
    f->up_next = up->head;
    if (up->head >= 0) {
        F->flows[up->head].up_prev = fi;
    }
    up->head = fi;
    up->count++;
    f->dn_prev = -1;
    f->dn_next = dn->head;
    if (dn->head >= 0) {
        F->flows[dn->head].dn_prev = fi;
    }
    dn->head = fi;
    dn->count++;
    if (fair_dirty(sim, 2 * f->s) < 0 || fair_dirty(sim, 2 * f->r + 1) < 0) {
        return MPCSIM_ENOMEM;
    }
    return 0;
}

/* Flow f stops sending. */
static int
fair_leave(struct sim *sim, int32_t fi)
{
    struct sim__fair *F = sim->fair;
    struct fair_flow *f = &F->flows[fi];
    struct fair_res *up = &F->res[2 * f->s], *dn = &F->res[2 * f->r + 1];

    if (!f->in_lists) {
        return 0;
    }
    f->in_lists = 0;
    if (f->up_prev >= 0) {
        F->flows[f->up_prev].up_next = f->up_next;
    } else {
        up->head = f->up_next;
    }
    if (f->up_next >= 0) {
        F->flows[f->up_next].up_prev = f->up_prev;
    }
    up->count--;
    if (f->dn_prev >= 0) {
        F->flows[f->dn_prev].dn_next = f->dn_next;
    } else {
        dn->head = f->dn_next;
    }
    if (f->dn_next >= 0) {
        F->flows[f->dn_next].dn_prev = f->dn_prev;
    }
    dn->count--;
    if (fair_dirty(sim, 2 * f->s) < 0 || fair_dirty(sim, 2 * f->r + 1) < 0) {
        return MPCSIM_ENOMEM;
    }
    return 0;
}

/* Wire bytes of the first k segments of the flow's current message. */
static uint64_t
fair_wire_upto(const struct sim *sim, const struct fair_flow *f, uint64_t k)
{
    return k >= f->units ? f->wire : k * (unit_bytes(sim) + sim->cfg.net.transport.header_bytes);
}

/* The flow's next flight starts at the current time. */
static int
fair_flight(struct sim *sim, int32_t fi)
{
    struct fair_flow *f = &sim->fair->flows[fi];
    uint64_t left = f->units - f->seg_done, segs = left;

    if (f->ss) {
        uint64_t w = f->cwnd < sim->wseg ? f->cwnd : sim->wseg;

        segs = w < left ? w : left;
    }
    f->flight_start = sim->now;
    f->flight_segs = segs;
    f->flight_bytes =
        fair_wire_upto(sim, f, f->seg_done + segs) - fair_wire_upto(sim, f, f->seg_done);
    f->rem = (double)f->flight_bytes;
    f->t_upd = sim->now;
    return fair_enter(sim, fi);
}

static int fair_plan(struct sim *sim, int32_t fi);

/* The flow's head message starts at the current time. */
static int
fair_begin(struct sim *sim, int32_t fi)
{
    struct fair_flow *f = &sim->fair->flows[fi];
    const struct fair_msg *m = &sim->fair->msgs[f->head];

    f->units = net_units(sim, sim__payload_len(m->pl));
    f->wire = sim__net_wire_bytes(sim, sim__payload_len(m->pl));
    f->seg_done = 0;
    f->first = sim->now;
    if (f->ss || (sim->first_rtts > 0 && f->rtt > 0.0)) {
        struct sim__link *lk = fair_link(sim, f->s, f->r);

        if (lk == NULL) {
            return MPCSIM_ENOMEM;
        }
        f->cwnd = lk->cwnd;
        if (f->cwnd == 0 || (sim->cfg.net.transport.slow_start_after_idle &&
                             sim->now - lk->link_free > sim->rto_ns)) {
            f->cwnd = sim->cfg.net.transport.initial_window_segments;
        }
        if (sim->first_rtts > 0 && f->rtt > 0.0 && lk->link_free == 0 && lk->last_arrival == 0) {
            /* First use: wait out the handshake (and TLS) outside the sharing. */
            f->first = sim_time_add(sim->now, to_ns(f->rtt * sim->first_rtts));
            lk->link_free = f->first;
            f->state = FAIR_WAITING;
            f->planned = f->first;
            return fair_plan(sim, fi);
        }
    }
    return fair_flight(sim, fi);
}

/* Push the event of flow f: its flight end or ACK return, or its sender's
 * crash if that comes first. */
static int
fair_plan(struct sim *sim, int32_t fi)
{
    struct fair_flow *f = &sim->fair->flows[fi];
    int64_t crash = sim->parties[f->s].crash_at, t;

    if (f->state == FAIR_SENDING) {
        f->planned = f->ipr > 0.0 ? sim_time_add(f->t_upd, to_ns(f->rem * f->ipr)) : f->t_upd;
    }
    t = f->planned < crash ? f->planned : crash;
    f->ver++;
    return sim__push(sim, t, (uint32_t)f->s, SIM__EV_AUX(SIM__EV_NET, FAIR_EV_FLOW),
                     (void *)(uintptr_t)((uint64_t)f->ver << 32 | (uint32_t)fi));
}

/* Bytes of the current flight sent up to the current time. */
static void
fair_settle(struct sim *sim, struct fair_flow *f)
{
    if (f->has_rate && f->state == FAIR_SENDING) {
        double r = f->ipr > 0.0 ? f->rem - (double)(sim->now - f->t_upd) / f->ipr : 0.0;

        f->rem = r > 0.0 ? r : 0.0;
    }
    f->t_upd = sim->now;
}

/* Pop the head message of flow f (its payload reference goes with it). */
static void
fair_pop(struct sim *sim, struct fair_flow *f)
{
    struct sim__fair *F = sim->fair;
    int32_t mi = f->head;
    struct fair_msg *m = &F->msgs[mi];

    sim__payload_release(sim, m->pl);
    m->pl = NULL;
    f->head = m->next;
    if (f->head < 0) {
        f->tail = -1;
    }
    m->next = F->free_msg;
    F->free_msg = mi;
}

/* Free flow fi (its queue is empty and it is not sending). */
static void
fair_drop_flow(struct sim *sim, int32_t fi)
{
    struct sim__fair *F = sim->fair;
    struct fair_flow *f = &F->flows[fi];

    if (F->dense != NULL) {
        F->dense[fair_key(sim, f->s, f->r)] = 0;
    } else {
        fair_tab_del(F, fair_key(sim, f->s, f->r));
    }
    f->ver++;
    f->head = F->free_flow;
    F->free_flow = fi;
}

/* The head message of flow fi has left completely at the current time:
 * the rest of a send (sim__net_send from the crash check on). */
static int
fair_complete(struct sim *sim, int32_t fi)
{
    struct fair_flow *f = &sim->fair->flows[fi];
    const struct fair_msg *m = &sim->fair->msgs[f->head];
    struct sim_party *p = &sim->parties[f->s];
    struct sim__payload *pl = m->pl;
    int64_t first = f->first, left = sim->now, lat;
    struct sim__link *lk = NULL;
    int rc;

    SIM__TRACE_MSG(sim, SIM_TRACE_UPLINK, f->s, f->r, pl, first, left);
    if (sim->need_links) {
        lk = fair_link(sim, f->s, f->r);
        if (lk == NULL) {
            return MPCSIM_ENOMEM;
        }
        lk->link_free = left;
        if (f->ss) {
            lk->cwnd = (uint32_t)(f->cwnd < sim->wseg ? f->cwnd : sim->wseg);
        }
    }
    lat = sim->latency_random ? sample_latency(sim, p, f->r, m->index) : sim->latency_const;
    if (sim->net_faults) {
        rc = send_faulty(sim, p, f->r, pl, lk, m->index, m->depart, sim_time_add(first, m->extra),
                         sim_time_add(left, m->extra), lat, f->rtt);
    } else {
        net_count(sim, p, f->wire, 0);
        rc = net_push(sim, p, f->r, pl, NULL, lk, sim_time_add(sim_time_add(left, m->extra), lat),
                      0);
    }
    fair_pop(sim, f);
    return rc;
}

/* The sender of flow fi crashed at the current time: its current message
 * and every queued one are lost; the current one's whole segments that
 * had left count in `bytes`. */
static void
fair_abort(struct sim *sim, int32_t fi)
{
    struct sim__fair *F = sim->fair;
    struct fair_flow *f = &F->flows[fi];
    struct sim_party *p = &sim->parties[f->s];
    uint64_t unit = unit_bytes(sim) + sim->cfg.net.transport.header_bytes, done = f->seg_done;

    if (f->state == FAIR_SENDING) {
        double sent;

        fair_settle(sim, f);
        sent = (double)f->flight_bytes - f->rem;
        done += sent > 0.0 ? (uint64_t)(sent / (double)unit) : 0;
        done = done < f->units ? done : f->units - 1;
    }
    net_count(sim, p, done * unit, 0);
    while (f->head >= 0) {
        sim->m.messages_lost++;
        SIM__TRACE_MSG(sim, SIM_TRACE_LOST, f->s, f->r, F->msgs[f->head].pl,
                       F->msgs[f->head].depart, F->msgs[f->head].depart);
        fair_pop(sim, f);
    }
}

/* A message of flow (s, r) is queued at its departure time. */
static int
fair_start(struct sim *sim, int32_t mi)
{
    struct sim__fair *F = sim->fair;
    struct fair_msg *m = &F->msgs[mi];
    uint64_t key = fair_key(sim, m->from, m->to);
    size_t j = 0;
    int32_t fi;
    struct fair_flow *f;

    if (F->dense != NULL) {
        fi = F->dense[key] - 1;
    } else {
        if ((F->tab_used + 1) * 2 > F->tab_cap && fair_tab_grow(F) < 0) {
            return MPCSIM_ENOMEM;
        }
        j = fair_slot(F, key);
        fi = F->tab_key[j] != 0 ? F->tab_val[j] : -1;
    }
    if (fi >= 0) {
        f = &F->flows[fi];
        F->msgs[f->tail].next = mi;
        f->tail = mi;
        return 0;
    }
    if (F->free_flow >= 0) {
        fi = F->free_flow;
        F->free_flow = F->flows[fi].head;
    } else {
        if (fair_grow((void **)&F->flows, &F->cap_flows, F->n_flows + 1, sizeof(*F->flows)) < 0) {
            return MPCSIM_ENOMEM;
        }
        fi = (int32_t)F->n_flows++;
        F->flows[fi].ver = 0;
    }
    if (F->dense != NULL) {
        F->dense[key] = fi + 1;
    } else {
        F->tab_key[j] = key + 1;
        F->tab_val[j] = fi;
        F->tab_used++;
    }
    f = &F->flows[fi];
    f->s = m->from;
    f->r = m->to;
    f->head = f->tail = mi;
    f->in_lists = 0;
    f->stamp = 0;
    f->rtt = sim->cfg.net.n_regions > 0
                 ? typical_latency_ns(sim, f->s, f->r) + typical_latency_ns(sim, f->r, f->s)
                 : sim->rtt_ns;
    f->ss = sim->slow_start && sim->need_links && f->rtt > 0.0;
    f->cap_ipr = sim->windowed && !sim->slow_start && f->rtt > 0.0
                     ? f->rtt / sim->cfg.net.transport.window_bytes
                     : 0.0;
    return fair_begin(sim, fi);
}

/* Flow event: a flight ended, its ACKs returned, or its sender crashed. */
static int
fair_flow_event(struct sim *sim, int32_t fi)
{
    struct sim__fair *F = sim->fair;
    struct fair_flow *f = &F->flows[fi];
    int64_t wake;
    int rc;

    if (sim->now < f->planned) { /* the sender's crash came first */
        rc = fair_leave(sim, fi);
        fair_abort(sim, fi);
        fair_drop_flow(sim, fi);
        return rc;
    }
    if (f->state == FAIR_WAITING) {
        return fair_flight(sim, fi);
    }
    rc = fair_leave(sim, fi);
    if (rc < 0) {
        return rc;
    }
    f->seg_done += f->flight_segs;
    if (f->ss) {
        f->cwnd += f->flight_segs; /* one segment per ACKed segment */
        f->cwnd = f->cwnd < sim->wseg ? f->cwnd : sim->wseg;
    }
    if (f->seg_done < f->units) {
        wake = sim_time_add(f->flight_start, to_ns(f->rtt));
        if (wake <= sim->now) {
            return fair_flight(sim, fi);
        }
        f->state = FAIR_WAITING;
        f->planned = wake;
        return fair_plan(sim, fi);
    }
    rc = fair_complete(sim, fi);
    f = &F->flows[fi];
    if (rc < 0) {
        return rc;
    }
    if (f->head >= 0) {
        return fair_begin(sim, fi);
    }
    fair_drop_flow(sim, fi);
    return 0;
}

/* Heap of saturation levels, ordered by (level, id). */
static inline int
fair_heap_less(const struct fair_heap_ent *a, const struct fair_heap_ent *b)
{
    return a->level < b->level || (a->level == b->level && a->id < b->id);
}

static int
fair_heap_push(struct sim__fair *F, size_t *n, double level, uint32_t id, uint32_t ver)
{
    size_t i = (*n)++;

    if (fair_grow((void **)&F->heap, &F->cap_heap, *n, sizeof(*F->heap)) < 0) {
        return MPCSIM_ENOMEM;
    }
    F->heap[i].level = level;
    F->heap[i].id = id;
    F->heap[i].ver = ver;
    while (i > 0) {
        size_t up = (i - 1) / 2;
        struct fair_heap_ent t;

        if (!fair_heap_less(&F->heap[i], &F->heap[up])) {
            break;
        }
        t = F->heap[i];
        F->heap[i] = F->heap[up];
        F->heap[up] = t;
        i = up;
    }
    return 0;
}

static struct fair_heap_ent
fair_heap_pop(struct sim__fair *F, size_t *n)
{
    struct fair_heap_ent top = F->heap[0];
    size_t i = 0;

    F->heap[0] = F->heap[--*n];
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        struct fair_heap_ent t;

        if (l < *n && fair_heap_less(&F->heap[l], &F->heap[m])) {
            m = l;
        }
        if (l + 1 < *n && fair_heap_less(&F->heap[l + 1], &F->heap[m])) {
            m = l + 1;
        }
        if (m == i) {
            break;
        }
        t = F->heap[i];
        F->heap[i] = F->heap[m];
        F->heap[m] = t;
        i = m;
    }
    return top;
}

/* Resource x's saturation level with its k unfrozen flows (bytes/ns), or
 * push nothing when it is unlimited or has no unfrozen flow. */
static int
fair_push_res(struct sim__fair *F, size_t *n, int32_t x)
{
    struct fair_res *rs = &F->res[x];
    double c;

    rs->ver++;
    if (rs->k <= 0 || rs->nspb <= 0.0) {
        return 0;
    }
    c = 1.0 / rs->nspb - rs->fs;
    return fair_heap_push(F, n, (c > 0.0 ? c : 0.0) / rs->k, (uint32_t)x, rs->ver);
}

/* Freeze flow fi at `ipr` ns per byte; the other resources lose its rate. */
static void
fair_freeze(struct sim__fair *F, int32_t fi, double ipr, int32_t except)
{
    struct fair_flow *f = &F->flows[fi];
    int32_t xs[2] = {2 * f->s, 2 * f->r + 1};

    f->frozen = 1;
    f->new_ipr = ipr;
    for (int k = 0; k < 2; k++) {
        struct fair_res *rs = &F->res[xs[k]];

        if (xs[k] == except) {
            continue;
        }
        rs->k--;
        rs->fs += ipr > 0.0 ? 1.0 / ipr : 0.0;
        rs->ver++; /* its heap entry is now a lower bound: re-pushed when popped */
    }
}

static int
fair_comp_add_res(struct sim__fair *F, size_t *nr, int32_t x)
{
    if (F->res[x].stamp == F->stamp) {
        return 0;
    }
    if (fair_grow((void **)&F->comp_res, &F->cap_comp_res, *nr + 1, sizeof(int32_t)) < 0) {
        return MPCSIM_ENOMEM;
    }
    F->res[x].stamp = F->stamp;
    F->comp_res[(*nr)++] = x;
    return 0;
}

/* Recompute the rates of the flows connected to the dirty resources. */
static int
fair_reshare(struct sim *sim)
{
    struct sim__fair *F = sim->fair;
    size_t nr = 0, nf = 0, nh = 0;

    F->reshare_at = -1;
    F->stamp++;
    for (size_t i = 0; i < F->n_dirty; i++) {
        F->res[F->dirty[i]].dirty = 0;
        if (fair_comp_add_res(F, &nr, F->dirty[i]) < 0) {
            return MPCSIM_ENOMEM;
        }
    }
    F->n_dirty = 0;
    /* The connected component: resources <-> the flows sending through them. */
    for (size_t i = 0; i < nr; i++) {
        int32_t x = F->comp_res[i], up = (x & 1) == 0;
        int32_t fi = F->res[x].head;

        while (fi >= 0) {
            struct fair_flow *f = &F->flows[fi];

            if (f->stamp != F->stamp) {
                f->stamp = F->stamp;
                if (fair_grow((void **)&F->comp_flows, &F->cap_comp_flows, nf + 1,
                              sizeof(int32_t)) < 0 ||
                    fair_comp_add_res(F, &nr, up ? 2 * f->r + 1 : 2 * f->s) < 0) {
                    return MPCSIM_ENOMEM;
                }
                F->comp_flows[nf++] = fi;
                f->frozen = 0;
            }
            fi = up ? f->up_next : f->dn_next;
        }
    }
    /* Progressive filling. */
    for (size_t i = 0; i < nr; i++) {
        struct fair_res *rs = &F->res[F->comp_res[i]];

        rs->k = rs->count;
        rs->fs = 0.0;
        if (fair_push_res(F, &nh, F->comp_res[i]) < 0) {
            return MPCSIM_ENOMEM;
        }
    }
    for (size_t i = 0; i < nf; i++) {
        const struct fair_flow *f = &F->flows[F->comp_flows[i]];

        if (f->cap_ipr > 0.0 && fair_heap_push(F, &nh, 1.0 / f->cap_ipr,
                                               (uint32_t)F->comp_flows[i] | 1u << 31, 0) < 0) {
            return MPCSIM_ENOMEM;
        }
    }
    while (nh > 0) {
        struct fair_heap_ent e = fair_heap_pop(F, &nh);

        if (e.id & 1u << 31) {
            int32_t fi = (int32_t)(e.id & ~(1u << 31));

            if (!F->flows[fi].frozen) {
                fair_freeze(F, fi, F->flows[fi].cap_ipr, -1);
            }
        } else {
            int32_t x = (int32_t)e.id, up = (x & 1) == 0;
            struct fair_res *rs = &F->res[x];
            /* k x ns per byte exactly while nothing is frozen on it. */
            double avail = fmax(1.0 / rs->nspb - rs->fs, 1e-9 / rs->nspb);
            double ipr = rs->fs == 0.0 ? rs->k * rs->nspb : rs->k / avail;
            int32_t fi = rs->head;

            if (e.ver != rs->ver) {
                /* Flows froze elsewhere since: its level only rose. */
                if (fair_push_res(F, &nh, x) < 0) {
                    return MPCSIM_ENOMEM;
                }
                continue;
            }
            while (fi >= 0) {
                struct fair_flow *f = &F->flows[fi];

                if (!f->frozen) {
                    fair_freeze(F, fi, ipr, x);
                }
                fi = up ? f->up_next : f->dn_next;
            }
            rs->k = 0;
        }
    }
    /* Re-plan the flows whose rate changed. */
    for (size_t i = 0; i < nf; i++) {
        int32_t fi = F->comp_flows[i];
        struct fair_flow *f = &F->flows[fi];
        double ipr = f->frozen ? f->new_ipr : 0.0; /* nothing limits it */

        if (f->has_rate && ipr == f->ipr) {
            continue;
        }
        fair_settle(sim, f);
        f->ipr = ipr;
        f->has_rate = 1;
        if (fair_plan(sim, fi) < 0) {
            return MPCSIM_ENOMEM;
        }
    }
    return 0;
}

/* see sim_int.h */
int
sim__net_event(struct sim *sim, const struct sim__event *ev)
{
    struct sim__fair *F = sim->fair;
    uint64_t id = (uint64_t)(uintptr_t)ev->u.ptr;

    switch (SIM__EV_FROM(ev->aux)) {
    case FAIR_EV_START:
        return fair_start(sim, (int32_t)id);
    case FAIR_EV_FLOW:
        if ((uint32_t)(id >> 32) != F->flows[(uint32_t)id].ver) {
            return 0; /* re-planned since */
        }
        return fair_flow_event(sim, (int32_t)(uint32_t)id);
    default:
        return fair_reshare(sim);
    }
}

/* sim__net_send under fair sharing: count the message, queue it for its
 * departure time. */
static int
fair_send(struct sim *sim, struct sim_party *p, int to, struct sim__payload *pl, int64_t depart,
          int64_t extra_ns)
{
    struct sim__fair *F = sim->fair;
    struct fair_msg *m;
    int32_t mi;
    uint64_t index = 0;

    SIM__TRACE_MSG(sim, SIM_TRACE_SEND, p->id, to, pl, depart, depart);
    if (sim->link_draws) {
        struct sim__link *lk = fair_link(sim, p->id, to);

        if (lk == NULL) {
            return MPCSIM_ENOMEM;
        }
        index = lk->sent++;
    }
    if (F->free_msg >= 0) {
        mi = F->free_msg;
        F->free_msg = F->msgs[mi].next;
    } else {
        if (fair_grow((void **)&F->msgs, &F->cap_msgs, F->n_msgs + 1, sizeof(*F->msgs)) < 0) {
            return MPCSIM_ENOMEM;
        }
        mi = (int32_t)F->n_msgs++;
    }
    if (sim__push(sim, depart, (uint32_t)p->id, SIM__EV_AUX(SIM__EV_NET, FAIR_EV_START),
                  (void *)(uintptr_t)(uint32_t)mi) < 0) {
        F->msgs[mi].pl = NULL;
        F->msgs[mi].next = F->free_msg;
        F->free_msg = mi;
        return MPCSIM_ENOMEM;
    }
    m = &F->msgs[mi];
    m->pl = pl;
    sim__payload_ref(pl);
    m->depart = depart;
    m->extra = extra_ns;
    m->index = index;
    m->next = -1;
    m->from = p->id;
    m->to = to;
    p->res.messages_sent++;
    sim->m.messages++;
    return 0;
}
