/* SPDX-License-Identifier: MIT */
/*
 * sim/stream.c - see stream.h.  A draw costs a few multiplications: cheap
 * enough to derive one stream per message of a large run.
 */
#include "sim/stream.h"

#define GOLDEN UINT64_C(0x9e3779b97f4a7c15)

static inline uint64_t
mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* see stream.h */
uint64_t
sim_stream_key(uint64_t seed, uint64_t purpose, uint64_t a, uint64_t b)
{
    uint64_t k = mix64(seed + GOLDEN);

    k = mix64(k ^ mix64(purpose + 2 * GOLDEN));
    k = mix64(k ^ mix64(a + 3 * GOLDEN));
    return mix64(k ^ mix64(b + 4 * GOLDEN));
}

/* see stream.h */
uint64_t
sim_stream_subkey(uint64_t base, uint64_t a, uint64_t b)
{
    /* mix64 is a bijection and a -> a * GOLDEN is one (GOLDEN is odd), so
     * distinct a give distinct inner values, and for each, distinct b give
     * distinct keys; across a, a collision is a 2^-64 event. */
    return mix64(mix64(base + a * GOLDEN) ^ (b * UINT64_C(0xd1b54a32d192ed03) + 1));
}

/* see stream.h */
uint64_t
sim_stream_at(uint64_t key, uint64_t index)
{
    return mix64(key + (index + 1) * GOLDEN);
}

/* see stream.h */
double
sim_stream_uniform_at(uint64_t key, uint64_t index)
{
    return (double)(sim_stream_at(key, index) >> 11) * 0x1p-53;
}

static void
stream_set(void *state, unsigned long seed)
{
    uint64_t *st = state;

    st[0] = (uint64_t)seed;
    st[1] = 0;
}

static unsigned long
stream_get(void *state)
{
    uint64_t *st = state;

    st[1] += GOLDEN;
    return (unsigned long)(mix64(st[0] + st[1]) >> 32);
}

static double
stream_get_double(void *state)
{
    uint64_t *st = state;

    st[1] += GOLDEN;
    return (double)(mix64(st[0] + st[1]) >> 11) * 0x1p-53;
}

static const gsl_rng_type stream_type = {
    "mpcsim_splitmix64", 0xffffffffUL,      0, 2 * sizeof(uint64_t), stream_set,
    stream_get,          stream_get_double,
};

/* see stream.h */
void
sim_stream_init(struct sim_stream *s, uint64_t key)
{
    s->rng.type = &stream_type;
    s->rng.state = &s->st;
    s->st.key = key;
    s->st.ctr = 0;
}

/* see stream.h */
uint64_t
sim_stream_u64(struct sim_stream *s)
{
    uint64_t hi = (uint64_t)gsl_rng_get(&s->rng);

    return hi << 32 | (uint64_t)gsl_rng_get(&s->rng);
}

/* see stream.h */
int64_t
sim_stream_int_range(struct sim_stream *s, int64_t lo, int64_t hi)
{
    uint64_t span = (uint64_t)hi - (uint64_t)lo + 1; /* 0: all 2^64 values */
    uint64_t u = sim_stream_u64(s);

    if (span != 0) {
        uint64_t threshold = (0 - span) % span; /* 2^64 mod span */

        while (u < threshold) {
            u = sim_stream_u64(s);
        }
        u %= span;
    }
    return (int64_t)((uint64_t)lo + u);
}
