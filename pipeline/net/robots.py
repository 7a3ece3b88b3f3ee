"""robots.txt for the fetch stage: may this URL be fetched by us, this run?

Takes URLs and a client with the `HttpClient.get` signature (so robots.txt goes through the same
address guard, limits and politeness as every page); gives nothing or raises FetchError ROBOTS.
Rules follow RFC 9309 where the standard library's parser does not:

- robots.txt answered 4xx (404, 410, also 401/403) → everything allowed (RFC 9309 §2.3.1.3);
- 5xx, 429, unreachable, too large, refused by the guard → nothing on that origin is fetched this
  run (§2.3.1.4: "assume complete disallow");
- the longest matching rule wins, Allow on a tie (§2.2.2); urllib.robotparser takes the first
  match in file order instead, so rules are re-sorted after parsing;
- fetched at most once per origin per run, even from a thread pool.

Not supported (urllib.robotparser limits): `*` and `$` wildcards inside paths are matched literally.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from pipeline.errors import FailureClass, FetchError
from pipeline.models import Fetched


class Getter(Protocol):
    def get(self, url: str, headers: Mapping[str, str] | None = None) -> Fetched: ...


@dataclass
class _Origin:
    lock: threading.Lock = field(default_factory=threading.Lock)
    parser: RobotFileParser | None = None
    failure: str = ""  # why robots.txt could not be had; non-empty = nothing fetched this run


class RobotsCache:
    """One run's robots.txt decisions. `user_agent` is matched by its product token
    ("ObservatoryBot/0.1 (+mailto:...)" matches "User-agent: ObservatoryBot")."""

    def __init__(self, client: Getter, user_agent: str) -> None:
        self._client = client
        self._agent = user_agent
        self._lock = threading.Lock()
        self._origins: dict[str, _Origin] = {}

    def check(self, url: str) -> None:
        """Raise FetchError ROBOTS unless robots.txt lets us fetch `url` this run."""
        if not self.allowed(url):
            raise FetchError(url, FailureClass.ROBOTS, "disallowed by robots.txt", attempts=0)

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets us fetch `url`; FetchError ROBOTS if it could not be had."""
        origin = self._origin(url)
        if origin.failure:
            raise FetchError(url, FailureClass.ROBOTS, origin.failure, attempts=0)
        assert origin.parser is not None
        return origin.parser.can_fetch(self._agent, url)

    def crawl_delay(self, url: str) -> float | None:
        """The Crawl-delay robots.txt asks of us, if any (callers pass it on as the host delay)."""
        origin = self._origin(url)
        if origin.parser is None:
            return None
        delay = origin.parser.crawl_delay(self._agent)
        return float(delay) if delay is not None else None

    def _origin(self, url: str) -> _Origin:
        key = _origin_key(url)
        with self._lock:
            origin = self._origins.setdefault(key, _Origin())
        with origin.lock:  # the first caller fetches; the others wait for its answer
            if origin.parser is None and not origin.failure:
                self._load(key, origin)
        return origin

    def _load(self, key: str, origin: _Origin) -> None:
        parser = RobotFileParser(f"{key}/robots.txt")
        try:
            fetched = self._client.get(f"{key}/robots.txt")
        except FetchError as exc:
            if exc.failure is FailureClass.HTTP_4XX:
                parser.parse([])  # an empty robots.txt: everything allowed
                origin.parser = parser
            else:
                origin.failure = f"robots.txt unavailable ({exc.failure.value}: {exc.detail})"
            return
        parser.parse(fetched.body.decode("utf-8", errors="replace").splitlines())
        _longest_match_first(parser)
        origin.parser = parser


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


def _longest_match_first(parser: RobotFileParser) -> None:
    # urllib.robotparser keeps its groups in undocumented attributes (absent from typeshed).
    raw: Any = parser
    groups = [*raw.entries, *([raw.default_entry] if raw.default_entry else [])]
    for group in groups:
        group.rulelines.sort(key=lambda rule: (-len(rule.path), not rule.allowance))
