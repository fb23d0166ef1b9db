#!/usr/bin/env bash
# scripts/quickstart.sh - install what mpcsim needs, build it, run the
# default bundled scenario.  Safe to run again: each step is idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)"
exec ./build/mpcsim run scenarios/reserves-5-exchanges.yaml "$@"
