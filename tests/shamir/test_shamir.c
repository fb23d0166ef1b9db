/* SPDX-License-Identifier: MIT */
/*
 * tests/shamir/test_shamir.c - the Shamir library on local data: sharing
 * and reconstruction from any t+1, Lagrange weights against the field's
 * poly_lagrange0, the consistency check, robust decoding (errors named,
 * the radius on both sides), GRR multiplication, privacy (chi-square),
 * out-of-memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "common/alloc.h"
#include "protocols/field/fp.h"
#include "protocols/field/poly.h"
#include "protocols/shamir/shamir.h"
#include "tests/support.h"

static struct fp_stream *
stream(uint64_t id)
{
    uint8_t key[32];
    struct fp_stream *s = NULL;

    for (int i = 0; i < 32; i++) {
        key[i] = (uint8_t)(i * 13 + 5);
    }
    assert_int_equal(fp_stream_create(&s, key, id), 0);
    return s;
}

static uint64_t
rand_elem(void)
{
    return fp_reduce64(mpcsim_test_rand64());
}

/* A random subset of m distinct parties of n, in random order. */
static void
rand_subset(int *idx, int n, int m)
{
    int *perm = test_malloc((size_t)n * sizeof(int));

    for (int i = 0; i < n; i++) {
        perm[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
        int j = (int)(mpcsim_test_rand64() % (uint64_t)(i + 1));
        int tmp = perm[i];

        perm[i] = perm[j];
        perm[j] = tmp;
    }
    memcpy(idx, perm, (size_t)m * sizeof(int));
    test_free(perm);
}

/* Any t+1 of n shares rebuild the secret; t shares are refused. */
static void
test_shamir_quorum(void **state)
{
    struct fp_stream *s = stream(1);

    (void)state;
    assert_int_equal(shamir_ctx_create(&(struct shamir_ctx *){NULL}, 3, 3), MPCSIM_EINVAL);
    for (int trial = 0; trial < 60; trial++) {
        int n = 2 + (int)(mpcsim_test_rand64() % 63);
        int t = (int)(mpcsim_test_rand64() % (uint64_t)n);
        struct shamir_ctx *sh = NULL;
        uint64_t secret = rand_elem(), got = 0;
        uint64_t *shares = test_malloc((size_t)n * sizeof(uint64_t));
        uint64_t *sel = test_malloc((size_t)n * sizeof(uint64_t));
        int *idx = test_malloc((size_t)n * sizeof(int));
        int m = t + 1 + (int)(mpcsim_test_rand64() % (uint64_t)(n - t));

        assert_int_equal(shamir_ctx_create(&sh, n, t), 0);
        assert_int_equal(shamir_ctx_n(sh), n);
        assert_int_equal(shamir_ctx_t(sh), t);
        shamir_share(sh, shares, secret, s);
        rand_subset(idx, n, m);
        for (int i = 0; i < m; i++) {
            sel[i] = shares[idx[i]];
        }
        assert_int_equal(shamir_reconstruct(sh, &got, sel, idx, (size_t)m, 1), 0);
        assert_true(got == secret);
        assert_int_equal(shamir_reconstruct(sh, &got, sel, idx, (size_t)t, 1), MPCSIM_ENOQUORUM);
        test_free(shares);
        test_free(sel);
        test_free(idx);
        shamir_ctx_destroy(sh);
    }
    fp_stream_destroy(s);
}

/* Large t (> one sampling chunk) and vectors. */
static void
test_shamir_large_t_vec(void **state)
{
    const int n = 1200, t = 700;
    struct fp_stream *s = stream(2);
    struct shamir_ctx *sh = NULL;
    uint64_t secret[3] = {1, fp_neg(2), 3}, got[3];
    uint64_t *out = test_malloc((size_t)n * 3 * sizeof(uint64_t));
    uint64_t *scratch = test_malloc((size_t)n * sizeof(uint64_t));
    int *idx = test_malloc((size_t)n * sizeof(int));
    uint64_t *rows = test_malloc((size_t)n * 3 * sizeof(uint64_t));

    (void)state;
    assert_int_equal(shamir_ctx_create(&sh, n, t), 0);
    shamir_share_vec(sh, out, scratch, secret, 3, s);
    rand_subset(idx, n, t + 1);
    for (int i = 0; i <= t; i++) {
        memcpy(rows + (size_t)i * 3, out + (size_t)idx[i] * 3, 3 * sizeof(uint64_t));
    }
    assert_int_equal(shamir_reconstruct(sh, got, rows, idx, (size_t)t + 1, 3), 0);
    assert_memory_equal(got, secret, sizeof(got));
    test_free(out);
    test_free(scratch);
    test_free(idx);
    test_free(rows);
    shamir_ctx_destroy(sh);
    fp_stream_destroy(s);
}

/*
 * Both ways shamir_share evaluates: finite differences (t < 4096; scalar
 * below t = 16, vector additions above; the first t shares are then the
 * samples) and the table of powers (t >= 4096).  Every sharing lies on one
 * degree-t polynomial (shamir_check) through the secret, from any t + 1
 * shares.
 */
static void
test_shamir_share_paths(void **state)
{
    static const int cases[][2] = {{2, 1}, {7, 3}, {33, 15}, {33, 16}, {200, 99}, {4100, 4096}};
    struct fp_stream *s = stream(7);

    (void)state;
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        int n = cases[c][0], t = cases[c][1];
        struct shamir_ctx *sh = NULL;
        struct fp_stream *copy = stream(8);
        uint64_t *shares = test_malloc((size_t)n * sizeof(uint64_t));
        uint64_t *sel = test_malloc((size_t)n * sizeof(uint64_t));
        uint64_t *samples = test_malloc((size_t)t * sizeof(uint64_t));
        int *idx = test_malloc((size_t)n * sizeof(int));
        uint64_t secret = rand_elem(), got = 0;
        int ok = 0;

        assert_int_equal(shamir_ctx_create(&sh, n, t), 0);
        fp_stream_destroy(s);
        s = stream(8);
        fp_stream_fill(copy, samples, (size_t)t);
        shamir_share(sh, shares, secret, s);
        if (t < 4096) {
            assert_memory_equal(shares, samples, (size_t)t * sizeof(uint64_t));
        }
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        assert_int_equal(shamir_check(sh, &ok, shares, idx, (size_t)n, 1, s), 0);
        assert_true(ok);
        rand_subset(idx, n, t + 1);
        for (int i = 0; i <= t; i++) {
            sel[i] = shares[idx[i]];
        }
        assert_int_equal(shamir_reconstruct(sh, &got, sel, idx, (size_t)t + 1, 1), 0);
        assert_true(got == secret);
        test_free(shares);
        test_free(sel);
        test_free(samples);
        test_free(idx);
        fp_stream_destroy(copy);
        shamir_ctx_destroy(sh);
    }
    fp_stream_destroy(s);
}

