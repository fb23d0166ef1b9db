#!/usr/bin/env bash
# tests/cli/estimate.sh MPCSIM SCENARIO_DIR
#
# `mpcsim validate` estimates one trial (issue 20, item 4).  For every
# bundled scenario the estimated messages and events are within a factor
# of 2 of the largest trial of a real run (faults and aborts make real
# trials smaller, never much larger); the memory estimate is within 30 %
# of peak RSS for Shamir and additive sums of 400 to 2000 parties, and for
# secagg and comparisons (below), and at n = 400 / 800 (Shamir sum) the
# message estimate is within 10 % of the measured 300 846 / 1 217 676.
set -u
mpcsim=$1
scenarios=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
FACTOR=2

for s in "$scenarios"/*.yaml; do
    name=$(basename "$s" .yaml)
    "$mpcsim" validate "$s" >"$tmp/v" || fail "$name: validate"
    "$mpcsim" run "$s" -q -j2 --csv "$tmp/r.csv" 2>/dev/null
    [ $? -le 1 ] || fail "$name: run"
    python3 - "$name" "$tmp/v" "$tmp/r.csv" "$FACTOR" "$s" <<'PY' || exit 1
import csv, re, sys
name, vpath, rpath, factor = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
text = open(vpath).read()
m = re.search(r"~(\d+) messages, ~(\d+) events, peak memory ~([\d.]+) (MB|GB)", text)
if not m:
    print(f"FAIL: {name}: no estimate in: {text}")
    sys.exit(1)
est_m, est_e = int(m.group(1)), int(m.group(2))
mem = float(m.group(3)) * (1e3 if m.group(4) == "GB" else 1)
comparison = re.search(r"^computation:.*\b(sum_threshold|max|second_price|median)\b",
                       open(sys.argv[5]).read(), re.M)
# secagg and comparisons add their state (checked below); the others are
# one round of messages in flight plus the link state (checked against
# peak RSS below), never less than the process's 5 MB.
if "(secagg," in text or comparison:
    if mem < 5 + 78 * est_m / 1e6 - 1:
        print(f"FAIL: {name}: memory {mem} MB is below 5 MB + 78 B x {est_m}")
        sys.exit(1)
elif mem < 5:
    print(f"FAIL: {name}: memory {mem} MB is below the process's 5 MB")
    sys.exit(1)
rows = list(csv.DictReader(open(rpath)))
act_m = max(int(r["messages"]) for r in rows)
act_e = max(int(r["events"]) for r in rows)
for what, est, act in (("messages", est_m, act_m), ("events", est_e, act_e)):
    if not (est / factor <= act <= est * factor):
        print(f"FAIL: {name}: {what} estimated {est}, largest trial {act} (factor {factor})")
        sys.exit(1)
print(f"{name}: messages {est_m} est / {act_m} run, events {est_e} est / {act_e} run")
PY
done

# The message estimate at n = 400 / 800 (Shamir sum): within 10 % of the
# measured 300 846 / 1 217 676 messages.
for pair in 400:300846 800:1217676; do
    n=${pair%%:*}; measured=${pair#*:}
    sed "s/^parties: .*/parties: $n/" "$scenarios/dao-vote-200.yaml" >"$tmp/big.yaml"
    "$mpcsim" validate "$tmp/big.yaml" >"$tmp/v" || fail "validate n=$n"
    python3 - "$tmp/v" "$measured" <<'PY' || exit 1
import re, sys
text = open(sys.argv[1]).read()
est = int(re.search(r"~(\d+) messages", text).group(1))
measured = int(sys.argv[2])
if abs(est - measured) > 0.1 * measured:
    print(f"FAIL: estimate {est} messages, measured {measured}")
    sys.exit(1)
PY
done

# check_rss NAME FILE: validate's memory estimate for FILE is within 30 %
# of the peak RSS of one trial.  A sanitizer build's RSS is mostly shadow
# memory (it cannot start under ulimit -v, as limits.sh notes): there
# rss_ok is 0 and the callers skip it.
rss_ok=1
bash -c 'ulimit -v 1000000 && "$0" --version; exit $?' "$mpcsim" >/dev/null 2>&1 || rss_ok=0
check_rss() {
    "$mpcsim" validate "$2" >"$tmp/v" || fail "validate $1"
    python3 - "$mpcsim" "$2" "$tmp/v" "$1" <<'PY' || exit 1
import re, resource, subprocess, sys
mpcsim, path, vpath, name = sys.argv[1:5]
m = re.search(r"peak memory ~([\d.]+) (MB|GB)", open(vpath).read())
est = float(m.group(1)) * (1e3 if m.group(2) == "GB" else 1)
subprocess.run([mpcsim, "run", path, "-q", "-j1", "--trials", "1"], check=True,
               stdout=subprocess.DEVNULL)
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB -> MiB
if not 0.7 * rss <= est <= 1.3 * rss:
    print(f"FAIL: {name}: memory estimated {est} MB, peak RSS {rss:.1f} MB (30 %)")
    sys.exit(1)
print(f"{name}: memory {est} MB est / {rss:.1f} MB peak RSS")
PY
}

