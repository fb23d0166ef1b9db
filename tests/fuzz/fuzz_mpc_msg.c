/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/fuzz_mpc_msg.c - the shared layer's messages (protocols/mpc:
 * inputs, comparison rounds with their view tag, MAC-check commitments
 * and sigmas), fed fuzz bytes by a corrupted party inside a real trial of
 * a comparison computation (msg.h, trial.h).  Malformed messages must be
 * rejected or end in an abort; any crash, sanitizer report, leak,
 * assertion or hang is a finding.
 */
#define MPCSIM_FUZZ_MSG_MPC
#include <stddef.h>
#include <stdint.h>

#include "tests/fuzz/fuzz.h"
#include "tests/fuzz/msg.h"

/* see fuzz.h */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    (void)fuzz_msg_mpc(data, size, NULL);
    return 0;
}
