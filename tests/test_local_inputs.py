"""Local inputs (issue 13, item 4): `add` of a named pipe hung forever, /dev/zero was read until
memory ran out, a policy file nested 200,000 levels deep raised RecursionError. Every local input
is now a regular file, size-capped before reading, JSON depth-bounded; every refusal is one line,
exit 2, nothing written (not even the database)."""

from __future__ import annotations

import contextlib
import json
import os
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.cli import main

DS_TEXT = "Lima, 22 de abril de 2021. Se publicó el Decreto Supremo N° 004-2021-JUS.\n"


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Path]:
    """A named pipe nobody writes to. Should a command open it blocking, a watchdog opens the
    other end after a few seconds so the test fails instead of hanging the suite."""
    path = tmp_path / "pipe.html"
    os.mkfifo(path)
    done = threading.Event()

    def unblock() -> None:
        if done.wait(5):
            return
        while not done.is_set():
            with contextlib.suppress(OSError):  # no reader yet
                os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
            time.sleep(0.05)

    thread = threading.Thread(target=unblock, daemon=True)
    thread.start()
    yield path
    done.set()
    thread.join()


def pipeline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, float]:
    start = time.monotonic()
    with pytest.raises(SystemExit) as exit_:
        main(["--db", str(tmp_path / "t.db"), *args])
    code = exit_.value.code
    return (code if isinstance(code, int) else 0), capsys.readouterr().err, time.monotonic() - start


def refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code, err, took = pipeline(tmp_path, capsys, *args)
    assert code == 2, err
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err and "unexpected" not in err
    assert took < 4  # refused at once, never read until the watchdog opens the pipe
    assert not (tmp_path / "t.db").exists()  # nothing written
    return err


@pytest.mark.parametrize("command", [["add"], ["extract"], ["extract", "--json"]])
def test_a_named_pipe_is_refused_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fifo: Path, command: list[str]
) -> None:
    assert "is a named pipe, not a regular file" in refused(tmp_path, capsys, *command, str(fifo))


def capped(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command in a child limited to 2 GB of address space: were /dev/zero read, it would
    fail with MemoryError in about a second instead of taking the machine's memory."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))

    return subprocess.run(
        [sys.executable, "-m", "pipeline", "--db", str(tmp_path / "t.db"), *args],
        capture_output=True, text=True, timeout=60, check=False, preexec_fn=limit,
    )  # fmt: skip


@pytest.mark.parametrize(
    "args",
    [
        ("add", "/dev/zero"),
        ("extract", "/dev/zero"),
        ("policies", "import", "/dev/zero"),
        ("--config", "/dev/zero", "sources", "list"),
    ],
)
def test_a_device_is_refused_without_reading_it(tmp_path: Path, args: tuple[str, ...]) -> None:
    done = capped(tmp_path, *args)
    assert done.returncode == 2
    assert "is a character device, not a regular file" in done.stderr, done.stderr
    assert done.stderr.count("\n") == 1 and not (tmp_path / "t.db").exists()


def test_a_directory_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert "is a directory" in refused(tmp_path, capsys, "add", str(tmp_path))


def test_an_oversized_file_is_refused_before_it_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = tmp_path / "big.html"
    with big.open("wb") as out:  # sparse: 30 MB that take no disk
        out.truncate(30_000_000)
    assert "over 20.0 MB" in refused(tmp_path, capsys, "add", str(big))


def test_one_bad_input_among_good_ones_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fifo: Path
) -> None:
    good = tmp_path / "ds.txt"
    good.write_text(DS_TEXT, encoding="utf-8")
    refused(tmp_path, capsys, "add", str(good), str(fifo))
    assert not (tmp_path / "archive").exists()


def test_policy_files_pipes_devices_and_deep_nesting_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fifo: Path
) -> None:
    assert "named pipe" in refused(tmp_path, capsys, "policies", "import", str(fifo))
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    assert "nested deeper than 32 levels" in refused(
        tmp_path, capsys, "policies", "import", str(deep)
    )
    sneaky = tmp_path / "sneaky.json"  # brackets inside strings are not structure
    entry = {"id": "pe-x", "country": "PE", "title": "[[[[" * 100, "norms": []}
    sneaky.write_text(json.dumps([entry]), encoding="utf-8")
    code, err, _ = pipeline(tmp_path, capsys, "policies", "import", str(sneaky))
    assert code == 0, err


def test_replay_config_and_restore_refuse_what_is_not_a_regular_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fifo: Path
) -> None:
    assert "archive" in refused(tmp_path, capsys, "replay", str(fifo))
    assert "config file" in refused(tmp_path, capsys, "--config", str(fifo), "sources", "list")
    code, err, took = pipeline(tmp_path, capsys, "backup", "--restore", str(fifo))
    assert code == 2 and "named pipe" in err and took < 4


def test_a_password_from_an_endless_stdin_is_refused_not_read_forever(tmp_path: Path) -> None:
    with Path("/dev/zero").open("rb") as zero:
        done = subprocess.run(
            [sys.executable, "-m", "pipeline", "--db", str(tmp_path / "t.db"),
             "users", "add", "ana", "--password-stdin"],
            stdin=zero, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
    assert done.returncode == 2
    assert "a password needs 8 to 1024 characters" in done.stderr
