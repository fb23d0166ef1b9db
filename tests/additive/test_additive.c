/* SPDX-License-Identifier: MIT */
/*
 * tests/additive/test_additive.c - the additive library on local data:
 * sharing, privacy (chi-square), Beaver multiplication, MACs and the
 * commit-then-open check, out-of-memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "common/alloc.h"
#include "protocols/additive/additive.h"
#include "protocols/field/fp.h"
#include "tests/support.h"

static struct fp_stream *
stream(uint64_t id)
{
    uint8_t key[32];
    struct fp_stream *s = NULL;

    for (int i = 0; i < 32; i++) {
        key[i] = (uint8_t)(i * 7 + 1);
    }
    assert_int_equal(fp_stream_create(&s, key, id), 0);
    return s;
}

static uint64_t
rand_elem(void)
{
    return fp_reduce64(mpcsim_test_rand64());
}

/* Shares of random vectors among random n in 2..64 add up to the secret. */
static void
test_additive_share_roundtrip(void **state)
{
    struct fp_stream *s = stream(1);

    (void)state;
    for (int trial = 0; trial < 50; trial++) {
        size_t n = 2 + mpcsim_test_rand64() % 63;
        size_t len = 1 + mpcsim_test_rand64() % 5;
        uint64_t secret[5], got[5];
        uint64_t *sh = test_malloc(n * len * sizeof(*sh));

        for (size_t k = 0; k < len; k++) {
            secret[k] = rand_elem();
        }
        additive_share(sh, n, secret, len, s);
        additive_reconstruct(got, sh, n, len);
        assert_memory_equal(got, secret, len * sizeof(*got));
        /* Removing any one share loses the secret. */
        additive_reconstruct(got, sh, n - 1, len);
        assert_true(memcmp(got, secret, len * sizeof(*got)) != 0);
        test_free(sh);
    }
    fp_stream_destroy(s);
}

/*
 * Privacy: any n-1 of n = 3 shares of a fixed secret are uniform and
 * independent (chi-square over 16 joint bins of 2 top bits each), and two
 * different secrets give the same distribution (two-sample chi-square).
 * Critical value for 15 degrees of freedom at p = 0.001: 37.70.
 */
