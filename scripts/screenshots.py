"""Screenshots of every page type in every language, wide and phone, light and dark.

    python scripts/screenshots.py [--only he-article] [--out test-artifacts/screenshots]

Starts the site on a free local port over the real content, drives Debian's
Chromium through Playwright and writes ``<page>-<lang>-<width>-<scheme>.png``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

PAGES = {
    "home": "/{lang}/",
    "category": "/{lang}/categories/people",
    "article": "/{lang}/unclear-goals",
    "path": "/{lang}/paths/first-week",
    "path-step": "/{lang}/missing-crm-strategy?path=first-week",
    "path-print": "/{lang}/paths/first-week/print",
    "search": "/{lang}/search?q=CRM",
    "search-empty": "/{lang}/search?q=zzqqxx",
    "not-found": "/{lang}/unclear-goal",
    "check": "/{lang}/check",
    "check-report": "/{lang}/check?sign=unclear-goals.1&sign=unclear-goals.2&sign=inaccurate-data.2",
    "list": "/{lang}/list?ids=overview,unclear-goals,inaccurate-data&title=Onboarding",
    "list-print": "/{lang}/list/print?ids=overview,unclear-goals,inaccurate-data&title=Onboarding",
    "list-new": "/{lang}/list/new",
    "glossary": "/{lang}/glossary",
}
LANGS = ("he", "ar", "en")
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
SCHEMES = ("light", "dark")


def serve(index: Path):
    from waitress.server import create_server

    from web.app import create_app

    app = create_app({"KB_CONTENT_DIR": str(REPO / "content"), "KB_INDEX_DIR": str(index), "KB_RECORDING": False})
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    return server, f"http://127.0.0.1:{server.effective_port}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "test-artifacts" / "screenshots")
    parser.add_argument("--only", help="a part of the file name, e.g. he-article or phone-dark")
    parser.add_argument("--viewport", action="store_true", help="the first screen only, not the full page")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    args.out.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp())
    server, base = serve(workdir / "index")
    written = 0
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            for width_name, (width, height) in WIDTHS.items():
                for scheme in SCHEMES:
                    context = browser.new_context(
                        base_url=base, viewport={"width": width, "height": height}, color_scheme=scheme
                    )
                    page = context.new_page()
                    for lang in LANGS:
                        for name, url in PAGES.items():
                            stem = f"{name}-{lang}-{width_name}-{scheme}"
                            if args.only and args.only not in stem:
                                continue
                            page.goto(url.format(lang=lang))
                            page.wait_for_load_state("networkidle")
                            page.screenshot(path=str(args.out / f"{stem}.png"), full_page=not args.viewport)
                            written += 1
                    context.close()
            browser.close()
    finally:
        server.close()
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"{written} screenshots in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
