"""The socket layer under `http.py` (the only module importing httpcore, httpx's engine).

Takes the addresses the SSRF guard checked for a hop and the request's total deadline; gives an
httpcore connection pool whose TCP connections go only to those addresses and whose every socket
read, write and TLS handshake is bounded by what is left of the deadline.

Why here and not in httpx's options: httpx resolves the host again when it connects (a DNS
rebinding window between our check and its connect), and its timeouts are per socket operation (a
server trickling one byte every 0.8 s never trips them). Pinning works by keeping the URL's host
name for the Host header, TLS SNI and certificate check, while `connect_tcp` receives that name and
dials the checked IP instead.
"""

from __future__ import annotations

import ssl
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import httpcore

Pins = dict[tuple[str, int], list[str]]
Headers = list[tuple[bytes, bytes]]

# The httpcore exceptions `http.py` classifies (it never names httpcore itself).
CONNECT_TIMEOUTS: tuple[type[Exception], ...] = (httpcore.ConnectTimeout,)
TIMEOUTS: tuple[type[Exception], ...] = (httpcore.TimeoutException,)
ERRORS: tuple[type[Exception], ...] = (
    httpcore.TimeoutException,
    httpcore.NetworkError,
    httpcore.ProtocolError,
    httpcore.UnsupportedProtocol,
)


# Thread-local because httpcore's sync pool connects and reads in the calling thread, and a
# connection serves one request at a time: the state of "the request running in this thread".
class _RequestState(threading.local):
    deadline: float | None = None
    pins: Pins | None = None


_state = _RequestState()


@contextmanager
def request_scope(deadline: float) -> Iterator[Pins]:
    """Run one request (all its hops) under `deadline`; yields the pins to fill before each hop."""
    _state.deadline = deadline
    _state.pins = {}
    try:
        yield _state.pins
    finally:
        _state.deadline = None
        _state.pins = None


def extend_deadline(seconds: float) -> None:
    """Move the current deadline (time spent queueing politely is not the server's)."""
    if _state.deadline is not None:
        _state.deadline += seconds


def deadline_passed(clock: Callable[[], float]) -> bool:
    return _state.deadline is not None and clock() >= _state.deadline


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
        inner = self._inner.start_tls(ssl_context, server_hostname, limit)
        return _DeadlineStream(inner, self._clock)

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
        # No pin means a path `http.py` did not foresee: check here rather than connect unchecked.
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


class PinnedPool:
    """A connection pool over the pinned backend. No proxies and no environment: nothing may stand
    between the guard's check and the connection."""

    def __init__(
        self,
        check: Callable[[str, int], list[str]],
        clock: Callable[[], float],
        ssl_context: ssl.SSLContext,
    ) -> None:
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context,
            max_connections=100,
            keepalive_expiry=5.0,
            network_backend=_PinnedBackend(check, clock),
        )

    def send(
        self,
        url: tuple[bytes, bytes, int | None, bytes],
        headers: Headers,
        content: Iterable[bytes],
        extensions: dict[str, Any],
        method: bytes = b"GET",
    ) -> tuple[int, Headers, Iterable[bytes], dict[str, Any]]:
        """`method` (GET, or a form's POST) `url` (scheme, host, port, target) → status,
        headers, body stream, extensions."""
        scheme, host, port, target = url
        request = httpcore.Request(
            method=method,
            url=httpcore.URL(scheme=scheme, host=host, port=port, target=target),
            headers=headers,
            content=content,
            extensions=extensions,
        )
        response = self._pool.handle_request(request)
        assert isinstance(response.stream, Iterable)
        return response.status, response.headers, response.stream, dict(response.extensions)

    def close(self) -> None:
        self._pool.close()
