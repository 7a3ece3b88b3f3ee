"""A page whose country is unknown: find_norms_any reads it with every grammar of its language in
one scan, each mention with the country of the grammar that read it, flagged for review; the
generic grammar's keys never equal a real country's. And for every grammar, the promises of
find_norms: it never raises, spans hold, keys parse back (linear time: test_norms.py)."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.extract import norms as norms_module
from pipeline.extract.grammar import known_countries
from pipeline.extract.norms import (
    COUNTRY_UNDETERMINED,
    GENERIC_GRAMMAR,
    UNDETERMINED,
    find_norms,
    find_norms_any,
    find_relations,
    parse_key,
)
from pipeline.extract.scanner import Scanner, grammars_of_language, scanner_for

# Countries with a grammar of their own, and one served by each generic grammar.
COUNTRIES = [*known_countries(), "CL", "PT", "SN", "KE"]


def test_each_grammar_of_the_language_reads_the_span_with_its_own_country() -> None:
    found = find_norms_any("El Decreto No. 34-2015 protege a las personas defensoras.", "es")
    by_country = {m.country: m.key for m in found}
    assert by_country["HN"] == "HN:DEC|34|2015|" and by_country["GT"] == "GT:DEC|34|2015|"
    assert by_country[UNDETERMINED] == "ZZ:DEC|34|2015|"
    assert all(COUNTRY_UNDETERMINED in m.flags for m in found)
    generic = [m for m in found if GENERIC_GRAMMAR in m.flags]
    assert [m.country for m in generic] == [UNDETERMINED]


def test_the_generic_grammars_keys_never_equal_a_real_countrys() -> None:
    text = "la Loi n° 2014-388 du 20 juin 2014 et le Décret N°2020-0087/P-RM"
    found = find_norms_any(text, "fr")
    generic = {m.key for m in found if m.country == UNDETERMINED}
    real = {m.key for m in found if m.country != UNDETERMINED}
    assert generic and real and not generic & real
    assert {"CI:LOI|388|2014|", "ML:DECRET|87|2020|P-RM"} <= real
    for key in generic:
        assert key.startswith("ZZ:") and parse_key(key)[0] == UNDETERMINED


def test_a_reading_inside_another_grammars_longer_one_is_dropped() -> None:
    keys = [m.key for m in find_norms_any("the Republic Act No. 9745 penalizes torture", "en")]
    assert keys == ["PH:RA|9745||"]  # not also the generic's "Act No. 9745"


def test_a_language_without_grammars_is_read_by_the_english_ones() -> None:
    assert grammars_of_language("de") == grammars_of_language("en")
    assert [m.key for m in find_norms_any("Republic Act No. 9745", "de")] == ["PH:RA|9745||"]


def test_one_scan_per_language_whatever_the_number_of_grammars(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[int] = []
    original = Scanner.candidates

    def counting(self: Scanner, text: str) -> list[int]:
        calls.append(len(text))
        return original(self, text)

    monkeypatch.setattr(Scanner, "candidates", counting)
    text = "el Decreto No. 34-2015 y la Ley N° 21.430 y el D.S. N° 004-2021-JUS " * 50
    assert len(grammars_of_language("es")) >= 6
    assert find_norms_any(text, "es")
    assert calls == [len(text)]


def test_reading_every_grammar_costs_less_than_reading_with_each_in_turn() -> None:
    """The scan is one regex pass over the union of the spellings; each grammar then matches
    only at the few places found. Seven Spanish grammars scanned one by one would cost seven
    passes."""
    text = ("Texto sin normas sobre la protección de las personas defensoras. " * 800)[:50_000]
    grammars = grammars_of_language("es")

    def best(read: Callable[[], object]) -> float:
        read()  # compile and cache first
        runs = []
        for _ in range(5):
            started = time.perf_counter()
            read()
            runs.append(time.perf_counter() - started)
        return min(runs)

    every = best(lambda: find_norms_any(text, "es"))
    each = sum(best(lambda g=g: scanner_for((g,)).candidates(text)) for g in grammars)
    assert every < 0.75 * each


# Characters the grammars care about, so generated text exercises them.
ALPHABET = st.sampled_from(list("DSRMLPNAeéióosnrtclupq°º.-/ &0123456789JUSANMCdeyxo\n,()[]"))


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(), st.text(ALPHABET, max_size=300)), st.sampled_from(COUNTRIES))
def test_every_grammar_never_raises_and_spans_hold(text: str, country: str) -> None:
    mentions = find_norms(text, country)
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.raw
        parse_key(mention.key)  # every key found is a valid key
    for relation in find_relations(text, mentions):
        assert text[relation.start : relation.end] == relation.raw


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(ALPHABET, max_size=300), st.sampled_from(["es", "pt", "fr", "en", "id"]))
def test_find_norms_any_never_raises_and_spans_hold(text: str, language: str) -> None:
    for mention in find_norms_any(text, language):
        assert text[mention.start : mention.end] == mention.raw
        parse_key(mention.key)


def test_norms_module_exports_the_stable_api() -> None:
    for name in (
        "find_norms",
        "find_norms_any",
        "parse_citation",
        "parse_key",
        "display_for_key",
        "type_name",
        "issuer_name",
        "find_relations",
    ):
        assert callable(getattr(norms_module, name)), name
