"""Instant search: the best articles for what has been typed so far, the last word read as a prefix.

The words before the last are searched as :meth:`SearchEngine.search`
searches them (readings, glossary, typos, other scripts). The last word,
still being typed, is read the way the index reads words: vowel marks and
case removed, spelling folded (:func:`search.normalize.deep`), and each
legal run of Hebrew or Arabic prefix letters stripped (והלקו -> הלקו,
לקו; والعم -> العم); every term of the stemmed fields starting with one of
these is a completion. The cost is bounded per keystroke: a prefix is
expanded to at most :data:`COMPLETIONS` terms per field, chosen among the
first :data:`SCANNED` terms of its range, and a last word matching nothing
is searched as a whole word (with :mod:`search.typos`' budget).

Each hit names the section to open: the one whose heading, or else whose
text, holds most of the words typed (:mod:`search.sections`). Answers
are kept per build (:attr:`search.live.Build.suggestions`).
"""

from __future__ import annotations

import heapq
import itertools
import logging
from bisect import bisect_left
from dataclasses import dataclass

import numpy as np
from whoosh import query as Q

from kb.errors import KBError
from kb.model import KnowledgeBase, article_url

from .errors import BadQuery, IndexCorrupt
from .glossary import analyze_words
from .normalize import deep, surface
from .plan import check
from .query import SearchEngine
from .ranking import COORDINATION, EXACT, FIELD_WEIGHTS, READING, best
from .sections import Sections, prefix_forms
from .typos import Budget
from .words import IcuTokenizer

log = logging.getLogger(__name__)

#: The most suggestions one answer holds.
MAX_SUGGESTIONS = 8
#: The longest text accepted, in characters (a search box's worth; longer text goes to the search page).
MAX_SUGGEST_CHARS = 200
#: A prefix (in its folded form) shorter than this completes nothing: too many words share one letter.
MIN_PREFIX = 2
#: Completions of one prefix per field (the shortest: the nearest to what was typed).
COMPLETIONS = 6
#: Parts whose completions are looked for only from this many letters: the body's terms are many and their
#: postings long, and a two-letter prefix completes to words too many and too unrelated to be worth it.
LONG_PARTS, LONG_PARTS_FROM = ("body",), 3
#: Terms of a prefix's range looked at per field, however many start with it.
SCANNED = 400


@dataclass(frozen=True)
class Suggestion:
    """One article to open: where, in which category, and the section that matched (None: its top)."""

    id: str
    title: str
    url: str
    category: str
    category_title: str
    section_title: str | None
    section_anchor: str | None

    def to_json(self) -> dict:
        section = None
        if self.section_anchor:
            section = {"title": self.section_title, "anchor": self.section_anchor}
        return {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "category": {"id": self.category, "title": self.category_title} if self.category else None,
            "section": section,
        }


def split_prefix(text: str, lang: str) -> tuple[str, str]:
    """(the words typed before the last, the last word) of ``text``.

    The last word is a prefix only while it ends the text: text ending in a space or a punctuation
    mark is all earlier words, ``(text, "")``.
    """
    words = list(IcuTokenizer(lang).words(text))
    if not words:
        return text, ""
    word, _, start, end = words[-1]
    if end != len(text):
        return text, ""
    return text[:start], word


def stems(prefix: str) -> dict[str, float]:
    """The forms a prefix's completions start with, and how much a completion of each weighs.

    The whole folded prefix weighs :data:`EXACT`; a form with Hebrew or Arabic prefix letters
    stripped, :data:`READING` (as a reading does in the main search).
    """
    word = deep(surface(prefix))
    if len(word) < MIN_PREFIX:
        return {}
    return {form: EXACT if form == word else READING for form in sorted(prefix_forms(word), key=len, reverse=True)}


def _completions(build, lang: str, reader, fieldname: str, stem: str) -> list[str]:
    """The shortest of the first :data:`SCANNED` terms of the field starting with ``stem``."""
    listed = build.lexicon(lang).terms(reader, fieldname, Budget())
    if listed is not None:
        terms = listed.terms
        i = bisect_left(terms, stem)
        scanned = itertools.takewhile(lambda t: t.startswith(stem), itertools.islice(terms, i, i + SCANNED))
    else:  # too many terms to keep in memory: Whoosh's own walk of the term file
        scanned = (t.decode("utf-8") for t in itertools.islice(reader.expand_prefix(fieldname, stem), SCANNED))
    return heapq.nsmallest(COMPLETIONS, scanned, key=lambda t: (len(t), t))


