/* SPDX-License-Identifier: MIT */
/*
 * common/escape.c - terminal-safe text.  One escaper serves the buffer
 * and the stream forms: escape_one() renders one UTF-8 sequence or one
 * escaped byte at a time, so a cut never splits an escape.
 */
#include "common/escape.h"

#include <stdint.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when invalid (RFC 3629). */
static size_t
utf8_len(const unsigned char *s)
{
    unsigned char c = s[0];
    size_t n = 0;
    uint32_t cp = 0;

    if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
        cp = c & 0x1fu;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        cp = c & 0x0fu;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        cp = c & 0x07u;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0u) != 0x80u) {
            return 0;
        }
        cp = (cp << 6) | (s[i] & 0x3fu);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp <= 0x9f)) {
        return 0; /* overlong, out of range, surrogate, or a C1 control */
    }
    return n;
}

/* Render the unit at *s into tok (>= 5 bytes); returns its input length. */
static size_t
escape_one(char tok[8], const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *u = (const unsigned char *)s;
    size_t n = 0;

    switch (u[0]) {
    case '\n':
        memcpy(tok, "\\n", 3);
        return 1;
    case '\t':
        memcpy(tok, "\\t", 3);
        return 1;
    case '\r':
        memcpy(tok, "\\r", 3);
        return 1;
    case 0x1b:
        memcpy(tok, "\\e", 3);
        return 1;
    case '\\':
        memcpy(tok, "\\\\", 3);
        return 1;
    default:
        break;
    }
    if (u[0] >= 0x20 && u[0] < 0x7f) {
        tok[0] = (char)u[0];
        tok[1] = '\0';
        return 1;
    }
    n = u[0] >= 0x80 ? utf8_len(u) : 0;
    if (n > 0) {
        memcpy(tok, s, n);
        tok[n] = '\0';
        return n;
    }
    tok[0] = '\\';
    tok[1] = 'x';
    tok[2] = hex[u[0] >> 4];
    tok[3] = hex[u[0] & 15u];
    tok[4] = '\0';
    return 1;
}

/* see escape.h */
size_t
mpcsim_escape(char *out, size_t cap, const char *s)
{
    size_t total = 0;
    size_t used = 0;
    size_t limit = 0;

    if (cap == 0) {
        return 0;
    }
    out[0] = '\0';
    if (s == NULL) {
        return 0;
    }
    for (const char *p = s; *p != '\0';) {
        char tok[8];

        p += escape_one(tok, p);
        total += strlen(tok);
    }
    /* All of it, or whole escapes up to room for "...". */
    limit = total + 1 <= cap ? cap - 1 : (cap >= 4 ? cap - 4 : 0);
    while (*s != '\0') {
        char tok[8];
        size_t in = escape_one(tok, s);
        size_t tl = strlen(tok);

        if (used + tl > limit) {
            break;
        }
        memcpy(out + used, tok, tl + 1);
        used += tl;
        s += in;
    }
    if (*s != '\0' && cap >= 4) {
        memcpy(out + used, "...", 4);
        used += 3;
    }
    return used;
}

/* see escape.h */
void
mpcsim_escape_fputs(FILE *f, const char *s)
{
    if (s == NULL) {
        return;
    }
    while (*s != '\0') {
        char tok[8];

        s += escape_one(tok, s);
        fputs(tok, f);
    }
}
