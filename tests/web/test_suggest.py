"""``/api/suggest`` over the real content: the last word typed read as a prefix, in Hebrew, Arabic and English."""

from __future__ import annotations

import pytest

from search.suggest import Sections, split_prefix, stems


@pytest.fixture(scope="module")
def client(real_app):
    return real_app.test_client()


@pytest.fixture(scope="module")
def kb(real_app):
    return real_app.extensions["library"].kb


def suggest(client, q: str, lang: str, **extra) -> list[dict]:
    response = client.get("/api/suggest", query_string={"q": q, "lang": lang, **extra})
    assert response.status_code == 200, response.get_json()
    data = response.get_json()
    assert data["query"] == q and data["lang"] == lang
    return data["results"]


def ids(results: list[dict]) -> list[str]:
    return [r["id"] for r in results]


@pytest.mark.parametrize(
    ("lang", "typed", "expected"),
    [
        ("he", "והלקו", "customer-not-involved"),  # ו + ה before לקו(חות)
        ("he", "לקו", "customer-not-involved"),
        ("he", "לָקוֹ", "customer-not-involved"),  # vowel marks
        ("ar", "والعم", "customer-not-involved"),  # و + ال before عم(لاء)
        ("ar", "العُمَ", "customer-not-involved"),  # harakat
        ("en", "cust", "customer-not-involved"),
        ("en", "KPI", "unclear-goals"),
        ("he", "KPI", "unclear-goals"),  # a Latin acronym in a Hebrew search
        ("en", "strat", "missing-crm-strategy"),
        ("he", "אסטרטג", "missing-crm-strategy"),
        ("ar", "استراتيج", "missing-crm-strategy"),
    ],
)
def test_the_last_word_is_a_prefix(client, lang, typed, expected):
    assert expected in ids(suggest(client, typed, lang))


def test_vowel_marks_and_case_change_nothing(client):
    assert ids(suggest(client, "לָקוֹ", "he")) == ids(suggest(client, "לקו", "he"))
    assert ids(suggest(client, "kpi", "en")) == ids(suggest(client, "KPI", "en"))


def test_a_prefix_finds_what_the_whole_word_finds(client):
    whole = ids(suggest(client, "customer", "en"))
    assert whole[0] in ids(suggest(client, "custo", "en"))[:3]


def test_the_words_before_the_last_narrow_the_list(client):
    results = suggest(client, "data qual", "en")
    assert results[0]["category"]["id"] == "data"
    assert ids(results) != ids(suggest(client, "qual", "en"))


def test_a_finished_word_then_a_space(client):
    results = suggest(client, "לקוחות ", "he")
    assert "customer-not-involved" in ids(results)


@pytest.mark.parametrize("lang", ["he", "ar", "en"])
def test_hits_are_in_the_language_asked_for_with_category_and_section(client, kb, lang):
    results = suggest(client, "CRM", lang)
    assert 1 <= len(results) <= 8
    assert len(set(ids(results))) == len(results)
    for hit in results:
        assert set(hit) == {"id", "title", "url", "category", "section"}
        article = kb.get(lang, hit["id"])
        assert hit["title"] == article.title
        if article.category:
            assert hit["category"] == {"id": article.category, "title": kb.category(article.category).title[lang]}
        else:
            assert hit["category"] is None
        if hit["section"] is None:
            assert hit["url"] == f"/{lang}/{hit['id']}"
        else:
            [heading] = [h for h in article.headings if h.anchor == hit["section"]["anchor"]]
            assert hit["section"]["title"] == heading.text
            assert hit["url"] == f"/{lang}/{hit['id']}#{heading.anchor}"


@pytest.mark.parametrize(
    ("lang", "typed", "heading"),
    [
        ("en", "warning sig", "Warning signs"),
        ("he", "סימני אזה", "סימני אזהרה"),
        ("ar", "علامات الإن", "علامات الإنذار"),
    ],
)
def test_the_section_whose_heading_matched(client, lang, typed, heading):
    results = suggest(client, typed, lang)
    assert results
    assert all(r["section"] and r["section"]["title"] == heading for r in results[:3])


def test_the_section_whose_text_matched(client, kb):
    for hit in suggest(client, "KPI", "en"):
        article = kb.get("en", hit["id"])
        anchors = [h.anchor for h in article.headings]
        lines = article.text.split("\n")
        start = lines.index(hit["section"]["title"])
        later = [h.text for h in article.headings[anchors.index(hit["section"]["anchor"]) + 1 :]]
        end = next((i for i, line in enumerate(lines) if i > start and line in later), len(lines))
        assert "KPI" in "\n".join(lines[start:end])


def test_limit(client):
    assert len(suggest(client, "CRM", "en", limit=3)) == 3
    assert len(suggest(client, "CRM", "en")) == 8


@pytest.mark.parametrize("typed", ["", "   ", "ו", "x", "qqqzzzxxwv"])
def test_nothing_to_suggest(client, typed):
    assert suggest(client, typed, "he" if typed == "ו" else "en") == []


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"lang": "he"}, "'q' is required"),
        ({"q": "x"}, "'lang' must be one of he, ar, en"),
        ({"q": "x", "lang": "fr"}, "'lang' must be one of he, ar, en"),
        ({"q": "x" * 201, "lang": "he"}, "'q' is too long (201 characters; at most 200)"),
        ({"q": "a\x00b", "lang": "he"}, "'q' contains a NUL character"),
        ({"q": "x", "lang": "he", "limit": "0"}, "'limit' must be a whole number from 1 to 8"),
        ({"q": "x", "lang": "he", "limit": "9"}, "'limit' must be a whole number from 1 to 8"),
        ({"q": "x", "lang": "he", "limit": "-1"}, "'limit' must be a whole number from 1 to 8"),
    ],
)
def test_bad_parameters_get_400_with_a_message(client, params, error):
    response = client.get("/api/suggest", query_string=params)
    assert response.status_code == 400
    assert response.get_json() == {"error": error}


def test_split_prefix():
    assert split_prefix("data qual", "en") == ("data ", "qual")
    assert split_prefix("data ", "en") == ("data ", "")
    assert split_prefix("CRM, ", "en") == ("CRM, ", "")
    assert split_prefix("חוסר באסטרט", "he") == ("חוסר ", "באסטרט")


def test_stems_strip_prefix_letters_and_marks():
    assert set(stems("והלקו")) == {"והלקו", "הלקו", "לקו"}
    assert set(stems("والعم")) == {"والعم", "العم"}
    assert stems("לָקוֹ") == stems("לקו")
    assert stems("KPI") == {"kpi": 1.0}
    assert stems("ו") == {}


def test_an_opened_site_has_read_ahead_every_articles_sections(real_app, kb):
    """The first keystrokes on a build do not wait for its articles' sections to be read."""
    build = real_app.extensions["library"].open().engine.live.build()
    for lang in ("he", "ar", "en"):
        scorer = build.scorer(lang)
        for article in kb.in_language(lang):
            kept = scorer.remember(("sections", article.id), lambda a=article: pytest.fail(f"{a.id} not read ahead"))
            assert isinstance(kept, Sections) and kept.headings
