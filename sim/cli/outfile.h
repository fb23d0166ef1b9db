/* SPDX-License-Identifier: MIT */
/*
 * sim/cli/outfile.h - result files that are never lost or left half
 * written (issue 14).
 *
 * A file is written to a temporary file beside its target
 * (TARGET.tmp-PID, same directory, so rename(2) is atomic) and renamed
 * into place only when complete; until then the previous file at TARGET
 * is untouched.  An interrupted run renames what it has (the caller
 * first completes it into a valid file) to TARGET.partial instead.  A
 * write error removes the temporary file.  "-" is stdout; a target that
 * exists and is not a regular file (a FIFO, /dev/null, /dev/full) is
 * written directly.
 *
 * The signal part: outfile_signals_install() turns SIGINT, SIGTERM and
 * SIGHUP into a flag the run polls (outfile_signal()), so a run can stop
 * scheduling, save its finished prefix and exit 128 + signal.
 */
#ifndef MPCSIM_SIM_CLI_OUTFILE_H
#define MPCSIM_SIM_CLI_OUTFILE_H

#include <stddef.h>
#include <stdio.h>

#include "common/path.h" /* mpcsim_same_path */

#include "common/mpcsim.h"

struct outfile {
    FILE *f;      /* write here; NULL when not open */
    char *target; /* owned: the path as given ("-" for stdout) */
    char *tmp;    /* owned: the temporary file, NULL when written directly */
    int direct;   /* stdout or a non-regular file: no temporary, no rename */
};

/*
 * Open `path` for writing ("-" = stdout).  Returns 0 or MPCSIM_EIO (errno
 * set; nothing created) / MPCSIM_ENOMEM.  Close with outfile_commit,
 * outfile_commit_partial or outfile_discard.
 */
MPCSIM_NODISCARD int outfile_open(struct outfile *of, const char *path);

/*
 * Flush and close; on success rename the temporary file to the target.
 * Returns 0, or MPCSIM_EIO after a write, close or rename error (errno
 * set), in which case the temporary file is removed and the target is
 * untouched.  A no-op (0) on an outfile that is not open.
 */
MPCSIM_NODISCARD int outfile_commit(struct outfile *of);

/*
 * As outfile_commit, but renames to TARGET.partial; the name used goes
 * to `written` (capacity `cap`; "-" for stdout).  Returns 0 or MPCSIM_EIO.
 */
MPCSIM_NODISCARD int outfile_commit_partial(struct outfile *of, char *written, size_t cap);

/* Close and remove the temporary file (the target stays as it was). */
void outfile_discard(struct outfile *of);

/*
 * Catch SIGINT, SIGTERM and SIGHUP from now on (flag only; no I/O in the
 * handler).  A second signal while the first is being handled kills the
 * process as usual (temporary files may then be left behind).
 */
void outfile_signals_install(void);
/* Restore the default actions. */
void outfile_signals_restore(void);
/* The first caught signal's number, or 0. */
int outfile_signal(void);
/* "SIGINT", "SIGTERM", "SIGHUP" or "signal". */
const char *outfile_signal_name(int signo);

#endif /* MPCSIM_SIM_CLI_OUTFILE_H */
