/* SPDX-License-Identifier: MIT */
/*
 * protocols/mpc/mpc.h - the shared secret-sharing layer under additive
 * (SPDZ MACs) and Shamir (robust): a computation is written once, as a
 * circuit, and runs on either scheme, in the simulator (mpc_sim.h) or in
 * one process (mpc_run_local).
 *
 * A circuit is built by recording operations on wires (mpc_add, mpc_mul,
 * mpc_open, ...).  A wire is shared or public; local operations cost no
 * communication, mpc_mul and mpc_open are interactive.  Each wire gets a
 * level (inputs 0; local ops the max of their inputs; interactive ops one
 * more), and all interactive operations of one level are one
 * communication round (one batch, as MP-SPDZ's prepare/exchange/finalize
 * and MPyC's barriers): rounds = the circuit's depth in interactive
 * operations, plus the input round and, with MACs, the two rounds of the
 * MAC check.  Circuits depend on public data only (the number of included
 * inputs, the computation's parameters), never on values.
 *
 * The schemes (the preprocessing is a simulated trusted dealer, its cost
 * reported apart as offline columns):
 *   additive  n-of-n sums; products by Beaver triples (open d = x - a,
 *             e = y - b); with `mac` every share carries a SPDZ MAC share
 *             under a global key and every opened value (including d, e
 *             and the comparison's masked values) is checked at the end
 *             (commit, then reveal the sigmas) before any output.
 *   shamir    degree-t sharing at points 1..n; openings are decoded at
 *             degree t, products by opening x*y - r at degree 2t with a
 *             dealer double sharing ([r]_t, [r]_2t; Damgard-Nielsen 2007
 *             with a dealer), so n >= 2t + 1.  Robust decoding checks a
 *             random combination of all the round's values (Reed-Solomon,
 *             Gao): m points correct floor((m - d - 1)/2) errors at degree
 *             d; a proven cheater is accused and left out of later rounds;
 *             beyond the radius the round fails (abort, nobody accused).
 *   Inputs: the dealer deals a random mask r_i with its owner knowing r_i;
 *   the owner broadcasts x_i - r_i (one broadcast round for both schemes).
 *   Random bits and bounded random integers (for comparison) come from
 *   the dealer, MAC'd when `mac` is on, counted like triples.
 *
 * Adding a computation: write a builder over this API (see compare.h:
 * mpc_build_computation), give it a plaintext answer in
 * protocols/computation.c, and both protocols run it.
 */
#ifndef MPCSIM_PROTOCOLS_MPC_MPC_H
#define MPCSIM_PROTOCOLS_MPC_MPC_H

#include <stddef.h>
#include <stdint.h>

#include "common/mpcsim.h"
#include "protocols/mpc/mpc_field.h"

enum mpc_scheme { MPC_ADDITIVE = 0, MPC_SHAMIR = 1 };

/* ---------------------------------------------------------------------
 * Circuits
 * ------------------------------------------------------------------- */

struct mpc_circuit; /* opaque; read-only once built (shareable) */

/*
 * An empty circuit over `field` for n parties.  Builder calls record
 * errors (out of memory) in the circuit and return wire 0 (the public
 * constant 0), so a builder checks mpc_circuit_error() once at the end.
 */
MPCSIM_NODISCARD int mpc_circuit_create(struct mpc_circuit **out, enum mpc_field_kind field);
void mpc_circuit_destroy(struct mpc_circuit *c);
/* 0 or the first error a builder call met (MPCSIM_ENOMEM). */
int mpc_circuit_error(const struct mpc_circuit *c);
enum mpc_field_kind mpc_circuit_field(const struct mpc_circuit *c);

