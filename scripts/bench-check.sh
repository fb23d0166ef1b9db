#!/usr/bin/env bash
# scripts/bench-check.sh [--update] - the CI regression guard.
#
# Counts the instructions of the hot kernels under valgrind's callgrind
# (inside each kernel's measured region only) and compares them with the
# committed bench/baseline.json: a kernel more than 5 % worse fails.
# Counts do not depend on machine load, so this is safe on shared CI.
# The build is portable (no -march=native): valgrind 3.19 cannot run
# AVX-512, and a baseline must not depend on the CPU CI happens to get.
# --update rewrites the baseline; commit it with the reason in the message.
set -euo pipefail
cd "$(dirname "$0")/.."
hot='^(field/(mul_vec_portable|mul_vec_simd|dot_portable|inv|lagrange0|share_powers|rs_decode/256)|engine/toy_all_to_all/n=(10|100)/|paillier/(add|encrypt_precomputed)/|scenario/load_validate|sharing/)'
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DMPCSIM_NATIVE=OFF -DBUILD_TESTING=OFF \
    -DMPCSIM_MPI=OFF >/dev/null
cmake --build build-bench -j"$(nproc)" --target mpcsim >/dev/null
if [ "${1:-}" = --update ]; then
    build-bench/mpcsim bench --count-instructions --filter "$hot" --json bench/baseline.json
    echo "bench/baseline.json updated: commit it with the reason"
else
    build-bench/mpcsim bench --count-instructions --filter "$hot" \
        --compare bench/baseline.json --threshold 5%
fi
