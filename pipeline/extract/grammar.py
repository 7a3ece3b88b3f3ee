"""Extract stage, norm grammar: turns a grammar file into compiled regexes and lookup tables.
Takes a grammar's name ("pe", "ci", "generic/fr"); gives a cached `Grammar`.

A country's grammar is `grammars/<cc>.toml`; a language's generic grammar, serving every country
of that language without a file of its own, is `grammars/generic/<lang>.toml`. A country file may
name a generic `base` and say only what differs: its types are merged into the base's by code,
its issuers and verbs added to the base's, any other key replaces the base's. The vocabulary
(types, spellings, markers, issuers, verbs) is data; the shape of an identifier is
grammar_regex.py.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.extract.grammar_regex import tail_pattern
from pipeline.extract.spelling import (
    alternation,
    fold,
    type_alternation,
    verb_pattern,
)
from pipeline.models import RelationVerb

GRAMMAR_DIR = Path(__file__).resolve().parent / "grammars"
# What joins the items of a plural ("Decretos Supremos N° 1 y N° 2"); a grammar may say its own.
_LIST_JOINERS = (",", ";", "y", "e", "and", "&")
_LIST_ARTICLES = ("el", "la", "los", "las", "the")

__all__ = ["DocType", "Grammar", "Spelling", "compile_grammar", "fold", "load_grammar"]


@dataclass(frozen=True)
class DocType:
    code: str
    display: str  # the national name, as the display form prints it
    english: str  # the name in English ("Supreme Decree", "Law")
    yearless: bool
    issuer_expected: bool
    family: str
    generic: bool
    template: str  # how display forms print it; "" = the grammar's
    pad: int  # zero padding of a numbered-per-year number; -1 = the grammar's
    body_issuer: bool = False  # numbered per issuing body, printed before the number


@dataclass(frozen=True)
class Spelling:
    type: DocType
    language: str
    plural: bool


@dataclass(frozen=True, eq=False)
class Grammar:
    """Everything find_norms needs for one grammar, compiled once (one object per grammar file:
    compared and hashed by identity)."""

    name: str  # "pe", "generic/fr"
    country: str  # "PE"; "" for a generic grammar
    language: str
    types: Mapping[str, DocType]
    spellings: Mapping[str, Spelling]  # fold(spelling) → what it names
    scan_spellings: tuple[str, ...]  # every word a mention can start with, for the scanner
    verbs: Mapping[str, RelationVerb]  # fold(verb spelling) → edge
    issuers: Mapping[str, str]  # issuer code → full name
    month_numbers: Mapping[str, int]  # fold(month name) → 1..12
    template: str  # display form: "{type} N° {number}[-{year}][{sep}{issuer}]"
    pad_number: int
    display_thousands: str
    issuer_sep: str
    slash_issuers: frozenset[str]
    reject_slash_year: bool
    reject_slash_number: bool
    issuer_year: bool
    short_years: bool  # two-digit years are the country's own way, not an oddity to flag
    months_capitalised: bool  # a month is written "May": "may" after a number is another word
    norm_re: re.Pattern[str]  # a typed mention: type, marker, number, year, issuer, date
    list_re: re.Pattern[str]  # one more item of a plural list: ", N° 0323-2013/DCG"
    not_after_re: re.Pattern[str]  # words that make the following mention a non-norm
    month_after_re: re.Pattern[str]  # "27 de abril": a date, not a number
    verb_re: re.Pattern[str]
    source_gap_re: re.Pattern[str]  # what may stand between an acting norm and its verb
    regulates_via_re: re.Pattern[str]
    target_stop_re: re.Pattern[str]  # words that end a verb's clause before its target

    @property
    def generic(self) -> bool:
        return not self.country


def _doc_type(entry: Mapping[str, Any]) -> DocType:
    english = entry.get("english") or next(iter(entry.get("en", [])), "") or entry["display"]
    return DocType(
        code=entry["code"],
        display=entry["display"],
        english=str(english),
        yearless=bool(entry.get("yearless", False)),
        issuer_expected=bool(entry.get("issuer_expected", True)),
        family=entry.get("family", entry["code"]),
        generic=bool(entry.get("generic", False)),
        template=str(entry.get("template", "")),
        pad=int(entry.get("pad", -1)),
        body_issuer=bool(entry.get("body_issuer", False)),
    )


def _types(raw: Mapping[str, Any]) -> tuple[dict[str, DocType], dict[str, Spelling]]:
    language = str(raw["language"])
    types: dict[str, DocType] = {}
    spellings: dict[str, Spelling] = {}
    for entry in raw["types"]:
        doc = _doc_type(entry)
        types[doc.code] = doc
        for lang in (language, "en"):
            for plural, field in ((False, lang), (True, f"{lang}_plural")):
                for text in entry.get(field, []):
                    spellings.setdefault(fold(text), Spelling(doc, lang, plural))
        for code in entry.get("joined", []):
            spellings.setdefault(fold(code), Spelling(doc, language, False))
    return types, spellings


def _field_spellings(raw: Mapping[str, Any], names: tuple[str, ...]) -> list[str]:
    return [text for entry in raw["types"] for name in names for text in entry.get(name, [])]


def _type_spellings(raw: Mapping[str, Any]) -> list[str]:
    language = str(raw["language"])
    return _field_spellings(raw, (language, f"{language}_plural", "en", "en_plural"))


def _month_names(raw: Mapping[str, Any]) -> list[str]:
    """Months are a flat list of names, or twelve lists (one per month, every spelling of it),
    which also tells a date's month number."""
    months = raw.get("months", [])
    return [name for entry in months for name in ([entry] if isinstance(entry, str) else entry)]


