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
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

#include "common/alloc.h"
#include "common/escape.h"

/*
 * Keys seen so far, over all maps of the document: an open-addressing
 * hash set of (map, key node), so the duplicate check is O(1) per key
 * (a linear scan made 99 000 keys in one map take a minute).
 */
struct keyset {
    const struct ynode **maps;
    const struct ynode **keys;
    size_t cap; /* a power of two, or 0 */
    size_t n;
};

struct builder {
    struct ynode *stack[YTREE_MAX_DEPTH + 1];
    int depth;
    struct ynode *root;
    size_t nodes;
    const char *name;
    struct diag *d;
    struct keyset seen;
    int withhold; /* a foreign file (ytree_load_foreign): no content in messages */
};

static size_t
key_hash(const struct ynode *map, const char *key)
{
    uint64_t h = UINT64_C(14695981039346656037) ^ (uint64_t)(uintptr_t)map;

    for (const unsigned char *c = (const unsigned char *)key; *c != '\0'; c++) {
        h = (h ^ *c) * UINT64_C(1099511628211);
    }
    return (size_t)(h ^ (h >> 29));
}

static void
keyset_clear(struct keyset *ks)
{
    mpcsim_free(ks->maps);
    mpcsim_free(ks->keys);
    memset(ks, 0, sizeof(*ks));
}

/* Slot of (map, key): its entry, or the empty slot where it would go. */
static size_t
keyset_slot(const struct keyset *ks, const struct ynode *map, const char *key)
{
    size_t i = key_hash(map, key) & (ks->cap - 1);

    while (ks->keys[i] != NULL && (ks->maps[i] != map || strcmp(ks->keys[i]->value, key) != 0)) {
        i = (i + 1) & (ks->cap - 1);
    }
    return i;
}

/*
 * Add `key` of `map`; *first is the earlier key node with the same text
 * (a duplicate; nothing added) or NULL.  0 or MPCSIM_ENOMEM.
 */
static int
keyset_add(struct keyset *ks, const struct ynode **first, const struct ynode *map,
           const struct ynode *key)
{
    size_t i;

    *first = NULL;
    if (2 * (ks->n + 1) > ks->cap) {
        struct keyset bigger = {NULL, NULL, ks->cap == 0 ? 64 : 2 * ks->cap, 0};

        bigger.maps = mpcsim_calloc(bigger.cap, sizeof(*bigger.maps));
        bigger.keys = mpcsim_calloc(bigger.cap, sizeof(*bigger.keys));
        if (bigger.maps == NULL || bigger.keys == NULL) {
            keyset_clear(&bigger);
            return MPCSIM_ENOMEM;
        }
        for (size_t j = 0; j < ks->cap; j++) {
            if (ks->keys[j] != NULL) {
                size_t k = keyset_slot(&bigger, ks->maps[j], ks->keys[j]->value);

                bigger.maps[k] = ks->maps[j];
                bigger.keys[k] = ks->keys[j];
                bigger.n++;
            }
        }
        keyset_clear(ks);
        *ks = bigger;
    }
    i = keyset_slot(ks, map, key->value);
    if (ks->keys[i] != NULL) {
        *first = ks->keys[i];
        return 0;
    }
    ks->maps[i] = map;
    ks->keys[i] = key;
    ks->n++;
    return 0;
}

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
int
ynode_seq_append(struct ynode *seq, struct ynode *item)
{
    MPCSIM_ASSERT(seq != NULL && seq->kind == YNODE_SEQ);
    if (append(seq, item) < 0) {
        ynode_free(item);
        return MPCSIM_ENOMEM;
    }
    return 0;
}

