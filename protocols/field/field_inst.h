/* SPDX-License-Identifier: MIT */
/*
 * protocols/field/field_inst.h - compile-time field selection: one
 * implementation instantiated per field (see field.h, way 2).
 *
 * Define exactly one of FIELD_INST_M61 / FIELD_INST_M127, then include
 * this header (it may be included again after switching the macro; it
 * redefines everything).  It maps:
 *   FE                     the element type (uint64_t / mpcsim_u128)
 *   FE_KIND, FE_NAME       FIELD_M61 / FIELD_M127, "m61" / "m127"
 *   FE_P, FE_HALF, FE_BYTES  modulus, (p - 1) / 2, wire bytes per element
 *   FE_SYM(x)              x_m61 / x_m127: names for instantiated symbols
 *   FE_add .. FE_rs_decode the fp.h / fp_vec.h / fp_stream.h / poly.h /
 *                          rs.h function (m61) or its f127 counterpart
 *                          (m127), same arguments with FE for uint64_t
 * Nothing here costs anything at run time: each name is a macro.
 */
#include "protocols/field/f127.h"
#include "protocols/field/f127_poly.h"
#include "protocols/field/f127_rs.h"
#include "protocols/field/f127_stream.h"
#include "protocols/field/f127_vec.h"
#include "protocols/field/field.h"
#include "protocols/field/fp.h"
#include "protocols/field/fp_stream.h"
#include "protocols/field/fp_vec.h"
#include "protocols/field/poly.h"
#include "protocols/field/rs.h"

#undef FE
#undef FE_KIND
#undef FE_NAME
#undef FE_P
#undef FE_HALF
#undef FE_BYTES
#undef FE_SYM
#undef FE_SYM_
#undef FE_add
#undef FE_sub
#undef FE_neg
#undef FE_mul
#undef FE_inv
#undef FE_from_int128
#undef FE_to_int128
#undef FE_encode
#undef FE_decode
#undef FE_vec_encode
#undef FE_vec_decode
#undef FE_vec_add
#undef FE_vec_sub
#undef FE_vec_scale
#undef FE_vec_mul
#undef FE_vec_dot
#undef FE_vec_batch_inv
#undef FE_vec_ops
#undef FE_vec_ops_best
#undef FE_stream_next
#undef FE_stream_fill
#undef FE_poly_eval
#undef FE_poly_eval_many
#undef FE_poly_interpolate
#undef FE_poly_lagrange0
#undef FE_poly_lagrange0_create
#undef FE_poly_lagrange0_destroy
#undef FE_poly_lagrange0_apply
#undef FE_poly_lagrange0_count
#undef FE_poly_lagrange0_coeffs
#undef FE_poly_powers
#undef FE_poly_powers_create
#undef FE_poly_powers_destroy
#undef FE_poly_powers_eval
#undef FE_rs_max_errors
#undef FE_rs_decode

#if defined(FIELD_INST_M61) && !defined(FIELD_INST_M127)
#define FE uint64_t
#define FE_KIND FIELD_M61
#define FE_NAME "m61"
#define FE_P FP_P
#define FE_HALF FP_HALF
#define FE_BYTES FP_BYTES
#define FE_SYM_(x, s) x##s
#define FE_SYM(x) FE_SYM_(x, _m61)
#define FE_add fp_add
#define FE_sub fp_sub
#define FE_neg fp_neg
#define FE_mul fp_mul
#define FE_inv fp_inv
#define FE_from_int128 fp_from_int128
#define FE_to_int128 fp_to_int64
#define FE_encode fp_encode
#define FE_decode fp_decode
#define FE_vec_encode fp_vec_encode
#define FE_vec_decode fp_vec_decode
#define FE_vec_add fp_vec_add
#define FE_vec_sub fp_vec_sub
#define FE_vec_scale fp_vec_scale
#define FE_vec_mul fp_vec_mul
#define FE_vec_dot fp_vec_dot
#define FE_vec_batch_inv fp_vec_batch_inv
#define FE_vec_ops fp_vec_ops
#define FE_vec_ops_best fp_vec_ops_best
#define FE_stream_next fp_stream_next
#define FE_stream_fill fp_stream_fill
#define FE_poly_eval poly_eval
#define FE_poly_eval_many poly_eval_many
#define FE_poly_interpolate poly_interpolate
#define FE_poly_lagrange0 poly_lagrange0
#define FE_poly_lagrange0_create poly_lagrange0_create
#define FE_poly_lagrange0_destroy poly_lagrange0_destroy
#define FE_poly_lagrange0_apply poly_lagrange0_apply
#define FE_poly_lagrange0_count poly_lagrange0_count
#define FE_poly_lagrange0_coeffs poly_lagrange0_coeffs
#define FE_poly_powers poly_powers
#define FE_poly_powers_create poly_powers_create
#define FE_poly_powers_destroy poly_powers_destroy
#define FE_poly_powers_eval poly_powers_eval
#define FE_rs_max_errors rs_max_errors
#define FE_rs_decode rs_decode
#elif defined(FIELD_INST_M127) && !defined(FIELD_INST_M61)
#define FE mpcsim_u128
#define FE_KIND FIELD_M127
#define FE_NAME "m127"
#define FE_P F127_P
#define FE_HALF F127_HALF
#define FE_BYTES F127_BYTES
#define FE_SYM_(x, s) x##s
#define FE_SYM(x) FE_SYM_(x, _m127)
#define FE_add f127_add
#define FE_sub f127_sub
#define FE_neg f127_neg
#define FE_mul f127_mul
#define FE_inv f127_inv
#define FE_from_int128 f127_from_int128
#define FE_to_int128 f127_to_int128
#define FE_encode f127_encode
#define FE_decode f127_decode
#define FE_vec_encode f127_vec_encode
#define FE_vec_decode f127_vec_decode
#define FE_vec_add f127_vec_add
#define FE_vec_sub f127_vec_sub
#define FE_vec_scale f127_vec_scale
#define FE_vec_mul f127_vec_mul
#define FE_vec_dot f127_vec_dot
#define FE_vec_batch_inv f127_vec_batch_inv
#define FE_vec_ops f127_vec_ops
#define FE_vec_ops_best f127_vec_ops_best
#define FE_stream_next f127_stream_next
#define FE_stream_fill f127_stream_fill
#define FE_poly_eval f127_poly_eval
#define FE_poly_eval_many f127_poly_eval_many
#define FE_poly_interpolate f127_poly_interpolate
#define FE_poly_lagrange0 f127_poly_lagrange0
#define FE_poly_lagrange0_create f127_poly_lagrange0_create
#define FE_poly_lagrange0_destroy f127_poly_lagrange0_destroy
#define FE_poly_lagrange0_apply f127_poly_lagrange0_apply
#define FE_poly_lagrange0_count f127_poly_lagrange0_count
#define FE_poly_lagrange0_coeffs f127_poly_lagrange0_coeffs
#define FE_poly_powers f127_poly_powers
#define FE_poly_powers_create f127_poly_powers_create
#define FE_poly_powers_destroy f127_poly_powers_destroy
#define FE_poly_powers_eval f127_poly_powers_eval
#define FE_rs_max_errors f127_rs_max_errors
#define FE_rs_decode f127_rs_decode
#else
#error "define exactly one of FIELD_INST_M61, FIELD_INST_M127 before including field_inst.h"
#endif
