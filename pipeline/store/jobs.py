"""Background jobs in the store: work an editor starts that must not run inside a request (the
re-link after a policy edit), with its progress in a row the page polls.

Part of the store (the only package that speaks SQL). A job is queued in the same transaction as
the edit that needs it; a runner claims it (queued → running), reports progress and finishes it
(done or failed, with the error). A runner that died mid-job leaves it running: the next runner
puts it back in the queue first, which is safe because a re-link is idempotent.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import sqlite_utils

from .db import now, transaction


@dataclass(frozen=True)
class Job:
    id: int
    kind: str
    policy_id: str
    requested_by: str
    state: str  # queued | running | done | failed
    total: int
    done: int
    error: str
    created_at: str
    started_at: str | None
    finished_at: str | None

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")


_COLUMNS = (
    "id, kind, policy_id, requested_by, state, total, done, error, created_at, started_at,"
    " finished_at"
)


def enqueue(conn: sqlite3.Connection, kind: str, policy_id: str, requested_by: str) -> int:
    """Queue a job, inside the caller's transaction (the edit and its job commit together)."""
    cur = conn.execute(
        "INSERT INTO jobs (kind, policy_id, requested_by, created_at) VALUES (?, ?, ?, ?)",
        (kind, policy_id, requested_by, now()),
    )
    return int(cur.lastrowid or 0)


def claim_next(db: sqlite_utils.Database) -> tuple[int, ...]:
    """Every queued job of the oldest queued job's kind, now running: one re-link does the work
    of all the edits made while it waited. Their ids, oldest first; () when nothing waits."""
    with transaction(db) as conn:
        row = conn.execute(
            "SELECT kind FROM jobs WHERE state = 'queued' ORDER BY id LIMIT 1"
        ).fetchone()
        if row is None:
            return ()
        ids = tuple(
            int(r[0])
            for r in conn.execute(
                "SELECT id FROM jobs WHERE state = 'queued' AND kind = ? ORDER BY id", (row[0],)
            )
        )
        conn.executemany(
            "UPDATE jobs SET state = 'running', started_at = ?, done = 0 WHERE id = ?",
            [(now(), job_id) for job_id in ids],
        )
    return ids


def report_progress(db: sqlite_utils.Database, ids: tuple[int, ...], done: int, total: int) -> None:
    with transaction(db) as conn:
        conn.executemany(
            "UPDATE jobs SET done = ?, total = ? WHERE id = ?", [(done, total, i) for i in ids]
        )


def finish(db: sqlite_utils.Database, ids: tuple[int, ...], error: str = "") -> None:
    state = "failed" if error else "done"
    with transaction(db) as conn:
        conn.executemany(
            "UPDATE jobs SET state = ?, error = ?, finished_at = ? WHERE id = ?",
            [(state, error[:500], now(), i) for i in ids],
        )


def requeue_running(db: sqlite_utils.Database) -> int:
    """Jobs a stopped runner left running go back to the queue; how many."""
    with transaction(db) as conn:
        cur = conn.execute("UPDATE jobs SET state = 'queued' WHERE state = 'running'")
        return int(cur.rowcount)


def load_job(db: sqlite_utils.Database, job_id: int) -> Job | None:
    row = db.conn.execute(f"SELECT {_COLUMNS} FROM jobs WHERE id = ?", (job_id,)).fetchone()  # noqa: S608
    return Job(*row) if row else None


def latest_job(db: sqlite_utils.Database, policy_id: str) -> Job | None:
    """The last job an edit of this policy started (what its page shows)."""
    row = db.conn.execute(
        f"SELECT {_COLUMNS} FROM jobs WHERE policy_id = ? ORDER BY id DESC LIMIT 1",  # noqa: S608
        (policy_id,),
    ).fetchone()
    return Job(*row) if row else None
