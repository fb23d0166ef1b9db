#!/usr/bin/env bash
# tests/cli/outputs.sh MPCSIM GOOD_DIR
#
# The front end's outputs (issues 13 and 14):
#  - getopt_long: --opt=value, a missing argument named;
#  - clashing outputs refused before running; '-' is stdout (table to stderr);
#  - write errors (/dev/full, a file-size limit) exit 2, the previous file kept;
#  - SIGINT/SIGTERM/SIGHUP mid-sweep: previous file kept, TARGET.partial a valid
#    prefix of a full run's file, exit 128 + signal;
#  - columns unique (sweep.* prefix), JSON seed a string, absent values empty/null;
#  - aggregates over ok trials only, Wilson interval of the success rate;
#  - the --summary CSV quoted like the per-trial CSV;
#  - replay of a sweep row and of a SECURITY FAILURE with --trial-seed.
set -u
mpcsim=$1
good=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
py() { python3 - "$@"; }
toy=$good/toy-sweep.yaml
drop=$good/dropout-sweep.yaml

# ---- getopt_long ---------------------------------------------------------
"$mpcsim" run "$toy" --trials=2 --seed=3 --set=parties=3 -q --csv="$tmp/eq.csv" ||
    fail "--opt=value forms rejected"
[ "$(($(wc -l <"$tmp/eq.csv") - 1))" -eq 4 ] || fail "--trials=2 --set=parties=3 (2 points of 2 trials): $(wc -l <"$tmp/eq.csv") lines"
"$mpcsim" sweep "$toy" --trials 1 --set parties=3 2>&1 | grep -q "note: --set parties=3 overrides the sweep over this key: 1 of its 3 values kept" ||
    fail "the summary does not say that --set overrode a swept key"
# Paired differences by default (common random numbers); Welch and the
# independent Newcombe interval with `streams: independent`.
"$mpcsim" sweep "$toy" --trials 3 2>&1 | grep -q "(paired: trial k with trial k)" ||
    fail "sweep summary: no paired differences"
sed 's/^parties:/streams: independent\nparties:/' "$toy" >"$tmp/ind.yaml"
"$mpcsim" sweep "$tmp/ind.yaml" --trials 3 >"$tmp/ind.out" 2>&1
grep -q "independent streams: Welch / Newcombe" "$tmp/ind.out" && grep -q " welch$" "$tmp/ind.out" ||
    fail "streams: independent does not use Welch: $(head -5 "$tmp/ind.out")"
"$mpcsim" run "$toy" --trials >/dev/null 2>"$tmp/err"
rc=$?
[ "$rc" -eq 2 ] || fail "missing argument: exit $rc"
grep -q -- "--trials" "$tmp/err" && [ "$(wc -l <"$tmp/err")" -le 2 ] ||
    fail "missing argument message: $(cat "$tmp/err")"
"$mpcsim" sweep "$toy" --nosuch 2>"$tmp/err" >/dev/null
[ $? -eq 2 ] && grep -q "nosuch" "$tmp/err" || fail "unknown option: $(cat "$tmp/err")"
"$mpcsim" validate --help | grep -q usage || fail "validate --help"

# ---- clashing outputs ----------------------------------------------------
cp "$toy" "$tmp/s.yaml"
for bad in "--csv $tmp/a --json $tmp/a" "--csv $tmp/a --summary $tmp/./a" "--json $tmp/s.yaml" \
           "--csv - --json -"; do
    # shellcheck disable=SC2086
    "$mpcsim" sweep "$tmp/s.yaml" -q $bad >/dev/null 2>"$tmp/err"
    rc=$?
    [ "$rc" -eq 2 ] || fail "clash '$bad': exit $rc"
    [ ! -e "$tmp/a" ] || fail "clash '$bad' created a file"
    cmp -s "$toy" "$tmp/s.yaml" || fail "clash '$bad' overwrote the scenario"
done
printf 'field_mul: 10\n' >"$tmp/cost.yaml"
printf 'cost_model: cost.yaml\n' | cat - "$toy" >"$tmp/c.yaml"
"$mpcsim" validate "$tmp/c.yaml" >/dev/null || fail "the cost_model scenario does not validate"
"$mpcsim" sweep "$tmp/c.yaml" -q --csv "$tmp/cost.yaml" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q cost_model "$tmp/err" || fail "an output over the cost_model file was not refused"
[ "$(cat "$tmp/cost.yaml")" = "field_mul: 10" ] || fail "the cost_model file was overwritten"

# ---- '-' is stdout ---------------------------------------------------------
"$mpcsim" run "$toy" --trials 2 --json - 2>"$tmp/table" | python3 -m json.tool >/dev/null ||
    fail "run --json - is not JSON on stdout"
