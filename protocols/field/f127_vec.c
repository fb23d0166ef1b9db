/* SPDX-License-Identifier: MIT */
/*
 * protocols/field/f127_vec.c - see f127_vec.h.
 *
 * Each operation is one always-inline body, instantiated twice: plainly
 * with f127.h's C products (the portable table) and inside functions
 * compiled with target("bmi2") whose products are the mulx sequence
 * below (the x86-64 table chosen by CPUID).  The AVX-512 IFMA table has
 * its own vector product (8 elements per iteration in 52-bit limbs) and
 * the bmi2 functions for the rest.  The loops read a
 * block of inputs before writing a block of outputs, so out == a is safe
 * and the iterations stay independent.  The dot product adds the folded
 * products (< 2p < 2^128) into two 128-bit sums with carry counters.
 * Batch inversion runs 8 interleaved Montgomery chains (chain j holds the
 * indices = j mod 8), as fp_vec.c does.
 */
#include "protocols/field/f127_vec.h"

#include "protocols/field/f127.h"

#define F127__INLINE static inline __attribute__((always_inline))
#define F127__CHAINS 8

#if defined(__x86_64__) && defined(__GNUC__)
#define F127__HAVE_BMI2 1

/*
 * The product folded once (f127__mul_fold's contract: < 2p) and, if
 * `reduce`, fully reduced: mulx keeps the carry flag alive across the four
 * products, so the 256-bit product is one add/adc chain; shld forms
 * z >> 127; the conditional subtraction is two cmovs (constant time).
 * gcc 12 spills registers on the C version (64 instructions per element
 * in a vector multiply against about 35 here).  Only reached from
 * functions compiled with target("bmi2").
 */
#define F127__MULX_ASM(reduce)                                                                     \
    "movq %[a0], %%rdx\n\t"                                                                        \
    "mulx %[b0], %[r0], %[r1]\n\t" /* a0 b0 */                                                     \
    "mulx %[b1], %[t0], %[r2]\n\t" /* a0 b1 */                                                     \
    "movq %[a1], %%rdx\n\t"                                                                        \
    "addq %[t0], %[r1]\n\t"                                                                        \
    "mulx %[b1], %[t0], %[r3]\n\t" /* a1 b1; mulx leaves CF alone */                               \
    "adcq %[t0], %[r2]\n\t"                                                                        \
    "adcq $0, %[r3]\n\t"                                                                           \
    "mulx %[b0], %[t0], %[t1]\n\t" /* a1 b0 */                                                     \
    "addq %[t0], %[r1]\n\t"                                                                        \
    "adcq %[t1], %[r2]\n\t"                                                                        \
    "adcq $0, %[r3]\n\t" /* z = r3:r2:r1:r0 < 2^254 */                                             \
    "shldq $1, %[r2], %[r3]\n\t"                                                                   \
    "shldq $1, %[r1], %[r2]\n\t" /* r3:r2 = z >> 127 */                                            \
    "btrq $63, %[r1]\n\t"        /* r1:r0 = z mod 2^127 */                                         \
    "addq %[r2], %[r0]\n\t"                                                                        \
    "adcq %[r3], %[r1]\n\t" /* s < 2p */                                                           \
        reduce

#define F127__CSUB_ASM                                                                             \
    "movq %[r0], %[t0]\n\t"                                                                        \
    "movq %[r1], %[t1]\n\t"                                                                        \
    "addq $1, %[t0]\n\t"                                                                           \
    "adcq $0, %[t1]\n\t"  /* t = s + 1 */                                                          \
    "btrq $63, %[t1]\n\t" /* CF = (t >= 2^127); t -= 2^127 */                                      \
    "cmovcq %[t0], %[r0]\n\t"                                                                      \
    "cmovcq %[t1], %[r1]\n\t" /* s - p if s >= p */

#define F127__MULX(reduce)                                                                         \
    uint64_t a0 = (uint64_t)a, a1 = (uint64_t)(a >> 64);                                           \
    uint64_t b0 = (uint64_t)b, b1 = (uint64_t)(b >> 64);                                           \
    uint64_t r0, r1, r2, r3, t0, t1;                                                               \
                                                                                                   \
    __asm__(F127__MULX_ASM(reduce)                                                                 \
            : [r0] "=&r"(r0), [r1] "=&r"(r1), [r2] "=&r"(r2), [r3] "=&r"(r3), [t0] "=&r"(t0),      \
              [t1] "=&r"(t1)                                                                       \
            : [a0] "rm"(a0), [a1] "rm"(a1), [b0] "rm"(b0), [b1] "rm"(b1)                           \
            : "rdx", "cc");                                                                        \
    return ((mpcsim_u128)r1 << 64) | r0

