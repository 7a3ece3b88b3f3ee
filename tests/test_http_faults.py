"""HttpClient against a hostile or broken server: every fault ends in one FailureClass, quickly,
with bounded memory, and leaves the client usable for the next URL (RELIABILITY.md, Fetching)."""

from __future__ import annotations

import datetime as dt
import gzip
import ipaddress
import socket
import time
import tracemalloc
import zlib
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from faultserver import (
    FaultServer,
    Route,
    bomb,
    cut_body,
    encoded,
    endless,
    gzip_cut,
    hang,
    ok,
    response,
    status,
    trickle_body,
    trickle_headers,
    unterminated_chunked,
)
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from pipeline.errors import FailureClass, FetchError
from pipeline.net.body import BodyDecoder, BodyTruncated
from pipeline.net.http import HttpClient, HttpSettings, RateLimited
from pipeline.net.politeness import retry_after_seconds

LOOPBACK = (ipaddress.ip_network("127.0.0.1/32"),)
MB = 1024 * 1024


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def make_client(sleep: Any = None, **overrides: Any) -> HttpClient:
    base: dict[str, Any] = {
        "user_agent": "ObservatoryBot/0.1 (+mailto:test@example.org)",
        "allow_addresses": LOOPBACK,
        "host_delay": 0.0,
        "connect_timeout": 1.0,
        "read_timeout": 2.0,
        "total_deadline": 5.0,
        "max_bytes": MB,
        "retries": 2,
    }
    base.update(overrides)
    return HttpClient(HttpSettings(**base), sleep=sleep if sleep is not None else Sleeps())


def fails(client: HttpClient, url: str) -> FetchError:
    with pytest.raises(FetchError) as info:
        client.get(url)
    return info.value


def sequence(*routes: Route) -> Route:
    """A route answering with each of `routes` in turn (the last one repeats)."""
    calls = iter(range(1_000_000))

    def route(conn: socket.socket, srv: FaultServer) -> None:
        routes[min(next(calls), len(routes) - 1)](conn, srv)

    return route


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer() as srv:
        srv.routes["/fine"] = ok(b"<p>still fine</p>")
        yield srv


def still_works(client: HttpClient, server: FaultServer) -> None:
    assert client.get(server.url("/fine")).body == b"<p>still fine</p>"


# --- time -------------------------------------------------------------------------------------


def test_server_that_never_answers_times_out(server: FaultServer) -> None:
    server.routes["/hang"] = hang
    client = make_client(read_timeout=0.5)
    start = time.monotonic()
    err = fails(client, server.url("/hang"))
    assert (err.failure, err.attempts) == (FailureClass.TIMEOUT, 1)  # slow servers not retried
    assert time.monotonic() - start < 2
    still_works(client, server)


@pytest.mark.parametrize("route", [trickle_body, trickle_headers], ids=["body", "headers"])
def test_trickle_is_cut_by_the_total_deadline(server: FaultServer, route: Route) -> None:
    # Each byte arrives well within the read timeout; only the total deadline can stop this.
    server.routes["/trickle"] = route
    client = make_client(read_timeout=2.0, total_deadline=1.5)
    start = time.monotonic()
    err = fails(client, server.url("/trickle"))
    elapsed = time.monotonic() - start
    assert err.failure is FailureClass.TIMEOUT
    assert "deadline" in err.detail
    assert 1.4 < elapsed < 2.5
    still_works(client, server)


def test_deadline_also_holds_for_injected_transports() -> None:
    now = [0.0]

    def slow_body() -> Iterator[bytes]:
        for _ in range(100):
            now[0] += 1.0  # each chunk "takes" a second on the fake clock
            yield b"x"

    transport = httpx.MockTransport(lambda r: httpx.Response(200, content=slow_body()))
    client = HttpClient(
        HttpSettings(user_agent="t", total_deadline=10.0, host_delay=0.0),
        transport=transport,
        resolver=lambda h: ["93.184.216.34"],
        clock=lambda: now[0],
    )
    assert fails(client, "http://example.org/").failure is FailureClass.TIMEOUT


