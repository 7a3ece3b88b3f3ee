"""What every fetcher shares: the HTTP getter it is handed and the context of a discovery.

Fetchers get their client injected (tests pass one over a loopback server or a mock transport),
and depend only on models, errors and http.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ..models import Fetched, Link, Source


class Getter(Protocol):
    """`HttpClient.get`'s shape: `delay` overrides the pause between two requests to a host."""

    def get(
        self, url: str, headers: Mapping[str, str] | None = None, *, delay: float | None = None
    ) -> Fetched: ...


@dataclass(frozen=True)
class DiscoverContext:
    client: Getter
    policy_links: Sequence[Link] = ()
    since: dt.date | None = None  # overrides the source's own window (backfills)
    today: dt.date = field(default_factory=dt.date.today)


class Fetcher(Protocol):
    def discover(self, source: Source, ctx: DiscoverContext) -> Iterator[Link]: ...


def window_start(source: Source, ctx: DiscoverContext) -> dt.date | None:
    return ctx.since or source.since
