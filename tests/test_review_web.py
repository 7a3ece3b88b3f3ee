"""The review web app over HTTP (Starlette's TestClient, no browser): login, CSRF, cross-site
and Host checks, GET never writes, conflicts, escaping of hostile scraped text, injection through
filters and sort keys (RELIABILITY.md 21, 22, 27-29)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlite_utils
from review_web_support import (
    ORIGIN,
    PASSWORD,
    TestClient,
    client_for,
    csrf,
    decisions_count,
    login,
    token,
    wait_for_job,
)
from test_review_support import XSS_TITLE, match_row, seed

from pipeline import store
from pipeline.review.auth import set_password


@pytest.fixture
def setup(tmp_path: Path) -> tuple[TestClient, sqlite_utils.Database, list[int], list[int]]:
    path = tmp_path / "w.db"
    db = store.connect(path)
    ids = seed(db)
    set_password(db, "ana", PASSWORD)
    set_password(db, "ben", PASSWORD)
    relinks: list[int] = []
    client = client_for(path, lambda _db, _progress: relinks.append(1) or 0)
    return client, db, ids, relinks


def test_every_page_needs_a_login(setup) -> None:  # type: ignore[no-untyped-def]
    client, db, ids, _ = setup
    for path in ("/", f"/match/{ids[0]}", "/policy/pe-mecanismo"):
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/login"
    before = decisions_count(db)
    r = client.post(f"/match/{ids[0]}", data={"action": "accept"}, follow_redirects=False)
    assert r.status_code == 403 and decisions_count(db) == before


def test_wrong_password_and_login_csrf(setup) -> None:  # type: ignore[no-untyped-def]
    client, *_ = setup
    page = client.get("/login")
    bad = client.post("/login", data={"csrf": csrf(page.text), "name": "ana", "password": "nope"})
    assert bad.status_code == 401 and "Wrong name or password" in bad.text
    forged = client.post("/login", data={"csrf": "forged", "name": "ana", "password": PASSWORD})
    assert forged.status_code == 403


def test_security_headers_on_every_response(setup) -> None:  # type: ignore[no-untyped-def]
    client, *_ = setup
    for path in ("/login", "/static/review.js", "/nowhere"):
        r = client.get(path)
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert r.headers["x-content-type-options"] == "nosniff"


def test_unknown_host_is_refused(setup) -> None:  # type: ignore[no-untyped-def]
    client, *_ = setup
    for host in ("evil.test", "127.0.0.1.evil.test", "localhost.evil.test:80"):
        r = client.get("/login", headers={"host": host})
        assert r.status_code == 400
    assert client.get("/login", headers={"host": "localhost:8750"}).status_code == 200


def test_posts_need_the_csrf_token_and_same_origin(setup) -> None:  # type: ignore[no-untyped-def]
    client, db, ids, _ = setup
    form_token = login(client)
    page = client.get(f"/match/{ids[0]}")
    data = {"action": "accept", "token": token(page.text), "csrf": form_token}
    for bad in ({"csrf": ""}, {"csrf": "x" * 43}):
        assert client.post(f"/match/{ids[0]}", data={**data, **bad}).status_code == 403
    for headers in (
        {"origin": "https://evil.test"},
        {"origin": "null"},
        {"sec-fetch-site": "cross-site"},
        {"sec-fetch-site": "same-site"},
    ):
        r = client.post(f"/match/{ids[0]}", data=data, headers=headers)
        assert r.status_code == 403, headers
    assert decisions_count(db) == 0
    ok = client.post(
        f"/match/{ids[0]}", data=data, headers={"origin": ORIGIN, "sec-fetch-site": "same-origin"}
    )
    assert ok.status_code == 200 and f"Accepted match {ids[0]}" in ok.text
    assert decisions_count(db) == 1


def test_get_never_writes(setup) -> None:  # type: ignore[no-untyped-def]
    client, db, ids, relinks = setup
    login(client)
    before = db.conn.execute("SELECT * FROM matches").fetchall()
    for path in (
        "/",
        "/?status=all",
        f"/match/{ids[0]}?action=accept",
        "/policy/pe-mecanismo",
        f"/match/{ids[0]}/archived",
        "/bulk?status=pending&action=reject&reason=not+about+this+policy",
        "/bulk?status=pending&action=accept",
        "/policies",
        "/jobs/1",
        "/logout",
        "/login",
    ):
        client.get(path)
    assert db.conn.execute("SELECT * FROM matches").fetchall() == before
    assert decisions_count(db) == 0 and relinks == []


def test_the_editor_comes_from_the_session_not_the_form(setup) -> None:  # type: ignore[no-untyped-def]
    client, db, ids, _ = setup
    form_token = login(client, "ana")
    page = client.get(f"/match/{ids[0]}")
    client.post(
        f"/match/{ids[0]}",
        data={
            "action": "accept",
            "token": token(page.text),
            "csrf": form_token,
            "editor": "mallory",
        },
    )
    assert db.conn.execute("SELECT editor FROM decisions").fetchall() == [("ana",)]


def test_two_editors_on_one_match_conflict_and_nothing_is_lost(setup, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    client, db, ids, _ = setup
    other = TestClient(client.app, base_url=ORIGIN)
    ana_csrf, ben_csrf = login(client, "ana"), login(other, "ben")
    seen = token(client.get(f"/match/{ids[1]}").text)
    assert token(other.get(f"/match/{ids[1]}").text) == seen
    first = client.post(
        f"/match/{ids[1]}",
        data={"action": "accept", "token": seen, "csrf": ana_csrf, "snippet": "ana's"},
    )
    assert first.status_code == 200
    second = other.post(
        f"/match/{ids[1]}",
        data={
            "action": "reject",
            "token": seen,
            "csrf": ben_csrf,
            "reason": "not about this policy",
        },
    )
    assert second.status_code == 409 and "Conflict:" in second.text and "reload" in second.text
    assert "ana" in second.text  # the history on the page shows what happened meanwhile
    third = other.post(
        f"/match/{ids[1]}",
        data={
            "action": "reject",
            "token": token(second.text),
            "csrf": ben_csrf,
            "reason": "not about this policy",
        },
    )
    assert third.status_code == 200
    rows = db.conn.execute("SELECT editor, status FROM decisions ORDER BY id").fetchall()
    assert rows == [("ana", "accepted"), ("ben", "rejected")]


def test_scraped_markup_renders_as_text(setup) -> None:  # type: ignore[no-untyped-def]
    client, db, ids, _ = setup
    login(client)
    db.conn.execute("UPDATE documents SET url = 'javascript:alert(3)' WHERE id = 3")
    for page in (client.get("/?status=all").text, client.get(f"/match/{ids[2]}").text):
        assert "<script>alert" not in page and "<img src=x" not in page
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
        assert 'href="javascript:' not in page
    assert "&lt;b&gt;con&lt;/b&gt;" in client.get(f"/match/{ids[2]}").text
    assert XSS_TITLE.startswith("<script>")


def test_norms_and_dates_are_highlighted_at_their_spans(setup) -> None:  # type: ignore[no-untyped-def]
    client, _, ids, _ = setup
    login(client)
    page = client.get(f"/match/{ids[0]}").text
    assert re.search(
        r'<mark class="own" title="[^"]*DS\|4\|2021\|JUS[^"]*">Decreto Supremo N° '
        r"004-2021-JUS</mark>",
        page,
    )


@pytest.mark.parametrize(
    "query",
    [
        "status=pending'--",
        "sort=score;DROP TABLE matches",
        "sort=m.id",
        "q=%25",
        "q=_",
        "country=PE' OR '1'='1",
        'policy=" OR 1=1',
        "page=-4",
        "page=abc",
        "source=%00",
    ],
)
def test_filters_and_sort_keys_cannot_inject(setup, query: str) -> None:  # type: ignore[no-untyped-def]
    client, db, _, _ = setup
    login(client)
    r = client.get(f"/?{query}")
    assert r.status_code == 200
    shown = len(re.findall(r'class="row-link"', r.text))
    assert shown <= 3
    if query.startswith(("q=", "country=", "policy=", "source=")):
        assert shown == 0
    assert db.conn.execute("SELECT COUNT(*) FROM matches").fetchone()[0] == 3


def test_queue_moves_to_the_next_match_and_offers_undo(setup) -> None:  # type: ignore[no-untyped-def]
    client, db, ids, _ = setup
    form_token = login(client)
    page = client.get(f"/match/{ids[0]}")
    r = client.post(
        f"/match/{ids[0]}",
        data={
            "action": "accept",
            "token": token(page.text),
            "csrf": form_token,
            "queue": "status=pending",
        },
    )
    assert str(r.url).endswith(f"/match/{ids[1]}")  # the queue's next match
    undo_token = re.search(r'name="token" value="([^"]+)"', r.text.split('class="flash"')[1])
    assert undo_token
    undone = client.post(
        f"/match/{ids[0]}",
        data={"action": "undo", "csrf": form_token, "token": undo_token.group(1)},
    )
    assert undone.status_code == 200 and match_row(db, ids[0])["status"] == "pending"


def test_reassign_and_policy_edit_relinks(setup) -> None:  # type: ignore[no-untyped-def]
    client, db, ids, relinks = setup
    form_token = login(client)
    page = client.get(f"/match/{ids[0]}")
    client.post(
        f"/match/{ids[0]}",
        data={
            "action": "reassign",
            "policy": "pe-other",
            "token": token(page.text),
            "csrf": form_token,
        },
    )
    assert db.conn.execute(
        "SELECT status FROM matches WHERE policy_id = 'pe-other'"
    ).fetchall() == [("accepted",)]
    r = client.post(
        "/policy/pe-mecanismo",
        data={
            "csrf": form_token,
            "aliases": "Mecanismo intersectorial\nNew alias",
            "norms": "DS|4|2021|JUS\nResolución Ministerial N° 159-2019-JUS",
        },
    )
    assert r.status_code == 200 and "being re-linked" in r.text
    wait_for_job(db)
    assert relinks == [1]
    aliases = db.conn.execute("SELECT alias FROM policy_aliases WHERE policy_id = 'pe-mecanismo'")
    assert ("New alias",) in aliases.fetchall()
    keys = db.conn.execute("SELECT norm_key FROM policy_norms WHERE policy_id = 'pe-mecanismo'")
    assert ("RM|159|2019|JUS",) in keys.fetchall()
    bad = client.post(
        "/policy/pe-mecanismo", data={"csrf": form_token, "aliases": "x", "norms": "not a norm"}
    )
    assert bad.status_code == 400 and "cannot read one norm" in bad.text and relinks == [1]


def test_missing_things_are_404_pages(setup) -> None:  # type: ignore[no-untyped-def]
    client, *_ = setup
    login(client)
    assert client.get("/match/999").status_code == 404
    assert client.get("/policy/nope").status_code == 404
    assert client.get("/match/1/archived").status_code == 404


def test_amendment_proposals_are_shown_and_closed_by_an_editor(setup) -> None:  # type: ignore[no-untyped-def]
    from pipeline.models import Proposal, RelationVerb

    client, db, ids, _ = setup
    doc = db.conn.execute("SELECT document_id FROM matches WHERE id = ?", (ids[0],)).fetchone()[0]
    evidence = "Decreto Supremo que modifica el <b>Decreto Supremo</b> N° 004-2021-JUS"
    amendment = Proposal("pe-mecanismo", "amendment", "DS|2|2022|JUS", RelationVerb.MODIFIES,
                         "DS|4|2021|JUS", evidence)  # fmt: skip
    store.save_proposals(db, doc, [amendment])
    form_token = login(client)
    page = client.get("/policy/pe-mecanismo")
    assert "Decreto Supremo N° 002-2022-JUS modifies Decreto Supremo N° 004-2021-JUS" in page.text
    assert "&lt;b&gt;Decreto Supremo&lt;/b&gt;" in page.text, "scraped evidence is escaped"
    (open_one,) = store.list_proposals(db, "pe-mecanismo")
    path = f"/policy/pe-mecanismo/proposal/{open_one.id}"
    assert client.get(path).status_code == 405, "GET never closes a proposal"
    assert client.post(path, data={"action": "done"}).status_code == 403, "no CSRF token"
    r = client.post(path, data={"action": "done", "csrf": form_token})
    assert r.status_code == 200 and "marked done" in r.text
    assert store.list_proposals(db, "pe-mecanismo") == []
    again = client.post(path, data={"action": "done", "csrf": form_token})
    assert again.status_code == 404


def test_repeated_failed_logins_are_throttled(setup) -> None:  # type: ignore[no-untyped-def]
    client, *_ = setup
    page = client.get("/login")
    token = csrf(page.text)
    for _ in range(5):
        r = client.post("/login", data={"csrf": token, "name": "ana", "password": "guess"})
        assert r.status_code == 401
    blocked = client.post("/login", data={"csrf": token, "name": "ana", "password": PASSWORD})
    assert blocked.status_code == 429 and "Too many failed logins" in blocked.text
    assert "Signed in" not in blocked.text, "not even the right password gets in meanwhile"


def test_the_throttle_window_slides(db: sqlite_utils.Database) -> None:
    from pipeline.review.auth import LoginThrottle

    now = [1_000_000.0]
    throttle = LoginThrottle(clock=lambda: now[0])
    for _ in range(LoginThrottle.PAIR_LIMIT):
        throttle.failed(db, "ana", "10.1.1.1")
    assert throttle.blocked_for(db, "Ana", "10.1.1.1") > 0
    assert throttle.blocked_for(db, "ben", "10.1.1.1") == 0
    now[0] += LoginThrottle.WINDOW + 1
    assert throttle.blocked_for(db, "ana", "10.1.1.1") == 0


def test_the_match_page_offers_the_draft_as_a_suggestion(setup) -> None:  # type: ignore[no-untyped-def]
    client, _db, ids, _ = setup
    login(client)
    page = client.get(f"/match/{ids[0]}")
    draft = (
        "Peru adopted Supreme Decree No. 004-2021-JUS (Ministerio de Justicia y Derechos Humanos)."
    )
    assert f'<blockquote class="draft-text" id="draft-text" lang="en">{draft}</blockquote>' in (
        page.text
    )
    assert 'data-fill="snippet"' in page.text and "from grammar: “JUS”" in page.text
    # the snippet field keeps the extracted snippet: the draft is published only when taken
    assert f">{draft}</textarea>" not in page.text
    # the observatory's language is the app's setting
    other = client_for(client.app.state.settings.db_path, language="es")
    login(other)
    assert (
        "Perú adoptó la norma Decreto Supremo N° 004-2021-JUS" in other.get(f"/match/{ids[0]}").text
    )
