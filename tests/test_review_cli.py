"""The review and users commands: list, show, accept (with edits), reject, undo, reassign, and
editors' accounts with argon2id hashes; filters and sort keys that cannot inject SQL."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner, Result
from test_review_support import seed

from pipeline import store
from pipeline.cli import cli
from pipeline.errors import InputError
from pipeline.review import auth
from pipeline.review.queue import filter_query, parse_filter
from pipeline.store.decisions import DecisionConflict, history
from pipeline.store.queue import QueueFilter, list_queue


@pytest.fixture
def dbfile(tmp_path: Path) -> tuple[Path, list[int]]:
    path = tmp_path / "r.db"
    return path, seed(store.connect(path))


def run(path: Path, *args: str, stdin: str | None = None) -> Result:
    env = {"PIPELINE_EDITOR": "ana"}
    return CliRunner().invoke(cli, ["--db", str(path), *args], input=stdin, env=env)


def test_list_show_accept_reject_undo_reassign(dbfile: tuple[Path, list[int]]) -> None:
    path, ids = dbfile
    listed = run(path, "review", "list")
    assert listed.exit_code == 0 and listed.output.split()[0] == str(ids[0])  # lowest score first
    shown = run(path, "review", "show", str(ids[0]))
    assert "token:" in shown.output and "cites Decreto Supremo" in shown.output
    token = shown.output.split("token:")[1].split()[0]
    ok = run(path, "review", "accept", str(ids[0]), "--snippet", "Short.", "--expect", token)
    assert ok.exit_code == 0, ok.output
    stale = run(path, "review", "reject", str(ids[0]), "--reason", "dup", "--expect", token)
    assert isinstance(stale.exception, DecisionConflict)  # the root command prints it, exits 2
    assert run(path, "review", "undo", str(ids[0])).exit_code == 0
    assert run(path, "review", "reject", str(ids[1]), "--reason", "off topic").exit_code == 0
    moved = run(path, "review", "reassign", str(ids[2]), "pe-other")
    assert moved.exit_code == 0 and "accepted the document as match" in moved.output
    db = store.connect(path)
    assert [h.editor for h in history(db, policy_id="pe-mecanismo")] == ["ana"] * 4
    exported = run(path, "export", "--format", "json", "--status", "all")
    assert "Short." not in exported.output  # the undo took the acceptance (and its edit) back


def test_users_add_hashes_with_argon2id(tmp_path: Path) -> None:
    path = tmp_path / "u.db"
    assert (
        run(path, "users", "add", "ana", "--password-stdin", stdin="a long secret\n").exit_code == 0
    )
    db = store.connect(path)
    (stored,) = db.conn.execute("SELECT password_hash FROM users WHERE name = 'ana'").fetchone()
    assert stored.startswith("$argon2id$") and "a long secret" not in stored
    assert auth.authenticate(db, "ana", "a long secret")
    assert not auth.authenticate(db, "ana", "a long secreT")
    assert not auth.authenticate(db, "nobody", "a long secret")
    short = run(path, "users", "add", "ben", "--password-stdin", stdin="short\n")
    assert isinstance(short.exception, InputError) and "8 to 1024" in str(short.exception)
    bad = run(path, "users", "add", "a b", "--password-stdin", stdin="a long secret\n")
    assert isinstance(bad.exception, InputError)
    db.conn.execute("UPDATE users SET disabled = 1 WHERE name = 'ana'")
    assert not auth.authenticate(db, "ana", "a long secret")


@pytest.mark.parametrize(
    "search", ["%", "_", "\\", "' OR 1=1 --", '" OR ""="', "x') UNION SELECT * FROM users --"]
)
def test_search_is_literal(db: sqlite_utils.Database, search: str) -> None:
    seed(db)
    assert list_queue(db, QueueFilter(status="all", search=search)) == []


def test_filters_are_parameters_and_sort_keys_an_allow_list(db: sqlite_utils.Database) -> None:
    seed(db)
    evil = {"status": "pending' OR 1=1 --", "sort": "m.score; DROP TABLE matches",
            "country": "PE' --", "policy": "x' OR '1'='1"}  # fmt: skip
    f = parse_filter(evil)
    assert (f.status, f.sort) == ("pending", "uncertain")
    assert list_queue(db, f) == []
    assert len(list_queue(db, parse_filter({"q": "mecanismo", "sort": "newest"}))) == 1
    assert filter_query(parse_filter({"status": "all", "q": "a&b=c"})) == "status=all&q=a%26b%3Dc"
    assert db.conn.execute("SELECT COUNT(*) FROM matches").fetchone()[0] == 3


def test_show_offers_the_draft_and_accept_use_draft_publishes_it(
    dbfile: tuple[Path, list[int]], tmp_path: Path
) -> None:
    path, ids = dbfile
    shown = run(path, "review", "show", str(ids[0]))
    draft = (
        "Peru adopted Supreme Decree No. 004-2021-JUS (Ministerio de Justicia y Derechos Humanos)."
    )
    assert f"draft:    {draft}" in shown.output
    assert (
        "authority: 'Ministerio de Justicia y Derechos Humanos' from grammar: 'JUS'" in shown.output
    )
    # a suggestion only: no export shows it before an editor takes it
    assert draft not in run(path, "export", "--format", "json", "--status", "all").output
    both = run(path, "review", "accept", str(ids[0]), "--use-draft", "--snippet", "x")
    assert isinstance(both.exception, InputError) and "not both" in str(both.exception)
    assert run(path, "review", "accept", str(ids[0]), "--use-draft").exit_code == 0
    assert draft in run(path, "export", "--format", "json").output
    # the observatory's language comes from the config file
    config = tmp_path / "es.toml"
    config.write_text('[publish]\nlanguage = "es"\n', encoding="utf-8")
    spanish = run(path, "--config", str(config), "review", "show", str(ids[1]))
    assert "draft:    Perú adoptó la norma Decreto Supremo N° 004-2021-JUS" in spanish.output
