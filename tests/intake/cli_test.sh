#!/usr/bin/env bash
# `onshi oqs ingest` takes in every face/ file once (a second run records nothing), keeps unmatched and
# malformed files, exits 1 while any file is malformed and 2 for usage; `onshi query single` against
# `onshi oqs serve` prints the check with its 院内患者 column text, exits 0 for 有効, 1 otherwise, refuses
# before writing anything; `onshi ledger show/history/today` print column_text.
set -u
onshi=$1
src=$2
# shellcheck source=../support/cli_lib.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/../support/cli_lib.sh"

ledger=$tmp/ledger.sqlite
root=$tmp/oqs
mkdir -p "$root/req" "$root/res" "$root/face"
sample_ledger "$ledger" "$src"

# ---- oqs ingest ----
expect 0 '[]' '' -- oqs ingest --root "$root" --ledger "$ledger"
utf8=$src/assets/oqs/fixtures/OQSsiquc01res_face_utf8_20230605093000.xml
sjis=$src/assets/oqs/fixtures/OQSsiquc01res_face_sjis_20230605093000.xml
cp "$utf8" "$sjis" "$root/face/"
# Somebody the ledger does not know (資格 七夫's result under another name and birth date).
sed -e 's|資格 七夫|新患 花子|g' -e 's|ｼｶｸ ﾅﾅｵ|ｼﾝｶﾝ ﾊﾅｺ|' -e 's|19401011|19800101|' "$utf8" \
    >"$root/face/OQSsiquc01res_face_new_20230605100000.xml"
grep -q 新患 "$root/face/OQSsiquc01res_face_new_20230605100000.xml" || { echo "test file not written"; exit 1; }
echo 'not a face result' >"$root/face/OQSsiquc01res_face_bad_20230605110000.xml"
echo 'ignored' >"$root/face/notes.txt"
expect 1 '"status": "有効"' '' -- oqs ingest --root "$root" --ledger "$ledger"
want_count '"file":' 4 "one entry per face file, notes.txt ignored"
want_count '"recorded": true' 4 "first run records every file"
want_count '"karte": "20"' 4 "both fixtures matched 資格 七夫 (entry and check)"
want_count '"match": "tier:normalized"' 2 "matched by the name tiers"
want_count '"match": "none"' 2 "the unknown patient and the malformed file"
want_count '"status": "malformed"' 1 "the malformed file"
want_count '"column_text": "有効 確認日：令和5年6月5日"' 4 "column text of both checks"
# Second run: everything known, nothing recorded; still 1 while a malformed file lies there.
expect 1 '"recorded": false' '' -- oqs ingest --root "$root" --ledger "$ledger"
want_count '"recorded": false' 4 "second run records nothing"
want_count '"recorded": true' 0 "second run records nothing"
# The same content under a new name is known too; without the malformed file the run exits 0.
rm "$root/face/OQSsiquc01res_face_bad_20230605110000.xml"
cp "$utf8" "$root/face/OQSsiquc01res_face_copy_20230605093000.xml"
expect 0 '"file": "OQSsiquc01res_face_copy_20230605093000.xml"' '' -- oqs ingest --root "$root" --ledger "$ledger"
want_count '"recorded": true' 0 "a renamed copy is not recorded again"
# A symlink in face/ is never followed.
ln -s /dev/zero "$root/face/OQSsiquc01res_face_link_20230605120000.xml"
expect 1 'symbolic link' '' -- oqs ingest --root "$root" --ledger "$ledger"
rm "$root/face/OQSsiquc01res_face_link_20230605120000.xml"
# Two checks for 資格 七夫 (UTF-8 and Shift_JIS), no change to the patient.
expect 0 '"column_text": "有効 確認日：令和5年6月5日"' '' -- ledger --ledger "$ledger" history 20
want_count '"method": "face"' 2 "history of 20"
expect 0 '"kana_name": "シカク ナナオ"' '' -- ledger --ledger "$ledger" show 20
expect 0 '"column_text": "有効 確認日：令和5年6月5日"' '' -- ledger --ledger "$ledger" today --date 2023-06-05
# Usage errors.
expect 2 '' 'missing --root' -- oqs ingest --ledger "$ledger"
expect 2 '' 'is not a folder' -- oqs ingest --root "$tmp/nowhere" --ledger "$ledger"
expect 2 '' 'unexpected argument' -- oqs ingest --root "$root" --ledger "$ledger" extra

# ---- query single against the simulated terminal ----
start_simulator "$root" "$src"
q=(query single --root "$root" --ledger "$ledger" --state "$tmp/state.json" --timeout 10)
# 13 資格 一郎: current card 133033 → 有効; 14 資格 五郎: 06140248 is not his card at OQS → 該当資格なし.
expect 0 '"column_text": "有効 確認日：' '' -- "${q[@]}" --karte 13
want_count '"method": "query"' 1 "a 単件照会"
want_count '"status": "valid"' 1 "有効"
expect 1 '【資格有効性:4】該当資格なし' '' -- "${q[@]}" --karte 14 --limit-consent yes
# Refusals: nothing written to req/, nothing to the ledger.
audit_before=$("$onshi" ledger --ledger "$ledger" audit | grep -c '"id"')
expect 1 '"refused"' 'カルテ番号 0 cannot be queried' -- "${q[@]}" --karte 0
expect 1 '"refused"' 'has no insurance card' -- "${q[@]}" --karte 21
audit_after=$("$onshi" ledger --ledger "$ledger" audit | grep -c '"id"')
[[ $audit_before == "$audit_after" ]] || { echo "FAIL: a refused query wrote to the ledger"; fails=$((fails + 1)); }
expect 2 '' '--limit-consent: expected unasked, yes or no' -- "${q[@]}" --karte 13 --limit-consent maybe
expect 2 '' '--karte: expected a カルテ番号' -- "${q[@]}" --karte 1x
expect 2 '' 'missing --karte' -- "${q[@]}"
expect 2 '' '--timeout: expected seconds' -- query single --root "$root" --ledger "$ledger" --karte 13 --timeout nan
expect 2 '' 'unknown subcommand' -- query double
stop_simulator
# Nobody answers: the check stays 照会中 and the command exits 1 after the timeout.
expect 1 '"column_text": "照会中 確認日：' 'stays 照会中' -- query single --root "$root" --ledger "$ledger" \
    --state "$tmp/state.json" --timeout 0.5 --karte 13
expect 0 '"status": "processing"' '' -- ledger --ledger "$ledger" show 13

finish "intake cli"
