"""listing: an HTML listing page read with CSS selectors from sources.toml (no code per site).

Options (validated when the config loads): `items` (required: one element per listed item),
`link` (the item's link, default "a"), `title`, `date` (elements inside the item), `date_format`
(strptime formats tried before the common forms), `next` (the next-page link, on the page) and
`max_pages` (default 5). Selectors are soupsieve's CSS, so data can say what code would:
`items = "article:-soup-contains('Decreto')"` keeps the cards that mention a decree,
`items = "li:has(> a[href$='.pdf'])"` those with a PDF. Takes a Source; gives Links with the title
and date the listing prints.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..models import Link, Source
from .base import DiscoverContext, window_start
from .listed import Node, absolute, attr, date_of, parse_html, select, text_of

# Pagination is followed this far by default: a nightly run needs the newest items only, and a
# listing whose "next" link loops must still end.
DEFAULT_MAX_PAGES = 5


@dataclass(frozen=True)
class ListingPage:
    links: tuple[Link, ...]
    next_url: str


def date_formats(options: Mapping[str, Any]) -> tuple[str, ...]:
    value = options.get("date_format", ())
    return (value,) if isinstance(value, str) else tuple(value)


def parse_listing(body: bytes, url: str, source: Source) -> ListingPage:
    """One listing page → its items as Links and the URL of the next page ("" at the end)."""
    root = parse_html(body, url)
    opts = source.options
    links = []
    for item in select(root, str(opts["items"])):
        link = _item(item, url, source)
        if link is not None:
            links.append(link)
    next_url = ""
    if opts.get("next"):
        found = select(root, str(opts["next"]))
        next_url = absolute(url, attr(found[0], "href")) if found else ""
    return ListingPage(tuple(links), next_url)


def _item(item: Node, base: str, source: Source) -> Link | None:
    opts = source.options
    anchors = select(item, str(opts.get("link", "a")))
    if item.name == "a" and not anchors:
        anchors = [item]
    url = absolute(base, attr(anchors[0], "href")) if anchors else ""
    if not url:
        return None
    title = _first_text(item, opts.get("title")) or (text_of(anchors[0]) if anchors else "")
    date = None
    if opts.get("date"):
        dates = select(item, str(opts["date"]))
        date = date_of(dates[0], date_formats(opts)) if dates else None
    return Link(source.id, url, listed_title=title, listed_date=date, source_name=source.name)


def _first_text(item: Node, css: object) -> str:
    if not css:
        return ""
    found = select(item, str(css))
    return text_of(found[0]) if found else ""


class ListingFetcher:
    def discover(self, source: Source, ctx: DiscoverContext) -> Iterator[Link]:
        since = window_start(source, ctx)
        url, seen = source.url, set[str]()
        pages = int(source.options.get("max_pages", DEFAULT_MAX_PAGES))
        while url and url not in seen and len(seen) < pages:
            seen.add(url)
            fetched = ctx.client.get(url)
            page = parse_listing(fetched.body, fetched.final_url, source)
            fresh = [link for link in page.links if not _too_old(link, since)]
            yield from fresh
            # Listings are newest first: once a page reaches past the window, older pages hold
            # nothing we want.
            if len(fresh) < len(page.links):
                return
            url = page.next_url


def _too_old(link: Link, since: dt.date | None) -> bool:
    return since is not None and link.listed_date is not None and link.listed_date < since
