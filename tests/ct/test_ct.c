/* SPDX-License-Identifier: MIT */
/*
 * tests/ct/test_ct.c - constant-time check, ctgrind style: run under
 * valgrind memcheck (tests/ct/CMakeLists.txt), secrets are marked
 * undefined (VALGRIND_MAKE_MEM_UNDEFINED), so any branch or memory index
 * that depends on one is reported ("Conditional jump or move depends on
 * uninitialised value(s)", "Use of uninitialised value of size 8") and
 * fails the run (--error-exitcode).  Outputs are marked defined again
 * before they are compared with a reference computed on public copies.
 *
 * Checked (must stay constant time):
 *   fp_add, fp_sub, fp_neg, fp_mul on secret operands; fp_inv on a
 *   secret non-zero element; shamir_share_coeffs (secret and random
 *   coefficients secret); additive_share's arithmetic (secret inputs; the
 *   stream's key public); Paillier threshold partial decryption
 *   (mpz_powm_sec with the secret key share as exponent: the share's limb
 *   count, i.e. its length, is public); Paillier precomputed encryption's
 *   random part (the ChaCha20 key secret, table lookups by
 *   mpn_sec_tabselect) with a public plaintext.
 * Known variable time, run only with --all (report, not a test):
 *   fp_stream rejection sampling (branches on whether a draw equals p:
 *   probability 2^-61, independent of the values kept);
 *   paillier_decrypt's CRT steps (mpz_mod by the secret p^2, q^2,
 *   mpz_divexact by p, mpz_mul on secret values: GMP's mpz layer
 *   normalises sizes and divides with data-dependent branches; the two
 *   exponentiations themselves are mpz_powm_sec);
 *   Paillier encryption of a secret plaintext (gm: mpz_mul by n and
 *   mpz sizes of m).
 *
 * Usage: valgrind --error-exitcode=1 test_ct [--all]
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <gmp.h>
#include <valgrind/memcheck.h>

#include "protocols/additive/additive.h"
#include "protocols/field/fp.h"
#include "protocols/field/fp_stream.h"
#include "protocols/paillier/paillier.h"
#include "protocols/paillier/paillier_int.h"
#include "protocols/shamir/shamir.h"

#define CT_SECRET(p, n) (void)VALGRIND_MAKE_MEM_UNDEFINED((p), (n))
#define CT_PUBLIC(p, n) (void)VALGRIND_MAKE_MEM_DEFINED((p), (n))

static int failures;

static void
ct_check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "test_ct: wrong result: %s\n", what);
        failures++;
    }
}

/* An mpz's limbs (not its size: GMP's mpz layer leaks the length). */
static void
ct_mpz_secret(mpz_t x)
{
    CT_SECRET(x->_mp_d, mpz_size(x) * sizeof(mp_limb_t));
}

/* Limbs and size: a result's size is derived from its (secret) limbs. */
static void
ct_mpz_public(mpz_t x)
{
    CT_PUBLIC(&x->_mp_size, sizeof(x->_mp_size));
    CT_PUBLIC(x->_mp_d, mpz_size(x) * sizeof(mp_limb_t));
}

static const uint8_t ct_key[32] = {'c', 't', 'g', 'r', 'i', 'n', 'd'};

/* ------------------------------------------------------------------ */

static void
ct_field(struct fp_stream *rng)
{
    for (int i = 0; i < 64; i++) {
        uint64_t a = fp_stream_next(rng), b = fp_stream_next(rng);
        uint64_t sa = a, sb = b, r[5], inv = 0, ref;
        int rc;

        if (i == 0) {
            a = sa = 0;
            b = sb = FP_P - 1;
        }
        CT_SECRET(&sa, sizeof(sa));
        CT_SECRET(&sb, sizeof(sb));
        r[0] = fp_add(sa, sb);
        r[1] = fp_sub(sa, sb);
        r[2] = fp_neg(sa);
        r[3] = fp_mul(sa, sb);
        r[4] = fp_sqr(sb);
        rc = fp_inv(&inv, sb); /* b != 0: the zero check is on a public fact */
        CT_PUBLIC(r, sizeof(r));
        CT_PUBLIC(&inv, sizeof(inv));
        CT_PUBLIC(&rc, sizeof(rc));
        ct_check(r[0] == (uint64_t)(((mpcsim_u128)a + b) % FP_P), "fp_add");
        ct_check(r[1] == (uint64_t)(((mpcsim_u128)a + FP_P - b) % FP_P), "fp_sub");
        ct_check(r[2] == (uint64_t)((FP_P - a) % FP_P), "fp_neg");
        ref = (uint64_t)(((mpcsim_u128)a * b) % FP_P);
        ct_check(r[3] == ref, "fp_mul");
        ct_check(r[4] == (uint64_t)(((mpcsim_u128)b * b) % FP_P), "fp_sqr");
        ct_check(rc == 0 && fp_mul(inv, b) == 1, "fp_inv");
    }
}

