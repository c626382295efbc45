"""Ranking: every weight and part list in one place, each query word's scores, their combination, the top k.

Each word matches, in falling weight: its surface form in the exact
fields (:data:`EXACT`); its readings (prefixes and suffixes removed,
spelling folded) in the stemmed fields (:data:`READING`); glossary
synonyms (:data:`SYNONYM`); near spellings when the word is unknown to the
index (:data:`FUZZY`; :mod:`search.typos` bounds what one search spends on
them). A part of the article weighs :data:`FIELD_WEIGHTS`; a document
matching few of the query's words keeps :data:`COORDINATION` of its score;
a match in another language's version of the article counts
:data:`OTHER_LANGUAGE`. A word in most articles weighs less
(:func:`commonness`); a glossary term of several words is looked for only
when the index holds each of them.

A reading counts by its kind (:data:`READING_KINDS`). When the query word
is itself a word of the index, a reading that strips a prefix or a verb's
tense prefix may land on another word (ממשק read as מ + משק): it counts
:data:`STRIPPED_OF_A_WORD` less, and no article matching the word only
through its readings scores above one matching the word itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh import query as Q

from .analysis import query_readings
from .evidence import specificity
from .glossary import QueryWord
from .index import PARTS
from .languages.kinds import PREFIX, SKELETON, SUFFIX, VERB, WORD
from .plan import Plan
from .scoring import BulkScorer
from .typos import Budget, Lexicon, near, reach

#: Searchable parts of an article (the schema's :data:`search.index.PARTS`) and their weights.
FIELD_WEIGHTS: dict[str, float] = {"title": 5.0, "keywords": 4.0, "summary": 3.0, "headings": 2.0, "body": 1.0}
assert tuple(FIELD_WEIGHTS) == PARTS, "every part of the schema is weighed, in the schema's order"
#: A word's forms: its surface form, a reading of it, a glossary synonym (times the form it matches),
#: a near spelling of an unknown word.
EXACT, READING, SYNONYM, FUZZY = 1.0, 0.6, 0.45, 0.3
#: A reading's share of :data:`READING` by its kind: the word's own deep form, an inflection, a prefix
#: removed, a verb's tense prefix removed, a skeleton.
READING_KINDS: dict[str, float] = {WORD: 1.0, SUFFIX: 1.0, PREFIX: 1.0, VERB: 0.7, SKELETON: 1.0}
#: The share a prefix or tense-prefix reading keeps when the whole word is a word of the index.
STRIPPED_OF_A_WORD = 0.5
#: An article matching a word only through its readings scores at most this share of the lowest score of
#: those matching the word itself.
UNDER_THE_WORD = 0.95
#: A reading shorter than this (letters) is weak evidence on its own: a short stem matches unrelated words.
MIN_EVIDENCE = 4
#: Parts where an exact form scores above a reading (in the long body, telling them apart costs more than
#: it gains: the body's exact field serves phrases).
EXACT_PARTS = ("title", "keywords", "summary", "headings")
#: Parts where a query word's skeletons are looked for (in the long body they match too many unrelated
#: words for what they add). Every part indexes them: a query spelled without vowel letters meets the
#: body's words through them.
SKELETON_PARTS = ("title", "keywords", "summary", "headings")
#: Glossary synonyms are looked for where an article names its subject, not in the whole body.
SYNONYM_PARTS = ("title", "keywords", "summary")
#: Credit for a match found through another language's version of the article.
OTHER_LANGUAGE = 0.8
#: A document matching few of the query's words keeps this share of its score (all of them: 1).
COORDINATION = 0.5
#: A word in more than this share of a language's articles (CRM in a knowledge base about CRM) says little about
#: which article is meant: its scores keep the square root of its specificity (BM25's inverse document
#: frequency) over that of a word in exactly this share, and :data:`COMMON_FLOOR` at least. Alone, it still
#: ranks the articles it matches.
COMMON_SHARE = 0.5
COMMON_FLOOR = 0.2
#: The fields of the short parts, whose term lists are small enough to keep in memory.
SHORT_FIELDS = tuple(f"{part}_{kind}" for part in EXACT_PARTS for kind in ("s", "x"))


def word_query(word: QueryWord, searcher, scorer: BulkScorer, synonym: bool, near: list[str], own: bool = False):
    """Or over the parts of the article; in each part the best of the word's forms counts.

    Only forms the index holds become term queries: a Hebrew or Arabic word
    has a dozen readings, most of which match nothing. A glossary synonym
    weighs less and is looked for where an article names its subject.
    ``near``: near spellings of a word none of whose forms the index holds.
    ``own``: only the word itself (its surface and deep forms).
    Returns the query (None: nothing to look for), whether some form was held, and whether the word
    itself is a word of the index.
    """
    scale, parts = (SYNONYM, SYNONYM_PARTS) if synonym else (1.0, tuple(FIELD_WEIGHTS))
    kinds = query_readings(word.surface)
    verbs = sorted(r for r, kind in kinds.items() if kind == VERB)
    whole = any(scorer.has(searcher, f"{part}_s", word.deep) for part in parts)
    present = {
        # Skeletons (ktiv male/haser, long vowels, typos) are looked for in the short parts; in the body
        # they match too many unrelated words for what they add.
        part: [
            r
            for r in [*sorted(word.readings if part in SKELETON_PARTS else word.core), *verbs]
            if (not own or r == word.deep) and scorer.has(searcher, f"{part}_s", r)
        ]
        for part in parts
    }
    known = any(present.values())
    # Real evidence: the word itself, or a reading long enough to be a word of its own. Two short stems
    # met halfway (a suffix stripped from the query word, a prefix from the text's) are near spellings.
    strong = whole or any(len(r) >= MIN_EVIDENCE for forms in present.values() for r in forms)
    per_part = []
    for part in parts:
        weight = FIELD_WEIGHTS[part]
        forms = [
            Q.Term(f"{part}_s", r, boost=weight * READING * scale * _share(kinds, r, whole)) for r in present[part]
        ]
        forms += [Q.Term(f"{part}_s", t, boost=weight * FUZZY * scale) for t in ([] if known else near)]
        if forms and part in EXACT_PARTS and scorer.has(searcher, f"{part}_x", word.surface):
            forms.append(Q.Term(f"{part}_x", word.surface, boost=weight * EXACT * scale))
        if forms:
            per_part.append(Q.DisjunctionMax(forms))
    return (Q.Or(per_part) if per_part else None), known, whole, strong


def _share(kinds, reading: str, whole: bool) -> float:
    kind = kinds.get(reading, WORD)
    return READING_KINDS[kind] * (STRIPPED_OF_A_WORD if whole and kind in (PREFIX, VERB) else 1.0)


def _strips(word: QueryWord) -> bool:
    """True when some reading of ``word`` removes prefix letters (or a tense prefix): a reading that can be
    another word of the index. Inflections alone (English stems) are the same word: nothing to keep below it."""
    return any(kind in (PREFIX, VERB) for kind in query_readings(word.surface).values())


def below_the_word(scores: np.ndarray, own: np.ndarray) -> np.ndarray:
    """``scores`` with the articles that match only through readings scaled to score below the lowest of
    those matching the word itself (``own``: :data:`UNDER_THE_WORD` of it at most), their order kept."""
    has_own = own > 0
    through_readings = (scores > 0) & ~has_own
    if not has_own.any() or not through_readings.any():
        return scores
    ceiling = scores[has_own].min() * UNDER_THE_WORD
    top = scores[through_readings].max()
    if top <= ceiling:
        return scores
    scaled = scores.copy()
    scaled[through_readings] *= ceiling / top
    return scaled


def commonness(matched: int, n_docs: int) -> float:
    """The share of its scores a word matching ``matched`` of ``n_docs`` articles keeps (1: a specific word)."""
    if matched <= COMMON_SHARE * n_docs:
        return 1.0
    return max(COMMON_FLOOR, (specificity(matched, n_docs) / specificity(COMMON_SHARE * n_docs, n_docs)) ** 0.5)


@dataclass(frozen=True)
class Word:
    """A query word compiled against one language's index of a build (kept and shared: read-only)."""

    query: Q.Query | None
    terms: frozenset[tuple[str, str]]  # (field, term) the query looks for
    scores: np.ndarray | None  # every document's score, None when nothing matches
    known: bool = True  # some form of the word is in the index (else it may get near spellings)
    strong: bool = True  # the word itself, or a reading of MIN_EVIDENCE letters, matched (search/evidence.py)


