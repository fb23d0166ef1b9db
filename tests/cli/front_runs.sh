#!/usr/bin/env bash
# tests/cli/front_runs.sh MPCSIM - the front end's runs past option parsing
# (issue 14, coverage): the run title and elapsed line, -q, --paired-by
# on sweep.KEY and without a sweep, unwritable outputs, the trial limit,
# a full stdout, protocol columns of a mixed sweep, seed and size parsing,
# --secure-random, --skip-invalid, the SECURITY FAILURE replay line (run
# back, it reproduces the row), outputs that are not regular files.
set -u
mpcsim=$1
# shellcheck source=expect.sh
. "$(dirname "$0")/expect.sh"

cat >"$tmp/s.yaml" <<'YAML'
name: "front, end"
seed: 5
trials: 3
parties: 4
inputs: { distribution: uniform, min: 0, max: 100 }
protocol: { kind: toy }
network: { latency: { distribution: constant, ms: 10 } }
sweep:
  parties: [3, 5]
YAML
s=$tmp/s.yaml

# --- run / sweep: paths that end before or after the trials ----------------
cat >"$tmp/n.yaml" <<'YAML'
name: nosweep
seed: 3
trials: 2
parties: 3
inputs: { values: [1, 2, 3] }
protocol: { kind: toy }
YAML
expect 0 "" run "$tmp/n.yaml" -j 2
grep -q "^nosweep: toy, 3 parties, sum, 2 trials, seed 3$" "$tmp/out" || fail "run: no title: $(cat "$tmp/out")"
grep -Eq "^elapsed [0-9.]+ ms wall time for 2 trials on 2 threads$" "$tmp/out" || fail "run -j 2: no elapsed line"
expect 0 "" run "$tmp/n.yaml" -q
[ ! -s "$tmp/out" ] || fail "run -q printed: $(cat "$tmp/out")"
expect 2 "mpcsim sweep: --paired-by parties is not a sweep key of $tmp/n.yaml (it has no sweep)" sweep "$tmp/n.yaml" --paired-by parties
expect 0 "" sweep "$s" --paired-by sweep.parties --summary - -q
grep -q '^5,"front, end",toy,5,latency_ms,ok,3,3,0,.*,parties,3,3,0,' "$tmp/out" ||
    fail "--paired-by sweep.parties: $(cat "$tmp/out")"
expect 2 "mpcsim run: cannot write $tmp/no/such/dir.csv: No such file or directory" run "$tmp/n.yaml" --csv "$tmp/no/such/dir.csv"
sed 's/parties: \[3, 5\]/parties: [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]/' "$s" >"$tmp/s11.yaml"
expect 2 "mpcsim sweep: 11000000 trials in all; the limit is 10000000" sweep "$tmp/s11.yaml" --trials 1000000 -q
# A full stdout is an error (exit 2), not a silent truncation.
if [ -w /dev/full ]; then
    "$mpcsim" run "$tmp/n.yaml" >/dev/full 2>"$tmp/err"
    [ $? -eq 2 ] && grep -q "mpcsim run: cannot write to stdout: " "$tmp/err" || fail "run >/dev/full: $(cat "$tmp/err")"
    "$mpcsim" validate "$tmp/n.yaml" >/dev/full 2>"$tmp/err"
    [ $? -eq 2 ] && grep -q "mpcsim validate: cannot write to stdout: " "$tmp/err" || fail "validate >/dev/full"
fi
# A sweep over protocols: the protocol columns of every point, once each.
cat >"$tmp/mix.yaml" <<'YAML'
name: mix
seed: 3
trials: 1
parties: 3
inputs: { values: [1, 2, 3] }
protocol: { kind: toy }
sweep:
  protocol.kind: [toy, additive, secagg]
YAML
expect 0 "" run "$tmp/mix.yaml" --csv - -q
head -1 "$tmp/out" | grep -q ",max_party_compute_ms,retransmissions,offline_messages,offline_bytes,offline_compute_ms,server_bytes,server_compute_ms,reason$" ||
    fail "mixed sweep header: $(head -1 "$tmp/out")"
[ "$(wc -l <"$tmp/out")" -eq 4 ] || fail "mixed sweep: $(wc -l <"$tmp/out") lines"
grep -q '^toy,mix,0,[0-9]*,toy,3,ok,true,6,6,' "$tmp/out" || fail "mixed sweep: toy row"

# --- number parsing: hex seeds equal decimal ones; octal-looking, empty and
# trailing-garbage values refused; --max-memory suffixes --------------------
rows() { "$mpcsim" run "$tmp/n.yaml" -q --csv - "$@" | cut -d, -f1-20; }
[ "$(rows --seed 0x1F)" = "$(rows --seed 31)" ] || fail "--seed 0x1F differs from --seed 31"
[ "$(rows --seed 0XaB)" = "$(rows --seed 171)" ] || fail "--seed 0XaB differs from --seed 171"
[ "$(rows --seed 31)" != "$(rows --seed 32)" ] || fail "--seed has no effect"
for bad in 010 0x 12a -1; do
    expect 2 "mpcsim run: --seed expects an unsigned 64-bit integer, got '$bad'" run "$tmp/n.yaml" --seed "$bad"
