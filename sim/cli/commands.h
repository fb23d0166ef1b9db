/* SPDX-License-Identifier: MIT */
/*
 * sim/cli/commands.h - the `mpcsim` subcommands.  Each takes its own argv
 * (argv[0] is the command name) and returns the process exit code:
 * 0 ok, 1 a trial ended in wrong_output (or a bench regression), 2 bad
 * input.
 */
#ifndef MPCSIM_SIM_CLI_COMMANDS_H
#define MPCSIM_SIM_CLI_COMMANDS_H

#define CLI_EXIT_OK 0
#define CLI_EXIT_WRONG 1
#define CLI_EXIT_USAGE 2

int cli_run(int argc, char **argv);
/* This process's MPI rank (0 without MPI or outside mpirun). */
int cli_mpi_rank(void);
int cli_sweep(int argc, char **argv);
int cli_validate(int argc, char **argv);
int cli_plot(int argc, char **argv);

#endif /* MPCSIM_SIM_CLI_COMMANDS_H */
