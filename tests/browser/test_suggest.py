"""Instant search in a real browser: the header's search box suggests articles while typing, in all three
languages, by keyboard and by mouse, right to left where the page is, and axe-core finds nothing wrong."""

from __future__ import annotations

import json
from urllib.parse import unquote, urlsplit

import pytest

from .conftest import axe_violations

pytestmark = pytest.mark.browser

# (language, what is typed, an article that must be suggested)
TYPED = [
    ("he", "והלקו", "customer-not-involved"),
    ("ar", "والعم", "customer-not-involved"),
    ("en", "data qual", "inaccurate-data"),
]
BOX = "#site-search"


def type_and_wait(page, text: str, delay: int = 40) -> list[dict]:
    """Type ``text`` key by key into the search box; the suggestions then shown for its whole text."""
    page.locator(BOX).press_sequentially(text, delay=delay)
    text = page.locator(BOX).input_value()
    page.wait_for_function(
        "t => document.querySelector('.suggest-all bdi') && document.querySelector('.suggest-all bdi').textContent"
        " === t && document.querySelector('#site-search').getAttribute('aria-expanded') === 'true'",
        arg=text,
    )
    return page.locator(".suggest-hit").evaluate_all(
        """els => els.map(e => ({
            id: e.id, url: e.dataset.url, title: e.querySelector('.suggest-title').textContent,
            section: e.querySelector('.suggest-section') ? e.querySelector('.suggest-section').textContent : null,
            group: e.closest('[role=group]').getAttribute('aria-labelledby')}))"""
    )


@pytest.mark.parametrize(("lang", "text", "expected"), TYPED)
def test_arrows_and_enter_open_the_matching_section(page, lang, text, expected):
    page.goto(f"/{lang}/")
    hits = type_and_wait(page, text)
    assert 1 <= len(hits) <= 8
    assert expected in [urlsplit(h["url"]).path.rsplit("/", 1)[-1] for h in hits]
    box = page.locator(BOX)
    assert box.get_attribute("role") == "combobox"
    assert box.get_attribute("aria-controls") == page.locator("[role=listbox]").get_attribute("id")
    # Down twice, up once: the first suggestion is highlighted, and named by aria-activedescendant.
    for key in ("ArrowDown", "ArrowDown", "ArrowUp"):
        page.keyboard.press(key)
    first = hits[0]
    assert box.get_attribute("aria-activedescendant") == first["id"]
    assert page.locator(f"#{first['id']}").get_attribute("aria-selected") == "true"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{first['url'].split('#')[0]}*")
    path, anchor = first["url"].split("#") if "#" in first["url"] else (first["url"], None)
    assert urlsplit(page.url).path == path
    if anchor:  # the section the suggestion named is the one opened
        assert unquote(urlsplit(page.url).fragment) == anchor
        heading = page.locator(f"[id='{anchor}']")
        assert heading.count() == 1
        assert first["section"] in heading.text_content()


@pytest.mark.parametrize(("lang", "text", "expected"), TYPED)
def test_suggestions_are_grouped_by_category(page, lang, text, expected):
    page.goto(f"/{lang}/")
    hits = type_and_wait(page, text)
    groups = page.locator("[role=listbox] > [role=group]")
    assert groups.count() >= 1
    titles = [groups.nth(i).locator(".suggest-group-title").text_content() for i in range(groups.count())]
    assert len(set(titles)) == len(titles)  # one group per category
    # Every suggestion sits in one group, the groups in the order of their best suggestion.
    seen = []
    for hit in hits:
        if hit["group"] not in seen:
            seen.append(hit["group"])
    assert seen == [groups.nth(i).get_attribute("aria-labelledby") for i in range(groups.count())]
    # The last option searches everything typed.
    options = page.locator("[role=option]")
    assert options.nth(options.count() - 1).get_attribute("id") == "suggest-option-all"


def test_a_click_opens_the_suggestion(page):
    page.goto("/en/unclear-goals")
    hits = type_and_wait(page, "vendo")
    assert any("provider" in h["url"] for h in hits)
    target = next(h for h in hits if "provider" in h["url"])
    page.locator(f"#{target['id']}").click()
    page.wait_for_url(f"**{target['url'].split('#')[0]}*")
    assert page.url.endswith(target["url"])


def test_enter_without_a_highlight_searches_everything(page):
    page.goto("/ar/")
    type_and_wait(page, "البيانات")
    page.keyboard.press("Enter")
    page.wait_for_url("**/ar/search?q=*")
    assert page.locator("ol.results > li").count() > 0


