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
        # Repeated benchmarks show their median only (the aggregate row, named …_median).
        repeated = {b.get("run_name") for b in data.get("benchmarks", []) if b.get("run_type") == "aggregate"}
        for b in data.get("benchmarks", []):
            if b.get("run_type") == "aggregate" and b.get("aggregate_name") not in ("median",):
                continue
            if b.get("run_type") != "aggregate" and b.get("run_name") in repeated:
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


# The figures docs/performance.md sets goals for, each against its comparison from the same run:
# (name, program, ours, comparison, field, goal). `field` is real_time, cpu_time or a counter.
RATIOS = [
    ("first_frame_ms", "ui_kiosk", "BM_FirstFrame_Kiosk", "BM_FirstFrame_BareImGuiWindow", "real_time", 1.2),
    ("oqs_parse_ms", "oqs", "BM_OqsParseBulkResult10000", "BM_PugixmlParseBulkResult10000", "cpu_time", 1.5),
    ("ledger_plan_us", "ledger", "BM_ApplyOverwritePlan", "BM_BareSqliteInsert", "real_time", 1.5),
    ("idle_rss_mb", "ui_kiosk", "BM_IdleStandby10s", "BM_IdleBareWindow", "peak_rss_mb", 1.1),
    # No goal ("-"): the same plan against bare SQL writing its rows into a ledger file, the ledger's own
    # overhead; ledger_plan_us's comparison writes one row (docs/performance.md, "Ledger plan").
    ("ledger_plan_same_rows_us", "ledger", "BM_ApplyOverwritePlan", "BM_BareSqlitePlan", "real_time", "-"),
]


def medians(folder):
    """program → run name family → one benchmark entry: the median aggregate when repeated, else the run."""
    out = {}
    for f in sorted(pathlib.Path(folder).glob("*.json")):
        fam = out.setdefault(f.stem.removeprefix("bench_"), {})
        for b in json.loads(f.read_text()).get("benchmarks", []):
            base = b.get("run_name", b["name"]).split("/")[0]
            if b.get("run_type") == "aggregate":
                if b.get("aggregate_name") == "median":
                    fam[base] = b
            elif base not in fam or fam[base].get("run_type") != "aggregate":
                fam[base] = b
    return out


def ratios(folder):
    """Lines `name ours comparison ratio goal` for a script to grep (times in the unit the name ends with)."""
    m = medians(folder)
    scale = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}
    lines = ["ratios"]

    def value(b, field, unit):
        if field in ("real_time", "cpu_time"):
            ns = b[field] * scale.get(b.get("time_unit", "ns"), 1)
            return ns / {"ms": 1e6, "us": 1e3}[unit]
        return b.get(field)

    for name, prog, ours, comp, field, goal in RATIOS:
        a, c = m.get(prog, {}).get(ours), m.get(prog, {}).get(comp)
        unit = name.rsplit("_", 1)[-1]
        if not a or not c or value(c, field, unit) in (None, 0) or value(a, field, unit) is None:
            lines.append(f"{name} - - - {goal}")
            continue
        x, y = value(a, field, unit), value(c, field, unit)
        lines.append(f"{name} {x:.4g} {y:.4g} {x / y:.2f} {goal}")
    rss = m.get("oqs", {}).get("BM_OqsParseRss10000")
    if rss:
        lines.append(f"oqs_parse_rss_mb {rss['growth_mb']:.4g} {rss['file_mb']:.4g} {rss['growth_per_file_byte']:.2f} 3")
    return "\n".join(lines) + "\n"


def main():
    folder = sys.argv[1]
    if len(sys.argv) > 2 and sys.argv[2] == "--ratios":
        sys.stdout.write(ratios(folder))
        return
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
