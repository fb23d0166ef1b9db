/* SPDX-License-Identifier: MIT */
/*
 * sim/sim.h - the discrete-event engine's public API: one trial of one
 * protocol among n simulated parties on a simulated network.
 *
 * The engine knows nothing of YAML, of protocols' internals or of the
 * field: a protocol is a `struct sim_protocol` (callbacks), its parameters
 * an opaque pointer.  Time is int64_t nanoseconds.  Events run in order
 * of time, equal times in the order they were scheduled (first-in
 * first-out), so the same config + seed replays exactly: every
 * metric but wall time is identical across runs, machines and threads.
 *
 * Lifecycle of a trial:
 *     sim_create(&sim, &cfg, &protocol, params);   validates cfg
 *     sim_run(sim);                                runs to quiescence
 *     sim_metrics(sim) / sim_party_result(sim, i)  read results
 *     sim_destroy(sim);
 * A `struct sim` is used by one thread; different sims are independent
 * (sweeps run one per thread).
 */
#ifndef MPCSIM_SIM_SIM_H
#define MPCSIM_SIM_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "common/mpcsim.h"
#include "sim/cost.h"

struct sim;       /* one trial (opaque) */
struct sim_party; /* a party's handle inside a trial (opaque) */

#define SIM_NS_PER_MS INT64_C(1000000)
#define SIM_MAX_PARTIES 1000000
/* The largest message sim_send/sim_broadcast accept: 1 GiB.  Larger is
 * MPCSIM_ELIMIT, which sim_run then returns. */
#define SIM_MAX_MESSAGE_BYTES ((size_t)1 << 30)

/* ---------------------------------------------------------------------
 * Configuration (filled by the front end or a test; the engine copies
 * what it keeps, so the caller may free it after sim_create()).
 * ------------------------------------------------------------------- */

enum sim_latency_kind {
    SIM_LATENCY_CONSTANT = 0, /* ms */
    SIM_LATENCY_UNIFORM,      /* min_ms, max_ms */
    SIM_LATENCY_NORMAL,       /* mean_ms, sd_ms; truncated at 0 */
    SIM_LATENCY_LOGNORMAL,    /* median_ms, sigma */
    SIM_LATENCY_EXPONENTIAL,  /* mean_ms */
    SIM_LATENCY_PARETO,       /* min_ms (scale), alpha (shape) */
};

/* A one-way latency distribution (the base, or the jitter added to it:
 * see sim_network.latency_per).  Unused fields are ignored. */
struct sim_latency {
    enum sim_latency_kind kind;
    double ms, min_ms, max_ms, mean_ms, sd_ms, median_ms, sigma, alpha;
};

/*
 * What a latency draw is per (sim_network.latency_per):
 *   MESSAGE: every message draws its own latency (the default; the max
 *            over many draws grows with n, even with one median per pair);
 *   PAIR:    every link's base is the distribution's median (constant:
 *            ms; uniform: (min+max)/2; normal truncated at 0: its median;
 *            lognormal: median_ms; exponential: mean x ln 2; pareto:
 *            min x 2^(1/alpha)), or its region matrix entry;
 *   LINK:    one draw per unordered pair {s, r} and trial, from the stream
 *            keyed by (seed, pair): both directions share it, every message
 *            of the trial sees it, nothing is stored per link (with
 *            regions: lognormal around the matrix entry of each direction
 *            with latency.sigma, one normal deviate per pair).
 * Jitter (has_jitter), drawn per message from (seed, link, message index),
 * is added to the base; tcp keeps each link's arrivals in order, datagrams
 * may overtake one another.
 */
enum sim_latency_per {
    SIM_LATENCY_PER_MESSAGE = 0,
    SIM_LATENCY_PER_PAIR,
    SIM_LATENCY_PER_LINK,
};

enum sim_transport_kind {
    SIM_TRANSPORT_TCP = 0, /* reliable, in order per link; segments + headers */
    SIM_TRANSPORT_DATAGRAM /* one packet per message; loss drops it */
};

/*
 * The largest datagram payload (65 535 - 8 UDP - 20 IPv4 header bytes).
 * A larger datagram message is sent as ceil(len / SIM_DATAGRAM_MAX_BYTES)
 * fragments, each with its own header and its own loss draw; the message
 * arrives only if every fragment does.
 */
#define SIM_DATAGRAM_MAX_BYTES 65507u

