"""An editor's decision is never changed by a machine: changed evidence marks it stale instead."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st
from support import policy

from pipeline import store
from pipeline.extract.norms import display_for_key
from pipeline.models import Match, MatchStatus


def _setup(db) -> int:  # type: ignore[no-untyped-def]
    store.import_policies(db, [policy()], display_for_key)
    db.conn.execute("INSERT INTO documents (url, first_seen) VALUES ('https://a.test/', 'now')")
    return 1


def proposal(
    status: MatchStatus = MatchStatus.AUTO, evidence: str = "e1", score: float = 0.95
) -> Match:
    return Match(1, "pe-mecanismo", score, ("cites it",), "norm", status, evidence)


def decide(db, status: str) -> None:  # type: ignore[no-untyped-def]
    (match_id, evidence) = db.conn.execute("SELECT id, evidence_hash FROM matches").fetchone()
    db.conn.execute(
        "INSERT INTO decisions (match_id, status, editor, at, evidence_hash)"
        " VALUES (?, ?, 'ana', 'now', ?)",
        (match_id, status, evidence),
    )
    db.conn.execute(
        "UPDATE matches SET status = ?, decided_evidence_hash = ?, stale = 0 WHERE id = ?",
        (status, evidence, match_id),
    )


def row(db) -> tuple[str, int, str]:  # type: ignore[no-untyped-def]
    status, stale, reasons = db.conn.execute(
        "SELECT status, stale, reasons FROM matches"
    ).fetchone()
    return status, stale, json.loads(reasons)


def test_machine_proposals_follow_the_evidence_until_an_editor_decides(db) -> None:  # type: ignore[no-untyped-def]
    doc = _setup(db)
    store.save_matches(db, doc, [proposal(MatchStatus.PENDING, "e0", 0.6)])
    assert row(db)[0] == "pending"
    store.save_matches(db, doc, [proposal(MatchStatus.AUTO, "e1")])
    assert row(db)[0] == "auto"
    store.save_matches(db, doc, [])
    assert db.conn.execute("SELECT COUNT(*) FROM matches").fetchone()[0] == 0


def test_a_rejection_survives_reruns_and_changed_evidence_marks_it_stale(db) -> None:  # type: ignore[no-untyped-def]
    doc = _setup(db)
    store.save_matches(db, doc, [proposal()])
    decide(db, "rejected")
    result = store.save_matches(db, doc, [proposal()])
    assert row(db)[:2] == ("rejected", 0) and result.updated == 0
    result = store.save_matches(db, doc, [proposal(evidence="e2")])
    assert row(db)[:2] == ("rejected", 1) and result.stale == 1


def test_an_acceptance_survives_the_machine_withdrawing(db) -> None:  # type: ignore[no-untyped-def]
    doc = _setup(db)
    store.save_matches(db, doc, [proposal(MatchStatus.PENDING, "e1", 0.6)])
    decide(db, "accepted")
    store.save_matches(db, doc, [])
    assert row(db)[:2] == ("accepted", 1)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.tuples(
                st.just("run"),
                st.sampled_from(["e1", "e2", "none"]),
                st.sampled_from([MatchStatus.AUTO, MatchStatus.PENDING]),
            ),
            st.tuples(st.just("decide"), st.sampled_from(["accepted", "rejected"]), st.none()),
        ),
        max_size=12,
    )
)
def test_no_sequence_of_runs_changes_a_decision(tmp_path_factory, steps) -> None:  # type: ignore[no-untyped-def]
    db = store.connect(tmp_path_factory.mktemp("h") / "h.db")
    doc = _setup(db)
    decided: str | None = None
    for kind, value, status in steps:
        exists = db.conn.execute("SELECT COUNT(*) FROM matches").fetchone()[0]
        if kind == "decide":
            if exists:
                decide(db, value)
                decided = value
            continue
        store.save_matches(db, doc, [] if value == "none" else [proposal(status, value)])
        if decided is not None:
            assert row(db)[0] == decided
    history = [r[0] for r in db.conn.execute("SELECT status FROM decisions ORDER BY id")]
    assert (history[-1] if history else None) == decided


def test_an_entry_snippet_is_kept_with_its_match_and_published_until_an_editor_edits(db) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from pipeline.store.exports import policy_links

    doc = _setup(db)
    line = "R.M. N° 0255-2020-JUS.- Crean el Registro"
    store.save_matches(db, doc, [replace(proposal(), snippet=line)])
    (item,) = policy_links(db, [MatchStatus.AUTO])
    assert [s.summary for s in item.sources] == [line]
    # a re-link that finds another line updates it (a decided status would stay)
    assert store.save_matches(db, doc, [replace(proposal(), snippet="other")]).updated == 1
    assert db.conn.execute("SELECT snippet FROM matches").fetchone()[0] == "other"


def test_a_source_whose_latest_version_lost_its_title_keeps_the_last_one_seen(db) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt
    import hashlib

    from support import extraction

    from pipeline.models import Fetched
    from pipeline.store.exports import policy_links

    doc = _setup(db)
    for i, title in enumerate(("Decreto Supremo N° 004-2021-JUS", "")):
        body = f"version {i}".encode()
        when = dt.datetime(2024, 1, 1 + i, tzinfo=dt.UTC)
        digest = hashlib.sha256(body).hexdigest()
        fetched = Fetched("https://a.test/", "https://a.test/", 200, {}, body, digest, when)
        version = store.store_version(db, doc, fetched, "")
        store.save_extraction(
            db, version.version_id, extraction(title, "Texto.", url="https://a.test/")
        )
    store.save_matches(db, doc, [proposal()])
    (item,) = policy_links(db, [MatchStatus.AUTO])
    assert [s.title for s in item.sources] == ["Decreto Supremo N° 004-2021-JUS"]
