"""Credentials of a platform that needs an account (INLABS): read from the environment or from a
file only its owner can read, never from sources.toml, and never written anywhere.

Takes a platform's prefix ("INLABS"); gives an `Account` whose `repr` hides the password, or raises
FetchError CREDENTIALS with a line saying what to fix (the values themselves are never in it):

    PREFIX_EMAIL + PREFIX_PASSWORD          the environment (a systemd EnvironmentFile, a secret)
    PREFIX_CREDENTIALS_FILE=/path           a file of `email = ...` and `password = ...` lines,
                                            mode 0600 (or stricter) and owned by the user running
                                            the pipeline, as ssh demands of a private key
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import FailureClass, FetchError

# A credentials file is two short lines; anything larger is not one.
MAX_FILE_BYTES = 4096


@dataclass(frozen=True)
class Account:
    email: str
    password: str = field(repr=False)

    def __repr__(self) -> str:
        return "Account(email=<set>, password=<hidden>)"


def account(prefix: str, url: str, environ: Mapping[str, str] | None = None) -> Account:
    env = os.environ if environ is None else environ
    email, password = env.get(f"{prefix}_EMAIL", ""), env.get(f"{prefix}_PASSWORD", "")
    if email and password:
        return Account(email, password)
    path = env.get(f"{prefix}_CREDENTIALS_FILE", "")
    if not path:
        what = f"{prefix}_EMAIL and {prefix}_PASSWORD, or {prefix}_CREDENTIALS_FILE (a 0600 file)"
        raise _refused(url, f"no credentials: set {what}")
    return _from_file(Path(path), prefix, url)


def _from_file(path: Path, prefix: str, url: str) -> Account:
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise _refused(url, f"{prefix}_CREDENTIALS_FILE {path} is not a file")
        if info.st_mode & 0o077:
            mode = oct(stat.S_IMODE(info.st_mode))
            raise _refused(url, f"{path} is readable by others (mode {mode}): chmod 600 it")
        if info.st_uid != os.getuid():
            raise _refused(url, f"{path} belongs to another user: it must be the pipeline's own")
        if info.st_size > MAX_FILE_BYTES:
            raise _refused(url, f"{path} is too large for a credentials file")
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise _refused(url, f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise _refused(url, f"{path} is not UTF-8 text") from None
    values = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep and not line.lstrip().startswith("#"):
            values[key.strip().lower()] = value.strip()
    if not values.get("email") or not values.get("password"):
        raise _refused(url, f"{path} needs an 'email = ...' and a 'password = ...' line")
    return Account(values["email"], values["password"])


def _refused(url: str, what: str) -> FetchError:
    return FetchError(url, FailureClass.CREDENTIALS, what, attempts=0)
