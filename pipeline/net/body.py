"""Bounded decoding of HTTP bodies for the fetch stage (no I/O, no httpx).

Takes raw body chunks and the Content-Encoding list, gives decoded pieces of at most `PIECE` bytes
each, so a caller counting what it keeps stops a decompression bomb after reading at most one piece
past its cap. Raises `BodyTruncated` when a compressed stream ends before its end marker and
`BadEncoding` for an encoding we do not decode (we never advertise one).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator, Sequence

# The most output one decompress call may produce: bounds memory per step whatever the ratio
# (a 10 MB gzip bomb inflates to 10 GB; we never hold more than this beyond the kept body).
PIECE = 64 * 1024

# Stacked encodings are legal ("gzip, gzip") but nothing real uses more than two; each layer
# multiplies the ratio, so a long stack is an attack, not a site.
MAX_LAYERS = 2

# Only these are advertised in Accept-Encoding. Brotli is left out: the `brotli` binding's
# Decompressor offers no output limit in the versions we can rely on, so one call on a bomb
# inflates it whole.
DECODABLE = ("gzip", "x-gzip", "deflate")
ACCEPT_ENCODING = "gzip, deflate"


class BodyTruncated(Exception):
    """The compressed stream stopped before its end marker (connection cut, wrong length)."""


class BadEncoding(Exception):
    """A Content-Encoding we did not advertise and do not decode, or too many layers."""


def declared_over(content_length: str, limit: int) -> bool:
    """Whether a Content-Length header announces more than `limit` bytes. Read as text first:
    a 5,000-digit length is refused by int() itself, and "²" passes str.isdigit()."""
    if not content_length.isascii() or not content_length.isdigit():
        return False  # not a length at all: the body is read and counted as it comes
    digits = content_length.lstrip("0")
    return len(digits) > len(str(limit)) or int(digits or "0") > limit


def parse_encodings(header: str) -> list[str]:
    """'gzip, identity' → ['gzip']; raises BadEncoding for anything we cannot decode."""
    names = [n.strip().lower() for n in header.split(",")]
    names = [n for n in names if n and n != "identity"]
    if len(names) > MAX_LAYERS:
        raise BadEncoding(f"{len(names)} stacked content encodings")
    unknown = [n for n in names if n not in DECODABLE]
    if unknown:
        raise BadEncoding(f"unsupported content encoding {unknown[0]!r}")
    return names


class _Inflater:
    """One decoding layer: gzip (possibly several members) or deflate (zlib-wrapped or raw)."""

    def __init__(self, encoding: str) -> None:
        self._gzip = encoding in ("gzip", "x-gzip")
        self._obj: zlib._Decompress | None = None
        self._head = b""  # deflate: the first bytes, held until the wrapper can be recognised
        self._done = False  # the last stream ended; whatever follows is padding

    def _new(self, data: bytes) -> zlib._Decompress:
        if self._gzip:
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        # RFC 9110 "deflate" is zlib-wrapped, but some servers send raw deflate: a zlib header is
        # 0x?8 with the first two bytes a multiple of 31, which raw deflate data rarely is.
        zlib_wrapped = data[0] & 0x0F == 8 and ((data[0] << 8) | data[1]) % 31 == 0
        return zlib.decompressobj(zlib.MAX_WBITS if zlib_wrapped else -zlib.MAX_WBITS)

    def feed(self, data: bytes) -> Iterator[bytes]:
        if not self._gzip and self._obj is None:
            data, self._head = self._head + data, b""
            if len(data) < 2:
                self._head = data
                return
        while data and not self._done:
            if self._obj is None:
                self._obj = self._new(data)
            try:
                yield from self._drain(data)
            except zlib.error as exc:
                raise BodyTruncated(f"corrupt compressed body: {exc}") from exc
            data = self._after_end()

    def _drain(self, data: bytes) -> Iterator[bytes]:
        assert self._obj is not None
        while True:
            out = self._obj.decompress(data, PIECE)
            if out:
                yield out
            data = self._obj.unconsumed_tail
            # A full piece may leave output pending inside zlib even with no input left.
            if not data and len(out) < PIECE:
                return

    def _after_end(self) -> bytes:
        """Input left after a stream's end: the next gzip member, or padding we ignore."""
        if self._obj is None or not self._obj.eof:
            return b""
        rest = self._obj.unused_data
        self._obj = None
        if self._gzip and rest.startswith(b"\x1f\x8b"):
            return rest
        self._done = True
        return b""

    def finish(self) -> None:
        if self._head or (self._obj is not None and not self._obj.eof):
            raise BodyTruncated("compressed body ends before its end marker")


class BodyDecoder:
    """Decodes Content-Encoding layers in reverse order of application, piece by piece."""

    def __init__(self, encodings: Sequence[str]) -> None:
        self._layers = [_Inflater(e) for e in reversed(encodings)]

    def feed(self, chunk: bytes) -> Iterator[bytes]:
        pieces: Iterable[bytes] = (chunk,)
        for layer in self._layers:
            pieces = _through(layer, pieces)
        yield from pieces

    def finish(self) -> None:
        for layer in self._layers:
            layer.finish()


def _through(layer: _Inflater, pieces: Iterable[bytes]) -> Iterator[bytes]:
    for piece in pieces:
        yield from layer.feed(piece)
