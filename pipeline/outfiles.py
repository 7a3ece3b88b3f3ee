"""Export stage, the writing: files replaced atomically, and sets of files written all or nothing.

Takes target paths and their texts; gives the files, or raises ExportError having written none.
Every target is checked before the first byte is written (not a symbolic link, not a directory, a
FIFO or a device, a folder we may write in); then every text goes to a temporary file beside its
target, fsynced; only when all are staged are they renamed over their targets. A refusal or a
failure while staging (disk full) removes the temporary files and leaves every target as it was.

All of it goes through a descriptor of the folder with O_NOFOLLOW and exclusive creation, and the
rename replaces a link planted at the target instead of writing through it, so a race between
the check and the write cannot redirect an export either.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import ExportError


@dataclass(frozen=True)
class OutFile:
    path: Path
    text: str


@dataclass
class _Staged:
    out: OutFile
    folder: int  # descriptor of the target's folder
    tmp: str  # the temporary file's name in that folder


def write_atomically(path: Path, text: str) -> None:
    """One file: a temp file in the target's folder, fsync, rename."""
    write_all([OutFile(path, text)])


def write_in_folder(folder: Path, name: str, text: str) -> Path:
    """Write `name` (a sanitised file name, no folders) atomically inside `folder`."""
    target = folder / check_name(name)
    write_atomically(target, text)
    return target


def check_name(name: str) -> str:
    if name != Path(name).name or name.startswith(".") or "/" in name or "\\" in name:
        raise ExportError(f"unsafe output file name: {name!r}")
    return name


def write_all(files: Sequence[OutFile]) -> list[Path]:
    """Every file or none: all targets checked, all staged, then all renamed."""
    for out in files:
        check_target(out.path)
    folders: dict[Path, int] = {}
    staged: list[_Staged] = []
    try:
        for out in files:
            folder = folders.get(out.path.parent)
            if folder is None:
                folder = folders[out.path.parent] = _open_folder(out.path.parent)
            staged.append(_Staged(out, folder, _stage(folder, out)))
        for item in staged:
            _commit(item)
    except BaseException:
        for item in staged:
            with contextlib.suppress(OSError):  # already renamed, or never created
                os.unlink(item.tmp, dir_fd=item.folder)
        raise
    finally:
        for fd in folders.values():
            os.close(fd)
    return [out.path for out in files]


def check_target(path: Path) -> None:
    """Refuse a target we must not replace, and a folder we could not write in."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror}") from None
    if info is not None:
        if stat.S_ISLNK(info.st_mode):
            raise ExportError(f"refusing to write through a symbolic link: {path}")
        if stat.S_ISDIR(info.st_mode):
            raise ExportError(f"output path is a directory: {path}")
        if not stat.S_ISREG(info.st_mode):
            raise ExportError(f"output path is not a regular file: {path}")
    parent = path.parent  # a folder the operator named may be a link: only targets may not
    if parent.exists() and not parent.is_dir():
        raise ExportError(f"cannot write to {parent}: not a directory")
    if parent.exists() and not os.access(parent, os.W_OK | os.X_OK):
        raise ExportError(f"cannot write to {parent}: permission denied")


def _open_folder(folder: Path) -> int:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise ExportError(f"cannot write to {folder}: {exc.strerror}") from None


def _stage(folder: int, out: OutFile) -> str:
    tmp = f".{out.path.name}.{secrets.token_hex(6)}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
    try:
        fd = os.open(tmp, flags, 0o644, dir_fd=folder)
    except OSError as exc:
        raise ExportError(f"cannot write {out.path}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(out.text)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp, dir_fd=folder)
        raise ExportError(f"cannot write {out.path}: {exc.strerror}") from None
    return tmp


def _commit(item: _Staged) -> None:
    try:
        os.replace(item.tmp, item.out.path.name, src_dir_fd=item.folder, dst_dir_fd=item.folder)
        os.fsync(item.folder)  # the rename itself survives a crash
    except OSError as exc:
        raise ExportError(f"cannot write {item.out.path}: {exc.strerror}") from None
