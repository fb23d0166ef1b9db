/* SPDX-License-Identifier: MIT */
/*
 * protocols/additive/adapter.c - see adapter.h.  The protocol itself is
 * adapter_impl.h, instantiated per field (adapter_m61.c, adapter_m127.c);
 * additive_protocol forwards each callback to the instantiation of the
 * trial's field: from the params in trial_setup/setup, else from the
 * enum field_kind that begins the trial and party state.
 */
#include "protocols/additive/adapter.h"

#include "protocols/additive/adapter_int.h"

static const struct sim_protocol *
ad__by_kind(enum field_kind k)
{
    return k == FIELD_M127 ? &additive_protocol_m127 : &additive_protocol_m61;
}

static const struct sim_protocol *
ad__by_state(const void *state)
{
    return ad__by_kind(*(const enum field_kind *)state);
}

static const struct sim_protocol *
ad__by_cfg(const struct sim_protocol_cfg *cfg)
{
    const struct additive_params *prm = cfg->params;

    return ad__by_kind(prm != NULL ? prm->field : FIELD_M61);
}

static int
ad__trial_setup(struct sim *sim, void **trial_out, const struct sim_protocol_cfg *cfg0,
                const uint8_t trial_key[32])
{
    return ad__by_cfg(cfg0)->trial_setup(sim, trial_out, cfg0, trial_key);
}

static void
ad__trial_teardown(void *trial)
{
    if (trial != NULL) {
        ad__by_state(trial)->trial_teardown(trial);
    }
}

static int
ad__setup(struct sim_party *p, const struct sim_protocol_cfg *cfg)
{
    return ad__by_cfg(cfg)->setup(p, cfg);
}

static void
ad__on_start(struct sim_party *p)
{
    ad__by_state(sim_party_state(p))->on_start(p);
}

static void
ad__on_message(struct sim_party *p, int from, const uint8_t *msg, size_t len)
{
    ad__by_state(sim_party_state(p))->on_message(p, from, msg, len);
}

static void
ad__on_timer(struct sim_party *p, uint64_t id)
{
    ad__by_state(sim_party_state(p))->on_timer(p, id);
}

static void
ad__teardown(struct sim_party *p)
{
    void *st = sim_party_state(p);

    if (st != NULL) {
        ad__by_state(st)->teardown(p);
    }
}

static enum sim_adv_action
ad__tamper(struct sim_party *p, enum sim_behaviour b, int to, uint8_t *msg, size_t *len, size_t cap)
{
    void *st = sim_party_state(p);

    if (st == NULL) {
        return SIM_ADV_SEND;
    }
    return ad__by_state(st)->tamper(p, b, to, msg, len, cap);
}

/* see adapter.h */
int
additive_rounds(const struct additive_params *p)
{
    return 2 + (computation_needs_mul(p->comp.kind) ? 1 : 0) + (p->mac ? 2 : 0);
}

/* see adapter.h */
const char *
additive_unsupported(const struct additive_params *p, int n)
{
    if (n < 2) {
        return "additive sharing needs at least 2 parties";
    }
    if (p->comp.length == 0) {
        return "input vectors must have length >= 1";
    }
    if (p->comp.kind == COMPUTATION_WEIGHTED_SUM &&
        (p->comp.weights == NULL || p->comp.n_weights != (size_t)n)) {
        return "weighted_sum needs one weight per party";
    }
    if (computation_name(p->comp.kind) == NULL) {
        return "unknown computation";
    }
    if (p->field != FIELD_M61 && p->field != FIELD_M127) {
        return "unknown field";
    }
    return NULL;
}

/* see adapter.h */
const struct sim_protocol additive_protocol = {
    .name = "additive",
    .trial_setup = ad__trial_setup,
    .trial_teardown = ad__trial_teardown,
    .setup = ad__setup,
    .on_start = ad__on_start,
    .on_message = ad__on_message,
    .on_timer = ad__on_timer,
    .teardown = ad__teardown,
    .tamper = ad__tamper,
};
