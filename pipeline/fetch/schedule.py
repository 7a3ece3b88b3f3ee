"""Fetch-stage concurrency: a thread pool that runs at most one job per host at a time.

Takes jobs keyed by host; gives their finished futures back in the caller's thread, so the caller
(the run) does every database write itself from one thread while workers only talk to the network.
Queuing per host here, rather than on the HTTP client's per-host lock, keeps a slow or politely
delayed host from tying up every worker while other hosts wait: the cap is global, the turns are
per host (Scrapy's downloader slots work the same way).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from urllib.parse import urlsplit

T = TypeVar("T")


def host_of(url: str) -> str:
    """The politeness key of a URL: its host name, lower-cased ("" when it has none)."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


@dataclass(frozen=True)
class _Job(Generic[T]):
    host: str
    fn: Callable[[], Any]
    tag: T


class HostScheduler(Generic[T]):
    """`submit` jobs, then iterate `finished()`; more jobs may be submitted while iterating."""

    def __init__(self, workers: int) -> None:
        self._workers = max(1, workers)
        self._pool = ThreadPoolExecutor(self._workers, thread_name_prefix="fetch")
        self._queues: dict[str, deque[_Job[T]]] = {}
        self._busy: set[str] = set()
        self._running: dict[Future[Any], _Job[T]] = {}

    def submit(self, host: str, fn: Callable[[], Any], tag: T) -> None:
        self._queues.setdefault(host, deque()).append(_Job(host, fn, tag))

    def finished(self) -> Iterator[tuple[T, Future[Any]]]:
        """Each job's tag and future, in completion order, until nothing is queued or running."""
        while self._fill() or self._running:
            done, _ = wait(list(self._running), return_when=FIRST_COMPLETED)
            for future in done:
                job = self._running.pop(future)
                self._busy.discard(job.host)
                yield job.tag, future

    def close(self) -> None:
        """Drop queued jobs and stop; jobs already running finish in the background (each is
        bounded by the HTTP client's total deadline) and their results are discarded."""
        self._queues.clear()
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _fill(self) -> bool:
        """Start queued jobs of idle hosts while workers are free; True if any job is pending."""
        for host in list(self._queues):
            if len(self._running) >= self._workers:
                break
            if host in self._busy:
                continue
            queue = self._queues[host]
            job = queue.popleft()
            if not queue:
                del self._queues[host]
            self._busy.add(host)
            self._running[self._pool.submit(job.fn)] = job
        return bool(self._queues) or bool(self._running)
