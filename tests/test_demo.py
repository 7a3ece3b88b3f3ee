"""End to end on the bundled offline demo web: what `make demo` does, checked against the
expected output written with the pages (demo/expected.json), and idempotent when run twice."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from support import ROOT

EXPECTED: dict[str, dict[str, Any]] = json.loads(
    (ROOT / "demo" / "expected.json").read_text(encoding="utf-8")
)


def run_demo(tmp: Path) -> subprocess.CompletedProcess[str]:
    cmd = [
        sys.executable,
        str(ROOT / "demo" / "run_demo.py"),
        "--db",
        str(tmp / "demo.db"),
        "--exports",
        str(tmp / "exports"),
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)


def snapshot(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Everything a rerun must leave as it was (timestamps of checks aside)."""
    conn = sqlite3.connect(db)
    queries = {
        "documents": "SELECT url, source_id, source_name, listed_title, listed_date FROM documents",
        "versions": "SELECT document_id, sha256, archive_ref FROM versions",
        "extractions": "SELECT version_id, title, language, published, summary, data"
        " FROM extractions",
        "matches": "SELECT document_id, policy_id, score, reasons, status, evidence_hash, stale"
        " FROM matches",
        "decisions": "SELECT match_id, status, editor, at, edits FROM decisions",
    }
    return {name: sorted(conn.execute(sql).fetchall()) for name, sql in queries.items()}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    tmp = tmp_path_factory.mktemp("demo")
    result = run_demo(tmp)
    assert result.returncode == 0, result.stdout + result.stderr
    return tmp, result.stdout


def extractions(db: Path) -> dict[str, tuple[str, str, str | None, set[str]]]:
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT d.url, e.title, e.language, e.published, e.data FROM documents d"
        " JOIN versions v ON v.document_id = d.id JOIN extractions e ON e.version_id = v.id"
    )
    return {
        url: (title, lang, pub, {n["key"] for n in json.loads(data)["norms"]})
        for url, title, lang, pub, data in rows
    }


def test_demo_prints_the_summary_and_writes_exports(demo: tuple[Path, str]) -> None:
    tmp, out = demo
    assert f"documents:            {len(EXPECTED)}" in out
    assert "fetch failures:       0" in out
    for name in ("peru-sources.json", "peru-sources.csv"):
        assert (tmp / "exports" / name).stat().st_size > 0


@pytest.mark.parametrize("url", sorted(EXPECTED))
def test_each_demo_page_is_extracted_as_expected(demo: tuple[Path, str], url: str) -> None:
    got = extractions(demo[0] / "demo.db")[url]
    want = EXPECTED[url]
    assert got[:3] == (want["title"], want["language"], want["published"])
    assert got[3] == set(want["norms"])


def test_each_demo_page_is_linked_as_expected(demo: tuple[Path, str]) -> None:
    (policy,) = json.loads((demo[0] / "exports" / "peru-sources.json").read_text(encoding="utf-8"))
    status = {s["url"]: s["status"] for s in policy["sources"]}
    for url, want in EXPECTED.items():
        if want["policy"]:
            assert status.get(url) in ("auto", "accepted"), url
        else:
            assert status.get(url) in (None, "pending"), url


def test_the_demo_stores_and_exports_the_real_urls(demo: tuple[Path, str]) -> None:
    """The demo web answers for the real hosts (`[fetch] resolve`): nothing of the loopback
    server leaks into what the observatory would publish."""
    exported = (demo[0] / "exports" / "peru-sources.json").read_text(encoding="utf-8")
    assert "127.0.0.1" not in exported
    (policy,) = json.loads(exported)
    assert all(s["url"].startswith("https://") for s in policy["sources"])
    with sqlite3.connect(demo[0] / "demo.db") as conn:
        urls = [url for (url,) in conn.execute("SELECT url FROM documents")]
    assert urls and not [u for u in urls if "127.0.0.1" in u]


def test_a_second_demo_run_changes_nothing(demo: tuple[Path, str]) -> None:
    tmp, _ = demo
    before = snapshot(tmp / "demo.db")
    exported = (tmp / "exports" / "peru-sources.json").read_bytes()
    assert run_demo(tmp).returncode == 0
    assert snapshot(tmp / "demo.db") == before
    assert (tmp / "exports" / "peru-sources.json").read_bytes() == exported
