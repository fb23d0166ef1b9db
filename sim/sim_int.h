/* SPDX-License-Identifier: MIT */
/*
 * sim/sim_int.h - the engine's internals, shared by sim/engine.c and
 * sim/network.c only.
 */
#ifndef MPCSIM_SIM_SIM_INT_H
#define MPCSIM_SIM_SIM_INT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sim/queue.h"
#include "sim/sim.h"
#include "sim/stream.h"

/* The queue the engine uses: events grouped by time (default),
 * SIM_QUEUE_RADIX the plain radix heap, SIM_QUEUE_HEAP the 4-ary heap. */
#if defined(SIM_QUEUE_HEAP)
#define SIM__Q struct sim__heapq
#define SIM__Q_INIT sim__heapq_init
#define SIM__Q_CLEAR sim__heapq_clear
#define SIM__Q_PUSH sim__heapq_push
#define SIM__Q_POP sim__heapq_pop
#define SIM__Q_SIZE sim__heapq_size
#define SIM__Q_GROUPING(q, on) ((void)(q), (void)(on))
#define SIM__Q_AHEAD(q, k, out) ((void)(q), (void)(k), (void)(out), 0)
#define SIM__Q_KEEP(q, radix, tq) ((void)(q), (void)(radix), (void)(tq))
#define SIM__Q_PTR_KINDS(q, mask) ((void)(q), (void)(mask))
#elif defined(SIM_QUEUE_RADIX)
#define SIM__Q struct sim__radixq
#define SIM__Q_INIT sim__radixq_init
#define SIM__Q_CLEAR sim__radixq_clear
#define SIM__Q_PUSH sim__radixq_push
#define SIM__Q_POP sim__radixq_pop
#define SIM__Q_SIZE sim__radixq_size
#define SIM__Q_GROUPING(q, on) ((void)(q), (void)(on))
#define SIM__Q_AHEAD sim__radixq_ahead
#define SIM__Q_KEEP(q, radix, tq) ((q)->cache = (radix), (void)(tq))
#define SIM__Q_PTR_KINDS(q, mask) ((void)(q), (void)(mask))
#else
#define SIM__Q struct sim__timeq
#define SIM__Q_INIT sim__timeq_init
#define SIM__Q_CLEAR sim__timeq_clear
#define SIM__Q_PUSH sim__timeq_push
#define SIM__Q_POP sim__timeq_pop
#define SIM__Q_SIZE sim__timeq_size
#define SIM__Q_GROUPING sim__timeq_set_grouping /* on an empty queue */
#define SIM__Q_AHEAD sim__timeq_ahead
#define SIM__Q_KEEP(q, radix, tq) ((q)->heap.cache = (radix), (q)->keep = (tq))
#define SIM__Q_PTR_KINDS(q, mask) ((q)->ptr_kinds = (mask))
#endif
#define SIM__Q_PEAK(q) ((q)->peak)

/* see sim.h: memory kept between a thread's trials. */
struct sim_pool {
    struct sim__chunk_cache radix; /* the radix heap's block chunks */
    struct sim__tq_keep tq;        /* the grouped queue's block chunks */
};

/* Event kinds (top 4 bits of sim__event.aux; the low 28 bits are `from`). */
enum {
    SIM__EV_DELIVER = 1, /* u.ptr = payload: on_message */
    SIM__EV_ARRIVE,      /* u.ptr = payload: reaches the receiver's downlink */
    SIM__EV_TIMER,       /* u.id = timer id */
    SIM__EV_CRASH,       /* party crashes (at_ns) */
    SIM__EV_NET,         /* the fair-sharing network model (sim/network.c) */
    SIM__EV_DELIVER_IMM, /* a DELIVER whose message is in the event (below) */
    SIM__EV_ARRIVE_IMM   /* an ARRIVE whose message is in the event (below) */
};
/* An ARRIVE event's `party` holds the receiver in its low 20 bits
 * (SIM_MAX_PARTIES <= 2^20) and the message's wire bytes in the top 12
 * when they are below 4096 (else 0: read the payload), so that the
 * downlink step need not touch the payload, which the DELIVER it queues
 * reads later. */
