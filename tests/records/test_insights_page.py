"""/insights: closed without KB_INSIGHTS_TOKEN, open only with it, figures as tables and SVG charts."""

from __future__ import annotations

import logging
import re

import pytest

from web.layout import THEME_SCRIPT
from web.records import store

from .test_insights import _searches

TOKEN = "correct horse battery staple"


@pytest.fixture
def make_app(corpus_index):
    from web.app import create_app

    content, index = corpus_index
    apps = []

    def make(url: str, token: str = TOKEN):
        app = create_app(
            {
                "KB_CONTENT_DIR": str(content),
                "KB_INDEX_DIR": str(index),
                "KB_DATABASE_URL": url,
                "KB_INSIGHTS_TOKEN": token,
                "KB_RECORDING": False,
            }
        )
        apps.append(app)
        return app

    yield make
    for app in apps:
        if "insights_engine" in app.extensions:
            app.extensions["insights_engine"].dispose()


@pytest.fixture
def recorded_url(ready_engine, database_url):
    now = store.now()
    records = _searches([("הגירת נתונים", "he", 0, 1), ("הגירת נתונים", "he", 0, 2), ("יעדים", "he", 3, 1)])
    records.append(("click", {"at": now, "search_id": f"{3:016x}", "article_id": "goals", "lang": "en"}))
    for helpful, comment in ((True, None), (False, "חסרה דוגמה"), (True, "מועיל")):
        records.append(
            ("vote", {"at": now, "article_id": "goals", "lang": "he", "helpful": helpful, "comment": comment})
        )
    store.insert(ready_engine, records)
    return database_url


def _bearer(token: str = TOKEN) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_closed_without_a_token(make_app, tmp_path):
    client = make_app(f"sqlite:///{tmp_path}/r.db", token="").test_client()
    for headers in ({}, _bearer(""), _bearer("anything")):
        page = client.get("/he/insights", headers=headers)
        assert page.status_code == 403
        assert "דף זה סגור בשרת זה." in page.get_data(as_text=True)
    assert client.post("/he/insights", data={"token": ""}).status_code == 403


def test_the_login_form_in_the_visitors_language(make_app, tmp_path):
    client = make_app(f"sqlite:///{tmp_path}/r.db").test_client()
    page = client.get("/ar/insights")
    html = page.get_data(as_text=True)
    assert page.status_code == 401 and page.headers["Cache-Control"] == "no-store"
    assert '<html lang="ar" dir="rtl">' in html and "رمز الوصول" in html and 'type="password"' in html
    assert client.get("/insights", headers={"Accept-Language": "he"}).headers["Location"] == "/he/insights"


def test_the_token_is_not_accepted_in_the_address(make_app, tmp_path):
    client = make_app(f"sqlite:///{tmp_path}/r.db").test_client()
    assert client.get(f"/en/insights?token={TOKEN}").status_code == 401
    assert client.get(f"/en/insights?access_token={TOKEN}").status_code == 401


@pytest.mark.parametrize("wrong", ["", "correct horse", TOKEN + "!", TOKEN.upper()])
def test_a_wrong_token_is_refused(make_app, tmp_path, wrong):
    client = make_app(f"sqlite:///{tmp_path}/r.db").test_client()
    assert client.get("/en/insights", headers=_bearer(wrong)).status_code == 401
    answer = client.post("/en/insights", data={"token": wrong})
    assert answer.status_code == 401 and "That token is not right." in answer.get_data(as_text=True)
    assert "Set-Cookie" not in answer.headers


