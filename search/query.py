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
from dataclasses import replace
from pathlib import Path

import numpy as np

from kb.errors import KBError
from kb.model import KnowledgeBase

from .errors import IndexCorrupt
from .evidence import Evidence, gather
from .glossary import Glossary
from .layout import conversions
from .live import Build, BuildInfo, Live
from .plan import MAX_LIMIT, QueryPlan, check, plan_query
from .ranking import FIELD_WEIGHTS, OTHER_LANGUAGE, SHORT_FIELDS, best, compile_plan, known, score_plan
from .results import FEW_RESULTS, SearchHit, SearchResults, make_hits, match_terms
from .typos import Budget, suggest
from .words import function_words

log = logging.getLogger(__name__)

#: How many recent results each engine keeps (a popular query is answered from memory).
CACHE_SIZE = 512


class SearchEngine:
    """Searches the live index (:class:`search.live.Live`); follows it when ``kb index`` swaps in a new build.

    ``glossary`` may be replaced while searches run (the content reloaded):
    each search reads it once, and results are kept under the glossary that
    expanded them as well as the build that answered them.
    """

    def __init__(
        self, index_root: Path, glossary: Glossary, content_root: Path | None = None, cache_size: int = CACHE_SIZE
    ) -> None:
        self.glossary = glossary
        self.cache_size = cache_size
        self.live = Live(index_root, content_root, cache_size, lexicon_fields=SHORT_FIELDS)
        self.refresh()

    def refresh(self) -> BuildInfo:
        """Open the current build if it is not the one already open; return the open build's info."""
        return self.live.build().info

    def read_ahead(self) -> None:
        """Read the live build's term lists now (each language's, of every field): the first searches with a
        near spelling, the first "did you mean" and the first completions on a build would otherwise wait for
        them (up to about a second at 10,000 articles). A site runs it when it opens a build."""
        build = self.live.build()
        for lang, searcher in build.searchers().items():
            reader, lexicon = searcher.reader(), build.lexicon(lang)
            for part in FIELD_WEIGHTS:
                for field in (f"{part}_s", f"{part}_x"):
                    lexicon.terms(reader, field, Budget())

    def search(self, raw: str, lang: str, limit: int = 10, category: str | None = None) -> SearchResults:
        """The results of ``raw``; when it finds nothing good and the same keys typed with another keyboard
        layout do (:mod:`search.layout`), those results, with the converted text as the "did you mean"."""
        results = self._search(raw, lang, limit, category)
        if results.hits and not results.approximate:
            return results
        for converted in conversions(raw, lang):
            if not self._all_known(converted, lang):  # no word of it in the index: not worth a search
                continue
            found = self._search(converted, lang, limit, category)
            if found.hits and not found.approximate:
                return replace(found, query=raw, suggestion=converted, searched=converted)
        return results

    def _all_known(self, text: str, lang: str) -> bool:
        """True when every word of ``text`` has a form (surface or reading) in some language's index."""
        build = self.live.build()
        searchers = build.searchers()
        plans = plan_query(text, lang, self.glossary).languages
        words = {w.position for plan in plans.values() for w in plan.words}
        held = {
            w.position
            for plan_lang, plan in plans.items()
            for w in plan.words
            if known(w, searchers[plan_lang], build.scorer(plan_lang))
        }
        return bool(words) and held == words

    def _search(self, raw: str, lang: str, limit: int, category: str | None) -> SearchResults:
        check(raw, lang, limit)
        glossary = self.glossary  # read once: the plan and the cache key use the same one
        try:
            build = self.live.build()
            key = (raw, lang, limit, category, glossary)
            cached = build.results.get(key)
            if cached is not None:
                return cached
            budget = Budget()  # typo look-ups: how many words, and CPU time (see search/typos.py)
            results = self.answer(plan_query(raw, lang, glossary), build, limit, category, budget)
        except KBError:
            raise
        except Exception as exc:  # Whoosh fails in many ways on damaged files
            log.exception("search failed")
            raise IndexCorrupt(
                f"the search index is damaged ({type(exc).__name__}); rebuild it with 'kb index'"
            ) from None
        if self.cache_size and not budget.cut:  # an answer cut short by the time budget is not kept
            build.results.put(key, results)
        return results

    def scores(self, raw: str, lang: str, build: Build) -> np.ndarray:
        """Every document's score for ``raw`` in ``lang``'s index of ``build``: the ranking of :meth:`search`
        without its hits and snippets (instant search combines it with other scores)."""
        check(raw, lang, 1)
        combined, _, _ = self._scores(plan_query(raw, lang, self.glossary), build, Budget())
        return combined

    def answer(self, query: QueryPlan, build: Build, limit: int, category: str | None, budget=None) -> SearchResults:
        """The results of a planned query on one build (scores, hits and suggestion all from that build; no
        cache): what :meth:`search` runs on the live build. Weak matches go to ``also``
        (:mod:`search.evidence`); when nothing matches well, the results are marked approximate."""
        budget = budget or Budget()
        lang, plans = query.lang, query.languages
        searcher = build.searchers()[lang]
        target = build.scorer(lang)
        combined, target_terms, evidence = self._scores(query, build, budget)
        if category:
            combined[target.keys(searcher, "category") != category] = 0.0
        keys = target.keys(searcher)
        approximate = evidence.approximate(combined > 0)
        weak = np.zeros(target.size, dtype=bool) if approximate else evidence.weak(combined)
        main, weak = np.where(weak, 0.0, combined), np.where(weak, combined, 0.0)
        marks = match_terms(plans[lang].words + plans[lang].synonyms, target_terms)
        hits = make_hits(best(main, keys, limit), main, lang, searcher, target, marks, build.texts)
        also = make_hits(best(weak, keys, limit), weak, lang, searcher, target, marks, build.texts, marked=False)
        total = int(np.count_nonzero(main))
        suggestion = None
        if np.count_nonzero(combined) < FEW_RESULTS:  # few articles matched at all, weakly or not
            reader, lexicon = searcher.reader(), build.lexicon(lang)
            suggestion = suggest(query.words, query.parsed.text, reader, budget, lexicon, tuple(FIELD_WEIGHTS))
        return SearchResults(query.raw, lang, total, hits, suggestion, approximate, also, int(np.count_nonzero(weak)))

    @staticmethod
    def _scores(query: QueryPlan, build: Build, budget: Budget) -> tuple[np.ndarray, frozenset, Evidence]:
        """Every document's score in the language asked for, the terms its own index was asked, and the
        evidence of each article's match."""
        lang, plans = query.lang, query.languages
        searchers = build.searchers()
        size = build.scorer(lang).size
        combined = np.zeros(size, dtype=np.float64)
        function = function_words()
        evidence = Evidence(
            [w.position for w in query.words], size, {w.position for w in query.words if w.surface in function}
        )
        target_terms: frozenset = frozenset()
        held = frozenset(
            w.surface
            for plan_lang, plan in plans.items()
            for w in plan.words
            if known(w, searchers[plan_lang], build.scorer(plan_lang))
        )
        for plan_lang, plan in plans.items():
            plan_searcher = searchers[plan_lang]
            scorer = build.scorer(plan_lang)
            compiled = compile_plan(plan, plan_searcher, scorer, budget, build.lexicon(plan_lang), held)
            if plan_lang == lang:
                target_terms = compiled.terms
            gather(evidence, plan, compiled, scorer, lambda v, p=plan_lang: _carried(build, v, p, lang))
            scores = score_plan(scorer, plan_searcher, compiled, len(plan.words))
            if scores is None:
                continue
            if plan_lang == lang:
                combined += scores
            else:
                # Credit the article's version in the language asked for (none: nothing to credit).
                into = build.carry(plan_lang, lang)
                found = into >= 0
                np.add.at(combined, into[found], OTHER_LANGUAGE * scores[found])
        return combined, target_terms, evidence


def _carried(build: Build, matched: np.ndarray, source: str, target: str) -> np.ndarray:
    """Articles matched in ``source``'s index, as the same articles in ``target``'s."""
    if source == target:
        return matched
    into = build.carry(source, target)
    found = into >= 0
    out = np.zeros(build.scorer(target).size, dtype=bool)
    np.logical_or.at(out, into[found], matched[found])
    return out


def open_live(
    index_root: Path, kb: KnowledgeBase, content_root: Path | None = None, cache_size: int = CACHE_SIZE
) -> SearchEngine:
    """The engine the CLI, the web and the benchmark search with: the live build of ``index_root``, expanded
    with ``kb``'s glossary; with ``content_root``, the build must be fresh for that content."""
    return SearchEngine(Path(index_root), Glossary(kb.glossary), content_root, cache_size)


__all__ = ["CACHE_SIZE", "MAX_LIMIT", "SearchEngine", "SearchHit", "SearchResults", "open_live"]
