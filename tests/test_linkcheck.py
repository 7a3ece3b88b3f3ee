"""check-links: dead links (404, 410, vanished host) are recorded and exports point them at their
archived copy; a timeout or a 5xx changes nothing. The network is an injected httpx transport."""

from __future__ import annotations

import datetime as dt
import json

import httpx
import pytest
import sqlite_utils

from pipeline import store
from pipeline.errors import FailureClass, FetchError
from pipeline.export import Selection, render_selection
from pipeline.linkcheck import check_links, is_gone
from pipeline.models import CountryMethod, DocumentCountry, Fetched, Link, MatchStatus
from pipeline.net.http import HttpClient, HttpSettings

GIVEN_PE = DocumentCountry("PE", CountryMethod.GIVEN, "given")

ALIVE, GONE, FLAKY = "https://a.example/ok", "https://a.example/gone", "https://a.example/flaky"


def client() -> HttpClient:
    def answer(request: httpx.Request) -> httpx.Response:
        status = {"/ok": 200, "/gone": 404, "/flaky": 503}[request.url.path]
        body = httpx.ByteStream(b"page")  # a stream, as the network gives: the client reads it
        return httpx.Response(status, headers={"Content-Type": "text/html"}, stream=body)

    settings = HttpSettings(user_agent="test", retries=0, host_delay=0.0)
    return HttpClient(settings, transport=httpx.MockTransport(answer),
                      resolver=lambda host: ["93.184.216.34"])  # fmt: skip


def seed(db: sqlite_utils.Database, url: str, ref: str) -> None:
    doc = store.ensure_document(db, Link("site", url, source_name="Site"), GIVEN_PE)
    fetched = Fetched(
        url, url, 200, {}, b"x", "sha-" + url, dt.datetime(2021, 4, 22, tzinfo=dt.UTC)
    )
    with store.transaction(db) as conn:
        conn.execute(
            "INSERT INTO versions (document_id, sha256, fetched_at, final_url, http_status,"
            " archive_ref) VALUES (?, ?, ?, ?, 200, ?)",
            (doc, fetched.sha256, fetched.fetched_at.isoformat(), url, ref),
        )
        conn.execute(
            "INSERT OR IGNORE INTO policies (id, country, title, content_hash, imported_at)"
            " VALUES ('p', 'PE', 'P', 'h', '2024-01-01')"
        )
        conn.execute(
            "INSERT INTO matches (document_id, policy_id, score, reasons, method, machine_status,"
            " status, evidence_hash, created_at, updated_at) VALUES"
            " (?, 'p', 1, '[]', 'norm', 'auto', 'auto', 'e', '2024', '2024')",
            (doc,),
        )


def test_dead_links_are_recorded_and_exports_point_at_the_copy(db: sqlite_utils.Database) -> None:
    for url in (ALIVE, GONE, FLAKY):
        seed(db, url, f"2021-04-22/x.warc.gz#{len(url)}")
    with client() as c:
        report = check_links(db, c, [ALIVE, GONE, FLAKY, "javascript:alert(1)"])
    assert (report.checked, report.ok, report.unknown) == (3, 1, 1)
    assert [(d.url, d.archive_ref) for d in report.dead] == [(GONE, "2021-04-22/x.warc.gz#22")]
    sel = Selection("json", (MatchStatus.AUTO, MatchStatus.ACCEPTED))
    rendered = render_selection(db, sel, archive_base="https://copies.example/")
    sources = {s["url"]: s for s in json.loads(rendered.text)[0]["sources"]}
    assert sources[GONE]["archived_copy"] == "https://copies.example/2021-04-22/x.warc.gz#22"
    assert "archived_copy" not in sources[ALIVE] and "archived_copy" not in sources[FLAKY]


def test_a_link_that_comes_back_is_alive_again(db: sqlite_utils.Database) -> None:
    store.exports.record_link_check(db, ALIVE, False, "http_4xx", "HTTP 404")
    seed(db, ALIVE, "")
    with client() as c:
        check_links(db, c, [ALIVE])
    row = db.conn.execute(
        "SELECT ok, dead_since FROM link_checks WHERE url = ?", (ALIVE,)
    ).fetchone()
    assert row == (1, None)


@pytest.mark.parametrize(
    ("failure", "detail", "gone"),
    [(FailureClass.HTTP_4XX, "HTTP 404", True), (FailureClass.HTTP_4XX, "HTTP 410", True),
     (FailureClass.DNS, "", True), (FailureClass.HTTP_4XX, "HTTP 403", False),
     (FailureClass.TIMEOUT, "", False), (FailureClass.HTTP_5XX, "HTTP 503", False)],
)  # fmt: skip
def test_only_a_page_that_is_gone_counts_as_dead(
    failure: FailureClass, detail: str, gone: bool
) -> None:
    assert is_gone(FetchError("https://x.example/", failure, detail)) is gone