/*
 * Fields are used as given (sim_config_init() sets the SCENARIO.md
 * defaults): mss must be >= 1; header_bytes may be 0; window_bytes 0
 * means no window limit.
 *
 * tcp congestion window (with a window limit and initial_window_segments
 * > 0): each link (s, r) keeps a cwnd across the messages of a trial,
 * starting at initial_window_segments (RFC 6928).  A message of S segments
 * leaves in flights of min(cwnd, window/mss) segments; each flight's ACKs
 * (one per segment, no delayed ACK) grow cwnd by one segment per segment
 * (RFC 3465 byte counting, L = 1), and the next flight leaves one RTT
 * after the previous one started, so each flight but the last adds
 * max(0, RTT - flight serialization) of idle time to the message's
 * serialization.  A link idle for longer than the RTO restarts from the
 * initial window when slow_start_after_idle (Linux's
 * tcp_slow_start_after_idle).  initial_window_segments = 0 keeps the
 * fluid model: throughput min(bandwidth, window/RTT) from the first byte.
 *
 * tcp loss (RFC 6298 for the RTO and its backoff, RFC 5681 for fast
 * retransmit): every transmission of a segment is lost independently with
 * probability `loss`, so a segment is sent G times, G geometric with mean
 * 1/(1 - loss).  The first loss of a segment costs one RTT when at least 3
 * later segments of the same message arrived on their first transmission
 * (three duplicate ACKs: fast retransmit), else the RTO (tail loss); each
 * further loss of that segment costs the current RTO, which starts at
 * rto_ms and doubles up to rto_max_ms.  The segment arrives that much
 * later; the message when its last segment has.  Every transmission counts
 * in `bytes` and every one after the first in `retransmissions`.
 * A partition met by a tcp message stalls it: the RTO timer fires at
 * t + rto, then with backoff, from the time t the message met the
 * partition; the first firing whose crossing no partition blocks resends
 * the whole message.  If that firing would come more than
 * connection_timeout_ms after t, the connection (this direction of the
 * link) fails: the message and every later one on it are lost.
 */
struct sim_transport {
    enum sim_transport_kind kind;
    uint32_t mss;                     /* payload bytes per segment (tcp), default 1460 */
    uint32_t header_bytes;            /* per segment (tcp) or per datagram, default 40 */
    uint32_t window_bytes;            /* tcp receive window, default 6291456; 0 = unlimited */
    uint32_t initial_window_segments; /* tcp slow start's initial cwnd, default 10; 0 = none */
    int slow_start_after_idle;        /* restart slow start after an idle RTO, default 1 */
    double rto_ms;                    /* tcp initial retransmission timeout, default 200 */
    double rto_max_ms;                /* tcp RTO backoff cap, default 60000 */
    double connection_timeout_ms; /* tcp: a stall longer than this fails the link, default 30000 */
    int handshake; /* tcp: a link's first use waits one RTT (SYN, SYN-ACK) first, default 0 */
    int tls;       /* tcp: TLS 1.3 records and one more RTT on first use, default 0 */
};

/*
 * tcp options (off by default).  handshake: the first message on a link
 * (s, r) - each direction is its own connection - cannot leave before
 * one RTT after it is sent (the three-way handshake, RFC 9293; its
 * header-only packets are not counted in `bytes`).  tls (TLS 1.3, RFC
 * 8446): one more RTT on first use (ClientHello, ServerHello ... Finished;
 * their bytes are not counted either), and every message is sent as
 * records of at most SIM_TLS_RECORD_BYTES plaintext bytes, each adding
 * SIM_TLS_RECORD_OVERHEAD bytes (5-byte record header, 1-byte inner
 * content type, 16-byte AEAD tag) before it is cut into segments: a
 * message of p bytes is p + 22 x max(1, ceil(p / 16384)) bytes to tcp,
 * counted in `bytes`.  The first-use wait does not hold the uplink: other
 * messages leave meanwhile.  A link's state is kept for the whole trial
 * when either option is on, so a connection is opened once.
 */
#define SIM_TLS_RECORD_BYTES 16384u
#define SIM_TLS_RECORD_OVERHEAD 22u

/*
 * Partition: during [from_ns, to_ns), parties in different groups cannot
 * reach each other.  A message crosses the network from when its first
 * byte leaves the sender's uplink until its last byte arrives; if that
 * interval meets the window, a datagram is dropped and a tcp message
 * stalls (struct sim_transport).  Either dense: group[i]
 * is party i's group (n entries); or sparse (group NULL): party i is in
 * listed_group[j] when listed[j] == i (listed ascending, n_listed
 * entries), else in group `rest` - so 5000 partitions of 10^5 parties
 * cost what the scenario lists, not 5000 x 10^5 ints.
 */
