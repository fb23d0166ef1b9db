/* SPDX-License-Identifier: MIT */
/*
 * protocols/field/f127_vec.c - see f127_vec.h.
 *
 * Each operation is one always-inline body, instantiated twice: plainly
 * with f127.h's C products (the portable table) and inside functions
 * compiled with target("bmi2,adx") whose products are the mulx sequence
 * below (the x86-64 table chosen by CPUID).  The loops read a
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
F127__DEFINE_IMPL(bmi2, F127_VEC_IMPL_BMI2, __attribute__((target("bmi2,adx"))), 1);
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
        return __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("adx") ? &f127__vec_bmi2
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
        ops = f127_vec_ops_get(F127_VEC_IMPL_BMI2);
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
