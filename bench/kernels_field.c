/* SPDX-License-Identifier: MIT */
/*
 * bench/kernels_field.c - benchmark kernels of the field module.
 *
 * Inputs come from a fixed-key fp_stream, so every run times the same
 * data.  Each kernel's check recomputes its answer the simple way (scalar
 * fp_mul loops, the portable table, f itself for interpolation and
 * decoding) before the harness prints a rate.
 *
 * field/mul_scalar_ref is the plain unsigned-128-bit loop the issue's
 * target is stated against (vector mul >= 1.3x of it, measured in the same
 * run); the _portable and _simd kernels run one fp_vec_ops table each.
 * The 1M kernels stream 24 MiB and are partly bound by L3/memory; the 16K
 * ones stay in L2 and show the arithmetic rate.
 */
#include "bench/kernels.h"

#include <string.h>

#include "common/alloc.h"
#include "protocols/field/f127.h"
#include "protocols/field/f127_vec.h"
#include "protocols/field/fp.h"
#include "protocols/field/fp_stream.h"
#include "protocols/field/fp_vec.h"
#include "protocols/field/poly.h"
#include "protocols/field/rs.h"

#define VEC_N ((size_t)1 << 20)
#define VEC_SMALL ((size_t)1 << 14) /* 3 arrays of 128 KiB: L2-resident */

static const uint8_t bench_key[FP_STREAM_KEYBYTES] = {'m', 'p', 'c', 's', 'i', 'm', 'f'};

/* n field elements from the bench stream `id`; NULL on failure. */
static uint64_t *
random_elements(size_t n, uint64_t id, int nonzero)
{
    struct fp_stream *s = NULL;
    uint64_t *v = mpcsim_calloc(n, sizeof(*v));

    if (v == NULL || fp_stream_create(&s, bench_key, id) != 0) {
        mpcsim_free(v);
        return NULL;
    }
    fp_stream_fill(s, v, n);
    for (size_t i = 0; nonzero && i < n; i++) {
        v[i] += v[i] == 0;
    }
    fp_stream_destroy(s);
    return v;
}

/* ---- vectors of 1 M ----------------------------------------------------- */

struct vec_state {
    const struct fp_vec_ops *ops;
    size_t n;
    uint64_t *a, *b, *out;
    uint64_t result;
};

static void
vec_teardown(void *state)
{
    struct vec_state *st = state;

    if (st == NULL) {
        return;
    }
    mpcsim_free(st->a);
    mpcsim_free(st->b);
    mpcsim_free(st->out);
    mpcsim_free(st);
}

static int
vec_setup(void **state, const struct fp_vec_ops *ops, size_t n)
{
    struct vec_state *st = mpcsim_calloc(1, sizeof(*st));

    if (st == NULL) {
        return MPCSIM_ENOMEM;
    }
    st->ops = ops;
    st->n = n;
    st->a = random_elements(n, 1, 1);
    st->b = random_elements(n, 2, 1);
    st->out = mpcsim_calloc(n, sizeof(uint64_t));
    if (st->a == NULL || st->b == NULL || st->out == NULL) {
        vec_teardown(st);
        return MPCSIM_ENOMEM;
    }
    *state = st;
    return 0;
}

static int
vec_setup_portable(void **state)
{
    return vec_setup(state, fp_vec_ops_get(FP_VEC_IMPL_PORTABLE), VEC_N);
}

static int
vec_setup_simd(void **state)
{
    return vec_setup(state, fp_vec_ops_best(), VEC_N);
}

static int
vec_setup_portable_small(void **state)
{
    return vec_setup(state, fp_vec_ops_get(FP_VEC_IMPL_PORTABLE), VEC_SMALL);
}

static int
vec_setup_simd_small(void **state)
{
    return vec_setup(state, fp_vec_ops_best(), VEC_SMALL);
}

/* The reference: the plain 128-bit loop, restrict pointers, inlined. */
static void
mul_ref_loop(uint64_t *restrict out, const uint64_t *restrict a, const uint64_t *restrict b,
             size_t n)
{
    for (size_t i = 0; i < n; i++) {
        mpcsim_u128 z = (mpcsim_u128)a[i] * b[i];
        uint64_t s = ((uint64_t)z & FP_P) + (uint64_t)(z >> 61);

        out[i] = s >= FP_P ? s - FP_P : s;
    }
}

