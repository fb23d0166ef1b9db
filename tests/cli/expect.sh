# tests/cli/expect.sh - sourced by the front-end shell tests (front.sh,
# front_runs.sh) after they set $mpcsim: a temporary folder $tmp removed on
# exit, fail MESSAGE, no MPI launcher variables, and
# expect RC 'STDERR TEXT' ARGS...: exit code and a fixed string on stderr
# (empty text: stderr must be empty).
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
unset OMPI_COMM_WORLD_SIZE PMI_SIZE PMIX_RANK

expect() {
    local want=$1 msg=$2
    shift 2
    "$mpcsim" "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    [ "$rc" -eq "$want" ] || fail "mpcsim $*: exit $rc, expected $want; stderr: $(cat "$tmp/err")"
    if [ -n "$msg" ]; then
        grep -qF -- "$msg" "$tmp/err" || fail "mpcsim $*: stderr lacks '$msg': $(cat "$tmp/err")"
    else
        [ ! -s "$tmp/err" ] || fail "mpcsim $*: unexpected stderr: $(cat "$tmp/err")"
    fi
}
