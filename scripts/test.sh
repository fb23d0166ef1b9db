#!/usr/bin/env bash
# scripts/test.sh - build (if needed) and run the whole test suite with CTest.
#
# Environment: MPCSIM_BUILD_DIR (default build), MPCSIM_SANITIZE (e.g.
# address,undefined: a Debug build with sanitizers, at -O1 as the
# sanitizers' documentation advises: 3x faster than -O0, same checks),
# CC (gcc or clang), MPCSIM_CMAKE_ARGS (more -D options).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
dir=${MPCSIM_BUILD_DIR:-build}
args=(-DCMAKE_BUILD_TYPE=Release)
if [ -n "${MPCSIM_SANITIZE:-}" ]; then
    args=(-DCMAKE_BUILD_TYPE=Debug "-DMPCSIM_SANITIZE=${MPCSIM_SANITIZE}" "-DCMAKE_C_FLAGS_DEBUG=-g -O1")
fi
# shellcheck disable=SC2086
cmake -S . -B "$dir" "${args[@]}" ${MPCSIM_CMAKE_ARGS:-} >/dev/null
cmake --build "$dir" -j"$(nproc)"
cd "$dir"
ctest --output-on-failure -j"$(nproc)"
