"""Backups of the database: a dated copy made with VACUUM INTO, checked with integrity_check
before it replaces anything, keeping 7 daily and 4 weekly copies; and the restore.

Takes the open database and a folder; gives the checked copy's path. The WARC archive beside the
database is append-only files: copy it with rsync, it needs no snapshot.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, StoreError
from .localfiles import check_regular
from .store.reports import Database, integrity_of, restore_into, vacuum_into

DAILY, WEEKLY = 7, 4


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    removed: tuple[Path, ...]


def backup_database(
    db: Database, folder: Path, today: dt.date, stem: str = "observatory"
) -> BackupResult:
    """Write `<folder>/<stem>-YYYY-MM-DD.db` (replacing today's), checked; then prune."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{stem}-{today.isoformat()}.db"
    # VACUUM INTO refuses an existing file, and a half-written copy must never carry a dated
    # name: write to a hidden temp name, check it, then rename.
    tmp = folder / f".{target.name}.{secrets.token_hex(6)}.tmp"
    try:
        vacuum_into(db, tmp)
        verdict = integrity_of(tmp)
        if verdict != "ok":
            raise StoreError(f"backup failed its integrity check ({verdict}); kept nothing")
        tmp.replace(target)
    except OSError as exc:
        raise StoreError(f"cannot write backup in {folder}: {exc.strerror}") from None
    finally:
        tmp.unlink(missing_ok=True)
    removed = prune(folder, stem)
    return BackupResult(target, target.stat().st_size, removed)


def backups(folder: Path, stem: str = "observatory") -> dict[dt.date, Path]:
    pattern = re.compile(rf"{re.escape(stem)}-(\d{{4}}-\d{{2}}-\d{{2}})\.db")
    found = {}
    for path in folder.glob(f"{stem}-*.db") if folder.is_dir() else ():
        match = pattern.fullmatch(path.name)
        if match and not path.is_symlink():
            found[dt.date.fromisoformat(match.group(1))] = path
    return found


def to_keep(dates: Iterable[dt.date], daily: int = DAILY, weekly: int = WEEKLY) -> set[dt.date]:
    """The newest `daily` copies, then the newest copy of each of the `weekly` ISO weeks before
    them: about five weeks back with eleven files."""
    ordered = sorted(set(dates), reverse=True)
    keep = set(ordered[:daily])
    covered = {day.isocalendar()[:2] for day in keep}
    weeks = 0
    for day in ordered[daily:]:  # newest first: the first day met in a week is its newest
        week = day.isocalendar()[:2]
        if week in covered:
            continue
        if weeks == weekly:
            break
        covered.add(week)
        keep.add(day)
        weeks += 1
    return keep


def prune(folder: Path, stem: str = "observatory") -> tuple[Path, ...]:
    found = backups(folder, stem)
    keep = to_keep(found)
    removed = tuple(path for day, path in sorted(found.items()) if day not in keep)
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def restore_backup(db: Database, source: Path) -> None:
    """Check `source`, then copy it into the live database (the caller holds the run lock)."""
    try:
        check_regular(source, "backup")
    except InputError as exc:
        raise StoreError(str(exc)) from None
    verdict = integrity_of(source)
    if verdict != "ok":
        raise StoreError(f"{source} failed its integrity check ({verdict}); nothing restored")
    restore_into(db, source)
    os.sync()