static void
ct_shamir(struct fp_stream *rng)
{
    enum { N = 9, T = 4 };
    struct shamir_ctx *sh = NULL;
    uint64_t coeffs[T], scoeffs[T], shares[N];
    uint64_t secret, ssecret;

    if (shamir_ctx_create(&sh, N, T) != 0) {
        ct_check(0, "shamir_ctx_create");
        return;
    }
    secret = fp_stream_next(rng);
    fp_stream_fill(rng, coeffs, T);
    ssecret = secret;
    memcpy(scoeffs, coeffs, sizeof(coeffs));
    CT_SECRET(&ssecret, sizeof(ssecret));
    CT_SECRET(scoeffs, sizeof(scoeffs));
    shamir_share_coeffs(sh, shares, ssecret, scoeffs);
    CT_PUBLIC(shares, sizeof(shares));
    for (uint64_t j = 0; j < N; j++) {
        uint64_t x = j + 1, y = coeffs[T - 1];

        for (int k = T - 2; k >= 0; k--) {
            y = fp_add(fp_mul(y, x), coeffs[k]);
        }
        ct_check(shares[j] == fp_add(fp_mul(y, x), secret), "shamir_share_coeffs");
    }
    shamir_ctx_destroy(sh);
}

static void
ct_additive(void)
{
    enum { N = 5, L = 3 };
    struct fp_stream *rng = NULL;
    uint64_t secret[L] = {7, FP_P - 2, 123456789}, shares[N * L], sum[L];

    if (fp_stream_create(&rng, ct_key, 99) != 0) {
        ct_check(0, "fp_stream_create");
        return;
    }
    CT_SECRET(secret, sizeof(secret));
    additive_share(shares, N, secret, L, rng);
    additive_reconstruct(sum, shares, N, L);
    CT_PUBLIC(sum, sizeof(sum));
    CT_PUBLIC(secret, sizeof(secret));
    ct_check(memcmp(sum, secret, sizeof(sum)) == 0, "additive_share");
    fp_stream_destroy(rng);
}

/* Keyed from a secret key: every draw is secret, and rejection branches. */
static void
ct_stream_rejection(void)
{
    uint8_t key[32];
    struct fp_stream *rng = NULL;
    uint64_t v[4];

    memcpy(key, ct_key, sizeof(key));
    CT_SECRET(key, sizeof(key));
    if (fp_stream_create(&rng, key, 1) != 0) {
        ct_check(0, "fp_stream_create");
        return;
    }
    fp_stream_fill(rng, v, 4);
    fp_stream_destroy(rng);
}

/* ------------------------------------------------------------------ */

struct ct_paillier {
    struct paillier_pk *pk;
    struct paillier_sk *sk;
    struct paillier_threshold *th;
};

static int
ct_paillier_setup(struct ct_paillier *kp)
{
    struct paillier_rng rng;
    int rc;

    memset(kp, 0, sizeof(*kp));
    paillier_rng_init(&rng, ct_key, 1);
    rc = paillier_keygen(&kp->pk, &kp->sk, 1024, PAILLIER_PRECOMP, &rng);
    if (rc == 0) {
        rc = paillier_threshold_deal(&kp->th, kp->sk, 2, 3, &rng);
    }
    paillier_rng_clear(&rng);
    return rc;
}

static void
ct_paillier_teardown(struct ct_paillier *kp)
{
    paillier_threshold_destroy(kp->th);
    paillier_sk_destroy(kp->sk);
    paillier_pk_destroy(kp->pk);
}

/* A public ciphertext of v under a public nonce. */
static void
ct_paillier_ct(const struct ct_paillier *kp, mpz_t c, int64_t v)
{
    struct paillier_rng rng;
    mpz_t m;

    mpz_init(m);
    paillier_encode_i64(kp->pk, m, v);
    paillier_rng_init(&rng, ct_key, 2);
    paillier_encrypt(kp->pk, c, m, &rng);
    mpz_clear(m);
}

/* Partial decryption: c^(share_i) mod n^2 with the share secret. */
static void
ct_paillier_partial(const struct ct_paillier *kp)
{
    mpz_t c, ref, got;

    mpz_inits(c, ref, got, NULL);
    ct_paillier_ct(kp, c, 424242);
    paillier_partial_decrypt(kp->th, ref, 1, c);
    ct_mpz_secret(kp->th->share[1]);
    paillier_partial_decrypt(kp->th, got, 1, c);
    ct_mpz_public(got);
    ct_mpz_public(kp->th->share[1]);
    ct_check(mpz_cmp(got, ref) == 0, "paillier_partial_decrypt");
    mpz_clears(c, ref, got, NULL);
}

