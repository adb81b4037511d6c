#!/usr/bin/env bash
# `onshi oqs parse FILE` and `onshi diff --result FILE` on hostile input files: a FIFO, a device, a file
# over the size limit and references XML forbids end in exit 2 with an English reason, never a hang.
set -u
onshi=$1
src=$2
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# expect CODE STDOUT-SUBSTRING STDERR-SUBSTRING -- ARGS...   (each run is cut off after 20 s: a hang fails)
expect() {
    local code=$1 out_want=$2 err_want=$3
    shift 4
    local out err rc
    out=$(timeout 20 "$onshi" "$@" 2>"$tmp/stderr" </dev/null)
    rc=$?
    err=$(cat "$tmp/stderr")
    if [[ $rc != "$code" || $out != *"$out_want"* || $err != *"$err_want"* ]]; then
        echo "FAIL: onshi $*"
        echo "  exit $rc (want $code)"
        echo "  stdout: ${out:0:300} (want *$out_want*)"
        echo "  stderr: ${err:0:300} (want *$err_want*)"
        fails=$((fails + 1))
    fi
}

good=$src/assets/oqs/fixtures/OQSsiquc01res_face_utf8_20230605093000.xml
face=$tmp/OQSsiquc01res_face_20230605093000.xml
fifo=$tmp/OQSsiquc01res_face_fifo_20230605093000.xml
big=$tmp/OQSsiquc01res_face_big_20230605093000.xml
nul=$tmp/OQSsiquc01res_face_nul_20230605093000.xml
surrogate=$tmp/OQSsiquc01res_face_surrogate_20230605093000.xml
link=$tmp/OQSsiquc01res_face_link_20230605093000.xml
mkfifo "$fifo"
truncate -s 65M "$big"
sed 's|<Name>資格 七夫</Name>|<Name>資格\&#0;　七夫</Name>|' "$good" >"$nul"
sed 's|<Name>資格 七夫</Name>|<Name>資格\&#xD800;　七夫</Name>|' "$good" >"$surrogate"
ln -s /dev/zero "$link"
grep -q '&#0;' "$nul" && grep -q '&#xD800;' "$surrogate" || { echo "test files not written"; exit 1; }

expect 0 '"name": "資格 七夫"' '' -- oqs parse "$good"
expect 2 '' 'is not a regular file' -- oqs parse "$fifo"
expect 2 '' 'symbolic link' -- oqs parse "$link"
expect 2 '' 'over the limit of 67108864' -- oqs parse "$big"
expect 2 '' 'no such file' -- oqs parse "$tmp/OQSsiquc01res_face_missing_20230605093000.xml"
expect 2 '' 'character reference &#0; in <Name>' -- oqs parse "$nul"
expect 2 '' 'character reference &#xD800; in <Name>' -- oqs parse "$surrogate"
expect 2 '' 'not an OQS file name' -- oqs parse /dev/zero
# A character device under an OQS name (only where this machine lets us make one).
if mknod "$tmp/OQSsiquc01res_face_dev_20230605093000.xml" c 1 5 2>/dev/null; then
    expect 2 '' 'is not a regular file' -- oqs parse "$tmp/OQSsiquc01res_face_dev_20230605093000.xml"
fi

ledger=$tmp/ledger.sqlite
{ "$onshi" ledger --ledger "$ledger" init && "$onshi" ledger --ledger "$ledger" import-sample --file "$src/assets/ledger/sample.json"; } >/dev/null ||
    { echo "cannot create the sample ledger"; exit 1; }
cp "$good" "$face"
expect 0 '"classification"' '' -- diff --ledger "$ledger" --karte 20 --result "$face"
expect 2 '' 'is not a regular file' -- diff --ledger "$ledger" --karte 20 --result "$fifo"
expect 2 '' 'symbolic link' -- diff --ledger "$ledger" --karte 20 --result "$link"
expect 2 '' 'over the limit' -- diff --ledger "$ledger" --karte 20 --result "$big"
expect 2 '' 'character reference &#0; in <Name>' -- diff --ledger "$ledger" --karte 20 --result "$nul"
expect 2 '' 'character reference &#xD800; in <Name>' -- diff --ledger "$ledger" --karte 20 --result "$surrogate"
expect 2 '' 'character reference &#0; in <Name>' -- match --ledger "$ledger" --result "$nul"

if ((fails)); then
    echo "$fails CLI check(s) failed"
    exit 1
fi
echo "all OQS CLI checks passed"
