#!/usr/bin/env bash
# scripts/fuzz.sh [SECONDS] - build the libFuzzer targets (clang, ASan+UBSan)
# and run each for SECONDS (default 60), seeded with tests/fuzz/corpus/NAME.
# A crash leaves its input as build-fuzz/crash-*; fix it and add the input
# to tests/fuzz/corpus/NAME so CTest replays it from then on.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
./scripts/install-deps.sh
CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DMPCSIM_FUZZ=ON \
    -DMPCSIM_SANITIZE=address,undefined -DMPCSIM_MPI=OFF >/dev/null
cmake --build build-fuzz -j"$(nproc)" >/dev/null
for bin in build-fuzz/tests/fuzz/fuzz_*; do
    name=${bin##*/fuzz_}
    work=build-fuzz/corpus-$name
    mkdir -p "$work"
    echo "== fuzz_$name for ${secs}s"
    (cd build-fuzz && "../$bin" -max_total_time="$secs" -max_len=65536 -timeout=10 \
        -rss_limit_mb=4096 -print_final_stats=1 "corpus-$name" "../tests/fuzz/corpus/$name" \
        2>&1 | grep -E '^(#[0-9]+[[:space:]]+DONE|stat::|==|SUMMARY|ERROR)' || true)
    ls build-fuzz/crash-* build-fuzz/leak-* build-fuzz/timeout-* 2>/dev/null && exit 1
done
echo "fuzz: no findings"
