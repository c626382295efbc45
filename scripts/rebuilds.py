"""Memory and open files of `kb serve` over many `kb index` rebuilds, while it is queried.

    .venv/bin/python scripts/rebuilds.py [--rebuilds 25] [--workers 1,2] [--content DIR] [--max-growth 0.10]

For each server mode (1: waitress; N > 1: gunicorn with N workers), copies
the content to a temporary folder, builds the index, starts `kb serve` on
127.0.0.1, then REBUILDS times: changes one article (a new word appended),
runs `kb index` while a client keeps searching, and checks that the new word
is found. Between rounds, with no request in flight, it reads the resident
memory (VmRSS) and the number of open files (/proc/PID/fd, sockets left out) of the server
and of each worker, and which index builds those files belong to. Prints a
table; exits 1 when any process's RSS after the last rebuild is more than
MAX_GROWTH above its RSS after the fifth (by then the caches a build fills
are full: results, scores and analyzed texts of the two newest builds), or it
holds files of more than two builds (the current one and the one before, kept
open for requests in flight), or more than 2 other open files than after the
first rebuild, or a request failed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KB = [sys.executable, "-m", "kb.cli"]
#: Open files outside the index a process may differ by between two quiet moments.
FD_JITTER = 2
#: Builds whose files a server may hold: the current one and the one before (requests in flight finish on
#: it; how many of its segment files are still open depends on what they read). A leak adds one a rebuild.
MAX_OPEN_BUILDS = 2
#: Rebuilds after which a server's per-build caches are full: growth is measured from there.
WARM = 5
QUERIES = ["records", "data quality", "goals", "vendor", "strategy", "נתונים", "البيانات", "training"]


@dataclass
class Sample:
    """One process's figures at one point: (rebuilds done, RSS KiB, other open files, builds open)."""

    points: list[tuple[int, int, int, int]] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def processes(pid: int) -> list[int]:
    """The server's process and its children (gunicorn's workers)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    return [pid, *sorted(int(c) for c in children)]


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def open_files(pid: int) -> tuple[int, int]:
    """Open files of ``pid`` (/proc/PID/fd) as (files outside the index, index builds with files open).
    Sockets are left out: connections come and go with the requests in flight."""
    other, builds = 0, set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:  # closed meanwhile
            continue
        build = next((part for part in Path(target).parts if part.startswith("build-")), None)
        if build:
            builds.add(build)
        else:
            other += not target.startswith("socket:")
    return other, len(builds)


def get(port: int, path: str, timeout: float = 15.0) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        conn.close()


def search_path(q: str, lang: str = "en") -> str:
    return "/api/search?" + urllib.parse.urlencode({"q": q, "lang": lang})


def pick_article(content: Path) -> Path:
    """An English article to append words to (the same every run)."""
    return sorted(p for p in (content / "en").glob("*.md") if p.name != "overview.md")[0]


def measure(workers: int, rebuilds: int, content_src: Path, log=print) -> tuple[dict[int, Sample], list[str]]:
    """Run the rounds for one server mode; return each process's samples and the failures seen."""
    samples: dict[int, Sample] = {}
    errors: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        content, index = Path(tmp) / "content", Path(tmp) / "index"
        shutil.copytree(content_src, content)
        env = {**os.environ, "KB_CONTENT_DIR": str(content), "KB_INDEX_DIR": str(index)}
        subprocess.run([*KB, "index"], env=env, check=True, capture_output=True, timeout=300)
        port = free_port()
        server = subprocess.Popen(
            [*KB, "serve", "--port", str(port), "--workers", str(workers)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_ready(port, server, workers)
            article = pick_article(content)
            for q in QUERIES:  # warm up: every language searched (spread over the workers)
                for lang in ("en", "he", "ar"):
                    get(port, search_path(q, lang))
            pids = processes(server.pid)

            def sample(done: int) -> None:
                for pid in processes(server.pid):
                    samples.setdefault(pid, Sample()).points.append((done, rss_kib(pid), *open_files(pid)))

            sample(0)
            for round_ in range(1, rebuilds + 1):
                word = f"zqpelican{round_}"
                text = article.read_text(encoding="utf-8")
                staged = article.with_suffix(".tmp")
                staged.write_text(text.rstrip("\n") + f" Also {word}.\n", encoding="utf-8")
                os.replace(staged, article)
                stop = threading.Event()
                client = threading.Thread(target=_client, args=(port, stop, errors, round_))
                client.start()
                try:
                    result = subprocess.run([*KB, "index"], env=env, capture_output=True, text=True, timeout=300)
                finally:
                    stop.set()
                    client.join()
                if result.returncode != 0:
                    errors.append(f"kb index failed: {result.stderr.strip()}")
                    break
                for _ in range(4 * workers):  # spread over the workers: each must follow the new build
                    status, data = get(port, search_path(word))
                    if status != 200 or data.get("total") != 1:
                        errors.append(f"round {round_}: {word} -> {status} {data.get('total')}")
                if round_ in (1, 5, 10, rebuilds) or round_ % 5 == 0:
                    sample(round_)
                    log(
                        f"  workers={workers} rebuilds={round_}: "
                        + ", ".join(
                            f"{pid}: {rss_kib(pid) / 1024:.1f} MiB, open files (other, builds) {open_files(pid)}"
                            for pid in processes(server.pid)
                        )
                    )
            if processes(server.pid) != pids:
                errors.append(f"server processes changed: {pids} -> {processes(server.pid)}")
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
    return samples, errors


def _wait_ready(port: int, server: subprocess.Popen, workers: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("kb serve exited")
        try:
            answered = get(port, search_path("records"), timeout=2)[0] == 200
            if answered and (workers <= 1 or len(processes(server.pid)) == workers + 1):
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("kb serve did not start")


def _client(port: int, stop: threading.Event, errors: list[str], seed: int) -> None:
    """Searches and pages, one at a time, until told to stop (bounded: a rebuild takes seconds)."""
    deadline = time.monotonic() + 120
    i = seed
    while not stop.is_set() and time.monotonic() < deadline:
        i += 1
        # The same few queries: each new build answers them afresh (results are cached per build), and the
        # process-wide caches of words see nothing new, so what grows is what a rebuild leaves behind.
        q = QUERIES[i % len(QUERIES)]
        lang = ("en", "he", "ar")[i % 3]
        for path in (search_path(q, lang), f"/{lang}/"):
            try:
                status = _page(port, path)
            except OSError as exc:
                errors.append(f"{type(exc).__name__} {path}")
                continue
            if status != 200:
                errors.append(f"{status} {path}")


def _page(port: int, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def verdicts(samples: dict[int, Sample], max_growth: float) -> list[dict]:
    """Per process: RSS and open files at the start, after the first and fifth rebuilds, and after the last."""
    rows = []
    for role, (pid, sample) in zip(_roles(samples), samples.items(), strict=True):
        start, first, last = sample.points[0], sample.points[1], sample.points[-1]
        warm = next((p for p in sample.points if p[0] >= WARM), first)
        growth = (last[1] - warm[1]) / warm[1]
        rows.append(
            {
                "process": role,
                "pid": pid,
                "rebuilds": last[0],
                "rss_start": start[1] / 1024,
                "rss_first": first[1] / 1024,
                "rss_warm": warm[1] / 1024,
                "rss_last": last[1] / 1024,
                "growth": growth,
                "fds_start": start[2],
                "fds_first": first[2],
                "fds_last": last[2],
                "builds_open": max(p[3] for p in sample.points),
                "ok": growth <= max_growth and last[2] <= first[2] + FD_JITTER
                and max(p[3] for p in sample.points) <= MAX_OPEN_BUILDS,
            }
        )
    return rows


def _roles(samples: dict[int, Sample]) -> list[str]:
    if len(samples) == 1:
        return ["server (waitress)"]
    return ["master (gunicorn)", *(f"worker {i}" for i in range(1, len(samples)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rebuilds", type=int, default=25)
    parser.add_argument("--workers", default="1,2", help="server modes, comma-separated worker counts")
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    parser.add_argument("--max-growth", type=float, default=0.10)
    args = parser.parse_args()
    table = [
        "| mode | process | rebuilds | RSS at start MiB | after 1st MiB | after 5th MiB | after last MiB"
        " | growth (last vs 5th) | other files at start | after 1st | after last | most builds open |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    failed = False
    for workers in (int(w) for w in args.workers.split(",")):
        samples, errors = measure(workers, args.rebuilds, args.content.resolve())
        for error in errors[:10]:
            print("error:", error)
        failed |= bool(errors)
        mode = "1 process (waitress)" if workers <= 1 else f"{workers} workers (gunicorn)"
        for row in verdicts(samples, args.max_growth):
            failed |= not row["ok"]
            table.append(
                f"| {mode} | {row['process']} | {row['rebuilds']} | {row['rss_start']:.1f} | {row['rss_first']:.1f}"
                f" | {row['rss_warm']:.1f} | {row['rss_last']:.1f} | {row['growth']:+.1%} | {row['fds_start']}"
                f" | {row['fds_first']} | {row['fds_last']} | {row['builds_open']} |"
            )
    print("\n".join(table))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
