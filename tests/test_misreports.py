"""What the commands say must be what happened (issue 13, item 7): check-links called guard
refusals "not answering now", `add` printed "unchanged" for a page it did not keep, `make run`
ignored the config one asked for, `status` printed Python dicts."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from run_support import pdf
from support import ROOT

from pipeline import store
from pipeline.cli import main


def pipeline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_:
        main(["--db", str(tmp_path / "t.db"), *args])
    code = exit_.value.code
    out = capsys.readouterr()
    return (code if isinstance(code, int) else 0), out.out, out.err


def test_check_links_reports_guard_refusals_as_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    urls = ["http://10.0.0.1/intranet", "http://127.0.0.1:9/local"]
    entry = {
        "id": "pe-x", "country": "PE", "title": "X", "norms": [],
        "sources": [{"url": u, "source_name": "Intranet"} for u in urls],
    }  # fmt: skip
    (tmp_path / "p.json").write_text(json.dumps([entry]), encoding="utf-8")
    assert pipeline(tmp_path, capsys, "policies", "import", str(tmp_path / "p.json"))[0] == 0
    code, out, err = pipeline(tmp_path, capsys, "check-links")
    assert code == 0, err
    assert "2 refused" in out and "0 not answering now" in out
    for url in urls:
        assert re.search(rf"^refused: {re.escape(url)} \(blocked_address: ", out, re.M), out


def test_add_never_says_unchanged_for_a_page_it_did_not_keep(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blank = tmp_path / "escaneo.pdf"  # a PDF with no text at all (a scan): nothing to keep
    blank.write_bytes(pdf(""))
    wall = tmp_path / "wall.html"
    wall.write_text(
        "<html><head><title>Just a moment...</title></head><body>Checking your browser before"
        " accessing.</body></html>",
        encoding="utf-8",
    )
    good = tmp_path / "ds.txt"
    good.write_text("Lima. Se publicó el Decreto Supremo N° 004-2021-JUS.\n", encoding="utf-8")
    for _ in range(2):  # the second time too: nothing was kept, so nothing is "unchanged"
        code, out, err = pipeline(tmp_path, capsys, "add", str(blank), str(wall), str(good))
        assert code == 1
        assert "unchanged: file" not in out.replace(good.as_uri(), "")
        assert f"not kept: {blank}: no text could be read from it" in err
        assert f"not kept: {wall}: a bot wall or login page, not the document" in err
    assert out.startswith("unchanged: " + good.resolve().as_uri())
    db = store.connect(tmp_path / "t.db")
    urls = {u for (u,) in db.conn.execute("SELECT d.url FROM versions v JOIN documents d"
                                          " ON d.id = v.document_id")}  # fmt: skip
    assert urls == {good.resolve().as_uri()}


def test_status_prints_words_not_python_dicts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = store.connect(tmp_path / "t.db", create=True)
    run_id = store.start_run(db, "run")
    stats = {"links": 20, "new_versions": 3, "deferred": 1, "stopped": False,
             "failures": {"timeout": 2, "robots": 16}}  # fmt: skip
    store.finish_run(db, run_id, "partial", stats)
    code, out, _ = pipeline(tmp_path, capsys, "status")
    assert code == 0
    assert "failures: robots 16, timeout 2" in out
    assert "{" not in out and "=" not in out


def test_run_line_reads_like_a_sentence() -> None:
    from pipeline.commands.core import run_line

    line = run_line({"sources": 2, "auto": 1, "stopped": True, "failures": {}})
    assert line == "2 sources, 1 auto-accepted, stopped at --max-duration"
    assert run_line({}) == "nothing done"


def test_make_run_passes_the_config_it_is_given() -> None:
    def dry(*args: str) -> str:
        done = subprocess.run(
            ["make", "--no-print-directory", "-n", "run", *args],
            cwd=ROOT, capture_output=True, text=True, check=True,
        )  # fmt: skip
        return next(line for line in done.stdout.splitlines() if "/pipeline --db" in line)

    assert dry("CONFIG=/etc/observatory/sources.toml").endswith(
        "--config /etc/observatory/sources.toml run"
    )
    assert "--config sources.toml run" in dry()
