#!/usr/bin/env bash
# tests/cli/plot_errors.sh MPCSIM - every way `mpcsim plot` refuses its input
# or its arguments exits 2 with a message that says what is wrong, and the
# options that change the figure are accepted.
set -u
mpcsim=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cd "$tmp" || exit 1
# expect RC PATTERN ARGS...: exit code RC and PATTERN in stderr (or stdout for 0)
expect() {
    local want=$1 pat=$2
    shift 2
    "$mpcsim" plot "$@" >out 2>err
    local rc=$?
    [ "$rc" -eq "$want" ] || fail "plot $*: exit $rc, expected $want: $(head -3 err)"
    grep -q -- "$pat" err out || fail "plot $*: no '$pat' in: $(head -3 err)"
}
cat >ok.csv <<'CSV'
scenario,trial,seed,protocol,parties,status,latency_ms,note
a,0,1,shamir,3,ok,10,"x ""quoted"", y"
a,1,2,shamir,3,ok,12,plain
a,0,3,shamir,6,abort,,"tab	here"
a,1,4,shamir,6,ok,0,
CSV
expect 0 'usage: mpcsim plot' --help
expect 0 'usage: mpcsim plot' -h
expect 2 "unknown option '--nope'" ok.csv --nope
expect 2 "unknown option '-q'" ok.csv -q
expect 2 '-o/--output needs a value' ok.csv --x parties --y latency_ms -o
expect 2 '--errorbars needs a value' ok.csv --x parties --y latency_ms --errorbars
expect 2 'missing --x' ok.csv --y latency_ms
expect 2 'missing --y' ok.csv --x parties
expect 2 'missing the RESULTS.csv' --x parties --y latency_ms
expect 2 'one CSV at a time' ok.csv ok.csv --x parties --y latency_ms
expect 2 'cannot read' nosuch.csv --x parties --y latency_ms
mkdir adir
expect 2 'cannot read' adir --x parties --y latency_ms
: >empty.csv
expect 2 'empty file' empty.csv --x parties --y latency_ms
head -1 ok.csv >hdr.csv
expect 2 'no rows to plot' hdr.csv --x parties --y latency_ms
printf 'a,b\n1,2,3\n' >ragged.csv
expect 2 'ragged.csv:2: error: 3 fields, the header has 2' ragged.csv --x a --y b
{ printf 'a,b\n1,'; head -c 1100000 /dev/zero | tr '\0' 7; printf '\n'; } >long.csv
expect 2 'longer than' long.csv --x a --y b
expect 2 "has no column 'nosuch'" ok.csv --x nosuch --y latency_ms
expect 2 "has no column 'nosuch'" ok.csv --x parties --y latency_ms --by nosuch
expect 2 "'note' is not numeric" ok.csv --x parties --y note
expect 2 "--key expects" ok.csv --x parties --y latency_ms --key middle
expect 2 "--errorbars expects" ok.csv --x parties --y latency_ms --errorbars xx
expect 2 "-o must end in .png or .svg" ok.csv --x parties --y latency_ms -o f.jpg
expect 2 "name too long" ok.csv --x parties --y latency_ms -o "$(printf 'a%.0s' $(seq 5000)).svg"
expect 2 "cannot write" ok.csv --x parties --y latency_ms -o nodir/f.svg
expect 2 "--logx needs a numeric --x" ok.csv --x note --y latency_ms --logx
{ printf 'a'; head -c 1100000 /dev/zero | tr '\0' b; printf '\n1\n'; } >longhdr.csv
expect 2 'header longer than' longhdr.csv --x a --y b
{ seq -s, 1 1100; seq -s, 1 1100; } >wide.csv
expect 2 'more than 1024 columns' wide.csv --x 1 --y 2
expect 2 "CSV name too long" "$(printf 'a%.0s' $(seq 5000)).csv" --x parties --y latency_ms
# Blank lines are skipped; protocol.kind falls back to the protocol column.
printf 'x,protocol,y\n1,shamir,2\n\n1,additive,4\n\n' >blank.csv
expect 0 wrote blank.csv --x x --y y --by protocol.kind --errorbars ci -o l.svg
grep -q '^1 2 0 1 1$' l.dat && grep -q '^1 4 0 1 1$' l.dat || fail "blank lines / protocol.kind: $(cat l.dat)"
# Pooling refusals name the series and the category.
printf 'x,s,protocol,y\nc,1,shamir,2\nc,1,additive,4\n' >poolcat.csv
expect 2 "s = 1, x = c mix protocols" poolcat.csv --x x --y y --by s -o m.svg
# gnuplot itself failing is reported, and no figure is left half-written.
mkdir fakebin
printf '#!/bin/sh\nexit 1\n' >fakebin/gnuplot
chmod +x fakebin/gnuplot
(PATH="$tmp/fakebin:$PATH" && exec "$mpcsim" plot ok.csv --x parties --y latency_ms -o n.svg) >out 2>err
[ $? -eq 2 ] && grep -q 'gnuplot failed on n.gp' err || fail "failing gnuplot: $(cat err)"
[ -e n.svg ] && fail "a figure was left by a failing gnuplot"
# Options that change the figure.
expect 0 wrote ok.csv --x=parties --y=latency_ms --key=off --errorbars=none --title='T' -o a.svg
grep -q 'unset key' a.gp && grep -q 'linespoints' a.gp && grep -q "set title 'T'" a.gp || fail "options: $(cat a.gp)"
expect 0 wrote ok.csv --x parties --y latency_ms --key 'bottom right' --errorbars sd -o b.svg
grep -q 'set key bottom right' b.gp && grep -q ' sd, ' b.dat || fail "sd/key: $(cat b.gp b.dat)"
# Control bytes in a --by value are escaped in the script, the quote doubled.
expect 0 wrote ok.csv --x parties --y success_rate --by note -o c.svg
grep -q "note = tab\\\\there" c.gp && grep -q "note = x \"quoted\"', y\|note = x \"quoted\", y" c.gp ||
    fail "escaped --by values: $(grep plot -A4 c.gp)"