/* see ytree.h */
struct ynode *
ynode_clone_without(const struct ynode *map, const char *key)
{
    struct ynode *copy = NULL;

    if (map == NULL || map->kind != YNODE_MAP) {
        return ynode_clone(map);
    }
    copy = ynode_new(YNODE_MAP, map->file, map->line, map->col, NULL);
    if (copy == NULL) {
        return NULL;
    }
    for (size_t i = 0; i + 1 < map->n_items; i += 2) {
        struct ynode *k = NULL;
        struct ynode *v = NULL;

        if (strcmp(map->items[i]->value, key) == 0) {
            continue;
        }
        k = ynode_clone(map->items[i]);
        v = k != NULL ? ynode_clone(map->items[i + 1]) : NULL;
        if (v == NULL || append(copy, k) < 0) {
            ynode_free(k);
            ynode_free(v);
            ynode_free(copy);
            return NULL;
        }
        if (append(copy, v) < 0) {
            ynode_free(v);
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
        const struct ynode *first = NULL;

        if (keyset_add(&b->seen, &first, top, node) < 0) {
            ynode_free(node);
            return MPCSIM_ENOMEM;
        }
        if (first != NULL) {
            diag_error(b->d, b->name, node->line, node->col,
                       "duplicate key '%s' (first given at line %zu)",
                       b->withhold ? "not shown" : node->value, first->line);
            ynode_free(node);
            return MPCSIM_EPARSE;
        }
    }
    if (append(top, node) < 0) {
        ynode_free(node);
        return MPCSIM_ENOMEM;
    }
    return 0;
}

/* The explicit tag of a node event (`!!str`, `!!python/object:...`), or NULL. */
static const char *
event_tag(const yaml_event_t *ev)
{
    const yaml_char_t *tag = NULL;

    if (ev->type == YAML_SCALAR_EVENT) {
        tag = ev->data.scalar.tag;
    } else if (ev->type == YAML_SEQUENCE_START_EVENT) {
        tag = ev->data.sequence_start.tag;
    } else if (ev->type == YAML_MAPPING_START_EVENT) {
        tag = ev->data.mapping_start.tag;
    }
    return (const char *)tag;
}

static int
handle_event(struct builder *b, const yaml_event_t *ev, int *done)
{
    struct ynode *node = NULL;
    size_t line = mark_line(&ev->start_mark);
    size_t col = mark_col(&ev->start_mark);
    int rc;

    if (event_tag(ev) != NULL) {
        const char *t = event_tag(ev);
        char tag[64];

        if (strncmp(t, "tag:yaml.org,2002:", 18) == 0) {
            snprintf(tag, sizeof(tag), "!!");
            mpcsim_escape(tag + 2, sizeof(tag) - 2, t + 18);
        } else {
            mpcsim_escape(tag, sizeof(tag), t);
        }
        diag_error(b->d, b->name, line, col,
                   "YAML tags (%s) are not allowed in scenarios; write the plain value",
                   b->withhold ? "not shown" : tag);
        return MPCSIM_EPARSE;
    }
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
                   b->withhold ? "..." : (const char *)ev->data.alias.anchor);
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
build(struct ynode **out, yaml_parser_t *parser, const char *name, struct diag *d, int withhold)
{
    struct builder b;
    int done = 0;
    int rc = 0;

    memset(&b, 0, sizeof(b));
    b.name = name;
    b.d = d;
    b.withhold = withhold;
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
    keyset_clear(&b.seen);
    if (rc < 0) {
        ynode_free(b.root);
        return rc;
    }
    *out = b.root;
    return 0;
}

static int
load_string(struct ynode **out, const char *text, size_t len, const char *name, struct diag *d,
            int withhold)
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
    rc = build(out, &parser, name, d, withhold);
    yaml_parser_delete(&parser);
    return rc;
}

/* see ytree.h */
int
ytree_load_string(struct ynode **out, const char *text, size_t len, const char *name,
                  struct diag *d)
{
    return load_string(out, text, len, name, d, 0);
}

/*
 * Read at most YTREE_MAX_BYTES + 1 bytes of a regular file.  The open never
 * blocks (O_NONBLOCK: a FIFO without a writer, a terminal) and anything but
 * a regular file is refused before reading, so no file name makes a
 * command wait forever or read without end.
 */
static int
read_regular(char **out, size_t *len, const char *path, const char *display, struct diag *d)
{
    struct stat st;
    char *buf = NULL;
    size_t cap;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    int rc = 0;

    *len = 0;
    if (fd < 0) {
        diag_error(d, display, 0, 0, "cannot open: %s", strerror(errno));
        return MPCSIM_EIO;
    }
    if (fstat(fd, &st) != 0) {
        diag_error(d, display, 0, 0, "cannot read: %s", strerror(errno));
        close(fd);
        return MPCSIM_EIO;
    }
    if (!S_ISREG(st.st_mode)) {
        diag_error(d, display, 0, 0, "not a regular file (%s); give a YAML file",
                   S_ISDIR(st.st_mode)    ? "a directory"
                   : S_ISFIFO(st.st_mode) ? "a pipe"
                   : S_ISCHR(st.st_mode)  ? "a terminal or device"
                   : S_ISSOCK(st.st_mode) ? "a socket"
                                          : "a special file");
        close(fd);
        return MPCSIM_EIO;
    }
    /* The buffer fits the file (so a small --max-memory still loads a small
     * scenario), plus one byte to see growth past YTREE_MAX_BYTES. */
    cap = (st.st_size < YTREE_MAX_BYTES ? (size_t)st.st_size : YTREE_MAX_BYTES) + 1;
    buf = mpcsim_malloc(cap);
    if (buf == NULL) {
        close(fd);
        return MPCSIM_ENOMEM;
    }
    while (*len < cap) {
        ssize_t got = read(fd, buf + *len, cap - *len);

        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0) {
            diag_error(d, display, 0, 0, "cannot read: %s", strerror(errno));
            rc = MPCSIM_EIO;
            break;
        }
        if (got == 0) {
            break;
        }
        *len += (size_t)got;
    }
    close(fd);
    if (rc == 0 && *len == cap && cap <= YTREE_MAX_BYTES) {
        diag_error(d, display, 0, 0, "the file grew while it was read");
        rc = MPCSIM_EIO;
    }
    if (rc < 0) {
        mpcsim_free(buf);
        return rc;
    }
    *out = buf;
    return 0;
}

