#!/usr/bin/env bash
# tests/cli/trace.sh MPCSIM SCENARIO_DIR
#
# run --trace (issue 20, item 2):
#  - the worked example's trial 2 validates against the Trace Event
#    Format's rules (required fields per phase, exact-decimal timestamps,
#    every flow start has exactly one end on a slice of the receiver's
#    track, slices nest, time never decreases along a track) and has
#    exactly `messages` flows;
#  - the same bytes for two runs, for -j1 / -j2 and for --trial-seed;
#  - faults: a dropout scenario and a partition one validate, with their
#    crash/dropout and lost-message instants;
#  - --trace-max-events refuses with the limit in the message and writes
#    nothing; --trace without one trial, a --trial out of range and a
#    trace of several sweep points are refused; '-' is stdout;
#  - per-party rows carry messages_received (sums to `messages` without
#    losses);
#  - plot --timeline (item 3): the worked example's chart is a PNG of
#    plausible size, its .dat has one line per message, its .gp is beside
#    it; beyond 20 parties it aggregates per round and says so; refusals.
set -u
mpcsim=$1
scenarios=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

ex=$scenarios/reserves-5-exchanges.yaml

validate() { # validate TRACE [EXPECTED_FLOWS|-] [MIN_INSTANTS_NAME]
    python3 - "$@" <<'EOF'
import json, re, sys, collections
path = sys.argv[1]
want = sys.argv[2] if len(sys.argv) > 2 else "-"
need_instant = sys.argv[3] if len(sys.argv) > 3 else None
text = open(path).read()
def fail(msg):
    print(f"FAIL: {path}: {msg}")
    sys.exit(1)
try:
    doc = json.loads(text)
except ValueError as e:
    fail(f"not JSON: {e}")
ev = doc.get("traceEvents")
if not isinstance(ev, list) or not ev:
    fail("no traceEvents array")
# Timestamps and durations: exact decimal microseconds from integer ns.
for m in re.finditer(r'"(ts|dur)":([^,}]*)', text):
    if not re.fullmatch(r"\d+\.\d{3}", m.group(2)):
        fail(f"{m.group(1)} {m.group(2)!r} is not N.NNN")
required = {
    "X": ["name", "pid", "tid", "ts", "dur"],
    "i": ["name", "pid", "tid", "ts", "s"],
    "s": ["name", "cat", "id", "pid", "tid", "ts"],
    "f": ["name", "cat", "id", "pid", "tid", "ts", "bp"],
    "M": ["name", "pid", "args"],
}
names = {}
threads = set()
for e in ev:
    ph = e.get("ph")
    if ph not in required:
        fail(f"unexpected phase {ph!r} in {e}")
    for k in required[ph]:
        if k not in e:
            fail(f"phase {ph} without {k}: {e}")
    if ph == "M":
        if e["name"] == "process_name":
            names[e["pid"]] = e["args"]["name"]
        elif e["name"] == "thread_name":
            threads.add((e["pid"], e["tid"]))
        continue
    if ph == "X" and e["dur"] < 0:
        fail(f"negative dur: {e}")
    if ph == "i" and e["s"] not in ("t", "p", "g"):
        fail(f"instant scope {e['s']!r}")
    if ph == "f" and e["bp"] != "e":
        fail(f"flow end not bound to its enclosing slice: {e}")
    if e["pid"] not in names or (e["pid"], e["tid"]) not in threads:
        fail(f"event on an unnamed track: {e}")
# Monotonic time per track, in file order; slices nest (no partial overlap).
last = {}
stacks = collections.defaultdict(list)
slices = collections.defaultdict(list)
ns = lambda x: round(x * 1000)
for e in ev:
    if e["ph"] == "M":
        continue
    key = (e["pid"], e["tid"])
    t = ns(e["ts"])
    if key in last and t < last[key]:
        fail(f"time goes back on track {key}: {e}")
    last[key] = t
    if e["ph"] == "X":
        end = t + ns(e["dur"])
        st = stacks[key]
        while st and st[-1] <= t and not (st[-1] == t and end == t):
            st.pop()
        if st and end > st[-1]:
            fail(f"slice overlaps its parent on {key}: {e}")
        st.append(end)
        slices[key].append((t, end))
def enclosed(key, t):
    return any(a <= t <= b for a, b in slices[key])
starts, ends = {}, collections.Counter()
for e in ev:
    if e["ph"] == "s":
        if e["id"] in starts:
            fail(f"flow id {e['id']} starts twice")
        starts[e["id"]] = e
        for k in ("from", "to", "round", "bytes"):
            if k not in e.get("args", {}):
                fail(f"flow start without {k}: {e}")
    elif e["ph"] == "f":
        ends[e["id"]] += 1
    if e["ph"] in "sf" and not enclosed((e["pid"], e["tid"]), ns(e["ts"])):
        fail(f"flow event outside any slice of its track: {e}")
for fid, s in starts.items():
    if ends[fid] != 1:
        fail(f"flow {fid} has {ends[fid]} ends")
for fid in ends:
    if fid not in starts:
        fail(f"flow end {fid} without a start")
for e in ev:
    if e["ph"] == "f":
        s = starts[e["id"]]
        if ns(e["ts"]) < ns(s["ts"]) or e["pid"] != s["args"]["to"] + 1 or s["pid"] != s["args"]["from"] + 1:
            fail(f"flow {e['id']} ends before it starts or on the wrong party")
if want != "-" and len(starts) != int(want):
    fail(f"{len(starts)} flows, expected {want}")
if need_instant is not None and not any(e["ph"] == "i" and e["name"].startswith(need_instant) for e in ev):
    fail(f"no instant named {need_instant}")
EOF
}

