"""Query-time expansion with the content tree's glossary.

A query word (or run of words) that matches a glossary term in any
language brings in the concept's terms in the language being searched:
"vendor" typed into a Hebrew search also looks for ספק; ספקים in an Arabic
search also looks for مزود. Words match through their analyzed readings,
so prefixes and plurals match the glossary's base forms.
"""

from __future__ import annotations

from dataclasses import dataclass

from kb.model import LANGUAGES, Concept

from .analysis import core_variants, surface_analyzer, variants

MAX_CONCEPTS = 6
MAX_TERMS_PER_CONCEPT = 8


@dataclass(frozen=True)
class QueryWord:
    """One analyzed query word: its surface form and every reading."""

    surface: str
    readings: frozenset[str]
    core: frozenset[str]
    position: int
    start: int
    end: int

    @property
    def deep(self) -> str:
        return next(iter(variants(self.surface)), self.surface)


def analyze_words(text: str, lang: str) -> list[QueryWord]:
    words = []
    for t in surface_analyzer(lang)(text, positions=True, chars=True, mode="query"):
        forms = variants(t.text)
        core = core_variants(t.text) | {t.text}
        words.append(QueryWord(t.text, frozenset(forms) | {t.text}, core, t.pos, t.startchar, t.endchar))
    return words


class Glossary:
    """The glossary, prepared for matching query words against its terms."""

    def __init__(self, concepts: tuple[Concept, ...]) -> None:
        self.concepts = concepts
        self._analyzed: dict[tuple[str, str], tuple[QueryWord, ...]] = {}
        # Terms by every reading of their first word: (concept index, the term's words as (deep, readings)).
        self._by_first: dict[str, list[tuple[int, tuple[tuple[str, frozenset[str]], ...]]]] = {}
        for index, concept in enumerate(concepts):
            for lang in LANGUAGES:
                for term in concept.terms.get(lang, ()):
                    words = tuple((w.deep, w.readings) for w in analyze_words(term, lang))
                    if words:
                        for key in {words[0][0], *words[0][1]}:
                            self._by_first.setdefault(key, []).append((index, words))

    def concepts_in(self, words: list[QueryWord]) -> list[Concept]:
        """The concepts whose terms occur in the query (as consecutive words), most words matched first."""
        return [concept for concept, _ in self.spans(words)]

    def spans(self, words: list[QueryWord]) -> list[tuple[Concept, frozenset[int]]]:
        """Each concept the query mentions and the positions of the query words that name it."""
        found: dict[int, tuple[int, set[int]]] = {}
        for i, word in enumerate(words):
            candidates = {id(c): c for key in (word.deep, *word.readings) for c in self._by_first.get(key, ())}
            for index, term_words in candidates.values():
                n = len(term_words)
                if i + n <= len(words) and all(_same(words[i + k], term_words[k]) for k in range(n)):
                    longest, positions = found.get(index, (0, set()))
                    positions.update(w.position for w in words[i : i + n])
                    found[index] = (max(longest, n), positions)
        ranked = sorted(found, key=lambda i: (-found[i][0], i))[:MAX_CONCEPTS]
        return [(self.concepts[i], frozenset(found[i][1])) for i in ranked]

    def analyzed(self, term: str, lang: str) -> tuple[QueryWord, ...]:
        """A glossary term's words, analyzed once (terms come back query after query)."""
        key = (term, lang)
        found = self._analyzed.get(key)
        if found is None:
            found = self._analyzed[key] = tuple(analyze_words(term, lang))
        return found

    def expansions(self, words: list[QueryWord], lang: str) -> list[tuple[str, frozenset[int]]]:
        """Terms in ``lang`` for the concepts the query mentions, each with the positions of the words it stands for."""
        terms: list[tuple[str, frozenset[int]]] = []
        for concept, positions in self.spans(words):
            terms.extend((term, positions) for term in concept.terms.get(lang, ())[:MAX_TERMS_PER_CONCEPT])
        return terms


def _same(word: QueryWord, term_word: tuple[str, frozenset[str]]) -> bool:
    deep, readings = term_word
    return deep in word.readings or word.deep in readings
