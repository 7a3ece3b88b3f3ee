"""What the HTTP client promises, without httpx: its settings, the statuses it retries, how a
failed attempt is described and classified. pipeline/http.py (the only httpx user) does the rest.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pipeline.errors import FailureClass, FetchError
from pipeline.net.guard import IPNetwork

REDIRECTS = frozenset({301, 302, 303, 307, 308})
# Transient by nature: the same request may well succeed later (RFC 9110 §15.5.9, §15.5.29). All
# of 5xx too: 501/505 are rarely permanent on the sites we crawl (overloaded front ends send them).
RETRY_STATUSES = frozenset({408, 429, *range(500, 600)})


@dataclass(frozen=True)
class HttpSettings:
    """Limits and manners of the client. Times are seconds; `max_bytes` counts decoded bytes."""

    user_agent: str
    # Networks exempt from the address guard: only tests and the demo put loopback here.
    allow_addresses: tuple[IPNetwork, ...] = ()
    # Ports allowed on public addresses (allow-listed addresses may use any port).
    allow_ports: frozenset[int] = frozenset({80, 443, 8080, 8443})
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    # The whole request, redirect hops and body included; each retry gets a fresh deadline.
    total_deadline: float = 90.0
    max_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 5
    retries: int = 2
    backoff_base: float = 1.0
    backoff_max: float = 60.0
    # A Retry-After longer than this is not waited for: the URL is deferred to the next run.
    retry_after_cap: float = 30.0
    # Minimum pause between two requests to one host (0 for benchmarks).
    host_delay: float = 1.0
    # A PEM file of CAs to trust instead of the default store (tests, a private gazette mirror).
    # Certificates are always verified: there is deliberately no switch to turn that off.
    ca_bundle: str | None = None
    # Host names answered by another address, as `curl --resolve` does: (host, ip, port), the
    # connection in plain HTTP to ip:port with the URL and Host header unchanged. It lets the
    # offline demo and the tests serve real URLs ("https://www.gob.pe/...") from a loopback
    # server, so what is stored and exported is the real URL. The ip must be inside
    # `allow_addresses` (the guard still checks it): never a way around the SSRF guard.
    resolve: tuple[tuple[str, str, int], ...] = ()


class RateLimited(FetchError):
    """The server asked us to come back later than we are willing to wait in this run."""

    def __init__(self, url: str, detail: str, attempts: int, retry_at: dt.datetime) -> None:
        super().__init__(url, FailureClass.RATE_LIMITED, detail, attempts)
        self.retry_at = retry_at


class AttemptFailed(Exception):
    """One attempt failed; `get` decides whether to retry."""

    def __init__(
        self,
        failure: FailureClass,
        detail: str,
        *,
        retryable: bool = False,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(detail)
        self.failure = failure
        self.detail = detail
        self.retryable = retryable
        self.retry_after = retry_after


def status_class(status: int) -> FailureClass:
    if status == 429:
        return FailureClass.RATE_LIMITED
    return FailureClass.HTTP_5XX if status >= 500 else FailureClass.HTTP_4XX


def cause(exc: BaseException, kind: type[BaseException]) -> BaseException | None:
    """The first exception of `kind` in the chain httpx and httpcore build with `raise ... from`."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, kind):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None
