"""Page-weight budgets: every kind of page in every language, uncompressed, and the site's CSS and JavaScript."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from kb.languages import LANGUAGES

from .conftest import booklet_parts

#: Every HTML page a reader opens, as sent and uncompressed: also a printable path or reading list, which is
#: served in parts (each part a page) for this.
PAGE_BUDGET = 60 * 1024
#: The site's own CSS and JavaScript together, compressed (gzip); fonts are not counted.
ASSET_BUDGET = 40 * 1024
STATIC = Path(__file__).resolve().parents[2] / "web" / "static"
FONTS = (".woff", ".woff2", ".ttf", ".otf")


def _pages(kb, lang):
    """Every kind of page in ``lang``, the heaviest of each (booklets count every part)."""
    every_id = ",".join(a.id for a in kb.in_language(lang))
    yield f"/{lang}/"
    yield from (f"/{lang}/{a.id}" for a in kb.in_language(lang))
    yield from (f"/{lang}/categories/{c.id}" for c in kb.categories)
    yield from (f"/{lang}/paths/{p.id}" for p in kb.paths)
    yield from (f"/{lang}/paths/{p.id}/print" for p in kb.paths)
    yield from (f"/{lang}/search?q={q}" for q in ("CRM", "data", "נתונים", "بيانات", "x"))
    yield f"/{lang}/search"
    yield f"/{lang}/list?ids={every_id}&title=Onboarding"
    yield f"/{lang}/list/print?ids={every_id}&title=Onboarding"
    yield f"/{lang}/list/new"
    yield f"/{lang}/no-such-page"


def _over(client, urls) -> dict[str, int]:
    """The pages (each part of a booklet) at or over the budget, with their sizes."""
    sizes = {}
    for url in urls:
        parts = booklet_parts(client, url) if "/print" in url else [client.get(url).get_data(as_text=True)]
        for n, html in enumerate(parts, start=1):
            assert "<html" in html, url
            sizes[f"{url} part {n}"] = len(html.encode())
    return {url: size for url, size in sizes.items() if size >= PAGE_BUDGET}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_is_within_the_budget_uncompressed(real_app, lang):
    client = real_app.test_client()
    assert _over(client, _pages(real_app.extensions["library"].kb, lang)) == {}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_glossary_and_the_whole_health_check_are_within_the_budget(real_app, lang):
    """Every part of the glossary; the form; a report of three signs and of every sign; the form to change them."""
    kb = real_app.extensions["library"].kb
    client = real_app.test_client()
    nav = re.search(r'<nav class="booklet-parts glossary-parts".*?</nav>', client.get(f"/{lang}/glossary").text, re.S)
    parts = nav.group(0).count("<li>")
    assert parts >= 2
    every_sign = "&".join(f"sign={a.id}.{n}" for a in kb.in_language(lang) for n in range(1, len(a.signs) + 1))
    three = "sign=unclear-goals.1&sign=unclear-goals.2&sign=inaccurate-data.2&report=1"
    urls = [f"/{lang}/glossary?part={n}" for n in range(1, parts + 1)]
    urls += [
        f"/{lang}/check",
        f"/{lang}/check?{three}",
        f"/{lang}/check?{every_sign}",
        f"/{lang}/check?{every_sign}&edit=1",
    ]
    sizes = {}
    for url in urls:
        response = client.get(url, follow_redirects=True)
        assert response.status_code == 200 and "<html" in response.text, url
        sizes[url] = len(response.data)
    assert {url: size for url, size in sizes.items() if size >= PAGE_BUDGET} == {}


def test_a_printed_reading_list_of_every_article_keeps_every_article(real_app):
    client = real_app.test_client()
    kb = real_app.extensions["library"].kb
    ids = [a.id for a in kb.in_language("ar")]
    parts = booklet_parts(client, f"/ar/list/print?ids={','.join(ids)}")
    step = re.compile(r'<article class="article print-article" id="step-(\d+)"')
    steps = [int(n) for html in parts for n in step.findall(html)]
    assert steps == list(range(1, len(ids) + 1))
    assert max(len(html.encode()) for html in parts) < PAGE_BUDGET


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
