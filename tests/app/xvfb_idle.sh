#!/usr/bin/env bash
# Runs the kiosk idle on 待機 under Xvfb for SECONDS and fails when it drew more than MAX frames.
set -euo pipefail
kiosk=$1 seconds=$2 max=$3 src=$4
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/oqs/req" "$dir/oqs/res" "$dir/oqs/face"
sed -e "s|^root = .*|root = \"$dir/oqs\"|" -e "s|^path = .*|path = \"$dir/ledger.sqlite\"|" \
    -e "s|^backup_dir = .*|backup_dir = \"$dir/backup\"|" -e "s|^fullscreen = .*|fullscreen = false|" \
    "$src/assets/config/onshi-kiosk.toml" > "$dir/kiosk.toml"
out=$(xvfb-run -a -s "-screen 0 1280x800x24" "$kiosk" --config "$dir/kiosk.toml" --exit-after "$seconds" --stats \
      2>"$dir/log" | tail -1)
echo "idle run: $out"
grep -q "fatal\|受付端末を開始できません" "$dir/log" && { cat "$dir/log"; exit 1; }
frames=$(echo "$out" | sed -n 's/.*"frames":\([0-9]*\).*/\1/p')
[ -n "$frames" ] || { echo "no stats line"; cat "$dir/log"; exit 1; }
[ "$frames" -le "$max" ] || { echo "drew $frames frames while idle (max $max)"; exit 1; }
