/* SPDX-License-Identifier: MIT */
/*
 * sim/cli/ytree.h - a YAML document as a small tree that remembers where
 * every node came from (file, line, column), built from libyaml's events.
 *
 * Scenarios need plain data only, so the tree refuses what makes YAML
 * dangerous to load: aliases (the "billion laughs" bomb is rejected at the
 * first `*alias`, never expanded), nesting deeper than YTREE_MAX_DEPTH,
 * files larger than YTREE_MAX_BYTES, more than one document, and duplicate
 * keys.  Mappings keep their keys in file order.
 */
#ifndef MPCSIM_SIM_CLI_YTREE_H
#define MPCSIM_SIM_CLI_YTREE_H

#include <stddef.h>
#include <stdint.h>

#include "common/mpcsim.h"
#include "sim/cli/diag.h"

#define YTREE_MAX_BYTES (1024 * 1024)
#define YTREE_MAX_DEPTH 32
#define YTREE_MAX_NODES 200000

enum ynode_kind { YNODE_SCALAR = 0, YNODE_SEQ, YNODE_MAP };

struct ynode {
    enum ynode_kind kind;
    const char *file; /* borrowed: must outlive the node (see ytree_load_*) */
    size_t line, col; /* 1-based */
    char *value;      /* scalar text, NUL-terminated */
    int quoted;       /* scalar was quoted ('..' or "..") */
    /* seq: items; map: items[2i] is key i (a scalar), items[2i+1] its value */
    struct ynode **items;
    size_t n_items;
};

/*
 * Parse `path` (named `display` in messages; both borrowed, and `display`
 * must outlive the tree).  `path` must be a regular file (a FIFO, terminal,
 * directory or device is refused without blocking: MPCSIM_EIO).  On success stores the root in *out
 * and returns 0; an empty document gives a NULL root.  Errors go to `d` and return MPCSIM_EPARSE
 * (bad YAML or a refused construct), MPCSIM_EIO (unreadable) or MPCSIM_ENOMEM.
 */
MPCSIM_NODISCARD int ytree_load_file(struct ynode **out, const char *path, const char *display,
                                     struct diag *d);
/*
 * ytree_load_file for a file the scenario names (a cost_model): its
 * messages never quote the file's text (keys, anchors, tags), so a path
 * to a secrets file cannot print them.
 */
MPCSIM_NODISCARD int ytree_load_foreign(struct ynode **out, const char *path, const char *display,
                                        struct diag *d);
/* Same from memory; `name` is used in messages and must outlive the tree. */
MPCSIM_NODISCARD int ytree_load_string(struct ynode **out, const char *text, size_t len,
                                       const char *name, struct diag *d);

void ynode_free(struct ynode *node);
/* A deep copy, or NULL on allocation failure. */
struct ynode *ynode_clone(const struct ynode *node);
/* A deep copy of `map` without the entry `key` (NULL on allocation failure). */
struct ynode *ynode_clone_without(const struct ynode *map, const char *key);
/* Append `item` to sequence `seq` (ownership moves, also on failure).  0 or MPCSIM_ENOMEM. */
MPCSIM_NODISCARD int ynode_seq_append(struct ynode *seq, struct ynode *item);
/* Number of entries of a map / items of a sequence. */
size_t ynode_len(const struct ynode *node);
/* The value for `key` in a map, or NULL. */
struct ynode *ynode_map_get(const struct ynode *map, const char *key);
/*
 * Replace (or add) map[key] with `value` (ownership moves to the map,
 * also on failure, where it is freed).  0 or MPCSIM_ENOMEM.
 */
MPCSIM_NODISCARD int ynode_map_set(struct ynode *map, const char *key, struct ynode *value);
/* A new empty map / scalar at the given origin, or NULL. */
struct ynode *ynode_new(enum ynode_kind kind, const char *file, size_t line, size_t col,
                        const char *value);

/*
 * An exact number read from a plain scalar's own text (never through
 * strtod): value = (-1)^negative * mag * 10^exp10.  Forms: decimal
 * ("-12", "1.5", "1.0000000000000001e17"), hexadecimal "0x1F" and octal
 * "0o17" integers (exp10 0), each with an optional sign.  Refused: quoted
 * scalars, tags, a leading zero ("010": YAML 1.1 reads it as octal, 1.2 as
 * decimal), "_" separators, inf/nan, hex floats, and more than 38
 * significant digits (mag < 10^38 < 2^127, so a 128-bit value fits).
 * Trailing fraction zeros are removed: "2.50" is mag 25, exp10 -1.
 */
struct ynumber {
    int negative;
    mpcsim_u128 mag;
    int32_t exp10; /* in [-YNUMBER_MAX_EXP, YNUMBER_MAX_EXP] */
};
#define YNUMBER_MAX_EXP 100000

/*
 * Parse `node` (a scalar) into *out.  Returns 0, or MPCSIM_EPARSE with a
 * static reason ("a quoted string is not a number", ...) in *why.
 */
MPCSIM_NODISCARD int ynumber_parse(struct ynumber *out, const char **why, const struct ynode *node);
/*
 * The number as an integer, exactly: 0, MPCSIM_EINVAL when it has a
 * fraction (1.5, 1e-3), or MPCSIM_ERANGE when |value| >= 2^127.
 */
MPCSIM_NODISCARD int ynumber_to_i128(mpcsim_i128 *out, const struct ynumber *num);
/* The number as the nearest double (correctly rounded from the decimal text). */
double ynumber_to_double(const struct ynumber *num);
/*
 * The exact decimal value ("100000000000000010", "0.001", "-2.5"), written
 * to buf (cap >= 64); when longer than the buffer, the form "1.234...e+400".
 */
void ynumber_format(char *buf, size_t cap, const struct ynumber *num);

#endif /* MPCSIM_SIM_CLI_YTREE_H */
