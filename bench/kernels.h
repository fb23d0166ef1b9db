/* SPDX-License-Identifier: MIT */
/*
 * bench/kernels.h - each module's kernel table (bench/kernels_*.c).  The
 * registry concatenates them; a module adds one function here.
 */
#ifndef MPCSIM_BENCH_KERNELS_H
#define MPCSIM_BENCH_KERNELS_H

#include <stddef.h>

#include "bench/bench.h"

/* The module's kernels (static storage); *count receives how many. */
const struct bench_kernel *bench_field_kernels(size_t *count);
const struct bench_kernel *bench_engine_kernels(size_t *count);
const struct bench_kernel *bench_paillier_kernels(size_t *count);
const struct bench_kernel *bench_sharing_kernels(size_t *count);
const struct bench_kernel *bench_secagg_kernels(size_t *count);
const struct bench_kernel *bench_compare_kernels(size_t *count);

#endif /* MPCSIM_BENCH_KERNELS_H */
