"""Review stage: times as an editor reads them. Decisions are stored in UTC ISO form; pages show
them in the editor's time zone (the browser tells it, in a cookie the page's script sets) or,
until it has, in the server's configured zone, with the zone named.

Pure: takes stamps, a zone name from an untrusted cookie and the configured default; gives
ZoneInfo objects and strings. A zone name is used only when the system's tz database lists it.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import zoneinfo
from dataclasses import dataclass
from pathlib import Path

# The zone the server shows times in before the browser has said: `review serve --timezone`,
# else PIPELINE_TIMEZONE, else the machine's own zone (TZ or /etc/localtime), else UTC.
ENV_ZONE = "PIPELINE_TIMEZONE"
MAX_ZONE_NAME = 64  # longer than any tz database name ("America/Argentina/ComodRivadavia")


@functools.cache
def _known() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def zone(name: str | None) -> zoneinfo.ZoneInfo | None:
    """The named zone, or None for anything the tz database does not list."""
    if not name or len(name) > MAX_ZONE_NAME or name not in _known():
        return None
    return zoneinfo.ZoneInfo(name)


def server_zone(configured: str | None = None) -> zoneinfo.ZoneInfo:
    """The zone pages use until the editor's browser names one."""
    for name in (configured, os.environ.get(ENV_ZONE), os.environ.get("TZ"), _localtime()):
        found = zone(name)
        if found is not None:
            return found
    return zoneinfo.ZoneInfo("UTC")


def _localtime() -> str | None:
    """The machine's zone name, from the /etc/localtime link Debian and most systems keep."""
    try:
        target = str(Path("/etc/localtime").readlink())
    except OSError:
        return None
    marker = "zoneinfo/"
    return target.split(marker, 1)[1] if marker in target else None


@dataclass(frozen=True)
class Viewer:
    """Who is looking, and in which zone: what every page needs to speak to its editor."""

    name: str
    tz: zoneinfo.ZoneInfo
    language: str = "en"  # the observatory's language: the editors' draft is written in it

    def local(self, stamp: str) -> dt.datetime | None:
        """A stored UTC stamp in the viewer's zone; None when it is not a stamp."""
        try:
            when = dt.datetime.fromisoformat(stamp)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        return when.astimezone(self.tz)

    def when(self, stamp: str) -> str:
        """'5 Dec 2026, 09:44 CET' (the zone's abbreviation, else its offset)."""
        local = self.local(stamp)
        if local is None:
            return stamp
        name = local.tzname() or local.strftime("%z")
        return f"{local.day} {local:%b %Y, %H:%M} {name}"

    def start_of_today(self) -> str:
        """Midnight of the viewer's today, as a UTC stamp comparable with stored ones."""
        today = dt.datetime.now(self.tz).replace(hour=0, minute=0, second=0, microsecond=0)
        return today.astimezone(dt.UTC).isoformat(timespec="seconds")