def _month_numbers(raw: Mapping[str, Any]) -> dict[str, int]:
    months = raw.get("months", [])
    if len(months) != 12 or not all(isinstance(entry, list) for entry in months):
        return {}
    return {fold(name): i for i, entry in enumerate(months, 1) for name in entry}


def _verbs(raw: Mapping[str, Any]) -> dict[str, RelationVerb]:
    verbs = raw.get("verbs", {})
    return {fold(s): RelationVerb(name) for name in RelationVerb for s in verbs.get(name.value, [])}


def _head(raw: Mapping[str, Any], markers: str) -> str:
    """Where a mention starts: a type at a word edge (not inside "CAH-LEY" nor "www.ley"), then
    whitespace, or nothing when the spelling ended with a dot ("D.S.N°"). An issuing body's
    acronym may sit between type and number: "Resolución SBS N° 01690-2026". A joined type is
    glued to its number by a hyphen, maybe after words that name it: "PCM-017-2015", "Decreto
    Ejecutivo Número PCM-005-2020", "Norma Oficial Mexicana NOM-004-SSA1-2013"."""
    typed = (
        rf"(?P<type>{type_alternation(_type_spellings(raw))})"
        # "décisions présidentielles : n° 2005-06/PR": a colon may stand before the number.
        r"(?:(?<=\.)\s{0,3}|\s{1,4}|\s{0,2}:\s{1,3})"
        rf"(?:(?P<body>(?-i:[A-ZÁÉÍÓÚÑ]{{2,12}}))\s{{1,3}})?"
    )
    codes = _field_spellings(raw, ("joined",))
    if not codes:
        return rf"(?<![\w./-])(?:{typed})"
    prefixes = alternation(_field_spellings(raw, ("prefixes",)))
    joined = (
        rf"(?P<jtype>(?:(?:{prefixes})\s{{1,3}}(?:(?:{markers})\s{{0,3}})?)?"
        rf"(?P<jcode>{type_alternation(codes)}))-"
    )
    return rf"(?<![\w./-])(?:{typed}|{joined})"


def _list_pattern(raw: Mapping[str, Any], tail: str) -> str:
    # A list goes on with a comma, a semicolon or a conjunction, maybe an article.
    joiners = alternation(raw.get("list_joiners", _LIST_JOINERS))
    articles = alternation(raw.get("list_articles", _LIST_ARTICLES))
    return rf"\s{{0,3}}(?:{joiners})\s{{1,3}}(?:(?:{articles})\s{{1,3}})?{tail}"


def _month_after(raw: Mapping[str, Any], months: str) -> str:
    # "Ley 27 de abril" (Spanish needs its "de"); "Loi 20 juin", "Law 12 May" need none.
    joiner = r"(?:de\s{1,3})?" if raw.get("month_joiner_optional", False) else r"de\s{1,3}"
    return rf"\s{{1,3}}{joiner}(?P<month>{months})(?!\w)"


def _relations(raw: Mapping[str, Any], type_alt: str) -> dict[str, re.Pattern[str]]:
    verbs = raw.get("verbs", {})
    spellings = {s for name in RelationVerb for s in verbs.get(name.value, [])}
    verb_alt = "|".join(verb_pattern(s) for s in sorted(spellings, key=lambda s: -len(s)))
    # Between an acting norm and its verb: commas, dashes, the sumario's ".-" ("R.M. Nº 0267-2020-
    # JUS.- Aprueban"), a bare type word, "que" ("Ley N° 31347, Ley que modifica") and the
    # reflexive "se" ("mediante la R.M. N° 0159-2019-JUS se aprobó"). A plain full stop is not
    # allowed: the next sentence's verb is not the previous norm's.
    gap = (
        rf"(?:\.-|[\s,:\u2013\u2014-])*(?:(?:{type_alt})\s{{1,3}})?(?:que|which|that|qui)?\s*"
        r"(?:se\s{1,3})?"
    )
    flags = re.IGNORECASE
    stops = alternation(verbs.get("target_stops", []))
    return {
        "verb_re": re.compile(rf"(?<!\w)(?P<verb>{verb_alt or '(?!)'})(?!\w)", flags),
        "source_gap_re": re.compile(gap, flags),
        "regulates_via_re": re.compile(alternation(verbs.get("regulates_via", [])), flags),
        "target_stop_re": re.compile(rf"(?<!\w)(?:{stops})(?!\w)", flags),
    }