def prefix_scores(build, lang: str, prefix: str) -> np.ndarray | None:
    """Every document's score for the completions of ``prefix`` (None: it completes nothing; kept per build)."""

    def compute():
        searcher = build.searchers()[lang]
        reader = searcher.reader()
        per_part = []
        for part, weight in FIELD_WEIGHTS.items():
            forms = []
            for stem, scale in stems(prefix).items():
                if part in LONG_PARTS and len(stem) < LONG_PARTS_FROM:
                    continue
                for term in _completions(build, lang, reader, f"{part}_s", stem):
                    forms.append(Q.Term(f"{part}_s", term, boost=weight * scale))
            if forms:
                per_part.append(Q.DisjunctionMax(forms))
        if not per_part:
            return None
        scores = build.scorer(lang).scores(searcher, Q.Or(per_part))
        scores.flags.writeable = False
        return scores if scores.any() else None

    return build.scorer(lang).remember(("prefix", deep(surface(prefix))), compute)


def suggest(engine: SearchEngine, kb: KnowledgeBase, text: str, lang: str, limit: int = MAX_SUGGESTIONS):
    """Up to ``limit`` :class:`Suggestion` for ``text`` typed in ``lang``'s search box, best first."""
    check(text, lang, 1)
    if len(text) > MAX_SUGGEST_CHARS:
        raise BadQuery(f"the text is too long ({len(text)} characters; at most {MAX_SUGGEST_CHARS})")
    if not 1 <= limit <= MAX_SUGGESTIONS:
        raise BadQuery(f"limit must be between 1 and {MAX_SUGGESTIONS}")
    glossary = engine.glossary
    try:
        build = engine.live.build()
        key = ("suggest", text, lang, limit, glossary)
        cached = build.suggestions.get(key)
        if cached is None:
            cached = tuple(_suggest(engine, build, kb, text, lang, limit))
            build.suggestions.put(key, cached)
        return cached
    except KBError:
        raise
    except Exception as exc:  # Whoosh fails in many ways on damaged files
        log.exception("suggest failed")
        raise IndexCorrupt(f"the search index is damaged ({type(exc).__name__}); rebuild it with 'kb index'") from None


def _suggest(engine: SearchEngine, build, kb: KnowledgeBase, text: str, lang: str, limit: int):
    head, prefix = split_prefix(text, lang)
    searcher, scorer = build.searchers()[lang], build.scorer(lang)
    keys = scorer.keys(searcher)
    completed = prefix_scores(build, lang, prefix) if prefix else None
    if completed is None:  # no prefix, or one completing nothing (a typo?): the words as the search reads them
        head, prefix = text, ""
    words = analyze_words(head, lang)
    earlier = None
    if words:  # the same words come back at every letter of the next one: their scores are kept
        key = ("suggest-words", " ".join(w.surface for w in words), lang, engine.glossary)
        earlier = build.suggestions.get(key)
        if earlier is None:
            earlier = engine.scores(head, lang, build)
            earlier.flags.writeable = False
            build.suggestions.put(key, earlier)
        if not earlier.any():
            earlier = None
    if earlier is None and completed is None:
        return
    if earlier is None or completed is None:
        combined = earlier if completed is None else completed
    else:  # articles holding the earlier words and a completion first
        combined = earlier + completed
        combined[(earlier == 0) | (completed == 0)] *= COORDINATION
    for docnum in best(combined, keys, limit):
        article = kb.get(lang, keys[docnum])
        if article is None:  # the content and the index disagree for a moment (a rebuild under way)
            continue
        category = kb.category(article.category) if article.category else None
        sections = scorer.remember(("sections", article.id), lambda a=article: Sections(a))
        typed = [sections.word(w.core | {w.deep}) for w in words]
        if prefix:
            typed.append(sections.prefix(stems(prefix)))
        heading = sections.best(typed)
        yield Suggestion(
            id=article.id,
            title=article.title,
            url=article_url(lang, article.id, heading.anchor if heading else None),
            category=article.category or "",
            category_title=category.title.get(lang, category.id) if category else "",
            section_title=heading.text if heading else None,
            section_anchor=heading.anchor if heading else None,
        )


def warm(engine: SearchEngine, kb: KnowledgeBase) -> None:
    """Read ahead, for the live build, what the first searches and keystrokes on it would otherwise wait for:
    each language's term lists (:meth:`SearchEngine.read_ahead`) and every article's sections. Run when a
    site opens a build (``web/library.py``); what fails here fails again, and is reported, in the requests."""
    try:
        engine.read_ahead()
        build = engine.live.build()
        for lang in build.searchers():
            scorer = build.scorer(lang)
            for article in kb.in_language(lang):
                scorer.remember(("sections", article.id), lambda a=article: Sections(a))
    except Exception:  # a read-ahead: the requests that follow report any failure
        log.debug("reading ahead for instant search failed", exc_info=True)


__all__ = [
    "MAX_SUGGESTIONS",
    "MAX_SUGGEST_CHARS",
    "Sections",
    "Suggestion",
    "prefix_scores",
    "split_prefix",
    "stems",
    "suggest",
    "warm",
]