/* Robust reconstruction with cached dual weights gives the same secrets and bad set. */
static void
test_shamir_robust_dual(void **state)
{
    const int n = 40, t = 9;
    struct fp_stream *s = stream(9);
    struct shamir_ctx *sh = NULL;
    uint64_t v[40], got[2], got2[2], secret[2] = {11, 22};
    uint64_t rows[80], scratch[40];
    int idx[40];
    size_t bad[40], bad2[40], nbad = 0, nbad2 = 0;

    (void)state;
    assert_int_equal(shamir_ctx_create(&sh, n, t), 0);
    assert_int_equal(shamir_dual_weights(sh, v, idx, 0), MPCSIM_EINVAL);
    shamir_share_vec(sh, rows, scratch, secret, 2, s);
    rand_subset(idx, n, 33);
    {
        uint64_t sel[66];

        for (int i = 0; i < 33; i++) {
            sel[2 * i] = rows[2 * idx[i]];
            sel[2 * i + 1] = rows[2 * idx[i] + 1];
        }
        sel[2 * 4] = fp_add(sel[2 * 4], 1);
        sel[2 * 20 + 1] = fp_add(sel[2 * 20 + 1], 5);
        assert_int_equal(shamir_dual_weights(sh, v, idx, 33), 0);
        assert_int_equal(
            shamir_reconstruct_robust_dual(sh, got, bad, &nbad, NULL, sel, idx, v, 33, 2, s), 0);
        assert_int_equal(
            shamir_reconstruct_robust(sh, got2, bad2, &nbad2, NULL, sel, idx, 33, 2, s), 0);
        assert_memory_equal(got, secret, sizeof(got));
        assert_memory_equal(got2, secret, sizeof(got));
        assert_int_equal(nbad, 2);
        assert_int_equal(nbad2, 2);
        assert_int_equal(bad[0], 4);
        assert_int_equal(bad[1], 20);
        assert_memory_equal(bad, bad2, 2 * sizeof(size_t));
    }
    shamir_ctx_destroy(sh);
    fp_stream_destroy(s);
}

