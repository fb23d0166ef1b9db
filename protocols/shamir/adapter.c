/* SPDX-License-Identifier: MIT */
/*
 * protocols/shamir/adapter.c - see adapter.h.  The protocol itself is
 * adapter_impl.h, instantiated per field (adapter_m61.c, adapter_m127.c);
 * shamir_protocol forwards each callback to the instantiation of the
 * trial's field: from the params in trial_setup/setup, else from the
 * enum field_kind that begins the trial and party state.
 */
#include "protocols/shamir/adapter.h"

#include "protocols/shamir/adapter_int.h"

static const struct sim_protocol *
sh__by_kind(enum field_kind k)
{
    return k == FIELD_M127 ? &shamir_protocol_m127 : &shamir_protocol_m61;
}

static const struct sim_protocol *
sh__by_state(const void *state)
{
    return sh__by_kind(*(const enum field_kind *)state);
}

static const struct sim_protocol *
sh__by_cfg(const struct sim_protocol_cfg *cfg)
{
    const struct shamir_params *prm = cfg->params;

    return sh__by_kind(prm != NULL ? prm->field : FIELD_M61);
}

static int
sh__trial_setup(struct sim *sim, void **trial_out, const struct sim_protocol_cfg *cfg0,
                const uint8_t trial_key[32])
{
    return sh__by_cfg(cfg0)->trial_setup(sim, trial_out, cfg0, trial_key);
}

static void
sh__trial_teardown(void *trial)
{
    if (trial != NULL) {
        sh__by_state(trial)->trial_teardown(trial);
    }
}

static int
sh__setup(struct sim_party *p, const struct sim_protocol_cfg *cfg)
{
    return sh__by_cfg(cfg)->setup(p, cfg);
}

static void
sh__on_start(struct sim_party *p)
{
    sh__by_state(sim_party_state(p))->on_start(p);
}

static void
sh__on_message(struct sim_party *p, int from, const uint8_t *msg, size_t len)
{
    sh__by_state(sim_party_state(p))->on_message(p, from, msg, len);
}

static void
sh__on_timer(struct sim_party *p, uint64_t id)
{
    sh__by_state(sim_party_state(p))->on_timer(p, id);
}

static void
sh__teardown(struct sim_party *p)
{
    void *st = sim_party_state(p);

    if (st != NULL) {
        sh__by_state(st)->teardown(p);
    }
}

static enum sim_adv_action
sh__tamper(struct sim_party *p, enum sim_behaviour b, int to, uint8_t *msg, size_t *len, size_t cap)
{
    void *st = sim_party_state(p);

    if (st == NULL) {
        return SIM_ADV_SEND;
    }
    return sh__by_state(st)->tamper(p, b, to, msg, len, cap);
}

/* see adapter.h */
int
shamir_rounds(const struct shamir_params *p)
{
    return computation_needs_mul(p->comp.kind) ? 3 : 2;
}

/* see adapter.h */
const char *
shamir_unsupported(const struct shamir_params *p, int n)
{
    if (n < 2) {
        return "Shamir sharing needs at least 2 parties";
    }
    if (p->comp.length == 0) {
        return "input vectors must have length >= 1";
    }
    if (computation_name(p->comp.kind) == NULL) {
        return "unknown computation";
    }
    if (p->threshold < 0 || p->threshold >= n) {
        return "threshold t must satisfy 0 <= t < parties";
    }
    if (computation_needs_mul(p->comp.kind) && n < 2 * p->threshold + 1) {
        return "variance and dot_product multiply: Shamir needs parties >= 2 threshold + 1";
    }
    if (p->comp.kind == COMPUTATION_WEIGHTED_SUM &&
        (p->comp.weights == NULL || p->comp.n_weights != (size_t)n)) {
        return "weighted_sum needs one weight per party";
    }
    if (p->field != FIELD_M61 && p->field != FIELD_M127) {
        return "unknown field";
    }
    return NULL;
}

/* see adapter.h */
const struct sim_protocol shamir_protocol = {
    .name = "shamir",
    .trial_setup = sh__trial_setup,
    .trial_teardown = sh__trial_teardown,
    .setup = sh__setup,
    .on_start = sh__on_start,
    .on_message = sh__on_message,
    .on_timer = sh__on_timer,
    .teardown = sh__teardown,
    .tamper = sh__tamper,
};
