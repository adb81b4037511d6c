#!/usr/bin/env bash
# systemd-analyze verify of the kiosk's units, offline (no running systemd in a container or CI).
#   verify_units.sh --source SRC ROOT   stage the units from the source tree into ROOT, then verify
#   verify_units.sh --installed ROOT    verify the units as installed in ROOT (an unpacked .deb)
# verify --root looks up everything inside ROOT, so ROOT also gets this host's stock units (sysinit.target,
# getty@.service, …) and /bin/systemctl; without them every unit "fails" for reasons unrelated to ours.
# verify exits 0 even for unknown keys or bad values (it only warns), so any output at all is a failure.
set -euo pipefail
mode=$1
if [ "$mode" = --source ]; then
  src=$2 root=$3
  rm -rf "$root"
  install -d "$root/lib/systemd/system" "$root/usr/libexec/onshi-kiosk" "$root/bin"
  install -m 755 "$src/assets/systemd/kiosk-session" "$root/usr/libexec/onshi-kiosk/"
  units=("$src"/assets/systemd/*.service "$src"/assets/systemd/*.timer)
else
  root=$2
  units=("$root"/lib/systemd/system/onshi-kiosk*)
fi
ours=()
for u in "${units[@]}"; do ours+=("$(basename "$u")"); done
[ ${#ours[@]} -ge 3 ] || { echo "FAIL: expected 3 units, found: ${ours[*]}"; exit 1; }

# The host's stock units, without overwriting ours.
install -d "$root/lib/systemd/system" "$root/bin"
cp -an /lib/systemd/system/. "$root/lib/systemd/system/"
[ -e "$root/bin/systemctl" ] || cp /bin/systemctl "$root/bin/"
if [ "$mode" = --source ]; then cp "${units[@]}" "$root/lib/systemd/system/"; fi

paths=()
for u in "${ours[@]}"; do paths+=("$root/lib/systemd/system/$u"); done
set +e
out=$(systemd-analyze verify --man=no --root="$root" "${paths[@]}" 2>&1)
rc=$?
set -e
if [ $rc -ne 0 ] || [ -n "$out" ]; then
  echo "FAIL: systemd-analyze verify rc=$rc"
  echo "$out"
  exit 1
fi

# The verify itself must be able to fail: a unit with a misspelt key has to produce output.
bad="$root/lib/systemd/system/onshi-selftest-broken.service"
sed 's/^WatchdogSec=/WatchdogSecs=/' "$root/lib/systemd/system/onshi-kiosk.service" > "$bad"
out=$(systemd-analyze verify --man=no --root="$root" "$bad" 2>&1 || true)
rm -f "$bad"
case "$out" in
  *"Unknown key"*WatchdogSecs*) ;;
  *) echo "FAIL: verify did not notice a misspelt key: '$out'"; exit 1 ;;
esac

# What systemd-analyze cannot check: settings this kiosk relies on.
k="$root/lib/systemd/system/onshi-kiosk.service"
for line in Type=notify NotifyAccess=all Restart=always RestartSec=2 WatchdogSec=30 PAMName=onshi-kiosk \
            TTYPath=/dev/tty1 StandardError=journal StartLimitIntervalSec=0 LimitCORE=0; do
  grep -qx "$line" "$k" || { echo "FAIL: $k lacks $line"; exit 1; }
done
grep -qx 'OnCalendar=\*-\*-\* 04:30:00' "$root/lib/systemd/system/onshi-kiosk-restart.timer" \
  || { echo "FAIL: the restart timer is not at 04:30"; exit 1; }
sh -n "$root/usr/libexec/onshi-kiosk/kiosk-session" || { echo "FAIL: kiosk-session has a syntax error"; exit 1; }
echo "units verify: ${ours[*]} ok"
