/* SPDX-License-Identifier: MIT */
/*
 * sim/cli/registry.c - the protocol table.  A protocol issue adds its
 * adapter here: the entry is what makes `protocol: {kind: ...}` run.
 */
#include "sim/cli/registry.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common/alloc.h"
#include "protocols/additive/adapter.h"
#include "protocols/mpc/adapter.h"
#include "protocols/paillier/adapter.h"
#include "protocols/secagg/adapter.h"
#include "protocols/shamir/adapter.h"
#include "sim/cli/scenario.h"

#define BIT(b) (1u << (b))

static const char *
toy_unsupported(const struct scenario *sc)
{
    if (sc->comp.kind != COMPUTATION_SUM || sc->inputs.length != 1) {
        return "the toy protocol computes only `sum` of scalar inputs";
    }
    return NULL;
}

static int
no_params(void **out, const struct scenario *sc)
{
    (void)sc;
    *out = NULL;
    return 0;
}

static void
free_nothing(void *params)
{
    (void)params;
}

static int
one_round(const struct scenario *sc)
{
    (void)sc;
    return 1;
}

/* ---- comparisons: additive and shamir through the shared layer ---- */

static void
mpc_fill(struct mpc_sim_params *p, const struct scenario *sc)
{
    memset(p, 0, sizeof(*p));
    p->mc.comp = sc->comp;
    p->mc.field = sc->protocol.field == FIELD_M61 ? MPC_FIELD_M61 : MPC_FIELD_M127;
    p->mc.ell = sc->protocol.comparison_bits > 0 ? (unsigned)sc->protocol.comparison_bits
                                                 : MPC_DEFAULT_BITS;
    p->mc.kappa = (unsigned)sc->protocol.statistical_security;
    p->scheme = strcmp(sc->protocol.kind, "shamir") == 0 ? MPC_SHAMIR : MPC_ADDITIVE;
    p->t = sc->protocol.threshold;
    p->mac = sc->protocol.mac;
    p->robust = sc->protocol.robust;
    p->inputs_checked = sc->inputs.kind == SCENARIO_INPUT_VALUES;
}

/* The field, and the keys only comparisons read. */
#define MPC_KEYS                                                                                   \
    (SCENARIO_PKEY_FIELD | SCENARIO_PKEY_COMPARISON_BITS | SCENARIO_PKEY_STATISTICAL_SECURITY)
#define MPC_ONLY_KEYS (SCENARIO_PKEY_COMPARISON_BITS | SCENARIO_PKEY_STATISTICAL_SECURITY)

static const char *
mpc_why(const struct scenario *sc)
{
    static _Thread_local char why[256];
    struct mpc_sim_params p;

    if (!computation_is_comparison(sc->comp.kind)) {
        return (sc->protocol.set_mask & MPC_ONLY_KEYS)
                   ? "protocol.comparison_bits and statistical_security apply to the "
                     "comparison computations (sum_threshold, max, second_price, median)"
                   : NULL;
    }
    mpc_fill(&p, sc);
    if (sc->protocol.field == FIELD_M61 && sc->protocol.comparison_bits == 0) {
        return "field m61 needs an explicit protocol.comparison_bits (<= 19 at "
               "statistical_security 40; the default 64 needs field m127)";
    }
    return mpc_sim_unsupported(&p, sc->parties, why, sizeof(why));
}

static int
mpc_make(void **out, const struct scenario *sc)
{
    struct mpc_sim_params *p = mpcsim_calloc(1, sizeof(*p));

    if (p == NULL) {
        return MPCSIM_ENOMEM;
    }
    mpc_fill(p, sc);
    *out = p;
    return 0;
}

static int
mpc_nrounds(const struct scenario *sc)
{
    struct mpc_sim_params p;
    int r;

    mpc_fill(&p, sc);
    r = mpc_sim_rounds(&p, sc->parties);
    return r > 0 ? r : 1;
}

/* see registry.h */
const struct sim_protocol *
registry_protocol(const struct registry_entry *re, const struct scenario *sc)
{
    if (computation_is_comparison(sc->comp.kind) &&
        (strcmp(re->kind, "additive") == 0 || strcmp(re->kind, "shamir") == 0)) {
        return &mpc_protocol;
    }
    return re->proto;
}

/* The shared layer's dealer columns (masks, random bits and integers,
 * triples or double sharings), for additive and Shamir alike. */
