/* SPDX-License-Identifier: MIT */
/*
 * sim/cli/regions.c - the regions presets (the tables are generated from
 * the CSV files under sim/data/ at build time: region_tables.inc).
 */
#include "sim/cli/regions.h"

#include "region_tables.inc"

const struct region_preset region_presets[] = {
    {"aws-2017", aws_2017_count, aws_2017_names, aws_2017_rtt_ms},
};
const size_t region_preset_count = sizeof(region_presets) / sizeof(region_presets[0]);

/* see regions.h */
double
region_preset_one_way_ms(const struct region_preset *rp, size_t from, size_t to, double intra_ms)
{
    return from == to ? intra_ms : rp->rtt_ms[from * rp->n + to] / 2.0;
}
