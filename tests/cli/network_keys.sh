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
exit $failed
