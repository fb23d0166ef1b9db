/* SPDX-License-Identifier: MIT */
/*
 * sim/cli/main.c - the mpcsim executable: dispatch to a subcommand.
 */
#include <stdio.h>
#include <string.h>

#include <stdlib.h>

#ifdef MPCSIM_HAVE_MPI
#include <mpi.h>
#endif

#include <gsl/gsl_errno.h>
#include <sodium.h>

#include "bench/bench.h"
#include "common/mpcsim.h"
#include "protocols/paillier/adapter.h"
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
    const char *cmd = argc > 1 ? argv[1] : NULL;

    gsl_set_error_handler_off(); /* GSL aborts by default; we check return codes */
    if (sodium_init() < 0) {
        fprintf(stderr, "mpcsim: libsodium failed to initialise\n");
        return 2;
    }
    if (cmd == NULL) {
        usage(stderr);
        return 2;
    }
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
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
    if (strcmp(cmd, "bench") == 0) {
        bench_add_kernels(cli_bench_kernels);
        return bench_main(argc - 1, argv + 1);
    }
    fprintf(stderr, "mpcsim: unknown command '%s' (see mpcsim --help)\n", cmd);
    return 2;
}
