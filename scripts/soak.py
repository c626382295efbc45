"""Soak test: many clients for a while against a real `kb serve` on 127.0.0.1.

    .venv/bin/python scripts/soak.py [--seconds 60] [--clients 16] [--workers 1]

Starts `kb serve` over the repository's content (index in a temporary
folder), runs CLIENTS threads of mixed requests (searches in three
languages, article, category, path and home pages, the stylesheet) for
SECONDS, samples the server's memory (RSS of the server and its workers)
every second, stops by itself and prints a table. Exits 1 if any request
failed or memory grew by more than 20% between the first and last quarter.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = {
    "he": ["והלקוחות", "ניהול סיכונים", "ספק", 'מנכ"ל', "נתונים לא מדויקים", "הדרכה", "CRM אסטרטגיה", "תיכנון"],
    "ar": ["والعملاء", "مزود الخدمة", "البيانات", "الإدارة العليا", "تدريب الموظفين", "CRM", "المشرع"],
    "en": ["vendor", "data quality", "executive sponsor", "scope creep", "training", "co-ordination", "porcess"],
}
PAGES = [
    "/{lang}/",
    "/{lang}/unclear-goals",
    "/{lang}/inaccurate-data",
    "/{lang}/categories/people",
    "/{lang}/paths/first-week",
    "/static/site.css",
]


def rss_kb(pid: int) -> int:
    """Resident memory of a process and its children, in KiB."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def wait_ready(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/search?q=crm&lang=en")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--port", type=int, default=8790)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "KB_CONTENT_DIR": str(ROOT / "content"), "KB_INDEX_DIR": str(Path(tmp) / "index")}
        server = subprocess.Popen(
            [sys.executable, "-m", "kb.cli", "serve", "--port", str(args.port), "--workers", str(args.workers)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_ready(args.port, time.monotonic() + 60)
            latencies: list[float] = []
            errors: list[str] = []
            memory: list[int] = []
            stop = time.monotonic() + args.seconds

            def client(seed: int) -> None:
                rng = random.Random(seed)
                conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=10)
                while time.monotonic() < stop:
                    lang = rng.choice(list(QUERIES))
                    if rng.random() < 0.6:
                        q = urllib.parse.urlencode({"q": rng.choice(QUERIES[lang]), "lang": lang})
                        path = f"/api/search?{q}" if rng.random() < 0.7 else f"/{lang}/search?{q}"
                    else:
                        path = rng.choice(PAGES).format(lang=lang)
                    started = time.perf_counter()
                    try:
                        conn.request("GET", path)
                        response = conn.getresponse()
                        response.read()
                        if response.status != 200:
                            errors.append(f"{response.status} {path}")
                    except (OSError, http.client.HTTPException) as exc:
                        errors.append(f"{type(exc).__name__} {path}")
                        conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=10)
                    latencies.append(time.perf_counter() - started)

            threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
            for t in threads:
                t.start()
            while time.monotonic() < stop:
                memory.append(rss_kb(server.pid))
                time.sleep(1)
            for t in threads:
                t.join()
        finally:
            server.terminate()
            server.wait(timeout=10)

    latencies.sort()
    quarter = max(1, len(memory) // 4)
    first, last = statistics.mean(memory[:quarter]), statistics.mean(memory[-quarter:])
    growth = (last - first) / first if first else 0.0
    print(
        "| clients | workers | seconds | requests | errors | req/s | p50 ms | p99 ms"
        " | RSS first quarter MiB | RSS last quarter MiB | growth |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {args.clients} | {args.workers} | {args.seconds:.0f} | {len(latencies)} | {len(errors)} | "
        f"{len(latencies) / args.seconds:.0f} | {latencies[len(latencies) // 2] * 1000:.1f} | "
        f"{latencies[int(len(latencies) * 0.99)] * 1000:.1f} | {first / 1024:.0f} | {last / 1024:.0f} | {growth:+.1%} |"
    )
    for error in errors[:10]:
        print("error:", error)
    return 1 if errors or growth > 0.20 else 0


if __name__ == "__main__":
    sys.exit(main())
