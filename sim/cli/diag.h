/* SPDX-License-Identifier: MIT */
/*
 * sim/cli/diag.h - diagnostics for people: every error about an input file
 * is "FILE:LINE:COL: error: MESSAGE", collected so that one run reports
 * all of them, and printed in the order found.
 */
#ifndef MPCSIM_SIM_CLI_DIAG_H
#define MPCSIM_SIM_CLI_DIAG_H

#include <stddef.h>
#include <stdio.h>

#include "common/mpcsim.h"

#define DIAG_MAX 100 /* errors kept; later ones are counted, not stored */

struct diag {
    char *msgs[DIAG_MAX];
    size_t n;       /* stored */
    size_t dropped; /* counted beyond DIAG_MAX */
    int oom;        /* an error could not be stored */
};

void diag_init(struct diag *d);
void diag_clear(struct diag *d);
/* Record "file:line:col: error: fmt..." (line, col 1-based; 0 = omit). */
void diag_error(struct diag *d, const char *file, size_t line, size_t col, const char *fmt, ...)
    MPCSIM_PRINTF(5, 6);
/* Number of errors recorded. */
size_t diag_count(const struct diag *d);
/*
 * Print every error, one per line, then a count if some were dropped.
 * Control bytes and invalid UTF-8 in a message (scenario text, file
 * names) are escaped (common/escape.h).
 */
void diag_print(const struct diag *d, FILE *out);

/*
 * The candidate nearest to `word` by edit distance, if it is close enough
 * to be a likely typo (distance <= max(2, len/3)); NULL otherwise.
 */
const char *diag_nearest(const char *word, const char *const *candidates, size_t n);

#endif /* MPCSIM_SIM_CLI_DIAG_H */
