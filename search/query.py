"""Queries: plain text in, ranked hits out. :meth:`SearchEngine.search` wires the steps together:

the live build (:meth:`SearchEngine.refresh`) -> the plan of the query
(:mod:`search.plan`: parse, limits, each language's words) -> ranking
(:mod:`search.ranking`: every weight, each word's scores, their
combination, the top k) -> results (:mod:`search.results`: hits,
snippets, "did you mean"). Words in another of the three scripts are also
searched in that language's index and credited to the same article in the
language asked for.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np
from whoosh.scoring import BM25F

from kb.errors import KBError

from .errors import IndexCorrupt
from .glossary import Glossary
from .highlight import retire_texts
from .index import (
    BuildInfo,
    check_fresh,
    current_build,
    current_name,
    open_indexes,
)
from .lru import LRU
from .plan import MAX_LIMIT, QueryPlan, check, plan_query
from .ranking import OTHER_LANGUAGE, SHORT_FIELDS, best, compile_plan, score_plan
from .results import FEW_RESULTS, SearchHit, SearchResults, make_hits, match_terms
from .scoring import BulkScorer
from .typos import Budget, Lexicon, suggest

log = logging.getLogger(__name__)

#: How many recent results each engine keeps (a popular query is answered from memory).
CACHE_SIZE = 512


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
            compiled = compile_plan(plan, plan_searcher, scorer, budget, self._lexicon(build, plan_lang))
            if plan_lang == lang:
                target_terms = compiled.terms
            scores = score_plan(scorer, plan_searcher, compiled, len(plan.words))
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
        ranked = best(combined, keys, limit)
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


__all__ = ["MAX_LIMIT", "SearchEngine", "SearchHit", "SearchResults"]
