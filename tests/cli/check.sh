#!/usr/bin/env bash
# tests/cli/check.sh MPCSIM SCENARIOS_DIR GOOD_DIR
#
# `mpcsim check` (issue 20, item 5), on temporary copies of the bundled
# scenarios (never on the tree's files):
#  - --update writes one baseline per scenario; check passes on them (exit 0);
#  - halving paillier-slow-link's bandwidth fails (exit 1) with its latency
#    diff (baseline value, new value, change %) and no traffic diff; raising
#    shamir-robust-cheaters' threshold fails with its compute diff;
#  - --format github prints ::error annotations at the key's line;
#  - --tolerance lets a small move pass; an unknown column is exit 2;
#  - --update rewrites the baseline, after which the edited scenario passes;
#  - a wrong_output trial fails even when the baseline has it;
#  - a baseline of another model version: "the model changed" before the diff;
#  - absent vs 0, missing trials and columns are differences;
#  - bad input (no baseline, clashing baseline names) is exit 2.
set -u
mpcsim=$1
scenarios=$2
good=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; [ -f "$tmp/out" ] && cat "$tmp/out"; exit 1; }
check() { "$mpcsim" check "$@" -j 2 >"$tmp/out" 2>"$tmp/err"; }

mkdir "$tmp/s"
cp "$scenarios"/*.yaml "$tmp/s/"
n=$(ls "$tmp/s"/*.yaml | wc -l)

# ---- an unchanged tree passes ---------------------------------------------
check "$tmp/s"/*.yaml --baseline "$tmp/base" --update
rc=$?
[ "$rc" -eq 0 ] || fail "--update on the bundled scenarios: exit $rc: $(cat "$tmp/err")"
[ "$(ls "$tmp/base"/*.csv | wc -l)" -eq "$n" ] || fail "not one baseline per scenario"
head -1 "$tmp/base/lenders-50-wan.csv" | grep -q '^# mpcsim-check baseline: mpcsim_version=[^ ]* model_version=[0-9]' ||
    fail "baseline meta line: $(head -1 "$tmp/base/lenders-50-wan.csv")"
# The rest of a baseline is exactly what `mpcsim sweep --csv` writes.
"$mpcsim" sweep "$tmp/s/lenders-50-wan.yaml" -q -j 2 --csv "$tmp/sweep.csv" || fail "sweep"
wall() { awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "wall_ms") w = i }
                  { $w = "-"; print }' "$1"; }
tail -n +2 "$tmp/base/lenders-50-wan.csv" >"$tmp/b.csv"
[ "$(wall "$tmp/b.csv")" = "$(wall "$tmp/sweep.csv")" ] || fail "baseline rows differ from sweep --csv"
check "$tmp/s"/*.yaml --baseline "$tmp/base"
rc=$?
[ "$rc" -eq 0 ] || fail "unchanged tree: exit $rc"
[ "$(grep -c ': same as the baseline' "$tmp/out")" -eq "$n" ] || fail "not every scenario same"
grep -q "mpcsim check: 0 of $n scenarios changed" "$tmp/out" || fail "no final line"
cp -r "$tmp/base" "$tmp/base0"

# ---- bandwidth halved -------------------------------------------------------
s=$tmp/s/paillier-slow-link.yaml
grep -q '^  bandwidth_mbps: 10$' "$s" || fail "paillier-slow-link no longer has bandwidth_mbps: 10"
sed -i 's/^  bandwidth_mbps: 10$/  bandwidth_mbps: 5/' "$s"
check "$s" --baseline "$tmp/base"
rc=$?
[ "$rc" -eq 1 ] || fail "halved bandwidth: exit $rc, expected 1"
grep -q '^.*paillier-slow-link.yaml: CHANGED, 4 differences in 2 of 2 trials' "$tmp/out" ||
    fail "halved bandwidth: header"
# The diff line of trial 0's latency: the baseline's value, the new one, +x%.
base_lat=$(awk -F, 'NR == 2 { for (i = 1; i <= NF; i++) if ($i == "latency_ms") c = i }
                    NR == 3 { print $c }' "$tmp/base/paillier-slow-link.csv")
now_lat=$("$mpcsim" run "$s" -q --csv - | awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "latency_ms") c = i }
                                                NR == 2 { print $c }')
grep -Eq "^  0 +latency_ms +$base_lat +$now_lat +\+[0-9.]+%$" "$tmp/out" ||
    fail "halved bandwidth: no latency line '$base_lat -> $now_lat'"
grep -Eq 'latency_p50_ms' "$tmp/out" || fail "halved bandwidth: no latency_p50_ms line"
grep -Eq '  (bytes|messages|status|wall_ms|events) ' "$tmp/out" && fail "halved bandwidth: unexpected metric"

# ---- --format github ---------------------------------------------------------
line=$(grep -n '^  bandwidth_mbps:' "$s" | cut -d: -f1)
check "$s" --baseline "$tmp/base" --format github
[ $? -eq 1 ] || fail "github format: exit"
grep -q "^::error file=$s,line=$line,title=mpcsim check%3A paillier-slow-link::latency_ms changed in 2 of 2 trials (trial 0: $base_lat -> $now_lat, +[0-9.]*%25)$" \
    "$tmp/out" || fail "github: no latency_ms annotation at line $line"
[ "$(grep -c '^::error ' "$tmp/out")" -eq 2 ] || fail "github: one annotation per changed column"

# ---- --tolerance ---------------------------------------------------------------
check "$s" --baseline "$tmp/base" --tolerance latency_ms=1 --tolerance latency_p50_ms=1%
[ $? -eq 0 ] || fail "1 % tolerance should pass a 0.5 % move"
grep -q 'same as the baseline (2 trials; 4 values moved within --tolerance)' "$tmp/out" ||
    fail "tolerated values not counted"
check "$s" --baseline "$tmp/base" --tolerance latency_ms=0.1
[ $? -eq 1 ] || fail "0.1 % tolerance should fail a 0.5 % move"
grep -q ' latency_ms ' "$tmp/out" || fail "0.1 %: latency_ms moved 0.5 % and is not reported"
check "$s" --baseline "$tmp/base" --tolerance no_such_column=5
[ $? -eq 2 ] || fail "unknown --tolerance column: exit, expected 2"
grep -q 'no_such_column: no such column' "$tmp/err" || fail "unknown column message"
check "$s" --baseline "$tmp/base" --tolerance latency_ms
[ $? -eq 2 ] || fail "--tolerance without =PCT: expected 2"

# ---- threshold changed -------------------------------------------------------
t=$tmp/s/shamir-robust-cheaters.yaml
grep -q 'threshold: 3' "$t" || fail "shamir-robust-cheaters no longer has threshold: 3"
sed -i 's/threshold: 3/threshold: 2/' "$t"
check "$t" --baseline "$tmp/base"
rc=$?
[ "$rc" -eq 1 ] || fail "threshold changed: exit $rc, expected 1"
grep -Eq '^  0 +compute_ms +[0-9.]+ +[0-9.]+ +-[0-9.]+%$' "$tmp/out" || fail "threshold: no compute_ms line"

# ---- --update rewrites the baseline -------------------------------------------
check "$t" --baseline "$tmp/base" --update
[ $? -eq 0 ] || fail "--update: exit"
cmp -s "$tmp/base/shamir-robust-cheaters.csv" "$tmp/base0/shamir-robust-cheaters.csv" &&
    fail "--update did not rewrite the baseline"
ls "$tmp/base" | grep -q tmp && fail "--update left a temporary file"
check "$t" --baseline "$tmp/base"
[ $? -eq 0 ] || fail "after --update the edited scenario should pass"

# ---- wrong_output always fails ---------------------------------------------------
check "$good/cheater-sweep.yaml" --baseline "$tmp/base" --update
[ $? -eq 1 ] || fail "--update with wrong_output trials: exit 1 expected"
[ -f "$tmp/base/cheater-sweep.csv" ] || fail "--update with wrong_output: no baseline written"
grep -q ',wrong_output,' "$tmp/base/cheater-sweep.csv" || fail "cheater-sweep has no wrong_output"
check "$good/cheater-sweep.yaml" --baseline "$tmp/base" --format github
[ $? -eq 1 ] || fail "wrong_output in the baseline and now: must fail"
grep -q 'ended in wrong_output' "$tmp/out" || fail "wrong_output message"
grep -q '^::error file=.*cheater-sweep.yaml,line=[0-9]*,.*wrong_output' "$tmp/out" ||
    fail "wrong_output annotation"

# ---- the model changed ------------------------------------------------------------
cp "$tmp/base0/paillier-slow-link.csv" "$tmp/base/paillier-slow-link.csv"
sed -i '1s/model_version=[0-9]*/model_version=0/' "$tmp/base/paillier-slow-link.csv"
check "$s" --baseline "$tmp/base" --format github
[ $? -eq 1 ] || fail "model changed + diffs: exit 1 expected"
grep -q '^  the model changed: the baseline is from mpcsim [^ ]*, model 0; this is mpcsim' "$tmp/out" ||
    fail "no model-changed message"
