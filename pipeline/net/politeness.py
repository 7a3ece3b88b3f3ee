"""Manners of the fetch stage, with no network code: per-host turns, retry backoff, Retry-After.

`http.py` uses these to keep at most one request in flight per host with a minimum delay between
requests, to space retries with jittered exponential backoff, and to read a server's Retry-After.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime


@dataclass
class _Slot:
    lock: threading.Lock = field(default_factory=threading.Lock)
    last: float = float("-inf")


class HostSlots:
    """One request in flight per host, and `delay` seconds from the end of one request to the
    start of the next. Threads queue on their host's lock, never on a global one, so a slow host
    does not hold up the others."""

    def __init__(self, clock: Callable[[], float], sleep: Callable[[float], None]) -> None:
        self._lock = threading.Lock()
        self._slots: dict[str, _Slot] = {}
        self._clock = clock
        self._sleep = sleep

    @contextmanager
    def hold(self, host: str, delay: float) -> Iterator[float]:
        """Yields how long we queued, so the caller can keep it out of the request's deadline."""
        start = self._clock()
        with self._lock:
            slot = self._slots.setdefault(host, _Slot())
        with slot.lock:
            wait = slot.last + delay - self._clock()
            if wait > 0:
                self._sleep(wait)
            try:
                yield self._clock() - start
            finally:
                slot.last = self._clock()


def backoff_delay(attempt: int, base: float, cap: float, rng: random.Random) -> float:
    """Seconds before retry number `attempt` (1-based): "equal jitter" over base·2^(attempt-1).

    At least half the backoff, so retries stay spaced out; the random half spreads apart the
    workers that failed together."""
    ceiling = min(cap, base * 2.0 ** (attempt - 1))
    return ceiling / 2 + rng.uniform(0, ceiling / 2)


def retry_after_seconds(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date); None if absent or junk."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - (now or dt.datetime.now(dt.UTC))).total_seconds())