static void
mul_ref_run(void *state, uint64_t iters)
{
    struct vec_state *st = state;

    for (uint64_t it = 0; it < iters; it++) {
        mul_ref_loop(st->out, st->a, st->b, st->n);
        bench_keep(st->out[it % st->n]);
    }
}

static void
mul_vec_run(void *state, uint64_t iters)
{
    struct vec_state *st = state;

    for (uint64_t it = 0; it < iters; it++) {
        st->ops->mul(st->out, st->a, st->b, st->n);
        bench_keep(st->out[it % st->n]);
    }
}

static int
mul_check(void *state)
{
    struct vec_state *st = state;

    for (size_t i = 0; i < st->n; i++) {
        if (st->out[i] != fp_mul(st->a[i], st->b[i])) {
            return 1;
        }
    }
    return 0;
}

static void
add_vec_run(void *state, uint64_t iters)
{
    struct vec_state *st = state;

    for (uint64_t it = 0; it < iters; it++) {
        st->ops->add(st->out, st->a, st->b, st->n);
        bench_keep(st->out[it % st->n]);
    }
}

static int
add_check(void *state)
{
    struct vec_state *st = state;

    for (size_t i = 0; i < st->n; i++) {
        if (st->out[i] != fp_add(st->a[i], st->b[i])) {
            return 1;
        }
    }
    return 0;
}

static void
dot_run(void *state, uint64_t iters)
{
    struct vec_state *st = state;

    for (uint64_t it = 0; it < iters; it++) {
        st->result = st->ops->dot(st->a, st->b, st->n);
        bench_keep(st->result);
    }
}

static int
dot_check(void *state)
{
    struct vec_state *st = state;
    uint64_t r = 0;

    for (size_t i = 0; i < st->n; i++) {
        r = fp_add(r, fp_mul(st->a[i], st->b[i]));
    }
    return r != st->result;
}

static void
batch_inv_run(void *state, uint64_t iters)
{
    struct vec_state *st = state;

    for (uint64_t it = 0; it < iters; it++) {
        int rc = st->ops->batch_inv(st->out, NULL, st->a, st->n);

        bench_keep((uint64_t)rc + st->out[it % st->n]);
    }
}

static int
batch_inv_check(void *state)
{
    struct vec_state *st = state;

    for (size_t i = 0; i < st->n; i++) {
        if (fp_mul(st->out[i], st->a[i]) != 1) {
            return 1;
        }
    }
    return 0;
}

/* ---- single inverse: a dependent chain of 1024 ----------------------------- */

#define INV_CHAIN 1024

static int
inv_setup(void **state)
{
    struct vec_state *st = mpcsim_calloc(1, sizeof(*st));

    if (st == NULL) {
        return MPCSIM_ENOMEM;
    }
    st->result = 12345;
    *state = st;
    return 0;
}

static void
inv_run(void *state, uint64_t iters)
{
    struct vec_state *st = state;
    uint64_t x = st->result;

    for (uint64_t it = 0; it < iters; it++) {
        for (int j = 0; j < INV_CHAIN; j++) {
            uint64_t y = 0;

            if (fp_inv(&y, x) != 0) {
                y = 1;
            }
            x = fp_add(y, 1); /* never 0: y = p - 1 would need x = -1 */
        }
    }
    st->result = x;
    bench_keep(x);
}

static int
inv_check(void *state)
{
    struct vec_state *st = state;
    uint64_t y = 0;

    /* The chain's last value x = 1/x' + 1 is a field element; check inverse law. */
    if (fp_inv(&y, st->result) != 0) {
        return 1;
    }
    return fp_mul(y, st->result) != 1;
}

/* ---- Lagrange at 0, cached, n = 1024 ------------------------------------- */

struct lag_state {
    struct poly_lagrange0 *l;
    uint64_t *xs, *ys, *f;
    size_t n, t;
    uint64_t result;
    struct poly_powers *pw;
};

