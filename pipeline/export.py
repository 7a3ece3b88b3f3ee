"""Export stage: each policy's linked sources → json | csv | md | html | html-page | csl | bibtex |
ris, in a stable order, written atomically (outfiles.py).

Takes PolicyLinks records (the store builds them); gives text. One writer per format in a registry,
so a new format is one module (pipeline/exporters/). Output files are written to a temporary file
in the same folder and renamed over the target: an interrupted export leaves the old file or the
new one, whole; names made from data are sanitised and a symbolic link is never followed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import ExportError
from .exporters.bibtex import to_bibtex
from .exporters.common import ExportData
from .exporters.csl import to_csl
from .exporters.html import to_html, to_html_page
from .exporters.markdown import to_markdown
from .exporters.ris import to_ris
from .models import LinkedSource, MatchStatus, PolicyLinks
from .outfiles import OutFile, check_name, write_all
from .store.exports import (
    Database,
    SourceDetails,
    data_as_of,
    export_state,
    policy_links,
    save_export_state,
    source_details,
)


def _source_json(s: LinkedSource, data: ExportData) -> dict[str, Any]:
    out = {
        "url": s.url,
        "source_name": s.source_name,
        "title": s.title,
        "published": s.published,
        "language": s.language,
        "summary": s.summary,
        "norms": list(s.norms),
        "status": s.status.value,
        "score": s.score,
        "reasons": list(s.reasons),
        "stale": s.stale,
        "norm_urns": dict(s.norm_urns),
    }
    archived = data.archived_copy(s)
    if archived:  # dead or single-use links only: the contract's other keys stay as they were
        out["archived_copy"] = archived
    return out


def policy_urns(item: PolicyLinks) -> dict[str, str]:
    """The URN:LEX of each of the policy's norms that its sources agree on: a norm whose sources
    give two different issue dates gets none rather than one of them."""
    found: dict[str, set[str]] = {}
    for source in item.sources:
        for key, urn in source.norm_urns:
            found.setdefault(key, set()).add(urn)
    return {
        key: next(iter(found[key])) for key in item.policy.norms if len(found.get(key, ())) == 1
    }


def _policy_json(item: PolicyLinks, data: ExportData) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": item.policy.id,
        "title": item.policy.title,
        "country": item.policy.country,
        "status": item.policy.status,
        "updated": item.policy.updated,
        "norms": list(item.policy.norms),
        "norm_urns": policy_urns(item),
    }
    if data.as_of:  # the contract is a list of policies: the stamp rides on each one
        out["as_of"] = data.as_of
    out["sources"] = [_source_json(s, data) for s in item.sources]
    return out


def to_json(data: ExportData) -> str:
    policies = [_policy_json(item, data) for item in data.items]
    return json.dumps(policies, ensure_ascii=False, indent=2) + "\n"


CSV_COLUMNS = (
    "policy_id",
    "policy_title",
    "country",
    "url",
    "source_name",
    "title",
    "published",
    "language",
    "summary",
    "norms",
    "status",
    "score",
    "reasons",
)
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection); a leading
# apostrophe makes it text in Excel, LibreOffice and Google Sheets alike.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def to_csv(data: ExportData) -> str:
    buffer = io.StringIO()
    # RFC 4180 line ends: fields holding a bare CR or LF are then quoted, never split.
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for item in data.items:
        for s in item.sources:
            row = (
                item.policy.id,
                item.policy.title,
                item.policy.country,
                s.url,
                s.source_name,
                s.title,
                s.published or "",
                s.language,
                s.summary,
                "; ".join(s.norms),
                s.status.value,
                f"{s.score:.3f}",
                " | ".join(s.reasons),
            )
            writer.writerow([spreadsheet_safe(cell) for cell in row])
    return buffer.getvalue()


Writer = Callable[[ExportData], str]
WRITERS: dict[str, Writer] = {
    "json": to_json,
    "csv": to_csv,
    "md": to_markdown,
    "html": to_html,
    "html-page": to_html_page,
    "csl": to_csl,
    "bibtex": to_bibtex,
    "ris": to_ris,
}
# File name endings per format (CSL-JSON is JSON, named so importers recognise it).
EXTENSIONS = {"json": "json", "csv": "csv", "md": "md", "html": "html", "html-page": "html",
              "csl": "csl.json", "bibtex": "bib", "ris": "ris"}  # fmt: skip


def export_links(
    items: Sequence[PolicyLinks],
    fmt: str,
    as_of: str = "",
    details: Mapping[str, SourceDetails] | None = None,
    archive_base: str = "",
) -> str:
    """The stage verb: render the selection in one of WRITERS' formats."""
    try:
        writer = WRITERS[fmt]
    except KeyError:
        raise ExportError(f"unknown export format '{fmt}' (known: {', '.join(WRITERS)})") from None
    return writer(ExportData(tuple(items), as_of, details or {}, archive_base))