/* Precomputed encryption of a public m with a secret nonce key. */
static void
ct_paillier_encrypt_nonce(const struct ct_paillier *kp)
{
    struct paillier_rng rng;
    mpz_t m, c, ref;

    mpz_inits(m, c, ref, NULL);
    paillier_encode_i64(kp->pk, m, -77);
    paillier_rng_init(&rng, ct_key, 3);
    paillier_encrypt_precomp(kp->pk, ref, m, &rng);
    paillier_rng_init(&rng, ct_key, 3);
    CT_SECRET(rng.key, sizeof(rng.key));
    paillier_encrypt_precomp(kp->pk, c, m, &rng);
    ct_mpz_public(c);
    ct_check(mpz_cmp(c, ref) == 0, "paillier_encrypt_precomp (secret nonce)");
    paillier_rng_clear(&rng);
    mpz_clears(m, c, ref, NULL);
}

/* Encryption of a secret plaintext (known variable time: gm). */
static void
ct_paillier_encrypt_secret_m(const struct ct_paillier *kp)
{
    struct paillier_rng rng;
    mpz_t m, c;

    mpz_inits(m, c, NULL);
    paillier_encode_i64(kp->pk, m, 31337);
    paillier_rng_init(&rng, ct_key, 4);
    ct_mpz_secret(m);
    paillier_encrypt_precomp(kp->pk, c, m, &rng);
    ct_mpz_public(c);
    mpz_clears(m, c, NULL);
}

/* CRT decryption with every secret-key value secret (known variable time). */
static void
ct_paillier_decrypt(const struct ct_paillier *kp)
{
    struct paillier_sk *sk = kp->sk;
    mpz_t *secret[] = {&sk->p,   &sk->q,   &sk->p2, &sk->q2, &sk->lambda, &sk->mu,
                       &sk->pm1, &sk->qm1, &sk->hp, &sk->hq, &sk->pinv_q};
    mpz_t c, m;
    int64_t v = 0;

    mpz_inits(c, m, NULL);
    ct_paillier_ct(kp, c, -99);
    for (size_t i = 0; i < sizeof(secret) / sizeof(secret[0]); i++) {
        ct_mpz_secret(*secret[i]);
    }
    paillier_decrypt(sk, m, c);
    for (size_t i = 0; i < sizeof(secret) / sizeof(secret[0]); i++) {
        ct_mpz_public(*secret[i]);
    }
    ct_mpz_public(m);
    ct_check(paillier_decode_i64(kp->pk, &v, m) == 0 && v == -99, "paillier_decrypt");
    mpz_clears(c, m, NULL);
}

/* ------------------------------------------------------------------ */

int
main(int argc, char **argv)
{
    struct fp_stream *rng = NULL;
    struct ct_paillier kp;
    int all = argc > 1 && strcmp(argv[1], "--all") == 0;

    if (!RUNNING_ON_VALGRIND) {
        fprintf(stderr, "test_ct: not under valgrind: the secrets are not tracked\n");
    }
    if (fp_stream_create(&rng, ct_key, 0) != 0 || ct_paillier_setup(&kp) != 0) {
        fprintf(stderr, "test_ct: setup failed\n");
        return 1;
    }
    fprintf(stderr, "test_ct: field\n");
    ct_field(rng);
    fprintf(stderr, "test_ct: shamir_share_coeffs\n");
    ct_shamir(rng);
    fprintf(stderr, "test_ct: additive_share\n");
    ct_additive();
    fprintf(stderr, "test_ct: paillier_partial_decrypt\n");
    ct_paillier_partial(&kp);
    fprintf(stderr, "test_ct: paillier_encrypt_precomp (secret nonce)\n");
    ct_paillier_encrypt_nonce(&kp);
    if (all) {
        fprintf(stderr, "test_ct: [variable time] fp_stream rejection sampling\n");
        ct_stream_rejection();
        fprintf(stderr, "test_ct: [variable time] paillier_encrypt_precomp (secret m)\n");
        ct_paillier_encrypt_secret_m(&kp);
        fprintf(stderr, "test_ct: [variable time] paillier_decrypt (CRT)\n");
        ct_paillier_decrypt(&kp);
    }
    ct_paillier_teardown(&kp);
    fp_stream_destroy(rng);
    fprintf(stderr, "test_ct: %s\n", failures == 0 ? "done" : "FAILED");
    return failures == 0 ? 0 : 1;
}
