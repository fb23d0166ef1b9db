/* SPDX-License-Identifier: MIT */
/*
 * protocols/field/field.c - the two struct field_ops tables, each the
 * same wrappers (field_ops_impl.h) instantiated over one field.
 */
#include "protocols/field/field.h"

#include <string.h>

#define FIELD_INST_M61
#include "protocols/field/field_inst.h"
#include "protocols/field/field_ops_impl.h"
#undef FIELD_INST_M61

#define FIELD_INST_M127
#include "protocols/field/field_inst.h"
#include "protocols/field/field_ops_impl.h"
#undef FIELD_INST_M127

/* see field.h */
const struct field_ops *
field_ops_get(enum field_kind kind)
{
    MPCSIM_ASSERT(kind == FIELD_M61 || kind == FIELD_M127);
    return kind == FIELD_M127 ? &field_ops_m127 : &field_ops_m61;
}

/* see field.h */
int
field_lookup(const char *name)
{
    if (strcmp(name, "m61") == 0) {
        return FIELD_M61;
    }
    if (strcmp(name, "m127") == 0) {
        return FIELD_M127;
    }
    return -1;
}

/* see field.h */
mpcsim_u128
field_half(enum field_kind kind)
{
    return field_ops_get(kind)->half;
}
