#!/usr/bin/env bash
# tests/cli/front.sh MPCSIM - the front end's dispatch and option handling
# (issue 14, coverage): exit codes and messages of main's dispatch
# (--help/--version/help/version, unknown options and commands, no
# command), of run/sweep/validate option errors (each exit 2 with its
# message, nothing written), sweep --summary/--paired-by (the paired
# difference is the difference of the points' means), -j giving the same
# rows as -j 1, and --json - on stdout.  MPI-free: no launcher variables.
set -u
mpcsim=$1
# shellcheck source=expect.sh
. "$(dirname "$0")/expect.sh"

# --- main: dispatch -------------------------------------------------------
version=$("$mpcsim" --version) || fail "--version: exit $?"
[[ $version =~ ^mpcsim\ [0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "--version printed '$version'"
[ "$("$mpcsim" -V)" = "$version" ] || fail "-V differs from --version"
[ "$("$mpcsim" version)" = "$version" ] || fail "'version' differs from --version"
expect 0 "" --help
grep -q "^usage: mpcsim COMMAND \[ARGS\]" "$tmp/out" || fail "--help: no usage line"
for c in run sweep validate plot check bench; do
    grep -q "^  $c " "$tmp/out" || fail "--help does not list command $c"
done
for p in additive shamir paillier secagg; do
    grep -q "^  $p " "$tmp/out" || fail "--help does not list protocol $p"
done
grep -q "^  toy " "$tmp/out" && fail "--help lists the test-only protocol toy"
cp "$tmp/out" "$tmp/help"
expect 0 "" help
cmp -s "$tmp/out" "$tmp/help" || fail "'help' differs from --help"
# No command: the usage on stderr, exit 2, nothing on stdout.
expect 2 "usage: mpcsim COMMAND [ARGS]"
[ ! -s "$tmp/out" ] || fail "no command: wrote to stdout"
expect 2 "mpcsim: unknown option '--bogus' before the command (see mpcsim --help)" --bogus run
expect 2 "mpcsim: unknown option '-x' before the command" -x run
expect 2 "mpcsim: unknown command 'frob' (see mpcsim --help)" frob
# A control character in the command is escaped, not sent to the terminal.
expect 2 "unknown command 'a\\e[31m'" $'a\e[31m'
grep -q $'\e' "$tmp/err" && fail "unknown command: raw ESC on stderr"

# --- run / sweep / validate: option errors ------------------------------------
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
expect 0 "" run --help
grep -q "^usage: mpcsim run SCENARIO.yaml" "$tmp/out" || fail "run --help: no usage"
expect 0 "" sweep --help
grep -q "^usage: mpcsim sweep SCENARIO.yaml" "$tmp/out" || fail "sweep --help: no usage"
grep -q -- "--paired-by" "$tmp/out" || fail "sweep --help does not describe --paired-by"
expect 2 "mpcsim run: which scenario? (usage: mpcsim run SCENARIO.yaml [OPTIONS]" run
expect 2 "mpcsim sweep: which scenario?" sweep -q
expect 2 "mpcsim run: --seed expects an unsigned 64-bit integer, got 'abc'" run "$s" --seed abc
expect 2 "--seed expects an unsigned 64-bit integer, got '18446744073709551616'" run "$s" --seed 18446744073709551616
expect 2 "mpcsim run: --trials expects 1..1000000, got '0'" run "$s" --trials 0
expect 2 "--trials expects 1..1000000, got '1000001'" run "$s" --trials=1000001
expect 2 "mpcsim sweep: -j expects 1..256 threads, got '0'" sweep "$s" -j 0
expect 2 "-j expects 1..256 threads, got '257'" sweep "$s" --jobs 257
expect 2 "mpcsim run: --max-memory expects a size of at least 1M, such as 512M or 4G, got '0'" run "$s" --max-memory 0
expect 2 "mpcsim run: --trial-seed expects a row's seed (an unsigned 64-bit integer), got 'x'" run "$s" --trial-seed x
expect 2 "mpcsim run: --csv needs a value (see mpcsim run --help)" run "$s" --csv
expect 2 "mpcsim run: --jobs needs a value" run "$s" -j
expect 2 "mpcsim sweep: --paired-by needs a value (see mpcsim sweep --help)" sweep "$s" --paired-by
expect 2 "mpcsim run: unknown option '--frob' (see mpcsim run --help)" run "$s" --frob
expect 2 "mpcsim run: unknown option '-z'" run "$s" -z
# --summary and --paired-by are sweep options only.
expect 2 "mpcsim run: unknown option '--summary'" run "$s" --summary "$tmp/x.csv"
expect 2 "mpcsim run: one scenario at a time (got '$s' and 'other.yaml')" run "$s" other.yaml
expect 2 "mpcsim run: --csv and --json name the same file '$tmp/a'" run "$s" --csv "$tmp/a" --json "$tmp/a"
expect 2 "mpcsim sweep: --json and --summary name the same file" sweep "$s" --json "$tmp/a" --summary "$tmp/./a"
expect 2 "mpcsim run: --csv and --json both write to stdout ('-'); at most one output may be '-'" run "$s" --csv - --json -
expect 2 "mpcsim run: --csv '$s' is the scenario file; refusing to overwrite it" run "$s" --csv "$s"
[ ! -e "$tmp/a" ] && [ ! -e "$tmp/x.csv" ] || fail "a refused command wrote a file"
grep -q '^name: "front, end"' "$s" || fail "the scenario file was touched"
expect 2 "mpcsim sweep: --paired-by nope is not a sweep key of $s (the keys: parties)" sweep "$s" --paired-by nope --summary - -q
[ ! -s "$tmp/out" ] || fail "--paired-by nope: wrote a summary"
expect 2 "mpcsim validate: which scenario? (usage: mpcsim validate" validate
expect 2 "mpcsim validate: unknown option '--frob' (see mpcsim validate --help)" validate --frob "$s"
expect 0 "" validate --help
grep -q "^usage: mpcsim validate SCENARIO.yaml..." "$tmp/out" || fail "validate --help: no usage"
expect 0 "" validate "$s"
grep -qF "$s: ok (toy, 3 parties, 2 points x 3 trials)" "$tmp/out" || fail "validate: $(cat "$tmp/out")"

# --- sweep: --summary, --paired-by, -j ------------------------------------
cat >"$tmp/p.yaml" <<'YAML'
name: paired
seed: 5
trials: 4
parties: 4
inputs: { distribution: uniform, min: 0, max: 100 }
protocol: { kind: toy }
network: { latency: { distribution: lognormal, median_ms: 10, sigma: 0.5 } }
sweep:
  network.latency.median_ms: [10, 20]
  parties: [3, 4]
YAML
"$mpcsim" sweep "$tmp/p.yaml" -q -j 2 --csv "$tmp/r2.csv" --summary "$tmp/sum.csv" \
    --paired-by network.latency.median_ms 2>"$tmp/err" || fail "sweep --summary: exit $?: $(cat "$tmp/err")"
"$mpcsim" sweep "$tmp/p.yaml" -q -j 1 --csv "$tmp/r1.csv" 2>"$tmp/err" || fail "sweep -j 1: exit $?"
# Same rows whatever -j (wall_ms, column 24 after the two sweep columns, aside).
diff <(cut -d, -f1-23,25- "$tmp/r1.csv") <(cut -d, -f1-23,25- "$tmp/r2.csv") >/dev/null ||
    fail "-j 2 rows differ from -j 1"
[ "$(wc -l <"$tmp/r1.csv")" -eq 17 ] || fail "4 points x 4 trials: $(wc -l <"$tmp/r1.csv") lines"
python3 - "$tmp/sum.csv" "$tmp/r1.csv" <<'PY' || fail "summary check"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
trials = list(csv.DictReader(open(sys.argv[2])))
assert rows, "empty summary"
key = "sweep.network.latency.median_ms"
assert set(rows[0]) >= {key, "sweep.parties", "column", "over", "mean", "paired_by", "baseline",
                        "pairs", "diff_mean", "diff_interval"}, rows[0].keys()
lat = {(r[key], r["sweep.parties"]): r for r in rows if r["column"] == "latency_ms"}
assert len(lat) == 4, lat.keys()
for (m, p), r in lat.items():
    assert r["over"] == "ok" and r["paired_by"] == "network.latency.median_ms", r
    assert r["baseline"] == "10", r
    # the mean is the mean of the ok trials' latency_ms in the rows
    v = [float(t["latency_ms"]) for t in trials
         if t[key] == m and t["sweep.parties"] == p and t["status"] == "ok"]
    assert int(r["n"]) == len(v) and abs(float(r["mean"]) - sum(v) / len(v)) < 1e-6, (r, v)
    if m == "10":  # the baseline: no difference with itself
        assert r["pairs"] == "" and r["diff_mean"] == "", r
    else:           # complete pairs: the mean difference is the difference of the means
        base = lat[("10", p)]
        assert r["pairs"] == "4" and r["pairs_missing"] == "0", r
        d = float(r["mean"]) - float(base["mean"])
        assert abs(float(r["diff_mean"]) - d) < 1e-5, (r["diff_mean"], d)
        assert float(r["diff_ci95_low"]) <= float(r["diff_mean"]) <= float(r["diff_ci95_high"])
        assert r["diff_interval"] == "t (paired)", r
sr = [r for r in rows if r["column"] == "success_rate"]
assert len(sr) == 4 and all(r["interval"] == "wilson" and r["mean"] == "1" for r in sr), sr
PY

# --- run --json - : the JSON on stdout, one object per trial, exact integers ---
"$mpcsim" run "$s" --set parties=3 --trials 2 --json - -q >"$tmp/r.json" 2>"$tmp/err" ||
    fail "run --json -: exit $?: $(cat "$tmp/err")"
python3 - "$tmp/r.json" <<'PY' || fail "--json - check"
import json, sys
rows = json.load(open(sys.argv[1]))
assert len(rows) == 2, len(rows)
for i, r in enumerate(rows):
    assert r["scenario"] == "front, end" and r["parties"] == 3 and r["trial"] == i, r
    assert isinstance(r["seed"], str) and int(r["seed"]) >= 0, r
    assert r["status"] == "ok" and r["correct"] is True and r["output"] == r["expected"], r
    assert isinstance(r["messages"], int) and isinstance(r["bytes"], int), r
    assert r["time_to_abort_ms"] is None and r["accused"] == [] and r["reason"] == "", r
PY
echo "front: ok"
