"""The bounds on typo look-ups: how many words, how far, for how long; the in-memory term walk."""

from __future__ import annotations

import pytest
from whoosh.codec.base import Automata

import search.typos as typos
from kb.loader import load
from search.glossary import Glossary
from search.plan import MAX_WORDS, plan_query
from search.query import SearchEngine
from search.typos import MAX_FAR_WORDS, MAX_TYPO_WORDS, Budget, Lexicon, close_terms, reach

#: Latin letter strings no article of the test corpus holds, nor anything near them.
UNKNOWN = ["qzvxwk", "jqxzvb", "wxqzkj", "zkqjxv", "vqjzxw", "xjwqkz", "kzvqjw", "qwjxzv", "jzkxwq"]


def ids(results) -> list[str]:
    return [h.id for h in results.hits]


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def fresh(corpus_index):
    """A new engine (its per-build caches empty, no result cache)."""
    content, index = corpus_index
    return SearchEngine(index, Glossary(load(content).glossary), content, cache_size=0)


@pytest.fixture
def walks(monkeypatch):
    """The typo look-ups searches make: (text, distance) of each, in order. The searches get a minute of
    look-ups: what is counted is which words are walked, not how many a busy machine has time for."""
    monkeypatch.setattr("search.query.Budget", lambda: typos.Budget(seconds=60.0))
    made = []
    real = typos.close_terms

    def spy(reader, fieldnames, text, distance, lexicon, budget):
        if distance:
            made.append((text, distance))
        return real(reader, fieldnames, text, distance, lexicon, budget)

    monkeypatch.setattr(typos, "close_terms", spy)
    return made


# -- the budget itself ---------------------------------------------------------


def test_reach_follows_the_length_rules():
    assert [reach("x" * n) for n in (3, 4, 7, 8, 24, 25)] == [0, 1, 1, 2, 2, 0]


def test_budget_grants_the_first_words_and_refuses_the_rest():
    budget = Budget(words=2, far=1, clock=Clock())
    assert budget.grant("first", 2) == 2
    assert budget.grant("second", 2) == 1  # the one distance-2 walk went to the first word
    assert budget.grant("third", 1) == 0
    assert budget.grant("first", 2) == 2  # a word asking again gets what it got
    assert budget.grant("second", 1) == 1
    assert not budget.cut


def test_a_word_too_short_or_too_long_takes_no_place():
    budget = Budget(words=1, clock=Clock())
    assert budget.grant("abc", 0) == 0
    assert budget.grant("later", 1) == 1


def test_budget_stops_granting_when_time_is_spent():
    clock = Clock()
    budget = Budget(words=10, seconds=0.05, clock=clock)
    assert budget.grant("early", 1) == 1
    clock.now = 0.06
    assert budget.grant("early", 1) == 0
    assert budget.grant("late", 1) == 0
    assert budget.cut


def test_time_paused_is_not_charged():
    clock = Clock()
    budget = Budget(seconds=0.05, clock=clock)
    with budget.paused():
        clock.now = 1.0
    clock.now = 1.04
    assert budget.grant("word", 1) == 1 and not budget.cut


# -- searches ------------------------------------------------------------------


def test_words_beyond_the_cap_get_no_look_up(fresh, walks):
    query = " ".join([*UNKNOWN[:MAX_TYPO_WORDS], "recrods", "measure"])
    results = fresh.search(query, "en")
    assert ids(results) == ["goals"]  # a known word is found whatever the unknown ones cost
    assert "data" not in ids(results)  # "recrods" came after the cap: searched as typed
    assert {text for text, _ in walks} <= set(UNKNOWN[:MAX_TYPO_WORDS])
    assert "recrods" not in {text for text, _ in walks}
    # The same typo inside the cap is matched to "records".
    assert ids(fresh.search(" ".join([*UNKNOWN[: MAX_TYPO_WORDS - 1], "recrods"]), "en"))[0] == "data"


