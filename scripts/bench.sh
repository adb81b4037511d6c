#!/usr/bin/env bash
# Runs every benchmark program and prints one markdown table of figures, then a "ratios" block:
# one line `name ours comparison ratio goal` for each figure docs/performance.md sets a goal for, both
# sides measured in the same run (so they share the machine's load), each the median of the repetitions.
#   bash scripts/bench.sh               build (Release) + run + print
#   bash scripts/bench.sh --write-docs  also replace the table in docs/performance.md
# Environment: BENCH_BUILD_DIR (default build/bench), BENCH_REPETITIONS (default 3), BENCH_ONLY (a regex
# of program names, e.g. 'oqs|ledger|ui_'; bench_card_read starts pcscd + vpcd; only those are built),
# BENCH_NO_BUILD=1 (run what is built).
# Absolute figures only mean something from a quiet machine; the ratios hold up under load.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh
build=${BENCH_BUILD_DIR:-build/bench}
reps=${BENCH_REPETITIONS:-3}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DONSHI_BUILD_BENCH=ON >/dev/null
# With BENCH_ONLY, only the programs it names are built.
targets=(benches)
if [ -n "${BENCH_ONLY:-}" ]; then
  targets=()
  for src in bench/*.cpp; do
    name=$(basename "$src" .cpp)
    [[ "$name" =~ ^(${BENCH_ONLY})$ ]] && targets+=("bench_$name")
  done
fi
# BENCH_NO_BUILD=1 runs the programs as they are built (e.g. while others keep the tree changing).
[ -n "${BENCH_NO_BUILD:-}" ] || cmake --build "$build" -j2 --target "${targets[@]}" >/dev/null
out="$build/results"; rm -rf "$out"; mkdir -p "$out"
failed=()  # a program that fails is named at the end; the others still run and are reported
for b in "$build"/bench/bench_*; do
  [ -x "$b" ] || continue
  name=$(basename "$b")
  if [ -n "${BENCH_ONLY:-}" ] && ! [[ "${name#bench_}" =~ ^(${BENCH_ONLY})$ ]]; then continue; fi
  echo "running $name" >&2
  args=(--benchmark_format=json --benchmark_out="$out/$name.json" --benchmark_out_format=json
        --benchmark_repetitions="$reps")
  rc=0
  if [[ "$name" == bench_ui_* ]] && [ -z "${DISPLAY:-}" ]; then
    LIBGL_ALWAYS_SOFTWARE=1 GALLIUM_DRIVER=llvmpipe xvfb-run -a -s "-screen 0 1280x800x24" "$b" "${args[@]}" >/dev/null ||
      rc=$?
  else
    "$b" "${args[@]}" >/dev/null || rc=$?
  fi
  # A program that died mid-run leaves a partial JSON file: the table is made from the others.
  if [ "$rc" -ne 0 ]; then
    failed+=("$name (exit $rc)")
    rm -f "$out/$name.json"
  fi
done
python3 scripts/bench_table.py "$out" > "$out/table.md"
cat "$out/table.md"
python3 scripts/bench_table.py "$out" --ratios | tee "$out/ratios.txt"
if [ ${#failed[@]} -gt 0 ]; then
  echo "bench: these programs failed, their figures are missing: ${failed[*]}" >&2
  exit 1  # and docs/performance.md is left as it was
fi
if [ "${1:-}" = "--write-docs" ]; then
  python3 scripts/bench_table.py "$out" --write docs/performance.md
  echo "docs/performance.md updated" >&2
fi
