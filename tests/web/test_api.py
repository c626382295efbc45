"""The JSON API, as external checks call it."""

from __future__ import annotations

import pytest


def test_search_answers_the_documented_shape(client):
    response = client.get("/api/search", query_string={"q": "רשומות", "lang": "he", "limit": 5})
    assert response.status_code == 200
    data = response.get_json()
    assert set(data) == {"query", "lang", "total", "results", "suggestion", "also", "also_total"}
    assert data["query"] == "רשומות" and data["lang"] == "he" and data["total"] == 1
    [hit] = data["results"]
    assert set(hit) == {"id", "lang", "title", "url", "category", "snippet", "score"}
    assert hit["id"] == "data" and hit["url"] == "/he/data" and hit["category"] == "data"
    assert "<mark>רשומות</mark>" in hit["snippet"]


def test_one_hit_per_article(client):
    data = client.get("/api/search", query_string={"q": "goals data strategy", "lang": "ar", "limit": 50}).get_json()
    found = [r["id"] for r in data["results"]]
    assert len(found) == len(set(found))
    assert all(r["lang"] == "ar" for r in data["results"])


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"lang": "he"}, "'q' is required"),
        ({"q": "x"}, "'lang' must be one of he, ar, en"),
        ({"q": "x", "lang": "fr"}, "'lang' must be one of he, ar, en"),
        ({"q": "x", "lang": "he", "limit": "0"}, "'limit' must be a whole number from 1 to 50"),
        ({"q": "x", "lang": "he", "limit": "51"}, "'limit' must be a whole number from 1 to 50"),
        ({"q": "x", "lang": "he", "limit": "ten"}, "'limit' must be a whole number from 1 to 50"),
        ({"q": "x", "lang": "he", "category": "nope"}, "unknown category 'nope'; use one of strategy, data"),
        ({"q": "x" * 1001, "lang": "he"}, "'q' is too long (1001 characters; at most 1000)"),
        ({"q": "a\x00b", "lang": "he"}, "'q' contains a NUL character"),
    ],
)
def test_bad_parameters_get_400_with_a_message(client, params, error):
    response = client.get("/api/search", query_string=params)
    assert response.status_code == 400
    assert response.get_json() == {"error": error}


def test_category_filter(client):
    data = client.get("/api/search", query_string={"q": "goals data", "lang": "en", "category": "data"}).get_json()
    assert [r["id"] for r in data["results"]] == ["data"]


def test_suggestion(client):
    data = client.get("/api/search", query_string={"q": "recrods", "lang": "en"}).get_json()
    assert data["suggestion"] == "records"


def test_analyze_lists_every_term_with_offsets(client):
    text = "והלקוחות"
    data = client.get("/api/analyze", query_string={"text": text, "lang": "he"}).get_json()
    terms = {t["term"] for t in data["tokens"]}
    assert {"והלקוחות", "לקוחות", "לקוח"} <= terms
    assert all(t["start"] == 0 and t["end"] == len(text) and t["position"] == 0 for t in data["tokens"])


def test_analyze_requires_text_and_lang(client):
    assert client.get("/api/analyze", query_string={"lang": "he"}).status_code == 400
    assert client.get("/api/analyze", query_string={"text": "x", "lang": "xx"}).status_code == 400


def test_server_processes_collect_cycles_rarely():
    import gc

    from web.server import GC_THRESHOLDS, tune_collector

    def collections_while_allocating(containers: int) -> int:
        runs = []
        gc.callbacks.append(lambda phase, info: runs.append(info) if phase == "start" else None)
        try:
            kept = [[] for _ in range(containers)]
            del kept
        finally:
            gc.callbacks.pop()
        return len(runs)

    before = gc.get_threshold()
    try:
        gc.collect()
        assert collections_while_allocating(GC_THRESHOLDS[0] // 2) > 0  # Python's default collects early and often
        tune_collector()
        assert gc.get_freeze_count() > 0  # what start-up loaded stays out of collections
        assert collections_while_allocating(GC_THRESHOLDS[0] // 2) == 0
        assert collections_while_allocating(GC_THRESHOLDS[0] * 2) >= 1  # cycles are still collected
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_search_marks_approximate_results_and_lists_weak_matches_apart(real_app):
    client = real_app.test_client()
    data = client.get("/api/search", query_string={"q": "chocolate cake recipe", "lang": "en"}).get_json()
    assert data["approximate"] is True and data["results"]  # similar articles, marked as such
    assert data["also"] == [] and data["also_total"] == 0
    data = client.get("/api/search", query_string={"q": "duplicate customer records", "lang": "en"}).get_json()
    assert "approximate" not in data
    assert data["results"][0]["id"] == "inaccurate-data"
    assert data["total"] == len(data["results"]) and data["also_total"] >= len(data["also"]) > 0
    assert {r["id"] for r in data["results"]}.isdisjoint(r["id"] for r in data["also"])
    assert set(data["also"][0]) == {"id", "lang", "title", "url", "category", "snippet", "score"}
    assert all("<mark>" not in hit["snippet"] and hit["snippet"] for hit in data["also"])  # the summary's start


def test_search_typed_with_the_wrong_keyboard_layout(real_app):
    data = real_app.test_client().get("/api/search", query_string={"q": "keuj", "lang": "he"}).get_json()
    assert data["query"] == "keuj" and data["searched"] == "לקוח" and data["suggestion"] == "לקוח"
    assert data["results"] and "approximate" not in data
