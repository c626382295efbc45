"""Queries: plain text in, ranked hits out.

Every query is plain text, so no input is a syntax error: words are
optional (more matches rank higher); a quoted phrase is required; a ``"``
between two Hebrew letters is part of an acronym (מנכ"ל), not a quote.

Each word matches, in falling weight: its surface form in the exact
fields; its readings (prefixes and suffixes removed, spelling folded) in
the stemmed fields; glossary synonyms; near spellings when the word is
unknown to the index (edit distance 1 from 4 letters, 2 from 8, for the
first few such words: :mod:`search.typos` bounds what one search spends on
them). Words in another of the three scripts are also searched in that
language's index and credited to the same article in the language asked for.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from whoosh import query as Q
from whoosh.scoring import BM25F

from kb.errors import KBError

from .errors import IndexCorrupt
from .glossary import Glossary, QueryWord
from .highlight import retire_texts
from .index import (
    FIELD_WEIGHTS,
    SKELETON_PARTS,
    BuildInfo,
    check_fresh,
    current_build,
    current_name,
    open_indexes,
)
from .lru import LRU
from .plan import MAX_LIMIT, Plan, QueryPlan, check, plan_query
from .results import FEW_RESULTS, SearchHit, SearchResults, make_hits, match_terms
from .scoring import BulkScorer
from .typos import Budget, Lexicon, near, reach, suggest

log = logging.getLogger(__name__)

EXACT, READING, SYNONYM, FUZZY = 1.0, 0.6, 0.45, 0.3
#: Parts where an exact form scores above a reading (in the long body, telling them apart costs more than
#: it gains: the body's exact field serves phrases).
EXACT_PARTS = ("title", "keywords", "summary", "headings")
#: Glossary synonyms are looked for where an article names its subject, not in the whole body.
SYNONYM_PARTS = ("title", "keywords", "summary")
#: Credit for a match found through another language's version of the article.
OTHER_LANGUAGE = 0.8
#: How many recent results each engine keeps (a popular query is answered from memory).
CACHE_SIZE = 512
#: The fields of the short parts, whose term lists are small enough to keep in memory.
SHORT_FIELDS = tuple(f"{part}_{kind}" for part in EXACT_PARTS for kind in ("s", "x"))
#: A document matching few of the query's words keeps this share of its score (all of them: 1).
COORDINATION = 0.5


class SearchEngine:
    """Searches the live index; reopens it when ``kb index`` swaps in a new build.

    Whoosh searchers are not shared between threads: each thread keeps its
    own, and replaces it when the build changes.
    """

    def __init__(
        self, index_root: Path, glossary: Glossary, content_root: Path | None = None, cache_size: int = CACHE_SIZE
    ) -> None:
        self.index_root = Path(index_root)
        self.glossary = glossary
        self.content_root = content_root
        self._local = threading.local()
        self._lock = threading.Lock()
        self._opened: tuple[Path, dict, BuildInfo] | None = None
        self._refused: str | None = None  # a build that could not be opened (logged once)
        self._open_searchers: dict[int, tuple[Path, dict]] = {}  # every thread's, to close them
        # Per build: each language's scorer (term scores, document keys), cross-language maps.
        self._builds: OrderedDict[Path, dict] = OrderedDict()
        # Recent results, keyed on the query, its options and the build that answered it.
        self._cache = LRU(cache_size)
        self.cache_size = cache_size
        self.refresh()

    def refresh(self) -> BuildInfo:
        """Open the current build if it is not the one already open; return the open build's info.

        Freshness against the content is checked when the engine first opens
        an index. Later, a new build that cannot be opened (damaged, missing)
        is logged once and the build already open goes on serving. When the
        open build's folder is deleted, its files are let go (the disk space
        is freed) and searches fail with the way out until a new build comes.
        """
        opened, name = self._opened, current_name(self.index_root)
        if opened is not None and name in (opened[0].name, self._refused) and opened[0].is_dir():
            return opened[2]  # the usual case: the build open is still the current one (or one refused)
        with self._lock:
            try:
                path = current_build(self.index_root)
                if self._opened is not None and self._opened[0] == path:
                    return self._opened[2]
                info = BuildInfo.read(path)
                if self._opened is None and self.content_root is not None:
                    check_fresh(info, self.content_root)
                indexes = open_indexes(path, info)
            except KBError as exc:
                if self._opened is not None and self._opened[0].is_dir():
                    if name != self._refused:
                        log.warning("keeping the open search index: %s", exc)
                        self._refused = name
                    return self._opened[2]
                if self._opened is not None:
                    log.warning("the open search index was deleted; its files are closed: %s", exc)
                    self._opened = None
                    self._close_searchers(keep=())
                raise
            previous = self._opened[0] if self._opened is not None else None
            self._opened, self._refused = (path, indexes, info), None
            self._close_searchers(keep=(path, previous))
            self._cache = LRU(self.cache_size)  # results are keyed on their build: the old ones can only wait
            if previous is not None:
                retire_texts()
            return info

    def _searchers(self) -> tuple[Path, dict]:
        """This thread's searchers of the current build, and that build's folder."""
        self.refresh()
        path, indexes, _ = self._opened
        cached = getattr(self._local, "searchers", None)
        if cached is None or cached[0] != path:
            cached = (path, {lang: ix.searcher(weighting=BM25F()) for lang, ix in indexes.items()})
            with self._lock:
                if self._opened is None or self._opened[0] != path:  # released meanwhile: not kept
                    _close(cached[1])
                    raise IndexCorrupt("the search index changed during the search; try again")
                old = getattr(self._local, "searchers", None)
                if old is not None and self._open_searchers.pop(id(old), None) is not None:
                    _close(old[1])
                self._local.searchers = cached
                self._open_searchers[id(cached)] = cached
        return cached

    def _close_searchers(self, keep: tuple[Path, ...]) -> None:
        """Close every thread's searchers of builds not in ``keep`` (called holding the lock).

        Searchers of the build just replaced are kept: a thread may still be answering from them.
        """
        for key, (path, searchers) in list(self._open_searchers.items()):
            if path not in keep:
                del self._open_searchers[key]
                _close(searchers)
        if not keep:
            self._builds.clear()

    def search(self, raw: str, lang: str, limit: int = 10, category: str | None = None) -> SearchResults:
        check(raw, lang, limit)
        try:
            build, searchers = self._searchers()
            key = (raw, lang, limit, category, build)
            cached = self._cache.get(key)
            if cached is not None:
                return cached
            budget = Budget()  # typo look-ups: how many words, and CPU time (see search/typos.py)
            results = self._run(plan_query(raw, lang, self.glossary), build, searchers, limit, category, budget)
        except KBError:
            raise
        except Exception as exc:  # Whoosh fails in many ways on damaged files
            log.exception("search failed")
            raise IndexCorrupt(
                f"the search index is damaged ({type(exc).__name__}); rebuild it with 'kb index'"
            ) from None
        if self.cache_size and not budget.cut:  # an answer cut short by the time budget is not kept
            self._cache.put(key, results)
        return results

    def _build_state(self, build: Path) -> dict:
        """What is kept for one build (its scorers, cross-language maps); the two newest builds are kept,
        so threads still answering from the previous one do not evict the new one's."""
        with self._lock:
            state = self._builds.get(build)
            if state is None:
                state = self._builds[build] = {}
                while len(self._builds) > 2:
                    self._builds.popitem(last=False)
            return state

    def _scorer(self, build: Path, lang: str, searcher) -> BulkScorer:
        """The bulk scorer of one language's index in a build (shared by the engine's threads)."""
        state = self._build_state(build)
        scorer = state.get(lang)
        if scorer is None:
            scorer = BulkScorer(searcher, lexicon_fields=SHORT_FIELDS)
            with self._lock:
                scorer = state.setdefault(lang, scorer)
        return scorer

    def _lexicon(self, build: Path, lang: str) -> Lexicon:
        """One language's term lists for typo walks in a build (filled as fields are walked)."""
        state = self._build_state(build)
        with self._lock:
            return state.setdefault(("lexicon", lang), Lexicon())

    def _carry(self, build: Path, source: str, source_searcher, target: str, target_searcher) -> np.ndarray:
        """For each document of one language's index, the same article's document number in another (-1: none)."""
        state = self._build_state(build)
        into = state.get((source, target))
        if into is None:
            target_keys = self._scorer(build, target, target_searcher).keys(target_searcher)
            where = {k: d for d, k in enumerate(target_keys) if k}
            keys = self._scorer(build, source, source_searcher).keys(source_searcher)
            into = np.fromiter((where.get(k, -1) for k in keys), dtype=np.int64, count=len(keys))
            state[(source, target)] = into
        return into

    def _run(self, query: QueryPlan, build, searchers, limit, category, budget=None) -> SearchResults:
        budget = budget or Budget()
        lang, plans = query.lang, query.languages
        searcher = searchers[lang]
        target = self._scorer(build, lang, searcher)
        combined = np.zeros(target.size, dtype=np.float64)
        target_terms: frozenset = frozenset()
        for plan_lang, plan in plans.items():
            plan_searcher = searchers[plan_lang]
            scorer = self._scorer(build, plan_lang, plan_searcher)
            compiled = _compile(plan, plan_searcher, scorer, budget, self._lexicon(build, plan_lang))
            if plan_lang == lang:
                target_terms = compiled.terms
            scores = _score_plan(scorer, plan_searcher, compiled, len(plan.words))
            if scores is None:
                continue
            if plan_lang == lang:
                combined += scores
            else:
                # Credit the article's version in the language asked for (none: nothing to credit).
                into = self._carry(build, plan_lang, plan_searcher, lang, searcher)
                found = into >= 0
                np.add.at(combined, into[found], OTHER_LANGUAGE * scores[found])
        if category:
            combined[target.keys(searcher, "category") != category] = 0.0
        keys = target.keys(searcher)
        ranked = _best(combined, keys, limit)
        surfaces, readings = match_terms(plans[lang].words + plans[lang].synonyms, target_terms)
        hits = make_hits(ranked, combined, lang, searcher, target, surfaces, readings)
        total = int(np.count_nonzero(combined))
        suggestion = None
        if total < FEW_RESULTS:
            suggestion = suggest(query.words, query.parsed.text, searcher.reader(), budget, self._lexicon(build, lang))
        return SearchResults(query.raw, lang, total, hits, suggestion)


