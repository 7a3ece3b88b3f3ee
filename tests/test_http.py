"""HttpClient: the SSRF guard, URL checks, redirects, conditional GET, TLS pinning, politeness.

All traffic stays on 127.0.0.1; names that must look public "resolve" through an injected resolver.
Faults (hangs, trickles, cut bodies, bombs, retries) are in test_http_faults.py.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from faultserver import FaultServer, ok, redirect, status
from pytest_httpserver import HTTPServer

from pipeline.errors import FailureClass, FetchError
from pipeline.net.guard import is_public, literal_address
from pipeline.net.http import HttpClient, HttpSettings
from pipeline.net.robots import RobotsCache

LOOPBACK = (ipaddress.ip_network("127.0.0.1/32"),)


def settings(**overrides: Any) -> HttpSettings:
    base: dict[str, Any] = {
        "user_agent": "ObservatoryBot/0.1 (+mailto:test@example.org)",
        "allow_addresses": LOOPBACK,
        "host_delay": 0.0,
        "connect_timeout": 2.0,
        "read_timeout": 2.0,
        "total_deadline": 5.0,
    }
    base.update(overrides)
    return HttpSettings(**base)


def make_client(
    resolver: Callable[[str], Sequence[str]] | None = None, **overrides: Any
) -> HttpClient:
    extra: dict[str, Any] = {"sleep": lambda s: None}
    if resolver is not None:
        extra["resolver"] = resolver
    return HttpClient(settings(**overrides), **extra)


def fails(client: HttpClient, url: str, **kw: Any) -> FetchError:
    with pytest.raises(FetchError) as info:
        client.get(url, **kw)
    return info.value


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer() as srv:
        yield srv


# --- SSRF guard -------------------------------------------------------------------------------

DISGUISED_LOOPBACK = [
    "http://127.0.0.1:{port}/",
    "http://127.1:{port}/",
    "http://2130706433:{port}/",  # decimal
    "http://0x7f.1:{port}/",  # hex, short form
    "http://0x7f000001:{port}/",
    "http://017700000001:{port}/",  # octal
    "http://0177.0.0.1:{port}/",  # httpx itself refuses this one as an invalid IPv4 (BAD_URL)
    "http://[::ffff:127.0.0.1]:{port}/",  # IPv4-mapped IPv6
    "http://[::ffff:7f00:1]:{port}/",
    "http://[::127.0.0.1]:{port}/",  # IPv4-compatible IPv6
    "http://[::1]:{port}/",
    "http://localhost:{port}/",  # /etc/hosts, no network
    "http://LocalHost:{port}/",
    "http://0.0.0.0:{port}/",  # reaches the local host on Linux
    "http://0:{port}/",
    "http://[::]:{port}/",
]


@pytest.mark.parametrize("template", DISGUISED_LOOPBACK)
def test_loopback_in_any_spelling_is_refused_without_connecting(
    server: FaultServer, template: str
) -> None:
    server.routes["/"] = ok(b"secret")
    with make_client(allow_addresses=()) as client:
        err = fails(client, template.format(port=server.port))
    expected = FailureClass.BAD_URL if "0177." in template else FailureClass.BLOCKED_ADDRESS
    assert err.failure is expected
    assert server.connections == 0


NON_PUBLIC = [
    "10.0.0.1",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",  # cloud metadata
    "100.64.0.1",  # carrier-grade NAT
    "198.18.0.1",
    "192.0.0.1",
    "224.0.0.1",
    "240.0.0.1",
    "255.255.255.255",
    "[fe80::1%25eth0]",
    "[fc00::1]",
    "[fec0::1]",  # site-local: Python's is_global says True
    "[ff02::1]",
    "[64:ff9b::7f00:1]",  # NAT64 of 127.0.0.1: is_global says True
    "[64:ff9b:1::a00:1]",
    "[2002:7f00:1::]",  # 6to4 of 127.0.0.1: is_global says True
    "[2001::1]",  # Teredo
    "[2001:db8::1]",
    "[100::1]",
]


@pytest.mark.parametrize("host", NON_PUBLIC)
def test_non_public_literals_are_refused(host: str) -> None:
    never = httpx.MockTransport(lambda r: pytest.fail(f"request sent to {r.url}"))
    client = HttpClient(settings(allow_addresses=()), transport=never)
    assert fails(client, f"http://{host}/").failure is FailureClass.BLOCKED_ADDRESS


def test_ipaddress_flags_alone_would_miss_these() -> None:
    # Why net/guard.py keeps its own deny list: these pass `is_global` on Python 3.11.
    for text in ("64:ff9b::7f00:1", "2002:7f00:1::", "::127.0.0.1", "fec0::1"):
        ip = ipaddress.ip_address(text)
        assert not is_public(ip), text


def test_public_addresses_pass() -> None:
    for text in ("93.184.216.34", "2606:4700::6810:84e5", "8.8.8.8"):
        assert is_public(ipaddress.ip_address(text))


def test_literal_spellings_parse_like_the_c_library() -> None:
    assert str(literal_address("2130706433")) == "127.0.0.1"
    assert str(literal_address("0x7f.1")) == "127.0.0.1"
    assert str(literal_address("017700000001")) == "127.0.0.1"
    assert literal_address("example.org") is None
    assert literal_address("cafe.be") is None


def test_name_resolving_to_private_address_is_refused(server: FaultServer) -> None:
    server.routes["/"] = ok(b"secret")
    client = make_client(resolver=lambda host: ["10.0.0.1"], allow_addresses=())
    err = fails(client, "http://public.example/")
    assert err.failure is FailureClass.BLOCKED_ADDRESS
    assert "10.0.0.1" in err.detail


def test_one_private_answer_among_public_ones_refuses_the_host(server: FaultServer) -> None:
    client = make_client(resolver=lambda host: ["93.184.216.34", "127.0.0.1"], allow_addresses=())
    assert fails(client, "http://mixed.example/").failure is FailureClass.BLOCKED_ADDRESS


def test_connection_goes_to_the_checked_address_not_a_second_lookup(server: FaultServer) -> None:
    # DNS rebinding: the first answer passes the check, later answers point elsewhere. The socket
    # layer must reuse the checked answer instead of asking again.
    server.routes["/"] = ok(b"pinned")
    calls: list[str] = []

    def rebinding(host: str) -> list[str]:
        calls.append(host)
        return ["127.0.0.1"] if len(calls) == 1 else ["10.0.0.1"]

    with make_client(resolver=rebinding) as client:
        fetched = client.get(f"http://rebind.example:{server.port}/")
    assert fetched.body == b"pinned"
    assert calls == ["rebind.example"]
    assert server.requests[0][1]["host"] == f"rebind.example:{server.port}"


def test_redirect_to_private_address_is_refused_on_that_hop(server: FaultServer) -> None:
    server.routes["/start"] = redirect("http://internal.example/admin")
    names = {"internal.example": ["192.168.0.10"]}
    client = make_client(resolver=lambda host: names.get(host, ["127.0.0.1"]))
    err = fails(client, server.url("/start"))
    assert err.failure is FailureClass.BLOCKED_ADDRESS
    assert [path for path, _ in server.requests] == ["/start"]


def test_redirect_to_unlisted_loopback_spelling_is_refused(server: FaultServer) -> None:
    server.routes["/start"] = redirect(f"http://[::ffff:127.0.0.1]:{server.port}/again")
    with make_client() as client:
        assert fails(client, server.url("/start")).failure is FailureClass.BLOCKED_ADDRESS
    assert server.connections == 1


def test_odd_port_on_public_address_is_refused() -> None:
    never = httpx.MockTransport(lambda r: pytest.fail("request sent"))
    client = HttpClient(
        settings(allow_addresses=()), transport=never, resolver=lambda h: ["93.184.216.34"]
    )
    err = fails(client, "http://public.example:22/")
    assert err.failure is FailureClass.BLOCKED_ADDRESS
    assert "port 22" in err.detail


@pytest.mark.parametrize(
    ("url", "failure"),
    [
        ("file:///etc/passwd", FailureClass.BAD_SCHEME),
        ("ftp://example.org/file", FailureClass.BAD_SCHEME),
        ("data:text/html,<p>hi</p>", FailureClass.BAD_SCHEME),
        ("javascript:alert(1)", FailureClass.BAD_SCHEME),
        ("gopher://127.0.0.1:25/", FailureClass.BAD_SCHEME),
        ("http://user:pw@example.org/", FailureClass.BAD_URL),
        ("http://example.org@127.0.0.1/", FailureClass.BAD_URL),
        ("http:///nohost", FailureClass.BAD_URL),
        ("http://exa mple.org/", FailureClass.BAD_URL),
    ],
)
def test_bad_urls_are_refused_before_any_request(url: str, failure: FailureClass) -> None:
    never = httpx.MockTransport(lambda r: pytest.fail("request sent"))
    client = HttpClient(settings(), transport=never, resolver=lambda h: ["93.184.216.34"])
    err = fails(client, url)
    assert err.failure is failure
    assert err.attempts == 0


@pytest.mark.parametrize(
    "location", ["file:///etc/passwd", "ftp://127.0.0.1/x", "data:text/plain,owned", "gopher://x/"]
)
def test_redirect_to_other_schemes_is_refused(server: FaultServer, location: str) -> None:
    server.routes["/go"] = redirect(location)
    with make_client() as client:
        err = fails(client, server.url("/go"))
    assert err.failure is FailureClass.BAD_SCHEME
    assert err.attempts == 1


def test_dns_failure_is_classified() -> None:
    with make_client() as client:  # the real resolver: .invalid never resolves (RFC 6761)
        assert fails(client, "http://no-such-host.invalid/").failure is FailureClass.DNS

    def broken(host: str) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    with make_client(resolver=broken) as client:
        err = fails(client, "http://gone.example/")
    assert err.failure is FailureClass.DNS
    assert err.attempts == 1


# --- ordinary fetches -------------------------------------------------------------------------


def test_plain_fetch_returns_decoded_body_and_headers(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/norma").respond_with_data(
        "<h1>Decreto Supremo N° 004-2021-JUS</h1>",
        content_type="text/html; charset=utf-8",
        headers={"ETag": '"v1"'},
    )
    with make_client() as client:
        fetched = client.get(httpserver.url_for("/norma"))
    assert fetched.status == 200
    assert "Decreto Supremo" in fetched.body.decode()
    assert fetched.headers["etag"] == '"v1"'
    assert fetched.content_type.startswith("text/html")
    assert fetched.final_url == fetched.url == httpserver.url_for("/norma")
    assert len(fetched.sha256) == 64


def test_request_carries_user_agent_and_only_safe_encodings(server: FaultServer) -> None:
    server.routes["/"] = ok(b"x")
    with make_client() as client:
        client.get(server.url("/"), headers={"Accept-Encoding": "br, zstd", "Host": "evil"})
    sent = server.requests[0][1]
    assert sent["user-agent"].startswith("ObservatoryBot/")
    assert sent["accept-encoding"] == "gzip, deflate"
    assert sent["host"] == f"127.0.0.1:{server.port}"


def test_resolve_map_serves_a_real_url_from_loopback_keeping_the_url(server: FaultServer) -> None:
    """`[fetch] resolve` (the demo's real URLs): the socket goes to the mapped loopback server in
    plain HTTP, the Host header and everything recorded keep the real URL, redirects stay real."""
    server.routes["/norma"] = redirect("/norma/", "301 Moved Permanently")
    server.routes["/norma/"] = ok(b"<html>ok</html>")
    resolve = (("www.gob.pe", "127.0.0.1", server.port),)
    with make_client(resolver=lambda host: ["8.8.8.8"], resolve=resolve) as client:
        fetched = client.get("https://www.gob.pe/norma")
    assert fetched.body == b"<html>ok</html>"
    assert (fetched.url, fetched.final_url) == (
        "https://www.gob.pe/norma",
        "https://www.gob.pe/norma/",
    )
    assert [headers["host"] for _path, headers in server.requests] == ["www.gob.pe"] * 2


def test_resolve_map_cannot_open_a_way_past_the_address_guard(server: FaultServer) -> None:
    # Built by hand (the config refuses it at load): the guard still checks the mapped address.
    resolve = (("www.gob.pe", "127.0.0.1", server.port),)
    with make_client(allow_addresses=(), resolve=resolve) as client:
        failure = fails(client, "https://www.gob.pe/norma")
    assert failure.failure is FailureClass.BLOCKED_ADDRESS
    assert server.requests == []


def test_conditional_get_returns_304_record(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed", headers={"If-None-Match": '"abc"'}).respond_with_data(
        "", status=304, headers={"ETag": '"abc"'}
    )
    with make_client() as client:
        fetched = client.get(httpserver.url_for("/feed"), headers={"If-None-Match": '"abc"'})
    assert fetched.status == 304
    assert fetched.body == b""
    assert fetched.headers["etag"] == '"abc"'


def test_redirects_are_followed_and_final_url_kept(server: FaultServer) -> None:
    server.routes["/a"] = redirect("/b", "301 Moved Permanently")
    server.routes["/b"] = redirect(server.url("/c"), "308 Permanent Redirect")
    server.routes["/c"] = ok(b"final")
    with make_client() as client:
        fetched = client.get(server.url("/a"))
    assert fetched.body == b"final"
    assert fetched.url == server.url("/a")
    assert fetched.final_url == server.url("/c")


def test_redirect_loop_stops_after_max_hops(server: FaultServer) -> None:
    server.routes["/loop"] = redirect("/loop")
    with make_client(max_redirects=5) as client:
        err = fails(client, server.url("/loop"))
    assert err.failure is FailureClass.TOO_MANY_REDIRECTS
    assert len(server.requests) == 6  # the first request and five hops


def test_private_headers_are_not_forwarded_to_another_origin(server: FaultServer) -> None:
    with FaultServer() as other:
        other.routes["/"] = ok(b"there")
        server.routes["/"] = redirect(other.url("/", host="other.example"))
        client = make_client(resolver=lambda h: ["127.0.0.1"])
        client.get(server.url("/"), headers={"Cookie": "s=1", "If-None-Match": '"x"'})
    assert "cookie" not in other.requests[0][1]
    assert other.requests[0][1]["if-none-match"] == '"x"'


def test_client_errors_are_not_retried(server: FaultServer) -> None:
    server.routes["/gone"] = status("410 Gone")
    with make_client(retries=3) as client:
        err = fails(client, server.url("/gone"))
    assert (err.failure, err.attempts) == (FailureClass.HTTP_4XX, 1)
    assert len(server.requests) == 1


def test_redirect_without_location_is_unsupported(server: FaultServer) -> None:
    server.routes["/"] = status("302 Found")
    with make_client() as client:
        assert fails(client, server.url("/")).failure is FailureClass.UNSUPPORTED


# --- TLS: pinned to the checked IP, verified against the name ---------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-keyout", str(key), "-out", str(cert), "-subj", "/CN=gazette.example",
            "-addext", "subjectAltName=DNS:gazette.example",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def tls_server(cert: Path, key: Path, seen_sni: list[str | None]) -> FaultServer:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda sock, name, ctx: seen_sni.append(name)
    return FaultServer(tls=context)


def test_tls_connects_to_pinned_ip_with_sni_and_host_of_the_name(
    certificate: tuple[Path, Path],
) -> None:
    cert, key = certificate
    sni: list[str | None] = []
    with tls_server(cert, key, sni) as srv:
        srv.routes["/"] = ok(b"over tls")
        client = make_client(resolver=lambda h: ["127.0.0.1"], ca_bundle=str(cert))
        fetched = client.get(srv.url("/", host="gazette.example"))
    assert fetched.body == b"over tls"
    assert sni == ["gazette.example"]
    assert srv.requests[0][1]["host"] == f"gazette.example:{srv.port}"


def test_untrusted_certificate_is_a_tls_failure_never_downgraded(
    certificate: tuple[Path, Path],
) -> None:
    cert, key = certificate
    with tls_server(cert, key, []) as srv:
        srv.routes["/"] = ok(b"should not be read")
        client = make_client(resolver=lambda h: ["127.0.0.1"], retries=3)
        err = fails(client, srv.url("/", host="gazette.example"))
        assert (err.failure, err.attempts) == (FailureClass.TLS, 1)
        assert srv.requests == []


def test_certificate_for_another_name_is_a_tls_failure(certificate: tuple[Path, Path]) -> None:
    cert, key = certificate
    with tls_server(cert, key, []) as srv:
        client = make_client(resolver=lambda h: ["127.0.0.1"], ca_bundle=str(cert))
        assert fails(client, srv.url("/", host="other.example")).failure is FailureClass.TLS


# --- politeness ---------------------------------------------------------------------------------


def test_requests_to_one_host_are_spaced_by_the_delay(server: FaultServer) -> None:
    server.routes["/"] = ok(b"x")
    client = HttpClient(settings(host_delay=0.3))
    for _ in range(3):
        client.get(server.url("/"))
    gaps = [b - a for a, b in zip(server.times, server.times[1:], strict=False)]
    assert all(gap >= 0.29 for gap in gaps), gaps


def test_one_request_in_flight_per_host_from_a_thread_pool(server: FaultServer) -> None:
    # Counted inside the route and released *before* the answer is sent: the client cannot send
    # its next request before it has this answer, so any overlap seen here is a real one (the
    # server's own counter also spans its clean-up after the client has moved on).
    lock, busy, most = threading.Lock(), [0], [0]

    def slow(conn: socket.socket, srv: FaultServer) -> None:
        with lock:
            busy[0] += 1
            most[0] = max(most[0], busy[0])
        time.sleep(0.05)
        with lock:
            busy[0] -= 1
        ok(b"x")(conn, srv)

    server.routes["/"] = slow
    client = HttpClient(settings(host_delay=0.0))
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda _: client.get(server.url("/")).status, range(12)))
    assert results == [200] * 12
    assert most[0] == 1


def test_different_hosts_do_not_wait_for_each_other(server: FaultServer) -> None:
    started = threading.Barrier(2, timeout=3)

    def meet(conn: socket.socket, srv: FaultServer) -> None:
        started.wait()  # both requests must be in flight at once, or this breaks the barrier
        ok(b"x")(conn, srv)

    server.routes["/"] = meet
    client = HttpClient(settings(host_delay=5.0), resolver=lambda h: ["127.0.0.1"])
    urls = [server.url("/", host="a.example"), server.url("/", host="b.example")]
    with ThreadPoolExecutor(max_workers=2) as pool:
        assert [f.status for f in pool.map(client.get, urls)] == [200, 200]


# --- robots.txt ---------------------------------------------------------------------------------


def robots_setup(server: FaultServer, route: Any, retries: int = 0) -> RobotsCache:
    server.routes["/robots.txt"] = route
    client = make_client(resolver=lambda host: ["127.0.0.1"], retries=retries)
    return RobotsCache(client, client.settings.user_agent)


def robots_refusal(robots: RobotsCache, url: str) -> FetchError:
    with pytest.raises(FetchError) as info:
        robots.check(url)
    return info.value


def robots_requests(server: FaultServer) -> int:
    return sum(path == "/robots.txt" for path, _ in server.requests)


def test_robots_disallow_is_honoured(server: FaultServer) -> None:
    robots = robots_setup(server, ok(b"User-agent: *\nDisallow: /private\n"))
    assert robots.allowed(server.url("/public/norma"))
    err = robots_refusal(robots, server.url("/private/x"))
    assert (err.failure, err.attempts) == (FailureClass.ROBOTS, 0)


def test_robots_group_for_our_agent_wins_over_star(server: FaultServer) -> None:
    body = b"User-agent: *\nAllow: /\n\nUser-agent: ObservatoryBot\nDisallow: /\n"
    robots = robots_setup(server, ok(body))
    assert not robots.allowed(server.url("/anything"))


def test_robots_longest_match_wins_not_file_order(server: FaultServer) -> None:
    # urllib.robotparser alone would allow /private (first match "Allow: /").
    body = b"User-agent: *\nAllow: /\nDisallow: /private\nAllow: /private/open\n"
    robots = robots_setup(server, ok(body))
    assert robots.allowed(server.url("/news"))
    assert not robots.allowed(server.url("/private/x"))
    assert robots.allowed(server.url("/private/open/y"))


def test_robots_crawl_delay_is_reported(server: FaultServer) -> None:
    robots = robots_setup(server, ok(b"User-agent: *\nCrawl-delay: 7\n"))
    assert robots.crawl_delay(server.url("/")) == 7.0


@pytest.mark.parametrize("line", ["404 Not Found", "410 Gone", "403 Forbidden"])
def test_robots_missing_means_allowed(server: FaultServer, line: str) -> None:
    robots = robots_setup(server, status(line))
    assert robots.allowed(server.url("/any/page"))


@pytest.mark.parametrize(
    "route", [status("503 Service Unavailable"), status("500 Internal Server Error")]
)
def test_robots_server_error_blocks_the_whole_origin_this_run(
    server: FaultServer, route: Any
) -> None:
    robots = robots_setup(server, route)
    for path in ("/a", "/b", "/c"):
        err = robots_refusal(robots, server.url(path))
        assert err.failure is FailureClass.ROBOTS
        assert "http_5xx" in err.detail
    assert robots_requests(server) == 1  # asked once, not once per URL


def test_robots_unreachable_blocks_the_origin() -> None:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    client = make_client(retries=0)
    robots = RobotsCache(client, client.settings.user_agent)
    err = robots_refusal(robots, f"http://127.0.0.1:{port}/page")
    assert err.failure is FailureClass.ROBOTS
    assert "refused" in err.detail


def test_robots_fetched_once_per_origin_from_a_thread_pool(server: FaultServer) -> None:
    def slow_robots(conn: socket.socket, srv: FaultServer) -> None:
        time.sleep(0.1)  # long enough for every thread to ask while the first one fetches
        ok(b"User-agent: *\nDisallow: /x\n")(conn, srv)

    robots = robots_setup(server, slow_robots)
    urls = [server.url(f"/page/{n}") for n in range(16)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert all(pool.map(robots.allowed, urls))
    assert robots_requests(server) == 1
    # Another origin (same server, another name) is a separate robots.txt.
    assert robots.allowed(server.url("/page/0", host="mirror.example"))
    assert robots_requests(server) == 2


def test_robots_for_a_blocked_address_is_a_robots_failure_without_connecting(
    server: FaultServer,
) -> None:
    client = make_client(allow_addresses=())
    robots = RobotsCache(client, client.settings.user_agent)
    err = robots_refusal(robots, server.url("/page"))
    assert err.failure is FailureClass.ROBOTS
    assert "blocked_address" in err.detail
    assert server.connections == 0
