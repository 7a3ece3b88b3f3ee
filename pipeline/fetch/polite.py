"""The client every fetch of a run goes through: robots.txt first, then the source's own pace.

Takes the run's HTTP client (or one source's session of it) and robots cache; gives a `Client`
for one source, so discovery (feeds, sitemaps, listings, gazette pages and their form POSTs) and
document fetches obey the same rules: a URL that robots.txt disallows, or whose robots.txt could
not be had, fails with FetchError ROBOTS before any request for it is made, whatever the method;
the delay between two requests to a host is the larger of the source's `delay_seconds` and the
site's Crawl-delay (the client's default when neither is set). `session()` gives the same rules
over a fresh cookie jar: one per source's discovery.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..models import Fetched
from ..net import RobotsCache
from .base import Sessions

# A Crawl-delay above this is a site asking not to be crawled by us at all, in practice; we stay
# polite without letting one host stall a nightly run for hours.
MAX_CRAWL_DELAY = 60.0


class PoliteGetter:
    def __init__(self, client: Sessions, robots: RobotsCache, delay: float | None = None) -> None:
        self._client = client
        self._robots = robots
        self._delay = delay

    def get(
        self, url: str, headers: Mapping[str, str] | None = None, *, delay: float | None = None
    ) -> Fetched:
        return self.request("GET", url, headers=headers, delay=delay)

    def request(
        self,
        method: str,
        url: str,
        *,
        data: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        delay: float | None = None,
    ) -> Fetched:
        self._robots.check(url)
        wanted = [d for d in (delay, self._delay, self._crawl_delay(url)) if d is not None]
        pause = max(wanted) if wanted else None
        if method == "GET" and data is None:  # the plain path every Getter has
            if pause is None:
                return self._client.get(url, headers=headers)
            return self._client.get(url, headers=headers, delay=pause)
        return self._client.request(method, url, data=data, headers=headers, delay=pause)

    def session(self) -> PoliteGetter:
        return PoliteGetter(self._client.session(), self._robots, self._delay)

    def _crawl_delay(self, url: str) -> float | None:
        asked = self._robots.crawl_delay(url)
        return min(asked, MAX_CRAWL_DELAY) if asked is not None else None
