/* SPDX-License-Identifier: MIT */
/*
 * protocols/field/fp_vec_x86.c - AVX2, AVX-512 and AVX-512 IFMA vector
 * implementations, each function compiled for its own target so a build
 * without -march=native still contains them; fp__vec_x86_get() checks
 * CPUID before handing one out.
 *
 * Multiplication with vpmuludq (32 x 32 -> 64 per lane): with a = a0 +
 * 2^32 a1 and b likewise (a1, b1 < 2^29),
 *   a b = a0 b0 + 2^32 (a0 b1 + a1 b0) + 2^64 a1 b1
 *       = a0 b0 + 2^32 (m mod 2^29) + (m >> 29) + 8 a1 b1   (mod p),
 * 2^61 = 1 and 2^64 = 8.  The sum stays below 2^63 after reducing a0 b0,
 * one fold brings it below 2^61 + 4 and min(t, t - p) (unsigned) makes it
 * canonical.
 *
 * The IFMA dot product splits a = a0 + 2^52 a1 (a1 < 2^9; vpmadd52 reads
 * only the low 52 bits, so a0 costs nothing) and accumulates the seven
 * 52-bit partial products by weight 1, 2^52, 2^104 in separate 64-bit
 * lanes.  The weight-2^52 lane gets three sums of up to 2^9 additions of
 * < 2^52, below 2^63, so it reduces once per 512 vectors.  On Zen 4 it is
 * bound by IFMA throughput, ~7 cycles per 8 terms.
 *
 * The elementwise product is the vpmuludq kernel alone, with the first
 * elements peeled so that out is 64-byte aligned; for long vectors whose
 * inputs sit at other offsets within a cache line it uses ymm vectors
 * (AVX-512VL) instead.  Measured here (Zen 4,
 * 1 M elements from malloc): plain u128 scalar loop 1.0 ns/mul, portable
 * 0.65, vpmuludq 0.35 (0.20 when the data sit in L2), an IFMA variant
 * (7 vpmadd52 per 8 lanes) 0.34 / 0.21, and interleaving 8 vector lanes
 * with 4 scalar mulx products 0.37 / 0.28: the mixed loop issues about 6
 * instructions per element against 3 for the vector one, so on this core
 * the front end, not the multipliers, is the limit and mixing loses.
 * Split 64-byte accesses make the zmm loop up to 2x slower on data streamed
 * from L3/memory (0.70-0.78 ns): peeling fixes co-aligned arrays, and for
 * the others the ymm loop (0.44-0.55 ns) is better there, not in L2.
 */
#include "protocols/field/fp_vec_int.h"

#include "protocols/field/fp.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))

#include <immintrin.h>

#define FP__AVX2 __attribute__((target("avx2")))
#define FP__AVX512 __attribute__((target("avx2,avx512f,avx512vl,avx512dq")))
#define FP__IFMA __attribute__((target("avx2,avx512f,avx512vl,avx512dq,avx512ifma")))

/* ---- AVX2: 4 lanes ---------------------------------------------------- */

/* Canonical a*b for canonical a, b. */
FP__AVX2 static inline __m256i
fp__mul4(__m256i a, __m256i b)
{
    const __m256i p = _mm256_set1_epi64x((long long)FP_P);
    __m256i a1 = _mm256_srli_epi64(a, 32);
    __m256i b1 = _mm256_srli_epi64(b, 32);
    __m256i p00 = _mm256_mul_epu32(a, b);
    __m256i m = _mm256_add_epi64(_mm256_mul_epu32(a, b1), _mm256_mul_epu32(a1, b));
    __m256i p11 = _mm256_mul_epu32(a1, b1);
    __m256i t = _mm256_add_epi64(_mm256_and_si256(p00, p), _mm256_srli_epi64(p00, 61));
    t = _mm256_add_epi64(t, _mm256_and_si256(_mm256_slli_epi64(m, 32), p));
    t = _mm256_add_epi64(t, _mm256_srli_epi64(m, 29));
    t = _mm256_add_epi64(t, _mm256_slli_epi64(p11, 3));
    t = _mm256_add_epi64(_mm256_and_si256(t, p), _mm256_srli_epi64(t, 61));
    /* t < 2^61 + 4: subtract p where t >= p (signed compare is safe). */
    return _mm256_sub_epi64(t, _mm256_andnot_si256(_mm256_cmpgt_epi64(p, t), p));
}

