/* SPDX-License-Identifier: MIT */
/*
 * protocols/paillier/threshold.c - t-of-n threshold decryption with a
 * trusted dealer (Shoup / Damgard-Jurik with s = 1, no safe primes, no
 * proofs).
 *
 * Dealer: d = lambda (lambda^{-1} mod n), so d = 0 mod lambda and
 * d = 1 mod n; f(X) = d + a_1 X + ... + a_{t-1} X^{t-1} with a_j uniform
 * mod n lambda; party i holds e_i = 2 Delta f(i + 1) mod n lambda (the
 * exponent of its partial, premultiplied and reduced by the dealer).  The
 * exponent of Z*_{n^2} is n lambda, so reducing mod n lambda changes nothing.
 * Partial: c_i = c^{2 Delta s_i}.  Combination with integer Lagrange
 * coefficients lambda_j = Delta prod_{l != j} x_l / (x_l - x_j) gives
 * c^{4 Delta^2 d} = (1 + n)^{4 Delta^2 m}, so m = L(.) (4 Delta^2)^{-1} mod n.
 *
 * Cost: a share is ~2|n| bits, so a partial decryption is an mpz_powm_sec
 * with a ~2|n| + |Delta| bit exponent mod n^2 (about twice an encryption
 * r^n); combination is t mpz_powm with |Delta|-ish exponents.  Revisit
 * with a multi-exponentiation if combination shows up in profiles.
 */
#include "protocols/paillier/paillier.h"

#include <sodium.h>

#include "common/alloc.h"
#include "protocols/paillier/paillier_int.h"

/* see paillier.h */
int
paillier_threshold_deal(struct paillier_threshold **out, const struct paillier_sk *sk, unsigned t,
                        unsigned nparties, struct paillier_rng *rng)
{
    const struct paillier_pk *pk = sk->pk;
    struct paillier_threshold *th = NULL;
    mpz_t nl, d, *coef = NULL;
    int rc = 0;

    if (t < 1 || t > nparties || nparties > 65535 || mpz_cmp_ui(sk->p, nparties) <= 0 ||
        mpz_cmp_ui(sk->q, nparties) <= 0) {
        return MPCSIM_EINVAL;
    }
    th = mpcsim_calloc(1, sizeof(*th));
    if (th == NULL) {
        return MPCSIM_ENOMEM;
    }
    th->pk = pk;
    th->t = t;
    th->nparties = nparties;
    mpz_inits(th->delta, th->inv4d2, NULL);
    th->share = mpcsim_calloc(nparties, sizeof(*th->share));
    coef = mpcsim_calloc(t, sizeof(*coef));
    if (th->share == NULL || coef == NULL) {
        mpcsim_free(th->share);
        mpcsim_free(coef);
        th->share = NULL;
        coef = NULL;
        rc = MPCSIM_ENOMEM;
        goto out;
    }
    for (unsigned i = 0; i < nparties; i++) {
        mpz_init(th->share[i]);
    }
    for (unsigned j = 0; j < t; j++) {
        mpz_init(coef[j]);
    }
    mpz_fac_ui(th->delta, nparties);
    mpz_mul(th->inv4d2, th->delta, th->delta);
    mpz_mul_ui(th->inv4d2, th->inv4d2, 4);
    if (mpz_invert(th->inv4d2, th->inv4d2, pk->n) == 0) {
        rc = MPCSIM_EINVAL;
        goto out;
    }
    mpz_inits(nl, d, NULL);
    mpz_mul(nl, pk->n, sk->lambda);
    if (mpz_invert(d, sk->lambda, pk->n) == 0) {
        rc = MPCSIM_EINVAL;
    } else {
        mpz_mul(coef[0], d, sk->lambda);
        for (unsigned j = 1; j < t; j++) {
            paillier_rng_below(rng, coef[j], nl);
        }
        for (unsigned i = 0; i < nparties; i++) {
            /* Horner at x = i + 1 */
            mpz_set(th->share[i], coef[t - 1]);
            for (unsigned j = t - 1; j-- > 0;) {
                mpz_mul_ui(th->share[i], th->share[i], i + 1);
                mpz_add(th->share[i], th->share[i], coef[j]);
                mpz_mod(th->share[i], th->share[i], nl);
            }
            /* Hold e_i = 2 Delta f(i + 1) mod n lambda: the partial's exponent, reduced. */
            mpz_mul(th->share[i], th->share[i], th->delta);
            mpz_mul_2exp(th->share[i], th->share[i], 1);
            mpz_mod(th->share[i], th->share[i], nl);
        }
    }
    paillier_mpz_wipe(d);
    paillier_mpz_wipe(nl);
    mpz_clears(nl, d, NULL);
out:
    if (coef != NULL) {
        for (unsigned j = 0; j < t; j++) {
            paillier_mpz_wipe(coef[j]);
            mpz_clear(coef[j]);
        }
        mpcsim_free(coef);
    }
    if (rc != 0) {
        paillier_threshold_destroy(th);
        return rc;
    }
    *out = th;
    return 0;
}

