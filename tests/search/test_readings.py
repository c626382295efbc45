"""Readings that strip letters: what they may find, and how much they count against the word itself.

Made-up words (זרבק, גלט, شكذ, برها) planted in a copy of the test corpus,
so that each class is checked without the real articles' words.
"""

from __future__ import annotations

import shutil

import pytest

from kb.loader import load
from search.analysis import analyze
from search.glossary import Glossary
from search.index import build
from search.languages import REGISTRY
from search.query import SearchEngine
from tests.conftest import CORPUS, append_paragraph, extend_summary


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    root = tmp_path_factory.mktemp("readings")
    content = root / "content"
    shutil.copytree(CORPUS, content)
    he, ar = content / "he", content / "ar"
    # Hebrew: a word that is מ + another word of the index; a verb's noun.
    append_paragraph(he / "goals.md", "המערכת מזרבק את הכול.")
    extend_summary(he / "data.md", "זרבק")
    append_paragraph(he / "strategy-gap.md", "צריך גילוט של הנתונים.")
    append_paragraph(he / "data.md", "הם יגלטו מחר.")
    # Arabic: a verb's noun (form II) and a stem's noun (form VI); a final hamza dropped.
    append_paragraph(ar / "goals.md", "التشكيذ مهم.")
    append_paragraph(ar / "strategy-gap.md", "التشاكذ مفيد.")
    append_paragraph(ar / "data.md", "البرهاء هنا.")
    extend_summary(ar / "goals.md", "البره")
    build(load(content), root / "index", content)
    return SearchEngine(root / "index", Glossary(()), content, cache_size=0)


def ids(results) -> list[str]:
    return [hit.id for hit in results.hits]


def test_a_prefix_reading_never_outranks_the_word_itself(engine):
    # מזרבק is a word of the index: מ + זרבק (in a summary, which weighs more than the body) counts less.
    assert ids(engine.search("מזרבק", "he")) == ["goals", "data"]
    assert ids(engine.search("זרבק", "he")) == ["data", "goals"]  # the word itself first here too


def test_a_hebrew_future_verb_finds_its_noun_below_the_verb_itself(engine):
    assert ids(engine.search("יגלטו", "he")) == ["data", "strategy-gap"]
    assert ids(engine.search("ונגלט", "he")) == ["strategy-gap"]


def test_an_arabic_present_verb_finds_its_noun(engine):
    assert ids(engine.search("نشكذ", "ar")) == ["goals"]
    assert ids(engine.search("يتشاكذون", "ar")) == ["strategy-gap"]
    assert ids(engine.search("وسيتشاكذ", "ar")) == ["strategy-gap"]


def test_a_dropped_final_hamza_finds_the_word_before_its_skeleton(engine):
    # البرها's skeleton is البره, another word (in a summary); the word itself is البرهاء, in a body.
    assert ids(engine.search("البرها", "ar")) == ["data", "goals"]


QUERIES = {"he": "מטרות", "ar": "أهداف", "en": "goals"}


@pytest.mark.parametrize("language", REGISTRY, ids=lambda language: language.code)
def test_question_words_are_dropped_in_every_language(engine, language):
    plain = engine.search(QUERIES[language.code], language.code)
    assert plain.hits
    for word in sorted(language.question_words):
        assert analyze(word, language.code) == [], word
        asked = engine.search(f"{word} {QUERIES[language.code]}", language.code)
        assert [(h.id, h.score) for h in asked.hits] == [(h.id, h.score) for h in plain.hits], word
