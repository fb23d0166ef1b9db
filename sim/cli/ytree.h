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
 * must outlive the tree).  On success stores the root in *out and returns
 * 0; an empty document gives a NULL root.  Errors go to `d` and return
 * MPCSIM_EPARSE (bad YAML or a refused construct), MPCSIM_EIO (unreadable)
 * or MPCSIM_ENOMEM.
 */
MPCSIM_NODISCARD int ytree_load_file(struct ynode **out, const char *path, const char *display,
                                     struct diag *d);
/* Same from memory; `name` is used in messages and must outlive the tree. */
MPCSIM_NODISCARD int ytree_load_string(struct ynode **out, const char *text, size_t len,
                                       const char *name, struct diag *d);

void ynode_free(struct ynode *node);
/* A deep copy, or NULL on allocation failure. */
struct ynode *ynode_clone(const struct ynode *node);
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

#endif /* MPCSIM_SIM_CLI_YTREE_H */
