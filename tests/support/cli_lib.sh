# shellcheck shell=bash disable=SC2154  # $onshi is set by the test that sources this file
# Sourced by the `onshi` CLI shell tests (tests/*/cli_test.sh), after they set $onshi:
#     source "$(dirname "${BASH_SOURCE[0]}")/../support/cli_lib.sh"
# Gives a temporary folder $tmp removed on exit (stopping the simulated terminal when one runs), `expect`,
# `count`, `want_count`, `sample_ledger`, `start_simulator`, `stop_simulator` and `finish`. Every failed
# check prints FAIL and adds to $fails; `finish` turns that into the exit status.
fails=0
tmp=$(mktemp -d)
sim_pid=
cli_cleanup() {
    [[ -n $sim_pid ]] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cli_cleanup EXIT

# Seconds each `expect` run may take before it is cut off (a hang fails); a test may lower it.
expect_seconds=30

# expect CODE STDOUT-SUBSTRING STDERR-SUBSTRING -- ARGS...   (runs "$onshi" ARGS with no stdin; the stdout is
# kept in $tmp/stdout for count/want_count)
expect() {
    local code=$1 out_want=$2 err_want=$3
    shift 4
    local out err rc
    out=$(timeout "$expect_seconds" "$onshi" "$@" 2>"$tmp/stderr" </dev/null)
    rc=$?
    err=$(cat "$tmp/stderr")
    printf '%s' "$out" >"$tmp/stdout"
    if [[ $rc != "$code" || $out != *"$out_want"* || $err != *"$err_want"* ]]; then
        echo "FAIL: onshi $*"
        echo "  exit $rc (want $code)"
        echo "  stdout: ${out:0:600} (want *$out_want*)"
        echo "  stderr: ${err:0:300} (want *$err_want*)"
        fails=$((fails + 1))
    fi
}
# count SUBSTRING: how many lines of the last stdout contain it
count() { grep -cF -- "$1" "$tmp/stdout"; }
# want_count SUBSTRING N WHAT: the last stdout has SUBSTRING on exactly N lines
want_count() {
    local n
    n=$(count "$1")
    if [[ $n != "$2" ]]; then
        echo "FAIL: $3: '$1' on $n lines of stdout (want $2)"
        fails=$((fails + 1))
    fi
}

# sample_ledger LEDGER SRC: a new ledger holding assets/ledger/sample.json; the test ends when it cannot.
sample_ledger() {
    { "$onshi" ledger --ledger "$1" init && "$onshi" ledger --ledger "$1" import-sample --file "$2/assets/ledger/sample.json"; } \
        >/dev/null || { echo "cannot create the sample ledger"; exit 1; }
}

# start_simulator ROOT SRC: `onshi oqs serve` on ROOT with assets/oqs/people.json, in the background.
start_simulator() {
    "$onshi" oqs serve --root "$1" --data "$2/assets/oqs/people.json" --latency-ms 100 2>/dev/null &
    sim_pid=$!
    sleep 0.3
}
stop_simulator() {
    kill "$sim_pid" && wait "$sim_pid" 2>/dev/null
    sim_pid=
}

# finish NAME: the summary line; exit 1 when any check failed.
finish() {
    if ((fails)); then
        echo "$1: $fails failed"
        exit 1
    fi
    echo "$1: all passed"
    exit 0
}
