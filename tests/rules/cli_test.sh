#!/usr/bin/env bash
# Runs the built `onshi` binary: JSON on stdout, exit 0 ok / 1 failed or warned / 2 malformed or usage.
set -u
onshi=$1
# shellcheck source=../support/cli_lib.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/../support/cli_lib.sh"
expect 0 '{"input":"33120015","normalized":"33120015","valid":true,"check_digit_ok":true,"expected_check_digit":"5","kind":"共済","warnings":[]}' '' -- check insurer 33120015
expect 0 '"normalized":"138156"' '' -- check insurer '  138156'
expect 1 '"check_digit_ok":false,"expected_check_digit":"7"' 'expected 7' -- check kouhi 88134458
expect 0 '"kind":"公費(54 難病)"' '' -- check kouhi 54016027
expect 1 '"expected_check_digit":"6"' 'expected 6' -- check recipient 1234567
expect 0 '"valid":true,"check_digit_ok":true' '' -- check mynumber 123456789018
expect 2 '"valid":false' 'digits' -- check insurer 12AB
expect 2 '' 'unknown kind' -- check passport 123
expect 2 '' 'missing' -- check insurer
expect 0 '令和3年8月1日' '' -- date wareki 2021-08-01
expect 0 '令和元年5月1日' '' -- date wareki 2019-05-01
expect 2 '' 'YYYY-MM-DD' -- date wareki 2021-02-29
expect 0 '2021-08-01' '' -- date iso R03.08.01
expect 0 '2021-08-01' '' -- date iso 5030801
expect 1 '2019-05-01' '令和元年5月1日' -- date iso 平成31年5月1日
expect 2 '' 'no such day' -- date iso 令和3年2月29日
expect 0 '{"tier":"normalized","reason":' '' -- name compare 'ｽｽﾞｷ ｴﾐｺ' 'すずき　えみこ'
expect 1 '{"tier":"probable"' '' -- name compare 髙橋　一郎 高橋　一郎
expect 1 '{"tier":"different"' '' -- name compare 山田 山本
expect 0 '{"tier":"exact"' '' -- number compare 12:345:01 12:345:01
expect 0 '{"tier":"normalized"' '' -- number compare '１２:０３４５:01' '12:345:1'
expect 1 '{"tier":"different","reason":"枝番 differs"}' '' -- number compare 12:345:01 12:345:02
expect 2 '' 'compare' -- number diff a b
finish "rules cli"