#define SIM__EV_PARTY_BITS 20
#define SIM__EV_PARTY(party) ((party) & ((UINT32_C(1) << SIM__EV_PARTY_BITS) - 1))
#define SIM__EV_WIRE_MAX ((UINT32_C(1) << (32 - SIM__EV_PARTY_BITS)) - 1)
#define SIM__EV_WIRE(party) ((party) >> SIM__EV_PARTY_BITS)
_Static_assert(SIM_MAX_PARTIES <= (1 << SIM__EV_PARTY_BITS), "a party id fits 20 bits");
#define SIM__EV_KIND(aux) ((aux) >> 28)
#define SIM__EV_FROM(aux) ((int)((aux)&0x0fffffffu))
#define SIM__EV_AUX(kind, from) (((uint32_t)(kind) << 28) | (uint32_t)(from))

/*
 * An immediate message: one of up to 9 bytes, sent in a round of at most
 * 15 at a causal depth of at most 15 over the default path (an honest
 * sender, fifo sharing, no tls, handshake, loss or partitions, no trace),
 * travels in its event instead of a payload block - every input share of
 * a Shamir or additive sum, most of a large trial's pending messages.  Its
 * DELIVER_IMM or ARRIVE_IMM event holds
 *
 *   u.id   data bytes 0 .. 7, byte i in bits 8i .. 8i + 7 (zero past len)
 *   aux    kind << 28 | data byte 8 << 20 | from (20 bits)
 *   party  len << 28 | round << 24 | depth << 20 | receiver (20 bits)
 *
 * so that it costs no allocation, no reference count and no cache line of
 * its own (16 bytes per pending message less).  Its wire bytes follow from
 * len.  Anything else is a payload (below).
 */
#define SIM__IMM_MAX_LEN 9u
#define SIM__IMM_MAX_ROUND 15
#define SIM__IMM_MAX_DEPTH 15
#define SIM__IMM_FROM_MASK ((UINT32_C(1) << SIM__EV_PARTY_BITS) - 1)
#define SIM__IMM_LEN(party) ((party) >> 28)
#define SIM__IMM_ROUND(party) ((int)(((party) >> 24) & 15u))
#define SIM__IMM_DEPTH(party) ((int)(((party) >> 20) & 15u))

/* An immediate message: its event's fields (below) and its length. */
struct sim__imm {
    uint64_t id;
    uint32_t party, aux, len;
};

/* The immediate form of the message a sender at `depth` (its handler's;
 * the message's is one more) sends in `round` into *imm - its event's
 * u.id, the fields it adds to the event's party (the receiver's bits
 * aside) and to its aux (the kind and sender aside), and its length -
 * and 1; or 0 when it cannot travel immediate. */
static inline int
sim__imm_pack(const uint8_t *msg, size_t len, int round, int depth, struct sim__imm *imm)
{
    uint64_t v = 0;

    if (len > SIM__IMM_MAX_LEN || round > SIM__IMM_MAX_ROUND || depth + 1 > SIM__IMM_MAX_DEPTH) {
        return 0;
    }
    if (len >= 8) {
        memcpy(&v, msg, 8); /* bytes 0 .. 7 in host order: one load */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        v = __builtin_bswap64(v);
#endif
    } else {
        for (size_t i = 0; i < len; i++) {
            v |= (uint64_t)msg[i] << (8 * i);
        }
    }
    imm->id = v;
    imm->party = (uint32_t)len << 28 | (uint32_t)round << 24 | (uint32_t)(depth + 1) << 20;
    imm->aux = len > 8 ? (uint32_t)msg[8] << 20 : 0;
    imm->len = (uint32_t)len;
    return 1;
}

/* An immediate event's data bytes into buf; returns their number. */
static inline uint32_t
sim__imm_unpack(const struct sim__event *ev, uint8_t buf[SIM__IMM_MAX_LEN])
{
    uint64_t v = ev->u.id;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    memcpy(buf, &v, 8);
    buf[8] = (uint8_t)(ev->aux >> 20);
    return SIM__IMM_LEN(ev->party);
}

