/* SPDX-License-Identifier: MIT */
/*
 * tests/cli/test_costs.c - no dead cost entry, and one cost table.
 *
 * For EVERY entry of the cost table (the loop runs to SIM_OP_COUNT, so an
 * entry added later without a scenario here fails), a small scenario that
 * uses it: pricing the entry at 1 s instead of 0 must raise the trial's
 * compute_ms by at least 1 s.  And bench/costs-default.yaml, loaded as a scenario's
 * cost_model, equals the built-in table entry for entry.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sim/cli/runner.h"
#include "sim/cli/scenario.h"
#include "tests/support.h"

#define HEAD "name: t\nseed: 3\ntrials: 1\nparties: 5\n"

#define ADDITIVE                                                                                   \
    HEAD "inputs: { values: [1, 2, 3, 4, 5] }\ncomputation: variance\n"                            \
         "protocol: { kind: additive, mac: true }\n"
#define SHAMIR_FAST                                                                                \
    HEAD "inputs: { values: [1, 2, 3, 4, 5] }\ncomputation: sum\n"                                 \
         "protocol: { kind: shamir, threshold: 2, reconstruction: fast }\n"
#define SHAMIR_ROBUST                                                                              \
    HEAD "inputs: { values: [1, 2, 3, 4, 5] }\ncomputation: sum\n"                                 \
         "protocol: { kind: shamir, threshold: 1, reconstruction: robust }\n"                      \
         "adversary: { parties: [2], behaviour: corrupt_shares }\n"
#define PAILLIER(extra)                                                                            \
    HEAD "inputs: { values: [1, 2, 3, 4, 5] }\n"                                                   \
         "computation: { kind: weighted_sum, weights: [1, 2, 3, 4, 5] }\n"                         \
         "protocol: { kind: paillier, key_bits: 1024" extra " }\n"
/* Comparisons run in GF(2^127 - 1) by default: its products are field_mul_m127. */
#define COMPARE_M127                                                                               \
    HEAD "inputs: { values: [1, 2, 3, 4, 5] }\ncomputation: { kind: max }\n"                       \
         "protocol: { kind: shamir, threshold: 2, comparison_bits: 16 }\n"
#define SECAGG                                                                                     \
    HEAD "inputs: { values: [1, 2, 3, 4, 5] }\ncomputation: sum\n"                                 \
         "protocol: { kind: secagg }\n"

/* A scenario whose compute uses the named entry. */
static const struct {
    const char *op;
    const char *yaml;
} uses[] = {
    {"field_add", ADDITIVE},
    {"field_mul", ADDITIVE},
    {"field_mul_m127", COMPARE_M127},
    {"field_inv", SHAMIR_FAST},
    {"field_sample", ADDITIVE},
    {"lagrange_term", SHAMIR_FAST},
    {"rs_decode_n2", SHAMIR_ROBUST},
    {"hash_byte", ADDITIVE},
    {"message", ADDITIVE},
    {"paillier_keygen", PAILLIER(", fresh_keys: true, decryption: single")},
    {"paillier_encrypt", PAILLIER(", encryption: plain")},
    {"paillier_encrypt_precomp", PAILLIER("")},
    {"paillier_decrypt", PAILLIER(", decryption: single")},
    {"paillier_partial_decrypt", PAILLIER(", decryption: threshold")},
    {"paillier_combine", PAILLIER(", decryption: threshold")},
    {"paillier_add", PAILLIER("")},
    {"paillier_scalar_mul", PAILLIER("")},
    {"x25519", SECAGG},
    {"aead_byte", SECAGG},
    {"prg_byte", SECAGG},
};

static struct scenario *
load_text(const char *text)
{
    struct ynode *root = NULL;
    struct scenario *sc = NULL;
    struct diag d;

    int rc;

    diag_init(&d);
    rc = ytree_load_string(&root, text, strlen(text), "t.yaml", &d);
    if (rc == 0) {
        rc = scenario_from_tree(&sc, root, "t.yaml", MPCSIM_SOURCE_DIR, &d);
    }
    diag_print(&d, stderr);
    diag_clear(&d);
    ynode_free(root);
    assert_int_equal(rc, 0);
    return sc;
}

static double
compute_ms(const struct scenario *sc)
{
    struct trial_row row;
    char err[256];
    double ms;

    assert_int_equal(runner_run_trial(&row, sc, 0, runner_trial_seed(sc, 0, 0), err, sizeof(err)),
                     0);
    assert_int_not_equal(row.status, TRIAL_WRONG_OUTPUT);
    ms = row.compute_ms;
    trial_row_clear(&row);
    return ms;
}

static void
test_costs_no_dead_entry(void **state)
{
    (void)state;
    for (int op = 0; op < SIM_OP_COUNT; op++) {
        const char *name = sim_op_name((enum sim_op)op);
        const char *yaml = NULL;
        struct scenario *sc;
        double base, priced;

        for (size_t k = 0; k < sizeof(uses) / sizeof(uses[0]); k++) {
            if (strcmp(uses[k].op, name) == 0) {
                yaml = uses[k].yaml;
            }
        }
        if (yaml == NULL) {
            fail_msg("cost entry '%s' has no scenario in tests/cli/test_costs.c", name);
        }
        sc = load_text(yaml);
        sc->cost_ns[op] = 0.0;
        base = compute_ms(sc);
        sc->cost_ns[op] = 1e9; /* 1 s */
        priced = compute_ms(sc);
        if (!(priced - base >= 1000.0 - 1e-6)) {
            fail_msg("cost entry '%s' is dead: compute_ms %.6f -> %.6f", name, base, priced);
        }
        scenario_destroy(sc);
    }
}

/* bench/costs-default.yaml is the built-in table, entry for entry. */
static void
test_costs_one_table(void **state)
{
    struct scenario *sc;

    (void)state;
    sc = load_text(HEAD "inputs: { values: [1, 2, 3, 4, 5] }\ncomputation: sum\n"
                        "protocol: { kind: additive }\n"
                        "cost_model: bench/costs-default.yaml\n");
    for (int op = 0; op < SIM_OP_COUNT; op++) {
        assert_true(sim_cost_default[op] > 0.0);
        if (sc->cost_ns[op] != sim_cost_default[op]) {
            fail_msg("%s: yaml %.17g, built-in %.17g", sim_op_name((enum sim_op)op),
                     sc->cost_ns[op], sim_cost_default[op]);
        }
    }
    scenario_destroy(sc);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_costs_no_dead_entry),
        cmocka_unit_test(test_costs_one_table),
    };

    return cmocka_run_group_tests_name("costs", tests, NULL, NULL);
}
