#!/usr/bin/env bash
# tests/cli/secagg_wide.sh MPCSIM - secagg beyond 2^60 (issue 18): wei-sized
# sums exact with input_bits 100 (CSV and JSON, signed and weighted, SecAgg+
# too, a client dropping), the default input_bits derived exactly from
# 128-bit values and uniform bounds, and a value past input_bits refused at
# run time when the scenario leaves it to a distribution.
set -u
mpcsim=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
col() { # col CSV NAME -> the column's values, one per row
    awk -F, -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; next } { print $k }' "$1"
}

# wei balances, signed, input_bits 100: the exact sum, in CSV and JSON.
cat >"$tmp/wei.yaml" <<'YAML'
name: secagg-wei
parties: 6
trials: 2
inputs:
  values: [0, 1500000000000000000000000, 2000000000000000000, 123456789012345678901234567, -99999999999999999999999, 7]
protocol: { kind: secagg, input_bits: 100 }
YAML
"$mpcsim" run "$tmp/wei.yaml" --quiet --csv "$tmp/w.csv" --json "$tmp/w.json" || fail "wei exits $?"
[ "$(col "$tmp/w.csv" output | sort -u)" = 124856791012345678901234575 ] ||
    fail "wei output: $(col "$tmp/w.csv" output | sort -u)"
[ "$(col "$tmp/w.csv" status | sort -u)" = ok ] || fail "wei status: $(col "$tmp/w.csv" status)"
grep -q '"output": 124856791012345678901234575' "$tmp/w.json" || fail "JSON output not exact"

# weighted_sum and SecAgg+ (num_shares 3 of 9 clients), one client dropping
# before its masked input: the sum over the others, exact.
cat >"$tmp/wplus.yaml" <<'YAML'
name: secagg-wei-plus
parties: 10
trials: 1
inputs:
  values: [0, 1000000000000000000000000000, 3, -5, 7, 11, 13, 17, 19, 23]
computation: { kind: weighted_sum, weights: [0, 100, 1, 1, 1, 1, 1, 1, 1, -1] }
faults: { crash: [ { party: 4, at_round: 2 } ] }
protocol: { kind: secagg, num_shares: 4, input_bits: 110 }
YAML
"$mpcsim" run "$tmp/wplus.yaml" --quiet --csv "$tmp/p.csv" || fail "wplus exits $?"
# 10^29 + 3 - 5 + 11 + 13 + 17 + 19 - 23 (party 4, 7, dropped)
[ "$(col "$tmp/p.csv" output)" = 100000000000000000000000000035 ] ||
    fail "weighted SecAgg+ output: $(col "$tmp/p.csv" output) ($(col "$tmp/p.csv" reason))"

# input_bits derived from the values: 2^125 - 1 needs 125 bits unsigned; 4 clients fit 127.
cat >"$tmp/edge.yaml" <<'YAML'
name: secagg-edge
parties: 5
trials: 1
inputs:
  values: [0, 42535295865117307932921825928971026431, 42535295865117307932921825928971026431, 0, 1]
protocol: { kind: secagg }
YAML
"$mpcsim" run "$tmp/edge.yaml" --quiet --csv "$tmp/e.csv" || fail "edge exits $?"
[ "$(col "$tmp/e.csv" output)" = 85070591730234615865843651857942052863 ] ||
    fail "edge output: $(col "$tmp/e.csv" output)"

# uniform over a 100-bit range: input_bits from the bounds, every trial exact.
cat >"$tmp/uni.yaml" <<'YAML'
name: secagg-uniform-wide
parties: 8
trials: 3
inputs: { distribution: uniform, min: -633825300114114700748351602688, max: 633825300114114700748351602687 }
protocol: { kind: secagg }
YAML
"$mpcsim" run "$tmp/uni.yaml" --quiet --csv "$tmp/u.csv" || fail "uniform exits $?"
[ "$(col "$tmp/u.csv" correct | sort -u)" = true ] || fail "uniform: $(col "$tmp/u.csv" correct)"

# Two's complement: b bits hold [-2^(b-1), 2^(b-1)) (tester finding: -2^(b-1)
# was refused, for the default 126 bits as for an explicit input_bits).
edge() { # edge VALUES INPUT_BITS -> run's CSV output column, or "refused"
    printf 'name: edge\nparties: 3\ninputs: { values: %s }\ncomputation: sum\nprotocol: { kind: secagg%s }\n' \
        "$1" "${2:+, input_bits: $2}" >"$tmp/edge.yaml"
    if "$mpcsim" run "$tmp/edge.yaml" --trials 1 -q --csv "$tmp/edge.csv" 2>/dev/null; then
        col "$tmp/edge.csv" output
    else
        echo refused
    fi
}
[ "$(edge '[0, 0, -42535295865117307932921825928971026432]' '')" = -42535295865117307932921825928971026432 ] ||
    fail "-2^125 (126 bits) not accepted exactly: $(edge '[0, 0, -42535295865117307932921825928971026432]' '')"
[ "$(edge '[0, 0, -42535295865117307932921825928971026433]' '')" = refused ] || fail "-2^125 - 1 accepted"
[ "$(edge '[0, 7, -8]' 4)" = -1 ] || fail "[7, -8] in 4 bits: $(edge '[0, 7, -8]' 4)"
[ "$(edge '[0, 7, -9]' 4)" = refused ] || fail "-9 accepted in 4 bits"
[ "$(edge '[0, 8, -8]' 4)" = refused ] || fail "8 accepted in 4 bits"
# The server's own input (party 0) is not summed: it does not count toward
# the sum's bound (tester finding: [Q, Q, Q] was refused, [0, Q, Q] ran).
Q=42535295865117307932921825928971026431 # 2^125 - 1
[ "$(edge "[$Q, $Q, $Q]" '')" = 85070591730234615865843651857942052862 ] ||
    fail "the server's input counted toward the sum bound: $(edge "[$Q, $Q, $Q]" '')"
printf 'name: e\nparties: 4\ninputs: { values: [0, %s, %s, %s] }\nprotocol: { kind: secagg }\n' $Q $Q $Q >"$tmp/e3.yaml"
"$mpcsim" validate "$tmp/e3.yaml" 2>&1 | grep -q "e3.yaml:3:.*sum of these inputs over 3 parties leaves the range protocol secagg takes" ||
    fail "three clients' sum past 2^126 not refused: $("$mpcsim" validate "$tmp/e3.yaml" 2>&1)"
echo "secagg_wide: ok"
