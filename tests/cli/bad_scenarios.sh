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
    "$mpcsim" validate "$file" >"$tmp/out" 2>"$tmp/err"
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

if [ "$fail" -ne 0 ]; then
    echo "bad scenarios: some checks failed"
    exit 1
fi
echo "bad scenarios: $count checks passed"