def test_the_figures_with_the_header(make_app, recorded_url):
    page = make_app(recorded_url).test_client().get("/he/insights?days=30", headers=_bearer())
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and '<html lang="he" dir="rtl">' in html
    gaps = html[html.index('id="gaps-heading"') : html.index('id="top-heading"')]
    assert "הגירת נתונים" in gaps and "<td>2</td>" in gaps and "יעדים" not in gaps
    languages = html[html.index('id="languages-heading"') : html.index('id="gaps-heading"')]
    assert re.search(r"<td>3</td><td>2</td><td>67%?\u200f?%?</td>", languages.replace("\xa0", "")), languages
    cross = html[html.index('id="cross-heading"') : html.index('id="feedback-heading"')]
    assert "יעדים" in cross and "English" in cross
    votes = html[html.index('id="feedback-heading"') :]
    assert "<td>2</td>" in votes and "<td>1</td>" in votes and "חסרה דוגמה" in votes and "מועיל" in votes


def test_charts_are_inline_svg_drawn_from_the_start_side(make_app, recorded_url):
    client = make_app(recorded_url).test_client()
    for lang, rtl in (("he", True), ("en", False)):
        html = client.get(f"/{lang}/insights", headers=_bearer()).get_data(as_text=True)
        bars = re.findall(r'<rect class="bar-part" x="(\d+)" y="2" width="(\d+)"', html)
        assert bars, html
        for x, width in bars:
            assert int(x) == (160 - int(width) if rtl else 0)
        assert "style=" not in html
        # The colour scheme's one-line script (allowed by its hash) and the site's script, nothing else.
        assert re.findall(r"<script>(.*?)</script>", html) == [THEME_SCRIPT]
        assert re.findall(r"<script[^>]*>", html) == [
            "<script>",
            '<script src="/static/site.js" defer>',
            '<script src="/static/suggest.js" defer>',
            '<script src="/static/share.js" defer>',
        ]


def test_login_form_sets_a_cookie_that_is_not_the_token(make_app, recorded_url):
    app = make_app(recorded_url)
    client = app.test_client()
    answer = client.post("/en/insights", data={"token": TOKEN})
    assert answer.status_code == 303 and answer.headers["Location"] == "/en/insights"
    cookie = answer.headers["Set-Cookie"]
    assert TOKEN not in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert client.get("/en/insights").status_code == 200
    # A new token closes the sessions opened with the old one.
    other = make_app(recorded_url, token="another token").test_client()
    other.set_cookie("kb_insights", client.get_cookie("kb_insights").value)
    assert other.get("/en/insights").status_code == 401
    # Signing out.
    assert client.post("/en/insights/logout").status_code == 303
    assert client.get("/en/insights").status_code == 401


def test_a_cross_site_login_is_refused(make_app, tmp_path):
    client = make_app(f"sqlite:///{tmp_path}/r.db").test_client()
    answer = client.post("/en/insights", data={"token": TOKEN}, headers={"Origin": "https://evil.example"})
    assert answer.status_code == 403 and "Set-Cookie" not in answer.headers


def test_login_attempts_are_limited(make_app, tmp_path):
    client = make_app(f"sqlite:///{tmp_path}/r.db").test_client()
    codes = [client.post("/en/insights", data={"token": f"guess {n}"}).status_code for n in range(12)]
    assert codes == [401] * 10 + [429] * 2
    assert client.post("/en/insights", data={"token": TOKEN}).status_code == 429


def test_the_token_is_never_logged(make_app, recorded_url, caplog):
    client = make_app(recorded_url).test_client()
    with caplog.at_level(logging.DEBUG):
        client.get("/en/insights", headers=_bearer())
        client.get("/en/insights", headers=_bearer(TOKEN + "x"))
        client.post("/en/insights", data={"token": TOKEN})
        client.post("/en/insights", data={"token": TOKEN + "x"})
    assert caplog.records == [] or all(TOKEN not in r.getMessage() for r in caplog.records)


def test_an_unreadable_database_gets_a_translated_503(make_app, tmp_path):
    client = make_app("postgresql://kb@127.0.0.1:9/kb").test_client()
    page = client.get("/ar/insights", headers=_bearer())
    assert page.status_code == 503
    assert "لا يمكن قراءة قاعدة بيانات السجلات الآن" in page.get_data(as_text=True)
