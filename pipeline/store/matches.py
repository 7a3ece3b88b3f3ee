"""Matches in the store: the machine's proposals and the editors' decisions.

The rule that matters most lives here: a machine write never changes the status of a match an
editor decided. When the evidence behind a decision changes, the match is flagged stale instead.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

import sqlite_utils

from ..models import Match, MatchStatus
from .codec import marks_to_json
from .db import now, transaction


@dataclass(frozen=True)
class SaveResult:
    new: int = 0
    updated: int = 0
    withdrawn: int = 0
    stale: int = 0


def save_matches(
    db: sqlite_utils.Database, document_id: int, proposals: Sequence[Match]
) -> SaveResult:
    """Apply the linker's proposals for one document, respecting every decision."""
    new = updated = withdrawn = stale = 0
    with transaction(db) as conn:
        existing = {
            row[0]: row
            for row in conn.execute(
                "SELECT policy_id, id, status, evidence_hash, decided_evidence_hash, stale,"
                " score, reasons, machine_status, evidence, snippet"
                " FROM matches WHERE document_id = ?",
                (document_id,),
            )
        }
        for proposal in proposals:
            row = existing.pop(proposal.policy_id, None)
            if row is None:
                _insert(conn, document_id, proposal)
                new += 1
            elif _update(conn, row, proposal):
                updated += 1
                stale += _became_stale(row, proposal.evidence_hash)
        for row in existing.values():
            withdrawn += _withdraw(conn, row)
    return SaveResult(new, updated, withdrawn, stale)


def _insert(conn: sqlite3.Connection, document_id: int, m: Match) -> None:
    stamp = now()
    conn.execute(
        "INSERT INTO matches (document_id, policy_id, score, reasons, method, machine_status,"
        " status, evidence_hash, evidence, snippet, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            document_id,
            m.policy_id,
            m.score,
            json.dumps(list(m.reasons), ensure_ascii=False),
            m.method,
            m.status.value,
            m.status.value,
            m.evidence_hash,
            marks_to_json(m.marks),
            m.snippet,
            stamp,
            stamp,
        ),
    )


def _decided(row: tuple[object, ...]) -> bool:
    return row[4] is not None


def _became_stale(row: tuple[object, ...], evidence: str) -> int:
    decided_hash = row[4]
    return int(bool(decided_hash) and decided_hash != evidence and not row[5])


def _update(conn: sqlite3.Connection, row: tuple[object, ...], m: Match) -> bool:
    """Refresh the machine's view; the status follows it only while no editor has decided."""
    reasons = json.dumps(list(m.reasons), ensure_ascii=False)
    marks = marks_to_json(m.marks)
    # Spans move with the text (a new version) while the evidence stays the same: they are
    # refreshed, but only a change of evidence (or of the entry's snippet) counts as an update.
    same = (row[6], row[7], row[3], row[8], row[10]) == (
        m.score,
        reasons,
        m.evidence_hash,
        m.status,
        m.snippet,
    )
    if same:
        if row[9] != marks:
            conn.execute("UPDATE matches SET evidence = ? WHERE id = ?", (marks, row[1]))
        return False
    decided = _decided(row)
    status = row[2] if decided else m.status.value
    stale = int(bool(row[5])) or _became_stale(row, m.evidence_hash)
    conn.execute(
        "UPDATE matches SET score = ?, reasons = ?, method = ?, machine_status = ?, status = ?,"
        " evidence_hash = ?, evidence = ?, stale = ?, snippet = ?, updated_at = ? WHERE id = ?",
        (m.score, reasons, m.method, m.status.value, status, m.evidence_hash, marks, stale,
         m.snippet, now(), row[1]),
    )  # fmt: skip
    return True


def _withdraw(conn: sqlite3.Connection, row: tuple[object, ...]) -> int:
    """The machine no longer proposes this pair: forget it, unless an editor ever decided on it
    (then its history stays, and a decided status stays with it)."""
    has_history = conn.execute(
        "SELECT 1 FROM decisions WHERE match_id = ? LIMIT 1", (row[1],)
    ).fetchone()
    if not has_history:
        conn.execute("DELETE FROM matches WHERE id = ?", (row[1],))
        return 1
    if row[8] != "none":
        stale = int(bool(row[5]) or bool(row[4]))
        conn.execute(
            "UPDATE matches SET machine_status = 'none', evidence_hash = '', stale = ?,"
            " updated_at = ? WHERE id = ?",
            (stale, now(), row[1]),
        )
    return 0


def match_statuses(db: sqlite_utils.Database, document_id: int) -> dict[str, MatchStatus]:
    return {
        policy: MatchStatus(status)
        for policy, status in db.conn.execute(
            "SELECT policy_id, status FROM matches WHERE document_id = ? ORDER BY policy_id",
            (document_id,),
        )
    }


def queue_counts(db: sqlite_utils.Database) -> dict[str, int]:
    counts = {"auto": 0, "pending": 0, "accepted": 0, "rejected": 0, "stale": 0}
    for status, stale, n in db.conn.execute(
        "SELECT status, stale, COUNT(*) FROM matches GROUP BY status, stale"
    ):
        counts[status] += n
        if stale:
            counts["stale"] += n
    return counts