def test_a_repeated_word_is_looked_up_once_per_field_set(fresh, walks):
    fresh.search(" ".join(["qzvxwkjq"] * MAX_WORDS), "en")
    assert 1 <= walks.count(("qzvxwkjq", 2)) <= 2  # near spellings and "did you mean", once each


def test_distance_two_for_the_first_words_only(fresh, walks):
    words = [w + "ab" for w in UNKNOWN[:MAX_TYPO_WORDS]]  # 8 letters: each would go to distance 2
    fresh.search(" ".join(words), "en")
    far = {text for text, distance in walks if distance == 2}
    assert far == set(words[:MAX_FAR_WORDS])
    assert {text for text, _ in walks} == set(words)


def test_an_exhausted_budget_returns_what_was_found(corpus_index, monkeypatch):
    content, index = corpus_index
    engine = SearchEngine(index, Glossary(load(content).glossary), content)
    monkeypatch.setattr("search.query.Budget", lambda: Budget(seconds=-1.0))
    results = engine.search("recrods measure", "en")
    assert ids(results) == ["goals"]  # the known word's results; the typo was not looked up
    assert results.suggestion is None
    monkeypatch.undo()
    # The cut answer was not kept: the same query, with time to spare, matches the typo.
    assert sorted(ids(engine.search("recrods measure", "en"))) == ["data", "goals"]


def test_the_phrases_first_words_count(fresh):
    words = " ".join(f"w{i}" for i in range(MAX_WORDS + 10))
    plan = plan_query(f'"{words}" "records are old"', "en", fresh.glossary)
    assert [len(p) for p in plan.languages["en"].phrases] == [MAX_WORDS]


# -- the walk in memory ----------------------------------------------------------


@pytest.mark.parametrize("text", ["recrods", "strategi", "גולס", "מטרוט", "סתרטגיה", "استراتجية", "بيانت", "x" * 30])
@pytest.mark.parametrize("maxdist", [1, 2])
def test_the_walk_in_memory_finds_what_the_cursor_finds(fresh, text, maxdist):
    lang = "he" if "\u0590" <= text[0] <= "\u05ff" else "ar" if "\u0600" <= text[0] <= "\u06ff" else "en"
    searchers = fresh.live.build().searchers()
    reader = searchers[lang].reader()
    budget = Budget()
    for name in ("title_s", "body_s", "body_x"):
        automaton = Automata.levenshtein_dfa(text, maxdist, 1)
        on_disk = {t for leaf, _ in reader.leaf_readers() for t in Automata.find_matches(automaton, leaf.cursor(name))}
        listed = Lexicon().terms(reader, name, budget)
        assert listed.close(lambda a=automaton: a, text, maxdist, set()) == on_disk


def test_a_field_too_large_to_keep_is_walked_on_disk(fresh):
    searchers = fresh.live.build().searchers()
    reader = searchers["en"].reader()
    small, large = Lexicon(limit=1), Lexicon()
    assert small.terms(reader, "body_s", Budget()) is None
    for text in ("recrods", "strategi"):
        args = (reader, ["title_s", "body_s"], text, 2)
        assert close_terms(*args, small, Budget()) == close_terms(*args, large, Budget())
        assert close_terms(*args, large, Budget())


def test_a_build_read_ahead_walks_no_term_list_from_disk(fresh, monkeypatch):
    """After :meth:`SearchEngine.read_ahead` every field's term list is in memory: searches with near
    spellings and their "did you mean" read none."""
    fresh.read_ahead()
    read = []
    real = Lexicon.terms

    def spy(self, reader, name, budget):
        if name not in self._lists:
            read.append(name)
        return real(self, reader, name, budget)

    monkeypatch.setattr(Lexicon, "terms", spy)
    assert "data" in ids(fresh.search("recrods", "en"))  # found through a near spelling
    assert fresh.search("qzvxwk", "en").suggestion is None  # every field walked, nothing near
    assert read == []
    build = fresh.live.build()
    assert {name for lang in build.searchers() for name in build.lexicon(lang)._lists} >= {"body_s", "title_x"}
