"""`make demo`: the whole pipeline on the bundled offline demo web, with no network.

Serves demo/web on 127.0.0.1:8737, then runs the same commands an operator would: init, import
the Peru seed, run every demo source (policy links, El Peruano's day listing through the
`elperuano` gazette platform, a sitemap), export. Running it
again gives the same database: every stage is idempotent.
"""

from __future__ import annotations

import argparse
import errno
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


def _steps(db: Path, exports: Path) -> int:
    for step in (("init",), ("policies", "import", str(ROOT / "db" / "seed" / "peru.json"))):
        if pipeline(db, *step) != 0:
            return 2
    run_code = pipeline(db, "run")
    if run_code not in (0, 1):
        return run_code
    outputs = []
    for fmt in ("json", "csv"):
        out = exports / f"peru-sources.{fmt}"
        if pipeline(db, "export", "--format", fmt, "--status", "all", "-o", str(out)) != 0:
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
    print(f"  database:             {db_path}")
    for out in outputs:
        print(f"  export:               {out}")


if __name__ == "__main__":
    sys.exit(main())