static int
load_file(struct ynode **out, const char *path, const char *display, struct diag *d, int withhold)
{
    char *buf = NULL;
    size_t len = 0;
    int rc = 0;

    rc = read_regular(&buf, &len, path, display, d);
    if (rc == 0 && len > YTREE_MAX_BYTES) {
        diag_error(d, display, 1, 1, "file is larger than %d bytes; scenarios are far smaller",
                   YTREE_MAX_BYTES);
        rc = MPCSIM_EPARSE;
    }
    if (rc == 0) {
        rc = load_string(out, buf, len, display, d, withhold);
    }
    mpcsim_free(buf);
    return rc;
}

/* see ytree.h */
int
ytree_load_file(struct ynode **out, const char *path, const char *display, struct diag *d)
{
    return load_file(out, path, display, d, 0);
}

/* see ytree.h */
int
ytree_load_foreign(struct ynode **out, const char *path, const char *display, struct diag *d)
{
    return load_file(out, path, display, d, 1);
}

/* ------------------------------------------------------------------ */
/* Exact numbers from scalar text. */

#define YNUMBER_MAX_DIGITS 38 /* 10^38 - 1 < 2^127 */

static int
digit_value(char c, unsigned base)
{
    unsigned v;

    if (c >= '0' && c <= '9') {
        v = (unsigned)(c - '0');
    } else if (c >= 'a' && c <= 'f') {
        v = (unsigned)(c - 'a') + 10;
    } else if (c >= 'A' && c <= 'F') {
        v = (unsigned)(c - 'A') + 10;
    } else {
        return -1;
    }
    return v < base ? (int)v : -1;
}

/* 0x / 0o integers: digits after the prefix; |value| < 2^127. */
static int
parse_radix(struct ynumber *out, const char **why, const char *s, unsigned base)
{
    mpcsim_u128 limit = ((mpcsim_u128)1 << 127) / base;

    if (*s == '\0') {
        *why = "no digits after the 0x / 0o prefix";
        return MPCSIM_EPARSE;
    }
    for (; *s != '\0'; s++) {
        int dv = digit_value(*s, base);

        if (dv < 0) {
            *why = base == 16 ? "not a hexadecimal integer" : "not an octal integer";
            return MPCSIM_EPARSE;
        }
        if (out->mag >= limit) {
            *why = "too many digits (at most 2^127 - 1)";
            return MPCSIM_EPARSE;
        }
        out->mag = out->mag * base + (unsigned)dv;
    }
    return 0;
}

