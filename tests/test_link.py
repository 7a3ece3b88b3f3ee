"""The linker's verdicts on realistic cases: what is auto-accepted, what is queued, and why."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from support import extraction, policy

from pipeline.config import LinkSettings
from pipeline.link import PolicyIndex, find_proposals, link_document
from pipeline.models import CountryMethod, DocumentCountry, MatchStatus

MECANISMO = policy(
    "pe-mecanismo",
    ["DS|4|2021|JUS", "RM|159|2019|JUS"],
    ["Mecanismo intersectorial para la protección de las personas defensoras de derechos humanos"],
)
AMBIENTE = policy("pe-ambiente", ["RM|134|2021|MINAM", "RSG|28|2021|MINAM"], title="Environment")
SHARED = policy("pe-shared", ["RM|134|2021|MINAM"], title="Another entry")
COLOMBIA = policy("co-decreto", ["DEC|1066|2015|"], country="CO", title="Decreto único")
SETTINGS = LinkSettings()
DAY_LIST = " ".join(f"Resolución Ministerial N° {n:03d}-2020-MINEM/DM." for n in range(100, 111))

CASES = [
    # (label, title, text, policies, expected {policy: status}, a word every reason list carries)
    (
        "exact number in the title",
        "Decreto Supremo N° 004-2021-JUS",
        "Crea el mecanismo.",
        [MECANISMO],
        {"pe-mecanismo": MatchStatus.AUTO},
        "title",
    ),
    (
        "exact number in the lead, other spelling",
        "Gobierno crea mecanismo",
        "Lima. Mediante el D.S. Nº 004-2021-JUS se crea el mecanismo.",
        [MECANISMO],
        {"pe-mecanismo": MatchStatus.AUTO},
        "lead",
    ),
    (
        "mention in passing deep in the body",
        "Noticias del día",
        "x " * 400 + "Según el Decreto Supremo N° 004-2021-JUS.",
        [MECANISMO],
        {"pe-mecanismo": MatchStatus.PENDING},
        "body",
    ),
    (
        "one of twelve norms of the day",
        "Normas legales",
        "x " * 400 + DAY_LIST + " Resolución Ministerial N° 0159-2019-JUS.",
        [MECANISMO],
        {"pe-mecanismo": MatchStatus.PENDING},
        "list of 12 norms",
    ),
    (
        "English article, partial number",
        "Peru adopts Decree N° 004-2021",
        "The decree creates a mechanism.",
        [MECANISMO],
        {"pe-mecanismo": MatchStatus.PENDING},
        "fits only",
    ),
    (
        "two policies share the norm",
        "Resolución Ministerial N° 134-2021-MINAM",
        "Protocolo sectorial.",
        [AMBIENTE, SHARED],
        {"pe-ambiente": MatchStatus.PENDING, "pe-shared": MatchStatus.PENDING},
        "2 policies",
    ),
    (
        "only the policy's name",
        "Defensores piden fortalecer el mecanismo",
        "El Mecanismo intersectorial para la protección de las personas defensoras de derechos "
        "humanos no tiene presupuesto.",
        [MECANISMO],
        {"pe-mecanismo": MatchStatus.PENDING},
        "names the policy",
    ),
    (
        "a Colombian decree with a Peruvian-looking number",
        "Decreto 1066 de 2015",
        "Decreto Único Reglamentario del Sector Interior.",
        [MECANISMO],
        {},
        "",
    ),
    (
        "nothing to go on",
        "Clima en Lima",
        "Hoy hará calor en la costa.",
        [MECANISMO, AMBIENTE],
        {},
        "",
    ),
]


@pytest.mark.parametrize(
    ("label", "title", "text", "policies", "expected", "word"), CASES, ids=[c[0] for c in CASES]
)
def test_linking_cases(label, title, text, policies, expected, word) -> None:  # type: ignore[no-untyped-def]
    matches = link_document(extraction(title, text), PolicyIndex(policies), SETTINGS)
    assert {m.policy_id: m.status for m in matches} == expected, label
    for m in matches:
        assert any(word in reason for reason in m.reasons), m.reasons


def test_a_colombian_document_links_to_the_colombian_policy() -> None:
    doc = extraction("Decreto 1066 de 2015", "Decreto Único Reglamentario.", country="CO")
    matches = link_document(doc, PolicyIndex([MECANISMO, COLOMBIA]), SETTINGS)
    assert [(m.policy_id, m.status) for m in matches] == [("co-decreto", MatchStatus.AUTO)]


def test_reasons_name_the_norm_in_plain_words() -> None:
    doc = extraction("Decreto Supremo N° 004-2021-JUS", "Crea el mecanismo.")
    (match,) = link_document(doc, PolicyIndex([MECANISMO]), SETTINGS)
    assert match.reasons[0] == (
        "cites Decreto Supremo N° 004-2021-JUS, one of this policy's norms, in the title"
    )


def test_an_amendment_relates_the_document_to_the_amended_policy() -> None:
    text = (
        "Decreto Supremo N° 002-2022-JUS. Decreto Supremo que modifica el Decreto Supremo "
        "N° 004-2021-JUS, que crea el Mecanismo intersectorial."
    )
    matches = link_document(
        extraction("Decreto Supremo que modifica", text), PolicyIndex([MECANISMO]), SETTINGS
    )
    (match,) = matches
    assert any(r.startswith("modifies Decreto Supremo N° 004-2021-JUS") for r in match.reasons)


def test_a_document_older_than_the_norm_it_cites_is_never_auto_accepted() -> None:
    from dataclasses import replace

    from pipeline.models import DateKind, DateMention, DateMethod

    old = DateMention(dt.date(2019, 5, 2), DateKind.PUBLISHED, DateMethod.META)
    doc = replace(extraction("Decreto Supremo N° 004-2021-JUS", "x"), published=old)
    (match,) = link_document(doc, PolicyIndex([MECANISMO]), SETTINGS)
    assert match.status is MatchStatus.PENDING
    assert "published in 2019, before that norm (2021)" in match.reasons[0]


def test_every_citation_is_proposed_however_weak() -> None:
    from dataclasses import replace

    from pipeline.models import DateKind, DateMention, DateMethod

    text = "x " * 400 + DAY_LIST + " Resolución Ministerial N° 0159-2019-JUS."
    old = DateMention(dt.date(2018, 1, 5), DateKind.PUBLISHED, DateMethod.META)
    doc = replace(extraction("Normas legales", text), published=old)
    (match,) = link_document(doc, PolicyIndex([MECANISMO]), SETTINGS)
    assert match.score < SETTINGS.candidate_score and match.status is MatchStatus.PENDING


def test_a_policy_of_another_country_named_in_a_document_weighs_less() -> None:
    name = (
        "Mecanismo intersectorial para la protección de las personas defensoras de derechos humanos"
    )
    doc = extraction(name, f"El {name} se reunió.")
    here = link_document(doc, PolicyIndex([MECANISMO]), SETTINGS)
    colombian = replace(doc, country=DocumentCountry("CO", CountryMethod.HOST, "host x.gov.co"))
    abroad = link_document(colombian, PolicyIndex([MECANISMO]), SETTINGS)
    assert abroad[0].score < here[0].score
    assert abroad[0].reasons[-1] == (
        "but the document is from Colombia (host x.gov.co) and the policy from Peru: its"
        " evidence counts half and needs an editor"
    )


def test_an_amending_norm_becomes_a_proposal_for_the_editors() -> None:
    text = (
        "Decreto Supremo N° 002-2022-JUS. Decreto Supremo que modifica el Decreto Supremo "
        "N° 004-2021-JUS, que crea el Mecanismo intersectorial."
    )
    doc = extraction("Decreto Supremo que modifica el DS 004-2021-JUS", text)
    (proposal,) = find_proposals(doc, PolicyIndex([MECANISMO]))
    assert (
        proposal.policy_id,
        proposal.source_norm,
        proposal.verb.value,
        proposal.target_norm,
    ) == ("pe-mecanismo", "DS|2|2022|JUS", "modifies", "DS|4|2021|JUS")
    known = policy("pe-mecanismo", ["DS|4|2021|JUS", "DS|2|2022|JUS"])
    assert find_proposals(doc, PolicyIndex([known])) == [], "already one of the policy's norms"


def test_evidence_hash_ignores_wording_but_not_evidence() -> None:
    index = PolicyIndex([MECANISMO])
    a = link_document(extraction("Decreto Supremo N° 004-2021-JUS", "a"), index, SETTINGS)
    b = link_document(extraction("DS 004-2021-JUS", "b"), index, SETTINGS)
    c = link_document(extraction("Nada", "x " * 400 + "DS 004-2021-JUS"), index, SETTINGS)
    assert a[0].evidence_hash == b[0].evidence_hash != c[0].evidence_hash


def test_blocked_pages_are_never_linked() -> None:
    from dataclasses import replace

    doc = replace(extraction("Decreto Supremo N° 004-2021-JUS", "x"), page_class="blocked")
    assert link_document(doc, PolicyIndex([MECANISMO]), SETTINGS) == []


def test_a_title_that_heads_the_text_counts_once() -> None:
    title = "Decreto Supremo N° 004-2021-JUS"
    doc = extraction(title, f"{title}\n\nDecreto Supremo que crea el mecanismo.")
    (match,) = link_document(doc, PolicyIndex([MECANISMO]), SETTINGS)
    assert [r for r in match.reasons if "Decreto Supremo N° 004-2021-JUS" in r] == [
        "cites Decreto Supremo N° 004-2021-JUS, one of this policy's norms, in the title"
    ]
    assert match.status is MatchStatus.AUTO


# Issue 13, item 9: on gob.pe's page of RM 0255-2020-JUS, the attachment "RM 0255-2020-JUS.pdf"
# was read as a typo for the very norm the page is about, and that near-miss vetoed the exact
# title match. Root cause: the issuer took ".pdf" in (extract); the linker also no longer calls
# a variant of a norm the document cites exactly a typo of it.
REGISTRO = policy("pe-registro", ["RM|255|2020|JUS"], title="Registro de situaciones de riesgo")


def test_a_file_name_is_not_a_typo_of_the_norm_it_holds() -> None:
    doc = extraction(
        "Resolución Ministerial N.° 0255-2020-JUS",
        "Resolución Ministerial N.° 0255-2020-JUS\n\nCrean el Registro sobre situaciones de riesgo"
        " de personas defensoras de derechos humanos.\n\nDescargar: RM 0255-2020-JUS.pdf (PDF)",
    )
    assert {m.key for m in doc.norms} == {"RM|255|2020|JUS"}
    (match,) = link_document(doc, PolicyIndex([REGISTRO]), SETTINGS)
    assert match.status is MatchStatus.AUTO and match.score >= 0.95
    assert not any("typo" in reason for reason in match.reasons)


def test_a_variant_of_a_norm_cited_exactly_is_not_called_its_typo() -> None:
    doc = extraction(
        "Resolución Ministerial N° 0255-2020-JUS",
        "Resolución Ministerial N° 0255-2020-JUS\n\nCrean el Registro. La RM N° 255-2020-MINJUS"
        " lo encarga a la Dirección General de Derechos Humanos.",
    )
    (match,) = link_document(doc, PolicyIndex([REGISTRO]), SETTINGS)
    assert not any("typo" in reason for reason in match.reasons), match.reasons
    assert match.status is MatchStatus.AUTO


def test_a_variant_alone_is_still_a_likely_typo_for_review() -> None:
    doc = extraction("Registro de riesgo", "Lima. La RM N° 255-2020-MINJUS crea el registro.")
    (match,) = link_document(doc, PolicyIndex([REGISTRO]), SETTINGS)
    assert match.status is MatchStatus.PENDING
    assert any("looks like a typo for" in reason for reason in match.reasons)


def test_on_a_summary_of_norms_each_entry_gets_its_own_line_as_snippet() -> None:
    text = (
        "Relación de las normas legales publicadas en la edición de hoy, ordenadas por entidad.\n"
        "- R.M. N° 241-2020-PCM.- Aceptan renuncia de Asesor II del Despacho Ministerial Pág. 3\n"
        "- D.S. N° 293-2020-EF.- Autorizan Transferencia de Partidas Pág. 4\n"
        "- R.M. N° 0255-2020-JUS.- Crean el Registro sobre situaciones de riesgo de personas"
        " defensoras de derechos humanos Pág. 10\n"
    )
    registry = policy("pe-registro", ("RM|255|2020|JUS",))
    transfer = policy("pe-transfer", ("DS|293|2020|EF",))
    doc = extraction("Normas Legales: sumario", text)
    got = {m.policy_id: m.snippet for m in link_document(doc, PolicyIndex([registry, transfer]),
                                                         SETTINGS)}  # fmt: skip
    assert got == {
        "pe-registro": "R.M. N° 0255-2020-JUS.- Crean el Registro sobre situaciones de riesgo de"
        " personas defensoras de derechos humanos",
        "pe-transfer": "D.S. N° 293-2020-EF.- Autorizan Transferencia de Partidas",
    }
    # a page about one norm keeps its own snippet for every entry
    (match,) = link_document(extraction("Decreto Supremo N° 004-2021-JUS", "Crea el mecanismo."),
                             PolicyIndex([MECANISMO]), SETTINGS)  # fmt: skip
    assert match.snippet == ""