# --- retries ------------------------------------------------------------------------------------


def test_503_with_retry_after_2_waits_for_real_then_succeeds(server: FaultServer) -> None:
    server.routes["/busy"] = sequence(status("503 Service Unavailable", Retry_After="2"), ok(b"ok"))
    client = make_client(sleep=time.sleep)  # the one test that really waits
    start = time.monotonic()
    fetched = client.get(server.url("/busy"))
    assert fetched.body == b"ok"
    assert time.monotonic() - start >= 2.0
    assert len(server.requests) == 2
    assert server.times[1] - server.times[0] >= 2.0


@pytest.mark.parametrize(
    "retry_after",
    [
        "3600",
        (dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)).strftime("%a, %d %b %Y %H:%M:%S GMT"),
    ],
    ids=["seconds", "http-date"],
)
def test_retry_after_beyond_the_cap_defers_to_next_run(
    server: FaultServer, retry_after: str
) -> None:
    server.routes["/later"] = status("429 Too Many Requests", Retry_After=retry_after)
    sleeps = Sleeps()
    client = make_client(sleep=sleeps, retry_after_cap=60)
    with pytest.raises(RateLimited) as info:
        client.get(server.url("/later"))
    err = info.value
    assert (err.failure, err.attempts) == (FailureClass.RATE_LIMITED, 1)
    assert err.retry_at > dt.datetime.now(dt.UTC) + dt.timedelta(minutes=59)
    assert sleeps == []  # no waiting, no hammering
    assert len(server.requests) == 1


def test_429_without_retry_after_backs_off_then_is_rate_limited(server: FaultServer) -> None:
    server.routes["/busy"] = status("429 Too Many Requests")
    sleeps = Sleeps()
    client = make_client(sleep=sleeps, retries=2, backoff_base=1.0)
    err = fails(client, server.url("/busy"))
    assert (err.failure, err.attempts) == (FailureClass.RATE_LIMITED, 3)
    assert isinstance(err, RateLimited)
    assert len(sleeps) == 2


def test_persistent_500_gives_up_after_bounded_retries_with_jittered_backoff(
    server: FaultServer,
) -> None:
    server.routes["/broken"] = status("500 Internal Server Error")
    sleeps = Sleeps()
    client = make_client(sleep=sleeps, retries=3, backoff_base=1.0, backoff_max=3.0)
    err = fails(client, server.url("/broken"))
    assert (err.failure, err.attempts) == (FailureClass.HTTP_5XX, 4)
    assert len(server.requests) == 4
    # Equal jitter: between half and all of base·2^n, capped.
    for n, slept in enumerate(sleeps):
        ceiling = min(3.0, 2.0**n)
        assert ceiling / 2 <= slept <= ceiling
    still_works(client, server)


def test_transient_502_is_retried_to_success(server: FaultServer) -> None:
    server.routes["/flaky"] = sequence(status("502 Bad Gateway"), ok(b"back"))
    assert make_client().get(server.url("/flaky")).body == b"back"


def test_408_is_retried_and_classified_as_4xx(server: FaultServer) -> None:
    server.routes["/slow"] = status("408 Request Timeout")
    err = fails(make_client(retries=1), server.url("/slow"))
    assert (err.failure, err.attempts) == (FailureClass.HTTP_4XX, 2)


def test_refused_connection_is_retried_then_classified(server: FaultServer) -> None:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens here now
    client = make_client(retries=2)
    err = fails(client, f"http://127.0.0.1:{port}/")
    assert (err.failure, err.attempts) == (FailureClass.REFUSED, 3)
    still_works(client, server)


def test_server_closing_without_answer_is_a_connection_failure(server: FaultServer) -> None:
    server.routes["/close"] = lambda conn, srv: None
    err = fails(make_client(retries=1), server.url("/close"))
    assert (err.failure, err.attempts) == (FailureClass.CONNECTION, 2)