def _close(searchers: dict) -> None:
    for searcher in searchers.values():
        try:
            searcher.close()
        except Exception:  # already closed, or its files gone
            log.debug("closing a searcher failed", exc_info=True)


def _word_query(word: QueryWord, searcher, scorer: BulkScorer, synonym: bool, near: list[str]):
    """Or over the parts of the article; in each part the best of the word's forms counts.

    Only forms the index holds become term queries: a Hebrew or Arabic word
    has a dozen readings, most of which match nothing. A glossary synonym
    weighs less and is looked for where an article names its subject.
    ``near``: near spellings of a word none of whose forms the index holds.
    Returns the query (None: nothing to look for) and whether some form was held.
    """
    scale, parts = (SYNONYM, SYNONYM_PARTS) if synonym else (1.0, tuple(FIELD_WEIGHTS))
    present = {
        # Skeletons (ktiv male/haser, long vowels, typos) are looked for in the short parts; in the body
        # they match too many unrelated words for what they add.
        part: [
            r
            for r in sorted(word.readings if part in SKELETON_PARTS else word.core)
            if scorer.has(searcher, f"{part}_s", r)
        ]
        for part in parts
    }
    known = any(present.values())
    per_part = []
    for part in parts:
        weight = FIELD_WEIGHTS[part]
        forms = [Q.Term(f"{part}_s", r, boost=weight * READING * scale) for r in present[part]]
        forms += [Q.Term(f"{part}_s", t, boost=weight * FUZZY * scale) for t in ([] if known else near)]
        if forms and part in EXACT_PARTS and scorer.has(searcher, f"{part}_x", word.surface):
            forms.append(Q.Term(f"{part}_x", word.surface, boost=weight * EXACT * scale))
        if forms:
            per_part.append(Q.DisjunctionMax(forms))
    return (Q.Or(per_part) if per_part else None), known


