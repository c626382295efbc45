"""Which words of an article's text a query matches, and where: what snippets mark.

The text's words are found as the index finds them
(:func:`search.words.text_words`), so a word is marked exactly when the
search matched it, and the marks land on the original characters (vowel
marks and prefixes included). Texts shown often are kept analyzed in a
:class:`RecentTexts`, which each build holds (``search/live.py``).
:mod:`search.snippets` chooses the passages and writes the HTML.
"""

from __future__ import annotations

import heapq
import threading
from dataclasses import dataclass
from typing import NamedTuple

from .analysis import variants
from .lru import LRU
from .words import text_words

#: Article texts kept analyzed for snippets: at most this many, and at most TEXT_CHARS_KEPT characters of
#: text. An analysis weighs 45 to 90 bytes per character of its text (``scripts/cachesizes.py``), so
#: about 35 MiB at most; the real knowledge base's 63 texts (about 225,000 characters) all fit.
TEXTS_KEPT = 256
TEXT_CHARS_KEPT = 400_000
#: Times a text is scanned before it is kept analyzed.
ADMIT_AFTER = 3
#: Lines (paragraphs, list items, headings) with matches read before the best passages are chosen: a text
#: shown for the first times is scanned that far (at 1,000 articles, 3 lines instead of 2 doubled the
#: benchmark's p50).
MATCHED_LINES = 2
#: Query words this short (deep form) mark a word only when it is the word itself with at most
#: SHORT_PREFIX letters before it (IT is not marked inside "its", משק not inside "ממשקים").
SHORT_WORD = 3
SHORT_PREFIX = 2
#: What a marked word is: the query's own surface form, or a reading of one of its words.
EXACT, READING = 2, 1


class Match(NamedTuple):
    """One word of a text the query matches."""

    start: int
    end: int
    line: int  # the line (paragraph, list item, heading) it is on
    form: str  # its surface form
    kind: int  # EXACT or READING


@dataclass(frozen=True)
class Marks:
    """What a query marks: its words' surface forms, their readings (and the terms its search looked
    for), and the deep forms of its short words (``short``), which mark only themselves."""

    surfaces: frozenset[str]
    readings: frozenset[str]
    short: frozenset[str] = frozenset()

    def judge(self, form: str) -> int:
        """EXACT, READING or 0 for a surface form of the text."""
        if form in self.surfaces:
            return EXACT
        forms = variants(form)
        if not self.readings.isdisjoint(forms) or any(_short_hit(forms, q) for q in self.short):
            return READING
        return 0

    def keys(self, form: str) -> frozenset[str]:
        """The query's forms a matching text word stands for (one mark each per snippet)."""
        forms = variants(form)
        found = {form} & self.surfaces | self.readings.intersection(forms)
        return frozenset(found | {q for q in self.short if _short_hit(forms, q)})


def _short_hit(forms: tuple[str, ...], short: str) -> bool:
    """True when a text word (its readings, deep form first) is the short query word with at most
    :data:`SHORT_PREFIX` letters before it."""
    deep = forms[0] if forms else ""
    return deep == short or (deep.endswith(short) and len(deep) - len(short) <= SHORT_PREFIX and short in forms)


def matches(
    text: str,
    lang: str,
    marks: Marks,
    texts: RecentTexts | None = None,
    lines: int = MATCHED_LINES,
    verdicts: dict[str, int] | None = None,
) -> list[Match]:
    """Each word of ``text`` the query matches, in text order (the same words the analyzers see).

    Only the first ``lines`` lines with matches count. ``texts`` keeps the
    texts shown often analyzed (none: every text is scanned); ``verdicts``
    (word -> kind of match) may be shared by the texts of one search.
    """
    analyzed = texts.analyzed(text, lang) if texts is not None else None
    if analyzed is None:
        return _scan(text, lang, marks, lines, {} if verdicts is None else verdicts)
    return _look_up(analyzed, marks, lines)


