/* SPDX-License-Identifier: MIT */
/*
 * sim/cli/ytree.c - build a ynode tree from libyaml's event stream.
 *
 * A stack of open collections; each event appends a node to the top one.
 * Aliases are refused at their own mark, so nothing is ever expanded;
 * the node count and depth are bounded, so a hostile file costs at most
 * YTREE_MAX_BYTES of parsing.  libyaml's marks are 0-based: +1 on output.
 */
#include "sim/cli/ytree.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <yaml.h>

#include "common/alloc.h"

struct builder {
    struct ynode *stack[YTREE_MAX_DEPTH + 1];
    int depth;
    struct ynode *root;
    size_t nodes;
    const char *name;
    struct diag *d;
};

/* see ytree.h */
struct ynode *
ynode_new(enum ynode_kind kind, const char *file, size_t line, size_t col, const char *value)
{
    struct ynode *n = mpcsim_calloc(1, sizeof(*n));

    if (n == NULL) {
        return NULL;
    }
    n->kind = kind;
    n->file = file;
    n->line = line;
    n->col = col;
    if (value != NULL) {
        n->value = mpcsim_strdup(value);
        if (n->value == NULL) {
            mpcsim_free(n);
            return NULL;
        }
    }
    return n;
}

/* see ytree.h */
void
ynode_free(struct ynode *node)
{
    if (node == NULL) {
        return;
    }
    for (size_t i = 0; i < node->n_items; i++) {
        ynode_free(node->items[i]);
    }
    mpcsim_free(node->items);
    mpcsim_free(node->value);
    mpcsim_free(node);
}

static int
append(struct ynode *parent, struct ynode *child)
{
    /* Capacity is implicit: 4, then doubled each time n reaches a power of two. */
    size_t n = parent->n_items;

    if (n == 0 || (n >= 4 && (n & (n - 1)) == 0)) {
        size_t cap = n == 0 ? 4 : 2 * n;
        struct ynode **items = mpcsim_reallocarray(parent->items, cap, sizeof(*items));

        if (items == NULL) {
            return MPCSIM_ENOMEM;
        }
        parent->items = items;
    }
    parent->items[n] = child;
    parent->n_items = n + 1;
    return 0;
}

/* see ytree.h */
struct ynode *
ynode_clone(const struct ynode *node)
{
    struct ynode *copy = NULL;

    if (node == NULL) {
        return NULL;
    }
    copy = ynode_new(node->kind, node->file, node->line, node->col, node->value);
    if (copy == NULL) {
        return NULL;
    }
    copy->quoted = node->quoted;
    for (size_t i = 0; i < node->n_items; i++) {
        struct ynode *item = ynode_clone(node->items[i]);

        if (item == NULL || append(copy, item) < 0) {
            ynode_free(item);
            ynode_free(copy);
            return NULL;
        }
    }
    return copy;
}

/* see ytree.h */
size_t
ynode_len(const struct ynode *node)
{
    if (node == NULL) {
        return 0;
    }
    return node->kind == YNODE_MAP ? node->n_items / 2 : node->n_items;
}

/* see ytree.h */
struct ynode *
ynode_map_get(const struct ynode *map, const char *key)
{
    if (map == NULL || map->kind != YNODE_MAP) {
        return NULL;
    }
    for (size_t i = 0; i + 1 < map->n_items; i += 2) {
        if (strcmp(map->items[i]->value, key) == 0) {
            return map->items[i + 1];
        }
    }
    return NULL;
}

/* see ytree.h */
int
ynode_map_set(struct ynode *map, const char *key, struct ynode *value)
{
    struct ynode *k = NULL;

    MPCSIM_ASSERT(map != NULL && map->kind == YNODE_MAP);
    for (size_t i = 0; i + 1 < map->n_items; i += 2) {
        if (strcmp(map->items[i]->value, key) == 0) {
            ynode_free(map->items[i + 1]);
            map->items[i + 1] = value;
            return 0;
        }
    }
    k = ynode_new(YNODE_SCALAR, value->file, value->line, value->col, key);
    if (k == NULL || append(map, k) < 0) {
        ynode_free(k);
        ynode_free(value);
        return MPCSIM_ENOMEM;
    }
    if (append(map, value) < 0) {
        /* Keep the map well-formed: drop the dangling key. */
        map->n_items--;
        ynode_free(k);
        ynode_free(value);
        return MPCSIM_ENOMEM;
    }
    return 0;
}