struct sim_partition {
    int64_t from_ns, to_ns;
    const int *group; /* n entries, or NULL (sparse) */
    int n_listed;
    const int *listed;       /* n_listed party ids, ascending */
    const int *listed_group; /* n_listed groups */
    int rest;                /* the group of every party not listed */
};

/*
 * How the messages a party has on its links share its uplink and their
 * receivers' downlinks (sim_network.sharing):
 *   FIFO: the default: one message at a time per uplink and per downlink,
 *         in send (arrival) order; a small message waits behind a large one.
 *   FAIR: a flow-level model.  The messages from s to r form one flow (a
 *         FIFO of messages: one tcp connection, or one datagram socket);
 *         every flow that has bytes to send at time t gets the max-min fair
 *         rate over the constraints it crosses - the sender's uplink, the
 *         receiver's downlink (capacities 1/up_ns_per_byte and
 *         1/down_ns_per_byte) and, for tcp with initial_window_segments 0,
 *         its own window_bytes/RTT - computed by progressive filling
 *         (every unfrozen flow's rate rises together; a constraint that
 *         saturates freezes the flows crossing it), unweighted: no 1/RTT
 *         weights (SimGrid's LV08 has them), because the window and
 *         slow-start limits already model RTT explicitly.  With slow start
 *         a flow sends a flight of min(cwnd, window/mss) segments at its
 *         rate, then leaves the sharing until one RTT after the flight
 *         started (its ACKs), when cwnd has grown by the flight and the
 *         next flight starts: a window-limited flow leaves capacity to the
 *         others.  Rates are recomputed when a flow starts sending, ends a
 *         flight or ends, once per simulated time, over the flows connected
 *         to the change only, and completion times are re-planned; a crash
 *         of the sender at c ends its flows at c (the whole segments that
 *         had left count in `bytes`, nothing arrives); partitions and loss
 *         act as with FIFO on the interval [first byte left, last byte
 *         arrived].  The downlink is a constraint of the flow, not a second
 *         queue: arrival = last byte left + latency.  One flow at a time
 *         behaves as FIFO does.
 */
enum sim_sharing {
    SIM_SHARING_FIFO = 0,
    SIM_SHARING_FAIR,
};

struct sim_network {
    struct sim_latency latency;
    /* Regions: if n_regions > 0, the one-way latency of a message from a
     * party in region r to one in region s is lognormal with median
     * region_median_ms[r * n_regions + s] and latency.sigma (constant if
     * sigma is 0); `latency.kind` is then ignored. */
    int n_regions;
    const int *party_region;          /* n entries */
    const double *region_median_ms;   /* n_regions^2 entries */
    double bandwidth_mbps;            /* per-party uplink and downlink; 0 = unlimited */
    enum sim_latency_per latency_per; /* see enum sim_latency_per; default MESSAGE */
    int has_jitter;                   /* add a draw of `jitter` to every message */
    struct sim_latency jitter;
    struct sim_transport transport;
    double loss;              /* per segment (tcp) or per message (datagram), in [0, 1) */
    enum sim_sharing sharing; /* default FIFO */
    int n_partitions;
    const struct sim_partition *partitions;
};

/*
 * A crash: at a simulated time, or at a protocol round (the round numbers
 * the protocol states in sim_send/sim_broadcast).  A party crashed at
 * round r has sent its messages of rounds <= r and nothing after: it
 * crashes when it first tries to send a message of a round > r (so a
 * party that never sends again does not crash); r = 0 crashes it before
 * it sends anything.
 */
struct sim_crash {
    int party;
    int64_t at_ns; /* used when at_round < 0 */
    int at_round;  /* >= 0: protocol round (see above) */
};
/* A party listed several times crashes at the earliest of its crashes;
 * a time crash is an event, so it happens (and is reported) even if the
 * party has nothing left to do by then. */

