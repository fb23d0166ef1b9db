#!/usr/bin/env bash
# tests/cli/compare_views.sh MPCSIM DIR - Shamir comparisons never accuse
# an honest party when honest parties compute over different inputs: an
# input lost to some of them (datagram loss) or a partial broadcast (a
# crash mid-send).  Both runs accused every party before the view tag
# (issue 15's rule: accuse only on proof).
set -u
mpcsim=$1
dir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
for s in compare-loss-views compare-partial-broadcast; do
    "$mpcsim" run "$dir/$s.yaml" -q --csv "$tmp/$s.csv" >/dev/null 2>"$tmp/err"
    rc=$?
    [ "$rc" -le 1 ] || fail "$s: exit $rc: $(cat "$tmp/err")"
    rows=$(grep -vc '^#' "$tmp/$s.csv")
    [ "$rows" -ge 2 ] || fail "$s: no rows"
    python3 - "$tmp/$s.csv" "$s" <<'PY' || exit 1
import csv, sys
rows = list(csv.DictReader(l for l in open(sys.argv[1]) if not l.startswith('#')))
for r in rows:
    if r['false_accusations'] != '0' or r['status'] == 'wrong_output':
        print(f"FAIL: {sys.argv[2]} trial {r['trial']}: {r['status']}, accused '{r['accused']}', "
              f"false_accusations {r['false_accusations']}", file=sys.stderr)
        sys.exit(1)
PY
done
echo "compare_views: ok"