static size_t
mark_line(const yaml_mark_t *m)
{
    return m->line + 1;
}

static size_t
mark_col(const yaml_mark_t *m)
{
    return m->column + 1;
}

/* Attach `node` to the open collection (or make it the root). */
static int
attach(struct builder *b, struct ynode *node, const yaml_event_t *ev)
{
    struct ynode *top = b->depth > 0 ? b->stack[b->depth - 1] : NULL;

    if (++b->nodes > YTREE_MAX_NODES) {
        diag_error(b->d, b->name, mark_line(&ev->start_mark), mark_col(&ev->start_mark),
                   "more than %d YAML nodes; a scenario is far smaller", YTREE_MAX_NODES);
        ynode_free(node);
        return MPCSIM_EPARSE;
    }
    if (top == NULL) {
        b->root = node;
        return 0;
    }
    if (top->kind == YNODE_MAP && top->n_items % 2 == 0) {
        /* `node` is a key: it must be a scalar and new in this map. */
        if (node->kind != YNODE_SCALAR) {
            diag_error(b->d, b->name, node->line, node->col,
                       "expected a plain key here, found a %s",
                       node->kind == YNODE_MAP ? "mapping" : "sequence");
            ynode_free(node);
            return MPCSIM_EPARSE;
        }
        for (size_t i = 0; i < top->n_items; i += 2) {
            if (strcmp(top->items[i]->value, node->value) == 0) {
                diag_error(b->d, b->name, node->line, node->col,
                           "duplicate key '%s' (first given at line %zu)", node->value,
                           top->items[i]->line);
                ynode_free(node);
                return MPCSIM_EPARSE;
            }
        }
    }
    if (append(top, node) < 0) {
        ynode_free(node);
        return MPCSIM_ENOMEM;
    }
    return 0;
}

static int
handle_event(struct builder *b, const yaml_event_t *ev, int *done)
{
    struct ynode *node = NULL;
    size_t line = mark_line(&ev->start_mark);
    size_t col = mark_col(&ev->start_mark);
    int rc;

    switch (ev->type) {
    case YAML_STREAM_START_EVENT:
    case YAML_DOCUMENT_START_EVENT:
        if (ev->type == YAML_DOCUMENT_START_EVENT && b->root != NULL) {
            diag_error(b->d, b->name, line, col,
                       "a second YAML document; a scenario file holds one");
            return MPCSIM_EPARSE;
        }
        return 0;
    case YAML_DOCUMENT_END_EVENT:
        return 0;
    case YAML_STREAM_END_EVENT:
        *done = 1;
        return 0;
    case YAML_ALIAS_EVENT:
        diag_error(b->d, b->name, line, col,
                   "YAML aliases (*%s) are not allowed in scenarios; write the value out",
                   (const char *)ev->data.alias.anchor);
        return MPCSIM_EPARSE;
    case YAML_SCALAR_EVENT:
        node = ynode_new(YNODE_SCALAR, b->name, line, col, (const char *)ev->data.scalar.value);
        if (node == NULL) {
            return MPCSIM_ENOMEM;
        }
        if (strlen(node->value) != ev->data.scalar.length) {
            diag_error(b->d, b->name, line, col, "a NUL byte inside a scalar");
            ynode_free(node);
            return MPCSIM_EPARSE;
        }
        node->quoted = ev->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
                       ev->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
        return attach(b, node, ev);
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
        if (b->depth >= YTREE_MAX_DEPTH) {
            diag_error(b->d, b->name, line, col, "nesting deeper than %d levels", YTREE_MAX_DEPTH);
            return MPCSIM_EPARSE;
        }
        node = ynode_new(ev->type == YAML_MAPPING_START_EVENT ? YNODE_MAP : YNODE_SEQ, b->name,
                         line, col, NULL);
        if (node == NULL) {
            return MPCSIM_ENOMEM;
        }
        rc = attach(b, node, ev);
        if (rc < 0) {
            return rc;
        }
        b->stack[b->depth++] = node;
        return 0;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        b->depth--;
        return 0;
    default:
        return 0;
    }
}

