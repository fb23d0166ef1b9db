/* SPDX-License-Identifier: MIT */
/*
 * protocols/computation.c - plaintext answers, computed exactly: every
 * intermediate value is checked against the field's signed range in
 * 128-bit arithmetic.
 */
#include "protocols/computation.h"

#include <stdio.h>
#include <string.h>

static const char *const names[] = {
    [COMPUTATION_SUM] = "sum",
    [COMPUTATION_WEIGHTED_SUM] = "weighted_sum",
    [COMPUTATION_MEAN] = "mean",
    [COMPUTATION_VARIANCE] = "variance",
    [COMPUTATION_DOT_PRODUCT] = "dot_product",
    [COMPUTATION_SUM_THRESHOLD] = "sum_threshold",
    [COMPUTATION_MAX] = "max",
    [COMPUTATION_SECOND_PRICE] = "second_price",
    [COMPUTATION_MEDIAN] = "median",
};

#define N_KINDS ((int)(sizeof(names) / sizeof(names[0])))

/* see computation.h */
const char *
computation_name(enum computation_kind kind)
{
    if ((int)kind < 0 || (int)kind >= N_KINDS) {
        return NULL;
    }
    return names[kind];
}

/* see computation.h */
int
computation_lookup(const char *name)
{
    for (int i = 0; i < N_KINDS; i++) {
        if (strcmp(names[i], name) == 0) {
            return i;
        }
    }
    return -1;
}

/* see computation.h */
int
computation_needs_mul(enum computation_kind kind)
{
    return kind == COMPUTATION_VARIANCE || kind == COMPUTATION_DOT_PRODUCT;
}

/* see computation.h */
int
computation_is_comparison(enum computation_kind kind)
{
    return kind == COMPUTATION_SUM_THRESHOLD || kind == COMPUTATION_MAX ||
           kind == COMPUTATION_SECOND_PRICE || kind == COMPUTATION_MEDIAN;
}

static int
in_range(mpcsim_i128 v)
{
    return v >= -(mpcsim_i128)COMPUTATION_MAX_ABS && v <= (mpcsim_i128)COMPUTATION_MAX_ABS;
}

/* The plaintext answer of a comparison computation (scalar inputs). */
static int
comparison_expected(int64_t *out, const struct computation *c, int n, const int64_t *const *inputs,
                    const uint8_t *included)
{
    int64_t best = 0, second = 0;
    int bi = -1, m = 0;
    mpcsim_i128 sum = 0;

    for (int i = 0; i < n; i++) {
        int64_t x = inputs[i][0];

        if (included != NULL && !included[i]) {
            continue;
        }
        if (!in_range(x)) {
            return MPCSIM_ERANGE;
        }
        sum += x;
        if (bi < 0 || x > best) {
            second = bi < 0 ? x : best;
            best = x;
            bi = i;
        } else if (m == 1 || x > second) {
            second = x;
        }
        m++;
    }
    if (m == 0) {
        return MPCSIM_EINVAL;
    }
    switch (c->kind) {
    case COMPUTATION_SUM_THRESHOLD: {
        mpcsim_i128 d = sum - c->threshold;

        out[0] = c->op == COMPUTATION_GE   ? d >= 0
                 : c->op == COMPUTATION_GT ? d > 0
                 : c->op == COMPUTATION_LE ? d <= 0
                                           : d < 0;
        return 0;
    }
    case COMPUTATION_MAX:
        if (c->reveal == COMPUTATION_REVEAL_BOTH) {
            out[0] = bi;
            out[1] = best;
        } else {
            out[0] = c->reveal == COMPUTATION_REVEAL_INDEX ? bi : best;
        }
        return 0;
    case COMPUTATION_SECOND_PRICE:
        out[0] = bi;
        out[1] = m == 1 ? best : second;
        return 0;
    default: {
        /* The lower median: the element with exactly (m-1)/2 below it in
         * (value, index) order.  O(m^2), m is a party count. */
        int want = (m - 1) / 2;

        for (int i = 0; i < n; i++) {
            int below = 0;

            if (included != NULL && !included[i]) {
                continue;
            }
            for (int j = 0; j < n; j++) {
                if (j == i || (included != NULL && !included[j])) {
                    continue;
                }
                below += inputs[j][0] < inputs[i][0] || (inputs[j][0] == inputs[i][0] && j < i);
            }
            if (below == want) {
                out[0] = inputs[i][0];
                return 0;
            }
        }
        return MPCSIM_EINVAL;
    }
    }
}

/* see computation.h */
size_t
computation_raw_len(const struct computation *c)
{
    switch (c->kind) {
    case COMPUTATION_SUM_THRESHOLD:
    case COMPUTATION_MEDIAN:
        return 1;
    case COMPUTATION_MAX:
        return c->reveal == COMPUTATION_REVEAL_BOTH ? 2 : 1;
    case COMPUTATION_SECOND_PRICE:
        return 2;
    case COMPUTATION_VARIANCE:
        return 2 * c->length;
    case COMPUTATION_DOT_PRODUCT:
        return 1;
    default:
        return c->length;
    }
}

