/* SPDX-License-Identifier: MIT */
/*
 * sim/stream.h - keyed, counter-based random streams for simulation
 * randomness (inputs, dropouts, adversary choice, network draws), and the
 * checked conversion of a drawn duration to simulated nanoseconds.
 *
 * A stream is named by a 64-bit key derived from the whole of its name
 * (seed, trial, purpose, party or link, index: sim_stream_key), and its
 * k-th 64-bit output is splitmix64's output k for that key (Steele, Lea
 * and Flood, "Fast splittable pseudorandom number generators", OOPSLA
 * 2014): output(key, k) = mix64(key + (k + 1) * 0x9e3779b97f4a7c15).
 * So a draw depends only on its name, never on how many draws other
 * streams made before it (common random numbers: two protocols' k-th
 * message on a link see the same latency draw), and every bit of the key
 * matters (gsl_rng_set() would keep only 32 bits of a seed).
 *
 * `struct sim_stream` wraps a stream as a gsl_rng with 32-bit outputs
 * (the top half of each 64-bit output; gsl_rng_uniform uses 53 bits of
 * one output), so every gsl_ran_* distribution works on it unchanged.
 */
#ifndef MPCSIM_SIM_STREAM_H
#define MPCSIM_SIM_STREAM_H

#include <stdint.h>

#include <gsl/gsl_rng.h>

/* A stream as a GSL generator.  Not copyable once initialised (rng.state
 * points into it): keep it where sim_stream_init() put it. */
struct sim_stream {
    gsl_rng rng;
    struct {
        uint64_t key, ctr;
    } st;
};

/* The stream key of (seed, purpose, a, b): a mix of all 4 x 64 bits. */
uint64_t sim_stream_key(uint64_t seed, uint64_t purpose, uint64_t a, uint64_t b);

/* A key for (base, a, b) under a key `base` already derived with
 * sim_stream_key: two mixing steps (per-message streams on hot paths). */
uint64_t sim_stream_subkey(uint64_t base, uint64_t a, uint64_t b);

/* Output `index` of stream `key` (64 bits). */
uint64_t sim_stream_at(uint64_t key, uint64_t index);

/* A uniform double in [0, 1) (53 bits) from output `index` of stream `key`. */
double sim_stream_uniform_at(uint64_t key, uint64_t index);

/* Start stream `key` at output 0; s->rng is then a gsl_rng. */
void sim_stream_init(struct sim_stream *s, uint64_t key);

/* The next 64-bit word, built from two 32-bit outputs of the generator. */
uint64_t sim_stream_u64(struct sim_stream *s);

/*
 * A uniform integer in [lo, hi] (lo <= hi, any int64 values), exact and
 * unbiased: rejection sampling on 64-bit words (Lemire-style threshold
 * 2^64 mod span), never through double.
 */
int64_t sim_stream_int_range(struct sim_stream *s, int64_t lo, int64_t hi);

/*
 * The simulation horizon: every duration converted to simulated time, and
 * every event time, is clamped to [0, SIM_HORIZON_NS] (2^62 ns, about 146
 * years), so no draw (pareto with a tiny alpha, lognormal with a large
 * sigma, a bandwidth near 0) can overflow the int64 clock.
 */
#define SIM_HORIZON_NS (INT64_C(1) << 62)

/* x (ns, any double) rounded to the nearest ns (halves away from 0, as
 * llround) and clamped to [0, SIM_HORIZON_NS]; NaN gives SIM_HORIZON_NS.
 * Inline and without a libm call: it is on the per-message path. */
static inline int64_t
sim_ns_clamp(double x)
{
    if (x < 0x1p52) { /* false for NaN */
        int64_t t;

        if (!(x > 0.0)) {
            return 0;
        }
        t = (int64_t)x;                          /* floor: x >= 0 */
        return x - (double)t >= 0.5 ? t + 1 : t; /* x - t is exact below 2^52 */
    }
    return x < (double)SIM_HORIZON_NS ? (int64_t)x : SIM_HORIZON_NS; /* x is integral here */
}

/* a + b for times in [0, SIM_HORIZON_NS], clamped to SIM_HORIZON_NS. */
static inline int64_t
sim_time_add(int64_t a, int64_t b)
{
    return b > SIM_HORIZON_NS - a ? SIM_HORIZON_NS : a + b;
}

#endif /* MPCSIM_SIM_STREAM_H */