[ "$(grep -n 'the model changed' "$tmp/out" | head -1 | cut -d: -f1)" -lt \
  "$(grep -n ' latency_ms ' "$tmp/out" | head -1 | cut -d: -f1)" ] || fail "model message after the diffs"
grep -q '^::warning file=.*line=1,.*::the model changed' "$tmp/out" || fail "github: model warning"
# Without differences it is said and passes.
p=$tmp/s/dao-vote-200.yaml
sed -i '1s/model_version=[0-9]*/model_version=0/' "$tmp/base/dao-vote-200.csv"
check "$p" --baseline "$tmp/base"
[ $? -eq 0 ] || fail "model changed, no diffs: exit 0 expected"
grep -q 'the model changed' "$tmp/out" || fail "model changed, no diffs: not said"

# ---- absent vs 0, missing trials and columns ---------------------------------------
# Set an absent (empty) numeric cell of the baseline to 0: a difference.
l=$tmp/s/lenders-50-wan.yaml
col=$(python3 - "$tmp/base/lenders-50-wan.csv" <<'EOF'
import csv, sys
path = sys.argv[1]
lines = open(path).read().splitlines(True)
rows = list(csv.reader(lines[1:]))
hdr = rows[0]
for name in ("latency_ms", "time_to_abort_ms", "depth", "max_party_compute_ms"):
    c = hdr.index(name)
    hit = [r for r in rows[1:] if r[c] == ""]
    if hit:
        hit[0][c] = "0"
        break
else:
    sys.exit("no absent value")
with open(path, "w", newline="") as f:
    f.write(lines[0])
    csv.writer(f, lineterminator="\n").writerows(rows)
print(name)
EOF
) || fail "editing the baseline"
check "$l" --baseline "$tmp/base"
[ $? -eq 1 ] || fail "absent vs 0: exit 1 expected"
grep -Eq "$col +0 +absent *\$" "$tmp/out" || fail "absent vs 0 ($col): no line"
cp "$tmp/base0/lenders-50-wan.csv" "$tmp/base/lenders-50-wan.csv"
sed -i '$d' "$tmp/base/lenders-50-wan.csv" # drop the last trial
check "$l" --baseline "$tmp/base"
[ $? -eq 1 ] || fail "a trial missing from the baseline: exit 1 expected"
grep -Eq '^  9 \(protocol.kind=additive\) +\(trial\) +missing +present' "$tmp/out" ||
    fail "missing trial not reported"
