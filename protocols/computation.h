/* SPDX-License-Identifier: MIT */
/*
 * protocols/computation.h - what a scenario asks the parties to compute,
 * the raw integer output every protocol produces for it, and the
 * plaintext answer that output is checked against.
 *
 * Protocols compute exact integer sums; the division that `mean` and
 * `variance` need is done in public on the raw output
 * (computation_finish).  Raw output, for inputs of length L:
 *   sum, mean      L values: sum over included i of x_i[k]
 *   weighted_sum   L values: sum over included i of w_i * x_i[k]
 *   variance       2L values: the L sums of x_i[k], then the L sums of x_i[k]^2
 *   dot_product    1 value: sum over k of x_0[k] * x_1[k] (parties 0 and 1)
 *   sum_threshold  1 value: 1 if (sum op threshold) else 0
 *   max            1 value (value or index) or 2 (index, value)
 *   second_price   2 values: the highest bidder's index (lowest on a tie) and
 *                  the second-highest bid (the highest when tied)
 *   median         1 value: the lower median (the (m+1)/2-th smallest of m)
 * Every input, partial sum and raw output must lie in the signed range of
 * the protocol's field, |v| <= max_abs: (p - 1) / 2 = 2^60 - 1 for
 * GF(2^61 - 1) (COMPUTATION_MAX_ABS, the default) or 2^126 - 1 for
 * GF(2^127 - 1); anything larger is MPCSIM_ERANGE, never a wrap.  Values
 * are exact 128-bit integers throughout (no double).
 */
#ifndef MPCSIM_PROTOCOLS_COMPUTATION_H
#define MPCSIM_PROTOCOLS_COMPUTATION_H

#include <stddef.h>
#include <stdint.h>

#include "common/mpcsim.h"

/* (p - 1) / 2 for p = 2^61 - 1: the largest magnitude a field element
 * represents as a signed integer. */
#define COMPUTATION_MAX_ABS ((INT64_C(1) << 60) - 1)

enum computation_kind {
    COMPUTATION_SUM = 0,
    COMPUTATION_WEIGHTED_SUM,
    COMPUTATION_MEAN,
    COMPUTATION_VARIANCE,
    COMPUTATION_DOT_PRODUCT,
    /* Comparisons (protocols/mpc: additive and Shamir only), scalar inputs. */
    COMPUTATION_SUM_THRESHOLD, /* 1 value: [sum op threshold] as 1 or 0 */
    COMPUTATION_MAX,           /* reveal value: the max; index: its owner; both: INDEX;VALUE */
    COMPUTATION_SECOND_PRICE,  /* 2 values: INDEX;PRICE, the winner and the second-highest */
    COMPUTATION_MEDIAN,        /* 1 value: the lower median of the included inputs */
};

/* sum_threshold's operator. */
enum computation_cmp { COMPUTATION_GE = 0, COMPUTATION_GT, COMPUTATION_LE, COMPUTATION_LT };
/* max's reveal. */
enum computation_reveal {
    COMPUTATION_REVEAL_VALUE = 0,
    COMPUTATION_REVEAL_INDEX,
    COMPUTATION_REVEAL_BOTH
};

struct computation {
    enum computation_kind kind;
    size_t length; /* input vector length L >= 1 */
    const mpcsim_i128
        *weights; /* weighted_sum: one per party (borrowed), scaled by 10^weight_digits */
    size_t n_weights;
    int weight_digits;   /* weighted_sum: decimal weights w are given as w * 10^weight_digits */
    mpcsim_i128 max_abs; /* the field's signed range; 0 = COMPUTATION_MAX_ABS (m61) */
    /* Comparisons: ties go to the lowest party index. */
    enum computation_cmp op;        /* sum_threshold */
    mpcsim_i128 threshold;          /* sum_threshold */
    enum computation_reveal reveal; /* max */
};

/* Whether the kind needs secure comparison (sum_threshold ... median). */
int computation_is_comparison(enum computation_kind kind);

/* "sum", ... as in SCENARIO.md; NULL when out of range. */
const char *computation_name(enum computation_kind kind);
/* The kind named `name`, or -1. */
int computation_lookup(const char *name);
/* Whether the computation needs a secure multiplication (variance, dot). */
int computation_needs_mul(enum computation_kind kind);
/* Number of raw output values for `c`. */
size_t computation_raw_len(const struct computation *c);

/*
 * The raw output over the parties flagged in included[0, n) (NULL = all),
 * computed exactly.  inputs[i] has c->length values.  Writes
 * computation_raw_len(c) values to out.  Returns 0 or MPCSIM_ERANGE when
 * an input, a partial sum or the result leaves the field's signed range.
 */
MPCSIM_NODISCARD int computation_expected(mpcsim_i128 *out, const struct computation *c, int n,
                                          const mpcsim_i128 *const *inputs,
                                          const uint8_t *included);

/*
 * The user-facing value of element k from a raw output, as text written to
 * buf (cap >= COMPUTATION_FORMAT_MAX; returns its length, 0 if it does not
 * fit): the integer itself for sum, dot_product and integer-weighted
 * weighted_sum; for weighted_sum with decimal weights raw / 10^weight_digits;
 * for mean raw / count; for variance the population variance
 * (count*sum2 - sum^2) / count^2.  These are exact rationals, never
 * rounded: written as a decimal when the reduced denominator is 2^a 5^b
 * (max(a, b) fractional digits, trailing zeros dropped, no point when
 * integral: "2.5", "0.0009765625", "7"), else as the reduced fraction "p/q"
 * ("2/3").  `count` is the number of included parties.  Output length:
 * computation_out_len(c).  Arithmetic in GMP (a variance's numerator
 * exceeds 128 bits under m127).
 */
#define COMPUTATION_FORMAT_MAX 160
/* The exact decimal of v ("-170141183460469231731687303715884105728" at
 * most, 40 characters) written to buf (cap >= COMPUTATION_FORMAT_MAX);
 * returns its length. */
size_t computation_format_int(char *buf, size_t cap, mpcsim_i128 v);
size_t computation_out_len(const struct computation *c);
size_t computation_format(char *buf, size_t cap, const struct computation *c,
                          const mpcsim_i128 *raw, size_t k, int count);

#endif /* MPCSIM_PROTOCOLS_COMPUTATION_H */
