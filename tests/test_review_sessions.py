"""Sessions and lockout (issue 13, item 6): a session cookie copied before logout still worked
after it; five failed logins from one address locked out every editor behind it for 15 minutes,
in memory only. Sessions are now server-side (logout, `users remove` and a password change end
them); the throttle counts (name, address) pairs with a higher per-address ceiling, in SQLite."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient
from test_review_support import seed

from pipeline import store
from pipeline.cli import cli
from pipeline.review.auth import LoginThrottle, set_password
from pipeline.review.web import WebSettings, create_app

ORIGIN = "http://127.0.0.1"
PASSWORD = "correct horse battery"
OFFICE, HOME = "10.20.0.7", "10.30.0.9"  # as a proxy would report them


@pytest.fixture
def app_db(tmp_path: Path) -> tuple[Path, sqlite_utils.Database]:
    path = tmp_path / "w.db"
    db = store.connect(path)
    seed(db)
    for name in ("ana", "ben"):
        set_password(db, name, PASSWORD)
    return path, db


def client(path: Path, address: str = OFFICE) -> TestClient:
    """A browser at `address`; a new app each time is a restarted server."""
    settings = WebSettings(path, "k" * 40, relink=lambda _db: 0)
    return TestClient(create_app(settings), base_url=ORIGIN, client=(address, 40000))


def csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found
    return found.group(1)


def attempt(browser: TestClient, name: str, password: str) -> int:
    page = browser.get("/login")
    data = {"csrf": csrf(page.text), "name": name, "password": password}
    return browser.post("/login", data=data, follow_redirects=False).status_code


def logged_in(browser: TestClient) -> bool:
    return browser.get("/", follow_redirects=False).status_code == 200


def users(path: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--db", str(path), "users", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def copy_of(browser: TestClient, path: Path, address: str = HOME) -> TestClient:
    thief = client(path, address)
    thief.cookies.set("review_session", browser.cookies["review_session"])
    return thief


def test_a_cookie_copied_before_logout_no_longer_works_after_it(app_db) -> None:  # type: ignore[no-untyped-def]
    path, _ = app_db
    browser = client(path)
    assert attempt(browser, "ana", PASSWORD) == 303 and logged_in(browser)
    thief = copy_of(browser, path)
    assert logged_in(thief)  # the same session, for now
    page = browser.get("/")
    browser.post("/logout", data={"csrf": csrf(page.text)})
    assert not logged_in(thief)
    assert not logged_in(browser)


def test_removing_an_editor_or_changing_a_password_ends_their_sessions(app_db) -> None:  # type: ignore[no-untyped-def]
    path, db = app_db
    ana, ben = client(path), client(path)
    assert attempt(ana, "ana", PASSWORD) == 303 and attempt(ben, "ben", PASSWORD) == 303
    assert "removed editor ben" in users(path, "remove", "ben")
    assert not logged_in(ben)
    assert logged_in(ana)
    set_password(db, "ana", "a brand new passphrase")
    assert not logged_in(ana)
    assert attempt(ana, "ana", "a brand new passphrase") == 303 and logged_in(ana)


def test_users_list_shows_names_dates_and_sessions_never_hashes(app_db) -> None:  # type: ignore[no-untyped-def]
    path, db = app_db
    assert attempt(client(path), "ana", PASSWORD) == 303
    out = users(path, "list")
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == ["ana", "ben"]
    assert "1 live session" in lines[0] and "last login 20" in lines[0]
    assert "last login never" in lines[1] and "0 live sessions" in lines[1]
    hashes = [h for (h,) in db.conn.execute("SELECT password_hash FROM users")]
    assert not any(h in out for h in hashes) and "argon2" not in out
    result = CliRunner().invoke(cli, ["--db", str(path), "users", "remove", "nobody"])
    assert result.exit_code != 0 and "no editor named 'nobody'" in str(result.exception)


def test_failures_lock_one_name_from_one_address_not_the_office(app_db) -> None:  # type: ignore[no-untyped-def]
    path, _ = app_db
    guesser = client(path)
    for _ in range(LoginThrottle.PAIR_LIMIT):
        assert attempt(guesser, "ana", "guess") == 401
    assert attempt(guesser, "ana", PASSWORD) == 429  # not even the right password, meanwhile
    assert attempt(client(path), "ben", PASSWORD) == 303  # a colleague behind the same address
    assert attempt(client(path, HOME), "ana", PASSWORD) == 303  # ana from elsewhere


def test_one_address_trying_every_name_meets_the_higher_ceiling(app_db) -> None:  # type: ignore[no-untyped-def]
    path, _ = app_db
    sweeper = client(path)
    for n in range(LoginThrottle.ADDRESS_LIMIT):
        assert attempt(sweeper, f"editor{n}", "guess") == 401
    assert attempt(client(path), "ben", PASSWORD) == 429
    assert attempt(client(path, HOME), "ben", PASSWORD) == 303


def test_the_lock_survives_a_restart_and_an_admin_can_clear_it(app_db) -> None:  # type: ignore[no-untyped-def]
    path, _ = app_db
    for _ in range(LoginThrottle.PAIR_LIMIT):
        attempt(client(path), "ana", "guess")
    assert attempt(client(path), "ana", PASSWORD) == 429  # a new app: a restarted server
    assert "cleared 0 failed logins of ana from 10.30.0.9" in users(
        path, "unlock", "ana", "--address", HOME
    )
    assert attempt(client(path), "ana", PASSWORD) == 429
    assert "cleared 5 failed logins of ana" in users(path, "unlock", "ana")
    assert attempt(client(path), "ana", PASSWORD) == 303
