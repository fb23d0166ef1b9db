/* SPDX-License-Identifier: MIT */
/*
 * sim/cli/commands.h - the `mpcsim` subcommands.  Each takes its own argv
 * (argv[0] is the command name) and returns the process exit code:
 * 0 ok, 1 a trial ended in wrong_output (or a bench regression), 2 bad
 * input.
 */
#ifndef MPCSIM_SIM_CLI_COMMANDS_H
#define MPCSIM_SIM_CLI_COMMANDS_H

#include <stddef.h>

#include "common/mpcsim.h" /* MPCSIM_NODISCARD */

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

/* A CSV file read whole: a header and rows of cells pointing into `lines`. */
struct cli_csv_table {
    char *hdr_line; /* owned */
    char **hdr;     /* ncol names, pointing into hdr_line */
    int ncol;
    char **lines; /* owned, one per row */
    char **cells; /* nrows x ncol, pointing into lines */
    size_t nrows, cap;
};

/*
 * Append a copy of `line` as row t->nrows, split with cli_csv_split into
 * `fields` (scratch for max + 1 pointers).  The row is counted (its line
 * owned by t) whatever its width; its cells are kept when it has exactly
 * t->ncol fields.  Returns the field count (the caller reports a width
 * other than t->ncol) or MPCSIM_ENOMEM.
 */
MPCSIM_NODISCARD int cli_csv_table_add_row(struct cli_csv_table *t, const char *line, char **fields,
                                           int max);
/* Free every row and the header; t is left empty.  NULL-safe fields. */
void cli_csv_table_clear(struct cli_csv_table *t);
/* The cell of `row` in column `col`. */
const char *cli_csv_cell(const struct cli_csv_table *t, size_t row, int col);

#endif /* MPCSIM_SIM_CLI_COMMANDS_H */
