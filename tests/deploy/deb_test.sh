#!/usr/bin/env bash
# Builds the .deb from the binaries already in BUILD (no rebuild), then checks it with dpkg-deb:
# files, conffiles, maintainer scripts, Depends (shlibdeps + the run-time ones), and that the unit files
# it installs verify.   deb_test.sh BUILD OUT SRC
set -euo pipefail
build=$1 out=$2 src=$3
rm -rf "$out"; mkdir -p "$out"
fail() { echo "FAIL: $*"; exit 1; }

# The project's CPack config, but staged by running the build's install script directly: cpack's own
# project install first builds the "preinstall" target, i.e. every target of the tree (benchmarks,
# fuzzers, …). This packs the binaries already built, with the same install() rules, stripped.
cat > "$out/install.cmake" <<CFG
set(CMAKE_INSTALL_PREFIX /usr)
set(CMAKE_INSTALL_DO_STRIP ON)
include("$build/cmake_install.cmake")
CFG
cat > "$out/cpack.cmake" <<CFG
include("$build/CPackConfig.cmake")
set(CPACK_INSTALL_CMAKE_PROJECTS "")
set(CPACK_INSTALL_SCRIPTS "$out/install.cmake")
set(CPACK_SET_DESTDIR ON)
set(CPACK_PACKAGE_DIRECTORY "$out")
CFG
( cd "$out" && cpack --config "$out/cpack.cmake" >"$out/cpack.log" 2>&1 ) || { cat "$out/cpack.log"; fail "cpack"; }
debs=("$out"/onshi-kiosk_*.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || fail "expected one onshi-kiosk_*.deb in $out: ${debs[*]}"
deb=${debs[0]}
echo "built $(basename "$deb") ($(stat -c %s "$deb") bytes)"

files=$(dpkg-deb -c "$deb" | awk '{print $1, $NF}')
expect_file() {  # MODE-PREFIX PATH
  grep -q "^$1.* \./${2#/}\$" <<<"$files" || fail "missing $2 (mode $1) in the package"
}
for b in onshi-kiosk onshi onshi-card-emulator; do expect_file -rwxr-xr-x /usr/bin/$b; done
expect_file -rwxr-xr-x /usr/libexec/onshi-kiosk/kiosk-session
for u in onshi-kiosk.service onshi-kiosk-restart.service onshi-kiosk-restart.timer; do
  expect_file -rw-r--r-- /lib/systemd/system/$u
done
expect_file -rw-r--r-- /etc/onshi-kiosk/onshi-kiosk.toml
expect_file -rw-r--r-- /etc/pam.d/onshi-kiosk
expect_file -rw-r--r-- /etc/default/onshi-kiosk
expect_file -rw-r--r-- /usr/share/doc/onshi-kiosk/deploy.md
expect_file -rw-r--r-- /usr/share/onshi-kiosk/assets/cards/shikaku_ichiro.json
expect_file -rw-r--r-- /usr/share/onshi-kiosk/assets/oqs/people.json
expect_file -rw-r--r-- /usr/share/onshi-kiosk/assets/ledger/sample.json
expect_file -rw-r--r-- /usr/share/onshi-kiosk/assets/udev/99-onshi-touch.rules
expect_file -rw-r--r-- /usr/share/onshi-kiosk/assets/systemd/x11/xinitrc
# Nothing from the build tree or the tests leaks in.
if grep -E '/(CMakeFiles|tests?)/|\.o$|\.a$' <<<"$files"; then fail "build or test files in the package"; fi

field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = onshi-kiosk ] || fail "Package: $(field Package)"
[ "$(field Architecture)" = "$(dpkg --print-architecture)" ] || fail "Architecture: $(field Architecture)"
depends=$(field Depends)
echo "Depends: $depends"
# Run-time needs dpkg-shlibdeps cannot see, and libraries it must have found in the binaries.
for d in pcscd fonts-noto-cjk cage xwayland libgl1-mesa-dri libpam-systemd adduser poppler-data libpoppler-cpp0v5 \
         libpcsclite1 libsqlite3-0 libssl3 libicu72 libglfw3 libtomlplusplus3 libstdc++6 libc6; do
  tr ',' '\n' <<<"$depends" | sed 's/^ *//; s/ .*//' | grep -qxF "$d" || fail "Depends lacks $d"
done
grep -q "vsmartcard-vpcd" <<<"$(field Recommends)" || fail "Recommends lacks vsmartcard-vpcd"
# A PostgreSQL ledger needs the client library only (docs/ledger-postgres.md): libpq5, never the server.
tr ',|' '\n\n' <<<"$depends" | sed 's/^ *//; s/ .*//' | grep -qxF libpq5 || fail "Depends lacks libpq5"
if tr ',|' '\n\n' <<<"$depends, $(field Recommends), $(field Suggests)" | sed 's/^ *//; s/ .*//' |
   grep -E '^postgresql'; then
  fail "the package asks for a PostgreSQL server"
fi

# Control area: conffiles and the postinst that creates the kiosk user.
ctl="$out/control"; mkdir -p "$ctl"; dpkg-deb -e "$deb" "$ctl"
for c in /etc/onshi-kiosk/onshi-kiosk.toml /etc/pam.d/onshi-kiosk /etc/default/onshi-kiosk; do
  grep -qx "$c" "$ctl/conffiles" || fail "$c is not a conffile"
done
[ -x "$ctl/postinst" ] && grep -q "adduser --system" "$ctl/postinst" || fail "postinst does not create the kiosk user"
sh -n "$ctl/postinst" && sh -n "$ctl/prerm" || fail "maintainer script syntax"

# Unpacked, the units verify, and the shipped config passes the shipped `onshi config check`.
root="$out/root"; dpkg-deb -x "$deb" "$root"
bash "$(dirname "$0")/verify_units.sh" --installed "$root"
"$root/usr/bin/onshi" config check "$root/etc/onshi-kiosk/onshi-kiosk.toml" >/dev/null || fail "shipped config does not check"
echo "deb: ok"
