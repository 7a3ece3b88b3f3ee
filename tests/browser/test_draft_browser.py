"""The editors' draft in real Chromium: "Use as snippet" fills the snippet field (the page's own
script, under its CSP), the editor finishes it, and the accepted text is what the export shows.
Screenshots of the match page at 1366 and 390 px go to test-artifacts/screenshots/."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from test_review_browser import app_url, log_in, page  # noqa: F401 - fixtures

from pipeline.cli import cli

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
DRAFT = "Peru adopted Supreme Decree No. 004-2021-JUS (Ministerio de Justicia y Derechos Humanos)."


def test_use_as_snippet_then_accept(page: Any, app_url: tuple[str, Path, list[int]]) -> None:  # noqa: F811
    url, path, ids = app_url
    log_in(page, url)
    page.goto(f"{url}/match/{ids[0]}")
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"draft-match-{width}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        draft_box = page.locator("section.draft").bounding_box()
        assert draft_box["x"] + draft_box["width"] <= width + overflow + 1
    page.set_viewport_size({"width": 1366, "height": 900})
    page.click("button.use-draft")
    field = page.locator("textarea[name=snippet]")
    assert field.input_value() == DRAFT
    field.fill(DRAFT[:-1] + ", creating the Intersectoral Mechanism.")  # the editor finishes it
    page.click("form.accept button[type=submit]")
    page.wait_for_selector("text=Accepted match")
    assert not page.problems, page.problems
    out = CliRunner().invoke(cli, ["--db", str(path), "export", "--format", "json"]).output
    snippets = [s["summary"] for p in json.loads(out) for s in p["sources"]]
    assert DRAFT[:-1] + ", creating the Intersectoral Mechanism." in snippets
