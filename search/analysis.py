"""Analyzer chains for Hebrew, Arabic and English, built the Whoosh way.

::

    IcuTokenizer | SurfaceFilter | StopFilter                   -> surface analyzer (exact fields)
    IcuTokenizer | SurfaceFilter | StopFilter | VariantFilter   -> stem analyzer (stemmed fields)

Words are found with ICU's word-break rules (PyICU), which keep vowel marks
inside words and Hebrew acronyms (מנכ"ל, מנכ״ל) whole. Every filter works
by script, not by the document's language, so Latin terms in Hebrew text,
or Arabic words in an English query, are analyzed as what they are.

Whoosh pickles the schema with its analyzers, so nothing here holds an ICU
object across pickling: the break iterator is created lazily.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import cache, lru_cache

import stopwordsiso
from whoosh.analysis import STOP_WORDS, Filter, Token, Tokenizer

from . import arabic, english, hebrew
from .normalize import deep, script, surface

#: Bump when analysis changes: an index built with another version is stale.
ANALYZER_VERSION = "2"

_HYPHENS = frozenset("-\u2010\u2011")
_QUOTES = frozenset("'\"\u05f3\u05f4")


def _is_hebrew_letter(ch: str) -> bool:
    return "\u05d0" <= ch <= "\u05ea"


class IcuTokenizer(Tokenizer):
    """Words by ICU word boundaries, with offsets in Python string indices.

    PyICU reports boundaries in UTF-16 code units; they are converted, so
    offsets stay right after emoji and other characters outside the BMP.
    Two Latin words joined by a hyphen also yield their concatenation
    (co-ordination -> coordination) at the first word's position.
    """

    def __init__(self, locale: str = "root") -> None:
        self.locale = locale

    def __getstate__(self):
        return {"locale": self.locale}

    def __setstate__(self, state):
        self.locale = state["locale"]

    def __eq__(self, other):
        return type(other) is type(self) and other.locale == self.locale

    def __hash__(self):
        return hash((type(self), self.locale))

    def spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of every word in ``text``."""
        iterator = _break_iterator(self.locale)
        iterator.setText(text)
        boundaries = []
        start = iterator.first()
        for end in iterator:
            if iterator.getRuleStatus() >= 100:  # UBRK_WORD_NONE_LIMIT: a word, number or letter run
                boundaries.append((start, end))
            start = end
        if not text.isascii() and _ASTRAL.search(text):
            to_py = _utf16_to_python(text)
            boundaries = [(to_py(s), to_py(e)) for s, e in boundaries]
        spans: list[tuple[int, int]] = []
        for s, e in boundaries:
            # Only quote marks between two Hebrew words: one acronym (צה''ל).
            if (
                spans
                and 0 < s - spans[-1][1] <= 2
                and text[spans[-1][1]] in _QUOTES
                and _joins_acronym(text, spans[-1], s)
            ):
                spans[-1] = (spans[-1][0], e)
            else:
                spans.append((s, e))
        return spans

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
        for text, pos, s, e in self.words(value, tokenize):
            yield _token(text, start_pos + pos, start_char + s, start_char + e, positions, chars, removestops, mode)

    def words(self, value: str, tokenize: bool = True):
        """(text, position, start, end) of every word: what the tokens are made of, without making them."""
        spans = self.spans(value) if tokenize else [(0, len(value))]
        for pos, (s, e) in enumerate(spans):
            yield value[s:e], pos, s, e
            if pos and value[spans[pos - 1][1] : s] in _HYPHENS and _latin(value[s]) and _latin(value[s - 2]):
                ps = spans[pos - 1][0]
                yield value[ps : s - 1] + value[s:e], pos - 1, ps, e


_THREAD = threading.local()
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _break_iterator(locale: str):
    """An ICU word break iterator for this thread (they are not thread-safe, and costly to create)."""
    import icu

    iterators = getattr(_THREAD, "iterators", None)
    if iterators is None:
        iterators = _THREAD.iterators = {}
    if locale not in iterators:
        iterators[locale] = icu.BreakIterator.createWordInstance(icu.Locale(locale))
    return iterators[locale]


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def _token(text, pos, startchar, endchar, positions, chars, removestops, mode) -> Token:
    token = Token(positions, chars, removestops=removestops, mode=mode)
    token.text = text
    token.original = text
    token.boost = 1.0
    token.stopped = False
    token.pos = pos
    token.startchar = startchar
    token.endchar = endchar
    return token


