/* SPDX-License-Identifier: MIT */
/*
 * bench/bench.h - benchmark kernels and the harness that times them.
 *
 * A kernel prepares its inputs once (setup), runs `iters` iterations of
 * the measured operation (run), and checks that what it computed is right
 * (check) before the harness prints a rate: a kernel that computes the
 * wrong thing fast is a bug (libuv's rule).  Kernels live in
 * bench/kernels_*.c, one file per module, and are listed in
 * bench/registry.c.
 */
#ifndef MPCSIM_BENCH_BENCH_H
#define MPCSIM_BENCH_BENCH_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/mpcsim.h"

struct bench_kernel {
    const char *name;      /* "field/mul_scalar", matched by --filter */
    const char *item;      /* what items_per_iter counts: "mul", "term", "event" */
    double items_per_iter; /* items per iteration, for items/s and ns/item */
    /* Allocate inputs; store them in *state.  0 or MPCSIM_E*. */
    int (*setup)(void **state);
    /* The measured region: `iters` iterations.  Must not be optimised away. */
    void (*run)(void *state, uint64_t iters);
    /* 0 if the results of the last run() are right, else non-zero.  May be NULL. */
    int (*check)(void *state);
    void (*teardown)(void *state);
    /* Iterations for --count-instructions (fixed, so counts repeat); 0 = 1. */
    uint64_t fixed_iters;
};

typedef const struct bench_kernel *bench_table_fn(size_t *count);

/*
 * Add a table of kernels from a layer above bench/ (bench links only the
 * libraries below it; the front end adds its whole-scenario kernels this
 * way).  Call before bench_kernels(); at most 8 tables.
 */
void bench_add_kernels(bench_table_fn *fn);

/* Every kernel, in display order; *count receives how many. */
const struct bench_kernel *bench_kernels(size_t *count);

/*
 * Keep `value` alive as far as the optimiser can see (Google Benchmark's
 * DoNotOptimize).
 */
static inline void
bench_keep(uint64_t value)
{
#if defined(__GNUC__) || defined(__clang__)
    __asm__ volatile("" : : "r"(value) : "memory");
#else
    (void)value;
#endif
}

/*
 * Compare instruction counts (per iteration) of kernels names[i] with a
 * baseline JSON text (NUL-terminated) written by `--count-instructions
 * --json`; print one line per kernel to `out`.  Returns how many got worse
 * than `threshold` (a fraction: 0.05 = 5 %).  Fails closed, with a message
 * on stderr: MPCSIM_EPARSE when the baseline is not JSON (RFC 8259: no NaN
 * or Infinity; empty or truncated text) or holds an "instructions" value
 * that is not a finite number > 0; MPCSIM_EINVAL when it has a count for
 * none of the n kernels.  Kernels missing from a baseline that has some of
 * them are listed as new, not as regressions.
 */
int bench_compare(FILE *out, const char *baseline_json, const char *const *names,
                  const double *counts, size_t n, double threshold);

/* Options of `mpcsim bench`; see bench_main. */
int bench_main(int argc, char **argv);

#endif /* MPCSIM_BENCH_BENCH_H */
