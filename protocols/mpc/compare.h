/* SPDX-License-Identifier: MIT */
/*
 * protocols/mpc/compare.h - secure comparison and the computations built
 * on it (sum_threshold, max, second_price, median), as circuits over the
 * shared layer (mpc.h), so they run on additive and Shamir alike.
 *
 * Comparison is LTZ of Catrina and de Hoogh, "Improved Primitives for
 * Secure Multiparty Integer Computation", SCN 2010 (Protocols 3.2 Mod2m
 * and 3.3 Trunc, LTZ = -Trunc(a, l, l-1)): for |a| < 2^(l-1), with m =
 * l - 1 dealer bits r_i and a dealer integer r'' < 2^(kappa+1), open
 *     c = 2^(l-1) + a + 2^m r'' + sum 2^i r_i        (< 2^(l+kappa+1) <= p)
 * whose distribution is within statistical distance 2^-kappa of one that
 * does not depend on a (near-uniform on [0, 2^(l+kappa))); then a mod 2^m = c' - r' + 2^m [c' < r']
 * with c' = c mod 2^m, and [a < 0] = (a mod 2^m - a) / 2^m.  The bitwise
 * comparison [c' < r'] of a public and a shared value XORs the bits,
 * takes a suffix OR by a log-depth (Sklansky) prefix network, so the
 * first differing bit from the top is g_i = f_i - f_(i+1), and sums
 * g_i (1 - c_i).  Cost per comparison: 1 opening + ceil(log2 m) rounds of
 * products, ~ (m/2) ceil(log2 m) products, m dealer bits, 1 dealer integer.
 * The field must hold the opening: l + kappa + 1 <= floor(log2 p) (l <= 19
 * in m61, l <= 85 in m127 at kappa = 40).
 */
#ifndef MPCSIM_PROTOCOLS_MPC_COMPARE_H
#define MPCSIM_PROTOCOLS_MPC_COMPARE_H

#include <stddef.h>
#include <stdint.h>

#include "protocols/computation.h"
#include "protocols/mpc/mpc.h"

#define MPC_DEFAULT_BITS 64
#define MPC_DEFAULT_KAPPA 40

/* [a < 0] as a shared bit, for shared a with |a| < 2^(ell-1). */
int mpc_ltz(struct mpc_circuit *c, int a, unsigned ell, unsigned kappa);
/* [a < b] for |a - b| < 2^(ell-1). */
int mpc_lt(struct mpc_circuit *c, int a, int b, unsigned ell, unsigned kappa);

/* A comparison computation and its parameters. */
struct mpc_compute {
    struct computation comp;
    enum mpc_field_kind field;
    unsigned ell;   /* protocol.comparison_bits */
    unsigned kappa; /* protocol.statistical_security */
};

/*
 * Why `mc` cannot run (a static or buffer message), or NULL: the field
 * must hold the masked opening (ell + kappa + 1 <= floor(log2 p)), ell >=
 * 3, scalar inputs.
 */
const char *mpc_compute_unsupported(const struct mpc_compute *mc, char *why, size_t cap);

/*
 * The largest |x| a party may input: max, second_price, median compare
 * inputs, so |x| < 2^(ell-2); sum_threshold compares sum - T, so n
 * inputs of at most (2^(ell-1) - 1 - |T|) / n each.  0 when nothing fits.
 */
mpcsim_u128 mpc_compute_input_bound(const struct mpc_compute *mc, int n);

/* The circuit of `mc` (an mpc_build_fn; arg is a struct mpc_compute). */
MPCSIM_NODISCARD int mpc_build_compute(struct mpc_circuit **out, const void *arg, int n,
                                       const uint8_t *included);

/*
 * The library entry without a simulator: [a[k] < b[k]] for k < count,
 * among n parties of `scheme` (t for Shamir), all in one circuit (one
 * batch).  out[k] receives 0 or 1.  Returns 0, MPCSIM_EINVAL (bad
 * parameters, |a - b| >= 2^(ell-1)) or MPCSIM_ENOMEM.
 */
MPCSIM_NODISCARD int mpc_compare_batch(uint8_t *out, const int64_t *a, const int64_t *b,
                                       size_t count, enum mpc_scheme scheme, int n, int t,
                                       enum mpc_field_kind field, unsigned ell, unsigned kappa,
                                       uint64_t seed);

#endif /* MPCSIM_PROTOCOLS_MPC_COMPARE_H */
