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
# The advice is never a size at or under the limit just hit (64 MiB =
# 67.1 MB): validate's estimate, or what the refused allocation needed.
advised() { sed -n 's/.*need \(about\|more than\) \([0-9.]*\) MB.*/\2/p' "$tmp/err"; }
need=$(advised)
[ -n "$need" ] && awk -v n="$need" 'BEGIN { exit !(n > 67.1) }' ||
    fail "--max-memory 64M: advised ${need:-nothing} MB: $(cat "$tmp/err")"
# Where validate's estimate is lower than what a trial allocates (a
# 400-party dao-vote: 17.8 MB estimated, about 18 MB allocated), the advice
# is what the refused allocation needed, above the 17400 KiB (17.82 MB)
# limit (rounded up: "17.8" would be under it), not the estimate.
sed 's/^parties: .*/parties: 400/' "$(dirname "$0")/../../scenarios/dao-vote-200.yaml" >"$tmp/dao.yaml"
"$mpcsim" run "$tmp/dao.yaml" -q -j1 --trials 1 --max-memory 17400K >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] || fail "dao-vote 400 --max-memory 17400K: not exit 2: $(cat "$tmp/err")"
grep -q "what the refused allocation needed" "$tmp/err" || fail "17400K: not the refused allocation's need: $(cat "$tmp/err")"
need=$(advised)
[ -n "$need" ] && awk -v n="$need" 'BEGIN { exit !(n > 17.8176) }' ||
    fail "--max-memory 17400K: advised ${need:-nothing} MB, not above the limit: $(cat "$tmp/err")"

# A limit that every trial of a sweep fits under runs the sweep: memory
# a worker keeps from one trial for the next (sim_pool) must not add to a
# trial of another shape.  Alone, the constant-latency point (grouped
# queue) needs about 12.6 MiB and the lognormal one (radix heap) 17.6 MiB;
# the radix blocks kept beside the next trial's made the sweep need 24.3.
cat >"$tmp/shapes.yaml" <<'YAML'
name: shapes
parties: 500
inputs: { distribution: uniform, min: 0, max: 10 }
protocol: { kind: additive }
network: { latency: 20 }
sweep:
  network.latency: [{ distribution: lognormal, median_ms: 20, sigma: 0.3 }, 20, { distribution: lognormal, median_ms: 20, sigma: 0.3 }]
YAML
"$mpcsim" sweep "$tmp/shapes.yaml" -q -j 1 --max-memory 19M --csv "$tmp/shapes.csv" 2>"$tmp/err" ||
    fail "a sweep whose every trial fits in 19M stopped: $(cat "$tmp/err")"
[ "$(grep -c ',ok,true,' "$tmp/shapes.csv")" -eq 3 ] || fail "shapes: not 3 correct rows: $(cat "$tmp/shapes.csv")"
# The advice counts the trials that run at once: one trial runs alone
# whatever -j says, so its need is one trial's estimate.
head -5 "$tmp/shapes.yaml" >"$tmp/one.yaml"
"$mpcsim" run "$tmp/one.yaml" -q -j 2 --trials 1 --max-memory 2M >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] || fail "--max-memory 2M: not exit 2"
grep -q "by validate's estimate, 1 at a time" "$tmp/err" || fail "one trial, -j 2: $(cat "$tmp/err")"
"$mpcsim" run "$tmp/one.yaml" -q -j 2 --trials 3 --max-memory 2M >/dev/null 2>"$tmp/err"
grep -q "by validate's estimate, 2 at a time" "$tmp/err" || fail "three trials, -j 2: $(cat "$tmp/err")"

# The smallest accepted limit (1M) runs a small scenario (loading used to
# take a 1 MB buffer, so every scenario failed); when loading needs more,
# the error says how much.
cat >"$tmp/small.yaml" <<'YAML'
name: small
parties: 3
inputs: { values: [1, 2, 3] }
protocol: { kind: additive }
YAML
"$mpcsim" run "$tmp/small.yaml" --max-memory 1M --quiet 2>"$tmp/err" || fail "--max-memory 1M, small: $(cat "$tmp/err")"
python3 -c "print('name: s\nparties: 3\ninputs: { values: [1, 2, 3] }\nprotocol: { kind: additive }\nsweep: { seed: [' + ', '.join(str(i) for i in range(60000)) + '] }')" >"$tmp/sweep60k.yaml"
# (--trials 1 on both runs: the quoted peak includes what the options allocate.)
"$mpcsim" run "$tmp/sweep60k.yaml" --max-memory 1M --trials 1 --quiet >/dev/null 2>"$tmp/err"
rc=$?
[ "$rc" -eq 2 ] || fail "--max-memory 1M, big sweep: exit $rc"
grep -q "the memory limit was reached; loading it needs [0-9]* bytes" "$tmp/err" ||
    fail "no minimum in the message: $(cat "$tmp/err")"