static void
test_additive_privacy_chisq(void **state)
{
    enum { SAMPLES = 32000, BINS = 16 };
    const uint64_t secrets[2] = {0, 123456789};
    static const int subsets[3][2] = {{0, 1}, {0, 2}, {1, 2}};
    double hist[2][3][BINS];
    struct fp_stream *s = stream(2);

    (void)state;
    memset(hist, 0, sizeof(hist));
    for (int w = 0; w < 2; w++) {
        for (int i = 0; i < SAMPLES; i++) {
            uint64_t sh[3];

            additive_share(sh, 3, &secrets[w], 1, s);
            for (int q = 0; q < 3; q++) {
                uint64_t a = sh[subsets[q][0]] >> 59, b = sh[subsets[q][1]] >> 59;

                hist[w][q][a * 4 + b] += 1;
            }
        }
    }
    for (int q = 0; q < 3; q++) {
        double chi_u = 0, chi_2 = 0;
        double e = (double)SAMPLES / BINS;

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
    fp_stream_destroy(s);
}

/* Beaver multiplication of shared x, y with dealt triples gives x y. */
static void
test_additive_beaver(void **state)
{
    enum { N = 9, COUNT = 20 };
    struct fp_stream *s = stream(3);
    struct additive_triple *tr = test_malloc(N * COUNT * sizeof(*tr));

    (void)state;
    additive_deal_triples(tr, N, COUNT, 0, 0, s);
    for (int i = 0; i < COUNT; i++) {
        uint64_t x = rand_elem(), y = rand_elem();
        uint64_t xs[N], ys[N], d[N], e[N], z[N];
        uint64_t dd, ee, prod;

        additive_share(xs, N, &x, 1, s);
        additive_share(ys, N, &y, 1, s);
        for (int j = 0; j < N; j++) {
            additive_beaver_open(&d[j], &e[j], xs[j], ys[j], &tr[j * COUNT + i]);
        }
        additive_reconstruct(&dd, d, N, 1);
        additive_reconstruct(&ee, e, N, 1);
        for (int j = 0; j < N; j++) {
            z[j] = additive_beaver_finish(&tr[j * COUNT + i], dd, ee, j == 0);
        }
        additive_reconstruct(&prod, z, N, 1);
        assert_true(prod == fp_mul(x, y));
    }
    test_free(tr);
    fp_stream_destroy(s);
}

/* One MAC check of opened values over n parties; returns additive_mac_accept. */
static int
mac_round(size_t n, const uint64_t *alpha, const uint64_t *opened, const uint64_t *macs,
          size_t count, int tamper_sigma)
{
    uint64_t *coeffs = test_malloc(count * sizeof(*coeffs));
    uint64_t sigma[16];
    uint8_t commit[16][ADDITIVE_COMMIT_BYTES];
    uint8_t nonce[16][ADDITIVE_NONCE_BYTES];
    int ok;

    assert_true(n <= 16);
    assert_int_equal(additive_mac_coeffs(coeffs, opened, count), 0);
    for (size_t j = 0; j < n; j++) {
        uint64_t *mj = test_malloc(count * sizeof(*mj));

        for (size_t k = 0; k < count; k++) {
            mj[k] = macs[k * n + j];
        }
        sigma[j] = additive_mac_sigma(opened, mj, coeffs, count, alpha[j]);
        memset(nonce[j], (int)j, sizeof(nonce[j]));
        additive_commit(commit[j], sigma[j], nonce[j]);
        test_free(mj);
    }
    if (tamper_sigma) {
        sigma[1] = fp_add(sigma[1], 1);
    }
    ok = 1;
    for (size_t j = 0; j < n; j++) {
        ok &= additive_commit_verify(commit[j], sigma[j], nonce[j]);
    }
    test_free(coeffs);
    return ok && additive_mac_accept(sigma, n);
}

/* SPDZ MACs: honest openings pass; a tampered share, MAC or sigma fails. */
static void
test_additive_mac_check(void **state)
{
    enum { N = 5, COUNT = 6 };
    struct fp_stream *s = stream(4);
    uint64_t alpha[N], a = 0;
    uint64_t secret[COUNT], vsh[N * COUNT], msh[N * COUNT];
    uint64_t opened[COUNT], macs[COUNT * N];

    (void)state;
    fp_stream_fill(s, alpha, N);
    for (int j = 0; j < N; j++) {
        a = fp_add(a, alpha[j]);
    }
    for (int k = 0; k < COUNT; k++) {
        secret[k] = rand_elem();
    }
    additive_share_mac(vsh, msh, N, secret, COUNT, a, s);
    for (int k = 0; k < COUNT; k++) {
        uint64_t v = 0;

        for (int j = 0; j < N; j++) {
            v = fp_add(v, vsh[j * COUNT + k]);
            macs[k * N + j] = msh[j * COUNT + k];
        }
        opened[k] = v;
    }
    assert_memory_equal(opened, secret, sizeof(opened));
    assert_true(mac_round(N, alpha, opened, macs, COUNT, 0));
    /* A share tampered with by e: the opened value is off by e. */
    for (int k = 0; k < COUNT; k++) {
        uint64_t bad[COUNT];

        memcpy(bad, opened, sizeof(bad));
        bad[k] = fp_add(bad[k], 1 + (uint64_t)k);
        assert_false(mac_round(N, alpha, bad, macs, COUNT, 0));
    }
    /* A MAC share tampered with. */
    macs[3 * N + 2] = fp_add(macs[3 * N + 2], 99);
    assert_false(mac_round(N, alpha, opened, macs, COUNT, 0));
    macs[3 * N + 2] = fp_sub(macs[3 * N + 2], 99);
    /* A sigma changed after committing: the commitment does not open. */
    assert_false(mac_round(N, alpha, opened, macs, COUNT, 1));
    fp_stream_destroy(s);
}

/* MACs survive Beaver multiplication: the product opens and checks. */
static void
test_additive_beaver_mac(void **state)
{
    enum { N = 4 };
    struct fp_stream *s = stream(5);
    struct additive_triple tr[N];
    uint64_t alpha[N], a = 0, x = 77, y = fp_neg(5);
    uint64_t xs[N], xm[N], ys[N], ym[N], d[N], e[N], z[N], zm[N];
    uint64_t opened[3], macs[3 * N];

    (void)state;
    fp_stream_fill(s, alpha, N);
    for (int j = 0; j < N; j++) {
        a = fp_add(a, alpha[j]);
    }
    additive_deal_triples(tr, N, 1, 1, a, s);
    additive_share_mac(xs, xm, N, &x, 1, a, s);
    additive_share_mac(ys, ym, N, &y, 1, a, s);
    for (int j = 0; j < N; j++) {
        additive_beaver_open(&d[j], &e[j], xs[j], ys[j], &tr[j]);
        macs[0 * N + j] = fp_sub(xm[j], tr[j].ma);
        macs[1 * N + j] = fp_sub(ym[j], tr[j].mb);
    }
    additive_reconstruct(&opened[0], d, N, 1);
    additive_reconstruct(&opened[1], e, N, 1);
    for (int j = 0; j < N; j++) {
        z[j] = additive_beaver_finish(&tr[j], opened[0], opened[1], j == 0);
        zm[j] = additive_beaver_finish_mac(&tr[j], opened[0], opened[1], alpha[j]);
        macs[2 * N + j] = zm[j];
    }
    additive_reconstruct(&opened[2], z, N, 1);
    assert_true(opened[2] == fp_mul(x, y));
    assert_true(mac_round(N, alpha, opened, macs, 3, 0));
    opened[2] = fp_add(opened[2], 1);
    assert_false(mac_round(N, alpha, opened, macs, 3, 0));
    fp_stream_destroy(s);
}

/* additive_mac_coeffs reports an allocation failure and leaks nothing. */
static void
test_additive_coeffs_oom(void **state)
{
    uint64_t v[3] = {1, 2, 3}, c[3];

    (void)state;
    for (int n = 0;; n++) {
        int rc;

        mpcsim_test_fail_alloc_after(n);
        rc = additive_mac_coeffs(c, v, 3);
        mpcsim_test_fail_alloc_after(-1);
        if (rc == 0) {
            break;
        }
        assert_int_equal(rc, MPCSIM_ENOMEM);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_additive_share_roundtrip),
        cmocka_unit_test(test_additive_privacy_chisq),
        cmocka_unit_test(test_additive_beaver),
        cmocka_unit_test(test_additive_mac_check),
        cmocka_unit_test(test_additive_beaver_mac),
        cmocka_unit_test(test_additive_coeffs_oom),
    };

    mpcsim_test_init();
    return cmocka_run_group_tests_name("additive", tests, NULL, NULL);
}
