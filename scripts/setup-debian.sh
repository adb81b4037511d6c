#!/usr/bin/env bash
# Installs every Debian 12 package the build, the tests and training mode need.
# Idempotent: runs apt-get update once and installs only what is missing.
set -euo pipefail

PACKAGES=(
  cmake g++ make pkg-config clang libclang-rt-14-dev
  libimgui-dev libglfw3-dev python3-glad
  libpcsclite-dev pcscd vsmartcard-vpcd opensc
  libpugixml-dev libsqlite3-dev sqlite3 liblz4-dev catch2 libbenchmark-dev nlohmann-json3-dev
  libicu-dev libssl-dev openssl libopenjp2-7-dev libstb-dev
  libtomlplusplus-dev libsystemd-dev systemd
  libpq-dev postgresql
  libpoppler-cpp-dev poppler-data
  fonts-noto-cjk fontconfig xvfb xauth x11-utils libgl1-mesa-dri
  python3 procps
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
