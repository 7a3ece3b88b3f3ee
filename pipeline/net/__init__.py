"""The network: the one place that speaks HTTP, and everything that keeps it safe and polite.

    http.py        HttpClient, the only importer of httpx: retries, deadlines, redirects, caps
    settings.py    HttpSettings and the statuses worth a retry (no httpx)
    body.py        decompression with a cap counted after decoding (gzip, deflate, brotli bombs)
    guard.py       the SSRF guard: resolve, then refuse every non-public address
    pin.py         connections pinned to the address the guard checked; the total deadline
    robots.py      robots.txt, read once per site per run
    politeness.py  one request in flight per host, delays, backoff, Retry-After
    session.py     HttpSession: one source's cookie jar over the same guarded client

Fetchers, the run and the commands import from this package only: `from pipeline.net import ...`.
"""

from pipeline.net.http import HttpClient, HttpSession, HttpSettings, RateLimited, RobotsCache

__all__ = ["HttpClient", "HttpSession", "HttpSettings", "RateLimited", "RobotsCache"]
