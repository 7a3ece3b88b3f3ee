"""gobpe: an institution's norms on gob.pe, Peru's state portal (MINJUSDH, MINAM, the Defensoría).

Shapes followed (GAZETTES.md §2, 2025-2026: the TukiJuris and SENASA scrapers, idx:56119176564,
idx:56231534683; the RSS search feed, idx:49300507524 and others):

- `route = "list"` (default): `GET {url}/institucion/{institution}/normas-legales?sheet=N`, pages
  from 1, newest first; stop at a page with no new card. A card is the `li` or `article` around a
  link to `/institucion/{institution}/normas-legales/{id}-{number-slug}` whose title ("Resolución
  Ministerial N.° 0255-2020-JUS") is in an `h1`-`h4` inside the link; the card also shows the date
  (a `<time>`), the sumilla and a PDF link to cdn.www.gob.pe [I: from the scraper's comment].
- `route = "rss"`: `GET {url}/busquedas.rss?contenido[]=normas&institucion[]={institution}&sheet=1
  &sort_by=recent` (plus `&term=` from `terms`), an RSS 2.0 feed read by feed.py.

Takes a Source (`url` = https://www.gob.pe); gives Entries pointing at each norm's page with its
id, type, number, institution, sumilla, date and PDF. An empty first page, or a feed with no item,
is a layout change: an institution's list of norms is never empty.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar
from urllib.parse import quote

from ...errors import FailureClass, FetchError
from ...models import Link, Source
from ..base import DiscoverContext, window_start
from ..feed import parse_feed
from ..listed import Node, absolute, attr, date_of, parse_html, select, select_one, text_of
from .base import Entry, Option, Platform, base_url, layout_changed, split_heading

DEFAULT_MAX_PAGES = 3
_TITLE = "h1, h2, h3, h4"
_PDF = "a[href*='cdn.www.gob.pe'], a[href$='.pdf' i]"
_SUMILLA = "[id^='p-filter-item-'], p"


class GobPe(Platform):
    name = "Plataforma Digital Única del Estado Peruano (gob.pe)"
    unit = "norms"
    fields: ClassVar[Mapping[str, str]] = {
        "id": "id",
        "tipo": "type",
        "número": "number",
        "fecha": "date",
        "sumilla": "sumilla",
        "pdf": "pdf_url",
    }
    options: ClassVar[Mapping[str, Option]] = {
        "institution": Option("text", required=True, pattern=r"[a-z0-9][a-z0-9-]{0,62}"),
        "route": Option("choice", choices=("list", "rss")),
        "terms": Option("text"),
        "max_pages": Option("count", maximum=20),
    }

    def check(self, source_url: str, options: Mapping[str, Any]) -> str:
        if options.get("terms") and options.get("route") != "rss":
            return "'terms' is read by the rss route only (route = \"rss\")"
        return ""

    def entries(self, source: Source, ctx: DiscoverContext) -> Iterator[Entry]:
        if source.options.get("route") == "rss":
            yield from _feed(source, ctx)
        else:
            yield from _list(source, ctx)


def _card_path(slug: str) -> re.Pattern[str]:
    return re.compile(rf"/institucion/{re.escape(slug)}/normas-legales/(\d+)-[^/?#]+")


def _list(source: Source, ctx: DiscoverContext) -> Iterator[Entry]:
    slug = str(source.options["institution"])
    since = window_start(source, ctx)
    seen: set[str] = set()
    for sheet in range(1, int(source.options.get("max_pages", DEFAULT_MAX_PAGES)) + 1):
        url = f"{base_url(source)}/institucion/{slug}/normas-legales?sheet={sheet}"
        root = parse_html(ctx.client.get(url).body, url)
        cards = [e for e in _cards(root, url, slug) if e.url not in seen]
        if not cards and sheet == 1:
            raise layout_changed(url, f"no card links to /institucion/{slug}/normas-legales/<id>-…")
        seen.update(e.url for e in cards)
        yield from cards
        # Newest first: a page reaching past the window, or adding nothing, ends the list.
        if not cards or (since and any(e.date and e.date < since for e in cards)):
            return


def _cards(root: Node, url: str, slug: str) -> list[Entry]:
    path = _card_path(slug)
    out = []
    for anchor in select(root, "a[href*='/normas-legales/']"):
        found = path.search(attr(anchor, "href"))
        if found is None:
            continue
        card = anchor.find_parent(["li", "article"]) or anchor.parent or anchor
        heading = select_one(anchor, _TITLE)
        title = text_of(heading) if heading is not None else text_of(anchor)
        kind, number = split_heading(title)
        when = select_one(card, "time")
        pdf = select_one(card, _PDF)
        inside = set(map(id, anchor.descendants))
        texts = [text_of(s) for s in select(card, _SUMILLA) if id(s) not in inside]
        sumilla = next((t for t in texts if t), "")
        out.append(
            Entry(
                url=absolute(url, attr(anchor, "href")).split("?")[0],
                title=title,
                date=date_of(when) if when is not None else None,
                facts={
                    "id": found.group(1),
                    "type": kind,
                    "number": number,
                    "issuer": slug.upper(),
                    "sumilla": sumilla,
                    "pdf_url": absolute(url, attr(pdf, "href")) if pdf is not None else "",
                },
            )
        )
    return out


def _feed(source: Source, ctx: DiscoverContext) -> Iterator[Entry]:
    slug = str(source.options["institution"])
    url = (
        f"{base_url(source)}/busquedas.rss?contenido[]=normas&institucion[]={slug}"
        "&sheet=1&sort_by=recent"
    )
    if source.options.get("terms"):
        url += "&term=" + quote(str(source.options["terms"]))
    fetched = ctx.client.get(url)
    try:
        links = parse_feed(fetched.body, url, source)
    except FetchError as exc:
        if exc.failure is not FailureClass.UNSUPPORTED:
            raise
        raise layout_changed(url, f"not the RSS feed of gob.pe's search ({exc.detail})") from None
    if not links:
        raise layout_changed(url, "the feed has no item")
    for link in links:
        yield _item(link, slug)


def _item(link: Link, slug: str) -> Entry:
    kind, number = split_heading(link.listed_title)
    found = _card_path(slug).search(link.url)
    return Entry(
        url=link.url,
        title=link.listed_title,
        date=link.listed_date,
        facts={
            "id": found.group(1) if found else "",
            "type": kind,
            "number": number,
            "issuer": slug.upper(),
            "sumilla": link.extra.get("summary", ""),
        },
    )
