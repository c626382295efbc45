"""The query path over the test corpus: parsing, ranking, snippets, suggestions, index life cycle."""

from __future__ import annotations

import os
import shutil

import pytest

from kb.loader import load
from kb.model import Concept
from search.errors import BadQuery, IndexMissing, IndexStale
from search.glossary import Glossary
from search.index import build, current_build
from search.plan import parse, plan_query
from search.query import SearchEngine


@pytest.mark.parametrize(
    ("raw", "text", "phrases"),
    [
        ("plain words", "plain words", ()),
        ('"bad data" records', "bad data records", ("bad data",)),
        ('סמנכ"ל המכירות', 'סמנכ"ל המכירות', ()),
        ('"מנכ"ל החברה" לא', 'מנכ"ל החברה לא', ('מנכ"ל החברה',)),
        ('unbalanced "quote', "unbalanced quote", ()),
        ("AND OR NOT ( title:( * ? ~ ^5 [a TO", "AND OR NOT ( title:( * ? ~ ^5 [a TO", ()),
    ],
)
def test_parse(raw, text, phrases):
    parsed = parse(raw)
    assert parsed.text == text
    assert parsed.phrases == phrases
    assert parse(parsed.text) == (parse(text) if phrases else parsed)  # what is left holds no quote pair


def ids(results) -> list[str]:
    return [h.id for h in results.hits]


def test_prefixed_hebrew_word_finds_the_base_form(engine):
    # "רשומות" (records) stands only in the data article.
    assert ids(engine.search("והרשומות", "he"))[0] == "data"


def test_arabic_with_proclitics_and_harakat(engine):
    assert ids(engine.search("وبالسِّجلات", "ar"))[0] == "data"


def test_exact_form_ranks_above_a_stripped_one(engine):
    results = engine.search("מטרות", "he")
    assert ids(results)[0] == "goals"


def test_results_are_in_the_language_asked_for(engine):
    results = engine.search("goals", "he")
    assert results.hits and all(h.lang == "he" and h.url.startswith("/he/") for h in results.hits)
    assert ids(results)[0] == "goals"
    assert results.hits[0].title == "מטרות לא ברורות"


def test_cross_language_query_finds_the_article_in_the_user_language(engine):
    assert ids(engine.search("سجلات قديمة", "en"))[0] == "data"


def test_glossary_synonym_in_another_language(engine):
    # The corpus glossary maps vendor <-> ספק <-> مزود; no article mentions a vendor,
    # so nothing matches, but the expansion must not fail either.
    assert engine.search("vendor", "he").total == 0


def test_typo_tolerance(engine):
    assert ids(engine.search("recrods", "en"))[0] == "data"


def test_snippet_marks_only_matched_words_on_original_characters(engine):
    [hit] = [h for h in engine.search("רשומות", "he").hits if h.id == "data"]
    assert "<mark>רשומות</mark>" in hit.snippet
    assert hit.snippet.count("<mark>") == 1


def test_snippet_is_escaped(engine):
    for hit in engine.search("<script>goals</script>", "en").hits:
        assert "<script>" not in hit.snippet


def test_category_filter(engine):
    assert ids(engine.search("goals data strategy", "en", category="data")) == ["data"]


def test_did_you_mean(engine):
    results = engine.search("recrods", "en")
    assert results.suggestion == "records"
    assert engine.search("records", "en").suggestion is None


def test_quoted_phrase_is_required(engine):
    assert ids(engine.search('"old records"', "en")) == []
    assert ids(engine.search('"are old"', "en")) == ["data"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"lang": "fr"}, "unknown language 'fr'; use one of he, ar, en"),
        ({"limit": 0}, "limit must be between 1 and 50"),
        ({"limit": 51}, "limit must be between 1 and 50"),
    ],
)
def test_bad_parameters(engine, kwargs, message):
    args = {"lang": "en", "limit": 10} | kwargs
    with pytest.raises(BadQuery, match=message):
        engine.search("goals", args["lang"], limit=args["limit"])


def test_query_made_of_syntax_is_plain_text(engine):
    for raw in ["title:(", "*", "?", "~", "^5", '"', "", "   "]:
        results = engine.search(raw, "en")
        assert (results.query, results.total, results.hits) == (raw, 0, ())
    # Operators around a word neither exclude it, nor restrict it to a field, nor widen it.
    for raw in ["-records", "NOT records", "title:records", "records*", "records~", "(records", "[records TO"]:
        assert ids(engine.search(raw, "en")) == ["data"], raw


def test_missing_index_is_a_clear_error(tmp_path, corpus_index):
    content, _ = corpus_index
    with pytest.raises(IndexMissing, match="build it with 'kb index'"):
        SearchEngine(tmp_path / "none", Glossary(()), content)


def test_stale_index_is_refused(tmp_path, corpus_index):
    content, _ = corpus_index
    copy = tmp_path / "content"
    shutil.copytree(content, copy)
    build(load(copy), tmp_path / "index", copy)
    (copy / "en" / "data.md").write_text((copy / "en" / "data.md").read_text() + "\nMore.\n")
    with pytest.raises(IndexStale, match="content changed"):
        SearchEngine(tmp_path / "index", Glossary(()), copy)


