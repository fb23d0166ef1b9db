/* SPDX-License-Identifier: MIT */
/*
 * bench/registry.c - every module's kernels, concatenated in one table.
 */
#include "bench/bench.h"

#include <string.h>

#include "bench/kernels.h"

#define BENCH_MAX_KERNELS 256

typedef const struct bench_kernel *bench_table_fn(size_t *count);

static bench_table_fn *const tables[] = {
    bench_field_kernels,
    bench_engine_kernels,
    bench_paillier_kernels,
};

/* see bench.h */
const struct bench_kernel *
bench_kernels(size_t *count)
{
    static struct bench_kernel all[BENCH_MAX_KERNELS];
    static size_t n_all = 0;

    if (n_all == 0) {
        for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
            size_t k = 0;
            const struct bench_kernel *ks = tables[t](&k);

            MPCSIM_ASSERT(n_all + k <= BENCH_MAX_KERNELS);
            if (k > 0) {
                memcpy(&all[n_all], ks, k * sizeof(*ks));
            }
            n_all += k;
        }
    }
    *count = n_all;
    return all;
}
