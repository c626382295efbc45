"""What search engines and browsers read: sitemap, robots.txt, OpenSearch, favicon, head tags, the 404's help."""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

import pytest

from kb.languages import LANGUAGES

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
PAGES = ["/{lang}/", "/{lang}/unclear-goals", "/{lang}/categories/data", "/{lang}/paths/first-week"]


@pytest.fixture
def real(real_app):
    return real_app.test_client()


def _sitemap(client) -> dict[str, dict[str, str]]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    root = ET.fromstring(response.data)
    entries = {}
    for url in root.findall("s:url", NS):
        loc = url.findtext("s:loc", namespaces=NS)
        entries[loc] = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)}
    return entries


def test_the_sitemap_lists_every_page_in_every_language_with_its_alternates(real, real_app):
    kb = real_app.extensions["library"].kb
    entries = _sitemap(real)
    expected = {"/{lang}/"}
    expected |= {f"/{{lang}}/{aid}" for (_lang, aid) in kb.articles}
    expected |= {f"/{{lang}}/categories/{c.id}" for c in kb.categories}
    expected |= {f"/{{lang}}/paths/{p.id}" for p in kb.paths}
    assert len(kb.articles) == 63 and len(expected) == 1 + 21 + len(kb.categories) + len(kb.paths)
    wanted = {"http://localhost" + page.format(lang=lang) for page in expected for lang in LANGUAGES}
    assert set(entries) == wanted
    for loc, alternates in entries.items():
        page = re.sub(r"^http://localhost/[a-z]+/", "/{lang}/", loc)
        assert {lang: alternates[lang] for lang in LANGUAGES} == {
            lang: "http://localhost" + page.format(lang=lang) for lang in LANGUAGES
        }
        assert alternates["x-default"].startswith("http://localhost/")
    assert entries["http://localhost/he/"]["x-default"] == "http://localhost/"
    assert entries["http://localhost/ar/unclear-goals"]["x-default"] == "http://localhost/en/unclear-goals"


def test_the_sitemap_uses_the_public_address(corpus_index):
    from web.app import create_app

    content, index = corpus_index
    app = create_app(
        {"KB_CONTENT_DIR": str(content), "KB_INDEX_DIR": str(index), "KB_BASE_URL": "https://kb.example.org/"}
    )
    client = app.test_client()
    assert all(loc.startswith("https://kb.example.org/") for loc in _sitemap(client))
    assert "Sitemap: https://kb.example.org/sitemap.xml" in client.get("/robots.txt").get_data(as_text=True)
    html = client.get("/he/goals").get_data(as_text=True)
    assert '<link rel="canonical" href="https://kb.example.org/he/goals">' in html


def test_robots_txt_lets_every_crawler_in_and_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[:2] == ["User-agent: *", "Allow: /"]
    assert "Disallow: /" not in lines
    assert "Sitemap: http://localhost/sitemap.xml" in lines


@pytest.mark.parametrize("lang", LANGUAGES)
def test_opensearch_description_per_language(client, lang):
    response = client.get(f"/{lang}/opensearch.xml")
    assert response.status_code == 200
    assert response.mimetype == "application/opensearchdescription+xml"
    root = ET.fromstring(response.data)
    assert root.tag == f"{OPENSEARCH}OpenSearchDescription"
    assert 0 < len(root.findtext(f"{OPENSEARCH}ShortName")) <= 16
    assert root.findtext(f"{OPENSEARCH}Language") == lang
    urls = {u.get("type"): u.get("template") for u in root.findall(f"{OPENSEARCH}Url")}
    assert urls["text/html"] == f"http://localhost/{lang}/search?q={{searchTerms}}"
    # The template really is the search page.
    assert client.get(urls["text/html"].replace("{searchTerms}", "goals")).status_code == 200
    page = client.get(f"/{lang}/").get_data(as_text=True)
    assert 'type="application/opensearchdescription+xml" title="' in page
    assert f'href="/{lang}/opensearch.xml"' in page


def test_favicon_is_linked_and_answers(client):
    page = client.get("/en/").get_data(as_text=True)
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
    assert icon
    svg = client.get(icon.group(1))
    assert svg.status_code == 200 and svg.data.startswith(b"<svg")
    ico = client.get("/favicon.ico")
    assert ico.status_code == 200 and ico.mimetype == "image/svg+xml" and ico.data == svg.data


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("url", [*PAGES, "/{lang}/paths/first-week/print", "/{lang}/search?q=data"])
def test_head_has_description_canonical_and_absolute_alternates(real, lang, url):
    html = real.get(url.format(lang=lang)).get_data(as_text=True)
    description = re.search(r'<meta name="description" content="([^"]+)">', html)
    assert description and len(description.group(1)) > 40
    path = url.format(lang=lang)
    assert f'<link rel="canonical" href="http://localhost{path}">' in html
    for other in LANGUAGES:
        assert f'<link rel="alternate" hreflang="{other}" href="http://localhost{url.format(lang=other)}">' in html
    assert re.search(r'<link rel="alternate" hreflang="x-default" href="http://localhost/[^"]*">', html)


def test_descriptions_come_from_the_page(real, real_app):
    kb = real_app.extensions["library"].kb
    article = kb.get("he", "unclear-goals")
    assert f'<meta name="description" content="{article.summary}">' in real.get("/he/unclear-goals").get_data(
        as_text=True
    )
    category = kb.category("data")
    html = real.get("/ar/categories/data").get_data(as_text=True)
    assert f'<meta name="description" content="{category.description["ar"]}">' in html


def test_canonical_leaves_out_the_arguments_that_do_not_make_another_page(real):
    html = real.get("/en/unclear-goals?path=first-week&from=abc").get_data(as_text=True)
    assert '<link rel="canonical" href="http://localhost/en/unclear-goals">' in html


def test_a_part_of_a_long_page_is_its_own_canonical_page_and_its_translations_start_at_their_first(real):
    html = real.get("/he/glossary?part=2").get_data(as_text=True)
    assert '<link rel="canonical" href="http://localhost/he/glossary?part=2">' in html
    assert '<link rel="alternate" hreflang="ar" href="http://localhost/ar/glossary">' in html


@pytest.mark.parametrize(
    ("url", "expected", "title"),
    [
        ("/he/unclear-goal", "/he/unclear-goals", "קביעת מטרות לא מספיקות"),
        ("/en/unclear-goal", "/en/unclear-goals", "Insufficient or unclear goals"),
        ("/ar/inacurate-data", "/ar/inaccurate-data", "استخدام بيانات غير دقيقة"),
        ("/en/categories/dat", "/en/categories/data", "Data"),
        ("/en/Insufficient-or-unclear-goal", "/en/unclear-goals", "Insufficient or unclear goals"),
    ],
)
def test_404_suggests_the_nearest_page_and_offers_a_search(real, url, expected, title):
    response = real.get(url)
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert re.search(rf'<p class="near-miss">[^<]+<a href="{expected}"><bdi>{re.escape(title)}</bdi></a></p>', html)
    lang = url.split("/")[1]
    assert f'<form class="search-page-form missing-search" action="/{lang}/search" method="get">' in html
    assert 'name="q"' in html
    assert '<link rel="canonical"' not in html


def test_404_without_a_near_miss_still_offers_a_search(real):
    response = real.get("/en/zzqqxxww")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "near-miss" not in html
    assert 'action="/en/search"' in html
