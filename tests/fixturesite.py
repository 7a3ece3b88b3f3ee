"""A source's saved pages, served as the site would: to discovery in memory, or on loopback.

Each folder of tests/fixtures/sources/ has a `urls.json`:

    "urls":      {URL: file}                    what a GET of URL answers
    "requests":  [{"method", "url", "form", "absent", "headers", "cookie", "file", "status",
                  "reply_headers", "set_cookie", "once"}]
        answers matched on the method, the URL, the form fields and headers listed (others may be
        sent too, except the `absent` fields); `cookie` is a cookie the request must carry; a
        `once` answer is given once only (a single-use link), a 404 after
    "documents": {file: URL}                    norm pages fetched as documents (GET; extracted by
                                                the fixture test with the link discovery gave)

`FixtureClient` answers `get`/`request`/`session` for the fixture test (a request it has no page for
is a 404, as a site's would be); `FixtureSite` serves the same folder on loopback over real HTTP
(the Host header picks the URL's host), for `sources check` and run tests through the real client.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from pipeline.errors import FailureClass, FetchError
from pipeline.models import Fetched


@dataclass(frozen=True)
class Answer:
    file: str
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    set_cookie: str = ""


@dataclass
class Spec:
    folder: Path
    raw: dict[str, Any]
    used: set[int] = field(default_factory=set)

    @classmethod
    def load(cls, folder: Path) -> Spec:
        return cls(folder, json.loads((folder / "urls.json").read_text(encoding="utf-8")))

    def answer(
        self,
        method: str,
        url: str,
        form: Mapping[str, str],
        headers: Mapping[str, str],
        cookies: Mapping[str, str],
    ) -> Answer | None:
        if method == "GET" and url in self.raw.get("urls", {}):
            return Answer(self.raw["urls"][url])
        documents = {u: name for name, u in self.raw.get("documents", {}).items()}
        if method == "GET" and url in documents:
            return Answer(documents[url])
        for index, spec in enumerate(self.raw.get("requests", [])):
            if (spec.get("method", "GET"), spec["url"]) != (method, url):
                continue
            if any(form.get(k) != v for k, v in spec.get("form", {}).items()):
                continue
            if any(k in form for k in spec.get("absent", ())):
                continue
            wanted = {k.lower(): v for k, v in spec.get("headers", {}).items()}
            if any(headers.get(k) != v for k, v in wanted.items()):
                continue
            name, _, value = spec.get("cookie", "").partition("=")
            if name and cookies.get(name) != value:
                continue
            if spec.get("once") and index in self.used:
                return Answer("", 404)
            self.used.add(index)
            return Answer(
                spec["file"], spec.get("status", 200), spec.get("reply_headers", {}),
                spec.get("set_cookie", ""),
            )  # fmt: skip
        return None

    def body(self, answer: Answer) -> bytes:
        return (self.folder / answer.file).read_bytes() if answer.file else b""

    def hosts(self) -> set[str]:
        urls = [*self.raw.get("urls", {}), *(r["url"] for r in self.raw.get("requests", []))]
        urls += self.raw.get("documents", {}).values()
        return {urlsplit(u).hostname or "" for u in urls}


class FixtureClient:
    """Discovery's client over a folder: records what was asked ("GET url", "POST url")."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.asked: list[str] = []
        self.cookies: dict[str, str] = {}

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
        self.asked.append(url if method == "GET" else f"{method} {url}")
        wanted = {k.lower(): v for k, v in (headers or {}).items()}
        answer = self.spec.answer(method, url, data or {}, wanted, self.cookies)
        if answer is None or answer.status == 404:
            raise FetchError(url, FailureClass.HTTP_4XX, "HTTP 404")
        if answer.status >= 400:
            failure = FailureClass.HTTP_5XX if answer.status >= 500 else FailureClass.HTTP_4XX
            raise FetchError(url, failure, f"HTTP {answer.status}")
        if answer.set_cookie:
            name, _, value = answer.set_cookie.partition("=")
            self.cookies[name] = value.split(";")[0]
        body = self.spec.body(answer)
        headers_out = {k.lower(): v for k, v in answer.headers.items()}
        return Fetched(
            url, url, answer.status, headers_out, body, hashlib.sha256(body).hexdigest(),
            dt.datetime(2021, 4, 22, 12, tzinfo=dt.UTC), headers_out.get("content-type", ""),
        )  # fmt: skip

    def session(self) -> FixtureClient:
        return self  # one source, one jar: the folder is one source


class _Handler(BaseHTTPRequestHandler):
    spec: Spec
    log: list[str]

    def do_GET(self) -> None:
        self._answer("GET")

    def do_POST(self) -> None:
        self._answer("POST")

    def _answer(self, method: str) -> None:
        host = (self.headers.get("Host") or "").split(":")[0]
        url = f"https://{host}{self.path}"
        length = min(int(self.headers.get("Content-Length") or 0), 1 << 20)
        body = self.rfile.read(length).decode("utf-8") if length else ""
        form = dict(parse_qsl(body, keep_blank_values=True))
        cookies = dict(
            part.strip().partition("=")[::2]
            for part in (self.headers.get("Cookie") or "").split(";")
            if "=" in part
        )
        headers = {k.lower(): v for k, v in self.headers.items()}
        self.log.append(f"{method} {url}")
        answer = self.spec.answer(method, _http_or_https(url, self.spec), form, headers, cookies)
        if answer is None and self.path == "/robots.txt":
            answer = Answer("", 404)
        if answer is None:
            answer = Answer("", 404)
        body = self.spec.body(answer)
        self.send_response(answer.status)
        for name, value in answer.headers.items():
            self.send_header(name, value)
        if answer.set_cookie:
            self.send_header("Set-Cookie", answer.set_cookie)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _http_or_https(url: str, spec: Spec) -> str:
    """The resolve map always speaks plain HTTP: a URL the spec lists as http:// answers too."""
    plain = "http://" + url.removeprefix("https://")
    listed = [*spec.raw.get("urls", {}), *(r["url"] for r in spec.raw.get("requests", []))]
    return plain if plain in listed else url


@contextmanager
def serve(folder: Path) -> Iterator[tuple[int, list[str]]]:
    """The folder on 127.0.0.1 (an ephemeral port); yields the port and the request log."""
    log: list[str] = []
    handler = type("Handler", (_Handler,), {"spec": Spec.load(folder), "log": log})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], log
    finally:
        server.shutdown()
        server.server_close()
