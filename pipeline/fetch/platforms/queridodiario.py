"""queridodiario: Brazil's municipal official gazettes through the Querido Diário API.

Shape followed (GAZETTES.md §4a, okfn-brasil/querido-diario-api:api/api.py@36b6c4f, 2026-07):
`GET {url}/gazettes?territory_ids=…&published_since=YYYY-MM-DD&published_until=YYYY-MM-DD
&querystring=…&excerpt_size=N&number_of_excerpts=1&size=N&offset=N&sort_by=descending_date`
answers `{total_gazettes, gazettes[{territory_id, date, scraped_at, url, territory_name,
state_code, excerpts[], edition, is_extra_edition, txt_url}]}`; null fields are left out. Reading
needs no account. Pages are followed by `offset` until `total_gazettes` or `max_items`.

Takes a Source (`url` = the API's base, e.g. https://queridodiario.ok.org.br/api; options
`territory_ids`, the 7-digit IBGE codes, and `querystring`, OpenSearch's simple syntax); gives one
Entry per gazette edition pointing at the gazette file itself (`url`), with the territory, the
edition and its number, and the first excerpt that matched the query as the sumilla.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar
from urllib.parse import urlencode

from ...models import Source
from ..base import DiscoverContext
from ..listed import absolute, clean, parse_listed_date
from .base import Entry, Option, Platform, base_url, edition_days, layout_changed, need, read_json
from .base import text as scalar

PAGE_SIZE = 50
DEFAULT_MAX_ITEMS = 200
# An excerpt long enough to read in review; the API's default is 500 characters.
EXCERPT_SIZE = 500
_TAGS = re.compile(r"<[^>]{0,200}>")


class QueridoDiario(Platform):
    name = "Querido Diário"
    unit = "gazettes"
    fields: ClassVar[Mapping[str, str]] = {
        "url": "id",
        "territory_name": "issuer",
        "edition": "number",
        "is_extra_edition": "edition",
        "excerpts": "sumilla",
        "txt_url": "txt_url",
    }
    options: ClassVar[Mapping[str, Option]] = {
        "territory_ids": Option("list", required=True, pattern=r"\d{7}"),
        "querystring": Option("text"),
        "max_items": Option("count", maximum=1000),
    }

    def entries(self, source: Source, ctx: DiscoverContext) -> Iterator[Entry]:
        days = edition_days(source, ctx)
        wanted = int(source.options.get("max_items", DEFAULT_MAX_ITEMS))
        offset = 0
        while offset < wanted:
            url = _url(source, days[-1].isoformat(), days[0].isoformat(), offset)
            data = read_json(ctx.client.get(url), "Querido Diário gazettes")
            total = need(data, "total_gazettes", url, int)
            gazettes = need(data, "gazettes", url, list)
            for gazette in gazettes[: wanted - offset]:
                yield _gazette(gazette, url)
            offset += len(gazettes)
            if not gazettes or offset >= total:
                return


def _url(source: Source, since: str, until: str, offset: int) -> str:
    territories = source.options["territory_ids"]
    params: list[tuple[str, str]] = [("territory_ids", str(t)) for t in territories]
    params += [("published_since", since), ("published_until", until)]
    if source.options.get("querystring"):
        params.append(("querystring", str(source.options["querystring"])))
        params += [("excerpt_size", str(EXCERPT_SIZE)), ("number_of_excerpts", "1")]
    params += [("size", str(PAGE_SIZE)), ("offset", str(offset)), ("sort_by", "descending_date")]
    return f"{base_url(source)}/gazettes?{urlencode(params)}"


def _gazette(gazette: Any, url: str) -> Entry:
    if not isinstance(gazette, dict):
        raise layout_changed(url, "a gazette is not an object")
    file_url = absolute(url, scalar(need(gazette, "url", url, str)))
    if not file_url:
        raise layout_changed(url, "a gazette's url is not an http(s) URL")
    place = scalar(gazette.get("territory_name"))
    state = scalar(gazette.get("state_code"))
    day = scalar(need(gazette, "date", url, str))
    number = scalar(gazette.get("edition"))
    extra = gazette.get("is_extra_edition") is True
    excerpts = gazette.get("excerpts")
    first = excerpts[0] if isinstance(excerpts, list) and excerpts else ""
    excerpt = clean(_TAGS.sub("", first if isinstance(first, str) else ""))
    where = f"{place} ({state})" if place and state else place or state
    title = f"Diário Oficial de {where}, {day}" + (f", edição {number}" if number else "")
    return Entry(
        url=file_url,
        title=title + (" (extra)" if extra else ""),
        date=parse_listed_date(day),
        facts={
            "id": file_url,
            "issuer": where,
            "territory": scalar(gazette.get("territory_id")),
            "number": number,
            "edition": "extraordinária" if extra else "ordinária",
            "sumilla": excerpt,
            "txt_url": absolute(url, scalar(gazette.get("txt_url"))),
        },
    )
