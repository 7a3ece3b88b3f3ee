"""CSL-JSON (the Citation Style Language's input format, which Zotero, Mendeley and pandoc
import): a JSON list of items, valid against the CSL data schema (checked in the tests).

Norms are `legislation` with their number, their issuing authority as the (institutional)
author, and jurisdiction; press articles `article-newspaper` with the newspaper as container;
other pages `webpage`.

Fields are chosen for what Zotero's CSL-JSON import keeps (zotero/utilities utilities_item.js
`itemFromCSLJSON` over zotero/zotero-schema schema.json's `csl` mappings, schema version 41):
`legislation` becomes a Statute whose `title` is the Name of Act, `number` the Public Law
Number, `issued` the Date Enacted and `author` its Author. A Statute has no authority field (the
CSL `authority` variable would be dropped) and `container-title` would become its Code, so a
norm's issuer is its author and the site that published it is `publisher` (kept by CSL
processors, ignored by Zotero). tests/test_citations.py holds the mapping with its provenance.
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
    law = c.kind is CitationKind.LEGISLATION
    item: dict[str, Any] = {
        "id": c.key,
        "type": _TYPES[c.kind],
        "title": c.title,
        "URL": c.url,
        "container-title": "" if law else c.container,
        "publisher": c.container if law else "",
        "author": [{"literal": c.authority}] if law and c.authority else "",
        "number": c.number,
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
