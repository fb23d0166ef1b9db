#!/usr/bin/env bash
# tests/cli/wei.sh MPCSIM SCENARIOS_DIR - DeFi-sized values end to end
# (issue 18): the bundled wei scenario's output is its plaintext answer;
# 128-bit values are written exactly to CSV and JSON; m61 refuses values
# that need m127 (run and validate, FILE:LINE:COL); uniform draws over a
# 128-bit range stay in range and are summed exactly; decimal weights and
# means are exact.
set -u
mpcsim=$1
scenarios=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
col() { # col CSV NAME -> the column's values, one per row
    awk -F, -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; next } { print $k }' "$1"
}

# The bundled proof of reserves: every trial outputs the total in wei.
"$mpcsim" run "$scenarios/reserves-8-exchanges-wei.yaml" --quiet --csv "$tmp/r.csv" \
    --json "$tmp/r.json" || fail "reserves-8-exchanges-wei exits $?"
[ "$(col "$tmp/r.csv" output | sort -u)" = 7654470369591480370248814 ] ||
    fail "reserves output: $(col "$tmp/r.csv" output | sort -u)"
grep -q '"output": 7654470369591480370248814, "expected": 7654470369591480370248814' "$tmp/r.json" ||
    fail "JSON output is not the exact number: $(head -3 "$tmp/r.json")"
python3 -c "import json,sys; r=json.load(open(sys.argv[1])); assert all(x['output']==7654470369591480370248814 for x in r)" \
    "$tmp/r.json" || fail "JSON does not parse to the exact integer"

# m61 refuses a 2-ETH balance, naming the place and the fix.
cat >"$tmp/m61.yaml" <<'YAML'
name: m61
parties: 2
inputs: { values: [2000000000000000000, 1] }
protocol: { kind: additive }
YAML
for cmd in validate run; do
    "$mpcsim" $cmd "$tmp/m61.yaml" >/dev/null 2>"$tmp/err" && fail "$cmd accepted a value beyond m61"
    grep -q "m61.yaml:3:20: error: an input 2000000000000000000 does not fit the field GF(2^61 - 1) (|x| < 2^60): set protocol.field: m127" \
        "$tmp/err" || fail "$cmd message: $(cat "$tmp/err")"
done

# uniform over a 128-bit range: inputs in range, the sum exact (ok rows:
# output == expected) and within n * [min, max].
cat >"$tmp/u.yaml" <<'YAML'
name: u
trials: 20
parties: 3
inputs: { distribution: uniform, min: -28356863910078205288614550619314017621, max: 28356863910078205288614550619314017621 }
protocol: { kind: additive, field: m127, mac: true }
YAML
"$mpcsim" run "$tmp/u.yaml" --quiet --csv "$tmp/u.csv" || fail "uniform 128-bit run exits $?"
python3 - "$tmp/u.csv" <<'PY' || fail "uniform 128-bit rows"
import csv, sys
m = 28356863910078205288614550619314017621
rows = list(csv.DictReader(l for l in open(sys.argv[1]) if not l.startswith('#')))
assert len(rows) == 20
outs = set()
for r in rows:
    assert r['status'] == 'ok' and r['output'] == r['expected'], r
    v = int(r['output'])
    assert -3 * m <= v <= 3 * m, v
    outs.add(v)
assert len(outs) == 20                 # draws differ
assert max(abs(v) for v in outs) > 2**100  # and use the range
PY

# Decimal weights 0.1 and 0.2 over equal wei inputs: exactly 0.3 of them;
# a mean that no decimal writes is a fraction (a JSON string).
cat >"$tmp/w.yaml" <<'YAML'
name: w
parties: 2
inputs: { values: [1000000000000000001, 1000000000000000001] }
computation: { kind: weighted_sum, weights: [0.1, 0.2] }
protocol: { kind: additive, field: m127 }
YAML
"$mpcsim" run "$tmp/w.yaml" --quiet --csv "$tmp/w.csv" || fail "weights run exits $?"
[ "$(col "$tmp/w.csv" output)" = 300000000000000000.3 ] || fail "0.1 + 0.2: $(col "$tmp/w.csv" output)"
cat >"$tmp/m.yaml" <<'YAML'
name: m
parties: 3
inputs: { values: [1000000000000000000, 1000000000000000000, 1000000000000000001] }
computation: mean
protocol: { kind: additive, field: m127 }
YAML
"$mpcsim" run "$tmp/m.yaml" --quiet --csv "$tmp/m.csv" --json "$tmp/m.json" || fail "mean run exits $?"
[ "$(col "$tmp/m.csv" output)" = 3000000000000000001/3 ] || fail "mean: $(col "$tmp/m.csv" output)"
grep -q '"output": "3000000000000000001/3"' "$tmp/m.json" || fail "mean JSON: $(cat "$tmp/m.json")"
# A lognormal around e^48 (~7e20) draws within m127, and m61 refuses it.
cat >"$tmp/ln.yaml" <<'YAML'
name: ln
trials: 3
parties: 5
inputs: { distribution: lognormal, zeta: 48, sigma: 1 }
protocol: { kind: shamir, field: m127 }
YAML
"$mpcsim" run "$tmp/ln.yaml" --quiet --csv "$tmp/ln.csv" || fail "lognormal m127 exits $?"
[ "$(col "$tmp/ln.csv" status | sort -u)" = ok ] || fail "lognormal m127 statuses"
sed 's/, field: m127//' "$tmp/ln.yaml" >"$tmp/ln61.yaml"
"$mpcsim" validate "$tmp/ln61.yaml" 2>"$tmp/err" && fail "m61 accepted a lognormal beyond 2^60"
grep -q "beyond the field (|x| < 2^60)" "$tmp/err" || fail "lognormal m61 message: $(cat "$tmp/err")"
echo "wei: ok"
