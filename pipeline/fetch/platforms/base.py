"""What every gazette platform shares: the entry it gives, its options, its days, its checks.

A platform module reads one official gazette's own shape (GAZETTES.md names the shape and the
year it follows) and gives `Entry`s: the norm's URL with what the gazette printed about it, as
`facts` under shared keys, so the run, the store, the extractors and `sources check` read every
platform alike:

    id        the platform's own key (El Peruano's op, the DOF's codNota, ...)
    type      the norm's type as printed ("DECRETO SUPREMO")
    number    the norm's number as printed ("004-2021-JUS")
    issuer    the issuing sector, institution or agency
    sumilla   the gazette's summary of the norm
    edition   ordinaria | extraordinaria | matutina | vespertina ...
    page      the page in the edition
    pdf_url   the norm's PDF, when the listing gives one
    archive_only  why the link cannot be fetched again (single-use, an account): cite the archive
    (and platform-specific keys: section, territory, year, ...)

A platform checks the shape it reads and raises `layout_changed(url, what)` rather than returning
nothing: a key gone, no cards on a day the platform published, an HTML page where JSON was
expected. The whole discovery of the source then fails, so nothing half-read is stored.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from ...errors import FailureClass, FetchError
from ...models import Fetched, Link, Source
from ..base import DiscoverContext, window_start
from ..listed import clean

# The editions a run reads when the source has no `since`: today's and the day before (gazettes
# publish late at night and in extraordinary editions).
DEFAULT_DAYS = 2
# A backfill reads at most this many days per run; the rest wait for the next runs.
MAX_DAYS = 31
# "DECRETO SUPREMO N° 004-2021-JUS", "Resolución Ministerial N.° 0255-2020-JUS", "LEY Nº 31405":
# the type, the number sign in its many spellings, the number as printed.
_HEADING = re.compile(r"^(?P<type>.+?)\s+N(?:[.]?\s*[°º]|o\.|ro\.)\s*\.?\s*(?P<number>\S.*)$", re.I)
# What a login page, an error page or a bot wall starts with when JSON or XML was expected.
_HTML_START = re.compile(rb"^\s*(?:<!doctype\s+html|<html|<head|<body|<!--|<div|<p\b)", re.I)


def layout_changed(url: str, what: str) -> FetchError:
    """The failure a platform raises when a response is not in its documented shape."""
    return FetchError(url, FailureClass.LAYOUT_CHANGED, what)


@dataclass(frozen=True)
class Option:
    """One platform option: `form` is text | count | list | date | choice."""

    form: str
    required: bool = False
    choices: tuple[str, ...] = ()
    maximum: int = 0  # counts: the largest value accepted (0: no bound beyond positive)
    pattern: str = ""  # texts and list items must match it whole


@dataclass(frozen=True)
class Entry:
    """One norm as a gazette lists it."""

    url: str
    title: str = ""
    date: dt.date | None = None
    facts: Mapping[str, str] = field(default_factory=dict)
    fetched: Fetched | None = None  # a single-use response, fetched while discovering

    def link(self, source: Source, gazette: str) -> Link:
        facts = {k: clean(v) for k, v in self.facts.items() if v and clean(v)}
        extra = {"gazette": gazette, **facts}
        if self.date is not None:
            extra["date"] = self.date.isoformat()
        kind, number = facts.get("type", ""), facts.get("number", "")
        heading = f"{kind} N° {number}" if kind and number else ""
        title = clean(self.title) or facts.get("sumilla", "") or heading
        return Link(source.id, self.url, title, self.date, source.name, extra, self.fetched)


class Platform:
    """A gazette platform: subclasses set the class attributes and write `entries`."""

    name: ClassVar[str]  # the gazette's name, carried as extra["gazette"]
    unit: ClassVar[str] = "entries"  # what one listed item is called: cards, notes, gazettes
    # Documented field → fact key, in the order `sources check` reports them.
    fields: ClassVar[Mapping[str, str]] = {}
    options: ClassVar[Mapping[str, Option]] = {}

    def check(self, source_url: str, options: Mapping[str, Any]) -> str:
        """Why these options cannot work together, or "" (config validation names the source)."""
        return ""

    def entries(self, source: Source, ctx: DiscoverContext) -> Iterator[Entry]:
        raise NotImplementedError


def split_heading(heading: str) -> tuple[str, str]:
    """("DECRETO SUPREMO", "004-2021-JUS") from "DECRETO SUPREMO N° 004-2021-JUS"."""
    found = _HEADING.match(clean(heading))
    return (found["type"].strip(" .-"), found["number"].strip()) if found else (clean(heading), "")


def base_url(source: Source) -> str:
    return source.url.rstrip("/")


def edition_days(source: Source, ctx: DiscoverContext) -> list[dt.date]:
    """The days to read this run, newest first: from the window's start (default: yesterday) to
    the `until` option or today, at most MAX_DAYS of them."""
    last = _until(source) or ctx.today
    last = min(last, ctx.today)
    start = window_start(source, ctx) or last - dt.timedelta(days=DEFAULT_DAYS - 1)
    count = min(max((last - start).days + 1, 1), MAX_DAYS)
    return [last - dt.timedelta(days=n) for n in range(count)]


def _until(source: Source) -> dt.date | None:
    value = source.options.get("until")
    return dt.date.fromisoformat(str(value)) if value else None


def read_json(fetched: Fetched, what: str) -> Any:
    """The JSON a platform answers, or layout_changed naming what came instead (an HTML login or
    error page, a truncated or empty body)."""
    body = fetched.body
    if _HTML_START.match(body[:512]):
        raise layout_changed(fetched.url, f"an HTML page where {what} JSON was expected")
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        raise layout_changed(fetched.url, f"not JSON where {what} was expected") from None


def need(data: Any, key: str, url: str, kind: type | tuple[type, ...] = object) -> Any:
    """`data[key]`, or layout_changed naming the missing key (or its wrong type)."""
    if not isinstance(data, dict) or key not in data:
        raise layout_changed(url, f"no key {key!r} in the response")
    value = data[key]
    if not isinstance(value, kind):
        raise layout_changed(url, f"key {key!r} is not a {_kind_name(kind)}")
    return value


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(
        {"dict": "object", "list": "list", "str": "string"}.get(k.__name__, k.__name__)
        for k in kinds
    )


def text(value: Any) -> str:
    """A JSON scalar as text ("" for null, lists and objects: never "None" or "[...]")."""
    if isinstance(value, bool) or value is None or isinstance(value, dict | list):
        return ""
    return clean(str(value))
