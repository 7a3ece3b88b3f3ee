"""Editors' accounts in the store: a name and a password hash (made by review/auth.py, never here).

Part of the store (the only package that speaks SQL). No plain password ever reaches this module.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from .db import now, transaction


def set_user(db: sqlite_utils.Database, name: str, password_hash: str) -> bool:
    """Create the account, or give an existing one a new password (and enable it): a new
    password ends every session of the old one. Returns True when the account is new."""
    with transaction(db) as conn:
        existed = conn.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone()
        conn.execute(
            "INSERT INTO users (name, password_hash, created_at) VALUES (?, ?, ?)"
            " ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash,"
            " disabled = 0",
            (name, password_hash, now()),
        )
        conn.execute("DELETE FROM sessions WHERE editor = ?", (name,))
    return existed is None


@dataclass(frozen=True)
class Account:
    """What `pipeline users list` shows: never the hash."""

    name: str
    created_at: str
    last_login: str | None
    disabled: bool
    sessions: int  # live sessions now


def list_users(db: sqlite_utils.Database) -> list[Account]:
    rows = db.conn.execute(
        "SELECT u.name, u.created_at, u.last_login, u.disabled,"
        " (SELECT COUNT(*) FROM sessions s WHERE s.editor = u.name AND s.expires_at > ?)"
        " FROM users u ORDER BY u.name",
        (now(),),
    ).fetchall()
    return [Account(r[0], r[1], r[2], bool(r[3]), r[4]) for r in rows]


def remove_user(db: sqlite_utils.Database, name: str) -> bool:
    """Delete the account and end its sessions; its decisions keep its name. False if unknown."""
    with transaction(db) as conn:
        conn.execute("DELETE FROM sessions WHERE editor = ?", (name,))
        return conn.execute("DELETE FROM users WHERE name = ?", (name,)).rowcount == 1


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
