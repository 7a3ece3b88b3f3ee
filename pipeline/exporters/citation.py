"""Sources as citations, for the reference-manager formats (CSL-JSON, BibTeX, RIS).

A source is cited as one of three kinds:
- legislation: the page *is* a norm — its title opens with a legal instrument ("Decreto Supremo
  N° 004-2021-JUS", "Resolución Ministerial N.° 0159-2019-JUS", "Decreto Supremo que crea ...");
- news: a dated page on a host that is not a state's own (a press article about the norm);
- webpage: everything else (state portals, undated pages).
One citation per URL, however many policies link it; the policies are kept as keywords.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from ..extract.norms import find_norms
from ..models import LinkedSource, NormMention
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
    norm = _own_norm(title, country)
    kind = _kind(s, title)
    return Citation(
        key=_key(s),
        kind=kind,
        title=title,
        url=web_url(s.url),  # a reference manager would offer any other scheme as a link
        container=one_line(s.source_name),
        issued=s.published,
        accessed=details.accessed if details else None,
        number=norm.display if norm and kind is CitationKind.LEGISLATION else "",
        authority=(norm.issuer if norm else "") if kind is CitationKind.LEGISLATION else "",
        jurisdiction=country if kind is CitationKind.LEGISLATION else "",
        language=s.language,
        abstract=one_line(s.summary),
        policies=policies,
        archived=data.archived_copy(s),
    )


def _kind(s: LinkedSource, title: str) -> CitationKind:
    if _INSTRUMENT.match(title):
        return CitationKind.LEGISLATION
    host = (urlsplit(s.url).hostname or "").lower()
    if s.published and not _OFFICIAL_HOST.search(host):
        return CitationKind.NEWS
    return CitationKind.WEBPAGE


def _own_norm(title: str, country: str) -> NormMention | None:
    """The norm a title opens with ("Resolución Ministerial N.° 0159-2019-JUS"), if any; a norm
    named later in the title ("... que modifica el Decreto Supremo N° 004-2021-JUS") is another."""
    try:
        mentions = find_norms(title, country)
    except ValueError:  # a country without a grammar: no number rather than a wrong one
        return None
    first = min(mentions, key=lambda m: m.start, default=None)
    return first if first is not None and first.start <= 3 else None


def _key(s: LinkedSource) -> str:
    host = (urlsplit(s.url).hostname or "source").removeprefix("www.")
    stem = re.sub(r"[^a-z0-9]+", "", host.split(".")[0].lower())[:20] or "source"
    year = (s.published or "")[:4] if (s.published or "")[:4].isdigit() else "nd"
    digest = hashlib.sha256(s.url.encode("utf-8")).hexdigest()[:8]
    return f"{stem}{year}_{digest}"
