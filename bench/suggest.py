"""Instant search over HTTP: a keystroke stream against ``/api/suggest`` on a real ``kb serve``.

``.venv/bin/python -m bench.suggest [--users 16] [--interval 0.15] [--threads 3] [--seconds 60] [--queries TSV]``

Over the real content (``content/``), a ``kb serve`` subprocess on
127.0.0.1 (its index built in a temporary folder, the server stopped by its
pid). Each of the shared development queries is typed letter by letter:
every prefix is one request, as the search box sends them. ``--users``
simulated people (one keep-alive connection each) type at the same time,
one keystroke every ``--interval`` seconds (the dropdown waits 120 ms after
the last key, so a person typing about as fast sends about that many), a
pause of four keystrokes between two queries. The same stream, at the same
pace, is measured on two fresh servers, one for ``/api/suggest`` and one
for ``/api/search`` with each prefix (what instant search would cost
through the search endpoint), each in this order:

1. ``/api/analyze`` with each prefix: the floor, what any request costs (HTTP, Flask, JSON);
2. the endpoint, first pass: nothing of the stream's kept yet (every prefix new to the server);
3. the endpoint again: what the first pass left in the server's caches.

Each server is warmed first with one search and one suggestion per language
(none of the stream's). Each phase stops at ``--seconds``; percentiles are
of every answered request, and ratios are against the floor of the same run.
The server's CPU time per request (``/proc/<pid>/stat``) is printed too,
and, first, the same keystrokes in-process on one thread (CPU and wall time
of each): latency on a shared machine follows the other processes' load,
CPU time much less.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from kb.loader import load_strict
from search import index as search_index
from search.query import open_live
from search.suggest import suggest, warm

from . import load, queries
from .common import log
from .stats import ms, percentile, ratio, table

REPO = Path(__file__).resolve().parents[1]
PAUSE_KEYS = 4  # keystrokes' time between two queries of one person
WARM = "CRM"


def keystrokes(texts: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """Each query as the prefixes its typing sends: [(lang, prefix), ...] per query (spaces are typed too)."""
    return [[(lang, text[:n]) for n in range(1, len(text) + 1) if text[:n].strip()] for lang, text in texts]


def path_for(endpoint: str, lang: str, text: str) -> str:
    key = "text" if endpoint == "/api/analyze" else "q"
    return f"{endpoint}?{urlencode({'lang': lang, key: text})}"


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used so far (``/proc/<pid>/stat``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_phase(
    port: int, endpoint: str, typed: list[list[tuple[str, str]]], users: int, interval: float, seconds: float
):
    """Every person types their share of the queries; (latencies in seconds, errors, seconds taken)."""
    latencies: list[list[float]] = [[] for _ in range(users)]
    errors = [0] * users
    start = time.perf_counter()
    deadline = start + seconds

    def person(k: int) -> None:
        conn = http.client.HTTPConnection(load.HOST, port, timeout=10)
        due = time.perf_counter() + k * interval / users  # people start a little apart
        for query in typed[k::users]:
            for lang, text in query:
                pause = due - time.perf_counter()
                if pause > 0:
                    time.sleep(pause)
                if time.perf_counter() > deadline:
                    conn.close()
                    return
                began = time.perf_counter()
                try:
                    conn.request("GET", path_for(endpoint, lang, text))
                    response = conn.getresponse()
                    response.read()
                    if response.status == 200:
                        latencies[k].append(time.perf_counter() - began)
                    else:
                        errors[k] += 1
                except (OSError, http.client.HTTPException):
                    errors[k] += 1
                    conn.close()
                    conn = http.client.HTTPConnection(load.HOST, port, timeout=10)
                due += interval
            due += PAUSE_KEYS * interval
        conn.close()

    threads = [threading.Thread(target=person, args=(k,), daemon=True) for k in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 30)
    return sorted(x for chunk in latencies for x in chunk), sum(errors), time.perf_counter() - start


def serve_and_measure(endpoint: str, typed, args) -> list[list[str]]:
    """A fresh ``kb serve``: the floor, then the stream against ``endpoint`` twice (first pass, then again)."""
    work = Path(tempfile.mkdtemp(prefix="kb-bench-suggest-"))
    server = load.Server(REPO / "content", work / "index", work / "serve.log", threads=args.threads)
    rows = []
    try:
        server.start()
        ready = server.wait_ready("/api/search?q=CRM&lang=he")
        log(f"kb serve ready in {ready:.1f} s (index built)")
        for lang in ("he", "ar", "en"):
            for warm in ("/api/search", "/api/suggest"):
                status, _ = load.get(server.port, path_for(warm, lang, WARM))
                assert status == 200, (warm, lang, status)
        floor = None
        for name, path in (
            ("/api/analyze (floor)", "/api/analyze"),
            (f"{endpoint}, first pass", endpoint),
            (f"{endpoint}, second pass", endpoint),
        ):
            cpu = cpu_seconds(server.proc.pid)
            found, errors, took = run_phase(server.port, path, typed, args.users, args.interval, args.seconds)
            cpu = cpu_seconds(server.proc.pid) - cpu
            stats = {p: percentile(found, p) for p in (50, 95, 99)}
            floor = floor or stats
            log(f"{name}: {len(found)} answered in {took:.1f} s, p99 {ms(stats[99])} ms")
            rows.append(
                [
                    f"for {endpoint}",
                    name,
                    str(len(found)),
                    str(errors),
                    f"{len(found) / took:.0f}" if took else "–",
                    ms(stats[50]),
                    ms(stats[95]),
                    ms(stats[99]),
                    ms(found[-1]) if found else "–",
                    ms(cpu / max(1, len(found) + errors)),
                    ratio(stats[50], floor[50]),
                    ratio(stats[99], floor[99]),
                ]
            )
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    return rows


def relevant(path: Path) -> list[set[str]]:
    """The articles each development query should find (its ``relevant`` column), in the file's order."""
    with open(path, encoding="utf-8", newline="") as handle:
        return [set(row["relevant"].split(",")) for row in csv.DictReader(handle, delimiter="\t") if row.get("query")]