/*
 * A message's bytes, shared by every delivery of one broadcast (protocols
 * read them bytewise: data need not be aligned).  Two header layouts; both
 * start with the same little-endian 32-bit word, whose bit 0 tells them
 * apart and whose bits 1 .. 22 count the references (a payload has one
 * per queued event - a receiver - and per fair-sharing flow, plus its
 * sender's: at most 2 * SIM_MAX_PARTIES + 1 < 2^22), so taking or
 * dropping one is one add to that word whatever the layout; and both keep
 * the round at bytes 4 .. 5.
 *
 *   compact  bit 0 set.  Class 0, a 16-byte block: byte 3 is the length
 *            (0 .. 9), bytes 4 .. 5 the round, byte 6 the depth, then up
 *            to 9 data bytes - a type byte and one 64-bit share, as most
 *            messages of a large Shamir or additive sum.  Taken when
 *            len <= 9 and depth <= 255.
 *   full     bit 0 clear; bits 23 .. 29 hold the class: 1 .. 10 (24 B,
 *            then 32 B << (class - 2) up to 8 KiB) or SIM__PAYLOAD_BIG
 *            (malloc'd); struct sim__payload, a 14-byte header.
 *
 * Read the fields and count references only through the accessors below.
 */
struct sim__payload {
    uint32_t word;  /* bit 0 | refs << 1 | class << 23 (full) or len << 24 (compact), LE */
    uint16_t round; /* the protocol round the sender stated */
    int32_t depth;  /* sender's depth + 1 (compact: byte 6 alone) */
    uint32_t len;   /* full only */
    uint8_t data[];
} __attribute__((packed));
#define SIM__PAYLOAD_HDR offsetof(struct sim__payload, data) /* 14 */
#define SIM__PAYLOAD_BIG 0x7fu
#define SIM__PAYLOAD_COMPACT_HDR 7u
#define SIM__PAYLOAD_COMPACT_LEN 9u    /* data bytes in a compact block */
#define SIM__PAYLOAD_COMPACT_DEPTH 255 /* the largest compact depth */
#define SIM__PAYLOAD_CLASSES 11
static inline size_t
sim__payload_class_bytes(unsigned cls)
{
    return cls == 0 ? 16u : cls == 1 ? 24u : (size_t)32 << (cls - 2);
}
/* The bytes a len-byte message's payload takes at depth <= 255 (its slab
 * block, or header and data when malloc'd). */
size_t sim__payload_bytes(size_t len);

#define SIM__PL_REFS_SHIFT 1
#define SIM__PL_REFS_MASK ((UINT32_C(1) << 22) - 1)
#define SIM__PL_CLASS_SHIFT 23

/* The header's first word, little-endian whatever the host. */
static inline uint32_t
sim__payload_word(const struct sim__payload *pl)
{
    uint32_t w;

    memcpy(&w, pl, sizeof(w));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap32(w);
#endif
    return w;
}
static inline void
sim__payload_set_word(struct sim__payload *pl, uint32_t w)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap32(w);
#endif
    memcpy(pl, &w, sizeof(w));
}
static inline int
sim__payload_compact(const struct sim__payload *pl)
{
    return *(const uint8_t *)pl & 1u;
}
static inline uint32_t
sim__payload_len(const struct sim__payload *pl)
{
    return sim__payload_compact(pl) ? ((const uint8_t *)pl)[3] : pl->len;
}
static inline int
sim__payload_round(const struct sim__payload *pl)
{
    return pl->round;
}
static inline int
sim__payload_depth(const struct sim__payload *pl)
{
    return sim__payload_compact(pl) ? ((const uint8_t *)pl)[6] : pl->depth;
}
static inline const uint8_t *
sim__payload_data(const struct sim__payload *pl)
{
    return (const uint8_t *)pl +
           (sim__payload_compact(pl) ? SIM__PAYLOAD_COMPACT_HDR : SIM__PAYLOAD_HDR);
}
/* One more reference (a queued event or a flow now holds the payload). */
static inline void
sim__payload_ref(struct sim__payload *pl)
{
    uint32_t w = sim__payload_word(pl);

    MPCSIM_ASSERT((~w & SIM__PL_REFS_MASK << SIM__PL_REFS_SHIFT) != 0); /* below the maximum */
    sim__payload_set_word(pl, w + (UINT32_C(1) << SIM__PL_REFS_SHIFT));
}

