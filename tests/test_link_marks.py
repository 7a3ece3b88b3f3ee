"""Where each of the linker's reasons stands in the document: the spans the editors' page marks
and links to (the entry's own norm, the policy's name, a phrase of it, an amendment)."""

from __future__ import annotations

from support import extraction, policy

from pipeline.config import LinkSettings
from pipeline.link import PolicyIndex, link_document
from pipeline.link.index import word_span, words
from pipeline.models import Extraction, Match

NAME = "Mecanismo intersectorial para la protección de las personas defensoras de derechos humanos"
MECANISMO = policy("pe-mecanismo", ["DS|4|2021|JUS", "RM|159|2019|JUS"], [NAME])


def link(doc: Extraction) -> Match:
    (match,) = link_document(doc, PolicyIndex([MECANISMO]), LinkSettings())
    return match


def marked(doc: Extraction, match: Match) -> dict[str, tuple[str, str, str]]:
    """reason → (kind, field, the marked characters)."""
    out = {}
    for mark in match.marks:
        source = doc.text if mark.field == "text" else doc.title
        out[match.reasons[mark.reason]] = (mark.kind, mark.field, source[mark.start : mark.end])
    return out


def test_a_norm_in_the_lead_and_the_name_in_the_body_are_marked_where_they_stand() -> None:
    text = (
        "Lima. Mediante el D.S. Nº 004-2021-JUS se crea el mecanismo. " + "x " * 300
        + f"El {NAME.lower()} no tiene presupuesto."
    )  # fmt: skip
    doc = extraction("Gobierno crea mecanismo", text)
    match = link(doc)
    spans = marked(doc, match)
    norm = next(r for r in match.reasons if r.startswith("cites"))
    alias = next(r for r in match.reasons if "names the policy" in r)
    assert spans[norm] == ("norm", "text", "D.S. Nº 004-2021-JUS")
    assert spans[alias] == ("alias", "text", NAME.lower())


def test_a_title_that_does_not_head_the_text_is_marked_in_the_title() -> None:
    doc = extraction("Decreto Supremo N° 004-2021-JUS: el mecanismo", "Crea el mecanismo.")
    match = link(doc)
    assert marked(doc, match)[match.reasons[0]] == (
        "norm",
        "title",
        "Decreto Supremo N° 004-2021-JUS",
    )


def test_a_title_that_heads_the_text_is_marked_in_the_text() -> None:
    title = f"Se instala el {NAME}"
    doc = extraction(title, f"{title}\n\nLa reunión fue ayer.")
    match = link(doc)
    (alias,) = [r for r in match.reasons if "names the policy" in r]
    assert marked(doc, match)[alias] == ("alias", "text", NAME)


def test_a_shared_phrase_of_the_title_is_marked() -> None:
    doc = extraction("Defensores: el mecanismo intersectorial no funciona", "Sin más datos.")
    match = link(doc)
    (phrase,) = [r for r in match.reasons if "shares" in r]
    assert marked(doc, match)[phrase] == ("alias", "title", "mecanismo intersectorial")


def test_an_amendment_is_marked_at_the_words_that_say_so() -> None:
    text = (
        "Decreto Supremo N° 002-2022-JUS. Decreto Supremo que modifica el Decreto Supremo "
        "N° 004-2021-JUS, que crea el Mecanismo intersectorial."
    )
    doc = extraction("Decreto Supremo que modifica", text)
    match = link(doc)
    (amends,) = [r for r in match.reasons if r.startswith("modifies")]
    kind, field, words_ = marked(doc, match)[amends]
    assert (kind, field) == ("norm", "text") and "modifica el Decreto Supremo" in words_


def test_the_ambiguity_reason_has_no_span_and_every_other_reason_has_one() -> None:
    other = policy("pe-other", ["DS|4|2021|JUS"], title="Other")
    doc = extraction("Decreto Supremo N° 004-2021-JUS", "x")
    matches = link_document(doc, PolicyIndex([MECANISMO, other]), LinkSettings())
    for match in matches:
        with_span = {mark.reason for mark in match.marks}
        for i, reason in enumerate(match.reasons):
            assert (i in with_span) != reason.startswith("ambiguous"), reason


def test_word_spans_survive_folding_that_changes_lengths() -> None:
    text = "Straße ﬁnal: el mecanismo intersectorial"
    first = words(text).index("mecanismo")
    start, end = word_span(text, first, first + 1)
    assert text[start:end] == "mecanismo intersectorial"
    assert word_span("dos palabras", 0, 5) == (0, 0), "a word past the end gives no span"
