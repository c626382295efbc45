"""Words that say little about which article is meant: one in most articles, and the words of a glossary term
that no article holds whole.

Made-up words (zorblat, quindle, plinth, frobnic) planted in a copy of the test corpus, so that each class is
checked without the real articles' words.
"""

from __future__ import annotations

import shutil

import pytest

from kb.loader import load
from search.glossary import Glossary
from search.index import build
from search.query import SearchEngine
from search.ranking import COMMON_FLOOR, COMMON_SHARE, commonness
from tests.conftest import CORPUS, append_paragraph, extend_summary

GLOSSARY = """\
- concept: frobnic
  en: [frobnic, plinth gizmo, sprocket gadget]
  he: [פרובניק]
  ar: [فروبنيك]
"""


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    root = tmp_path_factory.mktemp("common")
    content = root / "content"
    shutil.copytree(CORPUS, content)
    en = content / "en"
    # zorblat is in every English article, and named in the goals summary and keywords; quindle is in the
    # data summary only.
    extend_summary(en / "goals.md", "zorblat")
    goals = en / "goals.md"
    goals.write_text(goals.read_text(encoding="utf-8").replace("keywords: [", "keywords: [zorblat, "), encoding="utf-8")
    for name in ("goals", "data", "strategy-gap"):
        append_paragraph(en / f"{name}.md", "The zorblat matters.")
    extend_summary(en / "data.md", "quindle")
    # Of the glossary term "plinth gizmo" only plinth is in an article; both words of "sprocket gadget" are.
    extend_summary(en / "strategy-gap.md", "plinth")
    extend_summary(en / "data.md", "sprocket gadget")
    append_paragraph(en / "goals.md", "The frobnic.")
    (content / "glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    kb = load(content)
    build(kb, root / "index", content)
    return SearchEngine(root / "index", Glossary(kb.glossary), content, cache_size=0)


def ids(results) -> list[str]:
    return [hit.id for hit in results.hits]


def test_a_word_in_most_articles_keeps_a_share_of_its_weight():
    assert commonness(1, 21) == commonness(int(COMMON_SHARE * 21), 21) == 1.0
    assert 1.0 > commonness(14, 21) > commonness(18, 21) > commonness(21, 21) == COMMON_FLOOR
    assert commonness(10_000, 10_000) == COMMON_FLOOR  # whatever the size of the index


def test_a_specific_word_outweighs_one_in_every_article(engine):
    # zorblat alone ranks the article naming it in its summary first...
    assert ids(engine.search("zorblat", "en"))[0] == "goals"
    # ...but beside a word only one article has, that article scores first.
    build = engine.live.build()
    keys = list(build.scorer("en").keys(build.searchers()["en"]))
    scores = engine.scores("zorblat quindle", "en", build)
    assert scores[keys.index("data")] > scores[keys.index("goals")] > 0


def test_a_glossary_term_no_article_holds_whole_is_not_searched_by_its_other_words(engine):
    found = ids(engine.search("frobnic", "en"))
    assert "goals" in found and "data" in found  # sprocket gadget: both words are in the index
    assert "strategy-gap" not in found  # plinth alone: gizmo is in no article


def test_a_function_word_no_article_holds_does_not_make_a_query_approximate(engine):
    assert not engine.search("our quindle", "en").approximate  # our: a function word, in no article
    assert engine.search("xylophone quindle", "en").approximate  # xylophone: what the query is about
