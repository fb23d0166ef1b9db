/* SPDX-License-Identifier: MIT */
/*
 * protocols/paillier/paillier.h - Paillier encryption with g = n+1:
 * key generation, encryption (plain, r^n pool, and DJN fixed-base
 * precomputation), CRT decryption, homomorphic operations, a fast
 * Montgomery accumulator, fixed-length wire encoding, and t-of-n threshold
 * decryption with a trusted dealer (Shoup / Damgard-Jurik, s = 1).
 *
 * Plaintexts are mpz values in [0, n); signed integers with |v| < n/2 are
 * encoded mod n (paillier_encode_signed / _i128 / _i64 and the decoders).  Ciphertexts are mpz
 * values in Z*_{n^2}.  All randomness comes from a struct paillier_rng, a ChaCha20 keystream keyed
 * with 32 bytes, so everything replays from a key.
 *
 * Security assumptions, per mode:
 *   paillier_encrypt, paillier_encrypt_rn: decisional composite residuosity
 *     (DCR) only; r uniform in Z*_n.
 *   paillier_encrypt_precomp: DCR plus the short-exponent assumption of
 *     Damgard-Jurik-Nielsen: h = x^n for a random x, and r^n replaced by
 *     h^a with a uniform a of PAILLIER_SHORT_EXP_BITS(bits) bits (448 at
 *     n <= 2048 bits, 512 above); as Intel's IPCL and others do.
 *   Threshold decryption: the dealer is trusted; primes are NOT safe
 *     primes.  Shares are f(i) mod n*lambda for a random polynomial f of
 *     degree t-1 with f(0) = d, d = 0 mod lambda, d = 1 mod n, so decryption
 *     is correct for any primes (the exponent of Z*_{n^2} divides
 *     n*lambda).  Shoup's simulation proof (and proofs of correct
 *     decryption) need safe primes; this library implements no proofs, so
 *     it does not need them: partial decryptions are checked for mutual
 *     consistency instead (paillier_partials_consistent).
 *
 * Secrets (p, q, lambda, mu, d, shares, exponents) are overwritten with
 * sodium_memzero before their mpz is freed, and secret exponents go
 * through mpz_powm_sec.  GMP's own reallocations may leave copies in freed
 * heap memory; a custom GMP allocator would be needed to close that gap.
 *
 * Thread safety: a pk, sk or threshold object is immutable after creation
 * and may be read by several threads at once; a paillier_acc or rng is
 * used by one thread.
 */
#ifndef MPCSIM_PROTOCOLS_PAILLIER_PAILLIER_H
#define MPCSIM_PROTOCOLS_PAILLIER_PAILLIER_H

#include <stddef.h>
#include <stdint.h>

#include <gmp.h>

#include "common/mpcsim.h"

/* Short exponent length (bits) of the DJN fixed-base precomputation. */
#define PAILLIER_SHORT_EXP_BITS(bits) ((bits) <= 2048 ? 448u : 512u)

/* Miller-Rabin rounds past GMP's Baillie-PSW test in mpz_probab_prime_p:
 * error < 2^-128 for random candidates (and BPSW has no known pseudoprime). */
#define PAILLIER_PRIME_REPS 40

/* ---------------------------------------------------------------------
 * Deterministic randomness: ChaCha20 (libsodium) keyed with 32 bytes.
 * ------------------------------------------------------------------- */

struct paillier_rng {
    uint8_t key[32];
    uint8_t nonce[8];
    uint64_t block; /* next 64-byte block */
};

/* Key the stream; `stream` selects one of 2^64 independent streams. */
void paillier_rng_init(struct paillier_rng *rng, const uint8_t key[32], uint64_t stream);
/* Wipe the key. */
void paillier_rng_clear(struct paillier_rng *rng);
/* The next len bytes of the keystream (whole blocks are consumed). */
void paillier_rng_bytes(struct paillier_rng *rng, uint8_t *out, size_t len);
/* out uniform in [0, bound) up to 2^-64 statistical distance; bound > 0. */
void paillier_rng_below(struct paillier_rng *rng, mpz_t out, const mpz_t bound);