static void
lag_teardown(void *state)
{
    struct lag_state *st = state;

    if (st == NULL) {
        return;
    }
    poly_lagrange0_destroy(st->l);
    poly_powers_destroy(st->pw);
    mpcsim_free(st->xs);
    mpcsim_free(st->ys);
    mpcsim_free(st->f);
    mpcsim_free(st);
}

/* Points 1..n and the values of a random f of degree < t + 1 at them. */
static struct lag_state *
lag_alloc(size_t n, size_t t)
{
    struct lag_state *st = mpcsim_calloc(1, sizeof(*st));

    if (st == NULL) {
        return NULL;
    }
    st->n = n;
    st->t = t;
    st->xs = mpcsim_calloc(n, sizeof(uint64_t));
    st->ys = mpcsim_calloc(n, sizeof(uint64_t));
    st->f = random_elements(n, 3, 0);
    if (st->xs == NULL || st->ys == NULL || st->f == NULL) {
        lag_teardown(st);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        st->xs[i] = i + 1;
    }
    poly_eval_many(st->ys, st->f, t + 1, st->xs, n);
    return st;
}

static int
lag_setup(void **state)
{
    struct lag_state *st = lag_alloc(1024, 1023);

    if (st == NULL) {
        return MPCSIM_ENOMEM;
    }
    if (poly_lagrange0_create(&st->l, st->xs, st->n) != 0) {
        lag_teardown(st);
        return MPCSIM_ENOMEM;
    }
    *state = st;
    return 0;
}

static void
lag_run(void *state, uint64_t iters)
{
    struct lag_state *st = state;

    for (uint64_t it = 0; it < iters; it++) {
        st->result = poly_lagrange0_apply(st->l, st->ys);
        bench_keep(st->result);
    }
}

static int
lag_check(void *state)
{
    struct lag_state *st = state;

    return st->result != st->f[0];
}

/* ---- Shamir-style sharing with cached powers: n = 1000, t = 333 ---------- */

static int
share_setup(void **state)
{
    struct lag_state *st = lag_alloc(1000, 333);

    if (st == NULL) {
        return MPCSIM_ENOMEM;
    }
    if (poly_powers_create(&st->pw, st->xs, st->n, st->t + 1) != 0) {
        lag_teardown(st);
        return MPCSIM_ENOMEM;
    }
    memset(st->ys, 0, st->n * sizeof(uint64_t));
    *state = st;
    return 0;
}

static void
share_run(void *state, uint64_t iters)
{
    struct lag_state *st = state;

    for (uint64_t it = 0; it < iters; it++) {
        poly_powers_eval(st->pw, st->ys, st->f);
        bench_keep(st->ys[it % st->n]);
    }
}

static int
share_check(void *state)
{
    struct lag_state *st = state;

    for (size_t i = 0; i < st->n; i++) {
        if (st->ys[i] != poly_eval(st->f, st->t + 1, st->xs[i])) {
            return 1;
        }
    }
    return 0;
}

/* ---- interpolation and Reed-Solomon decoding at n = 16, 256, 1024 --------- */

struct rs_state {
    size_t n, t, errors;
    uint64_t *xs, *ys, *f, *got;
    size_t *bad;
    size_t nbad;
    int rc;
};

static void
rs_teardown(void *state)
{
    struct rs_state *st = state;

    if (st == NULL) {
        return;
    }
    mpcsim_free(st->xs);
    mpcsim_free(st->ys);
    mpcsim_free(st->f);
    mpcsim_free(st->got);
    mpcsim_free(st->bad);
    mpcsim_free(st);
}

/*
 * n points 1..n of a random f of degree t; `errors` of them (every
 * n/errors-th) shifted by a non-zero amount.  t = n - 1 for interpolation.
 */
