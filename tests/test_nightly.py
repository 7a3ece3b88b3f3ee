"""The nightly job as a scheduler sees it: exit codes 0 / 1 / 2 / 75, the kernel lock (a second
run exits at once and writes nothing; a killed run blocks nothing), the maximum duration, and
kill -9 mid-run followed by a clean rerun ending in the state of an uninterrupted run.

A small web of its own is served on a free loopback port by the demo server."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from support import ROOT

from pipeline.nightly import run_lock

sys.path.insert(0, str(ROOT / "demo"))
from serve import DemoServer, make_handler, serve

PAGE = """<!doctype html><html lang="es"><head><meta charset="utf-8"><title>{title}</title>
<meta property="article:published_time" content="{date}"></head><body><article><h1>{title}</h1>
<p>Lima, {day} de abril de 2021. {body}</p><p>{filler}</p></article></body></html>"""
FILLER = (
    "El texto sigue con los antecedentes de la norma y las instituciones que participan en "
    "su implementación, según informó el ministerio en un comunicado oficial. "
) * 3
PAGES = {
    "ds-004": ("Decreto Supremo N° 004-2021-JUS", "22",
               "El Decreto Supremo N° 004-2021-JUS crea el Mecanismo intersectorial."),
    "modifica": ("Decreto Supremo que modifica el Decreto Supremo N° 004-2021-JUS", "23",
                 "Se modifica el Decreto Supremo N° 004-2021-JUS, que crea el Mecanismo."),
    "nota": ("Defensores piden protección", "24",
             "Organizaciones recuerdan el Mecanismo intersectorial para la protección de las "
             "personas defensoras de derechos humanos."),
}  # fmt: skip
POLICY = {
    "id": "pe-mecanismo", "country": "PE", "title": "Intersectoral Mechanism", "status": "adopted",
    "description": "", "updated": "2023-01", "norms": ["DS|4|2021|JUS"],
    "aliases": ["Mecanismo intersectorial para la protección de las personas defensoras"],
    "sources": [],
}  # fmt: skip


def make_web(
    root: Path, pages: dict[str, tuple[str, str, str]], extra: tuple[str, ...] = ()
) -> None:
    (root / "site").mkdir(parents=True, exist_ok=True)
    for slug, (title, day, body) in pages.items():
        html = PAGE.format(title=title, date=f"2021-04-{day}", day=day, body=body, filler=FILLER)
        (root / "site" / f"{slug}.html").write_text(html, encoding="utf-8")


def write_sitemap(root: Path, port: int, slugs: list[str]) -> None:
    urls = "".join(f"<url><loc>http://127.0.0.1:{port}/site/{s}</loc></url>" for s in slugs)
    xml = f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    (root / "site" / "sitemap.xml").write_text(xml, encoding="utf-8")


def write_config(path: Path, port: int, expect_days: int = 3) -> Path:
    path.write_text(textwrap.dedent(f"""
        [fetch]
        user_agent = "observatory-pipeline-test/0.1"
        allow_addresses = ["127.0.0.1/32"]
        allow_ports = [{port}]
        delay_seconds = 0.0
        retries = 0

        [[source]]
        id = "site"
        name = "Test gazette"
        kind = "sitemap"
        url = "http://127.0.0.1:{port}/site/sitemap.xml"
        language = "es"
        country = "PE"
        expect_items_within_days = {expect_days}
    """), encoding="utf-8")  # fmt: skip
    return path


class Web:
    def __init__(self, tmp: Path, server: ThreadingHTTPServer) -> None:
        self.root = tmp / "web"
        self.server = server
        self.port = int(server.server_address[1])
        self.config = write_config(tmp / "sources.toml", self.port)
        self.db = tmp / "db" / "o.db"
        self.policies = tmp / "policies.json"
        self.policies.write_text(json.dumps([POLICY]), encoding="utf-8")

    def sitemap(self, slugs: list[str]) -> None:
        write_sitemap(self.root, self.port, slugs)

    def pipeline(
        self, *args: str, db: Path | None = None, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        cmd = [sys.executable, "-m", "pipeline", "--db", str(db or self.db),
               "--config", str(self.config), *args]  # fmt: skip
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False,
                              cwd=ROOT)  # fmt: skip

    def start(self, *args: str, db: Path | None = None) -> subprocess.Popen[str]:
        cmd = [sys.executable, "-m", "pipeline", "--db", str(db or self.db),
               "--config", str(self.config), *args]  # fmt: skip
        return subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT
        )

    def init(self, db: Path | None = None) -> None:
        assert self.pipeline("policies", "import", str(self.policies), db=db).returncode == 0


def slow_server(root: Path, delay: float) -> ThreadingHTTPServer:
    """The demo server, answering every page `delay` seconds late (a run that takes a while)."""
    base = make_handler(root)

    class Slow(base):  # type: ignore[misc, valid-type]
        def do_GET(self) -> None:
            if not self.path.endswith((".xml", ".txt")):
                time.sleep(delay)
            super().do_GET()

    server = DemoServer(("127.0.0.1", 0), Slow)
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    ).start()
    return server


@pytest.fixture
def web(tmp_path: Path) -> Iterator[Web]:
    make_web(tmp_path / "web", PAGES)
    server = serve(tmp_path / "web", 0)
    w = Web(tmp_path, server)
    w.sitemap(list(PAGES))
    w.init()
    yield w
    server.shutdown()
    server.server_close()


def runs(db: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(db) as conn:
        return [(r[0], r[1]) for r in conn.execute("SELECT id, status FROM runs ORDER BY id")]


def test_all_well_exits_0_with_report_and_backup(web: Web) -> None:
    result = web.pipeline("run")
    assert result.returncode == 0, result.stderr
    assert runs(web.db) == [(1, "ok")]
    report = json.loads((web.db.parent / "reports" / "latest.json").read_text(encoding="utf-8"))
    assert report["run"]["id"] == 1
    assert list((web.db.parent / "backups").glob("observatory-*.db"))
    assert "run 1:" in result.stderr and "\x1b[" not in result.stderr  # plain lines, not a TTY
    # the test web has no robots.txt (404): no rules, and no "failed" line to alarm anyone
    assert "failed" not in result.stderr, result.stderr


def test_a_failed_fetch_exits_1(web: Web) -> None:
    web.sitemap([*PAGES, "missing"])
    result = web.pipeline("run", "--no-backup")
    assert result.returncode == 1, result.stderr
    assert "failed http_4xx" in result.stderr
    assert runs(web.db) == [(1, "partial")]


@pytest.mark.parametrize(
    "args", [("--config", "/nonexistent/sources.toml", "run"), ("--db", "/proc/x/o.db", "run")]
)
def test_fatal_errors_exit_2(web: Web, args: tuple[str, ...]) -> None:
    cmd = [
        sys.executable,
        "-m",
        "pipeline",
        "--config",
        str(web.config),
        "--db",
        str(web.db),
        *args,
    ]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr


def test_a_second_run_exits_75_at_once_and_writes_nothing(web: Web, tmp_path: Path) -> None:
    fresh = tmp_path / "fresh" / "o.db"
    with run_lock(fresh), run_lock(web.db):
        before = web.db.read_bytes()
        started = time.monotonic()
        result = web.pipeline("run")
        assert result.returncode == 75, result.stderr
        assert "another run holds" in result.stderr
        assert web.pipeline("run", db=fresh).returncode == 75
    assert time.monotonic() - started < 30
    assert web.db.read_bytes() == before and runs(web.db) == []
    assert not fresh.exists()  # not even created


def test_a_killed_run_does_not_block_the_next(web: Web) -> None:
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time; sys.path.insert(0, {str(ROOT)!r})
        from pathlib import Path
        from pipeline.nightly import run_lock
        with run_lock(Path({str(web.db)!r})):
            print("locked", flush=True); time.sleep(60)
    """)], stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    assert web.pipeline("run", "--no-backup").returncode == 75
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert web.pipeline("run", "--no-backup").returncode == 0