/* f127_mul with mulx. */
F127__INLINE mpcsim_u128
f127__mul_mulx(mpcsim_u128 a, mpcsim_u128 b)
{
    F127__MULX(F127__CSUB_ASM);
}

/* f127__mul_fold with mulx. */
F127__INLINE mpcsim_u128
f127__mul_fold_mulx(mpcsim_u128 a, mpcsim_u128 b)
{
    F127__MULX("");
}

/* The product for table `mulx` (a constant after inlining). */
#define F127__MUL(mulx, a, b) ((mulx) ? f127__mul_mulx(a, b) : f127_mul(a, b))
#define F127__FOLD(mulx, a, b) ((mulx) ? f127__mul_fold_mulx(a, b) : f127__mul_fold(a, b))
#else
#define F127__MUL(mulx, a, b) ((void)(mulx), f127_mul(a, b))
#define F127__FOLD(mulx, a, b) ((void)(mulx), f127__mul_fold(a, b))
#endif

F127__INLINE void
f127__add_body(mpcsim_u128 *out, const mpcsim_u128 *a, const mpcsim_u128 *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        out[i] = f127_add(a[i], b[i]);
    }
}

F127__INLINE void
f127__sub_body(mpcsim_u128 *out, const mpcsim_u128 *a, const mpcsim_u128 *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        out[i] = f127_sub(a[i], b[i]);
    }
}

F127__INLINE void
f127__mul_body(mpcsim_u128 *out, const mpcsim_u128 *a, const mpcsim_u128 *b, size_t n, int mulx)
{
    size_t i = 0;

    for (; i + 2 <= n; i += 2) {
        mpcsim_u128 a0 = a[i], a1 = a[i + 1];
        mpcsim_u128 b0 = b[i], b1 = b[i + 1];

        out[i] = F127__MUL(mulx, a0, b0);
        out[i + 1] = F127__MUL(mulx, a1, b1);
    }
    for (; i < n; i++) {
        out[i] = F127__MUL(mulx, a[i], b[i]);
    }
}

F127__INLINE void
f127__scale_body(mpcsim_u128 *out, const mpcsim_u128 *a, mpcsim_u128 s, size_t n, int mulx)
{
    size_t i = 0;

    for (; i + 2 <= n; i += 2) {
        mpcsim_u128 a0 = a[i], a1 = a[i + 1];

        out[i] = F127__MUL(mulx, a0, s);
        out[i + 1] = F127__MUL(mulx, a1, s);
    }
    for (; i < n; i++) {
        out[i] = F127__MUL(mulx, a[i], s);
    }
}

F127__INLINE mpcsim_u128
f127__dot_body(const mpcsim_u128 *a, const mpcsim_u128 *b, size_t n, int mulx)
{
    mpcsim_u128 s0 = 0, s1 = 0;
    uint64_t c0 = 0, c1 = 0; /* carries out of s0, s1: units of 2^128 */
    size_t i = 0;

    for (; i + 2 <= n; i += 2) {
        mpcsim_u128 v0 = F127__FOLD(mulx, a[i], b[i]);
        mpcsim_u128 v1 = F127__FOLD(mulx, a[i + 1], b[i + 1]);

        s0 += v0;
        c0 += s0 < v0;
        s1 += v1;
        c1 += s1 < v1;
    }
    if (i < n) {
        mpcsim_u128 v0 = F127__FOLD(mulx, a[i], b[i]);

        s0 += v0;
        c0 += s0 < v0;
    }
    return f127_add(f127_reduce256(c0, s0), f127_reduce256(c1, s1));
}

/*
 * The shared zero check and small inversion of the k chain totals tot[]
 * into inv[] (k <= 8).  Returns 0, or MPCSIM_EZERODIV with *zero_index
 * (if not NULL) = first zero of a[0..n).
 */
