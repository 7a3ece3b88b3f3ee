"""Editors' edits of a policy's norms and aliases are decisions: recorded append-only with who
and when, kept by a later `policies import` (which says what it kept and what it changed), and
followed by a re-link that runs in the background with visible progress, never inside the
request, and never interleaved with another writer's transaction."""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import time
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner
from review_web_support import client_for, csrf, login, wait_for_job
from support import policy
from test_review_support import seed

from pipeline import store
from pipeline.cli import cli
from pipeline.config import LinkSettings
from pipeline.extract.norms import display_for_key
from pipeline.ingest import Ingestor
from pipeline.review import policyedit
from pipeline.review.auth import set_password

NAME = "Mecanismo intersectorial para la protección de las personas defensoras"


def entry(**changes: object) -> dict[str, object]:
    base = {"id": "pe-mecanismo", "country": "PE", "title": "Intersectoral Mechanism",
            "status": "adopted", "norms": ["DS|4|2021|JUS", "RM|159|2019|JUS"],
            "aliases": [NAME]}  # fmt: skip
    return {**base, **changes}


def import_file(path: Path, tmp: Path, entries: list[dict[str, object]]) -> str:
    file = tmp / "policies.json"
    file.write_text(json.dumps(entries), encoding="utf-8")
    result = CliRunner().invoke(cli, ["--db", str(path), "policies", "import", str(file)])
    assert result.exit_code == 0, result.output
    return result.output


def items(db: sqlite_utils.Database, table: str, column: str) -> list[str]:
    sql = f"SELECT {column} FROM {table} WHERE policy_id = 'pe-mecanismo' ORDER BY 1"
    return [r[0] for r in db.conn.execute(sql)]


def test_an_import_keeps_the_editors_changes_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    import_file(path, tmp_path, [entry()])
    db = store.connect(path)
    policyedit.edit_policy(db, "pe-mecanismo", "ana", [NAME, "Mecanismo de protección"],
                           ["DS|4|2021|JUS"])  # fmt: skip
    edit = db.conn.execute("SELECT editor, field, added, removed FROM policy_edits").fetchall()
    assert sorted(edit) == [("ana", "aliases", '["Mecanismo de protección"]', "[]"),
                            ("ana", "norms", "[]", '["RM|159|2019|JUS"]')]  # fmt: skip
    same = import_file(path, tmp_path, [entry()])
    assert same.startswith("policies: 0 added, 0 changed, 1 unchanged")
    assert items(db, "policy_norms", "norm_key") == ["DS|4|2021|JUS"], "the same file is a no-op"
    newer = import_file(path, tmp_path, [entry(title="Mechanism", aliases=[NAME, "MIPDDH"])])
    assert items(db, "policy_norms", "norm_key") == ["DS|4|2021|JUS"]
    assert items(db, "policy_aliases", "alias") == ["MIPDDH", "Mecanismo de protección", NAME]
    assert "pe-mecanismo: changed title; alias 'MIPDDH' added" in newer
    assert "kept the editors' change: norm 'RM|159|2019|JUS' removed in the app (ana, " in newer
    assert "kept the editors' change: alias 'Mecanismo de protección' added in the app" in newer
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.conn.execute("DELETE FROM policy_edits")


