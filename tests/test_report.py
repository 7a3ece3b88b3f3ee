"""The run report's numbers against a fixture run: new documents, failures by class, days since
the last new item with the overdue flag, and per policy the new candidates, auto-accepted links
and amendment proposals; stored in the database and written as Markdown, HTML and JSON."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
import zoneinfo
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from report_support import rich_report
from support import ROOT
from test_nightly import PAGES, Web, make_web, serve

from pipeline import store
from pipeline.config import load_config
from pipeline.report import build_report, to_html, to_markdown
from pipeline.reportview import report_view
from pipeline.store.reports import load_report

UTC = zoneinfo.ZoneInfo("UTC")


@pytest.fixture
def web(tmp_path: Path) -> Iterator[Web]:
    make_web(tmp_path / "web", PAGES)
    server = serve(tmp_path / "web", 0)
    w = Web(tmp_path, server)
    w.sitemap([*PAGES, "missing"])
    w.init()
    yield w
    server.shutdown()
    server.server_close()


def site(report: dict[str, object]) -> dict[str, object]:
    (entry,) = report["sources"]  # type: ignore[attr-defined]
    return entry  # type: ignore[no-any-return]


def test_report_numbers_of_a_fixture_run(web: Web) -> None:
    assert web.pipeline("run", "--no-backup").returncode == 1  # the missing page
    report = json.loads((web.db.parent / "reports" / "run-1.json").read_text(encoding="utf-8"))
    s = site(report)
    assert (s["id"], s["new_documents"], s["failures"]) == ("site", 3, {"http_4xx": 1})
    assert (s["days_since_new"], s["expect_items_within_days"], s["overdue"]) == (0, 3, False)
    (policy,) = report["policies"]
    urls = {key: [i["url"].rsplit("/", 1)[1] for i in policy[key]] for key in
            ("new_candidates", "auto_accepted", "amendments")}  # fmt: skip
    assert urls == {"new_candidates": ["nota"], "auto_accepted": ["ds-004", "modifica"],
                    "amendments": ["modifica"]}  # fmt: skip
    db = store.connect(web.db)
    assert load_report(db, 1) == report  # the same report is in the database
    # The JSON's shape is what monitors read: the templates changed nothing of it.
    assert set(report) == {"run", "sources", "policies"}
    assert set(report["run"]) == {"id", "started_at", "finished_at", "status", "stats"}
    assert set(s) == {"id", "name", "new_documents", "failures", "last_new_item", "days_since_new",
                      "expect_items_within_days", "overdue", "layout_changed"}  # fmt: skip
    assert set(policy) == {"id", "title", "new_candidates", "auto_accepted", "amendments", "counts"}


def test_a_silent_source_is_flagged_and_a_rerun_reports_nothing_new(web: Web) -> None:
    web.pipeline("run", "--no-backup")
    time.sleep(1.1)  # the store's clock counts seconds: runs a day apart never share one
    web.pipeline("run", "--no-backup")
    db = store.connect(web.db)
    config = load_config(web.config)
    later = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=10)
    report = build_report(db, 2, config, later)
    s = site(report)
    assert (s["new_documents"], s["days_since_new"], s["overdue"]) == (0, 10, True)
    assert report["policies"] == []
    markdown, html = to_markdown(report, UTC), to_html(report, UTC)
    assert "⚠ overdue" in markdown and 'class="overdue"' in html
    for said in ("last new document: 10 days ago", "(expected within 3 days)"):
        assert said in markdown
    assert "overdue: last new one 10 days ago" in html  # in the "Needs a look" list


def test_report_files_escape_scraped_titles(web: Web) -> None:
    page = ("<script>alert(1)</script> Decreto Supremo N° 004-2021-JUS", "25",
            "El Decreto Supremo N° 004-2021-JUS crea el Mecanismo intersectorial.")  # fmt: skip
    make_web(web.root, {"xss": page})
    web.sitemap(["xss"])
    web.pipeline("run", "--no-backup")
    html = (web.db.parent / "reports" / "latest.html").read_text(encoding="utf-8")
    assert "<script>" not in html


def test_report_html_links_only_http_urls() -> None:
    item = {"url": "javascript:alert(1)", "title": "t", "score": 0.5, "status": "pending",
            "reasons": []}  # fmt: skip
    report = {
        "run": {"id": 1, "status": "ok", "started_at": "", "finished_at": "", "stats": {}},
        "sources": [],
        "policies": [{"id": "p", "title": "P", "new_candidates": [item], "auto_accepted": [],
                      "amendments": [],
                      "counts": {"new_candidates": 1, "auto_accepted": 0, "amendments": 0}}],
    }  # fmt: skip
    html = to_html(report)
    assert "javascript:" not in html and '<li>t <span class="muted">score 50%</span></li>' in html
    assert "javascript:" not in to_markdown(report) and "- t — score 50%" in to_markdown(report)


def test_a_big_backfill_lists_the_strongest_and_counts_the_rest() -> None:
    from pipeline.report import REPORT_ITEMS, _policies
    from pipeline.store.reports import MatchRow

    rows = [MatchRow("p", "P", f"https://x.test/{i}", f"doc {i}", "pending", 0.9 - i / 1000, ())
            for i in range(REPORT_ITEMS + 10)]  # fmt: skip
    (policy,) = _policies(iter(rows), [])
    assert policy["counts"]["new_candidates"] == REPORT_ITEMS + 10
    assert len(policy["new_candidates"]) == REPORT_ITEMS
    assert policy["new_candidates"][0]["url"] == "https://x.test/0"
    report = {"run": {"id": 1, "status": "ok", "started_at": "", "finished_at": "", "stats": {}},
              "sources": [], "policies": [policy]}  # fmt: skip
    markdown = to_markdown(report)
    assert f"{REPORT_ITEMS + 10} new candidates, no links accepted automatically" in markdown
    assert f"New candidates for review (the {REPORT_ITEMS} strongest listed):" in markdown
    assert markdown.count("](https://x.test/") == REPORT_ITEMS


def test_a_layout_change_is_flagged_with_what_was_missing_and_escaped() -> None:
    said = "no key 'NotasMatutinas' in the response (https://x.example/<script>alert(1)</script>)"
    source = {"id": "dof", "name": "DOF", "new_documents": 0, "failures": {"layout_changed": 1},
              "last_new_item": None, "days_since_new": None, "expect_items_within_days": None,
              "overdue": False, "layout_changed": [said]}  # fmt: skip
    report = {
        "run": {"id": 1, "status": "partial", "started_at": "", "finished_at": "", "stats": {}},
        "sources": [source],
        "policies": [],
    }
    markdown, html = to_markdown(report), to_html(report)
    assert (
        "- **DOF** `dof`: no new documents; last new document: never; failures: 1 in a layout "
        "the platform's module no longer reads — ⚠ layout changed"
    ) in markdown
    assert "## Layout changed" in markdown and "no key 'NotasMatutinas'" in markdown
    assert '<h2 id="layout-changed">Layout changed</h2>' in html and "<script>" not in html
    assert "DOF (dof): its platform&#39;s layout changed" in html  # under "Needs a look"


# --- Issue 12: the report through the app's templates, in words ----------------------------


def visible_text(html: str) -> str:
    """What a reader sees of the page's main content: tags dropped, entities read, one line."""
    main = html.split('<main id="main">', 1)[1].split("</main>", 1)[0]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", main)).split())


