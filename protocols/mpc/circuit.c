/* SPDX-License-Identifier: MIT */
/*
 * protocols/mpc/circuit.c - recording a circuit and scheduling it into
 * rounds (see mpc.h).
 *
 * Gates are appended in topological order (a gate's operands exist
 * before it), so a level's local gates evaluate correctly in index order
 * once the level's interactive gates are finalized.  Constant folding:
 * an operation on public wires only gives a public wire, computed by
 * every party alike.
 */
#include "protocols/mpc/mpc.h"

#include <string.h>

#include "common/alloc.h"
#include "protocols/field/f127_rs.h"
#include "protocols/field/f127_stream.h"
#include "protocols/field/rs.h"
#include "protocols/mpc/mpc_int.h"

/* see mpc_field.h */
mpcsim_u128
mpc_fsample(enum mpc_field_kind f, struct fp_stream *s)
{
    return f == MPC_FIELD_M127 ? f127_stream_next(s) : (mpcsim_u128)fp_stream_next(s);
}

/* see mpc_field.h */
int
mpc_finv(enum mpc_field_kind f, mpcsim_u128 *out, mpcsim_u128 a)
{
    uint64_t r = 0;
    int rc;

    if (f == MPC_FIELD_M127) {
        return f127_inv(out, a);
    }
    rc = fp_inv(&r, (uint64_t)a);
    if (rc == 0) {
        *out = r;
    }
    return rc;
}

/* see mpc_field.h */
void
mpc_fencode(enum mpc_field_kind f, uint8_t *out, mpcsim_u128 a)
{
    if (f == MPC_FIELD_M127) {
        f127_encode(out, a);
    } else {
        fp_encode(out, (uint64_t)a);
    }
}

/* see mpc_field.h */
int
mpc_fdecode(enum mpc_field_kind f, mpcsim_u128 *out, const uint8_t *in)
{
    uint64_t v = 0;
    int rc;

    if (f == MPC_FIELD_M127) {
        return f127_decode(out, in);
    }
    rc = fp_decode(&v, in);
    if (rc == 0) {
        *out = v;
    }
    return rc;
}

/* see mpc_field.h */
int
mpc_frs_decode(enum mpc_field_kind f, mpcsim_u128 *coeffs, size_t *bad, size_t *nbad,
               const mpcsim_u128 *xs, const mpcsim_u128 *ys, size_t m, size_t t)
{
    uint64_t *buf = NULL;
    int rc;

    if (f == MPC_FIELD_M127) {
        return f127_rs_decode(coeffs, bad, nbad, xs, ys, m, t);
    }
    buf = mpcsim_calloc(2 * m + t + 1, sizeof(uint64_t));
    if (buf == NULL) {
        return MPCSIM_ENOMEM;
    }
    for (size_t i = 0; i < m; i++) {
        buf[i] = (uint64_t)xs[i];
        buf[m + i] = (uint64_t)ys[i];
    }
    rc = rs_decode(buf + 2 * m, bad, nbad, buf, buf + m, m, t);
    if (rc == 0) {
        for (size_t i = 0; i <= t; i++) {
            coeffs[i] = buf[2 * m + i];
        }
    }
    mpcsim_free(buf);
    return rc;
}

/* ------------------------------------------------------------------ */

/* see mpc.h */
int
mpc_circuit_create(struct mpc_circuit **out, enum mpc_field_kind field)
{
    struct mpc_circuit *c = mpcsim_calloc(1, sizeof(*c));

    if (c == NULL) {
        return MPCSIM_ENOMEM;
    }
    c->field = field;
    (void)mpc_const(c, 0); /* wire 0 */
    if (c->err != 0) {
        mpc_circuit_destroy(c);
        return MPCSIM_ENOMEM;
    }
    *out = c;
    return 0;
}

/* see mpc.h */
void
mpc_circuit_destroy(struct mpc_circuit *c)
{
    if (c == NULL) {
        return;
    }
    mpcsim_free(c->g);
    mpcsim_free(c->outs);
    mpcsim_free(c->order);
    mpcsim_free(c->start);
    mpcsim_free(c->n_inter);
    mpcsim_free(c->mix);
    mpcsim_free(c);
}