@pytest.fixture
def served(tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "w.db"
    db = store.connect(path)
    seed(db)
    set_password(db, "ana", "correct horse battery")
    release = threading.Event()
    calls: list[tuple[int, int]] = []

    def relink(job_db: sqlite_utils.Database, progress):  # type: ignore[no-untyped-def]
        progress(0, 3)
        release.wait(10)  # the test decides when the "long" re-link goes on
        progress(3, 3)
        calls.append((3, 3))
        return 3

    return client_for(path, relink), db, release, calls


def test_saving_an_edit_returns_at_once_and_the_page_follows_the_relink(served) -> None:  # type: ignore[no-untyped-def]
    client, db, release, calls = served
    token = login(client)
    started = time.monotonic()
    r = client.post("/policy/pe-mecanismo", data={"csrf": token, "aliases": f"{NAME}\nMIPDDH",
                                                  "norms": "DS|4|2021|JUS"})  # fmt: skip
    assert r.status_code == 200 and time.monotonic() - started < 5, "no re-link in the request"
    assert "Every document is being re-linked" in r.text
    job = re.search(r'data-job="/jobs/(\d+)"', r.text)
    assert job, "the page shows the job"
    status = client.get(f"/jobs/{job.group(1)}").json()
    assert status["state"] in ("queued", "running") and not status["finished"]
    deadline = time.monotonic() + 5
    while client.get(f"/jobs/{job.group(1)}").json()["state"] != "running":
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert "Re-linking: 0 of 3 documents." in client.get(f"/jobs/{job.group(1)}").json()["text"]
    release.set()
    assert wait_for_job(db) == "done" and calls == [(3, 3)]
    done = client.get(f"/policy/pe-mecanismo?job={job.group(1)}").text
    assert "Re-linked 3 documents" in done and "ana" in done.split("Edits of norms", 1)[1]
    assert client.get("/jobs/999").status_code == 404


def test_two_edits_while_a_relink_waits_share_one_relink(served) -> None:  # type: ignore[no-untyped-def]
    from pipeline.store import jobs

    client, db, release, calls = served
    with store.transaction(db) as conn:  # two edits queued before any runner looks
        first = jobs.enqueue(conn, "relink", "pe-mecanismo", "ana")
        second = jobs.enqueue(conn, "relink", "pe-other", "ben")
    release.set()
    login(client)  # the first request starts the runner
    assert wait_for_job(db) == "done" and len(calls) == 1
    states = db.conn.execute("SELECT id, state FROM jobs ORDER BY id").fetchall()
    assert states == [(first, "done"), (second, "done")]


def test_a_relink_never_writes_between_another_writers_read_and_write(tmp_path: Path) -> None:
    """Each chunk reads its extractions inside its own BEGIN IMMEDIATE: a writer that holds
    the lock (the nightly run storing a new extraction) is waited for, and what it stored is
    what gets linked."""
    from test_review_support import seed_gazette

    path = tmp_path / "r.db"
    db = store.connect(path)
    seed(db)
    seed_gazette(db)
    other = store.connect(path)
    ingestor = Ingestor(db, None, LinkSettings())  # type: ignore[arg-type]
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        if done == 0:  # a "nightly run" takes the write lock before the first chunk
            other.conn.execute("BEGIN IMMEDIATE")
            threading.Timer(0.3, lambda: other.conn.execute("COMMIT")).start()

    started = time.monotonic()
    assert ingestor.relink_all(progress) == 4
    assert time.monotonic() - started >= 0.25, "the chunk waited for the other writer"
    assert seen[0] == (0, 4) and seen[-1] == (4, 4)


def test_the_policy_page_shows_an_edit_error_with_what_was_typed(served) -> None:  # type: ignore[no-untyped-def]
    client, db, _, _ = served
    token = login(client)
    data = {"csrf": token, "aliases": "New alias", "norms": "DS|4|2021|JUS\nnot a norm"}
    r = client.post("/policy/pe-mecanismo", data=data)
    assert r.status_code == 400 and "cannot read one norm in line 2: &#39;not a norm&#39;" in r.text
    assert ">New alias</textarea>" in r.text and "not a norm</textarea>" in r.text
    assert db.conn.execute("SELECT COUNT(*) FROM policy_edits").fetchone()[0] == 0
    assert db.conn.execute("SELECT COUNT(*) FROM jobs").fetchone()[0] == 0
    assert csrf(r.text)


def test_import_report_for_a_new_entry_and_display_of_keys(tmp_path: Path) -> None:
    db = store.connect(tmp_path / "n.db")
    result = store.import_policies(db, [policy()], display_for_key)
    assert (result.added, result.entries[0].changed) == (1, ("added",))