enum sim_dropout_at {
    SIM_DROPOUT_START = 0, /* same as at_round 0 */
    SIM_DROPOUT_RANDOM,    /* at a protocol round drawn uniformly in [0, random_max_round] */
    SIM_DROPOUT_ROUND      /* at protocol round `round` (as sim_crash.at_round) */
};
/*
 * Dropout draws are coupled: honest party i draws one uniform U_i per
 * trial from the stream (seed, dropout, i) and drops iff U_i <
 * dropout_probability, so with one seed the dropout sets nest as the
 * probability grows; the round for SIM_DROPOUT_RANDOM comes from another
 * output of the same stream.
 */

struct sim_faults {
    int n_crashes;
    const struct sim_crash *crashes;
    double dropout_probability; /* each honest party independently */
    enum sim_dropout_at dropout_at;
    int dropout_round;
    int random_max_round; /* the protocol's round count, for SIM_DROPOUT_RANDOM */
    int dropout_exempt;   /* parties 0 .. dropout_exempt-1 never drop out (a server) */
};

/* The largest protocol round a message may carry. */
#define SIM_MAX_ROUND 65535

enum sim_behaviour {
    SIM_HONEST = 0,
    SIM_CORRUPT_SHARES,
    SIM_EQUIVOCATE,
    SIM_WITHHOLD,
    SIM_DELAY,
    SIM_WRONG_MAC,
    SIM_BAD_CIPHERTEXT,
    SIM_MALFORMED,
    SIM_BEHAVIOUR_COUNT
};

/* "corrupt_shares", ... as in SCENARIO.md; NULL for out-of-range values. */
const char *sim_behaviour_name(enum sim_behaviour b);

/*
 * A party profile: its own uplink and downlink bandwidth (Mbit/s; 0 =
 * unlimited; SIM_PROFILE_NETWORK = the network's bandwidth_mbps) and a CPU
 * factor multiplying every cost-table entry it charges (> 0; 1 = the
 * table; cost_ns x cpu_scale must stay <= SIM_COST_MAX_NS).
 */
struct sim_profile {
    double uplink_mbps, downlink_mbps;
    double cpu_scale;
};
#define SIM_PROFILE_NETWORK (-1.0)

struct sim_config {
    int n; /* parties, 2 ... SIM_MAX_PARTIES */
    /* The trial seed: all randomness derives from it.  Simulation draws
     * come from keyed streams (sim/stream.h): network draws from
     * (seed, purpose, link (from, to), message index on that link), so
     * the k-th message on a link sees the same draws whatever else the
     * protocol sends; dropouts from (seed, dropout, party). */
    uint64_t seed;
    /* Inputs: inputs[i] has input_len[i] exact integers (borrowed until
     * sim_destroy); inputs == NULL gives every party an empty input. */
    const mpcsim_i128 *const *inputs;
    const size_t *input_len;
    struct sim_network net;
    struct sim_faults faults;
    const enum sim_behaviour *behaviour; /* n entries, NULL = all honest */
    int64_t adversary_delay_ns;          /* SIM_DELAY / SIM_ADV_DELAY: added to the arrival time */
    int64_t round_timeout_ns;            /* protocols' wait before giving up on silent parties */
    const double *cost_ns;               /* SIM_OP_COUNT entries; NULL = sim_cost_default */
    /* Profiles: party i uses profiles[party_profile[i]] (n entries; -1 =
     * the network's bandwidth and cpu_scale 1); party_profile NULL = none. */
    int n_profiles;
    const struct sim_profile *profiles;
    const int *party_profile;
    int64_t max_sim_time_ns; /* 0 = none; past it the trial ends, timed_out = 1 */
    uint64_t max_events;     /* 0 = none; past it sim_run returns MPCSIM_ELIMIT */
    /* 1: protocol randomness (shares, masks, keys) keyed from the OS
     * (libsodium randombytes) instead of the seed; simulation randomness
     * still follows the seed, but outputs no longer replay exactly. */
    int secure_random;
    /* Memory kept between the trials of one thread (sim_pool_create); NULL
     * = none.  Borrowed until sim_destroy. */
    struct sim_pool *pool;
};

/*
 * Memory a thread that runs trials one after another keeps between them
 * (not thread-safe: one per thread).  A trial whose sim_config.pool is
 * set takes its event queue's blocks from here and gives them back at
 * sim_destroy, so the next trial writes its events to pages already
 * mapped instead of faulting fresh ones in, each of which the kernel
 * zeroes: at 10^8 pending events (the n = 10 000 toy all-to-all) that
 * was a third of every trial in a VM.  A pool holds at most what the
 * largest of its trials used (counted by --max-memory's budget while it
 * is held); sim_pool_release frees that and keeps the pool,
 * sim_pool_destroy frees both.  Results do not depend on it.
 *
 * What a pool holds that a trial does not reuse adds to that trial's
 * peak: a trial whose events go to the grouped queue, after one whose
 * events filled the radix heap, peaks at its own need plus the heap's
 * blocks.  So keep a pool only between trials of one shape (mpcsim's
 * workers release it when they move to another sweep point, and after
 * every trial under a memory budget).
 */
