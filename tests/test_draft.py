"""The editors' draft: one sentence in the observatory's language, only from extracted facts."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.config import PUBLISH_LANGUAGES
from pipeline.extract.norms import find_norms
from pipeline.models import DateKind, DateMention, DateMethod, Extraction
from pipeline.publish.draft import LANGUAGES, draft_for

TITLE = (
    "Decreto Supremo que crea el Mecanismo intersectorial para la protección de las personas"
    " defensoras de derechos humanos"
)
TEXT = (
    f"{TITLE}\n\nDECRETO SUPREMO N° 004-2021-JUS\nEL PRESIDENTE DE LA REPÚBLICA\n"
    "Que, mediante el Decreto Supremo N° 002-2018-JUS se aprobó el Plan Nacional;\n"
    "Dado en la Casa de Gobierno, en Lima, a los veintiún días del mes de abril del año dos mil"
    " veintiuno.\n"
)
ISSUED = DateMention(
    dt.date(2021, 4, 21),
    DateKind.ISSUED,
    DateMethod.TEXT,
    "a los veintiún días del mes de abril del año dos mil veintiuno",
    norm="DS|4|2021|JUS",
)


def doc(
    title: str = TITLE, text: str = TEXT, dates: tuple[DateMention, ...] = (ISSUED,)
) -> Extraction:
    return Extraction(
        "https://x.test/", title, "es", text, None, dates, tuple(find_norms(text, "PE")), (), ""
    )


def test_the_gazette_page_of_ds_004_2021_jus() -> None:
    got = draft_for(doc(), "PE", ["DS|4|2021|JUS"])
    assert got is not None
    assert got.text == (
        "On 21 April 2021, Peru adopted Supreme Decree No. 004-2021-JUS (Ministerio de Justicia y"
        ' Derechos Humanos): "Decreto Supremo que crea el Mecanismo intersectorial para la'
        ' protección de las personas defensoras de derechos humanos".'
    )
    # every fact printed is traceable to what the document (or the entry) says
    evidence = {f.name: (f.evidence, f.source) for f in got.facts}
    assert evidence["norm"] == ("DECRETO SUPREMO N° 004-2021-JUS", "header")
    assert evidence["date"][0] in TEXT and evidence["sumilla"] == (TITLE, "title")
    assert evidence["authority"] == ("JUS", "grammar") and evidence["country"] == ("PE", "policy")


def test_in_spanish() -> None:
    got = draft_for(doc(), "PE", ["DS|4|2021|JUS"], language="es")
    assert got is not None and got.text.startswith(
        "El 21 de abril de 2021, Perú adoptó la norma Decreto Supremo N° 004-2021-JUS (Ministerio"
    )
    assert got.text.endswith("derechos humanos».")


def test_a_missing_fact_is_left_out_not_guessed() -> None:
    # a news story naming the entry's norm: no date of the norm, no sumilla, unknown issuer
    text = "El Ejecutivo publicó el Decreto Supremo N° 004-2021-ABC, que crea el mecanismo.\n"
    got = draft_for(doc("Gobierno crea mecanismo", text, ()), "PE", ["DS|4|2021|ABC"])
    assert got is not None
    assert got.text == "Peru adopted Supreme Decree No. 004-2021-ABC."
    assert {f.name for f in got.facts} == {"norm", "country"}
    # no country either: the norm was adopted, by nobody named
    got = draft_for(doc("Gobierno crea mecanismo", text, ()), "", ["DS|4|2021|ABC"])
    assert got is not None and got.text == "Supreme Decree No. 004-2021-ABC was adopted."


def test_the_publication_date_of_a_news_page_is_not_the_norms() -> None:
    text = "El Ejecutivo publicó el Decreto Supremo N° 004-2021-JUS.\n"
    news = Extraction(
        "https://x.test/",
        "Noticia",
        "es",
        text,
        DateMention(dt.date(2021, 4, 23), DateKind.PUBLISHED, DateMethod.META),
        (),
        tuple(find_norms(text, "PE")),
        (),
        "",
    )
    got = draft_for(news, "PE", ["DS|4|2021|JUS"])
    assert got is not None and "2021, " not in got.text and "April" not in got.text


def test_a_listing_gives_the_norm_its_sumilla_and_its_gazette_date() -> None:
    listed = {
        "type": "DECRETO SUPREMO",
        "number": "002-2022-JUS",
        "sumilla": "Decreto Supremo que modifica el Decreto Supremo N° 004-2021-JUS",
    }
    page = Extraction(
        "https://x.test/",
        "El Peruano",
        "es",
        "Texto sin cabecera.\n",
        DateMention(dt.date(2022, 3, 22), DateKind.PUBLISHED, DateMethod.LISTING),
        (),
        (),
        (),
        "",
    )
    got = draft_for(page, "PE", ["DS|4|2021|JUS"], listed)
    assert got is not None
    assert got.text == (
        "On 22 March 2022, Peru published Supreme Decree No. 002-2022-JUS (Ministerio de Justicia"
        ' y Derechos Humanos): "Decreto Supremo que modifica el Decreto Supremo N° 004-2021-JUS".'
    )


def test_no_norm_no_draft_and_unknown_languages_refused() -> None:
    assert draft_for(doc("Nada", "Un texto sin normas.\n", ()), "PE", ["DS|4|2021|JUS"]) is None
    with pytest.raises(ValueError, match="klingon"):
        draft_for(doc(), "PE", [], language="klingon")


def test_the_config_offers_exactly_the_phrased_languages() -> None:
    assert set(PUBLISH_LANGUAGES) == set(LANGUAGES)


def page_of(country: str, text: str, title: str = "Noticia") -> Extraction:
    norms = tuple(find_norms(text, country))
    return Extraction("https://x.test/", title, "es", text, None, (), norms, (), "")


def test_a_country_without_a_grammar_file_is_drafted_with_its_languages_generic_grammar() -> None:
    # Chile has no grammars/cl.toml: its norms are read, and named, by the generic Spanish one
    page = page_of("CL", "Se promulgó la Ley N° 21.643, que modifica el Código del Trabajo.\n")
    got = draft_for(page, "CL", ["CL:LEY|21643||"])
    assert got is not None and got.text == "Chile adopted Law No. 21.643."
    got = draft_for(page, "CL", ["CL:LEY|21643||"], language="es")
    assert got is not None and got.text == "Chile adoptó la norma Ley N° 21.643."


def test_a_brazilian_decree_is_drafted() -> None:
    page = page_of("BR", "O Decreto nº 9.937, de 24 de julho de 2019, instituiu o Programa.\n")
    got = draft_for(page, "BR", ["BR:DEC|9937|2019|"])
    assert got is not None and got.text == "Brazil adopted Decree No. 9.937/2019."
    # Spanish: Brazil's grammar names its types in Portuguese and English only, so the decree
    # keeps its printed name rather than an English one inside a Spanish sentence
    got = draft_for(page, "BR", ["BR:DEC|9937|2019|"], language="es")
    assert got is not None and got.text == "Brasil adoptó la norma Decreto nº 9.937/2019."


def test_a_portaria_names_the_body_that_numbered_it() -> None:
    page = page_of("BR", "A Portaria MMFDH nº 507, de 2022, institui o Programa.\n")
    got = draft_for(page, "BR", ["BR:PORT|507|2022|MMFDH"])
    assert got is not None and got.text == (
        "Brazil adopted Ordinance No. 507/2022 (Ministério da Mulher, da Família e dos Direitos"
        " Humanos)."
    )


def test_a_french_law_in_english_loses_its_lower_case_number_sign() -> None:
    page = page_of("CI", "La loi n° 2014-388 du 20 juin 2014 portant promotion des défenseurs.\n")
    got = draft_for(page, "CI", ["CI:LOI|388|2014|"])
    assert got is not None and got.text.startswith("Côte d’Ivoire adopted Law No. 2014-388")


def test_a_listing_names_the_same_norm_to_the_draft_as_to_the_linker() -> None:
    # Colombia's Senate lists a decree's year in a field of its own: the draft's norm (own_norm)
    # and the linker's (listed_norms) are one reading of the listing, with its year
    from pipeline.extract.document import listed_norms
    from pipeline.extract.ownnorm import own_norm
    from pipeline.models import Link

    extra = {"gazette": "senado_co", "type": "DECRETO", "number": "1066", "year": "2015"}
    link = Link(
        "senado_co", "https://www.secretariasenado.gov.co/decreto_1066_2015.html", extra=extra
    )
    own = own_norm("Decreto 1066 de 2015", "", "CO", extra)
    assert own is not None and own.source == "listing"
    assert [m.key for m in listed_norms(link, "CO")] == [own.norm.key] == ["CO:DEC|1066|2015|"]
