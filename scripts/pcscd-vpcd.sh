#!/usr/bin/env bash
# A private pcscd with the vsmartcard vpcd driver, for training mode, CI and the tests (no systemd). It runs
# beside the clinic's own pcscd and never touches it (docs/security.md, "Card reader (pcscd) in training mode"):
#   - its own socket $dir/pcscd.comm: clients reach it with PCSCLITE_CSOCK_NAME=$dir/pcscd.comm
#     (reader/pcsc use_private_pcscd() sets that; the system's /run/pcscd/pcscd.comm stays the system's);
#   - its own pid file $dir/pcscd.pid: stop and restart end only the process named there, and only when it is
#     a pcscd running with this script's reader config;
#   - its own vpcd ports ($port and $port+1), so a system pcscd holding vpcd's stock 35963 does not collide;
#   - no USB readers: the clinic's real card reader stays with the system pcscd.
# pcscd 1.9.9 has /run/pcscd/pcscd.comm and pcscd.pid compiled in (it ignores PCSCLITE_CSOCK_NAME, and removes
# both files when it exits), so it runs in a private mount namespace where /run/pcscd is $dir and the USB
# driver folder is empty. Needs root (mount namespaces), as pcscd itself does.
#   scripts/pcscd-vpcd.sh start      idempotent: keeps our healthy pcscd, otherwise (re)starts it
#   scripts/pcscd-vpcd.sh restart    stops ours (a stale one included) and starts a new one
#   scripts/pcscd-vpcd.sh stop       stops the pcscd this script started; any other pcscd is left alone
#   scripts/pcscd-vpcd.sh status     exit 0 when ours answers and vpcd listens
#   scripts/pcscd-vpcd.sh socket     prints the socket path for PCSCLITE_CSOCK_NAME
# Then a card: build/<dir>/reader/onshi-card-emulator --profile assets/cards/shikaku_ichiro.json (port $port).
set -euo pipefail
dir=${ONSHI_PCSCD_DIR:-/run/onshi-pcscd}
port=${ONSHI_VPCD_PORT:-35973}
log=${ONSHI_PCSCD_LOG:-$dir/pcscd.log}
sock=$dir/pcscd.comm
pidfile=$dir/pcscd.pid
conf=$dir/reader.conf.d
driver=/usr/lib/pcsc/drivers/serial/libifdvpcd.so

# The pid from our pid file, when that process is a pcscd started with our reader config; else nothing.
ours() {
  local p
  p=$(tr -cd "0-9" 2>/dev/null < "$pidfile") || return 0  # pcscd writes "PID\n\0"
  [[ $p =~ ^[0-9]+$ ]] || return 0
  [ "$(cat "/proc/$p/comm" 2>/dev/null)" = pcscd ] || return 0
  tr '\0' '\n' < "/proc/$p/cmdline" 2>/dev/null | grep -qxF -- "$conf" || return 0
  echo "$p"
}
listening() { ss -ltnpH "sport = :$port" 2>/dev/null | grep -q "pid=$1,"; }
healthy() { local p; p=$(ours); [ -n "$p" ] && [ -S "$sock" ] && listening "$p"; }

stop() {
  local p
  p=$(ours)
  if [ -n "$p" ]; then
    kill "$p" 2>/dev/null || true
    for _ in $(seq 50); do [ -d "/proc/$p" ] || break; sleep 0.1; done
    [ -d "/proc/$p" ] && kill -9 "$p" 2>/dev/null || true
    for _ in $(seq 20); do [ -d "/proc/$p" ] || break; sleep 0.1; done
  fi
  rm -f "$sock" "$pidfile"
}

start() {
  [ -f "$driver" ] || { echo "vsmartcard-vpcd is not installed ($driver)" >&2; exit 1; }
  command -v unshare >/dev/null || { echo "unshare (util-linux) is missing" >&2; exit 1; }
  # /run/pcscd only as the mount point inside the namespace; the system's pcscd creates the same folder.
  mkdir -p "$conf" "$dir/serial" /run/pcscd
  chmod 0755 "$dir"
  rm -f "$sock" "$pidfile"
  printf 'FRIENDLYNAME "Virtual PCD"\nDEVICENAME   /dev/null:0x%X\nLIBPATH      %s/serial/libifdvpcd.so\nCHANNELID    0x%X\n' \
    "$port" "$dir" "$port" > "$conf/vpcd"
  # Detached (setsid) so ctest's fixture step may exit while pcscd stays; exec keeps one pid for the pid file.
  # The daemon outlives its caller, so it keeps none of the caller's descriptors: an inherited one would hold
  # the caller's locks (`flock LOCK ctest …`) and pipes for as long as pcscd runs.
  # shellcheck disable=SC2016
  setsid unshare --mount --propagation private -- bash -c '
    for fd in /proc/self/fd/*; do
      fd=${fd##*/}
      [ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-" 2>/dev/null
    done
    mount --bind "${0%/*}" "$1/serial" &&
    mount -t tmpfs -o size=64k,mode=0755 onshi-no-usb-drivers /usr/lib/pcsc/drivers &&
    mount --bind "$1" /run/pcscd &&
    exec pcscd --foreground --error --config "$2"' "$driver" "$dir" "$conf" >"$log" 2>&1 </dev/null &
  for _ in $(seq 100); do healthy && return 0; sleep 0.05; done
  echo "pcscd did not come up with vpcd on port $port; log: $log" >&2
  cat "$log" >&2 || true
  stop
  exit 1
}

case "${1:-}" in
  start)   healthy || { stop; start; } ;;
  restart) stop; start ;;
  stop)    stop ;;
  status)  healthy ;;
  socket)  echo "$sock" ;;
  *) echo "usage: $0 start|restart|stop|status|socket" >&2; exit 2 ;;
esac
