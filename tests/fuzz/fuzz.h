/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/fuzz.h - the libFuzzer entry point every target defines.
 * Built with -fsanitize=fuzzer for fuzzing, or with standalone.c as a
 * plain program that replays a corpus under CTest.
 */
#ifndef MPCSIM_TESTS_FUZZ_FUZZ_H
#define MPCSIM_TESTS_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif /* MPCSIM_TESTS_FUZZ_FUZZ_H */
