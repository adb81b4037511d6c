#!/usr/bin/env bash
# Every numeric option and argument of `onshi`: a word that is not a finite number within the stated range
# exits 2 with "OPTION: expected … between LO and HI, got 'WORD'" — never a raw stoll/stod message, and
# never after doing anything (no request is sent, no ledger is touched).
set -u
onshi=$1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fails=0
# bad WANT_STDERR -- ARGS...: exit 2, stderr contains WANT_STDERR, no library exception text.
bad() {
    local want=$1; shift 2
    local err rc
    err=$(timeout 10 "$onshi" "$@" 2>&1 >/dev/null); rc=$?
    if [[ $rc != 2 || $err != *"$want"* || $err == *sto[dilu]* ]]; then
        echo "FAIL: onshi $*"
        echo "  exit $rc (want 2), stderr: $err"
        echo "  want: *$want*"
        fails=$((fails + 1))
    fi
}

"$onshi" ledger init --ledger "$tmp/ledger.sqlite" >/dev/null || { echo "FAIL: ledger init"; exit 1; }
mkdir -p "$tmp/oqs/req" "$tmp/oqs/res" "$tmp/oqs/face"
request=(oqs request siquc01 --root "$tmp/oqs" --state "$tmp/state.json" --insurer 06139980 --number 1234
         --birthdate 1960-06-02 --date 2025-04-01)

for t in nan inf -inf 1e300 -1 0 0.09 3600.5 abc 1x '' ' 5' +5 0x10; do
    bad "--timeout: expected seconds between 0.1 and 3600, got '$t'" -- "${request[@]}" --timeout "$t"
done
bad "--timeout: expected seconds between 0.1 and 3600, got 'nan'" -- "${request[@]}" --timeout=nan
# None of those may have sent a request.
[ -z "$(ls -A "$tmp/oqs/req")" ] || { echo "FAIL: a request was sent: $(ls "$tmp/oqs/req")"; fails=$((fails + 1)); }

for n in 99999999999999999999 -1 0 abc 1.5 '' 1e3; do
    bad "AUDIT_ID: expected an integer between 1 and 9223372036854775807, got '$n'" -- \
        ledger --ledger "$tmp/ledger.sqlite" undo "$n" --staff S01
done
bad "--cap: expected an integer between 1 and 1000000, got '0'" -- ledger --ledger "$tmp/ledger.sqlite" history --cap 0
bad "--cap: expected an integer between 1 and 1000000, got '18446744073709551616'" -- \
    ledger --ledger "$tmp/ledger.sqlite" history --cap 18446744073709551616
bad "--cap: expected an integer between 1 and 1000000, got '-5'" -- ledger --ledger "$tmp/ledger.sqlite" history --cap -5
for r in -1 10000 x 1e2; do
    bad "--record: expected an integer between 0 and 9999, got '$r'" -- \
        diff --ledger "$tmp/ledger.sqlite" --karte 1 --result "$tmp/none.xml" --record "$r"
    bad "--record: expected an integer between 0 and 9999, got '$r'" -- \
        match --ledger "$tmp/ledger.sqlite" --result "$tmp/none.xml" --record "$r"
done
for l in -1 nan 600001 99999999999999999999; do
    bad "--latency-ms: expected an integer between 0 and 600000, got '$l'" -- \
        oqs serve --root "$tmp/oqs" --data "$tmp/none.json" --latency-ms "$l"
done
for f in abc -1 10 2.5 nan; do
    bad "--floor: expected an integer between 0 and 9, got '$f'" -- \
        card face --birth 151011 --expiry 2032 --code 9024 --floor "$f"
done

query=(query single --root "$tmp/oqs" --state "$tmp/state.json" --ledger "$tmp/ledger.sqlite" --karte 13)
for t in nan inf -1 0 0.09 3600.5 abc ''; do
    bad "--timeout: expected seconds between 0.1 and 3600, got '$t'" -- "${query[@]}" --timeout "$t"
done
[[ -z $(ls "$tmp/oqs/req") ]] || { echo "FAIL: a refused command wrote to req/"; fails=$((fails + 1)); }

# A good value still works: the number reaches the command.
out=$("$onshi" ledger --ledger "$tmp/ledger.sqlite" history --cap 5 2>&1); rc=$?
[[ $rc == 0 && $out == *'"rows"'* ]] || { echo "FAIL: history --cap 5: rc=$rc $out"; fails=$((fails + 1)); }
# undo names an active staff member (S01 of the sample ledger), so the number is what fails: no entry 42000.
"$onshi" ledger --ledger "$tmp/sample.sqlite" init >/dev/null && "$onshi" ledger --ledger "$tmp/sample.sqlite" import-sample >/dev/null ||
    { echo "FAIL: sample ledger"; exit 1; }
out=$("$onshi" ledger --ledger "$tmp/sample.sqlite" undo 42000 --staff S01 2>&1); rc=$?
[[ $rc == 1 && $out == *"no audit entry 42000"* && $out != *stoll* ]] ||
    { echo "FAIL: undo 42000 on the sample ledger: rc=$rc $out"; fails=$((fails + 1)); }

[ $fails -eq 0 ] && echo "cli numbers: ok"
exit $((fails > 0))
