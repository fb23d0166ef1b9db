/* SPDX-License-Identifier: MIT */
/*
 * protocols/additive/adapter_m61.c - the additive engine protocol over
 * GF(2^61 - 1): adapter_impl.h instantiated for this field.
 */
#define FIELD_INST_M61
#include "protocols/field/field_inst.h"

#include "protocols/additive/adapter_impl.h"
#include "protocols/additive/adapter_int.h"
