"""Printing in a real browser: the printable path and an article as PDF, the 404, section links across languages.

The PDFs and screenshots are kept in ``test-artifacts/print/`` for a person to look at.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata

import pytest
from pypdf import PdfReader

from ..conftest import REPO
from .conftest import axe_violations

pytestmark = pytest.mark.browser

LANGS = ["he", "ar", "en"]
PRINTED = REPO / "test-artifacts" / "print"
SEE_STEP = {"he": "ראו שלב", "ar": "انظر الخطوة", "en": "see step"}
#: A language switcher's entry that the page's own text never contains.
OTHER_LANGUAGE = {"he": "العربية", "ar": "עברית", "en": "עברית"}


@pytest.fixture(scope="module")
def printed():
    PRINTED.mkdir(parents=True, exist_ok=True)
    return PRINTED


def _words(text: str) -> list[str]:
    """Words of PDF text, whatever order the PDF keeps right-to-left lines in (Arabic letter forms folded)."""
    return re.findall(r"[^\W_]+(?:[-'][^\W_]+)*", unicodedata.normalize("NFKC", text))


def _pdf_pages(path) -> list[str]:
    return [unicodedata.normalize("NFKC", page.extract_text()) for page in PdfReader(path).pages]


@pytest.fixture(scope="module")
def kb():
    from kb.loader import load

    return load(REPO / "content")


@pytest.mark.parametrize("lang", LANGS)
def test_printed_path(page, live_server, kb, lang, printed):
    page.goto(f"/{lang}/paths/first-week/print")
    # The booklet comes in parts (each page within the page budget): every part is printed.
    others = page.locator(".booklet-parts a[href]").evaluate_all("links => links.map(a => a.href)")
    pages = []
    for n, url in enumerate([page.url, *others], start=1):
        page.goto(url)
        page.emulate_media(media="print")
        page.screenshot(path=str(printed / f"path-print-{lang}-{n}.png"), full_page=True)
        pdf = printed / f"path-{lang}-{n}.pdf"
        page.pdf(path=str(pdf), format="A4")
        pages += _pdf_pages(pdf)
    text = "\n".join(pages)
    path = kb.path("first-week")
    # Each part's cover and each step start a page, under a running header with the site, the path and the date.
    header = set(_words(path.title[lang])) | {str(dt.date.today().year)}
    placed = [
        (n, i) for n, p in enumerate(pages) for i, line in enumerate(p.splitlines()) if header <= set(_words(line))
    ]
    assert [i for _n, i in placed] == [0] * (1 + len(others) + len(path.steps))
    # Links to articles outside the booklet print their full address; those inside it say "see step N".
    assert f"{live_server}/{lang}/poor-scope-definition" in text
    assert f"{live_server}/{lang}/unclear-goals" in text  # the QR code's caption on step 2
    assert not re.search(rf"<\s*/{lang}/", text)
    note = _words(SEE_STEP[lang])
    assert any(set(note) <= set(_words(line)) for line in text.splitlines())
    # Every step's title is printed once on its page: the overview's title is not repeated by its first heading.
    overview = kb.get(lang, "overview")
    step_one = pages[placed[1][0]]
    assert set(_words(overview.summary)) <= set(_words(step_one))
    title = sorted(_words(overview.title))
    assert sum(sorted(_words(line)) == title for line in step_one.splitlines()) == 1
    # The site's header and language switcher are not printed.
    assert OTHER_LANGUAGE[lang] not in text


@pytest.mark.parametrize("lang", LANGS)
def test_printed_article(page, live_server, kb, lang, printed):
    page.goto(f"/{lang}/unclear-goals")
    pdf = printed / f"article-{lang}.pdf"
    page.pdf(path=str(pdf), format="A4")
    text = "\n".join(_pdf_pages(pdf))
    article = kb.get(lang, "unclear-goals")
    for related in article.related:
        assert f"{live_server}/{lang}/{related}" in text
    assert f"{live_server}/{lang}/unclear-goals" in text  # beside the QR code
    title = sorted(_words(article.title))
    assert sum(sorted(_words(line)) == title for line in text.splitlines()) == 1
    assert OTHER_LANGUAGE[lang] not in text


def test_print_button_prints_and_is_not_printed(page):
    page.goto("/en/unclear-goals")
    button = page.locator("button[data-print]")
    assert button.is_visible()
    page.evaluate("window.print = () => { window.printed = true; }")
    button.click()
    assert page.evaluate("window.printed") is True
    page.emulate_media(media="print")
    assert button.is_hidden()
    assert page.locator(".print-qr").is_visible()


def test_print_button_is_hidden_without_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    page.goto("/he/paths/first-week/print")
    assert page.locator("button[data-print]").is_hidden()
    context.close()


@pytest.mark.parametrize(("start", "target"), [("he", "ar"), ("ar", "en"), ("en", "he")])
def test_language_switcher_keeps_the_section(page, start, target):
    page.goto(f"/{start}/inaccurate-data#signs")
    page.locator(f".language-switcher a[hreflang='{target}']").click()
    page.wait_for_url(f"**/{target}/inaccurate-data#signs")
    heading = page.locator("h2#signs")
    assert heading.count() == 1
    # The warning signs are scrolled to, in the reader's language.
    assert page.evaluate("document.querySelector('h2#signs').getBoundingClientRect().top") < 200
    # A section chosen after the page opened is kept too.
    page.locator(".toc a[href='#prevent']").click()
    assert page.locator(f".language-switcher a[hreflang='{start}']").get_attribute("href").endswith("#prevent")


def test_an_old_text_anchor_still_opens_its_section(page):
    page.goto("/he/inaccurate-data#" + "סימני-אזהרה")
    assert page.evaluate("document.querySelector('h2#signs').getBoundingClientRect().top") < 200


@pytest.mark.parametrize("lang", LANGS)
def test_404_in_the_browser(browser, live_server, lang, printed):
    context = browser.new_context(base_url=live_server, bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    response = page.goto(f"/{lang}/unclear-goal")
    assert response.status == 404
    page.screenshot(path=str(printed / f"404-{lang}.png"), full_page=True)
    assert page.locator(".near-miss a").get_attribute("href") == f"/{lang}/unclear-goals"
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, ensure_ascii=False)
    page.fill("#missing-search", "goals")
    page.press("#missing-search", "Enter")
    page.wait_for_url(f"**/{lang}/search?q=goals")
    context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_printable_path_has_no_accessibility_violations(browser, live_server, lang):
    context = browser.new_context(base_url=live_server, bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"/{lang}/paths/first-week/print")
    violations = axe_violations(page)
    context.close()
    assert violations == [], json.dumps(violations, ensure_ascii=False)
