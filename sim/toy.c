/* SPDX-License-Identifier: MIT */
/*
 * sim/toy.c - the toy protocol of sim.h: broadcast input[0] as 8 bytes
 * little-endian, output the sum after hearing from all n-1 others.  Used
 * by tests and bench only; it trusts every byte it receives.
 */
#include "sim/sim.h"

#include <string.h>

#include "common/alloc.h"

struct toy_state {
    int64_t input;
    int64_t sum;
    int heard;
};

static int
toy_setup(struct sim_party *p, const struct sim_protocol_cfg *cfg)
{
    struct toy_state *st = mpcsim_calloc(1, sizeof(*st));

    if (st == NULL) {
        return MPCSIM_ENOMEM;
    }
    st->input = cfg->input_len > 0 ? (int64_t)cfg->input[0] : 0; /* the toy's 64-bit wire */
    st->sum = st->input;
    sim_party_set_state(p, st);
    return 0;
}

static void
toy_on_start(struct sim_party *p)
{
    struct toy_state *st = sim_party_state(p);
    uint64_t v = (uint64_t)st->input;
    uint8_t msg[8];

    for (int i = 0; i < 8; i++) {
        msg[i] = (uint8_t)(v >> (8 * i));
    }
    if (sim_broadcast(p, 1, msg, sizeof(msg)) < 0) {
        return; /* MPCSIM_ENOMEM is sticky: sim_run reports it */
    }
}

static void
toy_on_message(struct sim_party *p, int from, const uint8_t *msg, size_t len)
{
    struct toy_state *st = sim_party_state(p);
    uint64_t v = 0;

    (void)from;
    for (size_t i = 0; i < 8 && i < len; i++) {
        v |= (uint64_t)msg[i] << (8 * i);
    }
    st->sum = (int64_t)((uint64_t)st->sum + v);
    if (++st->heard == sim_party_count(p) - 1) {
        mpcsim_i128 out = st->sum;

        if (sim_output(p, &out, 1, NULL) < 0) {
            return; /* sticky, as above */
        }
    }
}

static void
toy_teardown(struct sim_party *p)
{
    mpcsim_free(sim_party_state(p));
}

/* see sim.h */
const struct sim_protocol sim_toy_protocol = {
    .name = "toy",
    .setup = toy_setup,
    .on_start = toy_on_start,
    .on_message = toy_on_message,
    .teardown = toy_teardown,
};
