"""Gazette platforms end to end, as an operator meets them: `pipeline sources check` and
`pipeline run` against the saved responses served on loopback under their real host names (the
`[fetch.resolve]` map, as curl --resolve), through the real client, robots rules and store.

- `sources check` says, per documented field, how many cards had it, and fails loudly when the
  layout changed;
- a run meeting a changed layout records `layout_changed` with what was missing, stores nothing of
  that source, and its report flags it;
- single-use links (Colombia's Diario Oficial) are archived on the first fetch, never asked again,
  and the export cites the archived copy;
- INLABS's credentials come from the environment and appear in no log, report, archive or database.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fixturesite import Spec, serve
from support import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "sources"
SECRET = "fixture-password"


def pipeline(
    tmp: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "pipeline", "--db", str(tmp / "t.db")]
    cmd += ["--config", str(tmp / "sources.toml"), *args]
    full = {k: v for k, v in os.environ.items() if not k.startswith("INLABS_")}
    return subprocess.run(
        cmd, capture_output=True, text=True, timeout=120, cwd=ROOT, check=False,
        env={**full, **(env or {})},
    )  # fmt: skip


@contextmanager
def loopback(tmp: Path, folder: str, source: str) -> Iterator[list[str]]:
    """Serve a fixture folder (copied, so a test may edit its pages) and write a config whose
    resolve map sends the folder's hosts to it; yields the server's request log."""
    site = tmp / "site"
    shutil.copytree(FIXTURES / folder, site)
    with serve(site) as (port, log):
        hosts = sorted(Spec.load(site).hosts())
        resolve = "\n".join(f'"{host}" = "127.0.0.1:{port}"' for host in hosts)
        (tmp / "sources.toml").write_text(
            f"""[fetch]
user_agent = "observatory-pipeline-test/0.1"
allow_addresses = ["127.0.0.1/32"]
delay_seconds = 0.0
retries = 0

[fetch.resolve]
{resolve}

