"""What every export format shares: the selection to render (`ExportData`), safe links and
one-line text. Pure: no I/O."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

from ..models import LinkedSource, PolicyLinks
from ..store.exports import SourceDetails


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