done
expect 0 "" run "$tmp/n.yaml" -q --max-memory 1024k
expect 0 "" run "$tmp/n.yaml" -q --max-memory 2GB
expect 0 "" run "$tmp/n.yaml" -q --max-memory=1.5m
for bad in 512k 1.5x -4G; do
    expect 2 "--max-memory expects a size of at least 1M, such as 512M or 4G, got '$bad'" run "$tmp/n.yaml" -q --max-memory "$bad"
done
# --secure-random: OS randomness for the shares, still the right answers.
expect 0 "" run "$tmp/n.yaml" -q --secure-random --csv -
[ "$(grep -c ',toy,3,ok,true,6,6,' "$tmp/out")" -eq 2 ] || fail "--secure-random rows: $(cat "$tmp/out")"

# --- --skip-invalid: an invalid sweep point is exit 2 without it, skipped with it
cat >"$tmp/inv.yaml" <<'YAML'
name: inv
seed: 3
trials: 1
parties: 3
inputs: { distribution: uniform, min: 0, max: 9 }
protocol: { kind: shamir, threshold: 2 }
sweep:
  parties: [1, 3]
YAML
expect 2 "error: the errors above are in sweep point 1 (parties=1)" sweep "$tmp/inv.yaml" -q --csv -
[ ! -s "$tmp/out" ] || fail "an invalid point: rows written"
expect 0 "error: the errors above are in sweep point 1 (parties=1); skipped (--skip-invalid)" sweep "$tmp/inv.yaml" -q --skip-invalid --csv -
[ "$(wc -l <"$tmp/out")" -eq 2 ] && grep -q '^3,inv,0,[0-9]*,shamir,3,ok,true,' "$tmp/out" ||
    fail "--skip-invalid rows: $(cat "$tmp/out")"

# --- SECURITY FAILURE: exit 1, and the replay line, shell-quoted (a path with
# a space and a quote, a --set with a quote, one with a tab), reproduces the row.
mkdir -p "$tmp/my dir"
cat >"$tmp/my dir/it's.yaml" <<'YAML'
name: cheat
seed: 11
trials: 1
parties: 3
inputs: { distribution: uniform, min: 0, max: 1000 }
protocol: { kind: additive }
adversary: { parties: [1], behaviour: corrupt_shares }
sweep:
  parties: [3, 4]
YAML
expect 1 "mpcsim: SECURITY FAILURE: x\\ty at point parties=3 trial 0 (seed " sweep "$tmp/my dir/it's.yaml" \
    --set "description=a'b" --set $'name=x\ty' -q --csv "$tmp/cheat.csv"
grep -q "^  replay: mpcsim run '$tmp/my dir/it'\\\\''s.yaml' --set 'description=a'\\\\''b' --set \$'name=x\\\\x09y' --set parties=3 --trial-seed [0-9]*\$" "$tmp/err" ||
    fail "replay line: $(cat "$tmp/err")"
replay=$(grep -m1 '^  replay: mpcsim run ' "$tmp/err" | sed 's/^  replay: mpcsim run //')
eval "\"\$mpcsim\" run $replay -q --csv \"\$tmp/replay.csv\"" 2>/dev/null
[ $? -eq 1 ] || fail "the replay did not end in wrong_output"
# The same row (but wall_ms, column 23 after the sweep column).
[ "$(sed -n 2p "$tmp/replay.csv" | cut -d, -f1-22,24-)" = "$(sed -n 2p "$tmp/cheat.csv" | cut -d, -f1-22,24-)" ] ||
    fail "the replay's row differs: $(sed -n 2p "$tmp/replay.csv") vs $(sed -n 2p "$tmp/cheat.csv")"
grep -q ',wrong_output,false,' "$tmp/replay.csv" || fail "replay row: $(cat "$tmp/replay.csv")"

# --- output files that are not regular files, and one file under two names ---
mkdir -p "$tmp/d"
expect 2 "mpcsim run: cannot write $tmp/d: Is a directory" run "$tmp/n.yaml" -q --csv "$tmp/d"
if [ -w /dev/full ]; then
    expect 2 "mpcsim run: cannot write /dev/full: No space left on device" run "$tmp/n.yaml" -q --csv /dev/full
fi
expect 0 "" run "$tmp/n.yaml" -q --json /dev/null --csv "$tmp/ok.csv"
[ -c /dev/null ] && [ "$(wc -l <"$tmp/ok.csv")" -eq 3 ] || fail "--json /dev/null broke /dev/null or the CSV"
(cd "$tmp" && "$mpcsim" run n.yaml -q --csv new.csv --json ./d/../new.csv 2>err)
[ $? -eq 2 ] && grep -qF -- "--csv and --json name the same file 'new.csv'" "$tmp/err" ||
    fail "new.csv and ./d/../new.csv: $(cat "$tmp/err")"
expect 2 "--csv '$tmp/d/../n.yaml' is the scenario file; refusing to overwrite it" run "$tmp/n.yaml" -q --csv "$tmp/d/../n.yaml"
[ ! -e "$tmp/new.csv" ] || fail "a refused run created new.csv"
ls "$tmp"/*.tmp-* "$tmp"/d/*.tmp-* >/dev/null 2>&1 && fail "temporary files left behind"
echo "front_runs: ok"
