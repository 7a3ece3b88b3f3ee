"""Helpers for the web app's tests (no tests here): an app over a seeded database, a logged-in
client, the tokens its pages carry, and waiting for the background job runner."""

from __future__ import annotations

import re
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import sqlite_utils

with warnings.catch_warnings():  # Starlette 1.x nudges towards httpx2; httpx is what we have
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from pipeline.review.web import WebSettings, create_app

ORIGIN = "http://127.0.0.1"
PASSWORD = "correct horse battery"


def client_for(
    path: Path, relink: Callable[..., int] | None = None, language: str = "en"
) -> TestClient:
    settings = WebSettings(
        path, "k" * 40, relink=relink or (lambda _db, _progress: 0), language=language
    )
    return TestClient(create_app(settings), base_url=ORIGIN)


def csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "page has no CSRF field"
    return found.group(1)


def token(html: str) -> str:
    found = re.search(r'name="token" value="([^"]+)"', html)
    assert found
    return found.group(1)


def login(client: TestClient, name: str = "ana", password: str = PASSWORD) -> str:
    page = client.get("/login")
    r = client.post("/login", data={"csrf": csrf(page.text), "name": name, "password": password})
    assert r.status_code == 200 and f"Signed in as <strong>{name}" in r.text, r.text[:300]
    return csrf(r.text)


def wait_for_job(db: sqlite_utils.Database, timeout: float = 10.0) -> str:
    """The last job's state once it has finished (the app's runner works in a thread)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = db.conn.execute("SELECT state FROM jobs ORDER BY id DESC LIMIT 1").fetchone()
        if state and state[0] in ("done", "failed"):
            return str(state[0])
        time.sleep(0.02)
    raise AssertionError("the job did not finish")


def decisions_count(db: sqlite_utils.Database) -> int:
    return int(db.conn.execute("SELECT COUNT(*) FROM decisions").fetchone()[0])


def desk_for(path: Path) -> tuple[TestClient, sqlite_utils.Database, list[int], Path]:
    """A client over a database with the review seed, the linked gazette summary and two
    editors (ana, ben): (client, db, match ids, path)."""
    from test_review_support import seed, seed_gazette

    from pipeline import store
    from pipeline.review.auth import set_password

    db = store.connect(path)
    ids = seed(db)
    ids.append(seed_gazette(db))
    for name in ("ana", "ben"):
        set_password(db, name, PASSWORD)
    return client_for(path), db, ids, path
