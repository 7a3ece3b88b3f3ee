"""senado_co: Colombia's laws and decrees in the Senate's "basedoc" (Secretaría del Senado).

Shape followed (GAZETTES.md §5, 2025-2026: idx:61520156194, idx:51889734274): static HTML under
`http://www.secretariasenado.gov.co/senado/basedoc/`, a tree of index pages that starts at
`arbol/1000.html` and links to more `arbol/` pages and to the norms themselves,
`{ley|decreto|acto_legislativo}_{NNNN}_{YYYY}.html`, the number zero-padded to 4 digits
(`ley_0100_1993`; from 1000 up unchanged). Long texts continue in `…_prNNN.html` parts, which are
not separate norms and are skipped. The server is slow and has no search: the tree is walked
breadth-first, `depth` levels deep, `max_pages` pages at most.

Takes a Source (`url` = the basedoc folder; options `tree`, `depth`, `max_pages`, `min_year`);
gives one Entry per norm page with its type, number (unpadded) and year, newer than `min_year`
(default: the year the run's window starts, or last year). A tree without a single norm link is
a layout change.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import ClassVar

from ...models import Source
from ..base import DiscoverContext, window_start
from ..listed import absolute, attr, parse_html, select, text_of
from .base import Entry, Option, Platform, base_url, layout_changed

DEFAULT_DEPTH = 2
DEFAULT_MAX_PAGES = 20
_NORM = re.compile(
    r"/basedoc/(?P<kind>ley|decreto|acto_legislativo)_(?P<number>\d{1,5})_(?P<year>\d{4})"
    r"(?P<part>_pr\d{3})?\.html?$",
    re.I,
)
_TREE = re.compile(r"/basedoc/arbol/\d+\.html?$", re.I)
_TYPES = {"ley": "LEY", "decreto": "DECRETO", "acto_legislativo": "ACTO LEGISLATIVO"}


class SenadoCo(Platform):
    name = "Secretaría General del Senado (basedoc)"
    unit = "norm links"
    fields: ClassVar[Mapping[str, str]] = {
        "archivo": "id",
        "tipo": "type",
        "número": "number",
        "año": "year",
    }
    options: ClassVar[Mapping[str, Option]] = {
        "tree": Option("text", pattern=r"arbol/\d{1,6}\.html?"),
        "depth": Option("count", maximum=3),
        "max_pages": Option("count", maximum=100),
        "min_year": Option("count", maximum=2100),
    }

    def entries(self, source: Source, ctx: DiscoverContext) -> Iterator[Entry]:
        start = f"{base_url(source)}/{source.options.get('tree', 'arbol/1000.html')}"
        depth = int(source.options.get("depth", DEFAULT_DEPTH))
        budget = int(source.options.get("max_pages", DEFAULT_MAX_PAGES))
        min_year = int(source.options.get("min_year", _default_year(source, ctx)))
        pending, seen, norms = [(start, 0)], {start}, 0
        while pending and budget > 0:
            url, level = pending.pop(0)
            budget -= 1
            root = parse_html(ctx.client.get(url).body, url)
            for anchor in select(root, "a[href]"):
                target = absolute(url, attr(anchor, "href")).split("#")[0]
                if _TREE.search(target) and level < depth and target not in seen:
                    seen.add(target)
                    pending.append((target, level + 1))
                found = _NORM.search(target)
                if found is None or found["part"] or target in seen:
                    continue
                seen.add(target)
                norms += 1
                if int(found["year"]) >= min_year:
                    yield _entry(target, text_of(anchor), found)
        if not norms:
            raise layout_changed(start, "no link to a ley_/decreto_NNNN_YYYY.html page in the tree")


def _default_year(source: Source, ctx: DiscoverContext) -> int:
    """The year the window starts; without a window, last year (a law of late December is
    still new in January)."""
    since = window_start(source, ctx)
    return since.year if since else ctx.today.year - 1


def _entry(url: str, title: str, found: re.Match[str]) -> Entry:
    kind = found["kind"].lower()
    return Entry(
        url=url,
        title=title,
        facts={
            "id": f"{kind}_{found['number']}_{found['year']}",
            "type": _TYPES[kind],
            "number": str(int(found["number"])),
            "year": found["year"],
        },
    )
