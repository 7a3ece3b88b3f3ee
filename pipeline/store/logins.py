"""The review app's sessions and failed logins in the store, so that both outlive a restart.

Part of the store (the only package that speaks SQL). A session row holds the SHA-256 of the
random id the cookie carries (a stolen database gives no usable cookie), whose it is and until
when; deleting the row ends it. Failed logins are rows of (name, address, time) counted in a
sliding window by review/auth.py. Times of failures are seconds since the epoch (arithmetic on
windows); session times are ISO text like every other timestamp here.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from .db import transaction


def save_session(db: sqlite_utils.Database, id_hash: str, user: str, now: str, until: str) -> None:
    with transaction(db) as conn:
        conn.execute(
            "INSERT INTO sessions (id_hash, editor, created_at, expires_at) VALUES (?, ?, ?, ?)",
            (id_hash, user, now, until),
        )
        conn.execute("UPDATE users SET last_login = ? WHERE name = ?", (now, user))
        conn.execute("DELETE FROM sessions WHERE expires_at <= ?", (now,))  # keep it small


def session_user(db: sqlite_utils.Database, id_hash: str, now: str) -> str | None:
    """Whose live session this is: unexpired, of an account that still exists and is enabled."""
    row = db.conn.execute(
        "SELECT s.editor FROM sessions s JOIN users u ON u.name = s.editor"
        " WHERE s.id_hash = ? AND s.expires_at > ? AND u.disabled = 0",
        (id_hash, now),
    ).fetchone()
    return str(row[0]) if row else None


def end_session(db: sqlite_utils.Database, id_hash: str) -> None:
    with transaction(db) as conn:
        conn.execute("DELETE FROM sessions WHERE id_hash = ?", (id_hash,))


def end_sessions(db: sqlite_utils.Database, user: str) -> int:
    """End every session of `user` (a password change, a removed account)."""
    with transaction(db) as conn:
        return conn.execute("DELETE FROM sessions WHERE editor = ?", (user,)).rowcount


@dataclass(frozen=True)
class FailureCounts:
    pair: int  # failures of this name from this address in the window
    pair_first: float  # the oldest of them (the window frees a slot when it ages out)
    address: int  # failures from this address, any name
    address_first: float


def record_login_failure(db: sqlite_utils.Database, name: str, address: str, at: float) -> None:
    with transaction(db) as conn:
        conn.execute(
            "INSERT INTO login_failures (name, address, at) VALUES (?, ?, ?)", (name, address, at)
        )


def login_failures(
    db: sqlite_utils.Database, name: str, address: str, since: float
) -> FailureCounts:
    pair = db.conn.execute(
        "SELECT COUNT(*), MIN(at) FROM login_failures WHERE name = ? AND address = ? AND at > ?",
        (name, address, since),
    ).fetchone()
    by_address = db.conn.execute(
        "SELECT COUNT(*), MIN(at) FROM login_failures WHERE address = ? AND at > ?",
        (address, since),
    ).fetchone()
    return FailureCounts(pair[0], pair[1] or 0.0, by_address[0], by_address[1] or 0.0)


def clear_login_failures(
    db: sqlite_utils.Database, name: str | None = None, address: str | None = None
) -> int:
    """Forget failures: of a name, from an address, of both together, or all of them."""
    with transaction(db) as conn:
        return conn.execute(
            "DELETE FROM login_failures WHERE (:name IS NULL OR name = :name)"
            " AND (:address IS NULL OR address = :address)",
            {"name": name, "address": address},
        ).rowcount


def prune_login_failures(db: sqlite_utils.Database, before: float) -> None:
    with transaction(db) as conn:
        conn.execute("DELETE FROM login_failures WHERE at <= ?", (before,))
