#!/usr/bin/env bash
# scripts/memcheck.sh - valgrind memcheck over every bundled scenario:
#     mpcsim run scenarios/X.yaml --trials 1 -j 1
# Any memcheck error or definite, indirect or possible leak fails (exit 1).  The build
# is portable Release with debug info in build-memcheck (valgrind 3.19
# cannot run AVX-512, so no -march=native).  tests/valgrind.supp holds
# third-party noise only, one commented entry each.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-memcheck -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMPCSIM_NATIVE=OFF \
    -DBUILD_TESTING=OFF -DMPCSIM_MPI=OFF >/dev/null
cmake --build build-memcheck -j"$(nproc)" --target mpcsim >/dev/null
fail=0
for sc in scenarios/*.yaml; do
    start=$(date +%s)
    if valgrind --quiet --error-exitcode=1 --leak-check=full --show-leak-kinds=definite,indirect,possible \
        --errors-for-leak-kinds=definite,indirect,possible --suppressions=tests/valgrind.supp \
        build-memcheck/mpcsim run "$sc" --trials 1 -j 1 >/dev/null; then
        echo "memcheck: $sc ok ($(($(date +%s) - start)) s)"
    else
        echo "memcheck: $sc FAILED (exit $?)"
        fail=1
    fi
done
exit $fail
