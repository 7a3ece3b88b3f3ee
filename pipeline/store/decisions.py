"""Editors' decisions in the store: the review queue, one match in full, history, and writes.

Part of the store (the only package that speaks SQL). The review stage hands in a NewDecision and
gets ids and records back. Decisions are append-only (a trigger refuses UPDATE and DELETE); each
write appends one row and moves the match's status in the same BEGIN IMMEDIATE transaction, after
checking the match is still in the state the editor saw (else DecisionConflict, nothing written).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field

import sqlite_utils

from ..errors import InputError, StoreError
from ..models import NOT_KNOWN, CountryMethod, DocumentCountry, EvidenceMark, Extraction
from .codec import extraction_from_row, listed_fields, marks_from_json
from .db import now, transaction
from .queue import FROM, rows, state_token

# The review package names the database type through the store, so sqlite-utils stays an adapter
# of this package alone (tests/test_layering.py).
Database = sqlite_utils.Database

_HISTORY = """
    SELECT dc.*, m.policy_id, d.url, COALESCE(b.description, '') AS batch_description
    FROM decisions dc JOIN matches m ON m.id = dc.match_id
    JOIN documents d ON d.id = m.document_id
    LEFT JOIN decision_batches b ON b.id = dc.batch_id WHERE {where} ORDER BY dc.id
"""


class DecisionConflict(StoreError):
    """The match changed (another decision, or new evidence) since the editor's page was made."""

    def __init__(self, match_id: int, current: str) -> None:
        self.match_id = match_id
        self.current = current
        super().__init__(
            f"match {match_id} changed since you opened it (another editor decided, or the "
            "evidence changed); nothing was saved: reload it and decide again"
        )


@dataclass(frozen=True)
class DecisionRow:
    id: int
    match_id: int
    status: str
    editor: str
    at: str
    reason: str
    edits: Mapping[str, str]
    evidence_hash: str
    policy_id: str = ""
    url: str = ""
    note: str = ""
    batch_id: int | None = None
    batch_description: str = ""


@dataclass(frozen=True)
class MatchDetail:
    id: int
    document_id: int
    policy_id: str
    score: float
    reasons: tuple[str, ...]
    method: str
    machine_status: str
    status: str
    evidence_hash: str
    stale: bool
    url: str
    source_id: str
    source_name: str
    listed_title: str
    listed_date: str
    version_id: int | None
    archive_ref: str
    extraction: Extraction | None
    history: tuple[DecisionRow, ...] = field(default=())
    country: DocumentCountry = NOT_KNOWN  # the document's, with how it was told
    marks: tuple[EvidenceMark, ...] = ()
    snippet: str = ""  # chosen for this entry at link time ("" = the document's own)
    listed_extra: Mapping[str, str] = field(default_factory=dict)  # what the listing said

    @property
    def last_decision(self) -> DecisionRow | None:
        return self.history[-1] if self.history else None

    @property
    def token(self) -> str:
        last = self.last_decision
        return state_token(last.id if last else 0, self.evidence_hash)


@dataclass(frozen=True)
class NewDecision:
    match_id: int
    status: str  # accepted | rejected | pending (= back to the machine's word)
    editor: str
    reason: str = ""
    edits: Mapping[str, str] = field(default_factory=dict)
    note: str = ""


def load_match(db: sqlite_utils.Database, match_id: int) -> MatchDetail | None:
    """One match with its document, current extraction and whole decision history."""
    sql = (
        "SELECT m.*, d.url, d.source_id, d.source_name AS doc_source_name, d.listed_title,"
        " d.listed_date, d.listed_extra, d.country AS doc_country, d.country_method,"
        " d.country_detail, v.id AS version_id, v.archive_ref, e.title, e.language, e.text,"
        " e.summary, e.description, e.page_class, e.extractor_version, e.data"
        f" {FROM} WHERE m.id = ?"
    )
    found = rows(db.conn, sql, [match_id])
    if not found:
        return None
    r = found[0]
    extraction = (
        extraction_from_row(dict(zip(r.keys(), r, strict=True)), r["url"])
        if r["data"] is not None
        else None
    )
    return MatchDetail(
        id=r["id"],
        document_id=r["document_id"],
        policy_id=r["policy_id"],
        score=float(r["score"]),
        reasons=tuple(json.loads(r["reasons"])),
        method=r["method"],
        machine_status=r["machine_status"],
        status=r["status"],
        evidence_hash=r["evidence_hash"],
        stale=bool(r["stale"]),
        url=r["url"],
        source_id=r["source_id"],
        source_name=r["doc_source_name"],
        listed_title=r["listed_title"],
        listed_date=r["listed_date"] or "",
        version_id=r["version_id"],
        archive_ref=r["archive_ref"] or "",
        extraction=extraction,
        history=tuple(history(db, match_id=match_id)),
        country=DocumentCountry(
            r["doc_country"], CountryMethod(r["country_method"]), r["country_detail"]
        ),
        marks=marks_from_json(r["evidence"]),
        snippet=r["snippet"],
        listed_extra=listed_fields(r["listed_extra"]),
    )


