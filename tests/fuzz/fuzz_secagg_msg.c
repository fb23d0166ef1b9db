/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/fuzz_secagg_msg.c - the secagg protocol's message decoders, fed
 * fuzz bytes by a corrupted party inside a real trial (msg.h, trial.h).
 * The records also go straight to the set decoder (secagg_set_parse) for
 * 2 + (h0 h5) parties, up to 65 537 (trials are at most 16 parties, too
 * few for the list encoding to win): whatever it accepts must re-encode
 * to the same bytes (one encoding per set).
 * Any crash, sanitizer report, leak, assertion or hang is a finding.
 */
#define MPCSIM_FUZZ_MSG_SECAGG
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "common/alloc.h"
#include "protocols/secagg/secagg.h"
#include "tests/fuzz/fuzz.h"
#include "tests/fuzz/msg.h"

static void
fuzz_set(const uint8_t *data, size_t size)
{
    int n = 2 + (int)(data[0] | (unsigned)data[5] << 8);
    const uint8_t *in = data + FUZZ_TRIAL_HDR;
    size_t len = size - FUZZ_TRIAL_HDR, m = 0, used = 0;
    int *ids = mpcsim_malloc((size_t)n * sizeof(*ids));
    uint8_t *out = mpcsim_malloc(2 + (size_t)n / 8);

    if (ids != NULL && out != NULL &&
        secagg_set_parse(ids, (size_t)n, &m, &used, n, in, len) == 0) {
        if (used > len || used != secagg_set_bytes(n, m) ||
            secagg_set_write(out, n, ids, m) != used || memcmp(out, in, used) != 0) {
            abort();
        }
    }
    mpcsim_free(ids);
    mpcsim_free(out);
}

/* see fuzz.h */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    (void)fuzz_msg_secagg(data, size, NULL);
    if (size >= FUZZ_TRIAL_HDR) {
        fuzz_set(data, size);
    }
    return 0;
}
