"""The database schema: migrations produce exactly db/schema.sql, and decisions are append-only."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from support import ROOT

from pipeline import store
from pipeline.errors import StoreError
from pipeline.store.migrations import MIGRATIONS, schema_version


def test_migrated_schema_is_the_committed_schema() -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    store.migrate(conn)
    committed = (ROOT / "db" / "schema.sql").read_text(encoding="utf-8")
    assert store.dump_schema(conn) == committed, "run `make schema` and commit db/schema.sql"


def test_connect_twice_applies_migrations_once(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    store.connect(path)
    db = store.connect(path)
    assert schema_version(db.conn) == len(MIGRATIONS)
    assert db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_decisions_cannot_be_changed_or_deleted(db) -> None:  # type: ignore[no-untyped-def]
    conn = db.conn
    conn.execute("INSERT INTO policies VALUES ('p', 'PE', 't', '', '', '', 'h', '2024-01-01')")
    conn.execute("INSERT INTO documents (url, first_seen) VALUES ('https://a.test/', 'now')")
    conn.execute(
        "INSERT INTO matches (document_id, policy_id, score, reasons, method, machine_status,"
        " status, evidence_hash, created_at, updated_at)"
        " VALUES (1, 'p', 1, '[]', 'x', 'auto', 'accepted', '', 'now', 'now')"
    )
    conn.execute(
        "INSERT INTO decisions (match_id, status, editor, at) VALUES (1, 'accepted', 'ana', 'now')"
    )
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE decisions SET status = 'rejected'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM decisions")


def test_database_path_that_cannot_be_created_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="cannot open database"):
        store.connect(blocker / "sub" / "x.db")


def test_opening_a_missing_database_without_create_says_run_init(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="pipeline init"):
        store.connect(tmp_path / "absent.db", create=False)
