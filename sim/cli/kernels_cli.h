/* SPDX-License-Identifier: MIT */
/*
 * sim/cli/kernels_cli.h - the front end's bench kernels (scenario load,
 * whole scenarios per protocol).
 */
#ifndef MPCSIM_SIM_CLI_KERNELS_CLI_H
#define MPCSIM_SIM_CLI_KERNELS_CLI_H

#include <stddef.h>

#include "bench/bench.h"

const struct bench_kernel *cli_bench_kernels(size_t *count);

#endif /* MPCSIM_SIM_CLI_KERNELS_CLI_H */
