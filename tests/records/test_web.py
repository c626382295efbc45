"""What the site records, through its pages and POST /api/feedback, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from web.records import store


@pytest.fixture
def site(corpus_index, database_url):
    """An app recording into a fresh database, and a function returning what it wrote."""
    from web.app import create_app

    store.upgrade(store.open_engine(database_url))
    content, index = corpus_index
    app = create_app(
        {"KB_CONTENT_DIR": str(content), "KB_INDEX_DIR": str(index), "TESTING": True, "KB_DATABASE_URL": database_url}
    )
    engine = store.open_engine(database_url)

    def rows(table) -> list[dict]:
        assert app.extensions["recorder"].flush(20)
        with engine.connect() as connection:
            return [dict(r._mapping) for r in connection.execute(select(table).order_by(table.c.at))]

    app.rows = rows
    yield app
    app.extensions["recorder"].stop()
    engine.dispose()


def test_a_search_page_is_recorded_with_what_it_showed(site):
    page = site.test_client().get("/en/search?q=%20Goals%E2%80%8F%20%20KPI&category=strategy")
    assert page.status_code == 200
    [row] = site.rows(store.searches)
    assert row["query"] == "goals kpi"
    assert (row["lang"], row["category"], row["approximate"]) == ("en", "strategy", False)
    assert row["results"] >= 1 and row["shown"].split()[0] == "goals"
    # The result links carry the recorded search's id.
    assert f'href="/en/goals?from={row["id"]}"' in page.get_data(as_text=True)


def test_a_search_with_no_results_is_recorded_with_zero(site):
    assert site.test_client().get("/he/search?q=zzzqqqxxx").status_code == 200
    [row] = site.rows(store.searches)
    assert (row["query"], row["lang"], row["results"], row["shown"]) == ("zzzqqqxxx", "he", 0, "")


def test_an_empty_search_page_records_nothing(site):
    assert site.test_client().get("/en/search?q=%20%20").status_code == 200
    assert site.rows(store.searches) == []


def test_api_searches_are_recorded_only_when_completed(site):
    client = site.test_client()
    for prefix in ("g", "go", "goa"):  # instant search, keystroke by keystroke
        assert "search_id" not in client.get(f"/api/search?q={prefix}&lang=en").get_json()
    answer = client.get("/api/search?q=goals&lang=en&record=true").get_json()
    [row] = site.rows(store.searches)
    assert row["id"] == answer["search_id"] and row["query"] == "goals"


def test_opening_a_result_records_the_click_in_the_article_language(site):
    client = site.test_client()
    page = client.get("/he/search?q=goals").get_data(as_text=True)
    link = re.search(r'href="(/he/goals\?from=[0-9a-f]{16})"', page).group(1)
    assert client.get(link).status_code == 200
    client.get("/en/goals?from=not-a-search-id")  # ignored
    client.get("/en/goals")  # not from a search
    [search] = site.rows(store.searches)
    [click] = site.rows(store.clicks)
    assert (click["search_id"], click["article_id"], click["lang"]) == (search["id"], "goals", "he")


def _vote(client, body, **headers):
    return client.post("/api/feedback", data=json.dumps(body), content_type="application/json", headers=headers)


def test_a_vote_is_recorded(site):
    client = site.test_client()
    answer = _vote(client, {"id": "goals", "lang": "ar", "helpful": False, "comment": "  ناقص مثال  "})
    assert (answer.status_code, answer.get_json()) == (202, {"recorded": True})
    assert _vote(client, {"id": "data", "lang": "en", "helpful": True}).status_code == 202
    rows = site.rows(store.votes)
    assert [(r["article_id"], r["lang"], r["helpful"], r["comment"]) for r in rows] == [
        ("goals", "ar", False, "ناقص مثال"),
        ("data", "en", True, None),
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"id": "nope", "lang": "en", "helpful": True}, "no article 'nope' in 'en'"),
        ({"id": "goals", "lang": "fr", "helpful": True}, "'lang' must be one of he, ar, en"),
        ({"id": "goals", "lang": "en", "helpful": "yes"}, "'helpful' must be true or false"),
        ({"id": "goals", "lang": "en", "helpful": 1}, "'helpful' must be true or false"),
        ({"id": 7, "lang": "en", "helpful": True}, "'id' must be an article id (text)"),
        ({"id": "goals", "lang": "en", "helpful": True, "comment": 5}, "'comment' must be text"),
        ({"id": "goals", "lang": "en", "helpful": True, "comment": "x" * 501}, "'comment' is too long (501"),
        ({"id": "goals", "lang": "en", "helpful": True, "comment": "a\x00b"}, "control characters"),
        ({"id": "goals", "lang": "en", "helpful": True, "ip": "1.2.3.4"}, "unknown field(s): ip"),
        (["goals", "en", True], "the body must be a JSON object"),
        (None, "the body must be a JSON object"),
        ({"lang": "en", "helpful": True}, "'id' must be an article id"),
    ],
)
def test_bad_votes_get_400_with_a_message_and_write_nothing(site, body, message):
    answer = _vote(site.test_client(), body)
    assert answer.status_code == 400
    assert message in answer.get_json()["error"]
    assert site.rows(store.votes) == []


def test_a_comment_of_exactly_500_characters_is_kept(site):
    assert (
        _vote(site.test_client(), {"id": "goals", "lang": "he", "helpful": True, "comment": "א" * 500}).status_code
        == 202
    )
    assert len(site.rows(store.votes)[0]["comment"]) == 500


def test_votes_must_be_json(site):
    client = site.test_client()
    answer = client.post(
        "/api/feedback", data="id=goals&lang=en&helpful=true", content_type="application/x-www-form-urlencoded"
    )
    assert answer.status_code == 415 and "JSON" in answer.get_json()["error"]
    answer = client.post("/api/feedback", data="{not json", content_type="application/json")
    assert (answer.status_code, answer.get_json()["error"]) == (400, "the body is not valid JSON")


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Referer": "https://evil.example/page"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Origin": "http://localhost.evil.example"},
    ],
)
def test_cross_site_votes_are_refused(site, headers):
    answer = _vote(site.test_client(), {"id": "goals", "lang": "en", "helpful": True}, **headers)
    assert answer.status_code == 403 and answer.get_json()["error"] == "cross-site requests are refused"
    assert site.rows(store.votes) == []


def test_same_site_votes_are_accepted(site):
    client = site.test_client()
    vote = {"id": "goals", "lang": "en", "helpful": True}
    assert _vote(client, vote, Origin="http://localhost", **{"Sec-Fetch-Site": "same-origin"}).status_code == 202
    assert _vote(client, vote, Referer="http://localhost/en/goals").status_code == 202


def test_votes_are_rate_limited_per_address(site):
    client = site.test_client()
    vote = {"id": "goals", "lang": "en", "helpful": True}
    answers = [client.post("/api/feedback", json=vote, environ_base={"REMOTE_ADDR": "10.0.0.1"}) for _ in range(12)]
    assert [a.status_code for a in answers] == [202] * 10 + [429] * 2
    assert "too many votes" in answers[-1].get_json()["error"]
    other = client.post("/api/feedback", json=vote, environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert other.status_code == 202
    assert len(site.rows(store.votes)) == 11


def test_the_form_works_without_javascript(site):
    client = site.test_client()
    page = client.get("/he/goals").get_data(as_text=True)
    assert 'action="/he/goals/feedback"' in page and "האם זה עזר?" in page
    answer = client.post("/he/goals/feedback", data={"helpful": "no", "comment": "חסר"})
    assert answer.status_code == 303 and answer.headers["Location"] == "/he/goals?voted=no#feedback"
    thanks = client.get("/he/goals?voted=no").get_data(as_text=True)
    assert "תודה על המשוב." in thanks and 'action="/he/goals/feedback"' not in thanks
    assert [(r["lang"], r["helpful"], r["comment"]) for r in site.rows(store.votes)] == [("he", False, "חסר")]


@pytest.mark.parametrize(
    ("data", "headers", "status", "text"),
    [
        ({"helpful": "maybe"}, {}, 400, "اختر نعم أو لا."),
        ({"helpful": "yes", "comment": "x" * 501}, {}, 400, "التعليق طويل جدًا"),
        ({"helpful": "yes"}, {"Origin": "https://evil.example"}, 403, "لا يمكن إرسال هذا النموذج إلا من هذا الموقع."),
    ],
)
def test_the_form_explains_refusals_in_the_page_language(site, data, headers, status, text):
    answer = site.test_client().post("/ar/goals/feedback", data=data, headers=headers)
    assert answer.status_code == status
    assert text in answer.get_data(as_text=True)
    assert site.rows(store.votes) == []


def test_nothing_is_recorded_with_recording_off(corpus_index, tmp_path):
    from web.app import create_app

    content, index = corpus_index
    url = f"sqlite:///{tmp_path}/off.db"
    app = create_app(
        {"KB_CONTENT_DIR": str(content), "KB_INDEX_DIR": str(index), "KB_DATABASE_URL": url, "KB_RECORDING": False}
    )
    client = app.test_client()
    page = client.get("/en/search?q=goals")
    assert page.status_code == 200 and "?from=" not in page.get_data(as_text=True)
    assert "search_id" not in client.get("/api/search?q=goals&lang=en&record=true").get_json()
    assert _vote(client, {"id": "goals", "lang": "en", "helpful": True}).status_code == 202
    assert not (tmp_path / "off.db").exists()
