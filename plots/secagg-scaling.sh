#!/usr/bin/env bash
# plots/secagg-scaling.sh MPCSIM [OUTDIR] - the README's SecAgg vs SecAgg+
# figure: runs the two sweeps (secagg-vs-clients.yaml, up to 1000 clients:
# SecAgg costs O(n^2); secagg-plus-vs-clients.yaml, up to 10 000), writes
# secagg-scaling.dat (clients, a client's bytes = bytes / clients since
# every message has the server at one end, server compute in ms; one block
# per protocol and dropout rate) and renders secagg-scaling.png with
# secagg-scaling.gp.  Minutes of CPU (the 1000-client SecAgg points).
set -euo pipefail
mpcsim=$1
here=$(cd "$(dirname "$0")" && pwd)
out=${2:-$here}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$mpcsim" sweep "$here/secagg-vs-clients.yaml" -q -j1 --csv "$tmp/sa.csv"
"$mpcsim" sweep "$here/secagg-plus-vs-clients.yaml" -q -j1 --csv "$tmp/plus.csv"
python3 - "$tmp/sa.csv" "$tmp/plus.csv" "$out/secagg-scaling.dat" <<'PY'
import csv, sys
rows = []
for path, proto in ((sys.argv[1], "secagg"), (sys.argv[2], "secagg+")):
    for r in csv.DictReader(l for l in open(path) if not l.startswith("#")):
        rows.append((proto, float(r["sweep.faults.dropout.probability"]), int(r["parties"]) - 1,
                     int(r["bytes"]), float(r["server_compute_ms"]), r["status"]))
with open(sys.argv[3], "w") as f:
    f.write("# plots/secagg-scaling.dat (plots/secagg-scaling.sh): one block per protocol\n"
            "# and dropout rate: clients, client bytes (bytes / clients), server compute ms, status\n")
    for proto in ("secagg", "secagg+"):
        for drop in (0.0, 0.1):
            f.write(f"\n\n# {proto} dropout {drop}\n")
            for p, d, c, b, ms, st in sorted(x for x in rows if x[0] == proto and x[1] == drop):
                f.write(f"{c} {b / c:.1f} {ms:.3f} {st}\n")
PY
gnuplot -e "dat='$out/secagg-scaling.dat'; out='$out/secagg-scaling.png'" "$here/secagg-scaling.gp"
echo "wrote $out/secagg-scaling.dat and $out/secagg-scaling.png"