static int
build(struct ynode **out, yaml_parser_t *parser, const char *name, struct diag *d)
{
    struct builder b;
    int done = 0;
    int rc = 0;

    memset(&b, 0, sizeof(b));
    b.name = name;
    b.d = d;
    while (!done) {
        yaml_event_t ev;

        if (yaml_parser_parse(parser, &ev) == 0) { /* libyaml: 0 = failure */
            if (parser->error == YAML_MEMORY_ERROR) {
                rc = MPCSIM_ENOMEM;
            } else {
                const yaml_mark_t *m = &parser->problem_mark;

                diag_error(d, name, m->line + 1, m->column + 1, "invalid YAML: %s%s%s",
                           parser->problem != NULL ? parser->problem : "syntax error",
                           parser->context != NULL ? " " : "",
                           parser->context != NULL ? parser->context : "");
                rc = MPCSIM_EPARSE;
            }
            break;
        }
        rc = handle_event(&b, &ev, &done);
        yaml_event_delete(&ev);
        if (rc < 0) {
            break;
        }
    }
    if (rc < 0) {
        ynode_free(b.root);
        return rc;
    }
    *out = b.root;
    return 0;
}

/* see ytree.h */
int
ytree_load_string(struct ynode **out, const char *text, size_t len, const char *name,
                  struct diag *d)
{
    yaml_parser_t parser;
    int rc;

    if (len > YTREE_MAX_BYTES) {
        diag_error(d, name, 1, 1, "input is %zu bytes; scenarios are limited to %d bytes", len,
                   YTREE_MAX_BYTES);
        return MPCSIM_EPARSE;
    }
    if (memchr(text, '\0', len) != NULL) {
        const char *nul = memchr(text, '\0', len);
        size_t line = 1;
        size_t col = 1;

        for (const char *c = text; c < nul; c++) {
            line += *c == '\n';
            col = *c == '\n' ? 1 : col + 1;
        }
        diag_error(d, name, line, col, "a NUL byte: this is not a text file");
        return MPCSIM_EPARSE;
    }
    if (yaml_parser_initialize(&parser) == 0) {
        return MPCSIM_ENOMEM;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    rc = build(out, &parser, name, d);
    yaml_parser_delete(&parser);
    return rc;
}

/* see ytree.h */
int
ytree_load_file(struct ynode **out, const char *path, const char *display, struct diag *d)
{
    FILE *fp = NULL;
    char *buf = NULL;
    size_t len = 0;
    int rc = 0;

    fp = fopen(path, "rb");
    if (fp == NULL) {
        diag_error(d, display, 0, 0, "cannot open: %s", strerror(errno));
        rc = MPCSIM_EIO;
        goto out;
    }
    buf = mpcsim_malloc(YTREE_MAX_BYTES + 1);
    if (buf == NULL) {
        rc = MPCSIM_ENOMEM;
        goto out;
    }
    len = fread(buf, 1, YTREE_MAX_BYTES + 1, fp);
    if (ferror(fp)) {
        diag_error(d, display, 0, 0, "cannot read: %s", strerror(errno));
        rc = MPCSIM_EIO;
        goto out;
    }
    if (len > YTREE_MAX_BYTES) {
        diag_error(d, display, 1, 1, "file is larger than %d bytes; scenarios are far smaller",
                   YTREE_MAX_BYTES);
        rc = MPCSIM_EPARSE;
        goto out;
    }
    rc = ytree_load_string(out, buf, len, display, d);
out:
    mpcsim_free(buf);
    if (fp != NULL) {
        fclose(fp);
    }
    return rc;
}
