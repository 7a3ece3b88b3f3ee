"""The store side of the nightly job: run states the wrapper sets, the numbers of a run's report,
and the report itself. Part of the store (the only package that speaks SQL)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from ..errors import StoreError
from .db import now, transaction

Database = sqlite_utils.Database


def close_dead_runs(db: sqlite_utils.Database) -> int:
    """Runs still 'running' when the lock is free died (kill -9, power loss): say so."""
    with transaction(db) as conn:
        cur = conn.execute(
            "UPDATE runs SET status = 'interrupted', finished_at = COALESCE(finished_at, ?)"
            " WHERE command = 'run' AND status = 'running'",
            (now(),),
        )
    return cur.rowcount


def set_run_status(db: sqlite_utils.Database, run_id: int, status: str) -> None:
    with transaction(db) as conn:
        conn.execute(
            "UPDATE runs SET status = ?, finished_at = COALESCE(finished_at, ?) WHERE id = ?",
            (status, now(), run_id),
        )


def latest_run_id(db: sqlite_utils.Database, since: str) -> int | None:
    row = db.conn.execute(
        "SELECT MAX(id) FROM runs WHERE command = 'run' AND started_at >= ?", (since,)
    ).fetchone()
    return int(row[0]) if row and row[0] is not None else None


def known_urls(db: sqlite_utils.Database, urls: Iterable[str]) -> set[str]:
    wanted = list(dict.fromkeys(urls))
    found: set[str] = set()
    for start in range(0, len(wanted), 500):  # SQLite's cap on bound parameters
        part = wanted[start : start + 500]
        marks = ", ".join("?" for _ in part)
        sql = f"SELECT url FROM documents WHERE url IN ({marks})"  # noqa: S608 (marks only)
        found.update(row[0] for row in db.conn.execute(sql, part))
    return found


@dataclass(frozen=True)
class RunWindow:
    id: int
    started_at: str
    finished_at: str
    status: str
    stats: Mapping[str, Any]


def run_window(db: sqlite_utils.Database, run_id: int) -> RunWindow:
    row = db.conn.execute(
        "SELECT id, started_at, COALESCE(finished_at, ?), status, stats FROM runs WHERE id = ?",
        (now(), run_id),
    ).fetchone()
    if row is None:
        raise LookupError(f"no run {run_id}")
    return RunWindow(int(row[0]), row[1], row[2], row[3], json.loads(row[4]))


# When each document was first read (its first version): a document listed by a policy entry
# exists before it is ever fetched, so `documents.first_seen` would not say when it became news.
_FIRST_READ = """
    SELECT d.source_id, MIN(v.fetched_at) AS first_read
    FROM documents d JOIN versions v ON v.document_id = d.id
    GROUP BY d.id
"""


def new_documents_by_source(db: sqlite_utils.Database, w: RunWindow) -> dict[str, int]:
    """Documents first read during the run, by source."""
    rows = db.conn.execute(
        f"SELECT source_id, COUNT(*) FROM ({_FIRST_READ}) WHERE first_read BETWEEN ? AND ?"  # noqa: S608
        " GROUP BY source_id",
        (w.started_at, w.finished_at),
    )
    return {str(source): int(n) for source, n in rows}


def failures_by_source(db: sqlite_utils.Database, run_id: int) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    rows = db.conn.execute(
        "SELECT source_id, failure_class, COUNT(*) FROM failures WHERE run_id = ?"
        " GROUP BY source_id, failure_class ORDER BY source_id, failure_class",
        (run_id,),
    )
    for source, failure, n in rows:
        out.setdefault(str(source), {})[str(failure)] = int(n)
    return out


# A report names at most this many layout changes per source: one is enough to act on.
LAYOUT_DETAILS = 5


def layout_changes(db: sqlite_utils.Database, run_id: int) -> dict[str, list[str]]:
    """What each source's platform found missing in this run ("no key 'NotasMatutinas'")."""
    out: dict[str, list[str]] = {}
    rows = db.conn.execute(
        "SELECT source_id, url, detail FROM failures WHERE run_id = ? AND failure_class = ?"
        " ORDER BY id",
        (run_id, "layout_changed"),
    )
    for source, url, detail in rows:
        found = out.setdefault(str(source), [])
        if len(found) < LAYOUT_DETAILS:
            found.append(f"{detail} ({url})")
    return out


