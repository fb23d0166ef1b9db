#!/usr/bin/env bash
# plots/make-plots.sh MPCSIM - regenerate the README's figures from the
# bundled sweep scenarios (cmake --build build --target plots).
set -euo pipefail
mpcsim=$1
cd "$(dirname "$0")"
out=${MPCSIM_PLOTS_DIR:-.}
mkdir -p "$out/data"

"$mpcsim" sweep latency-vs-parties.yaml -q --csv "$out/data/latency-vs-parties.csv"
"$mpcsim" plot "$out/data/latency-vs-parties.csv" --x parties --y latency_ms --by protocol.kind \
    --logx --logy --title 'Secure sum over a WAN: latency vs parties' -o "$out/latency-vs-parties.png"
"$mpcsim" plot "$out/data/latency-vs-parties.csv" --x parties --y max_party_bytes --by protocol.kind \
    --logx --logy --title 'Secure sum: bytes of the busiest party vs parties' \
    -o "$out/bytes-vs-parties.png"

"$mpcsim" sweep success-vs-dropout.yaml -q --csv "$out/data/success-vs-dropout.csv"
"$mpcsim" plot "$out/data/success-vs-dropout.csv" --x faults.dropout.probability --y success_rate \
    --by protocol.kind --errorbars none --key 'top right' --title '20 parties: trials that end ok vs dropout probability' \
    -o "$out/success-vs-dropout.png"

"$mpcsim" sweep latency-vs-link.yaml -q --csv "$out/data/latency-vs-link.csv"
"$mpcsim" plot "$out/data/latency-vs-link.csv" --x network.latency.ms --y latency_ms \
    --by protocol.kind --title '10 parties: latency to output vs one-way link latency' \
    -o "$out/latency-vs-link.png"

"$mpcsim" sweep aggregation-vs-parties.yaml -q --csv "$out/data/aggregation-vs-parties.csv"
"$mpcsim" plot "$out/data/aggregation-vs-parties.csv" --x parties --y server_compute_ms \
    --by faults.dropout.probability --errorbars sd \
    --title 'SecAgg, length-100 vectors: server compute vs clients, by dropout rate' \
    -o "$out/secagg-server-compute.png"

"$mpcsim" sweep aggregation-protocols.yaml -q --csv "$out/data/aggregation-protocols.csv"
"$mpcsim" plot "$out/data/aggregation-protocols.csv" --x parties --y max_party_bytes \
    --by protocol.kind --logy --title 'Aggregating length-10 vectors: bytes of the busiest party' \
    -o "$out/aggregation-bytes.png"

"$mpcsim" run ../scenarios/reserves-5-exchanges.yaml --trial 2 -q --trace "$out/data/reserves-trial2.json"
"$mpcsim" plot --timeline "$out/data/reserves-trial2.json" \
    --title 'reserves-5-exchanges, trial 2 (depth 3): shares in round 1, sums in round 2' \
    -o "$out/timeline-reserves-trial2.png"

"$mpcsim" bench --filter '^field/(mul_scalar_ref|mul_vec_portable|mul_vec_simd)/' --min-time 0.3 \
    --csv "$out/data/bench-field.csv" >/dev/null
gnuplot -e "csv='$out/data/bench-field.csv'; out='$out/bench-field.png'" bench-field.gp
echo "figures written to $out"
