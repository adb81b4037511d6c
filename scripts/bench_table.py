#!/usr/bin/env python3
"""Turns Google Benchmark JSON files into one markdown table (and optionally writes it into a doc)."""
import json
import pathlib
import platform
import re
import sys


def fmt_time(ns):
    for unit, div in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= div:
            return f"{ns / div:.3g} {unit}"
    return f"{ns:.3g} ns"


def rows(folder):
    scale = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}
    out = []
    for f in sorted(pathlib.Path(folder).glob("*.json")):
        data = json.loads(f.read_text())
        for b in data.get("benchmarks", []):
            if b.get("run_type") == "aggregate" and b.get("aggregate_name") not in ("median",):
                continue
            k = scale.get(b.get("time_unit", "ns"), 1)
            skip = {"name", "run_name", "run_type", "repetitions", "repetition_index", "threads", "iterations",
                    "real_time", "cpu_time", "time_unit", "family_index", "per_family_instance_index",
                    "aggregate_name", "aggregate_unit", "error_occurred", "error_message", "label"}
            extra = ", ".join(f"{key}={b[key]:.4g}" if isinstance(b[key], float) else f"{key}={b[key]}"
                              for key in b if key not in skip)
            if b.get("label"):
                extra = (b["label"] + ("; " + extra if extra else ""))
            out.append((f.stem.removeprefix("bench_"), b["name"], fmt_time(b["real_time"] * k),
                        fmt_time(b["cpu_time"] * k), str(b.get("iterations", "")), extra))
    return out


def table(folder):
    lines = [f"Machine: {platform.machine()}, {platform.system()} — run with `bash scripts/bench.sh`.", "",
             "| program | benchmark | wall | cpu | iterations | figures |", "|---|---|---|---|---|---|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows(folder)]
    return "\n".join(lines) + "\n"


def main():
    folder = sys.argv[1]
    t = table(folder)
    if len(sys.argv) > 3 and sys.argv[2] == "--write":
        doc = pathlib.Path(sys.argv[3])
        text = doc.read_text()
        new = re.sub(r"<!-- bench:begin -->.*<!-- bench:end -->",
                     lambda _: "<!-- bench:begin -->\n" + t + "<!-- bench:end -->", text, flags=re.S)
        doc.write_text(new)
    else:
        sys.stdout.write(t)


if __name__ == "__main__":
    main()
