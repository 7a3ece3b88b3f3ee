"""The SQLite connection: WAL, foreign keys, a busy timeout and explicit IMMEDIATE transactions.

Part of the store (the only package that speaks SQL). Takes a path; gives a migrated connection.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from ..errors import StoreError
from .migrations import migrate

# The web app and the nightly run write to the same file; 30 s covers the longest write
# transaction of a run, so neither side ever sees "database is locked".
BUSY_TIMEOUT_MS = 30_000


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def connect(path: Path, *, create: bool = True) -> sqlite_utils.Database:
    """Open (and if asked create and migrate) the database at `path`."""
    if not create and not path.exists():
        raise StoreError(f"database not found: {path} (run 'pipeline init' first)")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")
        migrate(conn)
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(f"cannot open database {path}: {exc}") from None
    except RuntimeError as exc:
        raise StoreError(f"{path}: {exc}") from None
    return sqlite_utils.Database(conn)


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE: take the write lock up front so read-then-write never deadlocks."""
    conn = db.conn
    if conn.in_transaction:  # nested use joins the outer transaction
        yield conn
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
