/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/fuzz_shamir_msg.c - the shamir protocol's message decoders, fed
 * fuzz bytes by a corrupted party inside a real trial (msg.h, trial.h).
 * Any crash, sanitizer report, leak, assertion or hang is a finding.
 */
#define MPCSIM_FUZZ_MSG_SHAMIR
#include <stddef.h>
#include <stdint.h>

#include "tests/fuzz/fuzz.h"
#include "tests/fuzz/msg.h"

/* see fuzz.h */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    (void)fuzz_msg_shamir(data, size, NULL);
    return 0;
}
