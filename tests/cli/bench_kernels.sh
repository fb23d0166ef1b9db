#!/usr/bin/env bash
# tests/cli/bench_kernels.sh MPCSIM - the bench kernels the front end
# registers (sim/cli/kernels_cli.c) through `mpcsim bench`: listed, and
# the load/validate and toy all-to-all kernels run, pass their checks
# (a failing check is exit 1) and report.  scenario/paillier_sum (2048-bit
# keys, seconds per trial) is only listed here: too slow for the suite.
set -u
mpcsim=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$mpcsim" bench --list >"$tmp/list" 2>"$tmp/err" || fail "bench --list: exit $?"
for k in scenario/load_validate scenario/toy_all_to_all/n=1000 scenario/paillier_sum/n=100/2048; do
    grep -qx "$k" "$tmp/list" || fail "bench --list lacks $k"
done

"$mpcsim" bench --filter '^scenario/(load_validate|toy_all_to_all/n=1000)$' --min-time 0.001 \
    --repetitions 1 --json "$tmp/b.json" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" -eq 0 ] || fail "bench: exit $rc (a kernel's check failed?): $(cat "$tmp/err" "$tmp/out")"
grep -q "^scenario/load_validate .* load *$" "$tmp/out" || fail "no load_validate line: $(cat "$tmp/out")"
grep -q "^scenario/toy_all_to_all/n=1000 .* message *$" "$tmp/out" || fail "no toy line: $(cat "$tmp/out")"
python3 - "$tmp/b.json" <<'PY' || fail "bench JSON"
import json, sys
b = json.load(open(sys.argv[1]))["benchmarks"]
runs = {x["name"]: x for x in b if x.get("run_type") == "iteration"}
assert set(runs) == {"scenario/load_validate", "scenario/toy_all_to_all/n=1000"}, runs.keys()
for name, x in runs.items():
    assert x["iterations"] >= 1 and x["real_time"] > 0 and x["items_per_second"] > 0, x
PY
echo "bench_kernels: ok"