static int
rs_setup_n(void **state, size_t n, size_t t, size_t errors)
{
    struct rs_state *st = mpcsim_calloc(1, sizeof(*st));

    if (st == NULL) {
        return MPCSIM_ENOMEM;
    }
    st->n = n;
    st->t = t;
    st->errors = errors;
    st->xs = mpcsim_calloc(n, sizeof(uint64_t));
    st->ys = mpcsim_calloc(n, sizeof(uint64_t));
    st->got = mpcsim_calloc(n, sizeof(uint64_t));
    st->bad = mpcsim_calloc(n, sizeof(size_t));
    st->f = random_elements(t + 1, 4, 0);
    if (st->xs == NULL || st->ys == NULL || st->got == NULL || st->bad == NULL || st->f == NULL) {
        rs_teardown(st);
        return MPCSIM_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        st->xs[i] = i + 1;
    }
    poly_eval_many(st->ys, st->f, t + 1, st->xs, n);
    for (size_t e = 0; e < errors; e++) {
        size_t i = e * (n / errors);

        st->ys[i] = fp_add(st->ys[i], 1 + e);
    }
    *state = st;
    return 0;
}

static void
interp_run(void *state, uint64_t iters)
{
    struct rs_state *st = state;

    for (uint64_t it = 0; it < iters; it++) {
        st->rc = poly_interpolate(st->got, st->xs, st->ys, st->n);
        bench_keep(st->got[0]);
    }
}

static int
interp_check(void *state)
{
    struct rs_state *st = state;

    return st->rc != 0 || memcmp(st->got, st->f, st->n * sizeof(uint64_t)) != 0;
}

static void
rs_run(void *state, uint64_t iters)
{
    struct rs_state *st = state;

    for (uint64_t it = 0; it < iters; it++) {
        st->rc = rs_decode(st->got, st->bad, &st->nbad, st->xs, st->ys, st->n, st->t);
        bench_keep(st->got[0]);
    }
}

static int
rs_check(void *state)
{
    struct rs_state *st = state;

    return st->rc != 0 || st->nbad != st->errors ||
           memcmp(st->got, st->f, (st->t + 1) * sizeof(uint64_t)) != 0;
}

#define SETUP_INTERP(n)                                                                            \
    static int interp_setup_##n(void **state)                                                      \
    {                                                                                              \
        return rs_setup_n(state, n, n - 1, 0);                                                     \
    }
#define SETUP_RS(n)                                                                                \
    static int rs_setup_##n##_e0(void **state)                                                     \
    {                                                                                              \
        return rs_setup_n(state, n, (n - 1) / 3, 0);                                               \
    }                                                                                              \
    static int rs_setup_##n##_emax(void **state)                                                   \
    {                                                                                              \
        return rs_setup_n(state, n, (n - 1) / 3, rs_max_errors(n, (n - 1) / 3));                   \
    }

SETUP_INTERP(16)
SETUP_INTERP(256)
SETUP_INTERP(1024)
SETUP_RS(16)
SETUP_RS(256)
SETUP_RS(1024)

/* ---- sampling ------------------------------------------------------------ */

#define SAMPLE_N 65536

static int
sample_setup(void **state)
{
    struct vec_state *st = mpcsim_calloc(1, sizeof(*st));

    if (st == NULL) {
        return MPCSIM_ENOMEM;
    }
    st->out = mpcsim_calloc(SAMPLE_N, sizeof(uint64_t));
    if (st->out == NULL) {
        mpcsim_free(st);
        return MPCSIM_ENOMEM;
    }
    *state = st;
    return 0;
}

static void
sample_run(void *state, uint64_t iters)
{
    struct vec_state *st = state;
    struct fp_stream *s = NULL;

    if (fp_stream_create(&s, bench_key, 5) != 0) {
        st->result = 1;
        return;
    }
    for (uint64_t it = 0; it < iters; it++) {
        fp_stream_fill(s, st->out, SAMPLE_N);
        bench_keep(st->out[it % SAMPLE_N]);
    }
    fp_stream_destroy(s);
    st->result = 0;
}

static int
sample_check(void *state)
{
    struct vec_state *st = state;

    for (size_t i = 0; i < SAMPLE_N; i++) {
        if (st->out[i] >= FP_P) {
            return 1;
        }
    }
    return (int)st->result;
}

/* ---- GF(2^127 - 1): scalar chains, vectors of 1 M and 16 K ---------------- */

