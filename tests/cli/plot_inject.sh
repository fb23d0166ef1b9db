#!/usr/bin/env bash
# tests/cli/plot_inject.sh MPCSIM - nothing a user or a CSV supplies reaches
# gnuplot as a command (issue 14): a newline in the CSV's name, --title, -o
# or --x; a quote in a --by value; gnuplot's '<cmd' data and '|cmd' output
# file names.  Each case asserts that the command did NOT run.
set -u
mpcsim=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cd "$tmp" || exit 1
csv() {
    printf 'scenario,trial,seed,protocol,parties,status,latency_ms\n'
    printf 'i,0,1,shamir,3,ok,10\ni,1,2,shamir,6,ok,20\n'
}
check() { # NAME: the marker file must not exist
    if [ -e "$tmp/PWNED" ]; then rm -f "$tmp/PWNED"; fail "$1: gnuplot ran the injected command"; fi
}

name=$'r\nsystem("touch PWNED")\n#.csv'
csv >"$name"
"$mpcsim" plot "$name" --x parties --y latency_ms >/dev/null 2>err
check "CSV name with a newline"
csv >ok.csv
"$mpcsim" plot ok.csv --x parties --y latency_ms --title $'t\'\nsystem("touch PWNED")\n#' -o t.svg >/dev/null 2>err
check "--title with a newline"
grep -q 'system' t.gp 2>/dev/null && ! grep -q "^system" t.gp || true
grep -q '^system' t.gp 2>/dev/null && fail "--title: a line of the script starts with system"
"$mpcsim" plot ok.csv --x parties --y latency_ms -o $'o\nsystem("touch PWNED")\n#.svg' >/dev/null 2>err
check "-o with a newline"
"$mpcsim" plot ok.csv --x $'parties\nsystem("touch PWNED")\n#' --y latency_ms -o x.svg >/dev/null 2>err
check "--x with a newline"
"$mpcsim" plot ok.csv --x parties --y latency_ms -o '<touch PWNED;.svg' >/dev/null 2>err
check "-o '<cmd' (gnuplot reads a data file '<cmd' from a pipe)"
"$mpcsim" plot ok.csv --x parties --y latency_ms -o '|touch PWNED;.svg' >/dev/null 2>err
check "-o '|cmd' (gnuplot writes set output '|cmd' to a pipe)"
"$mpcsim" plot ok.csv --x parties --y latency_ms -o '-esystem("touch PWNED");.svg' >/dev/null 2>err
check "-o '-e...' (the script's name read as a gnuplot option)"
{
    printf 'scenario,trial,seed,protocol,parties,status,latency_ms,who\n'
    printf "i,0,1,shamir,3,ok,10,\"a'; system('touch PWNED'); '\"\n"
    printf 'i,1,2,shamir,6,ok,20,b\n'
} >q.csv
"$mpcsim" plot q.csv --x parties --y latency_ms --by who -o q.svg >/dev/null 2>err
check "--by value with a quote"
"$mpcsim" plot q.csv --x who --y latency_ms -o q2.svg >/dev/null 2>err
check "categorical --x value with a quote"
# Refusals are exit 2 and say why; the escaped name is shown, not raw.
"$mpcsim" plot "$name" --x parties --y latency_ms >/dev/null 2>err
[ $? -eq 2 ] || fail "CSV name with a newline: expected exit 2"
grep -q 'control character' err || fail "no reason given: $(cat err)"
grep -q '^system' err && fail "stderr echoes the newline raw: $(cat err)"
echo "plot injection: ok"
