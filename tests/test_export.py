"""Exports: stable order, spreadsheet-safe CSV, atomic writes that never follow a symlink."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from support import policy

from pipeline.errors import ExportError
from pipeline.export import export_links
from pipeline.models import LinkedSource, MatchStatus, PolicyLinks
from pipeline.outfiles import write_atomically


def source(url: str, published: str | None, title: str = "t", summary: str = "s") -> LinkedSource:
    return LinkedSource(
        url,
        "El Peruano",
        title,
        published,
        "es",
        summary,
        ("DS|4|2021|JUS",),
        MatchStatus.AUTO,
        0.95,
        ("cites it",),
    )


ITEMS = [
    PolicyLinks(
        policy(), (source("https://b.test/", "2021-04-22"), source("https://a.test/", None))
    )
]


def test_json_carries_the_contract_fields() -> None:
    (pol,) = json.loads(export_links(ITEMS, "json"))
    assert (pol["id"], pol["title"], pol["country"]) == (
        "pe-mecanismo",
        "Intersectoral Mechanism",
        "PE",
    )
    first = pol["sources"][0]
    assert first == {
        "url": "https://b.test/",
        "source_name": "El Peruano",
        "title": "t",
        "published": "2021-04-22",
        "language": "es",
        "summary": "s",
        "norms": ["DS|4|2021|JUS"],
        "status": "auto",
        "score": 0.95,
        "reasons": ["cites it"],
        "stale": False,
        "norm_urns": {},
    }


@pytest.mark.parametrize(
    "payload", ['=HYPERLINK("http://evil")', "+1+1", "-2", "@SUM(A1)", "\tx", "\rx"]
)
def test_csv_cells_cannot_become_formulas(payload: str) -> None:
    items = [PolicyLinks(policy(), (source("https://a.test/", "2021-01-01", title=payload),))]
    rows = list(csv.DictReader(io.StringIO(export_links(items, "csv"))))
    assert rows[0]["title"] == "'" + payload


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ExportError, match="unknown export format 'pdf'"):
        export_links(ITEMS, "pdf")


def test_atomic_write_replaces_whole_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "out" / "links.json"
    write_atomically(target, "old")
    write_atomically(target, "new")
    assert target.read_text() == "new"
    assert [p.name for p in target.parent.iterdir()] == ["links.json"]


def test_atomic_write_refuses_symlinks_and_folders(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("keep")
    link = tmp_path / "link.json"
    link.symlink_to(secret)
    with pytest.raises(ExportError, match="symbolic link"):
        write_atomically(link, "x")
    assert secret.read_text() == "keep"
    with pytest.raises(ExportError, match="directory"):
        write_atomically(tmp_path, "x")
