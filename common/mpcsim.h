/* SPDX-License-Identifier: MIT */
/*
 * common/mpcsim.h - what every mpcsim module shares: error codes, the
 * must-check attribute, always-on assertions and the version.
 *
 * Error codes are negative and never renumbered (curl's rule): scripts and
 * tests compare them.  Append new ones at the end.
 */
#ifndef MPCSIM_COMMON_MPCSIM_H
#define MPCSIM_COMMON_MPCSIM_H

#include <stdio.h>
#include <stdlib.h>

#define MPCSIM_VERSION "0.1.0"

#if defined(__GNUC__) || defined(__clang__)
#define MPCSIM_NODISCARD __attribute__((warn_unused_result))
#define MPCSIM_LIKELY(x) __builtin_expect(!!(x), 1)
#define MPCSIM_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define MPCSIM_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define MPCSIM_NODISCARD
#define MPCSIM_LIKELY(x) (x)
#define MPCSIM_UNLIKELY(x) (x)
#define MPCSIM_PRINTF(a, b)
#endif

/*
 * 128-bit integers (gcc and clang on 64-bit targets).  __extension__ keeps
 * -Wpedantic quiet; use these names, never __int128 directly.
 */
__extension__ typedef __int128 mpcsim_i128;
__extension__ typedef unsigned __int128 mpcsim_u128;

enum mpcsim_error {
    MPCSIM_OK = 0,
    MPCSIM_ENOMEM = -1,    /* an allocation failed */
    MPCSIM_EINVAL = -2,    /* an argument outside the function's contract */
    MPCSIM_EIO = -3,       /* a file could not be read or written */
    MPCSIM_EPARSE = -4,    /* bad input text (scenario, CSV, JSON) */
    MPCSIM_ERANGE = -5,    /* a value does not fit (field, int64) */
    MPCSIM_ENOQUORUM = -6, /* too few shares or points to reconstruct */
    MPCSIM_EDECODE = -7,   /* bytes or points that do not decode */
    MPCSIM_EZERODIV = -8,  /* inverse of zero */
    MPCSIM_ELIMIT = -9,    /* a configured limit was reached */
    MPCSIM_ENOTSUP = -10,  /* not supported in this build or protocol */
};

/* A static English description of `rc` (0 or an MPCSIM_E* code). */
const char *mpcsim_strerror(int rc);

/*
 * MPCSIM_ASSERT stays on in release builds: a programmer error aborts with
 * file and line instead of computing on garbage (libsodium's misuse rule).
 */
#define MPCSIM_ASSERT(cond)                                                                        \
    do {                                                                                           \
        if (MPCSIM_UNLIKELY(!(cond))) {                                                            \
            mpcsim__assert_fail(#cond, __FILE__, __LINE__);                                        \
        }                                                                                          \
    } while (0)

_Noreturn void mpcsim__assert_fail(const char *expr, const char *file, int line);

#endif /* MPCSIM_COMMON_MPCSIM_H */
