"""The run's thread pool: a global cap on jobs at once, and one job per host at a time."""

from __future__ import annotations

import threading
import time
from collections import Counter

from pipeline.fetch.schedule import HostScheduler, host_of


def test_one_job_per_host_and_the_global_cap() -> None:
    lock = threading.Lock()
    running: Counter[str] = Counter()
    worst: Counter[str] = Counter()
    total_worst = [0]

    def job(host: str) -> str:
        with lock:
            running[host] += 1
            worst[host] = max(worst[host], running[host])
            total_worst[0] = max(total_worst[0], sum(running.values()))
        time.sleep(0.02)
        with lock:
            running[host] -= 1
        return host

    jobs: HostScheduler[int] = HostScheduler(3)
    for n in range(24):
        host = f"h{n % 6}"
        jobs.submit(host, lambda h=host: job(h), n)  # type: ignore[misc]
    done = sorted(tag for tag, future in jobs.finished() if future.result())
    jobs.close()
    assert done == list(range(24))
    assert max(worst.values()) == 1
    assert total_worst[0] == 3  # hosts ran side by side, never more than the cap


def test_jobs_submitted_while_iterating_are_run() -> None:
    jobs: HostScheduler[str] = HostScheduler(2)
    jobs.submit("a", lambda: 1, "first")
    seen = []
    for tag, _ in jobs.finished():
        seen.append(tag)
        if tag == "first":
            jobs.submit("a", lambda: 2, "second")
    jobs.close()
    assert seen == ["first", "second"]


def test_host_of() -> None:
    assert host_of("https://Busquedas.ElPeruano.pe/normaslegales/x") == "busquedas.elperuano.pe"
    assert host_of("not a url") == ""
