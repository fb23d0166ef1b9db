/* SPDX-License-Identifier: MIT */
/*
 * tests/sim/test_faults.c - crashes at a time and at a round, dropouts.
 * Every test also checks that its fault happened.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>

#include "tests/sim/probe.h"
#include "tests/support.h"

#define MS SIM_NS_PER_MS

static struct sim *
run_ok(const struct sim_config *c, const struct sim_protocol *proto, void *params)
{
    struct sim *sim = NULL;

    assert_int_equal(sim_create(&sim, c, proto, params), 0);
    assert_int_equal(sim_run(sim), 0);
    return sim;
}

/* A party crashed at 5 ms sent at 0 but receives nothing at 10 ms. */
static void
test_faults_crash_at_time(void **state)
{
    struct sim_crash cr = {2, 5 * MS, -1};
    struct sim_config c;
    struct sim *sim;
    const int n = 6;

    (void)state;
    sim_config_init(&c, n, 1);
    probe_toy_inputs(&c);
    c.net.latency.ms = 10;
    c.faults.n_crashes = 1;
    c.faults.crashes = &cr;
    sim = run_ok(&c, &sim_toy_protocol, NULL);
    for (int i = 0; i < n; i++) {
        const struct sim_party_result *r = sim_party_result(sim, i);

        assert_int_equal(r->crashed, i == 2);
        assert_int_equal(r->has_output, i != 2);
        assert_int_equal(r->messages_sent, (uint64_t)(n - 1));
    }
    assert_int_equal(sim_party_result(sim, 2)->crash_ns, 5 * MS);
    assert_int_equal(sim_party_result(sim, 2)->bytes_received, 0);
    assert_int_equal(sim_metrics(sim)->dropped, 1);
    assert_int_equal(sim_metrics(sim)->messages_lost, (uint64_t)(n - 1));
    sim_destroy(sim);

    /* Crash at 0: it sends nothing, so nobody can finish. */
    cr.at_ns = 0;
    sim = run_ok(&c, &sim_toy_protocol, NULL);
    assert_true(sim_party_result(sim, 2)->crashed);
    assert_int_equal(sim_party_result(sim, 2)->crash_ns, 0);
    assert_int_equal(sim_party_result(sim, 2)->messages_sent, 0);
    for (int i = 0; i < n; i++) {
        assert_false(sim_party_result(sim, i)->has_output);
    }
    assert_int_equal(sim_metrics(sim)->latency_ns, 0);
    sim_destroy(sim);
}

/* A party sending every ms falls silent exactly at its crash time, even
 * when the crash falls inside a handler's charged compute. */
static void
test_faults_crash_silences(void **state)
{
    struct sim_crash cr = {0, 10 * MS + MS / 2, -1};
    struct probe_params pp = {0};
    struct sim_config c;
    struct sim *sim;
    double cost[SIM_OP_COUNT];

    (void)state;
    memcpy(cost, sim_cost_default, sizeof(cost));
    cost[SIM_OP_HASH_BYTE] = 0.3e6; /* each send after 0.3 ms of work */
    sim_config_init(&c, 2, 1);
    c.cost_ns = cost;
    c.net.latency.ms = 1;
    c.faults.n_crashes = 1;
    c.faults.crashes = &cr;
    pp.receiver = 1;
    pp.count = 100;
    pp.len = 4;
    pp.gap_ns = 0.7 * MS; /* sends at 0.3, 1.3, ..., 9.3, 10.3, [11.3 vanishes] */
    pp.charge = 1;
    sim = run_ok(&c, &probe_protocol, &pp);
    assert_int_equal(pp.n_rec, 11);
    assert_true(sim_party_result(sim, 0)->crashed);
    assert_int_equal(sim_party_result(sim, 0)->crash_ns, cr.at_ns);
    assert_int_equal(sim_party_result(sim, 0)->messages_sent, 11);
    free(pp.rec);
    sim_destroy(sim);
}

/* at_round r: the party has sent its messages of protocol rounds <= r
 * and crashes at its first send of a later round (relay: hop h is round h). */
static void
test_faults_crash_at_round(void **state)
{
    struct relay_params rp = {100};
    struct sim_crash cr = {3, 0, 8};
    struct sim_config c;
    struct sim *sim;

    (void)state;
    sim_config_init(&c, 5, 1);
    probe_no_message_cost(&c);
    c.net.latency.ms = 1;
    c.net.transport.window_bytes = 0;
    c.faults.n_crashes = 1;
    c.faults.crashes = &cr;
    /* Party 3 gets the token at hops 3 and 8: it relays the first (round
     * 4 <= 8) and crashes when it would send round 9, so exactly 8
     * messages are sent, every one delivered. */
    sim = run_ok(&c, &relay_protocol, &rp);
    assert_true(sim_party_result(sim, 3)->crashed);
    assert_int_equal(sim_party_result(sim, 3)->crash_ns, 8 * MS);
    assert_int_equal(sim_metrics(sim)->messages, 8);
    assert_int_equal(sim_metrics(sim)->messages_lost, 0);
    assert_int_equal(sim_party_result(sim, 3)->messages_sent, 1);
    sim_destroy(sim);

    /* at_round 3: it received hop 3 (a round-3 message) but never sends round 4. */
    cr.at_round = 3;
    sim = run_ok(&c, &relay_protocol, &rp);
    assert_true(sim_party_result(sim, 3)->crashed);
    assert_int_equal(sim_party_result(sim, 3)->crash_ns, 3 * MS);
    assert_int_equal(sim_metrics(sim)->messages, 3);
    assert_int_equal(sim_party_result(sim, 3)->messages_sent, 0);
    sim_destroy(sim);

    /* at_round 0: crashes before on_start sends anything. */
    cr.party = 0;
    cr.at_round = 0;
    sim = run_ok(&c, &relay_protocol, &rp);
    assert_true(sim_party_result(sim, 0)->crashed);
    assert_int_equal(sim_party_result(sim, 0)->crash_ns, 0);
    assert_int_equal(sim_metrics(sim)->messages, 0);
    sim_destroy(sim);
}

