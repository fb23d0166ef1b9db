/* SPDX-License-Identifier: MIT */
/*
 * sim/cli/scenario.h - a validated scenario (SCENARIO.md is the contract).
 *
 * Loading is two steps: the YAML file becomes a ynode tree (ytree.h),
 * `--set` overrides and sweep points edit the tree by dotted path, and
 * scenario_from_tree() validates the whole tree into a `struct scenario`,
 * reporting every error as FILE:LINE:COL with what was expected.  No
 * simulation starts from an invalid scenario.
 */
#ifndef MPCSIM_SIM_CLI_SCENARIO_H
#define MPCSIM_SIM_CLI_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "common/mpcsim.h"
#include "protocols/computation.h"
#include "protocols/field/field.h"
#include "sim/cli/diag.h"
#include "sim/cli/ytree.h"
#include "sim/sim.h"

#define SCENARIO_MAX_TRIALS 1000000
#define SCENARIO_MAX_LENGTH 1000000 /* input vector length */
#define SCENARIO_MAX_SWEEP_POINTS 100000
/* The longest simulated time a scenario can name, in ms (10^18 ns < 2^63 ns). */
#define SCENARIO_MAX_MS 1e12

enum scenario_input_kind {
    SCENARIO_INPUT_VALUES = 0,
    SCENARIO_INPUT_UNIFORM,
    SCENARIO_INPUT_NORMAL,
    SCENARIO_INPUT_LOGNORMAL,
    SCENARIO_INPUT_PARETO,
    SCENARIO_INPUT_EXPONENTIAL,
};

struct scenario_inputs {
    enum scenario_input_kind kind;
    size_t length;       /* vector length L */
    mpcsim_i128 *values; /* VALUES: parties * length, row-major, exact */
    double min, max, mean, sd, zeta, sigma, a, b;
    mpcsim_i128 imin, imax; /* UNIFORM: the integer range [min, max], exact (128-bit) */
};

struct scenario_protocol {
    char kind[32];
    int mac;                  /* additive */
    int threshold;            /* shamir; -1 = default floor((n-1)/2) */
    int robust;               /* shamir reconstruction: 1 robust, 0 fast */
    unsigned key_bits;        /* paillier */
    int threshold_decryption; /* paillier: 1 threshold, 0 single */
    int decryption_threshold; /* paillier; -1 = default floor(n/2)+1 */
    int tree_fanout;          /* paillier aggregation: 0 star, k tree of fanout k */
    int plain_encryption;     /* paillier encryption: 1 plain r^n, 0 precomputed (default) */
    int fresh_keys;           /* paillier: 1 new dealer keys per trial, 0 cached (default) */
    int input_bits;           /* secagg: bits of an input (sign included); 0 = from the inputs */
    int result_to_clients; /* secagg: 1 the server sends the sum to the clients, 0 (default) not */
    /* additive, shamir: FIELD_M61 (default) or FIELD_M127 (protocol.field);
     * comparisons default to FIELD_M127. */
    enum field_kind field;
    int field_applies; /* additive or shamir: protocol.field m127 widens the range */
    int num_shares;    /* secagg: SecAgg+ K >= 2; 0 unset (every client: SecAgg); -1 auto */
    int reconstruction_threshold; /* secagg: SecAgg+ T (Flower's name); 0 unset */
    double round_timeout_ms;
    /* Comparisons (additive, shamir). */
    int comparison_bits;      /* 0 = default 64 */
    int statistical_security; /* default 40 */
    int set_mask;             /* SCENARIO_PKEY_* bits given in the file */
};

/* Protocol keys, as bits of scenario_protocol.set_mask. */
enum {
    SCENARIO_PKEY_MAC = 1 << 0,
    SCENARIO_PKEY_THRESHOLD = 1 << 1,
    SCENARIO_PKEY_RECONSTRUCTION = 1 << 2,
    SCENARIO_PKEY_KEY_BITS = 1 << 3,
    SCENARIO_PKEY_DECRYPTION = 1 << 4,
    SCENARIO_PKEY_DECRYPTION_THRESHOLD = 1 << 5,
    SCENARIO_PKEY_AGGREGATION = 1 << 6,
    SCENARIO_PKEY_FANOUT = 1 << 7,
    SCENARIO_PKEY_ENCRYPTION = 1 << 8,
    SCENARIO_PKEY_FRESH_KEYS = 1 << 9,
    SCENARIO_PKEY_INPUT_BITS = 1 << 10,
    SCENARIO_PKEY_RESULT_TO_CLIENTS = 1 << 11,
    SCENARIO_PKEY_FIELD = 1 << 12,
    SCENARIO_PKEY_COMPARISON_BITS = 1 << 13,
    SCENARIO_PKEY_STATISTICAL_SECURITY = 1 << 14,
    SCENARIO_PKEY_NUM_SHARES = 1 << 15,
    SCENARIO_PKEY_RECONSTRUCTION_THRESHOLD = 1 << 16,
};

struct scenario_adversary {
    int count;    /* parties chosen by the seed (when parties == NULL) */
    int *parties; /* listed parties, n_parties of them, or NULL */
    int n_parties;
    enum sim_behaviour behaviour;
    double delay_ms;
};

