"""Result lists that mean something: weak matches apart, queries about nothing covered marked approximate."""

from __future__ import annotations

import numpy as np
import pytest

from search.evidence import FUZZY_CREDIT, MIN_COVERAGE, Evidence, specificity
from search.plan import plan_query
from search.ranking import compile_plan, known
from search.typos import Budget
from search.words import function_words


def _vector(*matched: int, size: int = 10) -> np.ndarray:
    out = np.zeros(size, dtype=bool)
    out[list(matched)] = True
    return out


def test_a_rare_word_weighs_more_than_an_everyday_one():
    assert specificity(0, 20) > specificity(1, 20) > specificity(10, 20) > specificity(20, 20) > 0


def test_coverage_weighs_each_word_by_its_specificity():
    evidence = Evidence([0, 1], 10)
    evidence.add_word(0, _vector(0, 1), known=True, df=2, n_docs=10)  # rare
    evidence.add_word(1, _vector(*range(9)), known=True, df=9, n_docs=10)  # in nearly every article
    coverage = evidence.coverage()
    assert coverage[0] == pytest.approx(1.0)
    assert coverage[5] < 0.2 < coverage[0]  # the everyday word alone covers little of the query
    assert coverage[9] == 0.0


def test_a_word_the_index_does_not_know_is_what_the_query_is_about():
    evidence = Evidence([0, 1], 10)
    evidence.add_word(0, _vector(3), known=True, df=1, n_docs=10)
    evidence.add_word(1, _vector(), known=False, df=0, n_docs=10)
    assert evidence.coverage()[3] < 0.5
    assert evidence.approximate(_vector(3))


def test_a_function_word_the_index_does_not_know_says_nothing_of_the_query():
    evidence = Evidence([0, 1], 10, function=frozenset({1}))
    evidence.add_word(0, _vector(3), known=True, df=1, n_docs=10)
    evidence.add_word(1, _vector(), known=False, df=0, n_docs=10)
    assert evidence.coverage()[3] == pytest.approx(1.0)
    assert not evidence.approximate(_vector(3))
    # A function word the index holds weighs as any word does.
    evidence = Evidence([0, 1], 10, function=frozenset({1}))
    evidence.add_word(0, _vector(3), known=True, df=1, n_docs=10)
    evidence.add_word(1, _vector(2), known=True, df=1, n_docs=10)
    assert evidence.coverage()[3] == pytest.approx(0.5)


def test_function_words_of_every_language_are_known_and_content_words_are_not():
    words = function_words()
    assert {"our", "too", "אנחנו", "نحن"} <= words
    assert not {"pizza", "zorblat", "פיצה", "بيتزا"} & words


def test_a_typo_beside_a_specific_word_matched_in_the_same_article_is_a_real_match():
    evidence = Evidence([0, 1], 10)
    evidence.add_word(0, _vector(3), known=True, df=1, n_docs=10)  # specific
    evidence.add_word(1, _vector(3, 4), known=False, df=2, n_docs=10)  # near spellings only
    assert not evidence.approximate(_vector(3, 4))
    assert evidence.coverage()[3] > MIN_COVERAGE > evidence.coverage()[4]


def test_near_spellings_alone_give_approximate_results():
    evidence = Evidence([0], 10)
    evidence.add_word(0, _vector(1, 2), known=False, df=2, n_docs=10)
    assert evidence.coverage()[1] == pytest.approx(FUZZY_CREDIT)
    assert evidence.approximate(_vector(1, 2))
    assert not evidence.approximate(_vector())  # nothing found: empty, not approximate


def test_a_synonym_counts_for_the_words_it_stands_for():
    evidence = Evidence([0, 1], 10)
    evidence.add_word(0, _vector(4), known=True, df=1, n_docs=10)
    evidence.add_word(1, _vector(), known=False, df=0, n_docs=10)
    evidence.add_synonym(frozenset({1}), _vector(4))
    assert evidence.coverage()[4] == pytest.approx(1.0)
    assert not evidence.approximate(_vector(4))


