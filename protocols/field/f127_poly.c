/* SPDX-License-Identifier: MIT */
/*
 * protocols/field/f127_poly.c - see f127_poly.h: poly_impl.h over
 * GF(2^127 - 1) (poly.c's algorithms, instantiated for this field).
 */
#include "protocols/field/f127_poly.h"

#define FIELD_INST_M127
#include "protocols/field/field_inst.h"

#include "protocols/field/poly_impl.h"
