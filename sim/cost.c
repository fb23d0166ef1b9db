/* SPDX-License-Identifier: MIT */
/*
 * sim/cost.c - operation names and the default cost table.
 *
 * The defaults are bench/costs-default.yaml, compiled in by CMake (edit
 * the YAML, never this file); they are what
 * `mpcsim bench --calibrate bench/costs-default.yaml`
 * measured (medians, one core) on a 2-core AMD EPYC (Zen 4, KVM, AVX-512 +
 * IFMA), gcc 12 -O3 -march=native, GMP 6.2, libsodium 1.0.18, 2026-11-26.
 * Operations no kernel measures yet (hash_byte, message, paillier scalar
 * multiplication, x25519, aead, prg) keep estimates from
 * PERFORMANCE-NOTES.md and libsodium's published figures.
 */
#include "sim/cost.h"

#include <string.h>

static const char *const op_names[SIM_OP_COUNT] = {
    [SIM_OP_FIELD_ADD] = "field_add",
    [SIM_OP_FIELD_MUL] = "field_mul",
    [SIM_OP_FIELD_INV] = "field_inv",
    [SIM_OP_FIELD_SAMPLE] = "field_sample",
    [SIM_OP_LAGRANGE_TERM] = "lagrange_term",
    [SIM_OP_RS_DECODE_N2] = "rs_decode_n2",
    [SIM_OP_HASH_BYTE] = "hash_byte",
    [SIM_OP_MESSAGE] = "message",
    [SIM_OP_PAILLIER_KEYGEN] = "paillier_keygen",
    [SIM_OP_PAILLIER_ENCRYPT] = "paillier_encrypt",
    [SIM_OP_PAILLIER_ENCRYPT_PRECOMP] = "paillier_encrypt_precomp",
    [SIM_OP_PAILLIER_DECRYPT] = "paillier_decrypt",
    [SIM_OP_PAILLIER_PARTIAL_DECRYPT] = "paillier_partial_decrypt",
    [SIM_OP_PAILLIER_COMBINE] = "paillier_combine",
    [SIM_OP_PAILLIER_ADD] = "paillier_add",
    [SIM_OP_PAILLIER_SCALAR_MUL] = "paillier_scalar_mul",
    [SIM_OP_X25519] = "x25519",
    [SIM_OP_AEAD_BYTE] = "aead_byte",
    [SIM_OP_PRG_BYTE] = "prg_byte",
    [SIM_OP_FIELD_MUL_M127] = "field_mul_m127",
};

/* ns per operation (2048-bit Paillier), generated at build time from
 * bench/costs-default.yaml (sim/gen_cost_table.cmake): that file is the
 * one source of the defaults. */
const double sim_cost_default[SIM_OP_COUNT] = {
#include "cost_table.inc"
};

/* see cost.h */
const char *
sim_op_name(enum sim_op op)
{
    if ((int)op < 0 || op >= SIM_OP_COUNT) {
        return NULL;
    }
    return op_names[op];
}

/* see cost.h */
int
sim_op_lookup(const char *name)
{
    for (int i = 0; i < SIM_OP_COUNT; i++) {
        if (strcmp(op_names[i], name) == 0) {
            return i;
        }
    }
    return -1;
}
