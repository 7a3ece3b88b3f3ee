"""Every source has saved pages and their expected output (STYLE.md point 7).

Each folder of tests/fixtures/sources/ is named by a source id and holds `source.toml` (the source
as it is configured, loaded through the real config validation), the saved pages, `urls.json`
(which URL serves which page, and which gazette norm views to parse) and `expected.json` (today's
date for the run, every Link discovery gives, and the fields of each norm view). A source of the
project's config files without a folder, or a kind without one, fails the suite.

Regenerate after a deliberate change with `UPDATE_FIXTURES=1 pytest tests/test_sources_fixtures.py`
and read the diff: the expected files are reviewed by eye, never trusted blindly.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from support import ROOT

from pipeline.config import load_config
from pipeline.errors import FailureClass, FetchError
from pipeline.fetch import DiscoverContext, discover_links
from pipeline.fetch.gazette import PLATFORMS
from pipeline.models import Fetched, Source, SourceKind

FIXTURES = ROOT / "tests" / "fixtures" / "sources"
FOLDERS = sorted(p for p in FIXTURES.iterdir() if p.is_dir())
CONFIGS = [ROOT / "sources.toml", ROOT / "demo" / "sources.toml"]
# policy-links reads the database, not pages: it has nothing to save.
PAGELESS = {SourceKind.POLICY_LINKS}


class FixtureGetter:
    """Serves a folder's pages for the URLs urls.json names; any other URL is a 404."""

    def __init__(self, folder: Path, urls: Mapping[str, str]) -> None:
        self.folder, self.urls = folder, urls
        self.asked: list[str] = []

    def get(
        self, url: str, headers: Mapping[str, str] | None = None, *, delay: float | None = None
    ) -> Fetched:
        self.asked.append(url)
        if url not in self.urls:
            raise FetchError(url, FailureClass.HTTP_4XX, "HTTP 404")
        body = (self.folder / self.urls[url]).read_bytes()
        return Fetched(
            url, url, 200, {}, body, hashlib.sha256(body).hexdigest(), dt.datetime.now(dt.UTC)
        )


def _source(folder: Path) -> Source:
    config = load_config(folder / "source.toml")
    assert [s.id for s in config.sources] == [folder.name], "one source, named like its folder"
    return config.sources[0]


def _jsonable(record: Any) -> dict[str, Any]:
    out = dataclasses.asdict(record)
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in out.items()}


def _actual(folder: Path) -> dict[str, Any]:
    source = _source(folder)
    spec = json.loads((folder / "urls.json").read_text(encoding="utf-8"))
    expected_path = folder / "expected.json"
    today = "2021-04-22"
    if expected_path.exists():
        today = json.loads(expected_path.read_text(encoding="utf-8"))["today"]
    getter = FixtureGetter(folder, spec["urls"])
    ctx = DiscoverContext(client=getter, today=dt.date.fromisoformat(today))
    links = [_jsonable(link) for link in discover_links(source, ctx)]
    views = {}
    for name, url in spec.get("views", {}).items():
        platform = PLATFORMS[source.options["platform"]]
        entry = platform.parse_norm_view((folder / name).read_bytes(), url)
        views[name] = _jsonable(entry)
    return {"today": today, "asked": getter.asked, "links": links, "views": views}


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])
def test_source_fixture(folder: Path) -> None:
    got = _actual(folder)
    expected_path = folder / "expected.json"
    if os.environ.get("UPDATE_FIXTURES"):
        text = json.dumps(got, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        expected_path.write_text(text, encoding="utf-8")
    assert expected_path.exists(), f"{folder.name}: no expected.json"
    assert got == json.loads(expected_path.read_text(encoding="utf-8"))


def test_every_source_and_every_kind_has_fixtures() -> None:
    declared = [s for path in CONFIGS for s in load_config(path).sources]
    missing = sorted(
        s.id
        for s in declared
        if s.kind not in PAGELESS and not (FIXTURES / s.id / "expected.json").is_file()
    )
    assert not missing, f"sources without saved pages and expected output: {missing}"
    kinds = {_source(folder).kind for folder in FOLDERS}
    assert set(SourceKind) - PAGELESS <= kinds, f"kinds without fixtures: {set(SourceKind) - kinds}"
    for folder in FOLDERS:
        assert (folder / "expected.json").is_file(), f"{folder.name}: no expected.json"
