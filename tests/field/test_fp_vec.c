/* SPDX-License-Identifier: MIT */
/*
 * tests/field/test_fp_vec.c - every vector implementation against a
 * scalar reference and against each other, at awkward lengths.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "common/alloc.h"
#include "protocols/field/fp.h"
#include "protocols/field/fp_vec.h"
#include "tests/support.h"

#define P FP_P

static const size_t lengths[] = {0,  1,  2,  3,  7,  8,  9,   11,   12,   13,   15,   16,  17,
                                 31, 32, 33, 63, 64, 65, 100, 1023, 1024, 1025, 4099, 8200};
#define NLEN (sizeof(lengths) / sizeof(lengths[0]))
#define MAXLEN 8200
#define ALLOCLEN (MAXLEN + 8) /* room to shift arrays within cache lines */

/* Random elements, with edge values mixed in; kind 1: all p - 1 (worst case). */
static void
fill(uint64_t *v, size_t n, int kind)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t r = mpcsim_test_rand64();

        if (kind == 1) {
            v[i] = P - 1;
        } else if (r % 17 == 0) {
            v[i] = (r >> 8) % 3 == 0 ? 0 : (r >> 8) % 3 == 1 ? 1 : P - 1;
        } else {
            v[i] = (r >> 3) % P;
        }
    }
}

struct bufs {
    uint64_t *a, *b, *want, *got;
};

static int
setup(void **state)
{
    struct bufs *bu = test_calloc(1, sizeof(*bu));

    bu->a = test_malloc(ALLOCLEN * sizeof(uint64_t));
    bu->b = test_malloc(ALLOCLEN * sizeof(uint64_t));
    bu->want = test_malloc(ALLOCLEN * sizeof(uint64_t));
    bu->got = test_malloc(ALLOCLEN * sizeof(uint64_t));
    *state = bu;
    return 0;
}

static int
teardown(void **state)
{
    struct bufs *bu = *state;

    test_free(bu->a);
    test_free(bu->b);
    test_free(bu->want);
    test_free(bu->got);
    test_free(bu);
    return 0;
}

/*
 * Each available implementation matches the scalar functions, with the
 * arrays at the same and at different offsets within a cache line (the
 * AVX-512 code picks zmm or ymm loops by relative alignment).
 */
static void
test_fp_vec_impls_agree(void **state)
{
    struct bufs *bu = *state;
    static const size_t offsets[][3] = {{0, 0, 0}, {1, 1, 1}, {0, 1, 2}, {3, 0, 5}, {2, 2, 0}};
    int tested = 0;

    for (int impl = 0; impl < FP_VEC_IMPL_COUNT; impl++) {
        const struct fp_vec_ops *ops = fp_vec_ops_get((enum fp_vec_impl)impl);

        if (ops == NULL) {
            print_message("skipping %d: not supported here\n", impl);
            continue;
        }
        assert_int_equal(ops->impl, impl);
        tested++;
        for (size_t o = 0; o < sizeof(offsets) / sizeof(offsets[0]); o++) {
            uint64_t *a = bu->a + offsets[o][0];
            uint64_t *b = bu->b + offsets[o][1];
            uint64_t *got = bu->got + offsets[o][2];
            uint64_t *want = bu->want;

            for (int kind = 0; kind < 2; kind++) {
                for (size_t li = 0; li < NLEN; li++) {
                    size_t n = lengths[li];
                    uint64_t s = kind == 1 ? P - 1 : mpcsim_test_rand64() % P;
                    mpcsim_u128 acc = 0;
                    uint64_t dot = 0;

                    fill(a, n, kind);
                    fill(b, n, kind);

                    for (size_t i = 0; i < n; i++) {
                        want[i] = fp_add(a[i], b[i]);
                    }
                    ops->add(got, a, b, n);
                    assert_memory_equal(got, want, n * sizeof(uint64_t));

                    for (size_t i = 0; i < n; i++) {
                        want[i] = fp_sub(a[i], b[i]);
                    }
                    ops->sub(got, a, b, n);
                    assert_memory_equal(got, want, n * sizeof(uint64_t));

                    for (size_t i = 0; i < n; i++) {
                        want[i] = fp_mul(a[i], s);
                    }
                    ops->scale(got, a, s, n);
                    assert_memory_equal(got, want, n * sizeof(uint64_t));

                    for (size_t i = 0; i < n; i++) {
                        want[i] = fp_mul(a[i], b[i]);
                        dot = fp_add(dot, want[i]);
                        acc += (mpcsim_u128)want[i];
                    }
                    ops->mul(got, a, b, n);
                    assert_memory_equal(got, want, n * sizeof(uint64_t));
                    assert_true(ops->dot(a, b, n) == dot);
                    assert_true(fp_reduce128(acc) == dot);

                    /* out == a aliasing. */
                    memcpy(got, a, n * sizeof(uint64_t));
                    ops->mul(got, got, b, n);
                    assert_memory_equal(got, want, n * sizeof(uint64_t));
                }
            }
        }
    }
    assert_true(tested >= 1);
    print_message("best implementation: %s (%d tested)\n", fp_vec_ops_best()->name, tested);
}

