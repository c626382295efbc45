"""The index under real servers: rebuilds under load, several workers, killed builds, damage."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time

from search.index import current_build

from .conftest import KB


def test_every_worker_picks_up_a_rebuilt_index_without_restart(site_factory):
    site = site_factory(workers=2)
    assert site.search("pelicans")[1]["total"] == 0
    site.add_word("pelicans")
    site.run_kb("index")
    # Requests are spread over both workers; every one must see the new build.
    for _ in range(20):
        status, data = site.search("pelicans")
        assert status == 200 and [r["id"] for r in data["results"]] == ["data"]


def test_rebuild_under_load_fails_no_request_and_never_mixes(site_factory):
    site = site_factory(workers=1)

    def answer(data):
        return data["total"], tuple((r["id"], r["snippet"]) for r in data["results"])

    old = answer(site.search("records goals pelicans")[1])
    errors, answers = [], []
    stop = threading.Event()

    def client():
        deadline = time.monotonic() + 30  # bounded even if the test body fails
        while not stop.is_set() and time.monotonic() < deadline:
            try:
                status, data = site.search("records goals pelicans")
                answers.append((status, answer(data)))
            except Exception as exc:
                errors.append(repr(exc))

    threads = [threading.Thread(target=client) for _ in range(4)]
    for t in threads:
        t.start()
    site.add_word("pelicans")
    for _ in range(3):
        site.run_kb("index")
    stop.set()
    for t in threads:
        t.join()
    new = answer(site.search("records goals pelicans")[1])
    assert new != old  # the new word shows in the snippets
    assert errors == []
    assert len(answers) > 20
    assert {status for status, _ in answers} == {200}
    # Each answer comes wholly from the old build or wholly from a new one.
    assert {a for _, a in answers} <= {old, new}


def test_killing_kb_index_at_any_moment_leaves_the_live_index(site_factory):
    site = site_factory(workers=1)
    live = current_build(site.index)
    site.add_word("pelicans")
    for delay in (0.05, 0.3, 0.6, 0.9, 1.2):
        process = subprocess.Popen([*KB, "index"], env=site.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        now = current_build(site.index)
        assert now.is_dir() and (now / "meta.json").exists()
        status, data = site.search("records")
        assert status == 200 and data["total"] == 1
    # The next complete build cleans up what the killed ones left behind.
    site.run_kb("index")
    assert not list(site.index.glob(".build-*"))
    assert current_build(site.index) != live
    assert site.search("pelicans")[1]["total"] == 1


def _damage(build_path) -> None:
    for segment in (build_path / "en").glob("*.seg"):
        segment.write_bytes(b"\0" * 64)


def test_a_damaged_index_is_reported_with_the_way_out(site_factory, tmp_path):
    site = site_factory(workers=1)
    good = current_build(site.index)
    # A damaged build swapped in under a running server: it keeps serving the build it has open.
    site.run_kb("index")
    damaged = current_build(site.index)
    _damage(damaged)
    for _ in range(5):
        status, data = site.search("records")
        assert status == 200 and data["total"] == 1
    # The CLI refuses it with the way out, without a traceback.
    env = {**site.env, "KB_AUTO_INDEX": "false"}
    result = subprocess.run([*KB, "search", "records", "--lang", "en"], env=env, capture_output=True, text=True)
    assert result.returncode == 2
    assert "is damaged" in result.stderr and "rebuild it with 'kb index'" in result.stderr
    assert "Traceback" not in result.stderr
    # A site opening it rebuilds it (KB_AUTO_INDEX is on by default): kb serve before serving, an app
    # made by create_app (which touches no index) on its first request.
    from web.app import create_app

    app = create_app({"KB_CONTENT_DIR": str(site.content), "KB_INDEX_DIR": str(site.index)})
    assert current_build(site.index) == damaged
    assert app.test_client().get("/api/search?q=records&lang=en").get_json()["total"] == 1
    assert current_build(site.index) not in (good, damaged)


def test_a_missing_index_is_refused_with_the_way_out(tmp_path):
    from ..conftest import CORPUS

    env = {**os.environ, "KB_CONTENT_DIR": str(CORPUS), "KB_INDEX_DIR": str(tmp_path / "none"), "KB_AUTO_INDEX": "0"}
    result = subprocess.run([*KB, "serve", "--port", "1"], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "no search index in" in result.stderr and "build it with 'kb index'" in result.stderr
