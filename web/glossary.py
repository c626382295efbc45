"""The glossary page's data: concepts sorted in a language's own order, and the articles that use each.

An article uses a concept when its text holds one of the concept's terms in
the article's language, as a word or a word's start (after the prefix letters
Hebrew and Arabic join to words: ובכלמשה, و ف ب ك ل ال). Texts are compared
in search's surface form (case, vowel marks, final letters folded). The
articles that use a term most (most occurrences, then the articles' order)
come first; the page shows the first ``SHOWN`` and searches for the rest. The
scan runs once per content build, never per request.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

import icu

from kb.model import Concept, KnowledgeBase
from search.normalize import surface

#: Letters that may come before a word, joined to it, per language.
_PREFIXES = {
    "he": "(?:[ושכלבמה]{0,3})",
    "ar": "(?:[وف]?(?:[بكل]?ال|لل|[بكل])?)",
    "en": "",
}


#: The articles a concept shows on the glossary page; a search for the concept finds the others.
SHOWN = 4
#: At most about this many concepts a page: the glossary comes in parts, each a run of initial letters.
PER_PART = 40


@dataclass(frozen=True)
class Entry:
    """A concept as the glossary page shows it in one language."""

    concept: Concept
    term: str  # the heading: the concept's first term in the page's language
    article_ids: tuple[str, ...]  # every article that uses it, most uses first

    @property
    def letter(self) -> str:
        return self.term[:1].upper()

    @property
    def shown(self) -> tuple[str, ...]:
        return self.article_ids[:SHOWN]


def _pattern(terms: tuple[str, ...], lang: str) -> re.Pattern | None:
    words = sorted({surface(t) for t in terms if t.strip()}, key=len, reverse=True)
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in words)
    return re.compile(rf"(?<!\w){_PREFIXES.get(lang, '')}(?:{alternatives})")


def _uses(kb: KnowledgeBase) -> dict[tuple[str, str], tuple[str, ...]]:
    """(lang, concept) -> ids of the articles in that language that use it, most occurrences first."""
    texts: dict[str, list[tuple[str, str]]] = {}
    for article in kb.articles.values():
        body = surface(" ".join((article.title, article.summary, " ".join(article.keywords), article.text)))
        texts.setdefault(article.lang, []).append((article.id, body))
    order = {}
    for lang, items in texts.items():
        order[lang] = {a.id: i for i, a in enumerate(kb.in_language(lang))}
        items.sort(key=lambda item, lang=lang: order[lang].get(item[0], 0))
    found: dict[tuple[str, str], tuple[str, ...]] = {}
    for concept in kb.glossary:
        for lang, terms in concept.terms.items():
            pattern = _pattern(tuple(terms), lang)
            if pattern is None:
                continue
            counts = [(len(pattern.findall(text)), i) for i, text in texts.get(lang, [])]
            ranked = sorted((c for c in counts if c[0]), key=lambda c: -c[0])  # stable: ties keep the order
            found[(lang, concept.concept)] = tuple(i for _n, i in ranked)
    return found


class GlossaryIndex:
    """The concepts' uses, computed for the content being served and kept until that content changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kb: KnowledgeBase | None = None
        self._uses: dict[tuple[str, str], tuple[str, ...]] = {}

    def uses(self, kb: KnowledgeBase) -> dict[tuple[str, str], tuple[str, ...]]:
        with self._lock:
            if self._kb is not kb:
                self._uses = _uses(kb)
                self._kb = kb
            return self._uses

    def entries(self, kb: KnowledgeBase, lang: str) -> list[Entry]:
        """Every concept, sorted by its term in ``lang`` with ICU's collation for that language."""
        uses = self.uses(kb)
        collator = icu.Collator.createInstance(icu.Locale(lang))
        entries = []
        for concept in kb.glossary:
            terms = concept.terms.get(lang) or next((t for t in concept.terms.values() if t), (concept.concept,))
            entries.append(Entry(concept, terms[0], uses.get((lang, concept.concept), ())))
        return sorted(entries, key=lambda e: collator.getSortKey(e.term))


@dataclass(frozen=True)
class Part:
    """A page of the glossary: a run of concepts whose terms start with the letters ``first`` to ``last``."""

    n: int
    entries: tuple[Entry, ...]

    @property
    def first(self) -> str:
        return self.entries[0].letter

    @property
    def last(self) -> str:
        return self.entries[-1].letter


def parts(entries: list[Entry], per_part: int = PER_PART) -> list[Part]:
    """``entries`` in parts of about the same size, never splitting the concepts of one initial letter."""
    count = max(1, -(-len(entries) // per_part))
    size = -(-len(entries) // count)
    runs: list[list[Entry]] = [[]]
    for entry in entries:
        run = runs[-1]
        if len(run) >= size and entry.letter != run[-1].letter:
            runs.append(run := [])
        run.append(entry)
    return [Part(n, tuple(run)) for n, run in enumerate(runs, start=1) if run]
