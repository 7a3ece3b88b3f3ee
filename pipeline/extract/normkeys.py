"""Extract stage, norm keys: a norm's identity as text, and how each country prints it back.
Takes keys from policy files, the store and mentions; gives their parts, display forms, type
names and issuers' full names.

    parse_key(key, country)      validate a key, split into (country, type, number, year, issuer)
    display_for_key(key)         the gazette's way of printing a key, for any country
    type_name(key, language)     "DS|4|2021|JUS" → "Supreme Decree" (en) / "Decreto Supremo" (es)
    issuer_name(country, code)   ("PE", "JUS") → "Ministerio de Justicia y Derechos Humanos"

Keys are `TYPE|number|year|ISSUER`, prefixed `CC:` for every country but Peru. A mention read by
a generic grammar on a page whose country is unknown is prefixed `ZZ:` (CLDR's "Unknown Region",
a user-assigned code in ISO 3166-1: no country has it), so it never equals a real country's key.
"""

from __future__ import annotations

import re

from pipeline.extract.countries import is_country
from pipeline.extract.grammar import DocType, Grammar, load_grammar
from pipeline.extract.language import LANGUAGES
from pipeline.extract.scanner import grammar_for
from pipeline.models import HOME_COUNTRY

UNDETERMINED = "ZZ"

# TYPE|number|year|ISSUER, maybe behind a country prefix; the parts are checked one by one so the
# error can say which part is wrong.
_KEY = re.compile(
    r"(?:(?P<country>[A-Za-z]{2}):)?"
    r"(?P<type>[^|]*)\|(?P<number>[^|]*)\|(?P<year>[^|]*)\|(?P<issuer>[^|]*)"
)
# Digits, maybe behind a capital prefix ("D000040", "F-617") or before a letter ("52-B").
_KEY_NUMBER = re.compile(r"(?:[A-Z]{1,2}-?)?[0-9]{1,7}(?:-[A-Z])?")
_KEY_ISSUER = re.compile(r"(?:[^\W_]|&)+(?:[-/. ](?:[^\W_]|&)+)*")
# "[-{year}]": a part of a display template printed only when every field in it has a value.
_OPTIONAL = re.compile(r"\[([^\]]*)\]")
_FIELD = re.compile(r"\{(\w+)\}")


def grammar_of(country: str, type_code: str = "") -> Grammar:
    """The grammar behind a key's country: the country's, or for ZZ the generic grammar that
    has the type (Spanish first). ValueError names a code that is no country."""
    if country.upper() == UNDETERMINED:
        generics = [load_grammar(f"generic/{lang}") for lang in LANGUAGES]
        return next((g for g in generics if type_code in g.types), generics[-1])
    return grammar_for(country)


def render(template: str, fields: dict[str, str]) -> str:
    """Fill a display template; "[...]" parts whose fields are empty vanish."""

    def fill(text: str) -> str:
        return _FIELD.sub(lambda m: fields.get(m.group(1), ""), text)

    def optional(match: re.Match[str]) -> str:
        names = _FIELD.findall(match.group(1))
        return fill(match.group(1)) if all(fields.get(n) for n in names) else ""

    return fill(_OPTIONAL.sub(optional, template))


def number_text(grammar: Grammar, doc: DocType, number: str, year: str) -> str:
    """The number as the gazette prints it: zero-padded where numbered per year ("004-2021"),
    grouped by thousands where the country groups ("9.937"), its letter suffix kept ("052-B")."""
    match = re.fullmatch(r"([0-9]+)(-?[A-Z])?", number)
    if match is None:
        return number  # a prefixed number ("D000040") prints as it was printed
    digits, suffix = match.group(1), match.group(2) or ""
    pad = grammar.pad_number if doc.pad < 0 else doc.pad
    if year:
        digits = digits.zfill(pad)
    if grammar.display_thousands and len(digits) > 3 and not digits.startswith("0"):
        digits = f"{int(digits):,}".replace(",", grammar.display_thousands)
    return digits + (f"-{suffix.lstrip('-')}" if suffix else "")


