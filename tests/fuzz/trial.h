/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/trial.h - drive a protocol's message decoders with fuzz
 * bytes through a real trial (static: each target gets its own copy).
 *
 * A small trial runs the real adapter; one party is corrupted with
 * behaviour SIM_MALFORMED and the adapter's own tamper hook is replaced by
 * one that reads the fuzz input: every message that party sends (one call
 * per receiver, a broadcast included) takes the next record and becomes
 *     op % 6 == 0  the original bytes
 *              1  the record's bytes (cut to the engine's cap)
 *              2  the original XORed with the record's bytes
 *              3  the original cut to the record's length
 *              4  dropped
 *              5  delayed by the scenario's adversary delay
 * Once the records run out every message passes unchanged, so the honest
 * parties meet real tampered bytes in whatever state the trial has
 * reached.  Input layout:
 *     hdr[FUZZ_TRIAL_HDR]  the protocol's own parameters (fuzz_<name>.c)
 *     records              op:1, len:2 (little-endian), bytes[len]
 * A record's len is cut to what is left of the input.
 *
 * Capture: with fuzz_trial.capture set, each message is passed unchanged
 * and written as an op-1 record, so header + capture is a seed that
 * replays the honest run with real encoded messages (msg_seeds.c).
 *
 * Not thread-safe: the tamper hook finds its input through a static.
 */
#ifndef MPCSIM_TESTS_FUZZ_TRIAL_H
#define MPCSIM_TESTS_FUZZ_TRIAL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim.h"

/* Header bytes every target reserves for its parameters. */
#define FUZZ_TRIAL_HDR 8
/* Input values are small: the point is the decoders, not overflow. */
#define FUZZ_TRIAL_MAX_L 3

struct fuzz_trial {
    const struct sim_protocol *real; /* the adapter under test */
    struct sim_protocol wrap;        /* real, with tamper replaced */
    const uint8_t *rec;              /* the records */
    size_t rec_len, pos;
    FILE *capture; /* not NULL: record every message instead */
};

static struct fuzz_trial *fuzz_trial__cur;

static enum sim_adv_action
fuzz_trial__tamper(struct sim_party *p, enum sim_behaviour b, int to, uint8_t *msg, size_t *len,
                   size_t cap)
{
    struct fuzz_trial *ft = fuzz_trial__cur;
    const uint8_t *bytes;
    size_t n;
    uint8_t op;

    (void)p;
    (void)b;
    (void)to;
    if (ft->capture != NULL) {
        uint8_t h[3] = {1, (uint8_t)(*len & 0xff), (uint8_t)(*len >> 8)};

        if (*len <= 0xffff) {
            fwrite(h, 1, sizeof(h), ft->capture);
            fwrite(msg, 1, *len, ft->capture);
        }
        return SIM_ADV_SEND;
    }
    if (ft->rec_len - ft->pos < 3) {
        return SIM_ADV_SEND;
    }
    op = ft->rec[ft->pos];
    n = (size_t)ft->rec[ft->pos + 1] | (size_t)ft->rec[ft->pos + 2] << 8;
    ft->pos += 3;
    if (n > ft->rec_len - ft->pos) {
        n = ft->rec_len - ft->pos;
    }
    bytes = ft->rec + ft->pos;
    ft->pos += n;
    switch (op % 6) {
    case 1:
        *len = n < cap ? n : cap;
        if (*len > 0) {
            memcpy(msg, bytes, *len);
        }
        return SIM_ADV_SEND;
    case 2:
        for (size_t i = 0; i < n && i < *len; i++) {
            msg[i] ^= bytes[i];
        }
        return SIM_ADV_SEND;
    case 3:
        if (n < *len) {
            *len = n;
        }
        return SIM_ADV_SEND;
    case 4:
        return SIM_ADV_DROP;
    case 5:
        return SIM_ADV_DELAY;
    default:
        return SIM_ADV_SEND;
    }
}

/*
 * Run one trial of `proto` with `params` among n parties, party `bad`
 * corrupted, on a network whose latency (uniform 1..max_ms ms, so
 * messages of different rounds overtake each other) and seed come from
 * `seed`; records from rec[0, rec_len).  Inputs: party i's element k is
 * (i + 1) * 1000 + k, or -(...) for odd i.  Returns sim_create's or
 * sim_run's result (the trial's outcome is not checked: any outcome but a
 * crash, a sanitizer report or a leak is acceptable).
 */
static int
fuzz_trial_run(struct fuzz_trial *ft, const struct sim_protocol *proto, const void *params, int n,
               int bad, size_t L, uint64_t seed, double max_ms, const uint8_t *rec, size_t rec_len)
{
    mpcsim_i128 vals[16][FUZZ_TRIAL_MAX_L];
    const mpcsim_i128 *inputs[16];
    size_t input_len[16];
    enum sim_behaviour beh[16];
    struct sim_config cfg;
    struct sim *sim = NULL;
    int rc;

    if (n < 2 || n > 16 || L < 1 || L > FUZZ_TRIAL_MAX_L) {
        return MPCSIM_EINVAL;
    }
    ft->real = proto;
    ft->wrap = *proto;
    ft->wrap.tamper = fuzz_trial__tamper;
    ft->rec = rec;
    ft->rec_len = rec_len;
    ft->pos = 0;
    fuzz_trial__cur = ft;
    for (int i = 0; i < n; i++) {
        for (size_t k = 0; k < L; k++) {
            int64_t v = (int64_t)(i + 1) * 1000 + (int64_t)k;

            vals[i][k] = (i & 1) ? -v : v;
        }
        inputs[i] = vals[i];
        input_len[i] = L;
        beh[i] = i == bad ? SIM_MALFORMED : SIM_HONEST;
    }
    sim_config_init(&cfg, n, seed);
    cfg.inputs = inputs;
    cfg.input_len = input_len;
    cfg.behaviour = beh;
    cfg.net.latency.kind = SIM_LATENCY_UNIFORM;
    cfg.net.latency.min_ms = 1;
    cfg.net.latency.max_ms = max_ms > 1 ? max_ms : 1;
    cfg.adversary_delay_ns = 50 * SIM_NS_PER_MS;
    cfg.round_timeout_ns = 200 * SIM_NS_PER_MS;
    cfg.max_events = 100000;
    cfg.max_sim_time_ns = 3600 * INT64_C(1000) * SIM_NS_PER_MS;
    rc = sim_create(&sim, &cfg, &ft->wrap, params);
    if (rc == 0) {
        rc = sim_run(sim);
        sim_destroy(sim);
    }
    fuzz_trial__cur = NULL;
    return rc;
}

#endif /* MPCSIM_TESTS_FUZZ_TRIAL_H */
