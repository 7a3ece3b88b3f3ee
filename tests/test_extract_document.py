"""extract_document end to end over the fixture pages: every page has an expected-output JSON."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from pipeline.errors import ExtractError
from pipeline.extract import EXTRACTOR_VERSION, extract_document
from pipeline.models import DateKind, DateMethod, Extraction, Link

PAGES = Path(__file__).parent / "fixtures" / "pages"
FETCHED = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
FIXTURES = sorted(p for p in PAGES.iterdir() if p.suffix in (".html", ".txt", ".pdf"))


def run(page: Path, expected: dict[str, Any]) -> Extraction:
    return extract_document(
        page.read_bytes(),
        url=expected["url"],
        content_type=expected.get("content_type", ""),
        fetched_at=FETCHED,
    )


def test_every_fixture_page_has_expected_output() -> None:
    assert FIXTURES, "no fixture pages"
    missing = [p.name for p in FIXTURES if not p.with_suffix(".json").exists()]
    assert not missing, f"fixture pages without an expected .json: {missing}"


def _check_dates(got: Extraction, wanted: list[dict[str, str]]) -> None:
    have = {(d.value.isoformat(), d.kind.value, d.method.value, d.norm) for d in got.dates}
    for want in wanted:
        match = [
            h
            for h in have
            if h[0] == want["date"]
            and h[1] == want["kind"]
            and h[2] == want.get("method", h[2])
            and h[3] == want.get("norm", h[3])
        ]
        assert match, f"missing {want} in {sorted(have)}"


@pytest.mark.parametrize("page", FIXTURES, ids=lambda p: p.name)
def test_fixture_page(page: Path) -> None:
    expected = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
    got = run(page, expected)
    assert got.page_class == expected["page_class"]
    assert got.extractor_version == EXTRACTOR_VERSION
    if "language" in expected:
        assert got.language == expected["language"]
    assert expected.get("title_contains", "") in got.title
    if expected["published"] is None:
        assert got.published is None
    else:
        assert got.published is not None
        assert got.published.value.isoformat() == expected["published"]["date"]
        if "method" in expected["published"]:
            assert got.published.method.value == expected["published"]["method"]
    _check_dates(got, expected["dates"])
    assert set(expected["norms"]) <= {n.key for n in got.norms}
    if "summary" in expected:
        assert got.summary == expected["summary"]
    assert got.summary.startswith(expected.get("summary_startswith", ""))
    for banned in expected.get("summary_excludes", []):
        assert banned not in got.summary
    assert len(got.summary) <= 420


def test_listing_date_wins_and_listed_title_fills_in() -> None:
    body = b"<html><body><p>Texto sin fecha ni titulo, solo un parrafo.</p></body></html>"
    listed = Link(
        "el-peruano", "https://x.pe/n", listed_title="DS 004", listed_date=dt.date(2021, 4, 22)
    )
    got = extract_document(body, url=listed.url, listed=listed, fetched_at=FETCHED)
    assert got.published is not None
    assert (got.published.value, got.published.method) == (dt.date(2021, 4, 22), DateMethod.LISTING)
    assert got.published.kind is DateKind.PUBLISHED


def test_listing_date_in_the_future_is_ignored() -> None:
    listed = Link("s", "https://x.pe/n", listed_date=dt.date(2030, 1, 1))
    got = extract_document(b"<p>hola</p>", url=listed.url, listed=listed, fetched_at=FETCHED)
    assert got.published is None or got.published.method is not DateMethod.LISTING


def test_plain_text_document() -> None:
    body = "Lima, 22 de abril de 2021\n\nEl Gobierno aprobó hoy un decreto supremo.".encode()
    got = extract_document(
        body, url="https://x.pe/a.txt", content_type="text/plain", fetched_at=FETCHED
    )
    assert got.published is not None and got.published.value == dt.date(2021, 4, 22)
    assert got.language == "es"


@pytest.mark.parametrize("body", [bytes(range(256)) * 40, b"\x00\x01\x02\x03" * 3000])
def test_binary_junk_raises_extract_error(body: bytes) -> None:
    with pytest.raises(ExtractError):
        extract_document(body, url="https://x.pe/file.bin")


@pytest.mark.parametrize("body", [b"", b"   \n", b"<html></html>", b"<"])
def test_empty_documents_do_not_raise(body: bytes) -> None:
    got = extract_document(body, url="https://x.pe/")
    assert got.page_class in ("empty", "ok")
    assert got.summary == ""


def test_a_date_before_the_sources_window_is_not_the_publication_date() -> None:
    body = (
        b"Lima, 22 de abril de 2021. El Decreto Supremo N\xc2\xb0 004-2021-JUS crea el mecanismo.\n"
    )
    inside = extract_document(body, url="https://x.test/a.txt")
    assert inside.published is not None and inside.published.value == dt.date(2021, 4, 22)
    outside = extract_document(body, url="https://x.test/a.txt", earliest=dt.date(2022, 1, 1))
    assert outside.published is None or outside.published.value >= dt.date(2022, 1, 1)
