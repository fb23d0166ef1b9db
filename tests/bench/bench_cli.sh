#!/usr/bin/env bash
# tests/bench/bench_cli.sh MPCSIM - the bench command line:
#  - --json - writes the JSON to stdout and the table to stderr (no file '-');
#  - getopt_long: --opt=value; a missing argument names what is missing;
#  - --count-instructions either works or says why it cannot (valgrind
#    missing, or a native AVX-512 build valgrind cannot execute), never only
#    "the callgrind run failed".
set -u
mpcsim=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cd "$tmp" || exit 1

"$mpcsim" bench --filter='^field/inv$' --min-time=0.01 --repetitions=2 --json - >out 2>err ||
    { cat err; fail "bench --json -"; }
[ -e ./- ] && fail "--json - created a file named '-'"
head -1 out | grep -q '^{$' && tail -1 out | grep -q '^}$' || fail "stdout is not the JSON: $(head -3 out)"
grep -q '"name": "field/inv_cv"' out || fail "no cv aggregate in the JSON"
grep -q '^kernel' err && grep -q '^field/inv' err || fail "the table is not on stderr: $(cat err)"
grep -q '^kernel' out && fail "the table went to stdout with the JSON"
"$mpcsim" bench --filter '^field/inv$' --min-time 0.01 --repetitions 2 --json j.json --csv c.csv \
    >/dev/null 2>err || { cat err; fail "bench --json FILE --csv FILE"; }
[ -s j.json ] && [ -s c.csv ] || fail "files not written"
ls -a | grep -q 'tmp' && fail "temporary files left: $(ls -a)"
"$mpcsim" bench --json - --csv - >/dev/null 2>err
[ $? -eq 2 ] || fail "two outputs on stdout accepted"
"$mpcsim" bench --repetitions >/dev/null 2>err
[ $? -eq 2 ] && grep -q -- '--repetitions' err && [ "$(wc -l <err)" -le 2 ] ||
    fail "missing argument: $(cat err)"
"$mpcsim" bench --no-such >/dev/null 2>err
[ $? -eq 2 ] && grep -q -- '--no-such' err || fail "unknown option: $(cat err)"

# expect RC PATTERN ARGS...: bench exits RC with PATTERN on stdout or stderr.
expect() {
    local want=$1 pat=$2
    shift 2
    "$mpcsim" bench "$@" >out 2>err
    local rc=$?
    [ "$rc" -eq "$want" ] || fail "bench $*: exit $rc, expected $want: $(head -3 err)"
    grep -q -- "$pat" out err || fail "bench $*: no '$pat' in: $(head -3 err)"
}
expect 0 'usage: mpcsim bench' --help
# A full stdout is an error, not a silent success.
"$mpcsim" bench --list >/dev/full 2>err
[ $? -eq 2 ] || fail "bench --list > /dev/full did not exit 2"
# Outputs that would overwrite each other or an input are refused before running.
echo keep >same.json
expect 2 'name the same file' --filter '^field/inv$' --min-time 0.01 --json same.json --csv same.json
expect 2 'name the same file' --filter '^field/inv$' --min-time 0.01 --json same.json --csv ./same.json
[ "$(cat same.json)" = keep ] || fail "a refused clash still wrote same.json"
expect 2 'would overwrite' --filter '^field/inv$' --json same.json --compare same.json
expect 0 '^field/inv$' --list --filter '^field/inv$'
expect 2 'expects a percentage' --threshold abc
expect 2 'expects seconds' --min-time 0
expect 2 'expects 1..100' --repetitions 101
expect 2 "unexpected argument 'extra'" extra
expect 2 'needs --count-instructions' --compare x.json
expect 2 'not a valid regular expression' --filter '('
expect 2 'cannot write' --filter '^field/inv$' --min-time 0.01 --repetitions 1 --json nodir/x.json
expect 2 'cannot write' --filter '^field/inv$' --min-time 0.01 --repetitions 1 --csv nodir/x.csv
printf '{"benchmarks": [{"name": "field/inv", "instructions": NaN}]}' >nan.json
expect 2 'not valid JSON' --count-instructions --filter '^field/inv$' --compare nan.json

"$mpcsim" bench --count-instructions --filter '^field/inv$' --json base.json >out 2>err
rc=$?
if [ $rc -ne 0 ]; then
    grep -q 'bench-check.sh\|valgrind is not installed\|apt-get install valgrind' err ||
        fail "--count-instructions failed without saying how to run it (exit $rc): $(tail -3 err)"
    echo "(--count-instructions cannot run here: $(grep -o 'SIGILL\|not installed' err | head -1))"
else
    grep -q '^field/inv' out || fail "--count-instructions printed no count"
    grep -q '"instructions": ' base.json || fail "no instructions in the count JSON"
    # Against itself: no regression.  Against a baseline 20 % lower: exit 1.
    expect 0 'field/inv' --count-instructions --filter '^field/inv$' --compare base.json
    sed 's/"instructions": \([0-9]*\)/"instructions": \1000/' base.json >big.json
    awk '/"instructions": /{ split($2, a, ","); printf "      \"instructions\": %d,\n", a[1] * 0.8; next } { print }' \
        base.json >low.json
    expect 1 'REGRESSION' --count-instructions --filter '^field/inv$' --compare low.json
    expect 0 'improvement' --count-instructions --filter '^field/inv$' --compare big.json
    expect 2 'none of the' --count-instructions --filter '^field/add_vec' --compare base.json
fi
echo "bench command line: ok"
