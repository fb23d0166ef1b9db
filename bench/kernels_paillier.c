/* SPDX-License-Identifier: MIT */
/*
 * bench/kernels_paillier.c - benchmark kernels of the paillier module, at
 * 2048-bit n.  One key (and one 51-of-100 dealing) is generated on first
 * use and shared by the kernels; keygen has its own kernel.  Each kernel
 * checks its last result by decrypting it.
 */
#include "bench/kernels.h"

#include <string.h>

#include "common/alloc.h"
#include "protocols/paillier/paillier.h"

#define BITS 2048
#define NPARTIES 100
#define THRESHOLD 51
#define NCT 64

static const uint8_t bench_key[32] = {'m', 'p', 'c', 's', 'i', 'm', '-', 'b', 'e', 'n', 'c', 'h'};

/* Shared fixture (never freed: process lifetime). */
static struct paillier_pk *f_pk;
static struct paillier_sk *f_sk;
static struct paillier_threshold *f_th;

static int
fixture(void)
{
    struct paillier_rng rng;
    int rc;

    if (f_th != NULL) {
        return 0;
    }
    paillier_rng_init(&rng, bench_key, 0);
    rc = paillier_keygen(&f_pk, &f_sk, BITS, PAILLIER_PRECOMP, &rng);
    if (rc == 0) {
        rc = paillier_threshold_deal(&f_th, f_sk, THRESHOLD, NPARTIES, &rng);
    }
    paillier_rng_clear(&rng);
    return rc;
}

struct pstate {
    struct paillier_rng rng;
    mpz_t m, c, out;
    mpz_t cts[NCT]; /* E(i) */
    mpz_t parts[NPARTIES];
    unsigned idx[NPARTIES];
    struct paillier_acc *acc;
    int64_t expect;
    int result; /* for check-only kernels */
};

static int
p_setup(void **state)
{
    struct pstate *s;
    int rc = fixture();

    if (rc != 0) {
        return rc;
    }
    s = mpcsim_calloc(1, sizeof(*s));
    if (s == NULL) {
        return MPCSIM_ENOMEM;
    }
    paillier_rng_init(&s->rng, bench_key, 99);
    mpz_inits(s->m, s->c, s->out, NULL);
    for (int i = 0; i < NCT; i++) {
        mpz_init(s->cts[i]);
        mpz_set_ui(s->m, (unsigned long)i);
        paillier_encrypt_precomp(f_pk, s->cts[i], s->m, &s->rng);
    }
    mpz_set_ui(s->m, 314159);
    paillier_encrypt_precomp(f_pk, s->c, s->m, &s->rng);
    for (int i = 0; i < NPARTIES; i++) {
        mpz_init(s->parts[i]);
        s->idx[i] = (unsigned)(NPARTIES - 1 - i); /* a non-trivial subset order */
    }
    rc = paillier_acc_create(&s->acc, f_pk);
    if (rc != 0) {
        return rc;
    }
    *state = s;
    return 0;
}

static void
p_teardown(void *state)
{
    struct pstate *s = state;

    for (int i = 0; i < NCT; i++) {
        mpz_clear(s->cts[i]);
    }
    for (int i = 0; i < NPARTIES; i++) {
        mpz_clear(s->parts[i]);
    }
    mpz_clears(s->m, s->c, s->out, NULL);
    paillier_acc_destroy(s->acc);
    mpcsim_free(s);
}

/* out decrypts to m */
static int
check_out_is_m(void *state)
{
    struct pstate *s = state;
    mpz_t d;
    int bad;

    mpz_init(d);
    paillier_decrypt(f_sk, d, s->out);
    bad = mpz_cmp(d, s->m) != 0;
    mpz_clear(d);
    return bad;
}

static void
run_keygen(void *state, uint64_t iters)
{
    struct pstate *s = state;

    for (uint64_t i = 0; i < iters; i++) {
        struct paillier_pk *pk = NULL;
        struct paillier_sk *sk = NULL;

        if (paillier_keygen(&pk, &sk, BITS, 0, &s->rng) != 0) {
            s->result = 1;
            return;
        }
        s->result = mpz_sizeinbase(paillier_pk_n(pk), 2) != BITS;
        paillier_sk_destroy(sk);
        paillier_pk_destroy(pk);
    }
}

static int
check_result(void *state)
{
    return ((struct pstate *)state)->result;
}

static void
run_encrypt(void *state, uint64_t iters)
{
    struct pstate *s = state;

    for (uint64_t i = 0; i < iters; i++) {
        paillier_encrypt(f_pk, s->out, s->m, &s->rng);
    }
}

static void
run_encrypt_precomp(void *state, uint64_t iters)
{
    struct pstate *s = state;

    for (uint64_t i = 0; i < iters; i++) {
        paillier_encrypt_precomp(f_pk, s->out, s->m, &s->rng);
    }
}

static void
run_decrypt_crt(void *state, uint64_t iters)
{
    struct pstate *s = state;

    for (uint64_t i = 0; i < iters; i++) {
        paillier_decrypt(f_sk, s->out, s->c);
    }
}

