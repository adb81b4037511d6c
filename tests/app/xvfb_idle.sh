#!/usr/bin/env bash
# Runs the kiosk idle on 待機 under Xvfb for SECONDS and fails when it drew more than MAX frames.
set -euo pipefail
kiosk=$1 seconds=$2 max=$3 src=$4
source "$(dirname "$0")/xvfb_stats.sh"
kiosk_stats "$kiosk" "$src" --exit-after "$seconds"
[ "$frames" -le "$max" ] || { echo "drew $frames frames while idle (max $max)"; exit 1; }
