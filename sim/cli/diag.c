/* SPDX-License-Identifier: MIT */
/*
 * sim/cli/diag.c - see diag.h.
 */
#include "sim/cli/diag.h"

#include <stdarg.h>
#include <string.h>

#include "common/alloc.h"
#include "common/escape.h"

/* see diag.h */
void
diag_init(struct diag *d)
{
    memset(d, 0, sizeof(*d));
}

/* see diag.h */
void
diag_clear(struct diag *d)
{
    for (size_t i = 0; i < d->n; i++) {
        mpcsim_free(d->msgs[i]);
    }
    diag_init(d);
}

/* see diag.h */
void
diag_error(struct diag *d, const char *file, size_t line, size_t col, const char *fmt, ...)
{
    char body[1024];
    char full[1400];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(body, sizeof(body), fmt, ap);
    va_end(ap);
    if (line > 0) {
        snprintf(full, sizeof(full), "%s:%zu:%zu: error: %s", file, line, col, body);
    } else {
        snprintf(full, sizeof(full), "%s: error: %s", file, body);
    }
    if (d->n >= DIAG_MAX) {
        d->dropped++;
        return;
    }
    d->msgs[d->n] = mpcsim_strdup(full);
    if (d->msgs[d->n] == NULL) {
        d->oom = 1;
        d->dropped++;
        return;
    }
    d->n++;
}

/* see diag.h */
size_t
diag_count(const struct diag *d)
{
    return d->n + d->dropped;
}

/* see diag.h */
void
diag_print(const struct diag *d, FILE *out)
{
    for (size_t i = 0; i < d->n; i++) {
        /* Messages quote scenario text and file names: never raw control bytes. */
        mpcsim_escape_fputs(out, d->msgs[i]);
        fputc('\n', out);
    }
    if (d->oom) {
        fprintf(out, "mpcsim: error: out of memory while reporting errors\n");
    }
    if (d->dropped > 0) {
        fprintf(out, "mpcsim: %zu more error(s) not shown\n", d->dropped);
    }
}

/* Levenshtein distance, capped: strings over 63 characters are "far". */
static size_t
edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a);
    size_t lb = strlen(b);
    size_t prev[64];
    size_t cur[64];

    if (la >= 64 || lb >= 64) {
        return 1000;
    }
    for (size_t j = 0; j <= lb; j++) {
        prev[j] = j;
    }
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            size_t del = prev[j] + 1;
            size_t ins = cur[j - 1] + 1;
            size_t m = sub < del ? sub : del;

            cur[j] = m < ins ? m : ins;
        }
        memcpy(prev, cur, (lb + 1) * sizeof(size_t));
    }
    return prev[lb];
}

/* see diag.h */
const char *
diag_nearest(const char *word, const char *const *candidates, size_t n)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    size_t limit = strlen(word) / 3;

    if (limit < 2) {
        limit = 2;
    }
    for (size_t i = 0; i < n; i++) {
        size_t dist;

        if (candidates[i] == NULL) {
            continue;
        }
        dist = edit_distance(word, candidates[i]);

        /* A prefix ("bandwidth" for "bandwidth_mbps") is a likely slip too. */
        if (strlen(word) >= 4 && strncmp(word, candidates[i], strlen(word)) == 0) {
            dist = 1;
        }
        if (dist < best_d) {
            best_d = dist;
            best = candidates[i];
        }
    }
    return best_d <= limit ? best : NULL;
}
