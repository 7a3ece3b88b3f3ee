"""Extract stage, norm identifiers: text in, `NormMention`s and `Relation`s out.

    find_norms(text, country)      every norm the text names, with key, display form, span, flags
    find_relations(text, norms)    "que modifica / deroga / aprueba / reglamenta / amplía" edges
    parse_key(key, country)        validate a key from a policy import file, split into its parts
    display_for_key(key)           the gazette's way of printing a key

Keys are `TYPE|number|year|ISSUER` ("DS|4|2021|JUS", "LEY|31405||"); keys of countries other
than Peru carry a prefix ("CO:DEC|1066|2015|"), see models.norm_key. The grammar of each country
is data (grammars/<cc>.toml, compiled by grammar.py). Nothing is invented: an issuer or year the
text does not print stays empty and the mention is flagged; resolving it is the linker's job.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Sequence

from pipeline.extract.grammar import DocType, Grammar, Spelling, fold, load_grammar
from pipeline.models import HOME_COUNTRY, NormMention, Relation, RelationVerb

# Flags: what was odd about a mention, for editors and for the linker's caution.
ISSUER_UNKNOWN = "issuer_unknown"  # the type normally prints an issuer; this mention has none
YEAR_UNKNOWN = "year_unknown"  # a numbered-per-year type printed without its year
YEAR_MALFORMED = "year_malformed"  # two-digit year ("017-93-JUS") or outside 1821-2100
YEAR_RANGE = "year_range"  # a legislative period "2025-2026": the first year is kept
OTHER_LANGUAGE = "other_language"  # typed in a language other than the country's ("Decree")
TYPE_UNSTATED = "type_unstated"  # only the generic type is printed ("Res.", "Decree")
TYPE_FROM_CONTEXT = "type_from_context"  # generic type narrowed by another mention in the text

# How far to look back for "Proyecto de" before a "Ley N° ...": the longest phrase plus spaces.
_NOT_AFTER_WINDOW = 40
# A relation's target must follow its verb closely: "que modifica los artículos 17, 21 y 24 del
# Protocolo aprobado por la" is about as far as real sumillas stretch.
_TARGET_GAP = 120
# An acting norm stands right before its verb: "Decreto Supremo N° 002-2022-JUS, que modifica".
_SOURCE_GAP = 60
# Bills are "12602/2025-CR": a number, a slash, a year.
_SLASH_YEAR = re.compile(r"/[0-9]{4}")
# "y el", ", así como la": a join longer than this is prose, not a list of targets.
_JOIN_GAP = 30
# What joins several targets of one verb: "modifica la Ley N° 1 y el Decreto Supremo N° 2".
_TARGET_JOIN = re.compile(r"[\s,]*(?:y|e|and|así como)?\s*(?:(?:el|la|los|las|del|the)\s+)?", re.I)
_YEAR_GROUPS = ("yh", "ysp", "yd")


def find_norms(text: str, country: str = HOME_COUNTRY) -> list[NormMention]:
    """Every norm named in `text`, sorted by start. Raises only for a country with no grammar."""
    grammar = load_grammar(country)
    mentions: list[NormMention] = []
    for match in grammar.norm_re.finditer(text):
        spelling = grammar.spellings.get(fold(match.group("type")))
        if spelling is None or _is_not_a_norm(grammar, text, match):
            continue
        mentions.append(_mention(grammar, spelling, match, match.start()))
        if spelling.plural:
            mentions.extend(_list_items(grammar, spelling, text, match.end()))
    mentions.sort(key=lambda m: m.start)
    return _narrow_generic_types(grammar, mentions)


def _is_not_a_norm(grammar: Grammar, text: str, match: re.Match[str]) -> bool:
    window = text[max(0, match.start() - _NOT_AFTER_WINDOW) : match.start()]
    if grammar.not_after_re.search(window):
        return True  # "Proyecto de Ley N.° 12602/2025-CR" is a bill
    end = match.end("number")
    if grammar.reject_slash_year and _SLASH_YEAR.match(text, end):
        return True
    # "Ley 27 de abril": a date after a type word, not a norm number.
    return not _year_text(match) and bool(grammar.month_after_re.match(text, end))


def _list_items(grammar: Grammar, spelling: Spelling, text: str, pos: int) -> list[NormMention]:
    """The further items of a plural: "Resoluciones Directorales N° 1361-2012/DCG, N° 0323-..."."""
    items = []
    while (item := grammar.list_re.match(text, pos)) is not None:
        if _is_not_a_norm(grammar, text, item):
            break
        start = item.start("marker") if item.group("marker") else item.start("number")
        items.append(_mention(grammar, spelling, item, start))
        pos = item.end()
    return items


def _year_text(match: re.Match[str]) -> str:
    groups = match.groupdict()
    return next((groups[g] for g in _YEAR_GROUPS if groups.get(g)), "") or groups.get("ys") or ""


def _year(doc: DocType, match: re.Match[str]) -> tuple[str, set[str]]:
    groups = match.groupdict()
    flags: set[str] = set()
    year = next((groups[g] for g in _YEAR_GROUPS if groups.get(g)), "")
    if short := groups.get("ys"):
        # Two-digit years stopped around 2000; "93" is 1993, "05" is 2005.
        year = str((1900 if int(short) >= 30 else 2000) + int(short))
        flags.add(YEAR_MALFORMED)
    if groups.get("yd") and doc.yearless:
        return "", flags  # "Ley N° 31405 de 2022": the year of issue is not part of a law's id
    if year and not 1821 <= int(year) <= 2100:
        flags.add(YEAR_MALFORMED)
    if groups.get("yr"):
        flags.add(YEAR_RANGE)
    return year, flags


def _mention(grammar: Grammar, spelling: Spelling, match: re.Match[str], start: int) -> NormMention:
    doc = spelling.type
    printed = match.group("number").upper()
    number = str(int(printed)) if printed.isdigit() else printed
    year, flags = _year(doc, match)
    groups = match.groupdict()
    issuer = " ".join((groups.get("issuer") or groups.get("issuer_b") or "").upper().split())
    sep = groups.get("isep") or "/"
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
        display=_display(grammar, doc, _padded(grammar, printed, year), year, sep, issuer),
        country=grammar.country,
        flags=frozenset(flags),
    )


def _padded(grammar: Grammar, number: str, year: str) -> str:
    # El Peruano pads numbered-year norms ("N° 004-2021-JUS") but never laws ("Ley N° 31405").
    return number.zfill(grammar.pad_number) if year and number.isdigit() else number


def _display(grammar: Grammar, doc: DocType, number: str, year: str, sep: str, issuer: str) -> str:
    text = grammar.display_number.format(type=doc.display, number=number)
    if year:
        text += grammar.display_year.format(year=year)
    if issuer and grammar.display_issuer:
        text += grammar.display_issuer.format(sep=sep, issuer=issuer)
    return text


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
        display = grammar.types[code].display + mention.display[len(doc.display) :]
        flags = (mention.flags - {TYPE_UNSTATED}) | {TYPE_FROM_CONTEXT}
        narrowed.append(dataclasses.replace(mention, type=code, display=display, flags=flags))
    return narrowed


def find_relations(text: str, norms: Sequence[NormMention]) -> list[Relation]:
    """Edges "source verb target" said in `text`; source is "" when the acting norm is unnamed
    ("Decreto Supremo que modifica el ...", a sumilla's "Modifican el ...": the document itself)."""
    if not norms:
        return []
    grammar = load_grammar(norms[0].country)
    ordered = sorted(norms, key=lambda m: m.start)
    starts = [m.start for m in ordered]
    relations: list[Relation] = []
    seen: set[tuple[str, RelationVerb, str]] = set()
    for match in grammar.verb_re.finditer(text):
        verb = grammar.verbs.get(fold(match.group("verb")))
        if verb is None:
            continue
        source = _source(grammar, text, ordered, starts, match.start())
        for target, verb_here in _targets(grammar, text, ordered, starts, match, verb):
            edge = (source.key if source else "", verb_here, target.key)
            if edge in seen or (source is not None and source.key == target.key):
                continue
            seen.add(edge)
            begin = source.start if source else match.start()
            relations.append(Relation(*edge, text[begin : target.end], begin, target.end))
    return relations


def _source(
    grammar: Grammar, text: str, ordered: list[NormMention], starts: list[int], verb_at: int
) -> NormMention | None:
    index = bisect.bisect_left(starts, verb_at) - 1
    if index < 0 or ordered[index].end > verb_at or verb_at - ordered[index].end > _SOURCE_GAP:
        return None
    gap = text[ordered[index].end : verb_at]
    # Only punctuation, a bare type word and "que" between them: "Ley N° 31347, Ley que modifica".
    return ordered[index] if grammar.source_gap_re.fullmatch(gap) else None


def _targets(
    grammar: Grammar,
    text: str,
    ordered: list[NormMention],
    starts: list[int],
    verb: re.Match[str],
    edge: RelationVerb,
) -> list[tuple[NormMention, RelationVerb]]:
    index = bisect.bisect_left(starts, verb.end())
    if index >= len(ordered):
        return []
    first = ordered[index]
    gap = text[verb.end() : first.start]
    if len(gap) > _TARGET_GAP or "\n\n" in gap or ";" in gap or grammar.verb_re.search(gap):
        return []
    # "que aprueba el Reglamento de la Ley N° 31405" regulates that law.
    if edge is RelationVerb.APPROVES and grammar.regulates_via_re.search(gap):
        edge = RelationVerb.REGULATES
    found = [(first, edge)]
    for previous, following in zip(ordered[index:], ordered[index + 1 :], strict=False):
        join = text[previous.end : following.start]
        if len(join) > _JOIN_GAP or not _TARGET_JOIN.fullmatch(join):
            break
        found.append((following, edge))
    return found


# TYPE|number|year|ISSUER, maybe behind a country prefix; the parts are checked one by one so the
# error can say which part is wrong.
_KEY = re.compile(
    r"(?:(?P<country>[A-Za-z]{2}):)?"
    r"(?P<type>[^|]*)\|(?P<number>[^|]*)\|(?P<year>[^|]*)\|(?P<issuer>[^|]*)"
)
_KEY_NUMBER = re.compile(r"(?:[A-Z]{1,2}-?)?[0-9]{1,7}")
_KEY_ISSUER = re.compile(r"[A-Z0-9ÁÉÍÓÚÑÜ]+(?:[-/. ][A-Z0-9ÁÉÍÓÚÑÜ]+)*")


def parse_key(key: str, country: str = HOME_COUNTRY) -> tuple[str, str, str, str, str]:
    """(country, type, number, year, issuer) of a key. An unprefixed key is read in `country`
    (a policy's norms are read in that policy's country). ValueError names the bad key."""
    match = _KEY.fullmatch(key.strip())
    if match is None:
        raise ValueError(f"bad norm key {key!r}: expected TYPE|number|year|ISSUER")
    code = (match.group("country") or country).upper()
    type_, number, year, issuer = match.group("type", "number", "year", "issuer")
    try:
        grammar = load_grammar(code)
    except ValueError:
        raise ValueError(f"bad norm key {key!r}: no norm grammar for country {code}") from None
    problem = _key_problem(grammar, type_, number, year, issuer)
    if problem:
        raise ValueError(f"bad norm key {key!r}: {problem}")
    return code, type_, number, year, issuer


def _key_problem(grammar: Grammar, type_: str, number: str, year: str, issuer: str) -> str:
    if type_ not in grammar.types:
        return f"unknown type {type_!r} for {grammar.country}"
    if not _KEY_NUMBER.fullmatch(number) or (number.isdigit() and number != str(int(number))):
        return f"number {number!r} must be digits without leading zeros"
    if year and not re.fullmatch(r"[0-9]{4}", year):
        return f"year {year!r} must have 4 digits or be empty"
    if issuer and not _KEY_ISSUER.fullmatch(issuer):
        return f"issuer {issuer!r} must be upper case"
    return ""


def display_for_key(key: str) -> str:
    """ "DS|4|2021|JUS" → "Decreto Supremo N° 004-2021-JUS"; "LEY|31405||" → "Ley N° 31405"."""
    country, type_, number, year, issuer = parse_key(key)
    grammar = load_grammar(country)
    root = re.split(r"[-/. ]", issuer, maxsplit=1)[0]
    sep = "/" if root in grammar.slash_issuers else "-"
    doc = grammar.types[type_]
    return _display(grammar, doc, _padded(grammar, number, year), year, sep, issuer)