/* Per-link state: TCP link transmission (window limit, congestion
 * window), the index of the next message (the key of its draws) and
 * in-order arrival.  last_arrival == SIM__LINK_FAILED: the tcp connection
 * timed out in a partition, and nothing more crosses the link.  The dense
 * table keeps only the prefix a trial uses (sim.links_stride):
 * SIM__LINK_BYTES_BASE (12) when arrivals on a link are in order anyway
 * and nothing draws (sim.in_order == 0, sim.link_draws == 0: the default
 * constant-latency tcp), SIM__LINK_BYTES_DRAWS (16) when messages draw
 * but arrive in order (datagrams), the whole 24 bytes when sim.in_order.
 * Packed to 4-byte alignment so that 12-byte entries tile: the members
 * are only read and written by name, never through their address. */
struct sim__link {
    int64_t link_free;
    uint32_t cwnd;        /* tcp congestion window in segments (0: not used yet) */
    uint32_t sent;        /* messages sent on the link so far (only when sim.link_draws) */
    int64_t last_arrival; /* read and written only when sim.in_order */
} __attribute__((packed, aligned(4)));
#define SIM__LINK_BYTES_BASE offsetof(struct sim__link, sent)
#define SIM__LINK_BYTES_DRAWS offsetof(struct sim__link, last_arrival)
_Static_assert(SIM__LINK_BYTES_BASE == 12 && SIM__LINK_BYTES_DRAWS == 16 &&
                   sizeof(struct sim__link) == 24,
               "the dense table's strides are prefixes of struct sim__link");

#define SIM__LINK_FAILED INT64_MAX

struct sim__link_slot {
    uint64_t key; /* from * n + to + 1; 0 = empty */
    struct sim__link link;
};

struct sim_party {
    struct sim *sim;
    int id;
    int depth;
    int round;                 /* largest protocol round received */
    int64_t now;               /* local time inside a handler */
    int64_t busy_until;        /* the CPU is free from here */
    uint64_t compute_fs_carry; /* charged compute not yet in `now`: 0 ... 999999 fs */
    int64_t crash_at;          /* scheduled crash time (INT64_MAX: none) */
    int crash_round;           /* crash at the first send of a later round (-1: none) */
    int crashed;
    int in_handler;
    enum sim_behaviour behaviour;
    void *state;
    int setup_done;
    int64_t up_free, down_free;
    /* This party's costs (sim->cost_fs or its profile's scaled table) and
     * link rates in ns per byte (0 = unlimited): set once at sim_create. */
    const uint64_t *cost_fs;
    double up_ns_per_byte, down_ns_per_byte;
    struct sim_party_result res;
};

struct sim__stat {
    char *name;
    double value;
    uint64_t u64;
    int is_int;
};

