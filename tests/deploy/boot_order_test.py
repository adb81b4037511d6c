#!/usr/bin/env python3
"""Boot-order tolerance (issue 9) with the real kiosk window under Xvfb and systemd's notify protocol.

The kiosk starts with no pcscd and no OQS folder. pcscd (with vpcd), the OQS folders and then a card come up
one at a time; the same kiosk process must notice each, clear its warnings and reach a clean 待機, and tell
systemd READY=1 and WATCHDOG=1 on $NOTIFY_SOCKET (the unit is Type=notify with WatchdogSec).

usage: boot_order_test.py KIOSK EMULATOR SOURCE_DIR WORK_DIR
"""
import os
import pathlib
import re
import shutil
import socket
import subprocess
import sys
import time

kiosk, emulator, src, work = sys.argv[1:5]
work = pathlib.Path(work)
shutil.rmtree(work, ignore_errors=True)
work.mkdir(parents=True)
pcscd = ["bash", f"{src}/scripts/pcscd-vpcd.sh"]

# A clinic config with everything in the work folder; the OQS root does not exist yet.
cfg = pathlib.Path(f"{src}/assets/config/onshi-kiosk.toml").read_text()
cfg = re.sub(r'(?m)^root = ".*"', f'root = "{work}/oqs"', cfg)
cfg = re.sub(r'(?m)^path = ".*"', f'path = "{work}/ledger/ledger.sqlite"', cfg)
cfg = re.sub(r'(?m)^backup_dir = ".*"', f'backup_dir = "{work}/backup"', cfg)
cfg = re.sub(r'(?m)^pattern = ".*"', 'pattern = "Virtual PCD"', cfg)
cfg = re.sub(r'(?m)^fullscreen = .*', 'fullscreen = false', cfg)
(work / "kiosk.toml").write_text(cfg)
(work / "ledger").mkdir()
(work / "boot.script").write_text("""
wait screen standby 30
wait text pcscd 30
screenshot 01-no-pcscd
wait no-text pcscd 60
wait text オン資PCのフォルダ 30
screenshot 02-no-oqs-folder
wait no-text オン資PC 60
screenshot 03-ready
assert screen standby
wait seconds 8
""")

notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
notify.bind(str(work / "notify.sock"))
notify.settimeout(0.2)

subprocess.run(pcscd + ["stop"], check=True)
# The card waits off the reader from the start (its RSA keys take a while to make); it retries vpcd by itself.
emu = subprocess.Popen([emulator, "--profile", f"{src}/assets/cards/shikaku_nanao.json", "--state-dir",
                        str(work / "cards"), "--removed"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
# The kiosk talks to the script's private pcscd (its own socket), never to a system one.
sock = subprocess.run(pcscd + ["socket"], check=True, capture_output=True, text=True).stdout.strip()
env = dict(os.environ, NOTIFY_SOCKET=str(work / "notify.sock"), WATCHDOG_USEC="2000000",
           LIBGL_ALWAYS_SOFTWARE="1", GALLIUM_DRIVER="llvmpipe", PCSCLITE_CSOCK_NAME=sock)
log = open(work / "kiosk.log", "w")
proc = subprocess.Popen(["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", kiosk, "--config", str(work / "kiosk.toml"),
                         "--script", str(work / "boot.script"), "--screenshots", str(work / "shots"),
                         "--max-seconds", "150"], env=env, stdout=log, stderr=subprocess.STDOUT)
messages = []


def drain(seconds):
    end = time.time() + seconds
    while time.time() < end:
        try:
            messages.append(notify.recv(4096).decode())
        except socket.timeout:
            pass


def kiosk_log():
    return (work / "kiosk.log").read_text(errors="replace")


try:
    drain(6)
    subprocess.run(pcscd + ["start"], check=True)          # 1. pcscd with the vpcd reader
    drain(6)
    for d in ("req", "res", "face"):                        # 2. the OQS PC shares its folders
        (work / "oqs" / d).mkdir(parents=True, exist_ok=True)
    drain(5)
    emu.stdin.write(b"insert\n")                           # 3. a card on the reader
    emu.stdin.flush()
    while proc.poll() is None:
        drain(1)
finally:
    emu.stdin.close()
    emu.wait(timeout=10)
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    log.close()

out = kiosk_log()
failures = []
if proc.returncode != 0:
    failures.append(f"kiosk exited {proc.returncode}")
if not any("READY=1" in m for m in messages):
    failures.append("no READY=1 on NOTIFY_SOCKET")
if not any("WATCHDOG=1" in m for m in messages):
    failures.append("no WATCHDOG=1 on NOTIFY_SOCKET")
if "card_inserted" not in out:
    failures.append("the card put on the reader after start-up was not seen")
if "OQS folders ready" not in out:
    failures.append("the OQS folder that appeared after start-up was not picked up")
for shot in ("01-no-pcscd", "02-no-oqs-folder", "03-ready"):
    if not (work / "shots" / f"{shot}.png").exists():
        failures.append(f"missing screenshot {shot}")
print(out[-3000:])
print(f"notify messages: {len(messages)} ({sum('WATCHDOG=1' in m for m in messages)} watchdog pings)")
if failures:
    print("FAILED: " + "; ".join(failures))
    sys.exit(1)
print("boot order ok: pcscd, the OQS folder and a card came up after the kiosk, no restart needed")
