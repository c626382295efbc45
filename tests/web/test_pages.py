"""HTML pages as users get them: language, direction, links, errors, headers, size."""

from __future__ import annotations

import gzip
import re
import shutil

import pytest
from babel.messages.pofile import read_po

from web.i18n import TRANSLATIONS

from ..conftest import CORPUS

RTL = {"he": "rtl", "ar": "rtl", "en": "ltr"}


@pytest.mark.parametrize("lang", ["he", "ar", "en"])
@pytest.mark.parametrize(
    "url",
    [
        "/{lang}/",
        "/{lang}/goals",
        "/{lang}/categories/data",
        "/{lang}/paths/basics",
        "/{lang}/search?q=x",
        "/{lang}/check?sign=goals.1",
        "/{lang}/list?ids=goals,data",
        "/{lang}/list/new",
        "/{lang}/glossary",
    ],
)
def test_every_page_has_lang_dir_and_alternates(client, lang, url):
    response = client.get(url.format(lang=lang))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}" dir="{RTL[lang]}">' in html
    for other in ("he", "ar", "en"):
        path = url.format(lang=other).split("?")[0]
        assert re.search(
            rf'<link rel="alternate" hreflang="{other}" href="http://localhost{re.escape(path)}[^"]*">', html
        )


@pytest.mark.parametrize(
    ("accept", "cookie", "target"),
    [("ar,en;q=0.5", None, "/ar/"), ("en-US,en;q=0.9", None, "/en/"), ("fr", None, "/he/"), ("en", "ar", "/ar/")],
)
def test_root_redirects_by_accept_language_or_remembered_choice(app, accept, cookie, target):
    client = app.test_client()
    if cookie:
        client.set_cookie("lang", cookie)
    response = client.get("/", headers={"Accept-Language": accept})
    assert response.status_code == 302
    assert response.headers["Location"] == target


@pytest.mark.parametrize(
    ("accept", "cookie", "lang"),
    [("ar,en;q=0.5", None, "ar"), ("en-US,en;q=0.9", None, "en"), ("fr", None, "he"), ("en", "ar", "ar")],
)
def test_a_page_outside_the_languages_speaks_the_language_the_root_chooses(app, accept, cookie, lang):
    client = app.test_client()
    if cookie:
        client.set_cookie("lang", cookie)
    response = client.get("/no-such-page", headers={"Accept-Language": accept})
    assert response.status_code == 404
    assert f'<html lang="{lang}" dir="{RTL[lang]}">' in response.get_data(as_text=True)


def test_visiting_a_language_remembers_it(app):
    client = app.test_client()
    client.get("/ar/goals")
    assert client.get("/", headers={"Accept-Language": "en"}).headers["Location"] == "/ar/"


def test_article_page_shows_what_a_trainee_needs(client):
    html = client.get("/he/goals").get_data(as_text=True)
    assert '<h1 id="top">מטרות לא ברורות</h1>' in html
    assert 'class="summary">מטרות שאי אפשר למדוד.</p>' in html
    # Compact metadata: category, reading time, a date that never wraps.
    assert '<a class="meta-category" href="/he/categories/strategy">מטרות ואסטרטגיה</a>' in html
    assert '<span class="nowrap">דקת קריאה אחת</span>' in html
    assert '<time datetime="2026-11-22">22 בנובמבר 2026</time>' in html
    assert 'href="#סימני-אזהרה"' in html  # table of contents
    assert 'type="checkbox"' in html  # warning signs as a checklist
    # One related list (the article's own section), no developer's list of backlinks.
    assert html.count('<h2 id="סיבות-קשורות">') == 1 and 'id="related-heading"' not in html
    assert "מאמרים שמקשרים לכאן" not in html
    assert html.count('href="/he/strategy-gap"') >= 2  # the related section, the side navigation, next in category


