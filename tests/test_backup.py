"""Backups: VACUUM INTO a dated copy that passes integrity_check, 7 daily + 4 weekly kept, a
corrupt copy never replaces a good one, and a restore through the command line."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner

from pipeline import store
from pipeline.backup import backup_database, backups, restore_backup, to_keep
from pipeline.cli import cli
from pipeline.errors import StoreError
from pipeline.nightly import run_lock

DAY = dt.date(2024, 5, 31)  # a Friday


def test_backup_is_a_checked_copy_with_the_data(db: sqlite_utils.Database, tmp_path: Path) -> None:
    run_id = store.start_run(db, "run")
    result = backup_database(db, tmp_path / "b", DAY)
    assert result.path.name == "observatory-2024-05-31.db"
    with sqlite3.connect(result.path) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT id FROM runs").fetchall() == [(run_id,)]
    again = backup_database(db, tmp_path / "b", DAY)  # same day: replaced, not duplicated
    assert again.path == result.path
    assert [p.name for p in (tmp_path / "b").iterdir()] == [result.path.name]


def test_retention_keeps_seven_daily_and_four_weekly() -> None:
    days = [DAY - dt.timedelta(days=n) for n in range(60)]
    keep = sorted(to_keep(days), reverse=True)
    assert keep[:7] == days[:7]
    weekly = keep[7:]
    assert len(weekly) == 4
    # One per ISO week, each the newest of its week (a Sunday), weeks before the dailies.
    assert all(d.isoweekday() == 7 for d in weekly)
    assert len({d.isocalendar()[:2] for d in weekly}) == 4


def test_old_copies_are_pruned(db: sqlite_utils.Database, tmp_path: Path) -> None:
    folder = tmp_path / "b"
    for n in range(40):
        backup_database(db, folder, DAY - dt.timedelta(days=39 - n))
    assert len(backups(folder)) == 11
    assert DAY in backups(folder)


def test_a_corrupt_database_is_never_restored(db: sqlite_utils.Database, tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4096)
    with pytest.raises(StoreError, match="integrity check"):
        restore_backup(db, bad)


def test_backup_and_restore_from_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "o.db"
    db = store.connect(path)
    store.start_run(db, "run")
    runner = CliRunner()
    made = runner.invoke(cli, ["--db", str(path), "backup"])
    assert made.exit_code == 0, made.output
    (copy,) = (tmp_path / "backups").glob("observatory-*.db")
    store.start_run(db, "run")  # a change after the backup, undone by the restore
    restored = runner.invoke(cli, ["--db", str(path), "backup", "--restore", str(copy)])
    assert restored.exit_code == 0, restored.output
    assert len(store.last_runs(store.connect(path))) == 1


def test_restore_waits_for_no_run(tmp_path: Path) -> None:
    path = tmp_path / "o.db"
    store.connect(path)
    with run_lock(path):
        result = CliRunner().invoke(cli, ["--db", str(path), "backup", "--restore", str(path)])
    assert result.exit_code == 75
