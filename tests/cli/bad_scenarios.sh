#!/usr/bin/env bash
# tests/cli/bad_scenarios.sh MPCSIM DIR - every file in DIR/EXPECTED must
# make `mpcsim validate` exit 2 with the expected FILE:LINE:COL message,
# and never crash (a sanitizer report or a signal is not exit 2).
set -u
mpcsim=$1
dir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
count=0

check() { # check FILE EXPECTED
    local file=$1 exp=$2 rc
    timeout 60 "$mpcsim" validate "$file" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    count=$((count + 1))
    if [ "$rc" -ne 2 ]; then
        echo "FAIL $file: exit $rc, expected 2"; cat "$tmp/err"; fail=1; return
    fi
    case "$exp" in
        error:*) needle="$exp" ;;
        *) needle="$file:$exp" ;;
    esac
    if ! grep -qF -- "$needle" "$tmp/err"; then
        echo "FAIL $file: expected message not found: $needle"; echo "got:"; cat "$tmp/err"; fail=1
    fi
    if grep -qE 'AddressSanitizer|runtime error|LeakSanitizer' "$tmp/err"; then
        echo "FAIL $file: sanitizer report"; cat "$tmp/err"; fail=1
    fi
    if LC_ALL=C grep -q '[[:cntrl:]]' <(tr -d '\n' <"$tmp/err"); then
        echo "FAIL $file: a raw control byte on stderr"; cat -A "$tmp/err"; fail=1
    fi
}

# check_secret FILE SECRET: exit 2, and SECRET (file content) never printed.
check_secret() {
    check "$1" "$2"
    if grep -qF -- "$3" "$tmp/err"; then
        echo "FAIL $1: file content '$3' echoed"; cat "$tmp/err"; fail=1
    fi
}

scenario_with() { # scenario_with FILE LINE...: a valid scenario plus LINEs
    local f=$1
    shift
    printf '%s\n' "name: t" "parties: 3" "inputs: { values: [1, 2, 3] }" "protocol: { kind: additive }" "$@" >"$f"
}

while IFS='|' read -r name exp; do
    [ -n "$name" ] || continue
    check "$dir/$name" "$exp"
done <"$dir/EXPECTED"

# Generated inputs: a 10 MB file, and a nonexistent path.
head -c 10485760 /dev/zero | tr '\0' 'a' >"$tmp/huge.yaml"
check "$tmp/huge.yaml" "1:1: error: file is larger than 1048576 bytes"
"$mpcsim" validate "$tmp/missing.yaml" >/dev/null 2>"$tmp/err"
rc=$?
count=$((count + 1))
if [ "$rc" -ne 2 ] || ! grep -qF "$tmp/missing.yaml: error: cannot open" "$tmp/err"; then
    echo "FAIL missing file: exit $rc"; cat "$tmp/err"; fail=1
fi

# Files that are not regular files never block: a FIFO without a writer
# (timeout: today's code waited forever), a device, a directory; as the
# scenario and as its cost_model.
mkfifo "$tmp/fifo.yaml"
timeout 20 "$mpcsim" validate "$tmp/fifo.yaml" >/dev/null 2>"$tmp/err"
rc=$?
count=$((count + 1))
if [ "$rc" -ne 2 ] || ! grep -qF "fifo.yaml: error: not a regular file (a pipe)" "$tmp/err"; then
    echo "FAIL fifo scenario: exit $rc"; cat "$tmp/err"; fail=1
fi
mkdir "$tmp/sub"
scenario_with "$tmp/sub/cm-fifo.yaml" "cost_model: ../fifo.yaml"
check "$tmp/sub/cm-fifo.yaml" "5:13: error: cannot read cost_model file '$tmp/sub/../fifo.yaml'"
scenario_with "$tmp/cm-dev.yaml" "cost_model: /dev/zero"
check "$tmp/cm-dev.yaml" "error: not a regular file (a terminal or device)"
scenario_with "$tmp/cm-dir.yaml" "cost_model: sub"
check "$tmp/cm-dir.yaml" "error: not a regular file (a directory)"
# A relative cost_model resolves from the scenario's folder, not the cwd.
printf 'field_mul: 2\n' >"$tmp/sub/costs.yaml"
scenario_with "$tmp/sub/cm-rel.yaml" "cost_model: costs.yaml" "trials: 0"
check "$tmp/sub/cm-rel.yaml" "6:9: error: expected an integer in [1, 1000000] for trials"
# Secrets in a cost_model file are never echoed: a shadow-like file, a
# credentials file whose values are not numbers.
printf 'root:$6$SECRETHASH$abc:19000:0:99999:7:::\n' >"$tmp/shadow"
scenario_with "$tmp/cm-shadow.yaml" "cost_model: shadow"
check_secret "$tmp/cm-shadow.yaml" "error: a key that is not a cost_model operation" SECRETHASH
printf 'token: s3cr3t-T0KEN\nfield_mul: hunter2\n' >"$tmp/creds.yaml"
scenario_with "$tmp/cm-creds.yaml" "cost_model: creds.yaml"
check_secret "$tmp/cm-creds.yaml" "error: expected a number in [0, 1e+09] for cost_model.field_mul" hunter2

printf 'field_mul: 1\nAKIA-SECRET-KEY: 1\nAKIA-SECRET-KEY: 2\n' >"$tmp/dup.yaml"
scenario_with "$tmp/cm-dup.yaml" "cost_model: dup.yaml"
check_secret "$tmp/cm-dup.yaml" "error: duplicate key 'not shown'" AKIA-SECRET
printf 'field_mul: !!str password123\n' >"$tmp/tag.yaml"
scenario_with "$tmp/cm-tag.yaml" "cost_model: tag.yaml"
check_secret "$tmp/cm-tag.yaml" "error: YAML tags (not shown)" password123

if [ "$fail" -ne 0 ]; then
    echo "bad scenarios: some checks failed"
    exit 1
fi
echo "bad scenarios: $count checks passed"
