"""Amendment proposals in the store: suggestions that a policy needs an editor's look.

Saved idempotently (one row per policy, document and relation); an editor closes them as done
or dismissed, and the machine never reopens a closed one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

import sqlite_utils

from ..models import Proposal, RelationVerb
from .db import now, transaction


@dataclass(frozen=True)
class StoredProposal:
    id: int
    document_id: int
    url: str
    proposal: Proposal
    status: str
    created_at: str


def save_proposals(
    db: sqlite_utils.Database, document_id: int, proposals: Sequence[Proposal]
) -> int:
    """Record new proposals; return how many were new."""
    new = 0
    with transaction(db) as conn:
        for p in proposals:
            cur = conn.execute(
                "INSERT INTO proposals (policy_id, document_id, kind, source_norm, verb,"
                " target_norm, evidence, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                (p.policy_id, document_id, p.kind, p.source_norm, p.verb.value, p.target_norm,
                 p.evidence, now()),
            )  # fmt: skip
            new += cur.rowcount
    return new


def list_proposals(
    db: sqlite_utils.Database, policy_id: str | None = None, status: str = "open"
) -> list[StoredProposal]:
    sql = (
        "SELECT p.id, p.document_id, d.url, p.policy_id, p.kind, p.source_norm, p.verb,"
        " p.target_norm, p.evidence, p.status, p.created_at FROM proposals p"
        " JOIN documents d ON d.id = p.document_id WHERE p.status = ?"
    )
    args: tuple[str, ...] = (status,)
    if policy_id:
        sql, args = sql + " AND p.policy_id = ?", (status, policy_id)
    return [_row(r) for r in db.conn.execute(sql + " ORDER BY p.id", args)]


def _row(r: sqlite3.Row | tuple[object, ...]) -> StoredProposal:
    pid, doc, url, policy, kind, source, verb, target, evidence, status, created = r
    proposal = Proposal(str(policy), str(kind), str(source), RelationVerb(str(verb)),
                        str(target), str(evidence))  # fmt: skip
    return StoredProposal(int(str(pid)), int(str(doc)), str(url), proposal, str(status),
                          str(created))  # fmt: skip


def proposals_between(db: sqlite_utils.Database, start: str, end: str) -> list[StoredProposal]:
    """Proposals first made between two timestamps (a run's window), open or not."""
    rows = db.conn.execute(
        "SELECT p.id, p.document_id, d.url, p.policy_id, p.kind, p.source_norm, p.verb,"
        " p.target_norm, p.evidence, p.status, p.created_at FROM proposals p"
        " JOIN documents d ON d.id = p.document_id WHERE p.created_at BETWEEN ? AND ?"
        " ORDER BY p.id",
        (start, end),
    )
    return [_row(r) for r in rows]


def close_proposal(db: sqlite_utils.Database, proposal_id: int, status: str) -> bool:
    """An editor marks a proposal done or dismissed; returns False if it was not open."""
    if status not in ("done", "dismissed"):
        raise ValueError(f"a proposal is closed as done or dismissed, not {status!r}")
    with transaction(db) as conn:
        cur = conn.execute(
            "UPDATE proposals SET status = ? WHERE id = ? AND status = 'open'",
            (status, proposal_id),
        )
    return cur.rowcount == 1
