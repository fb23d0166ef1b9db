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
/*
 * Split one CSV line in place (RFC 4180 quotes; the line's CR/LF is cut):
 * fields[i] point into `line`.  Returns the field count, or max + 1 when
 * there are more than max fields.  The reader of plot and check.
 */
int cli_csv_split(char *line, char **fields, int max);

#endif /* MPCSIM_SIM_CLI_COMMANDS_H */
