#!/usr/bin/env bash
# Starts/stops pcscd with the vsmartcard vpcd driver (no systemd: CI, tests and the kiosk's training mode).
#   scripts/pcscd-vpcd.sh start      idempotent: keeps a healthy pcscd, otherwise (re)starts it
#   scripts/pcscd-vpcd.sh restart    always kills whatever pcscd runs (stale ones included) and starts a new one
#   scripts/pcscd-vpcd.sh stop       stops the pcscd this script (or anybody) started
#   scripts/pcscd-vpcd.sh status     exit 0 when pcscd answers and vpcd listens
# Then a card: build/<dir>/reader/onshi-card-emulator --profile assets/cards/shikaku_ichiro.json
# The vpcd reader config comes from Debian's vsmartcard-vpcd (/etc/reader.conf.d/vpcd, TCP 35963/35964).
set -euo pipefail
run=/run/pcscd
log=${ONSHI_PCSCD_LOG:-/tmp/onshi-pcscd.log}
port=35963

listening() { ss -ltn "sport = :$port" 2>/dev/null | grep -q LISTEN; }
pids() { pgrep -x pcscd || true; }
healthy() { [ -S "$run/pcscd.comm" ] && [ -n "$(pids)" ] && listening; }

stop() {
  local p
  p=$(pids)
  [ -z "$p" ] && { rm -f "$run/pcscd.comm" "$run/pcscd.pid"; return 0; }
  # shellcheck disable=SC2086
  kill $p 2>/dev/null || true
  for _ in $(seq 50); do [ -z "$(pids)" ] && break; sleep 0.1; done
  # shellcheck disable=SC2086
  [ -n "$(pids)" ] && kill -9 $(pids) 2>/dev/null || true
  for _ in $(seq 20); do listening || break; sleep 0.1; done
  rm -f "$run/pcscd.comm" "$run/pcscd.pid"
}

start() {
  [ -f /etc/reader.conf.d/vpcd ] || { echo "vsmartcard-vpcd is not installed (/etc/reader.conf.d/vpcd)" >&2; exit 1; }
  mkdir -p "$run"
  # Detached from the caller's process group so ctest's fixture step may exit while pcscd stays.
  setsid pcscd --foreground --error >"$log" 2>&1 < /dev/null &
  for _ in $(seq 100); do healthy && return 0; sleep 0.05; done
  echo "pcscd did not come up with vpcd on port $port; log: $log" >&2
  cat "$log" >&2 || true
  exit 1
}

case "${1:-}" in
  start)   healthy || { stop; start; } ;;
  restart) stop; start ;;
  stop)    stop ;;
  status)  healthy ;;
  *) echo "usage: $0 start|restart|stop|status" >&2; exit 2 ;;
esac