def compiled_word(
    word: QueryWord, searcher, scorer: BulkScorer, synonym: bool, budget: Budget, lexicon: Lexicon, fuzzy=True
) -> Word:
    """The word's query and scores; words recur across queries far more than queries do, so they are kept.

    A word none of whose forms the index holds is matched to near spellings (not a
    glossary synonym, nor a word with ``fuzzy`` false: another index holds a form of it)
    when the search's :class:`Budget` grants it a look-up; the words compiled with and
    without them, and at each distance, are kept apart.
    """

    def compile_word(near: list[str]) -> Word:
        query, known, whole, strong = word_query(word, searcher, scorer, synonym, near)
        if query is None:
            return Word(None, frozenset(), None, known, strong)
        scores = scorer.scores(searcher, query)
        if whole and not synonym and _strips(word):
            own_query = word_query(word, searcher, scorer, synonym, [], own=True)[0]
            if own_query is not None:
                scores = below_the_word(scores, scorer.scores(searcher, own_query))
        scores *= commonness(int(np.count_nonzero(scores)), scorer.live)
        scores.flags.writeable = False
        terms = frozenset((t.fieldname, t.text) for t in query.leaves())
        return Word(query, terms, scores, known, strong)

    compiled = scorer.remember(("word", word.surface, synonym), lambda: compile_word([]))
    if compiled.known or synonym or not fuzzy:
        return compiled
    distance = budget.grant(word.surface, reach(word.deep))
    if not distance:
        return compiled
    return scorer.remember(
        ("word", word.surface, synonym, distance),
        lambda: compile_word(near(searcher.reader(), word, distance, lexicon, budget)),
    )


