"""Form POSTs and per-source sessions through the guarded client (net/http.py, net/session.py).

A POST goes through everything a GET does (address guard, robots, politeness, caps, retries); a
session keeps the cookies its responses set and sends them back only to their host; the client
itself never keeps a cookie, so nothing travels from one source to another. All on loopback.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Iterator
from typing import Any

import pytest
from faultserver import FaultServer, ok, status
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from pipeline.errors import FailureClass, FetchError
from pipeline.fetch.polite import PoliteGetter
from pipeline.net.http import HttpClient, HttpSettings
from pipeline.net.robots import RobotsCache

LOOPBACK = (ipaddress.ip_network("127.0.0.1/32"),)


def make_client(port: int = 0, **overrides: Any) -> HttpClient:
    hosts = ("portal.gob.example", "otro.gob.example")
    base: dict[str, Any] = {
        "user_agent": "ObservatoryBot/0.1 (+mailto:test@example.org)",
        "allow_addresses": LOOPBACK,
        "host_delay": 0.0,
        "total_deadline": 5.0,
        "resolve": tuple((h, "127.0.0.1", port) for h in hosts) if port else (),
    }
    base.update(overrides)
    return HttpClient(HttpSettings(**base), sleep=lambda s: None)


@pytest.fixture
def fault() -> Iterator[FaultServer]:
    with FaultServer() as srv:
        yield srv


def _echo(request: Request) -> Response:
    said = {
        "method": request.method,
        "form": dict(request.form),
        "cookie": request.headers.get("Cookie", ""),
        "ajax": request.headers.get("X-Requested-With", ""),
        "type": request.headers.get("Content-Type", ""),
    }
    return Response(json.dumps(said), content_type="application/json")


def test_a_form_post_sends_its_fields_and_headers(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/Normas/Filtro", method="POST").respond_with_handler(_echo)
    with make_client() as client:
        fetched = client.request(
            "POST",
            httpserver.url_for("/Normas/Filtro?dateparam=04/22/2021%2000:00:00"),
            data={"cddesde": "21/04/2021", "cdhasta": "22/04/2021"},
            headers={"X-Requested-With": "XMLHttpRequest"},
        )
    said = json.loads(fetched.body.decode())
    assert said["method"] == "POST"
    assert said["form"] == {"cddesde": "21/04/2021", "cdhasta": "22/04/2021"}
    assert said["ajax"] == "XMLHttpRequest"
    assert said["type"].startswith("application/x-www-form-urlencoded")


def test_a_session_keeps_its_cookie_for_its_host_only(httpserver: HTTPServer) -> None:
    """A JSF session: the JSESSIONID set by the first answer goes back with the next requests to
    that host, never to another host, never through the client itself or another session."""
    httpserver.expect_request("/index.xhtml").respond_with_response(
        Response("form", headers={"Set-Cookie": "JSESSIONID=abc123; Path=/; HttpOnly"})
    )
    httpserver.expect_request("/echo").respond_with_handler(_echo)
    port = httpserver.port
    with make_client(port) as client:
        session = client.session()
        session.get("https://portal.gob.example/index.xhtml")
        same = session.request("POST", "https://portal.gob.example/echo", data={"a": "1"})
        other_host = session.get("https://otro.gob.example/echo")
        no_session = client.get("https://portal.gob.example/echo")
        other_session = client.session().get("https://portal.gob.example/echo")
    assert json.loads(same.body)["cookie"] == "JSESSIONID=abc123"
    for fetched in (other_host, no_session, other_session):
        assert json.loads(fetched.body)["cookie"] == ""


def test_a_cookie_set_on_a_redirect_hop_is_kept(httpserver: HTTPServer) -> None:
    """A login answers 302 with its cookie: the session keeps it though the hop is not returned."""
    httpserver.expect_request("/logar.php", method="POST").respond_with_response(
        Response("", status=302, headers={"Location": "/index.php", "Set-Cookie": "s=ok; Path=/"})
    )
    httpserver.expect_request("/index.php", method="GET").respond_with_handler(_echo)
    with make_client(httpserver.port) as client:
        session = client.session()
        landed = session.request("POST", "https://portal.gob.example/logar.php", data={"u": "x"})
        assert session.cookie_names() == ["s"]
    said = json.loads(landed.body.decode())
    assert said["method"] == "GET" and said["form"] == {}  # 302 after a POST: a GET, no body
    assert said["cookie"] == "s=ok"


def test_307_repeats_the_post_with_its_body(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/old", method="POST").respond_with_response(
        Response("", status=307, headers={"Location": "/new"})
    )
    httpserver.expect_request("/new", method="POST").respond_with_handler(_echo)
    with make_client() as client:
        fetched = client.request("POST", httpserver.url_for("/old"), data={"k": "v"})
    said = json.loads(fetched.body.decode())
    assert said["method"] == "POST" and said["form"] == {"k": "v"}


def test_a_post_to_a_private_address_is_refused_without_connecting(fault: FaultServer) -> None:
    fault.routes["/"] = ok(b"x")
    with make_client(allow_addresses=()) as client, pytest.raises(FetchError) as err:
        client.request("POST", fault.url("/"), data={"email": "a", "password": "b"})
    assert err.value.failure is FailureClass.BLOCKED_ADDRESS
    assert fault.connections == 0


def test_a_post_is_retried_and_capped_like_a_get(fault: FaultServer) -> None:
    fault.routes["/busy"] = status("503 Service Unavailable")
    fault.routes["/huge"] = ok(b"x" * 5000)
    with make_client(retries=1) as client, pytest.raises(FetchError) as busy:
        client.request("POST", fault.url("/busy"), data={"a": "b"})
    assert (busy.value.failure, busy.value.attempts) == (FailureClass.HTTP_5XX, 2)
    huge_client = make_client(max_bytes=1000)
    with huge_client, pytest.raises(FetchError) as capped:
        huge_client.request("POST", fault.url("/huge"), data={"a": "b"})
    assert capped.value.failure is FailureClass.TOO_LARGE


def test_only_get_and_post_are_sent() -> None:
    with make_client() as client, pytest.raises(ValueError):
        client.request("DELETE", "https://example.org/")


def test_robots_rules_hold_for_a_post(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /Normas/")
    httpserver.expect_request("/Normas/Filtro", method="POST").respond_with_data("ok")
    with make_client() as client:
        polite = PoliteGetter(client, RobotsCache(client, "ObservatoryBot/0.1")).session()
        with pytest.raises(FetchError) as err:
            polite.request("POST", httpserver.url_for("/Normas/Filtro"), data={"a": "b"})
    assert err.value.failure is FailureClass.ROBOTS
    assert all(req.path != "/Normas/Filtro" for req, _ in httpserver.log)
