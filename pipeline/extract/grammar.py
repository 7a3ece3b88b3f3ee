"""Extract stage, norm grammar: turns a country's TOML file (grammars/<cc>.toml) into compiled
regexes and lookup tables. Takes a country code, gives a cached `Grammar`.

The vocabulary (types, spellings, markers, issuers, verbs) is data; this module holds only the
shape of an identifier, built from small named fragments. Every quantifier is bounded or runs over
a character class that cannot overlap its neighbour (possessive where it matters), so matching
stays linear on adversarial text.
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.models import RelationVerb

GRAMMAR_DIR = Path(__file__).resolve().parent / "grammars"

# Letters whose accented forms must match the plain spelling: real pages mix "Resolución",
# "RESOLUCION" and the encoding artifact "RESOLUCIóN" for the same type.
_ACCENTS = {"a": "[aá]", "e": "[eé]", "i": "[ií]", "o": "[oó]", "u": "[uúü]"}
# The degree sign, the ordinal indicator and the ring above are typed interchangeably after "N".
_DEGREE = "[°º˚]"


def fold(text: str) -> str:
    """Comparable form of a spelling: no accents, lower case, single spaces, none after dots."""
    decomposed = unicodedata.normalize("NFD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    plain = re.sub(r"[°º˚]", "°", plain)
    return re.sub(r"\.\s+", ".", " ".join(plain.split()))


def spelling_pattern(spelling: str, keep_case: bool = False) -> str:
    """A regex for one spelling, tolerant of accents, of spaces after dots and of line breaks."""
    folded = fold(spelling).upper() if keep_case else fold(spelling)
    return _atoms(folded, _ACCENTS)


def verb_pattern(spelling: str) -> str:
    """Verbs keep their accents: "amplía" is a verb, "amplia" an adjective, "prórroga" a noun."""
    return _atoms(" ".join(spelling.lower().split()), {})


def _atoms(folded: str, accents: Mapping[str, str]) -> str:
    atoms: list[str] = []
    for i, char in enumerate(folded):
        if char == "." and i < len(folded) - 1:
            atoms.append(r"\.\s{0,2}")  # "R.M." and "R. M." are one spelling
        elif char == " ":
            atoms.append(r"\s{1,3}")  # the gazette header breaks "DECRETO\nSUPREMO" across lines
        elif char == "°":
            atoms.append(_DEGREE)
        else:
            atoms.append(accents.get(char, re.escape(char)))
    return "".join(atoms)


def alternation(spellings: Iterable[str], keep_case: bool = False) -> str:
    """Longest spelling first, so "Resolución Ministerial" wins over "Resolución". An empty list
    gives a pattern that never matches (not the empty pattern, which always would)."""
    ordered = sorted(set(spellings), key=lambda s: (-len(fold(s)), s))
    return "|".join(spelling_pattern(s, keep_case) for s in ordered) or "(?!)"


def _case_sensitive(spelling: str) -> bool:
    # Bare capital abbreviations ("DS", "RM", "RD") are words in other contexts when lower case.
    return "." not in spelling and " " not in spelling and spelling.isupper()


@dataclass(frozen=True)
class DocType:
    code: str
    display: str
    yearless: bool
    issuer_expected: bool
    family: str
    generic: bool


@dataclass(frozen=True)
class Spelling:
    type: DocType
    language: str
    plural: bool


@dataclass(frozen=True)
class Grammar:
    """Everything find_norms needs for one country, compiled once."""

    country: str
    language: str
    types: Mapping[str, DocType]
    spellings: Mapping[str, Spelling]  # fold(spelling) → what it names
    verbs: Mapping[str, RelationVerb]  # fold(verb spelling) → edge
    pad_number: int
    display_number: str
    display_year: str
    display_issuer: str
    slash_issuers: frozenset[str]
    reject_slash_year: bool
    norm_re: re.Pattern[str]  # a typed mention: type, marker, number, year, issuer
    list_re: re.Pattern[str]  # one more item of a plural list: ", N° 0323-2013/DCG"
    not_after_re: re.Pattern[str]  # words that make the following mention a non-norm
    month_after_re: re.Pattern[str]  # "27 de abril": a date, not a number
    verb_re: re.Pattern[str]
    source_gap_re: re.Pattern[str]  # what may stand between an acting norm and its verb
    regulates_via_re: re.Pattern[str]


def _year_fragment(forms: list[str], months: str) -> str:
    parts = []
    if "hyphen" in forms:
        # "004-2021", "109 -2020" (space before the hyphen, El Peruano's sumario), and the
        # legislative period "011-2025-2026-CR" whose second year is kept as a flag only.
        parts.append(r"\s{0,2}-\s{0,2}(?P<yh>[0-9]{4})(?![0-9])(?:-(?P<yr>[0-9]{4})(?![0-9]))?")
        # Two-digit years on norms before 2000: "D.S. N° 017-93-JUS". No spaces: "31405 - 20"
        # in running text is not a year.
        parts.append(r"-(?P<ys>[0-9]{2})(?![0-9])")
        # SPIJ prints "Nº 00019 2026-SUNASS-CD": a space for the hyphen, safe only before "-".
        parts.append(r"\s(?P<ysp>[0-9]{4})(?=\s?-)")
    if "de" in forms:
        # "0159 de 2019", "1066 del 2015", and Colombia's "1066 del 26 de mayo de 2015".
        date = rf"(?:[0-9]{{1,2}}\s{{1,3}}de\s{{1,3}}(?:{months})\s{{1,3}}del?\s{{1,3}})?"
        parts.append(rf"\s{{1,3}}del?\s{{1,3}}{date}(?P<yd>[0-9]{{4}})(?![0-9])")
    return "(?:" + "|".join(parts) + ")" if parts else "(?!)"


def _issuer_fragment(name: str, spaced: list[str]) -> str:
    # An issuer starts with a letter (so "-2026" is never one) and runs over segments joined by
    # "-", "/" or "." ("JUS/PGE-GG", "EF/50.01", "SUNAT/700000"). Known issuers with a space
    # come first ("PERÚ COMPRAS-JEFATURA"). Possessive: a segment never gives characters back.
    head = "|".join([spelling_pattern(s) for s in spaced] + [r"[^\W\d_][^\W_]*+"])
    return rf"(?P<{name}>(?:{head})(?:{_NOT_A_FILE_EXTENSION}[-/.][^\W_]++){{0,8}}+)"


# A file name is not part of the issuer: gob.pe lists a norm's PDF as "RM 0255-2020-JUS.pdf", and
# read as issuer "JUS.PDF" it made the linker call the norm a typo of itself (issue 13).
_NOT_A_FILE_EXTENSION = (
    r"(?!\.(?i:pdf|docx?|xlsx?|odt|rtf|txt|html?|zip|rar|jpe?g|png|gif|tiff?)(?![^\W_]))"
)


def _tail(raw: Mapping[str, Any], markers: str, months: str) -> str:
    """Marker, number, year and issuer: the part shared by a typed mention and a list item."""
    # Numbers are digits, or a capital prefix the newer gazette systems add: "D000040", "F-617".
    # Never followed by more digits or "31.405"-style grouping, which would be a different number.
    number = r"(?P<number>(?-i:[A-Z]{1,2})-?[0-9]{1,7}|[0-9]{1,7})(?![0-9]|[.,][0-9])"
    year = _year_fragment(list(raw["year_forms"]), months)
    tail = rf"(?:(?P<marker>{markers})\s{{0,3}})?{number}"
    if raw.get("issuer_suffix", False):
        spaced = list(raw.get("spaced_issuers", []))
        # "168 - 2022 - MINAM": a space after the separator only before capitals, so that
        # "004-2021 - the decree" keeps no issuer.
        gap = r"(?:\s(?=(?-i:[A-Z]{2})))?"
        after_year = rf"(?:\s?(?P<isep>[-/]){gap}{_issuer_fragment('issuer', spaced)})?"
        # Without a year only a slash introduces an issuer: "Ordenanza Nº 604/MM".
        no_year = rf"/{_issuer_fragment('issuer_b', spaced)}"
        return rf"{tail}(?:{year}{after_year}|{no_year})?"
    return rf"{tail}(?:{year})?"


def _type_alternation(spellings: Iterable[str]) -> str:
    spellings = list(spellings)
    sensitive = [s for s in spellings if _case_sensitive(s)]
    loose = [s for s in spellings if not _case_sensitive(s)]
    parts = [rf"(?-i:{alternation(sensitive, keep_case=True)})"] if sensitive else []
    return "|".join([*parts, alternation(loose)])


def _types(raw: Mapping[str, Any]) -> tuple[dict[str, DocType], dict[str, Spelling]]:
    language = str(raw["language"])
    types: dict[str, DocType] = {}
    spellings: dict[str, Spelling] = {}
    for entry in raw["types"]:
        doc = DocType(
            code=entry["code"],
            display=entry["display"],
            yearless=bool(entry.get("yearless", False)),
            issuer_expected=bool(entry.get("issuer_expected", True)),
            family=entry.get("family", entry["code"]),
            generic=bool(entry.get("generic", False)),
        )
        types[doc.code] = doc
        for lang in (language, "en"):
            for plural, field in ((False, lang), (True, f"{lang}_plural")):
                for text in entry.get(field, []):
                    spellings.setdefault(fold(text), Spelling(doc, lang, plural))
    return types, spellings


def _original_spellings(raw: Mapping[str, Any]) -> list[str]:
    language = str(raw["language"])
    fields = (language, f"{language}_plural", "en", "en_plural")
    return [text for entry in raw["types"] for field in fields for text in entry.get(field, [])]


def _verbs(raw: Mapping[str, Any]) -> dict[str, RelationVerb]:
    verbs = raw.get("verbs", {})
    return {fold(s): RelationVerb(name) for name in RelationVerb for s in verbs.get(name.value, [])}


def compile_grammar(raw: Mapping[str, Any]) -> Grammar:
    """Build a Grammar from the parsed TOML of one country."""
    types, spellings = _types(raw)
    originals = _original_spellings(raw)
    type_alt = _type_alternation(originals)
    markers = alternation(raw.get("markers", []))
    months = alternation(raw.get("months", []))
    tail = _tail(raw, markers, months)
    # A type starts at a word edge (not inside "CAH-LEY" nor "www.ley"); after it, whitespace, or
    # nothing when the spelling ended with a dot ("D.S.N°"). An issuing body's acronym may sit
    # between type and number: "Resolución SBS N° 01690-2026", "RESOLUCION OSINERGMIN Nº 77-...".
    norm = (
        rf"(?<![\w./-])(?P<type>{type_alt})(?:(?<=\.)\s{{0,3}}|\s{{1,4}})"
        rf"(?:(?P<body>(?-i:[A-ZÁÉÍÓÚÑ]{{2,12}}))\s{{1,3}})?{tail}"
    )
    # A list goes on with a comma, a semicolon or a conjunction, maybe an article.
    listed = rf"\s{{0,3}}(?:,|;|y|e|and|&)\s{{1,3}}(?:(?:el|la|los|las|the)\s{{1,3}})?{tail}"
    verbs = _verbs(raw)
    verb_spellings = {s for name in RelationVerb for s in raw["verbs"].get(name.value, [])}
    verb_alt = "|".join(verb_pattern(s) for s in sorted(verb_spellings, key=lambda s: -len(s)))
    # Between an acting norm and its verb: commas, dashes, the sumario's ".-" ("R.M. Nº 0267-2020-
    # JUS.- Aprueban"), a bare type word and "que" ("Ley N° 31347, Ley que modifica"). A plain
    # full stop is not allowed: the next sentence's verb is not the previous norm's.
    source_gap = rf"(?:\.-|[\s,:\u2013\u2014-])*(?:(?:{type_alt})\s{{1,3}})?(?:que|which|that)?\s*"
    flags = re.IGNORECASE
    return Grammar(
        country=str(raw["country"]).upper(),
        language=str(raw["language"]),
        types=types,
        spellings=spellings,
        verbs=verbs,
        pad_number=int(raw.get("pad_number", 0)),
        display_number=str(raw["display_number"]),
        display_year=str(raw["display_year"]),
        display_issuer=str(raw.get("display_issuer", "")),
        slash_issuers=frozenset(s.upper() for s in raw.get("slash_issuers", [])),
        reject_slash_year=bool(raw.get("reject_slash_year", False)),
        norm_re=re.compile(norm, flags),
        list_re=re.compile(listed, flags),
        not_after_re=re.compile(rf"(?<!\w)(?:{alternation(raw.get('not_after', []))})\s*$", flags),
        month_after_re=re.compile(rf"\s{{1,3}}de\s{{1,3}}(?:{months})(?!\w)", flags),
        verb_re=re.compile(rf"(?<!\w)(?P<verb>{verb_alt})(?!\w)", flags),
        source_gap_re=re.compile(source_gap, flags),
        regulates_via_re=re.compile(alternation(raw["verbs"].get("regulates_via", [])), flags),
    )


@functools.cache
def load_grammar(country: str) -> Grammar:
    """The compiled grammar of a country ("PE", "co"), read once per process."""
    code = country.strip().lower()
    path = GRAMMAR_DIR / f"{code}.toml"
    if not re.fullmatch(r"[a-z]{2}", code) or not path.is_file():
        raise ValueError(f"no norm grammar for country {country!r}")
    with path.open("rb") as handle:
        return compile_grammar(tomllib.load(handle))


def known_countries() -> list[str]:
    return sorted(p.stem.upper() for p in GRAMMAR_DIR.glob("*.toml"))
