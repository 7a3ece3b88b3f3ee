"""Export stage: each policy's linked sources → json | csv, in a stable order, written atomically.

Takes PolicyLinks records (the store builds them); gives text. One writer per format in a registry,
so a new format is one function. Output files are written to a temporary file in the same folder
and renamed over the target: an interrupted export leaves the old file or the new one, whole.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .errors import ExportError
from .models import LinkedSource, PolicyLinks


def _source_json(s: LinkedSource) -> dict[str, Any]:
    return {
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
    }


def to_json(items: Sequence[PolicyLinks]) -> str:
    data = [
        {
            "id": item.policy.id,
            "title": item.policy.title,
            "country": item.policy.country,
            "status": item.policy.status,
            "updated": item.policy.updated,
            "norms": list(item.policy.norms),
            "sources": [_source_json(s) for s in item.sources],
        }
        for item in items
    ]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


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


def to_csv(items: Sequence[PolicyLinks]) -> str:
    buffer = io.StringIO()
    # RFC 4180 line ends: fields holding a bare CR or LF are then quoted, never split.
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for item in items:
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


WRITERS: dict[str, Callable[[Sequence[PolicyLinks]], str]] = {"json": to_json, "csv": to_csv}


def export_links(items: Sequence[PolicyLinks], fmt: str) -> str:
    """The stage verb: render the selection in one of WRITERS' formats."""
    try:
        writer = WRITERS[fmt]
    except KeyError:
        raise ExportError(f"unknown export format '{fmt}' (known: {', '.join(WRITERS)})") from None
    return writer(items)


def write_atomically(path: Path, text: str) -> None:
    """Temp file in the target's folder, fsync, rename: readers see the old file or the new one."""
    if path.is_symlink():
        raise ExportError(f"refusing to write through a symbolic link: {path}")
    if path.is_dir():
        raise ExportError(f"output path is a directory: {path}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise ExportError(f"cannot write to {path.parent}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).replace(path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ExportError(f"cannot write {path}: {exc.strerror}") from None