FP__AVX2 static void
fp__vec_add_avx2(uint64_t *out, const uint64_t *a, const uint64_t *b, size_t n)
{
    const __m256i p = _mm256_set1_epi64x((long long)FP_P);
    size_t i = 0;

    for (; i + 4 <= n; i += 4) {
        __m256i s = _mm256_add_epi64(_mm256_loadu_si256((const __m256i *)(a + i)),
                                     _mm256_loadu_si256((const __m256i *)(b + i)));
        s = _mm256_sub_epi64(s, _mm256_andnot_si256(_mm256_cmpgt_epi64(p, s), p));
        _mm256_storeu_si256((__m256i *)(out + i), s);
    }
    for (; i < n; i++) {
        out[i] = fp_add(a[i], b[i]);
    }
}

FP__AVX2 static void
fp__vec_sub_avx2(uint64_t *out, const uint64_t *a, const uint64_t *b, size_t n)
{
    const __m256i p = _mm256_set1_epi64x((long long)FP_P);
    size_t i = 0;

    for (; i + 4 <= n; i += 4) {
        __m256i va = _mm256_loadu_si256((const __m256i *)(a + i));
        __m256i vb = _mm256_loadu_si256((const __m256i *)(b + i));
        __m256i d = _mm256_sub_epi64(va, vb);
        d = _mm256_add_epi64(d, _mm256_and_si256(_mm256_cmpgt_epi64(vb, va), p));
        _mm256_storeu_si256((__m256i *)(out + i), d);
    }
    for (; i < n; i++) {
        out[i] = fp_sub(a[i], b[i]);
    }
}

FP__AVX2 static void
fp__vec_mul_avx2(uint64_t *out, const uint64_t *a, const uint64_t *b, size_t n)
{
    size_t i = 0;

    for (; i + 4 <= n; i += 4) {
        __m256i r = fp__mul4(_mm256_loadu_si256((const __m256i *)(a + i)),
                             _mm256_loadu_si256((const __m256i *)(b + i)));
        _mm256_storeu_si256((__m256i *)(out + i), r);
    }
    for (; i < n; i++) {
        out[i] = fp_mul(a[i], b[i]);
    }
}

FP__AVX2 static void
fp__vec_scale_avx2(uint64_t *out, const uint64_t *a, uint64_t s, size_t n)
{
    const __m256i vs = _mm256_set1_epi64x((long long)s);
    size_t i = 0;

    for (; i + 4 <= n; i += 4) {
        __m256i r = fp__mul4(_mm256_loadu_si256((const __m256i *)(a + i)), vs);
        _mm256_storeu_si256((__m256i *)(out + i), r);
    }
    for (; i < n; i++) {
        out[i] = fp_mul(a[i], s);
    }
}

/* ---- AVX-512: 8 lanes ------------------------------------------------- */

/*
 * Elements to handle one by one before out + i is 64-byte aligned (at most
 * n).  A 64-byte access split over two cache lines costs about twice as
 * much once the data comes from L3 or memory, and malloc'd arrays of equal
 * size usually share their misalignment, so aligning out aligns them all.
 */
static size_t
fp__peel64(const uint64_t *out, size_t n)
{
    uintptr_t mis = (uintptr_t)out & 63;
    size_t head = mis % 8 != 0 ? 0 : (64 - mis) % 64 / 8;

    return head < n ? head : n;
}

FP__AVX512 static inline __m512i
fp__mul8(__m512i a, __m512i b)
{
    const __m512i p = _mm512_set1_epi64((long long)FP_P);
    __m512i a1 = _mm512_srli_epi64(a, 32);
    __m512i b1 = _mm512_srli_epi64(b, 32);
    __m512i p00 = _mm512_mul_epu32(a, b);
    __m512i m = _mm512_add_epi64(_mm512_mul_epu32(a, b1), _mm512_mul_epu32(a1, b));
    __m512i p11 = _mm512_mul_epu32(a1, b1);
    __m512i t = _mm512_add_epi64(_mm512_and_si512(p00, p), _mm512_srli_epi64(p00, 61));
    t = _mm512_add_epi64(t, _mm512_and_si512(_mm512_slli_epi64(m, 32), p));
    t = _mm512_add_epi64(t, _mm512_srli_epi64(m, 29));
    t = _mm512_add_epi64(t, _mm512_slli_epi64(p11, 3));
    t = _mm512_add_epi64(_mm512_and_si512(t, p), _mm512_srli_epi64(t, 61));
    return _mm512_min_epu64(t, _mm512_sub_epi64(t, p));
}

