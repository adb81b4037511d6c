#!/usr/bin/env bash
# `onshi staff`: passcodes on stdin, the clinic's [passcode] policy from --config, weak passcodes refused,
# --by naming an active member, a locked member reset only by another administrator.
set -uo pipefail
onshi=$1 dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
db=$dir/ledger.sqlite
fail() { echo "FAIL: $*"; exit 1; }
staff() { "$onshi" staff --ledger "$db" --config "$dir/kiosk.toml" "$@"; }
code() { "$@" >/dev/null 2>"$dir/err"; echo $?; }

# Only `onshi ledger init` creates a ledger.
[ "$(echo 24681012 | code "$onshi" staff --ledger "$db" add --id S01 --name x)" -eq 1 ] || fail "staff add created a ledger"
[ ! -e "$db" ] || fail "staff add left a file"
"$onshi" ledger --ledger "$db" init >/dev/null || fail "init"

# The clinic's policy: 8 digits. The kiosk would refuse a 6-digit passcode, so the tool does too.
printf '[clinic]\nmedical_institution_code = "1312345678"\n[passcode]\nmin_digits = 8\nmax_digits = 8\n' >"$dir/kiosk.toml"
"$onshi" config check "$dir/kiosk.toml" >/dev/null || fail "the test config is not clean: $("$onshi" config check "$dir/kiosk.toml")"
[ "$(echo 246813 | code staff add --id S01 --name "受付 花子")" -eq 2 ] || fail "a 6-digit passcode passed an 8-digit policy"
grep -q "8 to 8 digits" "$dir/err" || fail "no reason for the short passcode: $(cat "$dir/err")"
[ "$(echo 24681357 | code "$onshi" staff --ledger "$db" --config "$dir/missing.toml" add --id S01 --name x)" -eq 2 ] \
  || fail "a missing --config file was not a usage error"

# The first member of an empty staff list needs no --by; after that --by must name an active member.
out=$(echo 24681357 | staff add --id S01 --name "受付 花子") || fail "add: $out $(cat "$dir/err")"
[ "$out" = '{"added":"S01"}' ] || fail "add printed $out"
[ "$(echo 97531864 | code staff add --id S02 --name "事務長 太郎" --role admin)" -eq 2 ] || fail "add without --by"
[ "$(echo 97531864 | code staff add --id S02 --name "事務長 太郎" --role admin --by admin)" -eq 2 ] || fail "--by nobody"
grep -q "not a staff member" "$dir/err" || fail "no reason for --by nobody: $(cat "$dir/err")"
echo 97531864 | staff add --id S02 --name "事務長 太郎" --role admin --by S01 >/dev/null || fail "add S02"
echo 86429753 | staff add --id S03 --name "受付 三郎" --by S02 >/dev/null || fail "add S03"
list=$(staff list)
echo "$list" | grep -q '"passcode_set":true' || fail "list: $list"

# Trivially weak passcodes, with English reasons.
for weak in 11111111 12345678 87654321 90123456; do
  [ "$(echo $weak | code staff passcode --id S01 --by S01)" -eq 2 ] || fail "weak passcode $weak accepted"
done
grep -q "run of digits" "$dir/err" || fail "no reason for a run: $(cat "$dir/err")"
[ "$(echo 19800217 | code staff passcode --id S01 --by S01 --birth 1980-02-17)" -eq 2 ] || fail "birth date accepted"
[ "$(echo 12 | code staff passcode --id S01 --by S01)" -eq 2 ] || fail "a 2-digit passcode was not a usage error"
[ "$(echo 13572468 | code staff passcode --id S99 --by S01)" -eq 1 ] || fail "an unknown member was not exit 1"
[ "$(code staff add --id S04 --name x --by S01 </dev/null)" -eq 2 ] || fail "no passcode on stdin was not exit 2"

# Deactivated members cannot act.
staff deactivate --id S03 --by S02 >/dev/null || fail "deactivate"
[ "$(echo 13572468 | code staff passcode --id S01 --by S03)" -eq 2 ] || fail "a deactivated --by was accepted"

# A locked member: not by themselves, not by a receptionist, only by another administrator.
sqlite3 "$db" "UPDATE staff SET failed_count = 5, locked_until = '2999-01-01T00:00:00' WHERE id = 'S01'" 2>/dev/null ||
  python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"UPDATE staff SET failed_count=5, locked_until='2999-01-01T00:00:00' WHERE id='S01'\"); c.commit()" "$db" ||
  fail "cannot lock S01 for the test"
staff activate --id S03 --by S02 >/dev/null || fail "activate"
[ "$(echo 13572468 | code staff passcode --id S01 --by S01)" -eq 2 ] || fail "a locked member reset their own passcode"
grep -q "locked" "$dir/err" || fail "no reason for the locked reset: $(cat "$dir/err")"
[ "$(echo 13572468 | code staff passcode --id S01 --by S03)" -eq 2 ] || fail "a receptionist reset a locked member"
echo 13572468 | staff passcode --id S01 --by S02 >/dev/null || fail "an administrator could not reset: $(cat "$dir/err")"
staff list | grep -q '"id":"S01"[^}]*"locked_seconds":0' || fail "still locked: $(staff list)"

# The audit says who changed whose passcode, never the salt or hash.
salt=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT salt FROM staff WHERE id='S01'\").fetchone()[0])" "$db")
[ -n "$salt" ] || fail "no salt stored"
python3 -c "import sqlite3,sys; rows=sqlite3.connect(sys.argv[1]).execute('SELECT changes||summary FROM audit').fetchall(); sys.exit(any(sys.argv[2] in r[0] for r in rows))" "$db" "$salt" ||
  fail "the audit holds a passcode salt"
"$onshi" ledger --ledger "$db" audit | grep -q '"action": "staff.passcode"' || fail "no staff.passcode audit row"

"$onshi" staff --ledger "$dir/none.sqlite" list >/dev/null 2>&1; [ $? -eq 1 ] || fail "list on a missing ledger did not fail"
[ ! -e "$dir/none.sqlite" ] || fail "list created a ledger"
echo "staff CLI ok"
