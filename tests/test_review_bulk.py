"""Bulk decisions, search and filters of the queue: one reason for every match a filter shows
(confirmation first, one undo after, nothing written when a match changed meanwhile), full-text
search that no FTS syntax can break, score and page-kind filters, sources by name; and the same
from the command line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner, Result
from review_web_support import TestClient, decisions_count, desk_for, login, token
from test_review_support import match_row

from pipeline.cli import cli
from pipeline.errors import InputError
from pipeline.store.queue import QueueFilter, fts_query, list_queue


@pytest.fixture
def desk(tmp_path: Path) -> tuple[TestClient, sqlite_utils.Database, list[int], Path]:
    return desk_for(tmp_path / "b.db")


def shown(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'class="row-link" href="/match/(\d+)', page)]


def statuses(db: sqlite_utils.Database, ids: list[int]) -> list[str]:
    return [str(match_row(db, i)["status"]) for i in ids]


def test_bulk_reject_confirms_first_records_one_batch_and_undoes_in_one_step(desk) -> None:  # type: ignore[no-untyped-def]
    client, db, ids, _ = desk
    form_token = login(client)
    query = {
        "status": "pending",
        "max": "65",
        "action": "reject",
        "reason": "duplicate of another source",
    }
    confirm = client.get("/bulk", params=query)
    assert confirm.status_code == 200 and decisions_count(db) == 0, "the preview writes nothing"
    assert "Reject these 2 matches?" in confirm.text and "score 0–65%" in confirm.text
    state = re.search(r'name="state" value="([^"]+)"', confirm.text).group(1)  # type: ignore[union-attr]
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', confirm.text))
    done = client.post("/bulk", data={**fields, "state": state, "csrf": form_token})
    assert done.status_code == 200 and "Rejected 2 matches" in done.text
    assert statuses(db, ids[:3]) == ["rejected", "rejected", "pending"]
    batch = db.conn.execute("SELECT DISTINCT batch_id, reason FROM decisions").fetchall()
    assert len(batch) == 1 and batch[0][1] == "duplicate of another source"
    history = client.get(f"/match/{ids[0]}").text
    assert "one of many: pending, score 0–65%" in history
    undo = re.search(r'<form method="post" action="(/bulk/\d+/undo)"', done.text).group(1)  # type: ignore[union-attr]
    undone = client.post(undo, data={"csrf": form_token})
    assert "Undid 2 decisions" in undone.text and statuses(db, ids[:2]) == ["pending", "pending"]
    assert decisions_count(db) == 4, "append-only: the rejections stay in the history"
    again = client.post(undo, data={"csrf": form_token})
    assert again.status_code == 400 and "already undone" in again.text


def test_a_match_decided_after_the_confirmation_stops_the_whole_batch(desk) -> None:  # type: ignore[no-untyped-def]
    client, db, ids, _ = desk
    form_token = login(client)
    confirm = client.get("/bulk", params={"status": "pending", "action": "reject",
                                          "reason": "not about this policy"})  # fmt: skip
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', confirm.text))
    page = client.get(f"/match/{ids[1]}").text
    client.post(f"/match/{ids[1]}", data={"action": "accept", "token": token(page),
                "csrf": form_token})  # fmt: skip
    r = client.post("/bulk", data={**fields, "csrf": form_token})
    assert r.status_code == 409 and "nothing was saved" in r.text
    assert statuses(db, ids[:3]) == ["pending", "accepted", "pending"]
    assert "Reject these 2 matches?" in r.text, "the list as it is now"


def test_a_bulk_form_error_shows_the_queue_with_the_form_as_typed(desk) -> None:  # type: ignore[no-untyped-def]
    client, db, _, _ = desk
    login(client)
    r = client.get("/bulk", params={"status": "pending", "action": "reject", "note": "spam run"})
    assert r.status_code == 400 and decisions_count(db) == 0
    assert "Nothing decided:" in r.text and "a rejection needs a reason" in r.text
    assert '<details class="bulk" open>' in r.text and 'value="spam run"' in r.text
    assert len(shown(r.text)) == 3, "the queue is still there"


def test_search_reads_the_documents_text_and_no_query_syntax_breaks_it(desk) -> None:  # type: ignore[no-untyped-def]
    client, db, ids, _ = desk
    login(client)
    assert shown(client.get("/?status=all&q=citado").text) == [ids[1]]  # only in the text
    assert shown(client.get("/?status=all&q=proteccion+intersectorial").text) == [ids[0]]
    assert shown(client.get("/?status=all&q=004-2021-JUS").text) != []
    assert shown(client.get("/?status=all&q=extradic").text) == [ids[3]]  # a word begun
    for hostile in ('"', "*", "NEAR(a b)", "a OR", "-x", "title:x", "^", "((", "'; DROP", "\\"):
        r = client.get("/", params={"status": "all", "q": hostile})
        assert r.status_code == 200, hostile
    assert db.conn.execute("SELECT COUNT(*) FROM matches").fetchone()[0] == 4
    assert fts_query('a" OR b* NEAR(c') == '"a" "OR" "b" "NEAR c"*'
    assert fts_query("¿?") == ""


def test_score_kind_and_source_filters(desk) -> None:  # type: ignore[no-untyped-def]
    client, deskdb, ids, _ = desk
    login(client)
    assert shown(client.get("/?status=all&min=58&max=70").text) == [ids[1], ids[2]]
    assert shown(client.get("/?status=all&min=abc&max=300").text) != [], "bad bounds are ignored"
    page = client.get("/").text
    assert '<option value="gazette">Gazette</option>' in page, "sources by name"
    assert list_queue(deskdb, QueueFilter(status="all", kind="list")) == []
    # A day's index: eight more distinct norms in the first document's extraction.
    deskdb.conn.executemany(
        'INSERT INTO mentions (extraction_id, norm_key, number, year, start, "end")'
        " VALUES (1, ?, ?, '2020', 0, 1)",
        [(f"RM|{n}|2020|MINEM/DM", str(n)) for n in range(100, 108)],
    )
    listed = [it.match_id for it in list_queue(deskdb, QueueFilter(status="all", kind="list"))]
    assert listed == [ids[0]]
    assert shown(client.get("/?status=all&kind=list").text) == [ids[0]]
    assert ids[0] not in shown(client.get("/?status=all&kind=single").text)


def cli_run(path: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(path), *args], env={"PIPELINE_EDITOR": "ana"})


def test_the_cli_lists_with_the_same_filters_and_decides_in_bulk(desk) -> None:  # type: ignore[no-untyped-def]
    _, db, ids, path = desk
    listed = cli_run(path, "review", "list", "--status", "all", "--search", "citado")
    assert listed.exit_code == 0 and listed.output.split()[0] == str(ids[1])
    assert "Gazette" in listed.output, "the source by its name"
    scored = cli_run(path, "review", "list", "--min-score", "0.58", "--max-score", "0.7")
    assert [int(line.split()[0]) for line in scored.output.splitlines()] == [ids[1], ids[2]]
    preview = cli_run(path, "review", "bulk", "reject", "--max-score", "0.65", "--reason", "dup")
    assert preview.exit_code == 0 and "would reject these 2 matches" in preview.output
    assert decisions_count(db) == 0
    done = cli_run(path, "review", "bulk", "reject", "--max-score", "0.65", "--reason", "dup",
                   "--yes")  # fmt: skip
    assert done.exit_code == 0 and "Rejected 2 matches" in done.output
    batch = done.output.rsplit("undo-bulk ", 1)[1].strip()
    assert statuses(db, ids[:2]) == ["rejected", "rejected"]
    undone = cli_run(path, "review", "undo-bulk", batch)
    assert "Undid 2 decisions" in undone.output and statuses(db, ids[:2]) == ["pending"] * 2
    no_reason = cli_run(path, "review", "bulk", "reject", "--yes")
    assert isinstance(no_reason.exception, InputError) and "needs a reason" in str(
        no_reason.exception
    )
    noted = cli_run(path, "review", "reject", str(ids[2]), "--reason", "off topic", "--note",
                    "the decree is only quoted")  # fmt: skip
    assert noted.exit_code == 0
    row = db.conn.execute("SELECT reason, note FROM decisions ORDER BY id DESC LIMIT 1").fetchone()
    assert row == ("off topic", "the decree is only quoted")
    shown_history = cli_run(path, "review", "show", str(ids[2])).output
    assert "ana rejected: off topic — the decree is only quoted" in shown_history
