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
size_t
computation_raw_len(const struct computation *c)
{
    switch (c->kind) {
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
    return c->kind == COMPUTATION_DOT_PRODUCT ? 1 : c->length;
}

static int
in_range(mpcsim_i128 v)
{
    return v >= -(mpcsim_i128)COMPUTATION_MAX_ABS && v <= (mpcsim_i128)COMPUTATION_MAX_ABS;
}

/* see computation.h */
int
computation_expected(mpcsim_i128 *out, const struct computation *c, int n,
                     const mpcsim_i128 *const *inputs, const uint8_t *included)
{
    size_t len = c->length;

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
        out[0] = acc;
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
        out[k] = s;
        if (c->kind == COMPUTATION_VARIANCE) {
            out[len + k] = s2;
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
computation_format_int(char *buf, size_t cap, mpcsim_i128 v)
{
    char digits[48];
    mpcsim_u128 mag = v < 0 ? (mpcsim_u128)0 - (mpcsim_u128)v : (mpcsim_u128)v;
    int n =
        snprintf(buf, cap, "%s%s", v < 0 ? "-" : "", u128_digits(digits + sizeof(digits) - 1, mag));

    return n > 0 ? (size_t)n : 0;
}

/* see computation.h */
size_t
computation_format(char *buf, size_t cap, const struct computation *c, const mpcsim_i128 *raw,
                   size_t k, int count)
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
        return computation_format_int(buf, cap, raw[k]);
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
