#!/usr/bin/env bash
# `onshi medinfo fetch|show|consent|register|homevisit` against `onshi oqs serve` on a temporary folder, and
# `onshi oqs parse` of YZK/TKK answers: refused without a valid 閲覧同意 (nothing written to req/), stored
# XML and PDF answers shown as JSON, usage errors exit 2.
set -u
onshi=$1
src=$2
# shellcheck source=../support/cli_lib.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/../support/cli_lib.sh"

ledger=$tmp/ledger.sqlite
root=$tmp/oqs
state=$tmp/state.json
mkdir -p "$root/req" "$root/res" "$root/face"
sample_ledger "$ledger" "$src"

# The training ledger's 後期高齢 武夫 (カルテ番号 8) comes with a stored 薬剤情報 and 特定健診情報.
expect 0 '"file": "YZKsiquc01res_sample.xml"' '' -- medinfo show --ledger "$ledger" --karte 8 --kind yzk
expect 0 '"highlight": "抗凝固薬"' '' -- medinfo show --ledger "$ledger" --karte 8 --kind yzk
expect 0 '"highlight": "ビスホスホネート"' '' -- medinfo show --ledger "$ledger" --karte 8 --kind yzk
expect 0 '"kind": "yzk"' '' -- oqs parse "$src/assets/ledger/medinfo/YZKsiquc01res_sample.xml"
expect 0 '"effective": "2026' '' -- oqs parse "$src/assets/ledger/medinfo/TKKsiquc01res_sample.xml"
expect 0 '"name": "収縮期血圧"' '' -- medinfo show --ledger "$ledger" --karte 8 --kind tkk
expect 1 '"stored": null' 'nothing stored' -- medinfo show --ledger "$ledger" --karte 13 --kind yzk

# No consent recorded yet: refused, nothing written.
start_simulator "$root" "$src"
expect 1 '"verdict": "not_given"' '' -- medinfo consent --ledger "$ledger" --karte 8 --kind yzk
expect 1 '"outcome": "refused"' 'no PharmacistsInfo consent' -- medinfo fetch --ledger "$ledger" --root "$root" \
    --state "$state" --karte 8 --kind yzk --staff S01 --timeout 5
[[ -z $(ls "$root/req") ]] || { echo "FAIL: a refused fetch wrote a request"; fails=$((fails + 1)); }

# A face result whose 薬剤 consent has expired, then one whose 薬剤 and 健診 consents are valid.
face() {  # face NAME UNTIL: 後期高齢 武夫's face result with both consents valid until UNTIL
    sed -e 's|資格 七夫|後期高齢 武夫|g' -e 's|ｼｶｸ ﾅﾅｵ|ｺｳｷｺｳﾚｲ ﾀｶｵ|' -e 's|19401011|19500515|' \
        -e 's|39470000|39130000|' -e 's|<InsuredIdentificationNumber>1000007|<InsuredIdentificationNumber>00000000|' \
        -e "s|20230705235959|$2|" \
        -e "s|</PharmacistsInfoAvailableTime>|</PharmacistsInfoAvailableTime><SpecificHealthCheckupsInfoConsFlg>1</SpecificHealthCheckupsInfoConsFlg><SpecificHealthCheckupsInfoAvailableTime>$2</SpecificHealthCheckupsInfoAvailableTime>|" \
        "$src/assets/oqs/fixtures/OQSsiquc01res_face_utf8_20230605093000.xml" >"$root/face/$1"
    grep -q 後期高齢 "$root/face/$1" || { echo "test file not written"; exit 1; }
}
face OQSsiquc01res_face_old_20230605093000.xml 20230705235959
expect 0 '"karte": "8"' '' -- oqs ingest --root "$root" --ledger "$ledger"
expect 1 '"verdict": "expired"' '' -- medinfo consent --ledger "$ledger" --karte 8 --kind yzk
expect 1 '"outcome": "refused"' 'expired' -- medinfo fetch --ledger "$ledger" --root "$root" \
    --state "$state" --karte 8 --kind yzk --staff S01 --timeout 5
