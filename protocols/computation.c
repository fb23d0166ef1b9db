/* SPDX-License-Identifier: MIT */
/*
 * protocols/computation.c - plaintext answers, computed exactly: every
 * intermediate value is checked against the field's signed range in
 * 128-bit arithmetic.
 */
#include "protocols/computation.h"

#include <stdio.h>
#include <string.h>

#include <gmp.h>

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

/* |v| <= max (v never the most negative 128-bit value: callers check products). */
static int
in_range(mpcsim_i128 v, mpcsim_i128 max)
{
    return v >= -max && v <= max;
}

/* *out = a * b, 0 if that overflows 128 bits or leaves [-max, max]. */
static int
mul_in_range(mpcsim_i128 *out, mpcsim_i128 a, mpcsim_i128 b, mpcsim_i128 max)
{
    return !__builtin_mul_overflow(a, b, out) && in_range(*out, max);
}

/* The plaintext answer of a comparison computation (scalar inputs). */
static int
comparison_expected(mpcsim_i128 *out, const struct computation *c, int n,
                    const mpcsim_i128 *const *inputs, const uint8_t *included)
{
    mpcsim_i128 max = c->max_abs > 0 ? c->max_abs : COMPUTATION_MAX_ABS;
    mpcsim_i128 best = 0, second = 0;
    int bi = -1, m = 0;
    mpcsim_i128 sum = 0;

    for (int i = 0; i < n; i++) {
        mpcsim_i128 x = inputs[i][0];

        if (included != NULL && !included[i]) {
            continue;
        }
        if (!in_range(x, max) || __builtin_add_overflow(sum, x, &sum)) {
            return MPCSIM_ERANGE;
        }
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
computation_expected(mpcsim_i128 *out, const struct computation *c, int n,
                     const mpcsim_i128 *const *inputs, const uint8_t *included)
{
    size_t len = c->length;
    mpcsim_i128 max = c->max_abs > 0 ? c->max_abs : COMPUTATION_MAX_ABS;

    if (computation_is_comparison(c->kind)) {
        return len == 1 ? comparison_expected(out, c, n, inputs, included) : MPCSIM_EINVAL;
    }
    for (int i = 0; i < n; i++) {
        for (size_t k = 0; k < len; k++) {
            if (!in_range(inputs[i][k], max)) {
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
            mpcsim_i128 prod = 0;

            if (!mul_in_range(&prod, inputs[0][k], inputs[1][k], max)) {
                return MPCSIM_ERANGE;
            }
            acc += prod; /* both in range: no overflow */
            if (!in_range(acc, max)) {
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
            if (c->kind == COMPUTATION_WEIGHTED_SUM && !mul_in_range(&x, x, c->weights[i], max)) {
                return MPCSIM_ERANGE;
            }
            s += x;
            if (!in_range(s, max)) {
                return MPCSIM_ERANGE;
            }
            if (c->kind == COMPUTATION_VARIANCE) {
                mpcsim_i128 sq = 0;

                if (!mul_in_range(&sq, x, x, max)) {
                    return MPCSIM_ERANGE;
                }
                s2 += sq;
                if (!in_range(s2, max)) {
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

/* v into an mpz (GMP has no 128-bit setter). */
static void
mpz_set_i128(mpz_t z, mpcsim_i128 v)
{
    mpcsim_u128 mag = v < 0 ? (mpcsim_u128)0 - (mpcsim_u128)v : (mpcsim_u128)v;

    mpz_set_ui(z, (unsigned long)(uint64_t)(mag >> 64));
    mpz_mul_2exp(z, z, 64);
    mpz_add_ui(z, z, (unsigned long)(uint64_t)mag);
    if (v < 0) {
        mpz_neg(z, z);
    }
}

/*
 * num/den (den > 0) written exactly: reduced; a decimal when den's only
 * prime factors are 2 and 5 (max(a, b) fractional digits for 2^a 5^b,
 * trailing zeros dropped), else "p/q".  Returns the length, or 0 when it
 * does not fit in cap.
 */
static size_t
format_ratio(char *buf, size_t cap, mpz_t num, mpz_t den)
{
    mpz_t g, rest, scaled;
    size_t a = 0, b = 0, digits, len = 0;
    int neg;

    mpz_inits(g, rest, scaled, NULL);
    mpz_gcd(g, num, den);
    if (mpz_sgn(g) != 0) {
        mpz_divexact(num, num, g);
        mpz_divexact(den, den, g);
    }
    neg = mpz_sgn(num) < 0;
    mpz_abs(num, num);
    mpz_set(rest, den);
    while (mpz_divisible_ui_p(rest, 2)) {
        mpz_divexact_ui(rest, rest, 2);
        a++;
    }
    while (mpz_divisible_ui_p(rest, 5)) {
        mpz_divexact_ui(rest, rest, 5);
        b++;
    }
    if (mpz_cmp_ui(rest, 1) != 0) {
        size_t need = (neg ? 1 : 0) + mpz_sizeinbase(num, 10) + 1 + mpz_sizeinbase(den, 10) + 1;

        if (need <= cap) {
            char *p = buf;

            if (neg) {
                *p++ = '-';
            }
            mpz_get_str(p, 10, num);
            p += strlen(p);
            *p++ = '/';
            mpz_get_str(p, 10, den);
            len = strlen(buf);
        }
        goto out;
    }
    digits = a > b ? a : b;
    /* num * 10^digits / den is an integer: its digits, with the point put back. */
    mpz_ui_pow_ui(scaled, 10, (unsigned long)digits);
    mpz_mul(scaled, scaled, num);
    mpz_divexact(scaled, scaled, den);
    if ((neg ? 1 : 0) + mpz_sizeinbase(scaled, 10) + digits + 3 <= cap) {
        char *p = buf;
        size_t nd, intd;

        if (neg) {
            *p++ = '-';
        }
        mpz_get_str(p, 10, scaled);
        nd = strlen(p);
        if (nd <= digits) { /* pad to "0.00ddd" */
            memmove(p + (digits - nd) + 1, p, nd + 1);
            memset(p, '0', digits - nd + 1);
            nd = digits + 1;
        }
        intd = nd - digits;
        if (digits > 0) {
            memmove(p + intd + 1, p + intd, digits + 1);
            p[intd] = '.';
            len = (size_t)(p - buf) + nd + 1;
            while (buf[len - 1] == '0') {
                buf[--len] = '\0';
            }
            if (buf[len - 1] == '.') {
                buf[--len] = '\0';
            }
        } else {
            len = (size_t)(p - buf) + nd;
        }
    }
out:
    mpz_clears(g, rest, scaled, NULL);
    return len;
}

/* see computation.h */
size_t
computation_format(char *buf, size_t cap, const struct computation *c, const mpcsim_i128 *raw,
                   size_t k, int count)
{
    mpz_t num, den, t;
    unsigned long cnt = (unsigned long)(count > 0 ? count : 1);
    size_t len;

    MPCSIM_ASSERT(cap >= COMPUTATION_FORMAT_MAX);
    if (c->kind == COMPUTATION_SUM || c->kind == COMPUTATION_DOT_PRODUCT ||
        computation_is_comparison(c->kind) ||
        (c->kind == COMPUTATION_WEIGHTED_SUM && c->weight_digits == 0)) {
        return computation_format_int(buf, cap, raw[k]);
    }
    mpz_inits(num, den, t, NULL);
    mpz_set_i128(num, raw[k]);
    switch (c->kind) {
    case COMPUTATION_WEIGHTED_SUM:
        mpz_ui_pow_ui(den, 10, (unsigned long)c->weight_digits);
        break;
    case COMPUTATION_MEAN:
        mpz_set_ui(den, cnt);
        break;
    default: /* variance: (count s2 - s^2) / count^2, in GMP (beyond 128 bits) */
        mpz_set_i128(t, raw[c->length + k]);
        mpz_mul_ui(t, t, cnt);
        mpz_mul(num, num, num);
        mpz_sub(num, t, num);
        mpz_set_ui(den, cnt);
        mpz_mul_ui(den, den, cnt);
        break;
    }
    len = format_ratio(buf, cap, num, den);
    mpz_clears(num, den, t, NULL);
    return len;
}