def compile_grammar(raw: Mapping[str, Any], name: str = "") -> Grammar:
    """Build a Grammar from the (base-merged) data of one grammar file."""
    types, spellings = _types(raw)
    markers = alternation(raw.get("markers", []))
    names = _month_names(raw)
    months = alternation(names)
    tail = tail_pattern(raw, markers, months)
    flags = re.IGNORECASE
    country = str(raw.get("country", "")).upper()
    scan = _type_spellings(raw) + _field_spellings(raw, ("joined", "prefixes"))
    return Grammar(
        name=name or country.lower(),
        country=country,
        language=str(raw["language"]),
        types=types,
        spellings=spellings,
        scan_spellings=tuple(dict.fromkeys(scan)),
        verbs=_verbs(raw),
        issuers={str(k).upper(): str(v) for k, v in raw.get("issuers", {}).items()},
        month_numbers=_month_numbers(raw),
        template=str(raw["display"]),
        pad_number=int(raw.get("pad_number", 0)),
        display_thousands=str(raw.get("display_thousands", "")),
        issuer_sep=str(raw.get("issuer_sep", "-")),
        slash_issuers=frozenset(s.upper() for s in raw.get("slash_issuers", [])),
        reject_slash_year=bool(raw.get("reject_slash_year", False)),
        reject_slash_number=bool(raw.get("reject_slash_number", False)),
        issuer_year=bool(raw.get("issuer_year", False)),
        short_years=bool(raw.get("short_years", False)),
        months_capitalised=bool(raw.get("months_capitalised", False)),
        norm_re=re.compile(_head(raw, markers) + tail, flags),
        list_re=re.compile(_list_pattern(raw, tail), flags),
        not_after_re=re.compile(rf"(?<!\w)(?:{alternation(raw.get('not_after', []))})\s*$", flags),
        month_after_re=re.compile(_month_after(raw, months), flags),
        **_relations(raw, type_alternation(_type_spellings(raw))),
    )


def _merge(base: Mapping[str, Any], own: Mapping[str, Any]) -> dict[str, Any]:
    """A country file over its generic base: types by code (field by field), tables key by key,
    anything else replaced. `drop_types` removes base types the country does not have."""
    merged = {k: v for k, v in base.items() if k not in ("generic", "base")}
    for key, value in own.items():
        if key == "types":
            by_code = {t["code"]: dict(t) for t in merged.get("types", [])}
            for entry in value:
                by_code[entry["code"]] = {**by_code.get(entry["code"], {}), **entry}
            merged["types"] = list(by_code.values())
        elif key in ("issuers", "verbs"):
            merged[key] = {**merged.get(key, {}), **value}
        else:
            merged[key] = value
    dropped = set(own.get("drop_types", []))
    merged["types"] = [t for t in merged.get("types", []) if t["code"] not in dropped]
    return merged


def read_grammar_data(name: str) -> dict[str, Any]:
    """The data of grammar `name` ("pe", "generic/fr"), merged over its base if it names one."""
    if not re.fullmatch(r"(?:generic/)?[a-z]{2}", name):
        raise ValueError(f"no norm grammar {name!r}")
    path = GRAMMAR_DIR / f"{name}.toml"
    if not path.is_file():
        raise ValueError(f"no norm grammar {name!r}")
    with path.open("rb") as handle:
        own = tomllib.load(handle)
    base = own.get("base")
    return _merge(read_grammar_data(f"generic/{base}"), own) if base else own


@functools.cache
def load_grammar(name: str) -> Grammar:
    """The compiled grammar `name`, read once per process: a country's own ("PE", "co") or a
    generic one ("generic/fr"). ValueError when there is no such file."""
    key = name.strip().lower()
    try:
        return compile_grammar(read_grammar_data(key), key)
    except ValueError:
        raise ValueError(f"no norm grammar for country {name!r}") from None


def known_countries() -> list[str]:
    """Countries with a grammar file of their own."""
    return sorted(p.stem.upper() for p in GRAMMAR_DIR.glob("*.toml"))