def test_a_run_past_its_maximum_duration_is_stopped_and_reported(tmp_path: Path) -> None:
    pages = {f"p{i}": PAGES["nota"] for i in range(8)}
    make_web(tmp_path / "web", pages)
    server = slow_server(tmp_path / "web", 0.6)
    try:
        w = Web(tmp_path, server)
        w.sitemap(list(pages))
        w.init()
        result = w.pipeline("run", "--max-duration", "1s", "--no-backup")
    finally:
        server.shutdown()
        server.server_close()
    assert result.returncode == 1, result.stderr
    assert "stopped: maximum duration" in result.stderr
    assert runs(w.db) == [(1, "stopped")]
    report = json.loads((w.db.parent / "reports" / "run-1.json").read_text(encoding="utf-8"))
    assert report["run"]["status"] == "stopped"
    assert report["sources"][0]["new_documents"] < 8


def state(db: Path) -> dict[str, object]:
    """What a run leaves that matters: documents with their versions, extractions and links."""
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return {
            "versions": sorted(conn.execute(
                "SELECT d.url, v.sha256 FROM versions v JOIN documents d ON d.id = v.document_id")),
            "extractions": sorted(conn.execute(
                "SELECT d.url, e.title, e.published, e.summary FROM extractions e"
                " JOIN versions v ON v.id = e.version_id"
                " JOIN documents d ON d.id = v.document_id")),
            "matches": sorted(conn.execute(
                "SELECT d.url, m.policy_id, m.status, m.score FROM matches m"
                " JOIN documents d ON d.id = m.document_id")),
            "half_versions": conn.execute(
                "SELECT COUNT(*) FROM versions v WHERE NOT EXISTS"
                " (SELECT 1 FROM extractions e WHERE e.version_id = v.id)").fetchone()[0],
        }  # fmt: skip