/* shamir_lagrange0 matches poly_lagrange0 for small and large subsets. */
static void
test_shamir_lagrange_vs_poly(void **state)
{
    const int n = 40;
    struct shamir_ctx *sh = NULL;

    (void)state;
    assert_int_equal(shamir_ctx_create(&sh, n, 5), 0);
    for (int m = 1; m <= n; m += 3) {
        int idx[40];
        uint64_t xs[40], mine[40];
        struct poly_lagrange0 *l = NULL;

        rand_subset(idx, n, m);
        for (int i = 0; i < m; i++) {
            xs[i] = (uint64_t)idx[i] + 1;
        }
        assert_int_equal(poly_lagrange0_create(&l, xs, (size_t)m), 0);
        assert_int_equal(shamir_lagrange0(sh, mine, idx, (size_t)m), 0);
        assert_memory_equal(mine, poly_lagrange0_coeffs(l), (size_t)m * sizeof(uint64_t));
        poly_lagrange0_destroy(l);
    }
    {
        int bad[3] = {1, 2, 1};
        int out_of_range[2] = {0, n};
        uint64_t lam[3];

        assert_int_equal(shamir_lagrange0(sh, lam, bad, 3), MPCSIM_EINVAL);
        assert_int_equal(shamir_lagrange0(sh, lam, out_of_range, 2), MPCSIM_EINVAL);
        assert_int_equal(shamir_lagrange0(sh, lam, bad, 0), MPCSIM_EINVAL);
    }
    shamir_ctx_destroy(sh);
}

/* The consistency check accepts codewords and rejects any single error. */
static void
test_shamir_check(void **state)
{
    const int n = 25, t = 8;
    struct fp_stream *s = stream(3);
    struct shamir_ctx *sh = NULL;
    uint64_t shares[25 * 2];
    int idx[25];
    int ok = 0;

    (void)state;
    assert_int_equal(shamir_ctx_create(&sh, n, t), 0);
    for (int i = 0; i < n; i++) {
        idx[i] = i;
    }
    {
        uint64_t secret[2] = {11, 22}, scratch[25];

        shamir_share_vec(sh, shares, scratch, secret, 2, s);
    }
    for (int m = t + 1; m <= n; m++) {
        assert_int_equal(shamir_check(sh, &ok, shares, idx, (size_t)m, 2, s), 0);
        assert_true(ok);
    }
    for (int pos = 0; pos < n * 2; pos++) {
        shares[pos] = fp_add(shares[pos], 1);
        assert_int_equal(shamir_check(sh, &ok, shares, idx, (size_t)n, 2, s), 0);
        assert_false(ok);
        shares[pos] = fp_sub(shares[pos], 1);
    }
    /* t + 1 shares are always consistent. */
    shares[0] = fp_add(shares[0], 1);
    assert_int_equal(shamir_check(sh, &ok, shares, idx, (size_t)t + 1, 2, s), 0);
    assert_true(ok);
    shamir_ctx_destroy(sh);
    fp_stream_destroy(s);
}

/*
 * Robust reconstruction at n = 31, t = 10: every error count up to the
 * radius (m - t - 1) / 2 = 10 is corrected and exactly the bad positions
 * are named; one more error is refused (MPCSIM_EDECODE), never
 * miscorrected.  Also with some parties missing (erasures).
 */
