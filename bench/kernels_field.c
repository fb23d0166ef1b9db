/* SPDX-License-Identifier: MIT */
/*
 * bench/kernels_field.c - benchmark kernels of the field module.
 */
#include "bench/kernels.h"

/* see kernels.h */
const struct bench_kernel *
bench_field_kernels(size_t *count)
{
    *count = 0;
    return NULL;
}
