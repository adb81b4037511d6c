# Glue only: imported targets for Debian's packages. No third-party source lives in this repository.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(OpenSSL 3 REQUIRED)                                   # libssl-dev
find_package(SQLite3 REQUIRED)                                     # libsqlite3-dev
find_package(nlohmann_json 3 REQUIRED)                             # nlohmann-json3-dev
find_package(pugixml REQUIRED)                                     # libpugixml-dev -> pugixml::pugixml
find_package(tomlplusplus 3 REQUIRED)                             # libtomlplusplus-dev (config file)
find_package(Catch2 2 REQUIRED)                                    # catch2 (v2) -> Catch2::Catch2WithMain
include(Catch)
pkg_check_modules(ICU REQUIRED IMPORTED_TARGET icu-uc icu-i18n)    # libicu-dev
pkg_check_modules(PCSC REQUIRED IMPORTED_TARGET libpcsclite)       # libpcsclite-dev
pkg_check_modules(LZ4 REQUIRED IMPORTED_TARGET liblz4)              # liblz4-dev (a check's answer stored packed)
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)            # libpq-dev (PostgreSQL ledger, docs/ledger-postgres.md)
pkg_check_modules(OPENJP2 REQUIRED IMPORTED_TARGET libopenjp2)     # libopenjp2-7-dev
pkg_check_modules(SYSTEMD IMPORTED_TARGET libsystemd)              # libsystemd-dev (sd_notify), optional
pkg_check_modules(POPPLER REQUIRED IMPORTED_TARGET poppler-cpp)   # libpoppler-cpp-dev (PDF answers, docs/medinfo.md)

# stb: Debian's libstb ships the implementations (stb_image, stb_image_write, ...) in libstb.so.
pkg_check_modules(STB REQUIRED IMPORTED_TARGET stb)

if(ONSHI_BUILD_APP)
  # libimgui.a already holds the GLFW and OpenGL3 backends; glad is generated offline at build time.
  pkg_check_modules(IMGUI REQUIRED IMPORTED_TARGET imgui)
  find_package(glfw3 3.3 REQUIRED)
  find_program(GLAD_EXECUTABLE glad REQUIRED)                       # python3-glad
  set(GLAD_OUT ${CMAKE_BINARY_DIR}/glad)
  add_custom_command(OUTPUT ${GLAD_OUT}/src/gl.c ${GLAD_OUT}/include/glad/gl.h
    COMMAND ${GLAD_EXECUTABLE} --quiet --reproducible --api gl:core=3.3 --extensions= --out-path ${GLAD_OUT} c
    COMMENT "Generating the OpenGL 3.3 core loader with glad (offline)")
  add_library(onshi_glad STATIC ${GLAD_OUT}/src/gl.c)
  target_include_directories(onshi_glad SYSTEM PUBLIC ${GLAD_OUT}/include)
  target_link_libraries(onshi_glad PUBLIC ${CMAKE_DL_LIBS})
endif()

if(ONSHI_BUILD_BENCH AND NOT ONSHI_SANITIZE)
  find_package(benchmark REQUIRED)                                  # libbenchmark-dev
endif()
