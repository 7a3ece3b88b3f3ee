"""The command line as scripts use it: contracts of extract --json, policies import, add, link,
export; and bad input as one line on stderr with a non-zero exit, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

DS_TEXT = (
    "Lima, 22 de abril de 2021. El Poder Ejecutivo publicó el Decreto Supremo N° 004-2021-JUS, "
    "que crea el Mecanismo intersectorial para la protección de las personas defensoras de "
    "derechos humanos.\n"
)
POLICY = {
    "id": "pe-mecanismo",
    "country": "PE",
    "title": "Intersectoral Mechanism",
    "status": "adopted",
    "description": "",
    "updated": "2023-01",
    "norms": ["DS|4|2021|JUS"],
    "aliases": ["Mecanismo intersectorial para la protección de las personas defensoras"],
    "sources": [],
}


def pipeline(
    tmp_path: Path, *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "pipeline", "--db", str(tmp_path / "t.db"), *args]
    return subprocess.run(
        cmd, capture_output=True, text=True, input=stdin, cwd=tmp_path, timeout=120, check=False
    )


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "ds.txt").write_text(DS_TEXT, encoding="utf-8")
    (tmp_path / "policies.json").write_text(json.dumps([POLICY]), encoding="utf-8")
    return {"ds": tmp_path / "ds.txt", "policies": tmp_path / "policies.json"}


def test_extract_json_prints_one_object_per_input(tmp_path: Path, files: dict[str, Path]) -> None:
    result = pipeline(tmp_path, "extract", str(files["ds"]), str(files["ds"]), "--json")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 2
    record = lines[0]
    assert record["input"] == str(files["ds"])
    assert record["published"] == {"date": "2021-04-22", "kind": "published", "method": "text"}
    (norm,) = record["norms"]
    assert norm["key"] == "DS|4|2021|JUS"
    assert DS_TEXT[norm["start"] : norm["end"]] == norm["raw"] == "Decreto Supremo N° 004-2021-JUS"
    assert not (tmp_path / "t.db").exists(), "extract must not write a database"


def test_add_link_export_end_to_end(tmp_path: Path, files: dict[str, Path]) -> None:
    assert pipeline(tmp_path, "init").returncode == 0
    imported = pipeline(tmp_path, "policies", "import", str(files["policies"]))
    assert "1 added" in imported.stdout
    again = pipeline(tmp_path, "policies", "import", str(files["policies"]))
    assert "0 added, 0 changed, 1 unchanged" in again.stdout
    url = "https://example.org/ds-004-2021-jus"
    added = pipeline(tmp_path, "add", str(files["ds"]), "--url", url, "--source-name", "MINJUS")
    assert "pe-mecanismo (auto)" in added.stdout, added.stderr
    assert "unchanged" in pipeline(tmp_path, "add", str(files["ds"]), "--url", url).stdout
    assert pipeline(tmp_path, "link").returncode == 0
    out = tmp_path / "out.json"
    assert pipeline(tmp_path, "export", "--format", "json", "-o", str(out)).returncode == 0
    (pol,) = json.loads(out.read_text(encoding="utf-8"))
    (src,) = pol["sources"]
    assert (src["url"], src["source_name"], src["status"]) == (url, "MINJUS", "auto")
    assert src["published"] == "2021-04-22" and src["norms"] == ["DS|4|2021|JUS"]
    status = pipeline(tmp_path, "status").stdout
    assert "1 documents" in status and "1 auto-accepted" in status


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("policies", "import", "missing.json"), "policy file not found: missing.json"),
        (("add", "nowhere.html"), "file not found: nowhere.html"),
        (("extract", "file:///etc/passwd", "--json"), "only local files and http(s) URLs"),
        (("extract", "a.txt", "b.txt", "--url", "https://x.org/"), "give exactly one input"),
        (("--config", "nope.toml", "run"), "config file not found: nope.toml"),
        (("--db", "/proc/forbidden/x.db", "init"), "cannot open database"),
        (("export", "--format", "json", "--policy", "nope"), "no policy with id 'nope'"),
        (("status",), "run 'pipeline init' first"),
    ],
)
def test_bad_input_is_one_line_and_non_zero(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    if args[0] == "export":
        pipeline(tmp_path, "init")
    result = pipeline(tmp_path, *args)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_unreachable_url_is_one_line(tmp_path: Path) -> None:
    result = pipeline(tmp_path, "extract", "http://no-such-host.invalid/x", "--json")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "no-such-host.invalid" in result.stderr


def test_loopback_urls_are_refused_without_an_explicit_allowance(tmp_path: Path) -> None:
    result = pipeline(tmp_path, "add", "http://127.0.0.1:9/secret")
    assert result.returncode != 0 and "blocked_address" in result.stderr


def test_extract_reads_any_iso_country(tmp_path: Path) -> None:
    page = tmp_path / "ar.txt"
    page.write_text("Buenos Aires. El DECRETO 99/19 reglamenta la Ley 27.541.\n", encoding="utf-8")
    result = pipeline(tmp_path, "extract", "--json", "--country", "AR", str(page))
    assert result.returncode == 0, result.stderr  # was: unexpected ValueError
    keys = [n["key"] for n in json.loads(result.stdout)["norms"]]
    assert keys == ["AR:DEC|99|2019|", "AR:LEY|27541||"]
    bad = pipeline(tmp_path, "extract", "--json", "--country", "ZZ", str(page))
    assert bad.returncode == 2 and "--country: 'ZZ' is not an ISO 3166-1 alpha-2" in bad.stderr
    assert "unexpected" not in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1


def test_policies_import_of_other_countries(tmp_path: Path) -> None:
    entries = [
        {**POLICY, "id": "hn", "country": "HN", "norms": ["DEC|34|2015|"]},
        {**POLICY, "id": "ci", "country": "CI", "norms": ["Loi n° 2014-388 du 20 juin 2014"]},
    ]
    (tmp_path / "p.json").write_text(json.dumps(entries), encoding="utf-8")
    pipeline(tmp_path, "init")
    result = pipeline(tmp_path, "policies", "import", "p.json")
    assert result.returncode == 0, result.stderr  # was: no norm grammar for country HN
    listed = pipeline(tmp_path, "policies", "list").stdout
    assert "Decreto No. 34-2015" in listed and "Loi n° 2014-388" in listed
    named = [{**POLICY, "id": "mx", "country": "MX", "norms": ["Ley para la Protección"]}]
    (tmp_path / "bad.json").write_text(json.dumps(named), encoding="utf-8")
    bad = pipeline(tmp_path, "policies", "import", "bad.json")
    assert bad.returncode == 2 and "policy 'mx' 'norms': 'Ley para la Protección'" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1
    assert pipeline(tmp_path, "policies", "list").stdout == listed  # nothing written
