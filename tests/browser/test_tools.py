"""The tools for trainers and trainees in a real browser: the health check by keyboard, progress kept by the
browser, a reading list printed to PDF, axe-core on every tool page, and the screenshots to look at."""

from __future__ import annotations

import io
import json
import re
import unicodedata
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from .conftest import axe_violations

pytestmark = pytest.mark.browser

LANGS = ["he", "ar", "en"]
REPORT = "sign=unclear-goals.1&sign=unclear-goals.2&sign=unclear-goals.3&sign=inaccurate-data.2&sign=weak-commitment.1"
TOOL_PAGES = {
    "check": "/{lang}/check",
    "report": "/{lang}/check?" + REPORT,
    "list": "/{lang}/list?ids=overview,unclear-goals,inaccurate-data&title=Onboarding",
    "list-print": "/{lang}/list/print?ids=overview,unclear-goals,inaccurate-data&title=Onboarding",
    "list-new": "/{lang}/list/new",
    "glossary": "/{lang}/glossary",
}


def pdf_text(data: bytes) -> tuple[int, str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    # NFKC: the PDF's ligatures (ﬃ) back to letters.
    return len(reader.pages), unicodedata.normalize("NFKC", "\n".join(p.extract_text() or "" for p in reader.pages))


def test_health_check_by_keyboard(page):
    page.goto("/en/check")
    first = page.locator("input[name=sign][value='inaccurate-data.1']")
    first.focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    assert page.locator("input[name=sign]:checked").count() == 3
    # One sign of another cause, then Tab on to the submit button and Enter.
    page.locator("input[name=sign][value='unsuitable-provider.2']").focus()
    page.keyboard.press("Space")
    for _ in range(200):
        if page.evaluate("document.activeElement.type") == "submit" and page.evaluate(
            "document.activeElement.name === 'report'"
        ):
            break
        page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    query = parse_qs(urlsplit(page.url).query)
    assert sorted(query["sign"]) == ["inaccurate-data.1,2,3", "unsuitable-provider.2"]  # one value a cause
    order = page.locator("ol.risks > li.risk h2 a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert order == ["/en/inaccurate-data", "/en/unsuitable-provider"]
    # "Change my answers" opens the form with the same ticks, to change and submit again.
    with page.expect_navigation():
        page.locator(".report-actions a").click()
    assert page.locator("input[name=sign]:checked").count() == 4


def test_report_opens_in_another_language(page):
    page.goto("/en/check?" + REPORT)
    page.locator(".language-switcher a[hreflang='ar']").click()
    page.wait_for_url("**/ar/check?*")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("ol.risks > li.risk").count() == 3
    assert page.locator("ol.risks > li.risk h2 a").first.get_attribute("href") == "/ar/unclear-goals"


def test_progress_on_a_path_survives_a_reload(page):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/en/paths/first-week")
    assert page.locator(".progress-text").inner_text() == "0 of 6 read"
    page.locator("ol.path-steps > li a").nth(1).click()
    page.wait_for_url("**/en/unclear-goals?path=first-week")
    button = page.locator("button.mark-read")
    button.scroll_into_view_if_needed()  # the end of the article: read
    expect(button).to_have_attribute("aria-pressed", "true")
    button.click()
    assert page.locator(".read-status").inner_text() == "Not read yet."
    button.click()
    assert page.locator(".read-status").inner_text() == "You have read this article."
    page.reload()
    assert page.locator("button.mark-read").inner_text() == "Mark as unread"
    # One progress bar on a step (its place in the path); what was read is marked in the path's steps beside it.
    assert page.locator("progress").count() == 1
    assert page.locator(".step-list > li.is-read").count() == 1
    assert page.locator(".step-list > li.is-read .read-mark").inner_text() == "✓ Read"
    assert page.locator(".step-list > li.is-read").get_attribute("data-article") == "unclear-goals"
    page.goto("/en/paths/first-week")
    assert page.locator(".progress-text").inner_text() == "1 of 6 read"
    assert page.locator("ol.path-steps > li.is-read").count() == 1
    assert page.locator("ol.path-steps > li.is-read").get_attribute("data-article") == "unclear-goals"
    # Home: continue with the first unread step after the one last visited.
    page.goto("/en/")
    link = page.locator("#continue .continue-link")
    assert link.is_visible() and link.get_attribute("href") == "/en/missing-crm-strategy?path=first-week"
    page.goto("/en/paths/first-week")
    page.locator("button.progress-reset").click()
    assert page.locator("ol.path-steps > li.is-read").count() == 0
    page.reload()
    assert page.locator(".progress-text").inner_text() == "0 of 6 read"
    assert errors == []


def test_reading_to_the_end_marks_an_article_read(page):
    page.set_viewport_size({"width": 1280, "height": 700})
    page.goto("/he/inaccurate-data?path=data-and-adoption")
    assert page.locator("button.mark-read").get_attribute("aria-pressed") == "false"
    page.locator("#article-end").scroll_into_view_if_needed()
    expect(page.locator("button.mark-read")).to_have_attribute("aria-pressed", "true")
    page.goto("/he/paths/data-and-adoption")
    assert page.locator("li.is-read[data-article='inaccurate-data']").count() == 1


def test_article_signs_are_remembered_and_open_the_health_check(page):
    page.goto("/ar/unclear-goals")
    boxes = page.locator(".article-body li.task-list-item input[type=checkbox]")
    assert boxes.count() >= 4
    boxes.nth(0).check()
    boxes.nth(2).check()
    page.reload()
    assert [boxes.nth(i).is_checked() for i in range(3)] == [True, False, True]
    link = page.locator("a.open-check")
    assert link.is_visible()
    link.click()
    page.wait_for_url("**/ar/check?*")
    assert parse_qs(urlsplit(page.url).query)["sign"] == ["unclear-goals.1,3"]
    assert page.locator("ol.risks > li.risk").count() == 1


def test_add_to_list_then_make_the_list(page):
    for n, article in enumerate(("inaccurate-data", "unclear-goals"), start=1):
        page.goto(f"/en/{article}")
        page.locator("button.add-to-list").click()
        expect(page.locator("button.add-to-list")).to_have_attribute("aria-pressed", "true")
        expect(page.locator("a.my-list")).to_have_text(f"My reading list ({n})")
    assert page.locator("a.my-list").inner_text() == "My reading list (2)"
    page.locator("a.my-list").click()
    page.wait_for_url("**/en/list/new")
    assert page.locator("input[name=ids]:checked").count() == 2
    page.fill("#list-title", "Data week")
    with page.expect_navigation():
        page.locator("form.list-form button[type=submit]").click()
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"ids": ["inaccurate-data,unclear-goals"], "title": ["Data week"]}
    assert page.locator("h1").inner_text() == "Data week"


def test_reading_list_printed_to_pdf(page, screenshots):
    page.goto(TOOL_PAGES["list-print"].format(lang="en"))
    data = page.pdf(format="A4")
    (screenshots / "tools-list-print-en.pdf").write_bytes(data)
    pages, text = pdf_text(data)
    assert pages >= 3
    for expected in ("Onboarding", "Step 1 of 3", "Step 3 of 3", "Insufficient or unclear goals", "/en/list?ids="):
        assert expected in text, expected
    assert "Make a reading list" not in text and "Search" not in text.split("Onboarding")[0]


@pytest.mark.parametrize("lang", LANGS)
def test_report_prints_on_one_or_two_pages(page, lang, screenshots):
    page.goto(TOOL_PAGES["report"].format(lang=lang))
    data = page.pdf(format="A4")
    (screenshots / f"tools-report-{lang}.pdf").write_bytes(data)
    pages, text = pdf_text(data)
    assert 1 <= pages <= 2
    assert page.locator("form").count() == 1  # the header's search: the report has no form of its own
    assert page.locator(".report-actions").evaluate("el => getComputedStyle(el).display") != "none"
    page.emulate_media(media="print")
    assert page.locator(".report-actions").evaluate("el => getComputedStyle(el).display") == "none"
    assert page.locator("html").get_attribute("dir") == ("ltr" if lang == "en" else "rtl")
    if lang == "en":
        assert "Insufficient or unclear goals" in text and re.search(r"3 of \d+ warning signs", text)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(TOOL_PAGES))
