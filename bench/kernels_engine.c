/* SPDX-License-Identifier: MIT */
/*
 * bench/kernels_engine.c - benchmark kernels of the engine module.
 */
#include "bench/kernels.h"

/* see kernels.h */
const struct bench_kernel *
bench_engine_kernels(size_t *count)
{
    *count = 0;
    return NULL;
}