def test_kill_9_mid_run_then_a_clean_rerun_ends_in_the_same_state(tmp_path: Path) -> None:
    pages = {f"p{i}": (f"Nota {i} sobre el Decreto Supremo N° 004-2021-JUS", "22",
                       f"Nota {i}: el Decreto Supremo N° 004-2021-JUS crea el Mecanismo.")
             for i in range(8)}  # fmt: skip
    make_web(tmp_path / "web", pages)
    server = slow_server(tmp_path / "web", 0.4)
    try:
        w = Web(tmp_path, server)
        w.sitemap(list(pages))
        reference = tmp_path / "ref" / "o.db"
        w.init(db=reference)
        assert w.pipeline("run", "--no-backup", db=reference).returncode == 0
        w.init()
        for _ in range(2):  # killed twice at different points, then left to finish
            run = w.start("run", "--no-backup")
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not _has_versions(w.db):
                time.sleep(0.05)
            time.sleep(0.3)
            os.kill(run.pid, signal.SIGKILL)
            run.communicate()
        final = w.pipeline("run", "--no-backup")
    finally:
        server.shutdown()
        server.server_close()
    assert final.returncode == 0, final.stderr
    assert state(w.db) == state(reference)
    statuses = [status for _, status in runs(w.db)]
    assert statuses[-1] == "ok" and set(statuses[:-1]) == {"interrupted"}


def _has_versions(db: Path) -> bool:
    try:
        with sqlite3.connect(db, timeout=1) as conn:
            return bool(conn.execute("SELECT COUNT(*) FROM versions").fetchone()[0])
    except sqlite3.Error:
        return False


DEPLOY = ROOT / "deploy"


def test_systemd_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze not installed")
    # The units name /srv/observatory-pipeline: point them at a stand-in with an executable.
    home = tmp_path / "srv"
    (home / ".venv" / "bin").mkdir(parents=True)
    stub = home / ".venv" / "bin" / "pipeline"
    stub.write_text("#!/bin/sh\n")
    stub.chmod(0o755)
    for name in ("observatory-pipeline.service", "observatory-pipeline.timer"):
        text = (DEPLOY / name).read_text(encoding="utf-8")
        (tmp_path / name).write_text(text.replace("/srv/observatory-pipeline", str(home)))
    units = [
        str(tmp_path / "observatory-pipeline.timer"),
        str(tmp_path / "observatory-pipeline.service"),
    ]
    result = subprocess.run([analyze, "verify", "--man=no", *units], capture_output=True,
                            text=True, timeout=60, check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_the_cron_example_is_five_fields_and_a_command() -> None:
    lines = [line for line in (DEPLOY / "crontab.example").read_text().splitlines()
             if line.strip() and not line.startswith("#")]  # fmt: skip
    assert len(lines) == 1
    fields = lines[0].split(None, 5)
    field = r"(\*|\d+(-\d+)?(,\d+(-\d+)?)*)(/\d+)?"
    assert all(re.fullmatch(field, f) for f in fields[:5]), fields
    assert "pipeline" in fields[5] and " run" in fields[5]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert lines[0] in readme  # the README shows the same line