def test_axe_finds_no_violations_on_the_tools(browser, live_server, lang, name, scheme, screenshots):
    context = browser.new_context(
        base_url=live_server, bypass_csp=True, viewport={"width": 1280, "height": 900}, color_scheme=scheme
    )
    page = context.new_page()
    page.goto(TOOL_PAGES[name].format(lang=lang))
    page.screenshot(path=str(screenshots / f"axe-tools-{name}-{lang}-{scheme}.png"))
    violations = axe_violations(page)
    context.close()
    assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", [1280, 390])
def test_tool_screenshots(browser, live_server, lang, width, screenshots):
    context = browser.new_context(base_url=live_server, viewport={"width": width, "height": 900})
    page = context.new_page()
    for name in ("check", "report", "list", "list-print", "glossary"):
        page.goto(TOOL_PAGES[name].format(lang=lang))
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, "scrolls sideways")
        shot = str(screenshots / f"tools-{name}-{lang}-{width}.png")
        page.screenshot(path=shot, full_page=name == "list")
    assert re.search(r"/(he|ar|en)/glossary$", page.url)
    context.close()


def test_health_check_and_list_maker_work_without_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    page.goto("/he/check?role=it")
    page.locator("input[name=sign]").first.check()
    with page.expect_navigation():
        page.locator("form.check-form button[name=report]").click()
    assert "role=it" in page.url and "sign=" in page.url
    assert page.locator("ol.risks > li.risk").count() == 1
    page.goto("/ar/list/new")
    page.locator("#pick-unclear-goals").check()
    page.locator("#pick-overview").check()
    page.fill("#list-title", "أسبوع")
    with page.expect_navigation():
        page.locator("form.list-form button[type=submit]").click()
    assert re.search(r"/ar/list\?ids=overview(%2C|,)unclear-goals&title=", page.url)
    assert page.locator("ol.reading-steps > li").count() == 2
    context.close()