/* Batch inversion: products with the input are 1; zeros are reported. */
static void
test_fp_vec_batch_inv(void **state)
{
    struct bufs *bu = *state;

    for (int impl = 0; impl < FP_VEC_IMPL_COUNT; impl++) {
        const struct fp_vec_ops *ops = fp_vec_ops_get((enum fp_vec_impl)impl);

        if (ops == NULL) {
            continue;
        }
        for (size_t li = 0; li < NLEN; li++) {
            size_t n = lengths[li];
            size_t zi = 12345;

            for (size_t i = 0; i < n; i++) {
                bu->a[i] = mpcsim_test_rand64() % (P - 1) + 1;
            }
            if (n > 0) {
                bu->a[n - 1] = P - 1;
                bu->a[0] = 1;
            }
            assert_int_equal(ops->batch_inv(bu->got, &zi, bu->a, n), 0);
            for (size_t i = 0; i < n; i++) {
                assert_true(fp_mul(bu->got[i], bu->a[i]) == 1);
            }
            if (n == 0) {
                continue;
            }
            /* A zero at a random place, and another later: the first is named. */
            size_t z = (size_t)(mpcsim_test_rand64() % n);
            bu->a[z] = 0;
            if (z + 3 < n) {
                bu->a[z + 3] = 0;
            }
            assert_int_equal(ops->batch_inv(bu->got, &zi, bu->a, n), MPCSIM_EZERODIV);
            assert_int_equal(zi, z);
            assert_int_equal(ops->batch_inv(bu->got, NULL, bu->a, n), MPCSIM_EZERODIV);
        }
    }
    assert_int_equal(fp_vec_batch_inv(bu->got, NULL, bu->a, 0), 0);
}

/* The dispatching wrappers give the same answers as the portable table. */
static void
test_fp_vec_dispatch(void **state)
{
    struct bufs *bu = *state;
    const struct fp_vec_ops *port = fp_vec_ops_get(FP_VEC_IMPL_PORTABLE);
    size_t n = 1025;

    assert_non_null(port);
    assert_ptr_equal(fp_vec_ops_best(), fp_vec_ops_best());
    fill(bu->a, n, 0);
    fill(bu->b, n, 0);
    port->mul(bu->want, bu->a, bu->b, n);
    fp_vec_mul(bu->got, bu->a, bu->b, n);
    assert_memory_equal(bu->got, bu->want, n * sizeof(uint64_t));
    port->add(bu->want, bu->a, bu->b, n);
    fp_vec_add(bu->got, bu->a, bu->b, n);
    assert_memory_equal(bu->got, bu->want, n * sizeof(uint64_t));
    port->sub(bu->want, bu->a, bu->b, n);
    fp_vec_sub(bu->got, bu->a, bu->b, n);
    assert_memory_equal(bu->got, bu->want, n * sizeof(uint64_t));
    port->scale(bu->want, bu->a, 99, n);
    fp_vec_scale(bu->got, bu->a, 99, n);
    assert_memory_equal(bu->got, bu->want, n * sizeof(uint64_t));
    assert_true(fp_vec_dot(bu->a, bu->b, n) == port->dot(bu->a, bu->b, n));
}

/*
 * Long vectors (>= 2^20: the AVX-512 code switches to ymm loops for
 * streamed data when the arrays sit at different cache-line offsets).
 */
static void
test_fp_vec_long_unaligned(void **state)
{
    const size_t n = ((size_t)1 << 20) + 5;
    uint64_t *a = test_malloc((n + 8) * sizeof(uint64_t));
    uint64_t *b = test_malloc((n + 8) * sizeof(uint64_t));
    uint64_t *got = test_malloc((n + 8) * sizeof(uint64_t));
    uint64_t s = mpcsim_test_rand64() % P;
    uint64_t dot = 0;

    (void)state;
    fill(a + 1, n, 0);
    fill(b + 2, n, 0);
    for (size_t i = 0; i < n; i++) {
        dot = fp_add(dot, fp_mul(a[1 + i], b[2 + i]));
    }
    for (int impl = 0; impl < FP_VEC_IMPL_COUNT; impl++) {
        const struct fp_vec_ops *ops = fp_vec_ops_get((enum fp_vec_impl)impl);

        if (ops == NULL) {
            continue;
        }
        ops->mul(got + 3, a + 1, b + 2, n);
        for (size_t i = 0; i < n; i++) {
            assert_true(got[3 + i] == fp_mul(a[1 + i], b[2 + i]));
        }
        ops->scale(got, a + 1, s, n);
        for (size_t i = 0; i < n; i++) {
            assert_true(got[i] == fp_mul(a[1 + i], s));
        }
        assert_true(ops->dot(a + 1, b + 2, n) == dot);
        assert_true(ops->dot(a + 1, b + 1, n) ==
                    fp_vec_ops_get(FP_VEC_IMPL_PORTABLE)->dot(a + 1, b + 1, n));
    }
    test_free(a);
    test_free(b);
    test_free(got);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_fp_vec_impls_agree, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fp_vec_batch_inv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fp_vec_dispatch, setup, teardown),
        cmocka_unit_test(test_fp_vec_long_unaligned),
    };

    mpcsim_test_init();
    return cmocka_run_group_tests_name("fp_vec", tests, NULL, NULL);
}
