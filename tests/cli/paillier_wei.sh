#!/usr/bin/env bash
# tests/cli/paillier_wei.sh MPCSIM SCENARIOS_DIR - Paillier holds DeFi-sized
# values (issue 18): the bundled wei reserves scenario run under Paillier
# (threshold and single decryption, star and tree) outputs its plaintext
# answer; a decimal-weighted sum and a mean of wei balances are exact; a
# result at |x| = 2^126 - 1 is exact and one past it is refused by validate
# and run alike (FILE:LINE:COL, naming the bound); 128-bit uniform draws.
set -u
mpcsim=$1
scenarios=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
col() { # col CSV NAME -> the column's values, one per row
    awk -F, -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; next } { print $k }' "$1"
}

# The bundled proof of reserves (8 exchanges, ~10^24 wei each) under Paillier.
total=7654470369591480370248814
i=0
for proto in '{kind: paillier}' '{kind: paillier, decryption: single}' \
    '{kind: paillier, key_bits: 1024, aggregation: tree, fanout: 2}' \
    '{kind: paillier, key_bits: 1024, decryption: single, aggregation: tree, fanout: 3}'; do
    i=$((i + 1))
    "$mpcsim" run "$scenarios/reserves-8-exchanges-wei.yaml" --set "protocol=$proto" --quiet \
        --csv "$tmp/r$i.csv" --json "$tmp/r$i.json" || fail "reserves with $proto exits $?"
    [ "$(col "$tmp/r$i.csv" output | sort -u)" = $total ] ||
        fail "reserves with $proto: $(col "$tmp/r$i.csv" output | sort -u)"
    [ "$(col "$tmp/r$i.csv" status | sort -u)" = ok ] || fail "reserves with $proto: statuses"
    [ "$(col "$tmp/r$i.csv" protocol | sort -u)" = paillier ] || fail "reserves: not paillier"
    python3 -c "import json,sys; r=json.load(open(sys.argv[1])); assert len(r)==5 and all(x['output']==$total for x in r)" \
        "$tmp/r$i.json" || fail "reserves with $proto: JSON is not the exact integer"
done