def fingerprints(
    items: Sequence[PolicyLinks], details: Mapping[str, SourceDetails] | None = None
) -> dict[str, str]:
    """A hash of what each policy's export shows (not of the stamp), for --since-last."""
    data = ExportData((), "", details or {})
    out = {}
    for item in items:
        shown = json.dumps(_policy_json(item, data), sort_keys=True, ensure_ascii=False)
        out[item.policy.id] = hashlib.sha256(shown.encode("utf-8")).hexdigest()
    return out


def changed_since(
    items: Sequence[PolicyLinks], now: Mapping[str, str], before: Mapping[str, str]
) -> list[PolicyLinks]:
    """The policies whose export differs from the last one (new ones included), whole."""
    return [item for item in items if before.get(item.policy.id) != now[item.policy.id]]


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_filename(stem: str, fmt: str) -> str:
    """A file name made from data (a policy id) that cannot leave its folder or hide itself:
    ASCII letters, digits, dot, dash and underscore only, never starting with a dot."""
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    clean = _UNSAFE.sub("-", ascii_stem).strip(".-_")[:100] or "export"
    if clean != stem:  # two ids that clean alike ("a/b", "a:b") must not overwrite each other
        clean += "-" + hashlib.sha256(stem.encode("utf-8")).hexdigest()[:8]
    return f"{clean}.{EXTENSIONS[fmt]}"


@dataclass(frozen=True)
class Selection:
    """What one export covers; its `key` names it in `export_state` for --since-last."""

    fmt: str
    statuses: tuple[MatchStatus, ...]
    policy_id: str | None = None
    country: str | None = None

    @property
    def key(self) -> str:
        status = ",".join(sorted(s.value for s in self.statuses))
        return f"{self.fmt}|policy={self.policy_id or '*'}|country={self.country or '*'}|{status}"


@dataclass(frozen=True)
class Rendered:
    data: ExportData  # what the text shows (with since_last: only the changed policies)
    text: str
    since: str = ""  # with since_last: when the previous export of the selection was made
    fingerprints: Mapping[str, str] = field(default_factory=dict)


def render_selection(
    db: Database, sel: Selection, *, since_last: bool = False, archive_base: str = ""
) -> Rendered:
    """Read the selection from the store and render it; with `since_last`, only the policies
    whose export changed since the previous --since-last export of the same selection."""
    items = policy_links(db, sel.statuses, sel.policy_id, sel.country)
    if sel.policy_id and not items:
        raise ExportError(f"no policy with id '{sel.policy_id}'")
    details = source_details(db, (s.url for item in items for s in item.sources))
    prints = fingerprints(items, details)
    since = ""
    if since_last:
        since, before = export_state(db, sel.key)
        items = changed_since(items, prints, before)
    data = ExportData(tuple(items), data_as_of(db), details, archive_base)
    return Rendered(data, WRITERS[sel.fmt](data), since, prints)


def remember_export(db: Database, sel: Selection, rendered: Rendered) -> None:
    """After a --since-last export is written: the baseline of the next one."""
    save_export_state(db, sel.key, rendered.fingerprints)


def write_per_policy(folder: Path, fmt: str, rendered: Rendered) -> list[Path]:
    """One file per policy inside `folder`, named from its sanitised id (ids are data). All or
    nothing: every target is checked before the first file is written."""
    files = [
        OutFile(
            folder / check_name(safe_filename(item.policy.id, fmt)),
            WRITERS[fmt](replace(rendered.data, items=(item,))),
        )
        for item in rendered.data.items
    ]
    return write_all(files)
