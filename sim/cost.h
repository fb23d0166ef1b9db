/* SPDX-License-Identifier: MIT */
/*
 * sim/cost.h - the operations a protocol charges to its party's CPU, and
 * the default cost table (ns per operation).
 *
 * The names are the keys of a scenario's `cost_model`.  The default table
 * (sim/cost.c) was produced by `mpcsim bench --calibrate` on the machine
 * its comment names; append operations, never renumber.
 */
#ifndef MPCSIM_SIM_COST_H
#define MPCSIM_SIM_COST_H

enum sim_op {
    SIM_OP_FIELD_ADD = 0,
    SIM_OP_FIELD_MUL,
    SIM_OP_FIELD_INV,
    SIM_OP_FIELD_SAMPLE,  /* one uniform element from ChaCha20 */
    SIM_OP_LAGRANGE_TERM, /* one term of a reconstruction at 0 */
    SIM_OP_RS_DECODE_N2,  /* Gao decoding: cost per n^2 */
    SIM_OP_HASH_BYTE,     /* commitments */
    SIM_OP_MESSAGE,       /* fixed cost of handling one message */
    SIM_OP_PAILLIER_KEYGEN,
    SIM_OP_PAILLIER_ENCRYPT,
    SIM_OP_PAILLIER_ENCRYPT_PRECOMP,
    SIM_OP_PAILLIER_DECRYPT,
    SIM_OP_PAILLIER_PARTIAL_DECRYPT,
    SIM_OP_PAILLIER_COMBINE,
    SIM_OP_PAILLIER_ADD,
    SIM_OP_PAILLIER_SCALAR_MUL,
    SIM_OP_X25519,
    SIM_OP_AEAD_BYTE,
    SIM_OP_PRG_BYTE,
    SIM_OP_FIELD_MUL_M127, /* one product in GF(2^127 - 1) (field_mul is GF(2^61 - 1)'s) */
    SIM_OP_COUNT
};

/* The largest cost an entry may have (ns): sim_create refuses more. */
#define SIM_COST_MAX_NS 1e12

/* "field_mul", ... (cost_model keys); NULL for out-of-range values. */
const char *sim_op_name(enum sim_op op);
/* The op named `name`, or -1. */
int sim_op_lookup(const char *name);
/* The built-in table: SIM_OP_COUNT entries, ns per operation. */
extern const double sim_cost_default[SIM_OP_COUNT];

#endif /* MPCSIM_SIM_COST_H */
