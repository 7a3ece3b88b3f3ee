"""What every figure shares: the bench web in a child process, a config for it, and children whose
peak memory is read from the kernel (os.wait4 gives one child's rusage, so the bench web and
Scrapy, children too, never blur the pipeline's figure)."""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.corpus import host

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


@dataclass
class Child:
    out: dict[str, Any]
    wall: float
    maxrss_kb: int  # the child's peak resident set, from its rusage


def child(
    args: list[str], *, timeout: float = 3600, ok: tuple[int, ...] = (0, 1), wants_json: bool = True
) -> Child:
    """Run `python args…`; its last JSON stdout line, and its own rusage reaped with os.wait4."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([PY, *args], cwd=ROOT, stdout=out, stderr=err)
        while True:  # polled, so that we (not Popen) reap the child and get its rusage
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > started + timeout:
                proc.kill()
                raise TimeoutError(" ".join(args))
            time.sleep(0.02)
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode(errors="replace")
    lines = [ln for ln in stdout.splitlines() if ln.startswith("{")]
    # 1 is `pipeline run`'s "partial" exit: a figure reports its failures rather than dying. A
    # bench worker always prints its JSON: exit 1 without it is a Python traceback.
    if code not in ok or (code and wants_json and not lines):
        raise RuntimeError(f"{' '.join(args)} failed ({code}):\n{stderr[-3000:]}")
    return Child(json.loads(lines[-1]) if lines else {}, wall, int(usage.ru_maxrss))


class BenchWeb:
    """`python -m bench.server` as a context manager: port, host addresses and the re-run mode."""

    def __init__(self, pages: int, seed: int, policies: int, *, warm: bool = False) -> None:
        args = ["-m", "bench.server", "--pages", str(pages), "--seed", str(seed)]
        args += ["--policies", str(policies)] + (["--warm"] if warm else [])
        self.proc = subprocess.Popen([PY, *args], cwd=ROOT, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        ready = json.loads(self.proc.stdout.readline())
        self.port: int = ready["port"]
        self.hosts: list[str] = ready["hosts"]

    def __enter__(self) -> BenchWeb:
        return self

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        self.proc.wait(10)

    def sitemaps(self) -> list[str]:
        return [f"http://{h}:{self.port}/sitemap.xml" for h in self.hosts]

    def mode(self, name: str) -> None:
        conn = http.client.HTTPConnection(self.hosts[0], self.port, timeout=10)
        conn.request("GET", f"/__bench__/mode/{name}")
        assert conn.getresponse().read() == name.encode()
        conn.close()

    def config(self, path: Path, *, concurrency: int) -> Path:
        """A sources.toml with one sitemap source per host, politeness off (delay 0)."""
        lines = [
            "[fetch]",
            'user_agent = "observatory-bench/0.1"',
            'allow_addresses = ["127.0.0.0/8"]',
            f"allow_ports = [{self.port}]",
            "delay_seconds = 0.0",
            "retries = 0",
            f"concurrency = {concurrency}",
        ]
        for i, url in enumerate(self.sitemaps()):
            country = host(i).country  # whose grammar reads its pages
            lines += ["", "[[source]]", f'id = "bench-{i:02d}"', f'name = "Bench site {i}"',
                      'kind = "sitemap"', f'url = "{url}"', f'country = "{country}"']  # fmt: skip
        path.write_text("\n".join(lines) + "\n")
        return path
