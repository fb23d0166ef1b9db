/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/fuzz_fp_decode.c - the field's wire format: fp_vec_decode
 * over the whole input (size / 8 elements), checked against fp_decode
 * element by element; a vector that decodes re-encodes to the same bytes,
 * and one that does not names its first bad element.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/mpcsim.h"
#include "protocols/field/fp.h"
#include "tests/fuzz/fuzz.h"

/* see fuzz.h */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t n = size / FP_BYTES;
    size_t bad = SIZE_MAX, first_bad = SIZE_MAX;
    uint64_t *v = malloc((n > 0 ? n : 1) * sizeof(uint64_t));
    uint8_t *re = malloc(n > 0 ? n * FP_BYTES : 1);
    int rc;

    MPCSIM_ASSERT(v != NULL && re != NULL);
    rc = fp_vec_decode(v, &bad, data, n);
    for (size_t i = 0; i < n; i++) {
        uint64_t e;

        if (fp_decode(&e, data + FP_BYTES * i) != 0) {
            first_bad = i;
            break;
        }
        MPCSIM_ASSERT(e < FP_P);
        if (rc == 0) {
            MPCSIM_ASSERT(v[i] == e);
        }
    }
    if (first_bad == SIZE_MAX) {
        MPCSIM_ASSERT(rc == 0);
        fp_vec_encode(re, v, n);
        MPCSIM_ASSERT(n == 0 || memcmp(re, data, n * FP_BYTES) == 0);
    } else {
        MPCSIM_ASSERT(rc == MPCSIM_EDECODE && bad == first_bad);
    }
    free(v);
    free(re);
    return 0;
}