struct sim {
    struct sim_config cfg; /* copy; pointer members are re-pointed at owned copies */
    const struct sim_protocol *proto;
    const void *params;
    void *trial;
    int trial_setup_done;
    int n;
    struct sim_party *parties;
    /* Base keys of the network's per-message streams (sim/stream.h). */
    uint64_t lat_key, loss_key;
    uint64_t link_lat_key, jitter_key; /* latency.per: link bases; jitter */
    /* Owned copies of the config arrays. */
    int *party_region;
    double *region_median_ms;
    struct sim_partition *partitions;
    int *partition_groups;
    double cost_ns[SIM_OP_COUNT];
    uint64_t cost_fs[SIM_OP_COUNT]; /* the same in femtoseconds (sim_charge is exact in them) */
    uint64_t *profile_cost_fs;      /* n_profiles x SIM_OP_COUNT, scaled by cpu_scale, or NULL */
    /* Network constants. */
    double ns_per_byte;    /* 8e3 / bandwidth_mbps, 0 = unlimited */
    double latency_zeta;   /* ln(median ns) for lognormal */
    int latency_random;    /* latency is drawn (not constant) */
    int base_const;        /* no regions: every link's base is latency_const */
    int latency_plain;     /* per message, no regions, no jitter: one draw per message */
    int64_t latency_const; /* ns, for constant latency */
    double jitter_zeta;    /* ln(median ns) of a lognormal jitter */
    int down_limited;      /* some party's downlink is limited: messages ARRIVE first */
    double *region_zeta;   /* n_regions^2 ln(median ns) */
    double rtt_ns;         /* 2 x typical one-way latency (no regions) */
    int64_t rto_ns, rto_max_ns, conn_timeout_ns; /* tcp retransmission timing */
    int tcp;
    int tls;             /* tcp with TLS records (sim.h SIM_TLS_RECORD_*) */
    int first_rtts;      /* RTTs a link's first use waits: handshake + tls (0 ... 2) */
    int net_opts;        /* tls, handshake or fair sharing: sends leave the default path */
    int need_links;      /* per-link state: tcp window/order, or draws */
    int link_draws;      /* messages draw latency or loss: keep link indices */
    int windowed;        /* tcp with a window: links are throughput-limited */
    int slow_start;      /* windowed with an initial window: flights, cwnd per link */
    uint64_t wseg;       /* the receive window in segments (>= 1) */
    int in_order;        /* tcp, and a later message could arrive before an earlier one */
    int net_faults;      /* loss or partitions: sends take the slow path */
    int imm_path;        /* no net_opts, no net_faults: messages may travel immediate */
    void *links_dense;   /* n*n entries of links_stride bytes, or NULL */
    size_t links_stride; /* sizeof(struct sim__link), SIM__LINK_BYTES_DRAWS or _BASE */
    struct sim__link_slot *links_hash;
    size_t links_hash_cap, links_hash_used;
    struct sim__fair *fair; /* network.sharing: fair (sim/network.c), or NULL */
    int64_t now;            /* time of the event being processed */
    /* Queue. */
    SIM__Q q;
    /* Payload slabs. */
    void *free_list[SIM__PAYLOAD_CLASSES];
    /* Each class's uncarved rest of its newest slab: blocks are cut from
     * [bump, bump_end) when the free list is empty, not all at once (a
     * 90-message trial used to write 10 923 free-list links first). */
    uint8_t *bump[SIM__PAYLOAD_CLASSES], *bump_end[SIM__PAYLOAD_CLASSES];
    void *slabs; /* chain of slabs (first word links) */
    size_t n_slabs;
    uint8_t *scratch;
    size_t scratch_cap;
    /* Results. */
    struct sim_metrics m;
    struct sim_accusation *acc;
    size_t n_acc, acc_cap;
    struct sim__stat *stats;
    size_t n_stats, stats_cap;
    int rc; /* sticky error from a runtime call */
    int ran;
    sim_trace_fn *trace; /* sim.h "Tracing": NULL unless a sink is installed */
    void *trace_ctx;
};

/* sim/network.c */
MPCSIM_NODISCARD int sim__net_init(struct sim *sim);
/* Bytes per link of the dense link table (0: no dense table). */
size_t sim__net_link_bytes(const struct sim *sim);
void sim__net_clear(struct sim *sim);
/* Send payload `pl` (a reference owned by the caller is borrowed) from
 * party `from` to `to`, leaving at `depart`, arriving `extra_ns` later
 * than the network alone would make it. */
MPCSIM_NODISCARD int sim__net_send(struct sim *sim, struct sim_party *from, int to,
                                   struct sim__payload *pl, int64_t depart, int64_t extra_ns);
/* The same for an immediate message; only when sim.imm_path. */
MPCSIM_NODISCARD int sim__net_send_imm(struct sim *sim, struct sim_party *from, int to,
                                       const struct sim__imm *imm, int64_t depart);
/* The delay that `losses` lost transmissions add to one tcp segment: the
 * first costs rtt_ns if `fast` (fast retransmit) else the RTO, each later
 * one the RTO, which starts at rto_ns and doubles up to rto_max_ns
 * (sim.h, struct sim_transport).  Saturates at SIM_HORIZON_NS. */