static int
f127__invert_totals(mpcsim_u128 *inv, size_t *zero_index, const mpcsim_u128 *tot, size_t k,
                    const mpcsim_u128 *a, size_t n)
{
    mpcsim_u128 pre[F127__CHAINS];
    mpcsim_u128 t = 0;

    MPCSIM_ASSERT(k >= 1 && k <= F127__CHAINS);
    pre[0] = tot[0];
    for (size_t j = 1; j < k; j++) {
        pre[j] = f127_mul(pre[j - 1], tot[j]);
    }
    if (f127_inv(&t, pre[k - 1]) != 0) {
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
        inv[j] = f127_mul(t, pre[j - 1]);
        t = f127_mul(t, tot[j]);
    }
    inv[0] = t;
    return 0;
}

F127__INLINE int
f127__batch_inv_body(mpcsim_u128 *out, size_t *zero_index, const mpcsim_u128 *a, size_t n, int mulx)
{
    mpcsim_u128 tot[F127__CHAINS], inv[F127__CHAINS];
    size_t k = n < F127__CHAINS ? n : F127__CHAINS;
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
        out[i] = F127__MUL(mulx, out[i - F127__CHAINS], a[i]);
    }
    for (size_t j = 0; j < k; j++) {
        tot[j] = out[j + F127__CHAINS * ((n - 1 - j) / F127__CHAINS)];
    }
    rc = f127__invert_totals(inv, zero_index, tot, k, a, n);
    if (rc != 0) {
        return rc;
    }
    /* Backward: inv[j] holds 1/out[i] for the chain's current i. */
    i = n;
    while (i > F127__CHAINS && i % F127__CHAINS != 0) {
        i--;
        out[i] = F127__MUL(mulx, inv[i % F127__CHAINS], out[i - F127__CHAINS]);
        inv[i % F127__CHAINS] = F127__MUL(mulx, inv[i % F127__CHAINS], a[i]);
    }
    while (i >= 2 * F127__CHAINS) {
        i -= F127__CHAINS;
        for (size_t j = 0; j < F127__CHAINS; j++) {
            out[i + j] = F127__MUL(mulx, inv[j], out[i + j - F127__CHAINS]);
            inv[j] = F127__MUL(mulx, inv[j], a[i + j]);
        }
    }
    for (size_t j = 0; j < k; j++) {
        out[j] = inv[j];
    }
    return 0;
}

/* One table's functions, compiled with the attributes ATTR. */
#define F127__DEFINE_IMPL(sfx, IMPL, ATTR, MULX)                                                   \
    ATTR static void f127__vec_add_##sfx(mpcsim_u128 *out, const mpcsim_u128 *a,                   \
                                         const mpcsim_u128 *b, size_t n)                           \
    {                                                                                              \
        f127__add_body(out, a, b, n);                                                              \
    }                                                                                              \
    ATTR static void f127__vec_sub_##sfx(mpcsim_u128 *out, const mpcsim_u128 *a,                   \
                                         const mpcsim_u128 *b, size_t n)                           \
    {                                                                                              \
        f127__sub_body(out, a, b, n);                                                              \
    }                                                                                              \
    ATTR static void f127__vec_mul_##sfx(mpcsim_u128 *out, const mpcsim_u128 *a,                   \
                                         const mpcsim_u128 *b, size_t n)                           \
    {                                                                                              \
        f127__mul_body(out, a, b, n, MULX);                                                        \
    }                                                                                              \
    ATTR static void f127__vec_scale_##sfx(mpcsim_u128 *out, const mpcsim_u128 *a, mpcsim_u128 s,  \
                                           size_t n)                                               \
    {                                                                                              \
        f127__scale_body(out, a, s, n, MULX);                                                      \
    }                                                                                              \
    ATTR static mpcsim_u128 f127__vec_dot_##sfx(const mpcsim_u128 *a, const mpcsim_u128 *b,        \
                                                size_t n)                                          \
    {                                                                                              \
        return f127__dot_body(a, b, n, MULX);                                                      \
    }                                                                                              \
    ATTR static int f127__vec_batch_inv_##sfx(mpcsim_u128 *out, size_t *zero_index,                \
                                              const mpcsim_u128 *a, size_t n)                      \
    {                                                                                              \
        return f127__batch_inv_body(out, zero_index, a, n, MULX);                                  \
    }                                                                                              \
    static const struct f127_vec_ops f127__vec_##sfx = {                                           \
        .name = #sfx,                                                                              \
        .impl = IMPL,                                                                              \
        .add = f127__vec_add_##sfx,                                                                \
        .sub = f127__vec_sub_##sfx,                                                                \
        .scale = f127__vec_scale_##sfx,                                                            \
        .mul = f127__vec_mul_##sfx,                                                                \
        .dot = f127__vec_dot_##sfx,                                                                \
        .batch_inv = f127__vec_batch_inv_##sfx,                                                    \
    }