FP__AVX512 static void
fp__vec_add_avx512(uint64_t *out, const uint64_t *a, const uint64_t *b, size_t n)
{
    const __m512i p = _mm512_set1_epi64((long long)FP_P);
    size_t i = 0;

    for (size_t head = fp__peel64(out, n); i < head; i++) {
        out[i] = fp_add(a[i], b[i]);
    }
    for (; i + 8 <= n; i += 8) {
        __m512i s = _mm512_add_epi64(_mm512_loadu_si512(a + i), _mm512_loadu_si512(b + i));
        _mm512_storeu_si512(out + i, _mm512_min_epu64(s, _mm512_sub_epi64(s, p)));
    }
    for (; i < n; i++) {
        out[i] = fp_add(a[i], b[i]);
    }
}

FP__AVX512 static void
fp__vec_sub_avx512(uint64_t *out, const uint64_t *a, const uint64_t *b, size_t n)
{
    const __m512i p = _mm512_set1_epi64((long long)FP_P);
    size_t i = 0;

    for (size_t head = fp__peel64(out, n); i < head; i++) {
        out[i] = fp_sub(a[i], b[i]);
    }
    for (; i + 8 <= n; i += 8) {
        __m512i d = _mm512_sub_epi64(_mm512_loadu_si512(a + i), _mm512_loadu_si512(b + i));
        _mm512_storeu_si512(out + i, _mm512_min_epu64(d, _mm512_add_epi64(d, p)));
    }
    for (; i < n; i++) {
        out[i] = fp_sub(a[i], b[i]);
    }
}

FP__AVX512 static void
fp__vec_mul_avx512_zmm(uint64_t *out, const uint64_t *a, const uint64_t *b, size_t n)
{
    size_t i = 0;

    for (size_t head = fp__peel64(out, n); i < head; i++) {
        out[i] = fp_mul(a[i], b[i]);
    }
    for (; i + 8 <= n; i += 8) {
        _mm512_storeu_si512(out + i,
                            fp__mul8(_mm512_loadu_si512(a + i), _mm512_loadu_si512(b + i)));
    }
    for (; i < n; i++) {
        out[i] = fp_mul(a[i], b[i]);
    }
}

/* 4-lane product with AVX-512VL's unsigned min (ymm: half the split loads). */
FP__AVX512 static inline __m256i
fp__mul4_vl(__m256i a, __m256i b)
{
    const __m256i p = _mm256_set1_epi64x((long long)FP_P);
    __m256i a1 = _mm256_srli_epi64(a, 32);
    __m256i b1 = _mm256_srli_epi64(b, 32);
    __m256i p00 = _mm256_mul_epu32(a, b);
    __m256i m = _mm256_add_epi64(_mm256_mul_epu32(a, b1), _mm256_mul_epu32(a1, b));
    __m256i p11 = _mm256_mul_epu32(a1, b1);
    __m256i t = _mm256_add_epi64(_mm256_and_si256(p00, p), _mm256_srli_epi64(p00, 61));
    t = _mm256_add_epi64(t, _mm256_and_si256(_mm256_slli_epi64(m, 32), p));
    t = _mm256_add_epi64(t, _mm256_srli_epi64(m, 29));
    t = _mm256_add_epi64(t, _mm256_slli_epi64(p11, 3));
    t = _mm256_add_epi64(_mm256_and_si256(t, p), _mm256_srli_epi64(t, 61));
    return _mm256_min_epu64(t, _mm256_sub_epi64(t, p));
}

