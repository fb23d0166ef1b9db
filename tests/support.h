/* SPDX-License-Identifier: MIT */
/*
 * tests/support.h - what every cmocka test shares: the allocator routed to
 * cmocka's leak-checking test_malloc, allocation-failure injection, and a
 * seeded randomness source.
 */
#ifndef MPCSIM_TESTS_SUPPORT_H
#define MPCSIM_TESTS_SUPPORT_H

#include <stdint.h>

/* Route mpcsim_malloc & co. through cmocka's test_* (leak checks). */
void mpcsim_test_init(void);
/* Make the allocation after `n` more succeed fail (n = 0: the next one);
 * -1 turns failure injection off. */
void mpcsim_test_fail_alloc_after(int n);
/* A seeded 64-bit generator (splitmix64) for test inputs, never for shares. */
uint64_t mpcsim_test_rand64(void);
void mpcsim_test_seed(uint64_t seed);

#endif /* MPCSIM_TESTS_SUPPORT_H */
