"""Recording off the request path: a bounded queue and one writer thread per server process.

A request only puts a record on the queue (:meth:`Recorder.record`), which
never blocks: when the queue is full the record is dropped and counted. The
writer thread takes records off in batches and writes each batch in one
transaction. When the database is unreachable, locked, full or read-only,
or its schema is not current, the batch is dropped and counted, one line is
logged per minute at most, and the site goes on serving; the next batch
tries again, so recording resumes by itself once the database is back.

The thread is a real OS thread in both servers (gevent's workers leave
threads unpatched), and everything queued is written when the process
stops normally (at exit, and on SIGTERM under waitress).
"""

from __future__ import annotations

import atexit
import logging
import queue
import signal
import sys
import threading
import time

from sqlalchemy.exc import SQLAlchemyError

from . import store

log = logging.getLogger(__name__)

#: Records waiting to be written, per process; beyond this they are dropped and counted.
QUEUE_SIZE = 10_000
#: Records written in one transaction at most.
BATCH_SIZE = 500
#: How often the writer wakes to write what is queued (seconds): fewer, larger transactions cost less
#: CPU per record (about 60 us a record in batches of 50, 15 us in batches of 500), and a request never
#: wakes the writer, so recording causes no thread switch on the request path.
BATCH_SECONDS = 1.0
#: Drops are logged at most this often (seconds).
LOG_EVERY = 60.0
#: How long stopping waits for the queue to be written (seconds).
STOP_SECONDS = 10.0


class Recorder:
    """Records to one database; :attr:`dropped` counts what could not be written."""

    def __init__(self, url: str, enabled: bool = True, queue_size: int = QUEUE_SIZE) -> None:
        self.url, self.enabled = url, enabled
        self.dropped = 0
        self.written = 0
        self._queue: queue.Queue = queue.Queue(queue_size)
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._pending = 0
        self._unlogged = 0
        self._last_log = float("-inf")
        self._thread: threading.Thread | None = None
        self._engine = None
        self._ready = False
        self._stopping = False
        # The writer sleeps on this between batches: a request's record never wakes it (no thread switch).
        self._wake = threading.Event()

    def start(self) -> None:
        """Start the writer (once); it checks the database first and logs what is wrong with it."""
        if not self.enabled:
            return
        with self._lock:
            if self._thread is not None:
                return
            self._thread = threading.Thread(target=self._run, name="kb-recorder", daemon=True)
            self._thread.start()
        atexit.register(self.stop)
        _exit_on_sigterm()

    def record(self, kind: str, row: dict) -> None:
        """Queue one record (kind: search, click or vote); never blocks, never raises."""
        if not self.enabled:
            return
        if self._thread is None:
            self.start()
        with self._lock:
            self._pending += 1
        try:
            self._queue.put_nowait((kind, row))
        except queue.Full:
            with self._lock:
                self._pending -= 1
            self._drop(1, "the queue of records to write is full")

    def flush(self, timeout: float = STOP_SECONDS) -> bool:
        """Wait until everything queued so far is written or dropped; False if ``timeout`` passed first."""
        deadline = time.monotonic() + timeout
        self._wake.set()
        with self._idle:
            while self._pending:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._idle.wait(left)
        return True

    def stop(self) -> None:
        """Write what is queued, then stop the writer (called at exit)."""
        thread = self._thread
        if thread is None or not thread.is_alive():
            return
        self.flush(STOP_SECONDS)
        self._stopping = True
        self._wake.set()
        thread.join(STOP_SECONDS)
        with self._lock:
            if self._unlogged:
                log.warning("records: %d record(s) dropped in all since start", self.dropped)

    # --- the writer thread ---------------------------------------------------

    def _run(self) -> None:
        problem = self._connect()
        if problem:  # the start-up check: said at once, whatever the minute
            with self._lock:
                self._last_log = time.monotonic()
            log.warning("records: not recording for now: %s", problem)
        while True:
            self._wake.wait(BATCH_SECONDS)
            self._wake.clear()
            while True:
                batch = self._take()
                if batch:
                    self._write(batch)
                if len(batch) < BATCH_SIZE:
                    break
            if self._stopping:
                return

    def _take(self) -> list:
        """Up to BATCH_SIZE records waiting in the queue (none when it is empty)."""
        batch = []
        while len(batch) < BATCH_SIZE:
            try:
                batch.append(self._queue.get_nowait())
            except queue.Empty:
                break
        return batch

    def _connect(self) -> str | None:
        """Open the database and check its schema; what is wrong with it, or None when it is ready."""
        try:
            if self._engine is None:
                self._engine = store.open_engine(self.url)
            store.prepare(self._engine)
        except store.DatabaseError as exc:
            return str(exc)
        except (SQLAlchemyError, OSError) as exc:
            return store.reason(exc)
        self._ready = True
        return None

    def _write(self, batch: list) -> None:
        try:
            problem = None if self._ready else self._connect()
            if problem:
                self._drop(len(batch), problem)
                return
            store.insert(self._engine, batch)
        except Exception as exc:  # the site keeps serving whatever the database says
            self._ready = self._ready and isinstance(exc, SQLAlchemyError) and not _schema_problem(exc)
            self._drop(len(batch), store.reason(exc))
        else:
            with self._lock:
                self.written += len(batch)
        finally:
            with self._idle:
                self._pending -= len(batch)
                if self._pending <= 0:
                    self._idle.notify_all()

    def _drop(self, count: int, reason: str | None) -> None:
        with self._lock:
            self.dropped += count
            self._unlogged += count
            due = time.monotonic() - self._last_log >= LOG_EVERY
            if due:
                self._last_log = time.monotonic()
                unlogged, self._unlogged = self._unlogged, 0
        if due:
            log.warning(
                "records: dropped %d record(s)%s; %d dropped since start (the site goes on serving)",
                unlogged,
                f" ({reason})" if reason else "",
                self.dropped,
            )


def _schema_problem(exc: BaseException) -> bool:
    text = store.reason(exc).lower()
    return "no such table" in text or "does not exist" in text


def _exit_on_sigterm() -> None:
    """Under waitress, SIGTERM would end the process without running exit handlers: make it a normal exit."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(0))
