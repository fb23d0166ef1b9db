/* SPDX-License-Identifier: MIT */
/* protocols/field/fp.c - placeholder until the field core lands. */
#include "common/mpcsim.h"

int mpcsim__field_placeholder(void);

int
mpcsim__field_placeholder(void)
{
    return 0;
}
