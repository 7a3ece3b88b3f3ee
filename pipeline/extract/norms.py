"""Extract stage, norm identifiers: text in, `NormMention`s and `Relation`s out.

    find_norms(text, country)          every norm the text names, read with the country's grammar
    find_norms_any(text, language)     what every grammar of a language reads, for a page whose
                                       country is unknown (flagged: for review, never automatic)
    parse_citation(text, country)      one citation as an editor copies it from a gazette
    find_relations(text, norms)        "que modifica / deroga / aprueba / ..." edges
    parse_key, display_for_key, type_name, issuer_name   (normkeys.py)

Keys are `TYPE|number|year|ISSUER` ("DS|4|2021|JUS", "LEY|31405||"); keys of countries other
than Peru carry a prefix ("CO:DEC|1066|2015|", "CI:LOI|388|2014|"), see models.norm_key. Every
ISO 3166-1 country is read: by its own grammar (grammars/<cc>.toml) or the generic grammar of
its language (grammars/generic/<lang>.toml). Nothing is invented: an issuer or year the text does
not print stays empty and the mention is flagged; resolving it is the linker's job.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence

from pipeline.extract.countries import normalize
from pipeline.extract.grammar import DocType, Grammar, Spelling, fold
from pipeline.extract.grammar_regex import NUMBER_GROUPS
from pipeline.extract.normkeys import (
    UNDETERMINED,
    display,
    display_for_key,
    issuer_name,
    number_text,
    parse_key,
    type_name,
)
from pipeline.extract.relations import find_relations
from pipeline.extract.scanner import grammar_for, grammars_of_language, scanner_for
from pipeline.models import HOME_COUNTRY, NormMention

__all__ = [
    "UNDETERMINED",
    "display_for_key",
    "find_norms",
    "find_norms_any",
    "find_relations",
    "issuer_name",
    "parse_citation",
    "parse_key",
    "type_name",
]

# Flags: what was odd about a mention, for editors and for the linker's caution.
ISSUER_UNKNOWN = "issuer_unknown"  # the type normally prints an issuer; this mention has none
YEAR_UNKNOWN = "year_unknown"  # a numbered-per-year type printed without its year
YEAR_MALFORMED = "year_malformed"  # two-digit year ("017-93-JUS") or outside 1821-2100
YEAR_RANGE = "year_range"  # a legislative period "2025-2026": the first year is kept
OTHER_LANGUAGE = "other_language"  # typed in a language other than the country's ("Decree")
TYPE_UNSTATED = "type_unstated"  # only the generic type is printed ("Res.", "Decree")
TYPE_FROM_CONTEXT = "type_from_context"  # generic type narrowed by another mention in the text
GENERIC_GRAMMAR = "generic_grammar"  # read by a language's generic grammar, not a country's own
COUNTRY_UNDETERMINED = "country_undetermined"  # from find_norms_any: the page's country unknown

# How far to look back for "Proyecto de" before a "Ley N° ...": the longest phrase plus spaces.
_NOT_AFTER_WINDOW = 40
# Bills are "12602/2025-CR": a number, a slash, a year; UN resolutions "53/144".
_SLASH_YEAR = re.compile(r"/[0-9]{4}")
_SLASH_NUMBER = re.compile(r"\s?/\s?[0-9]")
# A year after a month: ",? 2019".
_YEAR_AFTER = re.compile(r",?\s{1,3}[0-9]{4}(?![0-9])")
# Years printed whole, in the number or after it; then two-digit ones; then a date's.
_YEAR_GROUPS = ("yh", "ysp", "yd", "ysl", "yspace", "yw", "ymid", "yfh", "yfs", "ypre", "ypre2")
_TWO_DIGIT_GROUPS = ("ys2", "yyh", "yys")
_DATE_YEAR_GROUPS = ("ydate", "ydate2", "ydate3")
# Years a yearless type drops: printed after its number, not part of it ("Ley N° 31405 de 2022").
_TRAILING_YEAR_GROUPS = frozenset({"yd", "yw", *_DATE_YEAR_GROUPS})
# After the year, alone after a slash, in the middle, ending the id, after the marker.
_ISSUER_GROUPS = ("issuer", "issuer_b", "imid", "iend", "ipre", "mbody")
# Two-digit years: "93" is 1993, "05" is 2005 (no norm of these grammars predates 1930).
_PIVOT = 30
# Quotes and brackets an editor may copy around a citation.
_WRAPPING = "\"'“”‘’«»()[] \t\r\n.;,"


def find_norms(text: str, country: str = HOME_COUNTRY) -> list[NormMention]:
    """Every norm named in `text`, read with the grammar of `country` (any ISO 3166-1 code),
    sorted by start. Raises ValueError only for a code that is no country."""
    grammar = grammar_for(country)
    candidates = scanner_for((grammar,)).candidates(text)
    extra = frozenset({GENERIC_GRAMMAR}) if grammar.generic else frozenset()
    return _read(text, grammar, normalize(country), candidates, extra)


def find_norms_any(text: str, language: str) -> list[NormMention]:
    """What every grammar of `language` reads in `text`, for a page whose country is unknown:
    one scan of the text, then each grammar at the places found. A span may give several
    mentions, one per grammar that reads it, each with that grammar's country; the generic
    grammar's carry the country ZZ, so their keys never equal a real country's. Every mention is
    flagged `country_undetermined` (and `generic_grammar` for the generic's): review material,
    never evidence to accept on. Sorted by start, then country."""
    grammars = grammars_of_language(language)
    candidates = scanner_for(grammars).candidates(text)
    found: list[NormMention] = []
    for grammar in grammars:
        flags = {COUNTRY_UNDETERMINED} | ({GENERIC_GRAMMAR} if grammar.generic else set())
        country = grammar.country or UNDETERMINED
        found.extend(_read(text, grammar, country, candidates, frozenset(flags)))
    found.sort(key=lambda m: (m.start, -m.end, m.country))
    return sorted(_outside_longer_readings(found), key=lambda m: (m.start, m.country, m.end))


def _outside_longer_readings(mentions: list[NormMention]) -> list[NormMention]:
    """Drop a reading that starts inside another grammar's longer one: "Act No. 9745" inside
    "Republic Act No. 9745" is the same words misread, not another norm. Readings from the same
    start stay: they are the grammars' rival answers. `mentions` are sorted by start, then
    longest first."""
    kept: list[NormMention] = []
    reach = -1  # the furthest end of a reading that started earlier
    start = -1
    for mention in mentions:
        if mention.start != start:
            inside = mention.start < reach
            start = mention.start
        if not inside:
            kept.append(mention)
            reach = max(reach, mention.end)
    return kept


def parse_citation(text: str, country: str) -> NormMention | None:
    """The norm a citation names, as an editor copies it from a gazette ("Loi n° 2014-388 du 20
    juin 2014", "Decreto nº 9.937, de 24 de julho de 2019", "Decreto No. 34-2015"), read with
    the grammar of `country`. The citation must open with the norm and name no other (a title
    may follow). None otherwise: a law cited by its name alone ("Ley para la Protección de
    Personas Defensoras ...") is no number, and belongs in the entry's aliases."""
    cited = text.strip(_WRAPPING)
    mentions = find_norms(cited, country)
    if len(mentions) != 1 or mentions[0].start != 0:
        return None
    return mentions[0]


def _read(
    text: str, grammar: Grammar, country: str, candidates: Sequence[int], extra: frozenset[str]
) -> list[NormMention]:
    mentions: list[NormMention] = []
    end = 0
    for pos in candidates:
        if pos < end:
            continue  # inside a span this grammar already read, accepted or not
        match = grammar.norm_re.match(text, pos)
        if match is None:
            continue
        end = match.end()
        groups = match.groupdict()
        spelling = grammar.spellings.get(fold(groups.get("jcode") or groups.get("type") or ""))
        if spelling is None or _is_not_a_norm(grammar, text, match):
            continue
        mentions.append(_mention(grammar, country, spelling, match, match.start(), extra))
        if spelling.plural:
            mentions.extend(_list_items(grammar, country, spelling, text, end, extra))
    mentions.sort(key=lambda m: m.start)
    return _narrow_generic_types(grammar, mentions)


def _number_group(match: re.Match[str]) -> str:
    groups = match.groupdict()
    return next(name for name in NUMBER_GROUPS if groups.get(name))


def _is_not_a_norm(grammar: Grammar, text: str, match: re.Match[str]) -> bool:
    window = text[max(0, match.start() - _NOT_AFTER_WINDOW) : match.start()]
    if grammar.not_after_re.search(window):
        return True  # "Proyecto de Ley N.° 12602/2025-CR" is a bill
    end = match.end(_number_group(match))
    if grammar.reject_slash_year and _SLASH_YEAR.match(text, end):
        return True
    if grammar.reject_slash_number and _SLASH_NUMBER.match(text, match.end()):
        return True  # "resolución 53/144": a number of another kind, which this grammar skips
    # "Ley 27 de abril", "Loi 20 juin": a date after a type word, not a norm number.
    month = grammar.month_after_re.match(text, end)
    if month is None or _year_text(match):
        return False
    return not grammar.months_capitalised or _month_written(text, month)


def _month_written(text: str, month: re.Match[str]) -> bool:
    """Whether a word read as a month, in a language that capitalises months, is one: "12 May"
    or "12 MAY 2019" is; the modal in "Republic Act No. 9745 may be invoked" is not."""
    word = month["month"]
    titled = word[:1].isupper() and not word.isupper()
    return titled or bool(_YEAR_AFTER.match(text, month.end()))


def _list_items(
    grammar: Grammar,
    country: str,
    spelling: Spelling,
    text: str,
    pos: int,
    extra: frozenset[str],
) -> list[NormMention]:
    """The further items of a plural: "Resoluciones Directorales N° 1361-2012/DCG, N° 0323-..."."""
    items = []
    while (item := grammar.list_re.match(text, pos)) is not None:
        if _is_not_a_norm(grammar, text, item):
            break
        start = item.start("marker") if item["marker"] else item.start(_number_group(item))
        items.append(_mention(grammar, country, spelling, item, start, extra))
        pos = item.end()
    return items


def _year_text(match: re.Match[str]) -> str:
    groups = match.groupdict()
    names = (*_YEAR_GROUPS, "ys", "ys3", *_TWO_DIGIT_GROUPS, *_DATE_YEAR_GROUPS)
    return next((groups[g] for g in names if groups.get(g)), "")


def _year(grammar: Grammar, doc: DocType, match: re.Match[str]) -> tuple[str, set[str]]:
    groups = {k: v for k, v in match.groupdict().items() if v}
    flags: set[str] = set()
    source = next((g for g in (*_YEAR_GROUPS, *_DATE_YEAR_GROUPS) if g in groups), "")
    year = groups.get(source, "")
    if short := groups.get("ys"):
        # Peru prints four digits: a two-digit year there is an old or careless one.
        year, source = _century(short), "ys"
        if not grammar.short_years:
            flags.add(YEAR_MALFORMED)
    elif not year and (two := next((groups[g] for g in _TWO_DIGIT_GROUPS if g in groups), "")):
        year, source = _century(two), "two"  # the country's own way: "23/027", "99/19"
    elif not year and (three := groups.get("ys3")):
        year, source = str(2000 + int(three)), "ys3"  # Uruguay: "94/010" is 2010
    if doc.yearless and source in _TRAILING_YEAR_GROUPS:
        return "", flags  # "Ley N° 31405 de 2022": the year of issue is not part of a law's id
    if year and not 1821 <= int(year) <= 2100:
        flags.add(YEAR_MALFORMED)
    if groups.get("yr"):
        flags.add(YEAR_RANGE)
    return year, flags


def _century(two: str) -> str:
    return str((1900 if int(two) >= _PIVOT else 2000) + int(two))


def _date(grammar: Grammar, match: re.Match[str], year: str) -> str:
    """The ISO date printed with the citation ("du 20 juin 2014", "de 27/12/2023"), or ""."""
    g = match.groupdict()
    if g.get("dd") and g.get("mm"):
        day, month, at = g["dd"], grammar.month_numbers.get(fold(g["mm"])), g.get("ydate") or year
    elif g.get("dd2") and g.get("mm2"):
        day, month, at = g["dd2"], grammar.month_numbers.get(fold(g["mm2"])), g["ydate2"]
    elif g.get("dd3"):
        day, month, at = g["dd3"], int(g["mo3"]), g["ydate3"]
    else:
        return ""
    try:
        return dt.date(int(at), month or 0, int(day)).isoformat() if at else ""
    except ValueError:
        return ""  # "31 de febrero": printed, but no date


def _number(printed: str) -> tuple[str, str]:
    """(key number, printed digits): "9.937" → ("9937", "9937"); "052-B" → ("52-B", "052-B");
    "0159" → ("159", "0159"); a prefixed "D000040" stays as printed."""
    plain = re.sub(r"(?<=[0-9])[.,](?=[0-9]{3})", "", printed.upper())
    match = re.fullmatch(r"([0-9]+)-?([A-Z])?", plain)
    if match is None:
        return plain, plain
    digits, letter = match.group(1), match.group(2)
    suffix = f"-{letter}" if letter else ""
    return str(int(digits)) + suffix, digits + suffix


def _issuer(grammar: Grammar, doc: DocType, match: re.Match[str], year: str) -> tuple[str, str]:
    """(issuer, year): upper case, inner spaces folded; a year closing a slash chain moves to the
    year where the grammar says so ("048/CAB/VPM/METPS/2015" is number 48 of 2015). A type
    numbered per issuing body takes the body printed before its number ("Portaria MMFDH nº
    507": Brazil's ministries each number their portarias)."""
    groups = match.groupdict()
    names = (*_ISSUER_GROUPS, "body") if doc.body_issuer else _ISSUER_GROUPS
    text = next((groups[g] for g in names if groups.get(g)), "")
    issuer = re.sub(r"/\s+", "/", " ".join(text.upper().split()))
    if grammar.issuer_year and not year:
        tail = re.search(r"/((?:1[89]|20)[0-9]{2})$", issuer)
        if tail is not None:
            return issuer[: tail.start()], tail.group(1)
    return issuer, year


def _mention(
    grammar: Grammar,
    country: str,
    spelling: Spelling,
    match: re.Match[str],
    start: int,
    extra: frozenset[str],
) -> NormMention:
    doc = spelling.type
    number, printed = _number(match[_number_group(match)])
    year, flags = _year(grammar, doc, match)
    issuer, year = _issuer(grammar, doc, match, year)
    groups = match.groupdict()
    sep = groups.get("isep") or ("/" if groups.get("issuer_b") else "-")
    if spelling.language != grammar.language:
        flags.add(OTHER_LANGUAGE)
    if doc.generic:
        flags.add(TYPE_UNSTATED)
    if doc.issuer_expected and not issuer:
        flags.add(ISSUER_UNKNOWN)
    if not year and not doc.yearless:
        flags.add(YEAR_UNKNOWN)
    return NormMention(
        type=doc.code,
        number=number,
        year=year,
        issuer=issuer,
        raw=match.string[start : match.end()],
        start=start,
        end=match.end(),
        display=display(grammar, doc, number_text(grammar, doc, printed, year), year, sep, issuer),
        country=country,
        flags=frozenset(flags | extra),
        date=_date(grammar, match, year),
    )


def _narrow_generic_types(grammar: Grammar, mentions: list[NormMention]) -> list[NormMention]:
    """ "Decree N° 004-2021" next to "Supreme Decree No. 004-2021-JUS" is that DS: take its type,
    never its issuer (the issuer is what the text left out; guessing it is the linker's job)."""
    specific = {
        (grammar.types[m.type].family, m.number, m.year): m.type
        for m in mentions
        if m.type in grammar.types and not grammar.types[m.type].generic and m.year
    }
    narrowed = []
    for mention in mentions:
        doc = grammar.types.get(mention.type)
        code = specific.get((doc.family, mention.number, mention.year)) if doc else None
        if doc is None or not doc.generic or code is None:
            narrowed.append(mention)
            continue
        display_text = grammar.types[code].display + mention.display[len(doc.display) :]
        flags = (mention.flags - {TYPE_UNSTATED}) | {TYPE_FROM_CONTEXT}
        narrowed.append(dataclasses.replace(mention, type=code, display=display_text, flags=flags))
    return narrowed
