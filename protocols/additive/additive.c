/* SPDX-License-Identifier: MIT */
/*
 * protocols/additive/additive.c - see additive.h.
 *
 * Everything here is a linear pass over the data; the only cost worth
 * noting is sampling (one ChaCha20 element per share, ~3.5 ns), which
 * dominates additive_share for small len.
 */
#include "protocols/additive/additive.h"

#include <string.h>

#include <sodium.h>

#define FIELD_INST_M61
#include "protocols/field/field_inst.h"
#define AD_FN(x) x
#define AD_TRIPLE additive_triple
#include "protocols/additive/additive_impl.h"
#undef AD_FN
#undef AD_TRIPLE
#undef FIELD_INST_M61

#define FIELD_INST_M127
#include "protocols/field/field_inst.h"
#define AD_FN(x) x##_m127
#define AD_TRIPLE additive_triple_m127
#include "protocols/additive/additive_impl.h"
#undef AD_FN
#undef AD_TRIPLE
#undef FIELD_INST_M127
