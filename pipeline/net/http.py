"""The fetch stage's only door to the network, and the only module that imports httpx.

Takes a URL (from data: feeds, listings, policy entries) and gives a `Fetched` record, or raises
`FetchError` with a `FailureClass` and the number of attempts; a GET, or a platform's form POST
(`request`), with cookies only inside a source's session (`session()`, session.py). On the way it:

- refuses every address that is not public, by the resolved IP, on every redirect hop, before any
  connection is made (guard.py), and connects to exactly the checked IP (pin.py), so DNS
  rebinding between check and connect is impossible. The URL keeps its host name, so the Host
  header, TLS SNI and the certificate check use the name while the socket goes to the pinned IP;
- enforces a total deadline per request on every socket read and write (pin.py), so a server
  trickling one byte at a time, body or headers, is cut although no single read times out;
- caps the body after decompression (body.py), refuses a huge Content-Length before reading,
  and classifies cut bodies as TRUNCATED;
- retries 408/429/5xx and connection failures with jittered backoff, honours Retry-After up to a
  cap and defers longer waits to the next run (`RateLimited.retry_at`);
- keeps at most one request in flight per host, with a minimum delay between them (politeness.py).

`RobotsCache` (robots.py) is re-exported here, so fetchers need only this module.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import re
import ssl
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from http.cookiejar import CookieJar
from types import TracebackType

import httpx

from pipeline.errors import FailureClass, FetchError
from pipeline.models import Fetched
from pipeline.net import pin
from pipeline.net.body import (
    ACCEPT_ENCODING,
    BadEncoding,
    BodyDecoder,
    BodyTruncated,
    declared_over,
)
from pipeline.net.body import parse_encodings as _parse_encodings
from pipeline.net.guard import AddressRefused, Resolver, resolve_checked, system_resolver
from pipeline.net.politeness import HostSlots, backoff_delay, defer_until, retry_after_seconds
from pipeline.net.robots import RobotsCache
from pipeline.net.session import Call, HttpSession
from pipeline.net.settings import (
    REDIRECTS,
    RETRY_STATUSES,
    AttemptFailed,
    HttpSettings,
    RateLimited,
    cause,
    status_class,
)

__all__ = ["HttpClient", "HttpSession", "HttpSettings", "RateLimited", "RobotsCache"]

# Never forwarded to another origin on a redirect: they authenticate us to the first one only.
_PRIVATE_HEADERS = frozenset({"authorization", "cookie", "proxy-authorization"})
# Set by us only: a caller's Host would address another virtual host than the one we checked, and
# a caller's Accept-Encoding could ask for an encoding we cannot decode safely.
_RESERVED_HEADERS = frozenset({"host", "accept-encoding"})
# Describe the wire form, not the decoded body we return.
_WIRE_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


@dataclass(frozen=True)
class _Hop:
    url: httpx.URL
    status: int


class _CoreBody(httpx.SyncByteStream):
    def __init__(self, stream: Iterable[bytes]) -> None:
        self._stream = stream

    def __iter__(self) -> Iterator[bytes]:
        yield from self._stream

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close is not None:
            close()


class _PinnedTransport(httpx.BaseTransport):
    """httpx requests over pin's pinned pool. Written out rather than an HTTPTransport with its
    pool swapped: that pool is a private attribute, and if httpx renamed it pinning would silently
    stop. httpcore's errors pass through untranslated; `_classify` reads both families."""

    def __init__(self, pool: pin.PinnedPool) -> None:
        self._pool = pool

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.SyncByteStream)
        url = request.url
        status, headers, stream, extensions = self._pool.send(
            (url.raw_scheme, url.raw_host, url.port, url.raw_path),
            request.headers.raw,
            request.stream,
            dict(request.extensions),
            method=request.method.encode("ascii"),
        )
        return httpx.Response(
            status, headers=headers, stream=_CoreBody(stream), extensions=extensions
        )

    def close(self) -> None:
        self._pool.close()


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
        self._slots = HostSlots(clock, sleep)
        self._resolve = {host: (ip, port) for host, ip, port in settings.resolve}
        s = settings
        self._transport = transport or _PinnedTransport(
            pin.PinnedPool(self._check, clock, _ssl_context(s.ca_bundle))
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
        return self.request("GET", url, headers=headers, delay=delay)

    def request(
        self,
        method: str,
        url: str,
        *,
        data: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        delay: float | None = None,
        jar: CookieJar | None = None,
    ) -> Fetched:
        """`get`'s path for a GET or a form POST (`data`, sent url-encoded), under the same guard,
        deadlines, caps, retries and politeness. `jar` is a session's cookie jar (session.py):
        cookies are sent and kept only with one; without it no cookie is ever stored. A platform's
        POSTs are searches and logins, which are safe to repeat, so they retry like GETs; a 301,
        302 or 303 answering a POST is followed with a GET, as browsers do (RFC 9110 §15.4)."""
        if method not in ("GET", "POST"):
            raise ValueError(f"unsupported method {method!r}")
        try:
            target = _check_url(url)
        except AttemptFailed as failed:
            raise FetchError(url, failed.failure, failed.detail, attempts=0) from None
        wanted = {k: v for k, v in (headers or {}).items() if k.lower() not in _RESERVED_HEADERS}
        pause = self.settings.host_delay if delay is None else delay
        call = Call(method, dict(data) if data is not None else None, jar)
        attempts = 0
        while True:
            attempts += 1
            try:
                return self._attempt(url, target, wanted, pause, call)
            except AttemptFailed as failed:
                self._sleep(self._plan_retry(url, failed, attempts))

    def session(self) -> HttpSession:
        """A client of one source's run with its own cookie jar (a platform's login, a JSF
        session id): cookies never cross to another source, and go only to the hosts that set
        them."""
        return HttpSession(self)

    def _plan_retry(self, url: str, failed: AttemptFailed, attempts: int) -> float:
        """Seconds to wait before the next attempt, or raise the final FetchError."""
        s = self.settings
        after = failed.retry_after
        exhausted = not failed.retryable or attempts > s.retries
        if (after is not None and after > s.retry_after_cap) or (
            exhausted and failed.failure is FailureClass.RATE_LIMITED
        ):
            wait = after if after is not None else self._backoff(attempts)
            retry_at = defer_until(wait, s.max_defer)
            detail = f"{failed.detail}; retry after {retry_at:%Y-%m-%d %H:%M} UTC"
            raise RateLimited(url, detail, attempts, retry_at)
        if exhausted:
            raise FetchError(url, failed.failure, failed.detail, attempts)
        return after if after is not None else self._backoff(attempts)

    def _backoff(self, attempt: int) -> float:
        return backoff_delay(
            attempt, self.settings.backoff_base, self.settings.backoff_max, self._rng
        )

    def _check(self, host: str, port: int) -> list[str]:
        s = self.settings
        return resolve_checked(host, port, s.allow_addresses, s.allow_ports, self._resolver)

    def _attempt(
        self, url: str, target: httpx.URL, headers: dict[str, str], pause: float, call: Call
    ) -> Fetched:
        with pin.request_scope(self._clock() + self.settings.total_deadline) as pins:
            for _hop in range(self.settings.max_redirects + 1):
                hop = self._hop(url, target, headers, pause, pins, call)
                if isinstance(hop, Fetched):
                    return hop
                call = call.redirected(hop.status)
                result = hop.url
                if (result.scheme, result.raw_host, result.port) != (
                    target.scheme,
                    target.raw_host,
                    target.port,
                ):
                    headers = {
                        k: v for k, v in headers.items() if k.lower() not in _PRIVATE_HEADERS
                    }
                target = result
        raise AttemptFailed(
            FailureClass.TOO_MANY_REDIRECTS, f"more than {self.settings.max_redirects} redirects"
        )

    def _hop(
        self,
        url: str,
        target: httpx.URL,
        headers: dict[str, str],
        pause: float,
        pins: pin.Pins,
        call: Call,
    ) -> Fetched | _Hop:
        """One request: guard, wait for the host's turn, send, and conclude (a record or a hop)."""
        host = target.raw_host.decode("ascii")
        wire, headers = self._wire(target, headers)
        port = wire.port or (443 if wire.scheme == "https" else 80)
        try:
            address = self._resolve[host][0] if host in self._resolve else host
            pins[(host, port)] = self._check(address, port)
        except AddressRefused as exc:
            raise _classify(exc, in_body=False) from None
        with self._slots.hold(host, pause) as queued:
            pin.extend_deadline(queued)  # waiting our turn is politeness, not server slowness
            response = self._send(target, wire, headers, call)
            try:
                return self._conclude(url, target, response)
            finally:
                response.close()

    def _wire(self, target: httpx.URL, headers: dict[str, str]) -> tuple[httpx.URL, dict[str, str]]:
        """Where the request really goes: `target` itself, or for a host of the resolve map its
        address and port in plain HTTP, with the real host kept in the Host header (the URL we
        record, redirects and cookies stay the real ones: only the socket moves)."""
        mapped = self._resolve.get(target.raw_host.decode("ascii"))
        if mapped is None:
            return target, headers
        host = target.raw_host.decode("ascii")
        return target.copy_with(scheme="http", port=mapped[1]), {**headers, "Host": host}

    def _send(
        self, target: httpx.URL, wire: httpx.URL, headers: dict[str, str], call: Call
    ) -> httpx.Response:
        """Straight to the transport: `Client.send` would pre-build the redirect request and
        raise on a Location it cannot parse ("data:..."), losing the response we must classify.
        Cookies are matched against the real `target`, never the resolve map's `wire` address."""
        request = self._client.build_request(call.method, wire, headers=headers, data=call.data)
        real = self._client.build_request(call.method, target) if call.jar is not None else None
        if real is not None and call.jar is not None:
            httpx.Cookies(call.jar).set_cookie_header(real)
            if "cookie" in real.headers and "cookie" not in request.headers:
                request.headers["Cookie"] = real.headers["cookie"]
        try:
            response = self._transport.handle_request(request)
        except _NETWORK_ERRORS as exc:
            raise self._failure(exc, in_body=False) from None
        response.request = request
        if real is not None and call.jar is not None:
            httpx.Cookies(call.jar).extract_cookies(
                httpx.Response(response.status_code, headers=response.headers, request=real)
            )
        return response

    def _conclude(self, url: str, target: httpx.URL, response: httpx.Response) -> Fetched | _Hop:
        status = response.status_code
        if status in REDIRECTS:
            return _Hop(_next_hop(target, response), status)
        if 200 <= status < 300 or status == 304:
            body = self._read_body(response) if status != 304 else b""
            return _fetched(url, target, response, body)
        detail = f"HTTP {status}"
        if status in RETRY_STATUSES:
            after = retry_after_seconds(response.headers.get("retry-after"))
            failure = status_class(status)
            raise AttemptFailed(failure, detail, retryable=True, retry_after=after)
        if 400 <= status < 600:
            raise AttemptFailed(status_class(status), detail)
        raise AttemptFailed(FailureClass.UNSUPPORTED, detail)

    def _read_body(self, response: httpx.Response) -> bytes:
        limit = self.settings.max_bytes
        declared = response.headers.get("content-length", "").strip()
        if declared_over(declared, limit):
            raise AttemptFailed(FailureClass.TOO_LARGE, f"Content-Length {declared} > {limit}")
        try:
            decoder = BodyDecoder(_parse_encodings(response.headers.get("content-encoding", "")))
        except BadEncoding as exc:
            raise AttemptFailed(FailureClass.UNSUPPORTED, str(exc)) from None
        body = bytearray()
        wire = 0
        try:
            for chunk in response.iter_raw():
                wire += len(chunk)
                for piece in decoder.feed(chunk):
                    body += piece
                    if len(body) > limit:
                        raise AttemptFailed(
                            FailureClass.TOO_LARGE, f"body over {limit} bytes decoded"
                        )
                # Also on the wire: endless empty deflate blocks would never grow the body.
                if wire > limit:
                    raise AttemptFailed(
                        FailureClass.TOO_LARGE, f"body over {limit} bytes on the wire"
                    )
                self._check_deadline()
            decoder.finish()
        except BodyTruncated as exc:
            raise AttemptFailed(FailureClass.TRUNCATED, str(exc)) from None
        except _NETWORK_ERRORS as exc:
            raise self._failure(exc, in_body=True) from None
        return bytes(body)

    def _failure(self, exc: BaseException, *, in_body: bool) -> AttemptFailed:
        failed = _classify(exc, in_body=in_body)
        if failed.failure is FailureClass.TIMEOUT and self._deadline_passed():
            # The socket timeout fired because we shortened it to the deadline: say which.
            failed = AttemptFailed(FailureClass.TIMEOUT, "total deadline exceeded")
        return failed

    def _deadline_passed(self) -> bool:
        return pin.deadline_passed(self._clock)

    def _check_deadline(self) -> None:
        # The socket layer enforces the deadline on real connections; this covers transports that
        # do not go through it (injected ones) and chunks that arrive just in time.
        if self._deadline_passed():
            raise AttemptFailed(FailureClass.TIMEOUT, "total deadline exceeded")


_NETWORK_ERRORS: tuple[type[Exception], ...] = (
    httpx.TransportError,
    AddressRefused,
    OSError,
    *pin.ERRORS,
)


# An IDNA-encoded name or IPv4 spelling, or a bracket-less IPv6 with an optional "%25" zone id.
# httpx lets spaces and other junk through (percent-encoded) to the resolver.
_HOST_CHARS = re.compile(rb"[A-Za-z0-9._-]+|[0-9A-Fa-f:.]+(?:%25[A-Za-z0-9._-]+)?")


def _ssl_context(ca_bundle: str | None) -> ssl.SSLContext:
    if ca_bundle:
        return ssl.create_default_context(cafile=ca_bundle)
    return httpx.create_ssl_context()  # certifi's CAs, verification on


def _check_url(text: str) -> httpx.URL:
    """Parse a URL we were given or redirected to; only http(s), a host, and no credentials."""
    try:
        url = httpx.URL(text)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise AttemptFailed(FailureClass.BAD_URL, f"invalid URL: {exc}") from None
    if url.scheme not in ("http", "https"):
        raise AttemptFailed(FailureClass.BAD_SCHEME, f"scheme {url.scheme!r} refused")
    if url.userinfo:
        # Credentials in data-supplied URLs are either a leak or a trick ("http://good@evil/").
        raise AttemptFailed(FailureClass.BAD_URL, "credentials in URL refused")
    if not _HOST_CHARS.fullmatch(url.raw_host):
        raise AttemptFailed(FailureClass.BAD_URL, f"bad host {url.raw_host!r}")
    return url


def _next_hop(target: httpx.URL, response: httpx.Response) -> httpx.URL:
    location = response.headers.get("location", "").strip()
    if not location:
        raise AttemptFailed(
            FailureClass.UNSUPPORTED, f"HTTP {response.status_code} without Location"
        )
    try:
        joined = target.join(location)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise AttemptFailed(FailureClass.BAD_URL, f"invalid redirect {location!r}: {exc}") from None
    return _check_url(str(joined))


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


def _classify(exc: BaseException, *, in_body: bool) -> AttemptFailed:
    """A network exception (httpx's or httpcore's family) → failure class and retryability."""
    detail = str(exc) or type(exc).__name__
    if isinstance(exc, AddressRefused):
        failure = FailureClass.DNS if exc.dns_failure else FailureClass.BLOCKED_ADDRESS
        return AttemptFailed(failure, exc.detail)
    # During the handshake an SSL error is a certificate or protocol refusal: never retried
    # (and never retried without verification). Mid-body it is just a cut connection.
    if not in_body and cause(exc, ssl.SSLError) is not None:
        return AttemptFailed(FailureClass.TLS, detail)
    if isinstance(exc, (httpx.ConnectTimeout, *pin.CONNECT_TIMEOUTS)):
        return AttemptFailed(FailureClass.TIMEOUT, detail, retryable=True)
    if isinstance(exc, (httpx.TimeoutException, *pin.TIMEOUTS)):
        # A slow server is not retried: it would hold a worker for several deadlines.
        return AttemptFailed(FailureClass.TIMEOUT, detail)
    if in_body:
        return AttemptFailed(FailureClass.TRUNCATED, detail)
    refused = cause(exc, ConnectionRefusedError) is not None
    failure = FailureClass.REFUSED if refused else FailureClass.CONNECTION
    return AttemptFailed(failure, detail, retryable=True)
