"""RIS (the tagged format every reference manager imports: Zotero, EndNote, Mendeley).

Norms are `STAT` records, press articles `NEWS`, other pages `ELEC`. RIS is line-based, so every
value is one line: a newline in a scraped title could otherwise start a forged field or record.

Tags are chosen for what Zotero's RIS import maps (zotero/translators RIS.js `fieldMap`, last
updated 2026-01-05): for STAT, TI → Name of Act, AU → Author (a name without a comma becomes an
institution), M1 → Public Law Number, DA/PY → Date Enacted. T2 would become the statute's Code
and A2, CY and PB have no Statute field (Zotero files them in a "no corresponding field" note),
so a norm's issuer is AU and the site that published it a note (N1).
"""

from __future__ import annotations

from .citation import Citation, CitationKind, citations
from .common import ExportData, date_parts, one_line

_TYPES = {CitationKind.LEGISLATION: "STAT", CitationKind.NEWS: "NEWS", CitationKind.WEBPAGE: "ELEC"}


def to_ris(data: ExportData) -> str:
    # RIS has no comment syntax: the "as of" stamp would be read as garbage, so it is left out;
    # each record carries its access date (Y2) instead.
    return "".join(_record(c) for c in citations(data))


def _record(c: Citation) -> str:
    lines = [("TY", _TYPES[c.kind]), ("TI", c.title)]
    if c.kind is CitationKind.LEGISLATION:
        lines += [("AU", c.authority), ("M1", c.number)]
    else:
        lines.append(("T2", c.container))
    parts = date_parts(c.issued)
    if parts:
        lines.append(("PY", str(parts[0])))
        lines.append(("DA", _ris_date(parts)))
    if c.accessed:
        lines.append(("Y2", _ris_date(date_parts(c.accessed))))
    lines += [("UR", c.url), ("LA", c.language), ("AB", c.abstract)]
    lines += [("KW", policy) for policy in c.policies]
    if c.kind is CitationKind.LEGISLATION and c.container:
        lines.append(("N1", f"Published by {c.container}"))
    if c.archived:
        lines.append(("N1", f"Archived copy: {c.archived}"))
    lines.append(("ID", c.key))
    body = "".join(f"{tag}  - {one_line(value)}\r\n" for tag, value in lines if value)
    return body + "ER  - \r\n\r\n"


def _ris_date(parts: list[int]) -> str:
    # RIS dates are YYYY/MM/DD/ with empty parts left blank.
    padded = [f"{parts[0]:04d}", *(f"{p:02d}" for p in parts[1:])]
    return "/".join(padded + [""] * (3 - len(padded))) + "/"
