/* SPDX-License-Identifier: MIT */
/*
 * sim/network.c - the network model: latency, bandwidth, transports,
 * loss and partitions (SCENARIO.md `network`).
 *
 * A message of w wire bytes sent at local time t by s to r:
 *   1. uplink: FIFO per sender, occupied 8w/bandwidth from
 *      max(t, uplink free);
 *   2. tcp link s->r: FIFO per link at min(bandwidth, window/RTT), RTT =
 *      2 x the link's typical one-way latency (median or mean), occupied
 *      w*RTT/window from max(t, link free); the message has left when both
 *      1 and 2 are done;
 *   3. partitions drop it if t is in a window and s, r are in different
 *      groups; a datagram is lost with probability `loss`;
 *   4. + one latency sample, + rto per lost tcp segment (binomial), + the
 *      adversary's delay; the latency and loss draws of the k-th message
 *      on link s->r come from the streams (seed, purpose, (s, r), k)
 *      (sim/stream.h), so they do not depend on the order of sends;
 *   5. tcp: never before the previous message on the link (in order);
 *   6. downlink: FIFO per receiver in arrival order, the last bit received
 *      at max(arrival, downlink free + 8w/bandwidth); this step is an
 *      ARRIVE event, so only bandwidth-limited runs pay for it.
 * Every duration becomes simulated ns through sim_ns_clamp and every sum
 * of times through sim_time_add: a draw beyond the horizon (2^62 ns) is
 * clamped to it, never undefined behaviour.
 * Per-link state (2, 4's message index and 5) lives in a dense n x n table
 * while that is at most SIM__DENSE_LINK_BYTES, else in a hash table whose
 * entries expire once both times are in the past (only links with traffic
 * in flight are live), unless messages draw latency or loss: then an
 * entry keeps its message index for the whole trial (memory grows with
 * the links used, never beyond the messages sent).  Revisit if a protocol
 * at n > 9459 keeps most links busy.
 */
#include "sim/sim_int.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "common/alloc.h"

#define SIM__DENSE_LINK_BYTES ((uint64_t)2 << 30)

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

/* One latency sample for the index-th message on s->r in ns (random
 * latency only: kept out of line, off the constant-latency hot path). */
static __attribute__((noinline)) int64_t
sample_latency(struct sim *sim, struct sim_party *p, int to, uint64_t index)
{
    const struct sim_network *net = &sim->cfg.net;
    const struct sim_latency *l = &net->latency;
    struct sim_stream st;
    gsl_rng *rng = &st.rng;

    link_stream(&st, sim->lat_key, link_name(p->id, to), index);
    if (net->n_regions > 0) {
        int k = sim->party_region[p->id] * net->n_regions + sim->party_region[to];

        if (l->sigma == 0.0) {
            return to_ns(sim->region_median_ms[k] * 1e6);
        }
        return to_ns(gsl_ran_lognormal(rng, sim->region_zeta[k], l->sigma));
    }
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
        return to_ns(gsl_ran_lognormal(rng, sim->latency_zeta, l->sigma));
    case SIM_LATENCY_EXPONENTIAL:
        return to_ns(gsl_ran_exponential(rng, l->mean_ms * 1e6));
    case SIM_LATENCY_PARETO:
        return to_ns(gsl_ran_pareto(rng, l->alpha, l->min_ms * 1e6));
    }
    return sim->latency_const;
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
    sim->ns_per_byte = net->bandwidth_mbps > 0.0 ? 8e3 / net->bandwidth_mbps : 0.0;
    sim->latency_random = 1;
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
            sim->latency_random = 0;
            sim->latency_const = to_ns(typical_latency_ns(sim, 0, 0));
        }
        if (l->kind == SIM_LATENCY_LOGNORMAL) {
            sim->latency_zeta = log(l->median_ms * 1e6);
        }
    }
    for (int i = 0; i < n; i++) {
        adversary |= sim->parties[i].behaviour != SIM_HONEST;
    }
    sim->link_draws = sim->latency_random || net->loss > 0.0;
    sim->windowed = sim->tcp && net->transport.window_bytes > 0;
    sim->in_order = sim->tcp;
    sim->need_links = (sim->tcp && ((any_rtt && net->transport.window_bytes > 0) ||
                                    sim->latency_random || net->loss > 0.0 || adversary)) ||
                      sim->link_draws;
    if (sim->need_links) {
        uint64_t nn = (uint64_t)n * (uint64_t)n;

        if (nn * sizeof(struct sim__link) <= SIM__DENSE_LINK_BYTES) {
            sim->links_dense = mpcsim_calloc((size_t)nn, sizeof(struct sim__link));
            if (sim->links_dense == NULL) {
                return MPCSIM_ENOMEM;
            }
            sim__pool_advise(sim->links_dense, (size_t)nn * sizeof(struct sim__link));
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
    return s->key != 0 &&
           (sim->link_draws || s->link.link_free > now || s->link.last_arrival > now);
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
        return &sim->links_dense[key - 1];
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
        sim->links_hash_used++;
    }
    return &sim->links_hash[j].link;
}

