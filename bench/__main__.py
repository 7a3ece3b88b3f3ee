"""`make bench`: run the figures, write bench/results/report.{md,json}, print the table.

    python -m bench [--scale quick|default|full] [--only 1,3,4]

default runs offline in under 10 minutes on 2 cores by scaling figure 6 down to 2,000 documents
(its growth per 1,000 documents is reported); full runs it at 10,000 (about 15 minutes more).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

from bench import figures
from bench.report import Report, write

RESULTS = Path(__file__).resolve().parent / "results"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", choices=sorted(figures.SCALES), default="default")
    parser.add_argument("--only", default="1,3,4,5,6", help="figures to run (2 comes with 1)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    scale = figures.SCALES[args.scale]
    wanted = {part.strip() for part in args.only.split(",")}
    work = args.out / "work"
    shutil.rmtree(work, ignore_errors=True)  # every run starts from empty databases
    work.mkdir(parents=True)
    report = Report(scale.name)
    started = time.perf_counter()
    steps = [
        ("1", "end to end and re-runs", lambda: figures.end_to_end(scale, work, report)),
        ("3", "linking at scale", lambda: figures.link_scale(scale, report)),
        ("4", "fetch vs Scrapy", lambda: figures.fetch_rate(scale, work, report)),
        ("5", "dates and norms", lambda: figures.extraction_costs(scale, work, report)),
        ("6", "peak memory", lambda: figures.peak_memory(scale, work, report)),
    ]
    for key, title, step in steps:
        if key in wanted or (key == "1" and "2" in wanted):
            print(f"[{time.perf_counter() - started:5.0f} s] figure {key}: {title}", flush=True)
            step()
    report.seconds = time.perf_counter() - started
    write(report, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