struct scenario {
    char *name;
    char *description;
    const char *file; /* borrowed display name of the file */
    uint64_t seed;
    int trials;
    int parties;
    struct scenario_inputs inputs;
    struct computation comp; /* comp.weights points into `weights` */
    mpcsim_i128 *weights;    /* weighted_sum: w * 10^comp.weight_digits, exact */
    struct scenario_protocol protocol;
    /* The engine's network and faults, with the arrays they point to owned here. */
    struct sim_network net;
    int *party_region;
    double *region_median_ms;
    struct sim_partition *partitions;
    /* `profiles`: n_profiles of them, party_profile[i] = party i's (-1: none),
     * both NULL when the scenario has none (sim.h struct sim_profile). */
    struct sim_profile *profiles;
    int n_profiles;
    int *party_profile;
    struct sim_faults faults;
    struct sim_crash *crashes;
    int has_adversary;
    struct scenario_adversary adversary;
    double cost_ns[SIM_OP_COUNT];
    double max_sim_time_ms;
    int streams_independent; /* `streams: independent`: trial seeds also depend on the point */
};

/*
 * Validate `root` (the whole scenario tree, borrowed) into *out.  Every
 * error goes to `d`; returns 0, MPCSIM_EPARSE when any was found, or
 * MPCSIM_ENOMEM.  `base_dir` resolves a relative `cost_model` path.
 */
MPCSIM_NODISCARD int scenario_from_tree(struct scenario **out, const struct ynode *root,
                                        const char *file, const char *base_dir, struct diag *d);
void scenario_destroy(struct scenario *sc);

/*
 * Set the node at dotted `path` ("network.latency.ms") in `root` to
 * `value` (ownership moves to the tree, also on failure).  Intermediate
 * maps are created.  Returns 0, MPCSIM_EPARSE (a path through a non-map;
 * reported to `d` at `value`'s origin) or MPCSIM_ENOMEM.
 */
MPCSIM_NODISCARD int scenario_tree_set(struct ynode *root, const char *path, struct ynode *value,
                                       struct diag *d);

/*
 * Parse a `--set KEY=VALUE` argument into root.  VALUE is YAML ("30",
 * "[1, 2]", "{kind: tcp}").  `origin` names the argument in messages and
 * must outlive the tree.
 */
MPCSIM_NODISCARD int scenario_tree_set_arg(struct ynode *root, const char *arg, const char *origin,
                                           struct diag *d);

/* One point of a sweep: the values of each swept key (borrowed from the tree). */
struct scenario_sweep {
    size_t n_keys;
    const char **keys;          /* dotted paths */
    const struct ynode **lists; /* the value lists */
    size_t n_points;            /* product of the list lengths */
};

/*
 * Read the tree's `sweep` map (none: n_keys 0, n_points 1).  Errors to
 * `d`.  Free with scenario_sweep_clear.
 */
MPCSIM_NODISCARD int scenario_sweep_read(struct scenario_sweep *sw, const struct ynode *root,
                                         struct diag *d);
void scenario_sweep_clear(struct scenario_sweep *sw);
/*
 * A copy of root, without `sweep`, with point `idx` applied (the last key
 * varies fastest).  Returns 0 and *out, or MPCSIM_ENOMEM / MPCSIM_EPARSE.
 */
MPCSIM_NODISCARD int scenario_sweep_point(struct ynode **out, const struct ynode *root,
                                          const struct scenario_sweep *sw, size_t idx,
                                          struct diag *d);
/*
 * Visiting every point without a copy of the tree per point: one working
 * tree (the scenario without `sweep`), in which each point's values are
 * swapped in, borrowed from the sweep lists.  (Keys nested in one another,
 * `protocol` and `protocol.kind`, fall back to a copy per point.)
 */
struct scenario_sweep_work {
    const struct ynode *root; /* borrowed */
    struct ynode *tree;       /* owned; the values at the swept paths are borrowed */
    struct ynode *point;      /* owned copy (clone_each) */
    int clone_each;
    size_t n_keys;
    struct ynode **parents; /* per key: the map holding the swept value */
    size_t *index;          /* per key: its index in parents[k]->items */
    struct ynode **saved;   /* per key: the placeholder put back on clear */
};

/* Set up *w for `root` and `sw` (both borrowed, outliving w).  0 or MPCSIM_ENOMEM/EPARSE. */
MPCSIM_NODISCARD int scenario_sweep_work_init(struct scenario_sweep_work *w,
                                              const struct ynode *root,
                                              const struct scenario_sweep *sw, struct diag *d);
/*
 * The tree of point idx in *out (borrowed from w, valid until the next
 * call or the clear).  0 or MPCSIM_ENOMEM / MPCSIM_EPARSE.
 */
MPCSIM_NODISCARD int scenario_sweep_work_point(const struct ynode **out,
                                               struct scenario_sweep_work *w,
                                               const struct scenario_sweep *sw, size_t idx,
                                               struct diag *d);
void scenario_sweep_work_clear(struct scenario_sweep_work *w);

/*
 * A node as canonical flow YAML, in full: `{kind: shamir, threshold: 1}`,
 * `[1, 2]`, scalars plain when they read back the same, else double-quoted
 * with \\, \" and \xHH escapes.  Caller frees with mpcsim_free; NULL on
 * allocation failure.
 */
char *scenario_node_text(const struct ynode *node);
/* The value of key k at point idx as scenario_node_text (caller frees; NULL = no memory). */
char *scenario_sweep_value(const struct scenario_sweep *sw, size_t k, size_t idx);

#endif /* MPCSIM_SIM_CLI_SCENARIO_H */
