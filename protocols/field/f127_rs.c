/* SPDX-License-Identifier: MIT */
/*
 * protocols/field/f127_rs.c - see f127_rs.h: rs_impl.h over
 * GF(2^127 - 1) (the decoder of rs.c, instantiated for this field).
 */
#include "protocols/field/f127_rs.h"

#define FIELD_INST_M127
#include "protocols/field/field_inst.h"

#include "protocols/field/rs_impl.h"