python3 - "$tmp/base0/lenders-50-wan.csv" "$tmp/base/lenders-50-wan.csv" <<'EOF' || fail "drop column"
import csv, sys
src, dst = sys.argv[1:]
lines = open(src).read().splitlines(True)
with open(dst, "w", newline="") as f:
    f.write(lines[0])
    csv.writer(f, lineterminator="\n").writerows(r[:-1] for r in csv.reader(lines[1:]))
EOF
check "$l" --baseline "$tmp/base"
[ $? -eq 1 ] || fail "a column new in this run: exit 1 expected"
grep -Eq '^  all +reason +no column +column' "$tmp/out" || fail "new column not reported"

# ---- bad input ---------------------------------------------------------------------
check "$l" --baseline "$tmp/nowhere"
[ $? -eq 2 ] || fail "no baseline: exit 2 expected"
grep -q 'no baseline .*--update' "$tmp/err" || fail "no baseline: message"
mkdir "$tmp/other"
cp "$l" "$tmp/other/"
check "$l" "$tmp/other/lenders-50-wan.yaml" --baseline "$tmp/base" --update
[ $? -eq 2 ] || fail "two scenarios on one baseline: exit 2 expected"
grep -q 'would use the same baseline' "$tmp/err" || fail "clash message"
check "$l" --baseline "$tmp/base" --format xml
[ $? -eq 2 ] || fail "--format xml: exit 2 expected"
check "$l"
[ $? -eq 2 ] || fail "no --baseline: exit 2 expected"
echo "ok: mpcsim check"
