"""Runs and fetch failures in the store: what each command did, for `status` and reports."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from ..errors import FetchError
from .db import now, transaction


@dataclass(frozen=True)
class RunRow:
    id: int
    command: str
    started_at: str
    finished_at: str | None
    status: str
    stats: Mapping[str, Any]


def start_run(db: sqlite_utils.Database, command: str) -> int:
    with transaction(db) as conn:
        cur = conn.execute("INSERT INTO runs (command, started_at) VALUES (?, ?)", (command, now()))
    return int(cur.lastrowid or 0)


def finish_run(
    db: sqlite_utils.Database, run_id: int, status: str, stats: Mapping[str, Any]
) -> None:
    with transaction(db) as conn:
        conn.execute(
            "UPDATE runs SET finished_at = ?, status = ?, stats = ? WHERE id = ?",
            (now(), status, json.dumps(stats, sort_keys=True), run_id),
        )


def record_failure(
    db: sqlite_utils.Database, run_id: int | None, source_id: str, error: FetchError
) -> None:
    with transaction(db) as conn:
        conn.execute(
            "INSERT INTO failures (run_id, source_id, url, failure_class, detail, attempts, at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                run_id,
                source_id,
                error.url,
                error.failure.value,
                error.detail[:500],
                error.attempts,
                now(),
            ),
        )


def last_runs(db: sqlite_utils.Database, limit: int = 5) -> list[RunRow]:
    rows = db.conn.execute(
        "SELECT id, command, started_at, finished_at, status, stats FROM runs"
        " ORDER BY id DESC LIMIT ?",
        (limit,),
    ).fetchall()
    return [RunRow(r[0], r[1], r[2], r[3], r[4], json.loads(r[5])) for r in rows]


def table_counts(db: sqlite_utils.Database) -> dict[str, int]:
    names = (
        "policies",
        "documents",
        "versions",
        "extractions",
        "mentions",
        "matches",
        "decisions",
        "failures",
    )
    return {
        name: int(db.conn.execute(f"SELECT COUNT(*) FROM {name}").fetchone()[0])  # noqa: S608
        for name in names
    }
