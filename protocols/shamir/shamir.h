/* SPDX-License-Identifier: MIT */
/*
 * protocols/shamir/shamir.h - (t, n) Shamir secret sharing over
 * GF(2^61 - 1): sharing, reconstruction (plain and error-correcting), and
 * the local parts of GRR/BGW multiplication.  Plain functions on local
 * data: no clock, no network.
 *
 * Party j (0-based) holds the share f(j + 1) of a polynomial f of degree
 * <= t with f(0) the secret; any t shares are uniform and independent of
 * the secret, any t + 1 determine it.  A context holds the tables that
 * make the common operations linear: powers of the points 1..n for t >=
 * 4096 (sharing is then one lazily reduced dot product per share; below,
 * finite differences need no table), the inverses of 1..n and
 * of the factorials (Lagrange weights for any subset of parties in
 * O(m min(m, n - m))), and the Lagrange coefficients of parties 0..t.
 *
 * Vectors of shares are row-major by sender: shares[i * len + k] is the
 * share of element k held by party idx[i].
 *
 * Multiplication (GRR): with shares a_j, b_j of degree t, h_j = a_j b_j
 * lies on a polynomial of degree 2t; each party reshares h_j with degree
 * t (shamir_share) and every receiver combines the subshares it got from
 * a set T of >= 2t + 1 parties with shamir_lagrange0(T) (shamir_combine).
 * All receivers must use the same T.
 */
#ifndef MPCSIM_PROTOCOLS_SHAMIR_SHAMIR_H
#define MPCSIM_PROTOCOLS_SHAMIR_SHAMIR_H

#include <stddef.h>
#include <stdint.h>

#include "common/mpcsim.h"
#include "protocols/field/fp_stream.h"

struct shamir_ctx; /* opaque, read-only once created (shareable between threads) */

/*
 * A context for n parties (1 <= n, n < 2^31) and degree t (0 <= t < n).
 * On success stores it in *out (caller owns it; free with
 * shamir_ctx_destroy()) and returns 0.  Returns MPCSIM_EINVAL for bad n or
 * t, MPCSIM_ENOMEM; *out is then untouched.  Memory: about 32 n bytes, plus
 * 8 n (t + 8) for the table of powers when t >= 4096.
 */
MPCSIM_NODISCARD int shamir_ctx_create(struct shamir_ctx **out, int n, int t);

/* Free sh.  NULL does nothing. */
void shamir_ctx_destroy(struct shamir_ctx *sh);

int shamir_ctx_n(const struct shamir_ctx *sh);
int shamir_ctx_t(const struct shamir_ctx *sh);

/*
 * Share secret: shares[j] = f(j + 1) for j < n, f uniform among the
 * polynomials of degree <= t with f(0) = secret (t samples from rng).  For
 * t < 4096 the samples are f(1..t) and the other points follow by finite
 * differences (n t additions, O(t) memory: the points 1..n are
 * consecutive); from t = 4096 they are the coefficients of x^1..x^t
 * (n t multiplications over the table of powers).  Either way the shares
 * depend only on (n, t, secret, the samples), not on the CPU.
 */
void shamir_share(const struct shamir_ctx *sh, uint64_t *shares, uint64_t secret,
                  struct fp_stream *rng);

/* The same with f's coefficients of x^1..x^t given in coeffs[0..t). */
void shamir_share_coeffs(const struct shamir_ctx *sh, uint64_t *shares, uint64_t secret,
                         const uint64_t *coeffs);

/*
 * Share secret[0..len): out[j * len + k] is party j's share of element k
 * (t len samples).  scratch holds n elements.
 */
void shamir_share_vec(const struct shamir_ctx *sh, uint64_t *out, uint64_t *scratch,
                      const uint64_t *secret, size_t len, struct fp_stream *rng);

/*
 * Lagrange weights at 0 for the parties idx[0..m) (distinct, in [0, n)):
 * f(0) = sum lambda[i] f(idx[i] + 1) for every f of degree < m.  Returns
 * 0, MPCSIM_EINVAL (m = 0, an index out of range or repeated) or
 * MPCSIM_ENOMEM.
 */