def markdown_text(markdown: str) -> str:
    """The Markdown as read: escapes and entities undone, link targets dropped, one line."""
    text = re.sub(r"\]\([^)]*\)", "]", markdown).replace("[", "").replace("]", "")
    text = re.sub(r"\\(.)", r"\1", text).replace("&lt;", "<").replace("&amp;", "&")
    return " ".join(text.split())


def test_the_report_says_it_in_words_not_in_python() -> None:
    report = rich_report()
    for text in (visible_text(to_html(report, UTC)), markdown_text(to_markdown(report, UTC))):
        for said in ("Run 412: partial: 19 fetches failed",
                     "5 December 2026, 01:30 to 01:41 UTC (11 minutes)",
                     "4 sources run: 212 pages fetched", "2 pages put off",
                     "16 disallowed by robots.txt, 2 timed out",
                     "yesterday, 4 December 2026", "12 days ago, 23 November 2026",
                     "25 new candidates, 1 link accepted automatically, 1 amendment proposal",
                     "score 81%"):  # fmt: skip
            assert said in text
        for raw in ("{", "}", "'robots'", '"robots"', "http_4xx", "layout_changed", "2026-12-05T",
                    "None", "True", "False", "0.81"):  # fmt: skip
            assert raw not in text, raw


def test_html_and_markdown_say_the_same_thing() -> None:
    """One source of truth: every sentence the report's view holds is in both files, so neither
    template can drop a section or a figure the other keeps."""
    report = rich_report()
    view = report_view(report, UTC)
    html, markdown = visible_text(to_html(report, UTC)), markdown_text(to_markdown(report, UTC))
    said = [view.verdict, view.when, view.figures, view.drift, *view.attention]
    for s in view.sources:
        said += [s.name, s.id, s.new, s.last_new, s.expected, *s.failures, *s.layout_changed]
    for p in view.policies:
        said += [p.title, p.id, p.summary]
        for section in p.sections:
            said += [section.label, section.more]
            said += [x for i in section.items for x in (i.title, i.score, i.note)]
    for sentence in filter(None, said):
        flat = " ".join(sentence.split())
        assert flat in html, f"the HTML report lacks {flat!r}"
        assert flat in markdown, f"the Markdown report lacks {flat!r}"


def test_the_html_report_stands_alone_with_the_apps_stylesheet() -> None:
    html = to_html(rich_report(), UTC)
    css = (ROOT / "pipeline" / "review" / "static" / "review.css").read_text(encoding="utf-8")
    assert f"<style>\n{css}\n</style>" in html  # the file the app serves, not a copy of it
    assert "<link" not in html and "<script" not in html and " src=" not in html
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs and all(h == "#main" or h.startswith("https://") for h in hrefs), hrefs
    assert '<meta name="viewport"' in html and '<html lang="en">' in html


def test_times_are_told_in_the_servers_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIPELINE_TIMEZONE", "America/Lima")
    assert "4 December 2026, 20:30 to 20:41 -05 (11 minutes)" in to_markdown(rich_report())
    report = rich_report()  # the night summer time starts in Madrid: both zones are named
    report["run"].update(started_at="2026-03-29T00:30:00+00:00",
                         finished_at="2026-03-29T01:30:00+00:00")  # fmt: skip
    madrid = zoneinfo.ZoneInfo("Europe/Madrid")
    assert ("29 March 2026, 01:30 CET to 29 March 2026, 03:30 CEST (1 hour)"
            in to_markdown(report, madrid))  # fmt: skip


def test_the_markdown_report_escapes_what_pages_said() -> None:
    markdown = to_markdown(rich_report(), UTC)
    assert "<script>" not in markdown and "&lt;script>alert(1)&lt;/script>" in markdown
    assert "](javascript" not in markdown and "- Un enlace que no es web — score 70%" in markdown
    assert "(https://sidof.segob.gob.mx/&lt;b>x&lt;/b>)" in markdown
