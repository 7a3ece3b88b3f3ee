"""What every fetcher shares: the HTTP client it is handed and the context of a discovery.

Fetchers get their client injected (tests pass one over a loopback server or a mock transport),
and depend only on models, errors and net.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ..errors import FetchError
from ..models import Fetched, Link, Source


class Getter(Protocol):
    """`HttpClient.get`'s shape: `delay` overrides the pause between two requests to a host."""

    def get(
        self, url: str, headers: Mapping[str, str] | None = None, *, delay: float | None = None
    ) -> Fetched: ...


class Client(Getter, Protocol):
    """What discovery is handed: GETs and form POSTs (`HttpSession`'s shape), one cookie jar per
    source, under the same guard, robots rules and politeness as every fetch."""

    def request(
        self,
        method: str,
        url: str,
        *,
        data: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        delay: float | None = None,
    ) -> Fetched: ...


class Sessions(Client, Protocol):
    """A client that opens sessions: `HttpClient`, `HttpSession` and their wrappers."""

    def session(self) -> Sessions: ...


@dataclass(frozen=True)
class DiscoverContext:
    client: Client
    policy_links: Sequence[Link] = ()
    since: dt.date | None = None  # overrides the source's own window (backfills)
    today: dt.date = field(default_factory=dt.date.today)
    # Documents of single-use links already archived (a platform does not fetch them again).
    archived: frozenset[str] = frozenset()
    # Drift a platform met and worked around (its fallback route read the day): recorded as a
    # layout_changed failure of the source while the links found still count.
    notes: list[FetchError] = field(default_factory=list)


class Fetcher(Protocol):
    def discover(self, source: Source, ctx: DiscoverContext) -> Iterator[Link]: ...


def window_start(source: Source, ctx: DiscoverContext) -> dt.date | None:
    return ctx.since or source.since
