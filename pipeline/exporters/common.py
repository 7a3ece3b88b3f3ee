"""What every export format shares: the selection to render (`ExportData`), safe links,
one-line text, and the selection as the md and html exports show it (`shown_entries`).
Pure: no I/O."""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

from ..extract.countries import country_name
from ..models import LinkedSource, PolicyLinks
from ..store.exports import SourceDetails
from ..wording import moment


@dataclass(frozen=True)
class ExportData:
    """One export: the policies with their sources in order, plus what formats may add."""

    items: tuple[PolicyLinks, ...]
    as_of: str = ""  # when the data last changed ("" leaves the stamp out)
    details: Mapping[str, SourceDetails] = field(default_factory=dict)  # by URL
    # Where archived copies are served (a WARC replay): base + archive reference. "" = unlinked.
    archive_base: str = ""

    def archived_copy(self, source: LinkedSource) -> str:
        """The archived copy to point readers at: for a link `check-links` found dead, and for a
        link that cannot be fetched twice (a single-use PDF, an account's download), whose
        archived copy is the only way a reader can see what was cited."""
        details = self.details.get(source.url)
        if details is None or not details.archive_ref:
            return ""
        if details.link_state != "dead" and not details.archive_only:
            return ""
        if not self.archive_base:
            return details.archive_ref
        return self.archive_base + quote(details.archive_ref, safe="/#")


_SPACE = re.compile(r"\s+")


def one_line(text: str) -> str:
    """Collapse every run of whitespace (newlines included): line-based formats such as RIS
    would otherwise read a newline in a scraped title as the start of a new field."""
    return _SPACE.sub(" ", text).strip()


def web_url(url: str) -> str:
    """The URL if it is http(s), else "": a javascript: or data: URL must never become a link."""
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return ""
    return url.strip() if scheme in ("http", "https") else ""


def date_parts(value: str | None) -> list[int]:
    """[year, month, day] as far as the date gives them; [] when it is not an ISO date."""
    match = re.match(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value or "")
    if not match:
        return []
    return [int(part) for part in match.groups() if part]


@dataclass(frozen=True)
class ShownSource:
    """One source as the md and html exports show it (their templates print these fields)."""

    name: str
    title: str  # the title, else the URL
    summary: str  # the 1-3 sentence snippet, "" when there is none
    url: str  # as stored: templates link it only when it is http(s)
    published: str  # as published or as the editor wrote it
    iso_date: str  # the same when it is an ISO date (for <time datetime>), else ""
    archived: str  # the archived copy to point readers at, or ""


@dataclass(frozen=True)
class ShownEntry:
    id: str
    slug: str  # for the fragment's element id: lower-case letters, digits and dashes
    title: str
    country: str  # the country's name ("Peru"), else its code as given
    sources: tuple[ShownSource, ...]


_UTC = zoneinfo.ZoneInfo("UTC")


def as_of_words(data: ExportData) -> str:
    """The "as of" stamp as a reader writes it ("1 May 2024, 02:30 UTC"): in UTC, not the
    machine's zone, so two exports of one state are identical wherever they are made."""
    return moment(data.as_of, _UTC) if data.as_of else ""


_ISO_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


def shown_entries(data: ExportData) -> tuple[ShownEntry, ...]:
    """The selection as the md and html exports show it: text on one line, in export order."""
    return tuple(
        ShownEntry(
            id=item.policy.id,
            slug=re.sub(r"[^a-z0-9-]+", "-", item.policy.id.lower()).strip("-"),
            title=one_line(item.policy.title),
            country=country_name(item.policy.country) or item.policy.country,
            sources=tuple(_shown(data, s) for s in item.sources),
        )
        for item in data.items
    )


def _shown(data: ExportData, s: LinkedSource) -> ShownSource:
    published = one_line(s.published or "")
    return ShownSource(
        name=one_line(s.source_name),
        title=one_line(s.title or s.url),
        summary=one_line(s.summary),
        url=s.url.strip(),
        published=published,
        iso_date=published if _ISO_DATE.fullmatch(published) else "",
        archived=data.archived_copy(s),
    )