@dataclass(frozen=True)
class _Word:
    """A query word compiled against one language's index of a build (kept and shared: read-only)."""

    query: Q.Query | None
    terms: frozenset[tuple[str, str]]  # (field, term) the query looks for
    scores: np.ndarray | None  # every document's score, None when nothing matches
    known: bool = True  # some form of the word is in the index (else it may get near spellings)


def _compiled_word(
    word: QueryWord, searcher, scorer: BulkScorer, synonym: bool, budget: Budget, lexicon: Lexicon
) -> _Word:
    """The word's query and scores; words recur across queries far more than queries do, so they are kept.

    A word none of whose forms the index holds is matched to near spellings (not a
    glossary synonym) when the search's :class:`Budget` grants it a look-up; the words
    compiled with and without them, and at each distance, are kept apart.
    """

    def compile_word(near: list[str]) -> _Word:
        query, known = _word_query(word, searcher, scorer, synonym, near)
        if query is None:
            return _Word(None, frozenset(), None, known)
        scores = scorer.scores(searcher, query)
        scores.flags.writeable = False
        terms = frozenset((t.fieldname, t.text) for t in query.leaves())
        return _Word(query, terms, scores, known)

    compiled = scorer.remember(("word", word.surface, synonym), lambda: compile_word([]))
    if compiled.known or synonym:
        return compiled
    distance = budget.grant(word.surface, reach(word.deep))
    if not distance:
        return compiled
    return scorer.remember(
        ("word", word.surface, synonym, distance),
        lambda: compile_word(near(searcher.reader(), word, distance, lexicon, budget)),
    )


