"""Editors' decisions in the store: the review queue, one match in full, history, and writes.

Part of the store (the only package that speaks SQL). The review stage hands in a NewDecision and
gets ids and records back. Decisions are append-only (a trigger refuses UPDATE and DELETE); each
write appends one row and moves the match's status in the same BEGIN IMMEDIATE transaction, after
checking the match is still in the state the editor saw (else DecisionConflict, nothing written).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from ..errors import InputError, StoreError
from ..models import NOT_KNOWN, CountryMethod, DocumentCountry, Extraction
from .codec import extraction_from_row
from .db import now, transaction

# The review package names the database type through the store, so sqlite-utils stays an adapter
# of this package alone (tests/test_layering.py).
Database = sqlite_utils.Database

STATUSES = ("pending", "stale", "auto", "accepted", "rejected", "all")
_WHEN = "COALESCE(e.published, d.listed_date, substr(d.first_seen, 1, 10))"
# Sort keys are looked up here and never spliced from input. "uncertain" is the review default:
# the lowest scores are where the linker was least sure, and among equals the newest come first.
SORTS: Mapping[str, str] = {
    "uncertain": f"m.score ASC, {_WHEN} DESC, m.id DESC",
    "newest": f"{_WHEN} DESC, m.id DESC",
    "oldest": f"{_WHEN} ASC, m.id ASC",
    "score": "m.score DESC, m.id ASC",
}

_FROM = """
    FROM matches m
    JOIN documents d ON d.id = m.document_id
    JOIN policies p ON p.id = m.policy_id
    LEFT JOIN versions v ON v.id = (SELECT MAX(id) FROM versions WHERE document_id = d.id)
    LEFT JOIN extractions e ON e.id = (SELECT MAX(id) FROM extractions WHERE version_id = v.id)
"""
_HISTORY = """
    SELECT dc.*, m.policy_id, d.url FROM decisions dc JOIN matches m ON m.id = dc.match_id
    JOIN documents d ON d.id = m.document_id WHERE {where} ORDER BY dc.id
"""
_LAST = "(SELECT {col} FROM decisions WHERE match_id = m.id ORDER BY id DESC LIMIT 1)"


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
class QueueFilter:
    status: str = "pending"
    country: str = ""
    policy: str = ""
    source: str = ""
    search: str = ""
    sort: str = "uncertain"


@dataclass(frozen=True)
class QueueItem:
    match_id: int
    policy_id: str
    policy_title: str
    country: str
    source_id: str
    source_name: str
    url: str
    title: str
    published: str
    score: float
    status: str
    stale: bool
    reasons: tuple[str, ...]


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


def state_token(last_decision_id: int, evidence_hash: str) -> str:
    """What a review form carries to detect a stale page: the last decision and the evidence."""
    return f"{last_decision_id}.{evidence_hash[:16]}"


def _like(text: str) -> str:
    """A LIKE pattern matching `text` literally: %, _ and the escape character are escaped."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _where(f: QueueFilter, with_status: bool = True) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    args: list[Any] = []
    if with_status and f.status == "stale":
        clauses.append("m.stale = 1")
    elif with_status and f.status in STATUSES and f.status != "all":
        clauses.append("m.status = ?")
        args.append(f.status)
    for column, value in (("p.country", f.country), ("m.policy_id", f.policy),
                          ("d.source_id", f.source)):  # fmt: skip
        if value:
            clauses.append(f"{column} = ?")
            args.append(value)
    if f.search:
        clauses.append(
            "(COALESCE(e.title, '') LIKE ? ESCAPE '\\' OR d.listed_title LIKE ? ESCAPE '\\'"
            " OR d.url LIKE ? ESCAPE '\\')"
        )
        args.extend([_like(f.search)] * 3)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), args


def list_queue(
    db: sqlite_utils.Database, f: QueueFilter, limit: int = 50, offset: int = 0
) -> list[QueueItem]:
    """One page of the queue, filtered with parameters and sorted by an allow-listed key."""
    where, args = _where(f)
    order = SORTS.get(f.sort, SORTS["uncertain"])
    sql = (
        "SELECT m.id, m.policy_id, p.title AS policy_title, p.country, d.source_id,"
        " d.source_name, d.url, COALESCE(e.title, '') AS title, d.listed_title,"
        f" {_WHEN} AS published, m.score, m.status, m.stale, m.reasons,"
        f" {_LAST.format(col='edits')} AS edits {_FROM}{where}"
        f" ORDER BY {order} LIMIT ? OFFSET ?"
    )
    return [_item(row) for row in _rows(db.conn, sql, [*args, limit, offset])]


