"""The fetch stage's only door to the network, and the only module that imports httpx.

Takes a URL (from data: feeds, listings, policy entries) and gives a `Fetched` record, or raises
`FetchError` with a `FailureClass` and the number of attempts. On the way it:

- refuses every address that is not public, by the resolved IP, on every redirect hop, before any
  connection is made (netguard.py), and connects to exactly the checked IP (`_PinnedBackend`), so
  DNS rebinding between check and connect is impossible. The URL keeps its host name, so the Host
  header, TLS SNI and certificate checks use the name while the socket goes to the pinned IP;
- enforces a total deadline per request on every socket read and write, so a server trickling one
  byte at a time (or trickling its headers) is cut even though no single read times out;
- caps the body after decompression (httpbody.py), refuses a huge Content-Length before reading,
  and classifies cut bodies as TRUNCATED;
- retries 408/429/5xx and connection failures with backoff and jitter, honours Retry-After up to a
  cap and defers longer waits to the next run (`RateLimited.retry_at`);
- keeps at most one request in flight per host, with a minimum delay between them (`_HostSlots`).

robots.txt handling, built on this client, lives in robots.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import re
import ssl
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import Any

import httpcore
import httpx

from pipeline.errors import FailureClass, FetchError
from pipeline.httpbody import ACCEPT_ENCODING, BadEncoding, BodyDecoder, BodyTruncated
from pipeline.httpbody import parse_encodings as _parse_encodings
from pipeline.models import Fetched
from pipeline.netguard import AddressRefused, IPNetwork, Resolver, resolve_checked, system_resolver

REDIRECTS = frozenset({301, 302, 303, 307, 308})
# Transient by nature: the same request may well succeed later (RFC 9110 §15.5.9, §15.5.29, §15.6).
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
# Never forwarded to another origin on a redirect: they authenticate us to the first one only.
_PRIVATE_HEADERS = frozenset({"authorization", "cookie", "proxy-authorization"})
# Set by us only: a caller's Host would address another virtual host than the one we checked, and
# a caller's Accept-Encoding could ask for an encoding we cannot decode safely.
_RESERVED_HEADERS = frozenset({"host", "accept-encoding"})
# Describe the wire form, not the decoded body we return.
_WIRE_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


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


class RateLimited(FetchError):
    """The server asked us to come back later than we are willing to wait in this run."""

    def __init__(self, url: str, detail: str, attempts: int, retry_at: dt.datetime) -> None:
        super().__init__(url, FailureClass.RATE_LIMITED, detail, attempts)
        self.retry_at = retry_at


class _Failed(Exception):
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


# Per-thread request state read by the socket layer: the deadline of the request running in this
# thread and the addresses its hops were checked against. Thread-local because httpcore's sync
# pool opens and reads connections in the calling thread, one request per connection at a time.
class _RequestState(threading.local):
    deadline: float | None = None
    pins: dict[tuple[str, int], list[str]] | None = None


_state = _RequestState()


def _remaining(clock: Callable[[], float], timeout: float | None, exc: type[Exception]) -> float:
    """`timeout` shortened to what is left of the current request's deadline."""
    limit = float("inf") if timeout is None else timeout
    if _state.deadline is not None:
        left = _state.deadline - clock()
        if left <= 0:
            raise exc("total deadline exceeded")
        limit = min(limit, left)
    return limit


