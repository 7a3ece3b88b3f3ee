"""Review stage: editors' passwords. The only user of argon2 (argon2id, the library's current
recommended cost); the store keeps only the encoded hash, which carries its own parameters.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from ..errors import InputError
from ..store.decisions import Database
from ..store.logins import (
    clear_login_failures,
    login_failures,
    prune_login_failures,
    record_login_failure,
)
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
    """Failed logins, kept in the database (a restart forgets nothing), counted in a sliding
    window two ways. Per (name, address): past PAIR_LIMIT, that name is refused from that
    address, so a password cannot be guessed, yet a colleague behind the same address (the
    recommended reverse proxy, loopback) or the owner elsewhere still gets in. Per address, any
    name: past the higher ADDRESS_LIMIT the address is refused, so one client cannot try five
    passwords on every name. A refused attempt is not checked, and not counted either.
    `pipeline users unlock` clears either."""

    PAIR_LIMIT = 5  # enough for typos, far too few for guessing
    ADDRESS_LIMIT = 50  # a whole office mistyping, not one client sweeping the editors' names
    WINDOW = 15 * 60.0  # seconds

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock  # wall time: the rows outlive the process

    def blocked_for(self, db: Database, name: str, address: str) -> float:
        """Seconds until `name` may try again from `address` (0: now)."""
        now = self._clock()
        counts = login_failures(db, _key(name), address, now - self.WINDOW)
        waits = [
            self.WINDOW - (now - first)
            for count, first, limit in (
                (counts.pair, counts.pair_first, self.PAIR_LIMIT),
                (counts.address, counts.address_first, self.ADDRESS_LIMIT),
            )
            if count >= limit
        ]
        return max(waits, default=0.0)

    def failed(self, db: Database, name: str, address: str) -> None:
        now = self._clock()
        prune_login_failures(db, now - self.WINDOW)
        record_login_failure(db, _key(name), address, now)

    def succeeded(self, db: Database, name: str, address: str) -> None:
        """The owner got in: that pair's failures are forgiven (the address's stand)."""
        clear_login_failures(db, _key(name), address)


def _key(name: str) -> str:
    return name.strip().casefold()