def _joins_acronym(text: str, previous: tuple[int, int], start: int) -> bool:
    """True when only quote marks stand between two Hebrew words (צה''ל, צה"ל)."""
    gap = text[previous[1] : start]
    before = text[previous[1] - 1] if previous[1] else ""
    before = before if before not in _QUOTES else text[previous[1] - 2 : previous[1] - 1]
    return (
        0 < len(gap) <= 2
        and all(ch in _QUOTES for ch in gap)
        and _is_hebrew_letter(before or " ")
        and _is_hebrew_letter(text[start])
    )


def _utf16_to_python(text: str):
    table = []
    for index, ch in enumerate(text):
        table.append(index)
        if ord(ch) >= 0x10000:
            table.append(index)
    table.append(len(text))
    return lambda i: table[i]


def _acronym(word: str) -> bool:
    """CRM, KPI, IT: all-capital Latin acronyms, which are never stop words."""
    return word.isascii() and word.isupper() and len(word) >= 2


def _has_text(form: str) -> bool:
    return any(ch.isalnum() for ch in form)


def _is_stop(form: str, acronym: bool, stops: frozenset[str]) -> bool:
    return not acronym and (len(form) <= 1 or form in stops)


class SurfaceFilter(Filter):
    """Replaces each token's text with its :func:`surface` form; drops tokens with nothing left."""

    def __eq__(self, other):
        return type(other) is type(self)

    def __call__(self, tokens):
        for t in tokens:
            original = t.text
            t.text = surface(original)
            t.acronym = _acronym(original)
            if _has_text(t.text):
                yield t


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """Function words of the three languages, in surface form (stopwords-iso lists and Whoosh's English list)."""
    words = set(STOP_WORDS) | set(stopwordsiso.stopwords("he")) | set(stopwordsiso.stopwords("ar"))
    return frozenset(surface(w) for w in words)


class StopFilter(Filter):
    """Drops function words and one-letter tokens, keeping positions (for phrases) as they were."""

    def __eq__(self, other):
        return type(other) is type(self)

    def __call__(self, tokens):
        stops = stop_words()
        for t in tokens:
            if not _is_stop(t.text, getattr(t, "acronym", False), stops):
                yield t
            elif not t.removestops:
                t.stopped = True
                yield t


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
    found = {"he": hebrew.variants, "ar": arabic.variants}.get(script(word), english.variants)(word)
    found.discard(word)
    return (word, *sorted(found))


@lru_cache(maxsize=CORE_READINGS_CACHED)
def core_variants(text: str) -> frozenset[str]:
    """The readings of a surface word without the typo-tolerant skeletons (Hebrew and Arabic)."""
    word = deep(text)
    if not word:
        return frozenset()
    core = {"he": hebrew.core_variants, "ar": arabic.core_variants}.get(script(word), english.variants)(word)
    return frozenset(core)


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
    """Exact fields: the surface form of each word (one chain per language, shared: it keeps no state)."""
    return IcuTokenizer(lang) | SurfaceFilter() | StopFilter()


def stem_analyzer(lang: str):
    """Stemmed fields: the deep form of each word and all its readings."""
    return IcuTokenizer(lang) | SurfaceFilter() | StopFilter() | VariantFilter()


@lru_cache(maxsize=8)
def surface_words(text: str, lang: str) -> tuple[tuple[str, int], ...]:
    """(surface form, position) of every indexed word of ``text``: what each field of a part starts from.

    An article part is indexed into two fields; the few most recent texts
    are kept, so each is tokenized once.
    """
    # The surface analyzer's chain (SurfaceFilter, then StopFilter dropping stop words), without Token objects.
    stops = stop_words()
    out = []
    for word, pos, _, _ in IcuTokenizer(lang).words(text):
        form = surface(word)
        if _has_text(form) and not _is_stop(form, _acronym(word), stops):
            out.append((form, pos))
    return tuple(out)


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
    for kind, analyzer in (("surface", surface_analyzer(lang)), ("stem", stem_analyzer(lang))):
        for t in analyzer(text, positions=True, chars=True, mode="query"):
            key = (t.text, t.pos)
            if key not in found:
                found[key] = AnalyzedTerm(t.text, t.startchar, t.endchar, t.pos, kind)
    return sorted(found.values(), key=lambda a: (a.position, a.kind != "surface", a.start))
