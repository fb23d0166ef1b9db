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

"$mpcsim" bench --count-instructions --filter '^field/inv$' >out 2>err
rc=$?
if [ $rc -ne 0 ]; then
    grep -q 'bench-check.sh\|valgrind is not installed\|apt-get install valgrind' err ||
        fail "--count-instructions failed without saying how to run it (exit $rc): $(tail -3 err)"
else
    grep -q '^field/inv' out || fail "--count-instructions printed no count"
fi
echo "bench command line: ok"
