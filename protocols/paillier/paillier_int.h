/* SPDX-License-Identifier: MIT */
/*
 * protocols/paillier/paillier_int.h - internals shared by the paillier
 * files only: key layouts and Montgomery arithmetic mod n^2 on fixed-size
 * limb arrays.
 */
#ifndef MPCSIM_PROTOCOLS_PAILLIER_PAILLIER_INT_H
#define MPCSIM_PROTOCOLS_PAILLIER_PAILLIER_INT_H

#include "protocols/paillier/paillier.h"

/*
 * Montgomery context for an odd modulus m of nl limbs, R = 2^(64 nl).
 * paillier__mont_mul needs scratch of 2 nl limbs; inputs < m, output < m.
 * The reduction is constant time (final subtraction by mpn_cnd_swap), the
 * product is not (mpn_mul_n's Toom-Cook branches on the operands): secret
 * operands go through paillier__mont_mul_sec (mpn_sec_mul, schoolbook).
 */
struct paillier_mont {
    mp_size_t nl;
    mp_limb_t *m;   /* nl limbs */
    mp_limb_t minv; /* -m^{-1} mod 2^64 */
    mp_limb_t *r2;  /* R^2 mod m, nl limbs */
    mp_limb_t *one; /* R mod m (Montgomery form of 1), nl limbs */
};

MPCSIM_NODISCARD int paillier__mont_init(struct paillier_mont *mt, const mpz_t m);
void paillier__mont_clear(struct paillier_mont *mt);
/* rp = a b R^{-1} mod m.  rp may alias a or b.  tp: 2 nl limbs scratch. */
void paillier__mont_mul(const struct paillier_mont *mt, mp_limb_t *rp, const mp_limb_t *a,
                        const mp_limb_t *b, mp_limb_t *tp);
/* The same in constant time (no branch or index on a's or b's limbs). */
void paillier__mont_mul_sec(const struct paillier_mont *mt, mp_limb_t *rp, const mp_limb_t *a,
                            const mp_limb_t *b, mp_limb_t *tp);
/* Copy x (< m) into nl limbs, zero-padded. */
void paillier__limbs_from_mpz(mp_limb_t *rp, mp_size_t nl, const mpz_t x);
void paillier__limbs_to_mpz(mpz_t x, const mp_limb_t *p, mp_size_t nl);

/* DJN fixed-base table: rows of 2^w entries, entry [r][j] = h^{j 2^{w r}} R. */
#define PAILLIER_FB_WINDOW 6

struct paillier_pk {
    unsigned bits;
    size_t ct_bytes;
    mpz_t n, n2;
    struct paillier_mont mont; /* mod n^2 */
    /* fixed base (NULL if not built) */
    mp_limb_t *fb_table;
    unsigned fb_exp_bits;
    unsigned fb_rows;
};

struct paillier_sk {
    const struct paillier_pk *pk;
    mpz_t p, q, p2, q2;
    mpz_t lambda, mu; /* textbook */
    mpz_t pm1, qm1;   /* p-1, q-1: CRT exponents */
    mpz_t hp, hq;     /* L_p(g^{p-1} mod p^2)^{-1} mod p, same for q */
    mpz_t pinv_q;     /* p^{-1} mod q */
};

struct paillier_threshold {
    const struct paillier_pk *pk;
    unsigned t, nparties;
    mpz_t delta;  /* nparties! */
    mpz_t inv4d2; /* (4 Delta^2)^{-1} mod n */
    mpz_t *share; /* nparties secret shares 2 Delta f(i+1) mod n lambda */
};

#endif /* MPCSIM_PROTOCOLS_PAILLIER_PAILLIER_INT_H */
