"""The review app in real headless Chromium: log in, review a queue with the keyboard (accept,
reject, undo), edit a snippet and find it in the export, hostile titles rendered as text, and no
page breaking its own Content-Security-Policy. Screenshots go to test-artifacts/screenshots/."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from review_server import Served
from test_review_support import XSS_TITLE, match_row, seed

from pipeline import store
from pipeline.cli import cli
from pipeline.review.auth import set_password
from pipeline.review.web import WebSettings, create_app

PASSWORD = "correct horse battery"


@pytest.fixture
def app_url(tmp_path: Path) -> Iterator[tuple[str, Path, list[int]]]:
    path = tmp_path / "b.db"
    db = store.connect(path)
    ids = seed(db)
    set_password(db, "ana", PASSWORD)
    settings = WebSettings(path, "browser-test-key" * 3, relink=lambda _db, _progress: 0)
    with Served(create_app(settings)) as url:
        yield url, path, ids


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    problems: list[str] = []
    tab.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    tab.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    tab.problems = problems
    yield tab
    context.close()


def log_in(page: Any, url: str, shot: Any = None) -> None:
    page.goto(f"{url}/login")
    if shot:
        shot(page, "01-login")
    page.fill("input[name=name]", "ana")
    page.fill("input[name=password]", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Signed in as")


def status(path: Path, match_id: int) -> str:
    return str(match_row(store.connect(path), match_id)["status"])


def test_keyboard_review_of_the_queue(page: Any, app_url: Any, shot: Any) -> None:
    url, path, ids = app_url
    log_in(page, url, shot)
    assert page.locator("a.row-link").count() == 3
    keys = page.locator("footer.keys").inner_text()  # the shortcuts that work here are on screen
    assert "next row" in keys and "accept" not in keys
    page.keyboard.press("j")
    shot(page, "02-queue")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/match/{ids[0]}")
    page.wait_for_selector("mark.own")
    shot(page, "03-match")
    page.keyboard.press("a")  # accept: the next match of the queue opens
    page.wait_for_url(f"**/match/{ids[1]}")
    assert f"Accepted match {ids[0]}" in page.locator(".flash").inner_text()
    assert status(path, ids[0]) == "accepted"
    page.keyboard.press("r")  # reject: focus the reasons, pick one, Enter
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/match/{ids[2]}")
    assert status(path, ids[1]) == "rejected"
    shot(page, "04-after-reject")
    page.keyboard.press("u")  # undo what was just decided, from the message's button
    page.wait_for_url(f"**/match/{ids[1]}")
    assert status(path, ids[1]) == "pending"
    page.keyboard.press("s")  # skip moves on without deciding
    page.wait_for_url(f"**/match/{ids[2]}")
    page.keyboard.press("k")
    page.wait_for_url(f"**/match/{ids[1]}")
    assert page.problems == []


def test_an_edited_snippet_is_exported(page: Any, app_url: Any, shot: Any) -> None:
    url, path, ids = app_url
    log_in(page, url)
    page.goto(f"{url}/match/{ids[0]}")
    page.fill("textarea[name=snippet]", "The decree creating the Mechanism, in one line.")
    shot(page, "05-editing")
    page.click("button[data-key=a]")
    page.wait_for_selector(".flash")
    result = CliRunner().invoke(cli, ["--db", str(path), "export", "--format", "json"])
    assert result.exit_code == 0, result.output
    summaries = [s["summary"] for p in json.loads(result.output) for s in p["sources"]]
    assert "The decree creating the Mechanism, in one line." in summaries
    page.goto(f"{url}/policy/pe-mecanismo")
    assert "ana" in page.locator("ol.history").inner_text()
    shot(page, "06-policy")
    assert page.problems == []


def test_a_hostile_title_renders_as_text(page: Any, app_url: Any, shot: Any) -> None:
    url, _, ids = app_url
    log_in(page, url)
    page.goto(f"{url}/match/{ids[2]}")
    assert page.locator("h1.doc-title").inner_text() == XSS_TITLE
    assert page.locator("main script, main img").count() == 0
    shot(page, "07-hostile-title")
    page.goto(f"{url}/?status=all")
    assert XSS_TITLE in page.locator("table.queue").inner_text()
    assert page.problems == []  # no alert() ran, no CSP violation