grep -q "trials" "$tmp/table" || fail "the human table did not go to stderr"
"$mpcsim" sweep "$toy" --trials 2 --csv - 2>/dev/null >"$tmp/stdout.csv" || fail "sweep --csv -"
py "$tmp/stdout.csv" <<'EOF' || fail "sweep --csv - is not CSV"
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
assert len(rows) == 13 and all(len(r) == len(rows[0]) for r in rows), len(rows)
EOF

# ---- write errors -----------------------------------------------------------
"$mpcsim" run "$toy" --trials 1 >/dev/full 2>/dev/null
[ $? -eq 2 ] || fail "summary to /dev/full did not exit 2"
"$mpcsim" run "$toy" --trials 1 -q --csv /dev/full 2>/dev/null
[ $? -eq 2 ] || fail "--csv /dev/full did not exit 2"
echo previous >"$tmp/prev.csv"
(ulimit -f 1; trap '' XFSZ; exec "$mpcsim" sweep "$toy" -q --csv "$tmp/prev.csv") 2>"$tmp/err"
rc=$?
[ "$rc" -eq 2 ] || fail "write error (file size limit): exit $rc: $(cat "$tmp/err")"
[ "$(cat "$tmp/prev.csv")" = previous ] || fail "a write error destroyed the previous file"
ls "$tmp" | grep -q 'prev.csv.tmp' && fail "the temporary file was left behind"

# ---- signals: the finished prefix as a valid TARGET.partial -------------------
blank() {
    awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "wall_ms") w = i; print; next }
                      { $w = "-"; print }' "$1"
}
# long-sweep.yaml cannot finish within the test; trial seeds depend on (seed,
# point, trial) only, so a run with --trials N writes the first N rows of a
# full run, to compare the partial file with.
for sig in INT TERM HUP; do
    echo previous >"$tmp/out.csv"
    echo '"previous"' >"$tmp/out.json"
    "$mpcsim" sweep "$good/long-sweep.yaml" -j 2 -q --csv "$tmp/out.csv" --json "$tmp/out.json" \
        2>"$tmp/err" &
    pid=$!
    # Wait (bounded) until some rows have been written, then interrupt.
    for _ in $(seq 1 600); do
        n=$(cat "$tmp"/out.csv.tmp-* 2>/dev/null | wc -l)
        [ "$n" -ge 4 ] && break
        sleep 0.05
    done
    kill -s "$sig" "$pid"
    wait "$pid"
    rc=$?
    case $sig in INT) want=130 ;; TERM) want=143 ;; HUP) want=129 ;; esac
    [ "$rc" -eq "$want" ] || fail "SIG$sig: exit $rc, expected $want: $(cat "$tmp/err")"
    [ "$(cat "$tmp/out.csv")" = previous ] || fail "SIG$sig: the previous CSV was replaced"
    [ "$(cat "$tmp/out.json")" = '"previous"' ] || fail "SIG$sig: the previous JSON was replaced"
    [ -f "$tmp/out.csv.partial" ] && [ -f "$tmp/out.json.partial" ] || fail "SIG$sig: no .partial"
    ls "$tmp" | grep -q '\.tmp-' && fail "SIG$sig: a temporary file was left behind"
    rows=$(($(wc -l <"$tmp/out.csv.partial") - 1))
    [ "$rows" -ge 1 ] && [ "$rows" -lt 50000 ] || fail "SIG$sig: $rows rows in the partial file"
    blank "$tmp/out.csv.partial" >"$tmp/part.b"
    "$mpcsim" sweep "$good/long-sweep.yaml" --trials "$rows" -q --csv "$tmp/full.csv" ||
        fail "long sweep, $rows trials"
    blank "$tmp/full.csv" | head -n $((rows + 1)) | cmp -s - "$tmp/part.b" ||
        fail "SIG$sig: the partial CSV is not the first $rows rows of a full run"
    py "$tmp/out.json.partial" "$rows" <<'EOF' || fail "SIG$sig: the partial JSON is not valid"
import json, sys
rows = json.load(open(sys.argv[1]))
assert isinstance(rows, list) and len(rows) == int(sys.argv[2]), len(rows)
assert [r["trial"] for r in rows[:3]] == [0, 1, 2]
EOF
    grep -q "$rows of 100000 trials" "$tmp/err" && grep -q "out.csv.partial" "$tmp/err" ||
        fail "SIG$sig: stderr does not say how many trials finished and where: $(cat "$tmp/err")"
    rm -f "$tmp/out.csv.partial" "$tmp/out.json.partial"
done

# ---- unique columns, exact JSON ----------------------------------------------
"$mpcsim" sweep "$good/seed-parties-sweep.yaml" -q --csv "$tmp/sp.csv" --json "$tmp/sp.json" ||
    fail "seed/parties sweep"
