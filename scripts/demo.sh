#!/usr/bin/env bash
# The README run command: sets up, builds and runs the kiosk in training mode (研修モード).
# With a display it opens the window; without one it runs under Xvfb, walks the scripted demo,
# writes PNG screenshots to the folder it prints, and exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh
source scripts/build-common.sh
cmake -S . -B build/main "${MAIN_CMAKE_ARGS[@]}" >/dev/null
cmake --build build/main -j"${JOBS:-2}" --target onshi-kiosk onshi onshi-card-emulator
kiosk=build/main/app/onshi-kiosk

if [ -n "${DISPLAY:-}" ] && [ "${1:-}" != "--headless" ]; then
  exec "$kiosk" --demo "$@"
fi

shots=${SCREENSHOTS:-$PWD/screenshots/demo-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$shots"
LIBGL_ALWAYS_SOFTWARE=1 GALLIUM_DRIVER=llvmpipe xvfb-run -a -s "-screen 0 1280x800x24" \
  "$kiosk" --demo --script assets/demo/demo.script --screenshots "$shots"
echo "demo finished; screenshots in: $shots"
ls "$shots"
