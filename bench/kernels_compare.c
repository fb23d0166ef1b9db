/* SPDX-License-Identifier: MIT */
/*
 * bench/kernels_compare.c - secure comparison (protocols/mpc/compare.h):
 *
 * compare/{shamir,additive_mac}/n=5/l=64/batch=64: 64 comparisons of
 *     64-bit quantities in one circuit (one batch: the rounds of one),
 *     every party of the run in this process (mpc_compare_batch: dealer
 *     material, messages encoded and decoded, robust decoding or the MAC
 *     check); an item is one comparison.  The check compares every bit
 *     with the plaintext [a < b].
 */
#include "bench/kernels.h"

#include <string.h>

#include "common/alloc.h"
#include "protocols/mpc/compare.h"

#define CMP_BATCH 64

struct cmp_bench {
    enum mpc_scheme scheme;
    int64_t a[CMP_BATCH], b[CMP_BATCH];
    uint8_t out[CMP_BATCH];
    int rc;
    uint64_t seed;
};

static int
cmp_setup(void **state, enum mpc_scheme scheme)
{
    struct cmp_bench *b = mpcsim_calloc(1, sizeof(*b));
    uint64_t x = 0x9e3779b97f4a7c15ULL;

    if (b == NULL) {
        return MPCSIM_ENOMEM;
    }
    b->scheme = scheme;
    for (int k = 0; k < CMP_BATCH; k++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        b->a[k] = (int64_t)(x >> 2) - (INT64_C(1) << 61);
        b->b[k] = (int64_t)((x * 31) >> 2) - (INT64_C(1) << 61);
    }
    b->b[0] = b->a[0]; /* equal inputs */
    *state = b;
    return 0;
}

static int
cmp_setup_shamir(void **state)
{
    return cmp_setup(state, MPC_SHAMIR);
}

static int
cmp_setup_additive(void **state)
{
    return cmp_setup(state, MPC_ADDITIVE);
}

static void
cmp_run(void *state, uint64_t iters)
{
    struct cmp_bench *b = state;

    for (uint64_t it = 0; it < iters; it++) {
        b->rc |= mpc_compare_batch(b->out, b->a, b->b, CMP_BATCH, b->scheme, 5, 2, MPC_FIELD_M127,
                                   64, 40, ++b->seed);
        bench_keep(b->out[CMP_BATCH - 1]);
    }
}

static int
cmp_check(void *state)
{
    struct cmp_bench *b = state;

    for (int k = 0; k < CMP_BATCH; k++) {
        if (b->out[k] != (b->a[k] < b->b[k])) {
            return 1;
        }
    }
    return b->rc;
}

static void
cmp_teardown(void *state)
{
    mpcsim_free(state);
}

static const struct bench_kernel kernels[] = {
    {"compare/shamir/n=5/l=64/batch=64", "cmp", CMP_BATCH, cmp_setup_shamir, cmp_run, cmp_check,
     cmp_teardown, 1},
    {"compare/additive_mac/n=5/l=64/batch=64", "cmp", CMP_BATCH, cmp_setup_additive, cmp_run,
     cmp_check, cmp_teardown, 1},
};

/* see kernels.h */
const struct bench_kernel *
bench_compare_kernels(size_t *count)
{
    *count = sizeof(kernels) / sizeof(kernels[0]);
    return kernels;
}