static const char *const mpc_columns[] = {"offline_messages", "offline_bytes", "offline_compute_ms",
                                          NULL};

/* see registry.h */
const char *const *
registry_columns(const struct registry_entry *re, const struct scenario *sc)
{
    return registry_protocol(re, sc) == &mpc_protocol ? mpc_columns : re->columns;
}

/* ---- additive ---- */

static void
additive_fill(struct additive_params *p, const struct scenario *sc)
{
    p->comp = sc->comp;
    p->mac = sc->protocol.mac;
    p->field = sc->protocol.field;
}

static const char *
additive_why(const struct scenario *sc)
{
    struct additive_params p;

    if (computation_is_comparison(sc->comp.kind) || (sc->protocol.set_mask & MPC_ONLY_KEYS)) {
        return mpc_why(sc);
    }
    additive_fill(&p, sc);
    return additive_unsupported(&p, sc->parties);
}

static int
additive_make(void **out, const struct scenario *sc)
{
    struct additive_params *p = NULL;

    if (computation_is_comparison(sc->comp.kind)) {
        return mpc_make(out, sc);
    }
    p = mpcsim_calloc(1, sizeof(*p));

    if (p == NULL) {
        return MPCSIM_ENOMEM;
    }
    additive_fill(p, sc);
    *out = p;
    return 0;
}

static int
additive_nrounds(const struct scenario *sc)
{
    struct additive_params p;

    if (computation_is_comparison(sc->comp.kind)) {
        return mpc_nrounds(sc);
    }
    additive_fill(&p, sc);
    return additive_rounds(&p);
}

static const char *const additive_columns[] = {"offline_messages", "offline_bytes",
                                               "offline_compute_ms", NULL};

/* ---- shamir ---- */

static void
shamir_fill(struct shamir_params *p, const struct scenario *sc)
{
    p->comp = sc->comp;
    p->threshold = sc->protocol.threshold;
    p->robust = sc->protocol.robust;
    p->field = sc->protocol.field;
}

static const char *
shamir_why(const struct scenario *sc)
{
    struct shamir_params p;

    if (computation_is_comparison(sc->comp.kind) || (sc->protocol.set_mask & MPC_ONLY_KEYS)) {
        return mpc_why(sc);
    }
    shamir_fill(&p, sc);
    return shamir_unsupported(&p, sc->parties);
}

static int
shamir_make(void **out, const struct scenario *sc)
{
    struct shamir_params *p = NULL;

    if (computation_is_comparison(sc->comp.kind)) {
        return mpc_make(out, sc);
    }
    p = mpcsim_calloc(1, sizeof(*p));

    if (p == NULL) {
        return MPCSIM_ENOMEM;
    }
    shamir_fill(p, sc);
    *out = p;
    return 0;
}

static int
shamir_nrounds(const struct scenario *sc)
{
    struct shamir_params p;

    if (computation_is_comparison(sc->comp.kind)) {
        return mpc_nrounds(sc);
    }
    shamir_fill(&p, sc);
    return shamir_rounds(&p);
}

/* ---- paillier ---- */

static void
paillier_fill(struct paillier_params *p, const struct scenario *sc)
{
    memset(p, 0, sizeof(*p));
    p->comp = sc->comp;
    p->key_bits = sc->protocol.key_bits;
    p->threshold_decryption = sc->protocol.threshold_decryption;
    p->decryption_threshold = sc->protocol.decryption_threshold;
    p->tree_fanout = sc->protocol.tree_fanout;
    p->plain_encryption = sc->protocol.plain_encryption;
    p->fresh_keys = sc->protocol.fresh_keys;
}

static const char *
paillier_why(const struct scenario *sc)
{
    static _Thread_local char why[256];
    struct paillier_params p;

    paillier_fill(&p, sc);
    if (computation_is_comparison(sc->comp.kind)) {
        snprintf(why, sizeof(why),
                 "protocol paillier has no interactive comparison here: %s needs additive or "
                 "shamir",
                 computation_name(sc->comp.kind));
        return why;
    }
    if (!paillier_supports(&sc->comp)) {
        snprintf(why, sizeof(why),
                 "protocol paillier computes sum, weighted_sum and mean, not %s (use shamir or "
                 "additive for products)",
                 computation_name(sc->comp.kind));
        return why;
    }
    if (paillier_params_check(&p, sc->parties, why, sizeof(why)) < 0) {
        return why;
    }
    return NULL;
}

