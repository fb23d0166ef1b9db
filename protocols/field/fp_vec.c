/* SPDX-License-Identifier: MIT */
/*
 * protocols/field/fp_vec.c - the portable vector implementation and the
 * run-time dispatcher.
 *
 * The portable loops read a block of inputs before writing a block of
 * outputs, so out == a is safe and the compiler still sees independent
 * iterations (the mulx unit then runs at its throughput).  The dot product
 * sums 128-bit products and reduces once per 32 terms.  Batch inversion
 * runs 8 interleaved Montgomery chains (chain j holds the indices = j mod
 * 8): one chain would be latency-bound (~9 cycles per multiplication).
 */
#include "protocols/field/fp_vec.h"

#include "protocols/field/fp.h"
#include "protocols/field/fp_vec_int.h"

static void
fp__vec_add_portable(uint64_t *out, const uint64_t *a, const uint64_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        out[i] = fp_add(a[i], b[i]);
    }
}

static void
fp__vec_sub_portable(uint64_t *out, const uint64_t *a, const uint64_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        out[i] = fp_sub(a[i], b[i]);
    }
}

static void
fp__vec_mul_portable(uint64_t *out, const uint64_t *a, const uint64_t *b, size_t n)
{
    size_t i = 0;

    for (; i + 4 <= n; i += 4) {
        uint64_t a0 = a[i], a1 = a[i + 1], a2 = a[i + 2], a3 = a[i + 3];
        uint64_t b0 = b[i], b1 = b[i + 1], b2 = b[i + 2], b3 = b[i + 3];

        out[i] = fp_mul(a0, b0);
        out[i + 1] = fp_mul(a1, b1);
        out[i + 2] = fp_mul(a2, b2);
        out[i + 3] = fp_mul(a3, b3);
    }
    for (; i < n; i++) {
        out[i] = fp_mul(a[i], b[i]);
    }
}

static void
fp__vec_scale_portable(uint64_t *out, const uint64_t *a, uint64_t s, size_t n)
{
    size_t i = 0;

    for (; i + 4 <= n; i += 4) {
        uint64_t a0 = a[i], a1 = a[i + 1], a2 = a[i + 2], a3 = a[i + 3];

        out[i] = fp_mul(a0, s);
        out[i + 1] = fp_mul(a1, s);
        out[i + 2] = fp_mul(a2, s);
        out[i + 3] = fp_mul(a3, s);
    }
    for (; i < n; i++) {
        out[i] = fp_mul(a[i], s);
    }
}

/* see fp_vec_int.h */
uint64_t
fp__vec_dot_portable(const uint64_t *a, const uint64_t *b, size_t n)
{
    uint64_t r = 0;
    size_t i = 0;

    /* Two 128-bit sums of 16 products each: below 2^126. */
    while (i < n) {
        size_t end = n - i > 32 ? i + 32 : n;
        mpcsim_u128 s0 = 0, s1 = 0;

        for (; i + 2 <= end; i += 2) {
            s0 += (mpcsim_u128)a[i] * b[i];
            s1 += (mpcsim_u128)a[i + 1] * b[i + 1];
        }
        if (i < end) {
            s0 += (mpcsim_u128)a[i] * b[i];
            i++;
        }
        r = fp_add(r, fp_reduce128(s0));
        r = fp_add(r, fp_reduce128(s1));
    }
    return r;
}

/* see fp_vec_int.h */
int
fp__vec_invert_totals(uint64_t *inv, size_t *zero_index, const uint64_t *tot, size_t k,
                      const uint64_t *a, size_t n)
{
    uint64_t pre[64];
    uint64_t t = 0;

    MPCSIM_ASSERT(k >= 1 && k <= 64);
    pre[0] = tot[0];
    for (size_t j = 1; j < k; j++) {
        pre[j] = fp_mul(pre[j - 1], tot[j]);
    }
    if (fp_inv(&t, pre[k - 1]) != 0) {
        for (size_t i = 0; i < n; i++) {
            if (a[i] == 0) {
                if (zero_index != NULL) {
                    *zero_index = i;
                }
                break;
            }
        }
        return MPCSIM_EZERODIV;
    }
    for (size_t j = k - 1; j > 0; j--) {
        inv[j] = fp_mul(t, pre[j - 1]);
        t = fp_mul(t, tot[j]);
    }
    inv[0] = t;
    return 0;
}

#define FP__CHAINS 8

