"""One measured pipeline job, run in a child process so that its time, CPU and peak memory are its
own (the bench web and the baselines live in other processes).

    python -m bench.worker setup  --db D --policies FILE
    python -m bench.worker run    --db D --config C [--fetch-only] [--profile PATH]
    python -m bench.worker relink --db D --config C

Drives the pipeline through its public entry points only (store.connect, import_policies,
app.http_client, app.ingestor, run_sources, Ingestor.relink_all), so the bench keeps measuring
whatever run.py and fetch/ become. Prints one JSON object on stdout.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import resource
import sys
import time
from pathlib import Path
from typing import Any

from pipeline import app, store
from pipeline.extract.norms import display_for_key
from pipeline.ingest import Ingestor, IngestResult
from pipeline.models import Fetched, Link
from pipeline.policies import read_policy_file
from pipeline.run import run_sources


class FetchOnly(Ingestor):
    """An ingestor that keeps nothing: the run then measures discovery and fetching alone.
    Takes whatever else the run passes (`ingest`'s keywords grow as the run learns more)."""

    def ingest(
        self, link: Link, fetched: Fetched, country: str, *args: Any, **kwargs: Any
    ) -> IngestResult:
        return IngestResult(0, False, False, None, {})


def _count(db_path: Path, table: str) -> int:
    db = store.connect(db_path, create=False)
    return int(db.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])  # noqa: S608


def setup(args: argparse.Namespace) -> dict[str, Any]:
    db = store.connect(args.db, create=True)
    started = time.perf_counter()
    result = store.import_policies(db, read_policy_file(args.policies), display_for_key)
    return {"seconds": time.perf_counter() - started, "policies": result.added}


def run(args: argparse.Namespace) -> dict[str, Any]:
    options = app.Options(args.db, args.config)
    config = app.load(options)
    db = app.open_db(options, create=True)
    before = _count(args.db, "extractions")
    if args.fetch_only:
        ingestor: Ingestor = FetchOnly(db, app.archive_for(args.db), config.link)
    else:
        ingestor = app.ingestor(db, options, config)
        _ = ingestor.index  # the policy index is built once per run: not per-document cost
    profiler = cProfile.Profile() if args.profile else None
    cpu, started = time.process_time(), time.perf_counter()
    with app.http_client(config) as client:
        if profiler:
            profiler.enable()
        summary = run_sources(db, config, ingestor, client)
        if profiler:
            profiler.disable()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if profiler:
        profiler.dump_stats(args.profile)
        with Path(str(args.profile) + ".txt").open("w") as out:
            stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative")
            stats.print_stats(45)
    return {
        "seconds": seconds,
        "cpu": cpu,
        "links": summary.links,
        "extracted": summary.extracted,
        "unchanged": summary.unchanged,
        "failures": dict(summary.failures),
        "extractions_before": before,
        "extractions_after": _count(args.db, "extractions"),
        "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }


def relink(args: argparse.Namespace) -> dict[str, Any]:
    options = app.Options(args.db, args.config)
    db = app.open_db(options)
    ingestor = app.ingestor(db, options, app.load(options))
    started = time.perf_counter()
    count = ingestor.relink_all()  # includes building the index over every policy
    return {"seconds": time.perf_counter() - started, "documents": count}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("job", choices=("setup", "run", "relink"))
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--config", type=Path)
    parser.add_argument("--policies", type=Path)
    parser.add_argument("--fetch-only", action="store_true")
    parser.add_argument("--profile", type=Path)
    args = parser.parse_args(argv)
    job = {"setup": setup, "run": run, "relink": relink}[args.job]
    print(json.dumps(job(args)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