int64_t sim__tcp_seg_delay(int fast, uint64_t losses, int64_t rtt_ns, int64_t rto_ns,
                           int64_t rto_max_ns);
/* Wire bytes of a `len`-byte message (every unit's header included). */
uint64_t sim__net_wire_bytes(const struct sim *sim, size_t len);
/* An ARRIVE event: queue behind the receiver's downlink, then deliver. */
MPCSIM_NODISCARD int sim__net_arrive(struct sim *sim, const struct sim__event *ev);
/* A SIM__EV_NET event (fair sharing: a message starts, a flow's flight
 * ends or its ACKs return, rates are recomputed).  0 or MPCSIM_ENOMEM. */
MPCSIM_NODISCARD int sim__net_event(struct sim *sim, const struct sim__event *ev);
/* Release the payloads the network still holds (fair sharing); before the
 * payload slabs are freed.  The trial must not run afterwards. */
void sim__net_release(struct sim *sim);

/* sim/engine.c */
/* Hand `r` to the trace sink (sim.h "Tracing"); for SIM_TRACE_ABORT
 * r->msg is the reason (a string).  Call through SIM__TRACE / SIM__TRACE3,
 * which evaluate nothing but the test when no sink is installed. */
void sim__trace_emit(struct sim *sim, struct sim_trace_record *r);
#define SIM__TRACE3(sim, kind, party, peer, round, t0, t1, t2, bytes, msg)                         \
    do {                                                                                           \
        if (__builtin_expect((sim)->trace != NULL, 0)) {                                           \
            struct sim_trace_record r_ = {(kind), (party), (peer),  (round), (t0),                 \
                                          (t1),   (t2),    (bytes), (msg),   NULL};                \
            sim__trace_emit((sim), &r_);                                                           \
        }                                                                                          \
    } while (0)
#define SIM__TRACE(sim, kind, party, peer, round, t0, t1, bytes, msg)                              \
    SIM__TRACE3(sim, kind, party, peer, round, t0, t1, t1, bytes, msg)
/* The per-message hooks, out of line so that the hot path keeps only the
 * test and no value alive for them: a record of `kind` about message `pl`
 * from party `party` to `peer` over [t0, t1] (its wire bytes computed
 * here); a DELIVER of event `ev` after its handler ran (before
 * p->busy_until moves to p->now). */
__attribute__((cold)) void sim__trace_msg(struct sim *sim, enum sim_trace_kind kind, int party,
                                          int peer, const struct sim__payload *pl, int64_t t0,
                                          int64_t t1);
#define SIM__TRACE_MSG(sim, kind, party, peer, pl, t0, t1)                                         \
    do {                                                                                           \
        if (__builtin_expect((sim)->trace != NULL, 0)) {                                           \
            sim__trace_msg((sim), (kind), (party), (peer), (pl), (t0), (t1));                      \
        }                                                                                          \
    } while (0)
#define SIM__TRACE_DELIVER(sim, p, ev, pl)                                                         \
    do {                                                                                           \
        if (__builtin_expect((sim)->trace != NULL, 0)) {                                           \
            sim__trace_deliver((sim), (p), (ev), (pl));                                            \
        }                                                                                          \
    } while (0)
__attribute__((cold)) void sim__trace_deliver(struct sim *sim, const struct sim_party *p,
                                              const struct sim__event *ev,
                                              const struct sim__payload *pl);
MPCSIM_NODISCARD int sim__push(struct sim *sim, int64_t time, uint32_t party, uint32_t aux,
                               void *ptr);
void sim__payload_release(struct sim *sim, struct sim__payload *pl);
void sim__deliver(struct sim *sim, const struct sim__event *ev);
void sim__deliver_imm(struct sim *sim, const struct sim__event *ev);
MPCSIM_NODISCARD int sim__push_id(struct sim *sim, int64_t time, uint32_t party, uint32_t aux,
                                  uint64_t id);

#endif /* MPCSIM_SIM_SIM_INT_H */
