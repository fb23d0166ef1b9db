#!/usr/bin/env bash
# tests/cli/plot_data.sh MPCSIM - what `mpcsim plot` aggregates is what the
# CSV holds (issue 13):
#  - every row counts (10 000 rows, half 0 and half 100: mean 50 over 10 000);
#  - absent (empty) values are skipped, not read as 0, and a point with none
#    is not drawn and is reported; --logy drops nothing silently;
#  - several protocols are not pooled into one line without --by; a --summary
#    CSV's mean is not plotted across metrics; a categorical --x works;
#  - sweep.<key> columns answer to the unprefixed key; getopt_long options.
set -u
mpcsim=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cd "$tmp" || exit 1

# 1. Every row: 5 000 zeros then 5 000 hundreds at one x.
{
    echo "scenario,trial,seed,protocol,parties,status,latency_ms"
    for i in $(seq 0 9999); do
        if [ "$i" -lt 5000 ]; then v=0; else v=100; fi
        echo "big,$i,$i,additive,5,ok,$v"
    done
} >big.csv
"$mpcsim" plot big.csv --x parties --y latency_ms --errorbars sd -o big.svg >out 2>err ||
    { cat err; fail "plot of 10 000 rows"; }
line=$(grep -v '^#' big.dat | grep -v '^$')
set -- $line
[ "$1" = 5 ] && [ "$2" = 50 ] || fail "10 000 rows: expected mean 50 at x 5, got: $line"
[ "$4" = 10000 ] || fail "10 000 rows: expected n = 10000, got: $line"

# 2. Absent values: aborted trials have empty latency; one point has none.
cat >abs.csv <<'CSV'
scenario,trial,seed,protocol,parties,status,latency_ms
a,0,1,shamir,3,ok,10
a,1,2,shamir,3,abort,
a,2,3,shamir,3,ok,30
a,3,4,shamir,3,abort,
a,0,5,shamir,6,abort,
a,1,6,shamir,6,abort,
CSV
"$mpcsim" plot abs.csv --x parties --y latency_ms -o abs.svg >out 2>err || { cat err; fail "plot abs"; }
line=$(grep -v '^#' abs.dat | grep -v '^$' | head -1)
set -- $line
[ "$1" = 3 ] && [ "$2" = 20 ] && [ "$4" = 2 ] || fail "absent values read as 0: $line"
[ "$(grep -v '^#' abs.dat | grep -vc '^$')" = 1 ] || fail "a point with no value was drawn: $(cat abs.dat)"
grep -q 'no value' err || fail "point with no value not reported on stderr: $(cat err)"
grep -q '6' err || fail "stderr does not name the point: $(cat err)"
grep -q '2 of 4 rows' abs.dat || grep -qi 'absent' abs.dat || fail ".dat does not say over how many rows: $(cat abs.dat)"
# --logy: zeros are not dropped silently.
"$mpcsim" plot big.csv --x parties --y latency_ms --logy -o logy.svg >out 2>err || { cat err; fail "plot --logy"; }
grep -qi 'logy' err || fail "--logy dropped or kept zeros without a word: $(cat err)"

# 3. Two protocols, no --by: refused; with --by: one line each.
cat >two.csv <<'CSV'
scenario,trial,seed,protocol,parties,status,latency_ms
t,0,1,shamir,3,ok,10
t,0,1,additive,3,ok,20
t,0,1,shamir,6,ok,15
t,0,1,additive,6,ok,25
CSV
"$mpcsim" plot two.csv --x parties --y latency_ms -o two.svg >out 2>err
[ $? -eq 2 ] || fail "pooled two protocols into one line without --by"
grep -q 'protocol' err || fail "pooling refusal does not say why: $(cat err)"
"$mpcsim" plot two.csv --x parties --y latency_ms --by protocol -o two.svg >out 2>err ||
    { cat err; fail "--by protocol"; }
"$mpcsim" plot two.csv --x parties --y latency_ms --pool -o pool.svg >out 2>err ||
    { cat err; fail "--pool"; }
grep -qi 'pool' err || fail "--pool does not say it pooled: $(cat err)"
# Categorical --x: the protocol names on the x axis.
"$mpcsim" plot two.csv --x protocol --y latency_ms -o cat.svg >out 2>err || { cat err; fail "categorical --x"; }
grep -q "'additive'" cat.gp && grep -q "'shamir'" cat.gp || fail "categorical labels not in the script: $(cat cat.gp)"
grep -q 'additive' cat.svg || fail "categorical labels not drawn"

# A --summary CSV: mean across metrics refused, one metric per line allowed.
cat >sum.csv <<'CSV'
scenario,protocol,parties,column,n,mean,sd,median,p95,ci95_low,ci95_high,ok,abort,wrong_output
s,shamir,3,latency_ms,4,10,1,10,11,9,11,4,0,0
s,shamir,3,bytes,4,5000,1,5000,5000,5000,5000,4,0,0
s,shamir,6,latency_ms,4,20,1,20,21,19,21,4,0,0
s,shamir,6,bytes,4,9000,1,9000,9000,9000,9000,4,0,0
CSV
"$mpcsim" plot sum.csv --x parties --y mean -o sum.svg >out 2>err
[ $? -eq 2 ] || fail "plotted a summary's mean across metrics"
grep -qi 'summary' err || fail "summary refusal does not say why: $(cat err)"
"$mpcsim" plot sum.csv --x parties --y mean --by column -o sum.svg >out 2>err ||
    { cat err; fail "summary --by column"; }

# 4. sweep.<key> headers answer to the unprefixed key (and today's headers too).
cat >sw.csv <<'CSV'
sweep.parties,sweep.protocol.kind,scenario,trial,seed,protocol,parties,status,latency_ms
3,shamir,w,0,1,shamir,3,ok,10
3,additive,w,0,1,additive,3,ok,20
6,shamir,w,0,1,shamir,6,ok,15
6,additive,w,0,1,additive,6,ok,25
CSV
"$mpcsim" plot sw.csv --x parties --y latency_ms --by protocol.kind -o sw.svg >out 2>err ||
    { cat err; fail "unprefixed sweep key"; }
"$mpcsim" plot sw.csv --x sweep.parties --y latency_ms --by sweep.protocol.kind -o sw.svg >out 2>err ||
    { cat err; fail "prefixed sweep key"; }
# An ambiguous key (sweep.seed and seed differ) is refused.
cat >amb.csv <<'CSV'
sweep.seed,scenario,trial,seed,protocol,parties,status,latency_ms
1,w,0,77,shamir,3,ok,10
2,w,0,78,shamir,3,ok,20
CSV
"$mpcsim" plot amb.csv --x seed --y latency_ms -o amb.svg >out 2>err
[ $? -eq 2 ] && grep -q 'sweep.seed' err || fail "ambiguous --x seed accepted: $(cat err)"

# 6. getopt_long: --opt=value; a missing argument names the option.
"$mpcsim" plot two.csv --x=parties --y=latency_ms --by=protocol -o two.svg >out 2>err ||
    { cat err; fail "--opt=value"; }
"$mpcsim" plot two.csv --x parties --y >out 2>err
[ $? -eq 2 ] && grep -q -- "--y" err && [ "$(wc -l <err)" -le 3 ] || fail "missing argument: $(cat err)"
ls -a | grep -q '\.tmp' && fail "temporary files left: $(ls -a)"
echo "plot data: ok"
