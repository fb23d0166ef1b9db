/* SPDX-License-Identifier: MIT */
/* placeholder */
#include "bench/bench.h"