def test_related_causes_the_body_does_not_link_are_listed_once(corpus, tmp_path):
    from web.app import create_app

    page = corpus.root / "en" / "goals.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.split("## Related")[0], encoding="utf-8")  # the body's own list removed
    app = create_app({"KB_CONTENT_DIR": str(corpus.root), "KB_INDEX_DIR": str(tmp_path / "index")})
    html = app.test_client().get("/en/goals").get_data(as_text=True)
    body = html.split('class="article-body"')[1].split("</article>")[0]
    assert '<h2 id="related">Related causes</h2>' in body
    assert body.count('href="/en/strategy-gap"') == 1


def test_section_headings_have_one_named_link_each(client):
    html = client.get("/en/goals").get_data(as_text=True)
    body = html.split('class="article-body"')[1].split("</article>")[0]
    headings = re.findall(r"<h2 id=\"([^\"]+)\">(.*?)</h2>", body)
    assert len(headings) >= 3
    for anchor, inner in headings:
        assert inner.count("<a ") == 1, inner
        assert f'<a class="header-anchor" href="#{anchor}" aria-label="Link to this section: ' in inner
        assert ">#<" not in inner  # no bare "number sign" read out by screen readers
    assert "heading-copy" not in html


def test_article_has_side_navigation_and_neighbours_in_its_category(client):
    html = client.get("/en/goals").get_data(as_text=True)
    nav = html.split('<nav class="side-nav"')[1].split("</nav>")[0]
    assert '<a href="/en/goals" aria-current="page">' in nav
    assert 'href="/en/categories/data"' in nav and 'href="/en/data"' in nav  # every category and its causes
    assert '<details class="sidebar-box" data-wide-open>' in html  # collapsible without JavaScript
    pager = html.split('<nav class="pager"')[1].split("</nav>")[0]
    assert 'rel="next" href="/en/strategy-gap"' in pager and 'rel="prev"' not in pager


def test_path_step_navigation(client):
    html = client.get("/ar/data?path=basics").get_data(as_text=True)
    assert "الخطوة 2 من 2" in html
    assert '<progress max="2" value="2" aria-labelledby="path-step">' in html
    # Previous and next at the top and at the bottom of the article.
    assert html.count('rel="prev" href="/ar/goals?path=basics"') == 2
    assert 'rel="next"' not in html
    # The path's steps beside the article, the current one marked; the path's title once (the breadcrumb).
    assert html.count("<progress") == 1  # one bar on a step: the place in the path
    steps = html.split('<ol class="step-list"')[1].split("</ol>")[0]
    assert 'href="/ar/data?path=basics" aria-current="step"' in steps and 'class="done"' in steps
    assert '<li data-article="goals"' in steps  # where tools.js marks what was read
    main = html.split('<main id="main"')[1]
    title = re.search(r'<a href="/ar/paths/basics"><bdi>([^<]+)</bdi></a>', main).group(1)
    assert main.count(title) == 1


def test_home_starts_with_the_learning_paths_then_even_category_cards(client):
    html = client.get("/en/").get_data(as_text=True)
    assert html.index('id="paths-heading"') < html.index('id="categories-heading"')
    paths = html.split('class="card-grid path-cards"')[1].split("</ul>")[0]
    assert 'href="/en/paths/basics"' in paths
    assert re.search(r"2 steps</span> · <span class=\"nowrap\">\d+ min read", paths)
    cards = html.split('class="card-grid category-grid"')[1].split("</section>")[0]
    assert cards.count('<li class="card category-card') % 2 == 0  # no card alone on its row


def test_path_print_page_holds_every_article(client):
    html = client.get("/en/paths/basics/print").get_data(as_text=True)
    assert html.count('<article class="booklet-step"') == 2


@pytest.mark.parametrize(
    ("lang", "title", "text"),
    [
        ("he", "הדף לא נמצא", "אין דף בכתובת הזו"),
        ("ar", "الصفحة غير موجودة", "لا توجد صفحة بهذا العنوان"),
        ("en", "Page not found", "There is no page at this address"),
    ],
)
def test_localized_404(client, lang, title, text):
    for url in (f"/{lang}/no-such-article", f"/{lang}/categories/nope", f"/{lang}/paths/nope"):
        response = client.get(url)
        assert response.status_code == 404
        html = response.get_data(as_text=True)
        assert f"<h1>{title}</h1>" in html and text in html


