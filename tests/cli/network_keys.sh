#!/usr/bin/env bash
# tests/cli/network_keys.sh MPCSIM - network keys through the loader
# (issue 17 tester findings; each case failed before its fix):
#  - `--set network.transport.connection_timeout_ms=...` on a scenario
#    without a transport: `kind` defaults to tcp (was "missing required key");
#  - transport.rto_max_ms below rto_ms is a FILE:LINE:COL error (was accepted);
set -u
mpcsim=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
fail() { echo "FAIL: $*"; failed=1; }
scenario() { # scenario FILE LINE...: a valid scenario whose network map holds LINEs
    local f=$1
    shift
    printf '%s\n' "name: t" "parties: 3" "inputs: { values: [1, 2, 3] }" \
        "protocol: { kind: additive }" "network:" "  latency: 1" "$@" >"$f"
}
expect_error() { # expect_error FILE NEEDLE
    "$mpcsim" validate "$1" >/dev/null 2>"$tmp/err"
    rc=$?
    [ "$rc" = 2 ] || fail "$1: exit $rc, expected 2"
    grep -qF -- "$2" "$tmp/err" || { fail "$1: expected '$2', got:"; cat "$tmp/err"; }
}

scenario "$tmp/plain.yaml"
"$mpcsim" run "$tmp/plain.yaml" -q --set network.transport.connection_timeout_ms=5000 \
    --csv "$tmp/p.csv" 2>"$tmp/err" || { fail "--set connection_timeout_ms exits $?"; cat "$tmp/err"; }
"$mpcsim" run "$tmp/plain.yaml" -q --set network.transport.rto_ms=300 --csv "$tmp/p.csv" \
    2>"$tmp/err" || { fail "--set rto_ms exits $?"; cat "$tmp/err"; }
scenario "$tmp/nokind.yaml" "  transport: { window_bytes: 65536 }"
"$mpcsim" validate "$tmp/nokind.yaml" >/dev/null 2>"$tmp/err" || { fail "transport without kind"; cat "$tmp/err"; }

scenario "$tmp/rto.yaml" "  transport: { kind: tcp, rto_ms: 500, rto_max_ms: 100 }"
expect_error "$tmp/rto.yaml" "rto.yaml:7:52: error: network.transport.rto_max_ms (100 ms) is below rto_ms (500 ms)"
scenario "$tmp/rto2.yaml" "  transport: { rto_ms: 70000 }"
expect_error "$tmp/rto2.yaml" "rto2.yaml:7:24: error: network.transport.rto_ms (70000 ms) is above rto_max_ms (60000 ms)"
scenario "$tmp/rto3.yaml" "  transport: { rto_ms: 500, rto_max_ms: 500 }"
"$mpcsim" validate "$tmp/rto3.yaml" >/dev/null 2>"$tmp/err" || { fail "rto_max_ms == rto_ms refused"; cat "$tmp/err"; }
scenario "$tmp/share.yaml" "  sharing: round_robin"
expect_error "$tmp/share.yaml" "share.yaml:7:12: error: expected one of fifo, fair for network.sharing, found 'round_robin'"
scenario "$tmp/dgtls.yaml" "  transport: { kind: datagram, tls: true }"
expect_error "$tmp/dgtls.yaml" "dgtls.yaml:7:32: error: 'tls' applies to the tcp transport, not datagram"
scenario "$tmp/hs.yaml" "  transport: { handshake: maybe }"
expect_error "$tmp/hs.yaml" "hs.yaml:7:27: error:"

# 3 parties, 1 ms, 8 Mbit/s: fair sharing changes latency, tls changes bytes
# (22 per record), handshake and tls add one RTT each on first use.
col() {
    awk -F, -v c="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; next } { print $k }' "$2"
}
scenario "$tmp/net.yaml" "  bandwidth_mbps: 8"
for v in "" "network.sharing=fair" "network.transport.tls=true" "network.transport.handshake=true"; do
    set -- -q --csv "$tmp/o.csv"
    [ -n "$v" ] && set -- "$@" --set "$v"
    "$mpcsim" run "$tmp/net.yaml" "$@" 2>"$tmp/err" || { fail "run $v exits $?"; cat "$tmp/err"; }
    [ "$(col correct "$tmp/o.csv")" = true ] || fail "$v: not correct"
    echo "${v:-default} $(col latency_ms "$tmp/o.csv") $(col bytes "$tmp/o.csv") $(col messages "$tmp/o.csv")" >>"$tmp/rows"
done
awk 'NR == 1 { l = $2; b = $3; m = $4; next }
     $1 == "network.sharing=fair" && !($3 == b && $4 == m) { print "fair changed bytes"; exit 1 }
     $1 == "network.transport.tls=true" && !($3 == b + 22 * m && $2 > l + 1.9) { print "tls: bytes", $3, "latency", $2; exit 1 }
     $1 == "network.transport.handshake=true" && !($3 == b && $2 > l + 1.9) { print "handshake: latency", $2; exit 1 }' \
    "$tmp/rows" || { fail "transport options"; cat "$tmp/rows"; }
exit $failed
