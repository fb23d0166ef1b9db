/* SPDX-License-Identifier: MIT */
/*
 * common/json.h - writing JSON text: one string escaper for every writer
 * (bench results, trial rows).
 */
#ifndef MPCSIM_COMMON_JSON_H
#define MPCSIM_COMMON_JSON_H

#include <stdio.h>

/* Write `s` as a JSON string literal (quotes, backslashes, control bytes escaped). */
void mpcsim_json_string(FILE *f, const char *s);

#endif /* MPCSIM_COMMON_JSON_H */
