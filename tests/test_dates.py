"""Dates: phrases, stamps, the cascade's order, bounds, and per-norm issued vs gazette dates."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.datephrases import classify_phrases, find_phrases
from pipeline.extract.dates import bounds_for, find_dates, parse_stamp
from pipeline.extract.text import Page, read_html
from pipeline.models import DateKind, DateMethod, NormMention

D = dt.date
FETCHED = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
TODAY = D(2021, 5, 1)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Lima, 22 de abril de 2021", D(2021, 4, 22)),
        ("LIMA, jueves 22 de abril de 2021.- El Gobierno", D(2021, 4, 22)),
        ("Este jueves 22 de abril el Ejecutivo", D(2021, 4, 22)),  # year from `today`
        ("22 de abril de 2021", D(2021, 4, 22)),
        ("1° de setiembre del 2020", D(2020, 9, 1)),  # Peruvian "setiembre", ordinal mark
        ("| 17 de Febrero 2020", D(2020, 2, 17)),  # no "de" before the year
        ("22 Septiembre, 2020", D(2020, 9, 22)),
        ("April 21st 2021", D(2021, 4, 21)),
        ("April 21, 2021", D(2021, 4, 21)),
        ("On the 23rd of July 2021", D(2021, 7, 23)),
        ("Wed, 22 Apr 2021 10:00:00 GMT", D(2021, 4, 22)),
        ("publicado el 27/01/2020 a las 9:23", D(2020, 1, 27)),  # day first
        ("22 de março de 2021", D(2021, 3, 22)),
        (
            "Dado en la Casa de Gobierno, en Lima, a los veintiún días del mes de abril del año"
            " dos mil veintiuno.",
            D(2021, 4, 21),
        ),
        ("a los treinta y un días del mes de enero del año dos mil veinte", D(2020, 1, 31)),
    ],
)
def test_date_phrases(text: str, value: dt.date) -> None:
    found = list(find_phrases(text, TODAY))
    assert [f.value for f in found] == [value]
    assert text[found[0].start : found[0].end] == found[0].raw


@pytest.mark.parametrize(
    "text",
    [
        "31 de febrero de 2021",  # no such day
        "Decreto Supremo N° 004-2021-JUS",  # a norm number, not a date
        "Proyecto de Ley N.° 12602/2025-CR",
        "Este jueves 22 de abril",  # yearless without a reference date: not read
        "llame al 01/204/8020",
    ],
)
def test_not_dates(text: str) -> None:
    assert list(find_phrases(text)) == []


@pytest.mark.parametrize(
    ("raw", "value", "utc_hour"),
    [
        ("2020-02-19T18:37:32+01:00", D(2020, 2, 19), None),
        ("2020-02-18T02:18:11Z", D(2020, 2, 18), 2),
        ("2020-09-25T16:02:50CDT", D(2020, 9, 25), None),  # zone abbreviation glued on
        ("2020-05-06 10:07:01.000000 CEST", D(2020, 5, 6), None),
        ("2020-01-13", D(2020, 1, 13), None),
        ("2020/04/15", D(2020, 4, 15), None),
        ("Wed, 22 Apr 2021 10:00:00 GMT", D(2021, 4, 22), None),
        ("garbage", None, None),
        ("2021-13-45", None, None),
    ],
)
def test_parse_stamp(raw: str, value: dt.date | None, utc_hour: int | None) -> None:
    assert parse_stamp(raw) == (value, utc_hour)


def page(
    head: str, body: str = "<p>Texto del artículo sin fechas visibles en absoluto.</p>"
) -> Page:
    return read_html(f"<html><head>{head}</head><body>{body}</body></html>")


CASCADE = [
    # article:published_time outranks itemprop datePublished (El País kept a draft date there)
    (
        '<meta itemprop="datePublished" content="2020-02-18T18:12:26+01:00">'
        '<meta property="article:published_time" content="2020-02-19T18:37:32+01:00">',
        "",
        D(2020, 2, 19),
        DateMethod.META,
    ),
    (
        '<script type="application/ld+json">'
        '{"datePublished": "2021-04-22T10:00:00-05:00"}</script>',
        "https://x.pe/2019/01/01/old-url",  # a URL date never beats metadata
        D(2021, 4, 22),
        DateMethod.JSONLD,
    ),
    (
        '<meta property="article:published_time" content="2035-01-01T00:00:00Z">',  # future
        "https://x.pe/2021/04/22/nota",
        D(2021, 4, 22),
        DateMethod.URL,
    ),
    ('<meta name="date" content="1985-01-01">', "", None, None),  # before 1990
]


@pytest.mark.parametrize(("head", "url", "value", "method"), CASCADE)
def test_cascade(head: str, url: str, value: dt.date | None, method: DateMethod | None) -> None:
    got = find_dates(page(head), url=url, fetched_at=FETCHED).published
    assert (got.value if got else None) == value
    assert (got.method if got else None) == method


def test_listing_beats_everything() -> None:
    p = page('<meta property="article:published_time" content="2021-04-21">')
    got = find_dates(p, listed=D(2021, 4, 22), fetched_at=FETCHED).published
    assert got is not None and (got.value, got.method) == (D(2021, 4, 22), DateMethod.LISTING)


def test_utc_stamp_near_midnight_yields_to_the_visible_date() -> None:
    p = page(
        '<script type="application/ld+json">{"datePublished": "2020-02-18T02:18:11Z"}</script>',
        "<p><time>17 de Febrero 2020</time></p><p>Texto.</p>",
    )
    got = find_dates(p, fetched_at=FETCHED).published
    assert got is not None and got.value == D(2020, 2, 17)


def test_utc_stamp_at_noon_is_kept() -> None:
    p = page(
        '<script type="application/ld+json">{"datePublished": "2020-02-18T12:00:00Z"}</script>',
        "<p><time>17 de Febrero 2020</time></p>",
    )
    got = find_dates(p, fetched_at=FETCHED).published
    assert got is not None and got.value == D(2020, 2, 18)


def test_dateline_in_text_when_no_metadata() -> None:
    p = Page(kind="text", text="Lima, 22 de abril de 2021\nEl Gobierno aprobó el decreto.")
    got = find_dates(p, fetched_at=FETCHED).published
    assert got is not None and (got.value, got.method) == (D(2021, 4, 22), DateMethod.TEXT)


def test_bounds() -> None:
    b = bounds_for(dt.datetime(2021, 4, 22, 23, 0, tzinfo=dt.UTC))
    assert b.ok(D(2021, 4, 23))  # a UTC+1 newsroom is already on the 23rd
    assert not b.ok(D(2021, 4, 24))
    assert not b.ok(D(1989, 12, 31))


def norm(key_parts: tuple[str, str, str, str], raw: str, text: str) -> NormMention:
    start = text.index(raw)
    t, n, y, i = key_parts
    return NormMention(t, n, y, i, raw, start, start + len(raw), raw)


GAZETTE_PAGE = (
    "Jueves 22 de abril de 2021 / NORMAS LEGALES / El Peruano\n"
    "DECRETO SUPREMO N° 004-2021-JUS\n"
    "Que, mediante Decreto Supremo N° 002-2018-JUS se aprueba el Plan;\n"
    "Dado en la Casa de Gobierno, en Lima, a los veintiún días del mes de abril del año dos mil"
    " veintiuno.\n"
)


def test_issued_and_gazette_dates_tied_to_the_norm() -> None:
    norms = [
        norm(("DS", "4", "2021", "JUS"), "DECRETO SUPREMO N° 004-2021-JUS", GAZETTE_PAGE),
        norm(("DS", "2", "2018", "JUS"), "Decreto Supremo N° 002-2018-JUS", GAZETTE_PAGE),
    ]
    found = [(f.value, f.kind, f.norm) for f in classify_phrases(GAZETTE_PAGE, norms) if f.kind]
    assert found == [
        (D(2021, 4, 22), DateKind.GAZETTE, "DS|4|2021|JUS"),
        (D(2021, 4, 21), DateKind.ISSUED, "DS|4|2021|JUS"),
    ]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (
            "La Resolución Ministerial N° 0159-2019-JUS, de fecha 25 de abril de 2019, aprueba",
            DateKind.ISSUED,
        ),
        (
            "La Resolución Ministerial N° 0159-2019-JUS, publicada el 27 de abril de 2019",
            DateKind.GAZETTE,
        ),
        (
            "RESOLUCIÓN MINISTERIAL N° 0159-2019-JUS\nLima, 25 de abril de 2019\nVISTOS:",
            DateKind.ISSUED,
        ),
        ("La Resolución Ministerial N° 0159-2019-JUS se discutió el 3 de mayo de 2019.", None),
    ],
)
def test_norm_date_kinds(text: str, kind: DateKind | None) -> None:
    raw = "Resolución Ministerial N° 0159-2019-JUS"
    if raw not in text:
        raw = "RESOLUCIÓN MINISTERIAL N° 0159-2019-JUS"
    n = norm(("RM", "159", "2019", "JUS"), raw, text)
    (found,) = classify_phrases(text, [n])
    assert found.kind is kind
    assert found.norm == ("RM|159|2019|JUS" if kind else "")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=2000))
def test_phrases_never_raise(text: str) -> None:
    for f in classify_phrases(text, (), TODAY):
        assert text[f.start : f.end] == f.raw


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=500))
def test_find_dates_never_raises(text: str) -> None:
    find_dates(Page(kind="text", text=text), url=text[:100], fetched_at=FETCHED)


ADVERSARIAL = [
    "a los " * 20 + "días del mes de " * 20,
    "22 de " + " " * 50 + "abril ",
    "1/1/1/1/1/1/" * 10,
    "Lima, " * 30 + "jueves ",
    "abril  de   del  ",
]


def _elapsed(text: str) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        list(classify_phrases(text, (), TODAY))
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize("chunk", ADVERSARIAL)
def test_phrases_are_linear(chunk: str) -> None:
    small = (chunk * (10_000 // len(chunk) + 1))[:10_000]
    big = (chunk * (100_000 // len(chunk) + 1))[:100_000]
    assert _elapsed(big) < 40 * _elapsed(small) + 0.1


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Brasília, 24 de julho de 2019", D(2019, 7, 24)),
        ("Abidjan, le 20 juin 2014", D(2014, 6, 20)),
        ("Tegucigalpa, M.D.C., 15 de mayo de 2015", D(2015, 5, 15)),
        ("São Paulo, quinta-feira, 25 de julho de 2019", D(2019, 7, 25)),
        ("Ouagadougou, le 1er février 2017", D(2017, 2, 1)),
    ],
)
def test_datelines_in_portuguese_french_and_honduran_spanish(text: str, value: dt.date) -> None:
    (found,) = find_phrases(text)
    assert (found.value, found.dateline) == (value, True)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Publié le 20 juil. 2014 à 10h30", D(2014, 7, 20)),
        ("le 22 février 2017", D(2017, 2, 22)),
        ("DOF 20-05-2021", D(2021, 5, 20)),
        ("29 août 2019", D(2019, 8, 29)),
        ("25 dez 2019", D(2019, 12, 25)),
    ],
)
def test_french_and_portuguese_months(text: str, value: dt.date) -> None:
    assert [f.value for f in find_phrases(text)] == [value]


@pytest.mark.parametrize(
    ("text", "month_first", "value"),
    [
        ("Posted 06/05/2021", False, D(2021, 5, 6)),  # day first: 6 May
        ("Posted 06/05/2021", True, D(2021, 6, 5)),  # the Philippines: June 5
        ("Posted 06/25/2012", False, D(2012, 6, 25)),  # 25 cannot be a month: it says its order
        ("DOF: 25/06/2012", True, D(2012, 6, 25)),
    ],
)
def test_numeric_day_month_order(text: str, month_first: bool, value: dt.date) -> None:
    assert [f.value for f in find_phrases(text, month_first=month_first)] == [value]


BR_KEY = ("DEC", "9937", "2019", "")


@pytest.mark.parametrize(
    ("text", "raw", "kind"),
    [
        # a citation's own date is its issue date, in Portuguese and French
        ("Decreto nº 9.937, de 24 de julho de 2019, institui o Programa", "Decreto nº 9.937", "i"),
        ("la Loi n° 2014-388 du 20 juin 2014 portant promotion", "Loi n° 2014-388", "i"),
        # gazette headers
        ("Publicado em: 25/07/2019 | Edição: 142\nDECRETO Nº 9.937", "DECRETO Nº 9.937", "g"),
        ("DOU de 25/07/2019, seção 1: Decreto nº 9.937", "Decreto nº 9.937", "g"),
        ("DOF: 25/06/2012\nLEY PARA LA PROTECCIÓN DE PERSONAS Decreto 1", "Decreto 1", "g"),
        ("publicada en La Gaceta el 15 de mayo de 2015, el Decreto No. 34-2015", "Decreto", "g"),
        ("publiée au Journal officiel le 3 juillet 2014 : Loi n° 2014-388", "Loi n° 2014-388", "g"),
        # signatures: Brazil's years of the Independence, a French-language decree's "Fait à"
        (
            "Decreto nº 9.937 ... Art. 3º Este Decreto entra em vigor na data de sua publicação.\n"
            "Brasília, 24 de julho de 2019; 198º da Independência e 131º da República.",
            "Decreto nº 9.937",
            "i",
        ),
        ("Décret n° 2017-121 ...\nFait à Abidjan, le 22 février 2017", "Décret n° 2017-121", "i"),
        # an acronym cue is a whole word: "Doumbia" is no "DOU"
        ("Décret n° 2017-121 selon le Dr Doumbia, le 22 février 2017", "Décret n° 2017-121", ""),
    ],
)
def test_portuguese_french_and_gazette_cues(text: str, raw: str, kind: str) -> None:
    n = norm(BR_KEY, raw, text)
    (found,) = classify_phrases(text, [n])
    want = {"i": DateKind.ISSUED, "g": DateKind.GAZETTE, "": None}[kind]
    assert found.kind is want
    assert found.norm == (n.key if want else "")


def test_dateparser_reads_the_page_language_and_order() -> None:
    from pipeline.extract.dates import from_dateparser

    bounds = bounds_for(FETCHED)
    got = from_dateparser("Mis en ligne mercredi 3 juillet 2014, 10:00", bounds, "fr")
    assert got is not None and got.value == D(2014, 7, 3)
    us = from_dateparser("Posted on 06.05.2021, 10:00", bounds, "en", month_first=True)
    assert us is not None and us.value == D(2021, 6, 5)


def test_a_french_dateline_dates_a_page() -> None:
    text = "Abidjan, le 20 juin 2014 - Le Président de la République a promulgué la loi.\n"
    got = find_dates(Page(kind="text", text=text), fetched_at=FETCHED).published
    assert got is not None and (got.value, got.method) == (D(2014, 6, 20), DateMethod.TEXT)


def _gazette(size: int) -> str:
    """A day's gazette as text: norm after norm, each with its dateline, cited decree, issue and
    publication dates (a real issue of El Peruano runs to a few hundred KB)."""
    blocks, length, i = [], 0, 1
    while length < size:
        block = (
            f"RESOLUCIÓN MINISTERIAL N° {i:04d}-2019-JUS\n\nLima, {i % 28 + 1} de abril de"
            f" 2019\n\nQue, mediante Decreto Supremo N° {i % 900 + 1:03d}-2021-JUS, de fecha 21"
            " de abril de 2021, se aprobó el Protocolo; publicado en el diario oficial El Peruano"
            f" el 22 de abril de 2021.\nQue, el informe de fecha {i % 28 + 1}/03/2019 lo"
            " sustenta.\n\n"
        )
        blocks.append(block)
        length, i = length + len(block), i + 1
    return "".join(blocks)[:size]


def test_a_large_gazette_is_classified_in_linear_time() -> None:
    from pipeline.extract.norms import find_norms

    def elapsed(text: str) -> float:
        norms = find_norms(text, "PE")
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            found = list(classify_phrases(text, norms, TODAY))
            best = min(best, time.perf_counter() - start)
        assert sum(f.kind is DateKind.GAZETTE for f in found) >= len(text) // 500
        return best

    small, big = _gazette(40_000), _gazette(400_000)
    elapsed(small)  # warm the patterns
    # Ten times the text may cost ten times the time, with slack for a busy machine; each date
    # scanning every norm (as it did) cost about fifty times.
    assert elapsed(big) < 25 * elapsed(small) + 0.05


def _footer_page(body: str) -> Page:
    return read_html(
        "<html><head><title>Ley de protección</title></head><body><article><h1>Ley de"
        f" protección</h1><p>{body} El Congreso debatió la ley de protección de personas"
        " defensoras durante la sesión plenaria, con votos divididos.</p></article>"
        "<footer>Copyright 2021 Diario Ejemplo. Todos los derechos reservados.</footer>"
        "</body></html>",
        "https://ex.org/noticia",
    )


def test_a_copyright_year_is_no_first_of_january() -> None:
    # htmldate's extensive search dates a bare "Copyright 2021" 1 January 2021: no such day
    got = find_dates(_footer_page(""), url="https://ex.org/noticia", fetched_at=FETCHED)
    assert got.published is None or got.published.value != D(2021, 1, 1)
    # a page that does print the first of January keeps it
    printed = _footer_page("Publicado el 1 de enero de 2021.")
    got = find_dates(printed, url="https://ex.org/noticia", fetched_at=FETCHED)
    assert got.published is not None and got.published.value == D(2021, 1, 1)


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        # a cue speaks for the dates on its own line, not the next line's
        ("Publié le 3 juillet 2014\nLe Conseil s'est réuni le 2 juillet 2014 à Abidjan.", "g-"),
        # a news dateline two lines below "promulgué" is the article's, not the law's
        (
            "Le texte promulgué par le Chef de l'État protège les défenseurs.\nPar la Rédaction\n"
            "Abidjan, le 24 juin 2014 - La réforme a été saluée.",
            "-",
        ),
        # "fait à" signs a decree; "fait appel" does not
        ("Le ministre a fait appel le 20 juin 2014 de la décision.", "-"),
        ("Fait à Abidjan, le 22 février 2017", "i"),
        # a gazette's masthead a few lines above the issue's dateline dates the issue
        (
            "DIARIO OFICIAL\nAño CXLVII No. 48.294\nBogotá, D. C., martes, 27 de diciembre de 2011",
            "g",
        ),
    ],
)
def test_cues_stay_on_their_line(text: str, kinds: str) -> None:
    got = [f.kind for f in classify_phrases(text, [])]
    assert got == [{"i": DateKind.ISSUED, "g": DateKind.GAZETTE, "-": None}[k] for k in kinds]