# The memory of protocols whose state is their messages (one round in
# flight, sim_memory_shape): Shamir with regions (drawn latencies) at 400
# and 800 parties, additive sums at 1000 parties (constant 10 ms;
# lognormal with 1 Gbit/s links) and 2000 (constant 20 ms, 1 Gbit/s).
# The estimate that counted 78 B per message of the whole trial said 30 /
# 105 / 161 / 161 / 629 MB.
for spec in dao:400 dao:800 sum:1000:const sum:1000:lognormal sum:2000:bw; do
    [ "$rss_ok" = 1 ] || break
    IFS=: read -r kind n shape <<<"$spec"
    if [ "$kind" = dao ]; then
        sed "s/^parties: .*/parties: $n/" "$scenarios/dao-vote-200.yaml" >"$tmp/mem.yaml"
    else
        case $shape in
        const) net="{ latency: { distribution: constant, ms: 10 } }" ;;
        lognormal) net="{ latency: { distribution: lognormal, median_ms: 20, sigma: 0.3 }, bandwidth_mbps: 1000 }" ;;
        *) net="{ latency: { distribution: constant, ms: 20 }, bandwidth_mbps: 1000 }" ;;
        esac
        cat >"$tmp/mem.yaml" <<YAML
name: mem
parties: $n
inputs: { distribution: uniform, min: 0, max: 1000000 }
protocol: { kind: additive }
network: $net
YAML
    fi
    check_rss "$spec" "$tmp/mem.yaml"
done

# Comparisons (issue 19): a fault-free trial (measured: median n = 31
# 65 MB, n = 63 361 MB; second price n = 40 49 MB; sum_threshold with MACs
# n = 40 13 MB).
for spec in median-oracle-31: auction-12-makers-wan:40 solvency-8-exchanges:40; do
    [ "$rss_ok" = 1 ] || break
    name=${spec%%:*}; n=${spec#*:}
    awk '/^[a-z]/ { skip = ($1 == "faults:" || $1 == "adversary:") } !skip' \
        "$scenarios/$name.yaml" >"$tmp/cmp.yaml"
    [ -n "$n" ] && sed -i "s/^parties: .*/parties: $n/" "$tmp/cmp.yaml"
    check_rss "$name" "$tmp/cmp.yaml"
done

# secagg's memory against peak RSS (/usr/bin/time -v, one trial, L = 1000,
# 10 % dropouts at random rounds, constant 20 ms, 1 Gbit/s): SecAgg at 100
# and 300 clients, SecAgg+ (num_shares: auto) at 1000 and 3000; the last
# is mostly the engine's dense n^2 link table.
for spec in 101::11.2 301::43.1 1001:auto:75.0 3001:auto:325.3; do
    n=${spec%%:*}; rest=${spec#*:}; ns=${rest%%:*}; rss=${rest#*:}
    cat >"$tmp/sa.yaml" <<YAML
name: sa
trials: 1
parties: $n
inputs: { distribution: uniform, min: 0, max: 65535, length: 1000 }
protocol: { kind: secagg, round_timeout_ms: 600000${ns:+, num_shares: $ns} }
network: { latency: { distribution: constant, ms: 20 }, bandwidth_mbps: 1000 }
faults: { dropout: { probability: 0.1, at: random } }
YAML
    "$mpcsim" validate "$tmp/sa.yaml" >"$tmp/v" || fail "validate secagg n=$n"
    python3 - "$tmp/v" "$rss" "$n" <<'PY' || exit 1
import re, sys
text = open(sys.argv[1]).read()
m = re.search(r"peak memory ~([\d.]+) (MB|GB)", text)
mem = float(m.group(1)) * (1e3 if m.group(2) == "GB" else 1)
rss = float(sys.argv[2])
if abs(mem - rss) > 0.3 * rss:
    print(f"FAIL: secagg n={sys.argv[3]}: estimate {mem} MB, measured peak RSS {rss} MB")
    sys.exit(1)
print(f"secagg n={sys.argv[3]}: estimate {mem} MB, measured {rss} MB")
PY
done

# The progress bar (stderr on a terminal; `script` gives the run a pty):
# done/total and elapsed on every frame, no ETA before the first trial
# ends, an ETA after it, "done" on the last frame.
if command -v script >/dev/null 2>&1; then
    script -qc "'$mpcsim' run '$scenarios/weighted-index-additive.yaml' -j1 --trials 40 >/dev/null" \
        /dev/null | tr '\r' '\n' | grep trials >"$tmp/bar"
    grep -q "^\[#*  *\] 0/40 trials, elapsed [0-9.]* s, ETA after the first trial" "$tmp/bar" ||
        fail "first frame: $(head -1 "$tmp/bar")"
    grep " 0/40 trials" "$tmp/bar" | grep -q "ETA [0-9]" && fail "an ETA before the first trial"
    tail -1 "$tmp/bar" | grep -q "40/40 trials, elapsed [0-9.]* s, done" ||
        fail "last frame: $(tail -1 "$tmp/bar")"
    grep -v "elapsed" "$tmp/bar" && fail "a frame without elapsed"
fi
echo ok