#define F127__NOATTR
F127__DEFINE_IMPL(portable, F127_VEC_IMPL_PORTABLE, F127__NOATTR, 0);

#ifdef F127__HAVE_BMI2
F127__DEFINE_IMPL(bmi2, F127_VEC_IMPL_BMI2, __attribute__((target("bmi2"))), 1);
#endif

#ifdef F127__HAVE_BMI2
#include <immintrin.h>

#define F127__IFMA __attribute__((target("bmi2,avx512f,avx512ifma")))

/*
 * out = a b mod p for 8 elements side by side with AVX-512 IFMA.  The
 * elements (low, high 64-bit halves interleaved in memory) are split into
 * 52-bit limbs x0 + x1 2^52 + x2 2^104 (x2 < 2^23); the 17 non-zero
 * 52-bit partial products (a2 b2 < 2^46 has no high half) are summed by
 * column (each < 2^55), the carries propagated, and the 254-bit product
 * cut at bit 127 and folded as in f127__mul_fold; the final conditional
 * subtraction is a mask blend.
 */
F127__IFMA static void
f127__vec_mul_ifma(mpcsim_u128 *out, const mpcsim_u128 *a, const mpcsim_u128 *b, size_t n)
{
    const __m512i m52 = _mm512_set1_epi64((long long)((1ULL << 52) - 1));
    const __m512i m23 = _mm512_set1_epi64((1LL << 23) - 1);
    const __m512i one = _mm512_set1_epi64(1);
    const __m512i top = _mm512_set1_epi64((long long)(1ULL << 63));
    const __m512i zero = _mm512_setzero_si512();
    const __m512i even = _mm512_setr_epi64(0, 2, 4, 6, 8, 10, 12, 14);
    const __m512i odd = _mm512_setr_epi64(1, 3, 5, 7, 9, 11, 13, 15);
    const __m512i il0 = _mm512_setr_epi64(0, 8, 1, 9, 2, 10, 3, 11);
    const __m512i il1 = _mm512_setr_epi64(4, 12, 5, 13, 6, 14, 7, 15);
    size_t i = 0;

    for (; i + 8 <= n; i += 8) {
        __m512i x0 = _mm512_loadu_si512((const void *)(a + i));
        __m512i x1 = _mm512_loadu_si512((const void *)(a + i + 4));
        __m512i y0 = _mm512_loadu_si512((const void *)(b + i));
        __m512i y1 = _mm512_loadu_si512((const void *)(b + i + 4));
        __m512i alo = _mm512_permutex2var_epi64(x0, even, x1);
        __m512i ahi = _mm512_permutex2var_epi64(x0, odd, x1);
        __m512i blo = _mm512_permutex2var_epi64(y0, even, y1);
        __m512i bhi = _mm512_permutex2var_epi64(y0, odd, y1);
        __m512i a0 = _mm512_and_si512(alo, m52);
        __m512i a1 = _mm512_and_si512(
            _mm512_or_si512(_mm512_srli_epi64(alo, 52), _mm512_slli_epi64(ahi, 12)), m52);
        __m512i a2 = _mm512_srli_epi64(ahi, 40);
        __m512i b0 = _mm512_and_si512(blo, m52);
        __m512i b1 = _mm512_and_si512(
            _mm512_or_si512(_mm512_srli_epi64(blo, 52), _mm512_slli_epi64(bhi, 12)), m52);
        __m512i b2 = _mm512_srli_epi64(bhi, 40);
        __m512i c0, c1, c2, c3, c4;
        __m512i lo_lo, lo_hi, h_lo, h_hi, s_lo, s_hi, t_lo, t_hi, r_lo, r_hi;
        __mmask8 k;

        c0 = _mm512_madd52lo_epu64(zero, a0, b0);
        c1 = _mm512_madd52hi_epu64(zero, a0, b0);
        c1 = _mm512_madd52lo_epu64(c1, a0, b1);
        c1 = _mm512_madd52lo_epu64(c1, a1, b0);
        c2 = _mm512_madd52hi_epu64(zero, a0, b1);
        c2 = _mm512_madd52hi_epu64(c2, a1, b0);
        c2 = _mm512_madd52lo_epu64(c2, a0, b2);
        c2 = _mm512_madd52lo_epu64(c2, a1, b1);
        c2 = _mm512_madd52lo_epu64(c2, a2, b0);
        c3 = _mm512_madd52hi_epu64(zero, a0, b2);
        c3 = _mm512_madd52hi_epu64(c3, a1, b1);
        c3 = _mm512_madd52hi_epu64(c3, a2, b0);
        c3 = _mm512_madd52lo_epu64(c3, a1, b2);
        c3 = _mm512_madd52lo_epu64(c3, a2, b1);
        c4 = _mm512_madd52hi_epu64(zero, a1, b2);
        c4 = _mm512_madd52hi_epu64(c4, a2, b1);
        c4 = _mm512_madd52lo_epu64(c4, a2, b2);
        /* Carries: z = sum c_k 2^(52k) in limbs of 52 bits, z4 < 2^46. */
        c1 = _mm512_add_epi64(c1, _mm512_srli_epi64(c0, 52));
        c0 = _mm512_and_si512(c0, m52);
        c2 = _mm512_add_epi64(c2, _mm512_srli_epi64(c1, 52));
        c1 = _mm512_and_si512(c1, m52);
        c3 = _mm512_add_epi64(c3, _mm512_srli_epi64(c2, 52));
        c2 = _mm512_and_si512(c2, m52);
        c4 = _mm512_add_epi64(c4, _mm512_srli_epi64(c3, 52));
        c3 = _mm512_and_si512(c3, m52);
        /* z mod 2^127 and z >> 127 as 64-bit halves, then their sum s < 2p. */
        lo_lo = _mm512_or_si512(c0, _mm512_slli_epi64(c1, 52));
        lo_hi = _mm512_or_si512(_mm512_srli_epi64(c1, 12),
                                _mm512_slli_epi64(_mm512_and_si512(c2, m23), 40));
        h_lo = _mm512_or_si512(_mm512_srli_epi64(c2, 23), _mm512_slli_epi64(c3, 29));
        h_hi = _mm512_or_si512(_mm512_srli_epi64(c3, 35), _mm512_slli_epi64(c4, 17));
        s_lo = _mm512_add_epi64(lo_lo, h_lo);
        s_hi = _mm512_add_epi64(lo_hi, h_hi);
        k = _mm512_cmplt_epu64_mask(s_lo, lo_lo);
        s_hi = _mm512_mask_add_epi64(s_hi, k, s_hi, one);
        /* t = s + 1; s >= p iff t >= 2^127, and then s - p = t - 2^127. */
        t_lo = _mm512_add_epi64(s_lo, one);
        k = _mm512_cmpeq_epi64_mask(t_lo, zero);
        t_hi = _mm512_mask_add_epi64(s_hi, k, s_hi, one);
        k = _mm512_test_epi64_mask(t_hi, top);
        r_lo = _mm512_mask_blend_epi64(k, s_lo, t_lo);
        r_hi = _mm512_mask_blend_epi64(k, s_hi, _mm512_andnot_si512(top, t_hi));
        _mm512_storeu_si512((void *)(out + i), _mm512_permutex2var_epi64(r_lo, il0, r_hi));
        _mm512_storeu_si512((void *)(out + i + 4), _mm512_permutex2var_epi64(r_lo, il1, r_hi));
    }
    for (; i < n; i++) {
        out[i] = f127__mul_mulx(a[i], b[i]);
    }
}

