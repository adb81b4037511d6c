#!/usr/bin/env bash
# `onshi ledger migrate --from sqlite:PATH --to URL` on the test PostgreSQL server (the CTest fixture's, in
# $2): the sample ledger copied and verified, read back through the URL, a second copy refused, bad
# arguments refused (docs/ledger-postgres.md).
set -uo pipefail
onshi=$1 pgdir=$2 dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
code() { "$@" >"$dir/out" 2>"$dir/err"; echo $?; }
db=$dir/ledger.sqlite
name="m$$_$RANDOM"
psql "postgresql:///postgres?host=$pgdir&user=onshi" -qAt \
  -c "CREATE DATABASE $name ENCODING 'UTF8' LOCALE 'C' TEMPLATE template0" || fail "cannot create a database"
url="postgresql:///$name?host=$pgdir&user=onshi"

"$onshi" ledger --ledger "$db" init >/dev/null || fail init
"$onshi" ledger --ledger "$db" import-sample --staff S02 >/dev/null || fail import-sample
"$onshi" ledger --ledger "$db" undo 1 --staff S02 >/dev/null || fail undo

[ "$(code "$onshi" ledger migrate --from "sqlite:$db" --to "$url")" -eq 0 ] || fail "migrate: $(cat "$dir/err")"
python3 - "$dir/out" <<'PY' || fail "migrate report: $(cat "$dir/out")"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["verified"] is True, r
assert r["rows"] > 30, r
tables = {t["table"]: t for t in r["tables"]}
assert tables["patients"]["rows"] == 8 and len(tables["patients"]["sha256"]) == 64, tables["patients"]
assert tables["audit"]["rows"] >= 9, tables["audit"]
PY
# The same patient, read through the URL by the read-only commands.
"$onshi" ledger --ledger "$db" show 13 >"$dir/a" || fail "show on the file"
"$onshi" ledger --ledger "$url" show 13 >"$dir/b" || fail "show on the URL: $(cat "$dir/b")"
cmp -s "$dir/a" "$dir/b" || fail "show differs: $(diff "$dir/a" "$dir/b")"
n_file=$("$onshi" ledger --ledger "$db" audit | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
n_url=$("$onshi" ledger --ledger "$url" audit | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
[ "$n_file" = "$n_url" ] || fail "audit: $n_file rows in the file, $n_url through the URL"

# Into a ledger that holds rows: refused, nothing added.
[ "$(code "$onshi" ledger migrate --from "sqlite:$db" --to "$url")" -eq 1 ] || fail "a second copy was not refused"
grep -q "not empty" "$dir/err" || fail "no reason given: $(cat "$dir/err")"
n_after=$("$onshi" ledger --ledger "$url" audit | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
[ "$n_after" = "$n_url" ] || fail "the refused copy added rows"
# --from names the engine; a missing file is not created.
[ "$(code "$onshi" ledger migrate --from "$db" --to "$url")" -eq 2 ] || fail "--from without sqlite: accepted"
[ "$(code "$onshi" ledger migrate --from "sqlite:$dir/none.sqlite" --to "$url")" -eq 1 ] || fail "missing source"
[ ! -e "$dir/none.sqlite" ] || fail "migrate created the source file"
echo "ledger migrate: ok"