static void
test_shamir_robust_radius(void **state)
{
    const int n = 31, t = 10;
    struct fp_stream *s = stream(4);
    struct shamir_ctx *sh = NULL;

    (void)state;
    assert_int_equal(shamir_ctx_create(&sh, n, t), 0);
    for (int missing = 0; missing <= 6; missing += 3) {
        int m = n - missing;
        int radius = (m - t - 1) / 2;

        for (int errs = 0; errs <= radius + 1; errs++) {
            uint64_t secret[2] = {rand_elem(), rand_elem()}, got[2];
            uint64_t all[31 * 2], rows[31 * 2], scratch[31];
            int idx[31], pos[31];
            size_t bad[31], nbad = 99, ndec = 0;
            int rc;

            shamir_share_vec(sh, all, scratch, secret, 2, s);
            rand_subset(idx, n, m);
            for (int i = 0; i < m; i++) {
                memcpy(rows + 2 * i, all + 2 * idx[i], 2 * sizeof(uint64_t));
            }
            rand_subset(pos, m, errs);
            for (int e = 0; e < errs; e++) {
                /* Errors in either element or both (both beyond the radius:
                 * each element is decoded on its own). */
                int which = errs > radius ? 2 : (int)(mpcsim_test_rand64() % 3);

                if (which != 1) {
                    rows[2 * pos[e]] = fp_add(rows[2 * pos[e]], 1 + rand_elem() % 1000);
                }
                if (which != 0) {
                    rows[2 * pos[e] + 1] = fp_sub(rows[2 * pos[e] + 1], 1 + rand_elem() % 1000);
                }
            }
            rc = shamir_reconstruct_robust(sh, got, bad, &nbad, &ndec, rows, idx, (size_t)m, 2, s);
            if (errs <= radius) {
                assert_int_equal(rc, 0);
                assert_memory_equal(got, secret, sizeof(got));
                assert_int_equal(nbad, errs);
                for (int e = 0; e < errs; e++) {
                    int found = 0;

                    for (size_t b = 0; b < nbad; b++) {
                        found |= bad[b] == (size_t)pos[e];
                    }
                    assert_true(found);
                }
                assert_true(errs == 0 ? ndec == 0 : ndec >= 1);
            } else {
                assert_int_equal(rc, MPCSIM_EDECODE);
            }
        }
    }
    shamir_ctx_destroy(sh);
    fp_stream_destroy(s);
}

/* GRR: products of shares, reshared and combined, are a degree-t sharing of x y. */
static void
test_shamir_grr_multiply(void **state)
{
    const int n = 9, t = 4; /* n = 2t + 1: no slack */
    struct fp_stream *s = stream(5);
    struct shamir_ctx *sh = NULL;
    uint64_t x = rand_elem(), y = rand_elem();
    uint64_t a[9], b[9], sub[9][9], c[9], lambda[9], col[9], got = 0;
    int all[9];
    int ok = 0;

    (void)state;
    assert_int_equal(shamir_ctx_create(&sh, n, t), 0);
    shamir_share(sh, a, x, s);
    shamir_share(sh, b, y, s);
    for (int j = 0; j < n; j++) {
        all[j] = j;
        shamir_share(sh, sub[j], fp_mul(a[j], b[j]), s); /* party j reshares h_j */
    }
    assert_int_equal(shamir_lagrange0(sh, lambda, all, (size_t)n), 0);
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
            col[j] = sub[j][i];
        }
        shamir_combine(&c[i], lambda, col, (size_t)n, 1);
    }
    assert_int_equal(shamir_check(sh, &ok, c, all, (size_t)n, 1, s), 0);
    assert_true(ok);
    assert_int_equal(shamir_reconstruct(sh, &got, c + 3, all + 3, (size_t)t + 1, 1), 0);
    assert_true(got == fp_mul(x, y));
    shamir_ctx_destroy(sh);
    fp_stream_destroy(s);
}

