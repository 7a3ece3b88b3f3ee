"""The review queue in the store: matches filtered (status, country, policy, source, page kind,
score range, full-text search) and sorted by an allow-listed key, the counts editors see, and
the day's progress.

Part of the store (the only package that speaks SQL). Takes a QueueFilter whose fields come from
untrusted input; every value reaches SQL as a parameter, and a search box's text reaches FTS5
only as quoted phrases of its words, so no query syntax can be injected or raise an error.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from ..link.evidence import LIST_NORMS
from .policies import IMPORT_EDITOR

STATUSES = ("pending", "stale", "auto", "accepted", "rejected", "all")
# Page kinds a queue can be narrowed to: a list of norms (a gazette's daily summary, an index,
# a digest: what the linker weighs as "mentioned only in a list") or any other page.
KINDS: Mapping[str, str] = {"": "any page", "list": "lists of norms", "single": "other pages"}
_WHEN = "COALESCE(e.published, d.listed_date, substr(d.first_seen, 1, 10))"
# Sort keys are looked up here and never spliced from input. "uncertain" is the review default:
# the lowest scores are where the linker was least sure, and among equals the newest come first.
SORTS: Mapping[str, str] = {
    "uncertain": f"m.score ASC, {_WHEN} DESC, m.id DESC",
    "newest": f"{_WHEN} DESC, m.id DESC",
    "oldest": f"{_WHEN} ASC, m.id ASC",
    "score": "m.score DESC, m.id ASC",
}
FROM = """
    FROM matches m
    JOIN documents d ON d.id = m.document_id
    JOIN policies p ON p.id = m.policy_id
    LEFT JOIN versions v ON v.id = (SELECT MAX(id) FROM versions WHERE document_id = d.id)
    LEFT JOIN extractions e ON e.id = (SELECT MAX(id) FROM extractions WHERE version_id = v.id)
"""
_LAST = "(SELECT {col} FROM decisions WHERE match_id = m.id ORDER BY id DESC LIMIT 1)"
_DISTINCT_NORMS = "(SELECT COUNT(DISTINCT norm_key) FROM mentions WHERE extraction_id = e.id)"
# Words of a search box, and how many of them reach the index: more is a paste, not a search.
_WORD = re.compile(r"\w+")
MAX_SEARCH_TERMS = 12


@dataclass(frozen=True)
class QueueFilter:
    status: str = "pending"
    country: str = ""
    policy: str = ""
    source: str = ""
    search: str = ""
    sort: str = "uncertain"
    kind: str = ""  # "" | "list" | "single" (KINDS)
    min_score: float | None = None  # 0..1, both ends included
    max_score: float | None = None


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
    token: str = ""  # the state a decision on it must find (see decisions.state_token)
    language: str = ""  # the document's, for the `lang` of its title


def state_token(last_decision_id: int, evidence_hash: str) -> str:
    """What a review form carries to detect a stale page: the last decision and the evidence."""
    return f"{last_decision_id}.{evidence_hash[:16]}"


def fts_query(text: str) -> str:
    """A search box's text as an FTS5 query: each whitespace-separated chunk becomes a quoted
    phrase of its words ("004-2021-JUS" → "004 2021 JUS", found as written), chunks must all
    match, and the last word may be unfinished. "" when there is no word to look for."""
    phrases = []
    for chunk in text.split()[:MAX_SEARCH_TERMS]:
        found = _WORD.findall(chunk)
        if found:
            phrases.append('"' + " ".join(found) + '"')
    return " ".join(phrases) + "*" if phrases else ""


def _like(text: str) -> str:
    """A LIKE pattern matching `text` literally: %, _ and the escape character are escaped."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def where(f: QueueFilter, with_status: bool = True) -> tuple[str, list[Any]]:
    """The WHERE clause of a filter (over FROM's aliases) and its parameters."""
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
    if f.kind in ("list", "single"):
        clauses.append(f"{_DISTINCT_NORMS} {'>=' if f.kind == 'list' else '<'} ?")
        args.append(LIST_NORMS)
    for bound, op in ((f.min_score, ">="), (f.max_score, "<=")):
        if bound is not None:
            clauses.append(f"m.score {op} ?")
            args.append(bound)
    if f.search:
        _search(f.search, clauses, args)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), args


def _search(text: str, clauses: list[str], args: list[Any]) -> None:
    """Titles and texts through the full-text index; URLs and listed titles as substrings."""
    likes = "d.listed_title LIKE ? ESCAPE '\\' OR d.url LIKE ? ESCAPE '\\'"
    match = fts_query(text)
    if match:
        fts = "e.id IN (SELECT rowid FROM extractions_fts WHERE extractions_fts MATCH ?)"
        clauses.append(f"({fts} OR {likes})")
        args.append(match)
    else:
        clauses.append(f"({likes})")
    args.extend([_like(text)] * 2)


