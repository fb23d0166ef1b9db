#!/usr/bin/env bash
# scripts/coverage.sh [OPTIONS] - line and branch coverage of the CTest suite.
#
# Builds a portable Debug tree with --coverage in build-cov (MPCSIM_NATIVE=OFF,
# so the numbers do not depend on the CPU; -Og, which keeps every line gcov
# reports where it is and runs the suite 1.5x faster than -O0, whose line
# count includes code -Og folds away; -fprofile-update=atomic, since
# sweeps run trials on threads and racing counter updates give negative
# branch counts that gcovr rejects), runs CTest there, and runs gcovr
# (Debian package gcovr; scripts/install-deps.sh installs it) over the
# project's own sources (tests/ excluded).  Prints the overall summary and one
# line per file, and fails (exit 1) below the floors:
#
#   --fail-under-line PCT     overall line coverage      (env MPCSIM_COV_LINE)
#   --fail-under-branch PCT   overall branch coverage    (env MPCSIM_COV_BRANCH)
#   --file-line-floor PCT     line coverage of every file matching
#                             --file-glob, default 'sim/cli/*'  (env
#                             MPCSIM_COV_FILE_LINE, MPCSIM_COV_FILES): gcovr
#                             has no per-file floor, so its JSON summary is read.
#   --build-dir DIR           default build-cov          (env MPCSIM_COV_BUILD)
#   --no-build                reuse DIR's build and .gcda counts (no CTest run)
#   -R REGEX                  only the CTest tests matching REGEX
#
# Floors default to 0 (report only).  A failing test fails the script (exit 1)
# after the report.  Exit 2: bad arguments or gcovr missing.
set -euo pipefail
cd "$(dirname "$0")/.."

line=${MPCSIM_COV_LINE:-0}
branch=${MPCSIM_COV_BRANCH:-0}
file_line=${MPCSIM_COV_FILE_LINE:-0}
file_glob=${MPCSIM_COV_FILES:-sim/cli/*}
build=${MPCSIM_COV_BUILD:-build-cov}
do_build=1
regex=""

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }
need() { [ $# -ge 2 ] || { echo "coverage.sh: $1 needs a value" >&2; exit 2; }; }
pct() { [[ $2 =~ ^[0-9]+([.][0-9]+)?$ ]] || { echo "coverage.sh: $1 expects a percentage, got '$2'" >&2; exit 2; }; }
while [ $# -gt 0 ]; do
    case $1 in
    --fail-under-line) need "$@"; line=$2; shift 2 ;;
    --fail-under-line=*) line=${1#*=}; shift ;;
    --fail-under-branch) need "$@"; branch=$2; shift 2 ;;
    --fail-under-branch=*) branch=${1#*=}; shift ;;
    --file-line-floor) need "$@"; file_line=$2; shift 2 ;;
    --file-line-floor=*) file_line=${1#*=}; shift ;;
    --file-glob) need "$@"; file_glob=$2; shift 2 ;;
    --file-glob=*) file_glob=${1#*=}; shift ;;
    --build-dir) need "$@"; build=$2; shift 2 ;;
    --build-dir=*) build=${1#*=}; shift ;;
    --no-build) do_build=0; shift ;;
    -R) need "$@"; regex=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "coverage.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    esac
done
pct --fail-under-line "$line"
pct --fail-under-branch "$branch"
pct --file-line-floor "$file_line"
command -v gcovr >/dev/null || {
    echo "coverage.sh: gcovr is not installed (apt-get install gcovr, or scripts/install-deps.sh)" >&2
    exit 2
}

tests_ok=1
if [ "$do_build" = 1 ]; then
    cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DMPCSIM_NATIVE=OFF "-DCMAKE_C_FLAGS_DEBUG=-g -Og" \
        -DCMAKE_C_FLAGS="--coverage -fprofile-update=atomic" -DCMAKE_EXE_LINKER_FLAGS=--coverage >/dev/null
    cmake --build "$build" -j"$(nproc)" >/dev/null
    find "$build" -name '*.gcda' -delete
    (cd "$build" && ctest -j"$(nproc)" ${regex:+-R "$regex"} --output-on-failure) || tests_ok=0
fi

summary="$build/coverage-summary.json"
# Two test processes merging one .gcda at once (ctest -j) can, rarely, leave
# a negative branch counter that gcovr refuses: skip such a line (it says so
# on stderr) instead of losing the whole report.
gcovr --root . --object-directory "$build" --exclude 'tests/' --exclude "$build/" \
    --gcov-ignore-parse-errors --exclude-unreachable-branches --json-summary "$summary" --json-summary-pretty >/dev/null

# Report and per-file floor (gcovr's JSON summary: files[].filename,
# line_percent, branch_percent; totals line_percent, branch_percent).
python3 - "$summary" "$line" "$branch" "$file_line" "$file_glob" <<'EOF'
import fnmatch, json, sys
path, line, branch, file_line, glob = sys.argv[1], *map(float, sys.argv[2:5]), sys.argv[5]
s = json.load(open(path))
def p(x):
    return "   -  " if x is None else f"{x:5.1f}%"
print(f"{'file':44s} {'lines':>13s} {'line%':>6s} {'branches':>13s} {'branch%':>7s}")
bad = []
for f in sorted(s["files"], key=lambda f: f["filename"]):
    lp = f["line_percent"] if f["line_total"] else None
    bp = f["branch_percent"] if f["branch_total"] else None
    mark = ""
    if file_line > 0 and fnmatch.fnmatch(f["filename"], glob) and lp is not None and lp < file_line:
        bad.append(f"{f['filename']} lines {lp:.1f}% < {file_line:g}%")
        mark = "  <-- below the per-file floor"
    print(f"{f['filename']:44s} {f['line_covered']:6d}/{f['line_total']:<6d} {p(lp)} "
          f"{f['branch_covered']:6d}/{f['branch_total']:<6d} {p(bp)}{mark}")
lt, bt = s["line_percent"], s["branch_percent"]
print(f"{'TOTAL':44s} {s['line_covered']:6d}/{s['line_total']:<6d} {p(lt)} "
      f"{s['branch_covered']:6d}/{s['branch_total']:<6d} {p(bt)}")
if lt < line:
    bad.append(f"overall lines {lt:.1f}% < {line:g}%")
if bt < branch:
    bad.append(f"overall branches {bt:.1f}% < {branch:g}%")
for b in bad:
    print(f"coverage.sh: FAIL: {b}", file=sys.stderr)
sys.exit(1 if bad else 0)
EOF
[ "$tests_ok" = 1 ] || { echo "coverage.sh: FAIL: some tests failed (see above)" >&2; exit 1; }
