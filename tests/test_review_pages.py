"""The editors' desk over HTTP (no browser): the match page leads with the evidence, marked at
its spans and linked from each reason; forms keep what was typed on an error and clear a field
only when told; the policies list and the header's links; history in plain words and local
time; keyboard hints only where the keys work; progress."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner
from review_web_support import TestClient, client_for, decisions_count, desk_for, login, token
from test_review_support import REGISTRY, match_row

from pipeline.cli import cli


@pytest.fixture
def desk(tmp_path: Path) -> tuple[TestClient, sqlite_utils.Database, list[int], Path]:
    return desk_for(tmp_path / "d.db")


def marks(page: str, kind: str) -> list[str]:
    return [
        html.unescape(m) for m in re.findall(rf'<mark class="{kind}"[^>]*>([^<]*)</mark>', page)
    ]


def test_the_evidence_is_marked_three_ways_and_each_reason_links_to_it(desk) -> None:  # type: ignore[no-untyped-def]
    client, _, ids, _ = desk
    login(client)
    page = client.get(f"/match/{ids[-1]}").text
    text = page.split('<div class="text"', 1)[1].split("</div>", 1)[0]
    assert marks(text, "own") == ["R.M. N° 0255-2020-JUS"]  # the entry's own norm
    assert sorted(marks(text, "other")) == ["R.M. N° 241-2020-PCM", "R.S. N° 143-2020-JUS"]
    assert marks(text, "alias") == [REGISTRY]  # the name the reasons cite
    for kind, label in (("own", "this entry's norm"), ("alias", "the entry's name"),
                        ("other", "another norm")):  # fmt: skip
        assert re.search(
            rf'<ul class="legend".*<mark class="{kind}">{label}', html.unescape(page), re.S
        )
    targets = re.findall(r'<a href="#(ev-\d+)" class="to-text">', page)
    assert len(targets) == 2  # the norm reason and the name reason
    for target in targets:
        assert f'id="{target}"' in text, f"#{target} points nowhere"
    assert page.index('class="reasons"') < page.index('id="accept"') < page.index('class="text"')


def test_the_scraped_text_carries_its_language_and_the_page_english(desk) -> None:  # type: ignore[no-untyped-def]
    client, _, ids, _ = desk
    login(client)
    page = client.get(f"/match/{ids[-1]}").text
    assert '<html lang="en">' in page
    assert '<div class="text" lang="es">' in page and '<h1 class="doc-title" lang="es">' in page
    assert re.search(r'<blockquote class="excerpt" lang="es">', page)
    assert re.search(r'class="row-link" href="[^"]+" lang="es">', client.get("/").text)


def test_reject_without_a_reason_shows_the_same_page_as_typed(desk) -> None:  # type: ignore[no-untyped-def]
    client, db, ids, _ = desk
    form_token = login(client)
    page = client.get(f"/match/{ids[0]}").text
    data = {"action": "reject", "token": token(page), "csrf": form_token, "reason_other": "",
            "reject_note": "seen twice"}  # fmt: skip
    r = client.post(f"/match/{ids[0]}", data=data)
    assert r.status_code == 400 and decisions_count(db) == 0
    assert "a rejection needs a reason" in r.text and 'role="alert"' in r.text
    assert "Decreto Supremo N° 004-2021-JUS crea el Mecanismo</h1>" in r.text  # not the URL
    assert "<span>Gazette</span>" in r.text.split("</h1>")[1].split("</p>")[0]  # its source
    assert 'name="reject_note" maxlength="1000" value="seen twice"' in r.text
    assert ">Decreto Supremo N° 004-2021-JUS crea el Mecanismo</textarea>" in r.text  # accept form


def test_an_accept_error_keeps_every_field_as_typed(desk) -> None:  # type: ignore[no-untyped-def]
    client, db, ids, _ = desk
    form_token = login(client)
    page = client.get(f"/match/{ids[0]}").text
    data = {"action": "accept", "token": token(page), "csrf": form_token, "title": "My title",
            "snippet": "My snippet", "date": "2021-02-30", "source_name": "Gazette",
            "note": "checked"}  # fmt: skip
    r = client.post(f"/match/{ids[0]}", data=data)
    assert r.status_code == 400 and "the date must be" in r.text and decisions_count(db) == 0
    for typed in (">My title</textarea>", ">My snippet</textarea>", 'value="2021-02-30"',
                  'value="checked"'):  # fmt: skip
        assert typed in r.text, typed


def test_a_field_is_published_empty_only_when_the_editor_says_so(desk) -> None:  # type: ignore[no-untyped-def]
    client, db, ids, path = desk
    form_token = login(client)
    page = client.get(f"/match/{ids[0]}").text
    base = {"action": "accept", "token": token(page), "csrf": form_token, "title": "T",
            "source_name": "Gazette", "date": "2021-04-22"}  # fmt: skip
    emptied = client.post(f"/match/{ids[0]}", data={**base, "snippet": ""})
    assert emptied.status_code == 400 and "publish without a snippet" in emptied.text
    assert decisions_count(db) == 0
    cleared = client.post(f"/match/{ids[0]}", data={**base, "snippet": "", "clear_snippet": "1"})
    assert cleared.status_code == 200 and match_row(db, ids[0])["status"] == "accepted"
    out = CliRunner().invoke(
        cli, ["--db", str(path), "export", "--format", "json", "--policy", "pe-mecanismo"]
    )
    (source,) = [s for p in json.loads(out.output) for s in p["sources"]]
    assert source["summary"] == "" and source["title"] == "T"
    title = client.post(f"/match/{ids[1]}", data={**base, "token": token(client.get(
        f"/match/{ids[1]}").text), "title": " ", "snippet": "x"})  # fmt: skip
    assert title.status_code == 400 and "title cannot be empty" in title.text


def test_the_header_links_the_policies_list_on_every_page(desk) -> None:  # type: ignore[no-untyped-def]
    client, _, ids, _ = desk
    login(client)
    for path in ("/", "/policies", f"/match/{ids[0]}", "/policy/pe-mecanismo", "/match/999",
                 "/?status=pending&action=reject&reason=x"):  # fmt: skip
        page = client.get(path).text
        nav = page.split('<nav aria-label="Main">', 1)[1].split("</nav>", 1)[0]
        assert '<a href="/policies">Policies</a>' in nav and '<a href="/">Queue</a>' in nav, path


def test_the_policies_list_counts_each_entry_by_status(desk) -> None:  # type: ignore[no-untyped-def]
    client, _, ids, _ = desk
    form_token = login(client)
    page = client.get(f"/match/{ids[0]}").text
    client.post(f"/match/{ids[0]}", data={"action": "reject", "token": token(page),
                "csrf": form_token, "reason": "not about this policy"})  # fmt: skip
    listed = client.get("/policies").text
    row = listed.split('href="/policy/pe-mecanismo"', 1)[1].split("</tr>", 1)[0]
    cells = re.findall(r'data-label="(\w+)">(?:<a [^>]+>)?(\d+)', row)
    assert dict(cells) == {"pending": "2", "accepted": "0", "auto": "0", "rejected": "1",
                           "stale": "0"}  # fmt: skip
    assert "Registry" in listed and "Other protocol" in listed
    only = client.get("/policies?q=registry").text
    assert "Registry" in only and "Other protocol" not in only


def test_history_reads_in_plain_words_local_time_and_shows_undo_as_undo(desk) -> None:  # type: ignore[no-untyped-def]
    client, _, ids, _ = desk
    form_token = login(client)
    page = client.get(f"/match/{ids[0]}").text
    client.post(f"/match/{ids[0]}", data={"action": "accept", "token": token(page),
                "csrf": form_token})  # fmt: skip
    page = client.get(f"/match/{ids[0]}").text
    client.post(f"/match/{ids[0]}", data={"action": "undo", "token": token(page),
                "csrf": form_token})  # fmt: skip
    client.cookies.set("tz", "America%2FLima")  # as the page's script writes it
    shown = client.get(f"/match/{ids[0]}").text
    history = shown.split('<ol class="history">', 1)[1].split("</ol>", 1)[0]
    assert re.search(r"undid ana&#39;s acceptance of \d+ \w+ \d{4}, \d\d:\d\d -05;"
                     r" back to the linker&#39;s proposal", history)  # fmt: skip
    assert "pending</span>" not in history and "decision " not in history
    assert re.search(r'<time datetime="[^"]+\+00:00">\d+ \w+ \d{4}, \d\d:\d\d -05</time>', history)
    client.cookies.set("tz", "../../etc/passwd")  # not a zone: the server's own is used
    assert client.get(f"/match/{ids[0]}").status_code == 200


def test_keyboard_hints_appear_only_where_the_keys_work(desk) -> None:  # type: ignore[no-untyped-def]
    client, _, ids, _ = desk
    login(client)

    def keys(path: str) -> list[str]:
        page = client.get(path).text
        footer = page.split('<footer class="keys"', 1)[1] if '<footer class="keys"' in page else ""
        return re.findall(r"<kbd>(\w+)</kbd>", footer)

    assert keys(f"/match/{ids[0]}") == ["a", "r", "s", "u", "j", "k"]
    assert keys("/") == ["j", "k", "Enter"]
    assert keys("/policy/pe-mecanismo") == [] and keys("/policies") == []


def test_progress_counts_todays_decisions_and_what_is_left(desk) -> None:  # type: ignore[no-untyped-def]
    client, _, ids, _ = desk
    form_token = login(client)
    other = client_for(desk[3])
    ben_token = login(other, "ben")
    for who, csrf_token, match_id in ((client, form_token, ids[0]), (other, ben_token, ids[1])):
        page = who.get(f"/match/{match_id}").text
        who.post(f"/match/{match_id}", data={"action": "accept", "token": token(page),
                 "csrf": csrf_token})  # fmt: skip
    progress = client.get("/").text.split('<p class="progress"', 1)[1].split("</p>", 1)[0]
    assert re.sub(r"<[^>]+>", "", progress).endswith("2 decided today (1 by you), 1 left"), progress
