#!/usr/bin/env bash
# tests/cli/sweep_plot.sh MPCSIM SCENARIO [MPIRUN]
#  - sweep -j 1 and -j 2 write identical rows (wall_ms aside), in grid order;
#  - with MPIRUN, 2 ranks write the same rows as one process;
#  - plot draws a real PNG and SVG; bad plot arguments exit 2.
set -u
mpcsim=$1
scenario=$2
mpirun=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
blank() {
    awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "wall_ms") w = i; print; next }
                      { $w = "-"; print }' "$1"
}

"$mpcsim" sweep "$scenario" -j 1 -q --csv "$tmp/j1.csv" --summary "$tmp/sum.csv" || fail "sweep -j 1"
"$mpcsim" sweep "$scenario" -j 2 -q --csv "$tmp/j2.csv" || fail "sweep -j 2"
blank "$tmp/j1.csv" >"$tmp/a"
blank "$tmp/j2.csv" >"$tmp/b"
cmp -s "$tmp/a" "$tmp/b" || { diff "$tmp/a" "$tmp/b" | head; fail "-j 1 and -j 2 differ"; }
rows=$(($(wc -l <"$tmp/j1.csv") - 1))
[ "$rows" -eq 36 ] || fail "expected 3 x 2 points x 6 trials = 36 rows, got $rows"
# Grid order: parties varies slowest, the last key fastest.
order=$(awk -F, 'NR > 1 { print $1 "/" $2 }' "$tmp/j1.csv" | uniq | tr '\n' ' ')
[ "$order" = "3/5 3/50 6/5 6/50 12/5 12/50 " ] || fail "grid order: $order"
grep -q "^3,5,toy-sweep,toy,3,success_rate,all,6,6,0," "$tmp/sum.csv" || fail "summary CSV: $(head -3 "$tmp/sum.csv")"

if [ -n "$mpirun" ]; then
    "$mpirun" --allow-run-as-root --oversubscribe -n 2 "$mpcsim" sweep "$scenario" -q \
        --csv "$tmp/mpi.csv" >/dev/null 2>"$tmp/mpi.err" || { cat "$tmp/mpi.err"; fail "mpirun sweep"; }
    blank "$tmp/mpi.csv" >"$tmp/c"
    cmp -s "$tmp/a" "$tmp/c" || { diff "$tmp/a" "$tmp/c" | head; fail "MPI 2 ranks differ from one process"; }
    echo "MPI: 2 ranks identical to 1 process"
fi

"$mpcsim" plot "$tmp/j1.csv" --x parties --y latency_ms --by sweep.network.latency.median_ms \
    -o "$tmp/fig.png" >/dev/null || fail "plot png"
head -c 8 "$tmp/fig.png" | od -An -tx1 | tr -d ' \n' | grep -q '^89504e470d0a1a0a$' || fail "not a PNG"
[ "$(stat -c %s "$tmp/fig.png")" -gt 5000 ] || fail "PNG suspiciously small"
[ -s "$tmp/fig.gp" ] && [ -s "$tmp/fig.dat" ] || fail "script/data not written beside the figure"
"$mpcsim" plot "$tmp/j1.csv" --x parties --y success_rate --errorbars sd -o "$tmp/fig.svg" >/dev/null ||
    fail "plot svg"
grep -q '<svg' "$tmp/fig.svg" || fail "not an SVG"
for bad in "--x nosuch --y latency_ms" "--x parties --y reason" \
           "--x parties --y latency_ms --errorbars xx" "--x parties --y latency_ms -o f.jpg"; do
    # shellcheck disable=SC2086
    "$mpcsim" plot "$tmp/j1.csv" $bad >/dev/null 2>&1
    rc=$?
    [ "$rc" -eq 2 ] || fail "plot $bad: exit $rc, expected 2"
done
echo "sweep and plot: ok"