/* see fp_vec_int.h */
int
fp__vec_batch_inv_portable(uint64_t *out, size_t *zero_index, const uint64_t *a, size_t n)
{
    uint64_t tot[FP__CHAINS], inv[FP__CHAINS];
    size_t k = n < FP__CHAINS ? n : FP__CHAINS;
    size_t i;
    int rc;

    if (n == 0) {
        return 0;
    }
    /* Forward: out[i] = a[i] * a[i-8] * a[i-16] * ... */
    for (i = 0; i < k; i++) {
        out[i] = a[i];
    }
    for (; i < n; i++) {
        out[i] = fp_mul(out[i - FP__CHAINS], a[i]);
    }
    for (size_t j = 0; j < k; j++) {
        tot[j] = out[j + FP__CHAINS * ((n - 1 - j) / FP__CHAINS)];
    }
    rc = fp__vec_invert_totals(inv, zero_index, tot, k, a, n);
    if (rc != 0) {
        return rc;
    }
    /* Backward: inv[j] holds 1/out[i] for the chain's current i. */
    i = n;
    while (i > FP__CHAINS && i % FP__CHAINS != 0) {
        i--;
        out[i] = fp_mul(inv[i % FP__CHAINS], out[i - FP__CHAINS]);
        inv[i % FP__CHAINS] = fp_mul(inv[i % FP__CHAINS], a[i]);
    }
    while (i >= 2 * FP__CHAINS) {
        i -= FP__CHAINS;
        for (size_t j = 0; j < FP__CHAINS; j++) {
            out[i + j] = fp_mul(inv[j], out[i + j - FP__CHAINS]);
            inv[j] = fp_mul(inv[j], a[i + j]);
        }
    }
    for (size_t j = 0; j < k; j++) {
        out[j] = inv[j];
    }
    return 0;
}

static const struct fp_vec_ops fp__vec_portable = {
    .name = "portable",
    .impl = FP_VEC_IMPL_PORTABLE,
    .add = fp__vec_add_portable,
    .sub = fp__vec_sub_portable,
    .scale = fp__vec_scale_portable,
    .mul = fp__vec_mul_portable,
    .dot = fp__vec_dot_portable,
    .batch_inv = fp__vec_batch_inv_portable,
};

/* see fp_vec.h */
const struct fp_vec_ops *
fp_vec_ops_get(enum fp_vec_impl impl)
{
    if (impl == FP_VEC_IMPL_PORTABLE) {
        return &fp__vec_portable;
    }
    return fp__vec_x86_get(impl);
}

/* see fp_vec.h.  Racing first calls compute and store the same pointer. */
const struct fp_vec_ops *
fp_vec_ops_best(void)
{
    static const struct fp_vec_ops *best = NULL;
    const struct fp_vec_ops *ops = __atomic_load_n(&best, __ATOMIC_ACQUIRE);

    if (ops == NULL) {
        static const enum fp_vec_impl order[] = {FP_VEC_IMPL_AVX512IFMA, FP_VEC_IMPL_AVX512,
                                                 FP_VEC_IMPL_AVX2};

        ops = &fp__vec_portable;
        for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
            const struct fp_vec_ops *cand = fp__vec_x86_get(order[i]);

            if (cand != NULL) {
                ops = cand;
                break;
            }
        }
        __atomic_store_n(&best, ops, __ATOMIC_RELEASE);
    }
    return ops;
}

/* see fp_vec.h */
void
fp_vec_add(uint64_t *out, const uint64_t *a, const uint64_t *b, size_t n)
{
    fp_vec_ops_best()->add(out, a, b, n);
}

/* see fp_vec.h */
void
fp_vec_sub(uint64_t *out, const uint64_t *a, const uint64_t *b, size_t n)
{
    fp_vec_ops_best()->sub(out, a, b, n);
}

/* see fp_vec.h */
void
fp_vec_scale(uint64_t *out, const uint64_t *a, uint64_t s, size_t n)
{
    fp_vec_ops_best()->scale(out, a, s, n);
}

/* see fp_vec.h */
void
fp_vec_mul(uint64_t *out, const uint64_t *a, const uint64_t *b, size_t n)
{
    fp_vec_ops_best()->mul(out, a, b, n);
}

/* see fp_vec.h */
uint64_t
fp_vec_dot(const uint64_t *a, const uint64_t *b, size_t n)
{
    return fp_vec_ops_best()->dot(a, b, n);
}

/* see fp_vec.h */
int
fp_vec_batch_inv(uint64_t *out, size_t *zero_index, const uint64_t *a, size_t n)
{
    return fp_vec_ops_best()->batch_inv(out, zero_index, a, n);
}