class _DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every read/write is bounded by the request's total deadline."""

    def __init__(self, inner: httpcore.NetworkStream, clock: Callable[[], float]) -> None:
        self._inner = inner
        self._clock = clock

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _remaining(self._clock, timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _remaining(self._clock, timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        limit = _remaining(self._clock, timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(
            self._inner.start_tls(ssl_context, server_hostname, limit), self._clock
        )

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _PinnedBackend(httpcore.NetworkBackend):
    """Opens TCP connections only to the addresses the guard checked for this host and port."""

    def __init__(self, check: Callable[[str, int], list[str]], clock: Callable[[], float]) -> None:
        self._inner = httpcore.SyncBackend()
        self._check = check
        self._clock = clock

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        pins = (_state.pins or {}).get((host, port))
        # No pin means a path `get` did not foresee: check here rather than connect unchecked.
        addresses = pins if pins is not None else self._check(host, port)
        error: Exception = httpcore.ConnectError(f"no address for {host}")
        for address in addresses:
            limit = _remaining(self._clock, timeout, httpcore.ConnectTimeout)
            try:
                stream = self._inner.connect_tcp(
                    address, port, limit, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
                continue
            return _DeadlineStream(stream, self._clock)
        raise error


class _CoreBody(httpx.SyncByteStream):
    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def __iter__(self) -> Iterator[bytes]:
        yield from self._stream

    def close(self) -> None:
        if hasattr(self._stream, "close"):
            self._stream.close()


class _PinnedTransport(httpx.BaseTransport):
    """httpx's HTTPTransport, minus proxies and environment, over the pinned backend.

    Written out rather than subclassed because HTTPTransport keeps its pool in a private attribute:
    swapping it would silently stop pinning if httpx renamed it. httpcore errors are left as they
    are; `_classify` reads both families."""

    def __init__(self, backend: httpcore.NetworkBackend, ca_bundle: str | None) -> None:
        context = (
            ssl.create_default_context(cafile=ca_bundle)
            if ca_bundle
            else httpx.create_ssl_context()
        )
        self._pool = httpcore.ConnectionPool(
            ssl_context=context,
            max_connections=100,
            keepalive_expiry=5.0,
            network_backend=backend,
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.SyncByteStream)
        core = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        resp = self._pool.handle_request(core)
        return httpx.Response(
            resp.status,
            headers=resp.headers,
            stream=_CoreBody(resp.stream),
            extensions=resp.extensions,
        )

    def close(self) -> None:
        self._pool.close()


@dataclass
class _Slot:
    lock: threading.Lock = field(default_factory=threading.Lock)
    last: float = float("-inf")


class _HostSlots:
    """Per-host politeness: one request in flight per host, `delay` between the end of one request
    and the start of the next. Waiting threads queue on the host's lock, not on a global one."""

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


class HttpClient:
    """The guarded client. Thread-safe: one instance serves a whole run and its thread pool.

    `transport` replaces the network (httpx.MockTransport in tests); the address guard still runs
    on every hop, with `resolver` standing in for DNS. `sleep` and `clock` are injectable so retry
    tests do not wait; `rng` makes jitter reproducible."""

    def __init__(
        self,
        settings: HttpSettings,
        *,
        transport: httpx.BaseTransport | None = None,
        resolver: Resolver = system_resolver,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        self.settings = settings
        self._resolver = resolver
        self._sleep = sleep
        self._clock = clock
        # Jitter only spreads retries in time; it has nothing to do with secrecy.
        self._rng = rng or random.Random()  # noqa: S311
        self._slots = _HostSlots(clock, sleep)
        s = settings
        self._transport = transport or _PinnedTransport(
            _PinnedBackend(self._check, clock), s.ca_bundle
        )
        # Builds requests (default headers, timeouts, cookies); sending goes straight to the
        # transport, see `_send`.
        self._client = httpx.Client(
            transport=self._transport,
            # No proxies, no .netrc credentials from the environment: the guard must see the
            # real destination, and nothing of ours may be sent to a site we were pointed at.
            trust_env=False,
            timeout=httpx.Timeout(
                connect=s.connect_timeout,
                read=s.read_timeout,
                write=s.read_timeout,
                pool=s.connect_timeout,
            ),
            headers={
                "User-Agent": s.user_agent,
                "Accept-Encoding": ACCEPT_ENCODING,
                "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            },
        )

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def get(
        self, url: str, headers: Mapping[str, str] | None = None, *, delay: float | None = None
    ) -> Fetched:
        """GET `url`, following up to `max_redirects` guarded hops.

        Returns 2xx and 304 (conditional GET: pass If-None-Match / If-Modified-Since) as `Fetched`
        with the decoded body and lower-case header names; raises FetchError otherwise. `delay`
        overrides the settings' per-host delay (a source's own politeness). A URL refused before
        any request (bad scheme, credentials) fails with attempts=0."""
        try:
            target = _check_url(url)
        except _Failed as failed:
            raise FetchError(url, failed.failure, failed.detail, attempts=0) from None
        wanted = {k: v for k, v in (headers or {}).items() if k.lower() not in _RESERVED_HEADERS}
        pause = self.settings.host_delay if delay is None else delay
        attempts = 0
        while True:
            attempts += 1
            try:
                return self._attempt(url, target, wanted, pause)
            except _Failed as failed:
                self._sleep(self._plan_retry(url, failed, attempts))

    def _plan_retry(self, url: str, failed: _Failed, attempts: int) -> float:
        """Seconds to wait before the next attempt, or raise the final FetchError."""
        s = self.settings
        after = failed.retry_after
        exhausted = not failed.retryable or attempts > s.retries
        if (after is not None and after > s.retry_after_cap) or (
            exhausted and failed.failure is FailureClass.RATE_LIMITED
        ):
            wait = after if after is not None else self._backoff(attempts)
            retry_at = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=wait)
            raise RateLimited(url, f"{failed.detail}; retry after {wait:.0f}s", attempts, retry_at)
        if exhausted:
            raise FetchError(url, failed.failure, failed.detail, attempts)
        return after if after is not None else self._backoff(attempts)

    def _backoff(self, attempt: int) -> float:
        ceiling = min(self.settings.backoff_max, self.settings.backoff_base * 2.0 ** (attempt - 1))
        # "Equal jitter": at least half the backoff so retries stay spaced out; the random half
        # spreads apart the workers that failed together.
        return ceiling / 2 + self._rng.uniform(0, ceiling / 2)

    def _check(self, host: str, port: int) -> list[str]:
        s = self.settings
        return resolve_checked(host, port, s.allow_addresses, s.allow_ports, self._resolver)

    def _attempt(
        self, url: str, target: httpx.URL, headers: dict[str, str], pause: float
    ) -> Fetched:
        _state.deadline = self._clock() + self.settings.total_deadline
        _state.pins = {}
        try:
            for _hop in range(self.settings.max_redirects + 1):
                result = self._hop(url, target, headers, pause)
                if isinstance(result, Fetched):
                    return result
                if (result.scheme, result.raw_host, result.port) != (
                    target.scheme,
                    target.raw_host,
                    target.port,
                ):
                    headers = {
                        k: v for k, v in headers.items() if k.lower() not in _PRIVATE_HEADERS
                    }
                target = result
            raise _Failed(
                FailureClass.TOO_MANY_REDIRECTS,
                f"more than {self.settings.max_redirects} redirects",
            )
        finally:
            _state.deadline = None
            _state.pins = None

    def _hop(
        self, url: str, target: httpx.URL, headers: dict[str, str], pause: float
    ) -> Fetched | httpx.URL:
        """One request: guard, wait for the host's turn, send, and conclude (a record or a hop)."""
        host = target.raw_host.decode("ascii")
        port = target.port or (443 if target.scheme == "https" else 80)
        try:
            pins = self._check(host, port)
        except AddressRefused as exc:
            raise _classify(exc, in_body=False) from None
        assert _state.pins is not None and _state.deadline is not None
        _state.pins[(host, port)] = pins
        with self._slots.hold(host, pause) as queued:
            _state.deadline += queued  # waiting for our turn is politeness, not server slowness
            response = self._send(target, headers)
            try:
                return self._conclude(url, target, response)
            finally:
                response.close()

    def _send(self, target: httpx.URL, headers: dict[str, str]) -> httpx.Response:
        """Straight to the transport: `Client.send` would pre-build the redirect request and
        raise on a Location it cannot parse ("data:..."), losing the response we must classify."""
        request = self._client.build_request("GET", target, headers=headers)
        try:
            response = self._transport.handle_request(request)
        except _NETWORK_ERRORS as exc:
            raise self._failure(exc, in_body=False) from None
        response.request = request
        self._client.cookies.extract_cookies(response)
        return response

    def _conclude(
        self, url: str, target: httpx.URL, response: httpx.Response
    ) -> Fetched | httpx.URL:
        status = response.status_code
        if status in REDIRECTS:
            return _next_hop(target, response)
        if 200 <= status < 300 or status == 304:
            body = self._read_body(response) if status != 304 else b""
            return _fetched(url, target, response, body)
        detail = f"HTTP {status}"
        if status in RETRY_STATUSES:
            after = _retry_after(response.headers.get("retry-after"))
            failure = _status_class(status)
            raise _Failed(failure, detail, retryable=True, retry_after=after)
        if 400 <= status < 600:
            raise _Failed(_status_class(status), detail)
        raise _Failed(FailureClass.UNSUPPORTED, detail)

    def _read_body(self, response: httpx.Response) -> bytes:
        limit = self.settings.max_bytes
        declared = response.headers.get("content-length", "").strip()
        if declared.isdigit() and int(declared) > limit:
            raise _Failed(FailureClass.TOO_LARGE, f"Content-Length {declared} > {limit}")
        try:
            decoder = BodyDecoder(_parse_encodings(response.headers.get("content-encoding", "")))
        except BadEncoding as exc:
            raise _Failed(FailureClass.UNSUPPORTED, str(exc)) from None
        body = bytearray()
        wire = 0
        try:
            for chunk in response.iter_raw():
                wire += len(chunk)
                for piece in decoder.feed(chunk):
                    body += piece
                    if len(body) > limit:
                        raise _Failed(FailureClass.TOO_LARGE, f"body over {limit} bytes decoded")
                # Also on the wire: endless empty deflate blocks would never grow the body.
                if wire > limit:
                    raise _Failed(FailureClass.TOO_LARGE, f"body over {limit} bytes on the wire")
                self._check_deadline()
            decoder.finish()
        except BodyTruncated as exc:
            raise _Failed(FailureClass.TRUNCATED, str(exc)) from None
        except _NETWORK_ERRORS as exc:
            raise self._failure(exc, in_body=True) from None
        return bytes(body)

    def _failure(self, exc: BaseException, *, in_body: bool) -> _Failed:
        failed = _classify(exc, in_body=in_body)
        if failed.failure is FailureClass.TIMEOUT and self._deadline_passed():
            # The socket timeout fired because we shortened it to the deadline: say which.
            failed = _Failed(FailureClass.TIMEOUT, "total deadline exceeded")
        return failed

    def _deadline_passed(self) -> bool:
        return _state.deadline is not None and self._clock() >= _state.deadline

    def _check_deadline(self) -> None:
        # The socket layer enforces the deadline on real connections; this covers transports that
        # do not go through it (injected ones) and chunks that arrive just in time.
        if self._deadline_passed():
            raise _Failed(FailureClass.TIMEOUT, "total deadline exceeded")


_CORE_ERRORS = (
    httpcore.TimeoutException,
    httpcore.NetworkError,
    httpcore.ProtocolError,
    httpcore.UnsupportedProtocol,
)
_NETWORK_ERRORS = (httpx.TransportError, AddressRefused, OSError, *_CORE_ERRORS)


# An IDNA-encoded name or IPv4 spelling, or a bracket-less IPv6 with an optional "%25" zone id.
# httpx lets spaces and other junk through (percent-encoded) to the resolver.
_HOST_CHARS = re.compile(rb"[A-Za-z0-9._-]+|[0-9A-Fa-f:.]+(?:%25[A-Za-z0-9._-]+)?")


def _check_url(text: str) -> httpx.URL:
    """Parse a URL we were given or redirected to; only http(s), a host, and no credentials."""
    try:
        url = httpx.URL(text)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise _Failed(FailureClass.BAD_URL, f"invalid URL: {exc}") from None
    if url.scheme not in ("http", "https"):
        raise _Failed(FailureClass.BAD_SCHEME, f"scheme {url.scheme!r} refused")
    if url.userinfo:
        # Credentials in data-supplied URLs are either a leak or a trick ("http://good@evil/").
        raise _Failed(FailureClass.BAD_URL, "credentials in URL refused")
    if not _HOST_CHARS.fullmatch(url.raw_host):
        raise _Failed(FailureClass.BAD_URL, f"bad host {url.raw_host!r}")
    return url


def _next_hop(target: httpx.URL, response: httpx.Response) -> httpx.URL:
    location = response.headers.get("location", "").strip()
    if not location:
        raise _Failed(FailureClass.UNSUPPORTED, f"HTTP {response.status_code} without Location")
    try:
        joined = target.join(location)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise _Failed(FailureClass.BAD_URL, f"invalid redirect {location!r}: {exc}") from None
    return _check_url(str(joined))


def _status_class(status: int) -> FailureClass:
    if status == 429:
        return FailureClass.RATE_LIMITED
    return FailureClass.HTTP_5XX if status >= 500 else FailureClass.HTTP_4XX


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header: delta-seconds or an HTTP date; None if absent or junk."""
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
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


def _fetched(url: str, target: httpx.URL, response: httpx.Response, body: bytes) -> Fetched:
    headers: dict[str, str] = {}
    for name, value in response.headers.multi_items():
        key = name.lower()
        if key not in _WIRE_HEADERS:
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return Fetched(
        url=url,
        final_url=str(target),
        status=response.status_code,
        headers=headers,
        body=body,
        sha256=hashlib.sha256(body).hexdigest(),
        fetched_at=dt.datetime.now(dt.UTC),
        content_type=headers.get("content-type", ""),
    )


def _classify(exc: BaseException, *, in_body: bool) -> _Failed:
    """A network exception (httpx's or httpcore's family) → failure class and retryability."""
    detail = str(exc) or type(exc).__name__
    if isinstance(exc, AddressRefused):
        failure = FailureClass.DNS if exc.dns_failure else FailureClass.BLOCKED_ADDRESS
        return _Failed(failure, exc.detail)
    # During the handshake an SSL error is a certificate or protocol refusal: never retried
    # (and never retried without verification). Mid-body it is just a cut connection.
    if not in_body and _cause(exc, ssl.SSLError) is not None:
        return _Failed(FailureClass.TLS, detail)
    if isinstance(exc, httpx.ConnectTimeout | httpcore.ConnectTimeout):
        return _Failed(FailureClass.TIMEOUT, detail, retryable=True)
    if isinstance(exc, httpx.TimeoutException | httpcore.TimeoutException):
        # A slow server is not retried: it would hold a worker for several deadlines.
        return _Failed(FailureClass.TIMEOUT, detail)
    if in_body:
        return _Failed(FailureClass.TRUNCATED, detail)
    refused = _cause(exc, ConnectionRefusedError) is not None
    failure = FailureClass.REFUSED if refused else FailureClass.CONNECTION
    return _Failed(failure, detail, retryable=True)


def _cause(exc: BaseException, kind: type[BaseException]) -> BaseException | None:
    """The first exception of `kind` in the chain httpx and httpcore build with `raise ... from`."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, kind):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None