/* ---------------------------------------------------------------------
 * Keys
 * ------------------------------------------------------------------- */

struct paillier_pk; /* public key (opaque, immutable after creation) */
struct paillier_sk; /* secret key (opaque) */

enum paillier_flags {
    PAILLIER_PRECOMP = 1 /* build the DJN fixed-base table (paillier_encrypt_precomp) */
};

/*
 * Generate a key with an n of exactly `bits` bits (1024, 2048, 3072 or
 * 4096; any multiple of 256 in [512, 8192] is accepted), p and q of
 * bits/2 bits each, gcd(pq, (p-1)(q-1)) = 1.  Deterministic in the rng.
 * On success *pk_out and *sk_out are the caller's (free with
 * paillier_pk_destroy / paillier_sk_destroy; the sk borrows the pk, so
 * destroy the sk first).  Returns 0, MPCSIM_EINVAL (bits) or MPCSIM_ENOMEM,
 * leaving both untouched on failure.
 */
MPCSIM_NODISCARD int paillier_keygen(struct paillier_pk **pk_out, struct paillier_sk **sk_out,
                                     unsigned bits, unsigned flags, struct paillier_rng *rng);

/*
 * A public key for modulus n (odd, >= 512 bits), e.g. received from a
 * dealer.  With PAILLIER_PRECOMP the rng draws the DJN base.  Returns 0,
 * MPCSIM_EINVAL or MPCSIM_ENOMEM.
 */
MPCSIM_NODISCARD int paillier_pk_create(struct paillier_pk **out, const mpz_t n, unsigned flags,
                                        struct paillier_rng *rng);
void paillier_pk_destroy(struct paillier_pk *pk);
void paillier_sk_destroy(struct paillier_sk *sk);

/* The modulus n (read-only view, valid while pk lives). */
mpz_srcptr paillier_pk_n(const struct paillier_pk *pk);
mpz_srcptr paillier_pk_n2(const struct paillier_pk *pk);
unsigned paillier_pk_bits(const struct paillier_pk *pk);
/* Bytes of one encoded ciphertext / partial decryption: ceil(bits(n^2)/8). */
size_t paillier_ct_bytes(const struct paillier_pk *pk);
/* Whether the DJN table exists. */
int paillier_pk_has_precomp(const struct paillier_pk *pk);
/* The public key the secret key belongs to (borrowed). */
const struct paillier_pk *paillier_sk_pk(const struct paillier_sk *sk);

/* ---------------------------------------------------------------------
 * Plaintexts
 * ------------------------------------------------------------------- */

/*
 * Signed plaintexts: an integer v with |v| < n/2 (n odd: |v| <= (n-1)/2)
 * is encoded as v mod n, and a plaintext m in [0, n) decodes to its
 * representative in [-(n-1)/2, (n-1)/2].  Sums and scalar multiples of
 * encoded values decode to the exact integer result as long as that result
 * (not the terms or partial sums, which may wrap mod n) satisfies
 * |result| < n/2; since n has exactly key_bits bits, |result| <
 * 2^(key_bits-2) always suffices.  128-bit values (|v| <= 2^127) are far
 * inside for every n of >= 512 bits.
 */

/* m = v mod n. */
void paillier_encode_i64(const struct paillier_pk *pk, mpz_t m, int64_t v);
/* The signed value of m in (-n/2, n/2]; MPCSIM_ERANGE if it is not an int64. */
MPCSIM_NODISCARD int paillier_decode_i64(const struct paillier_pk *pk, int64_t *out, const mpz_t m);
/* m = v mod n for any 128-bit v (|v| <= 2^127 < n/2). */
void paillier_encode_i128(const struct paillier_pk *pk, mpz_t m, mpcsim_i128 v);
/*
 * *out = the signed value of m (mod n) in [-(n-1)/2, (n-1)/2]; returns 0, or
 * MPCSIM_ERANGE (out untouched) if it lies outside [-2^127, 2^127 - 1].
 */
