#!/usr/bin/env bash
# tests/cli/limits.sh MPCSIM DIR - limits end runs cleanly with a clear message:
#  - --max-memory: a run that needs more stops with exit 2 and says so;
#  - a bad --max-memory / -j / --trials value is exit 2;
#  - max_sim_time_ms: the trial ends as `abort` with the reason in its row.
set -u
mpcsim=$1
dir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cat >"$tmp/big.yaml" <<'YAML'
name: big
parties: 2000
inputs: { distribution: uniform, min: 0, max: 10 }
protocol: { kind: additive }
network: { latency: { distribution: constant, ms: 5 } }
YAML
"$mpcsim" run "$tmp/big.yaml" --max-memory 64M >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" -eq 2 ] || fail "--max-memory 64M: exit $rc, expected 2"
grep -q "memory limit (--max-memory 64M) was reached" "$tmp/err" || fail "no memory-limit message: $(cat "$tmp/err")"

for bad in "--max-memory lots" "--max-memory 10" "-j 0" "--trials 0" "--seed -3" "--nonsense"; do
    # shellcheck disable=SC2086
    "$mpcsim" run "$dir/slow-network.yaml" $bad >/dev/null 2>&1
    rc=$?
    [ "$rc" -eq 2 ] || fail "run $bad: exit $rc, expected 2"
done

"$mpcsim" run "$dir/slow-network.yaml" --quiet --csv "$tmp/slow.csv" || fail "slow-network run"
grep -q ',abort,false,.*max_sim_time_ms reached' "$tmp/slow.csv" || fail "max_sim_time_ms: $(cat "$tmp/slow.csv")"
"$mpcsim" run "$dir/slow-network.yaml" --quiet --csv "$tmp/ok.csv" --set max_sim_time_ms=1000 ||
    fail "slow-network with time"
grep -q ',ok,true,10,10,' "$tmp/ok.csv" || fail "with enough time: $(cat "$tmp/ok.csv")"
echo "limits: ok"