FP__AVX512 static void
fp__vec_mul_avx512vl(uint64_t *out, const uint64_t *a, const uint64_t *b, size_t n)
{
    size_t i = 0;

    for (; i + 8 <= n; i += 8) {
        __m256i r0 = fp__mul4_vl(_mm256_loadu_si256((const __m256i *)(a + i)),
                                 _mm256_loadu_si256((const __m256i *)(b + i)));
        __m256i r1 = fp__mul4_vl(_mm256_loadu_si256((const __m256i *)(a + i + 4)),
                                 _mm256_loadu_si256((const __m256i *)(b + i + 4)));
        _mm256_storeu_si256((__m256i *)(out + i), r0);
        _mm256_storeu_si256((__m256i *)(out + i + 4), r1);
    }
    for (; i < n; i++) {
        out[i] = fp_mul(a[i], b[i]);
    }
}

FP__AVX512 static void
fp__vec_scale_avx512_zmm(uint64_t *out, const uint64_t *a, uint64_t s, size_t n)
{
    const __m512i vs = _mm512_set1_epi64((long long)s);
    size_t i = 0;

    for (size_t head = fp__peel64(out, n); i < head; i++) {
        out[i] = fp_mul(a[i], s);
    }
    for (; i + 8 <= n; i += 8) {
        _mm512_storeu_si512(out + i, fp__mul8(_mm512_loadu_si512(a + i), vs));
    }
    for (; i < n; i++) {
        out[i] = fp_mul(a[i], s);
    }
}

/* Whether p and q share their offset within a 64-byte line. */
static int
fp__same_line_offset(const void *p, const void *q)
{
    return (((uintptr_t)p ^ (uintptr_t)q) & 63) == 0;
}

/*
 * Elements from which a product streams from L3/memory (3 arrays of 8 MiB
 * at 1 M) rather than from L2; measured crossover here between 512 K and 1 M.
 */
#define FP__STREAMING ((size_t)1 << 20)

/*
 * zmm, peeled so that out is aligned.  Only for long vectors whose inputs
 * sit at other offsets within a cache line than out does ymm win: there
 * every zmm access splits and the split costs bandwidth (0.46-0.71 ns per
 * product against 0.45-0.55 with ymm at 1 M); from L2 the split is nearly
 * free and ymm's doubled instruction count loses (0.20-0.28 against 0.38).
 */
FP__AVX512 static void
fp__vec_mul_avx512(uint64_t *out, const uint64_t *a, const uint64_t *b, size_t n)
{
    if (n < FP__STREAMING || (fp__same_line_offset(out, a) && fp__same_line_offset(out, b))) {
        fp__vec_mul_avx512_zmm(out, a, b, n);
    } else {
        fp__vec_mul_avx512vl(out, a, b, n);
    }
}

FP__AVX512 static void
fp__vec_scale_avx512(uint64_t *out, const uint64_t *a, uint64_t s, size_t n)
{
    size_t i = 0;

    if (n < FP__STREAMING || fp__same_line_offset(out, a)) {
        fp__vec_scale_avx512_zmm(out, a, s, n);
        return;
    }
    for (; i + 4 <= n; i += 4) {
        __m256i r = fp__mul4_vl(_mm256_loadu_si256((const __m256i *)(a + i)),
                                _mm256_set1_epi64x((long long)s));
        _mm256_storeu_si256((__m256i *)(out + i), r);
    }
    for (; i < n; i++) {
        out[i] = fp_mul(a[i], s);
    }
}

/* Sum of the 8 lanes of v, reduced. */
FP__AVX512 static uint64_t
fp__hsum8(__m512i v)
{
    uint64_t lane[8];
    uint64_t r = 0;

    _mm512_storeu_si512(lane, v);
    for (int j = 0; j < 8; j++) {
        r = fp_add(r, fp_reduce64(lane[j]));
    }
    return r;
}

