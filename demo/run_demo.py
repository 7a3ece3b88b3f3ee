"""`make demo`: the whole pipeline on the bundled offline demo web, with no network.

Serves demo/web on 127.0.0.1:8737, then runs the same commands an operator would: init, import
the seeds (entries for Peru, Honduras, Brazil and Côte d'Ivoire), run every demo source (the
entries' own links, El Peruano's day listing through the `elperuano` gazette platform, the El
Peruano sitemap, and the ISHR and Agência Brasil sitemaps, which declare no country), export each
country's entries. Running it again gives the same database: every stage is idempotent.
"""

from __future__ import annotations

import argparse
import errno
import sqlite3
import subprocess
import sys
import time
from http.server import ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from serve import DEFAULT_PORT, DEFAULT_ROOT, serve  # noqa: E402

from pipeline import store  # noqa: E402


def pipeline(db: Path, *args: str) -> int:
    cmd = [sys.executable, "-m", "pipeline", "--db", str(db),
           "--config", str(HERE / "sources.toml"), *args]  # fmt: skip
    print("$ pipeline " + " ".join(args), flush=True)
    return subprocess.run(cmd, cwd=ROOT, check=False).returncode


def serve_when_free(port: int, wait_seconds: float = 60.0) -> ThreadingHTTPServer:
    """The seed's URLs name port 8737; another demo (or its test) may hold it for a few seconds."""
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            return serve(DEFAULT_ROOT, port)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE or time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=ROOT / "db" / "observatory.db")
    parser.add_argument("--exports", type=Path, default=ROOT / "exports")
    args = parser.parse_args()
    try:
        server = serve_when_free(DEFAULT_PORT)
    except OSError as exc:
        print(f"error: cannot serve the demo web on port {DEFAULT_PORT}: {exc.strerror}",
              file=sys.stderr)  # fmt: skip
        return 2
    try:
        return _steps(args.db, args.exports)
    finally:
        server.shutdown()
        server.server_close()


# The seeds, one file per country, and the name each country's exports take.
SEEDS = {"PE": "peru", "HN": "honduras", "BR": "brazil", "CI": "cote-divoire"}


def _steps(db: Path, exports: Path) -> int:
    seeds = [str(ROOT / "db" / "seed" / f"{name}.json") for name in SEEDS.values()]
    steps = [("init",), *(("policies", "import", seed) for seed in seeds)]
    for step in steps:
        if pipeline(db, *step) != 0:
            return 2
    run_code = pipeline(db, "run")
    if run_code not in (0, 1):
        return run_code
    outputs = []
    for country, name in SEEDS.items():
        for fmt in ("json", "csv"):
            out = exports / f"{name}-sources.{fmt}"
            export = ("export", "--format", fmt, "--status", "all", "--country", country)
            if pipeline(db, *export, "-o", str(out)) != 0:
                return 2
            outputs.append(out)
    _summary(db, outputs)
    return run_code


def _summary(db_path: Path, outputs: list[Path]) -> None:
    db = store.connect(db_path, create=False)
    counts = store.table_counts(db)
    queue = store.queue_counts(db)
    print("\nDemo summary")
    print(f"  documents:            {counts['documents']} ({counts['versions']} versions archived)")
    print(f"  norm mentions found:  {counts['mentions']}")
    print(f"  links auto-accepted:  {queue['auto']}")
    print(f"  waiting for review:   {queue['pending']}")
    print(f"  accepted by editors:  {queue['accepted']} (the entry's own source list)")
    print(f"  fetch failures:       {counts['failures']}")
    for line in _by_country(db_path):
        print(line)
    print(f"  database:             {db_path}")
    for out in outputs:
        print(f"  export:               {out}")


def _by_country(db_path: Path) -> list[str]:
    """Per country of the entries: documents read as that country's (and how it was told), and
    the entries' links auto-accepted and waiting for review."""
    conn = sqlite3.connect(db_path)
    told = dict.fromkeys(SEEDS, "")
    for country, method, count in conn.execute(
        "SELECT country, country_method, COUNT(*) FROM documents GROUP BY country, country_method"
        " ORDER BY country, country_method"
    ):
        if country in told:
            told[country] += f"{', ' if told[country] else ''}{count} {method}"
    links = {
        (country, status): count
        for country, status, count in conn.execute(
            "SELECT p.country, m.status, COUNT(*) FROM matches m JOIN policies p"
            " ON p.id = m.policy_id GROUP BY p.country, m.status"
        )
    }
    conn.close()
    lines = ["  by country (documents by how their country was told; links of its entries):"]
    for country in SEEDS:
        auto, pending = links.get((country, "auto"), 0), links.get((country, "pending"), 0)
        accepted = links.get((country, "accepted"), 0)
        lines.append(
            f"    {country}  documents: {told[country] or 'none'}; links: {auto} auto,"
            f" {pending} waiting, {accepted} accepted"
        )
    return lines


if __name__ == "__main__":
    sys.exit(main())
