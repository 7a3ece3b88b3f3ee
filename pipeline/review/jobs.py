"""Review stage: the web app's job runner — one background thread that carries out queued jobs
(the re-link a policy edit needs) outside every request, reporting progress to the job's row.

Takes the database path and the re-link to run (wired by the CLI: the ingestor's chunked
relink_all, whose transactions never interleave with a nightly run's writes); gives a runner
the app starts on its first request and stops at shutdown. One runner per app; its own SQLite
connection. A job left running by a killed server is queued again when the next one starts.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from ..errors import PipelineError
from ..store import jobs as store_jobs
from ..store.db import connect
from ..store.decisions import Database

# (db, progress(done, total)) -> documents re-linked
Relink = Callable[[Database, Callable[[int, int], None]], int]
# How often an idle runner looks for work queued by someone else (another process); a job
# queued by this app wakes it at once.
IDLE_POLL = 30.0
log = logging.getLogger(__name__)


class JobRunner:
    def __init__(self, db_path: Path, relink: Relink) -> None:
        self.db_path = db_path
        self.relink = relink
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def ensure_started(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="jobs", daemon=True)
                self._thread.start()

    def wake(self) -> None:
        self.ensure_started()
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        db = connect(self.db_path, create=False)
        try:
            store_jobs.requeue_running(db)
            while not self._stop.is_set():
                ids = store_jobs.claim_next(db)
                if ids:
                    self._run(db, ids)
                    continue
                self._wake.wait(IDLE_POLL)
                self._wake.clear()
        finally:
            db.conn.close()

    def _run(self, db: Database, ids: tuple[int, ...]) -> None:
        def progress(done: int, total: int) -> None:
            store_jobs.report_progress(db, ids, done, total)
            if self._stop.is_set():  # shutting down: the next runner starts the job again
                raise _Stopped

        try:
            self.relink(db, progress)
        except _Stopped:
            store_jobs.requeue_running(db)
            return
        except PipelineError as exc:
            store_jobs.finish(db, ids, str(exc))
            return
        except Exception as exc:  # a job never takes the app down; its row says what happened
            log.exception("job %s failed", ids)
            store_jobs.finish(db, ids, f"unexpected {type(exc).__name__}: {exc}")
            return
        store_jobs.finish(db, ids)


class _Stopped(Exception):
    """Raised inside a job's progress callback when the app is shutting down."""
