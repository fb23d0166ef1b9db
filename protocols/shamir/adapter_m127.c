/* SPDX-License-Identifier: MIT */
/*
 * protocols/shamir/adapter_m127.c - the Shamir engine protocol over
 * GF(2^127 - 1): adapter_impl.h instantiated for this field.
 */
#define FIELD_INST_M127
#include "protocols/field/field_inst.h"

#include "protocols/shamir/adapter_impl.h"
#include "protocols/shamir/adapter_int.h"
