#!/usr/bin/env bash
# Runs the real kiosk window under Xvfb and checks that its screenshots show Japanese text.
set -euo pipefail
kiosk=$1 png_ink=$2 script=$3 shots=$4
rm -rf "$shots"; mkdir -p "$shots"
xvfb-run -a -s "-screen 0 1280x800x24" "$kiosk" --demo --script "$script" --screenshots "$shots" 2> "$shots/kiosk.log" \
  || { cat "$shots/kiosk.log"; exit 1; }
cat "$shots/kiosk.log"
if grep -q "cannot be drawn" "$shots/kiosk.log"; then echo "some glyphs could not be drawn"; exit 1; fi
# 待機: the title 「カードを置いてください」 sits in the band 28–45 % of the height, centred.
"$png_ink" "$shots/standby.png" 0.28 0.45 0.25 0.75 1000
# 職員認証: the masked entry and the pad keys.
"$png_ink" "$shots/staff_auth.png" 0.10 0.95 0.30 0.70 5000
