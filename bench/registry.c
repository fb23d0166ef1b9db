/* SPDX-License-Identifier: MIT */
/*
 * bench/registry.c - every module's kernels, concatenated in one table.
 */
#include "bench/bench.h"

#include <string.h>

#include "bench/kernels.h"

#define BENCH_MAX_KERNELS 256

#define BENCH_MAX_EXTRA 8

static bench_table_fn *const tables[] = {
    bench_field_kernels,   bench_engine_kernels, bench_paillier_kernels,
    bench_sharing_kernels, bench_secagg_kernels, bench_compare_kernels,
};

/* Tables from layers above bench/ (the front end's whole-scenario kernels). */
static bench_table_fn *extra[BENCH_MAX_EXTRA];
static size_t n_extra = 0;

/* see bench.h */
void
bench_add_kernels(bench_table_fn *fn)
{
    MPCSIM_ASSERT(n_extra < BENCH_MAX_EXTRA);
    extra[n_extra++] = fn;
}

static size_t
append_table(struct bench_kernel *all, size_t n_all, bench_table_fn *fn)
{
    size_t k = 0;
    const struct bench_kernel *ks = fn(&k);

    MPCSIM_ASSERT(n_all + k <= BENCH_MAX_KERNELS);
    if (k > 0) {
        memcpy(&all[n_all], ks, k * sizeof(*ks));
    }
    return n_all + k;
}

/* see bench.h */
const struct bench_kernel *
bench_kernels(size_t *count)
{
    static struct bench_kernel all[BENCH_MAX_KERNELS];
    static size_t n_all = 0;

    if (n_all == 0) {
        for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
            n_all = append_table(all, n_all, tables[t]);
        }
        for (size_t t = 0; t < n_extra; t++) {
            n_all = append_table(all, n_all, extra[t]);
        }
    }
    *count = n_all;
    return all;
}