@dataclass(frozen=True)
class _Compiled:
    """One language's part of a query: its words, glossary synonyms and required phrases."""

    words: list[_Word]
    synonyms: list[_Word]
    required: Q.Query | None

    @property
    def terms(self) -> frozenset[tuple[str, str]]:
        return frozenset().union(*(w.terms for w in self.words))


def _compile(plan: Plan, searcher, scorer: BulkScorer, budget: Budget | None = None, lexicon=None) -> _Compiled:
    budget, lexicon = budget or Budget(), lexicon or Lexicon()
    words = [_compiled_word(w, searcher, scorer, False, budget, lexicon) for w in plan.words]
    synonyms = [_compiled_word(w, searcher, scorer, True, budget, lexicon) for w in plan.synonyms]
    required = [
        Q.Or([Q.Phrase(f"{part}_x", words, boost=FIELD_WEIGHTS[part]) for part in FIELD_WEIGHTS])
        for words in plan.phrases
        if len(words) > 1
    ]
    return _Compiled(words, synonyms, Q.And(required) if required else None)


def _score_plan(scorer: BulkScorer, searcher, compiled: _Compiled, n_words: int) -> np.ndarray | None:
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


def _best(scores: np.ndarray, keys: np.ndarray, limit: int) -> list[int]:
    """The document numbers of the ``limit`` best scores, ties broken by article id."""
    found = int(np.count_nonzero(scores))
    if not found:
        return []
    k = min(limit, found)
    threshold = scores[np.argpartition(-scores, k - 1)[:k]].min()
    candidates = np.nonzero(scores >= threshold)[0]
    return sorted(candidates.tolist(), key=lambda d: (-scores[d], keys[d]))[:limit]


__all__ = ["MAX_LIMIT", "SearchEngine", "SearchHit", "SearchResults"]