/* see mpc.h */
int
mpc_circuit_error(const struct mpc_circuit *c)
{
    return c->err;
}

/* see mpc.h */
enum mpc_field_kind
mpc_circuit_field(const struct mpc_circuit *c)
{
    return c->field;
}

static int
mpc__level(const struct mpc_circuit *c, int w)
{
    return w >= 0 ? c->g[w].level : 0;
}

static int
mpc__pub(const struct mpc_circuit *c, int w)
{
    return w < 0 || c->g[w].pub;
}

/* Append a gate; returns its wire, or 0 after an error. */
static int
mpc__push(struct mpc_circuit *c, const struct mpc_gate *g)
{
    struct mpc_gate *ng;
    int lx = mpc__level(c, g->x), ly = mpc__level(c, g->y);

    if (c->err != 0) {
        return 0;
    }
    if (c->n == c->cap) {
        size_t cap = c->cap == 0 ? 256 : 2 * c->cap;

        if (cap > (size_t)INT32_MAX || (ng = mpcsim_reallocarray(c->g, cap, sizeof(*ng))) == NULL) {
            c->err = MPCSIM_ENOMEM;
            return 0;
        }
        c->g = ng;
        c->cap = cap;
    }
    ng = &c->g[c->n];
    *ng = *g;
    ng->level = lx > ly ? lx : ly;
    if (g->op == MPC_OP_MUL || g->op == MPC_OP_OPEN) {
        ng->level++;
    }
    c->scheduled = 0;
    return (int)c->n++;
}

/* see mpc.h */
int
mpc_const(struct mpc_circuit *c, int64_t k)
{
    struct mpc_gate g = {.op = MPC_OP_LIN, .pub = 1, .x = -1, .y = -1};

    g.k = mpc_ffrom_i64(c->field, k);
    return mpc__push(c, &g);
}

/* see mpc.h */
int
mpc_input(struct mpc_circuit *c, int owner, size_t k)
{
    struct mpc_gate g = {.op = MPC_OP_INPUT, .x = -1, .y = -1, .arg = (uint16_t)owner};

    g.k = k;
    return mpc__push(c, &g);
}

static int
mpc__lin(struct mpc_circuit *c, mpcsim_u128 a, int x, mpcsim_u128 b, int y, mpcsim_u128 k)
{
    struct mpc_gate g = {.op = MPC_OP_LIN, .x = x, .y = y, .a = a, .b = b, .k = k};

    if (y >= 0 && x < 0) {
        g.x = y;
        g.a = b;
        g.y = -1;
        g.b = 0;
    }
    g.pub = (uint8_t)(mpc__pub(c, g.x) && mpc__pub(c, g.y));
    return mpc__push(c, &g);
}

/* see mpc.h */
int
mpc_lin(struct mpc_circuit *c, int64_t a, int x, int64_t b, int y, int64_t k)
{
    enum mpc_field_kind f = c->field;

    return mpc__lin(c, mpc_ffrom_i64(f, a), x, mpc_ffrom_i64(f, b), y, mpc_ffrom_i64(f, k));
}

/* see mpc.h */
int
mpc_lin_f(struct mpc_circuit *c, mpcsim_u128 a, int x, mpcsim_u128 b, int y, mpcsim_u128 k)
{
    return mpc__lin(c, a, x, b, y, k);
}

/* see mpc.h */
int
mpc_add(struct mpc_circuit *c, int x, int y)
{
    return mpc_lin(c, 1, x, 1, y, 0);
}

/* see mpc.h */
int
mpc_sub(struct mpc_circuit *c, int x, int y)
{
    return mpc_lin(c, 1, x, -1, y, 0);
}