/* The sum c0 + c1 2^52 + c2 2^104 + c3 2^156 + c4 2^208 mod p, c_k < 2^64. */
static mpcsim_u128
f127__columns_reduce(uint64_t c0, uint64_t c1, uint64_t c2, uint64_t c3, uint64_t c4)
{
    /* 2^156 = 2^29 and 2^208 = 2^81 mod p; split where a term would pass 2^127. */
    mpcsim_u128 r = f127_reduce128(c0);

    r = f127_add(r, f127_reduce128((mpcsim_u128)(c1 & ((1ULL << 52) - 1)) << 52));
    r = f127_add(r, f127_reduce128(((mpcsim_u128)(c1 >> 52) << 104) +
                                   ((mpcsim_u128)(c2 & ((1ULL << 23) - 1)) << 104) + (c2 >> 23)));
    r = f127_add(r, f127_reduce128((mpcsim_u128)c3 << 29));
    r = f127_add(r, f127_reduce128(((mpcsim_u128)(c4 & ((1ULL << 46) - 1)) << 81) + (c4 >> 46)));
    return r;
}

/*
 * sum a[i] b[i] with AVX-512 IFMA: the 17 partial products of each term go
 * straight into five column accumulators per lane (each term adds < 5 2^52
 * to a column, so 256 terms stay below 2^63), which are reduced once per
 * block of 256 terms per lane.
 */
