"""robots.txt for the fetch stage: may this URL be fetched by us, this run? The one Protego user.

Takes URLs and a client with the `HttpClient.get` signature (so robots.txt goes through the same
address guard, limits and politeness as every page); gives nothing or raises FetchError. The rules
are RFC 9309's, as Protego implements them (Scrapy's parser): `*` and `$` in paths, the longest
matching rule wins, Allow wins a tie, the group naming our product token wins over `*`. Around it:

- robots.txt answered 4xx (404, 410, also 401/403) → everything allowed (§2.3.1.3);
- 5xx, 429, unreachable, too large → nothing on that origin is fetched this run (§2.3.1.4:
  "assume complete disallow"), failure class ROBOTS;
- an origin the address guard refuses (a non-public address, a bad URL) → the page fails with the
  guard's own class (`blocked_address`, ...), not ROBOTS: robots.txt has nothing to do with it;
- only the first PARSE_LIMIT bytes are parsed (§2.5), so a huge robots.txt costs bounded time;
- fetched at most once per origin per run, even from a thread pool.
"""

from __future__ import annotations

import codecs
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urlsplit

from protego import Protego

from pipeline.errors import FailureClass, FetchError
from pipeline.models import Fetched

# RFC 9309 §2.5: "crawlers SHOULD impose a parsing limit ... MUST be at least 500 kibibytes".
PARSE_LIMIT = 500 * 1024
# Failures of the robots.txt request that say nothing about robots.txt: the page itself would be
# refused the same way, so it is recorded under that class.
_NOT_ROBOTS = frozenset(
    {FailureClass.BLOCKED_ADDRESS, FailureClass.BAD_URL, FailureClass.BAD_SCHEME}
)


class Getter(Protocol):
    def get(self, url: str, headers: Mapping[str, str] | None = None) -> Fetched: ...


@dataclass
class _Origin:
    lock: threading.Lock = field(default_factory=threading.Lock)
    rules: Protego | None = None
    # Why robots.txt could not be had (non-empty = nothing fetched there this run), and the class
    # to record against each page of the origin.
    failure: str = ""
    failure_class: FailureClass = FailureClass.ROBOTS


class RobotsCache:
    """One run's robots.txt decisions. Rules are matched against our product token, the
    User-Agent's first word before "/" ("ObservatoryBot/0.1 (+mailto:...)" → "ObservatoryBot"),
    as RFC 9309 §2.2.1 asks: the contact address is no name a robots.txt group could mean."""

    def __init__(self, client: Getter, user_agent: str) -> None:
        self._client = client
        self._agent = product_token(user_agent)
        self._lock = threading.Lock()
        self._origins: dict[str, _Origin] = {}

    def check(self, url: str) -> None:
        """Raise FetchError ROBOTS unless robots.txt lets us fetch `url` this run."""
        if not self.allowed(url):
            raise FetchError(url, FailureClass.ROBOTS, "disallowed by robots.txt", attempts=0)

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets us fetch `url`; FetchError if it could not be had."""
        origin = self._origin(url)
        if origin.failure:
            raise FetchError(url, origin.failure_class, origin.failure, attempts=0)
        assert origin.rules is not None
        return bool(origin.rules.can_fetch(url, self._agent))

    def crawl_delay(self, url: str) -> float | None:
        """The Crawl-delay robots.txt asks of us, if any (callers pass it on as the host delay).
        Protego keeps only finite, non-negative values; callers cap how long."""
        origin = self._origin(url)
        if origin.rules is None:
            return None
        delay = origin.rules.crawl_delay(self._agent)
        return float(delay) if delay is not None else None

    def _origin(self, url: str) -> _Origin:
        key = _origin_key(url)
        with self._lock:
            origin = self._origins.setdefault(key, _Origin())
        with origin.lock:  # the first caller fetches; the others wait for its answer
            if origin.rules is None and not origin.failure:
                self._load(key, origin)
        return origin

    def _load(self, key: str, origin: _Origin) -> None:
        try:
            fetched = self._client.get(f"{key}/robots.txt")
        except FetchError as exc:
            if exc.failure is FailureClass.HTTP_4XX:
                origin.rules = Protego.parse("")  # no robots.txt: everything allowed
            elif exc.failure in _NOT_ROBOTS:
                origin.failure, origin.failure_class = exc.detail, exc.failure
            else:
                origin.failure = f"robots.txt unavailable ({exc.failure.value}: {exc.detail})"
            return
        origin.rules = Protego.parse(robots_text(fetched.body))


def robots_text(body: bytes) -> str:
    """The part of a robots.txt we read: at most PARSE_LIMIT bytes, cut at the last line end
    (a rule cut in half could widen a Disallow into a shorter one), UTF-8 (RFC 9309 §2.3)."""
    if len(body) > PARSE_LIMIT:
        body = body[: body.rfind(b"\n", 0, PARSE_LIMIT) + 1]
    if body.startswith(codecs.BOM_UTF8):
        body = body[len(codecs.BOM_UTF8) :]
    return body.decode("utf-8", errors="replace")


def product_token(user_agent: str) -> str:
    """'ObservatoryBot/0.1 (+mailto:x@y)' → 'ObservatoryBot'."""
    words = user_agent.split()
    return words[0].split("/", 1)[0] if words else user_agent


def _origin_key(url: str) -> str:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise FetchError(url, FailureClass.BAD_URL, str(exc), attempts=0) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(url, FailureClass.BAD_SCHEME, "robots.txt needs an http(s) URL", 0)
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    default = 443 if parts.scheme == "https" else 80
    suffix = f":{port}" if port not in (None, default) else ""
    return f"{parts.scheme}://{host}{suffix}"
