"""sitemap: XML sitemaps, sitemap indexes and Google News sitemaps.

Parsed with lxml with entity resolution, network access and huge trees all off: a sitemap is
hostile input (billion-laughs, external entities). Takes a Source; gives Links with the listed
date (lastmod or news:publication_date) and title (news:title) already filled in.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from lxml import etree

from ..errors import FailureClass, FetchError
from ..models import Link, Source
from .base import DiscoverContext, window_start

# Sitemap indexes may nest; real sites use one level, two allows an index of indexes, and the
# cap stops a hostile loop of indexes pointing at each other.
MAX_DEPTH = 2
MAX_SITEMAPS = 50
_DATE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})")


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, recover=False
    )


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child_text(node: etree._Element, name: str) -> str:
    for child in node.iter():
        if _local(child.tag) == name and child.text:
            return child.text.strip()
    return ""


def _date(value: str) -> dt.date | None:
    found = _DATE.match(value)
    if not found:
        return None
    try:
        return dt.date.fromisoformat(found.group(1))
    except ValueError:
        return None


class SitemapFetcher:
    def discover(self, source: Source, ctx: DiscoverContext) -> Iterator[Link]:
        pending = [(source.url, 0)]
        seen: set[str] = set()
        since = window_start(source, ctx)
        while pending and len(seen) < MAX_SITEMAPS:
            url, depth = pending.pop(0)
            if url in seen:
                continue
            seen.add(url)
            root = self._load(url, ctx)
            if _local(root.tag) == "sitemapindex" and depth < MAX_DEPTH:
                pending.extend((loc, depth + 1) for loc in self._locs(root, "sitemap"))
            elif _local(root.tag) == "urlset":
                yield from self._links(root, source, since)

    def _load(self, url: str, ctx: DiscoverContext) -> etree._Element:
        body = ctx.client.get(url).body
        try:
            return etree.fromstring(body, _parser())
        except etree.XMLSyntaxError as exc:
            raise FetchError(url, FailureClass.UNSUPPORTED, f"not a sitemap: {exc}") from None

    def _locs(self, root: etree._Element, element: str) -> list[str]:
        return [_child_text(node, "loc") for node in root if _local(node.tag) == element]

    def _links(self, root: etree._Element, source: Source, since: dt.date | None) -> Iterator[Link]:
        for node in root:
            if _local(node.tag) != "url":
                continue
            loc = _child_text(node, "loc")
            if not re.match(r"^https?://", loc):
                continue
            listed = _date(_child_text(node, "publication_date") or _child_text(node, "lastmod"))
            if since and listed and listed < since:
                continue
            yield Link(
                source.id,
                loc,
                listed_title=_child_text(node, "title"),
                listed_date=listed,
                source_name=source.name,
            )
