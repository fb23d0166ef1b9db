/* SPDX-License-Identifier: MIT */
/*
 * protocols/field/rs.c - see rs.h: rs_impl.h over GF(2^61 - 1).
 */
#include "protocols/field/rs.h"

#define FIELD_INST_M61
#include "protocols/field/field_inst.h"

#include "protocols/field/rs_impl.h"
