#!/usr/bin/env bash
# `onshi reception add/list` against `onshi oqs serve` (adding a patient sends the 単件照会 unless auto_query is
# off; the list shows 年齢, 受付時刻, column_text, status and due_this_month), `onshi query bulk` (one 01req,
# polls, a summary by status; an unfinished batch resumed by the next run), and `onshi ledger
# confirm-card|unlink|relink|phones|kouhi|kaigo` (active --staff required, numbers checked, exit 2 on bad input).
set -u
onshi=$1
src=$2
# shellcheck source=../support/cli_lib.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/../support/cli_lib.sh"

ledger=$tmp/ledger.sqlite
root=$tmp/oqs
mkdir -p "$root/req" "$root/res" "$root/face"
sample_ledger "$ledger" "$src"

# The sample's staff: S01 受付 花子 (active).
today=$(date +%F)

start_simulator "$root" "$src"

# ---- reception add / list ----
expect 0 '[]' '' -- reception list --ledger "$ledger"
add=(reception add --ledger "$ledger" --root "$root" --state "$tmp/state.json" --timeout 10)
# 13 資格 一郎: his current card 133033 is 有効 at the simulated terminal.
expect 0 '"column_text": "有効 確認日：' '' -- "${add[@]}" --karte 13
want_count '"added": true' 1 "13 added"
want_count '"method": "query"' 1 "the automatic 単件照会"
# Again: already on the list, nothing sent.
expect 0 '"added": false' '' -- "${add[@]}" --karte 13
want_count '"query": null' 1 "no second query"
# auto_query = false in the clinic's config: added only.
printf '[clinic]\nmedical_institution_code = "1312345678"\n[oqs]\nauto_query = false\n' >"$tmp/kiosk.toml"
expect 0 '"query": null' '' -- "${add[@]}" --karte 6 --config "$tmp/kiosk.toml"
# By kana: シカク ゴロウ is one patient (14); his 06140248 card is unknown at OQS → 該当資格なし, exit 1.
expect 1 '【資格有効性:4】該当資格なし' '' -- "${add[@]}" --kana シカクゴ
# シカク matches several: candidates, nothing added.
expect 1 '"candidates"' 'patients match the kana' -- "${add[@]}" --kana シカク
# No card: on the list, the query refused.
expect 1 '"refused"' 'no 単件照会' -- "${add[@]}" --karte 21
expect 2 '' '--karte: expected a カルテ番号' -- "${add[@]}" --karte x1
expect 2 '' 'give --karte N or --kana' -- "${add[@]}"
expect 1 '' 'no patient with カルテ番号 404' -- "${add[@]}" --karte 404
expect 0 '"karte": "13"' '' -- reception list --ledger "$ledger" --date "$today"
want_count '"karte":' 4 "13, 6, 14 and 21 on the list"
want_count '"status": "有効"' 1 "13 有効"
want_count '"status": "該当なし"' 1 "14 該当なし"
# 資格 一郎 was born 1960-06-02.
years=$(( $(date +%Y) - 1960 - (10#$(date +%m%d) < 601 ? 1 : 0) ))
want_count "\"age\": \"${years}歳" 1 "資格 一郎's age"
want_count '"due_this_month": true' 4 "nobody's card confirmed this month"
want_count "\"received_at\": \"$today" 4 "受付時刻 today"
expect 0 '[]' '' -- reception list --ledger "$ledger" --date 2001-01-01
# A 予約: 6 on tomorrow's list; no 単件照会 before the day itself.
tomorrow=$(date -d tomorrow +%F)
expect 0 '"query": null' '' -- "${add[@]}" --karte 6 --date "$tomorrow"
want_count '"added": true' 1 "6 added to tomorrow's list"
expect 0 '"karte": "6"' '' -- reception list --ledger "$ledger" --date "$tomorrow"
want_count '"karte":' 1 "only 6 on tomorrow's list"
expect 2 '' '--date: expected a date' -- "${add[@]}" --karte 6 --date 2021-02-30
expect 2 '' '--date: expected a date' -- reception list --ledger "$ledger" --date 2021-02-30

# ---- ledger operations ----
expect 2 '' 'missing --staff' -- ledger confirm-card --ledger "$ledger" --karte 13
expect 2 '' '--staff S99 is not a staff member' -- ledger confirm-card --ledger "$ledger" --karte 13 --staff S99
expect 0 "\"card_checked_on\": \"$today\"" '' -- ledger confirm-card --ledger "$ledger" --karte 13 --staff S01
expect 0 '"due_this_month": false' '' -- reception list --ledger "$ledger"
want_count '"due_this_month": false' 1 "13 confirmed this month"
expect 2 '' '--date: expected a date' -- ledger confirm-card --ledger "$ledger" --karte 13 --date 20210801 --staff S01
expect 1 '' 'has no current card' -- ledger confirm-card --ledger "$ledger" --karte 21 --staff S01
expect 0 '"home": "03-1111-2222"' '' -- ledger phones --ledger "$ledger" --karte 13 --home 03-1111-2222 --staff S01
expect 2 '' '--mobile: expected a telephone number' -- ledger phones --ledger "$ledger" --karte 13 --mobile abc --staff S01
expect 2 '' 'give at least one of' -- ledger phones --ledger "$ledger" --karte 13 --staff S01
expect 0 '"futansha_number": "54136015"' '' -- ledger kouhi --ledger "$ledger" --karte 13 --payer 54136015 --staff S01
expect 2 '' 'wrong check digit' -- ledger kouhi --ledger "$ledger" --karte 13 --payer 54136016 --staff S01
expect 2 '' '--until is before --from' -- ledger kouhi --ledger "$ledger" --karte 13 --payer 54136015 \
    --from 2022-04-01 --until 2021-03-31 --staff S01
expect 0 '"care_level": "要介護2"' '' -- ledger kaigo --ledger "$ledger" --karte 13 --insurer 131011 \
    --insured 0000012345 --level 要介護2 --staff S01
expect 2 '' '--insurer: expected 6 digits' -- ledger kaigo --ledger "$ledger" --karte 13 --insurer 13101 --staff S01
expect 2 '' '--level: expected' -- ledger kaigo --ledger "$ledger" --karte 13 --insurer 131011 --level 要介護9 --staff S01
# 13's 照会番号 A1_1510110016 linked to 14 by mistake, then moved back (ほかの患者様のデータと紐づけてしまったとき).
expect 1 '' 'already has 照会番号' -- ledger relink --ledger "$ledger" --karte 13 --reference R123 --staff S01
expect 0 '"from": "13"' '' -- ledger relink --ledger "$ledger" --karte 14 --reference A1_1510110016 --staff S01
expect 0 '"from": "14"' '' -- ledger relink --ledger "$ledger" --karte 13 --reference A1_1510110016 --staff S01
expect 0 '"audit_id"' '' -- ledger unlink --ledger "$ledger" --karte 13 --staff S01
expect 1 '' 'has no 照会番号' -- ledger unlink --ledger "$ledger" --karte 13 --staff S01
expect 2 '' '--reference: expected' -- ledger relink --ledger "$ledger" --karte 13 --reference 'a b' --staff S01
expect 0 '"kouhi"' '' -- ledger --ledger "$ledger" show 13

# ---- query bulk ----
bulk=(query bulk --ledger "$ledger" --root "$root" --state "$tmp/state.json" --poll 0.2)
# Today's list: 13 (有効), 6 (無効 at OQS), 14 (該当資格なし); 21 has no card and is skipped (exit 1).
expect 1 '"sent": 3' '' -- "${bulk[@]}" --date "$today" --timeout 20
want_count '"answered": 3' 2 "all three answered (total and batch)"
want_count '"pending": 0' 2 "nothing pending"
want_count '"karte": "21"' 1 "21 skipped"
# 13 and 6 by カルテ番号; 404 is nobody: skipped, exit 1.
expect 1 '"sent": 2' '' -- "${bulk[@]}" --karte 13 --karte 6 --karte 404 --timeout 20
want_count '"reason": "no patient with this カルテ番号"' 1 "404 skipped"
expect 0 '"not_found": 1' '' -- "${bulk[@]}" --karte 13 --karte 6 --timeout 20
want_count '"valid": 1' 2 "13 有効 (total and batch)"
expect 2 '' 'choose one of' -- "${bulk[@]}" --karte 13 --due-this-month
expect 2 '' 'choose --karte' -- "${bulk[@]}"
# 明日: tomorrow's list (6 alone).
expect 0 '"sent": 1' '' -- "${bulk[@]}" --date "$tomorrow" --timeout 20
want_count '"pending": 0' 2 "tomorrow's batch finished"
n01=$(ls "$root/res" | grep -c '^OQSmuquc01res')
# Stopped after the 01req: the terminal answers nothing within 0.3 s of the first poll; the batch stays.
expect 1 '"pending": 1' 'still 照会中' -- "${bulk[@]}" --karte 13 --timeout 0.1
# The next run resumes it: no new 01req.
expect 0 '"resumed": true' '' -- "${bulk[@]}" --timeout 20
want_count '"pending": 0' 2 "the resumed batch finished"
[[ $(ls "$root/res" | grep -c '^OQSmuquc01res') == $((n01 + 1)) ]] ||
    { echo "FAIL: a resumed batch sent its 01req again"; fails=$((fails + 1)); }
expect 0 '"method": "bulk"' '' -- ledger --ledger "$ledger" history 13
# 今月未確認: the cards not confirmed this month (13's was, above); 20's card has no 番号: skipped, exit 1.
expect 1 '"sent": 5' '' -- "${bulk[@]}" --due-this-month --timeout 20
want_count '"pending": 0' 2 "the 今月未確認 batch finished"
want_count '"karte": "20"' 1 "20 skipped"
want_count '"karte": "13"' 0 "13 confirmed this month, not asked"

finish "reception cli"
