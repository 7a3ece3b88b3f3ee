"""What a gazette's listing says travels with the norm into extraction and the linker.

The listing's type and number are the document's own identity: the extractor reads them into
`listed_norms` (with the gazette's publication date as the norm's gazette date, and the listing's
title when the page's own names another norm), the store keeps them, and the linker counts them as
the strongest evidence there is, so a gazette page whose text buries its number still links.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
import sqlite_utils
from support import policy

from pipeline.archive import Archive, iter_archive
from pipeline.config import LinkSettings
from pipeline.errors import PipelineError
from pipeline.extract import extract_document
from pipeline.ingest import Ingestor
from pipeline.link import PolicyIndex, link_document
from pipeline.models import CountryMethod, DateKind, DocumentCountry, Fetched, Link, MatchStatus
from pipeline.store import save_extraction
from pipeline.store.documents import current_extractions, ensure_document, store_version

MECANISMO = policy("pe-mecanismo", ["DS|4|2021|JUS"])
URL = "https://busquedas.elperuano.pe/dispositivo/NL/1946189-1"
# A norm page whose title names another norm and whose text cites its own number far down only.
PAGE = (
    "<html><head><title>Resolución Jefatural N° 000123-2021-SIS</title></head><body><main>"
    "<p>"
    + "Considerando que la protección de las personas defensoras es un deber del Estado. " * 14
    + "</p><p>Por tanto, se aprueba el Decreto Supremo N° 004-2021-JUS.</p></main></body></html>"
).encode()
LISTED = Link(
    "elperuano",
    URL,
    "Decreto Supremo que crea el Mecanismo Intersectorial",
    dt.date(2021, 4, 22),
    "Diario Oficial El Peruano",
    {
        "gazette": "El Peruano",
        "type": "DECRETO SUPREMO",
        "number": "004-2021-JUS",
        "id": "1946189-1",
    },
)

GIVEN_PE = DocumentCountry("PE", CountryMethod.GIVEN, "given")


def test_the_listed_norm_becomes_the_documents_identity() -> None:
    got = extract_document(PAGE, url=URL, listed=LISTED, country="PE")
    assert [m.key for m in got.listed_norms] == ["DS|4|2021|JUS"]
    assert "listed" in got.listed_norms[0].flags
    assert got.title == LISTED.listed_title  # the page's title names another norm
    gazette = [d for d in got.dates if d.kind is DateKind.GAZETTE and d.norm == "DS|4|2021|JUS"]
    assert [d.value for d in gazette] == [dt.date(2021, 4, 22)]


def test_a_listing_that_is_not_a_gazette_names_no_norm() -> None:
    feed_item = replace(LISTED, extra={"summary": "DECRETO SUPREMO 004-2021-JUS"})
    got = extract_document(PAGE, url=URL, listed=feed_item, country="PE")
    assert got.listed_norms == ()
    assert got.title == "Resolución Jefatural N° 000123-2021-SIS"


def test_the_gazette_listing_is_the_strongest_evidence() -> None:
    index = PolicyIndex([MECANISMO])
    listed = extract_document(PAGE, url=URL, listed=LISTED, country="PE")
    bare = extract_document(PAGE, url=URL, country="PE")
    (with_gazette,) = link_document(listed, index, LinkSettings())
    (without,) = link_document(bare, index, LinkSettings())
    assert with_gazette.status is MatchStatus.AUTO
    assert with_gazette.reasons[0] == (
        "the official gazette lists this document as Decreto Supremo N° 004-2021-JUS, "
        "one of this policy's norms"
    )
    assert without.status is MatchStatus.PENDING and without.score < with_gazette.score


def test_the_listed_norm_is_stored_and_relinking_keeps_it(db: sqlite_utils.Database) -> None:
    got = extract_document(PAGE, url=URL, listed=LISTED, country="PE")
    doc = ensure_document(db, LISTED, GIVEN_PE)
    fetched = Fetched(URL, URL, 200, {}, PAGE, "0" * 64, dt.datetime.now(dt.UTC))
    version = store_version(db, doc, fetched, "", "")
    save_extraction(db, version.version_id, got)
    (current,) = current_extractions(db)
    assert [m.key for m in current.extraction.listed_norms] == ["DS|4|2021|JUS"]
    (match,) = link_document(current.extraction, PolicyIndex([MECANISMO]), LinkSettings())
    assert match.status is MatchStatus.AUTO


def test_a_single_use_response_is_archived_even_when_unreadable(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    """Its bytes cannot be asked for again: the archive keeps them before extraction can fail."""
    archive = Archive(tmp_path / "archive", fsync=False)
    ingestor = Ingestor(db, archive, LinkSettings())
    url = "https://svrpubindc.imprenta.gov.co/diario/index.xhtml#diario-48294"
    pdf_url = "https://svrpubindc.imprenta.gov.co/diario/javax.faces.resource/dynamiccontent?x=1"
    broken = b"%PDF-1.7\n" + b"\x00garbage" * 50
    fetched = Fetched(pdf_url, pdf_url, 200, {}, broken, "1" * 64, dt.datetime.now(dt.UTC))
    link = Link("diario-oficial-co", url, extra={"archive_only": "single-use link"})
    with pytest.raises(PipelineError):
        ingestor.ingest(link, fetched, DocumentCountry("CO", CountryMethod.GIVEN, "given"))
    (record,) = iter_archive(next((tmp_path / "archive").rglob("*.warc.gz")))
    assert (record.url, record.body) == (pdf_url, broken)
