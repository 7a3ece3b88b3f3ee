"""Review stage: editors' sessions, held server-side so that they can be ended.

The signed cookie carries a random session id (and the name, for the pages); the store keeps its
SHA-256 with the editor and an expiry. A request's session is valid only while that row exists,
is unexpired, and its account is enabled: logging out deletes the row, `pipeline users remove`
and a password change delete all of an editor's rows, so a cookie copied before any of them
stops working at once instead of lasting its 12 hours.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from ..store.decisions import Database
from ..store.logins import end_session, save_session, session_user

SESSION_HOURS = 12  # one working day; then the editor logs in again


def start(db: Database, editor: str) -> str:
    """A new session for `editor`; returns the id for the cookie (the store keeps its hash)."""
    sid = secrets.token_urlsafe(32)
    now = dt.datetime.now(dt.UTC)
    until = now + dt.timedelta(hours=SESSION_HOURS)
    save_session(db, _hash(sid), editor, _iso(now), _iso(until))
    return sid


def editor_of(db: Database, sid: str) -> str | None:
    """The editor whose live session `sid` is, or None."""
    if not sid:
        return None
    return session_user(db, _hash(sid), _iso(dt.datetime.now(dt.UTC)))


def end(db: Database, sid: str) -> None:
    if sid:
        end_session(db, _hash(sid))


def _hash(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()


def _iso(when: dt.datetime) -> str:
    return when.isoformat(timespec="seconds")