static int
paillier_make(void **out, const struct scenario *sc)
{
    struct paillier_params *p = mpcsim_calloc(1, sizeof(*p));

    if (p == NULL) {
        return MPCSIM_ENOMEM;
    }
    paillier_fill(p, sc);
    *out = p;
    return 0;
}

static int
paillier_nrounds(const struct scenario *sc)
{
    struct paillier_params p;

    paillier_fill(&p, sc);
    return paillier_protocol_rounds(&p, sc->parties);
}

static const char *const shamir_columns[] = {"min_output_shares", NULL};

static const char *const paillier_columns[] = {"offline_bytes", NULL};

/* ---- secagg ---- */

static int
bit_length(mpcsim_u128 v)
{
    int b = 0;

    while (v != 0) {
        b++;
        v >>= 1;
    }
    return b;
}

static mpcsim_u128
abs128(mpcsim_i128 x)
{
    return x < 0 ? 0 - (mpcsim_u128)x : (mpcsim_u128)x;
}

/* Widen [*pos, *negm] (the largest contribution and the largest magnitude
 * of a negative one) by w * x; 0 when the product leaves 128 bits. */
static int
range_add(mpcsim_i128 w, mpcsim_i128 x, mpcsim_u128 *pos, mpcsim_u128 *negm)
{
    mpcsim_u128 c = 0;

    if (__builtin_mul_overflow(abs128(w), abs128(x), &c)) {
        return 0;
    }
    if ((w < 0) != (x < 0) && c != 0) {
        *negm = c > *negm ? c : *negm;
    } else {
        *pos = c > *pos ? c : *pos;
    }
    return 1;
}

/*
 * The bits a client's contribution w_u x_u needs and whether one can be
 * negative: exact (128-bit) for `values` and the uniform distribution
 * (bounded), in two's complement when one can be negative (b bits hold
 * [-2^(b-1), 2^(b-1))), 32 for the unbounded distributions; 128 when
 * |w x| reaches 2^127 (too large for any input_bits).  The server's input
 * (party 0) is not a contribution.
 */
static void
secagg_input_range(const struct scenario *sc, int *bits, int *neg)
{
    const struct scenario_inputs *in = &sc->inputs;
    int weighted = sc->comp.kind == COMPUTATION_WEIGHTED_SUM && sc->comp.weights != NULL;
    mpcsim_u128 pos = 0, negm = 0;
    int wneg = 0, fits = 1;

    for (size_t i = 1; weighted && i < sc->comp.n_weights; i++) {
        wneg |= sc->comp.weights[i] < 0;
    }
    if (in->kind != SCENARIO_INPUT_VALUES && in->kind != SCENARIO_INPUT_UNIFORM) {
        /* normal: either sign; lognormal, pareto, exponential: >= 0 */
        *neg = in->kind == SCENARIO_INPUT_NORMAL || wneg;
        *bits = 32;
        return;
    }
    for (int i = 1; fits && i < sc->parties; i++) {
        mpcsim_i128 w = weighted && (size_t)i < sc->comp.n_weights ? sc->comp.weights[i] : 1;

        if (in->kind == SCENARIO_INPUT_UNIFORM) {
            fits = range_add(w, in->imin, &pos, &negm) && range_add(w, in->imax, &pos, &negm);
            continue;
        }
        for (size_t k = 0; fits && in->values != NULL && k < in->length; k++) {
            fits = range_add(w, in->values[(size_t)i * in->length + k], &pos, &negm);
        }
    }
    *neg = negm != 0;
    if (!fits) {
        *bits = 128;
        return;
    }
    {
        int b = *neg ? 1 + (bit_length(pos) > bit_length(negm - 1) ? bit_length(pos)
                                                                   : bit_length(negm - 1))
                     : bit_length(pos);

        *bits = b < 1 ? 1 : b > 128 ? 128 : b;
    }
}