F127__IFMA static mpcsim_u128
f127__vec_dot_ifma(const mpcsim_u128 *a, const mpcsim_u128 *b, size_t n)
{
    const __m512i m52 = _mm512_set1_epi64((long long)((1ULL << 52) - 1));
    const __m512i even = _mm512_setr_epi64(0, 2, 4, 6, 8, 10, 12, 14);
    const __m512i odd = _mm512_setr_epi64(1, 3, 5, 7, 9, 11, 13, 15);
    mpcsim_u128 r = 0;
    size_t i = 0;

    while (n - i >= 8) {
        size_t end = n - i > 256 * 8 ? i + 256 * 8 : n - (n - i) % 8;
        __m512i c0 = _mm512_setzero_si512(), c1 = c0, c2 = c0, c3 = c0, c4 = c0;
        uint64_t col[5][8];

        for (; i < end; i += 8) {
            __m512i x0 = _mm512_loadu_si512((const void *)(a + i));
            __m512i x1 = _mm512_loadu_si512((const void *)(a + i + 4));
            __m512i y0 = _mm512_loadu_si512((const void *)(b + i));
            __m512i y1 = _mm512_loadu_si512((const void *)(b + i + 4));
            __m512i alo = _mm512_permutex2var_epi64(x0, even, x1);
            __m512i ahi = _mm512_permutex2var_epi64(x0, odd, x1);
            __m512i blo = _mm512_permutex2var_epi64(y0, even, y1);
            __m512i bhi = _mm512_permutex2var_epi64(y0, odd, y1);
            __m512i a0 = _mm512_and_si512(alo, m52);
            __m512i a1 = _mm512_and_si512(
                _mm512_or_si512(_mm512_srli_epi64(alo, 52), _mm512_slli_epi64(ahi, 12)), m52);
            __m512i a2 = _mm512_srli_epi64(ahi, 40);
            __m512i b0 = _mm512_and_si512(blo, m52);
            __m512i b1 = _mm512_and_si512(
                _mm512_or_si512(_mm512_srli_epi64(blo, 52), _mm512_slli_epi64(bhi, 12)), m52);
            __m512i b2 = _mm512_srli_epi64(bhi, 40);

            c0 = _mm512_madd52lo_epu64(c0, a0, b0);
            c1 = _mm512_madd52hi_epu64(c1, a0, b0);
            c1 = _mm512_madd52lo_epu64(c1, a0, b1);
            c1 = _mm512_madd52lo_epu64(c1, a1, b0);
            c2 = _mm512_madd52hi_epu64(c2, a0, b1);
            c2 = _mm512_madd52hi_epu64(c2, a1, b0);
            c2 = _mm512_madd52lo_epu64(c2, a0, b2);
            c2 = _mm512_madd52lo_epu64(c2, a1, b1);
            c2 = _mm512_madd52lo_epu64(c2, a2, b0);
            c3 = _mm512_madd52hi_epu64(c3, a0, b2);
            c3 = _mm512_madd52hi_epu64(c3, a1, b1);
            c3 = _mm512_madd52hi_epu64(c3, a2, b0);
            c3 = _mm512_madd52lo_epu64(c3, a1, b2);
            c3 = _mm512_madd52lo_epu64(c3, a2, b1);
            c4 = _mm512_madd52hi_epu64(c4, a1, b2);
            c4 = _mm512_madd52hi_epu64(c4, a2, b1);
            c4 = _mm512_madd52lo_epu64(c4, a2, b2);
        }
        _mm512_storeu_si512((void *)col[0], c0);
        _mm512_storeu_si512((void *)col[1], c1);
        _mm512_storeu_si512((void *)col[2], c2);
        _mm512_storeu_si512((void *)col[3], c3);
        _mm512_storeu_si512((void *)col[4], c4);
        for (int j = 0; j < 8; j++) {
            r = f127_add(
                r, f127__columns_reduce(col[0][j], col[1][j], col[2][j], col[3][j], col[4][j]));
        }
    }
    for (; i < n; i++) {
        r = f127_add(r, f127__mul_mulx(a[i], b[i]));
    }
    return r;
}

