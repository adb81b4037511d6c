#!/usr/bin/env bash
# scripts/pcscd-vpcd.sh runs its own pcscd and never touches another one: a pcscd it did not start (the
# clinic's, stood in for here by a plain `pcscd` on the system socket with the stock vpcd config) keeps
# running, keeps its socket and pid file and keeps answering through stop, restart and start.
# Leaves the script's pcscd running, as the reader fixture expects.
set -u
script=$1
fail() { echo "FAIL: $*"; exit 1; }
sys_sock=/run/pcscd/pcscd.comm
ours=$(bash "$script" socket)

# The "system" pcscd: one already running is used as is; otherwise one is started here and ended by its pid.
started=
if [ -S "$sys_sock" ] && PCSCLITE_CSOCK_NAME=$sys_sock opensc-tool -l >/dev/null 2>&1; then
  sys_pid=$(tr -cd 0-9 < /run/pcscd/pcscd.pid)
else
  rm -f "$sys_sock" /run/pcscd/pcscd.pid
  setsid pcscd --foreground --error >/dev/null 2>&1 </dev/null &
  sys_pid=$!
  started=1
  for _ in $(seq 100); do [ -S "$sys_sock" ] && break; sleep 0.05; done
fi
cleanup() { [ -n "$started" ] && kill "$sys_pid" 2>/dev/null && wait "$sys_pid" 2>/dev/null; }
trap cleanup EXIT
[ -S "$sys_sock" ] || fail "the stand-in system pcscd did not come up"
sys_pidfile=$(cat /run/pcscd/pcscd.pid | tr -cd 0-9)

system_ok() {  # $1: step
  [ -d "/proc/$sys_pid" ] || fail "$1: the system pcscd ($sys_pid) was killed"
  [ -S "$sys_sock" ] || fail "$1: the system socket $sys_sock was removed"
  [ "$(tr -cd 0-9 < /run/pcscd/pcscd.pid 2>/dev/null)" = "$sys_pidfile" ] || fail "$1: the system pid file changed"
  PCSCLITE_CSOCK_NAME=$sys_sock opensc-tool -l >/dev/null 2>&1 || fail "$1: the system pcscd no longer answers"
}
ours_ok() {
  bash "$script" status || fail "$1: the script's pcscd is not healthy"
  local p; p=$(tr -cd 0-9 < "${ours%/*}/pcscd.pid")
  [ "$p" != "$sys_pid" ] || fail "$1: the script adopted the system pcscd"
  PCSCLITE_CSOCK_NAME=$ours opensc-tool -l 2>&1 | grep -q "Virtual PCD 00 00" || fail "$1: no vpcd reader on $ours"
}

system_ok "before"
bash "$script" stop || fail "stop"
system_ok "stop"
bash "$script" start || fail "start"
system_ok "start"
ours_ok "start"
first=$(tr -cd 0-9 < "${ours%/*}/pcscd.pid")
bash "$script" restart || fail "restart"
system_ok "restart"
ours_ok "restart"
[ -d "/proc/$first" ] && fail "restart left the previous private pcscd ($first) running"
bash "$script" stop || fail "stop"
system_ok "stop after start"
bash "$script" status && fail "status after stop"
# A pid file naming a foreign pcscd (stale file, recycled pid) is never acted on.
mkdir -p "${ours%/*}" && echo "$sys_pid" > "${ours%/*}/pcscd.pid"
bash "$script" stop || fail "stop with a foreign pid in the pid file"
system_ok "stop with a foreign pid in the pid file"
# Started from a caller that holds a lock (`flock LOCK ctest …`), the daemon keeps none of its descriptors:
# a private pcscd left over from a killed run must not hold the caller's lock (or pipes) for ever.
lock=$(mktemp)
bash "$script" stop
( exec 7>"$lock"; flock 7; bash "$script" start ) || fail "start again"
system_ok "start again"
ours_ok "start again"
p=$(tr -cd 0-9 < "${ours%/*}/pcscd.pid")
held=$(find "/proc/$p/fd" -lname "$lock" 2>/dev/null)
rm -f "$lock"
[ -z "$held" ] || fail "the private pcscd ($p) kept the caller's descriptor on $lock"
echo "pcscd script: ok (system pcscd $sys_pid untouched)"