struct sim_pool;
/* 0 or MPCSIM_ENOMEM. */
MPCSIM_NODISCARD int sim_pool_create(struct sim_pool **out);
void sim_pool_release(struct sim_pool *pool); /* NULL does nothing */
void sim_pool_destroy(struct sim_pool *pool); /* NULL does nothing */
/* Bytes the pool holds for the next trial. */
size_t sim_pool_bytes(const struct sim_pool *pool);

/*
 * Zero `cfg` and set the SCENARIO.md defaults: n parties, `seed`, constant
 * zero latency, unlimited bandwidth, tcp (mss 1460, header 40, window
 * 6291456, initial window 10 segments, slow start after idle, rto 200 ms, rto max 60 s, connection
 * timeout 30 s), no loss, no faults, all honest, round timeout 5 s.
 */
void sim_config_init(struct sim_config *cfg, int n, uint64_t seed);

/*
 * An estimate of a trial's memory on network `net` with n parties
 * (`adversary`: some party is corrupted), for `mpcsim validate`: the bytes
 * each message of `len` bytes costs while in flight (its queued event and
 * its payload block, as a unicast: a broadcast shares one payload; none
 * when an honest party's message of up to 9 bytes travels in its event on
 * the default network path - no tls, handshake, fair sharing or faults) in
 * *per_message, and the bytes of link state per (sender, receiver) pair,
 * n^2 of them, in *per_pair (0 when links are kept in a hash table, whose
 * slot then counts per message).  From the engine's data structures
 * (sim/queue.h, sim/sim_int.h); a protocol adds its own state.
 */
void sim_memory_shape(const struct sim_network *net, int n, int adversary, size_t len,
                      double *per_message, double *per_pair);

/* ---------------------------------------------------------------------
 * Protocols
 * ------------------------------------------------------------------- */

/* What a party's setup() sees. */
struct sim_protocol_cfg {
    int n;
    int self;
    const mpcsim_i128 *input; /* this party's input vector, exact integers (borrowed) */
    size_t input_len;
    const void *params; /* the protocol's own parameters (borrowed) */
    void *trial;        /* from trial_setup(), shared by all parties; may be NULL */
    enum sim_behaviour behaviour;
    int64_t round_timeout_ns;
    uint8_t key[32]; /* this party's protocol-randomness key (ChaCha20) */
};

enum sim_adv_action {
    SIM_ADV_SEND = 0, /* send msg as (possibly) rewritten */
    SIM_ADV_DROP,     /* do not send */
    SIM_ADV_DELAY     /* send after the scenario's adversary delay */
};

struct sim_protocol {
    const char *name;
    /*
     * Optional.  Called once per trial before any party's setup(), with
     * `cfg0` = party 0's cfg and `trial_key` a key for trial-wide protocol
     * randomness (a dealer).  Stores shared state in *trial_out.  May
     * report offline costs with sim_stat_add(sim, ...).  Returns 0 or
     * MPCSIM_E*.
     */
    int (*trial_setup)(struct sim *sim, void **trial_out, const struct sim_protocol_cfg *cfg0,
                       const uint8_t trial_key[32]);
    void (*trial_teardown)(void *trial);
    /* Allocate per-party state (sim_party_set_state).  0 or MPCSIM_E*. */
    int (*setup)(struct sim_party *p, const struct sim_protocol_cfg *cfg);
    void (*on_start)(struct sim_party *p);
    /* `msg` is a read-only view valid only during the call. */
    void (*on_message)(struct sim_party *p, int from, const uint8_t *msg, size_t len);
    void (*on_timer)(struct sim_party *p, uint64_t timer_id);
    /* Free per-party state.  Called for every party whose setup succeeded. */
    void (*teardown)(struct sim_party *p);
    /*
     * Optional adversary hook, called once per receiver for each message a
     * corrupted party sends (a corrupted party's broadcast is split).  The
     * protocol decides whether `b` applies to this message (SCENARIO.md:
     * only what is sent after input sharing), may rewrite msg[0, *len)
     * in place, up to `cap` bytes, and says what to do with it.  When NULL,
     * SIM_WITHHOLD drops and SIM_DELAY delays every message and other
     * behaviours do nothing.
     */
    enum sim_adv_action (*tamper)(struct sim_party *p, enum sim_behaviour b, int to, uint8_t *msg,
                                  size_t *len, size_t cap);
};

