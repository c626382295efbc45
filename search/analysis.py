"""Analyzer chains, built the Whoosh way from :func:`search.words.text_words` and the language registry.

::

    WordTokenizer                   -> surface analyzer (exact fields): each word's surface form
    WordTokenizer | VariantFilter   -> stem analyzer (stemmed fields): its deep form and every reading

Every reading is chosen by the word's script, not by the document's
language (:func:`search.languages.language_of`), so Latin terms in Hebrew
text, or Arabic words in an English query, are read as what they are.

Whoosh pickles the schema with its analyzers, so nothing here holds an ICU
object across pickling: the tokenizer keeps only its locale.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from types import MappingProxyType

from whoosh.analysis import Filter, Token, Tokenizer

from .languages import language_of
from .languages.kinds import VERB, put
from .normalize import deep
from .words import stop_words, text_words

#: Bump when analysis changes: an index built with another version is stale.
ANALYZER_VERSION = "4"


class WordTokenizer(Tokenizer):
    """Whoosh tokens of :func:`search.words.text_words`: surface forms, function words dropped (or flagged
    ``stopped`` when ``removestops`` is false, keeping positions for phrases)."""

    def __init__(self, locale: str = "root") -> None:
        self.locale = locale

    def __eq__(self, other):
        return type(other) is type(self) and other.locale == self.locale

    def __hash__(self):
        return hash((type(self), self.locale))

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        for word in text_words(value, self.locale, tokenize):
            if word.stop and removestops:
                continue
            token = Token(positions, chars, removestops=removestops, mode=mode)
            token.text = token.original = word.form
            token.boost = 1.0
            token.stopped = word.stop
            token.pos = start_pos + word.position
            token.startchar = start_char + word.start
            token.endchar = start_char + word.end
            yield token


#: Words whose readings are kept, process-wide. Each entry weighs 0.3 to 1.3 KB (a Hebrew or Arabic word
#: has up to a dozen readings; ``scripts/cachesizes.py`` measures them): at most about 21 MiB. Indexing
#: and queries ask for the same few thousand words again and again; any text a client sends to
#: ``/api/analyze`` adds words, so the bound is what keeps a server's memory flat.
READINGS_CACHED = 16_384
#: Words whose core readings are kept (queries only: glossary matching): at most about 5 MiB.
CORE_READINGS_CACHED = 4_096


@lru_cache(maxsize=READINGS_CACHED)
def variants(text: str) -> tuple[str, ...]:
    """The deep form of a surface word first, then its other readings (sorted, for stable output)."""
    word = deep(text)
    if not word:
        return ()
    found = language_of(word).variants(word)
    found.discard(word)
    return (word, *sorted(found))


@lru_cache(maxsize=CORE_READINGS_CACHED)
def core_variants(text: str) -> frozenset[str]:
    """The readings of a surface word without the typo-tolerant skeletons (Hebrew and Arabic)."""
    word = deep(text)
    if not word:
        return frozenset()
    return frozenset(language_of(word).core_variants(word))


#: Query words whose readings' kinds are kept (queries only: ranking): at most about 6 MiB.
KINDS_CACHED = 4_096


@lru_cache(maxsize=KINDS_CACHED)
def query_readings(text: str) -> MappingProxyType:
    """Each reading a surface query word is searched under, with its kind (``search/languages/kinds.py``):
    the readings it is indexed under, and its readings as a verb."""
    word = deep(text)
    if not word:
        return MappingProxyType({})
    language = language_of(word)
    kinds = dict(language.reading_kinds(word))
    for form in language.verb_readings(word):
        put(kinds, form, VERB)
    return MappingProxyType(kinds)


class VariantFilter(Filter):
    """Replaces a token with its deep form and adds every other reading at the same position."""

    def __eq__(self, other):
        return type(other) is type(self)

    def __call__(self, tokens):
        for t in tokens:
            if t.stopped:
                yield t
                continue
            forms = variants(t.text)
            for form in forms:
                copy = t.copy()
                copy.text = form
                yield copy


@cache
def surface_analyzer(lang: str):
    """Exact fields: the surface form of each word (one per language, shared: it keeps no state)."""
    return WordTokenizer(lang)


def stem_analyzer(lang: str):
    """Stemmed fields: the deep form of each word and all its readings."""
    return WordTokenizer(lang) | VariantFilter()


@dataclass(frozen=True)
class AnalyzedTerm:
    """One term a text is indexed and searched under, with its place in the text."""

    term: str
    start: int
    end: int
    position: int
    kind: str  # "surface" or "stem"


def analyze(text: str, lang: str) -> list[AnalyzedTerm]:
    """Every term ``text`` is indexed and searched under (surface form, then each other reading)."""
    found: dict[tuple[str, int], AnalyzedTerm] = {}
    for word in text_words(text, lang):
        if word.stop:
            continue
        for i, term in enumerate((word.form, *variants(word.form))):
            if (term, word.position) not in found:
                kind = "surface" if i == 0 else "stem"
                found[(term, word.position)] = AnalyzedTerm(term, word.start, word.end, word.position, kind)
    return sorted(found.values(), key=lambda a: (a.position, a.kind != "surface", a.start))


__all__ = [
    "ANALYZER_VERSION",
    "AnalyzedTerm",
    "VariantFilter",
    "WordTokenizer",
    "analyze",
    "core_variants",
    "query_readings",
    "stem_analyzer",
    "stop_words",
    "surface_analyzer",
    "variants",
]