FP__AVX512 static uint64_t
fp__vec_dot_avx512(const uint64_t *a, const uint64_t *b, size_t n)
{
    __m512i acc0 = _mm512_setzero_si512(), acc1 = _mm512_setzero_si512();
    uint64_t r = 0;
    size_t i = 0;

    for (size_t head = fp__peel64(a, n); i < head; i++) {
        r = fp_add(r, fp_mul(a[i], b[i]));
    }

    while (i + 16 <= n) {
        size_t end = n - i > 128 ? i + 128 : n;

        for (; i + 16 <= end; i += 16) {
            acc0 = _mm512_add_epi64(acc0,
                                    fp__mul8(_mm512_loadu_si512(a + i), _mm512_loadu_si512(b + i)));
            acc1 = _mm512_add_epi64(
                acc1, fp__mul8(_mm512_loadu_si512(a + i + 8), _mm512_loadu_si512(b + i + 8)));
        }
        r = fp_add(r, fp__hsum8(acc0));
        r = fp_add(r, fp__hsum8(acc1));
        acc0 = _mm512_setzero_si512();
        acc1 = _mm512_setzero_si512();
    }
    for (; i < n; i++) {
        r = fp_add(r, fp_mul(a[i], b[i]));
    }
    return r;
}

/* Vector batch inversion: FP__VCH vectors of 8 lanes, 8 * FP__VCH chains. */
#define FP__VCH 4
#define FP__VS (8 * FP__VCH)

FP__AVX512 static int
fp__vec_batch_inv_avx512(uint64_t *out, size_t *zero_index, const uint64_t *a, size_t n)
{
    uint64_t tot[FP__VS], inv[FP__VS];
    size_t k = n < FP__VS ? n : FP__VS;
    size_t i;
    int rc;

    if (n == 0) {
        return 0;
    }
    for (i = 0; i < k; i++) {
        out[i] = a[i];
    }
    for (; i + FP__VS <= n; i += FP__VS) {
        for (int v = 0; v < FP__VCH; v++) {
            _mm512_storeu_si512(out + i + 8 * v,
                                fp__mul8(_mm512_loadu_si512(out + i + 8 * v - FP__VS),
                                         _mm512_loadu_si512(a + i + 8 * v)));
        }
    }
    for (; i < n; i++) {
        out[i] = fp_mul(out[i - FP__VS], a[i]);
    }
    for (size_t j = 0; j < k; j++) {
        tot[j] = out[j + FP__VS * ((n - 1 - j) / FP__VS)];
    }
    rc = fp__vec_invert_totals(inv, zero_index, tot, k, a, n);
    if (rc != 0) {
        return rc;
    }
    i = n;
    while (i > FP__VS && i % FP__VS != 0) {
        i--;
        out[i] = fp_mul(inv[i % FP__VS], out[i - FP__VS]);
        inv[i % FP__VS] = fp_mul(inv[i % FP__VS], a[i]);
    }
    if (i >= 2 * FP__VS) {
        __m512i vi[FP__VCH];

        for (int v = 0; v < FP__VCH; v++) {
            vi[v] = _mm512_loadu_si512(inv + 8 * v);
        }
        while (i >= 2 * FP__VS) {
            i -= FP__VS;
            for (int v = 0; v < FP__VCH; v++) {
                _mm512_storeu_si512(out + i + 8 * v,
                                    fp__mul8(vi[v], _mm512_loadu_si512(out + i + 8 * v - FP__VS)));
                vi[v] = fp__mul8(vi[v], _mm512_loadu_si512(a + i + 8 * v));
            }
        }
        for (int v = 0; v < FP__VCH; v++) {
            _mm512_storeu_si512(inv + 8 * v, vi[v]);
        }
    }
    for (size_t j = 0; j < k; j++) {
        out[j] = inv[j];
    }
    return 0;
}

/* ---- AVX-512 IFMA ----------------------------------------------------- */

#define FP__M52 ((uint64_t)0xFFFFFFFFFFFFFULL)

/* sum over lanes of lo + 2^52 mid + 2^104 hi, reduced (each lane < 2^64). */
FP__IFMA static uint64_t
fp__ifma_fold(__m512i lo, __m512i mid, __m512i hi)
{
    uint64_t l[8], m[8], h[8];
    mpcsim_u128 s = 0;
    mpcsim_u128 t = 0;
    uint64_t r;

    _mm512_storeu_si512(l, lo);
    _mm512_storeu_si512(m, mid);
    _mm512_storeu_si512(h, hi);
    for (int j = 0; j < 8; j++) {
        s += (mpcsim_u128)l[j] + ((mpcsim_u128)m[j] << 52);
        t += h[j];
    }
    /* 2^104 = 2^43 (mod p); t < 2^67. */
    r = fp_reduce128(s);
    return fp_add(r, fp_mul(fp_reduce128(t), (uint64_t)1 << 43));
}

