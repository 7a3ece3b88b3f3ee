"""Review stage: editors' passwords. The only user of argon2 (argon2id, the library's current
recommended cost); the store keeps only the encoded hash, which carries its own parameters.
"""

from __future__ import annotations

import re

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
