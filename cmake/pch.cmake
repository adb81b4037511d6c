# Precompiled headers: most of a translation unit's compile time here is parsing the same headers again
# (libstdc++'s C++20 <chrono> alone is ~70,000 lines, ImGui and the kiosk's state another ~100,000), so
# every C++ target reuses one precompiled header of its group (docs/performance.md, "Build time"):
#   std     core/, reader/, the CLI, benches and tests without Catch2 — the standard library only
#   test    Catch2 tests of core/ and reader/ — std + catch.hpp
#   ui      the kiosk library and programs — std + ImGui + the kiosk's state header
#   ui_test Catch2 tests that drive the kiosk's screens — ui + catch.hpp
# A PCH only speeds a build up: every source still includes what it uses, and a build without PCH
# (ONSHI_PCH=OFF, or any build with a compiler launcher such as ccache, which cannot cache PCH
# builds) checks that. -Winvalid-pch reports a group whose flags drifted from its users'.
option(ONSHI_PCH "Precompiled headers for the C++ targets (off with a compiler launcher)" ON)

set(_onshi_pch_std
  <algorithm> <array> <atomic> <chrono> <cstddef> <cstdint> <cstdio> <cstdlib> <cstring> <filesystem>
  <functional> <map> <memory> <mutex> <optional> <set> <span> <stdexcept> <string> <string_view>
  <thread> <unordered_map> <utility> <variant> <vector>)

function(_onshi_pch_host group)
  set(src ${CMAKE_BINARY_DIR}/pch/${group}.cpp)
  file(WRITE ${src} "// The precompiled header of the '${group}' group is built from this empty source.\n")
  add_library(onshi_pch_${group} STATIC ${src})
  target_link_libraries(onshi_pch_${group} PRIVATE onshi_options ${ARGN})
endfunction()

function(_onshi_pch_targets dir out)
  get_property(ts DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  get_property(subs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(s IN LISTS subs)
    _onshi_pch_targets(${s} more)
    list(APPEND ts ${more})
  endforeach()
  set(${out} ${ts} PARENT_SCOPE)
endfunction()

# Gives every C++ executable and static library of the project its group's PCH.
function(onshi_apply_pch)
  if(NOT ONSHI_PCH OR CMAKE_CXX_COMPILER_LAUNCHER)
    return()
  endif()
  # GCC 12 loses the system-header status of libstdc++ code read from a PCH, and its middle-end then
  # reports its known false positives inside std::string (bugs 105329, 105651; -Wstringop-overread only in
  # Release): a build without PCH (every ccache build, and the clang sanitizer build) keeps these warnings.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(onshi_options INTERFACE -Wno-array-bounds -Wno-stringop-overflow -Wno-restrict
                           -Wno-stringop-overread)
  endif()
  # -pthread defines _REENTRANT, and a PCH is only used with the same macros: every target gets it.
  target_compile_options(onshi_options INTERFACE -pthread)
  _onshi_pch_host(std)
  target_precompile_headers(onshi_pch_std PRIVATE ${_onshi_pch_std})
  _onshi_pch_host(test Catch2::Catch2)
  target_precompile_headers(onshi_pch_test PRIVATE ${_onshi_pch_std} <catch2/catch.hpp>)
  set(groups std test)
  if(TARGET onshi_ui)
    set(ui_headers ${_onshi_pch_std} <imgui.h> <imgui_internal.h>
                   ${PROJECT_SOURCE_DIR}/app/kiosk/app_state.hpp)
    _onshi_pch_host(ui onshi_core onshi_reader PkgConfig::IMGUI PkgConfig::STB glfw)
    target_precompile_headers(onshi_pch_ui PRIVATE ${ui_headers})
    _onshi_pch_host(ui_test onshi_core onshi_reader PkgConfig::IMGUI PkgConfig::STB glfw Catch2::Catch2)
    target_precompile_headers(onshi_pch_ui_test PRIVATE ${ui_headers} <catch2/catch.hpp>)
    list(APPEND groups ui ui_test)
  endif()
  foreach(g IN LISTS groups)
    target_compile_options(onshi_pch_${g} PRIVATE -Winvalid-pch)
  endforeach()

  _onshi_pch_targets(${PROJECT_SOURCE_DIR} targets)
  foreach(t IN LISTS targets)
    get_target_property(type ${t} TYPE)
    if(NOT type MATCHES "^(EXECUTABLE|STATIC_LIBRARY)$" OR t MATCHES "^onshi_pch_")
      continue()
    endif()
    get_target_property(srcs ${t} SOURCES)
    if(NOT srcs MATCHES "\\.cpp")
      continue()  # C only (glad)
    endif()
    get_target_property(opts ${t} COMPILE_OPTIONS)
    if(opts MATCHES "sanitize=fuzzer")
      continue()  # libFuzzer targets are compiled with other flags than their group
    endif()
    get_target_property(libs ${t} LINK_LIBRARIES)
    if(NOT libs MATCHES "(^|;)onshi_(options|ui)(;|$)")
      continue()  # not built with the project's options (the bare ImGui window the benches compare with)
    endif()
    set(ui OFF)
    if(t STREQUAL "onshi_ui" OR libs MATCHES "(^|;)onshi_ui(;|$)|PkgConfig::IMGUI")
      set(ui ON)
    endif()
    set(catch OFF)
    if(libs MATCHES "Catch2")
      set(catch ON)
    endif()
    if(ui AND catch)
      set(g ui_test)
    elseif(ui)
      set(g ui)
    elseif(catch)
      set(g test)
    else()
      set(g std)
    endif()
    target_precompile_headers(${t} REUSE_FROM onshi_pch_${g})
    target_compile_options(${t} PRIVATE -Winvalid-pch)
  endforeach()
endfunction()