FP__IFMA static uint64_t
fp__vec_dot_ifma_zmm(const uint64_t *a, const uint64_t *b, size_t n)
{
    uint64_t r = 0;
    size_t i = 0;

    for (size_t head = fp__peel64(a, n); i < head; i++) {
        r = fp_add(r, fp_mul(a[i], b[i]));
    }

    while (i + 8 <= n) {
        /* 7 chains so IFMA latency (4) hides behind its throughput (1). */
        __m512i l0 = _mm512_setzero_si512();
        __m512i m0 = _mm512_setzero_si512(), m1 = m0, m2 = m0;
        __m512i h0 = _mm512_setzero_si512(), h1 = h0, h2 = h0;
        size_t end = n - i > 8 * 512 ? i + 8 * 512 : n;

        for (; i + 8 <= end; i += 8) {
            __m512i va = _mm512_loadu_si512(a + i);
            __m512i vb = _mm512_loadu_si512(b + i);
            __m512i a1 = _mm512_srli_epi64(va, 52);
            __m512i b1 = _mm512_srli_epi64(vb, 52);

            l0 = _mm512_madd52lo_epu64(l0, va, vb);
            m0 = _mm512_madd52hi_epu64(m0, va, vb);
            m1 = _mm512_madd52lo_epu64(m1, va, b1);
            m2 = _mm512_madd52lo_epu64(m2, a1, vb);
            h0 = _mm512_madd52hi_epu64(h0, va, b1);
            h1 = _mm512_madd52hi_epu64(h1, a1, vb);
            h2 = _mm512_madd52lo_epu64(h2, a1, b1);
        }
        m0 = _mm512_add_epi64(_mm512_add_epi64(m0, m1), m2);
        h0 = _mm512_add_epi64(_mm512_add_epi64(h0, h1), h2);
        r = fp_add(r, fp__ifma_fold(l0, m0, h0));
    }
    for (; i < n; i++) {
        r = fp_add(r, fp_mul(a[i], b[i]));
    }
    return r;
}

/* The same with ymm vectors (two groups of 4 lanes), for unaligned pairs. */
FP__IFMA static uint64_t
fp__vec_dot_ifma_ymm(const uint64_t *a, const uint64_t *b, size_t n)
{
    uint64_t r = 0;
    size_t i = 0;

    while (i + 8 <= n) {
        __m256i l0 = _mm256_setzero_si256(), m0 = l0, m1 = l0, m2 = l0, h0 = l0, h1 = l0, h2 = l0;
        __m256i l0b = l0, m0b = l0, m1b = l0, m2b = l0, h0b = l0, h1b = l0, h2b = l0;
        size_t end = n - i > 8 * 512 ? i + 8 * 512 : n;

        for (; i + 8 <= end; i += 8) {
            __m256i va = _mm256_loadu_si256((const __m256i *)(a + i));
            __m256i vb = _mm256_loadu_si256((const __m256i *)(b + i));
            __m256i wa = _mm256_loadu_si256((const __m256i *)(a + i + 4));
            __m256i wb = _mm256_loadu_si256((const __m256i *)(b + i + 4));
            __m256i a1 = _mm256_srli_epi64(va, 52), b1 = _mm256_srli_epi64(vb, 52);
            __m256i c1 = _mm256_srli_epi64(wa, 52), d1 = _mm256_srli_epi64(wb, 52);

            l0 = _mm256_madd52lo_epu64(l0, va, vb);
            m0 = _mm256_madd52hi_epu64(m0, va, vb);
            m1 = _mm256_madd52lo_epu64(m1, va, b1);
            m2 = _mm256_madd52lo_epu64(m2, a1, vb);
            h0 = _mm256_madd52hi_epu64(h0, va, b1);
            h1 = _mm256_madd52hi_epu64(h1, a1, vb);
            h2 = _mm256_madd52lo_epu64(h2, a1, b1);
            l0b = _mm256_madd52lo_epu64(l0b, wa, wb);
            m0b = _mm256_madd52hi_epu64(m0b, wa, wb);
            m1b = _mm256_madd52lo_epu64(m1b, wa, d1);
            m2b = _mm256_madd52lo_epu64(m2b, c1, wb);
            h0b = _mm256_madd52hi_epu64(h0b, wa, d1);
            h1b = _mm256_madd52hi_epu64(h1b, c1, wb);
            h2b = _mm256_madd52lo_epu64(h2b, c1, d1);
        }
        m0 = _mm256_add_epi64(_mm256_add_epi64(m0, m1), m2);
        h0 = _mm256_add_epi64(_mm256_add_epi64(h0, h1), h2);
        m0b = _mm256_add_epi64(_mm256_add_epi64(m0b, m1b), m2b);
        h0b = _mm256_add_epi64(_mm256_add_epi64(h0b, h1b), h2b);
        r = fp_add(r, fp__ifma_fold(_mm512_inserti64x4(_mm512_castsi256_si512(l0), l0b, 1),
                                    _mm512_inserti64x4(_mm512_castsi256_si512(m0), m0b, 1),
                                    _mm512_inserti64x4(_mm512_castsi256_si512(h0), h0b, 1)));
    }
    for (; i < n; i++) {
        r = fp_add(r, fp_mul(a[i], b[i]));
    }
    return r;
}