{source}
""",
            encoding="utf-8",
        )
        yield log


ELPERUANO = """[[source]]
id = "elperuano"
name = "Diario Oficial El Peruano"
kind = "gazette"
url = "https://busquedas.elperuano.pe"
country = "PE"
since = "2021-04-22"
options = { platform = "elperuano", until = "2021-04-23"%s }
"""


def test_sources_check_reports_each_documented_field(tmp_path: Path) -> None:
    with loopback(tmp_path, "elperuano", ELPERUANO % "") as log:
        result = pipeline(tmp_path, "sources", "check", "--source", "elperuano", "--limit", "2")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "elperuano [gazette/elperuano]: 26 links" in lines
    for field in ("op", "tipo", "número", "sector", "sumilla", "edición"):
        assert f"  {field}: 26/26 cards" in lines
    assert "  pdf: 0/26 cards — missing" in lines
    assert not any("/dispositivo/" in line.split()[-1] for line in log)  # listing pages only
    assert not (tmp_path / "t.db").exists()


def _rebuild_day(tmp_path: Path) -> None:
    """The site changed: the first page of 22 April no longer has the cards."""
    page = tmp_path / "site" / "listing-20210422-start0.html"
    text = page.read_text(encoding="utf-8").replace("rounded-xl border bg-card", "card")
    page.write_text(text, encoding="utf-8")


def test_sources_check_says_when_the_layout_changed(tmp_path: Path) -> None:
    with loopback(tmp_path, "elperuano", ELPERUANO % ", fallback = false"):
        _rebuild_day(tmp_path)
        result = pipeline(tmp_path, "sources", "check", "--source", "elperuano")
    assert result.returncode == 1
    assert (
        "elperuano [gazette/elperuano]: FAILED layout_changed: no cards "
        "(div.rounded-xl.border.bg-card) for 2021-04-22, a day El Peruano published"
    ) in result.stdout


def test_a_run_meeting_a_changed_layout_stores_nothing_and_flags_it(tmp_path: Path) -> None:
    with loopback(tmp_path, "elperuano", ELPERUANO % ", fallback = false") as log:
        _rebuild_day(tmp_path)
        result = pipeline(tmp_path, "run", "--no-backup")
    assert result.returncode == 1, result.stderr  # partial: a source failed
    assert not any("/dispositivo/" in line for line in log)  # nothing half-read was fetched
    report = json.loads((tmp_path / "reports" / "latest.json").read_text(encoding="utf-8"))
    (source,) = [s for s in report["sources"] if s["id"] == "elperuano"]
    assert source["failures"] == {"layout_changed": 1}
    assert source["new_documents"] == 0
    assert source["layout_changed"][0].startswith("no cards (div.rounded-xl.border.bg-card)")
    markdown = (tmp_path / "reports" / "latest.md").read_text(encoding="utf-8")
    assert "⚠ layout changed" in markdown and "## Layout changed" in markdown
    status = pipeline(tmp_path, "status")
    assert "layout_changed" in status.stdout


def test_a_run_reads_the_gazette_and_its_facts_travel_with_the_norm(tmp_path: Path) -> None:
    with loopback(tmp_path, "elperuano", ELPERUANO % ", match = ['defensoras']") as log:
        (tmp_path / "seed.json").write_text(json.dumps([_POLICY]), encoding="utf-8")
        assert pipeline(tmp_path, "policies", "import", str(tmp_path / "seed.json")).returncode == 0
        result = pipeline(tmp_path, "run", "--no-backup")
        exported = pipeline(tmp_path, "export", "--format", "json", "--status", "all")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "GET https://busquedas.elperuano.pe/dispositivo/NL/1946189-1" in log
    (entry,) = json.loads(exported.stdout)
    (linked,) = entry["sources"]
    assert linked["url"] == "https://busquedas.elperuano.pe/dispositivo/NL/1946189-1"
    assert linked["title"].startswith("Decreto Supremo que crea el Mecanismo Intersectorial")
    assert linked["status"] == "auto"  # the gazette's own listing: the strongest evidence
    assert any("official gazette lists this document" in r for r in linked["reasons"])


_POLICY = {
    "id": "pe-hrd-protection",
    "country": "PE",
    "title": "Peru: protection policy for human rights defenders",
    "status": "Adopted national law or policy",
    "description": "",
    "updated": "2023-01",
    "norms": ["DS|4|2021|JUS"],
    "aliases": [],
}

DIARIO = """[[source]]
id = "diario-oficial-co"
name = "Diario Oficial de Colombia (Imprenta Nacional)"
kind = "gazette"
url = "https://svrpubindc.imprenta.gov.co/diario"
country = "CO"
since = "2011-12-27"
options = { platform = "diario_co", until = "2011-12-28" }
"""


def test_single_use_pdfs_are_archived_once_and_cited_by_their_copy(tmp_path: Path) -> None:
    policy = {**_POLICY, "id": "co-protection", "country": "CO", "norms": ["CO:DEC|4912|2011|"]}
    (tmp_path / "seed.json").write_text(json.dumps([policy]), encoding="utf-8")
    with loopback(tmp_path, "diario-oficial-co", DIARIO) as log:
        assert pipeline(tmp_path, "policies", "import", str(tmp_path / "seed.json")).returncode == 0
        first = pipeline(tmp_path, "run", "--no-backup")
        used = sum("dynamiccontent" in line for line in log)
        second = pipeline(tmp_path, "run", "--no-backup")
        exported = pipeline(
            tmp_path, "export", "--format", "json", "--status", "all",
            "--archive-base", "https://archive.example.org/",
        )  # fmt: skip
    assert first.returncode == 0, first.stdout + first.stderr
    assert second.returncode == 0, second.stdout + second.stderr  # a second use would be a 404
    assert used == 2 and sum("dynamiccontent" in line for line in log) == 2
    warcs = list((tmp_path / "archive").rglob("*.warc.gz"))
    archived = b"".join(gzip.decompress(path.read_bytes()) for path in warcs)
    assert archived.count(b"WARC-Target-URI: https://svrpubindc.imprenta.gov.co/diario/javax") == 2
    (entry,) = json.loads(exported.stdout)
    (cited,) = entry["sources"]
    assert cited["url"] == "https://svrpubindc.imprenta.gov.co/diario/index.xhtml#diario-48294"
    assert cited["archived_copy"].startswith("https://archive.example.org/")


INLABS = """[[source]]
id = "inlabs-dou"
name = "Diário Oficial da União (INLABS)"
kind = "gazette"
url = "https://inlabs.in.gov.br"
language = "pt"
country = "BR"
since = "2019-07-25"
options = { platform = "inlabs", sections = ["DO1", "DO1E"], until = "2019-07-25" }
"""


def test_inlabs_credentials_come_from_the_environment_and_go_nowhere(tmp_path: Path) -> None:
    env = {"INLABS_EMAIL": "observatorio@example.org", "INLABS_PASSWORD": SECRET}
    with loopback(tmp_path, "inlabs-dou", INLABS) as log:
        run = pipeline(tmp_path, "run", "--no-backup", env=env)
        status = pipeline(tmp_path, "status")
    assert run.returncode == 0, run.stdout + run.stderr
    asked = [line for line in log if not line.endswith("/robots.txt")]
    assert asked[0] == "POST https://inlabs.in.gov.br/logar.php"
    written = [run.stdout, run.stderr, status.stdout]
    for path in tmp_path.rglob("*"):
        if path.is_file() and "site" not in path.parts:
            data = path.read_bytes()
            raw = gzip.decompress(data) if path.suffix == ".gz" else data
            written.append(raw.decode("utf-8", errors="replace"))
    assert sum("Institui o Programa de Proteção" in text for text in written) >= 1  # it ran
    assert not any(SECRET in text for text in written)
    assert not any("inlabs_session_cookie=7c1f0e2a9b" in text for text in written)


def test_inlabs_without_credentials_fails_that_source_only(tmp_path: Path) -> None:
    with loopback(tmp_path, "inlabs-dou", INLABS) as log:
        run = pipeline(tmp_path, "run", "--no-backup")
    assert run.returncode == 1
    assert log == []  # no login attempted without an account
    report = json.loads((tmp_path / "reports" / "latest.json").read_text(encoding="utf-8"))
    (source,) = report["sources"]
    assert source["failures"] == {"credentials": 1}
