/* SPDX-License-Identifier: MIT */
/*
 * protocols/shamir/shamir.c - see shamir.h.
 *
 * Lagrange weights for an arbitrary subset S of the points 1..n come from
 * the full set's: with w_j(S) = prod_{k in S, k != j} (j - k),
 *     1 / w_j(full) = (-1)^(n-j) / ((j-1)! (n-j)!)         (tables)
 *     1 / w_j(S)    = (1 / w_j(full)) prod_{k not in S} (j - k),
 * so a subset missing few parties costs O(m (n - m)) multiplications
 * without inversions, and a small subset is done directly in O(m^2) with
 * one batch inversion.  The factors (j - k) are small integers: they are
 * multiplied several at a time in 64-bit integer arithmetic (vectorised),
 * with one field multiplication per group.  Then lambda_j(S) = (-1)^(m-1) (prod_S k) / (j
 * w_j(S)).  The loops keep the parties in the inner loop so that the
 * multiplications are independent (multiplication latency is ~9 cycles,
 * throughput ~1).
 *
 * The consistency test uses the dual code: for distinct points x_i and
 * any polynomial g of degree <= m - 2, sum_i g(x_i) / w_i(S) = 0 (the
 * x^(m-1) coefficient of g's interpolant).  Shares y lie on a degree-t
 * polynomial iff sum_i (x_i - z)^d y_i / w_i(S) = 0 as a polynomial in z,
 * d = m - t - 2; it is tested at one random z.
 */
#include "protocols/shamir/shamir.h"

#include <string.h>

#include "common/alloc.h"

#define FIELD_INST_M61
#include "protocols/field/field_inst.h"
#define SH_FN(x) x
#define SH_CTX shamir_ctx
#include "protocols/shamir/shamir_impl.h"
#undef SH_FN
#undef SH_CTX
#undef FIELD_INST_M61

#define FIELD_INST_M127
#include "protocols/field/field_inst.h"
#define SH_FN(x) x##_m127
#define SH_CTX shamir_ctx_m127
#include "protocols/shamir/shamir_impl.h"
#undef SH_FN
#undef SH_CTX
#undef FIELD_INST_M127
