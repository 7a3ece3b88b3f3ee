"""The run report and the HTML exports in real headless Chromium, opened from disk as an editor
opens a mailed report: at a phone's width (390 px) and a laptop's (1366 x 900), no horizontal
overflow, no serious or critical axe-core violation, no request leaving the file, and a
screenshot of each in test-artifacts/screenshots/ (report-*, export-*)."""

from __future__ import annotations

import zoneinfo
from pathlib import Path
from typing import Any

import pytest
from report_support import rich_report
from test_exporters import AS_OF, BASE, DETAILS, ITEMS

from pipeline.export import export_links
from pipeline.report import to_html

WIDTHS = {"phone": (390, 844), "laptop": (1366, 900)}
UTC = zoneinfo.ZoneInfo("UTC")


def quiet_report() -> dict[str, Any]:
    """A night with nothing to say: the report must still read as a report."""
    report = rich_report()
    report["run"].update(status="ok", stats={"sources": 1, "links": 3, "unchanged": 3})
    report["sources"] = report["sources"][1:2]
    report["policies"] = []
    return report


def bare_page(fragment: str) -> str:
    """The fragment as an observatory page embeds it, without any of our styles."""
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Peru · Observatory</title></head><body><main><h1>Peru</h1><h2>Sources</h2>"
        f"{fragment}</main></body></html>"
    )


PAGES = {
    "report-run": lambda: to_html(rich_report(), UTC),
    "report-quiet": lambda: to_html(quiet_report(), UTC),
    "export-page": lambda: export_links(ITEMS, "html-page", AS_OF, DETAILS, BASE),
    "export-fragment": lambda: bare_page(export_links(ITEMS, "html", AS_OF, DETAILS, BASE)),
}


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("name", list(PAGES))
def test_reports_and_exports_read_on_a_phone_and_a_laptop(
    browser: Any, audit: Any, shot: Any, tmp_path: Path, name: str, width: str
) -> None:
    path = tmp_path / f"{name}.html"
    path.write_text(PAGES[name](), encoding="utf-8")
    size = WIDTHS[width]
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    tab = context.new_page()
    asked: list[str] = []
    tab.on("request", lambda r: asked.append(r.url))
    tab.goto(path.as_uri())
    wide = tab.evaluate("document.documentElement.scrollWidth")
    assert wide <= size[0], f"{name} is {wide} px wide at {width} width"
    assert audit(tab) == [], name
    assert asked == [path.as_uri()], f"{name} asked for more than itself: {asked}"
    shot(tab, f"{name}-{width}")
    context.close()


def test_the_report_shows_its_tables_as_cards_on_a_phone(browser: Any, tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_text(to_html(rich_report(), UTC), encoding="utf-8")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.goto(path.as_uri())
    assert tab.eval_on_selector("table.sources thead", "e => getComputedStyle(e).display") == "none"
    # Each cell says what it is, since the header row is gone.
    label = "e => getComputedStyle(e, '::before').content"
    assert tab.eval_on_selector("table.sources td[data-label]", label) == '"Last new document: "'
    context.close()