MPCSIM_NODISCARD int paillier_decode_i128(const struct paillier_pk *pk, mpcsim_i128 *out,
                                          const mpz_t m);
/* m = v mod n; MPCSIM_ERANGE (m untouched) unless |v| <= (n-1)/2.  m may alias v. */
MPCSIM_NODISCARD int paillier_encode_signed(const struct paillier_pk *pk, mpz_t m, const mpz_t v);
/* v = the signed value of m (mod n) in [-(n-1)/2, (n-1)/2].  v may alias m. */
void paillier_decode_signed(const struct paillier_pk *pk, mpz_t v, const mpz_t m);

/* ---------------------------------------------------------------------
 * Encryption and decryption.  m must be in [0, n) (MPCSIM_ASSERT).
 * ------------------------------------------------------------------- */

/* c = (1 + m n) r^n mod n^2, r uniform in Z*_n: one r^n exponentiation. */
void paillier_encrypt(const struct paillier_pk *pk, mpz_t c, const mpz_t m,
                      struct paillier_rng *rng);
/* rn = r^n mod n^2 for a fresh r: the offline half of an encryption (a pool). */
void paillier_rn(const struct paillier_pk *pk, mpz_t rn, struct paillier_rng *rng);
/* c = (1 + m n) rn mod n^2, rn from paillier_rn (use each once). */
void paillier_encrypt_rn(const struct paillier_pk *pk, mpz_t c, const mpz_t m, const mpz_t rn);
/* c = (1 + m n) h^a mod n^2 with a short a (DJN); needs PAILLIER_PRECOMP. */
void paillier_encrypt_precomp(const struct paillier_pk *pk, mpz_t c, const mpz_t m,
                              struct paillier_rng *rng);

/* m = D(c) with CRT mod p^2 and q^2.  c must be in Z*_{n^2} (decoded). */
void paillier_decrypt(const struct paillier_sk *sk, mpz_t m, const mpz_t c);
/* m = L(c^lambda mod n^2) mu mod n: the textbook formula (reference). */
void paillier_decrypt_textbook(const struct paillier_sk *sk, mpz_t m, const mpz_t c);

/* ---------------------------------------------------------------------
 * Homomorphic operations (on ciphertexts in Z*_{n^2}; outputs may alias).
 * ------------------------------------------------------------------- */

/* E(a + b) = a * b mod n^2. */
void paillier_add(const struct paillier_pk *pk, mpz_t out, const mpz_t a, const mpz_t b);
/* E(a + m) = a (1 + m n) mod n^2, m in [0, n). */
void paillier_add_plain(const struct paillier_pk *pk, mpz_t out, const mpz_t a, const mpz_t m);
/* E(k a) = a^k mod n^2; a negative k uses a^{-1}. */
void paillier_scalar_mul(const struct paillier_pk *pk, mpz_t out, const mpz_t a, const mpz_t k);
void paillier_scalar_mul_i64(const struct paillier_pk *pk, mpz_t out, const mpz_t a, int64_t k);
void paillier_scalar_mul_i128(const struct paillier_pk *pk, mpz_t out, const mpz_t a,
                              mpcsim_i128 k);
/* The same plaintext under fresh randomness (precomp when the pk has it). */
void paillier_rerandomize(const struct paillier_pk *pk, mpz_t out, const mpz_t a,
                          struct paillier_rng *rng);

/*
 * An accumulator for many homomorphic additions: each paillier_acc_add is
 * one Montgomery multiplication mod n^2 on fixed-size limbs (no division,
 * no allocation); the Montgomery factors are removed once in
 * paillier_acc_get.  This is the aggregation hot path.
 */
struct paillier_acc;
/* An accumulator holding E(0) = 1.  Borrows pk.  0 or MPCSIM_ENOMEM. */
MPCSIM_NODISCARD int paillier_acc_create(struct paillier_acc **out, const struct paillier_pk *pk);
void paillier_acc_destroy(struct paillier_acc *acc);
/* Back to E(0) = 1. */
void paillier_acc_reset(struct paillier_acc *acc);
/* acc *= c (c in [0, n^2)). */
void paillier_acc_add(struct paillier_acc *acc, const mpz_t c);
/* out = the product of everything added since the last reset, mod n^2. */
void paillier_acc_get(const struct paillier_acc *acc, mpz_t out);

