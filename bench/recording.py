"""Recording's cost and completeness, measured against real servers on 127.0.0.1 (bounded, stops by itself).

    .venv/bin/python -m bench.recording [--seconds 10] [--rounds 3] [--records 10000] [--postgres]

1. **Latency**: the same search pages, 16 connections (wrk, or a Python
   generator without it), on a server recording into SQLite and on one with
   ``KB_RECORDING=false``, in alternating rounds; the table gives each
   round, the medians and the ratio of p99 on to p99 off (target: at most 1.10).
   ``--postgres`` adds a server recording into a temporary PostgreSQL.
2. **Completeness**: ``--records`` requests over 16 keep-alive connections,
   half completed searches (``/api/search?record=true``) and half votes
   (``POST /api/feedback``); the server is stopped with SIGTERM, and the
   rows in the database must be exactly as many as the requests answered.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from .load import HOST, REPO, LoadResult, Server, find_wrk, run_python, run_wrk
from .stats import ms

QUERIES = {
    "he": ["מטרות לא ברורות", "נתונים", "הדרכה", "מנכ״ל", "התנגדות לשינוי", "KPI"],
    "ar": ["أهداف غير واضحة", "البيانات", "التدريب", "مقاومة التغيير", "العملاء", "CRM"],
    "en": ["unclear goals", "data quality", "training", "resistance to change", "adoption", "KPI"],
}


@contextlib.contextmanager
def environment(**values: str):
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def start_server(content: Path, index: Path, log: Path, workers: int = 1, **env: str) -> Server:
    server = Server(content, index, log, workers=workers)
    with environment(KB_FEEDBACK_PER_MINUTE="1000000", **env):
        server.start()
    server.wait_ready("/api/search?q=x&lang=en")
    return server


def search_paths() -> list[str]:
    return [f"/{lang}/search?q={urllib.parse.quote(q)}" for lang, qs in QUERIES.items() for q in qs]


def drive(port: int, total: int, connections: int = 16, seconds: float = 300.0, article: str = "unclear-goals") -> dict:
    """``total`` requests over ``connections`` keep-alive connections: even ones completed searches, odd ones
    votes (on ``article``). Stops at ``seconds``. Returns counts of answers by kind, and the time taken."""
    counts = {"search_ok": 0, "vote_ok": 0, "failed": 0}
    lock = threading.Lock()
    next_request = iter(range(total))
    deadline = time.monotonic() + seconds
    langs = list(QUERIES)

    def worker() -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        while time.monotonic() < deadline:
            with lock:
                n = next(next_request, None)
            if n is None:
                break
            lang = langs[n % 3]
            if n % 2 == 0:
                query = urllib.parse.urlencode({"q": QUERIES[lang][n % 6], "lang": lang, "record": "true"})
                method, path, body, kind = "GET", f"/api/search?{query}", None, "search_ok"
            else:
                vote = {"id": article, "lang": lang, "helpful": n % 4 == 1}
                if n % 10 == 1:
                    vote["comment"] = f"תגובה {n} تعليق"
                method, path, body, kind = "POST", "/api/feedback", json.dumps(vote), "vote_ok"
            try:
                headers = {"Content-Type": "application/json"} if body else {}
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                ok = 200 <= response.status < 300
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=30)
                ok = False
            with lock:
                counts[kind if ok else "failed"] += 1
        connection.close()

    began = time.perf_counter()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 30)
    counts["seconds"] = time.perf_counter() - began
    return counts


def rows(url: str) -> dict[str, int]:
    from sqlalchemy import func, select

    from web.records import store

    engine = store.open_engine(url)
    try:
        with engine.connect() as connection:
            return {
                t.name: connection.execute(select(func.count()).select_from(t)).scalar_one()
                for t in (store.searches, store.clicks, store.votes)
            }
    finally:
        engine.dispose()


def _runner(wrk: str | None, port: int, name: str, paths: list[str], connections: int):
    """A function of seconds running distinct search pages against ``port`` (wrk, or Python without it)."""
    if wrk:
        return lambda seconds: run_wrk(wrk, port, name, paths, connections, seconds, unique=True)
    return lambda seconds: run_python(port, name, paths, connections, seconds, unique=True)


def latency_rounds(args, content, index, work: Path, databases: dict[str, str]) -> dict[str, list[LoadResult]]:
    wrk = find_wrk(install=False)
    paths = search_paths()
    results: dict[str, list[LoadResult]] = {name: [] for name in databases}
    for round_number in range(args.rounds):
        for name, url in databases.items():
            env = {"KB_RECORDING": "false"} if url is None else {"KB_DATABASE_URL": url}
            server = start_server(content, index, work / f"{name}-{round_number}.log", **env)
            try:
                run = _runner(wrk, server.port, name, paths, args.connections)
                run(args.warmup)
                results[name].append(run(args.seconds))
            finally:
                server.stop()
    return results


def cpu_per_page(content: Path, index: Path, work: Path, rounds: int, pages: int = 300) -> dict[str, list[float]]:
    """CPU seconds per search page served in this process (Flask's test client, no network), recording off
    and into SQLite, in alternating rounds; the writer thread's CPU is included (each round ends with a
    flush). Less sensitive to other load on the machine than latency under 16 connections."""
    from web.app import create_app

    paths = search_paths()
    apps = {
        "off": create_app({"KB_CONTENT_DIR": str(content), "KB_INDEX_DIR": str(index), "KB_RECORDING": False}),
        "sqlite": create_app(
            {"KB_CONTENT_DIR": str(content), "KB_INDEX_DIR": str(index), "KB_DATABASE_URL": f"sqlite:///{work}/cpu.db"}
        ),
    }
    results: dict[str, list[float]] = {name: [] for name in apps}
    for app in apps.values():  # warm-up: caches filled
        client = app.test_client()
        for n in range(len(paths) * 2):
            client.get(paths[n % len(paths)] + f"%20{n}")
    for round_number in range(rounds):
        for name, app in apps.items():
            client = app.test_client()
            started = time.process_time()
            for n in range(pages):
                client.get(paths[n % len(paths)] + f"%20{round_number}-{n}")
            app.extensions["recorder"].flush(30)
            results[name].append((time.process_time() - started) / pages)
    apps["sqlite"].extensions["recorder"].stop()
    return results


def _upgrade(url: str) -> None:
    """Create the records tables in a fresh database (``kb db upgrade``)."""
    subprocess.run(
        [sys.executable, "-m", "kb.cli", "db", "upgrade", "--database", url],
        cwd=REPO,
        check=True,
        capture_output=True,
        timeout=120,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.recording", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="seconds per latency run (default 10)")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of warm-up before each run")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds of each server (default 3)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--records", type=int, default=10_000, help="requests in the completeness run")
    parser.add_argument("--workers", type=int, default=1, help="server processes in the completeness run")
    parser.add_argument("--postgres", action="store_true", help="also record into a temporary PostgreSQL")
    parser.add_argument("--content", type=Path, default=REPO / "content")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="kb-bench-records-") as tmp, contextlib.ExitStack() as stack:
        work = Path(tmp)
        index = work / "index"
        subprocess.run(
            [sys.executable, "-m", "kb.cli", "index", "--content", str(args.content), "--index", str(index)],
            cwd=REPO,
            check=True,
            capture_output=True,
            timeout=600,
        )
        databases: dict[str, str | None] = {"off": None, "sqlite": f"sqlite:///{work}/latency.db"}
        postgres = None
        if args.postgres:
            from scripts.postgres import TemporaryPostgres

            postgres = stack.enter_context(TemporaryPostgres())
            databases["postgresql"] = postgres.create_database("latency")
        for url in databases.values():
            if url:
                _upgrade(url)

        cpu = cpu_per_page(args.content, index, work, args.rounds)
        print(f"## CPU per search page in one process (Flask test client, {args.rounds} alternating rounds)\n")
        print("| recording | CPU ms per page, each round | median | / off |")
        print("|---|---|---|---|")
        base_cpu = statistics.median(cpu["off"])
        for name, values in cpu.items():
            each = ", ".join(f"{v * 1000:.2f}" for v in values)
            median = statistics.median(values)
            print(f"| {name} | {each} | {median * 1000:.2f} | {median / base_cpu:.3f} |")
        print()

        results = latency_rounds(args, args.content, index, work, databases)
        print(f"## Latency of search pages, {args.connections} connections, {args.seconds:.0f} s per run\n")
        print("| server | round | requests/s | p50 (ms) | p99 (ms) | errors |")
        print("|---|---|---|---|---|---|")
        for name, runs in results.items():
            for k, r in enumerate(runs, start=1):
                print(f"| {name} | {k} | {r.rps:,.0f} | {ms(r.p50)} | {ms(r.p99)} | {r.errors} |")
        base = statistics.median(r.p99 for r in results["off"])
        print("\n| server | median requests/s | median p50 (ms) | median p99 (ms) | p99 / off | target |")
        print("|---|---|---|---|---|---|")
        for name, runs in results.items():
            p99 = statistics.median(r.p99 for r in runs)
            rps = statistics.median(r.rps for r in runs)
            p50 = statistics.median(r.p50 for r in runs)
            verdict = "baseline" if name == "off" else ("met" if p99 <= base * 1.10 else "NOT met")
            print(f"| {name} | {rps:,.0f} | {ms(p50)} | {ms(p99)} | {p99 / base:.3f} | {verdict} |")

        print(f"\n## Completeness: {args.records:,} searches and votes, {args.connections} connections\n")
        print("| database | workers | answered 2xx | failed | seconds | rows after stop | exact |")
        print("|---|---|---|---|---|---|---|")
        targets = {"sqlite": f"sqlite:///{work}/complete.db"}
        if postgres:
            targets["postgresql"] = postgres.create_database("complete")
        for name, url in targets.items():
            _upgrade(url)
            server = start_server(
                args.content, index, work / f"complete-{name}.log", workers=args.workers, KB_DATABASE_URL=url
            )
            try:
                counts = drive(server.port, args.records, args.connections)
            finally:
                server.stop()
            found = rows(url)
            answered = counts["search_ok"] + counts["vote_ok"]
            written = found["searches"] + found["votes"]
            exact = "yes" if written == answered == args.records else "NO"
            print(
                f"| {name} | {args.workers} | {answered:,} | {counts['failed']} | {counts['seconds']:.1f} | "
                f"{written:,} ({found['searches']:,} searches, {found['votes']:,} votes) | {exact} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
