"""What exports read: each policy's matches joined with the document's current extraction and
the last decision's edits, in a stable order (publication date, then URL); the details citation
formats need (access date, archived copy, link state); the "as of" stamp; and what each
`export --since-last` selection wrote last time."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import sqlite_utils

from ..extract.urnlex import urn_lex
from ..models import LinkedSource, MatchStatus, PolicyLinks
from .codec import listed_fields
from .db import now, transaction
from .policies import load_policies

_ROWS = """
    SELECT m.status, m.score, m.reasons, m.stale, m.snippet, d.url, d.source_name, d.listed_title,
           d.listed_date, e.title, e.published, e.language, e.summary, e.data,
           (SELECT e2.title FROM extractions e2 JOIN versions v2 ON v2.id = e2.version_id
            WHERE v2.document_id = d.id AND e2.title != '' ORDER BY e2.id DESC LIMIT 1) AS seen,
           (SELECT edits FROM decisions WHERE match_id = m.id ORDER BY id DESC LIMIT 1) AS edits
    FROM matches m
    JOIN documents d ON d.id = m.document_id
    LEFT JOIN versions v ON v.id = (SELECT MAX(id) FROM versions WHERE document_id = d.id)
    LEFT JOIN extractions e ON e.id = (SELECT MAX(id) FROM extractions WHERE version_id = v.id)
    WHERE m.policy_id = ? AND m.status IN ({marks})
"""


def policy_links(
    db: sqlite_utils.Database,
    statuses: Sequence[MatchStatus],
    policy_id: str | None = None,
    country: str | None = None,
) -> list[PolicyLinks]:
    out = []
    for policy in load_policies(db, policy_id):
        if country and policy.country != country.upper():
            continue
        sources = _sources(db.conn, policy.id, statuses)
        out.append(PolicyLinks(policy, tuple(sorted(sources, key=_order))))
    return out


def _order(s: LinkedSource) -> tuple[str, str]:
    # Undated sources go last; ties broken by URL so two exports of one state are identical.
    return (s.published or "9999", s.url)


def _sources(
    conn: sqlite3.Connection, policy_id: str, statuses: Sequence[MatchStatus]
) -> list[LinkedSource]:
    marks = ", ".join("?" for _ in statuses)
    cursor = conn.cursor()
    cursor.row_factory = sqlite3.Row
    rows = cursor.execute(_ROWS.format(marks=marks), (policy_id, *[s.value for s in statuses]))
    return [_linked(row) for row in rows]


def _linked(row: sqlite3.Row) -> LinkedSource:
    edits = json.loads(row["edits"] or "{}")
    data = json.loads(row["data"]) if row["data"] else {"norms": []}
    norms = tuple(dict.fromkeys(n["key"] for n in data["norms"]))
    issued = _issue_dates(data)
    urns = tuple((key, urn) for key in norms if (urn := urn_lex(key, issued.get(key))))
    return LinkedSource(
        url=row["url"],
        source_name=edits.get("source_name") or row["source_name"] or _host(row["url"]),
        # the editor's, the page's, the listing's, or the last one a version of it showed: a
        # source that is dead or not fetched yet is never left untitled when a title was known
        title=edits.get("title") or row["title"] or row["listed_title"] or row["seen"] or "",
        # An editor may publish a source without a date or a snippet: an edit to "" says so.
        published=(edits["date"] or None)
        if "date" in edits
        else (row["published"] or row["listed_date"]),
        language=row["language"] or "",
        # the entry's own line on a summary of norms (chosen at link time) before the page's
        summary=edits["snippet"]
        if "snippet" in edits
        else (row["snippet"] or row["summary"] or ""),
        norms=norms,
        status=MatchStatus(row["status"]),
        score=float(row["score"]),
        reasons=tuple(json.loads(row["reasons"])),
        stale=bool(row["stale"]),
        norm_urns=urns,
    )


def _issue_dates(data: Mapping[str, Any]) -> dict[str, dt.date]:
    """Each norm's issue date as the document prints it: in its citation ("Decreto nº 9.937, de
    24 de julho de 2019") or as a dated signature tied to it. A norm given two dates gets none."""
    seen: dict[str, set[str]] = {}
    for n in data["norms"]:
        if n.get("date"):
            seen.setdefault(n["key"], set()).add(n["date"])
    for d in data.get("dates", ()):
        if d.get("kind") == "issued" and d.get("norm"):
            seen.setdefault(d["norm"], set()).add(d["date"])
    return {key: dt.date.fromisoformat(next(iter(v))) for key, v in seen.items() if len(v) == 1}


def _host(url: str) -> str:
    return urlsplit(url).hostname or ""


