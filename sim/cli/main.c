/* SPDX-License-Identifier: MIT */
/*
 * sim/cli/main.c - the mpcsim executable: dispatch to a subcommand.
 */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef MPCSIM_HAVE_MPI
#include <mpi.h>
#endif

#include <gsl/gsl_errno.h>
#include <sodium.h>

#include "bench/bench.h"
#include "common/escape.h"
#include "common/mpcsim.h"
#include "protocols/paillier/adapter.h"
#include "sim/cli/check.h"
#include "sim/cli/commands.h"
#include "sim/cli/kernels_cli.h"
#include "sim/cli/registry.h"

static void
usage(FILE *f)
{
    size_t n = 0;
    const struct registry_entry *all = registry_all(&n);

    fprintf(f,
            "mpcsim %s - a discrete-event simulator and benchmark harness for MPC protocols\n"
            "\n"
            "usage: mpcsim COMMAND [ARGS]\n"
            "\n"
            "commands:\n"
            "  run SCENARIO.yaml      run a scenario's trials; summary, --csv, --json\n"
            "  sweep SCENARIO.yaml    run a sweep's grid on all cores; aggregates, CIs\n"
            "  validate SCENARIO...   check scenarios without running them\n"
            "  plot RESULTS.csv       draw a figure with gnuplot (--x, --y, --by)\n"
            "  check SCENARIO...      compare results with a committed baseline (CI)\n"
            "  bench                  time the hot paths (--filter, --json, --list)\n"
            "\n"
            "protocols:\n",
            MPCSIM_VERSION);
    for (size_t i = 0; i < n; i++) {
        if (!all[i].test_only) {
            fprintf(f, "  %-10s %s\n", all[i].kind, all[i].summary);
        }
    }
    fprintf(f, "\n'mpcsim COMMAND --help' describes a command.  Exit codes: 0 ok,\n"
               "1 a trial ended in wrong_output (or a bench regression), 2 bad input.\n");
}

static int dispatch(int argc, char **argv);

int
main(int argc, char **argv)
{
    int rc = dispatch(argc, argv);

    paillier_dealer_cache_clear(); /* the process-wide key cache: leave nothing behind */
    return rc;
}

static int
dispatch(int argc, char **argv)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    const char *cmd;
    int c;

    gsl_set_error_handler_off(); /* GSL aborts by default; we check return codes */
    if (sodium_init() < 0) {
        fprintf(stderr, "mpcsim: libsodium failed to initialise\n");
        return 2;
    }
    /* Options before the command ('+': stop at the command, whose options are its own). */
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+hV", opts, NULL)) != -1) {
        if (c == 'h') {
            usage(stdout);
            return 0;
        }
        if (c == 'V') {
            printf("mpcsim %s\n", MPCSIM_VERSION);
            return 0;
        }
        fprintf(stderr, "mpcsim: unknown option '");
        mpcsim_escape_fputs(stderr, argv[optind - 1]);
        fprintf(stderr, "' before the command (see mpcsim --help)\n");
        return 2;
    }
    if (optind >= argc) {
        usage(stderr);
        return 2;
    }
    cmd = argv[optind];
    argv += optind - 1; /* argv[1] is the command, as below */
    argc -= optind - 1;
    optind = 0; /* each command scans its own arguments afresh */
    if (strcmp(cmd, "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(cmd, "version") == 0) {
        printf("mpcsim %s\n", MPCSIM_VERSION);
        return 0;
    }
    if (strcmp(cmd, "run") == 0) {
        return cli_run(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "sweep") == 0) {
#ifdef MPCSIM_HAVE_MPI
        /* Only under a launcher: a plain `mpcsim sweep` needs no MPI runtime. */
        if (getenv("OMPI_COMM_WORLD_SIZE") != NULL || getenv("PMI_SIZE") != NULL ||
            getenv("PMIX_RANK") != NULL) {
            int rc;

            MPI_Init(&argc, &argv);
            rc = cli_sweep(argc - 1, argv + 1);
            MPI_Finalize();
            return rc;
        }
#endif
        return cli_sweep(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "validate") == 0) {
        return cli_validate(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "plot") == 0) {
        return cli_plot(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "check") == 0) {
        return cli_check(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "bench") == 0) {
        bench_add_kernels(cli_bench_kernels);
        return bench_main(argc - 1, argv + 1);
    }
    fprintf(stderr, "mpcsim: unknown command '");
    mpcsim_escape_fputs(stderr, cmd);
    fprintf(stderr, "' (see mpcsim --help)\n");
    return 2;
}
