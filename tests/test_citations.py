"""Citations that cite: a norm's own page is cited with its number, its issuer by name, its
jurisdiction and date, under a title that names it once; fields are the ones Zotero's importers
map to a Statute (the mapping tables below, with where they were read); and each export is read
back by a tool of its kind (citeproc-py renders the CSL-JSON, bibtexparser and rispy parse)."""

from __future__ import annotations

import json

import bibtexparser
import pytest
import rispy
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from support import policy

from pipeline.export import ExportData, export_links
from pipeline.models import LinkedSource, MatchStatus, PolicyLinks
from pipeline.store.exports import SourceDetails

# Zotero's RIS import for TY STAT (zotero/translators RIS.js, `fieldMap` and
# `degenerateImportFieldMap`, commit 2814370161d0, lastUpdated 2026-01-05): the tags that land
# in a Statute field. Any other tag goes to a "no corresponding Zotero field" note.
ZOTERO_RIS_STATUTE = {
    "TY": "itemType", "TI": "nameOfAct", "AU": "creators/author", "A1": "creators/author",
    "M1": "publicLawNumber", "DA": "dateEnacted", "PY": "dateEnacted", "T2": "code",
    "VL": "codeNumber", "ET": "session", "OP": "history", "SE": "section", "AB": "abstractNote",
    "Y2": "accessDate", "UR": "url", "LA": "language", "KW": "tags", "N1": "notes",
    "ST": "shortTitle", "ID": "__ignore",
}  # fmt: skip
# ... and for NEWS (newspaperArticle) and ELEC (webpage), T2 is the publication / website title.
ZOTERO_RIS_T2 = {"NEWS": "publicationTitle", "ELEC": "websiteTitle"}
# Zotero's CSL-JSON import (zotero/utilities utilities_item.js itemFromCSLJSON, commit
# 4051881d59c6, over zotero/zotero-schema schema.json version 41, commit 5eedf4402ea6): CSL type
# legislation → statute, and the CSL variables that reach a Statute field.
ZOTERO_CSL_TYPES = {"legislation": "statute", "article-newspaper": "newspaperArticle",
                    "webpage": "webpage"}  # fmt: skip
ZOTERO_CSL_STATUTE = {
    "title": "nameOfAct", "number": "publicLawNumber", "container-title": "code",
    "volume": "codeNumber", "issued": "dateEnacted", "accessed": "accessDate", "URL": "url",
    "abstract": "abstractNote", "language": "language", "note": "extra", "author": "author",
    "chapter-number": "session", "references": "history", "page": "pages", "section": "section",
}  # fmt: skip
# Kept for CSL processors, not imported by Zotero into a Statute (it has no such field).
CSL_ONLY = {"id", "type", "jurisdiction", "publisher", "keyword", "archive_location"}
# Zotero's BibTeX import (zotero/translators BibTeX.js bibtex2zoteroTypeMap, lastUpdated
# 2026-04-01): no BibTeX type becomes a Statute; @legislation is read as a Bill.
ZOTERO_BIBTEX_TYPES = {"legislation": "bill", "article": "journalArticle", "online": "webpage"}

DS4 = "https://busquedas.elperuano.pe/normaslegales/ds-004-2021-jus-1946189-1"
DS2 = "https://busquedas.elperuano.pe/normaslegales/ds-002-2022-jus-2058412-1"
RM159 = "https://www.gob.pe/institucion/minjus/normas-legales/275893-0159-2019-jus"
DEAD = "https://www.minjus.gob.pe/noticias/gone"
SUMILLA4 = ("Decreto Supremo que crea el Mecanismo intersectorial para la protección de las"
            " personas defensoras de derechos humanos")  # fmt: skip
SUMILLA2 = "Decreto Supremo que modifica el Decreto Supremo N° 004-2021-JUS"


def source(url: str, title: str, published: str, name: str = "El Peruano") -> LinkedSource:
    return LinkedSource(url, name, title, published, "es", "Créase el Mecanismo.", (),
                        MatchStatus.ACCEPTED, 0.9, ())  # fmt: skip


def details(title: str = "", head: str = "", listed: dict[str, str] | None = None) -> SourceDetails:
    return SourceDetails(
        "2024-01-02", "", "elperuano", "PE", "ok", listed_extra=listed or {}, title=title, head=head
    )


DATA = ExportData(
    (PolicyLinks(policy(), (
        # the gazette page: title = the sumilla, the norm only in the header above the text
        source(DS4, SUMILLA4, "2021-04-22"),
        # the amending decree: its sumilla names the decree it amends, not its own number
        source(DS2, SUMILLA2, "2022-03-22"),
        # the state portal's page, titled with the number
        source(RM159, "Resolución Ministerial N.° 0159-2019-JUS", "2019-04-27", "gob.pe"),
        # never fetched and no title known: cited under its URL, never untitled
        source(DEAD, "", "2021-04-22", "MINJUSDH"),
    )),),
    details={
        DS4: details(SUMILLA4, f"{SUMILLA4}\n\nDECRETO SUPREMO N° 004-2021-JUS\nEL PRESIDENTE"),
        DS2: details(SUMILLA2, "", {"type": "DECRETO SUPREMO", "number": "002-2022-JUS",
                                    "issuer": "JUSTICIA Y DERECHOS HUMANOS"}),
        RM159: details("Resolución Ministerial N.° 0159-2019-JUS", "Ministerio de Justicia\n"),
    },
)  # fmt: skip