static void
run_decrypt_textbook(void *state, uint64_t iters)
{
    struct pstate *s = state;

    for (uint64_t i = 0; i < iters; i++) {
        paillier_decrypt_textbook(f_sk, s->out, s->c);
    }
}

static int
check_decrypt(void *state)
{
    struct pstate *s = state;

    return mpz_cmp(s->out, s->m) != 0;
}

/* Homomorphic add via the Montgomery accumulator (the aggregation path). */
static void
run_add(void *state, uint64_t iters)
{
    struct pstate *s = state;

    paillier_acc_reset(s->acc);
    s->expect = 0;
    for (uint64_t i = 0; i < iters; i++) {
        paillier_acc_add(s->acc, s->cts[i % NCT]);
        s->expect += (int64_t)(i % NCT);
    }
}

/* The baseline: mpz_mul + mpz_mod. */
static void
run_add_mpz(void *state, uint64_t iters)
{
    struct pstate *s = state;

    mpz_set_ui(s->out, 1);
    s->expect = 0;
    for (uint64_t i = 0; i < iters; i++) {
        paillier_add(f_pk, s->out, s->out, s->cts[i % NCT]);
        s->expect += (int64_t)(i % NCT);
    }
}

static int
check_add_common(struct pstate *s)
{
    mpz_t d;
    int64_t got = -1;
    int bad;

    mpz_init(d);
    paillier_decrypt(f_sk, d, s->out);
    bad = paillier_decode_i64(f_pk, &got, d) != 0 || got != s->expect;
    mpz_clear(d);
    return bad;
}

static int
check_add(void *state)
{
    struct pstate *s = state;

    paillier_acc_get(s->acc, s->out);
    return check_add_common(s);
}

static int
check_add_mpz(void *state)
{
    return check_add_common(state);
}

static void
run_partial(void *state, uint64_t iters)
{
    struct pstate *s = state;

    for (uint64_t i = 0; i < iters; i++) {
        paillier_partial_decrypt(f_th, s->parts[i % NPARTIES], s->idx[i % NPARTIES], s->c);
    }
}

static int
setup_partials(void **state)
{
    struct pstate *s;
    int rc = p_setup(state);

    if (rc != 0) {
        return rc;
    }
    s = *state;
    for (int i = 0; i < THRESHOLD + 1; i++) {
        paillier_partial_decrypt(f_th, s->parts[i], s->idx[i], s->c);
    }
    mpz_set_ui(s->m, 314159);
    return 0;
}

static void
run_combine(void *state, uint64_t iters)
{
    struct pstate *s = state;

    for (uint64_t i = 0; i < iters; i++) {
        if (paillier_combine(f_th, s->out, (const mpz_t *)s->parts, s->idx, THRESHOLD) != 0) {
            mpz_set_ui(s->out, 0);
        }
    }
}

static void
run_check(void *state, uint64_t iters)
{
    struct pstate *s = state;

    for (uint64_t i = 0; i < iters; i++) {
        s->result =
            paillier_partials_consistent(f_th, (const mpz_t *)s->parts, s->idx, THRESHOLD + 1) != 1;
    }
}

static int
check_partial(void *state)
{
    struct pstate *s = state;

    if (paillier_combine(f_th, s->out, (const mpz_t *)s->parts, s->idx, THRESHOLD) != 0) {
        return 1;
    }
    return mpz_cmp(s->out, s->m) != 0;
}

static int
check_combine(void *state)
{
    struct pstate *s = state;

    return mpz_cmp(s->out, s->m) != 0;
}

static const struct bench_kernel kernels[] = {
    {"paillier/keygen/2048", "key", 1, p_setup, run_keygen, check_result, p_teardown, 1},
    {"paillier/encrypt/2048", "enc", 1, p_setup, run_encrypt, check_out_is_m, p_teardown, 2},
    {"paillier/encrypt_precomputed/2048", "enc", 1, p_setup, run_encrypt_precomp, check_out_is_m,
     p_teardown, 20},
    {"paillier/decrypt_crt/2048", "dec", 1, p_setup, run_decrypt_crt, check_decrypt, p_teardown, 4},
    {"paillier/decrypt_textbook/2048", "dec", 1, p_setup, run_decrypt_textbook, check_decrypt,
     p_teardown, 2},
    {"paillier/add/2048", "add", 1, p_setup, run_add, check_add, p_teardown, 1000},
    {"paillier/add_mpz/2048", "add", 1, p_setup, run_add_mpz, check_add_mpz, p_teardown, 1000},
    {"paillier/partial_decrypt/2048", "partial", 1, setup_partials, run_partial, check_partial,
     p_teardown, 2},
    {"paillier/combine/2048/t51", "combine", 1, setup_partials, run_combine, check_combine,
     p_teardown, 1},
    {"paillier/partials_check/2048/t51", "check", 1, setup_partials, run_check, check_result,
     p_teardown, 1},
};

/* see kernels.h */
const struct bench_kernel *
bench_paillier_kernels(size_t *count)
{
    *count = sizeof(kernels) / sizeof(kernels[0]);
    return kernels;
}
