"""Review stage: what the web app's pages share, free of HTTP — the Outcome of a form, the
not-found error, the day's progress, how norm keys and languages are shown — and the archived
copy of a document.

review/web.py turns contexts and Outcomes into responses; match_page.py, queue_page.py,
bulk.py and policy_page.py build them; the templates escape everything they print.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..archive import Archive
from ..errors import InputError
from ..extract.norms import display_for_key
from ..store.decisions import Database, load_match
from ..store.queue import QueueFilter, decided_since, status_counts
from .clock import Viewer
from .security import ARCHIVE_CSP

# Archived bodies are served only as types a browser shows without running anything of ours.
_ARCHIVE_TYPES = ("text/html", "text/plain", "application/pdf")
# A BCP 47 language tag as the extractor gives it ("es", "pt-BR"); "und" and "" say nothing.
_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


class NotFound(InputError):
    """No such match or policy (a 404, not a 400)."""


@dataclass(frozen=True)
class Outcome:
    redirect: str | None = None
    message: str = ""
    undo: Mapping[str, Any] | None = None  # a form that undoes what the message reports
    context: dict[str, Any] = field(default_factory=dict)
    status: int = 200
    template: str = ""  # the page to show again (with `context`) when there is no redirect


@dataclass(frozen=True)
class ArchivedCopy:
    body: bytes
    media_type: str
    headers: Mapping[str, str]


@dataclass(frozen=True)
class Progress:
    decided_today: int  # by anyone
    mine_today: int
    left: int  # pending under the current filter


def display(key: str) -> str:
    try:
        return display_for_key(key)
    except (ValueError, KeyError):  # a key from an older grammar still shows, as itself
        return key


def language(code: str) -> str:
    """A `lang` attribute value for scraped text, or "" when the language is unknown."""
    return code if code and code != "und" and _LANG.match(code) else ""


def progress(db: Database, f: QueueFilter, viewer: Viewer) -> Progress:
    since = viewer.start_of_today()
    left = status_counts(db, f)["pending"]
    return Progress(decided_since(db, since), decided_since(db, since, viewer.name), left)


def archived_copy(db: Database, archive: Archive | None, match_id: int) -> ArchivedCopy | None:
    detail = load_match(db, match_id)
    if archive is None or detail is None or not detail.archive_ref:
        return None
    try:
        fetched = archive.read(detail.archive_ref)
    except InputError:
        return None
    declared = fetched.content_type or fetched.headers.get("content-type", "")
    base = declared.split(";", 1)[0].strip().lower()
    media = declared if base in _ARCHIVE_TYPES else "application/octet-stream"
    disposition = "inline" if base in ("text/html", "text/plain") else "attachment"
    return ArchivedCopy(
        fetched.body,
        media,
        {"Content-Security-Policy": ARCHIVE_CSP, "Content-Disposition": disposition},
    )