def display(grammar: Grammar, doc: DocType, number: str, year: str, sep: str, issuer: str) -> str:
    fields = {
        "type": doc.display,
        "number": number,
        "year": year,
        "yy": year[2:],
        "issuer": issuer,
        "sep": sep,
    }
    return render(doc.template or grammar.template, fields)


def parse_key(key: str, country: str = HOME_COUNTRY) -> tuple[str, str, str, str, str]:
    """(country, type, number, year, issuer) of a key. An unprefixed key is read in `country`
    (a policy's norms are read in that policy's country), which may be any ISO 3166-1 country.
    ValueError names the bad key and what is wrong with it, in one line."""
    match = _KEY.fullmatch(key.strip())
    if match is None:
        raise ValueError(f"bad norm key {key!r}: expected TYPE|number|year|ISSUER")
    code = (match.group("country") or country).strip().upper()
    type_, number, year, issuer = match.group("type", "number", "year", "issuer")
    if code != UNDETERMINED and not is_country(code):
        raise ValueError(f"bad norm key {key!r}: {code!r} is not an ISO 3166-1 country code")
    problem = _key_problem(grammar_of(code, type_), code, type_, number, year, issuer)
    if problem:
        raise ValueError(f"bad norm key {key!r}: {problem}")
    return code, type_, number, year, issuer


def _key_problem(
    grammar: Grammar, country: str, type_: str, number: str, year: str, issuer: str
) -> str:
    if type_ not in grammar.types:
        return f"unknown type {type_!r} for {country}"
    if not _KEY_NUMBER.fullmatch(number) or re.match(r"0[0-9]", number):
        return f"number {number!r} must be digits without leading zeros"
    if year and not re.fullmatch(r"[0-9]{4}", year):
        return f"year {year!r} must have 4 digits or be empty"
    if issuer and (not _KEY_ISSUER.fullmatch(issuer) or issuer != issuer.upper()):
        return f"issuer {issuer!r} must be upper case"
    return ""


def display_for_key(key: str) -> str:
    """ "DS|4|2021|JUS" → "Decreto Supremo N° 004-2021-JUS"; "CI:LOI|388|2014|" → "Loi n°
    2014-388"; "BR:DEC|9937|2019|" → "Decreto nº 9.937/2019"."""
    country, type_, number, year, issuer = parse_key(key)
    grammar = grammar_of(country, type_)
    root = re.split(r"[-/. ]", issuer, maxsplit=1)[0]
    sep = "/" if root in grammar.slash_issuers else grammar.issuer_sep
    doc = grammar.types[type_]
    return display(grammar, doc, number_text(grammar, doc, number, year), year, sep, issuer)


def type_name(key: str, language: str = "en") -> str:
    """The name of a key's type: in the country's language when asked for it ("Decreto
    Supremo", "Loi"), else in English ("Supreme Decree", "Law")."""
    country, type_, *_ = parse_key(key)
    grammar = grammar_of(country, type_)
    doc = grammar.types[type_]
    return doc.display if language.strip().lower() == grammar.language else doc.english


def issuer_name(country: str, code: str) -> str | None:
    """The full name of an issuer code in a country's grammar ("JUS" → "Ministerio de Justicia y
    Derechos Humanos", ("BF", "AN") → "Assemblée nationale"). A compound code with no entry of
    its own is named by its longest known head ("DP-PAD" → the Defensoría del Pueblo). None when
    the grammar lists no such issuer, the country reads with a generic grammar, or the code is
    no country."""
    if not is_country(country):
        return None
    issuers = grammar_for(country).issuers
    parts = re.split(r"([-/.])", code.strip().upper())
    for end in range(len(parts), 0, -2):
        name = issuers.get("".join(parts[:end]))
        if name:
            return name
    return None
