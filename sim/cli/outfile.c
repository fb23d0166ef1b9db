/* SPDX-License-Identifier: MIT */
/*
 * sim/cli/outfile.c - see outfile.h.  The temporary file is created with
 * O_EXCL and mode 0666 (less the umask), so the result has the mode a
 * plain fopen would give it; it is fsync'ed before the rename so a crash
 * after the rename cannot leave an empty target.
 */
#define _POSIX_C_SOURCE 200809L
#include "sim/cli/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/alloc.h"

static volatile sig_atomic_t caught;

static char *
dup_cat(const char *a, const char *b)
{
    size_t la = strlen(a);
    size_t lb = strlen(b);
    char *s = mpcsim_malloc(la + lb + 1);

    if (s != NULL) {
        memcpy(s, a, la);
        memcpy(s + la, b, lb + 1);
    }
    return s;
}

static void
of_reset(struct outfile *of)
{
    mpcsim_free(of->target);
    mpcsim_free(of->tmp);
    memset(of, 0, sizeof(*of));
}

/* see outfile.h */
int
outfile_open(struct outfile *of, const char *path)
{
    struct stat st;
    char suffix[32];
    int fd;

    memset(of, 0, sizeof(*of));
    of->target = dup_cat(path, "");
    if (of->target == NULL) {
        return MPCSIM_ENOMEM;
    }
    if (strcmp(path, "-") == 0) {
        of->f = stdout;
        of->direct = 1;
        return 0;
    }
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        of->f = fopen(path, "w");
        of->direct = 1;
        if (of->f == NULL) {
            int e = errno;

            of_reset(of);
            errno = e;
            return MPCSIM_EIO;
        }
        return 0;
    }
    snprintf(suffix, sizeof(suffix), ".tmp-%ld", (long)getpid());
    of->tmp = dup_cat(path, suffix);
    if (of->tmp == NULL) {
        of_reset(of);
        return MPCSIM_ENOMEM;
    }
    fd = open(of->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && errno == EEXIST) { /* left by a killed run with our pid: ours to replace */
        unlink(of->tmp);
        fd = open(of->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    }
    if (fd < 0 || (of->f = fdopen(fd, "w")) == NULL) {
        int e = errno;

        if (fd >= 0) {
            close(fd);
            unlink(of->tmp);
        }
        of_reset(of);
        errno = e;
        return MPCSIM_EIO;
    }
    return 0;
}

/* Flush and close; 0 or MPCSIM_EIO with errno. */
static int
of_close(struct outfile *of)
{
    int bad = 0;
    int e = 0;

    if (fflush(of->f) != 0 || ferror(of->f)) {
        bad = 1;
        e = errno != 0 ? errno : EIO;
    }
    if (!bad && of->tmp != NULL && fsync(fileno(of->f)) != 0 && errno != EINVAL) {
        bad = 1;
        e = errno;
    }
    if (of->f != stdout && fclose(of->f) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    of->f = NULL;
    errno = e;
    return bad ? MPCSIM_EIO : 0;
}

static int
of_finish(struct outfile *of, const char *dest)
{
    int rc;
    int e;

    if (of->f == NULL) {
        of_reset(of);
        return 0;
    }
    rc = of_close(of);
    if (rc == 0 && of->tmp != NULL && rename(of->tmp, dest) != 0) {
        rc = MPCSIM_EIO;
    }
    e = errno;
    if (rc < 0 && of->tmp != NULL) {
        unlink(of->tmp);
    }
    of_reset(of);
    errno = e;
    return rc;
}

/* see outfile.h */
int
outfile_commit(struct outfile *of)
{
    return of_finish(of, of->target);
}

/* see outfile.h */
int
outfile_commit_partial(struct outfile *of, char *written, size_t cap)
{
    char *dest;
    int rc;

    if (of->f == NULL) {
        of_reset(of);
        snprintf(written, cap, "%s", "");
        return 0;
    }
    if (of->direct) {
        snprintf(written, cap, "%s", of->target);
        return of_finish(of, of->target);
    }
    dest = dup_cat(of->target, ".partial");
    if (dest == NULL) {
        outfile_discard(of);
        return MPCSIM_ENOMEM;
    }
    snprintf(written, cap, "%s", dest);
    rc = of_finish(of, dest);
    mpcsim_free(dest);
    return rc;
}

/* see outfile.h */
void
outfile_discard(struct outfile *of)
{
    if (of->f != NULL && of->f != stdout) {
        fclose(of->f);
    } else if (of->f == stdout) {
        fflush(stdout);
    }
    if (of->f != NULL && of->tmp != NULL) {
        unlink(of->tmp);
    }
    of_reset(of);
}

/* The first signal asks for a clean stop; a second one ends the process the default way. */
static void
on_signal(int signo)
{
    if (caught == 0) {
        caught = signo;
        return;
    }
    signal(signo, SIG_DFL);
    raise(signo);
}

static const int signals[] = {SIGINT, SIGTERM, SIGHUP};

/* see outfile.h */
void
outfile_signals_install(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++) {
        sigaction(signals[i], &sa, NULL);
    }
}

/* see outfile.h */
void
outfile_signals_restore(void)
{
    for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++) {
        signal(signals[i], SIG_DFL);
    }
}

/* see outfile.h */
int
outfile_signal(void)
{
    return caught;
}

/* see outfile.h */
const char *
outfile_signal_name(int signo)
{
    switch (signo) {
    case SIGINT:
        return "SIGINT";
    case SIGTERM:
        return "SIGTERM";
    case SIGHUP:
        return "SIGHUP";
    default:
        return "signal";
    }
}
