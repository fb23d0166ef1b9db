/* SPDX-License-Identifier: MIT */
/*
 * protocols/mpc/mpc_int.h - the circuit's representation, for this
 * folder only.
 */
#ifndef MPCSIM_PROTOCOLS_MPC_MPC_INT_H
#define MPCSIM_PROTOCOLS_MPC_MPC_INT_H

#include "protocols/mpc/mpc.h"

enum mpc_op {
    MPC_OP_LIN = 0, /* a*x + b*y + k (x, y may be -1) */
    MPC_OP_INPUT,   /* arg = owner */
    MPC_OP_MULP,    /* shared x times public y */
    MPC_OP_XORP,    /* shared bit x xor public bit y */
    MPC_OP_PBIT,    /* bit arg of public x */
    MPC_OP_RBIT,    /* dealer bit */
    MPC_OP_RINT,    /* dealer integer of arg bits */
    MPC_OP_MUL,     /* interactive product */
    MPC_OP_OPEN     /* interactive opening */
};

struct mpc_gate {
    uint8_t op;
    uint8_t pub; /* the output is public */
    uint16_t arg;
    int32_t x, y;
    int32_t level;
    mpcsim_u128 a, b, k;
};

struct mpc_circuit {
    enum mpc_field_kind field;
    int err;
    struct mpc_gate *g;
    size_t n, cap;
    int32_t *outs;
    size_t n_out, cap_out;
    /* Schedule, made by mpc__circuit_schedule: for level s, the gates
     * order[start[s] .. start[s+1]) - interactive ones first (n_inter[s]),
     * then local ones in index order. */
    int scheduled;
    int32_t *order;
    size_t *start, *n_inter;
    size_t levels; /* max level + 1 */
    int32_t *mix;  /* per gate: its index among the products, or -1 */
    size_t n_mul;
};

/* Compute the schedule (idempotent; 0 or MPCSIM_ENOMEM). */
MPCSIM_NODISCARD int mpc__circuit_schedule(struct mpc_circuit *c);

#endif /* MPCSIM_PROTOCOLS_MPC_MPC_INT_H */
