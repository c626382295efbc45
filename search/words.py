"""Which words a text has: the one definition every part of search builds on.

:func:`text_words` finds the words of a text with ICU's word-break rules
(PyICU), which keep vowel marks inside words and Hebrew acronyms (מנכ"ל,
מנכ״ל) whole; each comes with its :func:`search.normalize.surface` form, its
position, its offsets in the text and whether it is a function word. The
Whoosh analyzers (:mod:`search.analysis`), the index's fields
(:mod:`search.index`) and the snippets (:mod:`search.highlight`) all read
words through it.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import NamedTuple

from kb.text import HYPHENS

from .languages import REGISTRY
from .normalize import CACHED_WORD_CHARS, surface

_QUOTES = frozenset("'\"\u05f3\u05f4")


def _is_hebrew_letter(ch: str) -> bool:
    return "\u05d0" <= ch <= "\u05ea"


class IcuTokenizer:
    """Word boundaries by ICU's rules, with offsets in Python string indices.

    PyICU reports boundaries in UTF-16 code units; they are converted, so
    offsets stay right after emoji and other characters outside the BMP.
    Two Latin words joined by a hyphen also yield their concatenation
    (co-ordination -> coordination) at the first word's position.
    """

    def __init__(self, locale: str = "root") -> None:
        self.locale = locale

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

    def words(self, value: str, tokenize: bool = True):
        """(text, position, start, end) of every word: what the tokens are made of, without making them."""
        spans = self.spans(value) if tokenize else [(0, len(value))]
        end = -2
        for pos, (s, e) in enumerate(spans):
            yield value[s:e], pos, s, e
            if s - end == 1 and value[end] in HYPHENS and _latin(value[s]) and _latin(value[end - 1]):
                ps = spans[pos - 1][0]
                yield value[ps:end] + value[s:e], pos - 1, ps, e
            end = e


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
    return form.isalnum() or any(ch.isalnum() for ch in form)  # most words are letters only: no loop


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """Every language's function words and question words, in surface form (dropped alike, whatever the
    script: a question in one language can hold another's words)."""
    return frozenset(surface(w) for language in REGISTRY for w in language.stop_words | language.question_words)


@lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    """The wider function-word lists of stopwords-iso, every language's, in surface form. They are searched
    (many are content words too: help, system), but a query word the index does not hold that is one of them
    (our, too) says nothing of what the query is about (:mod:`search.evidence`)."""
    import stopwordsiso

    return stop_words() | frozenset(surface(w) for language in REGISTRY for w in stopwordsiso.stopwords(language.code))


class Word(NamedTuple):
    """One word of a text."""

    form: str  # its surface form
    position: int  # its place among the text's words (a hyphen-joined word shares its first part's)
    start: int  # offsets in the text (Python string indices)
    end: int
    stop: bool  # a function word or a single letter (not indexed, not searched)


def text_words(text: str, lang: str, tokenize: bool = True) -> list[Word]:
    """Every word of ``text`` in order, function words included (flagged ``stop``); ``tokenize=False``
    takes the whole text as one word."""
    out = []
    for word, pos, s, e in IcuTokenizer(lang).words(text, tokenize):
        form, stop = _word(word) if len(word) <= CACHED_WORD_CHARS else _judge(word)
        if form:
            out.append(Word(form, pos, s, e, stop))
    return out


#: Words whose surface form and function-word verdict are kept, process-wide (about 150 to 250 bytes
#: each: at most about 5 MiB). Texts are mostly words seen before.
WORDS_CACHED = 32_768


def _judge(word: str) -> tuple[str, bool]:
    """(surface form, function word?) of a word as written; the form is empty when it holds no letter
    or digit."""
    form = surface(word)
    if not _has_text(form):
        return "", False
    return form, not _acronym(word) and (len(form) <= 1 or form in stop_words())


_word = lru_cache(maxsize=WORDS_CACHED)(_judge)


__all__ = ["IcuTokenizer", "Word", "function_words", "stop_words", "text_words"]