FP__IFMA static uint64_t
fp__vec_dot_ifma(const uint64_t *a, const uint64_t *b, size_t n)
{
    return n < FP__STREAMING || fp__same_line_offset(a, b) ? fp__vec_dot_ifma_zmm(a, b, n)
                                                           : fp__vec_dot_ifma_ymm(a, b, n);
}

static const struct fp_vec_ops fp__vec_avx2 = {
    .name = "avx2",
    .impl = FP_VEC_IMPL_AVX2,
    .add = fp__vec_add_avx2,
    .sub = fp__vec_sub_avx2,
    .scale = fp__vec_scale_avx2,
    .mul = fp__vec_mul_avx2,
    .dot = fp__vec_dot_portable, /* a 4-lane vpmuludq dot ran at 0.6 ns/term, scalar 0.4 */
    .batch_inv = fp__vec_batch_inv_portable,
};

static const struct fp_vec_ops fp__vec_avx512 = {
    .name = "avx512",
    .impl = FP_VEC_IMPL_AVX512,
    .add = fp__vec_add_avx512,
    .sub = fp__vec_sub_avx512,
    .scale = fp__vec_scale_avx512,
    .mul = fp__vec_mul_avx512,
    .dot = fp__vec_dot_avx512,
    .batch_inv = fp__vec_batch_inv_avx512,
};

/* As AVX-512 but for the dot product (the vpmuludq product beat IFMA's). */
static const struct fp_vec_ops fp__vec_ifma = {
    .name = "avx512ifma",
    .impl = FP_VEC_IMPL_AVX512IFMA,
    .add = fp__vec_add_avx512,
    .sub = fp__vec_sub_avx512,
    .scale = fp__vec_scale_avx512,
    .mul = fp__vec_mul_avx512,
    .dot = fp__vec_dot_ifma,
    .batch_inv = fp__vec_batch_inv_avx512,
};

/* see fp_vec_int.h */
const struct fp_vec_ops *
fp__vec_x86_get(enum fp_vec_impl impl)
{
    __builtin_cpu_init();
    switch (impl) {
    case FP_VEC_IMPL_AVX2:
        return __builtin_cpu_supports("avx2") ? &fp__vec_avx2 : NULL;
    case FP_VEC_IMPL_AVX512:
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
                       __builtin_cpu_supports("avx512dq")
                   ? &fp__vec_avx512
                   : NULL;
    case FP_VEC_IMPL_AVX512IFMA:
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
                       __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512ifma")
                   ? &fp__vec_ifma
                   : NULL;
    default:
        return NULL;
    }
}

#else /* not x86-64 */

/* see fp_vec_int.h */
const struct fp_vec_ops *
fp__vec_x86_get(enum fp_vec_impl impl)
{
    (void)impl;
    return NULL;
}

#endif
