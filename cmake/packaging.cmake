# install() rules and the Debian package (CPack DEB): `cpack -G DEB` in a build directory.
# Binaries and data go under the package prefix (/usr); config, PAM and unit files to fixed system paths,
# overridable for a local test install (e.g. -DONSHI_INSTALL_SYSCONFDIR=$HOME/etc).
if(NOT ONSHI_BUILD_APP)
  return()  # no kiosk, nothing worth packaging
endif()
include(GNUInstallDirs)
set(ONSHI_INSTALL_SYSCONFDIR "/etc" CACHE PATH "Where the package puts onshi-kiosk/, pam.d/ and default/")
set(ONSHI_INSTALL_UNITDIR "/lib/systemd/system" CACHE PATH "systemd system unit folder (Debian 12)")

install(TARGETS onshi-kiosk onshi onshi-card-emulator RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(PROGRAMS assets/systemd/kiosk-session DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/onshi-kiosk)
# Training mode finds its cards, OQS people and ledger sample under /usr/share/onshi-kiosk/assets.
install(DIRECTORY assets/ DESTINATION ${CMAKE_INSTALL_DATADIR}/onshi-kiosk/assets)
# Training mode starts pcscd with vpcd through this script (share_dir()/scripts, see app/kiosk/training.cpp).
install(PROGRAMS scripts/pcscd-vpcd.sh DESTINATION ${CMAKE_INSTALL_DATADIR}/onshi-kiosk/scripts)
install(FILES assets/config/onshi-kiosk.toml DESTINATION ${ONSHI_INSTALL_SYSCONFDIR}/onshi-kiosk)
install(FILES assets/systemd/onshi-kiosk.pam DESTINATION ${ONSHI_INSTALL_SYSCONFDIR}/pam.d RENAME onshi-kiosk)
install(FILES assets/systemd/onshi-kiosk.default DESTINATION ${ONSHI_INSTALL_SYSCONFDIR}/default RENAME onshi-kiosk)
install(FILES assets/systemd/onshi-kiosk.service assets/systemd/onshi-kiosk-restart.service
              assets/systemd/onshi-kiosk-restart.timer DESTINATION ${ONSHI_INSTALL_UNITDIR})
install(FILES docs/deploy.md README.md DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/onshi-kiosk)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME onshi-kiosk)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "onshi-kiosk maintainers <onshi-kiosk@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Touchscreen kiosk for visual confirmation (目視確認) of My Number cards")
set(CPACK_PACKAGE_DESCRIPTION "Reception kiosk for Japanese clinics: reads the card face over PC/SC, queries\n\
online qualification (オンライン資格確認) through the OQS shared folder and updates the patient ledger.")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Libraries the binaries link: found by dpkg-shlibdeps. Below, what it cannot see: programs and data used at
# run time — the PC/SC daemon, the Japanese font, the compositor and Xwayland (cage does not depend on it),
# Mesa's GL drivers, pam_systemd for the kiosk's logind session, adduser for the postinst, and poppler-data
# (the CJK CMaps poppler needs for a Japanese 薬剤情報 PDF whose fonts are not embedded; libpoppler-cpp itself
# is found by dpkg-shlibdeps).
# libpq5 (the PostgreSQL ledger's client, docs/ledger-postgres.md) is found by dpkg-shlibdeps too; the
# package never depends on the server.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "pcscd, fonts-noto-cjk, cage, xwayland, libgl1-mesa-dri, libpam-systemd, adduser, poppler-data")
# vpcd: training mode's virtual card; the tools: finding reader names and touch devices.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "vsmartcard-vpcd, pcsc-tools, libinput-tools")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "xinit, xserver-xorg-core, xserver-xorg-input-libinput, x11-xserver-utils, cifs-utils")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/cmake/deb/conffiles ${PROJECT_SOURCE_DIR}/cmake/deb/postinst ${PROJECT_SOURCE_DIR}/cmake/deb/prerm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
