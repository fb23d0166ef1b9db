/* SPDX-License-Identifier: MIT */
/*
 * protocols/field/poly.c - see poly.h: poly_impl.h over GF(2^61 - 1).
 */
#include "protocols/field/poly.h"

#define FIELD_INST_M61
#include "protocols/field/field_inst.h"

#include "protocols/field/poly_impl.h"
