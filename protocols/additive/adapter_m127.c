/* SPDX-License-Identifier: MIT */
/*
 * protocols/additive/adapter_m127.c - the additive engine protocol over
 * GF(2^127 - 1): adapter_impl.h instantiated for this field.
 */
#define FIELD_INST_M127
#include "protocols/field/field_inst.h"

#include "protocols/additive/adapter_impl.h"
#include "protocols/additive/adapter_int.h"
