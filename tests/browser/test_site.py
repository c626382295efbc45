"""The site in a real browser (Debian's Chromium through Playwright), in all three languages."""

from __future__ import annotations

import json
import re

import pytest

from .conftest import axe_violations

pytestmark = pytest.mark.browser

LANGS = ["he", "ar", "en"]
PAGES = {
    "home": "/{lang}/",
    "article": "/{lang}/unclear-goals",
    "category": "/{lang}/categories/data",
    "path": "/{lang}/paths/first-week",
    "path-step": "/{lang}/missing-crm-strategy?path=first-week",
    "search": "/{lang}/search?q=CRM",
    "search-empty": "/{lang}/search?q=zzqqxx",
}


def center_x(page, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    return box["x"] + box["width"] / 2


@pytest.mark.parametrize("lang", LANGS)
def test_direction_and_layout(page, lang, screenshots):
    page.goto(f"/{lang}/unclear-goals")
    html = page.locator("html")
    assert html.get_attribute("lang") == lang
    assert html.get_attribute("dir") == ("ltr" if lang == "en" else "rtl")
    width = page.viewport_size["width"]
    # The side navigation sits at the start side (right in Hebrew and Arabic), the table of contents at the end.
    for selector, start in (("nav.side-nav", True), ("nav.toc", False), (".brand", True)):
        on_right = center_x(page, selector) > width / 2
        assert on_right == ((lang != "en") == start), selector
    assert page.locator("h1").evaluate("el => getComputedStyle(el).direction") == ("ltr" if lang == "en" else "rtl")
    page.screenshot(path=str(screenshots / f"article-{lang}.png"), full_page=True)


@pytest.mark.parametrize(("start", "target"), [("he", "ar"), ("ar", "en"), ("en", "he")])
def test_language_switcher_lands_on_the_same_page(page, start, target):
    page.goto(f"/{start}/categories/people")
    page.locator(f".language-switcher a[hreflang='{target}']").click()
    page.wait_for_url(f"**/{target}/categories/people")
    assert page.locator("html").get_attribute("lang") == target


@pytest.mark.parametrize(
    ("lang", "query", "expected_id"),
    [
        ("he", "והלקוחות", "customer-not-involved"),
        ("ar", "والبيانات", "inaccurate-data"),
        ("en", "vendor", "unsuitable-provider"),
    ],
)
def test_search_from_the_box(page, lang, query, expected_id, screenshots):
    page.goto(f"/{lang}/")
    page.fill("#site-search", query)
    page.press("#site-search", "Enter")
    page.wait_for_url(f"**/{lang}/search?q=*")
    assert page.locator(".result-count").is_visible()
    links = page.locator("ol.results > li > a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    # Result links carry the recorded search's id (?from=...), for the content team's click counts.
    assert all(re.fullmatch(r"/[a-z]{2}/[a-z0-9-]+\?from=[0-9a-f]{16}", link) for link in links)
    assert f"/{lang}/{expected_id}" in [link.split("?")[0] for link in links[:5]]
    assert page.locator("ol.results mark").count() > 0
    page.screenshot(path=str(screenshots / f"search-{lang}.png"))


@pytest.mark.parametrize("lang", LANGS)
def test_walk_a_learning_path(page, lang):
    page.goto(f"/{lang}/paths/first-week")
    steps = page.locator("ol.path-steps > li").count()
    assert steps >= 4
    page.locator("main a.button").click()
    for n in range(1, steps + 1):
        assert page.locator(".path-step").first.inner_text().count(str(n)) >= 1
        assert page.locator("progress").evaluate("el => [el.value, el.max]") == [n, steps]
        assert page.locator(".step-list a[aria-current='step']").count() == 1
        if n < steps:
            page.locator(".path-progress .pager a[rel='next']").click()  # the one above the article
            page.wait_for_load_state()
    # Previous only, above and below the article.
    assert page.locator(".pager a[rel='next']").count() == 0
    assert page.locator(".pager a[rel='prev']").count() == 2


def test_copy_link_puts_the_permanent_url_on_the_clipboard(browser, live_server):
    context = browser.new_context(base_url=live_server)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page = context.new_page()
    page.goto("/ar/inaccurate-data")
    page.locator("button.copy-link").click()
    assert page.evaluate("navigator.clipboard.readText()") == f"{live_server}/ar/inaccurate-data"
    anchor = page.locator(".article-body h2 a.header-anchor").first
    anchor.focus()
    assert anchor.evaluate("el => getComputedStyle(el).opacity") == "1"  # shown on focus, hidden otherwise
    anchor.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(f"{live_server}/ar/inaccurate-data#")
    assert page.evaluate("decodeURIComponent(location.hash)") == anchor.get_attribute("href")  # and still goes there
    context.close()


def test_slash_focuses_the_search_box(page):
    page.goto("/he/unclear-goals")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "site-search"


def test_works_without_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    page.goto("/en/")
    page.fill("#site-search", "data quality")
    page.press("#site-search", "Enter")
    page.wait_for_url("**/en/search?q=data+quality")
    assert page.locator("ol.results > li").count() > 0
    page.goto("/en/unclear-goals")
    assert page.locator("button.copy-link").is_hidden()
    assert page.locator(".theme-toggle").is_hidden()
    # The side navigation is a <details>: closed without JavaScript, it opens and its links work.
    assert not page.locator("nav.side-nav").is_visible()
    page.locator(".sidebar-box > summary").click()
    page.locator("nav.side-nav a[href='/en/inaccurate-data']").click()
    page.wait_for_url("**/en/inaccurate-data")
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_violations(browser, live_server, lang, name, scheme, screenshots):
    context = browser.new_context(
        base_url=live_server, bypass_csp=True, viewport={"width": 1280, "height": 900}, color_scheme=scheme
    )
    page = context.new_page()
    page.goto(PAGES[name].format(lang=lang))
    violations = axe_violations(page)
    page.screenshot(path=str(screenshots / f"axe-{name}-{lang}-{scheme}.png"))
    context.close()
    assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)
