"""Archive: WARC write/read round trips, rotation, kill -9 survival, torn tails, path traversal."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import signal
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from pipeline.archive import Archive, iter_archive
from pipeline.errors import InputError
from pipeline.models import Fetched

ROOT = Path(__file__).resolve().parents[1]


def fetched(n: int = 0, body: bytes | None = None, **changes: object) -> Fetched:
    data = body if body is not None else f"<h1>Resolución {n}</h1>".encode()
    base: dict[str, object] = {
        "url": f"http://gazette.example/n/{n}",
        "final_url": f"https://gazette.example/norma/{n}",
        "status": 200,
        "headers": {"content-type": "text/html; charset=utf-8", "etag": f'"v{n}"'},
        "body": data,
        "sha256": hashlib.sha256(data).hexdigest(),
        "fetched_at": dt.datetime(2024, 5, 1, 3, 15, 0, 123456, tzinfo=dt.UTC),
        "content_type": "text/html; charset=utf-8",
    }
    base.update(changes)
    return Fetched(**base)  # type: ignore[arg-type]


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    original = fetched(1)
    with Archive(tmp_path) as archive:
        ref = archive.write(original)
        assert archive.read(ref) == original
    assert ref.startswith("2024-05-01/") and "#" in ref


def test_304_and_binary_bodies_round_trip(tmp_path: Path) -> None:
    with Archive(tmp_path) as archive:
        unchanged = fetched(2, body=b"", status=304)
        pdf = fetched(3, body=bytes(range(256)) * 40, content_type="application/pdf")
        refs = [archive.write(unchanged), archive.write(pdf)]
        assert [archive.read(r) for r in refs] == [unchanged, pdf]


def test_wire_headers_are_rewritten_for_the_decoded_body(tmp_path: Path) -> None:
    headers = {"content-type": "text/html", "content-encoding": "gzip", "content-length": "12"}
    with Archive(tmp_path) as archive:
        back = archive.read(archive.write(fetched(4, headers=headers)))
    assert back.headers == {"content-type": "text/html"}
    assert back.body == fetched(4).body  # read as-is, not gunzipped a second time


def test_many_records_each_readable_by_reference_and_by_iteration(tmp_path: Path) -> None:
    records = [fetched(n) for n in range(30)]
    with Archive(tmp_path) as archive:
        refs = [archive.write(r) for r in records]
        assert len(set(refs)) == 30
        assert [archive.read(r) for r in reversed(refs)] == records[::-1]
    files = sorted(tmp_path.rglob("*.warc.gz"))
    assert len(files) == 1
    assert list(iter_archive(files[0])) == records


def test_files_rotate_by_size_and_by_day(tmp_path: Path) -> None:
    big = os.urandom(5000)  # incompressible, so each record outgrows the limit
    next_day = dt.datetime(2024, 5, 2, tzinfo=dt.UTC)
    with Archive(tmp_path, max_file_bytes=4000) as archive:
        refs = [archive.write(fetched(n, body=big + bytes([n]))) for n in range(3)]
        refs.append(archive.write(fetched(9, fetched_at=next_day)))
        assert len({r.split("#")[0] for r in refs}) == 4
        assert all(archive.read(r).body.startswith(big[:10]) for r in refs[:3])
    assert sorted(p.parent.name for p in tmp_path.rglob("*.warc.gz")) == ["2024-05-01"] * 3 + [
        "2024-05-02"
    ]


def test_two_runs_never_share_a_file(tmp_path: Path) -> None:
    with Archive(tmp_path) as first, Archive(tmp_path) as second:
        a, b = first.write(fetched(1)), second.write(fetched(2))
    assert a.split("#")[0] != b.split("#")[0]


def test_concurrent_writers_in_one_run(tmp_path: Path) -> None:
    with Archive(tmp_path, fsync=False) as archive:
        with ThreadPoolExecutor(max_workers=8) as pool:
            refs = list(pool.map(lambda n: archive.write(fetched(n)), range(80)))
        assert sorted(archive.read(r).url for r in refs) == sorted(
            fetched(n).url for n in range(80)
        )


def test_kill_9_leaves_every_written_record_readable(tmp_path: Path) -> None:
    script = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(ROOT)!r})
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from test_archive import fetched
        from pipeline.archive import Archive
        archive = Archive(__import__("pathlib").Path({str(tmp_path)!r}))
        for n in range(5):
            print(archive.write(fetched(n)), flush=True)
        os.kill(os.getpid(), signal.SIGKILL)  # no close(), no atexit, no flush by Python
    """)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert run.returncode == -signal.SIGKILL, run.stderr
    refs = run.stdout.split()
    assert len(refs) == 5
    archive = Archive(tmp_path)
    assert [archive.read(r).url for r in refs] == [fetched(n).url for n in range(5)]


def test_torn_last_record_is_skipped_and_earlier_ones_survive(tmp_path: Path) -> None:
    with Archive(tmp_path) as archive:
        refs = [archive.write(fetched(n)) for n in range(4)]
    path = next(tmp_path.rglob("*.warc.gz"))
    last_offset = int(refs[-1].split("#")[1])
    data = path.read_bytes()
    path.write_bytes(data[: last_offset + (len(data) - last_offset) // 2])  # killed mid-write
    assert [f.url for f in iter_archive(path)] == [fetched(n).url for n in range(3)]
    assert Archive(tmp_path).read(refs[2]) == fetched(2)
    with pytest.raises(InputError):
        Archive(tmp_path).read(refs[3])


@pytest.mark.parametrize(
    "ref",
    [
        "../outside.warc.gz#0",
        "2024-05-01/../../outside.warc.gz#0",
        "/etc/passwd#0",
        "/tmp/x.warc.gz#0",
        "..\\..\\x.warc.gz#0",
        "2024-05-01/x.txt#0",
        "no-offset.warc.gz",
        "x.warc.gz#-5",
        "x.warc.gz#abc",
        "",
    ],
)
def test_references_leaving_the_root_or_malformed_are_refused(tmp_path: Path, ref: str) -> None:
    (tmp_path / "outside.warc.gz").write_bytes(b"")
    root = tmp_path / "archive"
    root.mkdir()
    with pytest.raises(InputError):
        Archive(root).read(ref)


def test_symlink_out_of_the_root_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    with Archive(outside) as other:
        ref = other.write(fetched(1))
    root = tmp_path / "archive"
    root.mkdir()
    os.symlink(outside / ref.split("/")[0], root / "2024-05-01")
    with pytest.raises(InputError, match="outside"):
        Archive(root).read(ref)


def test_missing_file_and_bad_offset_are_input_errors(tmp_path: Path) -> None:
    with Archive(tmp_path) as archive:
        ref = archive.write(fetched(1))
    rel = ref.split("#")[0]
    with pytest.raises(InputError, match="missing"):
        Archive(tmp_path).read("2024-05-01/gone.warc.gz#0")
    with pytest.raises(InputError):
        Archive(tmp_path).read(f"{rel}#7")
