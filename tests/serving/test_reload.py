"""``kb serve --reload``: a real server re-indexes saved content, and reports broken content with file and line."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request

from ..conftest import CORPUS
from .conftest import free_port


def _get(base: str, path: str):
    with urllib.request.urlopen(base + path, timeout=15) as response:
        return json.loads(response.read())


def _wait(predicate, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


def test_saved_changes_are_indexed_and_errors_reported(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CORPUS, content)
    port = free_port()
    env = {
        **os.environ,
        "KB_CONTENT_DIR": str(content),
        "KB_INDEX_DIR": str(tmp_path / "index"),
        "KB_RECORDING": "false",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "kb.cli", "serve", "--port", str(port), "--reload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        first = _wait(lambda: _try(lambda: _get(base, "/api/reload")))
        assert first == {"version": 0, "problems": []}
        page = urllib.request.urlopen(base + "/en/goals", timeout=15).read().decode()
        assert 'data-reload="/api/reload"' in page

        def hits(word):
            query = urllib.parse.urlencode({"q": word, "lang": "en"})
            return _get(base, f"/api/search?{query}")["total"]

        assert hits("zeppelin") == 0
        goals = content / "en" / "goals.md"
        goals.write_text(goals.read_text(encoding="utf-8") + "\nA zeppelin of goals.\n", encoding="utf-8")
        _wait(lambda: _get(base, "/api/reload")["version"] >= 1)
        assert _wait(lambda: hits("zeppelin")) == 1

        good = goals.read_text(encoding="utf-8")
        goals.write_text(
            good.replace("related: [data, strategy-gap]", "related: [data, strategy-gap"), encoding="utf-8"
        )
        state = _wait(lambda: (s := _get(base, "/api/reload"))["version"] >= 2 and s)
        assert any(p.startswith("content/en/goals.md:8: error: invalid YAML") for p in state["problems"])
        assert hits("zeppelin") == 1  # the last good content goes on serving

        goals.write_text(good, encoding="utf-8")
        state = _wait(lambda: (s := _get(base, "/api/reload"))["version"] >= 3 and s)
        assert state["problems"] == []
    finally:
        process.terminate()
        process.wait(timeout=20)


def _try(call):
    try:
        return call()
    except OSError:
        return None


def test_reload_is_off_by_default(client):
    assert client.get("/api/reload").status_code == 404
    assert "data-reload" not in client.get("/en/goals").get_data(as_text=True)
