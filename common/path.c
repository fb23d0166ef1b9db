/* SPDX-License-Identifier: MIT */
/*
 * common/path.c - whether two paths name one file, for the commands that
 * refuse an output overwriting another output or an input (run, sweep,
 * check, bench).  Existing files compare by (device, inode), so links and
 * other spellings are caught; a path that does not exist yet compares by
 * its absolute form with the parent directory resolved.
 */
#define _DEFAULT_SOURCE /* realpath */
#include "common/path.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The absolute form of `p`: realpath, or realpath(dir) + "/" + base when p does not exist. */
static int
abs_path(char *out, const char *p)
{
    char dir[PATH_MAX];
    const char *slash;
    char res[PATH_MAX];

    if (realpath(p, out) != NULL) {
        return 1;
    }
    slash = strrchr(p, '/');
    if (slash == NULL) {
        snprintf(dir, sizeof(dir), ".");
    } else if (slash == p) {
        snprintf(dir, sizeof(dir), "/");
    } else {
        snprintf(dir, sizeof(dir), "%.*s", (int)(slash - p), p);
    }
    if (realpath(dir, res) == NULL) {
        return 0;
    }
    snprintf(out, PATH_MAX, "%.2048s/%.1024s", res, slash ? slash + 1 : p);
    return 1;
}

/* see path.h */
int
mpcsim_same_path(const char *a, const char *b)
{
    struct stat sa, sb;
    char ra[PATH_MAX], rb[PATH_MAX];

    if (strcmp(a, "-") == 0 || strcmp(b, "-") == 0) {
        return strcmp(a, b) == 0;
    }
    if (strcmp(a, b) == 0) {
        return 1;
    }
    if (stat(a, &sa) == 0 && stat(b, &sb) == 0) {
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    }
    return abs_path(ra, a) && abs_path(rb, b) && strcmp(ra, rb) == 0;
}