/*
 * The m127 kernels time f127.h / f127_vec.h on the same sizes as the m61
 * ones above (field/mul_vec_simd/1M is the same-run reference for the
 * issue's target: m127 vector mul >= 0.15x of it).  _portable runs the
 * portable table (the instruction-count guard covers it), _bmi2 the
 * scalar mulx table, _best the table CPUID picks (avx512ifma when
 * present).  Elements are 16 bytes, so the 1M
 * vector kernels stream 48 MiB.
 */

struct m127_state {
    const struct f127_vec_ops *ops;
    size_t n;
    mpcsim_u128 *a, *b, *out;
    mpcsim_u128 result;
};

/* n elements of GF(2^127 - 1) from the bench stream `id`; NULL on failure. */
static mpcsim_u128 *
m127_random_elements(size_t n, uint64_t id, int nonzero)
{
    struct fp_stream *s = NULL;
    mpcsim_u128 *v = mpcsim_calloc(n, sizeof(*v));

    if (v == NULL || fp_stream_create(&s, bench_key, id) != 0) {
        mpcsim_free(v);
        return NULL;
    }
    fp_stream_bytes(s, (uint8_t *)v, n * sizeof(*v));
    for (size_t i = 0; i < n; i++) {
        v[i] &= F127_P;
        v[i] = v[i] == F127_P ? 0 : v[i];
        v[i] += nonzero && v[i] == 0;
    }
    fp_stream_destroy(s);
    return v;
}

static void
m127_teardown(void *state)
{
    struct m127_state *st = state;

    if (st == NULL) {
        return;
    }
    mpcsim_free(st->a);
    mpcsim_free(st->b);
    mpcsim_free(st->out);
    mpcsim_free(st);
}

static int
m127_setup(void **state, const struct f127_vec_ops *ops, size_t n)
{
    struct m127_state *st = mpcsim_calloc(1, sizeof(*st));

    if (st == NULL) {
        return MPCSIM_ENOMEM;
    }
    st->ops = ops;
    st->n = n;
    st->a = m127_random_elements(n, 11, 1);
    st->b = m127_random_elements(n, 12, 1);
    st->out = mpcsim_calloc(n, sizeof(mpcsim_u128));
    if (st->a == NULL || st->b == NULL || st->out == NULL) {
        m127_teardown(st);
        return MPCSIM_ENOMEM;
    }
    st->result = st->a[0];
    *state = st;
    return 0;
}

static int
m127_setup_portable(void **state)
{
    return m127_setup(state, f127_vec_ops_get(F127_VEC_IMPL_PORTABLE), VEC_N);
}

static int
m127_setup_best(void **state)
{
    return m127_setup(state, f127_vec_ops_best(), VEC_N);
}

static int
m127_setup_best_small(void **state)
{
    return m127_setup(state, f127_vec_ops_best(), VEC_SMALL);
}

/* The mulx table (the portable one on a CPU without BMI2). */
static const struct f127_vec_ops *
m127_ops_bmi2(void)
{
    const struct f127_vec_ops *ops = f127_vec_ops_get(F127_VEC_IMPL_BMI2);

    return ops != NULL ? ops : f127_vec_ops_get(F127_VEC_IMPL_PORTABLE);
}

static int
m127_setup_bmi2(void **state)
{
    return m127_setup(state, m127_ops_bmi2(), VEC_N);
}

static int
m127_setup_bmi2_small(void **state)
{
    return m127_setup(state, m127_ops_bmi2(), VEC_SMALL);
}

static void
m127_mul_run(void *state, uint64_t iters)
{
    struct m127_state *st = state;

    for (uint64_t it = 0; it < iters; it++) {
        st->ops->mul(st->out, st->a, st->b, st->n);
        bench_keep((uint64_t)st->out[it % st->n]);
    }
}

static int
m127_mul_check(void *state)
{
    struct m127_state *st = state;

    for (size_t i = 0; i < st->n; i++) {
        if (st->out[i] != f127_mul(st->a[i], st->b[i])) {
            return 1;
        }
    }
    return 0;
}

static void
m127_dot_run(void *state, uint64_t iters)
{
    struct m127_state *st = state;

    for (uint64_t it = 0; it < iters; it++) {
        st->result = st->ops->dot(st->a, st->b, st->n);
        bench_keep((uint64_t)st->result);
    }
}

