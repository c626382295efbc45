"""The index and content layers under faults: leftovers of killed builds, folders that cannot be
written, stray huge files, and what `kb index` shows on a terminal."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import pty
import select
import shutil
import struct
import subprocess
import sys
import termios
import time
import urllib.request
from pathlib import Path

import pytest

from kb.loader import fingerprint, load_strict
from search import index as search_index
from search.errors import IndexUnwritable
from search.index import build, current_build, current_name

from ..conftest import CORPUS

KB = [sys.executable, "-m", "kb.cli"]


@pytest.fixture
def content(tmp_path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(CORPUS, root)
    return root


def run_kb(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([*KB, *args], env={**os.environ, **env}, capture_output=True, text=True, timeout=120)


def test_a_stray_current_link_left_by_a_killed_build_is_removed_by_the_next(content, tmp_path):
    index = tmp_path / "index"
    kb = load_strict(content)
    first = build(kb, index, content)
    # A build killed between os.symlink and os.replace leaves its new link behind.
    stray = index / ".current-deadbeef"
    os.symlink(first.path.name, stray)
    dangling = index / ".current-0badf00d"
    os.symlink("build-gone", dangling)
    second = build(kb, index, content)
    assert not os.path.lexists(stray) and not os.path.lexists(dangling)
    assert current_build(index) == second.path
    assert sorted(p.name for p in index.iterdir() if p.name.startswith(".")) == [".lock"]


def test_a_failed_swap_leaves_no_link_behind(content, tmp_path, monkeypatch):
    index = tmp_path / "index"
    kb = load_strict(content)
    first = build(kb, index, content)

    def refuse(*_args):
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(search_index.os, "replace", refuse)
    with pytest.raises(IndexUnwritable, match="the live index is unchanged"):
        build(kb, index, content)
    assert current_build(index) == first.path
    assert [p.name for p in index.iterdir() if p.name.startswith(".current-")] == []


def test_index_dir_that_is_a_file_gets_one_line(content, tmp_path):
    target = tmp_path / "index"
    target.write_text("not a folder")
    result = run_kb("index", env={"KB_CONTENT_DIR": str(content), "KB_INDEX_DIR": str(target)})
    assert result.returncode == 2
    message = f"Error: the index folder {target} is a file, not a folder; set KB_INDEX_DIR to a folder"
    assert result.stderr.strip() == message
    assert target.read_text() == "not a folder"


def test_index_dir_under_a_file_gets_one_line(content, tmp_path):
    (tmp_path / "file").write_text("x")
    result = run_kb("index", env={"KB_CONTENT_DIR": str(content), "KB_INDEX_DIR": str(tmp_path / "file" / "index")})
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "cannot write the search index" in result.stderr and "Not a directory" in result.stderr
    assert "Traceback" not in result.stderr


def test_write_errors_become_index_unwritable(content, tmp_path, monkeypatch):
    """ENOSPC, EROFS and EACCES from anywhere in a build: one message, the live index as it was."""
    index = tmp_path / "index"
    kb = load_strict(content)
    first = build(kb, index, content)
    for code in (errno.ENOSPC, errno.EROFS, errno.EACCES):

        def full(*_args, code=code, **_kwargs):
            if code == errno.ENOSPC:  # the kernel's own error: /dev/full is always full
                with open("/dev/full", "wb", buffering=0) as handle:
                    handle.write(b"x")
            raise OSError(code, os.strerror(code))

        monkeypatch.setattr(search_index, "_write_all", full)
        with pytest.raises(IndexUnwritable) as caught:
            build(kb, index, content)
        assert os.strerror(code) in str(caught.value) and "the live index is unchanged" in str(caught.value)
        assert current_build(index) == first.path
        assert [p.name for p in index.iterdir() if p.name.startswith(".build-")] == []


def _root() -> bool:
    return os.geteuid() == 0


@pytest.fixture
def small_disk(tmp_path):
    """A 2 MiB tmpfs: a full disk for real (root only)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2M", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.mark.skipif(not _root(), reason="mounting a small disk needs root")
def test_kb_index_on_a_full_disk_and_a_read_only_one(content, small_disk):
    index = small_disk / "index"
    env = {"KB_CONTENT_DIR": str(content), "KB_INDEX_DIR": str(index)}
    assert run_kb("index", env=env).returncode == 0
    live = current_name(index)
    filler = small_disk / "filler"
    with open(filler, "wb") as handle:  # fill the disk
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    result = run_kb("index", env=env)
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert "No space left on device" in result.stderr and "the live index is unchanged" in result.stderr
    assert current_name(index) == live
    assert run_kb("search", "records", "--lang", "en", "--json", env=env).returncode == 0
    filler.unlink()
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    result = run_kb("index", env=env)
    assert result.returncode == 2
    assert "Read-only file system" in result.stderr and "Traceback" not in result.stderr
    assert current_name(index) == live
    assert run_kb("search", "records", "--lang", "en", "--json", env=env).returncode == 0


