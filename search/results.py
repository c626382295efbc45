"""What a search returns: hits copied out of Whoosh, their snippets, and the JSON both the API and the CLI print.

A hit is built inside the searcher's block from stored fields, so nothing
of Whoosh leaves a search. Snippets mark the words the query searched for:
its surface forms, their readings, and the near spellings it looked up.
"""

from __future__ import annotations

from dataclasses import dataclass

from kb.model import article_url

from .highlight import matches, snippet

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


def match_terms(words, terms: frozenset) -> tuple[frozenset[str], frozenset[str]]:
    """The forms that count as a match in snippets: what the query searched for, near spellings included.

    ``words``: the query words and glossary synonyms searched; ``terms``: the
    (field, term) pairs their queries looked for.
    """
    surfaces, readings = set(), set()
    for word in words:
        surfaces.add(word.surface)
        readings |= word.readings
    readings |= {term for name, term in terms if name.endswith("_s")}
    return frozenset(surfaces), frozenset(readings)


def hit_snippet(stored: dict, lang: str, surfaces, readings, verdicts: dict[str, bool]) -> str:
    """The first passage of the text (else the summary) with a match marked; the summary's start when none."""
    for name in ("text", "summary"):
        spans = matches(stored[name], lang, surfaces, readings, verdicts=verdicts)
        if spans:
            return snippet(stored[name], spans)
    return snippet(stored["summary"], [])


def make_hits(ranked, scores, lang: str, searcher, scorer, surfaces, readings, marked=True) -> tuple[SearchHit, ...]:
    """The hits of the ranked document numbers; stored fields and snippets are kept by the build's scorer.

    ``marked`` false: each snippet is the start of the summary, nothing marked (weak matches, listed by title).
    """
    hits = []
    verdicts: dict[str, bool] = {}  # which words of the texts match, shared by this search's snippets
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
                    ("snippet", docnum, surfaces, readings) if marked else ("summary", docnum),
                    lambda s=stored: (
                        hit_snippet(s, lang, surfaces, readings, verdicts) if marked else snippet(s["summary"], [])
                    ),
                ),
                score=round(float(scores[docnum]), 4),
            )
        )
    return tuple(hits)


__all__ = ["FEW_RESULTS", "SearchHit", "SearchResults", "hit_snippet", "make_hits", "match_terms"]
