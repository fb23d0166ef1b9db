/* SPDX-License-Identifier: MIT */
/*
 * sim/cli/check.h - `mpcsim check`: a scenario regression guard for CI
 * (issue 20, item 5).
 *
 * A simulated trial is deterministic, so a scenario's rows can be
 * compared exactly with committed ones.  `check` runs each scenario as
 * `mpcsim sweep --csv` does (every sweep point and trial) and compares
 * every trial's columns with the baseline DIR/STEM.csv (STEM = the
 * scenario's file name without .yaml/.yml).
 *
 * Baseline file: one comment line
 *   # mpcsim-check baseline: mpcsim_version=V model_version=M scenario=STEM
 * then exactly what `mpcsim sweep S --csv` writes (header + one row per
 * trial).  `--update` writes it atomically (sim/cli/outfile.h).
 *
 * Comparison: rows are matched by their sweep.* values and `trial`;
 * `wall_ms` and `events` are ignored; every other column must be
 * byte-identical (exact: counts, simulated times, status, outputs),
 * except numeric columns given a relative tolerance with --tolerance
 * COL=PCT.  An empty (absent) value differs from every value, 0 too.
 * Missing or extra trials and columns are differences.  A
 * `wrong_output` trial always fails, even when the baseline has it.
 *
 * Exit: 0 no differences, 1 a difference or a wrong_output trial, 2 bad
 * input (unreadable scenario or baseline, bad option, clashing paths).
 */
#ifndef MPCSIM_SIM_CLI_CHECK_H
#define MPCSIM_SIM_CLI_CHECK_H

/*
 * The version of the result semantics recorded in every baseline.  Bump
 * it (here, only here) when a change to the engine, a protocol adapter
 * or the runner legitimately changes result rows, so `mpcsim check`
 * says "the model changed" before the differences it finds.
 */
/* 1: the first baselines.  2: the network model of issues 16/17 (tcp
 * slow start, 6 MiB receive window, per-transmission loss, faults on
 * bytes in flight, RTT = forward + return) and exact 128-bit outputs.
 * 3: Shamir's view agreement after a crash mid-broadcast (issue 16),
 * secagg's tagged client sets (one byte more per set message), m127
 * products priced at field_mul_m127, abort rows without an output.
 * 4: normal and lognormal latencies (and jitter) drawn with GSL's
 * ziggurat instead of its polar method (issue 21): same distributions,
 * other draws. */
#define MPCSIM_MODEL_VERSION 4

/* `mpcsim check ARGS`; argv[0] is "check".  Returns the exit code above. */
int cli_check(int argc, char **argv);

#endif /* MPCSIM_SIM_CLI_CHECK_H */