static int
m127_dot_check(void *state)
{
    struct m127_state *st = state;
    mpcsim_u128 r = 0;

    for (size_t i = 0; i < st->n; i++) {
        r = f127_add(r, f127_mul(st->a[i], st->b[i]));
    }
    return r != st->result;
}

static void
m127_batch_inv_run(void *state, uint64_t iters)
{
    struct m127_state *st = state;

    for (uint64_t it = 0; it < iters; it++) {
        int rc = st->ops->batch_inv(st->out, NULL, st->a, st->n);

        bench_keep((uint64_t)rc + (uint64_t)st->out[it % st->n]);
    }
}

static int
m127_batch_inv_check(void *state)
{
    struct m127_state *st = state;

    for (size_t i = 0; i < st->n; i++) {
        if (f127_mul(st->out[i], st->a[i]) != 1) {
            return 1;
        }
    }
    return 0;
}

/* A dependent chain of MUL_CHAIN products: the latency of f127_mul. */
#define MUL_CHAIN 4096

static int
m127_chain_setup(void **state)
{
    struct m127_state *st = mpcsim_calloc(1, sizeof(*st));

    if (st == NULL) {
        return MPCSIM_ENOMEM;
    }
    st->result = F127_P - 12345;
    *state = st;
    return 0;
}

static void
m127_mul_chain_run(void *state, uint64_t iters)
{
    struct m127_state *st = state;
    mpcsim_u128 x = st->result;
    const mpcsim_u128 y = F127_HALF + 987654321; /* both limbs busy */

    for (uint64_t it = 0; it < iters; it++) {
        for (int j = 0; j < MUL_CHAIN; j++) {
            x = f127_mul(x, y);
        }
    }
    st->result = x;
    bench_keep((uint64_t)x);
}

static int
m127_mul_chain_check(void *state)
{
    struct m127_state *st = state;

    return st->result == 0 || st->result >= F127_P;
}

static void
m127_inv_run(void *state, uint64_t iters)
{
    struct m127_state *st = state;
    mpcsim_u128 x = st->result;

    for (uint64_t it = 0; it < iters; it++) {
        for (int j = 0; j < INV_CHAIN; j++) {
            mpcsim_u128 y = 0;

            if (f127_inv(&y, x) != 0) {
                y = 1;
            }
            x = f127_add(y, 1); /* never 0: y = p - 1 would need x = -1 */
        }
    }
    st->result = x;
    bench_keep((uint64_t)x);
}

static int
m127_inv_check(void *state)
{
    struct m127_state *st = state;
    mpcsim_u128 y = 0;

    if (f127_inv(&y, st->result) != 0) {
        return 1;
    }
    return f127_mul(y, st->result) != 1;
}

#define MUL1M ((double)VEC_N)