/* Element k of party `owner`'s input, shared. */
int mpc_input(struct mpc_circuit *c, int owner, size_t k);
/* The public constant k (signed). */
int mpc_const(struct mpc_circuit *c, int64_t k);
/* a*x + b*y + k with public integer coefficients; y may be -1 (absent). */
int mpc_lin(struct mpc_circuit *c, int64_t a, int x, int64_t b, int y, int64_t k);
/* The same with field-element coefficients (e.g. 2^84 in m127). */
int mpc_lin_f(struct mpc_circuit *c, mpcsim_u128 a, int x, mpcsim_u128 b, int y, mpcsim_u128 k);
int mpc_add(struct mpc_circuit *c, int x, int y);
int mpc_sub(struct mpc_circuit *c, int x, int y);
/* x * y: local when either is public, else one product (interactive). */
int mpc_mul(struct mpc_circuit *c, int x, int y);
/* b ? x : y = y + b (x - y), for a shared bit b. */
int mpc_sel(struct mpc_circuit *c, int b, int x, int y);
/* x * 2^-k (public, exact when x is a multiple of 2^k). */
int mpc_div_pow2(struct mpc_circuit *c, int x, unsigned k);
/* The value of shared x, made public (interactive). */
int mpc_open(struct mpc_circuit *c, int x);
/* Bit i of public x (its canonical representative as an integer). */
int mpc_pub_bit(struct mpc_circuit *c, int x, unsigned i);
/* x XOR b for a shared bit x and a public bit b: x + b - 2xb, local. */
int mpc_xor_pub(struct mpc_circuit *c, int x, int b);
/* A shared uniform bit from the dealer. */
int mpc_rand_bit(struct mpc_circuit *c);
/* A shared uniform integer in [0, 2^bits) from the dealer (bits <= 120). */
int mpc_rand_int(struct mpc_circuit *c, unsigned bits);
/* Mark public wire x as the next output value. */
void mpc_output(struct mpc_circuit *c, int x);

/* Schedule a built circuit into rounds; call once building is done
 * (0, or the builder's error, or MPCSIM_ENOMEM). */
MPCSIM_NODISCARD int mpc_circuit_finish(struct mpc_circuit *c);

/* Statistics of a built circuit. */
struct mpc_circuit_stats {
    size_t wires;
    size_t rounds;  /* interactive levels */
    size_t opens;   /* values opened (outputs included) */
    size_t muls;    /* products (triples or double sharings) */
    size_t bits;    /* dealer random bits */
    size_t ints;    /* dealer random integers */
    size_t outputs; /* output values */
};
void mpc_circuit_stats(const struct mpc_circuit *c, struct mpc_circuit_stats *out);

/* ---------------------------------------------------------------------
 * Parties: one party's side of a run, driven round by round (the
 * simulator adapter and mpc_run_local are the two drivers).
 * ------------------------------------------------------------------- */

/* Builds the circuit for the parties flagged in included[0, n). */
typedef int mpc_build_fn(struct mpc_circuit **out, const void *arg, int n, const uint8_t *included);

struct mpc_party_cfg {
    enum mpc_scheme scheme;
    enum mpc_field_kind field;
    int n, t, self;           /* t: Shamir degree (ignored for additive) */
    int mac;                  /* additive: SPDZ MACs */
    int robust;               /* Shamir: 1 robust decoding, 0 the first d+1 shares */
    uint8_t dealer_key[32];   /* the trial's dealer: the same at every party */
    uint8_t key[32];          /* this party's own randomness */
    const mpcsim_i128 *input; /* this party's input: input_len values (borrowed) */
    size_t input_len;         /* the same at every party */
    int refuse_input;         /* 1: the party declines to input (out of range) */
    mpc_build_fn *build;      /* the computation */
    const void *build_arg;
    int build_borrowed; /* 1: build's circuits are owned by its arg (a cache) */
    /* A circuit built for all n included (borrowed), or NULL: used when
     * every input arrives, saving each party the build. */
    const struct mpc_circuit *full;
};

struct mpc_party; /* opaque */

/* Message types (first byte); then the round as u16 little-endian. */
enum { MPC_MSG_INPUT = 1, MPC_MSG_ROUND = 2, MPC_MSG_COMMIT = 3, MPC_MSG_SIGMA = 4 };
#define MPC_HDR 3
/* Shamir round messages end with the sender's view: a digest of the inputs
 * it computes over (8 bytes). */
#define MPC_VIEW_BYTES 8

/* Operation counts a party performed, for the simulator's compute charge. */
struct mpc_ops {
    uint64_t add, mul, sample, inv, hash_bytes, rs_n2;
};

MPCSIM_NODISCARD int mpc_party_create(struct mpc_party **out, const struct mpc_party_cfg *cfg);
void mpc_party_destroy(struct mpc_party *p);

