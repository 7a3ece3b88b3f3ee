"""Manners of the fetch stage, with no network code: per-host turns, retry backoff, Retry-After.

`http.py` uses these to keep at most one request in flight per host with a minimum delay between
requests, to space retries with jittered exponential backoff, and to read a server's Retry-After.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import re
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


# The longest wait a Retry-After is read as. Servers send absurd values (a 23-digit delay, the year
# 9999): past this they all mean "much later", and nothing downstream (a timedelta, a deferral
# date) ever sees a number it cannot hold. The run defers at most `HttpSettings.max_defer` anyway.
MAX_RETRY_AFTER = 365 * 24 * 3600.0
# delta-seconds is 1*DIGIT (RFC 9110 §10.2.3): ASCII only, so "²" or "-5" or "nan" are junk.
_DELTA_SECONDS = re.compile(r"[0-9]+")


def retry_after_seconds(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date), between 0 and
    MAX_RETRY_AFTER; None if absent or junk (negative, fractional, NaN, an unreadable date)."""
    if not value:
        return None
    value = value.strip()
    if _DELTA_SECONDS.fullmatch(value):
        # Compared as text first: int() of a 5,000-digit value is refused by Python itself.
        digits = value.lstrip("0") or "0"
        return MAX_RETRY_AFTER if len(digits) > 12 else min(float(digits), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    seconds = (when - (now or dt.datetime.now(dt.UTC))).total_seconds()
    return min(max(0.0, seconds), MAX_RETRY_AFTER)


def defer_until(seconds: float, max_defer: float, now: dt.datetime | None = None) -> dt.datetime:
    """When a deferred URL may be asked for again: `seconds` from now, never past `max_defer`
    (a server cannot park a URL for years) and never in the past."""
    wait = min(max(0.0, seconds), max_defer) if math.isfinite(seconds) else max_defer
    return (now or dt.datetime.now(dt.UTC)) + dt.timedelta(seconds=wait)
