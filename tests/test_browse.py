"""`make browse` never shows editors' password hashes: Datasette runs with the users table
closed, arbitrary SQL and the database download off, and an 'editors' query that lists
accounts from the real schema without their hashes."""

from __future__ import annotations

import json
import re

import sqlite_utils
from support import ROOT

from pipeline.review.auth import set_password


def test_browse_closes_the_users_table_sql_and_downloads() -> None:
    config = json.loads((ROOT / "deploy" / "datasette.json").read_text(encoding="utf-8"))
    (database,) = config["databases"].values()
    assert database["allow_sql"] is False
    for table in ("users", "sessions", "login_failures"):  # hashes of passwords and session ids
        assert database["tables"][table]["allow"] is False
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = make.split("\nbrowse:", 1)[1].split("\n\n", 1)[0]
    assert "--metadata $(VENV)/datasette.json" in recipe and "allow_download off" in recipe
    assert 's/"DATABASE"/' in recipe, "the config is keyed by the database's own name"


def test_the_editors_query_shows_accounts_without_hashes(db: sqlite_utils.Database) -> None:
    set_password(db, "ana", "correct horse battery")
    config = json.loads((ROOT / "deploy" / "datasette.json").read_text(encoding="utf-8"))
    (database,) = config["databases"].values()
    sql = database["queries"]["editors"]["sql"]
    cursor = db.conn.execute(sql)
    names = [c[0] for c in cursor.description]
    rows = cursor.fetchall()
    assert names == ["name", "created_at", "disabled", "last_login"] and rows[0][0] == "ana"
    assert not any(re.search(r"argon2", str(v)) for row in rows for v in row)
