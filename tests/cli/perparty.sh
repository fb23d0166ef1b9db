#!/usr/bin/env bash
# tests/cli/perparty.sh MPCSIM SCENARIO_DIR GOOD_DIR [MPIRUN]
#
# Per-party results (issue 20, item 1):
#  - for every bundled scenario, per trial: messages_sent and bytes_sent
#    summed over the non-dealer rows equal the trial's `messages` and
#    `bytes`; the dealer row (additive only) equals offline_messages /
#    offline_bytes; one row per party; roles, statuses and absent values;
#  - the JSON form (by extension and --per-party-json) holds the same rows;
#  - the run table names the critical party (the last honest output);
#  - clashes with --csv and the scenario are refused; '-' is stdout;
#  - with MPIRUN: a sweep over 3 ranks writes the same per-party file.
set -u
mpcsim=$1
scenarios=$2
good=$3
mpirun=${4:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

for s in "$scenarios"/*.yaml; do
    name=$(basename "$s" .yaml)
    "$mpcsim" run "$s" -q -j2 --csv "$tmp/$name.csv" --per-party-json "$tmp/$name.pp.js" \
        2>"$tmp/err"
    rc=$?
    [ "$rc" -le 1 ] || fail "$name: exit $rc: $(cat "$tmp/err")"
    "$mpcsim" run "$s" -q -j2 --per-party "$tmp/$name.pp.csv" 2>"$tmp/err" >/dev/null
    rc=$?
    [ "$rc" -le 1 ] || fail "$name: exit $rc: $(cat "$tmp/err")"
    python3 - "$name" "$tmp/$name.csv" "$tmp/$name.pp.csv" "$tmp/$name.pp.js" <<'EOF' || exit 1
import csv, json, math, sys
name, trials_path, pp_path, js_path = sys.argv[1:]
trials = list(csv.DictReader(open(trials_path)))
pp = list(csv.DictReader(open(pp_path)))
js = json.load(open(js_path))
def fail(msg):
    print(f"FAIL: {name}: {msg}")
    sys.exit(1)
if len(js) != len(pp):
    fail(f"JSON has {len(js)} rows, CSV {len(pp)}")
for a, b in zip(pp, js):
    for k in ("party", "messages_sent", "bytes_sent", "bytes_received", "depth"):
        want = None if a[k] == "" else int(a[k])
        if b[k] != want:
            fail(f"JSON {k} {b[k]} != CSV {a[k]}")
    if b["role"] != a["role"] or b["status"] != a["status"]:
        fail("JSON role/status differ from CSV")
    if (b["time_ms"] is None) != (a["time_ms"] == ""):
        fail("absent time_ms not null in JSON")
def key(r):
    return tuple(v for k, v in sorted(r.items()) if k.startswith("sweep.")) + (r["trial"],)
by = {}
for r in pp:
    by.setdefault(key(r), []).append(r)
if len(by) != len(trials):
    fail(f"{len(by)} trials in the per-party file, {len(trials)} in the trial CSV")
for t in trials:
    rows = by.get(key(t), [])
    parties = [r for r in rows if r["role"] != "dealer"]
    dealer = [r for r in rows if r["role"] == "dealer"]
    n = int(t["parties"])
    if sorted(int(r["party"]) for r in parties) != list(range(n)):
        fail(f"trial {t['trial']}: not one row per party")
    msgs = sum(int(r["messages_sent"]) for r in parties)
    byts = sum(int(r["bytes_sent"]) for r in parties)
    if msgs != int(t["messages"]) or byts != int(t["bytes"]):
        fail(f"trial {t['trial']}: sums {msgs} messages / {byts} bytes, "
             f"trial {t['messages']} / {t['bytes']}")
    if t["protocol"] == "additive":
        if len(dealer) != 1:
            fail(f"trial {t['trial']}: {len(dealer)} dealer rows")
        d = dealer[0]
        if int(d["messages_sent"]) != int(float(t["offline_messages"])) or \
           int(d["bytes_sent"]) != int(float(t["offline_bytes"])):
            fail(f"trial {t['trial']}: dealer row != offline columns")
        if d["party"] != "" or d["honest"] != "" or d["status"] != "none":
            fail("dealer row: party/honest not absent")
    elif dealer and not (t["protocol"] == "shamir" and len(dealer) == 1 and
                         int(dealer[0]["messages_sent"]) == n):
        # Shamir has a dealer only for comparisons (one message per party).
        fail("a dealer row outside additive and shamir comparisons")
    for r in parties:
        if r["role"] not in ("party", "client", "server"):
            fail(f"role {r['role']}")
        if r["status"] == "output":
            if r["time_ms"] == "" or r["depth"] == "":
                fail("output row without time/depth")
        elif r["status"] == "abort":
            if r["time_ms"] == "" or r["depth"] != "":
                fail("abort row: time_ms (when it gave up) must be set, depth empty")
            if r["honest"] == "1" and \
               float(t["time_to_abort_ms"] or "inf") < float(r["time_ms"]) - 1e-6:
                fail("an honest party aborted after the trial's time_to_abort_ms")
        elif r["time_ms"] != "" or r["depth"] != "":
            fail("time/depth on a row without output or abort")
        if (r["down"] == "") != (r["down_ms"] == ""):
            fail("down and down_ms disagree")
    if int(t["dropped"]) != sum(1 for r in parties if r["down"] != ""):
        fail(f"trial {t['trial']}: dropped {t['dropped']} but {sum(1 for r in parties if r['down'])} rows down")
    acc = set(x for x in t["accused"].split(";") if x)
    if acc != set(r["party"] for r in parties if r["accused_by"]):
        fail(f"trial {t['trial']}: accused {acc} vs per-party accused_by")
EOF
done

# Roles: secagg has a server and clients; corrupted parties are honest=0.
grep -q ',server,' "$tmp/secagg-exposures-100.pp.csv" &&
    grep -q ',client,' "$tmp/secagg-exposures-100.pp.csv" || fail "secagg roles"
grep -q ',party,0,' "$tmp/shamir-robust-cheaters.pp.csv" || fail "no corrupted party row"
grep -q ',dropout,' "$tmp/secagg-exposures-100.pp.csv" || fail "no dropout row in secagg"

# Critical party: the run table's `critical` is the party with the last output time.
"$mpcsim" run "$scenarios/weighted-index-additive.yaml" --trials 3 --per-party "$tmp/w.csv" \
    >"$tmp/table" || fail "run"
python3 - "$tmp/table" "$tmp/w.csv" <<'EOF' || exit 1
import csv, sys
table, pp = sys.argv[1:]
lines = open(table).read().splitlines()
hdr = lines[1].split()
col = hdr.index("critical")
rows = list(csv.DictReader(open(pp)))
for line in lines[2:5]:
    f = line.split()
    trial = f[0]
    outs = [r for r in rows if r["trial"] == trial and r["status"] == "output" and r["honest"] == "1"]
    last = max(float(r["time_ms"]) for r in outs)
    want = min(int(r["party"]) for r in outs if float(r["time_ms"]) == last)
    if int(f[col]) != want:
        print(f"FAIL: trial {trial}: critical {f[col]}, last output by {want}")
        sys.exit(1)
EOF

# Outputs: clashes refused before running, '-' is stdout, the table then on stderr.
s=$good/toy-sweep.yaml
"$mpcsim" run "$s" --csv "$tmp/x" --per-party "$tmp/x" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q -- "--per-party" "$tmp/err" || fail "clash with --csv: $(cat "$tmp/err")"
"$mpcsim" run "$s" --per-party "$s" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "scenario file" "$tmp/err" || fail "clash with the scenario"
"$mpcsim" run "$s" --per-party - --trials 1 >"$tmp/out" 2>"$tmp/err" || fail "--per-party -"
head -1 "$tmp/out" | grep -q "^sweep\..*,scenario,trial,seed,party,role," ||
    fail "stdout is not the per-party CSV: $(head -1 "$tmp/out")"
grep -q "critical" "$tmp/err" || fail "the table did not move to stderr"
"$mpcsim" sweep "$s" -q --per-party "$tmp/sw.json" --trials 2 || fail "sweep --per-party"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d and all("sweep.parties" in r or any(k.startswith("sweep.") for k in r) for r in d)' \
    "$tmp/sw.json" || fail "sweep per-party JSON"
if [ -n "$mpirun" ]; then
    "$mpcsim" sweep "$scenarios/lenders-50-wan.yaml" --trials 3 -q -j1 --per-party "$tmp/one.csv" ||
        fail "sweep"
    "$mpirun" --allow-run-as-root --oversubscribe -n 3 "$mpcsim" sweep \
        "$scenarios/lenders-50-wan.yaml" --trials 3 -q -j1 --per-party "$tmp/mpi.csv" \
        >/dev/null 2>"$tmp/err" || fail "mpirun sweep: $(cat "$tmp/err")"
    cmp -s "$tmp/one.csv" "$tmp/mpi.csv" || fail "per-party rows differ under MPI"
fi
echo "ok"