/* see mpc.h */
int
mpc_mul(struct mpc_circuit *c, int x, int y)
{
    struct mpc_gate g = {.op = MPC_OP_MUL, .x = x, .y = y};

    if (mpc__pub(c, x) && mpc__pub(c, y)) {
        g.op = MPC_OP_MULP;
        g.pub = 1;
    } else if (mpc__pub(c, x) || mpc__pub(c, y)) {
        g.op = MPC_OP_MULP;
        if (mpc__pub(c, x)) {
            g.x = y;
            g.y = x;
        }
    }
    return mpc__push(c, &g);
}

/* see mpc.h */
int
mpc_sel(struct mpc_circuit *c, int b, int x, int y)
{
    return mpc_add(c, y, mpc_mul(c, b, mpc_sub(c, x, y)));
}

/* see mpc.h */
int
mpc_div_pow2(struct mpc_circuit *c, int x, unsigned k)
{
    mpcsim_u128 inv = 0;

    if (c->err == 0 && mpc_finv(c->field, &inv, mpc_fpow2(k)) != 0) {
        c->err = MPCSIM_EINVAL;
    }
    return mpc__lin(c, inv, x, 0, -1, 0);
}

/* see mpc.h */
int
mpc_open(struct mpc_circuit *c, int x)
{
    struct mpc_gate g = {.op = MPC_OP_OPEN, .pub = 1, .x = x, .y = -1};

    if (mpc__pub(c, x)) {
        return x;
    }
    return mpc__push(c, &g);
}

/* see mpc.h */
int
mpc_pub_bit(struct mpc_circuit *c, int x, unsigned i)
{
    struct mpc_gate g = {.op = MPC_OP_PBIT, .pub = 1, .x = x, .y = -1, .arg = (uint16_t)i};

    MPCSIM_ASSERT(mpc__pub(c, x) && i < 128);
    return mpc__push(c, &g);
}

/* see mpc.h */
int
mpc_xor_pub(struct mpc_circuit *c, int x, int b)
{
    struct mpc_gate g = {.op = MPC_OP_XORP, .x = x, .y = b};

    MPCSIM_ASSERT(mpc__pub(c, b));
    g.pub = (uint8_t)mpc__pub(c, x);
    return mpc__push(c, &g);
}

/* see mpc.h */
int
mpc_rand_bit(struct mpc_circuit *c)
{
    struct mpc_gate g = {.op = MPC_OP_RBIT, .x = -1, .y = -1};

    return mpc__push(c, &g);
}

/* see mpc.h */
int
mpc_rand_int(struct mpc_circuit *c, unsigned bits)
{
    struct mpc_gate g = {.op = MPC_OP_RINT, .x = -1, .y = -1, .arg = (uint16_t)bits};

    MPCSIM_ASSERT(bits >= 1 && bits <= 120);
    return mpc__push(c, &g);
}

/* see mpc.h */
void
mpc_output(struct mpc_circuit *c, int x)
{
    int32_t *no;

    if (c->err != 0) {
        return;
    }
    MPCSIM_ASSERT(mpc__pub(c, x));
    if (c->n_out == c->cap_out) {
        size_t cap = c->cap_out == 0 ? 8 : 2 * c->cap_out;

        no = mpcsim_reallocarray(c->outs, cap, sizeof(*no));
        if (no == NULL) {
            c->err = MPCSIM_ENOMEM;
            return;
        }
        c->outs = no;
        c->cap_out = cap;
    }
    c->outs[c->n_out++] = x;
}

