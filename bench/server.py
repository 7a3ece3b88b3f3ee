"""The bench web: the corpus served on 20 loopback hosts (127.0.0.2 … 127.0.0.21, one port).

    python -m bench.server --pages 1000 [--seed S] [--policies 5000] [--warm]

Run in its own process so its CPU and memory are never counted as the pipeline's. Prints one
JSON line ({"port": …, "hosts": […]}) once every socket listens. Each host serves /robots.txt,
/sitemap.xml (its share of the pages: page i lives on host i % 20) and the pages, over HTTP/1.1
keep-alive, with ETag and Last-Modified, answering conditional requests with 304. asyncio
rather than http.server: one thread per connection made the server, not the crawlers, the
bottleneck of the fetch figure. A control path switches what a re-run sees:

    /__bench__/mode/etag      304 for an If-None-Match that matches (the default)
    /__bench__/mode/noetag    no validators, 200 with the same bytes (content hashes must work)
    /__bench__/mode/rotating  no validators, a fresh token in every body (text hashes must work)
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import socket
import sys
from typing import NamedTuple

from bench.corpus import N_HOSTS, SEED, TOKEN, host
from bench.pages import make_doc, page_index, plan

FIRST_ADDRESS = 2  # 127.0.0.1 stays free for anything else on the machine


def address(h: int) -> str:
    return f"127.0.0.{FIRST_ADDRESS + h}"


class Reply(NamedTuple):
    status: int
    ctype: str
    body: bytes
    validators: dict[str, str]


class Web:
    def __init__(self, seed: int, pages: int, policies: int, hosts: int, cache: bool) -> None:
        self.seed, self.pages, self.policies, self.hosts = seed, pages, policies, hosts
        self.mode = "etag"
        self.cache: dict[int, tuple[str, bytes]] | None = {} if cache else None
        self.tokens = itertools.count()
        self.port = 0

    def doc(self, i: int) -> tuple[str, bytes]:
        if self.cache is not None and i in self.cache:
            return self.cache[i]
        d = make_doc(self.seed, i, self.policies, self.hosts)
        value = (d.path, d.html)
        if self.cache is not None:
            self.cache[i] = value
        return value

    def warm(self) -> None:
        for i in range(self.pages):
            self.doc(i)

    def reply(self, h: int, path: str, headers: dict[str, str]) -> Reply:
        if path.startswith("/__bench__/mode/"):
            self.mode = path.rsplit("/", 1)[-1]
            return Reply(200, "text/plain", self.mode.encode(), {})
        if path == "/robots.txt":
            return Reply(200, "text/plain", b"User-agent: *\nAllow: /\n", {})
        if path == "/sitemap.xml":
            return Reply(200, "application/xml", self.sitemap(h), {})
        i = page_index(path)
        if i is None or i >= self.pages or i % self.hosts != h:
            return Reply(404, "text/plain", b"not found\n", {})
        doc_path, body = self.doc(i)
        if doc_path != path:
            return Reply(404, "text/plain", b"not found\n", {})
        if self.mode == "rotating":
            return Reply(200, "text/html; charset=utf-8", self.rotate(body), {})
        if self.mode == "noetag":
            return Reply(200, "text/html; charset=utf-8", body, {})
        tag = f'"{self.seed:x}-{i}"'
        validators = {"ETag": tag, "Last-Modified": "Mon, 01 Jan 2024 00:00:00 GMT"}
        if headers.get("if-none-match") == tag:
            return Reply(304, "text/html; charset=utf-8", b"", validators)
        return Reply(200, "text/html; charset=utf-8", body, validators)

    def rotate(self, body: bytes) -> bytes:
        fresh = f"csrf-{next(self.tokens):016d}".encode()
        return body.replace(TOKEN, fresh, 1)

    def sitemap(self, h: int) -> bytes:
        site = host(h)
        rows = []
        for i in range(h, self.pages, self.hosts):
            p = plan(self.seed, i, self.policies, self.hosts)
            lastmod = f"<lastmod>{p.published.isoformat()}</lastmod>" if site.lastmod else ""
            rows.append(f"<url><loc>http://{address(h)}:{self.port}{p.path}</loc>{lastmod}</url>")
        xml = '<?xml version="1.0" encoding="UTF-8"?>\n'
        xml += '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        return (xml + "".join(rows) + "</urlset>").encode()


def _head(reply: Reply) -> bytes:
    reason = {200: "OK", 304: "Not Modified", 404: "Not Found"}[reply.status]
    lines = [f"HTTP/1.1 {reply.status} {reason}", f"Content-Type: {reply.ctype}",
             f"Content-Length: {len(reply.body)}", "Server: bench-web"]  # fmt: skip
    lines += [f"{k}: {v}" for k, v in reply.validators.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def _serve_conn(
    web: Web, h: int, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    try:
        while True:
            raw = await reader.readuntil(b"\r\n\r\n")
            request, *header_lines = raw.decode("latin-1").split("\r\n")
            method, target, _ = request.split(" ", 2)
            headers = {}
            for line in header_lines:
                if ":" in line:
                    name, value = line.split(":", 1)
                    headers[name.strip().lower()] = value.strip()
            reply = web.reply(h, target.split("?", 1)[0], headers)
            body = reply.body if method != "HEAD" and reply.status != 304 else b""
            writer.write(_head(reply) + body)
            await writer.drain()
            if headers.get("connection", "").lower() == "close":
                break
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError, ValueError):
        pass
    finally:
        writer.close()


def _listener(h: int, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((address(h), port))
    sock.listen(512)
    return sock


def _listeners(hosts: int) -> tuple[int, list[socket.socket]]:
    """One port free on every host address (ephemeral on the first, then tried on the rest)."""
    for _ in range(50):
        first = _listener(0, 0)
        port = first.getsockname()[1]
        socks = [first]
        try:
            socks += [_listener(h, port) for h in range(1, hosts)]
        except OSError:
            for s in socks:
                s.close()
            continue
        return port, socks
    raise OSError("no port free on every loopback host")


async def serve(web: Web) -> None:
    port, socks = _listeners(web.hosts)
    web.port = port
    servers = []
    for h, sock in enumerate(socks):

        async def handler(r: asyncio.StreamReader, w: asyncio.StreamWriter, h: int = h) -> None:
            await _serve_conn(web, h, r, w)

        servers.append(await asyncio.start_server(handler, sock=sock))
    hosts = [address(h) for h in range(web.hosts)]
    print(json.dumps({"port": port, "hosts": hosts}), flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, required=True)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--policies", type=int, default=5000)
    parser.add_argument("--hosts", type=int, default=N_HOSTS)
    parser.add_argument("--warm", action="store_true", help="build and keep every page first")
    args = parser.parse_args(argv)
    web = Web(args.seed, args.pages, args.policies, args.hosts, cache=args.warm)
    if args.warm:
        web.warm()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(web))
    return 0


if __name__ == "__main__":
    sys.exit(main())
