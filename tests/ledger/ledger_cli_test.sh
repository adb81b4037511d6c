#!/usr/bin/env bash
# `onshi ledger` on files that are not (yet) ledgers, read-only commands, CSV export, undo's --staff,
# history's options, and backups that leave no temporary files (docs/security.md).
set -uo pipefail
onshi=$1 dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
mode() { stat -c %a "$1"; }
code() { "$@" >"$dir/out" 2>"$dir/err"; echo $?; }
db=$dir/ledger.sqlite
L() { "$onshi" ledger --ledger "$db" "$@"; }

# Only init creates, mode 0600; nothing else makes a file.
for sub in "show 13" "history" "audit" "export-csv" "import-sample"; do
  # shellcheck disable=SC2086
  [ "$(code L $sub)" -eq 1 ] || fail "'$sub' on a missing ledger did not fail"
  [ ! -e "$db" ] || fail "'$sub' created a ledger"
done
L init >/dev/null || fail init
[ "$(mode "$db")" = 600 ] || fail "init made mode $(mode "$db")"
L import-sample --staff S02 >/dev/null || fail "import-sample: $(cat "$dir/err")"

# An existing file keeps its mode, whatever command opens it.
chmod 0640 "$db"
L show 13 >/dev/null || fail "show"
L undo 1 --staff S02 >/dev/null || fail "undo: $(L undo 1 --staff S02 2>&1)"
[ "$(mode "$db")" = 640 ] || fail "opening changed the mode to $(mode "$db")"

# Files that are not ledgers are refused and left as they were.
mkdir -m 0755 "$dir/folder"
[ "$(code "$onshi" ledger --ledger "$dir/folder" show 13)" -eq 1 ] || fail "a folder was opened"
[ "$(mode "$dir/folder")" = 755 ] || fail "the folder became $(mode "$dir/folder")"
: >"$dir/empty.sqlite"; chmod 0644 "$dir/empty.sqlite"
[ "$(code "$onshi" ledger --ledger "$dir/empty.sqlite" show 13)" -eq 1 ] || fail "an empty file was opened by show"
[ ! -s "$dir/empty.sqlite" ] || fail "show wrote into an empty file"
[ "$(mode "$dir/empty.sqlite")" = 644 ] || fail "show changed an empty file's mode"
printf 'root:x:0:0::/root:/bin/sh\n' >"$dir/passwd"; chmod 0644 "$dir/passwd"
[ "$(code "$onshi" ledger --ledger "$dir/passwd" init)" -eq 1 ] || fail "init on a text file"
[ "$(mode "$dir/passwd")" = 644 ] || fail "init changed a text file's mode"
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('CREATE TABLE songs(t)'); c.commit()" "$dir/other.db"
[ "$(code "$onshi" ledger --ledger "$dir/other.db" init)" -eq 1 ] || fail "init on another program's database"
grep -q "another program" "$dir/err" || fail "no reason for another program's database: $(cat "$dir/err")"
python3 -c "import sqlite3,sys; sys.exit(sqlite3.connect(sys.argv[1]).execute(\"SELECT count(*) FROM sqlite_master WHERE name='patients'\").fetchone()[0])" "$dir/other.db" ||
  fail "init added tables to another program's database"

# Read-only commands never switch a rollback-journal ledger to WAL (a backup copy, a ledger on read-only media).
cp "$db" "$dir/ro.sqlite"
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('PRAGMA journal_mode=DELETE')" "$dir/ro.sqlite"
for sub in "show 13" "history" "search --kana シカク" "today" "audit" "export-csv"; do
  # shellcheck disable=SC2086
  "$onshi" ledger --ledger "$dir/ro.sqlite" $sub >/dev/null || fail "read-only '$sub' failed"
done
"$onshi" ledger --ledger "$dir/ro.sqlite" backup "$dir/robackup" >/dev/null || fail "backup from a read-only source"
[ "$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA journal_mode').fetchone()[0])" "$dir/ro.sqlite")" = delete ] ||
  fail "a read-only command switched the journal mode"
[ ! -e "$dir/ro.sqlite-wal" ] || fail "a read-only command made a -wal file"

# history takes --from without a KARTE, as its usage says.
[ "$(code L history --from 2021-07-01)" -eq 0 ] || fail "history --from: $(cat "$dir/err")"
[ "$(code L history 13 --from 2021-07-01 --to 2021-12-31)" -eq 0 ] || fail "history KARTE --from --to"