def history(
    db: sqlite_utils.Database, *, match_id: int | None = None, policy_id: str | None = None
) -> list[DecisionRow]:
    """Decisions oldest first, for one match or for every match of one policy."""
    # `where` is one of two constants: no input reaches the SQL text.
    where = "dc.match_id = ?" if match_id is not None else "m.policy_id = ?"
    value = match_id if match_id is not None else policy_id
    sql = _HISTORY.format(where=where)
    return [
        DecisionRow(r["id"], r["match_id"], r["status"], r["editor"], r["at"], r["reason"],
                    json.loads(r["edits"]), r["evidence_hash"], r["policy_id"], r["url"],
                    r["note"], r["batch_id"], r["batch_description"])
        for r in rows(db.conn, sql, [value])
    ]  # fmt: skip


def record_decision(
    db: sqlite_utils.Database, decision: NewDecision, expected: str | None = None
) -> int:
    """Append a decision and move the match to it, unless the match changed since `expected`."""
    with transaction(db) as conn:
        return append_decision(conn, decision, expected)


def reassign(
    db: sqlite_utils.Database,
    rejection: NewDecision,
    policy_id: str,
    acceptance_edits: Mapping[str, str],
    expected: str | None = None,
) -> int:
    """Reject a match and accept its document for another policy, in one transaction.

    The new pair's match row is created when the linker never proposed it (machine_status
    'none', so a re-link leaves it alone). Returns the id of the accepted match."""
    with transaction(db) as conn:
        append_decision(conn, rejection, expected)
        row = conn.execute(
            "SELECT document_id FROM matches WHERE id = ?", (rejection.match_id,)
        ).fetchone()
        if conn.execute("SELECT 1 FROM policies WHERE id = ?", (policy_id,)).fetchone() is None:
            raise InputError(f"no policy with id '{policy_id}'")
        new_id = _ensure_match(conn, int(row[0]), policy_id)
        reason = f"reassigned from match {rejection.match_id}: {rejection.reason}".rstrip(": ")
        accept = NewDecision(new_id, "accepted", rejection.editor, reason, acceptance_edits)
        append_decision(conn, accept, None)
    return new_id


def _ensure_match(conn: sqlite3.Connection, document_id: int, policy_id: str) -> int:
    stamp = now()
    conn.execute(
        "INSERT INTO matches (document_id, policy_id, score, reasons, method, machine_status,"
        " status, evidence_hash, created_at, updated_at) VALUES (?, ?, 0, ?, 'editor', 'none',"
        " 'pending', '', ?, ?) ON CONFLICT (document_id, policy_id) DO NOTHING",
        (document_id, policy_id, json.dumps(["assigned by an editor"]), stamp, stamp),
    )
    row = conn.execute(
        "SELECT id FROM matches WHERE document_id = ? AND policy_id = ?", (document_id, policy_id)
    ).fetchone()
    return int(row[0])


def append_decision(
    conn: sqlite3.Connection, d: NewDecision, expected: str | None, batch: int | None = None
) -> int:
    row = conn.execute(
        "SELECT evidence_hash, machine_status FROM matches WHERE id = ?", (d.match_id,)
    ).fetchone()
    if row is None:
        raise InputError(f"no match with id {d.match_id}")
    evidence, machine = row
    last = conn.execute(
        "SELECT COALESCE(MAX(id), 0) FROM decisions WHERE match_id = ?", (d.match_id,)
    ).fetchone()[0]
    current = state_token(int(last), evidence)
    if expected is not None and expected != current:
        raise DecisionConflict(d.match_id, current)
    cur = conn.execute(
        "INSERT INTO decisions (match_id, status, editor, at, reason, edits, evidence_hash, note,"
        " batch_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (d.match_id, d.status, d.editor, now(), d.reason,
         json.dumps(dict(d.edits), ensure_ascii=False, sort_keys=True), evidence, d.note, batch),
    )  # fmt: skip
    if d.status == "pending":
        # Back to the machine's word: with no decided hash, the next re-link owns the status again.
        status = machine if machine in ("auto", "pending") else "pending"
        conn.execute(
            "UPDATE matches SET status = ?, decided_evidence_hash = NULL, stale = 0 WHERE id = ?",
            (status, d.match_id),
        )
    else:
        conn.execute(
            "UPDATE matches SET status = ?, decided_evidence_hash = evidence_hash, stale = 0"
            " WHERE id = ?",
            (d.status, d.match_id),
        )
    return int(cur.lastrowid or 0)
