"""Page-weight budgets: every kind of page, and the site's CSS and JavaScript, stay small."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from kb.languages import LANGUAGES

#: Every HTML page a reader opens, as sent.
PAGE_BUDGET = 60 * 1024
#: A printable learning path holds whole articles (up to eight); it is held to the page budget as a browser
#: downloads it from a server or proxy that compresses (gzip).
BOOKLET_BUDGET = 60 * 1024
#: The site's own CSS and JavaScript together, compressed (gzip); fonts are not counted.
ASSET_BUDGET = 40 * 1024
STATIC = Path(__file__).resolve().parents[2] / "web" / "static"
FONTS = (".woff", ".woff2", ".ttf", ".otf")


def _pages(kb):
    for lang in LANGUAGES:
        yield f"/{lang}/"
        yield from (f"/{lang}/{a.id}" for a in kb.in_language(lang))
        yield from (f"/{lang}/categories/{c.id}" for c in kb.categories)
        yield from (f"/{lang}/paths/{p.id}" for p in kb.paths)
        yield from (f"/{lang}/search?q={q}" for q in ("CRM", "data", "נתונים", "بيانات", "x"))
        yield f"/{lang}/search"
        yield f"/{lang}/no-such-page"


def test_every_page_is_within_the_budget(real_app):
    client = real_app.test_client()
    sizes = {}
    for url in _pages(real_app.extensions["library"].kb):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert response.mimetype == "text/html"
        sizes[url] = len(response.data)
    assert len(sizes) > 3 * 30
    over = {url: size for url, size in sizes.items() if size >= PAGE_BUDGET}
    assert over == {}, over


def test_every_printable_path_is_within_the_budget_compressed(real_app):
    client = real_app.test_client()
    for lang in LANGUAGES:
        for path in real_app.extensions["library"].kb.paths:
            body = client.get(f"/{lang}/paths/{path.id}/print").data
            assert len(gzip.compress(body)) < BOOKLET_BUDGET, (lang, path.id, len(body))


def test_css_and_javascript_together_are_within_the_budget(client):
    page = client.get("/he/unclear-goals").get_data(as_text=True)
    linked = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page) + re.findall(r'<script src="([^"]+)"', page)
    assert len(linked) >= 3
    assets = {f"/static/{p.name}" for p in STATIC.iterdir() if p.suffix in (".css", ".js")}
    assert {url.split("?")[0] for url in linked} <= assets  # every linked asset is counted
    total = 0
    for url in sorted(assets):
        response = client.get(url)
        assert response.status_code == 200, url
        total += len(gzip.compress(response.data, compresslevel=9))
    assert total < ASSET_BUDGET, total


@pytest.mark.parametrize("name", sorted(p.name for p in STATIC.iterdir() if not p.name.endswith(FONTS)))
def test_every_static_asset_answers(client, name):
    response = client.get(f"/static/{name}")
    assert response.status_code == 200
    assert len(response.data) > 0
