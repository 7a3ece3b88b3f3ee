"""policy-links: the URLs the observatory's entries already link to (their editors' lists)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from ..models import Link, Source
from .base import DiscoverContext


class PolicyLinksFetcher:
    def discover(self, source: Source, ctx: DiscoverContext) -> Iterator[Link]:
        for link in ctx.policy_links:
            yield replace(link, source_id=source.id)
