"""The nightly orchestration: discover → fetch → extract → link for every enabled source.

Takes the config, the database and an HTTP client; gives a RunSummary and a row in `runs`.
Workers of a thread pool (sized by [fetch] concurrency, one request per host at a time) only talk
to the network; this thread does every database write, one document at a time, so SQLite sees a
single writer and each document is stored whole or not at all (a run killed at any point is
simply run again). A failure is recorded with its class and attempt count and the run goes on:
one dead site never stops the others. A URL whose server asked us to come back later than a run
waits (429 / 503 with a far Retry-After) is deferred: later runs skip it until then.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import sqlite_utils

from . import store
from .config import Config
from .errors import FailureClass, FetchError, PipelineError
from .fetch import DiscoverContext, Sessions, discover_links
from .fetch.polite import PoliteGetter
from .fetch.schedule import HostScheduler, host_of
from .ingest import Ingestor
from .models import CountryMethod, DocumentCountry, Fetched, Link, MatchStatus, Source
from .net import RateLimited, RobotsCache
from .store.documents import archive_only_urls, clear_deferral, defer_url, deferred_urls


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
    deferred: int = 0  # URLs skipped: their server asked us to come back later
    stopped: bool = False  # should_stop() ended the run before every document was done
    failures: Counter[str] = field(default_factory=Counter)

    @property
    def status(self) -> str:
        return "partial" if self.failures or self.stopped else "ok"

    def as_dict(self) -> dict[str, object]:
        out = {k: v for k, v in self.__dict__.items() if k not in ("failures", "run_id")}
        return {**out, "failures": dict(self.failures)}


def _never() -> bool:
    return False


def run_sources(
    db: sqlite_utils.Database,
    config: Config,
    ingestor: Ingestor,
    client: Sessions,
    source_ids: Sequence[str] = (),
    since: dt.date | None = None,
    *,
    should_stop: Callable[[], bool] = _never,
) -> RunSummary:
    """Run the selected (default: enabled) sources. `should_stop` is asked between documents
    (a max-duration watchdog): once it says yes, nothing more is fetched or stored."""
    summary = RunSummary(run_id=store.start_run(db, "run"))
    run = _Run(db, config, ingestor, client, summary, should_stop)
    try:
        run.go(_selected(config, source_ids), since)
    finally:
        run.close()
        store.finish_run(db, summary.run_id, summary.status, summary.as_dict())
    return summary


def _selected(config: Config, source_ids: Sequence[str]) -> list[Source]:
    if source_ids:
        return [config.source(sid) for sid in source_ids]
    return [s for s in config.sources if s.enabled]


# What a finished job was: ("discover", source, None) or ("fetch", source, link).
_Tag = tuple[str, Source, Link | None]


class _Run:
    def __init__(
        self,
        db: sqlite_utils.Database,
        config: Config,
        ingestor: Ingestor,
        client: Sessions,
        summary: RunSummary,
        should_stop: Callable[[], bool],
    ) -> None:
        self.db = db
        self.config = config
        self.ingestor = ingestor
        self.client = client
        self.summary = summary
        self.should_stop = should_stop
        self.robots = RobotsCache(client, config.fetch.user_agent)
        self.deferred = deferred_urls(db)
        self.now = dt.datetime.now(dt.UTC)
        self.jobs: HostScheduler[_Tag] = HostScheduler(config.fetch.concurrency)

    def close(self) -> None:
        self.jobs.close()

    def go(self, sources: Iterable[Source], since: dt.date | None) -> None:
        sources = list(sources)
        listed = store.listed_urls(self.db)
        # A URL an entry lists is read in the entry's country, whichever source fetches it.
        self.countries = {
            url: DocumentCountry(country, CountryMethod.SOURCE, f"listed by the entry '{entry}'")
            for url, _, country, entry in listed
        }
        policy_links = [Link("policy-links", url, source_name=name) for url, name, _, _ in listed]
        self.archived = frozenset(archive_only_urls(self.db))
        found = self._discover(sources, policy_links, since)
        if not self.summary.stopped:
            self._fetch(sources, found)

    # --- discovery: every source's links, listing pages fetched by the workers ---------------

    def _discover(
        self, sources: list[Source], policy_links: list[Link], since: dt.date | None
    ) -> dict[str, list[Link]]:
        for source in sources:
            self.summary.sources += 1
            if self._put_off(source.url):
                continue
            # Each source's discovery has a session of its own: its cookies (a login, a JSF
            # session id) never reach another source.
            session = self._getter(source).session()
            ctx = DiscoverContext(session, policy_links, since, archived=self.archived)
            job = partial(_discover_all, source, ctx)
            self.jobs.submit(
                host_of(source.url) or f"source:{source.id}", job, ("discover", source, None)
            )
        found: dict[str, list[Link]] = {}
        for (_, source, _), future in self.jobs.finished():
            links, notes = self._outcome(source, source.url, future) or ([], [])
            for note in notes:  # drift a platform worked around: loud, though links came
                self._failed(source.id, note)
            found[source.id] = links
        return found

    # --- fetching and ingesting: documents fetched by the workers, stored here ---------------

    def _fetch(self, sources: list[Source], found: dict[str, list[Link]]) -> None:
        seen: set[str] = set()
        for source in sources:  # config order: the first source to list a URL owns it
            getter = self._getter(source)
            for link in found.get(source.id, []):
                if link.url in seen or self._put_off(link.url):
                    continue
                seen.add(link.url)
                if link.fetched is not None:  # a single-use response, fetched while discovering
                    job: Callable[[], Any] = partial(_given, link.fetched)
                else:
                    headers = store.conditional_headers(self.db, link.url)
                    job = partial(getter.get, link.url, headers)
                self.jobs.submit(host_of(link.url), job, ("fetch", source, link))
        for (_, source, job_link), future in self.jobs.finished():
            if self.should_stop():
                self.summary.stopped = True
                return
            assert job_link is not None
            self.summary.links += 1
            fetched = self._outcome(source, job_link.url, future)
            if fetched is not None:
                self._ingest(source, job_link, fetched)

    def _ingest(self, source: Source, link: Link, fetched: Any) -> None:
        try:
            country = self.countries.get(link.url) or _source_country(source)
            result = self.ingestor.ingest(link, fetched, country, earliest=source.since)
        except FetchError as exc:
            self._failed(source.id, exc)
            return
        except PipelineError as exc:  # bytes no reader can read (a broken PDF, binary junk)
            self._failed(source.id, FetchError(link.url, FailureClass.UNSUPPORTED, str(exc)))
            return
        if result.page_class != "ok":
            detail = f"{result.page_class} page (bot wall, login wall or not found), not linked"
            self._failed(source.id, FetchError(link.url, FailureClass.BLOCKED_PAGE, detail))
            return
        s = self.summary
        s.new_versions += result.new_version
        if not result.extracted or result.extraction is None:
            s.unchanged += 1
            return
        s.extracted += 1
        s.norms_found += len(result.extraction.norms)
        s.auto += sum(st is MatchStatus.AUTO for st in result.matches.values())
        s.pending += sum(st is MatchStatus.PENDING for st in result.matches.values())

    # --- shared ------------------------------------------------------------------------------

    def _getter(self, source: Source) -> PoliteGetter:
        return PoliteGetter(self.client, self.robots, source.delay_seconds)

    def _put_off(self, url: str) -> bool:
        """True (and counted) when an earlier run was told to come back to `url` later."""
        retry_at = self.deferred.get(url)
        if retry_at is not None and retry_at > self.now:
            self.summary.deferred += 1
            return True
        return False

    def _outcome(self, source: Source, url: str, future: Future[Any]) -> Any:
        """The job's result, or None after recording why it failed."""
        try:
            result = future.result()
        except FetchError as exc:
            self._failed(source.id, exc)
            return None
        if url in self.deferred:  # its turn came and it answered: no longer put off
            clear_deferral(self.db, url)
        return result

    def _failed(self, source_id: str, exc: FetchError) -> None:
        self.summary.failures[exc.failure.value] += 1
        store.record_failure(self.db, self.summary.run_id, source_id, exc)
        if isinstance(exc, RateLimited):
            defer_url(self.db, exc.url, source_id, exc.retry_at, exc.failure.value, exc.detail)


def _source_country(source: Source) -> DocumentCountry:
    """The source's country from the config; none when it declares none (then the page tells)."""
    if not source.country:
        return DocumentCountry()
    return DocumentCountry(source.country, CountryMethod.SOURCE, f"the source '{source.id}'")


def _discover_all(source: Source, ctx: DiscoverContext) -> tuple[list[Link], list[FetchError]]:
    # Runs in a worker; deduplicated in listing order (a sitemap may list a URL twice). The whole
    # list or nothing: a platform failing half-way stores nothing of what it had read.
    links = list({link.url: link for link in discover_links(source, ctx)}.values())
    return links, list(ctx.notes)


def _given(fetched: Fetched) -> Fetched:
    return fetched
