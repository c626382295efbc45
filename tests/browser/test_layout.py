"""The page frame in a real browser: side navigation, table of contents, dark mode, phone widths, touch targets."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

LANGS = ["he", "ar", "en"]
PHONE = {"width": 390, "height": 844}
PAGES = [
    "/{lang}/",
    "/{lang}/unclear-goals",
    "/{lang}/categories/people",
    "/{lang}/paths/first-week",
    "/{lang}/missing-crm-strategy?path=first-week",
    "/{lang}/search?q=CRM",
    "/{lang}/search?q=zzqqxx",
]

TOUCH_TARGETS = (
    ".pager a, .chip, .language-switcher a, .theme-toggle, .sidebar-box > summary, .toc-box > summary, "
    "button[type=submit], .back-to-top, .step-list a"
)


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server, viewport=PHONE, has_touch=True, is_mobile=True)
    yield context.new_page()
    context.close()


def test_wide_screen_shows_the_navigation_and_marks_the_section_being_read(page):
    page.goto("/en/unclear-goals")
    current = page.locator("nav.side-nav a[aria-current='page']")
    assert current.is_visible() and current.get_attribute("href") == "/en/unclear-goals"
    toc = page.locator("nav.toc")
    assert toc.is_visible()
    links = toc.locator("a")
    assert links.count() >= 4
    # Scroll the third section to the top: its entry, and only it, is marked.
    target = links.nth(2).get_attribute("href")
    page.locator(f"[id='{target[1:]}']").evaluate("el => el.scrollIntoView()")
    expect(toc.locator(f"a[href='{target}']")).to_have_attribute("aria-current", re.compile("."))
    assert toc.locator("a[aria-current]").count() == 1
    # The header and the table of contents stay in view while reading.
    assert page.locator(".site-header").bounding_box()["y"] == 0
    assert 0 < toc.bounding_box()["y"] < 200


@pytest.mark.parametrize("lang", LANGS)
def test_phone_collapses_navigation_and_contents_behind_buttons(phone, lang):
    phone.goto(f"/{lang}/unclear-goals")
    assert not phone.locator("nav.side-nav").is_visible()
    assert not phone.locator("nav.toc").is_visible()
    # The article starts within the first screen.
    assert phone.locator(".article-body").bounding_box()["y"] < PHONE["height"]
    phone.locator(".toc-box > summary").click()
    assert phone.locator("nav.toc").is_visible()
    phone.locator(".sidebar-box > summary").click()
    assert phone.locator("nav.side-nav a[aria-current='page']").is_visible()


@pytest.mark.parametrize("lang", LANGS)
def test_phone_pages_fit_the_screen_with_touch_sized_controls(phone, lang):
    for url in PAGES:
        phone.goto(url.format(lang=lang))
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], url
        small = phone.evaluate(
            """selector => [...document.querySelectorAll(selector)]
                .filter(el => el.offsetParent !== null)
                .map(el => [el.className || el.tagName, el.getBoundingClientRect().height])
                .filter(([, h]) => h < 44)""",
            TOUCH_TARGETS,
        )
        assert small == [], (url, small)


def test_dark_mode_toggle_is_remembered_across_pages_and_reloads(page):
    page.goto("/he/")
    toggle = page.locator(".theme-toggle")
    assert toggle.get_attribute("aria-label") == "מצב כהה"
    assert toggle.get_attribute("aria-pressed") == "false"
    light = page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
    toggle.click()
    assert page.locator("html").get_attribute("data-theme") == "dark"
    dark = page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
    assert dark != light
    page.reload()
    assert page.locator("html").get_attribute("data-theme") == "dark"
    assert page.locator(".theme-toggle").get_attribute("aria-pressed") == "true"
    page.goto("/ar/unclear-goals")
    assert page.evaluate("getComputedStyle(document.documentElement).backgroundColor") == dark
    page.locator(".theme-toggle").click()
    page.reload()
    assert page.evaluate("getComputedStyle(document.documentElement).backgroundColor") == light


def test_dark_mode_follows_the_system_until_the_visitor_chooses(browser, live_server):
    context = browser.new_context(base_url=live_server, color_scheme="dark")
    page = context.new_page()
    page.goto("/en/")
    assert page.locator(".theme-toggle").get_attribute("aria-pressed") == "true"
    assert page.locator("html").get_attribute("data-theme") is None
    dark = page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
    page.locator(".theme-toggle").click()
    assert page.evaluate("getComputedStyle(document.documentElement).backgroundColor") != dark
    context.close()


def test_breadcrumb_separators_never_start_a_line(phone):
    phone.goto("/ar/missing-crm-strategy?path=first-week")
    items = phone.locator(".breadcrumbs li")
    assert items.count() == 3
    # Separators are drawn by CSS after an item, not typed as text.
    assert "/" not in phone.locator(".breadcrumbs").inner_text()
    assert items.first.evaluate("el => getComputedStyle(el, '::after').content") == '""'


def test_search_page_has_one_box_and_working_chips_without_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    page.goto("/en/search?q=data")
    assert page.locator("input[type=search]").count() == 1
    chip = page.locator(".chips a.chip").nth(1)
    label = chip.inner_text().rsplit(maxsplit=1)
    count = int(label[-1])
    chip.click()
    page.wait_for_url("**category=*")
    assert page.locator("ol.results > li").count() == count
    assert page.locator(".result-category").all_inner_texts() == [label[0]] * count
    context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_axe_finds_no_violations_on_a_phone_in_dark_mode(browser, live_server, lang):
    from .conftest import axe_violations

    context = browser.new_context(base_url=live_server, bypass_csp=True, viewport=PHONE, color_scheme="dark")
    page = context.new_page()
    found = {}
    for url in PAGES:
        page.goto(url.format(lang=lang))
        violations = axe_violations(page)
        if violations:
            found[url] = [(v["id"], v["nodes"][:3]) for v in violations]
    context.close()
    assert found == {}
