"""What exports read: each policy's matches joined with the document's current extraction and
the last decision's edits, in a stable order (publication date, then URL)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from urllib.parse import urlsplit

import sqlite_utils

from ..models import LinkedSource, MatchStatus, PolicyLinks
from .policies import load_policies

_ROWS = """
    SELECT m.status, m.score, m.reasons, m.stale, d.url, d.source_name, d.listed_title,
           d.listed_date, e.title, e.published, e.language, e.summary, e.data,
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
    return LinkedSource(
        url=row["url"],
        source_name=edits.get("source_name") or row["source_name"] or _host(row["url"]),
        title=edits.get("title") or row["title"] or row["listed_title"] or "",
        published=edits.get("date") or row["published"] or row["listed_date"],
        language=row["language"] or "",
        summary=edits.get("snippet") or row["summary"] or "",
        norms=norms,
        status=MatchStatus(row["status"]),
        score=float(row["score"]),
        reasons=tuple(json.loads(row["reasons"])),
        stale=bool(row["stale"]),
    )


def _host(url: str) -> str:
    return urlsplit(url).hostname or ""
