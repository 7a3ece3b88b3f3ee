"""Serve the bundled offline demo web on loopback.

    python demo/serve.py [--port 8737] [--root demo/web]

Pages live in ``<root>/<site>/<path>.html`` and are served at ``http://127.0.0.1:PORT/<site>/<path>``
(the ``.html`` may be given or left out). ``.xml`` and ``.txt`` files are served as they are
(``/robots.txt``, ``/elperuano/sitemap.xml``). Anything else is a 404. Standard library only.

Importable for tests: ``serve(root, port)`` starts a server in a daemon thread and returns it
(``port=0`` picks a free port: read it from ``server.server_address[1]``); stop it with
``server.shutdown(); server.server_close()``.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from urllib.parse import unquote, urlsplit

HOST = "127.0.0.1"
DEFAULT_PORT = 8737
DEFAULT_ROOT = Path(__file__).resolve().parent / "web"

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
}


def resolve_request_path(root: Path, raw_path: str) -> Path | None:
    """Map a request path to a file under ``root``, or None (404).

    Refuses anything that would leave the root once resolved (``..``, encoded ``%2e%2e``,
    symlinks pointing outside), hidden segments and file types the demo does not serve."""
    path = unquote(urlsplit(raw_path).path)
    if "\x00" in path or "\\" in path:
        return None
    rel = path.lstrip("/")
    if any(seg.startswith(".") for seg in rel.split("/") if seg):
        return None
    base = root.resolve()
    candidates: list[Path] = []
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


def make_handler(root: Path) -> type[BaseHTTPRequestHandler]:
    class DemoHandler(BaseHTTPRequestHandler):
        server_version = "demo-web/1.0"

        def version_string(self) -> str:
            return self.server_version

        def _respond(self, *, with_body: bool) -> None:
            target = resolve_request_path(root, self.path)
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
