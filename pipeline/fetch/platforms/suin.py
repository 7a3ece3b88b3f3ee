"""suin: Colombia's SUIN-Juriscol, the Ministry of Justice's system of legal information.

Shape followed (GAZETTES.md §5, 2025-2026: the "Legal-Docs-Pipeline" README, idx:52509698268):
the sitemap `{url}/sitemapleyes.xml` (a plain XML sitemap: `urlset/url/loc`, sometimes `lastmod`)
lists norm pages `{url}/viewDocument.asp?id={n}` or `?ruta={Leyes|Decretos|Constitucion}/{n}`; the
`id` is SUIN's own number, not the norm's, and the sitemap carries neither title nor type, so the
page itself (fetched as the document) says which norm it is.

Read with lxml, entities, network and huge trees off, as every sitemap (RELIABILITY.md 14). Takes
a Source (`url` = https://www.suin-juriscol.gov.co; options `sitemap`, `collections` to keep, e.g.
["Leyes", "Decretos"], `max_items`); gives Entries with SUIN's id, the collection and, when the
sitemap has one, the date SUIN last modified the page (entries older than the run's window are
skipped). A sitemap with
no viewDocument.asp link is a layout change.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

from lxml import etree

from ...models import Source
from ..base import DiscoverContext, window_start
from .base import Entry, Option, Platform, base_url, layout_changed

DEFAULT_MAX_ITEMS = 500
_DOCUMENT = re.compile(r"/viewDocument\.asp\?", re.I)
_ENTITY = re.compile(rb"<!ENTITY", re.I)
_TYPES = {"leyes": "LEY", "decretos": "DECRETO", "constitucion": "CONSTITUCIÓN"}


class Suin(Platform):
    name = "SUIN-Juriscol"
    unit = "URLs"
    fields: ClassVar[Mapping[str, str]] = {"loc": "id", "ruta": "collection", "lastmod": "modified"}
    options: ClassVar[Mapping[str, Option]] = {
        "sitemap": Option("text", pattern=r"[A-Za-z0-9_.-]{1,60}\.xml"),
        "collections": Option("list", pattern=r"[A-Za-z]{1,40}"),
        "max_items": Option("count", maximum=5000),
    }

    def entries(self, source: Source, ctx: DiscoverContext) -> Iterator[Entry]:
        url = f"{base_url(source)}/{source.options.get('sitemap', 'sitemapleyes.xml')}"
        body = ctx.client.get(url).body
        if _ENTITY.search(body[:65536]):
            raise layout_changed(url, "the sitemap declares XML entities (refused)")
        try:
            root = etree.fromstring(body, _parser())
        except etree.XMLSyntaxError as exc:
            raise layout_changed(url, f"not an XML sitemap ({exc})") from None
        if _local(root.tag) != "urlset":
            raise layout_changed(
                url, f"a <{_local(root.tag)}> where a sitemap <urlset> was expected"
            )
        found = [entry for node in root if (entry := _entry(node)) is not None]
        if not found:
            raise layout_changed(url, "no viewDocument.asp link in the sitemap")
        keep = {c.casefold() for c in source.options.get("collections", ())}
        since = window_start(source, ctx)
        wanted = int(source.options.get("max_items", DEFAULT_MAX_ITEMS))
        for entry in found:
            if keep and entry.facts.get("collection", "").casefold() not in keep:
                continue
            modified = _date(entry.facts.get("modified", ""))
            if since and modified and modified < since:
                continue
            wanted -= 1
            if wanted < 0:
                return
            yield entry


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, recover=False
    )


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _entry(node: etree._Element) -> Entry | None:
    if _local(node.tag) != "url":
        return None
    values = {_local(child.tag): (child.text or "").strip() for child in node}
    loc = values.get("loc", "")
    if not loc.startswith(("http://", "https://")) or not _DOCUMENT.search(loc):
        return None
    query = parse_qs(urlsplit(loc).query)
    ruta = (query.get("ruta") or [""])[0]
    collection, _, number = ruta.partition("/")
    ident = (query.get("id") or [number])[0]
    # lastmod says when SUIN changed its page, not when the norm was published: it is kept as a
    # fact and for the window, never as the listed date the extractor would take as published.
    return Entry(
        url=loc,
        facts={
            "id": ident,
            "collection": collection,
            "type": _TYPES.get(collection.casefold(), ""),
            "modified": values.get("lastmod", "")[:10],
        },
    )


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