def queue_ids(db: sqlite_utils.Database, f: QueueFilter) -> list[int]:
    """Every match id of the queue in order (for moving to the next and previous match)."""
    where, args = _where(f)
    order = SORTS.get(f.sort, SORTS["uncertain"])
    sql = f"SELECT m.id {_FROM}{where} ORDER BY {order}"
    return [int(r[0]) for r in db.conn.execute(sql, args)]


def status_counts(db: sqlite_utils.Database, f: QueueFilter) -> dict[str, int]:
    """How many matches each status filter would show, under the other filters."""
    where, args = _where(f, with_status=False)
    counts = dict.fromkeys(STATUSES, 0)
    sql = f"SELECT m.status, m.stale, COUNT(*) {_FROM}{where} GROUP BY m.status, m.stale"
    for status, stale, n in db.conn.execute(sql, args):
        counts[status] = counts.get(status, 0) + n
        counts["stale"] += n if stale else 0
        counts["all"] += n
    return counts


def filter_choices(db: sqlite_utils.Database) -> dict[str, list[tuple[str, str]]]:
    """The values each filter can take, as (value, label) pairs."""
    conn = db.conn
    return {
        "country": [(r[0], r[0]) for r in conn.execute(
            "SELECT DISTINCT country FROM policies ORDER BY country")],
        "policy": [(r[0], r[1]) for r in conn.execute(
            "SELECT id, title FROM policies ORDER BY id")],
        "source": [(r[0], r[0]) for r in conn.execute(
            "SELECT DISTINCT d.source_id FROM documents d JOIN matches m ON m.document_id = d.id"
            " ORDER BY d.source_id")],
    }  # fmt: skip


def _rows(conn: sqlite3.Connection, sql: str, args: Sequence[Any]) -> list[sqlite3.Row]:
    cursor = conn.cursor()
    cursor.row_factory = sqlite3.Row
    return list(cursor.execute(sql, args))


def _item(row: sqlite3.Row) -> QueueItem:
    edits = json.loads(row["edits"] or "{}")
    return QueueItem(
        match_id=row["id"],
        policy_id=row["policy_id"],
        policy_title=row["policy_title"],
        country=row["country"],
        source_id=row["source_id"],
        source_name=edits.get("source_name") or row["source_name"],
        url=row["url"],
        title=edits.get("title") or row["title"] or row["listed_title"],
        published=edits.get("date") or row["published"] or "",
        score=float(row["score"]),
        status=row["status"],
        stale=bool(row["stale"]),
        reasons=tuple(json.loads(row["reasons"])),
    )


def load_match(db: sqlite_utils.Database, match_id: int) -> MatchDetail | None:
    """One match with its document, current extraction and whole decision history."""
    sql = (
        "SELECT m.*, d.url, d.source_id, d.source_name AS doc_source_name, d.listed_title,"
        " d.listed_date, d.country AS doc_country, d.country_method, d.country_detail,"
        " v.id AS version_id, v.archive_ref, e.title, e.language, e.text,"
        " e.summary, e.description, e.page_class, e.extractor_version, e.data"
        f" {_FROM} WHERE m.id = ?"
    )
    rows = _rows(db.conn, sql, [match_id])
    if not rows:
        return None
    r = rows[0]
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
                    json.loads(r["edits"]), r["evidence_hash"], r["policy_id"], r["url"])
        for r in _rows(db.conn, sql, [value])
    ]  # fmt: skip


def record_decision(
    db: sqlite_utils.Database, decision: NewDecision, expected: str | None = None
) -> int:
    """Append a decision and move the match to it, unless the match changed since `expected`."""
    with transaction(db) as conn:
        return _append(conn, decision, expected)


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
        _append(conn, rejection, expected)
        row = conn.execute(
            "SELECT document_id FROM matches WHERE id = ?", (rejection.match_id,)
        ).fetchone()
        if conn.execute("SELECT 1 FROM policies WHERE id = ?", (policy_id,)).fetchone() is None:
            raise InputError(f"no policy with id '{policy_id}'")
        new_id = _ensure_match(conn, int(row[0]), policy_id)
        reason = f"reassigned from match {rejection.match_id}: {rejection.reason}".rstrip(": ")
        accept = NewDecision(new_id, "accepted", rejection.editor, reason, acceptance_edits)
        _append(conn, accept, None)
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


def _append(conn: sqlite3.Connection, d: NewDecision, expected: str | None) -> int:
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
        "INSERT INTO decisions (match_id, status, editor, at, reason, edits, evidence_hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (d.match_id, d.status, d.editor, now(), d.reason,
         json.dumps(dict(d.edits), ensure_ascii=False, sort_keys=True), evidence),
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