def csl() -> dict[str, dict[str, object]]:
    return {item["URL"]: item for item in json.loads(export_links(DATA.items, "csl",
            details=DATA.details))}  # fmt: skip


def test_the_gazettes_norms_come_out_with_number_issuer_jurisdiction_and_date() -> None:
    items = csl()
    jus = [{"literal": "Ministerio de Justicia y Derechos Humanos"}]
    for url, number, title, year in (
        (DS4, "004-2021-JUS", "Decreto Supremo N° 004-2021-JUS, que crea el Mecanismo", 2021),
        (DS2, "002-2022-JUS", "Decreto Supremo N° 002-2022-JUS, que modifica el Decreto", 2022),
        (RM159, "0159-2019-JUS", "Resolución Ministerial N.° 0159-2019-JUS", 2019),
    ):
        item = items[url]
        assert (item["type"], item["number"], item["author"]) == ("legislation", number, jus)
        assert str(item["title"]).startswith(title) and item["jurisdiction"] == "PE"
        assert item["issued"]["date-parts"][0][0] == year  # type: ignore[index]
        assert str(item["title"]).count(number) == 1  # the number once, never twice
    assert items[DEAD]["title"] == DEAD and items[DEAD]["type"] == "webpage"


def test_csl_fields_are_those_zotero_maps_to_a_statute() -> None:
    for item in csl().values():
        assert item["type"] in ZOTERO_CSL_TYPES
        if item["type"] == "legislation":
            unmapped = set(item) - set(ZOTERO_CSL_STATUTE) - CSL_ONLY
            assert not unmapped, unmapped
            assert "container-title" not in item  # it would become the statute's Code


def test_ris_tags_are_those_zotero_maps_to_a_statute() -> None:
    text = export_links(DATA.items, "ris", details=DATA.details)
    records = rispy.loads(text, skip_unknown_tags=False, enforce_list_tags=False)
    assert len(records) == 4
    for block in text.split("ER  - ")[:-1]:
        tags = [line[:2] for line in block.strip().splitlines()]
        if "TY  - STAT" in block:
            assert set(tags) <= set(ZOTERO_RIS_STATUTE), set(tags) - set(ZOTERO_RIS_STATUTE)
            assert "T2" not in tags  # Zotero reads T2 as the statute's Code
        else:
            assert block.split("TY  - ")[1][:4] in ZOTERO_RIS_T2
    ds4 = next(r for r in records if r.get("urls", [r.get("url")])[0] == DS4)
    assert ds4["type_of_reference"] == "STAT"
    assert ds4["authors"] == ["Ministerio de Justicia y Derechos Humanos"]
    assert "004-2021-JUS" in json.dumps(ds4, ensure_ascii=False)


def test_bibtex_parses_with_the_issuer_as_one_corporate_author() -> None:
    text = export_links(DATA.items, "bibtex", details=DATA.details)
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    by_url = {e.fields_dict["url"].value: e for e in library.entries}
    ds2 = by_url[DS2]
    assert ds2.entry_type == "legislation" and ds2.entry_type in ZOTERO_BIBTEX_TYPES
    assert ds2.fields_dict["number"].value == "002-2022-JUS"
    # double braces: BibTeX reads one institution, not "Humanos, Ministerio de Justicia y Derechos"
    assert ds2.fields_dict["author"].value == "{Ministerio de Justicia y Derechos Humanos}"


def test_a_csl_processor_renders_each_norm_with_its_title_once() -> None:
    items = list(csl().values())
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = [str(entry) for entry in bibliography.bibliography()]
    ds4 = next(r for r in rendered if "004-2021-JUS," in r)
    # The processor substitutes the title for a missing author; with the issuer as author the
    # title is printed once (it used to open the entry and then come again).
    assert ds4.startswith("Ministerio de Justicia y Derechos Humanos (2021)")
    assert ds4.count("Decreto Supremo N° 004-2021-JUS") == 1
    assert any(DEAD in r for r in rendered)


@pytest.mark.parametrize(
    ("country", "url", "title", "number"),
    [
        # Chile reads with the generic Spanish grammar: its number is "21.643", not "Ley N° ..."
        ("CL", "https://www.bcn.cl/leychile/navegar?idNorma=1200096",
         "Ley N° 21.643, que modifica el Código del Trabajo", "21.643"),
        # Brazil prints a lower-case number sign, which is no part of the number either
        ("BR", "https://www.planalto.gov.br/ccivil_03/_ato2019-2022/2019/decreto/D9937.htm",
         "Decreto nº 9.937/2019, que institui o Programa de Proteção", "9.937/2019"),
    ],
)  # fmt: skip
def test_a_norm_is_cited_with_its_bare_number(
    country: str, url: str, title: str, number: str
) -> None:
    data = ExportData(
        (PolicyLinks(policy(country=country), (source(url, title, "2024-01-15", "Gov"),)),),
        details={url: SourceDetails("2024-01-20", "", "gov", country, "ok", title=title)},
    )
    item = json.loads(export_links(data.items, "csl", details=data.details))[0]
    assert (item["type"], item["number"], item["jurisdiction"]) == ("legislation", number, country)
    assert item["title"] == title
