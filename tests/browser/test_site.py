"""The site in a real browser (Debian's Chromium through Playwright), in all three languages."""

from __future__ import annotations

import json
import re

import pytest

from .conftest import AXE

pytestmark = pytest.mark.browser

LANGS = ["he", "ar", "en"]
PAGES = {
    "home": "/{lang}/",
    "article": "/{lang}/unclear-goals",
    "category": "/{lang}/categories/data",
    "path": "/{lang}/paths/first-week",
    "search": "/{lang}/search?q=CRM",
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
    # The search box and the table of contents sit at the start side: right in Hebrew and Arabic.
    for selector in ("#site-search", "nav.toc"):
        on_right = center_x(page, selector) > width / 2
        assert on_right == (lang != "en"), selector
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
    page.locator("a.button").click()
    for n in range(1, steps + 1):
        assert page.locator(".path-step").first.inner_text().count(str(n)) >= 1
        if n < steps:
            page.locator(".path-nav a[rel='next']").click()
            page.wait_for_load_state()
    assert page.locator(".path-nav a[rel='next']").count() == 0
    assert page.locator(".path-nav a[rel='prev']").count() == 1


def test_copy_link_puts_the_permanent_url_on_the_clipboard(browser, live_server):
    context = browser.new_context(base_url=live_server)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page = context.new_page()
    page.goto("/ar/inaccurate-data")
    page.locator("button.copy-link").click()
    assert page.evaluate("navigator.clipboard.readText()") == f"{live_server}/ar/inaccurate-data"
    page.locator(".article-body h2 .heading-copy").first.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(f"{live_server}/ar/inaccurate-data#")
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
    context.close()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_violations(browser, live_server, lang, name, screenshots):
    context = browser.new_context(base_url=live_server, bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(PAGES[name].format(lang=lang))
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    violations = [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]
    ]
    page.screenshot(path=str(screenshots / f"{name}-{lang}.png"))
    context.close()
    assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)