[[ -z $(ls "$root/req") ]] || { echo "FAIL: an expired consent wrote a request"; fails=$((fails + 1)); }

face OQSsiquc01res_face_new_20230606093000.xml 20991231235959
expect 0 '"karte": "8"' '' -- oqs ingest --root "$root" --ledger "$ledger"
expect 0 '"verdict": "valid"' '' -- medinfo consent --ledger "$ledger" --karte 8 --kind tkk
expect 0 '"outcome": "stored"' '' -- medinfo fetch --ledger "$ledger" --root "$root" --state "$state" \
    --karte 8 --kind yzk --staff S01 --timeout 5
expect 0 '"request": "YZKsiquc01req_' '' -- medinfo show --ledger "$ledger" --karte 8 --kind yzk
expect 0 '"format": "pdf"' '' -- medinfo fetch --ledger "$ledger" --root "$root" --state "$state" \
    --karte 8 --kind tkk --pdf --staff S02 --timeout 5
expect 0 '"pages": ' '' -- medinfo show --ledger "$ledger" --karte 8 --kind tkk --raw-out "$tmp/answer.pdf"
[[ $(head -c 5 "$tmp/answer.pdf") == "%PDF-" ]] || { echo "FAIL: --raw-out is not the PDF"; fails=$((fails + 1)); }
pdf=$(ls "$root/res" | grep '^TKKsiquc01res_.*\.pdf$' | head -1)
expect 0 '"format": "pdf"' '' -- oqs parse "$root/res/$pdf"
expect 0 '"action": "medinfo.fetch"' '' -- ledger --ledger "$ledger" audit 8

# 照会番号登録 for 後期高齢 武夫 (no 照会番号 yet): registered once, then refused; 資格 十六郎 is unknown to OQS.
expect 0 '"outcome": "registered"' '' -- medinfo register --ledger "$ledger" --root "$root" --state "$state" \
    --karte 8 --staff S01 --timeout 5
expect 1 '"outcome": "refused"' 'already' -- medinfo register --ledger "$ledger" --root "$root" --state "$state" \
    --karte 8 --staff S01 --timeout 5
expect 1 '"outcome": "failed"' 'EQS2001E' -- medinfo register --ledger "$ledger" --root "$root" --state "$state" \
    --karte 23 --staff S01 --timeout 5
expect 0 '"reference_number": "8"' '' -- ledger --ledger "$ledger" show 8

# 訪問等資格確認: the マイナ在宅受付Web consent list of a 確認期間.
expect 0 '"kanji_name": "資格 七夫"' '' -- medinfo homevisit --root "$root" --state "$state" --ledger "$ledger" \
    --from 2023-06-01 --to 2023-06-30 --poll 0.1 --timeout 5
want_count '"status": "未確認"' 2 "two consented patients, neither confirmed"
stop_simulator

# Usage.
expect 2 '' 'expected yzk' -- medinfo show --ledger "$ledger" --karte 8 --kind abc
expect 2 '' 'missing --staff' -- medinfo fetch --ledger "$ledger" --root "$root" --karte 8 --kind yzk
expect 2 '' 'is not a staff member' -- medinfo fetch --ledger "$ledger" --root "$root" --state "$state" \
    --karte 8 --kind yzk --staff nobody
expect 2 '' 'expected a month' -- medinfo fetch --ledger "$ledger" --root "$root" --karte 8 --kind yzk \
    --staff S01 --from 202413
expect 2 '' '--diagnosis goes with --kind yzk' -- medinfo fetch --ledger "$ledger" --root "$root" \
    --state "$state" --karte 8 --kind tkk --diagnosis --staff S01
expect 2 '' '--from is after --to' -- medinfo homevisit --root "$root" --from 2023-06-30 --to 2023-06-01
expect 2 '' 'unknown subcommand' -- medinfo list

finish medinfo:cli
