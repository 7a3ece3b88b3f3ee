"""Builders for the run tests: fault-server routes that behave like real sites, and a run wired
the way the CLI wires it, with short limits so faults resolve in about a second."""

from __future__ import annotations

import io
import ipaddress
import socket
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import sqlite_utils
from faultserver import FaultServer, Route, ok, response

from pipeline.archive import Archive
from pipeline.config import Config, FetchSettings, LinkSettings
from pipeline.ingest import Ingestor
from pipeline.models import Source, SourceKind
from pipeline.net.http import HttpClient, HttpSettings
from pipeline.run import RunSummary, run_sources

LOOPBACK = (ipaddress.ip_network("127.0.0.1/32"),)


def html(title: str, text: str, extra: str = "") -> bytes:
    return (
        f'<!DOCTYPE html><html lang="es"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head><body><main><h1>{title}</h1><p>{text}</p>{extra}</main></body></html>"
    ).encode()


def page(body: bytes, etag: str = "", content_type: str = "text/html; charset=utf-8") -> Route:
    """A page that answers 304 to a matching If-None-Match, as real servers with ETags do."""

    def route(conn: socket.socket, srv: FaultServer) -> None:
        if etag and srv.current.headers.get("if-none-match") == etag:
            conn.sendall(response("304 Not Modified", {"ETag": etag, "Connection": "close"}))
            return
        headers = {"Content-Type": content_type, "Connection": "close"}
        if etag:
            headers["ETag"] = etag
        ok(body, **{k.replace("-", "_"): v for k, v in headers.items()})(conn, srv)

    return route


def once_then(first: Route, then: Route) -> Route:
    calls: list[int] = []

    def route(conn: socket.socket, srv: FaultServer) -> None:
        calls.append(1)
        (first if len(calls) == 1 else then)(conn, srv)

    return route


def sitemap(srv: FaultServer, paths: Sequence[str]) -> Route:
    locs = "".join(f"<url><loc>{srv.url(p)}</loc></url>" for p in paths)
    body = f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'
    return ok(body.encode(), Content_Type="application/xml")


def pdf(title: str) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def source(sid: str, url: str, kind: SourceKind = SourceKind.SITEMAP, **options: object) -> Source:
    return Source(sid, sid, kind, url, "es", "PE", options=options)


def client(**overrides: object) -> HttpClient:
    settings = HttpSettings(
        user_agent="observatory-pipeline-test/0.1 (+mailto:test@example.org)",
        allow_addresses=LOOPBACK,
        allow_ports=frozenset(),
        connect_timeout=1.0,
        read_timeout=1.0,
        total_deadline=2.5,
        max_bytes=1_000_000,
        retries=1,
        backoff_base=0.01,
        retry_after_cap=5.0,
        host_delay=0.0,
    )
    return HttpClient(replace(settings, **overrides))  # type: ignore[arg-type]


def run(
    db: sqlite_utils.Database, tmp: Path, sources: Sequence[Source], **kwargs: object
) -> RunSummary:
    config = Config(
        path=None,
        fetch=FetchSettings(allow_addresses=LOOPBACK, concurrency=4, delay_seconds=0.0),
        link=LinkSettings(),
        sources=tuple(sources),
    )
    with client() as http, Archive(tmp / "archive", fsync=False) as archive:
        ingestor = Ingestor(db, archive, config.link)
        return run_sources(db, config, ingestor, http, **kwargs)  # type: ignore[arg-type]


def failures(db: sqlite_utils.Database, run_id: int) -> dict[str, tuple[str, int]]:
    """url path → (failure class, attempts) of one run."""
    rows = db.conn.execute(
        "SELECT url, failure_class, attempts FROM failures WHERE run_id = ?", (run_id,)
    )
    return {url.split("/", 3)[-1]: (cls, attempts) for url, cls, attempts in rows}
