"""The languages search reads, one module each, and their registry.

A language is a :class:`SearchLanguage`: its code (as in ``kb/languages.py``),
the script ranges that tell its words apart (``kb/text.py``), its character
folds, the readings of a word (each of a kind), its function words and its
question words.
:mod:`search.normalize` and :mod:`search.analysis` read them from here; adding
a language is one module beside ``he.py``, ``ar.py`` and ``en.py``, named in
the modules :data:`REGISTRY` is built from.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from kb.text import within

from . import ar, en, he
from .kinds import core


@dataclass(frozen=True)
class SearchLanguage:
    """How search reads one language's words."""

    code: str
    #: Unicode blocks of its letters; empty for the fallback language (Latin and every other script).
    ranges: tuple[tuple[int, int], ...]
    #: Every reading of a deep-normalized word with its kind (``search/languages/kinds.py``).
    reading_kinds: Callable[[str], dict[str, str]]
    #: Readings a query word gets as a verb (tense prefixes and endings removed); not indexed.
    verb_readings: Callable[[str], set[str]]
    #: The word without each legal run of prefix letters (instant search's prefixes: והלקו -> לקו).
    prefix_readings: Callable[[str], set[str]]
    #: Letters every word with a given reading holds in a row, its vowel letters dropped: snippets pass over
    #: the lines and words without them (:mod:`search.highlight`).
    sieve_key: Callable[[str], str]
    #: Letters its skeletons drop inside a word (Hebrew's matres lectionis, Arabic's long vowels).
    vowel_letters: str = ""
    #: Folds of :func:`search.normalize.surface` (characters a reader does not see as different).
    surface_folds: Mapping[int, str | None] = field(default_factory=dict)
    #: Folds of :func:`search.normalize.deep` (spelling variants readers treat as one).
    deep_folds: Mapping[int, str | None] = field(default_factory=dict)
    #: Function words: not indexed, not searched (positions kept for phrases).
    stop_words: frozenset[str] = frozenset()
    #: Question words: dropped as function words are, in every language alike.
    question_words: frozenset[str] = frozenset()

    def variants(self, word: str) -> set[str]:
        """Every form a deep-normalized word is indexed and searched under (the word itself included)."""
        return set(self.reading_kinds(word))

    def core_variants(self, word: str) -> set[str]:
        """The word and its readings without the typo-tolerant skeletons (glossary matching)."""
        return core(self.reading_kinds(word))


REGISTRY: tuple[SearchLanguage, ...] = tuple(
    SearchLanguage(
        code=module.CODE,
        ranges=module.RANGES,
        surface_folds=module.SURFACE_FOLDS,
        deep_folds=module.DEEP_FOLDS,
        reading_kinds=module.reading_kinds,
        verb_readings=module.verb_readings,
        prefix_readings=module.prefix_readings,
        sieve_key=module.sieve_key,
        vowel_letters=module.VOWEL_LETTERS,
        stop_words=module.STOP_WORDS,
        question_words=module.QUESTION_WORDS,
    )
    for module in (he, ar, en)
)
BY_CODE: dict[str, SearchLanguage] = {language.code: language for language in REGISTRY}
#: The language of words in no listed range.
FALLBACK: SearchLanguage = next(language for language in REGISTRY if not language.ranges)
_SCRIPTED = tuple(language for language in REGISTRY if language.ranges)


def language_of(word: str) -> SearchLanguage:
    """The language a word is read as, by its first letter (Latin and anything else: :data:`FALLBACK`)."""
    for ch in word:
        code = ord(ch)
        for language in _SCRIPTED:
            if within(code, language.ranges):
                return language
        if ch.isalpha():
            return FALLBACK
    return FALLBACK


def sieve_key(reading: str) -> str:
    """Letters every text word that has ``reading`` among its readings holds in a row, once it is
    deep-normalized and every language's vowel letters are dropped (:data:`VOWEL_LETTERS`)."""
    return language_of(reading).sieve_key(reading).translate(_NO_VOWEL_LETTERS)


#: Every language's vowel letters.
VOWEL_LETTERS = "".join(language.vowel_letters for language in REGISTRY)
_NO_VOWEL_LETTERS = dict.fromkeys(map(ord, VOWEL_LETTERS))


def script(word: str) -> str:
    """The code of :func:`language_of` ``word``."""
    return language_of(word).code


__all__ = ["BY_CODE", "FALLBACK", "REGISTRY", "VOWEL_LETTERS", "SearchLanguage", "language_of", "script", "sieve_key"]