/* ---------------------------------------------------------------------
 * Wire encoding: paillier_ct_bytes(pk) bytes, big-endian, zero-padded.
 * Used for ciphertexts and partial decryptions alike.
 * ------------------------------------------------------------------- */

/* c must be in [0, n^2). */
void paillier_ct_encode(const struct paillier_pk *pk, uint8_t *out, const mpz_t c);
/*
 * Decode and validate: MPCSIM_EDECODE if len != paillier_ct_bytes(pk), the
 * value is >= n^2, or it is not coprime to n (includes 0).  c is written
 * only on success.
 */
MPCSIM_NODISCARD int paillier_ct_decode(const struct paillier_pk *pk, mpz_t c, const uint8_t *in,
                                        size_t len);

/* ---------------------------------------------------------------------
 * Threshold decryption (trusted dealer).  Party indices are 0..nparties-1;
 * party i's share is f(i + 1).  Delta = nparties!.
 * ------------------------------------------------------------------- */

struct paillier_threshold; /* public data + every party's share (dealer output) */

/*
 * Deal a t-of-nparties sharing of the key (1 <= t <= nparties <= 65535,
 * and every prime factor of n larger than nparties).  Borrows pk (which
 * must outlive the result); sk is only read.  Returns 0, MPCSIM_EINVAL or
 * MPCSIM_ENOMEM.
 */
MPCSIM_NODISCARD int paillier_threshold_deal(struct paillier_threshold **out,
                                             const struct paillier_sk *sk, unsigned t,
                                             unsigned nparties, struct paillier_rng *rng);
void paillier_threshold_destroy(struct paillier_threshold *th);
unsigned paillier_threshold_t(const struct paillier_threshold *th);
unsigned paillier_threshold_parties(const struct paillier_threshold *th);
const struct paillier_pk *paillier_threshold_pk(const struct paillier_threshold *th);

/* out = c^{2 Delta s_i} mod n^2 (party i's share, premultiplied by the dealer and
 * reduced mod n lambda: a ~2|n|-bit exponent; mpz_powm_sec). */
void paillier_partial_decrypt(const struct paillier_threshold *th, mpz_t out, unsigned i,
                              const mpz_t c);

/*
 * m = the plaintext from the first t of k partial decryptions partials[j]
 * of parties idx[j]: prod c_j^{2 lambda_j} = 1 + 4 Delta^2 m n with integer
 * Lagrange coefficients lambda_j = Delta prod (x_l / (x_l - x_j)).
 * Returns 0, MPCSIM_ENOQUORUM if k < t, MPCSIM_EINVAL on a repeated or
 * out-of-range index.  A wrong partial gives a wrong (random) m: check
 * with paillier_partials_consistent when k > t.
 */
MPCSIM_NODISCARD int paillier_combine(const struct paillier_threshold *th, mpz_t m,
                                      const mpz_t *partials, const unsigned *idx, size_t k);

/*
 * Whether the first t+1 of k partial decryptions are consistent: whether
 * prod c_j^{mu_j} = 1 for the integer vector mu with sum mu_j f(x_j) = 0
 * for every polynomial f of degree < t (mu_j = D / prod_{l != j}(x_j - x_l)).
 * Equivalent to "every t-subset of them gives the same plaintext".
 * Returns 1 (consistent), 0 (some partial is wrong), MPCSIM_ENOQUORUM if
 * k < t + 1, MPCSIM_EINVAL on a bad index.
 */
MPCSIM_NODISCARD int paillier_partials_consistent(const struct paillier_threshold *th,
                                                  const mpz_t *partials, const unsigned *idx,
                                                  size_t k);

/* Overwrite x's limbs with zeros (sodium_memzero) and set it to 0. */
void paillier_mpz_wipe(mpz_t x);

#endif /* MPCSIM_PROTOCOLS_PAILLIER_PAILLIER_H */