/* see sim_int.h */
uint64_t
sim__net_wire_bytes(const struct sim *sim, size_t len)
{
    const struct sim_transport *t = &sim->cfg.net.transport;

    if (sim->tcp) {
        uint64_t segs = len == 0 ? 1 : ((uint64_t)len + t->mss - 1) / t->mss;

        return (uint64_t)len + segs * t->header_bytes;
    }
    return (uint64_t)len + t->header_bytes;
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

static int
partitioned(const struct sim *sim, int s, int r, int64_t t)
{
    for (int k = 0; k < sim->cfg.net.n_partitions; k++) {
        const struct sim_partition *pt = &sim->partitions[k];

        if (t >= pt->from_ns && t < pt->to_ns && partition_group(pt, s) != partition_group(pt, r)) {
            return 1;
        }
    }
    return 0;
}

/* see sim_int.h */
int
sim__net_send(struct sim *sim, struct sim_party *p, int to, struct sim__payload *pl, int64_t depart,
              int64_t extra_ns)
{
    const struct sim_network *net = &sim->cfg.net;
    uint64_t wire = sim__net_wire_bytes(sim, pl->len);
    int64_t left = depart, arrive;
    struct sim__link *lk = NULL;
    uint64_t index = 0;
    int rc;

    p->res.messages_sent++;
    p->res.bytes_sent += wire;
    sim->m.messages++;
    sim->m.bytes += wire;
    if (sim->ns_per_byte > 0.0) {
        int64_t start = depart > p->up_free ? depart : p->up_free;

        left = sim_time_add(start, to_ns((double)wire * sim->ns_per_byte));
        p->up_free = left;
    }
    if (sim->need_links) {
        lk = link_get(sim, p->id, to);
        if (lk == NULL) {
            return MPCSIM_ENOMEM;
        }
        if (sim->link_draws) {
            index = lk->sent++;
        }
        if (sim->windowed) {
            double rtt =
                net->n_regions > 0 ? 2.0 * typical_latency_ns(sim, p->id, to) : sim->rtt_ns;

            if (rtt > 0.0) {
                int64_t start = depart > lk->link_free ? depart : lk->link_free;
                int64_t end =
                    sim_time_add(start, to_ns((double)wire * rtt / net->transport.window_bytes));

                lk->link_free = end;
                left = end > left ? end : left;
            }
        }
    }
    if (net->n_partitions > 0 && partitioned(sim, p->id, to, depart)) {
        sim->m.messages_lost++;
        return 0;
    }
    {
        /* Each term is in [0, SIM_HORIZON_NS]: the sum fits a uint64. */
        uint64_t a = (uint64_t)left + (uint64_t)extra_ns +
                     (uint64_t)(sim->latency_random ? sample_latency(sim, p, to, index)
                                                    : sim->latency_const);

        arrive = a > (uint64_t)SIM_HORIZON_NS ? SIM_HORIZON_NS : (int64_t)a;
    }
    if (net->loss > 0.0) {
        struct sim_stream st;

        link_stream(&st, sim->loss_key, link_name(p->id, to), index);
        if (!sim->tcp) {
            if (gsl_rng_uniform(&st.rng) < net->loss) {
                sim->m.messages_lost++;
                return 0;
            }
        } else {
            uint64_t segs =
                pl->len == 0 ? 1 : (pl->len + net->transport.mss - 1) / net->transport.mss;
            unsigned lost = gsl_ran_binomial(&st.rng, net->loss, (unsigned)segs);

            arrive = sim_time_add(arrive, to_ns((double)lost * net->transport.rto_ms * 1e6));
        }
    }
    if (lk != NULL && sim->in_order) {
        if (arrive < lk->last_arrival) {
            arrive = lk->last_arrival;
        }
        lk->last_arrival = arrive;
    }
    rc = sim__push(sim, arrive, (uint32_t)to,
                   SIM__EV_AUX(sim->ns_per_byte > 0.0 ? SIM__EV_ARRIVE : SIM__EV_DELIVER, p->id),
                   pl);
    if (rc < 0) {
        return rc;
    }
    pl->refs++;
    return 0;
}

/* see sim_int.h */
int
sim__net_arrive(struct sim *sim, const struct sim__event *ev)
{
    struct sim_party *r = &sim->parties[ev->party];
    struct sim__payload *pl = ev->u.ptr;
    int64_t tx = to_ns((double)sim__net_wire_bytes(sim, pl->len) * sim->ns_per_byte);
    int64_t end = sim_time_add(r->down_free, tx);
    struct sim__event d = *ev;

    if (end < ev->time) {
        end = ev->time;
    }
    r->down_free = end;
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
