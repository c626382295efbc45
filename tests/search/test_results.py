"""One JSON shape for a search, printed by ``/api/search`` and ``kb search --json`` alike."""

from __future__ import annotations

import json

from click.testing import CliRunner

from kb.cli import main

KEYS = ["query", "lang", "total", "results", "suggestion", "also", "also_total"]
HIT_KEYS = ["id", "lang", "title", "url", "category", "snippet", "score"]


def test_to_json_has_the_documented_keys(engine):
    data = engine.search("records", "en").to_json()
    assert list(data) == KEYS
    assert data["total"] == 1 and data["suggestion"] is None
    assert [list(hit) for hit in data["results"]] == [HIT_KEYS]
    assert data["results"][0]["url"] == "/en/data"
    json.dumps(data)  # plain values only


def test_cli_and_api_print_the_same_results(corpus_index, client):
    content, index = corpus_index
    result = CliRunner().invoke(
        main, ["search", "records", "--lang", "en", "--json", "--content", str(content), "--index", str(index)]
    )
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert list(printed) == KEYS
    assert printed == client.get("/api/search", query_string={"q": "records", "lang": "en"}).get_json()
