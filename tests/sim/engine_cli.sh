#!/usr/bin/env bash
# tests/sim/engine_cli.sh MPCSIM SCENARIO_DIR - the engine's semantics
# seen through `mpcsim run/sweep` (each case failed on the code before
# issue 13/14's engine work):
#  - rounds as the protocol counts them: Shamir sum is 2 rounds at any n
#    on lognormal latency (causal depth used to grow with n);
#  - common random numbers: trial k has the same inputs and expected in
#    every sweep point (protocol.kind);
#  - dropouts nest across a sweep over the probability (at: random);
#  - faults on the protocol's clock: a crash at_round 1 of a 2-round
#    additive sum aborts "in round 2";
#  - exact integer inputs: uniform min = max = 100000000000000010, and
#    uniform over 0 .. 2^59 - 1 is not confined to multiples of 2^27;
#  - value formatting: a 4-vector variance with a corrupt_shares party
#    runs (it overflowed a fixed buffer);
#  - draws beyond the horizon (pareto alpha 0.001, lognormal sigma 10,
#    bandwidth 1e-300) are clamped: no assertion, no UB.
set -u
mpcsim=$1
dir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
fail() { echo "FAIL: $*"; failed=1; }
# col NAME FILE: the values of result column NAME (the last one of that name).
col() {
    awk -F, -v c="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; next } { print $k }' "$2"
}

# Rounds = 2 for a Shamir sum at n = 5, 30, 200 on lognormal latency.
for n in 5 30 200; do
    "$mpcsim" run "$dir/rounds-shamir.yaml" -q --set parties=$n --csv "$tmp/r$n.csv" ||
        fail "rounds-shamir n=$n exits $?"
    got=$(col rounds "$tmp/r$n.csv" | sort -u | tr '\n' ' ')
    [ "$got" = "2 " ] || fail "Shamir sum at n=$n reports rounds '$got', expected 2"
done

# Paired trials: identical expected across protocols in trial k.
"$mpcsim" sweep "$dir/paired.yaml" -q --csv "$tmp/p.csv" || fail "paired sweep exits $?"
pairs=$(paste -d' ' <(col trial "$tmp/p.csv") <(col expected "$tmp/p.csv") | sort -u | wc -l)
[ "$pairs" -eq 4 ] || { paste -d' ' <(col protocol "$tmp/p.csv") <(col trial "$tmp/p.csv") \
    <(col expected "$tmp/p.csv"); fail "trial k's expected differs across protocols"; }
# ... and the trial seed does not depend on the point.
seeds=$(paste -d' ' <(col trial "$tmp/p.csv") <(col seed "$tmp/p.csv") | sort -u | wc -l)
[ "$seeds" -eq 4 ] || fail "trial k's seed differs across points"

# Dropout sets nest as p grows: per trial, included shrinks (Shamir
# leaves dropped parties out) and dropped grows.
"$mpcsim" sweep "$dir/dropout-nest.yaml" -q --csv "$tmp/d.csv" || fail "dropout sweep exits $?"
paste -d' ' <(col trial "$tmp/d.csv") <(col dropped "$tmp/d.csv") >"$tmp/d.txt"
awk '{ if (($1 in last) && $2 < last[$1]) bad = 1; last[$1] = $2 }
     END { exit bad }' "$tmp/d.txt" || { cat "$tmp/d.txt"; fail "dropouts do not nest across p"; }

# A crash at round 1 of a 2-round additive sum: the others abort in round 2.
"$mpcsim" run "$dir/additive-abort.yaml" -q --csv "$tmp/a.csv" || fail "additive-abort exits $?"
grep -q 'party 2 silent in round 2 (n-of-n)' "$tmp/a.csv" ||
    fail "abort reason: $(col reason "$tmp/a.csv")"

# Exact integer inputs.
"$mpcsim" run "$dir/exact-uniform.yaml" -q --csv "$tmp/e.csv" || fail "exact-uniform exits $?"
[ "$(col expected "$tmp/e.csv")" = 200000000000000020 ] ||
    fail "uniform min = max = 100000000000000010 gives sum $(col expected "$tmp/e.csv")"
"$mpcsim" run "$dir/wide-uniform.yaml" -q --csv "$tmp/w.csv" || fail "wide-uniform exits $?"
col expected "$tmp/w.csv" | awk '{ if ($1 % 134217728 != 0) odd = 1 } END { exit !odd }' ||
    fail "uniform over 0..2^59-1 gave only multiples of 2^27"

# Value formatting never overflows; the CSV is complete.
"$mpcsim" run "$dir/variance-corrupt.yaml" -q --csv "$tmp/v.csv"
rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 1 ] || fail "variance-corrupt exits $rc"
[ "$(wc -l <"$tmp/v.csv")" -eq 3 ] || fail "variance-corrupt CSV: $(cat "$tmp/v.csv")"

# Parameters whose draws leave the simulation's horizon are refused by
# validate (issue 14); single draws that still do are clamped by the engine
# (sim_ns_clamp, test_stream).
"$mpcsim" validate "$dir/huge-draws.yaml" 2>"$tmp/h.err"
rc=$?
[ "$rc" -eq 2 ] || fail "huge-draws: validate exits $rc, expected 2"
[ "$(grep -c "huge-draws.yaml:[0-9]*:[0-9]*: error" "$tmp/h.err")" -ge 1 ] ||
    fail "huge-draws: expected FILE:LINE:COL errors, got: $(cat "$tmp/h.err")"
# Mean and variance print exact values (no double, no rounding): (2^58 + 1) twice.
"$mpcsim" run "$dir/mean-exact.yaml" -q --csv "$tmp/me.csv" || fail "mean-exact exits $?"
[ "$(col output "$tmp/me.csv")" = 288230376151711745 ] ||
    fail "mean of 2^58 + 1 twice printed as $(col output "$tmp/me.csv")"
[ "$failed" -eq 0 ] || exit 1
echo "engine_cli: ok"