/* see paillier.h */
void
paillier_threshold_destroy(struct paillier_threshold *th)
{
    if (th == NULL) {
        return;
    }
    if (th->share != NULL) {
        for (unsigned i = 0; i < th->nparties; i++) {
            paillier_mpz_wipe(th->share[i]);
            mpz_clear(th->share[i]);
        }
        mpcsim_free(th->share);
    }
    mpz_clears(th->delta, th->inv4d2, NULL);
    sodium_memzero(th, sizeof(*th));
    mpcsim_free(th);
}

/* see paillier.h */
unsigned
paillier_threshold_t(const struct paillier_threshold *th)
{
    return th->t;
}

/* see paillier.h */
unsigned
paillier_threshold_parties(const struct paillier_threshold *th)
{
    return th->nparties;
}

/* see paillier.h */
const struct paillier_pk *
paillier_threshold_pk(const struct paillier_threshold *th)
{
    return th->pk;
}

/* see paillier.h */
void
paillier_partial_decrypt(const struct paillier_threshold *th, mpz_t out, unsigned i, const mpz_t c)
{
    MPCSIM_ASSERT(i < th->nparties);
    mpz_powm_sec(out, c, th->share[i], th->pk->n2);
}

/* Indices idx[0, k) in range and pairwise distinct. */
static int
check_indices(const struct paillier_threshold *th, const unsigned *idx, size_t k)
{
    for (size_t a = 0; a < k; a++) {
        if (idx[a] >= th->nparties) {
            return MPCSIM_EINVAL;
        }
        for (size_t b = 0; b < a; b++) {
            if (idx[a] == idx[b]) {
                return MPCSIM_EINVAL;
            }
        }
    }
    return 0;
}

/* see paillier.h */
int
paillier_combine(const struct paillier_threshold *th, mpz_t m, const mpz_t *partials,
                 const unsigned *idx, size_t k)
{
    const struct paillier_pk *pk = th->pk;
    size_t t = th->t;
    mpz_t acc, lam, den, pw;
    int rc;

    if (k < t) {
        return MPCSIM_ENOQUORUM;
    }
    rc = check_indices(th, idx, t);
    if (rc != 0) {
        return rc;
    }
    mpz_inits(acc, lam, den, pw, NULL);
    mpz_set_ui(acc, 1);
    for (size_t j = 0; j < t; j++) {
        long xj = (long)idx[j] + 1;

        mpz_set(lam, th->delta);
        mpz_set_ui(den, 1);
        for (size_t l = 0; l < t; l++) {
            long xl = (long)idx[l] + 1;

            if (l == j) {
                continue;
            }
            mpz_mul_si(lam, lam, xl);
            mpz_mul_si(den, den, xl - xj);
        }
        mpz_divexact(lam, lam, den); /* exact: Delta = nparties! */
        mpz_mul_2exp(lam, lam, 1);
        mpz_powm(pw, partials[j], lam, pk->n2); /* negative: GMP inverts */
        mpz_mul(acc, acc, pw);
        mpz_mod(acc, acc, pk->n2);
    }
    /* acc = 1 + 4 Delta^2 m n */
    mpz_sub_ui(acc, acc, 1);
    mpz_divexact(acc, acc, pk->n);
    mpz_mul(acc, acc, th->inv4d2);
    mpz_mod(m, acc, pk->n);
    mpz_clears(acc, lam, den, pw, NULL);
    return 0;
}

/* see paillier.h */
int
paillier_partials_consistent(const struct paillier_threshold *th, const mpz_t *partials,
                             const unsigned *idx, size_t k)
{
    const struct paillier_pk *pk = th->pk;
    size_t k1 = (size_t)th->t + 1;
    mpz_t *den = NULL;
    mpz_t lcm, mu, acc, pw;
    int rc;

    if (k < k1) {
        return MPCSIM_ENOQUORUM;
    }
    rc = check_indices(th, idx, k1);
    if (rc != 0) {
        return rc;
    }
    den = mpcsim_calloc(k1, sizeof(*den));
    if (den == NULL) {
        return MPCSIM_ENOMEM;
    }
    mpz_inits(lcm, mu, acc, pw, NULL);
    mpz_set_ui(lcm, 1);
    for (size_t j = 0; j < k1; j++) {
        long xj = (long)idx[j] + 1;

        mpz_init_set_ui(den[j], 1);
        for (size_t l = 0; l < k1; l++) {
            if (l != j) {
                mpz_mul_si(den[j], den[j], xj - ((long)idx[l] + 1));
            }
        }
        mpz_lcm(lcm, lcm, den[j]);
    }
    /* sum_j f(x_j) / den_j = 0 for deg f < t = k1 - 1 (top divided difference). */
    mpz_set_ui(acc, 1);
    for (size_t j = 0; j < k1; j++) {
        mpz_divexact(mu, lcm, den[j]);
        mpz_powm(pw, partials[j], mu, pk->n2);
        mpz_mul(acc, acc, pw);
        mpz_mod(acc, acc, pk->n2);
    }
    rc = mpz_cmp_ui(acc, 1) == 0 ? 1 : 0;
    for (size_t j = 0; j < k1; j++) {
        mpz_clear(den[j]);
    }
    mpcsim_free(den);
    mpz_clears(lcm, mu, acc, pw, NULL);
    return rc;
}