/*
 * Privacy: for n = 5, t = 2 and a fixed secret, every pair of shares is
 * uniform (16 joint bins, chi-square < 37.70 at p = 0.001, 15 degrees of
 * freedom), and the pairs of two different secrets have the same
 * distribution (two-sample chi-square).
 */
static void
test_shamir_privacy_chisq(void **state)
{
    enum { SAMPLES = 16000, BINS = 16, N = 5, T = 2 };
    const uint64_t secrets[2] = {0, 987654321};
    double hist[2][10][BINS];
    struct fp_stream *s = stream(6);
    struct shamir_ctx *sh = NULL;

    (void)state;
    memset(hist, 0, sizeof(hist));
    assert_int_equal(shamir_ctx_create(&sh, N, T), 0);
    for (int w = 0; w < 2; w++) {
        for (int i = 0; i < SAMPLES; i++) {
            uint64_t sv[N];
            int q = 0;

            shamir_share(sh, sv, secrets[w], s);
            for (int a = 0; a < N; a++) {
                for (int b = a + 1; b < N; b++, q++) {
                    hist[w][q][(sv[a] >> 59) * 4 + (sv[b] >> 59)] += 1;
                }
            }
        }
    }
    for (int q = 0; q < 10; q++) {
        double chi_u = 0, chi_2 = 0, e = (double)SAMPLES / BINS;

        for (int b = 0; b < BINS; b++) {
            double d = hist[0][q][b] - e;
            double s2 = hist[0][q][b] + hist[1][q][b];
            double d2 = hist[0][q][b] - hist[1][q][b];

            chi_u += d * d / e;
            chi_2 += s2 > 0 ? d2 * d2 / s2 : 0;
        }
        assert_true(chi_u < 37.70);
        assert_true(chi_2 < 37.70);
    }
    shamir_ctx_destroy(sh);
    fp_stream_destroy(s);
}

/* Each allocation failure is reported and leaks nothing. */
static void
test_shamir_oom(void **state)
{
    (void)state;
    for (int k = 0;; k++) {
        struct shamir_ctx *sh = NULL;
        int rc;

        mpcsim_test_fail_alloc_after(k);
        rc = shamir_ctx_create(&sh, 20, 6);
        mpcsim_test_fail_alloc_after(-1);
        if (rc == 0) {
            shamir_ctx_destroy(sh);
            break;
        }
        assert_int_equal(rc, MPCSIM_ENOMEM);
        assert_null(sh);
    }
    {
        struct shamir_ctx *sh = NULL;
        struct fp_stream *s = stream(7);
        uint64_t shares[20], got[1];
        size_t bad[20], nbad;
        int idx[20];

        assert_int_equal(shamir_ctx_create(&sh, 20, 6), 0);
        shamir_share(sh, shares, 5, s);
        shares[3] = fp_add(shares[3], 1);
        for (int i = 0; i < 20; i++) {
            idx[i] = i;
        }
        for (int k = 0;; k++) {
            int rc;

            mpcsim_test_fail_alloc_after(k);
            rc = shamir_reconstruct_robust(sh, got, bad, &nbad, NULL, shares, idx, 20, 1, s);
            mpcsim_test_fail_alloc_after(-1);
            if (rc == 0) {
                assert_true(got[0] == 5);
                assert_int_equal(nbad, 1);
                break;
            }
            assert_int_equal(rc, MPCSIM_ENOMEM);
        }
        shamir_ctx_destroy(sh);
        fp_stream_destroy(s);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shamir_quorum),           cmocka_unit_test(test_shamir_large_t_vec),
        cmocka_unit_test(test_shamir_share_paths),      cmocka_unit_test(test_shamir_robust_dual),
        cmocka_unit_test(test_shamir_lagrange_vs_poly), cmocka_unit_test(test_shamir_check),
        cmocka_unit_test(test_shamir_robust_radius),    cmocka_unit_test(test_shamir_grr_multiply),
        cmocka_unit_test(test_shamir_privacy_chisq),    cmocka_unit_test(test_shamir_oom),
    };

    mpcsim_test_init();
    return cmocka_run_group_tests_name("shamir", tests, NULL, NULL);
}
