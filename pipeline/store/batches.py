"""Bulk decisions in the store: one editor's decision, with one reason, on every match a filter
showed, recorded as one group so the group can be undone as a whole.

Part of the store (the only package that speaks SQL). Takes the decisions already made by the
review stage (each with the state token its match had on the confirmation page); writes them
all in one BEGIN IMMEDIATE transaction or none: if any match changed since the editor confirmed,
DecisionConflict and nothing is written. Batches are append-only, like decisions.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlite_utils

from .db import now, transaction
from .decisions import NewDecision, append_decision
from .queue import state_token

# One confirmation page's worth: beyond it an editor cannot have looked at what they decide.
MAX_BATCH = 500


@dataclass(frozen=True)
class Batch:
    id: int
    editor: str
    at: str
    status: str
    reason: str
    description: str
    undoes: int | None
    decisions: tuple[tuple[int, int], ...]  # (match id, decision id), in order


def record_batch(
    db: sqlite_utils.Database,
    decisions: Sequence[tuple[NewDecision, str]],
    description: str,
    undoes: int | None = None,
) -> int:
    """Append every decision (with the token its match must still have) as one batch."""
    if not decisions:
        raise ValueError("a batch needs at least one decision")
    first = decisions[0][0]
    with transaction(db) as conn:
        cur = conn.execute(
            "INSERT INTO decision_batches (editor, at, status, reason, description, undoes)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (first.editor, now(), first.status, first.reason, description, undoes),
        )
        batch_id = int(cur.lastrowid or 0)
        for decision, token in decisions:
            append_decision(conn, decision, token, batch_id)
    return batch_id


def load_batch(db: sqlite_utils.Database, batch_id: int) -> Batch | None:
    row = db.conn.execute(
        "SELECT id, editor, at, status, reason, description, undoes FROM decision_batches"
        " WHERE id = ?",
        (batch_id,),
    ).fetchone()
    if row is None:
        return None
    pairs = db.conn.execute(
        "SELECT match_id, id FROM decisions WHERE batch_id = ? ORDER BY id", (batch_id,)
    ).fetchall()
    bid, editor, at, status, reason, description, undoes = row
    done = tuple((int(m), int(d)) for m, d in pairs)
    return Batch(bid, editor, at, status, reason, description, undoes, done)


def undone_by(db: sqlite_utils.Database, batch_id: int) -> int | None:
    """The batch that undid this one, if any."""
    row = db.conn.execute(
        "SELECT id FROM decision_batches WHERE undoes = ? ORDER BY id LIMIT 1", (batch_id,)
    ).fetchone()
    return int(row[0]) if row else None


def last_edits(db: sqlite_utils.Database, match_ids: Iterable[int]) -> dict[int, dict[str, str]]:
    """Each match's publishable-field corrections as its last decision left them."""
    out: dict[int, dict[str, str]] = {}
    for match_id in match_ids:
        row = db.conn.execute(
            "SELECT edits FROM decisions WHERE match_id = ? ORDER BY id DESC LIMIT 1", (match_id,)
        ).fetchone()
        out[match_id] = json.loads(row[0]) if row else {}
    return out


def current_tokens(db: sqlite_utils.Database, match_ids: Iterable[int]) -> dict[int, str]:
    """Each match's state token as it is now (what a decision on it must find)."""
    out: dict[int, str] = {}
    for match_id in match_ids:
        row = db.conn.execute(
            "SELECT evidence_hash, (SELECT COALESCE(MAX(id), 0) FROM decisions"
            " WHERE match_id = m.id) FROM matches m WHERE id = ?",
            (match_id,),
        ).fetchone()
        if row is not None:
            out[match_id] = state_token(int(row[1]), row[0])
    return out
