"""The editors' desk in real headless Chromium, at a phone's width (390 px) and a laptop's
(1366 x 900): every page without horizontal overflow and without a serious or critical axe-core
violation, screenshots of each; the accept form and the decisive evidence above the fold; `a`
never publishes fields off screen; filters apply as they change without a reload; a re-link's
progress is followed live; a failed form keeps what was typed."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from review_server import Served
from test_review_support import seed, seed_gazette

from pipeline import store
from pipeline.review.auth import set_password
from pipeline.review.web import WebSettings, create_app

PASSWORD = "correct horse battery"
WIDTHS = {"phone": (390, 844), "laptop": (1366, 900)}


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[tuple[str, Path, list[int], threading.Event]]:
    path = tmp_path / "desk.db"
    db = store.connect(path)
    ids = seed(db)
    ids.append(seed_gazette(db))
    set_password(db, "ana", PASSWORD)
    release = threading.Event()

    def relink(_db: Any, progress: Any) -> int:  # a re-link long enough to be watched
        progress(0, 4)
        release.wait(20)
        progress(4, 4)
        return 4

    settings = WebSettings(path, "browser-test-key" * 3, relink=relink)
    with Served(create_app(settings)) as url:
        yield url, path, ids, release
    release.set()


def open_tab(browser: Any, size: tuple[int, int]) -> Any:
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    tab = context.new_page()
    tab.problems = []
    tab.on("console", lambda m: tab.problems.append(m.text) if m.type == "error" else None)
    return tab


def until(tab: Any, expression: str, timeout: float = 10.0) -> None:
    """Wait for a JavaScript condition. Playwright's wait_for_function evaluates a string with
    eval(), which the app's CSP rightly refuses; evaluate() goes through DevTools instead."""
    deadline = time.monotonic() + timeout
    while not tab.evaluate(expression):
        assert time.monotonic() < deadline, f"never true: {expression}"
        tab.wait_for_timeout(50)


def log_in(tab: Any, url: str) -> None:
    tab.goto(f"{url}/login")
    tab.fill("input[name=name]", "ana")
    tab.fill("input[name=password]", PASSWORD)
    tab.keyboard.press("Enter")
    tab.wait_for_selector("text=Signed in as")


def check(tab: Any, name: str, width: str, audit: Any, shot: Any, status: int = 200) -> None:
    """No horizontal overflow, no serious axe violation, no error in the console (but the page's
    own status, when it is an error page), and a screenshot to look at."""
    expected = f"the server responded with a status of {status}"
    assert [p for p in tab.problems if status == 200 or expected not in p] == [], name
    tab.problems.clear()
    wide = tab.evaluate("document.documentElement.scrollWidth")
    assert wide <= WIDTHS[width][0], f"{name} is {wide} px wide at {width} width"
    assert audit(tab) == [], name
    shot(tab, f"desk-{name}-{width}")


@pytest.mark.parametrize("width", list(WIDTHS))
def test_every_page_fits_the_screen_and_passes_axe(browser: Any, desk: Any, audit: Any,
                                                    shot: Any, width: str) -> None:  # fmt: skip
    url, _, ids, release = desk
    tab = open_tab(browser, WIDTHS[width])
    tab.goto(f"{url}/login")
    check(tab, "login", width, audit, shot)
    log_in(tab, url)
    pages = {
        "queue": "/",
        "queue-all": "/?status=all&sort=score",
        "match": f"/match/{ids[0]}",
        "match-gazette": f"/match/{ids[3]}?status=all",
        "policies": "/policies",
        "policy": "/policy/pe-mecanismo",
        "bulk-confirm": "/bulk?status=pending&action=reject&reason=not+about+this+policy",
    }
    for name, path in pages.items():
        tab.goto(url + path)
        check(tab, name, width, audit, shot)
    tab.goto(f"{url}/match/999")
    check(tab, "not-found", width, audit, shot, 404)
    tab.goto(f"{url}/?status=pending")
    tab.click("details.bulk summary")
    check(tab, "queue-bulk-form", width, audit, shot)
    tab.goto(f"{url}/match/{ids[0]}")  # a failed form, shown again
    tab.click("form.reject button[type=submit]")
    tab.wait_for_selector("#form-error")
    check(tab, "match-error", width, audit, shot, 400)
    tab.goto(f"{url}/policy/pe-other")  # an edit whose re-link is under way
    tab.fill("#p-aliases", "Protocolo para garantizar la protección")
    tab.click("form.edit-policy button[type=submit]")
    tab.wait_for_selector(".job.running")
    check(tab, "policy-relinking", width, audit, shot)
    release.set()
    assert tab.problems == []