def last_new_item(db: sqlite_utils.Database) -> dict[str, str]:
    """When each source last gave us a document we had not read before (ISO time)."""
    sql = f"SELECT source_id, MAX(first_read) FROM ({_FIRST_READ}) GROUP BY source_id"  # noqa: S608
    return {str(source): str(at) for source, at in db.conn.execute(sql)}


@dataclass(frozen=True)
class MatchRow:
    policy_id: str
    policy_title: str
    url: str
    title: str
    status: str
    score: float
    reasons: tuple[str, ...]


_MATCHES = """
    SELECT m.policy_id, p.title, d.url, COALESCE(e.title, d.listed_title, ''), m.status, m.score,
           m.reasons
    FROM matches m
    JOIN policies p ON p.id = m.policy_id
    JOIN documents d ON d.id = m.document_id
    LEFT JOIN versions v ON v.id = (SELECT MAX(id) FROM versions WHERE document_id = d.id)
    LEFT JOIN extractions e ON e.id = (SELECT MAX(id) FROM extractions WHERE version_id = v.id)
    WHERE m.updated_at BETWEEN ? AND ?
    ORDER BY m.policy_id, m.score DESC, d.url
"""


def matches_in_window(db: sqlite_utils.Database, w: RunWindow) -> Iterator[MatchRow]:
    """Matches the run created or changed, with their policy and document, streamed (a big
    backfill changes tens of thousands), by policy, then strongest first."""
    cursor = db.conn.cursor()
    cursor.row_factory = sqlite3.Row
    for r in cursor.execute(_MATCHES, (w.started_at, w.finished_at)):
        yield MatchRow(r[0], r[1], r[2], r[3], r[4], float(r[5]), tuple(json.loads(r[6])))


def save_report(db: sqlite_utils.Database, run_id: int, report: Mapping[str, Any]) -> None:
    with transaction(db) as conn:
        conn.execute(
            "INSERT INTO run_reports (run_id, created_at, report) VALUES (?, ?, ?)"
            " ON CONFLICT (run_id) DO UPDATE SET created_at = excluded.created_at,"
            " report = excluded.report",
            (run_id, now(), json.dumps(report, sort_keys=True, ensure_ascii=False)),
        )


def load_report(db: sqlite_utils.Database, run_id: int | None = None) -> dict[str, Any] | None:
    """A stored report: of `run_id`, or the latest one."""
    sql = "SELECT report FROM run_reports"
    row = (
        db.conn.execute(sql + " WHERE run_id = ?", (run_id,)).fetchone()
        if run_id is not None
        else db.conn.execute(sql + " ORDER BY run_id DESC LIMIT 1").fetchone()
    )
    return dict(json.loads(row[0])) if row else None


def vacuum_into(db: sqlite_utils.Database, target: Path) -> None:
    """A consistent copy of the live database (VACUUM INTO reads one snapshot; never cp a live
    WAL database: the copy may miss committed pages still in the -wal file)."""
    try:
        db.conn.execute("VACUUM INTO ?", (str(target),))
    except sqlite3.Error as exc:  # disk full, unwritable folder
        raise StoreError(f"backup to {target} failed: {exc}") from None


def integrity_of(path: Path) -> str:
    """PRAGMA integrity_check of a database file opened read-only: "ok" or the first problem."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    except sqlite3.DatabaseError as exc:  # not a database at all
        return str(exc)
    finally:
        conn.close()


def restore_into(db: sqlite_utils.Database, source: Path) -> None:
    """Replace the live database's content with `source` through SQLite's backup API, which
    takes the locks and rewrites the WAL properly (copying files over a live database does not)."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        src.backup(db.conn)
    finally:
        src.close()
