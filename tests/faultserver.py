"""A misbehaving HTTP server on 127.0.0.1 for the fetch tests: raw sockets, a thread per connection.

Each route is a function writing whatever bytes it likes to the socket, so it can do what a
well-behaved server library never would: hang, trickle, lie about lengths, cut bodies, stack
encodings. The server counts connections and the most requests it had in flight at once, so tests
can assert "no connection was made" and "one request per host at a time".
"""

from __future__ import annotations

import gzip
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable

Route = Callable[[socket.socket, "FaultServer"], None]


def response(status: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    head = [f"HTTP/1.1 {status}"] + [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


def ok(body: bytes, **headers: str) -> Route:
    hdrs = {"Content-Length": str(len(body)), "Connection": "close"}
    hdrs.update({k.replace("_", "-"): v for k, v in headers.items()})
    return lambda conn, srv: conn.sendall(response("200 OK", hdrs, body))


def status(line: str, **headers: str) -> Route:
    hdrs = {"Content-Length": "0", "Connection": "close"}
    hdrs.update({k.replace("_", "-"): v for k, v in headers.items()})
    return lambda conn, srv: conn.sendall(response(line, hdrs))


def redirect(location: str, code: str = "302 Found") -> Route:
    return status(code, Location=location)


def hang(conn: socket.socket, srv: FaultServer) -> None:
    srv.stopping.wait(30)


def trickle_body(conn: socket.socket, srv: FaultServer) -> None:
    """Headers at once, then one byte every 0.8 s: no read ever waits long enough to time out."""
    conn.sendall(response("200 OK", {"Content-Length": "1000", "Connection": "close"}))
    for _ in range(1000):
        if srv.stopping.wait(0.8):
            return
        conn.sendall(b"x")


def trickle_headers(conn: socket.socket, srv: FaultServer) -> None:
    """The status line and headers themselves, one byte every 0.3 s."""
    for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"y" * 1000:
        if srv.stopping.wait(0.3):
            return
        conn.sendall(bytes([byte]))


def cut_body(conn: socket.socket, srv: FaultServer) -> None:
    """Promises 1000 bytes, sends 100, closes (a connection cut mid-body / a wrong length)."""
    conn.sendall(response("200 OK", {"Content-Length": "1000"}, b"a" * 100))


def unterminated_chunked(conn: socket.socket, srv: FaultServer) -> None:
    head = response("200 OK", {"Transfer-Encoding": "chunked"})
    conn.sendall(head + b"5\r\nhello\r\n6\r\n world\r\n")  # no final 0-length chunk


def gzip_cut(conn: socket.socket, srv: FaultServer) -> None:
    """A gzip stream cut in half, body delimited by close (no Content-Length to contradict)."""
    data = gzip.compress(b"<p>texto de la norma</p>" * 4000)
    head = response("200 OK", {"Content-Encoding": "gzip", "Connection": "close"})
    conn.sendall(head + data[: len(data) // 2])


def endless(conn: socket.socket, srv: FaultServer) -> None:
    """A body without length that never ends."""
    conn.sendall(response("200 OK", {"Connection": "close"}))
    chunk = b"z" * 65536
    try:
        while not srv.stopping.is_set():
            conn.sendall(chunk)
    except OSError:
        return  # the client hung up: that is the point


def encoded(body: bytes, encodings: list[str], **headers: str) -> Route:
    """`body` encoded with each of `encodings` in order, declared in the same order."""
    for name in encodings:
        body = gzip.compress(body) if name == "gzip" else zlib.compress(body)
    return ok(body, Content_Encoding=", ".join(encodings), **headers)


def bomb(size: int, layers: int = 1) -> Route:
    """`size` zero bytes, gzip-compressed `layers` times: kilobytes that inflate to `size`."""
    data = b"\0" * size
    for _ in range(layers):
        data = gzip.compress(data, compresslevel=9)
    return ok(data, Content_Encoding=", ".join(["gzip"] * layers))


class FaultServer:
    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.times: list[float] = []
        self.connections = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self.stopping = threading.Event()
        # The request being answered, per connection thread: routes that answer conditional
        # GETs read `srv.current.headers`.
        self.current = threading.local()
        self._tls = tls
        self._lock = threading.Lock()
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self.port = self._sock.getsockname()[1]
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        scheme = "https" if self._tls else "http"
        return f"{scheme}://{host}:{self.port}{path}"

    def close(self) -> None:
        self.stopping.set()
        self._sock.close()

    def __enter__(self) -> FaultServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            if self._tls is not None:
                conn = self._tls.wrap_socket(conn, server_side=True)
            path, headers = self._read_head(conn)
            self.current.headers = headers
            with self._lock:
                self.requests.append((path, headers))
                self.times.append(time.monotonic())
                self.in_flight += 1
                self.max_in_flight = max(self.max_in_flight, self.in_flight)
            try:
                self.routes.get(path, status("404 Not Found"))(conn, self)
            finally:
                with self._lock:
                    self.in_flight -= 1
        except (OSError, ValueError):
            pass  # the client gave up or failed the TLS handshake: both expected in these tests
        finally:
            conn.close()

    @staticmethod
    def _read_head(conn: socket.socket) -> tuple[str, dict[str, str]]:
        data = b""
        conn.settimeout(10)
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(4096)
            if not chunk:
                raise ValueError("client closed before the request ended")
            data += chunk
        lines = data.split(b"\r\n\r\n")[0].decode("latin-1").split("\r\n")
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        return lines[0].split(" ")[1], headers


# --- hostile numbers (issue 13): values no sane server sends, each once crashed or stalled a run --
HOSTILE_RETRY_AFTER = {
    "twelve-digits": "999999999999",  # 31,700 years: overflowed a timedelta
    "twenty-three-digits": "9" * 23,  # overflowed the C int under datetime
    "year-9999": "Fri, 31 Dec 9999 23:59:59 GMT",  # a date, 7,970 years ahead
    "negative": "-5",
    "not-a-number": "nan",
    "superscript": "\xb2",  # "²": str.isdigit() says yes, int() says no
}


def huge_content_length(conn: socket.socket, srv: FaultServer) -> None:
    """A Content-Length of 5,000 digits (Python's int() refuses more than 4,300)."""
    conn.sendall(response("200 OK", {"Content-Length": "9" * 5000, "Connection": "close"}, b"x"))
