"""diario_co: Colombia's Diario Oficial, as the Imprenta Nacional's consultation serves it.

Shape followed (GAZETTES.md §5, 2026: idx:68375803139, idx:71047954123, measured 2026-09-28): a
JSF/PrimeFaces application at `{url}/index.xhtml` with no bot challenge, read in one session:

1. GET it: the `JSESSIONID` cookie, the form `form#frmConDiario` (its `action`, its fields, the
   `javax.faces.ViewState`) and the table `#dtbDiariosOficiales`;
2. POST the form with `fechaInicial_input`/`fechaFinal_input` (DD/MM/YYYY) and the `btnBuscar`
   button alone (sending every row's button opens the last row's detail instead): the table's rows
   `tr[data-ri]` carry labels ending in `:numeroDiario`, `:tipoEdicion`, `:fechaDiario`, and the
   paginator says "Registro 1 a 10 de N"; 10 rows a page, more through the paginator's AJAX
   postback (`Faces-Request: partial/ajax`, `dtbDiariosOficiales_first`), which answers a
   `partial-response` whose `<update id="dtbDiariosOficiales">` holds the next rows;
3. for one edition, search its number (`numeroDiarioOf`) and POST its row's "Ver Diario" button
   alone: the detail page links the PDF at `…/javax.faces.resource/dynamiccontent…`;
4. GET that link with the session's cookie: the whole edition as a PDF (AES-encrypted with an empty
   user password).

The PDF link is single-use and tied to the session: it cannot be fetched twice, so the response is
fetched here and carried in the Link (`Link.fetched`); the run archives it on this first fetch and
the export cites the archived copy. The document's URL is the consultation page with the edition
as its fragment (`index.xhtml#diario-53640`), stable across runs, and an edition already archived
is not fetched again. Takes a Source (`url` = https://svrpubindc.imprenta.gov.co/diario; options
`max_editions`, `until`); gives one Entry per edition: number, kind (ordinaria, extraordinaria…),
date and the PDF.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from ...models import Fetched, Source
from ..base import Client, DiscoverContext
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
from .base import Entry, Option, Platform, base_url, edition_days, layout_changed

DEFAULT_MAX_EDITIONS = 5
ROWS_PER_PAGE = 10  # the portal serves 10 rows a page, whatever is asked (measured, 2026)
_FORM = "form#frmConDiario"
_TABLE = "#dtbDiariosOficiales"
_VIEWSTATE = "javax.faces.ViewState"
# Buttons never travel with the form: only the one pressed does.
_BUTTON = re.compile(r"^(?:btnBuscar|botonCancelarBuscar|dtbDiariosOficiales:\d+:\w+)$")
_PDF_LINK = re.compile(r"""[^"'\s<>]*javax\.faces\.resource/dynamiccontent[^"'\s<>]*""")
_TOTAL = re.compile(r"de\s+([\d.]{1,12})\s*$")
# Pages of the table read at most: 30 editions at 10 a page, and a table that never ends stops.
MAX_PAGES = 3
_UPDATE = re.compile(r'<update id="dtbDiariosOficiales"><!\[CDATA\[(.*?)\]\]></update>', re.S)
_STATE_UPDATE = re.compile(r'<update id="[^"]*ViewState[^"]*"><!\[CDATA\[(.*?)\]\]></update>', re.S)
_AJAX = {"Faces-Request": "partial/ajax", "X-Requested-With": "XMLHttpRequest"}


@dataclass
class _View:
    """The form as the portal last served it: where to post, what to send, its ViewState."""

    action: str
    fields: dict[str, str] = field(default_factory=dict)

    def update(self, body: str) -> None:
        found = _STATE_UPDATE.search(body)
        root = parse_html(body, self.action) if found is None else None
        state = found.group(1) if found else _viewstate(root) if root is not None else ""
        if state:
            self.fields[_VIEWSTATE] = state


@dataclass(frozen=True)
class _Row:
    number: str
    kind: str
    date: dt.date | None
    button: str


class DiarioCo(Platform):
    name = "Diario Oficial de Colombia (Imprenta Nacional)"
    unit = "editions"
    fields: ClassVar[Mapping[str, str]] = {
        "numeroDiario": "id",
        "tipoEdicion": "edition",
        "fechaDiario": "date",
        "pdf": "pdf_url",
    }
    options: ClassVar[Mapping[str, Option]] = {"max_editions": Option("count", maximum=30)}

    def entries(self, source: Source, ctx: DiscoverContext) -> Iterator[Entry]:
        base = base_url(source)
        days = edition_days(source, ctx)
        view = _open(ctx.client, f"{base}/index.xhtml")
        window = {"fechaInicial_input": _dmy(days[-1]), "fechaFinal_input": _dmy(days[0])}
        wanted = int(source.options.get("max_editions", DEFAULT_MAX_EDITIONS))
        rows = _search(ctx.client, view, window, wanted=wanted)
        for row in rows[:wanted]:
            url = f"{base}/index.xhtml#diario-{row.number.replace('.', '')}"
            if url in ctx.archived:
                continue  # archived on an earlier run: its single-use link is not asked again
            pdf = _edition_pdf(ctx.client, view, row)
            yield Entry(
                url=url,
                title=f"Diario Oficial No. {row.number} ({row.kind})",
                date=row.date,
                facts={
                    "id": row.number,
                    "number": row.number,
                    "edition": row.kind.casefold(),
                    "pdf_url": pdf.url,
                    "archive_only": "single-use link",
                },
                fetched=pdf,
            )


def _viewstate(root: Node) -> str:
    found = select_one(root, f"input[name='{_VIEWSTATE}']")
    return attr(found, "value") if found is not None else ""


def _open(client: Client, url: str) -> _View:
    root = parse_html(client.get(url).body, url)
    form = select_one(root, _FORM)
    if form is None or select_one(root, _TABLE) is None:
        missing = _FORM if form is None else _TABLE
        raise layout_changed(url, f"the consultation page has no {missing}")
    view = _View(absolute(url, attr(form, "action")) or url)
    for element in select(form, "[name]"):
        name = attr(element, "name")
        if _BUTTON.match(name) or attr(element, "type") in ("submit", "button", "image"):
            continue
        view.fields[name] = _value(element)
    if not view.fields.get(_VIEWSTATE):
        raise layout_changed(url, f"the form has no {_VIEWSTATE}")
    return view


def _value(element: Node) -> str:
    """What a browser sends for a field: a <select>'s chosen option, else the value attribute."""
    if element.name != "select":
        return attr(element, "value")
    chosen = select_one(element, "option[selected]") or select_one(element, "option")
    return attr(chosen, "value") if chosen is not None else ""


def _dmy(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _search(
    client: Client, view: _View, criteria: dict[str, str], *, wanted: int = 1
) -> list[_Row]:
    asked = {**view.fields, **criteria, "btnBuscar": ""}
    fetched = client.request("POST", view.action, data=asked)
    body = fetched.body.decode("utf-8", errors="replace")
    view.update(body)
    root = parse_html(body, view.action)
    if select_one(root, _TABLE) is None:
        raise layout_changed(view.action, f"the search answered no {_TABLE} table")
    total = _total(root, view.action)
    rows = _rows(root)
    if total > 0 and not rows:
        raise layout_changed(view.action, f"the table says {total} editions but no row is readable")
    for _ in range(MAX_PAGES):
        if len(rows) >= min(total, wanted):
            break
        more = _page(client, view, asked, len(rows))
        if not more:
            break
        rows += more
    return rows


def _total(root: Node, url: str) -> int:
    current = select_one(root, ".ui-paginator-current")
    found = _TOTAL.search(text_of(current)) if current is not None else None
    if found is None:
        raise layout_changed(url, "the table has no paginator (Registro x a y de N)")
    return int(found.group(1).replace(".", ""))


def _rows(root: Node) -> list[_Row]:
    rows = []
    for tr in select(root, "tr[data-ri]"):
        number = text_of(select_one(tr, "label[id$=':numeroDiario']"))
        button = select_one(tr, "[name^='dtbDiariosOficiales:']")
        if not number:
            continue
        rows.append(
            _Row(
                number=number,
                kind=text_of(select_one(tr, "label[id$=':tipoEdicion']")),
                date=parse_listed_date(
                    text_of(select_one(tr, "label[id$=':fechaDiario']")), ("%d/%m/%Y",)
                ),
                button=attr(button, "name") if button is not None else "",
            )
        )
    return rows


def _page(client: Client, view: _View, asked: dict[str, str], first: int) -> list[_Row]:
    data = {k: v for k, v in asked.items() if k != "btnBuscar"}
    data.update(
        {
            _VIEWSTATE: view.fields.get(_VIEWSTATE, ""),
            "javax.faces.partial.ajax": "true",
            "javax.faces.source": "dtbDiariosOficiales",
            "javax.faces.partial.execute": "dtbDiariosOficiales",
            "javax.faces.partial.render": "dtbDiariosOficiales",
            "dtbDiariosOficiales": "dtbDiariosOficiales",
            "dtbDiariosOficiales_pagination": "true",
            "dtbDiariosOficiales_first": str(first),
            "dtbDiariosOficiales_rows": str(ROWS_PER_PAGE),
        }
    )
    body = client.request("POST", view.action, data=data, headers=_AJAX).body.decode(
        "utf-8", "replace"
    )
    found = _UPDATE.search(body)
    if found is None:
        raise layout_changed(view.action, "the paginator's answer has no update of the table")
    view.update(body)
    return _rows(parse_html(f"<table>{found.group(1)}</table>", view.action))


def _edition_pdf(client: Client, view: _View, row: _Row) -> Fetched:
    """Search the edition alone, press its row's button, follow the PDF link: one use only."""
    number = {"numeroDiarioOf": row.number.replace(".", "")}
    rows = _search(client, view, number)
    button = next((r.button for r in rows if r.number == row.number and r.button), "")
    if not button:
        raise layout_changed(view.action, f"edition {row.number} has no 'Ver Diario' button")
    pressed = {**view.fields, **number, button: ""}
    detail = client.request("POST", view.action, data=pressed).body.decode("utf-8", "replace")
    view.update(detail)
    found = _PDF_LINK.search(detail)
    if found is None:
        raise layout_changed(
            view.action, f"edition {row.number}'s detail has no dynamiccontent link"
        )
    pdf = client.get(absolute(view.action, html.unescape(found.group(0))))
    if not pdf.body.lstrip()[:5] == b"%PDF-":
        raise layout_changed(
            pdf.url, f"edition {row.number}: not a PDF where the edition was expected"
        )
    return pdf
