"""feed: RSS and Atom feeds of news and NGO sites, parsed by feedparser (its only importer).

The feed's bytes are fetched by our guarded client and handed to feedparser as bytes, so
feedparser never opens a URL or a file itself. A feed declaring XML entities is refused before
parsing (billion laughs, external entities: RELIABILITY.md 14). Takes a Source; gives Links with
the entry's title, date (published, else updated) and summary (in `extra`).
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from typing import Any

import feedparser

from ..errors import FailureClass, FetchError
from ..models import Link, Source
from .base import DiscoverContext, window_start
from .listed import absolute, clean

# Feeds never need their own entities; a DOCTYPE with <!ENTITY is an attack or a broken export.
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
# Enough of an entry's summary for an editor to recognise it; the page itself is fetched anyway.
SUMMARY_CHARS = 500
_TAGS = re.compile(r"<[^>]{0,2000}>")


def parse_feed(body: bytes, url: str, source: Source) -> list[Link]:
    if _ENTITY_DECL.search(body[:65536]):
        raise FetchError(url, FailureClass.UNSUPPORTED, "feed declares XML entities: refused")
    parsed: Any = feedparser.parse(body, response_headers={"content-location": url})
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        raise FetchError(url, FailureClass.UNSUPPORTED, "not an RSS or Atom feed")
    links = []
    for entry in parsed.entries:
        link_url = absolute(url, entry.get("link"))
        if not link_url:
            continue
        summary = clean(_TAGS.sub(" ", entry.get("summary", "")))[:SUMMARY_CHARS]
        links.append(
            Link(
                source.id,
                link_url,
                listed_title=clean(entry.get("title", "")),
                listed_date=_entry_date(entry),
                source_name=source.name,
                extra={"summary": summary} if summary else {},
            )
        )
    return links


def _entry_date(entry: Any) -> dt.date | None:
    """The entry's date as the site wrote it. feedparser's *_parsed are converted to UTC, which
    moves an evening item of Lima (UTC-5) to the next day; the raw string keeps its own day."""
    for key in ("published", "updated"):
        raw = entry.get(key)
        if raw and (local := _local_date(str(raw))):
            return local
    return _date(entry.get("published_parsed") or entry.get("updated_parsed"))


def _local_date(raw: str) -> dt.date | None:
    try:
        return parsedate_to_datetime(raw).date()  # RFC 822, RSS's form
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return dt.datetime.fromisoformat(raw.strip().replace("Z", "+00:00")).date()  # Atom's
    except ValueError:
        return None


def _date(parsed: time.struct_time | None) -> dt.date | None:
    if parsed is None:
        return None
    try:
        return dt.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
    except ValueError:
        return None


class FeedFetcher:
    def discover(self, source: Source, ctx: DiscoverContext) -> Iterator[Link]:
        since = window_start(source, ctx)
        fetched = ctx.client.get(source.url)
        for link in parse_feed(fetched.body, fetched.final_url, source):
            if since is None or link.listed_date is None or link.listed_date >= since:
                yield link
