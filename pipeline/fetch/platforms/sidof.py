"""sidof: Mexico's Diario Oficial de la Federación through the SIDOF JSON API.

Shape followed (GAZETTES.md §3, 2021-2026: idx:71010665269, idx:71077388137, idx:40562721507):
`GET {url}/dof/sidof/notas/{DD-MM-YYYY}` answers `{messageCode, response, NotasMatutinas[],
NotasVespertinas[], NotasExtraordinarias[]}`; a note has `codNota`, `titulo`, `fecha`
(DD-MM-YYYY), `codOrgaUno`/`nombreCodOrgaUno` (branch), `codOrgaDos` (issuing agency),
`codSeccion`, `pagina`, `paginaHasta`, `codDiario`, `tipoNota`. Rows without `titulo` are agency
headings of the printed summary, not notes. A day without notes is checked against
`/dof/sidof/diarios/porFecha/{DD-MM-YYYY}` (the day's editions): notes missing on a day the DOF
had an edition is a layout change, a weekend or a holiday is not [I: that answer's shape is not
documented; any non-empty list in it is read as an edition].

Fallback (GAZETTES.md §3, idx:52431004097, idx:56366029530): when the API fails and the source
names a `sumario` URL, today's edition is read from `sumario.xml`, an RSS feed served in
**ISO-8859-1** (decoded as latin-1 whatever the prolog says) whose items carry the agency in
`<title>`, the act's title in `<description>` (HTML entities included) and a link
`nota_detalle.php?codigo=N&fecha=DD/MM/YYYY`: no pubDate, the date is in the link.

The document fetched is the note's public page, `{note_url}/nota_detalle.php?codigo={codNota}
&fecha={DD/MM/YYYY}` (its text in div#DivDetalleNota). Takes a Source (`url` = the API's base,
https://sidof.segob.gob.mx); gives Entries with codNota, type, agency, branch, edition, section,
page and the sumilla (the note's title).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

from ...errors import FailureClass, FetchError
from ...models import Source
from ..base import DiscoverContext
from ..feed import parse_feed
from .base import (
    Entry,
    Option,
    Platform,
    base_url,
    edition_days,
    layout_changed,
    need,
    read_json,
    text,
)

EDITIONS = {
    "MAT": ("NotasMatutinas", "matutina"),
    "VES": ("NotasVespertinas", "vespertina"),
    "EXT": ("NotasExtraordinarias", "extraordinaria"),
}
# "DECRETO por el que se reforma...", "ACUERDO por el que...", "NORMA Oficial Mexicana...": the
# act's type is the title's leading run of capitals.
_TYPE = re.compile(r"^((?:[A-ZÁÉÍÓÚÑ]{2,}\s+){0,3}[A-ZÁÉÍÓÚÑ]{2,})\b")
_DECLARED = re.compile(rb"^(<\?xml[^>]*?encoding=)([\"'])[^\"']*\2", re.I)


class Sidof(Platform):
    name = "Diario Oficial de la Federación"
    unit = "notes"
    fields: ClassVar[Mapping[str, str]] = {
        "codNota": "id",
        "titulo": "sumilla",
        "tipo": "type",
        "codOrgaDos": "issuer",
        "edición": "edition",
        "pagina": "page",
        "codSeccion": "section",
    }
    options: ClassVar[Mapping[str, Option]] = {
        "editions": Option("list", choices=tuple(EDITIONS)),
        "sumario": Option("url"),
        "note_url": Option("url"),
    }

    def entries(self, source: Source, ctx: DiscoverContext) -> Iterator[Entry]:
        try:
            found = [entry for day in edition_days(source, ctx) for entry in _day(source, ctx, day)]
        except FetchError as exc:
            fallback = source.options.get("sumario")
            if not fallback or exc.failure is FailureClass.ROBOTS:
                raise
            what = f"SIDOF API failed ({exc.failure.value}: {exc.detail}); read sumario.xml instead"
            ctx.notes.append(layout_changed(exc.url, what))
            yield from _sumario(source, ctx, str(fallback))
            return
        yield from found


def _day(source: Source, ctx: DiscoverContext, day: dt.date) -> list[Entry]:
    stamp = day.strftime("%d-%m-%Y")
    url = f"{base_url(source)}/dof/sidof/notas/{stamp}"
    data = read_json(ctx.client.get(url), "SIDOF notes")
    code = need(data, "messageCode", url, (int, str))
    wanted = source.options.get("editions") or list(EDITIONS)
    entries: list[Entry] = []
    if str(code) == "200":
        for edition in wanted:
            key, label = EDITIONS[str(edition)]
            notes = need(data, key, url, list)
            entries += [e for n in notes if (e := _note(n, label, day, url, source)) is not None]
    if not entries and day < ctx.today and _had_edition(source, ctx, stamp):
        raise layout_changed(url, f"no notes for {day.isoformat()}, a day the DOF published")
    return entries


def _note(note: Any, edition: str, day: dt.date, url: str, source: Source) -> Entry | None:
    if not isinstance(note, dict):
        raise layout_changed(url, "a note is not an object")
    title = text(note.get("titulo"))
    if not title:
        return None  # an agency heading of the printed summary
    code = text(need(note, "codNota", url, (int, str)))
    if not code.isdigit():
        raise layout_changed(url, f"codNota {code!r} is not a number")
    when = _date(text(note.get("fecha"))) or day
    first, last = text(note.get("pagina")), text(note.get("paginaHasta"))
    pages = first if last in ("", first) else f"{first}-{last}"
    return _note_entry(
        source,
        code,
        title,
        when,
        issuer=text(note.get("codOrgaDos")),
        branch=text(note.get("nombreCodOrgaUno")),
        edition=edition,
        page=pages,
        section=text(note.get("codSeccion")),
        diario=text(note.get("codDiario")),
    )


def _note_entry(source: Source, code: str, title: str, when: dt.date, **facts: str) -> Entry:
    """A note as either route lists it: its page, its title as sumilla, the type it opens with."""
    kind = _TYPE.match(title)
    return Entry(
        url=_note_url(source, code, when),
        title=title,
        date=when,
        facts={"id": code, "type": kind.group(1) if kind else "", "sumilla": title, **facts},
    )


def _date(value: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(value, "%d-%m-%Y").date()
    except ValueError:
        return None


def _had_edition(source: Source, ctx: DiscoverContext, stamp: str) -> bool:
    url = f"{base_url(source)}/dof/sidof/diarios/porFecha/{stamp}"
    data = read_json(ctx.client.get(url), "SIDOF editions")
    values = data.values() if isinstance(data, dict) else [data]
    return any(isinstance(v, list) and v for v in values)


def _note_url(source: Source, code: str, day: dt.date) -> str:
    """A note's page, the same whichever route listed it (the document's identity)."""
    base = str(source.options.get("note_url", "https://www.dof.gob.mx")).rstrip("/")
    return f"{base}/nota_detalle.php?codigo={code}&fecha={day.strftime('%d/%m/%Y')}"


def _sumario(source: Source, ctx: DiscoverContext, url: str) -> Iterator[Entry]:
    body = _as_utf8(ctx.client.get(url).body)
    try:
        links = parse_feed(body, url, source)
    except FetchError as exc:
        raise layout_changed(url, f"sumario.xml is not an RSS feed ({exc.detail})") from None
    if not links:
        raise layout_changed(url, "sumario.xml has no item")
    for link in links:
        query = parse_qs(urlsplit(link.url).query)
        code = (query.get("codigo") or [""])[0]
        if not code.isdigit():
            raise layout_changed(url, f"an item's link has no codigo: {link.url}")
        when = _date((query.get("fecha") or [""])[0].replace("/", "-"))
        if when is None:
            raise layout_changed(url, f"an item's link has no fecha=DD/MM/YYYY: {link.url}")
        title = html.unescape(link.extra.get("summary", "")) or link.listed_title
        yield _note_entry(source, code, title, when, issuer=link.listed_title)


def _as_utf8(body: bytes) -> bytes:
    """sumario.xml is ISO-8859-1, declared or not (GAZETTES.md): bytes that are not UTF-8 are
    decoded as latin-1 and handed to the feed parser as UTF-8, with the prolog saying so."""
    try:
        body.decode("utf-8")
        return body
    except UnicodeDecodeError:
        text_ = body.decode("latin-1")
    return _DECLARED.sub(rb"\1\2utf-8\2", text_.encode("utf-8"), count=1)
