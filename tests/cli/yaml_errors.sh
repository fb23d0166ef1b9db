#!/usr/bin/env bash
# tests/cli/yaml_errors.sh MPCSIM - the YAML reader's refusals through
# `mpcsim validate` (issue 14, coverage; sim/cli/ytree.c): a complex key,
# NUL bytes (raw and escaped), tags, inputs that are not regular files
# (directory, device, pipe), a missing file, the byte, node and depth
# limits, numbers past the reader's range.  Each is exit 2 with a located
# message.
set -u
mpcsim=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cd "$tmp" || exit 1

# refused FILE 'MESSAGE': validate exits 2 and prints MESSAGE.
refused() {
    timeout 20 "$mpcsim" validate "$1" >out 2>err
    local rc=$?
    [ "$rc" -eq 2 ] || fail "validate $1: exit $rc, expected 2: $(cat err)"
    grep -qF -- "$2" err || fail "validate $1: no '$2' in: $(cat err)"
    [ ! -s out ] || fail "validate $1: printed '$(cat out)'"
}

printf 'name: a\n? [x, y]\n: 1\n' >complex.yaml
refused complex.yaml "complex.yaml:2:3: error: expected a plain key here, found a sequence"
printf 'name: a\0b\nparties: 3\n' >nul.yaml
refused nul.yaml "nul.yaml:1:8: error: a NUL byte: this is not a text file"
printf 'name: "a\\0b"\nparties: 3\n' >nul2.yaml
refused nul2.yaml "nul2.yaml:1:7: error: a NUL byte inside a scalar"
printf 'name: !!str a\nparties: 3\n' >tag.yaml
refused tag.yaml "tag.yaml:1:7: error: YAML tags (!!str) are not allowed in scenarios; write the plain value"
mkdir dir.yaml
refused dir.yaml "dir.yaml: error: not a regular file (a directory); give a YAML file"
refused /dev/null "/dev/null: error: not a regular file (a terminal or device); give a YAML file"
if mkfifo fifo.yaml 2>/dev/null; then
    refused fifo.yaml "fifo.yaml: error: not a regular file (a pipe); give a YAML file"
fi
refused missing.yaml "missing.yaml: error: cannot open: No such file or directory"
python3 -c "print('name: big\ndescription: \"' + 'x' * (1024 * 1024) + '\"')" >big.yaml
refused big.yaml "big.yaml:1:1: error: file is larger than 1048576 bytes; scenarios are far smaller"
python3 -c "print('name: many\nx: [' + ','.join(['1'] * 200001) + ']')" >many.yaml
refused many.yaml "error: more than 200000 YAML nodes; a scenario is far smaller"
python3 -c "print('name: deep\nx: ' + '[' * 40 + ']' * 40)" >deep.yaml
refused deep.yaml "deep.yaml:2:35: error: nesting deeper than 32 levels"
# Numbers the reader will not round: a huge exponent, more than 38 digits.
printf 'name: num\nparties: 1e100001\ninputs: { values: [1, 2, 3] }\nprotocol: { kind: toy }\n' >exp.yaml
refused exp.yaml "exp.yaml:2:10: error: expected an integer in [2, 1000000] for parties, found '1e100001' (an exponent beyond 10^100000)"
printf 'name: num\nparties: 3\ninputs: { values: [170141183460469231731687303715884105728, 1, 2] }\nprotocol: { kind: toy }\n' >digits.yaml
refused digits.yaml "found '170141183460469231731687303715884105728' (more than 38 significant digits)"

echo "yaml_errors: ok"