/* see ytree.h */
int
ynumber_parse(struct ynumber *out, const char **why, const struct ynode *node)
{
    struct ynumber num = {0, 0, 0};
    const char *s = NULL;
    int digits = 0;    /* significant digits kept in mag */
    int any = 0;       /* any digit seen in the mantissa */
    int32_t shift = 0; /* decimal exponent from dropped integer digits / fraction */
    long exp = 0;
    int exp_neg = 0;

    *why = "not a number";
    if (node == NULL || node->kind != YNODE_SCALAR) {
        return MPCSIM_EPARSE;
    }
    if (node->quoted) {
        *why = "a quoted string is not a number; write it without quotes";
        return MPCSIM_EPARSE;
    }
    s = node->value;
    if (*s == '+' || *s == '-') {
        num.negative = *s == '-';
        s++;
    }
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X' || s[1] == 'o' || s[1] == 'O')) {
        int rc = parse_radix(&num, why, s + 2, s[1] == 'x' || s[1] == 'X' ? 16 : 8);

        if (rc == 0) {
            num.negative = num.negative && num.mag != 0;
            *out = num;
        }
        return rc;
    }
    if (s[0] == '0' && s[1] >= '0' && s[1] <= '9') {
        *why = "a leading zero (YAML 1.1 reads 010 as octal 8, YAML 1.2 as 10): write 10, "
               "or 0o10 for octal";
        return MPCSIM_EPARSE;
    }
    /* Integer part, then an optional fraction. */
    for (int frac = 0;; s++) {
        if (*s == '.' && !frac) {
            frac = 1;
            continue;
        }
        if (*s < '0' || *s > '9') {
            break;
        }
        any = 1;
        if (digits == 0 && *s == '0') {
            shift -= frac; /* a leading zero of the fraction */
            continue;
        }
        if (digits < YNUMBER_MAX_DIGITS) {
            num.mag = num.mag * 10 + (unsigned)(*s - '0');
            digits++;
            shift -= frac;
        } else if (*s != '0') {
            *why = "more than 38 significant digits";
            return MPCSIM_EPARSE;
        } else if (!frac) {
            shift++; /* a trailing zero of a long integer: scale instead */
        }
    }
    if (!any) {
        return MPCSIM_EPARSE;
    }
    if (*s == 'e' || *s == 'E') {
        int exp_digits = 0;

        s++;
        if (*s == '+' || *s == '-') {
            exp_neg = *s == '-';
            s++;
        }
        for (; *s >= '0' && *s <= '9'; s++) {
            exp_digits = 1;
            if (exp <= 10L * YNUMBER_MAX_EXP) {
                exp = exp * 10 + (*s - '0');
            }
        }
        if (!exp_digits) {
            return MPCSIM_EPARSE;
        }
    }
    if (*s != '\0') {
        return MPCSIM_EPARSE;
    }
    exp = (exp_neg ? -exp : exp) + shift;
    if (num.mag == 0) {
        exp = 0;
        num.negative = 0;
    }
    while (num.mag != 0 && num.mag % 10 == 0) {
        num.mag /= 10;
        exp++;
    }
    if (exp > YNUMBER_MAX_EXP || exp < -YNUMBER_MAX_EXP) {
        *why = "an exponent beyond 10^100000";
        return MPCSIM_EPARSE;
    }
    num.exp10 = (int32_t)exp;
    *out = num;
    return 0;
}

/* see ytree.h */
int
ynumber_to_i128(mpcsim_i128 *out, const struct ynumber *num)
{
    mpcsim_u128 mag = num->mag;
    const mpcsim_u128 max = ((mpcsim_u128)1 << 127) - 1;

    if (num->exp10 < 0) {
        return MPCSIM_EINVAL; /* mag has no trailing zeros: a fraction remains */
    }
    for (int32_t e = 0; e < num->exp10 && mag != 0; e++) {
        if (mag > max / 10) {
            return MPCSIM_ERANGE;
        }
        mag *= 10;
    }
    if (mag > max) {
        return MPCSIM_ERANGE;
    }
    *out = num->negative ? -(mpcsim_i128)mag : (mpcsim_i128)mag;
    return 0;
}

/* The decimal digits of x into buf (cap >= 40); returns their count. */
static size_t
u128_digits(char *buf, mpcsim_u128 x)
{
    char tmp[40];
    size_t n = 0;

    do {
        tmp[n++] = (char)('0' + (int)(x % 10));
        x /= 10;
    } while (x != 0);
    for (size_t i = 0; i < n; i++) {
        buf[i] = tmp[n - 1 - i];
    }
    buf[n] = '\0';
    return n;
}

/* see ytree.h */
double
ynumber_to_double(const struct ynumber *num)
{
    char text[64];
    char digits[40];

    (void)u128_digits(digits, num->mag);
    snprintf(text, sizeof(text), "%s%se%ld", num->negative ? "-" : "", digits, (long)num->exp10);
    return strtod(text, NULL); /* correctly rounded; overflow gives +-inf */
}

/* see ytree.h */
void
ynumber_format(char *buf, size_t cap, const struct ynumber *num)
{
    char d[40];
    size_t len = u128_digits(d, num->mag);
    const char *sign = num->negative ? "-" : "";
    long e = num->exp10;
    size_t need = (size_t)(e >= 0 ? (long)len + e : ((long)len > -e ? (long)len + 1 : 2 - e));

    if (need + 2 > cap) {
        snprintf(buf, cap, "%s%c%s%se%+ld", sign, d[0], len > 1 ? "." : "", d + 1,
                 e + (long)len - 1);
    } else if (e >= 0) {
        int used = snprintf(buf, cap, "%s%s", sign, d);

        memset(buf + used, '0', (size_t)e);
        buf[used + e] = '\0';
    } else if ((long)len > -e) {
        snprintf(buf, cap, "%s%.*s.%s", sign, (int)((long)len + e), d, d + (long)len + e);
    } else {
        int used = snprintf(buf, cap, "%s0.", sign);

        memset(buf + used, '0', (size_t)(-e - (long)len));
        snprintf(buf + used + (-e - (long)len), cap - (size_t)used - (size_t)(-e - (long)len), "%s",
                 d);
    }
}
