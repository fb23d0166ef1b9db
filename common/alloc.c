/* SPDX-License-Identifier: MIT */
/*
 * common/alloc.c - allocation hooks and the error-code table.
 */
#include "common/alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static struct mpcsim_alloc_hooks hooks = {malloc, calloc, realloc, free};

/* see alloc.h */
void
mpcsim_alloc_set_hooks(const struct mpcsim_alloc_hooks *h)
{
    if (h == NULL) {
        hooks.malloc_fn = malloc;
        hooks.calloc_fn = calloc;
        hooks.realloc_fn = realloc;
        hooks.free_fn = free;
        return;
    }
    hooks = *h;
}

/* see alloc.h */
void *
mpcsim_malloc(size_t size)
{
    if (size == 0) {
        return NULL;
    }
    return hooks.malloc_fn(size);
}

/* see alloc.h */
void *
mpcsim_calloc(size_t nmemb, size_t size)
{
    if (nmemb == 0 || size == 0 || nmemb > SIZE_MAX / size) {
        return NULL;
    }
    return hooks.calloc_fn(nmemb, size);
}

/* see alloc.h */
void *
mpcsim_realloc(void *ptr, size_t size)
{
    if (size == 0) {
        return NULL;
    }
    return hooks.realloc_fn(ptr, size);
}

/* see alloc.h */
void *
mpcsim_reallocarray(void *ptr, size_t nmemb, size_t size)
{
    if (size != 0 && nmemb > SIZE_MAX / size) {
        return NULL;
    }
    return mpcsim_realloc(ptr, nmemb * size);
}

/* see alloc.h */
void
mpcsim_free(void *ptr)
{
    if (ptr != NULL) {
        hooks.free_fn(ptr);
    }
}

/* see alloc.h */
char *
mpcsim_strdup(const char *s)
{
    size_t len = strlen(s) + 1;
    char *copy = mpcsim_malloc(len);

    if (copy != NULL) {
        memcpy(copy, s, len);
    }
    return copy;
}

/* see mpcsim.h */
const char *
mpcsim_strerror(int rc)
{
    switch (rc) {
    case MPCSIM_OK:
        return "success";
    case MPCSIM_ENOMEM:
        return "out of memory";
    case MPCSIM_EINVAL:
        return "invalid argument";
    case MPCSIM_EIO:
        return "input/output error";
    case MPCSIM_EPARSE:
        return "parse error";
    case MPCSIM_ERANGE:
        return "value out of range";
    case MPCSIM_ENOQUORUM:
        return "not enough shares";
    case MPCSIM_EDECODE:
        return "cannot decode";
    case MPCSIM_EZERODIV:
        return "inverse of zero";
    case MPCSIM_ELIMIT:
        return "limit reached";
    case MPCSIM_ENOTSUP:
        return "not supported";
    default:
        return "unknown error";
    }
}

/* see mpcsim.h */
_Noreturn void
mpcsim__assert_fail(const char *expr, const char *file, int line)
{
    fprintf(stderr, "%s:%d: mpcsim assertion failed: %s\n", file, line, expr);
    fflush(stderr);
    abort();
}