/* see computation.h */
size_t
computation_out_len(const struct computation *c)
{
    if (computation_is_comparison(c->kind)) {
        return computation_raw_len(c);
    }
    return c->kind == COMPUTATION_DOT_PRODUCT ? 1 : c->length;
}

/* see computation.h */
int
computation_expected(int64_t *out, const struct computation *c, int n, const int64_t *const *inputs,
                     const uint8_t *included)
{
    size_t len = c->length;

    if (computation_is_comparison(c->kind)) {
        return len == 1 ? comparison_expected(out, c, n, inputs, included) : MPCSIM_EINVAL;
    }
    for (int i = 0; i < n; i++) {
        for (size_t k = 0; k < len; k++) {
            if (!in_range(inputs[i][k])) {
                return MPCSIM_ERANGE;
            }
        }
    }
    if (c->kind == COMPUTATION_DOT_PRODUCT) {
        mpcsim_i128 acc = 0;

        if (n < 2 || (included != NULL && (!included[0] || !included[1]))) {
            return MPCSIM_EINVAL;
        }
        for (size_t k = 0; k < len; k++) {
            mpcsim_i128 prod = (mpcsim_i128)inputs[0][k] * inputs[1][k];

            if (!in_range(prod)) {
                return MPCSIM_ERANGE;
            }
            acc += prod;
            if (!in_range(acc)) {
                return MPCSIM_ERANGE;
            }
        }
        out[0] = (int64_t)acc;
        return 0;
    }
    for (size_t k = 0; k < len; k++) {
        mpcsim_i128 s = 0;
        mpcsim_i128 s2 = 0;

        for (int i = 0; i < n; i++) {
            mpcsim_i128 x = inputs[i][k];

            if (included != NULL && !included[i]) {
                continue;
            }
            if (c->kind == COMPUTATION_WEIGHTED_SUM) {
                x *= c->weights[i];
                if (!in_range(x)) {
                    return MPCSIM_ERANGE;
                }
            }
            s += x;
            if (!in_range(s)) {
                return MPCSIM_ERANGE;
            }
            if (c->kind == COMPUTATION_VARIANCE) {
                s2 += x * x;
                if (!in_range(x * x) || !in_range(s2)) {
                    return MPCSIM_ERANGE;
                }
            }
        }
        out[k] = (int64_t)s;
        if (c->kind == COMPUTATION_VARIANCE) {
            out[len + k] = (int64_t)s2;
        }
    }
    return 0;
}

/* Write the decimal digits of x (no sign) ending at *end; returns the start. */
static char *
u128_digits(char *end, mpcsim_u128 x)
{
    *end = '\0';
    do {
        *--end = (char)('0' + (int)(x % 10u));
        x /= 10u;
    } while (x != 0);
    return end;
}

/* see computation.h */
size_t
computation_format(char *buf, size_t cap, const struct computation *c, const int64_t *raw, size_t k,
                   int count)
{
    mpcsim_i128 num = raw[k];
    mpcsim_u128 den = 1, mag, q, r, frac;
    char digits[48];
    int neg = 0;
    int n = 0;

    MPCSIM_ASSERT(cap >= COMPUTATION_FORMAT_MAX);
    switch (c->kind) {
    case COMPUTATION_MEAN:
        den = (mpcsim_u128)(count > 0 ? count : 1);
        break;
    case COMPUTATION_VARIANCE: {
        /* (count*s2 - s^2) / count^2: |s|, |s2| < 2^61 and count <= 2^20, so
         * the numerator stays below 2^123 and the denominator below 2^40. */
        mpcsim_i128 s = raw[k];
        mpcsim_i128 s2 = raw[c->length + k];

        num = (mpcsim_i128)count * s2 - s * s;
        den = (mpcsim_u128)(count > 0 ? count : 1) * (mpcsim_u128)(count > 0 ? count : 1);
        break;
    }
    default:
        n = snprintf(buf, cap, "%lld", (long long)raw[k]);
        return n > 0 ? (size_t)n : 0;
    }
    neg = num < 0;
    mag = neg ? (mpcsim_u128)0 - (mpcsim_u128)num : (mpcsim_u128)num;
    q = mag / den;
    r = mag % den;
    /* Six fractional digits, the exact quotient rounded half away from zero. */
    frac = r * 1000000u / den;
    if ((r * 1000000u % den) * 2u >= den) {
        frac++;
    }
    if (frac == 1000000u) {
        q++;
        frac = 0;
    }
    n = snprintf(buf, cap, "%s%s.%06u", neg && (q != 0 || frac != 0) ? "-" : "",
                 u128_digits(digits + sizeof(digits) - 1, q), (unsigned)frac);
    return n > 0 ? (size_t)n : 0;
}