def test_one_everyday_word_or_one_near_spelling_is_weak_beside_real_matches():
    evidence = Evidence([0, 1, 2], 10)
    evidence.add_word(0, _vector(0, 1), known=True, df=2, n_docs=10)
    evidence.add_word(1, _vector(*range(8)), known=True, df=8, n_docs=10)  # ubiquitous
    evidence.add_word(2, _vector(9), known=False, df=1, n_docs=10)  # near spelling
    scores = np.array([5, 4, 3, 3, 3, 3, 3, 3, 0, 3], dtype=float)
    weak = evidence.weak(scores)
    assert not weak[0] and not weak[1]
    assert weak[2:8].all() and weak[9]
    assert not weak[8]  # not matched: in no list


def test_weak_matches_stay_when_nothing_is_stronger():
    evidence = Evidence([0], 10)
    evidence.add_word(0, _vector(*range(9)), known=True, df=9, n_docs=10)
    scores = np.where(_vector(*range(9)), 1.0, 0.0)
    assert not evidence.weak(scores).any()
    scores[0] = 100.0  # far below the best article: the tail is weak
    assert evidence.weak(scores)[1:9].all() and not evidence.weak(scores)[0]


@pytest.mark.parametrize(
    ("query", "lang"),
    [
        ("chocolate cake recipe", "en"),
        ("מתכון עוגת שוקולד", "he"),
        ("وصفة كعكة الشوكولاتة", "ar"),
        ("פיצה", "he"),
        ("كرة القدم", "ar"),
        ("الطقس", "ar"),
    ],
)
def test_a_query_about_nothing_covered_is_empty_or_approximate(real_engine, query, lang):
    results = real_engine.search(query, lang)
    assert results.total == 0 or results.approximate
    assert not results.also  # approximate results are one list
    if results.hits:
        assert results.to_json()["approximate"] is True


@pytest.mark.parametrize(
    ("query", "lang", "first"),
    [
        ("duplicate customer records", "en", "inaccurate-data"),
        ("רשומות לקוחות כפולות", "he", "inaccurate-data"),
        ("سجلات العملاء المكررة", "ar", "inaccurate-data"),
    ],
)
def test_a_covered_query_lists_its_real_matches_and_the_weak_ones_apart(real_engine, query, lang, first):
    results = real_engine.search(query, lang, limit=50)
    assert not results.approximate and "approximate" not in results.to_json()
    assert results.hits[0].id == first
    assert results.total == len(results.hits) < 21  # not every article of the language
    assert results.also_total == len(results.also) > 0
    assert not {h.id for h in results.hits} & {h.id for h in results.also}


def test_a_near_spelling_is_not_used_for_a_word_another_index_knows(real_engine):
    # "kpis" is a word of the English articles; the Hebrew ones hold only "kpi", one letter away.
    plan = plan_query("kpis", "he", real_engine.glossary)
    build = real_engine.live.build()
    searcher, scorer = build.searchers()["he"], build.scorer("he")
    assert not known(plan.words[0], searcher, scorer)
    assert known(plan.words[0], build.searchers()["en"], build.scorer("en"))
    alone = compile_plan(plan.languages["he"], searcher, scorer, Budget(), build.lexicon("he"))
    assert ("body_s", "kpi") in alone.terms  # a near spelling, when nothing else were known
    held = compile_plan(plan.languages["he"], searcher, scorer, Budget(), build.lexicon("he"), frozenset({"kpis"}))
    assert not held.terms
    results = real_engine.search("kpis", "he")
    assert results.hits and not results.approximate


@pytest.mark.parametrize(
    ("query", "lang", "expected"),
    [
        ("ענן", "he", "unsuitable-software"),  # cloud: a loanword concept, mapped to the articles' own terms
        ("كلاود", "ar", "unsuitable-software"),
        ("زبون", "ar", "customer-not-involved"),  # the regional word for customer
        ("churn", "en", "sales-only-focus"),
        ("רישיונות", "he", "misdirected-investment"),
    ],
)
def test_colloquial_and_loanword_terms_find_the_article(real_engine, query, lang, expected):
    results = real_engine.search(query, lang)
    assert not results.approximate
    assert expected in [hit.id for hit in results.hits[:3]]