/* ---------------------------------------------------------------------
 * Trial lifecycle
 * ------------------------------------------------------------------- */

/*
 * Create a trial.  Validates `cfg` (MPCSIM_EINVAL on a bad value), draws
 * dropouts, calls trial_setup and every party's setup.  `proto` and
 * `params` are borrowed until sim_destroy().  On success *out owns the
 * trial; on failure *out is untouched and nothing leaks.
 */
MPCSIM_NODISCARD int sim_create(struct sim **out, const struct sim_config *cfg,
                                const struct sim_protocol *proto, const void *params);

/* Free the trial (calls teardown hooks).  NULL does nothing. */
void sim_destroy(struct sim *sim);

/*
 * Start every party (on_start at time 0, in id order) and run events until
 * none is left or max_sim_time_ns passes.  A party's handler for an event
 * at time T runs at local time max(T, when its CPU is free): a busy party
 * handles its events in arrival order.  Returns 0, or MPCSIM_ENOMEM /
 * MPCSIM_ELIMIT (max_events); metrics are filled in either case.  Call
 * once.
 */
MPCSIM_NODISCARD int sim_run(struct sim *sim);

/* ---------------------------------------------------------------------
 * The party runtime: called by protocols from their callbacks.
 * ------------------------------------------------------------------- */

int sim_party_id(const struct sim_party *p);
int sim_party_count(const struct sim_party *p);
/* The party's local time: event time + compute charged so far in this handler. */
int64_t sim_now(const struct sim_party *p);
/* The party's depth: the largest depth among messages it has received. */
int sim_party_depth(const struct sim_party *p);
/* The largest protocol round among messages the party has received (0: none). */
int sim_party_round(const struct sim_party *p);
struct sim *sim_party_sim(struct sim_party *p);
void sim_party_set_state(struct sim_party *p, void *state);
void *sim_party_state(const struct sim_party *p);

/*
 * Send msg[0, len) to party `to` (!= self) as a message of protocol round
 * `round` (1 ... SIM_MAX_ROUND).  A round is one step in which parties
 * send messages that depend only on what they received in earlier rounds
 * (SCENARIO.md "Rounds"); the protocol numbers them as its documentation
 * counts them, and the engine reports the largest round honest parties
 * received before output as `rounds` (causal depth separately).  Only
 * from inside on_start, on_message or on_timer.  The engine copies the
 * bytes; they leave when the compute charged so far has elapsed.  Sends
 * after sim_output or sim_abort are allowed (a party may keep helping);
 * sends leaving at or after the party's crash time vanish (return 0); a
 * message whose last byte would leave the sender's uplink (or its tcp
 * window-limited link) after the crash time delivers nothing (it counts
 * in messages and messages_lost, and the whole segments that had left in
 * `bytes`); and
 * a party crashed at round r crashes at its first send of a later round
 * (what it had sent of earlier rounds still leaves).
 * Returns 0 or MPCSIM_ENOMEM; an MPCSIM_ENOMEM from any runtime call is
 * also sticky: sim_run returns it.
 */
MPCSIM_NODISCARD int sim_send(struct sim_party *p, int to, int round, const uint8_t *msg,
                              size_t len);
/* Send the same bytes to every other party (one shared copy), as sim_send. */
MPCSIM_NODISCARD int sim_broadcast(struct sim_party *p, int round, const uint8_t *msg, size_t len);
/* on_timer(p, id) at local time + `delay_ns` (>= 0); ignored if the party
 * has crashed by then.  0 or MPCSIM_ENOMEM. */
MPCSIM_NODISCARD int sim_set_timer(struct sim_party *p, int64_t delay_ns, uint64_t id);
/* Charge `count` (>= 0) operations of kind `op` to this party's CPU (cost
 * table).  Charges add up exactly in femtoseconds (cost_ns[op] rounded
 * to whole fs once, times a whole count); local time advances by the
 * whole ns of the running total and the party keeps the sub-ns rest for
 * its next charge, so a party's compute_ns is within 1 ns of the exact
 * sum however small each charge.  The engine charges SIM_OP_MESSAGE
 * once per delivered message before on_message.  In setup() the charge
 * delays the party's start. */