# history carries the 目視確認 reason of a check as its code ("" for other checks).
vr=$dir/reason.sqlite
"$onshi" ledger --ledger "$vr" init >/dev/null && "$onshi" ledger --ledger "$vr" import-sample --staff S02 >/dev/null ||
  fail "reason ledger"
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"UPDATE checks SET method='visual', visual_reason='pin_locked' WHERE id=2\"); c.commit()" "$vr"
"$onshi" ledger --ledger "$vr" history 13 >"$dir/out" || fail "history 13: $(cat "$dir/out")"
python3 - "$dir/out" <<'PY' || fail "history without the 目視確認 reason: $(cat "$dir/out")"
import json, sys
rows = {r["id"]: r for r in json.load(open(sys.argv[1]))["rows"]}
assert rows[2]["visual_reason"] == "pin_locked" and rows[2]["method"] == "visual", rows[2]
assert rows[1]["visual_reason"] == "", rows[1]
PY

# undo names an active staff member.
[ "$(code L undo 2 --staff nobody)" -eq 2 ] || fail "undo --staff nobody was not exit 2"
grep -q "not a staff member" "$dir/err" || fail "no reason for undo --staff nobody: $(cat "$dir/err")"

# CSV: UTF-8 BOM, formula cells neutralised, --out created 0600, never over a file or through a link.
cat >"$dir/evil.json" <<'JSON'
{"patients": [{"karte": "7", "kanji_name": "=HYPERLINK(\"http://x\",\"y\")", "kana_name": "+ｶﾅ", "sex": "1",
  "birth": "1970-01-01", "address": "@SUM(1)", "postal": "-1000014"}]}
JSON
"$onshi" ledger --ledger "$dir/evil.sqlite" init >/dev/null
"$onshi" ledger --ledger "$dir/evil.sqlite" import-sample --file "$dir/evil.json" --staff S01 >/dev/null || fail "import evil: $(cat "$dir/err")"
"$onshi" ledger --ledger "$dir/evil.sqlite" export-csv >"$dir/stdout.csv" || fail "export-csv"
[ "$(head -c 3 "$dir/stdout.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ] || fail "no UTF-8 BOM"
row=$(sed -n 2p "$dir/stdout.csv")
case "$row" in
  *',"'"'"'=HYPERLINK(""http://x"",""y"")",'*) ;;
  *) fail "formula not neutralised: $row" ;;
esac
case "$row" in *",'+ｶﾅ,"*",'-1000014,'@SUM(1),"*) ;; *) fail "+ - @ cells not neutralised: $row" ;; esac
umask 022
"$onshi" ledger --ledger "$dir/evil.sqlite" export-csv --out "$dir/export.csv" >/dev/null || fail "export-csv --out"
[ "$(mode "$dir/export.csv")" = 600 ] || fail "export file mode $(mode "$dir/export.csv")"
cmp -s "$dir/export.csv" "$dir/stdout.csv" || fail "--out differs from stdout"
echo keep >"$dir/existing.csv"
[ "$(code "$onshi" ledger --ledger "$dir/evil.sqlite" export-csv --out "$dir/existing.csv")" -eq 1 ] || fail "export over a file"
[ "$(cat "$dir/existing.csv")" = keep ] || fail "export overwrote a file"
echo target >"$dir/target"; ln -s "$dir/target" "$dir/link.csv"
[ "$(code "$onshi" ledger --ledger "$dir/evil.sqlite" export-csv --out "$dir/link.csv")" -eq 1 ] || fail "export through a link"
[ "$(cat "$dir/target")" = target ] || fail "export wrote through a symbolic link"

# Backups: no temporary names left; stale ones of dead processes are removed by the daily rotation.
mkdir "$dir/backup"
sh -c 'exit 0' & dead=$!; wait $dead
echo "patient data" >"$dir/backup/ledger-2021-07-26.sqlite.tmp-$dead"
L backup "$dir/backup" --daily >/dev/null || fail "daily backup: $(L backup "$dir/backup" --daily 2>&1)"
L backup "$dir/backup" >/dev/null || fail backup
leftover=$(find "$dir/backup" "$dir/robackup" -name '*.tmp-*')
[ -z "$leftover" ] || fail "temporary files left: $leftover"
for f in "$dir"/backup/*.sqlite; do
  [ "$(mode "$f")" = 600 ] || fail "backup $f mode $(mode "$f")"
  "$onshi" ledger --ledger "$f" show 13 >/dev/null || fail "backup $f does not open"
done
echo "ledger CLI ok"