grep -q "set yrange \[0:1.05\]" c.gp || fail "success_rate range"
# --logx: a point at x <= 0 is left out and reported; --logy: a mean <= 0 too.
printf 'x,y\n0,5\n1,6\n2,0\n2,0\n' >log.csv
expect 0 '--logx: no point at x = 0' log.csv --x x --y y --logx -o d.svg
expect 0 '--logy: no point at x = 2' log.csv --x x --y y --logy -o e.svg
grep -q 'set logscale y' e.gp || fail "--logy not in the script"
# Absent x values are counted; a CSV whose every value is absent draws nothing.
printf 'x,y\n,5\n1,6\n' >absx.csv
expect 0 '1 rows have no value of --x' absx.csv --x x --y y -o f.svg
printf 'x,y\n1,\n2,\n' >none.csv
expect 2 'no point to draw' none.csv --x x --y y -o g.svg
# Limits are errors, not silent truncation.
{ echo 'x,s,y'; for i in $(seq 70); do echo "1,s$i,1"; done; } >series.csv
expect 2 'more than 64 series' series.csv --x x --y y --by s -o h.svg
{ echo 'x,y'; for i in $(seq 300); do echo "c$i,1"; done; } >cats.csv
expect 2 'more than 256 categories' cats.csv --x x --y y -o i.svg
# A summary CSV named by its 'metric' column is recognised too.
printf 'parties,metric,mean\n3,latency_ms,1\n3,bytes,2\n' >sum.csv
expect 2 'summary CSV' sum.csv --x parties --y mean -o j.svg
# No gnuplot: the data and script are written, and plot says how to draw them.
mkdir bin
(PATH="$tmp/bin" && exec "$mpcsim" plot ok.csv --x parties --y latency_ms -o k.svg) >out 2>err
[ $? -eq 2 ] && grep -q 'gnuplot is not installed' err || fail "no gnuplot: $(cat err)"
[ -s k.gp ] && [ -s k.dat ] || fail "no gnuplot: script and data not written"
ls -a | grep -q '\.tmp\.' && fail "temporary files left: $(ls -a | grep tmp)"
echo "plot errors: ok"