def list_queue(
    db: sqlite_utils.Database, f: QueueFilter, limit: int = 50, offset: int = 0
) -> list[QueueItem]:
    """One page of the queue, filtered with parameters and sorted by an allow-listed key."""
    clause, args = where(f)
    order = SORTS.get(f.sort, SORTS["uncertain"])
    sql = (
        "SELECT m.id, m.policy_id, p.title AS policy_title, p.country, d.source_id,"
        " d.source_name, d.url, COALESCE(e.title, '') AS title, d.listed_title, e.language,"
        f" {_WHEN} AS published, m.score, m.status, m.stale, m.reasons, m.evidence_hash,"
        f" {_LAST.format(col='edits')} AS edits, {_LAST.format(col='id')} AS last_decision"
        f" {FROM}{clause} ORDER BY {order} LIMIT ? OFFSET ?"
    )
    return [_item(row) for row in rows(db.conn, sql, [*args, limit, offset])]


def queue_ids(db: sqlite_utils.Database, f: QueueFilter) -> list[int]:
    """Every match id of the queue in order (for moving to the next and previous match)."""
    clause, args = where(f)
    order = SORTS.get(f.sort, SORTS["uncertain"])
    sql = f"SELECT m.id {FROM}{clause} ORDER BY {order}"
    return [int(r[0]) for r in db.conn.execute(sql, args)]


def status_counts(db: sqlite_utils.Database, f: QueueFilter) -> dict[str, int]:
    """How many matches each status filter would show, under the other filters."""
    clause, args = where(f, with_status=False)
    counts = dict.fromkeys(STATUSES, 0)
    sql = f"SELECT m.status, m.stale, COUNT(*) {FROM}{clause} GROUP BY m.status, m.stale"
    for status, stale, n in db.conn.execute(sql, args):
        counts[status] = counts.get(status, 0) + n
        counts["stale"] += n if stale else 0
        counts["all"] += n
    return counts


def decided_since(db: sqlite_utils.Database, since: str, editor: str | None = None) -> int:
    """Matches decided (accepted or rejected, and still so) by editors since `since` (UTC ISO);
    the import's own decisions and what was undone since do not count."""
    sql = (
        "SELECT COUNT(DISTINCT dc.match_id) FROM decisions dc JOIN matches m ON m.id = dc.match_id"
        " WHERE dc.at >= ? AND dc.editor != ? AND dc.status IN ('accepted', 'rejected')"
        " AND m.status = dc.status"
    )
    args: list[Any] = [since, IMPORT_EDITOR]
    if editor is not None:
        sql += " AND dc.editor = ?"
        args.append(editor)
    return int(db.conn.execute(sql, args).fetchone()[0])


def filter_choices(db: sqlite_utils.Database) -> dict[str, list[tuple[str, str]]]:
    """The values each filter can take, as (value, label) pairs: sources by their names."""
    conn = db.conn
    return {
        "country": [(r[0], r[0]) for r in conn.execute(
            "SELECT DISTINCT country FROM policies ORDER BY country")],
        "policy": [(r[0], r[1]) for r in conn.execute(
            "SELECT id, title FROM policies ORDER BY id")],
        "source": [(r[0], r[1] or r[0]) for r in conn.execute(
            "SELECT d.source_id, MAX(d.source_name) FROM documents d"
            " WHERE EXISTS (SELECT 1 FROM matches m WHERE m.document_id = d.id)"
            " GROUP BY d.source_id ORDER BY MAX(d.source_name), d.source_id")],
    }  # fmt: skip


def rows(conn: sqlite3.Connection, sql: str, args: Sequence[Any]) -> list[sqlite3.Row]:
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
        published=edits.get("date", row["published"]) or "",
        score=float(row["score"]),
        status=row["status"],
        stale=bool(row["stale"]),
        reasons=tuple(json.loads(row["reasons"])),
        token=state_token(int(row["last_decision"] or 0), row["evidence_hash"]),
        language=row["language"] or "",
    )


@dataclass(frozen=True)
class PolicyRow:
    id: str
    country: str
    title: str
    status: str
    updated: str
    counts: Mapping[str, int]  # auto, pending, accepted, rejected, stale


def policy_rows(
    db: sqlite_utils.Database, country: str = "", search: str = "", limit: int = 100,
    offset: int = 0,
) -> list[PolicyRow]:  # fmt: skip
    """Policy entries with their matches counted by status, by country then id."""
    clauses, args = [], []
    if country:
        clauses.append("p.country = ?")
        args.append(country)
    if search:
        clauses.append("(p.title LIKE ? ESCAPE '\\' OR p.id LIKE ? ESCAPE '\\')")
        args += [_like(search)] * 2
    clause = " WHERE " + " AND ".join(clauses) if clauses else ""
    # `clause` is made of the constants above; every value is a parameter.
    sql = (
        "SELECT p.id, p.country, p.title, p.status, p.updated,"  # noqa: S608
        " SUM(m.status = 'auto'), SUM(m.status = 'pending'), SUM(m.status = 'accepted'),"
        " SUM(m.status = 'rejected'), SUM(m.stale)"
        f" FROM policies p LEFT JOIN matches m ON m.policy_id = p.id{clause}"
        " GROUP BY p.id ORDER BY p.country, p.id LIMIT ? OFFSET ?"
    )
    names = ("auto", "pending", "accepted", "rejected", "stale")
    return [
        PolicyRow(r[0], r[1], r[2], r[3], r[4], dict(zip(names, (int(n or 0) for n in r[5:]),
                                                         strict=True)))
        for r in db.conn.execute(sql, [*args, limit, offset])
    ]  # fmt: skip
