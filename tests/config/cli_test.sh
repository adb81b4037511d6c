#!/usr/bin/env bash
# `onshi config check/show`: JSON shape and exit codes 0 (clean), 1 (problems), 2 (usage).
set -u
onshi=$1 default=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

out=$("$onshi" config check "$default"); rc=$?
[ $rc -eq 0 ] || fail "default config: rc=$rc $out"
python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["ok"] is True and d["problems"]==[], d' "$out" || fail "check json: $out"

printf '[clinic]\nmedical_institution_code = "1312345678"\n[oqs]\ntimout_seconds = 3\n' > "$tmp/bad.toml"
out=$("$onshi" config check "$tmp/bad.toml"); rc=$?
[ $rc -eq 1 ] || fail "bad config: rc=$rc"
python3 -c '
import json,sys; d=json.loads(sys.argv[1]); p=d["problems"]
assert d["ok"] is False and len(p)==1, d
assert p[0]["where"]=="oqs.timout_seconds (line 4)", p
assert "不明" in p[0]["message_ja"], p' "$out" || fail "bad json: $out"

# 40,000 dotted segments used to overflow the TOML parser's stack (a crash, rc 139): a problem now, rc 1.
python3 -c 'import sys; open(sys.argv[1], "w").write("[oqs]\n" + "a" + ".a" * 40000 + " = 1\n")' "$tmp/deep.toml"
out=$("$onshi" config check "$tmp/deep.toml"); rc=$?
[ $rc -eq 1 ] || fail "deep config: rc=$rc"
python3 -c '
import json,sys; p=json.loads(sys.argv[1])["problems"]
assert len(p)==1 and p[0]["where"]=="line 2" and "nested more than" in p[0]["message"], p' "$out" || fail "deep json: $out"

out=$("$onshi" config check "$tmp/missing.toml"); rc=$?
[ $rc -eq 1 ] || fail "missing file: rc=$rc"

out=$("$onshi" config show "$default"); rc=$?
[ $rc -eq 0 ] || fail "show: rc=$rc"
python3 -c 'import json,sys; d=json.loads(sys.argv[1]); c=d["config"]; assert c["screen"]["rotation"]==0 and c["oqs"]["root"]=="/srv/oqs", d' "$out" || fail "show json: $out"
out=$("$onshi" config show "$tmp/bad.toml"); rc=$?
[ $rc -eq 1 ] || fail "show bad: rc=$rc"

"$onshi" config show >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "show without FILE: rc=$rc"
"$onshi" config frobnicate >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "unknown subcommand: rc=$rc"
"$onshi" config check a b >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "extra argument: rc=$rc"
echo "config cli: ok"
