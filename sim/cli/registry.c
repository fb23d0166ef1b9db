/* SPDX-License-Identifier: MIT */
/*
 * sim/cli/registry.c - the protocol table.  A protocol issue adds its
 * adapter here: the entry is what makes `protocol: {kind: ...}` run.
 */
#include "sim/cli/registry.h"

#include <string.h>

#include "common/alloc.h"
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

static const struct registry_entry entries[] = {
    {
        .kind = "additive",
        .summary = "n-of-n additive sharing, optional SPDZ MACs (not in this build yet)",
        .proto = NULL,
        .key_mask = SCENARIO_PKEY_MAC,
        .behaviours = BIT(SIM_CORRUPT_SHARES) | BIT(SIM_EQUIVOCATE) | BIT(SIM_WITHHOLD) |
                      BIT(SIM_DELAY) | BIT(SIM_WRONG_MAC) | BIT(SIM_MALFORMED),
    },
    {
        .kind = "shamir",
        .summary = "(t, n) Shamir sharing with robust reconstruction (not in this build yet)",
        .proto = NULL,
        .key_mask = SCENARIO_PKEY_THRESHOLD | SCENARIO_PKEY_RECONSTRUCTION,
        .behaviours = BIT(SIM_CORRUPT_SHARES) | BIT(SIM_EQUIVOCATE) | BIT(SIM_WITHHOLD) |
                      BIT(SIM_DELAY) | BIT(SIM_MALFORMED),
    },
    {
        .kind = "paillier",
        .summary = "Paillier aggregation with threshold decryption (not in this build yet)",
        .proto = NULL,
        .key_mask = SCENARIO_PKEY_KEY_BITS | SCENARIO_PKEY_DECRYPTION |
                    SCENARIO_PKEY_DECRYPTION_THRESHOLD | SCENARIO_PKEY_AGGREGATION,
        .behaviours = BIT(SIM_CORRUPT_SHARES) | BIT(SIM_WITHHOLD) | BIT(SIM_DELAY) |
                      BIT(SIM_BAD_CIPHERTEXT) | BIT(SIM_MALFORMED),
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