# --- truncation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "route",
    [cut_body, unterminated_chunked, gzip_cut],
    ids=["cut-mid-body/wrong-length", "chunked-without-final-chunk", "gzip-cut-in-half"],
)
def test_truncated_bodies_are_classified(server: FaultServer, route: Route) -> None:
    server.routes["/cut"] = route
    client = make_client()
    err = fails(client, server.url("/cut"))
    assert (err.failure, err.attempts) == (FailureClass.TRUNCATED, 1)
    still_works(client, server)


# --- size ---------------------------------------------------------------------------------------


def test_huge_content_length_is_refused_before_reading(server: FaultServer) -> None:
    def liar(conn: socket.socket, srv: FaultServer) -> None:
        conn.sendall(response("200 OK", {"Content-Length": str(10**12)}))
        srv.stopping.wait(10)  # never sends the body: reading it would hang the test

    server.routes["/huge"] = liar
    start = time.monotonic()
    err = fails(make_client(), server.url("/huge"))
    assert err.failure is FailureClass.TOO_LARGE
    assert time.monotonic() - start < 1


def peak_memory_of(call: Any) -> int:
    tracemalloc.start()
    try:
        call()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


@pytest.mark.parametrize(
    "route",
    [endless, bomb(64 * MB), bomb(64 * MB, layers=2)],
    ids=["endless-body", "gzip-bomb", "stacked-gzip-bomb"],
)
def test_oversized_bodies_stop_at_the_decoded_cap_with_bounded_memory(
    server: FaultServer, route: Route
) -> None:
    server.routes["/big"] = route
    client = make_client(max_bytes=MB)
    errors: list[FetchError] = []

    def fetch() -> None:
        errors.append(fails(client, server.url("/big")))

    peak = peak_memory_of(fetch)
    assert errors[0].failure is FailureClass.TOO_LARGE
    assert peak < 6 * MB, peak  # the cap, one piece over it, and the bytearray's slack
    still_works(client, server)


@pytest.mark.parametrize(
    ("encoding", "body"),
    [("br", b"\x0b\x02\x80hi\x03"), ("gzip, gzip, gzip", gzip.compress(b"x")), ("zstd", b"x")],
)
def test_encodings_we_did_not_offer_are_unsupported(
    server: FaultServer, encoding: str, body: bytes
) -> None:
    server.routes["/enc"] = ok(body, Content_Encoding=encoding)
    assert fails(make_client(), server.url("/enc")).failure is FailureClass.UNSUPPORTED


@pytest.mark.parametrize(
    "encodings", [["gzip"], ["deflate"], ["deflate", "gzip"], ["gzip", "gzip"]], ids=str
)
def test_supported_encodings_decode(server: FaultServer, encodings: list[str]) -> None:
    text = "Resolución Ministerial N° 123-2024-MINAM ".encode() * 500
    server.routes["/enc"] = encoded(text, encodings)
    fetched = make_client().get(server.url("/enc"))
    assert fetched.body == text
    assert "content-encoding" not in fetched.headers  # the body we return is decoded


def test_raw_deflate_and_multi_member_gzip_decode(server: FaultServer) -> None:
    raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    server.routes["/raw"] = ok(
        raw.compress(b"raw deflate") + raw.flush(), Content_Encoding="deflate"
    )
    server.routes["/multi"] = ok(
        gzip.compress(b"one ") + gzip.compress(b"two"), Content_Encoding="gzip"
    )
    client = make_client()
    assert client.get(server.url("/raw")).body == b"raw deflate"
    assert client.get(server.url("/multi")).body == b"one two"


def test_a_run_of_faults_leaves_the_client_working(server: FaultServer) -> None:
    faults: dict[str, Route] = {
        "/cut": cut_body,
        "/chunked": unterminated_chunked,
        "/bomb": bomb(8 * MB),
        "/500": status("500 Internal Server Error"),
        "/404": status("404 Not Found"),
    }
    server.routes.update(faults)
    client = make_client(retries=0)
    classes = [fails(client, server.url(path)).failure for path in faults]
    assert classes == [
        FailureClass.TRUNCATED,
        FailureClass.TRUNCATED,
        FailureClass.TOO_LARGE,
        FailureClass.HTTP_5XX,
        FailureClass.HTTP_4XX,
    ]
    still_works(client, server)