void sim_charge(struct sim_party *p, enum sim_op op, double count);
/*
 * The party's output: `len` exact integers (copied; 128-bit so that a
 * GF(2^127 - 1) protocol's |x| < 2^126 fits), over the inputs of the
 * parties flagged in included[0, n) (copied; NULL = all n).  Only the
 * first call counts, and none by a party that has crashed (e.g. earlier in
 * this handler, by sending past its crash round).
 */
MPCSIM_NODISCARD int sim_output(struct sim_party *p, const mpcsim_i128 *values, size_t len,
                                const uint8_t *included);
/* The party gives up knowing something went wrong.  `reason` is copied.
 * Ignored once the party has crashed. */
void sim_abort(struct sim_party *p, const char *reason);
/*
 * The party names `cheater` as having misbehaved.  Recorded only when the
 * accuser is honest: corrupted parties run the protocol's own code, and
 * their claims count for nothing (one rule for every protocol).
 */
void sim_accuse(struct sim_party *p, int cheater);
/* Add to a named per-trial statistic (protocol columns, e.g. offline_bytes). */
MPCSIM_NODISCARD int sim_stat_add(struct sim *sim, const char *name, double value);
/* Add to a named integer statistic (exact: counts, bytes).  A name is
 * either integer or double; mixing them is a programmer error. */
MPCSIM_NODISCARD int sim_stat_add_u64(struct sim *sim, const char *name, uint64_t value);
/* Keep the smallest value reported for a named integer statistic (the
 * first report sets it): a minimum over parties, e.g. Shamir's
 * min_output_shares.  A name is used either with this or with
 * sim_stat_add_u64, never both. */
MPCSIM_NODISCARD int sim_stat_min_u64(struct sim *sim, const char *name, uint64_t value);

/* ---------------------------------------------------------------------
 * Results (valid after sim_run until sim_destroy)
 * ------------------------------------------------------------------- */

struct sim_party_result {
    int honest;       /* behaviour == SIM_HONEST */
    int crashed;      /* crashed or dropped out (at any time) */
    int64_t crash_ns; /* when, if crashed */
    int has_output;
    const mpcsim_i128 *output; /* output_len values, if has_output */
    size_t output_len;
    const uint8_t *included; /* n flags, if has_output */
    int64_t output_ns;       /* local time of sim_output */
    int output_depth;        /* depth when it output */
    int output_round;        /* largest protocol round received when it output */
    int aborted;
    const char *abort_reason; /* if aborted */
    int64_t abort_ns;         /* local time of sim_abort, if aborted */
    /* Wire bytes incl. headers; bytes_sent counts retransmissions too. */
    uint64_t messages_sent, bytes_sent, bytes_received;
    uint64_t messages_received; /* messages delivered to it (handled by on_message) */
    int64_t compute_ns;
};

struct sim_accusation {
    int accuser, accused;
};

struct sim_metrics {
    int64_t latency_ns;       /* max over honest parties that output, 0 if none */
    int64_t latency_p50_ns;   /* median over the same */
    int rounds;               /* max output_round over honest parties that output, 0 if none */
    int depth;                /* max output depth over honest parties that output, 0 if none */
    uint64_t messages;        /* messages sent into the network (not dropped by the sender side) */
    uint64_t bytes;           /* wire bytes: payload + segment headers, every transmission */
    uint64_t max_party_bytes; /* max over parties of bytes sent + received */
    int64_t compute_ns;       /* modelled compute, summed over parties */
    int64_t max_party_compute_ns; /* the largest one party's modelled compute */
    int dropped;                  /* parties that crashed or dropped out */
    uint64_t events;              /* events processed: deliveries, timers, crashes, and
                                     downlink arrivals when bandwidth is limited */
    uint64_t messages_lost;       /* datagrams lost, messages dropped by partitions or crashes */
    uint64_t retransmissions;     /* tcp segment transmissions after the first (loss, partitions) */
    int64_t end_ns;               /* simulated time of the last event */
    int timed_out;                /* stopped by max_sim_time_ns */
    double wall_ms;               /* wall time of sim_run (the only non-deterministic value) */
    size_t peak_pending_events;
};

