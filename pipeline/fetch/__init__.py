"""Fetch stage: a registry kind → fetcher, built by explicit imports (no magic discovery)."""

from __future__ import annotations

from collections.abc import Iterator

from ..models import Link, Source, SourceKind
from .base import Client, DiscoverContext, Fetcher, Getter, Sessions
from .feed import FeedFetcher
from .listing import ListingFetcher
from .platforms import GazetteFetcher
from .policy_links import PolicyLinksFetcher
from .sitemap import SitemapFetcher

FETCHERS: dict[SourceKind, Fetcher] = {
    SourceKind.POLICY_LINKS: PolicyLinksFetcher(),
    SourceKind.SITEMAP: SitemapFetcher(),
    SourceKind.FEED: FeedFetcher(),
    SourceKind.LISTING: ListingFetcher(),
    SourceKind.GAZETTE: GazetteFetcher(),
}


def discover_links(source: Source, ctx: DiscoverContext) -> Iterator[Link]:
    """The stage verb: every link a source offers now (fetching is the caller's next step)."""
    return FETCHERS[source.kind].discover(source, ctx)


__all__ = ["Client", "DiscoverContext", "Fetcher", "Getter", "Sessions", "discover_links"]
