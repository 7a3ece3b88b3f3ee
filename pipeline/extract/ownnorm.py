"""Extract stage, a document's own norm: when the page *is* a norm (a gazette or state-portal
norm page), which norm it is and its sumilla, with where each was read.

Takes what a document already carries (the listing's fields, the title, the head of the main
text and the country); gives an `OwnNorm` or None. Pure: no I/O. Citations (its number and
issuer) and the editors' draft (the norm's name and its quoted sumilla) are built from it, so a
fact they print can always be traced to one of these places.

Where the norm is read, most reliable first:
- listing: the gazette's own fields (type "DECRETO SUPREMO", number "004-2021-JUS");
- title: a title that opens with the norm ("Resolución Ministerial N.° 0159-2019-JUS");
- header: a line near the top holding nothing but the norm ("DECRETO SUPREMO N° 004-2021-JUS",
  or the type and the number on two lines), as gazettes print it above the text.
A norm named anywhere else (a recital, a news story) is not the document's own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from pipeline.extract.normkeys import grammar_of
from pipeline.extract.normpage import is_sumilla
from pipeline.extract.norms import find_norms
from pipeline.models import NormMention

# How far into the text a header may stand: below the title, the institution and the date.
HEADER_CHARS = 800
# A title mention must open it (a leading quote or space aside).
TITLE_START = 3
# Sumillas longer than this are the norm's text, not its summary.
MAX_SUMILLA = 600
_PUNCT = re.compile(r"[\s.:;,\-–—]*")


@dataclass(frozen=True)
class OwnNorm:
    norm: NormMention
    source: str  # listing | title | header
    sumilla: str = ""
    sumilla_source: str = ""  # listing | title | text


def own_norm(
    title: str, text: str, country: str, listed: Mapping[str, str] | None = None
) -> OwnNorm | None:
    """The norm the document is, or None when it is about norms rather than one of them."""
    listed = listed or {}
    found = _from_listing(listed, country) or _from_title(title, country)
    found = found or _from_header(text, country)
    if found is None:
        return None
    norm, source = found
    sumilla, where = _sumilla(title, text, listed)
    return OwnNorm(norm, source, sumilla, where)


def _norms(text: str, country: str) -> list[NormMention]:
    try:
        return find_norms(text, country)
    except ValueError:  # a code that is no country (every country has a grammar, its own or
        return []  # its language's generic one): no norm rather than a wrong one


def listing_norm(listed: Mapping[str, str], country: str) -> NormMention | None:
    """The norm a listing's fields name: its type and number as the gazette printed them
    ("DECRETO SUPREMO", "004-2021-JUS"), with the year field when the number lacks it (Colombia's
    Senate lists "DECRETO", "1066", "2015"), read by the grammar of `country`. None when a field
    is missing, no country is known, or the grammar does not read the fields as one norm."""
    kind, number, year = (listed.get(k, "").strip() for k in ("type", "number", "year"))
    if not kind or not number or not country:
        return None
    phrase = f"{kind} N° {number}" + (f" de {year}" if year and year not in number else "")
    found = _norms(phrase, country)
    return found[0] if found and found[0].start == 0 else None


def _from_listing(listed: Mapping[str, str], country: str) -> tuple[NormMention, str] | None:
    found = listing_norm(listed, country)
    return (found, "listing") if found else None


def _from_title(title: str, country: str) -> tuple[NormMention, str] | None:
    first = min(_norms(title, country), key=lambda m: m.start, default=None)
    return (first, "title") if first is not None and first.start <= TITLE_START else None


def _from_header(text: str, country: str) -> tuple[NormMention, str] | None:
    head = text[:HEADER_CHARS]
    for mention in _norms(head, country):
        line_start = head.rfind("\n", 0, mention.start) + 1
        line_end = head.find("\n", mention.end)
        rest = head[mention.end : len(head) if line_end < 0 else line_end]
        if not head[line_start : mention.start].strip() and _PUNCT.fullmatch(rest):
            return mention, "header"
    return None


def _sumilla(title: str, text: str, listed: Mapping[str, str]) -> tuple[str, str]:
    if listed.get("sumilla", "").strip():
        return _clean(listed["sumilla"]), "listing"
    head = title.split(" - ")[0].strip()  # El Peruano appends " - DECRETO SUPREMO - N° ..."
    if is_sumilla(head):
        return _clean(head), "title"
    for line in text[:HEADER_CHARS].split("\n")[:8]:
        if is_sumilla(line.strip()):
            return _clean(line), "text"
    return "", ""


def _clean(text: str) -> str:
    text = " ".join(text.split()).rstrip(" .")
    return text if len(text) <= MAX_SUMILLA else ""


# The number sign between a type's name and its number, as the grammars' display forms print it
# ("N°", "nº", "No.", "Número", "Nomor") and as pages do ("N.°", "Nro."), in any case.
_MARKER = re.compile(r"^(?:N\.?\s?[°º˚]\.?|No\.|Nro\.|N[úu]mero\b|Nomor\b)\s*", re.IGNORECASE)


def type_display(norm: NormMention) -> str:
    """The name its grammar prints before the norm's number ("Decreto Supremo", "Ley"): the
    country's own grammar, its language's generic one (Chile, Argentina) or, for a ZZ key, the
    generic grammar that has the type. "" when no grammar has the type."""
    try:
        doc = grammar_of(norm.country, norm.type).types.get(norm.type)
    except ValueError:  # a country code that is no country
        return ""
    return doc.display if doc else ""


def printed_parts(norm: NormMention) -> tuple[str, str, str]:
    """The norm's display form in its three parts: ("Decreto Supremo", "N°", "004-2021-JUS"),
    ("Decreto", "", "1066 de 2015") where no number sign is printed, ("Portaria", "nº", "507/2022")
    for Brazil's "Portaria MMFDH nº 507/2022" (the issuer is said apart); ("", "", display) when
    the display does not open with its type's name (Mexico's "NOM-004-SSA1-2013")."""
    kind = type_display(norm)
    if not kind or not norm.display.startswith(kind):
        return "", "", norm.display
    rest = norm.display[len(kind) :].strip()
    if norm.issuer and rest.startswith(norm.issuer + " "):
        rest = rest[len(norm.issuer) :].strip()  # the body that numbers it: "Portaria MMFDH nº"
    sign = _MARKER.match(rest)
    return (kind, sign.group().strip(), rest[sign.end() :]) if sign else (kind, "", rest)


def printed_number(norm: NormMention) -> str:
    """The norm's identifier as printed after its type and number sign: "004-2021-JUS" for
    "Decreto Supremo N° 004-2021-JUS", "31405" for "Ley N° 31405", "21.643" for Chile's "Ley N°
    21.643", "9.937/2019" for Brazil's "Decreto nº 9.937/2019"."""
    return printed_parts(norm)[2] or norm.display
