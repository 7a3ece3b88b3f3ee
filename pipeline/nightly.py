"""The nightly job around the run stage: one run at a time, a maximum duration, progress, the
report and the backup, and an exit code a scheduler can act on.

Takes the global options and the run's parameters; gives an exit code. `run.py`'s `run_sources`
is wrapped from the outside: its `should_stop` callback ends the run at the deadline, and the
HTTP client and the ingestor it is handed are thin wrappers that report progress (a live table on
a terminal, plain log lines otherwise).

    0 all well · 1 partial (some fetches failed, or stopped at the maximum duration)
    2 fatal (config, database, disk) · 75 another run holds the lock (EX_TEMPFAIL: try later)
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TextIO
from urllib.parse import urlsplit

from rich.console import Console
from rich.live import Live
from rich.table import Table

from . import app
from .backup import BackupResult, backup_database
from .config import Config
from .errors import FailureClass, FetchError, PipelineError
from .fetch import DiscoverContext, Sessions, discover_links
from .ingest import Ingestor, IngestResult
from .models import NOT_KNOWN, DocumentCountry, Fetched, Link
from .report import write_report
from .run import RunSummary, run_sources
from .store import listed_urls, now
from .store.reports import Database, close_dead_runs, known_urls, latest_run_id, set_run_status

EXIT_OK, EXIT_PARTIAL, EXIT_FATAL, EXIT_RUNNING = 0, 1, 2, 75
# After the deadline a run stops before its next document, and a fetch is itself bounded by the
# HTTP total deadline: this grace only matters when something else hangs (a parser, a full disk).
# Then the watchdog ends the process as kill -9 would, which the store is built to survive.
HARD_STOP_GRACE = 600.0


class AlreadyRunning(PipelineError):
    pass


class Progress(Protocol):
    def log(self, line: str) -> None: ...
    def fetching(self, url: str) -> None: ...
    def failed(self, url: str, failure: str) -> None: ...
    def ingested(self, source_id: str, url: str, new: bool) -> None: ...
    def live(self) -> AbstractContextManager[object]: ...


class LogProgress:
    """Plain, timestamped lines: what cron mails and journald keep."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def log(self, line: str) -> None:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        print(f"{stamp} {line}", file=self.stream, flush=True)

    def fetching(self, url: str) -> None:
        pass  # every fetched document ends in one `ingested` or `failed` line

    def failed(self, url: str, failure: str) -> None:
        self.log(f"failed {failure}: {url}")

    def ingested(self, source_id: str, url: str, new: bool) -> None:
        self.log(f"{source_id}: {'new' if new else 'unchanged'} {url}")

    def live(self) -> AbstractContextManager[object]:
        return nullcontext()


class RichProgress(LogProgress):
    """A live table on a terminal: documents and new ones per source, failures, the current URL."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__(stream)
        self.console = Console(file=stream)
        self.seen: Counter[str] = Counter()
        self.new: Counter[str] = Counter()
        self.failures: Counter[str] = Counter()
        self.current = ""
        self.started = time.monotonic()
        self._live: Live | None = None

    def log(self, line: str) -> None:
        self.console.print(line, markup=False, highlight=False)

    def fetching(self, url: str) -> None:
        self.current = url
        self._refresh()

    def failed(self, url: str, failure: str) -> None:
        self.failures[failure] += 1
        self._refresh()

    def ingested(self, source_id: str, url: str, new: bool) -> None:
        self.seen[source_id] += 1
        self.new[source_id] += int(new)
        self._refresh()

    def live(self) -> AbstractContextManager[object]:
        self._live = Live(self._table(), console=self.console, refresh_per_second=4)
        return self._live

    def _refresh(self) -> None:
        if self._live is not None:
            self._live.update(self._table())

    def _table(self) -> Table:
        elapsed = int(time.monotonic() - self.started)
        failures = ", ".join(f"{n} {k}" for k, n in sorted(self.failures.items())) or "none"
        table = Table(title=f"run: {elapsed} s, failures: {failures}", caption=self.current[:100])
        for column in ("source", "documents", "new"):
            table.add_column(column)
        for source in sorted(self.seen):
            table.add_row(source, str(self.seen[source]), str(self.new[source]))
        return table


def make_progress(stream: TextIO) -> Progress:
    """Live display on a terminal, plain log lines otherwise (cron, systemd, a pipe)."""
    return RichProgress(stream) if stream.isatty() else LogProgress(stream)


@contextmanager
def run_lock(db_path: Path) -> Iterator[Path]:
    """A kernel lock (flock) on `<db>.lock`: released by the kernel when the process dies, however
    it dies, so a killed run never blocks the next one (a pid file would)."""
    lock_path = db_path.with_name(db_path.name + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise AlreadyRunning(f"another run holds {lock_path}; exiting") from None
    try:
        yield lock_path
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


class WatchedGetter:
    """The run's HTTP client (and each source's session of it), watched by the progress display.
    Only URLs and failure classes reach it: never a form's data or a cookie."""

    def __init__(self, inner: Sessions, progress: Progress) -> None:
        self.inner, self.progress = inner, progress

    def get(self, url: str, headers: Mapping[str, str] | None = None, **kw: Any) -> Fetched:
        return self.request("GET", url, headers=headers, **kw)

    def request(self, method: str, url: str, **kw: Any) -> Fetched:
        self.progress.fetching(url)
        try:
            return self.inner.request(method, url, **kw)
        except FetchError as exc:
            # A site without robots.txt (any 4xx) has no rules for us (RFC 9309 §2.3.1.3): that
            # is no failure, and logging it as one sent operators looking for a fault.
            if not (exc.failure is FailureClass.HTTP_4XX and _is_robots(url)):
                self.progress.failed(url, exc.failure.value)
            raise

    def session(self) -> WatchedGetter:
        return WatchedGetter(self.inner.session(), self.progress)


