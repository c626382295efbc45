""" "Was this helpful?" in a real browser: with JavaScript the vote is sent as JSON and the page stays; the
same form without JavaScript posts and comes back with thanks. The vote reaches the database either way."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import select

from web.records import store

pytestmark = pytest.mark.browser


def _votes(comment: str) -> list[tuple]:
    engine = store.open_engine(os.environ["KB_DATABASE_URL"])
    try:
        with engine.connect() as connection:
            query = select(store.votes.c.article_id, store.votes.c.lang, store.votes.c.helpful).where(
                store.votes.c.comment == comment
            )
            return [tuple(row) for row in connection.execute(query)]
    finally:
        engine.dispose()


def _wait_for_votes(comment: str, page) -> list[tuple]:
    for _ in range(100):
        found = _votes(comment)
        if found:
            return found
        page.wait_for_timeout(100)
    return []


def test_a_vote_with_javascript_stays_on_the_page(page):
    page.goto("/ar/unclear-goals")
    page.fill("#feedback-comment", "مثال من القطاع العام browser-js")
    page.click("form.feedback-form button[value='no']")
    status = page.locator("#feedback [role='status']")
    status.wait_for()
    assert status.inner_text() == "شكرًا لك على ملاحظاتك."
    assert page.url.endswith("/ar/unclear-goals")  # no navigation: the JSON API took the vote
    assert _wait_for_votes("مثال من القطاع العام browser-js", page) == [("unclear-goals", "ar", False)]


def test_a_vote_without_javascript_posts_the_form(browser, live_server):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/he/unclear-goals")
        page.fill("#feedback-comment", "ברור ומעשי browser-form")
        page.click("form.feedback-form button[value='yes']")
        page.wait_for_url("**/he/unclear-goals?voted=yes#feedback")
        assert page.locator("#feedback [role='status']").inner_text() == "תודה על המשוב."
        assert _wait_for_votes("ברור ומעשי browser-form", page) == [("unclear-goals", "he", True)]
    finally:
        context.close()
