"""Words for what the pipeline writes for people (the run report, the md/html exports): counts
with their nouns, dates and times as a reader writes them, how long ago, how long it took, and
each failure class said plainly.

Pure: takes numbers, ISO dates and stamps; gives English strings. A value that is not what it
should be (an editor's free-form date, a class an older database stored) is shown as it is,
never dropped.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

from .errors import FailureClass
from .extract.countries import format_day

# Numbers a reader takes in faster as words; larger ones stay digits (CMOS and most house styles).
_SMALL = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def count(n: int, noun: str, plural: str = "", *, words: bool = False) -> str:
    """ "no new documents", "1 new document", "12 new documents"; with `words`, numbers up to ten
    spelt out ("three failures")."""
    noun_form = noun if n == 1 else (plural or noun + "s")
    if n == 0 or (words and 0 <= n < len(_SMALL)):
        return f"{_SMALL[n]} {noun_form}"
    return f"{n:,} {noun_form}"


def sentence(text: str) -> str:
    """The text with its first letter capitalised ("no new candidates, ..." opening a line)."""
    return text[:1].upper() + text[1:]


_ISO_DAY = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def day(value: str | None) -> str:
    """A published date as a reader writes it: "2021-04-22" → "22 April 2021", "2022-01" →
    "January 2022", "2021" → "2021"; anything else (an editor's "circa 2020") unchanged."""
    match = _ISO_DAY.fullmatch((value or "").strip())
    if match is None:
        return value or ""
    year, month, mday = (int(part) if part else 0 for part in match.groups())
    try:
        if mday:
            return format_day(dt.date(year, month, mday), "d MMMM y", "en")
        if month:
            return format_day(dt.date(year, month, 1), "MMMM y", "en")
    except ValueError:  # 2021-13-40: not a date after all
        return value or ""
    return str(year)


def moment(stamp: str, zone: zoneinfo.ZoneInfo) -> str:
    """A stored UTC stamp in a zone, with the zone named: "5 December 2026, 02:30 CET"."""
    when = _parse(stamp)
    if when is None:
        return stamp
    local = when.astimezone(zone)
    name = local.tzname() or local.strftime("%z")
    return f"{format_day(local.date(), 'd MMMM y', 'en')}, {local:%H:%M} {name}"


def duration(start: str, end: str) -> str:
    """How long from one stamp to the other: "under a minute", "11 minutes", "2 hours 5 minutes"."""
    first, last = _parse(start), _parse(end)
    if first is None or last is None or last < first:
        return ""
    minutes = int((last - first).total_seconds() // 60)
    if minutes < 1:
        return "under a minute"
    hours, minutes = divmod(minutes, 60)
    parts = [count(hours, "hour")] if hours else []
    return " ".join([*parts, count(minutes, "minute")] if minutes or not hours else parts)


def ago(days: int | None) -> str:
    """ "today", "yesterday", "12 days ago"; "never" when there was nothing to count from."""
    if days is None:
        return "never"
    if days <= 0:
        return "today"
    return "yesterday" if days == 1 else f"{days:,} days ago"


def _parse(stamp: str) -> dt.datetime | None:
    try:
        when = dt.datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


# Each failure class as words that follow a number of fetches ("16 disallowed by robots.txt"),
# saying what README's Fetching section says each class means.
FAILURE_WORDS: dict[str, str] = {
    FailureClass.TIMEOUT: "timed out",
    FailureClass.DNS: "on a host name that does not resolve",
    FailureClass.REFUSED: "refused by the server",
    FailureClass.TLS: "failed on TLS (certificate or handshake)",
    FailureClass.CONNECTION: "broken off (connection error)",
    FailureClass.HTTP_4XX: "not found or forbidden (HTTP 4xx)",
    FailureClass.HTTP_5XX: "failed on the server's side (HTTP 5xx)",
    FailureClass.RATE_LIMITED: "refused as too many requests (HTTP 429)",
    FailureClass.TRUNCATED: "cut short",
    FailureClass.TOO_LARGE: "over the size limit",
    FailureClass.TOO_MANY_REDIRECTS: "redirected too many times",
    FailureClass.BLOCKED_ADDRESS: "refused: a private or local address",
    FailureClass.BAD_SCHEME: "refused: not an http(s) address",
    FailureClass.BAD_URL: "refused: a malformed address",
    FailureClass.ROBOTS: "disallowed by robots.txt",
    FailureClass.UNSUPPORTED: "of a type that cannot be read",
    FailureClass.BLOCKED_PAGE: "answered with a bot wall, login wall or error page",
    FailureClass.LAYOUT_CHANGED: "in a layout the platform's module no longer reads",
    FailureClass.CREDENTIALS: "refused: account credentials missing or wrong",
}


def failure(name: str, n: int) -> str:
    """ "16 disallowed by robots.txt"; a class unknown here shows as its name ("3 new class")."""
    return f"{n:,} {FAILURE_WORDS.get(name, name.replace('_', ' '))}"
