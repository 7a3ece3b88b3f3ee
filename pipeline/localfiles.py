"""Local files named by the user (documents to add or extract, policy files, configs, archives,
backups): regular files only, size-capped before a byte is read, JSON depth-checked.

Takes a path, a cap and what the file is for (named in errors); gives its bytes or an open file,
or raises InputError with one line. A named pipe would block `open()` until a writer came, and
`/dev/zero` never ends: the file is opened with O_NONBLOCK (opening a pipe then returns at once)
and checked with fstat on that very descriptor, so nothing can be swapped in between the check and
the read.
"""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Any, BinaryIO

from .errors import InputError

# What a policy file may nest: real ones are 3-4 levels deep.
MAX_JSON_DEPTH = 32
# A local document gets the cap a fetched one gets by default ([fetch] max_bytes).
MAX_DOCUMENT_BYTES = 20_000_000
# 5,000 entries with long descriptions and source lists come to about 20 MB.
MAX_POLICY_FILE_BYTES = 64_000_000
MAX_CONFIG_BYTES = 1_000_000
_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)
# A JSON string (escapes included; an unterminated one runs to the end) or a bracket. Strings
# hold no structure; matching them whole, in one left-to-right pass, keeps the scan linear.
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]', re.S)


def check_regular(path: Path, what: str, max_bytes: int | None = None) -> None:
    """Refuse `path` unless it is a regular file within `max_bytes`, without opening it (so a
    command can check all its inputs before writing anything)."""
    try:
        info = path.stat()
    except OSError as exc:
        raise _error(path, what, exc) from None
    _check(info, path, what, max_bytes)


def open_regular(path: Path, what: str, max_bytes: int | None = None) -> BinaryIO:
    """An open binary file, after the checks of `check_regular` on its own descriptor."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as exc:
        raise _error(path, what, exc) from None
    try:
        _check(os.fstat(fd), path, what, max_bytes)
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: Path, what: str, max_bytes: int) -> bytes:
    """The whole file, never more than `max_bytes` (a file growing while read is refused too)."""
    with open_regular(path, what, max_bytes) as handle:
        try:
            data = handle.read(max_bytes + 1)
        except OSError as exc:
            raise _error(path, what, exc) from None
    if len(data) > max_bytes:
        raise InputError(f"{what} {path} is over {_size(max_bytes)}")
    return data


def load_json(text: str, where: str, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """json.loads, after a flat scan refuses nesting deeper than `max_depth` (the parser itself
    recurses: 200,000 levels would end in RecursionError)."""
    depth = 0
    for token in _TOKEN.finditer(text):
        first = token.group()[0]
        if first == '"':
            continue
        depth += 1 if first in "[{" else -1
        if depth > max_depth:
            raise InputError(f"{where}: nested deeper than {max_depth} levels")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: not valid JSON ({exc})") from None
    except RecursionError:  # unbalanced text the scan could not judge
        raise InputError(f"{where}: nested too deeply") from None


def _check(info: os.stat_result, path: Path, what: str, max_bytes: int | None) -> None:
    for test, kind in _KINDS:
        if test(info.st_mode):
            raise InputError(f"{what} {path} is {kind}, not a regular file")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{what} {path} is not a regular file")
    if max_bytes is not None and info.st_size > max_bytes:
        raise InputError(f"{what} {path} is {_size(info.st_size)}, over {_size(max_bytes)}")


def _error(path: Path, what: str, exc: OSError) -> InputError:
    if isinstance(exc, FileNotFoundError):
        return InputError(f"{what} not found: {path}")
    return InputError(f"cannot read {what} {path}: {exc.strerror or exc}")


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{n:,} bytes"
