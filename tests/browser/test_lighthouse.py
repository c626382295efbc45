"""Lighthouse on every kind of page in every language: performance, accessibility, best practices and SEO.

Runs ``scripts/lighthouse.mjs`` (Lighthouse's mobile settings, one headless
Chromium, the pages one after another) against the site served by waitress; a
page scoring under 95 is run three times and the median counts, since
performance varies on a busy machine. About half a minute a run: select it
alone with ``-m lighthouse``, or leave it out with ``-m "not lighthouse"``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from ..conftest import REPO
from .conftest import CHROMIUM

pytestmark = [pytest.mark.browser, pytest.mark.lighthouse]

LANGS = ["he", "ar", "en"]
PAGES = {
    "home": "/{lang}/",
    "article": "/{lang}/unclear-goals",
    "category": "/{lang}/categories/data",
    "path": "/{lang}/paths/first-week",
    "printable path": "/{lang}/paths/first-week/print",
    "search": "/{lang}/search?q=CRM",
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
MINIMUM = 95
LIGHTHOUSE = REPO / "node_modules" / "lighthouse"
SCRIPT = REPO / "scripts" / "lighthouse.mjs"
#: Per page (up to three runs each when a score is low), with room for a slow machine.
SECONDS_PER_PAGE = 150


def test_lighthouse_scores(live_server):
    if not LIGHTHOUSE.exists() or not shutil.which("node"):
        pytest.fail("Lighthouse is not installed: run 'npm ci' (./scripts/test does)")
    urls = {(name, lang): live_server + page.format(lang=lang) for lang in LANGS for name, page in PAGES.items()}
    run = subprocess.run(
        ["node", str(SCRIPT), *urls.values()],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=SECONDS_PER_PAGE * len(urls),
    )
    assert run.returncode == 0, run.stderr[-2000:]
    results = {r["url"]: r for r in map(json.loads, run.stdout.splitlines())}
    rows, low = [], []
    for (name, lang), url in urls.items():
        result = results[url]
        assert result["error"] is None, (url, result["error"])
        scores = result["scores"]
        rows.append(
            f"{name:<15} {lang:<3} " + " ".join(f"{scores[c]:>14}" for c in CATEGORIES) + f"  ({result['runs']} run(s))"
        )
        low += [f"{name} {lang} {c} {scores[c]}: {result['failed']}" for c in CATEGORIES if scores[c] < MINIMUM]
    table = "\n".join([f"{'page':<15} {'':<3} " + " ".join(f"{c:>14}" for c in CATEGORIES), *rows])
    print("\n" + table)
    (REPO / "test-artifacts").mkdir(exist_ok=True)
    (REPO / "test-artifacts" / "lighthouse.txt").write_text(table + "\n", encoding="utf-8")
    assert low == [], "\n".join(low)
