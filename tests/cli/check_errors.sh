#!/usr/bin/env bash
# tests/cli/check_errors.sh MPCSIM - `mpcsim check` on bad input (issue 14,
# coverage): usage errors, baselines that are not result files (no header,
# no `trial` column, a row of the wrong width), the version notes (another
# mpcsim version, no version line), an uncreatable baseline directory or
# temporary file, a scenario that does not load, a full stdout.  Each is
# exit 2 with its message, or exit 0 with the note.  And the differences
# found: a missing column or trial, a change from 0, more than 25 lines.
#
# A baseline row of the wrong width crashed `check` (table_clear read
# t->keys, still NULL, for the rows read before the error); now exit 2.
set -u
mpcsim=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# expect RC 'TEXT' ARGS...: exit code, and TEXT on stderr+stdout.
expect() {
    local want=$1 msg=$2
    shift 2
    "$mpcsim" "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    [ "$rc" -eq "$want" ] || fail "mpcsim $*: exit $rc, expected $want; $(cat "$tmp/err" "$tmp/out")"
    cat "$tmp/out" "$tmp/err" | grep -qF -- "$msg" || fail "mpcsim $*: no '$msg' in: $(cat "$tmp/out" "$tmp/err")"
}

cd "$tmp" || exit 1
cat >n.yaml <<'YAML'
name: nosweep
seed: 3
trials: 2
parties: 3
inputs: { values: [1, 2, 3] }
protocol: { kind: toy }
YAML
expect 0 "usage: mpcsim check SCENARIO.yaml... --baseline DIR" check --help
expect 2 "mpcsim check: which scenarios? (usage: mpcsim check SCENARIO.yaml... --baseline DIR" check
expect 2 "mpcsim check: --baseline DIR is required" check n.yaml
expect 2 "mpcsim check: unknown option '--frob' (see mpcsim check --help)" check --frob n.yaml
expect 2 "mpcsim check: --baseline needs a value (see mpcsim check --help)" check n.yaml --baseline
expect 2 "mpcsim check: --tolerance expects COLUMN=PERCENT (e.g. latency_ms=5), got 'x'" check n.yaml --baseline b --tolerance x
expect 2 "mpcsim check: --format is text or github, got 'xml'" check n.yaml --baseline b --format xml

expect 0 "n.yaml: baseline written to b/n.csv (2 trials)" check n.yaml --baseline b --update
head -1 b/n.csv | grep -q "^# mpcsim-check baseline: mpcsim_version=[^ ]* model_version=[0-9]* scenario=n$" ||
    fail "baseline meta line: $(head -1 b/n.csv)"
expect 0 "n.yaml: same as the baseline (2 trials)" check n.yaml --baseline b
version=$("$mpcsim" --version | cut -d' ' -f2)

bad() { rm -rf c && mkdir c && cp b/n.csv c/n.csv && sed -i "$1" c/n.csv; }
bad '2,$d'
expect 2 "c/n.csv:1: error: no CSV header; not a baseline file" check n.yaml --baseline c
bad '2s/,trial,/,trail,/'
expect 2 "c/n.csv:2: error: no \`trial\` column; not a file of result rows" check n.yaml --baseline c
bad "1s/mpcsim_version=$version/mpcsim_version=0.0.0-old/"
expect 0 "  note: the baseline is from mpcsim 0.0.0-old (this is $version); the model is the same" check n.yaml --baseline c
bad '1d'
expect 0 "the model changed: the baseline records no model version (it was not written by mpcsim check --update)" check n.yaml --baseline c
grep -q "every trial is the same; mpcsim check --update records the new versions" "$tmp/out" || fail "no-version note: $(cat "$tmp/out")"

touch afile
expect 2 "mpcsim check: cannot create the baseline directory afile/sub: Not a directory" check n.yaml --baseline afile/sub --update
TMPDIR=$tmp/none expect 2 "mpcsim check: cannot create a temporary file in $tmp/none: No such file or directory" check n.yaml --baseline b
printf 'name: bad\nparties: 1\n' >bad.yaml
expect 2 "mpcsim check: bad.yaml: not run (see above)" check bad.yaml --baseline b
grep -q "^bad.yaml:2:10: error: " "$tmp/err" || fail "bad.yaml: no located error: $(cat "$tmp/err")"
if [ -w /dev/full ]; then
    "$mpcsim" check n.yaml --baseline b >/dev/full 2>"$tmp/err"
    [ $? -eq 2 ] && grep -q "mpcsim check: cannot write to stdout: " "$tmp/err" || fail "check >/dev/full: $(cat "$tmp/err")"
fi

# Differences the comparison finds: a baseline column the run lacks, a
# baseline trial the run lacks, a value from 0, more than 25 lines.
bad '2s/,reason$/,gone,reason/; 3,4s/,\([^,]*\)$/,7,\1/'
expect 1 "  all    gone      column  no column" check n.yaml --baseline c
bad '$p; $s/^nosweep,1,/nosweep,5,/'
expect 1 "  5      (trial)   present  missing" check n.yaml --baseline c
bad '3s/,toy,3,ok,true,6,6,3,\([^,]*\),\([^,]*\),1,6,/,toy,3,ok,true,6,6,3,\1,\2,1,0,/'
expect 1 "  0      messages         0    6  from 0" check n.yaml --baseline c
sed 's/^trials: 2$/trials: 7/' n.yaml >n7.yml
expect 0 "n7.yml: baseline written to b/n7.csv (7 trials)" check n7.yml --baseline b --update
sed -i '3,$s/,toy,3,ok,true,6,6,3,\([^,]*\),\([^,]*\),1,6,288,192,/,toy,3,ok,true,6,6,3,\1,\2,2,7,289,193,/' b/n7.csv
expect 1 "n7.yml: CHANGED, 28 differences in 7 of 7 trials (baseline b/n7.csv)" check n7.yml --baseline b
grep -q "^  ... and 3 more differences$" "$tmp/out" || fail "no '... and 3 more': $(cat "$tmp/out")"
[ "$(grep -c '^  [0-6]  ' "$tmp/out")" -eq 25 ] || fail "not 25 diff lines: $(cat "$tmp/out")"
tol=()
for i in $(seq 65); do tol+=(--tolerance latency_ms=1); done
expect 2 "mpcsim check: at most 64 --tolerance options" check n.yaml --baseline b "${tol[@]}"

# A row wider than the header: an error, not a crash.
bad '3s/$/,extra/'
"$mpcsim" check n.yaml --baseline c >"$tmp/out" 2>"$tmp/err"
rc=$?
grep -qE "runtime error|AddressSanitizer" "$tmp/err" && fail "sanitizer report: $(cat "$tmp/err")"
[ "$rc" -eq 2 ] && grep -qE "^c/n.csv:3: error: [0-9]+ fields, the header has [0-9]+$" "$tmp/err" ||
    fail "a row of the wrong width: exit $rc: $(cat "$tmp/err")"
echo "check_errors: ok"
