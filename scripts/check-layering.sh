#!/usr/bin/env bash
# core/ and reader/ must stay free of ImGui, GLFW and GL so the CLI, tests and benchmarks reuse them.
root=${1:-.}
hits=$(grep -rnE '#\s*include\s*[<"](imgui|backends/imgui|GLFW/|glad/|GL/)' "$root/core" "$root/reader" 2>/dev/null)
if [ -n "$hits" ]; then
  echo "UI includes found in core/ or reader/:"; echo "$hits"; exit 1
fi
echo "layering ok: no UI includes in core/ or reader/"
