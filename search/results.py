"""What a search returns: hits copied out of Whoosh, their snippets, and the JSON both the API and the CLI print.

A hit is built inside the searcher's block from stored fields, so nothing
of Whoosh leaves a search. Snippets mark the words the query searched for:
its surface forms, their readings, and the near spellings it looked up.
"""

from __future__ import annotations

from dataclasses import dataclass

from kb.model import article_url

from .highlight import SHORT_WORD, Marks, matches
from .snippets import clip, snippet
from .words import text_words

#: Fewer results than this and the search offers a "did you mean".
FEW_RESULTS = 3


@dataclass(frozen=True)
class SearchHit:
    """One article found, in the language asked for (copied out of Whoosh's searcher)."""

    id: str
    lang: str
    title: str
    url: str
    category: str
    snippet: str
    score: float

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "lang": self.lang,
            "title": self.title,
            "url": self.url,
            "category": self.category,
            "snippet": self.snippet,
            "score": self.score,
        }


@dataclass(frozen=True)
class SearchResults:
    """The best hits of one search, how many articles matched, and a spelling to try when few did.

    ``approximate``: no article is a real match (:mod:`search.evidence`); the hits are
    the weak matches. Otherwise ``also`` holds the best weak matches, ``also_total``
    how many there are. ``searched``: the text searched when it is not the query as
    typed (typed with the wrong keyboard layout, :mod:`search.layout`).
    """

    query: str
    lang: str
    total: int
    hits: tuple[SearchHit, ...]
    suggestion: str | None = None
    approximate: bool = False
    also: tuple[SearchHit, ...] = ()
    also_total: int = 0
    searched: str | None = None

    def to_json(self) -> dict:
        """The shape of ``/api/search`` and ``kb search --json``."""
        out = {
            "query": self.query,
            "lang": self.lang,
            "total": self.total,
            "results": [hit.to_json() for hit in self.hits],
            "suggestion": self.suggestion,
            "also": [hit.to_json() for hit in self.also],
            "also_total": self.also_total,
        }
        if self.approximate:
            out["approximate"] = True
        if self.searched is not None:
            out["searched"] = self.searched
        return out


def match_terms(words, terms: frozenset) -> Marks:
    """What snippets mark: the forms the query searched for, near spellings included.

    ``words``: the query words and glossary synonyms searched; ``terms``: the
    (field, term) pairs their queries looked for. A short word
    (:data:`search.highlight.SHORT_WORD` letters) marks only itself, with a
    prefix letter or two, not the words its readings reach.
    """
    surfaces, readings, short, short_readings = set(), set(), set(), set()
    for word in words:
        surfaces.add(word.surface)
        if len(word.deep) <= SHORT_WORD:
            short.add(word.deep)
            short_readings |= word.readings
        else:
            readings |= word.readings
    readings |= {term for name, term in terms if name.endswith("_s") and term not in short_readings}
    return Marks(frozenset(surfaces), frozenset(readings), frozenset(short))


def hit_snippet(stored: dict, lang: str, marks: Marks, verdicts: dict[str, int], texts=None, title_words=None) -> str:
    """The best passages of the text (else the summary) with the query's words marked; the summary's
    start when none matches. ``texts``: the build's :class:`search.highlight.RecentTexts`;
    ``title_words``: the title's surface forms (found here when not given)."""
    title = stored["title"]
    if title_words is None:
        title_words = [w.form for w in text_words(title, lang) if not w.stop]
    title_keys = frozenset().union(*(marks.keys(w) for w in title_words if marks.judge(w)))
    for name in ("text", "summary"):
        found = matches(stored[name], lang, marks, texts, verdicts=verdicts)
        html = snippet(stored[name], found, marks, title=title, title_keys=title_keys) if found else None
        if html is not None:
            return html
    return clip(stored["summary"])


def make_hits(
    ranked, scores, lang: str, searcher, scorer, marks: Marks, texts=None, marked: bool = True
) -> tuple[SearchHit, ...]:
    """The hits of the ranked document numbers; stored fields and snippets are kept by the build's scorer,
    the texts read for snippets kept by ``texts`` (the build's :class:`search.highlight.RecentTexts`).

    ``marked`` false: each snippet is the start of the summary, nothing marked (weak matches, listed by title).
    """
    hits = []
    verdicts: dict[str, int] = {}  # which words of the texts match, shared by this search's snippets

    def title_words(docnum: int, stored: dict) -> tuple[str, ...]:  # kept per build: each title tokenized once
        title = stored["title"]
        return scorer.remember(("title", docnum), lambda: tuple(w.form for w in text_words(title, lang) if not w.stop))

    for docnum in ranked:
        stored = scorer.remember(("stored", docnum), lambda d=docnum: searcher.stored_fields(d))
        hits.append(
            SearchHit(
                id=stored["id"],
                lang=lang,
                title=stored["title"],
                url=article_url(lang, stored["id"]),
                category=stored["category"],
                snippet=scorer.remember(
                    ("snippet", docnum, marks) if marked else ("summary", docnum),
                    lambda s=stored, d=docnum: (
                        hit_snippet(s, lang, marks, verdicts, texts, title_words(d, s))
                        if marked
                        else clip(s["summary"])
                    ),
                ),
                score=round(float(scores[docnum]), 4),
            )
        )
    return tuple(hits)


__all__ = ["FEW_RESULTS", "SearchHit", "SearchResults", "hit_snippet", "make_hits", "match_terms"]
