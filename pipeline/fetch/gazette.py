"""gazette: official gazettes, one platform class per site whose pages options cannot describe.

Peru, two platforms (source option `platform`):

- `elperuano`: the daily "Normas Legales" listing of the official gazette El Peruano. Each norm is
  an `<article class="edicionesoficiales_articulos">` with the issuer in `<h4>`, the type and
  number as the `<h5>` link to the norm's HTML view, a `<p><b>Fecha:</b> dd/mm/yyyy</p>` (with a
  `<strong class="extraordinaria">` in extraordinary editions), the sumilla in a `<p>` without
  `<b>`, and the PDF behind an `<input data-url>` button.
- `gobpe`: an institution's "Normas y documentos legales" list on gob.pe: one `<li>` per norm
  with the title link to `/institucion/<slug>/normas-legales/<id>-<number>`, a `<time datetime>`,
  the sumilla in a `<div id="p-filter-item-...">` and a download button.

Takes a Source (its url may hold `{date}`, filled with each edition's date in the `date_format`
option, default %Y-%m-%d); gives one Link per norm that points at the HTML view (the PDF only when
a norm has no view: HTML reads faster and better) and carries what the gazette printed: the date
in `listed_date`, the sumilla as `listed_title`, and type, number, issuer, sumilla, pdf and edition
in `extra`. The per-norm views are parsed too (`parse_norm_view`), for fixtures and for pages
reached through other sources.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

from lxml import html as lxml_html

from ..models import Link, Source
from .base import DiscoverContext, window_start
from .listed import absolute, clean, date_of, parse_html, parse_listed_date, select, text_of

# The editions a run reads when the source has no `since`: today's and the day before (the
# gazette publishes late at night and in extraordinary editions).
DEFAULT_DAYS = 2
# A backfill reads at most this many daily editions per run; the rest wait for the next runs.
MAX_DAYS = 31
# "DECRETO SUPREMO N° 004-2021-JUS", "Resolución Ministerial N.° 0255-2020-JUS", "LEY Nº 31405":
# the type, the number sign in its many spellings, the number as printed.
_HEADING = re.compile(r"^(?P<type>.+?)\s+N(?:[.]?\s*[°º]|o\.|ro\.)\s*\.?\s*(?P<number>\S.*)$", re.I)


@dataclass(frozen=True)
class GazetteEntry:
    """One norm as a gazette page shows it."""

    url: str
    type: str = ""
    number: str = ""
    issuer: str = ""
    sumilla: str = ""
    date: dt.date | None = None
    pdf_url: str = ""
    edition: str = ""  # "extraordinaria" for extraordinary editions
    fields: dict[str, str] = field(default_factory=dict)

    def link(self, source: Source, gazette: str) -> Link:
        extra = {
            k: v
            for k, v in (
                ("gazette", gazette),
                ("type", self.type),
                ("number", self.number),
                ("issuer", self.issuer),
                ("sumilla", self.sumilla),
                ("pdf_url", self.pdf_url),
                ("edition", self.edition),
            )
            if v
        }
        title = self.sumilla or f"{self.type} N° {self.number}".strip()
        return Link(source.id, self.url, title, self.date, source.name, extra)


def split_heading(heading: str) -> tuple[str, str]:
    """("DECRETO SUPREMO", "004-2021-JUS") from "DECRETO SUPREMO N° 004-2021-JUS"."""
    found = _HEADING.match(clean(heading))
    return (found["type"].strip(" .-"), found["number"].strip()) if found else (clean(heading), "")


class Platform(Protocol):
    name: str

    def parse_listing(self, body: bytes, url: str) -> list[GazetteEntry]: ...
    def parse_norm_view(self, body: bytes, url: str) -> GazetteEntry: ...


class ElPeruano:
    name = "El Peruano"

    def parse_listing(self, body: bytes, url: str) -> list[GazetteEntry]:
        root = parse_html(body, url)
        entries = []
        for article in select(root, "article.edicionesoficiales_articulos"):
            entry = self._article(article, url)
            if entry is not None:
                entries.append(entry)
        return entries

    def _article(self, article: lxml_html.HtmlElement, base: str) -> GazetteEntry | None:
        heading = select(article, "h5 a") or select(article, "h5")
        view = absolute(base, heading[0].get("href")) if heading else ""
        buttons = select(article, "input[data-url]") + select(article, "a[href$='.pdf']")
        pdf = (
            absolute(base, buttons[0].get("data-url") or buttons[0].get("href")) if buttons else ""
        )
        if not (view or pdf):
            return None
        kind, number = split_heading(text_of(heading[0])) if heading else ("", "")
        date, sumilla = None, ""
        for para in select(article, "p"):
            if select(para, "b"):  # "<b>Fecha:</b> 22/04/2021", the label paragraph
                date = date or parse_listed_date(text_of(para), ("Fecha: %d/%m/%Y",))
            elif not sumilla:
                sumilla = text_of(para)
        issuer = select(article, "h4")
        return GazetteEntry(
            url=view or pdf,
            type=kind,
            number=number,
            issuer=text_of(issuer[0]) if issuer else "",
            sumilla=sumilla,
            date=date,
            pdf_url=pdf,
            edition="extraordinaria" if select(article, "strong.extraordinaria") else "",
        )

    def parse_norm_view(self, body: bytes, url: str) -> GazetteEntry:
        """The per-norm view: its data list ("Tipo:", "Número:", "Emisor:", "Fecha de
        publicación:") under the sumilla heading."""
        root = parse_html(body, url)
        fields = _labelled(select(root, ".datos-norma li"))
        sumilla = select(root, "h1.sumilla") or select(root, "h1")
        dates = select(root, ".datos-norma time")
        pdf = select(root, "a.pdf")
        return GazetteEntry(
            url=url,
            type=fields.get("tipo", ""),
            number=fields.get("numero", ""),
            issuer=fields.get("emisor", ""),
            sumilla=text_of(sumilla[0]) if sumilla else "",
            date=date_of(dates[0]) if dates else parse_listed_date(fields.get("fecha", "")),
            pdf_url=absolute(url, pdf[0].get("href")) if pdf else "",
            fields=fields,
        )


class GobPe:
    name = "Plataforma del Estado Peruano (gob.pe)"
    _NORM_PATH = re.compile(r"/institucion/([a-z0-9-]+)/normas-legales/\d+")

    def parse_listing(self, body: bytes, url: str) -> list[GazetteEntry]:
        root = parse_html(body, url)
        entries = []
        for item in select(root, "li"):
            anchors = [
                a for a in select(item, "a[href]") if self._NORM_PATH.search(a.get("href", ""))
            ]
            if not anchors:
                continue
            view = absolute(url, anchors[0].get("href"))
            kind, number = split_heading(text_of(anchors[0]))
            times = select(item, "time")
            sumilla = select(item, "div[id^='p-filter-item-']")
            button = [a for a in select(item, "a[href]") if a not in anchors]
            entries.append(
                GazetteEntry(
                    url=view,
                    type=kind,
                    number=number,
                    issuer=self._issuer(view),
                    sumilla=text_of(sumilla[0]) if sumilla else "",
                    date=date_of(times[0]) if times else None,
                    pdf_url=absolute(url, button[0].get("href")) if button else "",
                )
            )
        return entries

    def parse_norm_view(self, body: bytes, url: str) -> GazetteEntry:
        """A norm's page: institution, title (type and number), publication date and sumilla."""
        root = parse_html(body, url)
        heading = select(root, "h1")
        kind, number = split_heading(text_of(heading[0])) if heading else ("", "")
        institution = select(root, ".institucion")
        times = select(root, "time")
        sumilla = select(root, ".sumilla")
        pdf = [a for a in select(root, "a[href]") if a.get("href", "").lower().endswith(".pdf")]
        return GazetteEntry(
            url=url,
            type=kind,
            number=number,
            issuer=text_of(institution[0]) if institution else self._issuer(url),
            sumilla=text_of(sumilla[0]) if sumilla else "",
            date=date_of(times[0]) if times else None,
            pdf_url=absolute(url, pdf[0].get("href")) if pdf else "",
        )

    def _issuer(self, url: str) -> str:
        found = self._NORM_PATH.search(url)
        return found.group(1).upper() if found else ""


PLATFORMS: dict[str, Platform] = {"elperuano": ElPeruano(), "gobpe": GobPe()}


def edition_urls(source: Source, ctx: DiscoverContext) -> list[str]:
    """The listing pages to read this run: one per day when the url has `{date}`, newest first."""
    if "{date}" not in source.url:
        return [source.url]
    fmt = str(source.options.get("date_format", "%Y-%m-%d"))
    start = window_start(source, ctx) or ctx.today - dt.timedelta(days=DEFAULT_DAYS - 1)
    days = min(max((ctx.today - start).days + 1, 1), MAX_DAYS)
    dates = [ctx.today - dt.timedelta(days=n) for n in range(days)]
    return [source.url.replace("{date}", day.strftime(fmt)) for day in dates]


class GazetteFetcher:
    def discover(self, source: Source, ctx: DiscoverContext) -> Iterator[Link]:
        platform = PLATFORMS[str(source.options["platform"])]
        since = window_start(source, ctx)
        for url in edition_urls(source, ctx):
            fetched = ctx.client.get(url)
            for entry in platform.parse_listing(fetched.body, fetched.final_url):
                if since is None or entry.date is None or entry.date >= since:
                    yield entry.link(source, platform.name)


def _labelled(items: list[lxml_html.HtmlElement]) -> dict[str, str]:
    """{"tipo": "DECRETO SUPREMO", ...} from items like "<b>Tipo:</b> DECRETO SUPREMO"."""
    out: dict[str, str] = {}
    for item in items:
        label, sep, value = text_of(item).partition(":")
        if sep:
            key = _ascii(label).split()[0] if label.strip() else ""
            out.setdefault(key, value.strip())
    return out


def _ascii(text: str) -> str:
    return text.casefold().translate(str.maketrans("áéíóúñ", "aeioun"))
