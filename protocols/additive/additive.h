/* SPDX-License-Identifier: MIT */
/*
 * protocols/additive/additive.h - n-of-n additive secret sharing over
 * GF(2^61 - 1), Beaver-triple multiplication and SPDZ-style information-
 * theoretic MACs.  Plain functions on local data: no clock, no network.
 *
 * A secret x is shared as x_0 + ... + x_{n-1} = x; any n - 1 shares are
 * uniform and independent of x.  Under MACs a global key alpha is itself
 * shared (alpha_j) and every shared value x also carries MAC shares m_j
 * with sum m_j = alpha x; an opened value v is accepted only when the
 * parties' sigma_j = sum_k r_k (m_jk - alpha_j v_k) sum to zero, for public
 * random coefficients r_k fixed after the values are opened.  Each party
 * commits to sigma_j (BLAKE2b of sigma_j and a 32-byte nonce) before any
 * sigma is revealed, so no party can choose its sigma after seeing the
 * others'.  A wrong opened value passes with probability <= 2/p.
 *
 * Vectors of shares are row-major by party: shares[j * len + k] is party
 * j's share of element k.  Elements are canonical field elements.
 */
#ifndef MPCSIM_PROTOCOLS_ADDITIVE_ADDITIVE_H
#define MPCSIM_PROTOCOLS_ADDITIVE_ADDITIVE_H

#include <stddef.h>
#include <stdint.h>

#include "common/mpcsim.h"
#include "protocols/field/fp_stream.h"

#define ADDITIVE_COMMIT_BYTES 32
#define ADDITIVE_NONCE_BYTES 32

/*
 * Split secret[0..len) among n >= 1 parties: shares[j * len + k] for
 * j < n.  Parties 0..n-2 get uniform elements from rng ((n - 1) len
 * samples); party n-1 gets the difference.
 */
void additive_share(uint64_t *shares, size_t n, const uint64_t *secret, size_t len,
                    struct fp_stream *rng);

/* out[k] = sum over j < n of shares[j * len + k]. */
void additive_reconstruct(uint64_t *out, const uint64_t *shares, size_t n, size_t len);

/*
 * Authenticated sharing by a dealer who knows alpha: value shares as
 * additive_share, and MAC shares mac[j * len + k] of alpha * secret[k].
 */
void additive_share_mac(uint64_t *shares, uint64_t *mac, size_t n, const uint64_t *secret,
                        size_t len, uint64_t alpha, struct fp_stream *rng);

/* One party's share of a Beaver triple (a, b, c = a b), with MAC shares. */
struct additive_triple {
    uint64_t a, b, c;
    uint64_t ma, mb, mc; /* MAC shares; 0 when MACs are off */
};

/*
 * A dealer's triples: out[j * count + i] is party j's share of triple i,
 * for j < n, i < count.  With mac != 0 the MAC shares are under
 * alpha (the dealer's global key).  Uses rng for a, b and all shares.
 */
void additive_deal_triples(struct additive_triple *out, size_t n, size_t count, int mac,
                           uint64_t alpha, struct fp_stream *rng);

/*
 * Beaver multiplication, step 1 (local): the shares to open,
 * d_j = x_j - a_j and e_j = y_j - b_j.
 */
void additive_beaver_open(uint64_t *d, uint64_t *e, uint64_t x, uint64_t y,
                          const struct additive_triple *tr);

/*
 * Step 2 (local), once d = sum d_j and e = sum e_j are public: party j's
 * share of x y, z_j = c_j + d b_j + e a_j (+ d e for party 0 only:
 * `first` != 0).
 */
uint64_t additive_beaver_finish(const struct additive_triple *tr, uint64_t d, uint64_t e,
                                int first);

/* The MAC share of the same z: mc_j + d mb_j + e ma_j + alpha_j d e. */
uint64_t additive_beaver_finish_mac(const struct additive_triple *tr, uint64_t d, uint64_t e,
                                    uint64_t alpha_share);

