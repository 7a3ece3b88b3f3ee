"""The nightly orchestration: discover → fetch → extract → link for every enabled source.

Takes the config, the database and an HTTP client; gives a RunSummary and a row in `runs`.
A failure is recorded with its class and the run goes on: one dead site never stops the others.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import sqlite_utils

from . import store
from .config import Config
from .errors import FetchError
from .fetch import DiscoverContext, Getter, discover_links
from .ingest import Ingestor
from .models import Link, MatchStatus, Source


@dataclass
class RunSummary:
    run_id: int = 0
    sources: int = 0
    links: int = 0
    new_versions: int = 0
    extracted: int = 0
    unchanged: int = 0
    norms_found: int = 0
    auto: int = 0  # documents of this run now linked automatically ...
    pending: int = 0  # ... or waiting for an editor (editors' own links are not counted)
    failures: Counter[str] = field(default_factory=Counter)

    @property
    def status(self) -> str:
        return "partial" if self.failures else "ok"

    def as_dict(self) -> dict[str, object]:
        out = {k: v for k, v in self.__dict__.items() if k not in ("failures", "run_id")}
        return {**out, "failures": dict(self.failures)}


def run_sources(
    db: sqlite_utils.Database,
    config: Config,
    ingestor: Ingestor,
    client: Getter,
    source_ids: Sequence[str] = (),
    since: dt.date | None = None,
) -> RunSummary:
    summary = RunSummary(run_id=store.start_run(db, "run"))
    listed = store.listed_urls(db)
    countries = {url: country for url, _, country in listed}
    policy_links = [Link("policy-links", url, source_name=name) for url, name, _ in listed]
    ctx = DiscoverContext(client=client, policy_links=policy_links, since=since)
    try:
        for source in _selected(config, source_ids):
            summary.sources += 1
            links = _discover(db, summary, source, ctx)
            for link in links:
                _one(db, summary, ingestor, client, link, countries.get(link.url, source.country))
    finally:
        store.finish_run(db, summary.run_id, summary.status, summary.as_dict())
    return summary


def _selected(config: Config, source_ids: Sequence[str]) -> Iterable[Source]:
    if source_ids:
        return [config.source(sid) for sid in source_ids]
    return [s for s in config.sources if s.enabled]


def _discover(
    db: sqlite_utils.Database, summary: RunSummary, source: Source, ctx: DiscoverContext
) -> list[Link]:
    try:
        # Deduplicated in listing order: a sitemap may list a URL twice.
        return list({link.url: link for link in discover_links(source, ctx)}.values())
    except FetchError as exc:
        summary.failures[exc.failure.value] += 1
        store.record_failure(db, summary.run_id, source.id, exc)
        return []


def _one(
    db: sqlite_utils.Database,
    summary: RunSummary,
    ingestor: Ingestor,
    client: Getter,
    link: Link,
    country: str,
) -> None:
    summary.links += 1
    try:
        fetched = client.get(link.url, headers=store.conditional_headers(db, link.url))
    except FetchError as exc:
        summary.failures[exc.failure.value] += 1
        store.record_failure(db, summary.run_id, link.source_id, exc)
        return
    result = ingestor.ingest(link, fetched, country)
    summary.new_versions += result.new_version
    if not result.extracted or result.extraction is None:
        summary.unchanged += 1
        return
    summary.extracted += 1
    summary.norms_found += len(result.extraction.norms)
    summary.auto += sum(s is MatchStatus.AUTO for s in result.matches.values())
    summary.pending += sum(s is MatchStatus.PENDING for s in result.matches.values())
