/* SPDX-License-Identifier: MIT */
/*
 * protocols/shamir/adapter_int.h - the per-field instantiations of the
 * Shamir engine protocol (adapter_impl.h), for adapter.c only.  Each
 * one's trial and party state begin with an enum field_kind.
 */
#ifndef MPCSIM_PROTOCOLS_SHAMIR_ADAPTER_INT_H
#define MPCSIM_PROTOCOLS_SHAMIR_ADAPTER_INT_H

#include "sim/sim.h"

extern const struct sim_protocol shamir_protocol_m61;
extern const struct sim_protocol shamir_protocol_m127;

#endif /* MPCSIM_PROTOCOLS_SHAMIR_ADAPTER_INT_H */
