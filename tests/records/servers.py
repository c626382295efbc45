"""``kb serve`` processes recording into a database, for the fault and load tests (127.0.0.1 only)."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

from sqlalchemy import func, select

from web.records import store

from ..serving.conftest import free_port


class RecordingServer:
    """A server over the session's indexed corpus; its log (stderr) goes to a file the tests read."""

    def __init__(self, corpus_index, database_url: str, log: Path, workers: int = 1, preexec=None, **env) -> None:
        content, index = corpus_index
        self.url, self.log = database_url, log
        self.port = free_port()
        environment = {
            **os.environ,
            "KB_CONTENT_DIR": str(content),
            "KB_INDEX_DIR": str(index),
            "KB_DATABASE_URL": database_url,
            "KB_FEEDBACK_PER_MINUTE": "1000000",
            "PYTHONUNBUFFERED": "1",
            **env,
        }
        self._log = open(log, "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kb.cli", "serve", "--port", str(self.port), "--workers", str(workers)],
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=self._log,
            preexec_fn=preexec,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                if self.get("/api/search?q=x&lang=en")[0] == 200:
                    break
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"kb serve did not start: {self.log_text()}")
            time.sleep(0.1)

    def request(self, method: str, path: str, body: dict | None = None, timeout: float = 15) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            headers = {"Content-Type": "application/json"} if body is not None else {}
            connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def get(self, path: str) -> tuple[int, bytes]:
        return self.request("GET", path)

    def search(self, query: str, lang: str = "en") -> float:
        """Search through the page (recorded); the seconds it took. Fails unless the answer is 200."""
        began = time.perf_counter()
        status, _ = self.get(f"/{lang}/search?" + urllib.parse.urlencode({"q": query}))
        assert status == 200
        return time.perf_counter() - began

    def vote(self, article_id: str = "goals", lang: str = "en", helpful: bool = True) -> int:
        return self.request("POST", "/api/feedback", {"id": article_id, "lang": lang, "helpful": helpful})[0]

    def log_text(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log.read_text(errors="replace")

    def wait_for_log(self, text: str, seconds: float = 30) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            log = self.log_text()
            if text in log:
                return log
            time.sleep(0.1)
        raise AssertionError(f"{text!r} not logged within {seconds} s; log:\n{self.log_text()}")

    def stop(self) -> int:
        """Stop as a service manager does (SIGTERM) and wait; the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()
        return self.process.returncode


def count(url: str, table) -> int:
    engine = store.open_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(table)).scalar_one()
    finally:
        engine.dispose()


def wait_for_count(url: str, table, expected: int, seconds: float = 20) -> int:
    """The table's row count once it reaches ``expected`` (or the last count after ``seconds``)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            found = count(url, table)
        except Exception:  # not created yet
            found = -1
        if found >= expected or time.monotonic() > deadline:
            return found
        time.sleep(0.1)
