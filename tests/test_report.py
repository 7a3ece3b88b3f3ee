"""The run report's numbers against a fixture run: new documents, failures by class, days since
the last new item with the overdue flag, and per policy the new candidates, auto-accepted links
and amendment proposals; stored in the database and written as Markdown, HTML and JSON."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_nightly import PAGES, Web, make_web, serve

from pipeline import store
from pipeline.config import load_config
from pipeline.report import build_report, to_html, to_markdown
from pipeline.store.reports import load_report


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
    assert "⚠ overdue" in to_markdown(report) and 'class="overdue"' in to_html(report)


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
    assert "javascript:" not in html and "<li>t 0.5</li>" in html


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
    assert (
        f"new candidates for review: {REPORT_ITEMS + 10} (the {REPORT_ITEMS} strongest listed)"
        in (to_markdown(report))
    )


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
    assert "| dof | 0 | 1 layout_changed | never ⚠ layout changed |" in markdown
    assert "## Layout changed" in markdown and "no key 'NotasMatutinas'" in markdown
    assert "<h2>Layout changed</h2>" in html and "<script>" not in html