static void
secagg_fill(struct secagg_params *p, const struct scenario *sc)
{
    int bits = 0, neg = 0;

    memset(p, 0, sizeof(*p));
    p->comp = sc->comp;
    /* `threshold` counts clients here; unset means the protocol's default. */
    p->threshold = (sc->protocol.set_mask & SCENARIO_PKEY_THRESHOLD) ? sc->protocol.threshold : 0;
    secagg_input_range(sc, &bits, &neg);
    p->input_bits = sc->protocol.input_bits > 0 ? sc->protocol.input_bits : bits;
    p->inputs_unsigned = !neg;
    p->result_to_clients = sc->protocol.result_to_clients;
    /* SecAgg+: num_shares and reconstruction_threshold (Flower's names). */
    if (sc->protocol.reconstruction_threshold > 0) {
        p->threshold = sc->protocol.reconstruction_threshold;
    }
    p->num_shares = sc->protocol.num_shares > 0 ? sc->protocol.num_shares : 0;
    if (sc->protocol.num_shares < 0 && sc->parties >= 2) {
        int clients = sc->parties - 1, t = 0;
        int corrupt = !sc->has_adversary              ? 0
                      : sc->adversary.parties != NULL ? sc->adversary.n_parties
                                                      : sc->adversary.count;

        p->num_shares = secagg_auto_shares(clients, sc->faults.dropout_probability,
                                           (double)corrupt / clients, &t);
        if (p->threshold == 0) {
            p->threshold = t;
        }
    }
}

static const char *
secagg_why(const struct scenario *sc)
{
    struct secagg_params p;
    int bits = 0, neg = 0;

    if (computation_is_comparison(sc->comp.kind)) {
        return "protocol secagg has no interactive comparison here (sum_threshold, max, "
               "second_price and median need additive or shamir)";
    }
    secagg_fill(&p, sc);
    secagg_input_range(sc, &bits, &neg);
    if (p.input_bits > SECAGG_MAX_INPUT_BITS) {
        return "secagg inputs (times their weights) need more than 126 bits, sign included "
               "(|w x| < 2^125)";
    }
    if (sc->protocol.input_bits > 0 && bits > sc->protocol.input_bits &&
        (sc->inputs.kind == SCENARIO_INPUT_VALUES || sc->inputs.kind == SCENARIO_INPUT_UNIFORM)) {
        return "an input (times its weight for weighted_sum) needs more than protocol.input_bits "
               "bits (sign bit included); raise input_bits or leave it out";
    }
    return secagg_unsupported(&p, sc->parties);
}

static int
secagg_clients_output(const struct scenario *sc)
{
    return sc->protocol.result_to_clients;
}

static int
secagg_make(void **out, const struct scenario *sc)
{
    struct secagg_params *p = mpcsim_calloc(1, sizeof(*p));

    if (p == NULL) {
        return MPCSIM_ENOMEM;
    }
    secagg_fill(p, sc);
    *out = p;
    return 0;
}

static const char *const secagg_columns[] = {"server_bytes", "server_compute_ms", NULL};

static int
secagg_nrounds(const struct scenario *sc)
{
    struct secagg_params p;

    secagg_fill(&p, sc);
    return secagg_rounds(&p);
}

static void
free_params(void *params)
{
    mpcsim_free(params);
}

/* ---- message counts (issue 20, item 4) ----------------------------------- */

/* `rounds` all-to-all rounds: n(n-1) messages each (sharing, resharing, opening). */
static uint64_t
all_to_all(const struct scenario *sc, int rounds)
{
    uint64_t n = (uint64_t)sc->parties;

    return (uint64_t)(rounds > 0 ? rounds : 1) * n * (n - 1);
}

static uint64_t
additive_messages(const struct scenario *sc)
{
    return all_to_all(sc, additive_nrounds(sc));
}

static uint64_t
shamir_messages(const struct scenario *sc)
{
    return all_to_all(sc, shamir_nrounds(sc));
}

/* Each party's ciphertext to the aggregator and the result back, 2(n-1);
 * threshold decryption adds a partial decryption from every party to every
 * other, n(n-1).  Measured: n = 10, 108 (threshold) and 18 (single). */
static uint64_t
paillier_messages(const struct scenario *sc)
{
    uint64_t n = (uint64_t)sc->parties;

    return 2 * (n - 1) + (sc->protocol.threshold_decryption ? n * (n - 1) : 0);
}

/* A star: every client talks to the server once per round. */
static uint64_t
secagg_messages(const struct scenario *sc)
{
    return (uint64_t)secagg_nrounds(sc) * (uint64_t)(sc->parties - 1);
}