def _is_robots(url: str) -> bool:
    return urlsplit(url).path == "/robots.txt"


class ObservedIngestor(Ingestor):
    """The run's ingestor, telling the progress display what each document gave."""

    progress: Progress

    def ingest(
        self,
        link: Link,
        fetched: Fetched,
        country: DocumentCountry = NOT_KNOWN,
        earliest: dt.date | None = None,
    ) -> IngestResult:
        result = super().ingest(link, fetched, country, earliest)
        self.progress.ingested(link.source_id, link.url, bool(result.new_version))
        return result


@dataclass(frozen=True)
class NightlyParams:
    source_ids: Sequence[str] = ()
    since: dt.date | None = None
    max_duration: float | None = None  # seconds
    report_dir: Path | None = None  # default: reports/ beside the database
    backup_dir: Path | None = None  # default: backups/ beside the database
    backup: bool = True


def run_nightly(opts: app.Options, params: NightlyParams, progress: Progress | None = None) -> int:
    """Lock, run, report, back up; return the exit code."""
    progress = progress or make_progress(sys.stderr)
    try:
        with run_lock(opts.db_path):
            return _locked(opts, params, progress)
    except AlreadyRunning as exc:
        progress.log(str(exc))
        return EXIT_RUNNING


def _locked(opts: app.Options, params: NightlyParams, progress: Progress) -> int:
    config = app.load(opts)
    db = app.open_db(opts, create=True)
    dead = close_dead_runs(db)
    if dead:
        progress.log(f"{dead} earlier run(s) had died mid-way: marked interrupted")
    started = now()
    try:
        outcome = _run(db, opts, config, params, progress)
    except BaseException:
        # run_sources recorded the run as it stood; say it did not end well (disk full, ^C).
        failed = latest_run_id(db, started)
        if failed is not None:
            set_run_status(db, failed, "failed")
        raise
    run_id = outcome.run_id
    if outcome.stopped:
        set_run_status(db, run_id, "stopped")
        progress.log(f"run {run_id} stopped: maximum duration ({params.max_duration} s) passed")
    report_dir = params.report_dir or opts.db_path.parent / "reports"
    paths = write_report(db, run_id, config, report_dir)
    progress.log(f"run {run_id} report: {paths[0]}")
    if params.backup:
        _backup(db, opts, params, progress)
    return EXIT_OK if outcome.ok else EXIT_PARTIAL


@dataclass(frozen=True)
class _Outcome:
    run_id: int
    ok: bool
    stopped: bool


def _run(
    db: Database, opts: app.Options, config: Config, params: NightlyParams, progress: Progress
) -> _Outcome:
    clock = time.monotonic
    deadline = clock() + params.max_duration if params.max_duration else None

    def should_stop() -> bool:  # asked by run_sources between documents
        return deadline is not None and clock() >= deadline

    ingestor = ObservedIngestor(db, app.archive_for(opts.db_path), config.link)
    ingestor.progress = progress
    watchdog = _watchdog(params.max_duration, progress)
    try:
        with app.http_client(config) as client, progress.live():
            getter = WatchedGetter(client, progress)
            summary = run_sources(
                db, config, ingestor, getter, params.source_ids, params.since,
                should_stop=should_stop,
            )  # fmt: skip
    finally:
        if watchdog is not None:
            watchdog.cancel()
    progress.log(_summary_line(summary))
    return _Outcome(summary.run_id, summary.status == "ok", summary.stopped)


def _watchdog(max_duration: float | None, progress: Progress) -> threading.Timer | None:
    if not max_duration:
        return None

    def hard_stop() -> None:
        progress.log("run did not stop at its deadline: ending the process")
        os._exit(EXIT_FATAL)

    timer = threading.Timer(max_duration + HARD_STOP_GRACE, hard_stop)
    timer.daemon = True
    timer.start()
    return timer


def _backup(db: Database, opts: app.Options, params: NightlyParams, progress: Progress) -> None:
    folder = params.backup_dir or opts.db_path.parent / "backups"
    result: BackupResult = backup_database(db, folder, dt.date.today())
    progress.log(f"backup: {result.path} ({result.size} bytes, integrity ok)")


def _summary_line(s: RunSummary) -> str:
    failures = ", ".join(f"{n} {k}" for k, n in sorted(s.failures.items())) or "none"
    return (
        f"run {s.run_id}: {s.sources} sources, {s.links} links, {s.extracted} extracted, "
        f"{s.unchanged} unchanged, {s.norms_found} norm mentions, {s.auto} auto-accepted, "
        f"{s.pending} for review; failures: {failures}"
    )


def dry_run(opts: app.Options, params: NightlyParams, progress: Progress) -> int:
    """Discover what each source lists and which of it is new, without writing anything."""
    config = app.load(opts)
    db = app.open_db(opts)
    listed = [Link("policy-links", url, source_name=name) for url, name, *_ in listed_urls(db)]
    sources = (
        [config.source(sid) for sid in params.source_ids]
        if params.source_ids
        else [s for s in config.sources if s.enabled]
    )
    code = EXIT_OK
    with app.http_client(config) as client:
        for source in sources:
            ctx = DiscoverContext(client=client.session(), policy_links=listed, since=params.since)
            try:
                links = list(dict.fromkeys(link.url for link in discover_links(source, ctx)))
            except FetchError as exc:
                progress.log(f"{source.id}: discovery failed: {exc}")
                code = EXIT_PARTIAL
                continue
            known = known_urls(db, links)
            new = [url for url in links if url not in known]
            progress.log(f"{source.id}: {len(links)} listed, {len(new)} new")
            for url in new:
                progress.log(f"  new: {url}")
    return code