@dataclass(frozen=True)
class SourceDetails:
    """What a citation needs beyond the published fields: when we read the page, where our copy
    is, and whether the link still answers (from `check-links`)."""

    accessed: str | None  # YYYY-MM-DD of the fetch behind the current version
    archive_ref: str  # WARC reference of that version ("" if never archived)
    source_id: str
    country: str
    link_state: str = "unchecked"  # ok | dead | unchecked
    # Why the link itself cannot be fetched again (a single-use PDF, an account): "" for most.
    archive_only: str = ""
    listed_extra: Mapping[str, str] = field(default_factory=dict)  # the gazette listing's fields
    title: str = ""  # the extracted title, before any editor's edit
    head: str = ""  # the start of the main text, where a gazette prints the norm's header


_DETAILS = """
    SELECT d.url, d.source_id, d.country, v.fetched_at, v.archive_ref, c.ok,
           json_extract(d.listed_extra, '$.archive_only'), d.listed_extra,
           e.title, substr(e.text, 1, {head})
    FROM documents d
    LEFT JOIN versions v ON v.id = (SELECT MAX(id) FROM versions WHERE document_id = d.id)
    LEFT JOIN extractions e ON e.id = (SELECT MAX(id) FROM extractions WHERE version_id = v.id)
    LEFT JOIN link_checks c ON c.url = d.url
    WHERE d.url IN ({marks})
"""


def source_details(db: sqlite_utils.Database, urls: Iterable[str]) -> dict[str, SourceDetails]:
    wanted = sorted(set(urls))
    out: dict[str, SourceDetails] = {}
    # SQLite caps bound parameters (999 on old builds): ask in slices.
    for start in range(0, len(wanted), 500):
        part = wanted[start : start + 500]
        sql = _DETAILS.format(marks=", ".join("?" for _ in part), head=HEAD_CHARS)
        for (
            url,
            source_id,
            country,
            fetched_at,
            ref,
            ok,
            only,
            extra,
            title,
            head,
        ) in db.conn.execute(sql, part):
            state = "unchecked" if ok is None else ("ok" if ok else "dead")
            accessed = fetched_at[:10] if fetched_at else None
            out[url] = SourceDetails(accessed, ref or "", source_id, country, state, only or "",
                                     listed_fields(extra), title or "", head or "")  # fmt: skip
    return out


# How much of a document's text citations read for the norm's header (ownnorm.HEADER_CHARS).
HEAD_CHARS = 800


def data_as_of(db: sqlite_utils.Database) -> str:
    """The time of the last change an export can show: a match, a decision or a policy import.

    Not the clock: two exports of one unchanged state carry the same stamp and so diff clean."""
    row = db.conn.execute(
        "SELECT MAX(t) FROM (SELECT MAX(updated_at) AS t FROM matches"
        " UNION ALL SELECT MAX(at) FROM decisions UNION ALL SELECT MAX(imported_at) FROM policies"
        " UNION ALL SELECT MAX(checked_at) FROM link_checks)"
    ).fetchone()
    return str(row[0] or "")


def export_state(db: sqlite_utils.Database, selection: str) -> tuple[str, dict[str, str]]:
    """(exported_at, fingerprint by policy id) of the last --since-last export of a selection."""
    row = db.conn.execute(
        "SELECT exported_at, fingerprints FROM export_state WHERE selection = ?", (selection,)
    ).fetchone()
    if row is None:
        return "", {}
    return str(row[0]), {str(k): str(v) for k, v in json.loads(row[1]).items()}


def save_export_state(
    db: sqlite_utils.Database, selection: str, fingerprints: Mapping[str, str]
) -> None:
    with transaction(db) as conn:
        conn.execute(
            "INSERT INTO export_state (selection, exported_at, fingerprints) VALUES (?, ?, ?)"
            " ON CONFLICT (selection) DO UPDATE SET exported_at = excluded.exported_at,"
            " fingerprints = excluded.fingerprints",
            (selection, now(), json.dumps(dict(fingerprints), sort_keys=True)),
        )


def record_link_check(
    db: sqlite_utils.Database, url: str, ok: bool, failure_class: str = "", detail: str = ""
) -> None:
    """Keep the latest check of a URL; `dead_since` remembers when it first stopped answering."""
    at = now()
    with transaction(db) as conn:
        conn.execute(
            "INSERT INTO link_checks (url, checked_at, ok, failure_class, detail, dead_since)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET"
            " checked_at = excluded.checked_at, ok = excluded.ok,"
            " failure_class = excluded.failure_class, detail = excluded.detail,"
            " dead_since = CASE WHEN excluded.ok THEN NULL"
            " ELSE COALESCE(link_checks.dead_since, excluded.checked_at) END",
            (url, at, int(ok), failure_class, detail[:500], None if ok else at),
        )


# Stages above the store take a database without importing sqlite-utils themselves.
Database = sqlite_utils.Database