def _look_up(analyzed, marks: Marks, lines: int) -> list[Match]:
    """:func:`matches` for a text kept analyzed: the query's forms are looked up."""
    places, by_reading = analyzed
    matched = {w for w in marks.surfaces if w in places}
    for reading in marks.readings:
        matched.update(by_reading.get(reading, ()))
    for short in marks.short:
        matched.update(w for w in by_reading.get(short, ()) if _short_hit(variants(w), short))
    kinds = {w: marks.judge(w) for w in matched}
    kept_lines: set[int] = set()
    found = []
    for start, end, line, word in heapq.merge(*(places[word] for word in matched)):  # in text order, lazily
        if line not in kept_lines:
            if len(kept_lines) >= lines:
                break
            kept_lines.add(line)
        found.append(Match(start, end, line, word, kinds[word]))
    return found


def _scan(text: str, lang: str, marks: Marks, lines: int, seen: dict[str, int]) -> list[Match]:
    """:func:`matches` for a text seen for the first time: read a line at a time, stop after ``lines``."""
    found: list[Match] = []
    matched_lines = 0
    for number, offset, words in _lines(text, lang):
        before = len(found)
        for word, start, end in words:
            kind = seen.get(word)
            if kind is None:
                kind = seen[word] = marks.judge(word)
            if kind:
                found.append(Match(offset + start, offset + end, number, word, kind))
        if len(found) > before:
            matched_lines += 1
            if matched_lines >= lines:
                break
    return found


def _lines(text: str, lang: str):
    """(line number, offset, its words as (surface form, start, end)) for each line of ``text``,
    its words found as it is read (function words left out: they are never searched; a hyphen-joined
    word's whole left out too: its parts are marked)."""
    offset = 0
    for number, line in enumerate(text.split("\n")):
        words, end = [], 0
        for w in text_words(line, lang):
            if not w.stop and w.start >= end:
                words.append((w.form, w.start, w.end))
                end = w.end
        yield number, offset, words
        offset += len(line) + 1


def analyze_text(text: str, lang: str) -> tuple[dict[str, list[tuple[int, int, int, str]]], dict[str, list[str]]]:
    """The words of ``text``: where each surface form occurs (start, end, line number, the form), and the
    forms under each reading (so a query's handful of readings is looked up instead of every word judged)."""
    places: dict[str, list[tuple[int, int, int, str]]] = {}
    for number, offset, words in _lines(text, lang):
        for word, s, e in words:
            places.setdefault(word, []).append((offset + s, offset + e, number, word))
    by_reading: dict[str, list[str]] = {}
    for word in places:
        for reading in variants(word):
            by_reading.setdefault(reading, []).append(word)
    return places, by_reading


class RecentTexts:
    """Article texts kept analyzed for snippets, once they have been shown ``admit_after`` times.

    Analyzing a whole article costs more than scanning it once for a query,
    so a text is kept only when it keeps coming back: on a small knowledge
    base every article soon does; over a large one, only those searches
    keep finding. Shared by threads; what it hands out is never changed.
    """

    def __init__(self, size: int = TEXTS_KEPT, admit_after: int = ADMIT_AFTER, chars: int = TEXT_CHARS_KEPT) -> None:
        self.admit_after = admit_after
        least = max(1, chars // size)  # so that no more than ``size`` texts are kept
        self._kept = LRU(chars, weight=lambda kept: max(least, kept[0]))
        self._seen = LRU(4 * size)  # hashes of texts shown, and how often
        self._lock = threading.Lock()

    def analyzed(self, text: str, lang: str):
        key = (lang, text)
        found = self._kept.get(key)
        if found is not None:
            found[2] = True  # used since the last retire()
            return found[1]
        mark = hash(key)
        times = self._seen.pop(mark, 0) + 1
        if times < self.admit_after:
            self._seen.put(mark, times)
            return None
        found = analyze_text(text, lang)
        self._kept.put(key, [len(text), found, True])
        return found

    def retire(self) -> None:
        """Let go of the texts not used since the last call (a new build: an edited article's old text,
        or a deleted one's, would otherwise wait for eviction)."""
        with self._lock:
            for key in self._kept.keys():
                kept = self._kept.get(key)
                if kept is not None and not kept[2]:
                    self._kept.pop(key)
                elif kept is not None:
                    kept[2] = False
