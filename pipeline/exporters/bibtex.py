"""BibTeX (biblatex fields, readable by classic BibTeX styles and by Zotero's importer).

Norms are `@legislation` (biblatex; classic styles fall back to misc) with the issuing authority
as a corporate author (`{{...}}`, never split into first and last names) and its number, press
articles `@article` with the newspaper as journal, other pages `@online`. Values are LaTeX-escaped
so a scraped title cannot break out of its braces or run TeX commands.

For Zotero, BibTeX is the weakest path: its BibTeX.js imports `@legislation` as a Bill and has
no Statute at all; RIS and CSL-JSON keep a norm's fields (see ris.py, csl.py).
"""

from __future__ import annotations

from .citation import Citation, CitationKind, citations
from .common import ExportData, date_parts

_TYPES = {
    CitationKind.LEGISLATION: "legislation",
    CitationKind.NEWS: "article",
    CitationKind.WEBPAGE: "online",
}
# TeX's special characters, each replaced by the command that prints it.
_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def to_bibtex(data: ExportData) -> str:
    head = f"% Linked sources exported as of {data.as_of}\n\n" if data.as_of else ""
    return head + "\n".join(_entry(c) for c in citations(data))


def tex(text: str) -> str:
    return "".join(_ESCAPES.get(char, char) for char in text)


def tex_url(url: str) -> str:
    # url fields are read verbatim by biblatex, but unbalanced braces or a backslash would still
    # end the field: percent-encode just those.
    return url.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")


def _entry(c: Citation) -> str:
    parts = date_parts(c.issued)
    fields = [
        ("title", tex(c.title)),
        ("author", "{" + tex(c.authority) + "}" if c.authority else ""),
        ("journal" if c.kind is CitationKind.NEWS else "organization", tex(c.container)),
        ("number", tex(c.number)),
        ("year", str(parts[0]) if parts else ""),
        ("month", _MONTHS[parts[1] - 1] if len(parts) > 1 and 1 <= parts[1] <= 12 else ""),
        ("date", tex(c.issued or "")),
        ("url", tex_url(c.url)),
        ("urldate", tex(c.accessed or "")),
        ("language", tex(c.language)),
        ("abstract", tex(c.abstract)),
        ("keywords", tex(", ".join(c.policies))),
        ("note", tex(f"Archived copy: {c.archived}") if c.archived else ""),
    ]
    body = ",\n".join(f"  {name} = {_value(name, value)}" for name, value in fields if value)
    return f"@{_TYPES[c.kind]}{{{c.key},\n{body}\n}}\n"


def _value(name: str, value: str) -> str:
    # month macros (apr) are bare words in BibTeX; everything else is braced.
    return value if name == "month" else "{" + value + "}"
