#!/usr/bin/env bash
# Runs every benchmark program and prints one markdown table of figures.
#   bash scripts/bench.sh               build (Release) + run + print
#   bash scripts/bench.sh --write-docs  also replace the table in docs/performance.md
# Figures only mean something from a quiet machine: nothing else should be running.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh
build=build/bench
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DONSHI_BUILD_BENCH=ON >/dev/null
cmake --build "$build" -j2 --target benches >/dev/null
out="$build/results"; rm -rf "$out"; mkdir -p "$out"
for b in "$build"/bench/bench_*; do
  [ -x "$b" ] || continue
  name=$(basename "$b")
  echo "running $name" >&2
  if [[ "$name" == bench_ui_* ]] && [ -z "${DISPLAY:-}" ]; then
    LIBGL_ALWAYS_SOFTWARE=1 GALLIUM_DRIVER=llvmpipe xvfb-run -a -s "-screen 0 1280x800x24" \
      "$b" --benchmark_format=json --benchmark_out="$out/$name.json" --benchmark_out_format=json >/dev/null
  else
    "$b" --benchmark_format=json --benchmark_out="$out/$name.json" --benchmark_out_format=json >/dev/null
  fi
done
python3 scripts/bench_table.py "$out" > "$out/table.md"
cat "$out/table.md"
if [ "${1:-}" = "--write-docs" ]; then
  python3 scripts/bench_table.py "$out" --write docs/performance.md
  echo "docs/performance.md updated" >&2
fi
