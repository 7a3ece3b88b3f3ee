"""Serve the bundled offline demo web on loopback, one folder per real host.

    python demo/serve.py [--port 8737] [--root demo/web]

Pages live in ``<root>/<host>/<path>.html``: ``demo/web/www.gob.pe/institucion/minjus/...html`` is
the demo's copy of ``https://www.gob.pe/institucion/minjus/...``. The pipeline fetches the real
URL, and its ``[fetch] resolve`` map (demo/sources.toml) sends the connection here, in plain HTTP,
with the real host in the ``Host`` header, as ``curl --resolve`` does; so the server picks the
folder by ``Host``. In a browser, ``http://127.0.0.1:PORT/<host>/<path>`` shows the same page. The
``.html`` may be given or left out, and a trailing ``/`` means the same page. ``.xml`` and ``.txt``
files are served as they are (``robots.txt``, ``sitemap.xml``). A request with a query string is
answered by ``<path>@<query>.html`` when that file exists, the query's pairs sorted by name (El
Peruano's day listing ``/?fechaIni=20220322&...&start=0`` is
``index@ci=ONLY&fechaFin=20220322&fechaIni=20220322&start=0&tipoPublicacion=NL.html``), else by
the page without the query, as before; a query with any character other than letters, digits,
``_``, ``.`` and ``-`` in its names and values, or more than 20 pairs, names no file. Anything else
is a 404: a host with no folder, a path leaving its folder. Standard library only.

Importable for tests: ``serve(root, port)`` starts a server in a daemon thread and returns it
(``port=0`` picks a free port: read it from ``server.server_address[1]``); stop it with
``server.shutdown(); server.server_close()``.
"""

from __future__ import annotations

import argparse
import re
import signal
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from urllib.parse import parse_qsl, unquote, urlsplit

HOST = "127.0.0.1"
DEFAULT_PORT = 8737
DEFAULT_ROOT = Path(__file__).resolve().parent / "web"

# What a query may hold to name a file: El Peruano's dates, codes and offsets, nothing that could
# make a path ("/", "\\", "%2f" decoded) or a hidden name.
_QUERY_WORD = re.compile(r"[A-Za-z0-9_.-]{1,64}")
MAX_QUERY_PAIRS = 20

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
}


def site_and_path(host_header: str | None, raw_path: str) -> tuple[str, str]:
    """The host folder and the path inside it: from the Host header, or, when the server is
    addressed by its own loopback name, from the path's first segment (browsing by hand)."""
    path = unquote(urlsplit(raw_path).path)
    host = (host_header or "").strip().lower()
    host = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    if host in ("", "127.0.0.1", "localhost", "[::1]"):
        site, _, rest = path.lstrip("/").partition("/")
        return site, "/" + rest
    return host, path


def query_suffix(raw_path: str) -> str | None:
    """ "@a=1&b=2" for a request's query (pairs sorted by name), "" without one, None when the
    query holds what no demo file is named with."""
    query = urlsplit(raw_path).query
    if not query:
        return ""
    try:
        pairs = parse_qsl(query, keep_blank_values=True, max_num_fields=MAX_QUERY_PAIRS)
    except ValueError:
        return None
    if not pairs or any(
        not _QUERY_WORD.fullmatch(k) or (v and not _QUERY_WORD.fullmatch(v)) for k, v in pairs
    ):
        return None
    return "@" + "&".join(f"{k}={v}" for k, v in sorted(pairs))


def resolve_request_path(root: Path, raw_path: str, host: str | None = None) -> Path | None:
    """Map a request (its Host header and path) to a file under ``root``, or None (404).

    Refuses anything that would leave the host's folder once resolved (``..``, encoded
    ``%2e%2e``, symlinks pointing outside), hidden segments and file types the demo does not
    serve."""
    site, path = site_and_path(host, raw_path)
    if not site or "\x00" in path or "\\" in path or "/" in site or "\\" in site:
        return None
    rel = path.lstrip("/")
    if site.startswith(".") or any(seg.startswith(".") for seg in rel.split("/") if seg):
        return None
    base = (root / site).resolve()
    if not base.is_relative_to(root.resolve()) or not base.is_dir():
        return None
    candidates: list[Path] = []
    suffix = query_suffix(raw_path)
    if suffix:  # a page for this query first (a day listing), then the page itself
        stem = rel.rstrip("/")
        candidates.append(base / f"{stem or 'index'}{suffix}.html")
    if rel == "" or rel.endswith("/"):
        stem = rel.rstrip("/")
        if stem:
            candidates.append(base / f"{stem}.html")
        candidates.append(base / stem / "index.html")
    else:
        candidates.append(base / rel)
        candidates.append(base / f"{rel}.html")
    for candidate in candidates:
        try:
            resolved = candidate.resolve()
        except (OSError, RuntimeError):
            continue
        if not resolved.is_relative_to(base):
            continue
        if resolved.is_file() and resolved.suffix in CONTENT_TYPES:
            return resolved
    return None


def file_for_url(root: Path, url: str) -> Path | None:
    """The demo file that answers a real URL ("https://www.gob.pe/..."), or None."""
    parts = urlsplit(url)
    return resolve_request_path(root, parts.path or "/", parts.hostname)


def make_handler(root: Path) -> type[BaseHTTPRequestHandler]:
    class DemoHandler(BaseHTTPRequestHandler):
        server_version = "demo-web/1.0"

        def version_string(self) -> str:
            return self.server_version

        def _respond(self, *, with_body: bool) -> None:
            target = resolve_request_path(root, self.path, self.headers.get("Host"))
            if target is None:
                body = b"404 Not Found\n"
                self.send_response(HTTPStatus.NOT_FOUND)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if with_body:
                    self.wfile.write(body)
                return
            data = target.read_bytes()
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", CONTENT_TYPES[target.suffix])
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if with_body:
                self.wfile.write(data)

        def do_GET(self) -> None:
            self._respond(with_body=True)

        def do_HEAD(self) -> None:
            self._respond(with_body=False)

        def log_message(self, format: str, *args: object) -> None:
            return  # quiet: the demo and the tests do not want access logs

    return DemoHandler


class DemoServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def serve(root: Path, port: int = DEFAULT_PORT) -> ThreadingHTTPServer:
    """Start serving ``root`` on 127.0.0.1:``port`` in a daemon thread and return the server."""
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"demo web root not found: {root}")
    server = DemoServer((HOST, port), make_handler(root))
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.1}, name="demo-web", daemon=True
    )
    thread.start()
    return server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the offline demo web on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (default 8737)")
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="folder to serve")
    args = parser.parse_args(argv)
    try:
        server = serve(args.root, args.port)
    except (OSError, FileNotFoundError) as exc:
        print(f"error: cannot serve {args.root} on {HOST}:{args.port}: {exc}", file=sys.stderr)
        return 1
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    print(f"demo web on http://{HOST}:{server.server_address[1]}/", flush=True)
    try:
        while not stop.wait(0.2):
            pass
    finally:
        server.shutdown()
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