def test_a_failed_build_leaves_the_live_index(tmp_path, corpus_index, monkeypatch):
    content, _ = corpus_index
    kb = load(content)
    build(kb, tmp_path / "index", content)
    live = current_build(tmp_path / "index")

    def broken(article):
        raise RuntimeError("disk full")

    monkeypatch.setattr("search.index.document_for", broken)
    with pytest.raises(RuntimeError):
        build(kb, tmp_path / "index", content)
    assert current_build(tmp_path / "index") == live
    assert not list((tmp_path / "index").glob(".build-*"))
    engine = SearchEngine(tmp_path / "index", Glossary(()), content)
    assert engine.search("records", "en").total == 1


def test_engine_picks_up_a_new_build(tmp_path, corpus_index):
    content, _ = corpus_index
    kb = load(content)
    build(kb, tmp_path / "index", content)
    engine = SearchEngine(tmp_path / "index", Glossary(()), content)
    first = current_build(tmp_path / "index")
    assert engine.search("records", "en").total == 1
    build(kb, tmp_path / "index", content)
    assert current_build(tmp_path / "index") != first
    assert engine.search("records", "en").total == 1
    assert os.path.isdir(first)  # the previous build is kept for readers still using it


def test_incremental_update_reindexes_only_what_changed(tmp_path, corpus_index):
    from search.index import BuildInfo, update

    content, _ = corpus_index
    copy = tmp_path / "content"
    shutil.copytree(content, copy)
    first = build(load(copy), tmp_path / "index", copy)
    old_engine = SearchEngine(tmp_path / "index", Glossary(()), None)
    assert old_engine.search("zebras", "en").total == 0
    path = copy / "en" / "data.md"
    path.write_text(path.read_text().replace("Records that are old.", "Records that are old, like zebras."))
    second = update(load(copy), tmp_path / "index", copy)
    assert second.path != first.path
    changed = {k for k in second.hashes if second.hashes[k] != first.hashes[k]}
    assert changed == {"en/data"}
    fresh = SearchEngine(tmp_path / "index", Glossary(()), copy)
    assert [h.id for h in fresh.search("zebras", "en").hits] == ["data"]
    assert fresh.search("records", "en").total == 1  # the unchanged documents are all still there
    assert fresh.search("goals", "he").total >= 1
    # The previous build is untouched by the update (its files are shared, never rewritten).
    assert BuildInfo.read(first.path).hashes == first.hashes
    from whoosh import index as whoosh_index
    from whoosh.query import Term

    with whoosh_index.open_dir(str(first.path / "en")).searcher() as searcher:
        assert len(searcher.search(Term("body_x", "zebras"))) == 0
        assert searcher.doc_count() == 3


def test_results_are_cached_per_build(tmp_path, corpus_index):
    content, _ = corpus_index
    kb = load(content)
    build(kb, tmp_path / "index", content)
    engine = SearchEngine(tmp_path / "index", Glossary(()), content, cache_size=2)
    first = engine.search("records", "en")
    assert engine.search("records", "en") is first
    assert engine.search("records", "he") is not first
    engine.search("goals", "en")
    engine.search("data", "en")
    assert engine.search("records", "en") is not first  # evicted: the cache holds two
    again = engine.search("records", "en")
    build(kb, tmp_path / "index", content)
    assert engine.search("records", "en") is not again  # a new build answers afresh


def test_results_are_cached_per_glossary(tmp_path, corpus_index):
    """A glossary swapped in (the content reloaded) is never answered with results of the one before."""
    content, _ = corpus_index
    build(load(content), tmp_path / "index", content)
    engine = SearchEngine(tmp_path / "index", Glossary(()), content)
    assert engine.search("zebra", "en").total == 0
    engine.glossary = Glossary((Concept("zebra", {"en": ("zebra", "records")}),))
    assert ids(engine.search("zebra", "en")) == ["data"]


def test_parallel_build_gives_the_same_answers(tmp_path, corpus_index, monkeypatch):
    content, index = corpus_index
    monkeypatch.setattr("search.index.PARALLEL_FROM", 1)
    build(load(content), tmp_path / "index", content)
    serial = SearchEngine(index, Glossary(()), content)
    parallel = SearchEngine(tmp_path / "index", Glossary(()), content)
    for query, lang in [("records", "en"), ("והרשומות", "he"), ("goals data", "ar")]:
        assert [(h.id, h.snippet) for h in parallel.search(query, lang).hits] == [
            (h.id, h.snippet) for h in serial.search(query, lang).hits
        ]


def test_a_search_begun_on_one_build_is_scored_on_that_build(tmp_path, corpus_index):
    """A thread still holding the previous build's searchers gets that build's scores, not the new one's."""
    import threading

    content, _ = corpus_index
    copy = tmp_path / "content"
    shutil.copytree(content, copy)
    build(load(copy), tmp_path / "index", copy)
    engine = SearchEngine(tmp_path / "index", Glossary(()), None, cache_size=0)
    held = {}
    other = threading.Thread(target=lambda: held.update(first=engine.live.build()))
    other.start()
    other.join()
    expected = engine.search("records", "en")
    path = copy / "en" / "data.md"
    path.write_text(path.read_text().replace("Records that are old.", "Records that are old, like zebras."))
    build(load(copy), tmp_path / "index", copy)
    assert engine.search("zebras", "en").total == 1  # this thread follows the new build
    first_build = held["first"]

    def on_first(text):
        return engine.answer(plan_query(text, "en", engine.glossary), first_build, 10, None)

    assert on_first("zebras").total == 0
    assert [(h.id, h.score) for h in on_first("records").hits] == [(h.id, h.score) for h in expected.hits]
    assert engine.search("zebras", "en").total == 1  # the new build's scores were not replaced by the old one's
