/* SPDX-License-Identifier: MIT */
/*
 * sim/cli/trace.h - one trial's timeline as a Chrome Trace Event Format
 * file (the JSON Object Format that Perfetto UI and chrome://tracing
 * load; spec: "Trace Event Format", Google, docs.google.com/document/d/
 * 1CvAClvFfyA5R-PhYUmn5OOQtYMH4h6I0nSsKchNAySU).  Issue 20, item 2.
 *
 * Layout: party i is process pid i+1 ("P<i>", with its role, behaviour
 * and crash or dropout), with four threads: tid 1 "cpu" (one complete
 * slice per handler, duration = its modelled compute; output, abort,
 * accusation and crash/dropout as instant events), tid 2 "messages"
 * (a 1 ns slice at every simulated ns at which the party sends or
 * handles messages, the flows' anchors, plus an instant per message the
 * network lost), tid 3 "uplink" and tid 4 "downlink" (busy intervals,
 * when bandwidth is limited).  Each message that reached its receiver is
 * one flow (ph "s" on the sender's messages slice, ph "f" with bp "e" on
 * the receiver's, at the time its handler started, or at the time it
 * reached a crashed receiver), with from, to, round and bytes as args;
 * so a trial without losses has exactly `messages` flows.  Messages lost
 * by the network, or still in flight when the trial stopped, have no flow.
 *
 * Time: "ts"/"dur" are simulated microseconds written exactly from the
 * integer nanoseconds ("1234.567"), never through a double.  Events are
 * written in (pid, tid, ts, slice-before-other, engine order) order, so
 * time never decreases along a track and the same trial gives the same
 * bytes (pointer values key the send/delivery matching only, never the
 * output).
 */
#ifndef MPCSIM_SIM_CLI_TRACE_H
#define MPCSIM_SIM_CLI_TRACE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/mpcsim.h"
#include "sim/sim.h"

#define CLI_TRACE_DEFAULT_MAX_EVENTS 1000000u

struct cli_trace; /* opaque */

/*
 * A collector for one trial of n parties that refuses (cli_trace_write
 * returns MPCSIM_ELIMIT) a trace of more than `max_events` JSON events;
 * it stops storing records once that is certain.  *out owns it (free
 * with cli_trace_destroy).  0 or MPCSIM_ENOMEM.
 */
MPCSIM_NODISCARD int cli_trace_create(struct cli_trace **out, uint64_t max_events);
void cli_trace_destroy(struct cli_trace *t);

/* The engine sink (sim_trace_set(sim, cli_trace_sink, t)). */
void cli_trace_sink(void *ctx, const struct sim_trace_record *rec);

/*
 * After the trial: n parties, party i's process name (labels[i], copied,
 * e.g. "P3 client, dropout") and the name of its crash instant (down[i]:
 * "crash", "dropout"; "" or NULL = "crash"); and the trial's description
 * for the file's "otherData" (copied).  0 or MPCSIM_ENOMEM.
 */
MPCSIM_NODISCARD int cli_trace_set_parties(struct cli_trace *t, int n, const char *const *labels,
                                           const char *const *down);
MPCSIM_NODISCARD int cli_trace_set_info(struct cli_trace *t, const char *scenario, int trial,
                                        uint64_t seed, const char *status);

struct scenario; /* sim/cli/scenario.h */

/*
 * cli_trace_set_parties and cli_trace_set_info from a finished trial:
 * labels "P<i>" + role (server/client when `server`) + behaviour when
 * corrupted + "crash"/"dropout" (a party listed in faults.crash crashed,
 * any other that went down dropped out).  0 or MPCSIM_ENOMEM.
 */
MPCSIM_NODISCARD int cli_trace_finish(struct cli_trace *t, const struct sim *sim,
                                      const struct scenario *sc, int server, int trial,
                                      uint64_t seed, const char *status);

/* How many JSON events the trace holds (or, past the limit, at least holds). */
uint64_t cli_trace_events(const struct cli_trace *t);

/*
 * Write the trace to `f`.  Returns 0, MPCSIM_ELIMIT (more than max_events
 * events: nothing written), MPCSIM_ENOMEM, or MPCSIM_EINVAL when no trial
 * was recorded (cli_trace_set_parties not called).
 */
MPCSIM_NODISCARD int cli_trace_write(struct cli_trace *t, FILE *f);

/* The collector the runner attaches to every trial it runs (NULL: none).
 * Process-wide; `run --trace` runs exactly one trial. */
void cli_trace_set_current(struct cli_trace *t);
struct cli_trace *cli_trace_current(void);

#endif /* MPCSIM_SIM_CLI_TRACE_H */