/*
 * secagg's state beyond the messages, from its data structures (adapter.c)
 * for c clients of width W (k + 1 neighbourhood slots, or n) and vectors
 * of L: the server's key table, unmasking shares (40 B per slot) and the
 * SHARES it holds while its FWD copies are queued (2 x 93 B per pair);
 * each client's keys, shares and flags (180 B per slot), its masked
 * vector in flight (ring bytes per entry) and ~1.5 kB of state; the
 * trial's inputs (16 B per entry); and the engine's dense table of n^2
 * links (24 B each, up to 2 GiB; beyond, a hash of the links in use),
 * resident in full although secagg uses 2 n of them (huge pages).
 * Checked against peak RSS in tests/cli/estimate.sh (within 30 %).
 */
static uint64_t
secagg_memory(const struct scenario *sc)
{
    struct secagg_params p;
    uint64_t n = (uint64_t)sc->parties, c = n - 1, L = sc->inputs.length, w;
    int k;

    if (sc->parties < 2) {
        return 0;
    }
    secagg_fill(&p, sc);
    k = secagg_sparse_degree(p.num_shares, sc->parties - 1);
    w = k > 0 ? (uint64_t)k + 1 : n;
    return n * 180 + c * (w - 1) * 2 * 93 + n * w * 41 + /* server */
           c * (w * 180 + L * ((secagg_ring_bits(&p, sc->parties) + 7) / 8) + 1500) +
           n * L * 16 +                                          /* the inputs (128-bit) */
           (n * n * 24 <= (UINT64_C(2) << 30) ? n * n * 24 : 0); /* the dense link table */
}

static const struct registry_entry entries[] = {
    {
        .kind = "additive",
        .messages = additive_messages,
        .summary = "n-of-n additive sharing, Beaver triples, optional SPDZ MACs",
        .proto = &additive_protocol,
        .key_mask = SCENARIO_PKEY_MAC | MPC_KEYS,
        .behaviours = BIT(SIM_CORRUPT_SHARES) | BIT(SIM_EQUIVOCATE) | BIT(SIM_WITHHOLD) |
                      BIT(SIM_DELAY) | BIT(SIM_WRONG_MAC) | BIT(SIM_MALFORMED),
        .unsupported = additive_why,
        .make_params = additive_make,
        .free_params = free_params,
        .rounds = additive_nrounds,
        .columns = additive_columns,
    },
    {
        .kind = "shamir",
        .messages = shamir_messages,
        .summary = "(t, n) Shamir sharing, BGW multiplication, robust reconstruction",
        .proto = &shamir_protocol,
        .key_mask = SCENARIO_PKEY_THRESHOLD | SCENARIO_PKEY_RECONSTRUCTION | MPC_KEYS,
        .behaviours = BIT(SIM_CORRUPT_SHARES) | BIT(SIM_EQUIVOCATE) | BIT(SIM_WITHHOLD) |
                      BIT(SIM_DELAY) | BIT(SIM_MALFORMED),
        .unsupported = shamir_why,
        .make_params = shamir_make,
        .free_params = free_params,
        .rounds = shamir_nrounds,
        .columns = shamir_columns,
    },
    {
        .kind = "paillier",
        .messages = paillier_messages,
        .summary = "Paillier aggregation with t-of-n threshold decryption",
        .proto = &paillier_protocol,
        .key_mask = SCENARIO_PKEY_KEY_BITS | SCENARIO_PKEY_DECRYPTION |
                    SCENARIO_PKEY_DECRYPTION_THRESHOLD | SCENARIO_PKEY_AGGREGATION |
                    SCENARIO_PKEY_FANOUT | SCENARIO_PKEY_ENCRYPTION | SCENARIO_PKEY_FRESH_KEYS,
        .behaviours = BIT(SIM_CORRUPT_SHARES) | BIT(SIM_WITHHOLD) | BIT(SIM_DELAY) |
                      BIT(SIM_BAD_CIPHERTEXT) | BIT(SIM_MALFORMED),
        .unsupported = paillier_why,
        .make_params = paillier_make,
        .free_params = free_params,
        .rounds = paillier_nrounds,
        .columns = paillier_columns,
    },
    {
        .kind = "secagg",
        .messages = secagg_messages,
        .memory = secagg_memory,
        .summary = "Bonawitz et al. secure aggregation (server = party 0), semi-honest",
        .proto = &secagg_protocol,
        .key_mask = SCENARIO_PKEY_THRESHOLD | SCENARIO_PKEY_INPUT_BITS |
                    SCENARIO_PKEY_RESULT_TO_CLIENTS | SCENARIO_PKEY_NUM_SHARES |
                    SCENARIO_PKEY_RECONSTRUCTION_THRESHOLD,
        .behaviours =
            BIT(SIM_CORRUPT_SHARES) | BIT(SIM_WITHHOLD) | BIT(SIM_DELAY) | BIT(SIM_MALFORMED),
        .unsupported = secagg_why,
        .make_params = secagg_make,
        .free_params = free_params,
        .rounds = secagg_nrounds,
        .columns = secagg_columns,
        .server = 1,
        .clients_output = secagg_clients_output,
    },
    {
        .kind = "toy",
        .summary = "test only: everyone broadcasts its input and sums (no privacy)",
        .proto = &sim_toy_protocol,
        .key_mask = 0,
        .behaviours = BIT(SIM_WITHHOLD) | BIT(SIM_DELAY),
        .test_only = 1,
        .unsupported = toy_unsupported,
        .make_params = no_params,
        .free_params = free_nothing,
        .rounds = one_round,
    },
};