/* The current round (1 = inputs), or 0 once the party is done. */
int mpc_party_round(const struct mpc_party *p);
/* The message of the current round (a broadcast): its length, and the
 * bytes written to out (room for mpc_party_msg_len). */
size_t mpc_party_msg_len(const struct mpc_party *p);
void mpc_party_msg(struct mpc_party *p, uint8_t *out);
/* The round a message belongs to (0 if it has no valid header). */
int mpc_msg_round(const uint8_t *msg, size_t len);
/* Take `from`'s message of the current round.  MPCSIM_EDECODE: malformed
 * (the sender is faulty). */
MPCSIM_NODISCARD int mpc_party_take(struct mpc_party *p, int from, const uint8_t *msg, size_t len);
/* Whether `from`'s message of this round was taken. */
int mpc_party_heard(const struct mpc_party *p, int from);
/* 1 when every party the round waits for was heard (additive: all;
 * Shamir: all not yet left out). */
int mpc_party_complete(const struct mpc_party *p);
/* The first party the round waits for and has not heard, or -1. */
int mpc_party_silent(const struct mpc_party *p);
/*
 * End the current round with the messages taken (absent parties are left
 * out from now on where the scheme allows).  Returns 0, or an error with
 * mpc_party_reason(): MPCSIM_ENOQUORUM (too few messages, or additive
 * missing any), MPCSIM_EDECODE (decoding or the MAC check failed),
 * MPCSIM_ENOMEM, MPCSIM_ERANGE (an input was refused).
 */
MPCSIM_NODISCARD int mpc_party_finish(struct mpc_party *p);
const char *mpc_party_reason(const struct mpc_party *p);
/* Parties proven to have cheated, newly found by the last finish. */
size_t mpc_party_cheaters(const struct mpc_party *p, const int **ids);
/* Done: the outputs (signed) and the inputs included. */
size_t mpc_party_outputs(const struct mpc_party *p, const mpcsim_i128 **out);
const uint8_t *mpc_party_included(const struct mpc_party *p);
/* Operation counts so far. */
const struct mpc_ops *mpc_party_ops(const struct mpc_party *p);
/* Total rounds of a run of `c` (input + circuit + MAC check). */
int mpc_rounds(const struct mpc_circuit *c, enum mpc_scheme scheme, int mac);
/* wrong_mac: rewrite this party's commitment or sigma message as if its
 * sigma were sigma + delta (so the check, not the commitment, fails). */
void mpc_party_wrong_mac(struct mpc_party *p, uint8_t *msg, size_t len, mpcsim_u128 delta);

/* Dealer material per party of a run of `c`: field elements dealt. */
uint64_t mpc_offline_elements(const struct mpc_circuit *c, enum mpc_scheme scheme, int mac, int n);

/* ---------------------------------------------------------------------
 * In one process: every party, messages delivered directly.
 * ------------------------------------------------------------------- */

/* Optional: rewrite party `from`'s round message before delivery. */
typedef void mpc_tamper_fn(void *arg, int from, int to, uint8_t *msg, size_t len);

struct mpc_local_result {
    int status;        /* 0 ok, else the first party's error */
    char reason[128];  /* when status != 0 */
    size_t n_out;      /* outputs (party 0's view; all honest agree) */
    mpcsim_i128 *out;  /* n_out values (caller frees with mpcsim_free) */
    int rounds;        /* rounds run */
    uint64_t messages; /* messages delivered (broadcast = n - 1) */
    uint64_t bytes;    /* payload bytes delivered */
    int accused[64];   /* first parties accused (by anyone) */
    size_t n_accused;
};

/*
 * Run the circuit cfg->build makes among n parties in one process:
 * cfg0 is party 0's configuration (self, input, key are replaced per
 * party: inputs is n rows of cfg0->input_len values; keys from the seed).  Returns 0 (the run's
 * own status in res->status) or MPCSIM_ENOMEM.
 */
MPCSIM_NODISCARD int mpc_run_local(struct mpc_local_result *res, const struct mpc_party_cfg *cfg0,
                                   const int64_t *inputs, uint64_t seed, mpc_tamper_fn *tamper,
                                   void *tamper_arg);

#endif /* MPCSIM_PROTOCOLS_MPC_MPC_H */