/* IFMA for the products and the dot product; the rest is bmi2. */
static const struct f127_vec_ops f127__vec_ifma = {
    .name = "avx512ifma",
    .impl = F127_VEC_IMPL_AVX512IFMA,
    .add = f127__vec_add_bmi2,
    .sub = f127__vec_sub_bmi2,
    .scale = f127__vec_scale_bmi2,
    .mul = f127__vec_mul_ifma,
    .dot = f127__vec_dot_ifma,
    .batch_inv = f127__vec_batch_inv_bmi2,
};
#endif

/* see f127_vec.h */
const struct f127_vec_ops *
f127_vec_ops_get(enum f127_vec_impl impl)
{
    switch (impl) {
    case F127_VEC_IMPL_PORTABLE:
        return &f127__vec_portable;
    case F127_VEC_IMPL_BMI2:
#ifdef F127__HAVE_BMI2
        __builtin_cpu_init();
        return __builtin_cpu_supports("bmi2") ? &f127__vec_bmi2 : NULL;
#else
        return NULL;
#endif
    case F127_VEC_IMPL_AVX512IFMA:
#ifdef F127__HAVE_BMI2
        __builtin_cpu_init();
        return __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("avx512f") &&
                       __builtin_cpu_supports("avx512ifma")
                   ? &f127__vec_ifma
                   : NULL;
#else
        return NULL;
#endif
    default:
        return NULL;
    }
}

/* see f127_vec.h.  Racing first calls compute and store the same pointer. */
const struct f127_vec_ops *
f127_vec_ops_best(void)
{
    static const struct f127_vec_ops *best = NULL;
    const struct f127_vec_ops *ops = __atomic_load_n(&best, __ATOMIC_ACQUIRE);

    if (ops == NULL) {
        ops = f127_vec_ops_get(F127_VEC_IMPL_AVX512IFMA);
        if (ops == NULL) {
            ops = f127_vec_ops_get(F127_VEC_IMPL_BMI2);
        }
        if (ops == NULL) {
            ops = &f127__vec_portable;
        }
        __atomic_store_n(&best, ops, __ATOMIC_RELEASE);
    }
    return ops;
}

/* see f127_vec.h */
void
f127_vec_add(mpcsim_u128 *out, const mpcsim_u128 *a, const mpcsim_u128 *b, size_t n)
{
    f127_vec_ops_best()->add(out, a, b, n);
}

/* see f127_vec.h */
void
f127_vec_sub(mpcsim_u128 *out, const mpcsim_u128 *a, const mpcsim_u128 *b, size_t n)
{
    f127_vec_ops_best()->sub(out, a, b, n);
}

/* see f127_vec.h */
void
f127_vec_scale(mpcsim_u128 *out, const mpcsim_u128 *a, mpcsim_u128 s, size_t n)
{
    f127_vec_ops_best()->scale(out, a, s, n);
}

/* see f127_vec.h */
void
f127_vec_mul(mpcsim_u128 *out, const mpcsim_u128 *a, const mpcsim_u128 *b, size_t n)
{
    f127_vec_ops_best()->mul(out, a, b, n);
}

/* see f127_vec.h */
mpcsim_u128
f127_vec_dot(const mpcsim_u128 *a, const mpcsim_u128 *b, size_t n)
{
    return f127_vec_ops_best()->dot(a, b, n);
}

/* see f127_vec.h */
int
f127_vec_batch_inv(mpcsim_u128 *out, size_t *zero_index, const mpcsim_u128 *a, size_t n)
{
    return f127_vec_ops_best()->batch_inv(out, zero_index, a, n);
}
