#!/usr/bin/env bash
# The README test command: sets up Debian packages, builds everything twice and runs every test.
#   1. build/main  — g++, -Werror: kiosk, CLI, tests, fuzz corpora replayed (benchmarks: scripts/bench.sh).
#   2. build/asan  — clang + ASan + UBSan: the core/ and reader/ tests, and every libFuzzer target
#                    run for ONSHI_FUZZ_SECONDS (default 45) each; longer: ONSHI_FUZZ_SECONDS=600.
# The sanitizer build compiles (at lower priority) while build/main's tests run: those mostly wait on
# pcscd/vpcd round trips and Xvfb, so the two overlap on 2 cores. It takes one job more than there are cores,
# so that a core the tests leave idle while make waits on a link or a dependency is still used.
# Services: the tests start what they need themselves (pcscd + vpcd through CTest fixtures and the
# training mode, Xvfb through xvfb-run), so this works on a fresh machine and in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh
source scripts/build-common.sh

JOBS=${JOBS:-2}
FUZZ_SECONDS=${ONSHI_FUZZ_SECONDS:-45}
export LIBGL_ALWAYS_SOFTWARE=1 GALLIUM_DRIVER=llvmpipe
start=$SECONDS

echo "== build/main (g++, -Werror)"
cmake -S . -B build/main "${MAIN_CMAKE_ARGS[@]}" >/dev/null
cmake --build build/main -j"$JOBS"
echo "   built in $((SECONDS - start)) s"

echo "== build/asan (clang, ASan + UBSan, libFuzzer) in the background"
CC=clang CXX=clang++ cmake -S . -B build/asan "${ASAN_CMAKE_ARGS[@]}" -DONSHI_FUZZ_SECONDS="$FUZZ_SECONDS" >/dev/null
nice -n 10 cmake --build build/asan -j"$((JOBS + 1))" > build/asan-build.log 2>&1 &
asan_build=$!

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
echo "== tests: build/main"
(cd build/main && ctest --output-on-failure -j"$JOBS" --timeout 600) || status=1
echo "   main tests done at $((SECONDS - start)) s"

if ! wait "$asan_build"; then
  cat build/asan-build.log
  echo "the sanitizer build failed"
  exit 1
fi
echo "== tests: build/asan (sanitizers and fuzzing), built by $((SECONDS - start)) s"
# One more slot than cores: the fuzzers are time-boxed (FUZZ_SECONDS of wall time each) and the pcscd tests
# mostly wait on vpcd, so a third job shortens the phase by about a minute.
# LSan: the one-time allocations of system libraries (tests/support/lsan.supp says which and why).
(cd build/asan && LSAN_OPTIONS="suppressions=$PWD/../../tests/support/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}" \
  ctest --output-on-failure -j"$((JOBS + 1))" --timeout 900) || status=1
echo "== all done in $((SECONDS - start)) s"
exit $status
