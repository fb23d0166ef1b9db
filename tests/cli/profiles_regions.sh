#!/usr/bin/env bash
# tests/cli/profiles_regions.sh MPCSIM - issue 17 from the command line:
# `validate` and `run` reject the same profiles/regions/latency mistakes
# with FILE:LINE:COL (exit 2), and accept the good forms.
set -u
mpcsim=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

head='name: t
parties: 6
inputs: { distribution: uniform, min: 0, max: 1 }
protocol: { kind: shamir }'

bad() { # bad NAME EXPECTED (the rest of the scenario on stdin)
    { echo "$head"; cat; } >"$tmp/$1.yaml"
    for cmd in validate run; do
        (cd "$tmp" && "$mpcsim" $cmd "$1.yaml" >/dev/null 2>"$tmp/err")
        rc=$?
        if [ "$rc" -ne 2 ] || ! grep -qF -- "$1.yaml:$2" "$tmp/err"; then
            echo "FAIL $1 ($cmd): exit $rc, expected 2 and '$1.yaml:$2'"; cat "$tmp/err"; fail=1
        fi
    done
}

bad two-profiles '7:17: error: party 3 is in two profiles (0 and 1' <<'EOF2'
profiles:
  - { parties: { from: 0, to: 3 }, uplink_mbps: 10 }
  - { parties: [3], cpu_scale: 4 }
EOF2
bad unknown-region "6:52: error: expected one of us-east-1, us-west-1, us-west-2, eu-west-1, eu-central-1, ap-northeast-1, ap-northeast-2, ap-southeast-1, ap-southeast-2, sa-east-1 for a region of preset aws-2017, found 'ap-south-1'" <<'EOF2'
network:
  regions: { preset: aws-2017, assign: [us-east-1, ap-south-1, us-east-1, us-east-1, us-east-1, us-east-1] }
EOF2
bad intra-zero "6:42: error: expected a number in (0, 1e+07] for network.regions.intra_ms" <<'EOF2'
network:
  regions: { preset: aws-2017, intra_ms: 0 }
EOF2
bad per-typo "6:50: error: unknown network.latency.per 'links'; did you mean 'link'?" <<'EOF2'
network:
  latency: { distribution: constant, ms: 5, per: links }
EOF2
bad jitter-key "6:82: error: 'median_ms' does not apply to latency distribution exponential" <<'EOF2'
network:
  latency: { ms: 5, distribution: constant, jitter: { distribution: exponential, median_ms: 3 } }
EOF2
bad cpu-scale "5:40: error: expected a number in (0, 1000] for a profile's cpu_scale" <<'EOF2'
profiles: [ { parties: [1], cpu_scale: 2000 } ]
EOF2

# The good forms run, and the run is correct.
{ echo "$head"; cat <<'EOF2'; } >"$tmp/good.yaml"
trials: 2
network:
  regions: { preset: aws-2017, assign: round_robin, intra_ms: 1 }
  latency: { sigma: 0.1, per: link, jitter: { distribution: uniform, min_ms: 0, max_ms: 2 } }
  bandwidth_mbps: 100
profiles:
  - { parties: [0], uplink_mbps: 1000, downlink_mbps: 1000, cpu_scale: 0.5 }
  - { parties: { from: 1 }, uplink_mbps: 5, downlink_mbps: 20, cpu_scale: 2 }
EOF2
if ! "$mpcsim" validate "$tmp/good.yaml" >/dev/null 2>"$tmp/err"; then
    echo "FAIL good.yaml: validate"; cat "$tmp/err"; fail=1
fi
if ! "$mpcsim" run "$tmp/good.yaml" --quiet --csv "$tmp/good.csv" 2>"$tmp/err" ||
    [ "$(grep -c ',ok,true,' "$tmp/good.csv")" -ne 2 ]; then
    echo "FAIL good.yaml: run"; cat "$tmp/err" "$tmp/good.csv"; fail=1
fi
[ "$fail" -eq 0 ] && echo "profiles_regions: ok"
exit "$fail"