MPCSIM_NODISCARD int shamir_lagrange0(const struct shamir_ctx *sh, uint64_t *lambda, const int *idx,
                                      size_t m);

/*
 * out[k] = sum over i < m of lambda[i] rows[i * len + k]: reconstruction
 * with given weights, and the receiver's step of degree reduction.
 */
void shamir_combine(uint64_t *out, const uint64_t *lambda, const uint64_t *rows, size_t m,
                    size_t len);

/*
 * Reconstruct secrets[0..len) from the shares of m parties, trusting them:
 * uses the first t + 1.  Returns 0, MPCSIM_ENOQUORUM if m < t + 1,
 * MPCSIM_EINVAL (bad indices), MPCSIM_ENOMEM.
 */
MPCSIM_NODISCARD int shamir_reconstruct(const struct shamir_ctx *sh, uint64_t *secrets,
                                        const uint64_t *shares, const int *idx, size_t m,
                                        size_t len);

/*
 * Whether the shares of the m parties lie, for every element, on one
 * polynomial of degree <= t: *consistent = 1 or 0.  A randomised test
 * (a random combination of the elements against a random codeword of the
 * dual code, drawn from rng): a false "consistent" has probability
 * < (m + 1) / p.  O(m log m + m len) when few parties are missing.
 * Returns 0, MPCSIM_EINVAL, MPCSIM_ENOMEM.  m <= t + 1 is always
 * consistent.
 */
MPCSIM_NODISCARD int shamir_check(const struct shamir_ctx *sh, int *consistent,
                                  const uint64_t *shares, const int *idx, size_t m, size_t len,
                                  struct fp_stream *rng);

/*
 * Error-correcting reconstruction: secrets[0..len) from m shares of which
 * at most floor((m - t - 1) / 2) are wrong (in any element).  Consistent
 * shares take the fast path (shamir_check, then O(m len) Lagrange);
 * otherwise each element is decoded by Reed-Solomon (Gao, O(m^2)).  The
 * positions i (into idx) of the wrong shares are written to bad[] (room
 * for m), increasing, and their count to *nbad; *decoded (may be NULL)
 * receives how many elements needed the decoder.  Returns 0,
 * MPCSIM_ENOQUORUM (m < t + 1), MPCSIM_EDECODE (the shares are farther
 * than the radius from every degree-t polynomial: too many errors to
 * correct), MPCSIM_EINVAL or MPCSIM_ENOMEM.  Outputs are unspecified on
 * error.  Beyond the radius a miscorrection is possible in principle:
 * callers that must never output a wrong value need (corrupted senders)
 * <= floor((m - t - 1) / 2).
 */
MPCSIM_NODISCARD int shamir_reconstruct_robust(const struct shamir_ctx *sh, uint64_t *secrets,
                                               size_t *bad, size_t *nbad, size_t *decoded,
                                               const uint64_t *shares, const int *idx, size_t m,
                                               size_t len, struct fp_stream *rng);

/*
 * The dual-code weights of the point set idx[0..m) (distinct, in [0, n)):
 * v[i] = 1 / prod over k != i of (x_i - x_k), x_i = idx[i] + 1, so that
 * sum v_i g(x_i) = 0 for every g of degree <= m - 2 (the dual code of the
 * Reed-Solomon code on these points is {(v_i h(x_i)) : deg h <= m - t - 2}).
 * They depend only on (n, the point set, its order): callers that
 * reconstruct many times from one point set compute them once and pass
 * them to shamir_reconstruct_robust_dual.  O(m min(m, n - m)).  Returns 0,
 * MPCSIM_EINVAL (m = 0, an index out of range or repeated), MPCSIM_ENOMEM.
 */
MPCSIM_NODISCARD int shamir_dual_weights(const struct shamir_ctx *sh, uint64_t *v, const int *idx,
                                         size_t m);

