"""Faults under real servers: damaged or deleted live builds, content edited while workers start,
and what many rebuilds leave behind in memory and open files."""

from __future__ import annotations

import os
import shutil
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from scripts.rebuilds import FD_JITTER, MAX_OPEN_BUILDS, measure, verdicts
from search.index import current_build

from ..conftest import CORPUS


def fetch(url: str) -> tuple[int, str]:
    """Status and body, for errors too."""
    try:
        with urllib.request.urlopen(url, timeout=15) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def search(site, q: str, lang: str = "en", page: bool = False) -> tuple[int, str]:
    query = urllib.parse.urlencode({"q": q, "lang": lang} if not page else {"q": q})
    return fetch(f"{site.base}/{lang}/search?{query}" if page else f"{site.base}/api/search?{query}")


def segment(build_path):
    (seg,) = (build_path / "en").glob("*.seg")
    return seg


def truncate(path) -> None:
    os.truncate(path, 200)


def scramble(path) -> None:
    """The same size, other bytes: a copy over the file, in place."""
    size = path.stat().st_size
    with open(path, "r+b") as handle:
        handle.write(os.urandom(size))


@pytest.mark.parametrize("damage", [truncate, scramble], ids=["truncated", "garbage of the same size"])
def test_a_segment_damaged_under_a_running_server_is_answered_with_the_way_out(site_factory, damage):
    site = site_factory(workers=1)
    assert site.search("records")[1]["total"] == 1
    damage(segment(current_build(site.index)))
    # New queries read the damaged file: the process stays up and answers with the way out (or from memory).
    for q in ("goals", "strategy gap", "records quality", "pelicans", "data"):
        status, body = search(site, q)
        assert site.process.poll() is None
        assert status == 200 or (status == 503 and "kb index" in body and body.startswith("{")), (status, body)
        status, body = search(site, q + " page", page=True)
        assert site.process.poll() is None
        assert status in (200, 503) and "Traceback" not in body
    assert any(search(site, q)[0] == 503 for q in ("goals records", "strategy", "gap data"))
    site.run_kb("index")
    for q in ("goals records", "strategy", "gap data"):  # answered with the way out before the rebuild
        status, data = site.search(q)
        assert status == 200 and data["total"] >= 1
    assert site.process.poll() is None


def test_a_truncated_file_in_a_new_build_is_refused_before_it_is_read(site_factory):
    site = site_factory(workers=1)
    good = current_build(site.index)
    site.add_word("pelicans")
    site.run_kb("index")
    truncate(segment(current_build(site.index)))
    for _ in range(5):  # the build open goes on serving; the damaged one is logged once
        status, data = site.search("records")
        assert status == 200 and data["total"] == 1
    assert site.search("pelicans")[1]["total"] == 0  # still the good build
    assert good.is_dir()
    log = site.stop()
    refusals = [line for line in log.splitlines() if "keeping the open search index" in line]
    assert len(refusals) == 1 and "built as" in refusals[0] and "kb index" in refusals[0]


def open_build_files(pid: int, build_name: str) -> list[str]:
    found = []
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if build_name in target:
            found.append(target)
    maps = open(f"/proc/{pid}/maps", encoding="utf-8").read()
    return found + [line for line in maps.splitlines() if build_name in line]


def test_a_deleted_live_build_lets_its_files_go_and_is_logged_once(site_factory):
    site = site_factory(workers=1)
    for q in ("records", "goals", "strategy"):  # every request thread opens its searchers
        for lang in ("en", "he", "ar"):
            assert site.search(q, lang)[0] == 200
    live = current_build(site.index)
    assert open_build_files(site.process.pid, live.name)  # the build's files are open while it serves
    shutil.rmtree(live)
    for q in ("records data", "goals", "gap", "strategy data", "pelicans", "records"):
        status, body = search(site, q)
        assert status == 503 and "kb index" in body
    assert fetch(f"{site.base}/en/")[0] == 200  # pages go on
    assert open_build_files(site.process.pid, live.name) == []  # the disk space is freed
    site.run_kb("index")
    assert site.search("records")[1]["total"] == 1
    log = site.stop()
    assert sum("was deleted" in line for line in log.splitlines()) == 1, log


def _edit_until(path, stop: threading.Event) -> None:
    """An editor saving the article again and again (atomically: the content is valid at every moment)."""
    text = path.read_text(encoding="utf-8")
    deadline = time.monotonic() + 90  # bounded even if the test body fails
    n = 0
    while not stop.is_set() and time.monotonic() < deadline:
        n += 1
        staged = path.with_name(".editing.tmp")
        staged.write_text(text + f"\nAlso edit{n}.\n", encoding="utf-8")
        os.replace(staged, path)
        time.sleep(0.01)


def children(pid: int) -> list[int]:
    return sorted(int(c) for c in open(f"/proc/{pid}/task/{pid}/children").read().split())


def test_workers_started_while_content_changes_serve_the_last_good_build(site_factory):
    # An editor saves an article again and again while the server starts: the master checks (or
    # rebuilds) the index, then each worker finds the content newer than the index it is given.
    stop = threading.Event()
    editors = []

    def start_editing(site) -> None:
        editors.append(threading.Thread(target=_edit_until, args=(site.content / "en" / "goals.md", stop)))
        editors[0].start()

    try:
        site = site_factory(workers=2, before_start=start_editing)
        deadline = time.monotonic() + 30
        while len(children(site.process.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1.0)  # both workers have booted while the editor was at work
    finally:
        stop.set()
        for editor in editors:
            editor.join()
    workers = children(site.process.pid)
    assert len(workers) == 2
    for _ in range(20):  # spread over both workers
        status, data = site.search("records")
        assert status == 200 and data["total"] == 1
    assert children(site.process.pid) == workers and site.process.poll() is None  # no worker restarted
    site.add_word("pelicans")
    site.run_kb("index")
    for _ in range(20):
        status, data = site.search("pelicans")
        assert status == 200 and [r["id"] for r in data["results"]] == ["data"]
    log = site.stop()
    assert "Worker failed to boot" not in log
    stale = [line for line in log.splitlines() if "serving the last good build" in line]
    assert 1 <= len(stale) <= 2, log  # once per worker at most


@pytest.mark.parametrize("workers", [1, 2], ids=["waitress", "gunicorn 2 workers"])
def test_rebuilds_while_serving_leave_memory_and_open_files_flat(workers):
    samples, errors = measure(workers, 25, CORPUS, log=lambda _: None)
    assert errors == []
    rows = verdicts(samples, max_growth=0.10)
    assert len(rows) == (1 if workers == 1 else workers + 1)
    for row in rows:
        assert row["rebuilds"] == 25
        # A leaked build would stay open after the next rebuild: at most the current build and the one before
        # (which requests in flight may still read) have files open. The master process holds no build.
        assert row["builds_open"] <= MAX_OPEN_BUILDS, row
        if not row["process"].startswith("master"):
            assert row["builds_open"] >= 1, row  # the measure sees the files a serving process reads
        # Other files (pipes, /dev/null, logs) are compared with their count after the first rebuild.
        assert row["fds_last"] <= row["fds_first"] + FD_JITTER, row
        assert row["growth"] <= 0.10, row