# The worked example, trial 2: validates, one flow per message.
"$mpcsim" run "$ex" --trial 2 -q --csv "$tmp/row.csv" --per-party "$tmp/pp.csv" \
    --trace "$tmp/a.json" || fail "trace run: exit $?"
[ "$(wc -l <"$tmp/row.csv")" -eq 2 ] || fail "--trial 2 ran $(($(wc -l <"$tmp/row.csv") - 1)) trials"
msgs=$(python3 -c 'import csv,sys; r=list(csv.DictReader(open(sys.argv[1]))); print(r[0]["messages"] if r[0]["trial"]=="2" else "bad")' "$tmp/row.csv")
[ "$msgs" != bad ] || fail "--trial 2 ran another trial"
validate "$tmp/a.json" "$msgs" output || exit 1
grep -q '"name":"on_message from P' "$tmp/a.json" || fail "no compute slices"
grep -q '"name":"uplink"' "$tmp/a.json" || fail "no uplink track (bandwidth is limited)"
python3 - "$tmp/pp.csv" "$msgs" <<'EOF' || exit 1
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
got = sum(int(r["messages_received"]) for r in rows)
if got != int(sys.argv[2]):
    print(f"FAIL: messages_received sums to {got}, not {sys.argv[2]}")
    sys.exit(1)
EOF

# Deterministic: again, with -j1 and -j2, and replayed by its seed.
seed=$(python3 -c 'import csv,sys; print(list(csv.DictReader(open(sys.argv[1])))[0]["seed"])' "$tmp/row.csv")
"$mpcsim" run "$ex" --trial 2 -q -j1 --trace "$tmp/b.json" || fail "second run"
"$mpcsim" run "$ex" --trial 2 -q -j2 --trace "$tmp/c.json" || fail "-j2 run"
"$mpcsim" run "$ex" -q --trial-seed "$seed" --trace "$tmp/d.json" || fail "--trial-seed run"
cmp -s "$tmp/a.json" "$tmp/b.json" || fail "two runs differ"
cmp -s "$tmp/a.json" "$tmp/c.json" || fail "-j1 and -j2 differ"
cmp -s "$tmp/a.json" "$tmp/d.json" || fail "--trial-seed gives another trace"
"$mpcsim" run "$ex" --trial 2 -q --trace - >"$tmp/e.json" || fail "--trace -"
cmp -s "$tmp/a.json" "$tmp/e.json" || fail "--trace - differs from the file"

