/* SPDX-License-Identifier: MIT */
/*
 * protocols/field/field_ops_impl.h - the struct field_ops of the field
 * selected by field_inst.h; included by field.c once per field.
 */
static void
FE_SYM(fo_vec_add)(void *out, const void *a, const void *b, size_t n)
{
    FE_vec_add(out, a, b, n);
}

static void
FE_SYM(fo_vec_sub)(void *out, const void *a, const void *b, size_t n)
{
    FE_vec_sub(out, a, b, n);
}

static void
FE_SYM(fo_vec_scale)(void *out, const void *a, const void *s, size_t n)
{
    FE_vec_scale(out, a, *(const FE *)s, n);
}

static void
FE_SYM(fo_vec_mul)(void *out, const void *a, const void *b, size_t n)
{
    FE_vec_mul(out, a, b, n);
}

static void
FE_SYM(fo_vec_dot)(void *out, const void *a, const void *b, size_t n)
{
    *(FE *)out = FE_vec_dot(a, b, n);
}

static int
FE_SYM(fo_inv)(void *out, const void *a)
{
    return FE_inv(out, *(const FE *)a);
}

static int
FE_SYM(fo_from_int128)(void *out, mpcsim_i128 x)
{
    return FE_from_int128(out, x);
}

static mpcsim_i128
FE_SYM(fo_to_int128)(const void *a)
{
    return FE_to_int128(*(const FE *)a);
}

static void
FE_SYM(fo_encode)(uint8_t *out, const void *a, size_t n)
{
    FE_vec_encode(out, a, n);
}

static int
FE_SYM(fo_decode)(void *out, size_t *bad_index, const uint8_t *in, size_t n)
{
    return FE_vec_decode(out, bad_index, in, n);
}

static void
FE_SYM(fo_random)(struct fp_stream *s, void *out, size_t n)
{
    FE_stream_fill(s, out, n);
}

static void
FE_SYM(fo_poly_eval)(void *out, const void *c, size_t len, const void *x)
{
    *(FE *)out = FE_poly_eval(c, len, *(const FE *)x);
}

static int
FE_SYM(fo_poly_interpolate)(void *coeffs, const void *xs, const void *ys, size_t m)
{
    return FE_poly_interpolate(coeffs, xs, ys, m);
}

static int
FE_SYM(fo_rs_decode)(void *coeffs, size_t *bad, size_t *nbad, const void *xs, const void *ys,
                     size_t m, size_t t)
{
    return FE_rs_decode(coeffs, bad, nbad, xs, ys, m, t);
}

static const struct field_ops FE_SYM(field_ops) = {
    .kind = FE_KIND,
    .name = FE_NAME,
    .elem_size = sizeof(FE),
    .wire_bytes = FE_BYTES,
    .half = FE_HALF,
    .bits = FE_KIND == FIELD_M61 ? 61 : 127,
    .vec_add = FE_SYM(fo_vec_add),
    .vec_sub = FE_SYM(fo_vec_sub),
    .vec_scale = FE_SYM(fo_vec_scale),
    .vec_mul = FE_SYM(fo_vec_mul),
    .vec_dot = FE_SYM(fo_vec_dot),
    .inv = FE_SYM(fo_inv),
    .from_int128 = FE_SYM(fo_from_int128),
    .to_int128 = FE_SYM(fo_to_int128),
    .encode = FE_SYM(fo_encode),
    .decode = FE_SYM(fo_decode),
    .random = FE_SYM(fo_random),
    .poly_eval = FE_SYM(fo_poly_eval),
    .poly_interpolate = FE_SYM(fo_poly_interpolate),
    .rs_decode = FE_SYM(fo_rs_decode),
};
