"""The getter every fetch of a run goes through: robots.txt first, then the source's own pace.

Takes the run's HTTP client and robots cache; gives a `Getter` for one source, so discovery
(feeds, sitemaps, listings, gazette pages) and document fetches obey the same rules: a URL that
robots.txt disallows, or whose robots.txt could not be had, fails with FetchError ROBOTS before
any request for it is made; the delay between two requests to a host is the larger of the
source's `delay_seconds` and the site's Crawl-delay (the client's default when neither is set).
"""

from __future__ import annotations

from collections.abc import Mapping

from ..models import Fetched
from ..net import RobotsCache
from .base import Getter

# A Crawl-delay above this is a site asking not to be crawled by us at all, in practice; we stay
# polite without letting one host stall a nightly run for hours.
MAX_CRAWL_DELAY = 60.0


class PoliteGetter:
    def __init__(self, client: Getter, robots: RobotsCache, delay: float | None = None) -> None:
        self._client = client
        self._robots = robots
        self._delay = delay

    def get(
        self, url: str, headers: Mapping[str, str] | None = None, *, delay: float | None = None
    ) -> Fetched:
        self._robots.check(url)
        wanted = [d for d in (delay, self._delay, self._crawl_delay(url)) if d is not None]
        if not wanted:
            return self._client.get(url, headers=headers)
        return self._client.get(url, headers=headers, delay=max(wanted))

    def _crawl_delay(self, url: str) -> float | None:
        asked = self._robots.crawl_delay(url)
        return min(asked, MAX_CRAWL_DELAY) if asked is not None else None
