"""Review stage: editors' passwords. The only user of argon2 (argon2id, the library's current
recommended cost); the store keeps only the encoded hash, which carries its own parameters.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from ..errors import InputError
from ..store.decisions import Database
from ..store.users import password_hash, replace_hash, set_user

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
# NIST SP 800-63B's floor for a memorised secret chosen by its owner.
MIN_PASSWORD = 8
MAX_PASSWORD = 1024  # hashing cost grows with length: refuse megabyte "passwords"
_HASHER = PasswordHasher()
# Verified against when the name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY = _HASHER.hash("no such editor: timing equaliser")


def check_name(name: str) -> str:
    if not _NAME.match(name):
        raise InputError(
            "an editor's name is 1-64 letters, digits, '.', '_', '@' or '-', starting with a "
            f"letter or digit: {name!r}"
        )
    return name


def set_password(db: Database, name: str, password: str) -> bool:
    """Create the editor (or reset the password); True when the account is new."""
    check_name(name)
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise InputError(f"a password needs {MIN_PASSWORD} to {MAX_PASSWORD} characters")
    return set_user(db, name, _HASHER.hash(password))


def authenticate(db: Database, name: str, password: str) -> bool:
    """Whether `password` is this enabled editor's; upgrades an outdated hash on success."""
    if not _NAME.match(name) or len(password) > MAX_PASSWORD:
        return False
    stored = password_hash(db, name)
    try:
        _HASHER.verify(stored or _DUMMY, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    if stored is None:
        return False
    if _HASHER.check_needs_rehash(stored):
        replace_hash(db, name, stored, _HASHER.hash(password))
    return True


class LoginThrottle:
    """Failed logins per editor name and per client address, in a sliding window: past the
    limit, further attempts are refused without checking the password, so a password cannot be
    guessed by brute force (in memory: a restart forgets, which only helps an owner locked out)."""

    LIMIT = 5  # failures allowed within the window: enough for typos, far too few for guessing
    WINDOW = 15 * 60.0  # seconds

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> list[float]:
        kept = [t for t in self._failures.get(key, []) if now - t < self.WINDOW]
        self._failures[key] = kept
        return kept

    def blocked_for(self, *keys: str) -> float:
        """Seconds until these keys may try again (0: they may now)."""
        now = self._clock()
        with self._lock:
            waits = [
                self.WINDOW - (now - recent[0])
                for recent in (self._recent(key, now) for key in keys)
                if len(recent) >= self.LIMIT
            ]
        return max(waits, default=0.0)

    def failed(self, *keys: str) -> None:
        now = self._clock()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)

    def succeeded(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)