def test_the_last_option_searches_everything(page):
    page.goto("/he/")
    type_and_wait(page, "נתונ")
    page.keyboard.press("ArrowUp")  # from the box, up goes to the last option
    assert page.locator(BOX).get_attribute("aria-activedescendant") == "suggest-option-all"
    page.keyboard.press("Enter")
    page.wait_for_url("**/he/search?q=*")
    assert page.locator(BOX).input_value() == "נתונ"


def test_escape_closes_and_the_text_stays(page):
    page.goto("/en/")
    type_and_wait(page, "cust")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Escape")
    box = page.locator(BOX)
    assert box.get_attribute("aria-expanded") == "false"
    assert page.locator(".suggest-panel").is_hidden()
    assert box.get_attribute("aria-activedescendant") is None
    assert box.input_value() == "cust"
    page.keyboard.press("ArrowDown")  # opens again
    assert box.get_attribute("aria-expanded") == "true"


# The answer for "stra" is held back 1.5 s (until its request is aborted); the rest go through.
SLOW_FIRST = """
window.__aborted = 0;
const send = window.fetch.bind(window);
window.fetch = (url, options) => {
  if (!String(url).endsWith("q=stra")) return send(url, options);
  return new Promise((resolve, reject) => {
    options.signal.addEventListener("abort", () => {
      window.__aborted += 1;
      reject(new DOMException("", "AbortError"));
    });
    setTimeout(() => send(url, options).then(resolve, reject), 1500);
  });
};
"""


def test_a_stale_answer_is_aborted_and_never_shown(page):
    page.add_init_script(SLOW_FIRST)
    page.goto("/en/")
    page.locator(BOX).press_sequentially("stra")
    page.wait_for_timeout(400)  # past the debounce: the request for "stra" is under way
    hits = type_and_wait(page, "tegy")
    assert page.evaluate("window.__aborted") == 1
    page.wait_for_timeout(1600)  # when the held answer would have come
    assert page.locator(".suggest-all bdi").text_content() == "strategy"
    assert any("strategy" in h["url"] for h in hits)


@pytest.mark.parametrize("keys", ["Control+k", "Meta+k", "/"])
def test_shortcuts_focus_the_box(page, keys):
    page.goto("/ar/unclear-goals")
    page.locator("h1").click()
    assert page.evaluate("document.activeElement.id") != "site-search"
    page.keyboard.press(keys)
    assert page.evaluate("document.activeElement.id") == "site-search"


@pytest.mark.parametrize("lang", ["he", "ar"])
def test_the_box_stays_right_to_left_with_a_latin_first_word(page, lang):
    page.goto(f"/{lang}/")
    type_and_wait(page, "CRM")
    box = page.locator(BOX)
    assert box.get_attribute("dir") == "rtl"
    assert box.evaluate("el => getComputedStyle(el).direction") == "rtl"
    panel = page.locator(".suggest-panel")
    assert panel.evaluate("el => getComputedStyle(el).direction") == "rtl"
    # The panel opens from the box's start (right) edge.
    box_right = box.bounding_box()["x"] + box.bounding_box()["width"]
    form = page.locator("form.search-form").bounding_box()
    panel_box = panel.bounding_box()
    assert abs((panel_box["x"] + panel_box["width"]) - (form["x"] + form["width"])) < 2
    assert panel_box["x"] + panel_box["width"] >= box_right - 1


def test_english_box_is_left_to_right(page):
    page.goto("/en/")
    assert page.locator(BOX).get_attribute("dir") == "ltr"


@pytest.mark.parametrize("lang", ["he", "ar", "en"])
def test_axe_finds_no_violations_with_the_list_open(browser, live_server, lang):
    context = browser.new_context(base_url=live_server, bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"/{lang}/")
    type_and_wait(page, dict((t[0], t[1]) for t in TYPED)[lang])
    page.keyboard.press("ArrowDown")
    violations = axe_violations(page)
    context.close()
    assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize(("lang", "text", "expected"), TYPED)
def test_screenshots_of_the_open_list(browser, live_server, screenshots, lang, text, expected, width):
    context = browser.new_context(base_url=live_server, viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(f"/{lang}/unclear-goals")
    type_and_wait(page, text)
    page.keyboard.press("ArrowDown")
    panel = page.locator(".suggest-panel").bounding_box()
    # The list fits the window: nothing cut off at either side.
    assert panel["x"] >= 0 and panel["x"] + panel["width"] <= width
    page.screenshot(path=str(screenshots / f"suggest-{lang}-{width}.png"))
    context.close()
