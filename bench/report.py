"""The bench report: one table of figures (ratio against a baseline measured in the same run, and
peak memory), written as JSON and Markdown under bench/results/ and printed on stdout."""

from __future__ import annotations

import json
import os
import platform
import subprocess
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any


@dataclass
class Row:
    figure: str
    measured: str
    baseline: str
    ratio: float | None  # measured / baseline, in the direction the target is written
    target: str
    met: bool | None  # None: reported, no target
    peak_rss_mb: float | None = None
    note: str = ""


@dataclass
class Report:
    scale: str
    rows: list[Row] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    def add(self, row: Row) -> None:
        self.rows.append(row)
        print(f"  {row.figure}: {row.measured} vs {row.baseline} → {_ratio(row)}", flush=True)


def machine() -> dict[str, Any]:
    cpu = ""
    with Path("/proc/cpuinfo").open() as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_kb = 0
    with Path("/proc/meminfo").open() as info:
        for line in info:
            if line.startswith("MemTotal"):
                mem_kb = int(line.split()[1])
    versions = {}
    for name in ("trafilatura", "htmldate", "lxml", "httpx", "scrapy", "pyinstrument"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "commit": commit,
        "versions": versions,
    }


def _ratio(row: Row) -> str:
    return "—" if row.ratio is None else f"{row.ratio:.2f}×"


def _met(row: Row) -> str:
    return {True: "yes", False: "**no**", None: "—"}[row.met]


def table(rows: list[Row]) -> list[str]:
    head = "| figure | measured | baseline (same run) | ratio | target | met | peak RSS |"
    lines = [head, "|---|---|---|---|---|---|---|"]
    for r in rows:
        rss = f"{r.peak_rss_mb:.0f} MB" if r.peak_rss_mb else "—"
        lines.append(
            f"| {r.figure} | {r.measured} | {r.baseline} | {_ratio(r)} | {r.target} "
            f"| {_met(r)} | {rss} |"
        )
    return lines


def write(report: Report, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    info = machine()
    data = {"scale": report.scale, "seconds": round(report.seconds, 1), "machine": info,
            "rows": [asdict(r) for r in report.rows], "details": report.details}  # fmt: skip
    (out_dir / "report.json").write_text(json.dumps(data, indent=2, default=str))
    md = [
        f"# Bench report ({report.scale} scale, {report.seconds:.0f} s)",
        "",
        f"Machine: {info['nproc']} cores, {info['cpu']}, {info['ram_gb']} GB RAM; Python "
        f"{info['python']}; commit {info['commit']}; "
        + ", ".join(f"{k} {v}" for k, v in info["versions"].items()),
        "",
        *table(report.rows),
        "",
        "Notes:",
        *[f"- {r.figure}: {r.note}" for r in report.rows if r.note],
        "",
        "## Details",
        "```json",
        json.dumps(report.details, indent=2, default=str),
        "```",
    ]
    path = out_dir / "report.md"
    path.write_text("\n".join(md) + "\n")
    print()
    print("\n".join(table(report.rows)))
    print(f"\nreport: {path} and report.json ({report.seconds:.0f} s)")
    return path
