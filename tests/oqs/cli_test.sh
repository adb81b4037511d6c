#!/usr/bin/env bash
# `onshi oqs parse FILE` and `onshi diff --result FILE` on hostile input files: a FIFO, a device, a file
# over the size limit and references XML forbids end in exit 2 with an English reason, never a hang.
set -u
onshi=$1
src=$2
# shellcheck source=../support/cli_lib.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/../support/cli_lib.sh"
expect_seconds=20

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
sample_ledger "$ledger" "$src"
cp "$good" "$face"
expect 0 '"classification"' '' -- diff --ledger "$ledger" --karte 20 --result "$face"
expect 2 '' 'is not a regular file' -- diff --ledger "$ledger" --karte 20 --result "$fifo"
expect 2 '' 'symbolic link' -- diff --ledger "$ledger" --karte 20 --result "$link"
expect 2 '' 'over the limit' -- diff --ledger "$ledger" --karte 20 --result "$big"
expect 2 '' 'character reference &#0; in <Name>' -- diff --ledger "$ledger" --karte 20 --result "$nul"
expect 2 '' 'character reference &#xD800; in <Name>' -- diff --ledger "$ledger" --karte 20 --result "$surrogate"
expect 2 '' 'character reference &#0; in <Name>' -- match --ledger "$ledger" --result "$nul"

finish "oqs cli"