def _max_rss_of(args: list[str], env: dict) -> tuple[subprocess.CompletedProcess, int]:
    """Run a child and return its peak RSS in KiB (it is the only child waited for in between)."""
    script = (
        "import resource, subprocess, sys; "
        "r = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
        "sys.stdout.write(r.stdout); sys.stderr.write(r.stderr); sys.exit(r.returncode)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, *args], env={**os.environ, **env}, capture_output=True, text=True, timeout=120
    )
    first, _, rest = result.stdout.partition("\n")
    return subprocess.CompletedProcess(result.args, result.returncode, rest, result.stderr), int(first)


@pytest.mark.parametrize("rel", ["en/huge.md", "he/huge.bin", "huge.dat"])
def test_a_400_megabyte_stray_file_is_reported_and_never_read_whole(content, rel):
    path = content / rel
    subprocess.run(["truncate", "-s", "400M", str(path)], check=True)  # sparse: costs no disk
    result, peak = _max_rss_of([*KB, "check"], {"KB_CONTENT_DIR": str(content)})
    display = f"content/{rel}"
    reported = [line for line in result.stdout.splitlines() if line.startswith(display)]
    assert len(reported) == 1, result.stdout
    assert ("too large" in reported[0]) if rel.endswith(".md") else ("400 MiB" in reported[0])
    assert peak < 150 * 1024, f"kb check peaked at {peak / 1024:.0f} MiB"
    # The freshness fingerprint does not read it either, and still sees it change.
    before = fingerprint(content)
    started = time.monotonic()
    assert fingerprint(content) == before
    assert time.monotonic() - started < 5  # a stat, not 400 MB read (a generous bound, not a timing target)
    os.truncate(path, 300 * 1024 * 1024)
    assert fingerprint(content) != before


def test_kb_serve_start_up_fingerprint_ignores_a_huge_stray_file(content, tmp_path):
    subprocess.run(["truncate", "-s", "400M", str(content / "huge.dat")], check=True)
    env = {"KB_CONTENT_DIR": str(content), "KB_INDEX_DIR": str(tmp_path / "index")}
    result, peak = _max_rss_of([*KB, "index"], env)
    assert result.returncode == 0, result.stderr
    assert peak < 250 * 1024, f"kb index peaked at {peak / 1024:.0f} MiB"


def _on_a_terminal(args: list[str], env: dict) -> str:
    """Run ``args`` with stdout and stderr on a pseudo-terminal; everything it wrote."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # 100 columns
    process = subprocess.Popen(args, stdout=follower, stderr=follower, env={**os.environ, **env}, close_fds=True)
    os.close(follower)
    out = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            out += chunk
        elif process.poll() is not None:
            break
    process.wait(timeout=10)
    os.close(leader)
    return out.decode("utf-8", "replace")


def test_kb_index_shows_progress_on_a_terminal_only(content, tmp_path):
    env = {"KB_CONTENT_DIR": str(content), "KB_INDEX_DIR": str(tmp_path / "index")}
    # The bar waits a second before showing (short builds stay quiet); here it shows at once.
    shown = "import sys, kb.cli as cli; cli.PROGRESS_DELAY = 0; sys.argv[0] = 'kb'; cli.main()"
    out = _on_a_terminal([sys.executable, "-c", shown, "index"], env)
    for lang in ("he", "ar", "en"):
        assert f"indexing {lang}" in out, out
    assert "articles/s" in out and "0/3" in out
    result = run_kb("index", env=env)  # not a terminal: only the summary
    assert result.returncode == 0 and "indexing" not in result.stderr + result.stdout


@pytest.mark.skipif(not _root(), reason="mounting a small disk needs root")
@pytest.mark.parametrize("full", [True, False], ids=["full", "read-only"])
def test_kb_serve_with_a_stale_index_on_an_unwritable_disk_serves_the_intact_one(content, small_disk, full):
    from ..serving.conftest import free_port

    index = small_disk / "index"
    env = {"KB_CONTENT_DIR": str(content), "KB_INDEX_DIR": str(index)}
    assert run_kb("index", env=env).returncode == 0
    (content / "en" / "data.md").write_text((content / "en" / "data.md").read_text() + "\nAlso zebras.\n")
    if full:
        with open(small_disk / "filler", "wb") as handle, contextlib.suppress(OSError):
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
    else:
        subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    port = free_port()
    server = subprocess.Popen(
        [*KB, "serve", "--port", str(port)], env={**os.environ, **env}, stderr=subprocess.PIPE, text=True
    )
    try:
        lines = []
        while not (lines and lines[-1].startswith("serving on")) and len(lines) < 5:
            lines.append(server.stderr.readline())
        assert lines[-1].startswith("serving on"), lines
        assert "serving the search index as it is, possibly out of date" in lines[0], lines
        assert "Traceback" not in "".join(lines)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/search?q=records&lang=en", timeout=15) as answer:
            assert json.loads(answer.read())["total"] >= 1
    finally:
        server.terminate()
        server.wait(timeout=20)
