/* SPDX-License-Identifier: MIT */
/*
 * tests/common/test_escape.c - terminal-safe text: control bytes and
 * invalid UTF-8 become visible escapes; cuts never split an escape.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "common/escape.h"
#include "tests/support.h"

/* An OSC 52 clipboard write is shown, not sent. */
static void
test_escape_controls(void **state)
{
    char out[128];

    (void)state;
    mpcsim_escape(out, sizeof(out), "\x1b]52;c;aGk=\a");
    assert_string_equal(out, "\\e]52;c;aGk=\\x07");
    mpcsim_escape(out, sizeof(out), "a\nb\tc\\d\x7f");
    assert_string_equal(out, "a\\nb\\tc\\\\d\\x7f");
    /* Valid UTF-8 stays; C1 controls, overlongs and stray bytes do not. */
    mpcsim_escape(out, sizeof(out), "caf\xc3\xa9 \xc2\x9b \xc0\xaf \xff");
    assert_string_equal(out, "caf\xc3\xa9 \\xc2\\x9b \\xc0\\xaf \\xff");
    assert_int_equal(mpcsim_escape(out, sizeof(out), NULL), 0);
    assert_string_equal(out, "");
}

/* A cut keeps whole escapes and says so with "...". */
static void
test_escape_cut(void **state)
{
    char out[8];
    size_t n = 0;

    (void)state;
    n = mpcsim_escape(out, sizeof(out), "abcdefg");
    assert_string_equal(out, "abcdefg");
    assert_int_equal(n, 7);
    n = mpcsim_escape(out, sizeof(out), "abcdefgh");
    assert_string_equal(out, "abcd...");
    n = mpcsim_escape(out, sizeof(out), "ab\x01zzzzz");
    assert_string_equal(out, "ab...");
    assert_int_equal(n, 5);
}

/* The stream form writes the same text. */
static void
test_escape_stream(void **state)
{
    char buf[64] = "";
    FILE *f = fmemopen(buf, sizeof(buf), "w");

    (void)state;
    assert_non_null(f);
    mpcsim_escape_fputs(f, "x\x1b[2Jy");
    fclose(f);
    assert_string_equal(buf, "x\\e[2Jy");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape_controls),
        cmocka_unit_test(test_escape_cut),
        cmocka_unit_test(test_escape_stream),
    };

    mpcsim_test_init();
    return cmocka_run_group_tests_name("escape", tests, NULL, NULL);
}
