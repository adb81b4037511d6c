#!/usr/bin/env bash
# The README test command: sets up Debian packages, builds everything twice and runs every test.
#   1. build/main  — g++, -Werror, everything (kiosk, CLI, tests, benchmarks, fuzz corpora replayed).
#   2. build/asan  — clang + ASan + UBSan: the core/ and reader/ tests, and every libFuzzer target
#                    run for ONSHI_FUZZ_SECONDS (default 60) each.
# Services: the tests start what they need themselves (pcscd + vpcd through CTest fixtures,
# Xvfb through xvfb-run), so this works on a fresh machine and in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh

JOBS=${JOBS:-2}
FUZZ_SECONDS=${ONSHI_FUZZ_SECONDS:-60}
export LIBGL_ALWAYS_SOFTWARE=1 GALLIUM_DRIVER=llvmpipe

echo "== build/main (g++, -Werror)"
cmake -S . -B build/main -DCMAKE_BUILD_TYPE=RelWithDebInfo -DONSHI_WERROR=ON >/dev/null
cmake --build build/main -j"$JOBS"

echo "== build/asan (clang, ASan + UBSan, libFuzzer)"
CC=clang CXX=clang++ cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Debug -DONSHI_SANITIZE=ON -DONSHI_FUZZ=ON \
  -DONSHI_BUILD_APP=OFF -DONSHI_BUILD_BENCH=OFF -DONSHI_WERROR=ON -DONSHI_FUZZ_SECONDS="$FUZZ_SECONDS" >/dev/null
cmake --build build/asan -j"$JOBS"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
echo "== tests: build/main"
(cd build/main && ctest --output-on-failure -j"$JOBS" --timeout 600) || status=1
echo "== tests: build/asan (sanitizers and fuzzing)"
(cd build/asan && ctest --output-on-failure -j"$JOBS" --timeout 900) || status=1
exit $status
