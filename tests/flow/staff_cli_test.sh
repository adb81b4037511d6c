#!/usr/bin/env bash
# `onshi staff`: add with a passcode on stdin, list, reject a short passcode (exit 2), unknown member (exit 1).
set -uo pipefail
onshi=$1 dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
db=$dir/ledger.sqlite
fail() { echo "FAIL: $*"; exit 1; }
out=$(echo 24681012 | "$onshi" staff --ledger "$db" add --id S01 --name "受付 花子") || fail "add: $out"
[ "$out" = '{"added":"S01"}' ] || fail "add printed $out"
list=$("$onshi" staff --ledger "$db" list)
echo "$list" | grep -q '"passcode_set":true' || fail "list: $list"
echo 12 | "$onshi" staff --ledger "$db" passcode --id S01; [ $? -eq 2 ] || fail "a 2-digit passcode was not a usage error"
echo 13572468 | "$onshi" staff --ledger "$db" passcode --id S99; [ $? -eq 1 ] || fail "an unknown member was not exit 1"
"$onshi" staff --ledger "$db" add --id S02 --name x </dev/null; [ $? -eq 2 ] || fail "no passcode on stdin was not exit 2"
"$onshi" staff --ledger "$dir/none.sqlite" list; [ $? -eq 1 ] || fail "list on a missing ledger did not fail"
echo "staff CLI ok"
