# Sourced by the xvfb_*.sh tests. $dir is a folder removed at exit. kiosk_stats KIOSK SRC ARGS… runs the
# kiosk under Xvfb on a throwaway config there (its own OQS folders and ledger, windowed) with --stats and
# ARGS, and sets $frames and $seconds from the stats line it prints at exit. A start-up failure or a missing
# stats line fails the test.
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

kiosk_stats() {
  local kiosk=$1 src=$2
  shift 2
  mkdir -p "$dir/oqs/req" "$dir/oqs/res" "$dir/oqs/face"
  sed -e "s|^root = .*|root = \"$dir/oqs\"|" -e "s|^path = .*|path = \"$dir/ledger.sqlite\"|" \
      -e "s|^backup_dir = .*|backup_dir = \"$dir/backup\"|" -e "s|^fullscreen = .*|fullscreen = false|" \
      "$src/assets/config/onshi-kiosk.toml" > "$dir/kiosk.toml"
  local out
  out=$(xvfb-run -a -s "-screen 0 1280x800x24" "$kiosk" --config "$dir/kiosk.toml" --stats "$@" \
        2>"$dir/log" | tail -1)
  echo "run: $out"
  if grep -q "fatal\|受付端末を開始できません" "$dir/log"; then cat "$dir/log"; exit 1; fi
  frames=$(echo "$out" | sed -n 's/.*"frames":\([0-9]*\).*/\1/p')
  seconds=$(echo "$out" | sed -n 's/.*"seconds":\([0-9.]*\).*/\1/p')
  if [ -z "$frames" ] || [ -z "$seconds" ]; then echo "no stats line"; cat "$dir/log"; exit 1; fi
}