/*
 * shamir_reconstruct_robust with the dual weights of idx[0..m) given
 * (dual[0..m) from shamir_dual_weights on the same idx, in the same
 * order), or computed when dual is NULL.  Same results and errors.
 */
MPCSIM_NODISCARD int shamir_reconstruct_robust_dual(const struct shamir_ctx *sh, uint64_t *secrets,
                                                    size_t *bad, size_t *nbad, size_t *decoded,
                                                    const uint64_t *shares, const int *idx,
                                                    const uint64_t *dual, size_t m, size_t len,
                                                    struct fp_stream *rng);

/* The number of wrong shares m shares can correct: floor((m - t - 1) / 2), 0 if m <= t. */
size_t shamir_max_errors(const struct shamir_ctx *sh, size_t m);

/*
 * The same over GF(2^127 - 1) (f127.h): name_m127 is name with
 * mpcsim_u128 elements and its own context, struct shamir_ctx_m127.
 */
struct shamir_ctx_m127;
MPCSIM_NODISCARD int shamir_ctx_create_m127(struct shamir_ctx_m127 **out, int n, int t);
void shamir_ctx_destroy_m127(struct shamir_ctx_m127 *sh);
int shamir_ctx_n_m127(const struct shamir_ctx_m127 *sh);
int shamir_ctx_t_m127(const struct shamir_ctx_m127 *sh);
void shamir_share_m127(const struct shamir_ctx_m127 *sh, mpcsim_u128 *shares, mpcsim_u128 secret,
                       struct fp_stream *rng);
void shamir_share_coeffs_m127(const struct shamir_ctx_m127 *sh, mpcsim_u128 *shares,
                              mpcsim_u128 secret, const mpcsim_u128 *coeffs);
void shamir_share_vec_m127(const struct shamir_ctx_m127 *sh, mpcsim_u128 *out, mpcsim_u128 *scratch,
                           const mpcsim_u128 *secret, size_t len, struct fp_stream *rng);
MPCSIM_NODISCARD int shamir_lagrange0_m127(const struct shamir_ctx_m127 *sh, mpcsim_u128 *lambda,
                                           const int *idx, size_t m);
void shamir_combine_m127(mpcsim_u128 *out, const mpcsim_u128 *lambda, const mpcsim_u128 *rows,
                         size_t m, size_t len);
MPCSIM_NODISCARD int shamir_reconstruct_m127(const struct shamir_ctx_m127 *sh, mpcsim_u128 *secrets,
                                             const mpcsim_u128 *shares, const int *idx, size_t m,
                                             size_t len);
MPCSIM_NODISCARD int shamir_check_m127(const struct shamir_ctx_m127 *sh, int *consistent,
                                       const mpcsim_u128 *shares, const int *idx, size_t m,
                                       size_t len, struct fp_stream *rng);
MPCSIM_NODISCARD int shamir_reconstruct_robust_m127(const struct shamir_ctx_m127 *sh,
                                                    mpcsim_u128 *secrets, size_t *bad, size_t *nbad,
                                                    size_t *decoded, const mpcsim_u128 *shares,
                                                    const int *idx, size_t m, size_t len,
                                                    struct fp_stream *rng);
MPCSIM_NODISCARD int shamir_dual_weights_m127(const struct shamir_ctx_m127 *sh, mpcsim_u128 *v,
                                              const int *idx, size_t m);
MPCSIM_NODISCARD int shamir_reconstruct_robust_dual_m127(const struct shamir_ctx_m127 *sh,
                                                         mpcsim_u128 *secrets, size_t *bad,
                                                         size_t *nbad, size_t *decoded,
                                                         const mpcsim_u128 *shares, const int *idx,
                                                         const mpcsim_u128 *dual, size_t m,
                                                         size_t len, struct fp_stream *rng);
size_t shamir_max_errors_m127(const struct shamir_ctx_m127 *sh, size_t m);

#endif /* MPCSIM_PROTOCOLS_SHAMIR_SHAMIR_H */