/* see mpc_int.h */
int
mpc__circuit_schedule(struct mpc_circuit *c)
{
    size_t levels = 1, *fill = NULL;

    if (c->scheduled) {
        return 0;
    }
    if (c->err != 0) {
        return c->err;
    }
    for (size_t i = 0; i < c->n; i++) {
        if ((size_t)c->g[i].level + 1 > levels) {
            levels = (size_t)c->g[i].level + 1;
        }
    }
    mpcsim_free(c->order);
    mpcsim_free(c->start);
    mpcsim_free(c->n_inter);
    c->order = mpcsim_malloc((c->n + 1) * sizeof(*c->order));
    c->start = mpcsim_calloc(levels + 1, sizeof(*c->start));
    c->n_inter = mpcsim_calloc(levels, sizeof(*c->n_inter));
    fill = mpcsim_calloc(levels, sizeof(*fill));
    if (c->order == NULL || c->start == NULL || c->n_inter == NULL || fill == NULL) {
        mpcsim_free(fill);
        return MPCSIM_ENOMEM;
    }
    for (size_t i = 0; i < c->n; i++) {
        const struct mpc_gate *g = &c->g[i];

        c->start[g->level + 1]++;
        if (g->op == MPC_OP_MUL || g->op == MPC_OP_OPEN) {
            c->n_inter[g->level]++;
        }
    }
    for (size_t s = 0; s < levels; s++) {
        c->start[s + 1] += c->start[s];
    }
    for (size_t i = 0; i < c->n; i++) {
        const struct mpc_gate *g = &c->g[i];
        size_t s = (size_t)g->level;

        if (g->op == MPC_OP_MUL || g->op == MPC_OP_OPEN) {
            c->order[c->start[s] + fill[s]++] = (int32_t)i;
        }
    }
    for (size_t s = 0; s < levels; s++) {
        fill[s] = c->n_inter[s];
    }
    for (size_t i = 0; i < c->n; i++) {
        const struct mpc_gate *g = &c->g[i];
        size_t s = (size_t)g->level;

        if (!(g->op == MPC_OP_MUL || g->op == MPC_OP_OPEN)) {
            c->order[c->start[s] + fill[s]++] = (int32_t)i;
        }
    }
    mpcsim_free(fill);
    mpcsim_free(c->mix);
    c->mix = mpcsim_malloc((c->n + 1) * sizeof(*c->mix));
    if (c->mix == NULL) {
        return MPCSIM_ENOMEM;
    }
    c->n_mul = 0;
    for (size_t i = 0; i < c->n; i++) {
        c->mix[i] = c->g[i].op == MPC_OP_MUL ? (int32_t)c->n_mul++ : -1;
    }
    c->levels = levels;
    c->scheduled = 1;
    return 0;
}

/* see mpc.h */
int
mpc_circuit_finish(struct mpc_circuit *c)
{
    return mpc__circuit_schedule(c);
}

/* see mpc.h */
void
mpc_circuit_stats(const struct mpc_circuit *c, struct mpc_circuit_stats *out)
{
    size_t maxlev = 0;

    memset(out, 0, sizeof(*out));
    out->wires = c->n;
    for (size_t i = 0; i < c->n; i++) {
        const struct mpc_gate *g = &c->g[i];

        if ((size_t)g->level > maxlev) {
            maxlev = (size_t)g->level;
        }
        out->opens += g->op == MPC_OP_OPEN;
        out->muls += g->op == MPC_OP_MUL;
        out->bits += g->op == MPC_OP_RBIT;
        out->ints += g->op == MPC_OP_RINT;
    }
    out->rounds = maxlev;
    out->outputs = c->n_out;
}

/* see mpc.h */
int
mpc_rounds(const struct mpc_circuit *c, enum mpc_scheme scheme, int mac)
{
    struct mpc_circuit_stats st;

    mpc_circuit_stats(c, &st);
    return 1 + (int)st.rounds + (scheme == MPC_ADDITIVE && mac ? 2 : 0);
}

/* see mpc.h */
uint64_t
mpc_offline_elements(const struct mpc_circuit *c, enum mpc_scheme scheme, int mac, int n)
{
    struct mpc_circuit_stats st;
    uint64_t per_item = scheme == MPC_ADDITIVE && mac ? 2 : 1;
    uint64_t e;

    mpc_circuit_stats(c, &st);
    /* Input masks (n), bits, integers: one share each; products: a triple
     * (3 shares) or a double sharing (2). */
    e = (uint64_t)n + st.bits + st.ints;
    e += (uint64_t)st.muls * (scheme == MPC_ADDITIVE ? 3u : 2u);
    return e * per_item + (scheme == MPC_ADDITIVE && mac ? 1u : 0u);
}