py "$tmp/sp.csv" "$tmp/sp.json" <<'EOF' || fail "columns are not unique or values lost"
import csv, json, sys
hdr = next(csv.reader(open(sys.argv[1])))
assert len(hdr) == len(set(hdr)), hdr
assert hdr[:2] == ["sweep.seed", "sweep.parties"], hdr[:2]
def no_dups(pairs):
    keys = [k for k, _ in pairs]
    assert len(keys) == len(set(keys)), keys
    return dict(pairs)
rows = json.load(open(sys.argv[2]), object_pairs_hook=no_dups)
assert [r["sweep.seed"] for r in rows[::4]] == ["1", "2"], [r["sweep.seed"] for r in rows]
assert all(isinstance(r["seed"], str) and int(r["seed"]) >= 0 for r in rows)
assert all(str(r["parties"]) == r["sweep.parties"] for r in rows)
EOF

# ---- aggregates over ok trials; Wilson; counts per status ---------------------
"$mpcsim" sweep "$drop" -q --csv "$tmp/d.csv" --json "$tmp/d.json" --summary "$tmp/dsum.csv" ||
    fail "dropout sweep"
py "$tmp/d.csv" "$tmp/dsum.csv" "$tmp/d.json" <<'EOF' || fail "dropout sweep aggregates"
import csv, json, math, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
summ = list(csv.DictReader(open(sys.argv[2])))
key = "sweep.faults.dropout.probability"
aborts = 0
pending = set()
for p in sorted({r[key] for r in rows}, key=float):
    pr = [r for r in rows if r[key] == p]
    ok = [r for r in pr if r["status"] == "ok"]
    aborts += len(pr) - len(ok)
    for r in pr:
        if r["status"] != "ok" and r["latency_ms"] != "":
            # The runner marks the latency of an aborted trial absent (NAN) after the
            # engine engineer's merge; until then it reports 0.  Anything else is a fault.
            assert float(r["latency_ms"]) == 0, ("abort row with a latency", r["latency_ms"])
            pending.add("abort rows report latency 0, not absent (runner, pending merge)")
    s = {x["column"]: x for x in summ if x[key] == p}
    lat = s["latency_ms"]
    assert int(lat["n"]) == len(ok), (p, lat["n"], len(ok))
    assert lat["over"] == "ok", lat["over"]
    if ok:
        m = statistics.mean(float(r["latency_ms"]) for r in ok)
        assert abs(float(lat["mean"]) - m) < 1e-6 * max(1, m), (p, lat["mean"], m)
        assert abs(float(lat["median"]) - statistics.median(float(r["latency_ms"]) for r in ok)) < 1e-6
    else:
        assert lat["mean"] == "" and lat["ci95_low"] == "", lat
    sr = s["success_rate"]
    k, n = len(ok), len(pr)
    z = 1.959963984540054
    c = (k / n + z * z / (2 * n)) / (1 + z * z / n)
    h = z * math.sqrt(k / n * (1 - k / n) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert abs(float(sr["mean"]) - k / n) < 1e-9
    assert abs(float(sr["ci95_low"]) - max(0, c - h)) < 1e-6, (sr["ci95_low"], c - h)
    assert abs(float(sr["ci95_high"]) - min(1, c + h)) < 1e-6, (sr["ci95_high"], c + h)
    assert int(sr["ok"]) == k and int(sr["abort"]) + int(sr["wrong_output"]) == n - k
assert aborts > 0, "the dropout sweep had no aborted trial: the test proves nothing"
for r in json.load(open(sys.argv[3])):
    if r["status"] != "ok":
        assert r["latency_ms"] is None or r["latency_ms"] == 0, r["latency_ms"]
for p in pending:
    print("PENDING:", p)
EOF

# One trial: a mean, but no interval (never [x, x]).
"$mpcsim" sweep "$drop" --trials 1 -q --summary "$tmp/one.csv" || fail "one-trial sweep"
py "$tmp/one.csv" <<'EOF' || fail "a one-trial point has an interval"
import csv, sys
for r in csv.DictReader(open(sys.argv[1])):
    if r["column"] in ("messages", "bytes"):
        assert r["n"] == "1" and r["mean"] != "" and r["ci95_low"] == r["ci95_high"] == "", r
        assert r["sd"] == "" and r["interval"] == "", r
EOF

# ---- the --summary CSV is quoted like the per-trial CSV -----------------------
sed 's/^name: toy-sweep/name: "exchanges, EU"/' "$toy" >"$tmp/q.yaml"
"$mpcsim" sweep "$tmp/q.yaml" --trials 2 -q --csv "$tmp/q.csv" --summary "$tmp/qs.csv" ||
    fail "quoted-name sweep"
py "$tmp/q.csv" "$tmp/qs.csv" <<'EOF' || fail "a name with a comma adds a field"
import csv, sys
for f in sys.argv[1:]:
    rows = list(csv.reader(open(f)))
    assert all(len(r) == len(rows[0]) for r in rows), f
    assert rows[1][rows[0].index("scenario")] == "exchanges, EU"
EOF

# ---- replay ------------------------------------------------------------------
# A row of a sweep: --trial-seed SEED --set KEY=VALUE (its point) gives the same
# row, all columns but wall_ms and events.  Trial k has the same seed at every
# point (common random numbers), so the original row is picked by seed and
# point, and --set on the swept key selects that point alone.
py "$tmp/d.csv" >"$tmp/pick" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
r = [r for r in rows if r["status"] != "ok"][0]
print(r["seed"], r["sweep.faults.dropout.probability"], r["trial"])
EOF
read -r seed p trial <"$tmp/pick"
"$mpcsim" run "$drop" --trial-seed "$seed" --set "faults.dropout.probability=$p" -q \
    --csv "$tmp/replay.csv" || fail "replay run"
py "$tmp/d.csv" "$tmp/replay.csv" "$seed" "$p" <<'EOF' || fail "the replayed row differs"
import csv, sys
key = "sweep.faults.dropout.probability"
orig = [r for r in csv.DictReader(open(sys.argv[1]))
        if r["seed"] == sys.argv[3] and r[key] == sys.argv[4]][0]
rep = list(csv.DictReader(open(sys.argv[2])))
assert len(rep) == 1, len(rep)
for c in orig:
    if c not in ("wall_ms", "events"):
        assert orig[c] == rep[0][c], (c, orig[c], rep[0][c])
EOF
# A SECURITY FAILURE line prints the command that replays it; running it gives the row.
"$mpcsim" sweep "$good/cheater-sweep.yaml" -q --csv "$tmp/ch.csv" 2>"$tmp/err"
[ $? -eq 1 ] || fail "cheater sweep should exit 1"
line=$(grep -m1 "SECURITY FAILURE" "$tmp/err")
echo "$line" | grep -q "parties=" || fail "the SECURITY FAILURE line names no sweep point: $line"
cmd=$(grep -m1 "replay: " "$tmp/err" | sed 's/^.*replay: //')
[ -n "$cmd" ] || fail "no replay command after the SECURITY FAILURE line: $line"
echo "$cmd" | grep -q -- "--trial-seed" || fail "replay command: $cmd"
cmd=${cmd/mpcsim /\"\$mpcsim\" }
eval "$cmd -q --csv \"$tmp/chr.csv\"" 2>/dev/null
[ $? -eq 1 ] || fail "the replay command did not reproduce the wrong_output"
py "$tmp/ch.csv" "$tmp/chr.csv" <<'EOF' || fail "the replayed SECURITY FAILURE row differs"
import csv, sys
orig = [r for r in csv.DictReader(open(sys.argv[1])) if r["status"] == "wrong_output"][0]
rep = list(csv.DictReader(open(sys.argv[2])))
assert len(rep) == 1, len(rep)
for c in orig:
    if c not in ("wall_ms", "events"):
        assert orig[c] == rep[0][c], (c, orig[c], rep[0][c])
EOF

# ---- an abort row has no output (tester finding, issue 16) ----------------
# Parties 0-2 output the sum; party 3 (a 1 kbit/s downlink) aborts.  The row
# is an abort: output, expected and included are empty and correct is false
# (was: party 0's output beside correct=false and an empty expected).
cat >"$tmp/partial.yaml" <<'YAML'
name: partial
parties: 4
inputs: { values: [1, 2, 3, 4], length: 1 }
computation: sum
protocol: { kind: shamir, threshold: 1, round_timeout_ms: 10 }
max_sim_time_ms: 50
network: { latency: { distribution: constant, ms: 1 }, bandwidth_mbps: 100 }
profiles:
  - { parties: [3], downlink_mbps: 0.001 }
YAML
"$mpcsim" run "$tmp/partial.yaml" --trials 1 -q --csv "$tmp/partial.csv" --per-party "$tmp/pp.csv"
py "$tmp/partial.csv" "$tmp/pp.csv" <<'EOF' || fail "an abort row shows an output"
import csv, sys
row = list(csv.DictReader(open(sys.argv[1])))[0]
assert row["status"] == "abort", row["status"]
for c in ("output", "expected", "included"):
    assert row[c] == "", (c, row[c])
assert row["correct"] == "false", row["correct"]
pp = {r["party"]: r["status"] for r in csv.DictReader(open(sys.argv[2]))}
assert pp == {"0": "output", "1": "output", "2": "output", "3": "abort"}, pp
EOF
echo "outputs: ok"