# The quoted minimum is the real one: with it, loading succeeds.
need_k=$(sed -n 's/.*loading it needs [0-9]* bytes, quoted as \([0-9]*\)K.*/\1/p' "$tmp/err")
[ -n "$need_k" ] || fail "no quoted minimum: $(cat "$tmp/err")"
"$mpcsim" run "$tmp/sweep60k.yaml" --max-memory "${need_k}K" --trials 1 --quiet >/dev/null 2>"$tmp/err"
grep -q "while loading" "$tmp/err" && fail "--max-memory ${need_k}K (the quoted minimum) still fails loading"

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
# --set on a swept key overrides the sweep: the points shrink to that value
# (or to one point with it when the list does not hold it).
cat >"$tmp/ksweep.yaml" <<'YAML'
name: k
parties: 3
inputs: { distribution: uniform, min: 0, max: 9 }
protocol: { kind: additive }
sweep: { protocol.kind: [additive, shamir, toy], parties: [3, 4] }
YAML
"$mpcsim" sweep "$tmp/ksweep.yaml" --quiet --csv "$tmp/k.csv" --set protocol.kind=shamir ||
    fail "sweep --set protocol.kind=shamir"
[ "$(tail -n +2 "$tmp/k.csv" | wc -l)" -eq 2 ] || fail "--set on a swept key: $(cat "$tmp/k.csv")"
[ "$(tail -n +2 "$tmp/k.csv" | grep -c ',shamir,')" -eq 2 ] || fail "not shamir: $(cat "$tmp/k.csv")"
"$mpcsim" sweep "$tmp/ksweep.yaml" --quiet --csv "$tmp/k.csv" --set parties=5 || fail "sweep --set parties=5"
[ "$(tail -n +2 "$tmp/k.csv" | wc -l)" -eq 3 ] || fail "--set parties=5 (not listed): $(cat "$tmp/k.csv")"

# Sweep values are written in full (no 127-character cut): two points that
# differ only at the end of a long list get different values.
{
    printf 'name: v\nparties: 2\ninputs: { values: [1, 2] }\nprotocol: { kind: additive }\n'
    printf 'sweep:\n  description: ["%s-a", "%s-b"]\n' "$(printf 'x%.0s' {1..150})" "$(printf 'x%.0s' {1..150})"
} >"$tmp/long.yaml"
"$mpcsim" sweep "$tmp/long.yaml" --quiet --csv "$tmp/long.csv" || fail "long sweep values"
[ "$(cut -d, -f1 "$tmp/long.csv" | tail -n +2 | sort -u | wc -l)" -eq 2 ] || fail "labels collide: $(cat "$tmp/long.csv")"

# Small files cost little: 99 000 keys in one flow map (the duplicate check
# was quadratic), a sweep of 99 000 values (each point copied the tree), and
# parties: 100000 with 5000 partitions (dense groups took 1.96 GB), under a
# 1 GB address-space limit.  `timeout` is a hang guard, not a measurement.
python3 -c "print('{' + ','.join('\"%x\":1' % i for i in range(99000)) + '}')" >"$tmp/keys.yaml"
timeout 300 "$mpcsim" validate "$tmp/keys.yaml" >/dev/null 2>"$tmp/err"
rc=$?
[ "$rc" -eq 2 ] || fail "99 000 keys: exit $rc"
python3 -c "print('name: s\nparties: 3\ninputs: { values: [1, 2, 3] }\nprotocol: { kind: additive }\nsweep: { seed: [' + ', '.join(str(i) for i in range(99000)) + '] }')" >"$tmp/sweep.yaml"
timeout 300 "$mpcsim" validate "$tmp/sweep.yaml" >"$tmp/out" 2>"$tmp/err" || fail "99 000 sweep values: $(cat "$tmp/err")"
grep -q "99000 points" "$tmp/out" || fail "99 000 sweep values: $(cat "$tmp/out")"
python3 -c "
print('name: p\nparties: 100000\ninputs: { distribution: uniform, min: 0, max: 9 }\nprotocol: { kind: additive }')
print('network:\n  partitions:')
for i in range(5000):
    print('    - { from_ms: %d, to_ms: %d, groups: [[%d]] }' % (i, i + 1, i))" >"$tmp/parts.yaml"
# (A sanitizer build cannot start under ulimit -v: its shadow memory is
# reserved up front; there the check is only that validation ends.)
vlimit="ulimit -v 1000000"
(eval "$vlimit" && "$mpcsim" validate "$tmp/small.yaml") >/dev/null 2>&1 || vlimit=":"
(eval "$vlimit" && timeout 300 "$mpcsim" validate "$tmp/parts.yaml") >"$tmp/out" 2>"$tmp/err" ||
    fail "100000 parties x 5000 partitions: $(cat "$tmp/err")"
echo "limits: ok"