# --- the decoder on its own -------------------------------------------------------------------


def decode(encoded_body: bytes, encodings: list[str], chunk: int) -> bytes:
    decoder = BodyDecoder(encodings)
    out = b"".join(
        piece
        for i in range(0, len(encoded_body), chunk)
        for piece in decoder.feed(encoded_body[i : i + chunk])
    )
    decoder.finish()
    return out


@hsettings(max_examples=60, deadline=None)
@given(
    data=st.binary(max_size=5000),
    chunk=st.integers(1, 300),
    kind=st.sampled_from(["gzip", "deflate"]),
)
def test_decoding_any_chunking_round_trips(data: bytes, chunk: int, kind: str) -> None:
    packed = gzip.compress(data) if kind == "gzip" else zlib.compress(data)
    assert decode(packed, [kind], chunk) == data


@hsettings(max_examples=60, deadline=None)
@given(data=st.binary(min_size=1, max_size=3000), cut=st.floats(0.05, 0.95))
def test_any_cut_gzip_stream_is_truncated(data: bytes, cut: float) -> None:
    packed = gzip.compress(data)
    with pytest.raises(BodyTruncated):
        decode(packed[: max(1, int(len(packed) * cut))], ["gzip"], 64)


def test_retry_after_parsing() -> None:
    now = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.UTC)
    assert retry_after_seconds("120", now) == 120.0
    assert retry_after_seconds("Wed, 01 May 2024 12:00:30 GMT", now) == 30.0
    assert retry_after_seconds("Wed, 01 May 2024 11:00:00 GMT", now) == 0.0  # in the past
    assert retry_after_seconds("soon", now) is None
    assert retry_after_seconds("-5", now) is None
    assert retry_after_seconds(None, now) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", 120.0),
        ("0007", 7.0),
        ("999999999999", 365 * 24 * 3600.0),  # 31,700 years: read as "the longest we honour"
        ("9" * 23, 365 * 24 * 3600.0),
        ("9" * 5000, 365 * 24 * 3600.0),  # past what int() accepts
        ("Fri, 31 Dec 9999 23:59:59 GMT", 365 * 24 * 3600.0),
        ("Thu, 01 Jan 1970 00:00:00 GMT", 0.0),  # in the past: now
        ("-5", None),
        ("nan", None),
        ("inf", None),
        ("1e9", None),
        ("3.5", None),
        ("\xb2", None),  # "²" passes str.isdigit()
        ("Fri, 31 Dec 99999 23:59:59 GMT", None),
        ("", None),
    ],
)
def test_retry_after_is_bounded_whatever_the_server_sends(
    value: str, expected: float | None
) -> None:
    assert retry_after_seconds(value) == expected


@pytest.mark.parametrize("value", ["9" * 23, "Fri, 31 Dec 9999 23:59:59 GMT"])
def test_a_deferral_never_goes_past_max_defer(server: FaultServer, value: str) -> None:
    server.routes["/later"] = status("429 Too Many Requests", Retry_After=value)
    client = make_client(max_defer=3600.0)
    err = fails(client, server.url("/later"))
    assert isinstance(err, RateLimited)
    ahead = err.retry_at - dt.datetime.now(dt.UTC)
    assert dt.timedelta(minutes=59) < ahead <= dt.timedelta(hours=1)


@pytest.mark.parametrize(
    ("header", "over"),
    [("100", False), ("1001", True), ("9" * 5000, True), ("\xb2", False), ("-1", False)],
)
def test_a_declared_length_is_read_as_text_first(header: str, over: bool) -> None:
    from pipeline.net.body import declared_over

    assert declared_over(header, 1000) is over
