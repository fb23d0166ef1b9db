#!/usr/bin/env bash
# tests/cli/run_scenario.sh MPCSIM SCENARIO GOLDEN_DIR [EXPECTED_EXIT]
#
# Runs a bundled scenario twice and checks, for every trial row:
#  - the exit code (0 unless the scenario is meant to show wrong_output: 1);
#  - status is ok/abort (or wrong_output only when the exit is 1), and
#    every `ok` row has correct=true with output == expected;
#  - the two runs are identical in every column but wall_ms (determinism);
#  - the rows equal the golden file tests/golden/NAME.csv, as `mpcsim check`
#    compares them (every column but wall_ms and events).
# MPCSIM_UPDATE_GOLDEN=1 rewrites the golden file instead of comparing.
set -u
mpcsim=$1
scenario=$2
golden_dir=$3
want_exit=${4:-0}
name=$(basename "$scenario" .yaml)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for run in 1 2; do
    "$mpcsim" run "$scenario" --quiet --csv "$tmp/run$run.csv" 2>"$tmp/err$run"
    rc=$?
    if [ "$rc" -ne "$want_exit" ]; then
        echo "FAIL $name: exit $rc, expected $want_exit"; cat "$tmp/err$run"; exit 1
    fi
done

# Blank wall_ms (the only non-deterministic column) by header position.
blank() {
    awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "wall_ms") w = i; print; next }
                      { $w = "-"; print }' "$1"
}
blank "$tmp/run1.csv" >"$tmp/a.csv"
blank "$tmp/run2.csv" >"$tmp/b.csv"
if ! cmp -s "$tmp/a.csv" "$tmp/b.csv"; then
    echo "FAIL $name: two runs with one seed differ"; diff "$tmp/a.csv" "$tmp/b.csv" | head; exit 1
fi

# Row checks by column name (outputs hold ';', never ',').
awk -F, -v want="$want_exit" -v name="$name" '
NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
{
    st = $col["status"]; ok = $col["correct"]; out = $col["output"]; want_out = $col["expected"]
    rows++
    if (st == "ok" && (ok != "true" || out != want_out)) { print "FAIL " name ": ok row " NR " not correct: " out " vs " want_out; bad = 1 }
    if (st == "wrong_output" && want != 1) { print "FAIL " name ": wrong_output in row " NR; bad = 1 }
    if (st != "ok" && st != "abort" && st != "wrong_output") { print "FAIL " name ": status " st; bad = 1 }
    if ($col["false_accusations"] != 0) { print "FAIL " name ": an honest party was accused in row " NR; bad = 1 }
}
END { if (rows == 0) { print "FAIL " name ": no rows"; bad = 1 } exit bad }' "$tmp/run1.csv" || exit 1

golden="$golden_dir/$name.csv"
if [ "${MPCSIM_UPDATE_GOLDEN:-0}" = 1 ]; then
    # mpcsim check's baseline format: its version line, then the rows
    # (wall_ms blanked, so a regenerated file differs only where results do).
    "$mpcsim" check "$scenario" --baseline "$tmp/cb" --update >/dev/null || {
        echo "FAIL $name: mpcsim check --update"; exit 1; }
    { head -1 "$tmp/cb/$name.csv"; cat "$tmp/a.csv"; } >"$golden"
    echo "updated $golden"
    exit 0
fi
if [ ! -f "$golden" ]; then
    echo "FAIL $name: no golden file $golden (run with MPCSIM_UPDATE_GOLDEN=1 and review it)"; exit 1
fi
# The comparison is mpcsim check's (the guard users run in their CI): every
# column but wall_ms and the engine-internal events, exactly as text.
if ! "$mpcsim" check "$scenario" --baseline "$golden_dir" >"$tmp/check.out" 2>&1; then
    echo "FAIL $name: rows differ from $golden"; cat "$tmp/check.out"; exit 1
fi
if grep -q "the model changed" "$tmp/check.out"; then
    echo "FAIL $name: $golden was written by another mpcsim or model version"; cat "$tmp/check.out"; exit 1
fi
echo "$name: $(($(wc -l <"$tmp/a.csv") - 1)) rows ok, deterministic, equal to golden (mpcsim check)"