def in_process(typed, wanted: list[set[str]]) -> tuple[list[list[str]], list[float]]:
    """Every keystroke through :func:`search.suggest.suggest` on one thread, once: CPU and wall time; and for
    each query, the share of it typed when an article it should find is first among the top 3 (2: never)."""
    work = Path(tempfile.mkdtemp(prefix="kb-bench-suggest-"))
    try:
        kb = load_strict(REPO / "content")
        search_index.build(kb, work / "index", REPO / "content")
        engine = open_live(work / "index", kb)
        warm(engine, kb)  # as a site does when it opens a build
        for lang in ("he", "ar", "en"):
            engine.search(WARM, lang)
            suggest(engine, kb, WARM, lang)
        cpu, wall, shares = [], [], []
        for query, ids in zip(typed, wanted, strict=True):
            share = 2.0
            for lang, text in query:
                began, began_cpu = time.perf_counter(), time.thread_time()
                found = suggest(engine, kb, text, lang)
                cpu.append(time.thread_time() - began_cpu)
                wall.append(time.perf_counter() - began)
                if share > 1 and ids & {s.id for s in found[:3]}:
                    share = len(text) / len(query[-1][1])
            shares.append(share)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    rows = []
    for name, values in (("CPU time", sorted(cpu)), ("wall time", sorted(wall))):
        stats = [ms(percentile(values, p)) for p in (50, 95, 99)]
        rows.append([name, str(len(values)), *stats, ms(values[-1]), ms(sum(values) / len(values))])
    return rows, sorted(shares)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=16, help="people typing at once (connections)")
    parser.add_argument("--interval", type=float, default=0.15, help="seconds between one person's keystrokes")
    parser.add_argument("--threads", type=int, default=None, help="the server's request threads (KB_THREADS)")
    parser.add_argument("--seconds", type=float, default=60.0, help="the longest one phase may run")
    parser.add_argument("--queries", type=Path, default=queries.DEV_QUERIES, help="the development queries (TSV)")
    args = parser.parse_args(argv)

    dev = queries.dev_queries(args.queries)
    if not dev:
        raise SystemExit(f"no development queries at {args.queries}; give them with --queries")
    typed = keystrokes([(q.lang, q.text) for q in dev])
    requests = sum(map(len, typed))
    log(f"{len(typed)} queries, {requests} keystrokes, {args.users} people, a key every {args.interval * 1000:.0f} ms")

    inside, shares = in_process(typed, relevant(args.queries))
    rows = []
    for endpoint in ("/api/suggest", "/api/search"):  # each on a server of its own: neither warms the other
        rows += serve_and_measure(endpoint, typed, args)
    headers = [
        "server",
        "stream",
        "requests",
        "errors",
        "req/s",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "max ms",
        "server CPU ms / request",
        "p50 / floor",
        "p99 / floor",
    ]
    load_average = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\nload average after the run: {load_average} ({os.cpu_count()} cores)")
    print(
        f"\n{args.users} people typing the {len(typed)} development queries, a key every "
        f"{args.interval * 1000:.0f} ms (kb serve, {args.threads or 'default'} threads, 127.0.0.1)\n"
    )
    print(table(headers, rows))
    print("\nIn-process, one thread, every keystroke once (search.suggest.suggest, nothing of the stream kept yet)\n")
    print(table(["", "keystrokes", "p50 ms", "p95 ms", "p99 ms", "max ms", "mean ms"], inside))
    top3 = sum(1 for s in shares if s <= 1)
    print(
        f"\nAn article the query should find is among the top 3 suggestions for {top3} of {len(shares)} queries, "
        f"after typing a median {percentile(shares, 50):.0%} of the query (p90 {percentile(shares, 90):.0%})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
