/* SPDX-License-Identifier: MIT */
/*
 * tests/field/test_field_ops.c - the run-time field table (field.h): each
 * table agrees with its field's own functions, signed conversion at the
 * range ends, wire round trip, and Reed-Solomon correction through it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "protocols/field/f127.h"
#include "protocols/field/field.h"
#include "protocols/field/fp.h"
#include "tests/support.h"

/* Names, sizes and the signed range of both tables. */
static void
test_field_ops_tables(void **state)
{
    const struct field_ops *a = field_ops_get(FIELD_M61);
    const struct field_ops *b = field_ops_get(FIELD_M127);

    (void)state;
    assert_string_equal(a->name, "m61");
    assert_string_equal(b->name, "m127");
    assert_int_equal(a->elem_size, 8);
    assert_int_equal(b->elem_size, 16);
    assert_int_equal(b->wire_bytes, 16);
    assert_true(a->half == FP_HALF && b->half == F127_HALF);
    assert_int_equal(field_lookup("m61"), FIELD_M61);
    assert_int_equal(field_lookup("m127"), FIELD_M127);
    assert_int_equal(field_lookup("m31"), -1);
}

/* from_int128/to_int128 round trip at 0, +-1, +-half; half + 1 refused. */
static void
test_field_ops_signed(void **state)
{
    (void)state;
    for (int k = 0; k < 2; k++) {
        const struct field_ops *f = field_ops_get(k == 0 ? FIELD_M61 : FIELD_M127);
        mpcsim_i128 h = (mpcsim_i128)f->half;
        const mpcsim_i128 xs[] = {0, 1, -1, h, -h, h - 7, -h + 3};
        mpcsim_u128 e = 0; /* large enough for either element */

        for (size_t i = 0; i < sizeof(xs) / sizeof(xs[0]); i++) {
            assert_int_equal(f->from_int128(&e, xs[i]), 0);
            assert_true(f->to_int128(&e) == xs[i]);
        }
        assert_int_equal(f->from_int128(&e, h + 1), MPCSIM_ERANGE);
        assert_int_equal(f->from_int128(&e, -h - 1), MPCSIM_ERANGE);
    }
}

/* Vector ops, dot and the wire through the m127 table match f127.h. */
static void
test_field_ops_m127_vectors(void **state)
{
    const struct field_ops *f = field_ops_get(FIELD_M127);
    mpcsim_u128 a[9], b[9], c[9], s = 0, d = 0, want = 0, back[9];
    uint8_t wire[9 * 16];

    (void)state;
    for (int i = 0; i < 9; i++) {
        a[i] = f127_reduce128(((mpcsim_u128)mpcsim_test_rand64() << 64) | mpcsim_test_rand64());
        b[i] = f127_reduce128(((mpcsim_u128)mpcsim_test_rand64() << 64) | mpcsim_test_rand64());
        want = f127_add(want, f127_mul(a[i], b[i]));
    }
    f->vec_mul(c, a, b, 9);
    for (int i = 0; i < 9; i++) {
        assert_true(c[i] == f127_mul(a[i], b[i]));
    }
    f->vec_add(c, a, b, 9);
    assert_true(c[4] == f127_add(a[4], b[4]));
    f->vec_sub(c, a, b, 9);
    assert_true(c[5] == f127_sub(a[5], b[5]));
    s = a[0];
    f->vec_scale(c, b, &s, 9);
    assert_true(c[8] == f127_mul(a[0], b[8]));
    f->vec_dot(&d, a, b, 9);
    assert_true(d == want);
    f->encode(wire, a, 9);
    assert_int_equal(f->decode(back, NULL, wire, 9), 0);
    assert_memory_equal(back, a, sizeof(a));
    memset(wire + 16, 0xff, 16); /* 2^128 - 1 >= p */
    assert_int_equal(f->decode(back, NULL, wire, 9), MPCSIM_EDECODE);
}

/* Shares of a degree-2 polynomial at 7 points, one corrupted: rs_decode
 * through either table gives the secret back and names the bad point. */
static void
test_field_ops_rs(void **state)
{
    (void)state;
    for (int k = 0; k < 2; k++) {
        const struct field_ops *f = field_ops_get(k == 0 ? FIELD_M61 : FIELD_M127);
        mpcsim_u128 coef[3], xs[7], ys[7], got[3], one = 0, err = 0;
        uint64_t c64[3], x64[7], y64[7], g64[3];
        size_t bad[7], nbad = 0;
        void *cp = k == 0 ? (void *)c64 : (void *)coef;
        void *xp = k == 0 ? (void *)x64 : (void *)xs;
        void *yp = k == 0 ? (void *)y64 : (void *)ys;
        void *gp = k == 0 ? (void *)g64 : (void *)got;
        mpcsim_i128 secret = k == 0 ? -123456789 : -(mpcsim_i128)1000000000000000000 * 1000000;

        assert_int_equal(f->from_int128(cp, secret), 0);
        assert_int_equal(f->from_int128((char *)cp + f->elem_size, 17), 0);
        assert_int_equal(f->from_int128((char *)cp + 2 * f->elem_size, -5), 0);
        for (int i = 0; i < 7; i++) {
            assert_int_equal(f->from_int128((char *)xp + (size_t)i * f->elem_size, i + 1), 0);
            f->poly_eval((char *)yp + (size_t)i * f->elem_size, cp, 3,
                         (char *)xp + (size_t)i * f->elem_size);
        }
        assert_int_equal(f->from_int128(&one, 1), 0);
        assert_int_equal(f->from_int128(&err, 99), 0);
        f->vec_add((char *)yp + 3 * f->elem_size, (char *)yp + 3 * f->elem_size, &err, 1);
        assert_int_equal(f->rs_decode(gp, bad, &nbad, xp, yp, 7, 2), 0);
        assert_true(f->to_int128(gp) == secret);
        assert_int_equal(nbad, 1);
        assert_int_equal(bad[0], 3);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_field_ops_tables),
        cmocka_unit_test(test_field_ops_signed),
        cmocka_unit_test(test_field_ops_m127_vectors),
        cmocka_unit_test(test_field_ops_rs),
    };

    mpcsim_test_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
