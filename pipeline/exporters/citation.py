"""Sources as citations, for the reference-manager formats (CSL-JSON, BibTeX, RIS).

A source is cited as one of three kinds:
- legislation: the page *is* a norm — its own norm is read from the gazette listing's fields, a
  title that opens with it or the header above its text (extract/ownnorm.py), or its title opens
  with a legal instrument ("Decreto Supremo que crea ..."). It is cited with the norm's number,
  its issuing authority by name (the grammar's issuer table) and its jurisdiction, under a title
  that carries the number once;
- news: a dated page on a host that is not a state's own (a press article about the norm);
- webpage: everything else (state portals, undated pages).
One citation per URL, however many policies link it; the policies are kept as keywords. A
source with no title known (never fetched, dead, untitled) is cited under its URL, never untitled.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from ..extract.norms import issuer_name
from ..extract.ownnorm import OwnNorm, own_norm, printed_number, type_display
from ..models import LinkedSource
from .common import ExportData, one_line, web_url

# A title that opens with one of these names a legal instrument: the page is the norm itself, as
# official gazettes and state portals title them. A news headline opens with its subject instead
# ("Gobierno crea ...", "MINJUSDH publica decreto supremo ...").
_INSTRUMENT = re.compile(
    r"\s*(?:ley|decreto|resoluci[oó]n|ordenanza|directiva"  # Spanish-language gazettes
    r"|law|supreme decree|decree|resolution)\b",  # their English translations
    re.IGNORECASE,
)
# States' own hosts (gob.pe, gov.co, gouv.fr, ...): their pages are official web pages, not press.
_OFFICIAL_HOST = re.compile(r"(?:^|\.)(?:gob|gov|gouv|go|mil)(?:\.[a-z]{2})?$")


class CitationKind(StrEnum):
    LEGISLATION = "legislation"
    NEWS = "news"
    WEBPAGE = "webpage"


@dataclass(frozen=True)
class Citation:
    key: str  # stable and unique per URL, safe as a BibTeX key
    kind: CitationKind
    title: str
    url: str
    container: str  # the source: newspaper, gazette or site name
    issued: str | None  # YYYY-MM-DD (or shorter) as published
    accessed: str | None
    number: str  # the norm's own number, for legislation
    authority: str  # the norm's issuer, for legislation
    jurisdiction: str
    language: str
    abstract: str
    policies: tuple[str, ...]
    archived: str = ""  # archived copy of a dead link


def citations(data: ExportData) -> list[Citation]:
    """Every source of the selection once, in export order (publication date, then URL)."""
    policies: dict[str, list[str]] = {}
    firsts: dict[str, tuple[LinkedSource, str]] = {}
    for item in data.items:
        for source in item.sources:
            policies.setdefault(source.url, []).append(item.policy.id)
            firsts.setdefault(source.url, (source, item.policy.country))
    ordered = sorted(firsts.values(), key=lambda pair: (pair[0].published or "9999", pair[0].url))
    return [_citation(data, s, country, tuple(sorted(policies[s.url]))) for s, country in ordered]


def _citation(
    data: ExportData, s: LinkedSource, country: str, policies: tuple[str, ...]
) -> Citation:
    details = data.details.get(s.url)
    country = (details.country if details and details.country else country).upper()
    title = one_line(s.title)
    own = own_norm(
        one_line(details.title) if details and details.title else title,
        details.head if details else "",
        country,
        details.listed_extra if details else None,
    )
    kind = CitationKind.LEGISLATION if own else _kind(s, title)
    number = authority = ""
    if own is not None:
        number, authority = _number(own), issuer_name(own.norm.country, own.norm.issuer) or ""
        title = _legislation_title(title, own)
    return Citation(
        key=_key(s),
        kind=kind,
        title=title or one_line(s.url),
        url=web_url(s.url),  # a reference manager would offer any other scheme as a link
        container=one_line(s.source_name),
        issued=s.published,
        accessed=details.accessed if details else None,
        number=number,
        authority=authority,
        jurisdiction=country if kind is CitationKind.LEGISLATION else "",
        language=s.language,
        abstract=one_line(s.summary),
        policies=policies,
        archived=data.archived_copy(s),
    )


def _number(own: OwnNorm) -> str:
    """The identifier as the country prints it: "004-2021-JUS", "029-2020/DP-PAD", "31405"."""
    return printed_number(own.norm)


def _legislation_title(title: str, own: OwnNorm) -> str:
    """The norm's title naming it once: the page's title when it carries the number; the
    sumilla after the norm's name when the title is the sumilla ("Decreto Supremo N°
    004-2021-JUS, que crea el Mecanismo ..."); the norm's name alone when nothing else is known."""
    display, number = own.norm.display, _number(own)
    if title and number.casefold() in title.casefold():
        return title
    sumilla = title or own.sumilla
    kind = type_display(own.norm)
    if kind and sumilla.casefold().startswith(kind.casefold() + " "):
        return f"{display}, {sumilla[len(kind) :].strip()}"
    return f"{display}: {sumilla}" if sumilla else display


def _kind(s: LinkedSource, title: str) -> CitationKind:
    if _INSTRUMENT.match(title):
        return CitationKind.LEGISLATION
    host = (urlsplit(s.url).hostname or "").lower()
    if s.published and not _OFFICIAL_HOST.search(host):
        return CitationKind.NEWS
    return CitationKind.WEBPAGE


def _key(s: LinkedSource) -> str:
    host = (urlsplit(s.url).hostname or "source").removeprefix("www.")
    stem = re.sub(r"[^a-z0-9]+", "", host.split(".")[0].lower())[:20] or "source"
    year = (s.published or "")[:4] if (s.published or "")[:4].isdigit() else "nd"
    digest = hashlib.sha256(s.url.encode("utf-8")).hexdigest()[:8]
    return f"{stem}{year}_{digest}"
