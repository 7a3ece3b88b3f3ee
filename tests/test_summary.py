"""Summaries: extractive, norm-bearing sentences first, never boilerplate, capped."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.summary import MAX_CHARS, cap, sentences, summarize
from pipeline.models import NormMention


def mention(text: str, raw: str) -> NormMention:
    start = text.index(raw)
    return NormMention("DS", "4", "2021", "JUS", raw, start, start + len(raw), raw)


NEWS = (
    "Gobierno crea mecanismo para proteger a defensores\n"
    "Lee también: Congreso aprueba ley de presupuesto para el año fiscal 2022 en primera votación\n"
    "Lima, 22 de abril de 2021.- La ministra visitó esta mañana la región de Madre de Dios junto a"
    " dirigentes indígenas.\n"
    "El Ejecutivo publicó el Decreto Supremo N° 004-2021-JUS, que crea el Mecanismo Intersectorial"
    " para la Protección de las Personas Defensoras de Derechos Humanos. El mecanismo reúne a ocho"
    " ministerios.\n"
    "Suscríbete a nuestro boletín y recibe todas las noticias importantes en tu correo.\n"
    "Usamos cookies para mejorar tu experiencia de navegación en nuestro sitio web, acepta aquí.\n"
)

CASES = [
    # the sentence with the norm and its verb, continued within its paragraph
    (
        NEWS,
        "Decreto Supremo N° 004-2021-JUS",
        "",
        "El Ejecutivo publicó el Decreto Supremo N° 004-2021-JUS, que crea el Mecanismo",
    ),
    # nothing about a norm: the meta description is better than the lede
    (
        "La selección peruana jugó anoche en Lima un partido amistoso ante Bolivia y empató.\n",
        "",
        "Resumen del partido amistoso entre Perú y Bolivia jugado en el Estadio Nacional.",
        "Resumen del partido",
    ),
    # no sentences at all: the description
    (
        "Inicio\nNoticias\nContacto",
        "",
        "Descripción de la página de inicio del ministerio.",
        "Descr",
    ),
    # English
    (
        "Menu Home About\nOn the 23rd of July 2021, the Ministry approved the protocol for"
        " environmental defenders, which sets out protection measures.\n",
        "",
        "",
        "On the 23rd of July 2021, the Ministry approved the protocol",
    ),
]


@pytest.mark.parametrize(("text", "raw", "description", "start"), CASES)
def test_summarize(text: str, raw: str, description: str, start: str) -> None:
    norms = [mention(text, raw)] if raw else []
    got = summarize(text, norms, description, title="Gobierno crea mecanismo")
    assert got.startswith(start)
    assert len(got) <= MAX_CHARS + 1
    for banned in ("Lee también", "Suscríbete", "cookies", "Lima, 22"):
        assert banned not in got


def test_gazette_sumilla_is_the_snippet() -> None:
    title = "Decreto Supremo que crea el Mecanismo Intersectorial - N° 004-2021-JUS"
    text = (
        "Decreto Supremo que crea el Mecanismo Intersectorial para la Protección de Defensores\n"
        "Que, mediante Decreto Supremo N° 002-2018-JUS se aprueba el Plan Nacional de Derechos"
        " Humanos;\n"
    )
    got = summarize(text, [mention(text, "Decreto Supremo N° 002-2018-JUS")], "", title)
    assert got.startswith("Decreto Supremo que crea el Mecanismo Intersectorial")


def test_abbreviations_do_not_split_sentences() -> None:
    text = (
        "El Art. 2 del D.S. N°. 004-2021-JUS crea el mecanismo nacional de protección."
        " Otra frase más que es larga."
    )
    first = sentences(text)[0].text
    assert first.endswith("protección.")


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("Corta.", 400, "Corta."),
        ("Primera frase aquí. Segunda frase que no cabe entera", 30, "Primera frase aquí."),
        ("una lista larga, de cosas, sin punto final alguno", 30, "una lista larga, de cosas…"),
    ],
)
def test_cap(text: str, limit: int, expected: str) -> None:
    assert cap(text, limit) == expected


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=3000), st.text(max_size=200))
def test_never_raises(text: str, description: str) -> None:
    assert len(summarize(text, (), description, "")) <= MAX_CHARS + 1


def test_roughly_linear() -> None:
    para = "El Decreto Supremo N° 004-2021-JUS crea el mecanismo. Art. 2. N°. Lee también\n"
    small, big = para * 130, para * 1300

    def timed(text: str) -> float:
        start = time.perf_counter()
        summarize(text)
        return time.perf_counter() - start

    assert min(timed(big) for _ in range(3)) < 40 * min(timed(small) for _ in range(3)) + 0.1


@pytest.mark.parametrize(
    ("text", "first"),
    [
        # a year-number citation is not a dateline: "Loi n° 2014-" is not cut off
        (
            "Loi n° 2014-388 du 20 juin 2014 portant promotion et protection des défenseurs des"
            " droits de l'Homme, adoptée par l'Assemblée nationale.",
            "Loi n° 2014-388 du 20 juin 2014 portant",
        ),
        (
            "Decreto Nº 34-2015 contiene la Ley de Protección para las y los Defensores de Derechos"
            " Humanos.",
            "Decreto Nº 34-2015 contiene",
        ),
        # a gazette issue "D.O. 48.294" and Argentina's "Dto. 361/19" go on past their dots
        (
            "La norma fue publicada en el D.O. 48.294 del 14 de diciembre de 2011 con su número.",
            "La norma fue publicada en el D.O. 48.294 del 14 de diciembre de 2011 con su número.",
        ),
        (
            "Según el Dto. 361/19 del Poder Ejecutivo nacional, la medida rige desde ayer mismo.",
            "Según el Dto. 361/19 del Poder Ejecutivo",
        ),
        # Portuguese and French markers and titles
        (
            "O Sr. Presidente assinou o Decreto nº. 9.937, de 24 de julho de 2019, que institui o"
            " programa. Outra frase que segue depois dela.",
            "O Sr. Presidente assinou o Decreto nº. 9.937, de 24 de julho de 2019, que institui o"
            " programa.",
        ),
        (
            "Selon Me. Kouassi et M. Ouattara, les arts. 3 et 4 de la loi protègent les militants."
            " Une autre phrase suit ici.",
            "Selon Me. Kouassi et M. Ouattara, les arts. 3 et 4 de la loi protègent les militants.",
        ),
        (
            "Mr. Duterte never signed House Bill No. 10576 into law, said Lic. Reyes of the"
            " commission. Another sentence follows.",
            "Mr. Duterte never signed House Bill No. 10576 into law, said Lic. Reyes",
        ),
        # a dateline with two comma parts is cut off whole
        (
            "Tegucigalpa, M.D.C., 15 de mayo de 2015.- El Congreso Nacional aprobó la Ley de"
            " Protección para defensores.",
            "El Congreso Nacional aprobó la Ley",
        ),
    ],
)
def test_sentences_never_split_a_citation(text: str, first: str) -> None:
    found = sentences(text)[0].text
    assert found.startswith(first)
    assert found.endswith(".")


def test_cap_never_cuts_inside_a_number() -> None:
    text = (
        "O Governo Federal publicou no Diário Oficial da União o Decreto nº 9.937, de 24 de julho"
        " de 2019, que institui o Programa de Proteção aos Defensores de Direitos Humanos,"
        " Comunicadores e Ambientalistas no âmbito do Ministério da Mulher."
    )
    got = cap(text, 80)
    assert "9.…" not in got and not got.endswith("9.")
    assert got.endswith("…")


@pytest.mark.parametrize(
    ("text", "start"),
    [
        (
            "Accueil Actualités Contact\n"
            "Vu la Constitution, vu la loi n° 2014-388 du 20 juin 2014 et sur rapport du Ministre"
            " de la Justice, le Conseil des ministres entendu.\n"
            "Le décret n° 2017-121 du 22 février 2017 porte modalités d'application de la loi n°"
            " 2014-388 portant promotion et protection des défenseurs des droits de l'Homme.\n"
            "À lire aussi : le gouvernement adopte un décret sur la presse et les radios.\n",
            "Le décret n° 2017-121 du 22 février 2017",
        ),
        (
            "Leia mais: governo cria programa de proteção a jornalistas e comunicadores do país\n"
            "Tendo em vista o disposto no art. 84 da Constituição, o Presidente da República"
            " decreta o que segue para todos os efeitos.\n"
            "O Decreto nº 9.937, de 24 de julho de 2019, institui o Programa de Proteção aos"
            " Defensores de Direitos Humanos, Comunicadores e Ambientalistas.\n",
            "O Decreto nº 9.937, de 24 de julho de 2019, institui",
        ),
    ],
)
def test_french_and_portuguese_snippets(text: str, start: str) -> None:
    raw = "décret n° 2017-121" if "décret" in text else "Decreto nº 9.937"
    got = summarize(text, [mention(text, raw)], "", "")
    assert got.startswith(start)
    assert "lire aussi" not in got and "Leia mais" not in got


# --- issue 12: snippets an editor keeps ---------------------------------------------------------

GAZETTE_TITLE = (
    "Decreto Supremo que crea el Mecanismo intersectorial para la protección de las personas"
    " defensoras de derechos humanos - DECRETO SUPREMO - Nº 004-2021-JUS - PODER EJECUTIVO"
)
GAZETTE = (
    "Decreto Supremo que crea el Mecanismo intersectorial para la protección de las personas"
    " defensoras de derechos humanos\n"
    "DECRETO SUPREMO N° 004-2021-JUS\n"
    "CONSIDERANDO:\n"
    "Que, mediante el Decreto Supremo N° 002-2018-JUS se aprobó el Plan Nacional de Derechos"
    " Humanos 2018-2021, que reconoce a las personas defensoras;\n"
    "DECRETA:\n"
    "Artículo 1.- Creación del Mecanismo Créase el Mecanismo intersectorial para la protección"
    " de las personas defensoras de derechos humanos, como un conjunto de medidas de prevención.\n"
    "Artículo 2.- Publicación El presente Decreto Supremo se publica en el portal institucional.\n"
)


def norms_of(text: str) -> list[NormMention]:
    from pipeline.extract.norms import find_norms

    return find_norms(text, "PE")


def test_gazette_page_gives_what_the_norm_does_not_its_title() -> None:
    got = summarize(GAZETTE, norms_of(GAZETTE), GAZETTE_TITLE.split(" - ")[0], GAZETTE_TITLE)
    assert got.startswith("Créase el Mecanismo intersectorial"), got
    assert "DECRETO SUPREMO -" not in got and "Decreto Supremo que crea" not in got


def test_a_description_that_repeats_the_title_is_no_fallback() -> None:
    text = "Inicio\nNormas\n"
    assert summarize(text, (), GAZETTE_TITLE, GAZETTE_TITLE) == ""


def test_a_recital_never_loses_its_start_to_a_dateline_cut() -> None:
    # "Que, mediante Decreto Supremo N° 002-" looked like a dateline ending in "-": the snippet
    # started in the middle of the norm number ("2018-JUS se aprobó ...").
    text = (
        "Que, mediante Decreto Supremo N° 002-2018-JUS se aprobó el Plan Nacional de Derechos"
        " Humanos 2018-2021, que incorpora a las personas defensoras;\n"
    )
    assert all(not s.text.startswith("2018") for s in sentences(text))
    assert summarize(text, norms_of(text), "", "Resolución Ministerial N.° 0159-2019-JUS")[0] in "Q"


def test_sumilla_under_the_number_and_an_article_saying_the_same_give_the_sumilla() -> None:
    text = (
        "Resolución Ministerial N.° 0159-2019-JUS\n"
        "Aprueban el “Protocolo para garantizar la protección de personas defensoras de derechos"
        " humanos”\n"
        "Que, el protocolo define a las personas defensoras y regula un procedimiento de alerta;\n"
        "SE RESUELVE:\n"
        "Artículo 1.- Aprobar el “Protocolo para garantizar la protección de personas defensoras de"
        " derechos humanos”, que forma parte integrante de la presente resolución.\n"
    )
    got = summarize(text, norms_of(text), "", "Resolución Ministerial N.° 0159-2019-JUS")
    assert got == (
        "Aprueban el “Protocolo para garantizar la protección de personas defensoras de derechos"
        " humanos”"
    )


SUMARIO = (
    "Normas Legales: sumario de la edición del viernes 2 de octubre de 2020\n"
    "Relación de las normas legales publicadas en la edición de hoy, ordenadas por entidad.\n"
    "- R.M. N° 241-2020-PCM.- Aceptan renuncia de Asesor II del Despacho Ministerial Pág. 3\n"
    "- D.S. N° 293-2020-EF.- Autorizan Transferencia de Partidas en el Presupuesto del Sector"
    " Público Pág. 4\n"
    "- R.M. N° 0255-2020-JUS.- Crean el Registro sobre situaciones de riesgo de personas"
    " defensoras de derechos humanos Pág. 10\n"
    "- R.S. N° 143-2020-JUS.- Acceden a solicitud de extradición pasiva de ciudadano extranjero"
    " Pág. 11\n"
)


def test_a_summary_of_norms_never_gives_one_of_its_lines() -> None:
    got = summarize(SUMARIO, norms_of(SUMARIO), "", SUMARIO.split("\n")[0])
    assert got.startswith("Relación de las normas legales"), got


def test_the_entry_line_of_a_summary_of_norms() -> None:
    from pipeline.extract.normpage import entry_line

    norms = norms_of(SUMARIO)
    assert entry_line(SUMARIO, norms, {"RM|255|2020|JUS"}) == (
        "R.M. N° 0255-2020-JUS.- Crean el Registro sobre situaciones de riesgo de personas"
        " defensoras de derechos humanos"
    )
    assert entry_line(SUMARIO, norms, {"DS|4|2021|JUS"}) == ""
    # a page that names the norm in running text is no list: the generic snippet stands
    assert entry_line(GAZETTE, norms_of(GAZETTE), {"DS|2|2018|JUS"}) == ""


def test_a_description_cut_mid_word_is_never_the_snippet() -> None:
    text = "Inicio\nPortada\n"
    cut = "El intendente habló por Radio Nacional de las obras paralizadas. Fue un mo"
    assert summarize(text, (), cut, "Obras") == (
        "El intendente habló por Radio Nacional de las obras paralizadas."
    )
    assert summarize(text, (), "Las últimas noticias de Maracaibo en Economía, Política", "") == ""
    # a site that marks its cut with an ellipsis cut it all the same
    for mark in ("...", "…", " …", "…»"):
        assert summarize(text, (), cut + mark, "Obras") == (
            "El intendente habló por Radio Nacional de las obras paralizadas."
        )


def test_the_official_gazette_is_no_newsletter() -> None:
    # "boletín" was boilerplate wherever it stood: Argentina's and Spain's gazettes are boletines
    text = (
        "El Boletín Oficial publicó hoy el Decreto 123/2024, que crea el programa de protección de"
        " personas defensoras.\n"
        "Suscríbete a nuestro boletín y recibe las noticias del día en tu correo electrónico.\n"
    )
    got = summarize(text, (), "", "Otro titular")
    assert got.startswith("El Boletín Oficial publicó hoy el Decreto 123/2024")
    # the sign-up is still furniture
    assert not any("correo" in s.text for s in sentences(text))


def test_a_spanish_surname_is_not_what_a_norm_does() -> None:
    # "criado" is a Portuguese participle and a Spanish surname: a teaser naming "Lever Criado"
    # outranked every real sentence of a Colombian sports page.
    text = (
        "Las imágenes las compartió el cantante Heartan Edward Lever Criado, conocido como Jiggy"
        " Drama. [VIDEO]\n"
        "El seleccionador dejó el cargo tras la derrota, informó la federación en un comunicado.\n"
    )
    assert not summarize(text, (), "", "Otro titular").startswith("Las imágenes")