def test_localized_400(client):
    response = client.get("/ar/search", query_string={"q": "x" * 2000})
    assert response.status_code == 400
    assert "نص البحث طويل جدا" in response.get_data(as_text=True)


def test_search_page(client):
    html = client.get("/en/search?q=records").get_data(as_text=True)
    assert "1 result for <bdi>records</bdi>" in html  # the query is isolated from the sentence's direction
    assert "<title>Search: \u2068records\u2069 ·" in html
    assert "<mark>" in html


def test_search_page_marks_results_found_only_through_near_spellings(client):
    html = client.get("/en/search?q=recrods").get_data(as_text=True)
    assert "No results for <bdi>recrods</bdi>; showing similar" in html  # no count: they are not matches
    assert "result for" not in html
    assert 'href="/en/search?q=records"' in html  # did you mean
    assert 'href="/en/data' in html  # the similar article is still shown


@pytest.mark.parametrize(
    ("lang", "query", "approximate", "also"),
    [
        ("en", "chocolate cake recipe", "No results for <bdi>chocolate cake recipe</bdi>; showing similar", None),
        ("he", "מתכון עוגת שוקולד", "אין תוצאות עבור <bdi>מתכון עוגת שוקולד</bdi>; מוצגות תוצאות דומות", None),
        ("ar", "وصفة كعكة الشوكولاتة", "لا نتائج عن <bdi>وصفة كعكة الشوكولاتة</bdi>؛ إليك نتائج مشابهة", None),
        ("en", "duplicate customer records", None, "Also mentioned in"),
        ("he", "רשומות לקוחות כפולות", None, "מוזכר גם ב"),
        ("ar", "سجلات العملاء المكررة", None, "مذكور أيضًا في"),
    ],
)
def test_search_page_separates_weak_matches(real_app, lang, query, approximate, also):
    html = real_app.test_client().get(f"/{lang}/search", query_string={"q": query}).get_data(as_text=True)
    if approximate:
        assert approximate in html and 'class="also"' not in html
    else:
        assert "showing similar" not in html and 'class="also"' in html and also in html


def test_search_empty_state(client):
    html = client.get("/he/search?q=zzzzqqq").get_data(as_text=True)
    assert "לא נמצאו תוצאות" in html
    assert 'href="/he/categories/strategy"' in html
    assert 'href="/he/paths/basics"' in html  # the learning paths too


def test_search_page_has_one_box_in_the_page_direction(client):
    for lang in ("he", "ar", "en"):
        html = client.get(f"/{lang}/search?q=goals").get_data(as_text=True)
        assert html.count('type="search"') == 1
        assert re.search(rf'<input id="site-search" name="q" type="search" value="goals" dir="{RTL[lang]}"', html)
    assert "חיפוש אחר" not in client.get("/he/search?q=goals").get_data(as_text=True)


def test_search_filters_by_category_with_counts_and_labels_each_result(client):
    html = client.get("/en/search?q=goals").get_data(as_text=True)
    chips = html.split('<nav class="chips"')[1].split("</nav>")[0]
    everything = int(re.search(r'aria-current="page">All <span class="chip-count">(\d+)</span>', chips).group(1))
    per_category = [int(n) for n in re.findall(r'category=[a-z-]+">[^<]+<span class="chip-count">(\d+)<', chips)]
    assert per_category and sum(per_category) <= everything  # an article outside the categories counts in All only
    assert f"{everything} results for" in html or f"{everything} result for" in html
    assert html.count('<p class="result-category">') == html.count('class="result-title"') > 0
    filtered = client.get("/en/search?q=goals&category=strategy").get_data(as_text=True)
    assert 'href="/en/search?q=goals&amp;category=strategy" aria-current="page"' in filtered
    assert '<input type="hidden" name="category" value="strategy">' in filtered
    labels = re.findall(r'<p class="result-category">([^<]+)</p>', filtered)
    assert labels and set(labels) == {"Goals and strategy"}