/* Dropouts: each honest party with the probability, at start or at a
 * round, reproducibly; corrupted parties never drop. */
static void
test_faults_dropout(void **state)
{
    enum sim_behaviour *beh = calloc(1000, sizeof(*beh));
    struct sim_config c;
    struct sim *sim, *again;
    int dropped = 0;

    (void)state;
    beh[7] = SIM_CORRUPT_SHARES;
    sim_config_init(&c, 1000, 77);
    c.behaviour = beh;
    c.faults.dropout_probability = 0.3;
    c.faults.dropout_at = SIM_DROPOUT_START;
    sim = run_ok(&c, &order_dummy_protocol, NULL);
    again = run_ok(&c, &order_dummy_protocol, NULL);
    for (int i = 0; i < 1000; i++) {
        const struct sim_party_result *r = sim_party_result(sim, i);

        dropped += r->crashed;
        assert_int_equal(r->crashed, sim_party_result(again, i)->crashed);
        if (r->crashed) {
            assert_int_equal(r->crash_ns, 0);
        }
    }
    assert_false(sim_party_result(sim, 7)->crashed);
    assert_true(fabs(dropped - 0.3 * 999) < 4.5 * sqrt(999 * 0.3 * 0.7));
    assert_int_equal(sim_metrics(sim)->dropped, dropped);
    sim_destroy(sim);
    sim_destroy(again);
    free(beh);
}

static void
test_faults_dropout_round(void **state)
{
    struct relay_params rp = {20};
    struct sim_config c;
    struct sim *sim;

    (void)state;
    /* Probability 1 at round 4: the token dies at the 4th hop. */
    sim_config_init(&c, 3, 1);
    c.net.latency.ms = 1;
    c.faults.dropout_probability = 1.0;
    c.faults.dropout_at = SIM_DROPOUT_ROUND;
    c.faults.dropout_round = 4;
    sim = run_ok(&c, &relay_protocol, &rp);
    assert_int_equal(sim_metrics(sim)->messages, 4);
    assert_true(sim_party_result(sim, 4 % 3)->crashed);
    assert_int_equal(sim_metrics(sim)->dropped, 1);
    sim_destroy(sim);

    /* Random rounds in [0, 2]: every party drops by round 2, so at most 2
     * hops happen, and the outcome replays. */
    c.faults.dropout_at = SIM_DROPOUT_RANDOM;
    c.faults.random_max_round = 2;
    sim = run_ok(&c, &relay_protocol, &rp);
    assert_true(sim_metrics(sim)->messages <= 2);
    assert_true(sim_metrics(sim)->dropped >= 1);
    sim_destroy(sim);
}

/*
 * Dropouts are coupled (one uniform per party and trial): with one seed,
 * the parties that drop at p = 0.1 also drop at 0.3 and 0.6, at the same
 * random round.  Probe message k is round k + 1, so a party dropped at
 * round r sends exactly r broadcasts, one that stays sends all 5.
 */
static void
test_faults_dropout_nested(void **state)
{
    static const double p[3] = {0.1, 0.3, 0.6};
    enum { N = 60, COUNT = 5 };
    uint64_t sent[3][N];
    struct sim_config c;
    int dropped[3] = {0, 0, 0};

    (void)state;
    for (int k = 0; k < 3; k++) {
        struct probe_params pp = {0};
        struct sim *sim;

        pp.all_send = 1;
        pp.receiver = -1;
        pp.count = COUNT;
        pp.len = 4;
        pp.gap_ns = MS;
        sim_config_init(&c, N, 2024);
        c.net.latency.ms = 1;
        c.faults.dropout_probability = p[k];
        c.faults.dropout_at = SIM_DROPOUT_RANDOM;
        c.faults.random_max_round = 3;
        sim = run_ok(&c, &probe_protocol, &pp);
        for (int i = 0; i < N; i++) {
            sent[k][i] = sim_party_result(sim, i)->messages_sent / (N - 1);
            dropped[k] += sent[k][i] < COUNT;
        }
        free(pp.rec);
        sim_destroy(sim);
    }
    for (int k = 1; k < 3; k++) {
        for (int i = 0; i < N; i++) {
            if (sent[k - 1][i] < COUNT) {
                assert_true(sent[k][i] == sent[k - 1][i]); /* same party, same round */
            }
        }
    }
    assert_true(dropped[0] > 0 && dropped[0] < dropped[1] && dropped[1] < dropped[2]);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_faults_crash_at_time),  cmocka_unit_test(test_faults_crash_silences),
        cmocka_unit_test(test_faults_crash_at_round), cmocka_unit_test(test_faults_dropout),
        cmocka_unit_test(test_faults_dropout_round),  cmocka_unit_test(test_faults_dropout_nested),
    };

    mpcsim_test_init();
    return cmocka_run_group_tests_name("faults", tests, NULL, NULL);
}