const struct sim_metrics *sim_metrics(const struct sim *sim);
/* Party i's result (0 <= i < n). */
const struct sim_party_result *sim_party_result(const struct sim *sim, int i);
/* Accusations in the order they were made. */
size_t sim_accusations(const struct sim *sim, const struct sim_accusation **out);
/* Named statistics added with sim_stat_add, in first-added order. */
size_t sim_stat_count(const struct sim *sim);
const char *sim_stat_name(const struct sim *sim, size_t i);
double sim_stat_value(const struct sim *sim, size_t i);
/* Whether statistic i is an integer one (sim_stat_add_u64); its exact value. */
int sim_stat_is_int(const struct sim *sim, size_t i);
uint64_t sim_stat_u64(const struct sim *sim, size_t i);

/* ---------------------------------------------------------------------
 * Tracing (issue 20): typed records of one trial's timeline, for a sink
 * the front end installs (sim/cli/trace.h writes them as a Chrome/Perfetto
 * trace).  Without a sink the engine pays one predictable branch per hook.
 * ------------------------------------------------------------------- */

enum sim_trace_kind {
    /* party sent a message to peer: t0 = local send time, bytes = wire
     * bytes.  Reported as it enters the network: a SIM_TRACE_LOST with
     * the same key may follow. */
    SIM_TRACE_SEND = 0,
    /* The network lost the message just sent (datagram loss, partition):
     * t0 = send time. */
    SIM_TRACE_LOST,
    /* party's uplink busy [t0, t1) with a message to peer. */
    SIM_TRACE_UPLINK,
    /* party's downlink busy [t0, t1) with a message from peer. */
    SIM_TRACE_DOWNLINK,
    /* party handled peer's message: t0 = delivered, t1 = its handler's
     * start, t2 = its end (t2 - t1 = the handler's modelled compute).
     * Reported after the handler, so after the sends it made. */
    SIM_TRACE_DELIVER,
    /* peer's message reached party after it crashed: t0. */
    SIM_TRACE_DROP,
    /* party's handler other than on_message ran [t0, t1] (t1 - t0 = its
     * modelled compute); round = enum sim_trace_handler. */
    SIM_TRACE_HANDLER,
    /* party crashed at t0; round = the round crash's round, -1 for a time crash. */
    SIM_TRACE_CRASH,
    /* party (honest) accused peer at t0. */
    SIM_TRACE_ACCUSE,
    /* party output at t0 (round = largest round received). */
    SIM_TRACE_OUTPUT,
    /* party aborted at t0; text = its reason. */
    SIM_TRACE_ABORT,
    /* Reserved for the network model: a retransmission of a message. */
    SIM_TRACE_RETRANSMIT,
    SIM_TRACE_KIND_COUNT
};

enum sim_trace_handler { SIM_TRACE_SETUP = 0, SIM_TRACE_START, SIM_TRACE_TIMER };

/*
 * One record.  Times are simulated ns; t2 is t1 except for
 * SIM_TRACE_DELIVER.  `peer`, `round` are -1 and `bytes` 0 when they do
 * not apply.  `party` is the sender in SEND, LOST and UPLINK, the
 * receiver in DELIVER, DROP and DOWNLINK (`peer` the other end).  `msg`
 * identifies a message in flight: a SEND and the LOST, DELIVER or DROP
 * that ends it carry the same msg and the same (sender, receiver) (the
 * pointer value itself means nothing and is reused once the message is
 * gone).  `text` is valid during the call only.
 */
struct sim_trace_record {
    enum sim_trace_kind kind;
    int party, peer;
    int round;
    int64_t t0, t1, t2;
    uint64_t bytes;
    const void *msg;
    const char *text;
};

/* Called once per record, in the engine's processing order (not time order). */
typedef void sim_trace_fn(void *ctx, const struct sim_trace_record *rec);

/*
 * Install `fn` (NULL: none) as the trial's trace sink, between sim_create
 * and sim_run.  Setup compute is reported at the start of sim_run.
 */
void sim_trace_set(struct sim *sim, sim_trace_fn *fn, void *ctx);

/* ---------------------------------------------------------------------
 * The toy protocol (tests and bench only): each party broadcasts input[0]
 * as 8 bytes (round 1) and outputs the sum once it heard all n-1 others; it ignores
 * timers and trusts everything.
 * ------------------------------------------------------------------- */
extern const struct sim_protocol sim_toy_protocol;

#endif /* MPCSIM_SIM_SIM_H */
