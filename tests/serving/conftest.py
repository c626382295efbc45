"""Real server processes over a copy of the test corpus, for index-safety tests."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from ..conftest import CORPUS

KB = [sys.executable, "-m", "kb.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url: str, timeout: float = 15.0):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, json.loads(response.read())


class Site:
    """A ``kb serve`` process and its content and index folders."""

    def __init__(self, root: Path, workers: int, before_start=None) -> None:
        self.content = root / "content"
        self.index = root / "index"
        shutil.copytree(CORPUS, self.content)
        self.port = free_port()
        self.env = {**os.environ, "KB_CONTENT_DIR": str(self.content), "KB_INDEX_DIR": str(self.index)}
        self.run_kb("index")
        if before_start is not None:
            before_start(self)
        self.process = subprocess.Popen(
            [*KB, "serve", "--port", str(self.port), "--workers", str(workers)],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                self.search("records")
                break
            except OSError:  # refused, reset or timed out while the server starts (URLError is an OSError)
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"kb serve did not start: {self.process.stderr.read().decode()}") from None
                time.sleep(0.2)

    def run_kb(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run([*KB, *args], env=self.env, capture_output=True, text=True, check=check, timeout=120)

    def search(self, q: str, lang: str = "en"):
        query = urllib.parse.urlencode({"q": q, "lang": lang})
        return get_json(f"{self.base}/api/search?{query}")

    def add_word(self, word: str) -> None:
        path = self.content / "en" / "data.md"
        path.write_text(path.read_text(encoding="utf-8") + f"\nAlso {word}.\n", encoding="utf-8")

    def stop(self) -> str:
        """Stop the server; what it logged (stderr)."""
        self.process.terminate()
        try:
            _, err = self.process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, err = self.process.communicate(timeout=10)
        except ValueError:  # stopped before: its output was read then
            err = b""
        return (err or b"").decode("utf-8", "replace")


@pytest.fixture
def site_factory(tmp_path):
    sites = []

    def make(workers: int = 1, before_start=None) -> Site:
        site = Site(tmp_path / f"site{len(sites)}", workers, before_start)
        sites.append(site)
        return site

    yield make
    for site in sites:
        site.stop()
