#!/usr/bin/env bash
# tests/sim/inflight_cli.sh MPCSIM SCENARIO_DIR - issue 16 (faults on bytes
# in flight) through `mpcsim run/sweep`; each case failed before it:
#  - a crash at 10 ms, before party 2's two 8241-byte shares leave its
#    1 Mbit/s uplink (65.9 and 131.8 ms), leaves its input out: included 2
#    (was 3);
#  - 4 parties at 0.01 Mbit/s, party 3 crashing at 1 ms: output 303 over 3
#    inputs (was 406 with every share delivered);
#  - an asymmetric regions matrix [[0, 10], [90, 0]]: a 100 000-element
#    additive sum takes 2608 ms at the real 100 ms RTT (was 4605 ms);
#  - tcp loss 0, 0.5, 0.9: bytes and retransmissions grow with the loss
#    rate (bytes were the same at every rate).
set -u
mpcsim=$1
dir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
fail() { echo "FAIL: $*"; failed=1; }
col() {
    awk -F, -v c="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; next } { print $k }' "$2"
}

"$mpcsim" run "$dir/inflight-crash-mid-send.yaml" -q --csv "$tmp/c.csv" || fail "crash-mid-send exits $?"
[ "$(col included "$tmp/c.csv")" = 2 ] || fail "crash mid-send: included $(col included "$tmp/c.csv"), expected 2"
[ "$(col correct "$tmp/c.csv")" = true ] || fail "crash mid-send: not correct"

"$mpcsim" run "$dir/inflight-sum4.yaml" -q --csv "$tmp/s.csv" || fail "sum4 exits $?"
[ "$(col output "$tmp/s.csv"),$(col included "$tmp/s.csv")" = "303,3" ] ||
    fail "sum4: output $(col output "$tmp/s.csv") over $(col included "$tmp/s.csv"), expected 303 over 3"

"$mpcsim" run "$dir/inflight-asym.yaml" -q --csv "$tmp/a.csv" || fail "asym exits $?"
case "$(col latency_ms "$tmp/a.csv")" in
2608.*) ;;
*) fail "asymmetric RTT: latency $(col latency_ms "$tmp/a.csv") ms, expected 2608 ms" ;;
esac

"$mpcsim" sweep "$dir/inflight-loss.yaml" -q --csv "$tmp/l.csv" || fail "loss sweep exits $?"
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "sweep.network.loss") p = i; if ($i == "bytes") b = i;
                   if ($i == "retransmissions") r = i }; next }
         { bytes[$p] += $b; retx[$p] += $r }
         END { if (!(retx[0] == 0 && retx[0.5] > 0 && retx[0.9] > retx[0.5] &&
                     bytes[0] < bytes[0.5] && bytes[0.5] < bytes[0.9]))
                   { printf "retx %d %d %d bytes %d %d %d\n", retx[0], retx[0.5], retx[0.9],
                       bytes[0], bytes[0.5], bytes[0.9]; exit 1 } }' "$tmp/l.csv" ||
    fail "tcp loss: bytes and retransmissions must grow with the loss rate"
exit $failed
