"""`pipeline sources list|check` and `pipeline replay`, as an operator runs them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from faultserver import FaultServer, ok
from run_support import html, page
from support import ROOT

DS = "Decreto Supremo N° 004-2021-JUS"


def pipeline(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "pipeline", "--db", str(tmp / "t.db")]
    cmd += ["--config", str(tmp / "sources.toml"), *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60, cwd=ROOT, check=False)


def _config(tmp: Path, srv: FaultServer, extra: str = "") -> None:
    (tmp / "sources.toml").write_text(
        f"""
[fetch]
allow_addresses = ["127.0.0.1/32"]
allow_ports = [{srv.port}]
delay_seconds = 0.0
retries = 0

[[source]]
id = "news"
name = "News"
kind = "feed"
url = "{srv.url("/feed")}"
{extra}
""",
        encoding="utf-8",
    )


def _feed(srv: FaultServer) -> bytes:
    item = f"<item><title>{DS}</title><link>{srv.url('/ds')}</link></item>"
    return f'<rss version="2.0"><channel><title>t</title>{item}</channel></rss>'.encode()


def test_list_and_check_show_what_a_run_would_fetch_without_writing(tmp_path: Path) -> None:
    with FaultServer() as srv:
        srv.routes["/feed"] = ok(_feed(srv))
        _config(tmp_path, srv)
        listed = pipeline(tmp_path, "sources", "list")
        checked = pipeline(tmp_path, "sources", "check")
        assert [p for p, _ in srv.requests] == ["/robots.txt", "/feed"]  # never the page itself
    assert listed.returncode == 0 and "news  feed  enabled" in listed.stdout
    assert checked.returncode == 0, checked.stderr
    assert "news [feed]: 1 links" in checked.stdout and srv.url("/ds") in checked.stdout
    assert not (tmp_path / "t.db").exists()


def test_check_fails_with_one_line_per_unreadable_source(tmp_path: Path) -> None:
    with FaultServer() as srv:
        srv.routes["/robots.txt"] = ok(b"User-agent: *\nDisallow: /feed\n")
        _config(tmp_path, srv)
        result = pipeline(tmp_path, "sources", "check")
    assert result.returncode == 1
    assert "news [feed]: FAILED robots: disallowed by robots.txt" in result.stdout


def test_a_bad_config_is_one_line_naming_the_source(tmp_path: Path) -> None:
    with FaultServer() as srv:
        _config(tmp_path, srv, 'options = { items = "li" }')
        result = pipeline(tmp_path, "sources", "check", "--offline")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "source 'news'" in result.stderr


def test_replay_rebuilds_a_database_from_the_archive_alone(tmp_path: Path) -> None:
    with FaultServer() as srv:
        srv.routes["/feed"] = ok(_feed(srv))
        srv.routes["/ds"] = page(html(DS, "Crea el mecanismo intersectorial."))
        _config(tmp_path, srv)
        assert pipeline(tmp_path, "run").returncode == 0
    archives = sorted((tmp_path / "archive").rglob("*.warc.gz"))
    assert len(archives) == 1
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    (fresh / "sources.toml").write_text("", encoding="utf-8")
    first = pipeline(fresh, "replay", str(archives[0]))
    again = pipeline(fresh, "replay", str(archives[0]))
    assert first.returncode == 0, first.stderr
    assert "1 added" in first.stdout and "1 unchanged" in again.stdout
    extracted = pipeline(fresh, "status").stdout
    assert "1 documents" in extracted and "1 extractions" in extracted
    missing = pipeline(fresh, "replay", str(tmp_path / "nope.warc.gz"))
    assert missing.returncode == 2 and "archive not found" in missing.stderr
