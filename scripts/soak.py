"""Soak test: many clients for a while against a real `kb serve` on 127.0.0.1.

    .venv/bin/python scripts/soak.py [--seconds 60] [--clients 16] [--workers 1]
                                     [--distinct] [--max-rss-mib N]

Starts `kb serve` over the repository's content (index in a temporary
folder), runs CLIENTS threads of mixed requests (searches in three
languages, article, category, path and home pages, the stylesheet) for
SECONDS, samples the server's memory (RSS of the server and its workers)
every second, stops by itself and prints a table. Exits 1 if any request
failed or memory grew by more than 20% between the first and last quarter.

With ``--distinct`` every search and every ``/api/analyze`` text is new
(words from the articles and made-up words in the three scripts), so every
cache keeps meeting new keys; the table then gives each process's peak
resident memory (VmHWM), and the run exits 1 when it is above
``--max-rss-mib`` (memory grows while the bounded caches fill, so growth
alone is not a failure in this mode).
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


def peak_rss_kb(pid: int) -> dict[int, int]:
    """Peak resident memory (VmHWM) of a process and of each of its children, in KiB."""
    peaks = {}
    try:
        children = [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        children = []
    for p in [pid, *children]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks[p] = int(line.split()[1])
        except OSError:
            pass
    return peaks


LETTERS = {
    "he": [chr(c) for c in range(0x05D0, 0x05EB)],
    "ar": [chr(c) for c in range(0x0627, 0x064B)],
    "en": list("abcdefghijklmnopqrstuvwxyz"),
}


def vocabulary() -> dict[str, list[str]]:
    """Words of the articles, per language (what distinct queries are made of, with made-up words)."""
    words = {}
    for lang in LETTERS:
        found = set()
        for path in (ROOT / "content" / lang).glob("*.md"):
            found.update(w.strip(".,:;()[]*#\"'") for w in path.read_text(encoding="utf-8").split())
        words[lang] = sorted(w for w in found if len(w) > 2)
    return words


def distinct_text(rng: random.Random, words: dict[str, list[str]], lang: str, serial: int, most: int) -> str:
    """A text never sent before: words of the articles and made-up words, in ``lang``'s script."""
    parts = []
    for _ in range(rng.randint(1, most)):
        if rng.random() < 0.5:
            parts.append(rng.choice(words[lang]))
        else:
            parts.append("".join(rng.choice(LETTERS[lang]) for _ in range(rng.randint(3, 12))))
    parts.append("".join(LETTERS[lang][int(d) + 1] for d in str(serial)) + LETTERS[lang][0])  # unique
    rng.shuffle(parts)
    return " ".join(parts)


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
    parser.add_argument("--distinct", action="store_true", help="every search and /api/analyze text is new")
    parser.add_argument("--max-rss-mib", type=float, default=None, help="fail above this peak RSS per process")
    args = parser.parse_args()
    words = vocabulary() if args.distinct else {}
    serials = iter(range(10**9))  # next() is atomic under the GIL: each request's own number

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
                    roll = rng.random()
                    if args.distinct and roll < 0.75:
                        text = distinct_text(rng, words, lang, next(serials), 4 if roll < 0.45 else 40)
                        if roll < 0.45:
                            path = "/api/search?" + urllib.parse.urlencode({"q": text, "lang": lang})
                        else:
                            path = "/api/analyze?" + urllib.parse.urlencode({"text": text, "lang": lang})
                    elif rng.random() < 0.6:
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
            peaks = peak_rss_kb(server.pid)
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
    print()
    print("| process | peak RSS (VmHWM) MiB |")
    print("|---|---:|")
    for number, (pid, peak) in enumerate(peaks.items()):
        role = ("server" if len(peaks) == 1 else "master") if number == 0 else f"worker {number}"
        print(f"| {role} (pid {pid}) | {peak / 1024:.1f} |")
    too_big = args.max_rss_mib is not None and max(peaks.values(), default=0) / 1024 > args.max_rss_mib
    if too_big:
        print(f"peak RSS above the bound of {args.max_rss_mib:.0f} MiB")
    grew = growth > 0.20 and not args.distinct
    return 1 if errors or grew or too_big else 0


if __name__ == "__main__":
    sys.exit(main())
