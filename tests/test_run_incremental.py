"""Incremental runs: an unchanged page costs a conditional GET or a text fingerprint, never a new
extraction or a re-link; a changed page becomes a new version beside the old one."""

from __future__ import annotations

import socket
from pathlib import Path

import sqlite_utils
from faultserver import FaultServer, ok
from run_support import html, page, run, sitemap, source

DS = "Decreto Supremo N° 004-2021-JUS"


def _token_page(counter: list[int]) -> object:
    """Same words every time, different bytes (a fresh CSRF token in a script), no validators."""

    def route(conn: socket.socket, srv: FaultServer) -> None:
        counter.append(1)
        script = f"<script>var token = '{len(counter)}';</script>"
        ok(html(DS, "Crea el mecanismo intersectorial.", script), Content_Type="text/html")(
            conn, srv
        )

    return route


def _counts(db: sqlite_utils.Database) -> tuple[int, int]:
    versions = db.conn.execute("SELECT COUNT(*) FROM versions").fetchone()[0]
    extractions = db.conn.execute("SELECT COUNT(*) FROM extractions").fetchone()[0]
    return versions, extractions


def test_same_text_in_new_bytes_is_not_extracted_again(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    with FaultServer() as srv:
        calls: list[int] = []
        srv.routes["/sitemap.xml"] = sitemap(srv, ["/token"])
        srv.routes["/token"] = _token_page(calls)  # type: ignore[assignment]
        first = run(db, tmp_path, [source("s", srv.url("/sitemap.xml"))])
        second = run(db, tmp_path, [source("s", srv.url("/sitemap.xml"))])
    assert (first.extracted, second.extracted, second.unchanged) == (1, 0, 1)
    assert len(calls) == 2 and _counts(db) == (1, 1)


def test_a_changed_page_is_a_new_version_and_the_old_one_stays(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    with FaultServer() as srv:
        srv.routes["/sitemap.xml"] = sitemap(srv, ["/norma"])
        srv.routes["/norma"] = page(html(DS, "Primera versión."), etag='"a"')
        run(db, tmp_path, [source("s", srv.url("/sitemap.xml"))])
        srv.routes["/norma"] = page(html(DS, "Texto modificado por fe de erratas."), etag='"b"')
        second = run(db, tmp_path, [source("s", srv.url("/sitemap.xml"))])
        third = run(db, tmp_path, [source("s", srv.url("/sitemap.xml"))])
    assert (second.new_versions, second.extracted) == (1, 1)
    assert (third.new_versions, third.extracted, third.unchanged) == (0, 0, 1)  # a 304
    assert _counts(db) == (2, 2)
    etag = db.conn.execute("SELECT etag FROM documents").fetchone()[0]
    assert etag == '"b"'


def test_should_stop_ends_the_run_between_documents(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    with FaultServer() as srv:
        paths = [f"/n{i}" for i in range(6)]
        srv.routes["/sitemap.xml"] = sitemap(srv, paths)
        for i, path in enumerate(paths):
            srv.routes[path] = page(html(f"Ley N° 3140{i}", "Texto."))
        asked: list[int] = []

        def stop() -> bool:
            asked.append(1)
            return len(asked) > 2

        summary = run(db, tmp_path, [source("s", srv.url("/sitemap.xml"))], should_stop=stop)
    assert summary.stopped and summary.status == "partial"
    assert summary.extracted == 2
    row = db.conn.execute("SELECT status FROM runs WHERE id = ?", (summary.run_id,)).fetchone()
    assert row[0] == "partial"
