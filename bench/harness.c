/* SPDX-License-Identifier: MIT */
/* bench/harness.c - placeholder, being written. */
#include "bench/bench.h"

int
bench_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return 0;
}