def test_the_decision_is_above_the_fold_on_a_laptop(browser: Any, desk: Any, shot: Any) -> None:
    url, _, ids, _ = desk
    tab = open_tab(browser, WIDTHS["laptop"])
    log_in(tab, url)
    tab.goto(f"{url}/match/{ids[3]}?status=all")
    fold = 900 - tab.eval_on_selector("footer.keys", "e => e.getBoundingClientRect().height")
    for selector in ("#accept button.primary", "#f-title", "#f-snippet", "#f-source", "#f-date",
                     "ol.reasons li:first-child blockquote mark.own"):  # fmt: skip
        box = tab.eval_on_selector(selector, "e => e.getBoundingClientRect().bottom")
        assert box <= fold, f"{selector} is below the fold ({box} > {fold})"
    title = tab.eval_on_selector("#f-title", "e => [e.scrollHeight, e.clientHeight]")
    assert title[0] <= title[1] + 2, "the whole title shows in its field"
    tab.click("a.to-text")  # a reason's link scrolls to its words in the text
    until(tab, "location.hash.startsWith('#ev-')")
    target = tab.evaluate("document.querySelector(location.hash).getBoundingClientRect().top")
    assert 0 <= target <= 900
    shot(tab, "desk-reason-link-laptop")


def test_a_never_publishes_fields_off_screen(browser: Any, desk: Any, shot: Any) -> None:
    url, path, ids, _ = desk
    tab = open_tab(browser, WIDTHS["phone"])
    log_in(tab, url)
    tab.goto(f"{url}/match/{ids[3]}?status=all")
    tab.keyboard.press("a")  # the form is below the evidence on a phone: it comes into view
    tab.wait_for_timeout(400)
    assert re.search(rf"/match/{ids[3]}", tab.url)
    box = tab.eval_on_selector("#accept", "e => e.getBoundingClientRect()")
    assert box["top"] >= 0 and box["bottom"] <= 844
    assert store.connect(path).conn.execute("SELECT COUNT(*) FROM decisions").fetchone()[0] == 0
    shot(tab, "desk-accept-in-view-phone")
    assert "press a again" in tab.evaluate(
        "getComputedStyle(document.querySelector('#accept legend'), '::after').content"
    )
    tab.keyboard.press("a")  # seen now: the second press accepts
    tab.wait_for_selector(".flash")
    assert store.connect(path).conn.execute("SELECT COUNT(*) FROM decisions").fetchone()[0] == 1


def test_filters_apply_as_they_change_without_a_reload(browser: Any, desk: Any,
                                                       shot: Any) -> None:  # fmt: skip
    url, *_ = desk
    tab = open_tab(browser, WIDTHS["laptop"])
    log_in(tab, url)
    tab.goto(f"{url}/?status=all")
    tab.evaluate("window.sameDocument = true")
    assert tab.locator("a.row-link").count() == 4
    tab.click("input[name=q]")
    tab.keyboard.type("citado")
    until(tab, "document.querySelectorAll('a.row-link').length === 1")
    assert tab.evaluate("window.sameDocument") is True, "no reload"
    assert tab.evaluate("document.activeElement.name") == "q", "the search box keeps the focus"
    assert "q=citado" in tab.url
    tab.select_option("select[name=status]", "pending")
    until(tab, "location.search.includes('status=pending')")
    shot(tab, "desk-live-filter-laptop")
    assert tab.problems == []


def test_a_relinks_progress_is_followed_live(browser: Any, desk: Any) -> None:
    url, _, _, release = desk
    tab = open_tab(browser, WIDTHS["laptop"])
    log_in(tab, url)
    tab.goto(f"{url}/policy/pe-mecanismo")
    tab.fill("#p-aliases", "Mecanismo intersectorial")
    tab.click("form.edit-policy button[type=submit]")
    tab.wait_for_selector("text=Re-linking: 0 of 4 documents.")
    tab.evaluate("window.sameDocument = true")
    release.set()
    tab.wait_for_selector("text=Re-linked 4 documents")
    assert tab.evaluate("window.sameDocument") is True
    assert tab.eval_on_selector(".job progress", "e => e.value") == 4
