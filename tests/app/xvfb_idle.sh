#!/usr/bin/env bash
# Runs the kiosk idle on 待機 under Xvfb for SECONDS and fails when it drew more than MAX frames.
set -euo pipefail
kiosk=$1 seconds=$2 max=$3
out=$(xvfb-run -a -s "-screen 0 1280x800x24" "$kiosk" --exit-after "$seconds" --stats 2>/dev/null | tail -1)
echo "idle run: $out"
frames=$(echo "$out" | sed -n 's/.*"frames":\([0-9]*\).*/\1/p')
[ -n "$frames" ] || { echo "no stats line"; exit 1; }
[ "$frames" -le "$max" ] || { echo "drew $frames frames while idle (max $max)"; exit 1; }
