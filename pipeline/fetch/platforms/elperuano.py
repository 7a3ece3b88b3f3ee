"""elperuano: Peru's official gazette, El Peruano, as its 2026 web app serves it.

Shape followed (GAZETTES.md §1c, 2026, DianCotrina/keikogobierna reconnaissance of 2026-07-31):
the server-rendered day listing `GET {url}/?fechaIni=YYYYMMDD&fechaFin=YYYYMMDD&tipoPublicacion=NL
&ci=ONLY&start=N`, 20 cards a page (a short page is the last; a 404 after page 0 is the end too).
A card is a `div.rounded-xl.border.bg-card` holding a link to `/dispositivo/<NL|EX>/<op>`, the
type in `p.text-xs.text-muted-foreground`, the number in a `font-medium text-muted-foreground`
element, the sector in `.text-primary` and the sumilla in the `a.line-clamp-3` link. The norm's
own page, `/dispositivo/NL/{op}` (`EX` for an extraordinary edition), is the document fetched.

Fallback (GAZETTES.md §1d, 2022-2026): when the listing fails (an HTTP error, or its layout
changed), the same days are read through `POST {filtro_url}/Normas/Filtro?dateparam=MM/DD/YYYY
00:00:00` with the form `cddesde`/`cdhasta` (DD/MM/YYYY) and `X-Requested-With: XMLHttpRequest`,
in blocks of 15 days. It answers `article.edicionesoficiales_articulos` blocks: issuer in `h4`,
type and number as the `h5 > a` link (whose last segment ends in the op), "Fecha: DD/MM/YYYY",
the sumilla in the first other `p`, PDF links in `li > a`. The primary's failure is noted
(recorded as layout_changed) while the fallback's norms still count. `route = "filtro"` reads
the fallback alone.

Both routes give the same document URL for a norm (`/dispositivo/<tipo>/<op>`): the op is the key
every generation of the site has kept. Takes a Source (`url` = the site's base, e.g.
https://busquedas.elperuano.pe); gives Entries with op, type, number, sector, sumilla, edition and
the publication date (the day listed).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from typing import ClassVar
from urllib.parse import quote

from ...errors import FailureClass, FetchError
from ...models import Source
from ..base import DiscoverContext
from ..listed import (
    Node,
    absolute,
    attr,
    parse_html,
    parse_listed_date,
    select,
    select_one,
    text_of,
)
from .base import Entry, Option, Platform, base_url, edition_days, layout_changed, split_heading

PAGE_SIZE = 20  # cards per page, fixed by the site
DEFAULT_MAX_PAGES = 60  # 1,200 norms a day: more than any edition has had
FILTRO_BLOCK_DAYS = 15  # one client splits ranges so; a server limit is suspected (GAZETTES.md)
_DISPOSITIVO = re.compile(r"/dispositivo/(?P<tipo>[A-Za-z]{2})/(?P<op>\d{5,}-\d{1,3})\b")
# The op ends the slug of the Filtro links: ".../decreto-supremo-n-004-2021-jus-1946189-1/".
_OP_AT_END = re.compile(r"(?<![\d])(\d{5,}-\d{1,3})/?$")
# The PDF links of the Filtro blocks, of every generation (GAZETTES.md §1c "PDFs").
_FILTRO_PDF = re.compile(r"\.pdf(?:$|\?)|/download/url/|/DescargaIN\.asp\?", re.I)
_NUMBER_SIGN = re.compile(r"^N(?:[.]?\s*[°º]|o\.)\s*\.?\s*", re.I)
_CARD = "div.rounded-xl.border.bg-card"
_TIPO = "p.text-xs.text-muted-foreground:not(.font-medium)"
_NUMERO = ".font-medium.text-muted-foreground"
_SECTOR = ".text-primary"
_SUMILLA = "a.line-clamp-3"
_PDF = "a[href$='.pdf' i], a[href$='/pdf'], a[href*='/api/archivo/']"
_EDITION = {"NL": "ordinaria", "EX": "extraordinaria"}


class ElPeruano(Platform):
    name = "El Peruano"
    unit = "cards"
    fields: ClassVar[Mapping[str, str]] = {
        "op": "id",
        "tipo": "type",
        "número": "number",
        "sector": "issuer",
        "sumilla": "sumilla",
        "edición": "edition",
        "pdf": "pdf_url",
    }
    options: ClassVar[Mapping[str, Option]] = {
        "publication": Option("choice", choices=("NL", "BO", "PC")),
        "route": Option("choice", choices=("listing", "filtro")),
        "fallback": Option("flag"),
        "filtro_url": Option("url"),
        "max_pages": Option("count", maximum=100),
    }

    def entries(self, source: Source, ctx: DiscoverContext) -> Iterator[Entry]:
        if source.options.get("route") == "filtro":
            yield from _filtro(source, ctx)
            return
        try:
            found = [entry for day in edition_days(source, ctx) for entry in _day(source, ctx, day)]
        except FetchError as exc:
            if source.options.get("fallback") is False or exc.failure is FailureClass.ROBOTS:
                raise
            what = f"day listing failed ({_said(exc)}); read through Normas/Filtro instead"
            ctx.notes.append(layout_changed(exc.url, what))
            yield from _filtro(source, ctx)
            return
        yield from found


def _said(exc: FetchError) -> str:
    return f"{exc.failure.value}: {exc.detail}" if exc.detail else exc.failure.value


def _day(source: Source, ctx: DiscoverContext, day: dt.date) -> Iterator[Entry]:
    publication = str(source.options.get("publication", "NL"))
    pages = int(source.options.get("max_pages", DEFAULT_MAX_PAGES))
    stamp = day.strftime("%Y%m%d")
    for page in range(pages):
        url = (
            f"{base_url(source)}/?fechaIni={stamp}&fechaFin={stamp}"
            f"&tipoPublicacion={publication}&ci=ONLY&start={page * PAGE_SIZE}"
        )
        try:
            fetched = ctx.client.get(url)
        except FetchError as exc:
            if page > 0 and exc.detail.startswith("HTTP 404"):
                return  # a 404 past the first page is the end of the edition (GAZETTES.md)
            raise
        cards = select(parse_html(fetched.body, url), _CARD)
        if not cards and page == 0 and day < ctx.today:
            what = f"no cards ({_CARD}) for {day.isoformat()}, a day El Peruano published"
            raise layout_changed(url, what)
        for n, card in enumerate(cards, 1):
            yield _card(card, n, len(cards), url, base_url(source), day)
        if len(cards) < PAGE_SIZE:
            return


def _card(card: Node, n: int, total: int, url: str, base: str, day: dt.date) -> Entry:
    link = next((a for a in select(card, "a[href]") if _DISPOSITIVO.search(attr(a, "href"))), None)
    if link is None:
        raise layout_changed(url, f"card {n} of {total} has no /dispositivo/<tipo>/<op> link")
    found = _DISPOSITIVO.search(attr(link, "href"))
    assert found is not None
    tipo, op = found["tipo"].upper(), found["op"]
    pdf = select_one(card, _PDF)
    return Entry(
        url=f"{base}/dispositivo/{tipo}/{op}",
        date=day,
        facts={
            "id": op,
            "type": text_of(select_one(card, _TIPO)),
            "number": _NUMBER_SIGN.sub("", text_of(select_one(card, _NUMERO))),
            "issuer": text_of(select_one(card, _SECTOR)),
            "sumilla": text_of(select_one(card, _SUMILLA)),
            "edition": _EDITION.get(tipo, ""),
            "pdf_url": absolute(url, attr(pdf, "href")) if pdf is not None else "",
        },
    )


def _filtro(source: Source, ctx: DiscoverContext) -> Iterator[Entry]:
    days = sorted(edition_days(source, ctx))
    filtro = str(source.options.get("filtro_url", "https://diariooficial.elperuano.pe")).rstrip("/")
    for first in range(0, len(days), FILTRO_BLOCK_DAYS):
        block = days[first : first + FILTRO_BLOCK_DAYS]
        yield from _filtro_block(source, ctx, filtro, block[0], block[-1])


def _filtro_block(
    source: Source, ctx: DiscoverContext, filtro: str, start: dt.date, end: dt.date
) -> list[Entry]:
    url = f"{filtro}/Normas/Filtro?dateparam={quote(end.strftime('%m/%d/%Y') + ' 00:00:00')}"
    fetched = ctx.client.request(
        "POST",
        url,
        data={"cddesde": start.strftime("%d/%m/%Y"), "cdhasta": end.strftime("%d/%m/%Y")},
        headers={"X-Requested-With": "XMLHttpRequest", "Referer": f"{filtro}/normas"},
    )
    articles = select(parse_html(fetched.body, url), "article.edicionesoficiales_articulos")
    if not articles and start < ctx.today:
        what = f"no article.edicionesoficiales_articulos for {start.isoformat()}..{end.isoformat()}"
        raise layout_changed(url, what)
    return [_article(a, n, len(articles), url, base_url(source)) for n, a in enumerate(articles, 1)]


def _article(article: Node, n: int, total: int, url: str, base: str) -> Entry:
    heading = select_one(article, "h5 a[href]")
    found = _OP_AT_END.search(attr(heading, "href").split("?")[0]) if heading else None
    if heading is None or found is None:
        raise layout_changed(url, f"article {n} of {total} has no h5 link ending in an op")
    kind, number = split_heading(text_of(heading))
    paragraphs = [text_of(p) for p in select(article, "p")]
    dated = [p for p in paragraphs if p.startswith("Fecha")]
    date = parse_listed_date(dated[0], ("Fecha: %d/%m/%Y",)) if dated else None
    sumilla = next((p for p in paragraphs if p and not p.startswith("Fecha")), "")
    links = [attr(a, "href") for a in select(article, "li > a[href]")]
    pdf = next((h for h in links if _FILTRO_PDF.search(h)), "")
    extraordinary = select_one(article, ".extraordinaria") is not None
    tipo = "EX" if extraordinary else "NL"
    return Entry(
        url=f"{base}/dispositivo/{tipo}/{found.group(1)}",
        date=date,
        facts={
            "id": found.group(1),
            "type": kind,
            "number": number,
            "issuer": text_of(select_one(article, "h4")),
            "sumilla": sumilla,
            "edition": _EDITION[tipo],
            "pdf_url": absolute(url, pdf),
        },
    )
