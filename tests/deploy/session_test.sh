#!/usr/bin/env bash
# kiosk-session (the unit's ExecStart) turns screen.rotation into cage -r flags and starts the kiosk with the
# config; a broken config still starts it (rotation 0) so the kiosk can show the problem.
#   session_test.sh SRC ONSHI_BINARY
set -euo pipefail
src=$1 onshi=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
mkdir "$tmp/bin"
ln -s "$onshi" "$tmp/bin/onshi"
printf '#!/bin/sh\necho "$@"\n' > "$tmp/cage"; chmod +x "$tmp/cage"   # prints what cage would get

run() { ONSHI_BIN_DIR="$tmp/bin" ONSHI_CAGE="$tmp/cage" ONSHI_CAGE_ARGS="${2:-}" sh "$src/assets/systemd/kiosk-session" "$1"; }
code='[clinic]
medical_institution_code = "1312345678"'
for r in 0 90 180 270; do
  printf '%s\n[screen]\nrotation = %s\n' "$code" "$r" > "$tmp/r$r.toml"
done
flags() { case $1 in 0) echo "";; 90) echo "-r ";; 180) echo "-r -r ";; 270) echo "-r -r -r ";; esac; }
for r in 0 90 180 270; do
  got=$(run "$tmp/r$r.toml")
  want="-d $(flags $r)-- $tmp/bin/onshi-kiosk --config $tmp/r$r.toml"
  [ "$got" = "$want" ] || fail "rotation $r: got '$got', want '$want'"
done
printf 'this is not toml [\n' > "$tmp/bad.toml"
got=$(run "$tmp/bad.toml")
[ "$got" = "-d -- $tmp/bin/onshi-kiosk --config $tmp/bad.toml" ] || fail "bad config: got '$got'"
got=$(run "$tmp/r90.toml" "-m last")
[ "$got" = "-d -r -m last -- $tmp/bin/onshi-kiosk --config $tmp/r90.toml" ] || fail "cage args: got '$got'"
echo "kiosk-session: ok"
