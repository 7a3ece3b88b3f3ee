"""CSL-JSON (the Citation Style Language's input format, which Zotero, Mendeley and pandoc
import): a JSON list of items, valid against the CSL data schema (checked in the tests).

Norms are `legislation` with their number, authority (the issuer) and jurisdiction; press
articles `article-newspaper` with the newspaper as container; other pages `webpage`.
"""

from __future__ import annotations

import json
from typing import Any

from .citation import Citation, CitationKind, citations
from .common import ExportData, date_parts

_TYPES = {
    CitationKind.LEGISLATION: "legislation",
    CitationKind.NEWS: "article-newspaper",
    CitationKind.WEBPAGE: "webpage",
}


def to_csl(data: ExportData) -> str:
    items = [_item(c) for c in citations(data)]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def _item(c: Citation) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": c.key,
        "type": _TYPES[c.kind],
        "title": c.title,
        "URL": c.url,
        "container-title": c.container,
        "number": c.number,
        "authority": c.authority,
        "jurisdiction": c.jurisdiction,
        "language": c.language,
        "abstract": c.abstract,
        "keyword": ", ".join(c.policies),
        "archive_location": c.archived,
    }
    for name, value in (("issued", c.issued), ("accessed", c.accessed)):
        if value:
            item[name] = _date(value)
    # Empty strings would show up as blank fields in a reference manager: leave them out.
    return {k: v for k, v in item.items() if v != ""}


def _date(value: str) -> dict[str, Any]:
    parts = date_parts(value)
    # An editor's free-form date ("circa 2020") is kept as CSL's literal rather than dropped.
    return {"date-parts": [parts]} if parts else {"literal": value}