/* see registry.h */
const struct registry_entry *
registry_lookup(const char *kind)
{
    for (size_t i = 0; i < sizeof(entries) / sizeof(entries[0]); i++) {
        if (strcmp(entries[i].kind, kind) == 0) {
            return &entries[i];
        }
    }
    return NULL;
}

/* see registry.h */
const struct registry_entry *
registry_all(size_t *count)
{
    *count = sizeof(entries) / sizeof(entries[0]);
    return entries;
}

/*
 * Peak memory of a protocol whose state is its messages (additive,
 * Shamir, Paillier sums): the messages of one round, all in flight at
 * once (every party sends its round's messages at about the same time,
 * and they arrive together), at the engine's cost per message and per
 * link (sim_memory_shape) for the protocol's typical message - a type
 * byte and L field elements of 8 bytes (two with SPDZ MACs), or a
 * Paillier ciphertext - plus 5 MB for the process, and for Shamir about
 * 30 bytes of adapter state per (sender, receiver) pair (a share, an
 * output share, a view group; 21 measured at n = 5000, more at a few
 * hundred parties).  Checked against peak RSS in tests/cli/estimate.sh
 * (within 30 %).
 */
static uint64_t
pending_memory(const struct registry_entry *re, const struct scenario *sc, uint64_t m, int rounds)
{
    uint64_t n = (uint64_t)sc->parties, wave = m / (uint64_t)(rounds > 0 ? rounds : 1);
    size_t len = 1 + 8 * sc->inputs.length * (sc->protocol.mac ? 2 : 1);
    double per_message, per_pair, pair_state = 0.0;

    if (strcmp(re->kind, "paillier") == 0) {
        len = 1 + 2 * (size_t)sc->protocol.key_bits / 8; /* a ciphertext mod n^2 */
    } else if (strcmp(re->kind, "shamir") == 0) {
        pair_state = 30.0;
    }
    sim_memory_shape(&sc->net, sc->parties, sc->has_adversary && sc->adversary.count > 0, len,
                     &per_message, &per_pair);
    return UINT64_C(5000000) + (uint64_t)((double)wave * per_message) +
           (uint64_t)((double)(n * n) * (per_pair + pair_state));
}

/* see registry.h */
void
registry_estimate(struct registry_estimate *out, const struct scenario *sc)
{
    const struct registry_entry *re = registry_lookup(sc->protocol.kind);
    int rounds = re != NULL && re->rounds != NULL ? re->rounds(sc) : 1;
    uint64_t m = re != NULL && re->messages != NULL ? re->messages(sc) : all_to_all(sc, rounds);

    out->messages = m;
    out->events = m + (sc->net.bandwidth_mbps > 0.0 ? m / 2 : 0) +
                  (uint64_t)sc->parties * (uint64_t)(rounds > 0 ? rounds : 1);
    if (re != NULL && re->memory == NULL && registry_protocol(re, sc) != &mpc_protocol) {
        out->memory_bytes = pending_memory(re, sc, m, rounds);
        return;
    }
    out->memory_bytes = UINT64_C(5000000) + UINT64_C(78) * m +
                        (re != NULL && re->memory != NULL ? re->memory(sc) : 0);
    if (re != NULL && registry_protocol(re, sc) == &mpc_protocol) {
        /* Comparisons: the circuit and the parties' wire values dominate. */
        struct mpc_sim_params p;

        mpc_fill(&p, sc);
        out->memory_bytes += mpc_sim_memory(&p, sc->parties);
    }
}