# Faults: dropouts (instants named dropout), a partition (lost messages).
for s in "$scenarios"/*.yaml; do
    name=$(basename "$s" .yaml)
    case $name in
    crash-mid-broadcast) inst=lost ;;
    secagg-exposures-100) inst=dropout ;;
    *) continue ;;
    esac
    "$mpcsim" run "$s" --trial 0 -q --csv "$tmp/$name.csv" --trace "$tmp/$name.json" \
        2>"$tmp/err"
    [ $? -le 1 ] || fail "$name: $(cat "$tmp/err")"
    validate "$tmp/$name.json" - "$inst" || exit 1
done

# Bounded: refused with the limit in the message, nothing written.
"$mpcsim" run "$ex" --trial 2 -q --trace "$tmp/big.json" --trace-max-events 50 2>"$tmp/err"
[ $? -eq 2 ] || fail "--trace-max-events 50: exit not 2"
grep -q "more than 50 events" "$tmp/err" || fail "limit message: $(cat "$tmp/err")"
[ ! -e "$tmp/big.json" ] || fail "a refused trace was written"

# Refusals.
"$mpcsim" run "$ex" -q --trace "$tmp/x.json" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q -- "--trial K" "$tmp/err" || fail "--trace without a trial"
"$mpcsim" run "$ex" -q --trial 5 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "has 5 trials" "$tmp/err" || fail "--trial 5 of 5: $(cat "$tmp/err")"
"$mpcsim" run "$ex" -q --trial 1 --trial-seed 3 2>"$tmp/err"
[ $? -eq 2 ] || fail "--trial with --trial-seed"
"$mpcsim" run "$ex" -q --trial 1 --trace "$tmp/x.json" --csv "$tmp/x.json" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "same file" "$tmp/err" || fail "--trace and --csv on one file"
"$mpcsim" run "$ex" -q --trial 1 --trace "$ex" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "scenario file" "$tmp/err" || fail "--trace over the scenario"
cat >"$tmp/sw.yaml" <<'EOF'
name: sw
parties: 3
inputs: { distribution: uniform, min: 1, max: 9 }
protocol: { kind: additive }
sweep: { parties: [3, 4] }
EOF
"$mpcsim" run "$tmp/sw.yaml" -q --trial 0 --trace "$tmp/x.json" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "2 sweep points" "$tmp/err" || fail "trace of a sweep: $(cat "$tmp/err")"
"$mpcsim" run "$tmp/sw.yaml" -q --trial 0 --set parties=4 --trace "$tmp/x.json" 2>"$tmp/err" ||
    fail "one point selected with --set: $(cat "$tmp/err")"
validate "$tmp/x.json" - || exit 1
# plot --timeline: the worked example's trial 2.
"$mpcsim" plot --timeline "$tmp/a.json" -o "$tmp/tl.png" >"$tmp/out" 2>"$tmp/err" ||
    fail "plot --timeline: $(cat "$tmp/err")"
[ -s "$tmp/tl.gp" ] || fail "no .gp beside the figure"
size=$(wc -c <"$tmp/tl.png")
[ "$size" -gt 20000 ] && [ "$size" -lt 2000000 ] || fail "timeline PNG of $size bytes"
[ "$(head -c 8 "$tmp/tl.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "not a PNG"
lines=$(awk '/^# index 0/ {on = 1; next} /^$/ {on = 0} on && !/^#/' "$tmp/tl.dat" | wc -l)
[ "$lines" -eq "$msgs" ] || fail "timeline .dat has $lines message lines, expected $msgs"
"$mpcsim" plot --timeline "$tmp/a.json" -o "$tmp/tl.svg" >/dev/null 2>&1 || fail "svg timeline"
grep -q "<svg" "$tmp/tl.svg" || fail "no svg"
# Beyond 20 parties: aggregated per round, said on stderr.
"$mpcsim" run "$scenarios/secagg-exposures-100.yaml" --trial 0 -q --trace "$tmp/big100.json" ||
    fail "secagg trace"
"$mpcsim" plot --timeline "$tmp/big100.json" -o "$tmp/agg.png" >/dev/null 2>"$tmp/err" ||
    fail "aggregated timeline: $(cat "$tmp/err")"
grep -q "aggregates messages per protocol round" "$tmp/err" || fail "aggregation not said"
# Many rounds (a synthetic trace of 15 rounds): one key entry, colour by round.
python3 - "$tmp/rounds.json" <<'PY'
import sys
ev = ['{"ph":"M","name":"process_name","pid":%d,"tid":0,"args":{"name":"P%d"}}' % (p, p - 1) for p in (1, 2, 3)]
for r in range(1, 16):
    a, b = r % 3, (r + 1) % 3
    ev.append('{"ph":"s","pid":%d,"tid":2,"ts":%d.000,"id":%d,"cat":"message","name":"message","args":{"from":%d,"to":%d,"round":%d,"bytes":40}}' % (a + 1, 10 * r, r, a, b, r))
    ev.append('{"ph":"f","pid":%d,"tid":2,"ts":%d.500,"bp":"e","id":%d,"cat":"message","name":"message"}' % (b + 1, 10 * r + 5, r))
open(sys.argv[1], "w").write('{"displayTimeUnit":"ns","otherData":{"generator":"mpcsim","scenario":"synthetic","trial":0},\n"traceEvents":[\n' + ",\n".join(ev) + "\n]}\n")
PY
"$mpcsim" plot --timeline "$tmp/rounds.json" -o "$tmp/rounds.png" >/dev/null 2>"$tmp/err" ||
    fail "15-round timeline: $(cat "$tmp/err")"
grep -q "colour: round" "$tmp/rounds.gp" || fail "15 rounds: not one clause coloured by round"
[ "$(awk '/^# index 0/ {on = 1; next} /^$/ {on = 0} on && !/^#/' "$tmp/rounds.dat" | wc -l)" -eq 15 ] ||
    fail "15-round .dat"
# Refusals: not a trace, --timeline with --x, a figure over its own trace.
echo '{"traceEvents":[]}' >"$tmp/other.json"
"$mpcsim" plot --timeline "$tmp/other.json" -o "$tmp/o.png" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "not an mpcsim trace" "$tmp/err" || fail "foreign trace accepted"
"$mpcsim" plot --timeline "$tmp/a.json" --x parties -o "$tmp/o.png" 2>"$tmp/err"
[ $? -eq 2 ] || fail "--timeline with --x"
"$mpcsim" plot --timeline "$tmp/a.json" -o "$tmp/o.svg" --title "$(printf 'a\nb')" 2>"$tmp/err"
[ $? -eq 2 ] || fail "control byte in --title"
cp "$tmp/a.json" "$tmp/c.dat"
"$mpcsim" plot --timeline "$tmp/c.dat" -o "$tmp/c.png" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "would overwrite the trace" "$tmp/err" || fail "figure's .dat over the trace"
cmp -s "$tmp/a.json" "$tmp/c.dat" || fail "the trace was overwritten"
echo "trace: ok"