# Decimal weights over wei balances and a mean, against Python's integers.
cat >"$tmp/w.yaml" <<'YAML'
name: w
parties: 4
inputs: { values: [1834502117000000000000000, -412993000000000000000000, 2250000000000000000000001, 98765432109876543210987] }
computation: { kind: weighted_sum, weights: [1.5, 0.25, -3, 0.0125] }
protocol: { kind: paillier, key_bits: 1024, decryption: single }
YAML
"$mpcsim" run "$tmp/w.yaml" --quiet --csv "$tmp/w.csv" || fail "weighted run exits $?"
want=$(python3 -c "
x = [1834502117000000000000000, -412993000000000000000000, 2250000000000000000000001, 98765432109876543210987]
w = [15000, 2500, -30000, 125]  # the weights times 10^4
s = sum(a * b for a, b in zip(x, w))
q, r = divmod(abs(s), 10**4)
print(('-' if s < 0 else '') + str(q) + ('.' + str(r).rjust(4, '0').rstrip('0') if r else ''))")
[ "$(col "$tmp/w.csv" output)" = "$want" ] || fail "weighted: $(col "$tmp/w.csv" output), want $want"
[ "$(col "$tmp/w.csv" correct)" = true ] || fail "weighted: not correct"
sed 's/{ kind: weighted_sum.*}/mean/' "$tmp/w.yaml" >"$tmp/m.yaml"
"$mpcsim" run "$tmp/m.yaml" --quiet --csv "$tmp/m.csv" || fail "mean run exits $?"
[ "$(col "$tmp/m.csv" output)" = 942568637277469135802747 ] || fail "mean: $(col "$tmp/m.csv" output)"

# The bound: a sum of exactly 2^126 - 1 is exact; 2^126 is refused, by
# validate and run alike, at the inputs, naming the bound.
b=85070591730234615865843651857942052863 # 2^126 - 1
cat >"$tmp/edge.yaml" <<YAML
name: edge
parties: 3
inputs: { values: [0, 85070591730234615865843651857942052862, 1] }
protocol: { kind: paillier, key_bits: 1024 }
YAML
"$mpcsim" run "$tmp/edge.yaml" --quiet --csv "$tmp/e.csv" || fail "sum at 2^126 - 1 exits $?"
[ "$(col "$tmp/e.csv" output)" = $b ] || fail "sum at the bound: $(col "$tmp/e.csv" output)"
sed 's/, 1\] }/, 2] }/' "$tmp/edge.yaml" >"$tmp/past.yaml"
for cmd in validate run; do
    "$mpcsim" $cmd "$tmp/past.yaml" >/dev/null 2>"$tmp/err"
    [ $? = 2 ] || fail "$cmd accepted a Paillier sum of 2^126"
    grep -q "past.yaml:3:9: error: the sum of these inputs over 3 parties leaves the range protocol paillier takes (|x| < 2^126)" \
        "$tmp/err" || fail "$cmd message: $(cat "$tmp/err")"
done
# A single input of 2^126, and a negative sum past the bound.
sed "s/\[0, .*\] }/[0, 85070591730234615865843651857942052864, 0] }/" "$tmp/edge.yaml" >"$tmp/in.yaml"
for cmd in validate run; do
    "$mpcsim" $cmd "$tmp/in.yaml" >/dev/null 2>"$tmp/err"
    [ $? = 2 ] || fail "$cmd accepted a Paillier input of 2^126"
    grep -q "in.yaml:3:23: error: .*protocol paillier's range, |x| < 2^126" "$tmp/err" ||
        fail "$cmd input message: $(cat "$tmp/err")"
done
sed "s/\[0, .*\] }/[-85070591730234615865843651857942052863, -1, 0] }/" "$tmp/edge.yaml" >"$tmp/neg.yaml"
"$mpcsim" validate "$tmp/neg.yaml" 2>"$tmp/err" && fail "validate accepted a sum of -2^126"
grep -q "leaves the range protocol paillier takes (|x| < 2^126)" "$tmp/err" ||
    fail "negative message: $(cat "$tmp/err")"
# Weighted: each input fits, the weighted sum does not.
cat >"$tmp/wpast.yaml" <<'YAML'
name: wpast
parties: 2
inputs: { values: [42535295865117307932921825928971026432, 1] }
computation: { kind: weighted_sum, weights: [2, 0] }
protocol: { kind: paillier, key_bits: 1024 }
YAML
"$mpcsim" validate "$tmp/wpast.yaml" 2>"$tmp/err" && fail "validate accepted a weighted sum of 2^126"
grep -q "the weighted_sum of these inputs over 2 parties leaves the range protocol paillier takes" \
    "$tmp/err" || fail "weighted message: $(cat "$tmp/err")"

# uniform over a 128-bit range under Paillier: drawn exactly, summed exactly.
cat >"$tmp/u.yaml" <<'YAML'
name: u
trials: 6
parties: 3
inputs: { distribution: uniform, min: -28356863910078205288614550619314017621, max: 28356863910078205288614550619314017621 }
protocol: { kind: paillier, key_bits: 1024, decryption: single }
YAML
"$mpcsim" run "$tmp/u.yaml" --quiet --csv "$tmp/u.csv" || fail "uniform 128-bit run exits $?"
python3 - "$tmp/u.csv" <<'PY' || fail "uniform 128-bit rows"
import csv, sys
rows = list(csv.DictReader(l for l in open(sys.argv[1]) if not l.startswith('#')))
assert len(rows) == 6
assert all(r['status'] == 'ok' and r['output'] == r['expected'] for r in rows), rows
assert max(abs(int(r['output'])) for r in rows) > 2**100
PY
# A lognormal around e^48 (~7e20) is within Paillier's range (it was refused at 2^60).
cat >"$tmp/ln.yaml" <<'YAML'
name: ln
trials: 2
parties: 4
inputs: { distribution: lognormal, zeta: 48, sigma: 1 }
protocol: { kind: paillier, key_bits: 1024 }
YAML
"$mpcsim" run "$tmp/ln.yaml" --quiet --csv "$tmp/ln.csv" || fail "lognormal paillier exits $?"
[ "$(col "$tmp/ln.csv" correct | sort -u)" = true ] || fail "lognormal paillier rows"
sed 's/zeta: 48/zeta: 88/' "$tmp/ln.yaml" >"$tmp/ln88.yaml"
"$mpcsim" validate "$tmp/ln88.yaml" 2>"$tmp/err" && fail "paillier accepted a lognormal near e^88"
grep -q "beyond the field (|x| < 2^126)" "$tmp/err" || fail "lognormal message: $(cat "$tmp/err")"
echo "paillier_wei: ok"