/*
 * Public coefficients for a MAC check over opened values[0..count): a
 * ChaCha20 stream keyed by BLAKE2b(values), so they are fixed only once
 * the values are.  Returns 0, MPCSIM_ENOMEM or MPCSIM_ENOTSUP (libsodium).
 */
MPCSIM_NODISCARD int additive_mac_coeffs(uint64_t *coeffs, const uint64_t *values, size_t count);

/*
 * Party j's MAC-check value sigma_j = sum_k coeffs[k] (mac[k] - alpha_j
 * values[k]), where mac[k] is its MAC share of the opened values[k].
 */
uint64_t additive_mac_sigma(const uint64_t *values, const uint64_t *mac, const uint64_t *coeffs,
                            size_t count, uint64_t alpha_share);

/* Commitment to sigma: BLAKE2b-256(sigma as 8 LE bytes || nonce). */
void additive_commit(uint8_t out[ADDITIVE_COMMIT_BYTES], uint64_t sigma,
                     const uint8_t nonce[ADDITIVE_NONCE_BYTES]);

/* 1 if `commit` opens to (sigma, nonce), else 0 (constant-time compare). */
int additive_commit_verify(const uint8_t commit[ADDITIVE_COMMIT_BYTES], uint64_t sigma,
                           const uint8_t nonce[ADDITIVE_NONCE_BYTES]);

/* 1 if sigma[0..n) sums to zero (the opened values are authentic), else 0. */
int additive_mac_accept(const uint64_t *sigma, size_t n);

/*
 * The same over GF(2^127 - 1) (f127.h): name_m127 is name with
 * mpcsim_u128 elements (16 bytes on the wire and in commitments).
 */
struct additive_triple_m127 {
    mpcsim_u128 a, b, c;
    mpcsim_u128 ma, mb, mc;
};
void additive_share_m127(mpcsim_u128 *shares, size_t n, const mpcsim_u128 *secret, size_t len,
                         struct fp_stream *rng);
void additive_reconstruct_m127(mpcsim_u128 *out, const mpcsim_u128 *shares, size_t n, size_t len);
void additive_share_mac_m127(mpcsim_u128 *shares, mpcsim_u128 *mac, size_t n,
                             const mpcsim_u128 *secret, size_t len, mpcsim_u128 alpha,
                             struct fp_stream *rng);
void additive_deal_triples_m127(struct additive_triple_m127 *out, size_t n, size_t count, int mac,
                                mpcsim_u128 alpha, struct fp_stream *rng);
void additive_beaver_open_m127(mpcsim_u128 *d, mpcsim_u128 *e, mpcsim_u128 x, mpcsim_u128 y,
                               const struct additive_triple_m127 *tr);
mpcsim_u128 additive_beaver_finish_m127(const struct additive_triple_m127 *tr, mpcsim_u128 d,
                                        mpcsim_u128 e, int first);
mpcsim_u128 additive_beaver_finish_mac_m127(const struct additive_triple_m127 *tr, mpcsim_u128 d,
                                            mpcsim_u128 e, mpcsim_u128 alpha_share);
MPCSIM_NODISCARD int additive_mac_coeffs_m127(mpcsim_u128 *coeffs, const mpcsim_u128 *values,
                                              size_t count);
mpcsim_u128 additive_mac_sigma_m127(const mpcsim_u128 *values, const mpcsim_u128 *mac,
                                    const mpcsim_u128 *coeffs, size_t count,
                                    mpcsim_u128 alpha_share);
void additive_commit_m127(uint8_t out[ADDITIVE_COMMIT_BYTES], mpcsim_u128 sigma,
                          const uint8_t nonce[ADDITIVE_NONCE_BYTES]);
int additive_commit_verify_m127(const uint8_t commit[ADDITIVE_COMMIT_BYTES], mpcsim_u128 sigma,
                                const uint8_t nonce[ADDITIVE_NONCE_BYTES]);
int additive_mac_accept_m127(const mpcsim_u128 *sigma, size_t n);

#endif /* MPCSIM_PROTOCOLS_ADDITIVE_ADDITIVE_H */