def test_search_results_escape_the_query(client):
    html = client.get("/en/search", query_string={"q": "<script>alert(1)</script>"}).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_security_headers_on_every_response(client):
    for url in ("/en/", "/api/search?q=x&lang=en", "/static/site.css", "/nope"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "unsafe-inline" not in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert headers["X-Frame-Options"] == "DENY"


def test_no_inline_script_or_style(client):
    from web.layout import THEME_SCRIPT, THEME_SCRIPT_HASH

    response = client.get("/en/goals")
    html = response.get_data(as_text=True)
    assert "style=" not in html and "<style" not in html
    # One inline script, the colour scheme's, allowed by its hash and nothing else.
    assert re.findall(r"<script>(.*?)</script>", html) == [THEME_SCRIPT]
    assert f"'{THEME_SCRIPT_HASH}'" in response.headers["Content-Security-Policy"]


def test_static_files_only_from_the_static_folder(client):
    assert client.get("/static/../app.py").status_code == 404
    assert client.get("/static/%2e%2e/app.py").status_code == 404


def test_pages_are_light(real_app):
    real_client = real_app.test_client()
    names = ("site.css", "site.js", "suggest.css", "suggest.js", "tools.css", "tools.js")
    assets = sum(len(gzip.compress(real_client.get(f"/static/{name}").data)) for name in names)
    assert assets < 40 * 1024, assets  # the stylesheet and script together, compressed
    for lang in ("he", "ar", "en"):
        for url in (
            "/",
            "/unclear-goals",
            "/missing-crm-strategy?path=first-week",
            "/categories/data",
            "/search?q=CRM",
        ):
            page = len(real_client.get(f"/{lang}{url}").data)
            assert page < 60 * 1024, (lang, url, page)


@pytest.mark.parametrize("lang", ["he", "ar"])
def test_every_interface_string_is_translated(lang):
    with open(TRANSLATIONS / "messages.pot", "rb") as handle:
        template = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as handle:
        catalog = read_po(handle, locale=lang)
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalog
        if m.id and (all(m.string) if isinstance(m.string, tuple) else m.string)
    }
    assert template - translated == set()


def test_catalog_template_is_up_to_date():
    from scripts.extract_messages import extract

    with open(TRANSLATIONS / "messages.pot", "rb") as handle:
        committed = {m.id if isinstance(m.id, str) else tuple(m.id) for m in read_po(handle) if m.id}
    current = {m.id if isinstance(m.id, str) else tuple(m.id) for m in extract() if m.id}
    assert current == committed


def test_missing_translation_shows_a_notice_and_the_fallback(corpus, tmp_path):
    from web.app import create_app

    (corpus.root / "ar" / "strategy-gap.md").unlink()
    app = create_app({"KB_CONTENT_DIR": str(corpus.root), "KB_INDEX_DIR": str(tmp_path / "index")})
    html = app.test_client().get("/ar/strategy-gap").get_data(as_text=True)
    assert "هذه المقالة غير متاحة بهذه اللغة بعد، وهي معروضة باللغة English." in html
    assert re.search(r'<article class="article[^"]*" lang="en" dir="ltr">', html)
    # Arabic articles still link to it, at its Arabic address.
    assert re.search(
        r'<a class="xref" href="/ar/strategy-gap"[^>]*>No strategy</a>',
        app.test_client().get("/ar/goals").get_data(as_text=True),
    )


