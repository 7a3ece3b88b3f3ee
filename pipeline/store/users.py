"""Editors' accounts in the store: a name and a password hash (made by review/auth.py, never here).

Part of the store (the only package that speaks SQL). No plain password ever reaches this module.
"""

from __future__ import annotations

import sqlite_utils

from .db import now, transaction


def set_user(db: sqlite_utils.Database, name: str, password_hash: str) -> bool:
    """Create the account, or give an existing one a new password (and enable it).

    Returns True when the account is new."""
    with transaction(db) as conn:
        existed = conn.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone()
        conn.execute(
            "INSERT INTO users (name, password_hash, created_at) VALUES (?, ?, ?)"
            " ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash,"
            " disabled = 0",
            (name, password_hash, now()),
        )
    return existed is None


def password_hash(db: sqlite_utils.Database, name: str) -> str | None:
    """The stored hash of an enabled account, or None (unknown and disabled look the same)."""
    row = db.conn.execute(
        "SELECT password_hash FROM users WHERE name = ? AND disabled = 0", (name,)
    ).fetchone()
    return str(row[0]) if row else None


def replace_hash(db: sqlite_utils.Database, name: str, old: str, new: str) -> None:
    """Upgrade a hash made with older cost parameters, unless the password changed meanwhile."""
    with transaction(db) as conn:
        conn.execute(
            "UPDATE users SET password_hash = ? WHERE name = ? AND password_hash = ?",
            (new, name, old),
        )


def user_exists(db: sqlite_utils.Database, name: str) -> bool:
    """Whether an enabled account has this name (a session of a disabled editor ends)."""
    return password_hash(db, name) is not None
