"""Every source has saved pages and their expected output (STYLE.md point 7).

Each folder of tests/fixtures/sources/ is named by a source id and holds `source.toml` (the source
as it is configured, loaded through the real config validation), the saved pages, `urls.json`
(which request each page answers, and which norm pages to extract: fixturesite.py) and
`expected.json`: today's date for the run, what discovery asked, every Link it gives, the drift it
noted, per documented field how many items had it (gazettes), and what extraction makes of each
norm page with its link (title, dates, norms, and the norm the gazette lists). A source of the
project's config files without a folder, a kind or a gazette platform without one, fails the suite.
Every gazette folder's README.md names the documented shape (GAZETTES.md section) and year it
follows.

Regenerate after a deliberate change with `UPDATE_FIXTURES=1 pytest tests/test_sources_fixtures.py`
and read the diff: the expected files are reviewed by eye, never trusted blindly.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest
from fixturesite import FixtureClient, Spec
from support import ROOT

from pipeline.config import load_config
from pipeline.extract import extract_document
from pipeline.fetch import DiscoverContext, discover_links
from pipeline.fetch.platforms import PLATFORMS, field_report
from pipeline.models import Link, Source, SourceKind

FIXTURES = ROOT / "tests" / "fixtures" / "sources"
FOLDERS = sorted(p for p in FIXTURES.iterdir() if p.is_dir())
CONFIGS = [ROOT / "sources.toml", ROOT / "demo" / "sources.toml"]
# policy-links reads the database, not pages: it has nothing to save.
PAGELESS = {SourceKind.POLICY_LINKS}
# The INLABS fixture logs in: the account comes from the environment, never from a file we commit.
ACCOUNT = {"INLABS_EMAIL": "observatorio@example.org", "INLABS_PASSWORD": "fixture-password"}


def _source(folder: Path) -> Source:
    config = load_config(folder / "source.toml")
    assert [s.id for s in config.sources] == [folder.name], "one source, named like its folder"
    return config.sources[0]


def _jsonable(record: Any) -> dict[str, Any]:
    out = {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}
    fetched = out.pop("fetched", None)
    if fetched is not None:  # a single-use response: its identity, not its bytes
        out["fetched"] = {"url": fetched.url, "sha256": fetched.sha256, "bytes": len(fetched.body)}
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in out.items()}


def _document(body: bytes, url: str, link: Link | None, source: Source) -> dict[str, Any]:
    got = extract_document(body, url=url, listed=link, country=source.country)
    return {
        "title": got.title,
        "published": got.published.value.isoformat() if got.published else None,
        "norms": list(dict.fromkeys(m.key for m in got.norms))[:8],
        "listed_norms": [m.key for m in got.listed_norms],
        "gazette_dates": [
            f"{d.value.isoformat()} {d.norm}" for d in got.dates if d.kind.value == "gazette"
        ],
    }


def _actual(folder: Path) -> dict[str, Any]:
    source = _source(folder)
    spec = Spec.load(folder)
    expected_path = folder / "expected.json"
    today = "2021-04-22"
    if expected_path.exists():
        today = json.loads(expected_path.read_text(encoding="utf-8"))["today"]
    client = FixtureClient(spec)
    ctx = DiscoverContext(client=client, today=dt.date.fromisoformat(today))
    links = list(discover_links(source, ctx))
    by_url = {link.url: link for link in links}
    platform = str(source.options.get("platform", ""))
    return {
        "today": today,
        "asked": client.asked,
        "links": [_jsonable(link) for link in links],
        "notes": [f"{n.failure.value}: {n.detail}" for n in ctx.notes],
        "fields": field_report(platform, links) if platform else [],
        "documents": {
            **{
                name: _document((folder / name).read_bytes(), url, by_url.get(url), source)
                for name, url in spec.raw.get("documents", {}).items()
            },
            # What a single-use or account-only link answered, extracted as the run would.
            **{
                link.url: _document(link.fetched.body, link.url, link, source)
                for link in links
                if link.fetched is not None
            },
        },
    }


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])
def test_source_fixture(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in ACCOUNT.items():
        monkeypatch.setenv(name, value)
    got = _actual(folder)
    expected_path = folder / "expected.json"
    if os.environ.get("UPDATE_FIXTURES"):
        text = json.dumps(got, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        expected_path.write_text(text, encoding="utf-8")
    assert expected_path.exists(), f"{folder.name}: no expected.json"
    assert got == json.loads(expected_path.read_text(encoding="utf-8"))


def test_every_source_kind_and_platform_has_fixtures() -> None:
    declared = [s for path in CONFIGS for s in load_config(path).sources]
    missing = sorted(
        s.id
        for s in declared
        if s.kind not in PAGELESS and not (FIXTURES / s.id / "expected.json").is_file()
    )
    assert not missing, f"sources without saved pages and expected output: {missing}"
    sources = [_source(folder) for folder in FOLDERS]
    kinds = {s.kind for s in sources}
    assert set(SourceKind) - PAGELESS <= kinds, f"kinds without fixtures: {set(SourceKind) - kinds}"
    platforms = {str(s.options["platform"]) for s in sources if s.kind is SourceKind.GAZETTE}
    assert set(PLATFORMS) <= platforms, f"platforms without fixtures: {set(PLATFORMS) - platforms}"
    for folder in FOLDERS:
        assert (folder / "expected.json").is_file(), f"{folder.name}: no expected.json"


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])
def test_gazette_fixtures_name_the_shape_they_follow(folder: Path) -> None:
    source = _source(folder)
    if source.kind is not SourceKind.GAZETTE:
        return
    note = (folder / "README.md").read_text(encoding="utf-8")
    assert "GAZETTES.md §" in note, f"{folder.name}: README.md names no GAZETTES.md section"
    assert any(str(year) in note for year in range(2013, 2031)), f"{folder.name}: no year"
    module = ROOT / "pipeline" / "fetch" / "platforms" / f"{source.options['platform']}.py"
    assert "GAZETTES.md §" in module.read_text(encoding="utf-8"), f"{module.name}: no shape noted"
