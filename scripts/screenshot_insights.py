"""Take the README's screenshot of /insights: sample records in a temporary database, a real server on
127.0.0.1, Chromium through Playwright. The records are made up (and labelled so in the README).

    .venv/bin/python scripts/screenshot_insights.py [--lang he] [--out docs/insights-he.png]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import free_port  # noqa: E402
from web.records import store  # noqa: E402

SAMPLE = {  # query, language, results, searches
    "he": [
        ("יעדים לא ברורים", 5, 41),
        ("הגירת נתונים", 0, 23),
        ("מנכ״ל", 3, 17),
        ("התנגדות עובדים", 4, 15),
        ("תקציב CRM", 0, 11),
        ("הדרכה", 6, 9),
        ("אינטגרציה עם ERP", 0, 7),
    ],
    "ar": [
        ("أهداف غير واضحة", 5, 28),
        ("ترحيل البيانات", 0, 14),
        ("مقاومة التغيير", 4, 12),
        ("التدريب", 6, 8),
        ("ميزانية المشروع", 0, 6),
    ],
    "en": [("unclear goals", 5, 19), ("data migration", 0, 9), ("kpi", 3, 8), ("vendor lock-in", 0, 5)],
}
VOTES = [
    ("unclear-goals", "he", 34, 4, ["חסרה דוגמה מהמגזר הציבורי", "ברור ומעשי"]),
    ("inaccurate-data", "he", 12, 9, ["לא מוסבר איך מנקים נתונים כפולים"]),
    ("unclear-goals", "ar", 21, 2, ["مفيد جدًا"]),
    ("missing-crm-strategy", "en", 7, 3, []),
]


def records() -> list:
    rng = random.Random(7)
    now = store.now()
    rows, n = [], 0
    for lang, queries in SAMPLE.items():
        for query, results, count in queries:
            for _ in range(count):
                n += 1
                at = now - dt.timedelta(hours=rng.randrange(1, 24 * 25))
                rows.append(
                    (
                        "search",
                        {
                            "id": f"{n:016x}",
                            "at": at,
                            "query": query,
                            "lang": lang,
                            "category": None,
                            "results": results,
                            "approximate": False,
                            "shown": "",
                        },
                    )
                )
                if lang == "he" and query == "מנכ״ל" and n % 2:
                    rows.append(
                        (
                            "click",
                            {"at": at, "search_id": f"{n:016x}", "article_id": "no-management-support", "lang": "en"},
                        )
                    )
    for article, lang, yes, no, comments in VOTES:
        for k in range(yes + no):
            comment = comments[k] if k < len(comments) else None
            rows.append(
                (
                    "vote",
                    {
                        "at": now - dt.timedelta(hours=k + 1),
                        "article_id": article,
                        "lang": lang,
                        "helpful": k >= no,
                        "comment": comment,
                    },
                )
            )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lang", default="he")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "insights-he.png")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/records.db"
        engine = store.open_engine(url)
        store.upgrade(engine)
        store.insert(engine, records())
        port = free_port()
        env = {
            **os.environ,
            "KB_DATABASE_URL": url,
            "KB_INSIGHTS_TOKEN": "sample",
            "KB_RECORDING": "false",
            "KB_INDEX_DIR": f"{tmp}/index",
        }
        server = subprocess.Popen(
            [sys.executable, "-m", "kb.cli", "serve", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(600):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/api/search?q=x&lang=en", timeout=2)
                    break
                except OSError:
                    time.sleep(0.2)
            chromium = shutil.which("chromium") or "/usr/bin/chromium"
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
                page = browser.new_page(
                    viewport={"width": 1100, "height": 900}, extra_http_headers={"Authorization": "Bearer sample"}
                )
                page.goto(f"http://127.0.0.1:{port}/{args.lang}/insights?days=30")
                args.out.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(args.out), full_page=True)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=20)
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
