/* SPDX-License-Identifier: MIT */
/*
 * common/escape.h - text from scenarios and file names made safe for a
 * terminal: every control byte (C0, DEL) and every byte of an invalid
 * UTF-8 sequence becomes a visible escape, so a scenario string cannot
 * send terminal control sequences (OSC 52 clipboard writes, cursor moves)
 * through mpcsim's messages, tables or progress lines.
 */
#ifndef MPCSIM_COMMON_ESCAPE_H
#define MPCSIM_COMMON_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/*
 * Write `s` to `out` (capacity `cap` >= 1, always NUL-terminated) with
 * control bytes as \n, \t, \r, \e or \xHH, a backslash as \\, and bytes
 * of invalid UTF-8 as \xHH.  Valid multibyte UTF-8 is kept.  Output that
 * does not fit is cut at a whole escape and ends in "..." when cap >= 4.
 * Returns the length written (excluding the NUL).  s == NULL writes "".
 */
size_t mpcsim_escape(char *out, size_t cap, const char *s);

/* The same escaping, written to `f` with no length limit. */
void mpcsim_escape_fputs(FILE *f, const char *s);

#endif /* MPCSIM_COMMON_ESCAPE_H */
