"""Review decisions: append-only history, conflicts, undo, reassign, edits reaching the export,
and the machine never overriding an editor (RELIABILITY.md 20-22)."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
import sqlite_utils
from test_review_support import match_row, seed

from pipeline import store
from pipeline.errors import InputError
from pipeline.models import Match, MatchStatus
from pipeline.review import decisions
from pipeline.store.decisions import DecisionConflict, history, load_match
from pipeline.store.exports import policy_links


@pytest.fixture
def ids(db: sqlite_utils.Database) -> list[int]:
    return seed(db)


def test_accept_with_an_edited_snippet_reaches_the_export(db, ids) -> None:  # type: ignore[no-untyped-def]
    decisions.accept(db, ids[0], "ana", edits={"snippet": "  Edited   by ana. "})
    row = match_row(db, ids[0])
    assert (row["status"], row["decided_evidence_hash"], row["stale"]) == (
        "accepted", "evidence-0", 0)  # fmt: skip
    (item,) = policy_links(db, [MatchStatus.ACCEPTED], "pe-mecanismo")
    (source,) = [s for s in item.sources if s.url.endswith("doc-0")]
    assert source.summary == "Edited by ana."


def test_unchanged_fields_are_not_recorded_as_edits(db, ids) -> None:  # type: ignore[no-untyped-def]
    detail = decisions.load(db, ids[0])
    decisions.accept(db, ids[0], "ana", edits=decisions.current_fields(detail))
    assert history(db, match_id=ids[0])[-1].edits == {}


def test_bad_edits_and_missing_reasons_write_nothing(db, ids) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError, match="date"):
        decisions.accept(db, ids[0], "ana", edits={"date": "2021-02-30"})
    with pytest.raises(InputError, match="reason"):
        decisions.reject(db, ids[0], "ana", "   ")
    assert history(db, match_id=ids[0]) == []


def test_second_editor_on_a_stale_page_gets_a_conflict_and_both_are_kept(db, ids) -> None:  # type: ignore[no-untyped-def]
    token = decisions.load(db, ids[1]).token  # both editors open the page
    decisions.accept(db, ids[1], "ana", token=token)
    with pytest.raises(DecisionConflict, match="changed since you opened it"):
        decisions.reject(db, ids[1], "ben", "not about this policy", token=token)
    assert [h.editor for h in history(db, match_id=ids[1])] == ["ana"]
    fresh = decisions.load(db, ids[1]).token  # ben reloads and decides
    decisions.reject(db, ids[1], "ben", "not about this policy", token=fresh)
    assert [(h.editor, h.status) for h in history(db, match_id=ids[1])] == [
        ("ana", "accepted"), ("ben", "rejected")]  # fmt: skip


def test_changed_evidence_is_a_conflict_too(db, ids) -> None:  # type: ignore[no-untyped-def]
    token = decisions.load(db, ids[0]).token
    doc = match_row(db, ids[0])["document_id"]
    store.save_matches(db, int(doc), [Match(int(doc), "pe-mecanismo", 0.5, ("new",), "norm",
                                            MatchStatus.PENDING, "evidence-new")])  # fmt: skip
    with pytest.raises(DecisionConflict):
        decisions.accept(db, ids[0], "ana", token=token)


def test_undo_goes_back_to_the_machine_then_redoes(db, ids) -> None:  # type: ignore[no-untyped-def]
    decisions.accept(db, ids[0], "ana", edits={"title": "Better title"})
    decisions.undo(db, ids[0], "ana")
    row = match_row(db, ids[0])
    assert (row["status"], row["decided_evidence_hash"]) == ("pending", None)
    decisions.undo(db, ids[0], "ana")  # undoing the undo restores the acceptance and its edits
    detail = decisions.load(db, ids[0])
    assert detail.status == "accepted"
    assert decisions.current_fields(detail)["title"] == "Better title"
    assert len(detail.history) == 3


def test_undo_restores_the_previous_decision(db, ids) -> None:  # type: ignore[no-untyped-def]
    decisions.accept(db, ids[0], "ana", edits={"snippet": "kept"})
    decisions.reject(db, ids[0], "ben", "duplicate of another source")
    decisions.undo(db, ids[0], "ana")
    detail = decisions.load(db, ids[0])
    assert detail.status == "accepted"
    assert detail.history[-1].edits == {"snippet": "kept"}
    with pytest.raises(InputError, match="no decision to undo"):
        decisions.undo(db, ids[1], "ana")


def test_reassign_rejects_here_and_accepts_there(db, ids) -> None:  # type: ignore[no-untyped-def]
    new_id = decisions.reassign(db, ids[0], "ana", "pe-other", "about the protocol")
    assert match_row(db, ids[0])["status"] == "rejected"
    new = match_row(db, new_id)
    assert (new["policy_id"], new["status"], new["machine_status"]) == (
        "pe-other", "accepted", "none")  # fmt: skip
    doc = int(new["document_id"])  # a re-link that does not propose the new pair keeps it
    store.save_matches(db, doc, [Match(doc, "pe-mecanismo", 0.55, ("x",), "norm",
                                       MatchStatus.PENDING, "evidence-0")])  # fmt: skip
    assert match_row(db, new_id)["status"] == "accepted"
    with pytest.raises(InputError, match="no policy"):
        decisions.reassign(db, ids[1], "ana", "nope")
    assert history(db, match_id=ids[1]) == []  # the failed reassign rolled back its rejection


def test_machine_never_changes_a_decision_it_marks_it_stale(db, ids) -> None:  # type: ignore[no-untyped-def]
    decisions.reject(db, ids[0], "ana", "not about this policy")
    doc = int(match_row(db, ids[0])["document_id"])
    store.save_matches(db, doc, [Match(doc, "pe-mecanismo", 0.99, ("now in the title",), "norm",
                                       MatchStatus.AUTO, "evidence-changed")])  # fmt: skip
    row = match_row(db, ids[0])
    assert (row["status"], row["stale"]) == ("rejected", 1)
    decisions.accept(db, ids[0], "ana")  # a new decision clears the flag
    assert match_row(db, ids[0])["stale"] == 0


def test_decisions_cannot_be_changed_or_deleted(db, ids) -> None:  # type: ignore[no-untyped-def]
    decisions.accept(db, ids[0], "ana")
    for sql in ("UPDATE decisions SET editor = 'eve'", "DELETE FROM decisions"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            db.conn.execute(sql)


def test_a_decision_waits_for_the_nightly_runs_lock(tmp_path: Path, db, ids) -> None:  # type: ignore[no-untyped-def]
    other = store.connect(tmp_path / "test.db")
    other.conn.execute("BEGIN IMMEDIATE")  # the nightly run holds the write lock...
    release = threading.Timer(0.5, lambda: other.conn.execute("COMMIT"))
    release.start()
    started = time.monotonic()
    decisions.accept(db, ids[0], "ana")  # ...and the editor's write waits, then succeeds
    release.join()
    assert time.monotonic() - started >= 0.4
    assert load_match(db, ids[0]) is not None and match_row(db, ids[0])["status"] == "accepted"