def test_query_arguments_named_like_route_arguments_are_harmless(client):
    response = client.get("/en/search?q=goals&lang=he&article_id=x")
    assert response.status_code == 200
    assert '<link rel="alternate" hreflang="he" href="http://localhost/he/search?q=goals">' in response.get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    ("lang", "title"), [("he", "משהו השתבש"), ("ar", "حدث خطأ ما"), ("en", "Something went wrong")]
)
def test_localized_500_without_a_traceback(app, monkeypatch, lang, title):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(app.extensions["library"], "search", broken)
    response = app.test_client().get(f"/{lang}/search?q=x")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert f"<h1>{title}</h1>" in html and "Traceback" not in html and "boom" not in html
    api = app.test_client().get("/api/search?q=x&lang=en")
    assert api.status_code == 500 and api.get_json() == {"error": "internal error"}


def test_the_base_url_makes_absolute_links_and_never_redirects(corpus_index):
    from web.app import create_app

    content, index = corpus_index
    settings = {"KB_CONTENT_DIR": str(content), "KB_INDEX_DIR": str(index)}
    client = create_app({**settings, "KB_BASE_URL": "https://kb.example.com/"}).test_client()
    assert 'data-copy-url="https://kb.example.com/en/data"' in client.get("/en/data").get_data(as_text=True)
    assert client.get("/en", headers={"Host": "evil.com"}).headers["Location"] == "/en/"
    plain = create_app(settings).test_client().get("/en/data", base_url="http://kb.test")
    assert 'data-copy-url="http://kb.test/en/data"' in plain.get_data(as_text=True)


def test_create_app_reads_no_content_and_opens_no_index(tmp_path):
    from web.app import create_app

    content, index = tmp_path / "content", tmp_path / "index"
    app = create_app({"KB_CONTENT_DIR": str(content), "KB_INDEX_DIR": str(index), "KB_RECORDING": False})
    assert not app.extensions["library"].is_open and not index.exists()
    shutil.copytree(CORPUS, content)  # the content arrives after the app was created
    assert app.test_client().get("/en/goals").status_code == 200
    assert app.extensions["library"].is_open and (index / "current").exists()


@pytest.mark.parametrize("lang", ["he", "ar", "en"])
def test_content_that_cannot_be_opened_is_a_503_until_it_can(tmp_path, lang):
    from web.app import create_app

    content = tmp_path / "content"
    app = create_app({"KB_CONTENT_DIR": str(content), "KB_INDEX_DIR": str(tmp_path / "index"), "KB_RECORDING": False})
    client = app.test_client()
    page = client.get(f"/{lang}/goals")
    assert page.status_code == 503
    assert f'<html lang="{lang}"' in page.get_data(as_text=True) and "Traceback" not in page.get_data(as_text=True)
    api = client.get("/api/search", query_string={"q": "goals", "lang": lang})
    assert api.status_code == 503 and api.get_json() == {"error": f"content folder not found: {content}"}
    shutil.copytree(CORPUS, content)
    assert client.get(f"/{lang}/goals").status_code == 200


def test_a_bad_base_url_is_refused():
    from kb.errors import ConfigError
    from web.app import create_app

    with pytest.raises(ConfigError, match="KB_BASE_URL must be an http"):
        create_app({"KB_BASE_URL": "kb.example.com"})


def test_one_process_prepares_the_index_once(corpus, tmp_path, monkeypatch):
    """kb serve with one process: the library takes the content and index prepared at start-up as they are."""
    from kb.loader import load_strict
    from web import library

    index = tmp_path / "index"
    library.prepare_index(load_strict(corpus.root), index, corpus.root, auto_index=True)

    def again(*args, **kwargs):
        raise AssertionError("prepared twice")

    monkeypatch.setattr(library, "load_strict", again)
    monkeypatch.setattr(library, "prepare_index", again)
    served = library.Library(corpus.root, index, auto_index=True)
    assert served.search("goals", "en").hits
    monkeypatch.undo()
    # The preparation is taken once: a second library in this process prepares for itself.
    calls = []
    monkeypatch.setattr(library, "prepare_index", lambda *args: calls.append(args) or True)
    library.Library(corpus.root, index, auto_index=True)
    assert len(calls) == 1
