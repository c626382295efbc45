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
text, holds most of the words typed. Answers are kept per build, with the
search results (:attr:`search.live.Build.results`).
"""

from __future__ import annotations

import heapq
import itertools
import logging
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

import numpy as np
from whoosh import query as Q

from kb.errors import KBError
from kb.model import KnowledgeBase, article_url

from . import arabic, hebrew
from .analysis import IcuTokenizer
from .errors import BadQuery, IndexCorrupt
from .glossary import analyze_words
from .highlight import analyze_text
from .normalize import deep, script, surface
from .plan import check
from .query import SearchEngine
from .ranking import COORDINATION, EXACT, FIELD_WEIGHTS, READING, best
from .typos import Budget

log = logging.getLogger(__name__)

#: The most suggestions one answer holds.
MAX_SUGGESTIONS = 8
#: The longest text accepted, in characters (a search box's worth; longer text goes to the search page).
MAX_SUGGEST_CHARS = 200
#: A prefix (in its folded form) shorter than this completes nothing: too many words share one letter.
MIN_PREFIX = 2
#: A prefix with its prefix letters stripped keeps at least this many letters.
MIN_STRIPPED = 3
#: Completions of one prefix per field (the shortest: the nearest to what was typed).
COMPLETIONS = 10
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
    """(the words typed before the last, the last word) of ``text``; ("", "") parts when there are none.

    The last word is a prefix only while the cursor stands at its end: text ending in a space or a
    punctuation mark has no prefix.
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
    found = {word: EXACT}
    strip = {"he": hebrew.prefix_readings, "ar": arabic.prefix_readings}.get(script(word))
    for form in strip(word) if strip else ():
        if len(form) >= MIN_STRIPPED:
            found.setdefault(form, READING)
    return found


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


def prefix_scores(build, lang: str, prefix: str) -> tuple[np.ndarray | None, frozenset[str]]:
    """Every document's score for the completions of ``prefix``, and the completions (kept per build)."""

    def compute():
        searcher = build.searchers()[lang]
        reader = searcher.reader()
        per_part, found = [], set()
        for part, weight in FIELD_WEIGHTS.items():
            forms = []
            for stem, scale in stems(prefix).items():
                for term in _completions(build, lang, reader, f"{part}_s", stem):
                    forms.append(Q.Term(f"{part}_s", term, boost=weight * scale))
                    found.add(term)
            if forms:
                per_part.append(Q.DisjunctionMax(forms))
        if not per_part:
            return None, frozenset()
        scores = build.scorer(lang).scores(searcher, Q.Or(per_part))
        scores.flags.writeable = False
        return (scores if scores.any() else None), frozenset(found)

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
        cached = build.results.get(key)
        if cached is None:
            cached = tuple(_suggest(engine, build, kb, text, lang, limit))
            build.results.put(key, cached)
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
    completed, completions = None, frozenset()
    if prefix:
        completed, completions = prefix_scores(build, lang, prefix)
    if completed is None:  # no prefix, or one completing nothing (a typo?): the words as the search reads them
        head, completions = text, frozenset()
    words = analyze_words(head, lang)
    earlier = None
    if words:  # the same words come back at every letter of the next one: their scores are kept
        key = ("suggest-words", " ".join(w.surface for w in words), lang, engine.glossary)
        earlier = build.results.get(key)
        if earlier is None:
            earlier = engine.scores(head, lang, build)
            earlier.flags.writeable = False
            build.results.put(key, earlier)
        if not earlier.any():
            earlier = None
    if earlier is None and completed is None:
        return
    if earlier is None or completed is None:
        combined = earlier if completed is None else completed
    else:  # articles holding the earlier words and a completion first
        combined = earlier + completed
        combined[(earlier == 0) | (completed == 0)] *= COORDINATION
    surfaces = frozenset(w.surface for w in words)
    readings = frozenset().union(*(w.readings for w in words)) | completions
    for docnum in best(combined, keys, limit):
        article = kb.get(lang, keys[docnum])
        if article is None:  # the content and the index disagree for a moment (a rebuild under way)
            continue
        category = kb.category(article.category) if article.category else None
        heading = scorer.remember(("sections", article.id), lambda a=article: Sections(a)).best(surfaces, readings)
        yield Suggestion(
            id=article.id,
            title=article.title,
            url=article_url(lang, article.id, heading.anchor if heading else None),
            category=article.category or "",
            category_title=category.title.get(lang, category.id) if category else "",
            section_title=heading.text if heading else None,
            section_anchor=heading.anchor if heading else None,
        )


class Sections:
    """An article's words by section, to tell which section a query's words are in (kept per build)."""

    def __init__(self, article) -> None:
        places, self.by_reading = analyze_text(article.text, article.lang)
        self.surfaces = frozenset(places)
        # Headings are lines of the plain text, in order: the line of each heading that has an anchor.
        lines = article.text.split("\n")
        starts, line = [], 0
        self.headings = []
        for heading in article.headings:
            at = next((n for n in range(line, len(lines)) if lines[n] == heading.text), None)
            if at is None:
                continue
            line = at + 1
            if heading.anchor:
                self.headings.append(heading)
                starts.append(at)
        self._in_heading = [set() for _ in starts]
        self._in_text = [set() for _ in starts]
        for word, found in places.items():
            for _, _, number in found:
                i = bisect_right(starts, number) - 1
                if i >= 0:
                    (self._in_heading if starts[i] == number else self._in_text)[i].add(word)

    def best(self, surfaces: frozenset[str], readings: frozenset[str]):
        """The heading of the section whose heading, else whose text, holds most of the words matched (None:
        they are only in the article's introduction, or its title and summary)."""
        matched = set(surfaces & self.surfaces)
        for reading in readings:
            matched.update(self.by_reading.get(reading, ()))
        found, most = None, 0.0
        for heading, in_heading, in_text in zip(self.headings, self._in_heading, self._in_text, strict=True):
            shared = len(matched & in_heading)
            score = 2 * shared + len(matched & in_text) + (0.5 if shared else 0)
            if score > most:
                found, most = heading, score
        return found


__all__ = [
    "MAX_SUGGESTIONS",
    "MAX_SUGGEST_CHARS",
    "Sections",
    "Suggestion",
    "prefix_scores",
    "split_prefix",
    "stems",
    "suggest",
]