static const struct bench_kernel field_kernels[] = {
    {"field/mul_scalar_ref/1M", "mul", MUL1M, vec_setup_portable, mul_ref_run, mul_check,
     vec_teardown, 2},
    {"field/mul_vec_portable/1M", "mul", MUL1M, vec_setup_portable, mul_vec_run, mul_check,
     vec_teardown, 2},
    {"field/mul_vec_simd/1M", "mul", MUL1M, vec_setup_simd, mul_vec_run, mul_check, vec_teardown,
     2},
    {"field/mul_scalar_ref/16K", "mul", (double)VEC_SMALL, vec_setup_portable_small, mul_ref_run,
     mul_check, vec_teardown, 10},
    {"field/mul_vec_simd/16K", "mul", (double)VEC_SMALL, vec_setup_simd_small, mul_vec_run,
     mul_check, vec_teardown, 10},
    {"field/add_vec_portable/1M", "add", MUL1M, vec_setup_portable, add_vec_run, add_check,
     vec_teardown, 2},
    {"field/add_vec_simd/1M", "add", MUL1M, vec_setup_simd, add_vec_run, add_check, vec_teardown,
     2},
    {"field/dot_portable/1M", "term", MUL1M, vec_setup_portable, dot_run, dot_check, vec_teardown,
     2},
    {"field/dot_simd/1M", "term", MUL1M, vec_setup_simd, dot_run, dot_check, vec_teardown, 2},
    {"field/dot_simd/16K", "term", (double)VEC_SMALL, vec_setup_simd_small, dot_run, dot_check,
     vec_teardown, 10},
    {"field/inv", "inv", INV_CHAIN, inv_setup, inv_run, inv_check, vec_teardown, 2},
    {"field/batch_inv_portable/1M", "inv", MUL1M, vec_setup_portable, batch_inv_run,
     batch_inv_check, vec_teardown, 1},
    {"field/batch_inv_simd/1M", "inv", MUL1M, vec_setup_simd, batch_inv_run, batch_inv_check,
     vec_teardown, 1},
    {"field/lagrange0/1024", "reconstruct", 1, lag_setup, lag_run, lag_check, lag_teardown, 100},
    {"field/share_powers/1000_t333", "share", 1000, share_setup, share_run, share_check,
     lag_teardown, 10},
    {"field/interpolate/16", "interpolation", 1, interp_setup_16, interp_run, interp_check,
     rs_teardown, 100},
    {"field/interpolate/256", "interpolation", 1, interp_setup_256, interp_run, interp_check,
     rs_teardown, 10},
    {"field/interpolate/1024", "interpolation", 1, interp_setup_1024, interp_run, interp_check,
     rs_teardown, 1},
    {"field/rs_decode/16/e0", "decode", 1, rs_setup_16_e0, rs_run, rs_check, rs_teardown, 100},
    {"field/rs_decode/16/emax", "decode", 1, rs_setup_16_emax, rs_run, rs_check, rs_teardown, 100},
    {"field/rs_decode/256/e0", "decode", 1, rs_setup_256_e0, rs_run, rs_check, rs_teardown, 10},
    {"field/rs_decode/256/emax", "decode", 1, rs_setup_256_emax, rs_run, rs_check, rs_teardown, 10},
    {"field/rs_decode/1024/e0", "decode", 1, rs_setup_1024_e0, rs_run, rs_check, rs_teardown, 1},
    {"field/rs_decode/1024/emax", "decode", 1, rs_setup_1024_emax, rs_run, rs_check, rs_teardown,
     1},
    {"field/sample/64K", "element", SAMPLE_N, sample_setup, sample_run, sample_check, vec_teardown,
     2},
    {"field/mul_chain_m127", "mul", MUL_CHAIN, m127_chain_setup, m127_mul_chain_run,
     m127_mul_chain_check, m127_teardown, 2},
    {"field/mul_vec_portable_m127/1M", "mul", MUL1M, m127_setup_portable, m127_mul_run,
     m127_mul_check, m127_teardown, 2},
    {"field/mul_vec_bmi2_m127/1M", "mul", MUL1M, m127_setup_bmi2, m127_mul_run, m127_mul_check,
     m127_teardown, 2},
    {"field/mul_vec_best_m127/1M", "mul", MUL1M, m127_setup_best, m127_mul_run, m127_mul_check,
     m127_teardown, 2},
    {"field/mul_vec_bmi2_m127/16K", "mul", (double)VEC_SMALL, m127_setup_bmi2_small, m127_mul_run,
     m127_mul_check, m127_teardown, 10},
    {"field/mul_vec_best_m127/16K", "mul", (double)VEC_SMALL, m127_setup_best_small, m127_mul_run,
     m127_mul_check, m127_teardown, 10},
    {"field/dot_portable_m127/1M", "term", MUL1M, m127_setup_portable, m127_dot_run, m127_dot_check,
     m127_teardown, 2},
    {"field/dot_best_m127/1M", "term", MUL1M, m127_setup_best, m127_dot_run, m127_dot_check,
     m127_teardown, 2},
    {"field/inv_m127", "inv", INV_CHAIN, m127_chain_setup, m127_inv_run, m127_inv_check,
     m127_teardown, 2},
    {"field/batch_inv_best_m127/1M", "inv", MUL1M, m127_setup_best, m127_batch_inv_run,
     m127_batch_inv_check, m127_teardown, 1},
};

/* see kernels.h */
const struct bench_kernel *
bench_field_kernels(size_t *count)
{
    *count = sizeof(field_kernels) / sizeof(field_kernels[0]);
    return field_kernels;
}
