"""Names across languages: an entry's aliases match a document in any of the four languages,
accents and case folded; its title counts as a weaker name; a law cited by name is found through
its alias, and a page of the law's publication date that carries the name is strong evidence for
review, never auto-accepted."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from support import policy

from pipeline.config import LinkSettings
from pipeline.extract import extract_document
from pipeline.link import PolicyIndex, link_document
from pipeline.link.names import names_of, split_date
from pipeline.models import (
    CountryMethod,
    DateKind,
    DateMention,
    DateMethod,
    DocumentCountry,
    Extraction,
    MatchStatus,
)

D = dt.date
SETTINGS = LinkSettings()
LAW_HN = (
    "Law for the Protection of Human Rights Defenders, Journalists, Social Communicators and"
    " Justice Operators"
)
HONDURAS = policy("hn-ley", (), ["Ley de Protección para las y los Defensores de Derechos Humanos"],
                  country="HN", title=f"Honduras: {LAW_HN}")  # fmt: skip
MX_ALIAS = (
    "Ley para la Protección de Personas Defensoras de Derechos Humanos y Periodistas,"
    " DOF: 25/06/2012"
)
MEXICO = policy(
    "mx-ley",
    (),
    [MX_ALIAS],
    country="MX",
    title="Mexico: Protection Mechanism for Human Rights Defenders and Journalists",
)
BRAZIL = policy(
    "br-programa",
    (),
    ["Programa de Proteção aos Defensores de Direitos Humanos, Comunicadores e Ambientalistas"],
    country="BR",
    title="Brazil: Protection Programme for Human Rights Defenders",
)
IVORY = policy(
    "ci-loi",
    (),
    ["Loi portant promotion et protection des défenseurs des droits de l’Homme"],
    country="CI",
    title="Côte d'Ivoire: Law on the promotion and protection of human rights defenders",
)
INDEX = PolicyIndex([HONDURAS, MEXICO, BRAZIL, IVORY])


@pytest.mark.parametrize(
    ("alias", "name", "dated"),
    [
        (
            "Ley para la Protección de Personas Defensoras de Derechos Humanos y Periodistas,"
            " DOF: 25/06/2012",
            "Ley para la Protección de Personas Defensoras de Derechos Humanos y Periodistas",
            D(2012, 6, 25),
        ),
        (
            "Law on the Legal Status of Human Rights Defenders, 2 April 2021",
            "Law on the Legal Status of Human Rights Defenders",
            D(2021, 4, 2),
        ),
        ("Loi portant protection (publiée le 20 juin 2014)", "Loi portant protection",
         D(2014, 6, 20)),
        # a date inside the name is part of it
        ("Plan de 22 de abril de 2021 para", "Plan de 22 de abril de 2021 para", None),
        ("Mecanismo intersectorial", "Mecanismo intersectorial", None),
    ],
)  # fmt: skip
def test_an_alias_may_end_with_its_law_date(alias: str, name: str, dated: dt.date | None) -> None:
    assert split_date(alias) == (name, dated)


def test_the_title_loses_its_country_prefix() -> None:
    title, alias = names_of(HONDURAS)
    assert (title.text, title.title) == (LAW_HN, True)
    assert not alias.title


def doc(title: str, text: str, country: str, language: str = "en") -> Extraction:
    got = extract_document(f"{title}\n\n{text}".encode(), url="https://news.example.org/a.txt")
    told = DocumentCountry(country, CountryMethod.TEXT, "the text names it")
    return replace(got, title=title, language=language, country=told)


def statuses(extraction: Extraction) -> dict[str, tuple[MatchStatus, float]]:
    return {m.policy_id: (m.status, m.score) for m in link_document(extraction, INDEX, SETTINGS)}


def test_an_english_article_is_linked_through_the_entry_title() -> None:
    article = doc(
        "Honduras: defenders still at risk",
        f"Six years after Congress adopted the {LAW_HN}, defenders are still killed.",
        "HN",
    )
    (match,) = link_document(article, INDEX, SETTINGS)
    assert (match.policy_id, match.status) == ("hn-ley", MatchStatus.PENDING)
    assert match.reasons[0] == (
        f"body names the entry's title '{LAW_HN}' (an editor's wording, weaker than an official"
        " name)"
    )


@pytest.mark.parametrize(
    ("title", "text", "country", "language", "policy_id"),
    [
        # Portuguese, upper case and without accents
        ("GOVERNO REFORÇA PROGRAMA", "O PROGRAMA DE PROTECAO AOS DEFENSORES DE DIREITOS HUMANOS,"
         " COMUNICADORES E AMBIENTALISTAS ganha nova sede.", "BR", "pt", "br-programa"),
        # French, a straight apostrophe for the alias's typographic one
        ("Abidjan", "La loi portant promotion et protection des défenseurs des droits de l'Homme"
         " est saluée.", "CI", "fr", "ci-loi"),
        # a Spanish alias in an English article
        ("Honduras", "The Ley de Protección para las y los Defensores de Derechos Humanos was"
         " adopted.", "HN", "en", "hn-ley"),
    ],
)  # fmt: skip
def test_any_alias_matches_a_document_in_any_language(
    title: str, text: str, country: str, language: str, policy_id: str
) -> None:
    got = statuses(doc(title, text, country, language))
    assert list(got) == [policy_id]


def dated_page(published: dt.date) -> Extraction:
    name = "LEY PARA LA PROTECCIÓN DE PERSONAS DEFENSORAS DE DERECHOS HUMANOS Y PERIODISTAS"
    page = doc(name, f"{name}\nTexto vigente.", "MX", "es")
    stamp = DateMention(published, DateKind.PUBLISHED, DateMethod.TEXT)
    return replace(page, published=stamp, dates=(stamp,))


def test_a_gazette_page_of_the_law_date_that_carries_its_name_is_strong_but_reviewed() -> None:
    status, score = statuses(dated_page(D(2012, 6, 25)))["mx-ley"]
    other_status, other_score = statuses(dated_page(D(2021, 5, 20)))["mx-ley"]
    assert status is MatchStatus.PENDING and score >= SETTINGS.auto_accept_score
    assert other_status is MatchStatus.PENDING and other_score < score
    (match,) = link_document(dated_page(D(2012, 6, 25)), INDEX, SETTINGS)
    assert (
        "a page of 2012-06-25, the day 'Ley para la Protección de Personas Defensoras de Derechos"
        " Humanos y Periodistas' was published, names it" in match.reasons
    )
