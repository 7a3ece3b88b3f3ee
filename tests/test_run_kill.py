"""kill -9 at random points of a real `pipeline run`, repeated (RELIABILITY.md 18): the database
stays consistent, no document is half-written, nothing already stored is fetched again (the
server answers 304 to what we hold), and the final state equals an uninterrupted run's. Also the
exit code of a run with a failed fetch: 1, partial."""

from __future__ import annotations

import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from faultserver import FaultServer, ok, response, status
from run_support import html, sitemap
from support import ROOT

PAGES = [f"/norma-{n}" for n in range(14)]
NORMS = [
    "Decreto Supremo N° 004-2021-JUS",
    "Resolución Ministerial N° 0255-2020-JUS",
    "Ley N° 31405",
]


class Site:
    """Norm pages with ETags that log every full (200) answer, so a test can tell a re-fetch of a
    stored page from a cheap 304."""

    def __init__(self) -> None:
        self.srv = FaultServer()
        self.full: list[str] = []
        self._lock = threading.Lock()
        self.srv.routes["/sitemap.xml"] = sitemap(self.srv, [*PAGES, "/broken"])
        self.srv.routes["/broken"] = status("500 Internal Server Error")
        for n, path in enumerate(PAGES):
            self.srv.routes[path] = self._page(path, NORMS[n % len(NORMS)], f'"{n}"')

    def _page(self, path: str, norm: str, etag: str):  # type: ignore[no-untyped-def]
        body = html(norm, f"El texto de la norma publicada ({path}). " * 40)

        def route(conn: socket.socket, srv: FaultServer) -> None:
            if srv.current.headers.get("if-none-match") == etag:
                conn.sendall(response("304 Not Modified", {"ETag": etag, "Connection": "close"}))
                return
            with self._lock:
                self.full.append(path)
            time.sleep(0.08)  # a real server's think time: kills land mid-run, not only at start
            ok(body, Content_Type="text/html; charset=utf-8", ETag=etag)(conn, srv)

        return route


def _config(tmp: Path, port: int) -> Path:
    path = tmp / "sources.toml"
    path.write_text(
        f"""
[fetch]
allow_addresses = ["127.0.0.1/32"]
allow_ports = [{port}]
delay_seconds = 0.0
retries = 0
concurrency = 4

[[source]]
id = "site"
name = "Site"
kind = "sitemap"
url = "http://127.0.0.1:{port}/sitemap.xml"
""",
        encoding="utf-8",
    )
    return path


def _command(db: Path, config: Path) -> list[str]:
    return [sys.executable, "-m", "pipeline", "--db", str(db), "--config", str(config), "run",
            "--no-backup", "--report-dir", str(db.parent / "reports")]  # fmt: skip


def _state(db: Path) -> dict[str, object]:
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    orphans = conn.execute(
        "SELECT COUNT(*) FROM versions v WHERE NOT EXISTS"
        " (SELECT 1 FROM extractions e WHERE e.version_id = v.id)"
    ).fetchone()[0]
    assert orphans == 0, "a version without its extraction: a half-written document"
    return {
        "documents": sorted(conn.execute("SELECT url FROM documents d WHERE EXISTS"
                                         " (SELECT 1 FROM versions WHERE document_id = d.id)")),
        "versions": sorted(conn.execute("SELECT sha256 FROM versions")),
        "extractions": sorted(conn.execute("SELECT title, published, summary FROM extractions")),
        "mentions": sorted(conn.execute("SELECT norm_key FROM mentions")),
    }  # fmt: skip


def test_kill_9_at_random_points_then_rerun(tmp_path: Path) -> None:
    site = Site()
    try:
        config = _config(tmp_path, site.srv.port)
        killed = tmp_path / "killed" / "t.db"
        killed.parent.mkdir()
        rng = random.Random(20260418)
        progress: list[int] = []
        # Kill windows from "still starting" to "nearly done"; each run resumes the previous one.
        for low, high in ((0.5, 1.5), (1.2, 2.2), (1.8, 2.8), (2.2, 3.2)):
            stored = {u.rsplit("/", 1)[-1] for u in _paths(killed)}
            before = len(site.full)
            proc = subprocess.Popen(
                _command(killed, config), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            time.sleep(rng.uniform(low, high))
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
            refetched = {p.lstrip("/") for p in site.full[before:]} & stored
            assert not refetched, f"stored pages fetched again in full: {refetched}"
            if killed.exists():
                _state(killed)
            progress.append(len(_paths(killed)))
        final = subprocess.run(_command(killed, config), cwd=ROOT, capture_output=True,
                               text=True, timeout=120, check=False)  # fmt: skip
        print("documents stored after each kill:", progress)
        assert final.returncode == 1, final.stderr  # /broken: a partial run
        clean = tmp_path / "clean" / "t.db"
        clean.parent.mkdir()
        subprocess.run(_command(clean, config), cwd=ROOT, capture_output=True, timeout=120,
                       check=False)  # fmt: skip
        assert _state(killed) == _state(clean)
        assert len(_state(clean)["documents"]) == len(PAGES)  # type: ignore[arg-type]
    finally:
        site.srv.close()


def _paths(db: Path) -> set[str]:
    if not db.exists():
        return set()
    try:
        rows = sqlite3.connect(db).execute(
            "SELECT d.url FROM documents d JOIN versions v ON v.document_id = d.id"
        )
        return {url for (url,) in rows}
    except sqlite3.OperationalError:  # killed before the first migration committed
        return set()