@dataclass(frozen=True)
class Compiled:
    """One language's part of a query: its words, glossary synonyms (``stands_for``: the positions of the query
    words each stands for) and required phrases."""

    words: list[Word]
    synonyms: list[Word]
    required: Q.Query | None
    stands_for: tuple[frozenset[int], ...] = ()

    @property
    def terms(self) -> frozenset[tuple[str, str]]:
        return frozenset().union(*(w.terms for w in self.words))


def known(word: QueryWord, searcher, scorer: BulkScorer) -> bool:
    """True when the index holds a form of ``word`` (its surface form or a reading): no near spelling is needed."""
    return compiled_word(word, searcher, scorer, False, Budget(words=0), Lexicon(), fuzzy=False).known


def compile_plan(
    plan: Plan, searcher, scorer: BulkScorer, budget: Budget | None = None, lexicon=None, held=frozenset()
) -> Compiled:
    """One language's part of the query; words in ``held`` (surface forms another index holds) get no near
    spellings: a typo match is used only for a word with no exact or reading match anywhere."""
    budget, lexicon = budget or Budget(), lexicon or Lexicon()
    words = [compiled_word(w, searcher, scorer, False, budget, lexicon, w.surface not in held) for w in plan.words]
    synonyms = [compiled_word(w, searcher, scorer, True, budget, lexicon) for w in plan.synonyms]
    # A glossary term of several words is in no article when one of its words is in none: its other words
    # alone stand for something else (طاقم العمل, the staff, is not every العمل, work).
    missing = {term for term, word in zip(plan.term_of, synonyms, strict=True) if word.scores is None}
    kept = [i for i, term in enumerate(plan.term_of) if term not in missing]
    required = [
        Q.Or([Q.Phrase(f"{part}_x", words, boost=FIELD_WEIGHTS[part]) for part in FIELD_WEIGHTS])
        for words in plan.phrases
        if len(words) > 1
    ]
    return Compiled(
        words,
        [synonyms[i] for i in kept],
        Q.And(required) if required else None,
        tuple(plan.stands_for[i] for i in kept),
    )


def score_plan(scorer: BulkScorer, searcher, compiled: Compiled, n_words: int) -> np.ndarray | None:
    """Every document's score for one language's part of the query (None: it matches nothing).

    Words and synonyms add up; phrases are required. A document matching few
    of the query's words keeps part of its score (:data:`COORDINATION`): the
    bulk scorer counts matched words for every document, not only the best
    few.
    """
    vectors = [w.scores for w in compiled.words if w.scores is not None]
    extra = [w.scores for w in compiled.synonyms if w.scores is not None]
    if not vectors and not extra and compiled.required is None:
        return None
    scores = np.zeros(scorer.size, dtype=np.float64)
    for vector in vectors + extra:
        scores += vector
    if compiled.required is not None:
        phrase = scorer.matching(searcher, compiled.required)
        scores = np.where(phrase > 0, phrase + scores, 0.0)
    if n_words:
        matched = np.zeros(scorer.size, dtype=np.float64)
        for vector in vectors:
            matched += vector > 0
        scores *= COORDINATION + (1 - COORDINATION) * matched / n_words
    return scores


def best(scores: np.ndarray, keys: np.ndarray, limit: int) -> list[int]:
    """The document numbers of the ``limit`` best scores, ties broken by article id."""
    found = int(np.count_nonzero(scores))
    if not found:
        return []
    k = min(limit, found)
    threshold = scores[np.argpartition(-scores, k - 1)[:k]].min()
    candidates = np.nonzero(scores >= threshold)[0]
    return sorted(candidates.tolist(), key=lambda d: (-scores[d], keys[d]))[:limit]


__all__ = [
    "COMMON_FLOOR",
    "COMMON_SHARE",
    "COORDINATION",
    "EXACT",
    "EXACT_PARTS",
    "FIELD_WEIGHTS",
    "FUZZY",
    "OTHER_LANGUAGE",
    "READING",
    "READING_KINDS",
    "SHORT_FIELDS",
    "SKELETON_PARTS",
    "STRIPPED_OF_A_WORD",
    "SYNONYM",
    "SYNONYM_PARTS",
    "UNDER_THE_WORD",
    "Compiled",
    "Word",
    "below_the_word",
    "best",
    "commonness",
    "compile_plan",
    "compiled_word",
    "known",
    "score_plan",
    "word_query",
]
