/* SPDX-License-Identifier: MIT */
/*
 * tests/cli/test_outfile.c - sim/cli/outfile.h: the target is replaced
 * only by a complete file, a discarded or failed write leaves it as it
 * was and no temporary file behind, .partial, same-path detection, and
 * the signal flag.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/cli/outfile.h"
#include "tests/support.h"

static char dir[64];

static void
path(char *buf, size_t cap, const char *name)
{
    snprintf(buf, cap, "%s/%s", dir, name);
}

static void
put(const char *name, const char *text)
{
    char p[128];
    FILE *f;

    path(p, sizeof(p), name);
    f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* The whole file `name`, or "" when it does not exist. */
static const char *
get(const char *name)
{
    static char buf[256];
    char p[128];
    FILE *f;
    size_t n;

    path(p, sizeof(p), name);
    f = fopen(p, "r");
    if (f == NULL) {
        return "";
    }
    n = fread(buf, 1, sizeof(buf) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static size_t
entries(void)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t n = 0;

    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        n += e->d_name[0] != '.';
    }
    closedir(d);
    return n;
}

static int
setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/mpcsim-outfile-XXXXXX");
    assert_non_null(mkdtemp(dir));
    return 0;
}

static int
teardown(void **state)
{
    char cmd[128];

    (void)state;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void
test_commit_and_discard(void **state)
{
    struct outfile of;
    char p[128];

    (void)state;
    put("r.csv", "previous\n");
    path(p, sizeof(p), "r.csv");
    assert_int_equal(outfile_open(&of, p), 0);
    fputs("new\n", of.f);
    fflush(of.f);
    assert_string_equal(get("r.csv"), "previous\n"); /* untouched until complete */
    assert_int_equal(entries(), 2);                  /* the target and the temporary */
    outfile_discard(&of);
    assert_string_equal(get("r.csv"), "previous\n");
    assert_int_equal(entries(), 1);
    assert_int_equal(outfile_open(&of, p), 0);
    fputs("new\n", of.f);
    assert_int_equal(outfile_commit(&of), 0);
    assert_string_equal(get("r.csv"), "new\n");
    assert_int_equal(entries(), 1);
    assert_int_equal(outfile_commit(&of), 0); /* not open: nothing to do */
}

static void
test_partial(void **state)
{
    struct outfile of;
    char p[128], written[256];

    (void)state;
    put("p.json", "previous\n");
    path(p, sizeof(p), "p.json");
    assert_int_equal(outfile_open(&of, p), 0);
    fputs("[]\n", of.f);
    assert_int_equal(outfile_commit_partial(&of, written, sizeof(written)), 0);
    assert_non_null(strstr(written, "p.json.partial"));
    assert_string_equal(get("p.json"), "previous\n");
    assert_string_equal(get("p.json.partial"), "[]\n");
}

static void
test_errors(void **state)
{
    struct outfile of;
    char p[128];

    (void)state;
    /* A directory that does not exist: nothing opened, nothing created. */
    path(p, sizeof(p), "nosuch/r.csv");
    assert_int_equal(outfile_open(&of, p), MPCSIM_EIO);
    /* A device is written directly; its write error is reported at commit. */
    if (access("/dev/full", W_OK) == 0) {
        assert_int_equal(outfile_open(&of, "/dev/full"), 0);
        assert_true(of.direct);
        for (int i = 0; i < 1000; i++) {
            fputs("0123456789abcdef0123456789abcdef\n", of.f);
        }
        assert_int_equal(outfile_commit(&of), MPCSIM_EIO);
    }
}

static void
test_same_path(void **state)
{
    char a[128], b[128];

    (void)state;
    put("s.yaml", "x\n");
    path(a, sizeof(a), "s.yaml");
    snprintf(b, sizeof(b), "%s/./s.yaml", dir);
    assert_true(mpcsim_same_path(a, b));
    path(a, sizeof(a), "new.csv"); /* not there yet */
    snprintf(b, sizeof(b), "%s/../%s/new.csv", dir, strrchr(dir, '/') + 1);
    assert_true(mpcsim_same_path(a, b));
    path(b, sizeof(b), "other.csv");
    assert_false(mpcsim_same_path(a, b));
    assert_true(mpcsim_same_path("-", "-"));
    assert_false(mpcsim_same_path("-", a));
}

static void
test_signal_flag(void **state)
{
    (void)state;
    outfile_signals_install();
    assert_int_equal(outfile_signal(), 0);
    raise(SIGHUP);
    assert_int_equal(outfile_signal(), SIGHUP);
    assert_string_equal(outfile_signal_name(SIGHUP), "SIGHUP");
    outfile_signals_restore();
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_commit_and_discard, setup, teardown),
        cmocka_unit_test_setup_teardown(test_partial, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_same_path, setup, teardown),
        cmocka_unit_test(test_signal_flag),
    };

    mpcsim_test_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
