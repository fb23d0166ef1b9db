#!/usr/bin/env bash
# tests/cli/compare_cli.sh MPCSIM - the comparison computations from the
# command line (issue 19's open items):
#  1. Shamir comparison rows carry the offline columns as additive ones do:
#     the dealer's masks, random bits, integers and double sharings.
#  2. Vector inputs to a comparison get the one right error (scalar inputs),
#     not an extra, wrong "leaves the field's range" next to it.
set -u
mpcsim=$1
# shellcheck source=expect.sh
. "$(dirname "$0")/expect.sh"

# 1. Offline columns, both schemes (n = 5, t = 2; 20-bit comparisons).
for kind in shamir additive; do
    cat >"$tmp/$kind.yaml" <<YAML
name: offline-$kind
seed: 3
trials: 2
parties: 5
inputs: { distribution: uniform, min: -5000, max: 5000 }
computation: { kind: median }
protocol: { kind: $kind, threshold: 2, comparison_bits: 20 }
network: { latency: 5 }
YAML
    sed -i '/threshold: 2/{/additive/s/threshold: 2, //}' "$tmp/$kind.yaml"
    "$mpcsim" run "$tmp/$kind.yaml" -q --csv "$tmp/$kind.csv" >/dev/null 2>"$tmp/err" ||
        fail "$kind: exit $?: $(cat "$tmp/err")"
done
python3 - "$tmp/shamir.csv" "$tmp/additive.csv" <<'PY' || exit 1
import csv, sys
def rows(p):
    return list(csv.DictReader(l for l in open(p) if not l.startswith('#')))
sh, ad = rows(sys.argv[1]), rows(sys.argv[2])
for name, rs in (("shamir", sh), ("additive", ad)):
    for r in rs:
        for col in ("offline_messages", "offline_bytes", "offline_compute_ms"):
            if r.get(col) in (None, ""):
                sys.exit(f"FAIL: {name} trial {r['trial']}: no {col} ({list(r)})")
        if r["status"] != "ok" or r["offline_messages"] != "5" or float(r["offline_compute_ms"]) <= 0:
            sys.exit(f"FAIL: {name} trial {r['trial']}: {r['status']} {r['offline_messages']}")
# Shamir's dealer sends every party one share per mask, bit and integer and
# two per product (a double sharing); additive three (a triple): additive's
# offline bytes exceed Shamir's for the same circuit.
if not 0 < int(sh[0]["offline_bytes"]) < int(ad[0]["offline_bytes"]):
    sys.exit(f"FAIL: offline_bytes shamir {sh[0]['offline_bytes']} additive {ad[0]['offline_bytes']}")
PY

# 2. One error for vector inputs to max (values and a distribution).
for inputs in '{ values: [[1,2,3],[4,5,6],[7,8,9],[1,1,1]] }' \
    '{ distribution: uniform, min: 0, max: 1000, length: 3 }'; do
    cat >"$tmp/vmax.yaml" <<YAML
name: vmax
seed: 1
trials: 1
parties: 4
inputs: $inputs
computation: { kind: max }
protocol: { kind: shamir, threshold: 1 }
network: { latency: 5 }
YAML
    expect 2 "comparisons take scalar inputs (inputs.length 1)" validate "$tmp/vmax.yaml"
    n=$(grep -c "error:" "$tmp/err")
    [ "$n" -eq 1 ] || fail "vector max ($inputs): $n errors, want 1: $(cat "$tmp/err")"
done
echo "compare_cli: ok"
