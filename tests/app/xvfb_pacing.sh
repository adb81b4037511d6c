#!/usr/bin/env bash
# Busy frames are paced under Xvfb, where no vsync does it (docs/performance.md, "Frame pacing"): a script
# waiting 4 s gets about 30 frames a second, then 120 frames of acting take 2 s at 60 a second. Unpaced, the
# wait drew thousands and the 120 frames took a fraction of a second.
set -euo pipefail
kiosk=$1 src=$2
source "$(dirname "$0")/xvfb_stats.sh"
printf 'wait seconds 4\nwait frames 120\nquit\n' > "$dir/pacing.script"
kiosk_stats "$kiosk" "$src" --script "$dir/pacing.script" --max-seconds 60
# At most 4 s × 30 (+15 %) while waiting, 120 acting, a few to settle; at least 4 s + 120 frames at 1/60 s.
awk -v f="$frames" -v s="$seconds" 'BEGIN {
  if (f > 4 * 30 * 1.15 + 120 + 10) { printf "drew %d frames: the wait was not paced at 30 a second\n", f; exit 1 }
  if (s < 4 + 120 / 60.0 * 0.95) { printf "%.2f s: 120 acting frames came faster than 60 a second\n", s; exit 1 }
}'
