/* SPDX-License-Identifier: MIT */
/*
 * protocols/round.h - the round bookkeeping every engine adapter repeats,
 * once: a party's phase and its timer, abort with the round's reason,
 * teardown, broadcasting a type byte plus field elements, and the "all
 * awaited parties heard, or the timer fired" test (issue 19).
 *
 * A party of an adapter is a state machine over phases, each one round of
 * messages.  Entering a phase arms a timer of id = the phase number after
 * the scenario's round timeout; a timer whose id is not the current phase
 * (the party moved on, or is over) is stale and ignored.  A party is over
 * once its phase is the adapter's "over" value (set by round_abort, or by
 * the adapter when it outputs); handlers then ignore everything.  The
 * phase variable stays a field of the adapter's state (its state machine
 * reads it everywhere): struct round borrows a pointer to it.
 *
 * Who heard whom: struct round_heard is a set of parties (a bitmap) with
 * its count, one per message type (or per round).  A phase ends when the
 * count reaches what it awaits (round_heard_complete) or when its timer
 * fires; round_heard_silent names a party the phase still waits for (the
 * abort reason of an n-of-n protocol).
 *
 * Used by protocols/additive (fully), protocols/mpc/adapter.c (phase,
 * timer and abort: its parties count messages in mpc/party.c) and
 * protocols/shamir (teardown, abort, enter, the timer test).
 *
 * How a computation is added (the integrator's note): a computation that
 * is linear plus products, comparisons or openings is a circuit builder
 * over protocols/mpc/mpc.h (mpc_input, mpc_lin, mpc_mul, mpc_open,
 * mpc_rand_bit, ...; see mpc_build_compute in protocols/mpc/compare.c),
 * with its plaintext answer in protocols/computation.c and its scenario
 * keys in sim/cli; it then runs on additive (with or without MACs) and
 * Shamir through protocols/mpc/adapter.c, which drives mpc_party_* round
 * by round with this module.  Only a new *protocol* (a scheme with its own
 * messages) writes an adapter: it embeds a struct round (and a
 * struct round_heard per message type), enters each phase with
 * round_enter, tests its timer with round_timer_current, aborts with
 * round_abort, sends type + elements with round_broadcast and frees its
 * state with round_teardown.
 */
#ifndef MPCSIM_PROTOCOLS_ROUND_H
#define MPCSIM_PROTOCOLS_ROUND_H

#include <stddef.h>
#include <stdint.h>

#include "common/mpcsim.h" /* MPCSIM_NODISCARD, MPCSIM_PRINTF, MPCSIM_E* */
#include "protocols/field/field.h"
#include "sim/sim.h"

/* Per-party round state: embed in the adapter's party state. */
struct round {
    int *phase;         /* the adapter's phase variable (borrowed; lives as long as the state) */
    int over;           /* the phase value meaning the party is done (output or abort) */
    int64_t timeout_ns; /* how long each phase waits for its messages */
};

/* Bind r to the adapter's phase variable and set it to `first` (no
 * timer: the adapter arms it with round_enter when it starts). */
void round_init(struct round *r, int *phase, int first, int over, int64_t timeout_ns);

/*
 * Enter phase `next` (!= over) and arm its timer: on_timer(p, next) after
 * the round timeout.  0, or MPCSIM_ENOMEM (sim_set_timer).
 */
MPCSIM_NODISCARD int round_enter(const struct round *r, struct sim_party *p, int next);

/* The party is done (it output): later messages and timers are ignored. */
void round_finish(const struct round *r);

/* Whether the party is done. */
int round_over(const struct round *r);

/*
 * Give up: the phase becomes `over` and sim_abort(p, reason), the reason
 * formatted as printf (at most 255 bytes; longer is cut).  Callers name
 * the protocol in it ("additive: party 3 silent in round 2 (n-of-n)").
 */
void round_abort(const struct round *r, struct sim_party *p, const char *fmt, ...)
    MPCSIM_PRINTF(3, 4);

/* Whether timer `id` belongs to the current phase (not stale, not over). */
int round_timer_current(const struct round *r, uint64_t id);

/*
 * Broadcast type || count elements of field f (f->encode: f->wire_bytes
 * each, little-endian) as a message of protocol round `round`.  elems
 * holds count elements of f->elem_size bytes (borrowed).  0 or
 * MPCSIM_ENOMEM.
 */
MPCSIM_NODISCARD int round_broadcast(struct sim_party *p, int round, uint8_t type,
                                     const struct field_ops *f, const void *elems, size_t count);

/* A function that frees an adapter's party state (NULL-safe). */
typedef void round_free_fn(void *state);

/* The adapter's teardown: free_state(the party's state), then clear it. */
void round_teardown(struct sim_party *p, round_free_fn *free_state);

/* ------------------------------------------------------------------ */

/*
 * The parties heard from in one phase (a set of 0 .. n-1, and its size).
 * Either its own (n + 63) / 64 words (step 0), or one party's column of an
 * n x n bit matrix that the trial owns, with a row per sender: party j's
 * bit is bit `shift` of bits[j * step].  In the column layout a wave of
 * deliveries sent sender by sender reads consecutive words, where own
 * words put every receiver's on its own cache line (round_heard_init_column).
 */
struct round_heard {
    uint64_t *bits; /* owned words (step 0), or the column's word in row 0 */
    size_t count;
    size_t step; /* words per matrix row (column layout), or 0 */
    unsigned shift;
    int n;
};

/* An empty set over n >= 1 parties.  0 or MPCSIM_ENOMEM (h left empty). */
MPCSIM_NODISCARD int round_heard_init(struct round_heard *h, int n);
/* How many words, zeroed, hold the sets of n parties as columns. */
size_t round_heard_matrix_words(int n);
/* Party `self`'s empty set over n >= 1 parties in `matrix` (borrowed:
 * round_heard_clear leaves it alone; its column must be zero). */
void round_heard_init_column(struct round_heard *h, int n, uint64_t *matrix, int self);
/* Free its words (NULL-safe; h may be zeroed or initialised). */
void round_heard_clear(struct round_heard *h);
/* Whether party j (0 <= j < n) was heard. */
int round_heard_has(const struct round_heard *h, int j);
/* Record party j (0 <= j < n): 1 if new, 0 if heard before (a repeat). */
int round_heard_add(struct round_heard *h, int j);
/* Whether at least `awaited` parties were heard: the phase may end. */
int round_heard_complete(const struct round_heard *h, size_t awaited);
/* The first party j < lim, j != self, not heard (the one a phase ended
 * by its timer waited for), or -1. */
int round_heard_silent(const struct round_heard *h, int lim, int self);

#endif /* MPCSIM_PROTOCOLS_ROUND_H */
