"""A whole run against misbehaving sites on loopback (RELIABILITY.md, Fetching and Content): each
fault ends as a recorded failure with its class and attempt count, the rest of the run completes,
nothing stored is lost, and the next run skips what a server put off."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import sqlite_utils
from faultserver import (
    HOSTILE_RETRY_AFTER,
    FaultServer,
    bomb,
    cut_body,
    hang,
    huge_content_length,
    ok,
    redirect,
    status,
    trickle_body,
)
from run_support import failures, html, once_then, page, pdf, run, sitemap, source
from support import ROOT

CP1252_PAGE = (ROOT / "tests/fixtures/pages/cooperaccion-cp1252-url-date.html").read_bytes()
DS = "Decreto Supremo N° 004-2021-JUS"

GOOD = ["ok", "retry", "cp1252", "pdf-as-html"]
EXPECTED = {
    "hang": ("timeout", 1),
    "trickle": ("timeout", 1),
    "limited": ("rate_limited", 1),
    "cut": ("truncated", 1),
    "loop": ("too_many_redirects", 1),
    "to-file": ("bad_scheme", 1),
    "to-private": ("blocked_address", 1),
    "bomb": ("too_large", 1),
    "json": ("unsupported", 1),
    "blocked": ("blocked_page", 1),
    "gone": ("http_4xx", 1),
}


@pytest.fixture
def sites() -> tuple[FaultServer, FaultServer, FaultServer]:
    srv, disallowing, robots_down = FaultServer(), FaultServer(), FaultServer()
    srv.routes.update(
        {
            "/sitemap.xml": sitemap(srv, [f"/{p}" for p in [*GOOD, *EXPECTED]]),
            "/ok": page(html(DS, "El Ministerio de Justicia publicó la norma."), etag='"v1"'),
            "/retry": once_then(
                status("503 Service Unavailable", Retry_After="1"),
                page(html("Resolución Ministerial N° 0255-2020-JUS", "Crean el registro.")),
            ),
            "/cp1252": page(CP1252_PAGE),  # the header says utf-8, the bytes are cp1252
            "/pdf-as-html": page(pdf(DS)),
            "/hang": hang,
            "/trickle": trickle_body,
            "/limited": status("429 Too Many Requests", Retry_After="3600"),
            "/cut": cut_body,
            "/loop": redirect("/loop"),
            "/to-file": redirect("file:///etc/passwd"),
            "/to-private": redirect("http://10.0.0.1/admin"),
            "/bomb": bomb(50_000_000),
            "/json": page(b'{"norma": "DS 004-2021-JUS"}', content_type="text/html"),
            "/blocked": page(html("Just a moment...", "Checking your browser before accessing.")),
            "/gone": status("404 Not Found"),
        }
    )
    disallowing.routes["/robots.txt"] = ok(b"User-agent: *\nDisallow: /\n")
    disallowing.routes["/sitemap.xml"] = sitemap(disallowing, ["/secret"])
    robots_down.routes["/robots.txt"] = status("500 Internal Server Error")
    yield srv, disallowing, robots_down
    for server in (srv, disallowing, robots_down):
        server.close()


def _sources(sites: tuple[FaultServer, FaultServer, FaultServer]) -> list:  # type: ignore[type-arg]
    srv, disallowing, robots_down = sites
    return [
        source("faults", srv.url("/sitemap.xml")),
        source("disallowed", disallowing.url("/sitemap.xml")),
        source("robots-down", robots_down.url("/sitemap.xml")),
    ]


def _requests(srv: FaultServer, path: str) -> int:
    return sum(p == path for p, _ in srv.requests)


def _stored(db: sqlite_utils.Database) -> set[tuple[str, str, str]]:
    return set(
        db.conn.execute(
            "SELECT d.url, v.sha256, e.title FROM documents d JOIN versions v"
            " ON v.document_id = d.id JOIN extractions e ON e.version_id = v.id"
        ).fetchall()
    )


def test_every_fault_is_recorded_and_the_rest_of_the_run_completes(
    db: sqlite_utils.Database, tmp_path: Path, sites: tuple[FaultServer, ...]
) -> None:
    srv, disallowing, robots_down = sites
    summary = run(db, tmp_path, _sources(sites))  # type: ignore[arg-type]
    assert summary.status == "partial"
    got = failures(db, summary.run_id)
    for path, expected in EXPECTED.items():
        assert got.get(path) == expected, (path, got)
    assert got["sitemap.xml"][0] == "robots"  # both robots sources: nothing fetched there
    assert _requests(disallowing, "/sitemap.xml") == _requests(robots_down, "/sitemap.xml") == 0
    robots_failures = db.conn.execute(
        "SELECT source_id FROM failures WHERE failure_class = 'robots'"
    ).fetchall()
    assert sorted(r[0] for r in robots_failures) == ["disallowed", "robots-down"]
    # The good pages are stored whole; the 503 was retried once after its Retry-After.
    titles = {url.rsplit("/", 1)[-1]: title for url, _, title in _stored(db)}
    assert set(titles) == set(GOOD)
    assert titles["cp1252"].startswith("Congreso aprueba ley de protección")
    assert titles["pdf-as-html"] == DS
    assert _requests(srv, "/retry") == 2
    # Nothing of a failed fetch was kept.
    bad = db.conn.execute(
        "SELECT COUNT(*) FROM versions v JOIN documents d ON d.id = v.document_id"
        " WHERE d.url LIKE '%/blocked' OR d.url LIKE '%/cut' OR d.url LIKE '%/json'"
    ).fetchone()[0]
    assert bad == 0


def test_the_next_run_skips_what_was_put_off_and_loses_nothing(
    db: sqlite_utils.Database, tmp_path: Path, sites: tuple[FaultServer, ...]
) -> None:
    srv = sites[0]
    srv.routes["/sitemap.xml"] = sitemap(srv, ["/ok", "/limited", "/cp1252"])
    first = run(db, tmp_path, _sources(sites)[:1])  # type: ignore[arg-type]
    before = _stored(db)
    srv.routes["/sitemap.xml"] = sitemap(srv, ["/ok", "/limited", "/new", "/cp1252"])
    srv.routes["/new"] = page(html("Ley N° 31405", "Ley de protección de huérfanos."))
    srv.routes["/cp1252"] = status("500 Internal Server Error")  # down today: kept from before
    second = run(db, tmp_path, _sources(sites)[:1])  # type: ignore[arg-type]
    assert second.deferred == 1 and _requests(srv, "/limited") == 1
    assert second.new_versions == 1 and second.unchanged == 1  # /new; /ok answered 304
    assert srv.requests[-1][0] != "/limited"
    ok_requests = [h for p, h in srv.requests if p == "/ok"]
    assert ok_requests[-1].get("if-none-match") == '"v1"'
    assert failures(db, second.run_id) == {"cp1252": ("http_5xx", 2)}
    after = _stored(db)
    assert before <= after and len(after) == len(before) + 1
    deferred = db.conn.execute("SELECT url, failure_class FROM deferred").fetchall()
    assert [(u.rsplit("/", 1)[-1], c) for u, c in deferred] == [("limited", "rate_limited")]
    assert first.run_id != second.run_id
    assert sqlite3.connect(db.conn.execute("PRAGMA database_list").fetchone()[2]).execute(
        "PRAGMA integrity_check"
    ).fetchone() == ("ok",)


def _rss(srv: FaultServer, items: list[tuple[str, str]]) -> bytes:
    body = "".join(
        f"<item><title>{title}</title><link>{srv.url(path)}</link>"
        "<pubDate>Thu, 22 Apr 2021 21:15:00 -0500</pubDate></item>"
        for path, title in items
    )
    head = '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
    return f"{head}{body}</channel></rss>".encode()


def test_a_feed_that_changes_between_runs_and_a_hostile_feed(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    from pipeline.models import SourceKind

    with FaultServer() as srv:
        srv.routes["/feed"] = ok(_rss(srv, [("/a", "Primera")]))
        srv.routes["/a"] = page(html(DS, "Primera noticia."), etag='"a"')
        srv.routes["/b"] = page(html("Ley N° 31405", "Segunda noticia."))
        bomb_feed = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">]><rss>&a;</rss>'
        srv.routes["/evil"] = ok(bomb_feed)
        sources = [
            source("news", srv.url("/feed"), SourceKind.FEED),
            source("evil", srv.url("/evil"), SourceKind.FEED),
        ]
        first = run(db, tmp_path, sources)
        srv.routes["/feed"] = ok(_rss(srv, [("/b", "Segunda"), ("/a", "Primera")]))
        second = run(db, tmp_path, sources)
    assert failures(db, first.run_id) == {"evil": ("unsupported", 1)}
    assert (first.new_versions, second.new_versions, second.unchanged) == (1, 1, 1)
    listed = dict(db.conn.execute("SELECT url, listed_date FROM documents").fetchall())
    assert set(listed.values()) == {"2021-04-22"}  # the feed's own day, not UTC's next day


def test_hostile_retry_after_defers_the_url_within_the_maximum_and_the_run_goes_on(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    """Issue 13, item 1: a 429 with `Retry-After: 999999999999` ended the run with an
    OverflowError, every night, and the pages fetched beside it were lost."""
    with FaultServer() as srv:
        hostile = {f"/{name}": value for name, value in HOSTILE_RETRY_AFTER.items()}
        for path, value in hostile.items():
            srv.routes[path] = status("429 Too Many Requests", Retry_After=value)
        srv.routes["/long"] = huge_content_length
        good = [f"/ok{n}" for n in range(4)]
        for n, path in enumerate(good):
            srv.routes[path] = page(html(f"Ley N° 3140{n}", "El Congreso aprobó la ley."))
        srv.routes["/sitemap.xml"] = sitemap(srv, [*hostile, "/long", *good])
        before = dt.datetime.now(dt.UTC)
        summary = run(db, tmp_path, [source("hostile", srv.url("/sitemap.xml"))])
        second = run(db, tmp_path, [source("hostile", srv.url("/sitemap.xml"))])
        asked = {path: sum(p == path for p, _ in srv.requests) for path in hostile}
    assert summary.status == "partial"
    titles = {url.rsplit("/", 1)[-1]: title for url, _, title in _stored(db)}
    assert titles == {f"ok{n}": f"Ley N° 3140{n}" for n in range(4)}
    got = failures(db, summary.run_id)
    assert {path: got[path.lstrip("/")][0] for path in hostile} == dict.fromkeys(
        hostile, "rate_limited"
    )
    assert got["long"][0] == "connection"
    deferred = dict(db.conn.execute("SELECT url, retry_at FROM deferred").fetchall())
    assert {u.rsplit("/", 1)[-1] for u in deferred} == {p.lstrip("/") for p in hostile}
    ahead = {
        u.rsplit("/", 1)[-1]: dt.datetime.fromisoformat(t) - before for u, t in deferred.items()
    }
    far = {"twelve-digits", "twenty-three-digits", "year-9999"}
    # Far values are put off to the maximum (HttpSettings.max_defer, 7 days), never beyond;
    # junk ones are read as no Retry-After at all: a short backoff, asked again next run.
    assert all(dt.timedelta(days=6) < ahead[n] <= dt.timedelta(days=7) for n in far), ahead
    assert all(ahead[n] < dt.timedelta(minutes=1) for n in set(ahead) - far), ahead
    # The next run keeps its word: no request to a URL put off.
    assert second.deferred == len(far)
    assert all(asked[f"/{n}"] == 1 for n in far), asked


def test_pipeline_run_survives_a_hostile_retry_after_and_defers_at_most_max_defer_days(
    tmp_path: Path,
) -> None:
    with FaultServer() as srv:
        srv.routes["/later"] = status("429 Too Many Requests", Retry_After="9" * 23)
        srv.routes["/ok"] = page(html("Ley N° 31405", "Ley de protección."))
        srv.routes["/sitemap.xml"] = sitemap(srv, ["/later", "/ok"])
        config = tmp_path / "sources.toml"
        config.write_text(
            textwrap.dedent(f"""
            [fetch]
            allow_addresses = ["127.0.0.1/32"]
            allow_ports = [{srv.port}]
            delay_seconds = 0.0
            retries = 0
            max_defer_days = 1

            [[source]]
            id = "hostile"
            name = "Hostile"
            kind = "sitemap"
            url = "{srv.url("/sitemap.xml")}"
            """),
            encoding="utf-8",
        )
        db_path = tmp_path / "t.db"
        done = subprocess.run(
            [sys.executable, "-m", "pipeline", "--db", str(db_path), "--config", str(config),
             "run", "--no-backup"],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
    assert done.returncode == 1, done.stderr  # partial, not fatal
    assert "OverflowError" not in done.stderr
    conn = sqlite3.connect(db_path)
    (retry_at,) = conn.execute("SELECT retry_at FROM deferred").fetchone()
    ahead = dt.datetime.fromisoformat(retry_at) - dt.datetime.now(dt.UTC)
    assert dt.timedelta(hours=23) < ahead <= dt.timedelta(days=1)
    assert conn.execute("SELECT COUNT(*) FROM versions").fetchone() == (1,)


def test_sitemap_listed_non_public_urls_are_recorded_as_blocked_address(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    """Issue 13, item 7: they were recorded as `robots` (their robots.txt was refused first)."""
    listed = [
        "http://10.0.0.1/admin",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/x",
        "http://2130706434/decimal-loopback",  # 127.0.0.2 spelled as one number
    ]
    with FaultServer() as srv:
        locs = "".join(f"<url><loc>{u}</loc></url>" for u in [*listed, srv.url("/ok")])
        srv.routes["/sitemap.xml"] = ok(f"<urlset>{locs}</urlset>".encode())
        srv.routes["/ok"] = page(html(DS, "Publicado."))
        summary = run(db, tmp_path, [source("mixed", srv.url("/sitemap.xml"))])
        assert srv.connections == 3  # robots.txt, the sitemap, /ok: nothing else
    rows = db.conn.execute(
        "SELECT url, failure_class FROM failures WHERE run_id = ?", (summary.run_id,)
    ).fetchall()
    assert dict(rows) == dict.fromkeys(listed, "blocked_address")


def test_a_lying_charset_is_stored_decoded_right_with_the_choice_recorded(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    """Issue 13, item 2: `charset=utf-16` on latin-1 bytes was stored as ok, title garbled."""
    title = "Resolución Ministerial N° 0255-2020-JUS"
    body = html(title, "Crean el Registro sobre situaciones de riesgo. " * 6)
    latin1 = body.decode("utf-8").replace('charset="utf-8"', 'charset="utf-16"').encode("latin-1")
    with FaultServer() as srv:
        srv.routes["/rm"] = page(latin1, content_type="text/html; charset=utf-16")
        srv.routes["/sitemap.xml"] = sitemap(srv, ["/rm"])
        run(db, tmp_path, [source("liar", srv.url("/sitemap.xml"))])
    row = db.conn.execute(
        "SELECT e.title, e.page_class, e.charset, e.charset_method FROM extractions e"
    ).fetchone()
    assert row == (title, "ok", "cp1252", "detected")
    keys = {k for (k,) in db.conn.execute("SELECT norm_key FROM mentions")}
    assert "RM|255|2020|JUS" in keys
