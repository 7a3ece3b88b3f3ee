"""WARC archive of every fetched response (the fetch stage's memory), and its replay.

Takes `Fetched` records and writes them as gzip WARC response records under one root folder; gives
back a reference "YYYY-MM-DD/<file>.warc.gz#<offset>" that the store keeps with the document
version, so a page can be re-extracted after its site changes or dies. `iter_archive` reads a whole
file back for `pipeline replay`. The only module that imports warcio.

Files: one per run (an `Archive` instance) and day, rotated by size, never appended to by another
run: a run killed mid-record leaves a torn tail only in its own file, and every earlier record
stays readable (each record is its own gzip member, flushed and fsynced before `write` returns, so
a database row never points at bytes that are not on disk).

The payload stored is the decoded body `net/http.py` returns, not the bytes on the wire: the WARC
record's HTTP headers are rewritten to match (no Content-Encoding / Transfer-Encoding, a true
Content-Length). Header values outside ASCII come back percent-encoded (warcio's choice).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import http
import io
import os
import secrets
import threading
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline.errors import InputError
from pipeline.localfiles import open_regular
from pipeline.models import Fetched

SUFFIX = ".warc.gz"
# Extension WARC fields (WARC 1.1 §4 allows them): what a response record alone does not say.
REQUESTED_URI = "Pipeline-Requested-URI"  # the URL asked for, before redirects
CONTENT_TYPE = "Pipeline-Content-Type"  # Fetched.content_type, which may differ from the header
# Describe how the body travelled, not the decoded body we store.
_WIRE_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})
# A record body read back from an archive (replay) is at most this big: above any sane [fetch]
# max_bytes, and it keeps a hostile or corrupt archive from filling memory.
MAX_RECORD_BYTES = 64_000_000


class Archive:
    """Writes and reads WARC records under `root`. Thread-safe; one instance per run."""

    def __init__(self, root: Path, *, max_file_bytes: int = 1 << 30, fsync: bool = True) -> None:
        self.root = Path(root)
        self.max_file_bytes = max_file_bytes
        self.fsync = fsync
        self._lock = threading.Lock()
        self._file: IO[bytes] | None = None
        self._day = ""
        self._rel = ""
        self._count = 0
        # Names unique across runs and processes: time, pid and a random token.
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
        self._prefix = f"{stamp}-{os.getpid()}-{secrets.token_hex(3)}"

    def __enter__(self) -> Archive:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None

    def write(self, fetched: Fetched) -> str:
        """Append one response record; returns its reference once it is durably on disk."""
        with self._lock:
            out = self._current_file(fetched.fetched_at)
            offset = out.tell()
            writer = WARCWriter(out, gzip=True, warc_version="WARC/1.1")
            writer.write_record(_record(writer, fetched))
            out.flush()
            if self.fsync:
                os.fsync(out.fileno())
            return f"{self._rel}#{offset}"

    def read(self, ref: str) -> Fetched:
        """The record a `write` reference points at. Refuses references that leave the root."""
        rel, sep, offset = ref.rpartition("#")
        if not sep or not offset.isdigit():
            raise InputError(f"not an archive reference: {ref!r}")
        path = self._inside(rel)
        try:
            with path.open("rb") as stream:
                stream.seek(int(offset))
                for record in ArchiveIterator(stream):
                    found = _fetched(record) if record.rec_type == "response" else None
                    if found is not None:
                        return found
                    break
        except FileNotFoundError:
            raise InputError(f"archive file missing: {rel}") from None
        except Exception as exc:  # warcio raises assorted errors on a bad offset or torn file
            raise InputError(f"no readable record at {ref}: {exc}") from None
        raise InputError(f"no response record at {ref}")

    def _inside(self, rel: str) -> Path:
        """`rel` as a path under the root, or InputError: no absolute paths, no "..", no symlink
        leading out (the reference is data read back from a database)."""
        parts = PurePosixPath(rel).parts
        if (
            not rel
            or rel.startswith("/")
            or "\\" in rel
            or ".." in parts
            or not rel.endswith(SUFFIX)
        ):
            raise InputError(f"archive reference outside the archive: {rel!r}")
        root = self.root.resolve()
        path = (root / rel).resolve()
        if not path.is_relative_to(root):
            raise InputError(f"archive reference outside the archive: {rel!r}")
        return path

    def _current_file(self, when: dt.datetime) -> IO[bytes]:
        day = when.astimezone(dt.UTC).strftime("%Y-%m-%d")
        out = self._file
        if out is not None and day == self._day and out.tell() < self.max_file_bytes:
            return out
        if out is not None:
            out.close()
        self._count += 1
        self._day = day
        self._rel = f"{day}/{self._prefix}-{self._count:05d}{SUFFIX}"
        path = self.root / self._rel
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file = path.open("xb")  # "x": never append to (or clobber) another run's file
        return self._file


def iter_archive(path: Path) -> Iterator[Fetched]:
    """Every response record of a WARC file, in order; stops quietly at a torn last record.
    The file must be a regular file (InputError otherwise); a record whose body is over
    MAX_RECORD_BYTES is skipped unread, so a hostile archive cannot exhaust memory."""
    with open_regular(Path(path), "archive") as stream:
        records = iter(ArchiveIterator(stream))
        while True:
            try:
                record = next(records)
                if record.rec_type != "response":
                    continue
                fetched = _fetched(record)
            except StopIteration:
                return
            except Exception:  # a run killed mid-write leaves a torn tail; the rest is good
                return
            if fetched is not None:
                yield fetched


def _record(writer: WARCWriter, fetched: Fetched) -> Any:
    headers = [(k, v) for k, v in fetched.headers.items() if k.lower() not in _WIRE_HEADERS]
    headers.append(("Content-Length", str(len(fetched.body))))
    http_headers = StatusAndHeaders(
        f"{fetched.status} {_reason(fetched.status)}".strip(), headers, protocol="HTTP/1.1"
    )
    when = fetched.fetched_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return writer.create_warc_record(
        fetched.final_url,
        "response",
        payload=io.BytesIO(fetched.body),
        length=len(fetched.body),
        http_headers=http_headers,
        warc_headers_dict={
            "WARC-Date": when,
            REQUESTED_URI: fetched.url,
            CONTENT_TYPE: fetched.content_type,
        },
    )


def _reason(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return ""


def _fetched(record: Any) -> Fetched | None:
    warc = record.rec_headers
    final_url = warc.get_header("WARC-Target-URI") or ""
    body = record.content_stream().read(MAX_RECORD_BYTES + 1)
    if len(body) > MAX_RECORD_BYTES:
        return None
    headers = {
        k.lower(): v for k, v in record.http_headers.headers if k.lower() not in _WIRE_HEADERS
    }
    return Fetched(
        url=warc.get_header(REQUESTED_URI) or final_url,
        final_url=final_url,
        status=int(record.http_headers.get_statuscode()),
        headers=headers,
        body=body,
        sha256=hashlib.sha256(body).hexdigest(),
        fetched_at=_parse_date(warc.get_header("WARC-Date") or ""),
        content_type=warc.get_header(CONTENT_TYPE) or headers.get("content-type", ""),
    )


def _parse_date(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return dt.datetime.fromtimestamp(0, dt.UTC)
