/* SPDX-License-Identifier: MIT */
/*
 * sim/cli/regions.h - regions presets: measured round-trip times between
 * named cloud regions, compiled in from CSV files under sim/data/ (see
 * sim/gen_region_table.cmake), for `network.regions.preset`.
 *
 * aws-2017: average RTT in ms between ten AWS regions measured by EC2
 * ping in 2017, as tabulated in "AWS Regions" (acomputerscientistlearnsaws
 * .blogspot.com, April 2017), reproducing "Latency Between AWS Global
 * Regions"; row = from, column = to; the sa-east-1 row is filled from its
 * column (sim/data/aws-inter-region-rtt-2017.csv says so).
 */
#ifndef MPCSIM_SIM_CLI_REGIONS_H
#define MPCSIM_SIM_CLI_REGIONS_H

#include <stddef.h>

struct region_preset {
    const char *name;           /* "aws-2017" */
    size_t n;                   /* regions */
    const char *const *regions; /* n names, in the CSV's order */
    const double *rtt_ms;       /* n x n, row = from, column = to; 0 on the diagonal */
};

/* The presets, and how many there are (static storage; never freed). */
extern const struct region_preset region_presets[];
extern const size_t region_preset_count;

/* The one-way median latency used from region `from` to region `to` of
 * preset `rp`, in ms: RTT / 2, or `intra_ms` when from == to. */
double region_preset_one_way_ms(const struct region_preset *rp, size_t from, size_t to,
                                double intra_ms);

#endif /* MPCSIM_SIM_CLI_REGIONS_H */
