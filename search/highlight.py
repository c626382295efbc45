"""Which words of an article's text a query matches, and where: what snippets mark.

The text's words are found as the index finds them
(:func:`search.words.text_words`), so a word is marked exactly when the
search matched it, and the marks land on the original characters (vowel
marks and prefixes included). A text is read a line at a time, and only
the lines that may hold a query word are split into words: each line is
first sieved by letter runs every matching word must contain
(:attr:`Marks.sieve`). Each build keeps the texts it has read
(:class:`RecentTexts`, ``search/live.py``), so a text shown again is not
folded or split again, and a text shown often is kept analyzed: the
query's readings are looked up in it. :mod:`search.snippets` chooses the
passages and writes the HTML.
"""

from __future__ import annotations

import heapq
import threading
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate
from typing import NamedTuple

from .analysis import variants
from .languages import sieve_key
from .lru import LRU
from .normalize import deep, sieve, sieved_word
from .words import text_words

#: Article texts kept as read for snippets, at most this many characters of text in all. A text read
#: weighs at most about 15 bytes per character of it (``scripts/cachesizes.py``: its lines, their folds,
#: and the words of every line), so about 29 MiB at most; the real knowledge base's 63 texts (about
#: 280,000 characters) all fit.
TEXT_CHARS_KEPT = 2_000_000
#: Texts shown this often are also kept analyzed (every word's places, and the words under each reading), so
#: that a query's readings are looked up instead of its lines sieved and words judged: at most
#: ANALYZED_TEXTS of them and ANALYZED_CHARS characters of text. An analysis weighs about 72 bytes per
#: character of its text (``scripts/cachesizes.py``), so about 28 MiB at most; the real articles all fit.
ADMIT_AFTER = 3
ANALYZED_TEXTS = 256
ANALYZED_CHARS = 400_000
#: Lines (paragraphs, list items, headings) with matches read before the best passages are chosen.
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
        folded = sieved_word(form)
        if not any(key in folded for key in self.sieve):  # none of its readings can be the query's
            return 0
        forms = variants(form)
        if not self.readings.isdisjoint(forms) or any(_short_hit(forms, q) for q in self.short):
            return READING
        return 0

    @cached_property
    def sieve(self) -> frozenset[str]:
        """Letter runs a word this marks holds, once folded by :func:`search.normalize.sieve` (the languages'
        :func:`search.languages.sieve_key`): a line without any is not split into words, a word without any
        is not judged by its readings."""
        forms = {deep(form) for form in self.surfaces} | self.readings | self.short
        return frozenset(sieve_key(form) for form in forms)

    def keys(self, form: str) -> frozenset[str]:
        """The query's forms a matching text word stands for (one mark each per snippet)."""
        found = self._keys.get(form)
        if found is None:
            forms = variants(form)
            found = {form} & self.surfaces | self.readings.intersection(forms)
            found = self._keys[form] = frozenset(found | {q for q in self.short if _short_hit(forms, q)})
        return found

    @cached_property
    def _keys(self) -> dict[str, frozenset[str]]:
        """:meth:`keys` of the words asked about so far (a search's snippets ask about the same few)."""
        return {}


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

    Only the first ``lines`` lines with matches count; a line that holds
    none of the marks' :attr:`Marks.sieve` runs is passed over unread.
    ``texts`` keeps the texts read (none: the text is read afresh);
    ``verdicts`` (word -> kind of match) may be shared by the texts of one
    search.
    """
    if texts is not None:
        analysis = texts.analyzed(text, lang)
        if analysis is not None:
            return _look_up(analysis, marks, lines)
    read = texts.read(text, lang) if texts is not None else ReadText(text, lang)
    seen = {} if verdicts is None else verdicts
    keys = marks.sieve
    found: list[Match] = []
    matched_lines = 0
    for number, folded in enumerate(read.folded):
        if folded is not None and not any(key in folded for key in keys):
            continue
        before = len(found)
        offset = read.offsets[number]
        for word, start, end in read.words(number):
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


def _look_up(analysis, marks: Marks, lines: int) -> list[Match]:
    """:func:`matches` for a text kept analyzed: the query's forms are looked up."""
    places, by_reading = analysis
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


def analyze(read: ReadText) -> tuple[dict[str, list[tuple[int, int, int, str]]], dict[str, list[str]]]:
    """The words of a whole text: where each surface form occurs (start, end, line number, the form), and
    the forms under each reading (so a query's handful of readings is looked up instead of words judged)."""
    places: dict[str, list[tuple[int, int, int, str]]] = {}
    for number, offset in enumerate(read.offsets):
        for word, s, e in read.words(number):
            places.setdefault(word, []).append((offset + s, offset + e, number, word))
    by_reading: dict[str, list[str]] = {}
    for word in places:
        for reading in variants(word):
            by_reading.setdefault(reading, []).append(word)
    return places, by_reading


def line_starts(lines: list[str]) -> list[int]:
    """Where each of a text's lines (``text.split("\\n")``) starts in the text."""
    return list(accumulate((len(line) + 1 for line in lines[:-1]), initial=0))


class ReadText:
    """One text as snippets read it: where its lines start, each line's sieve fold
    (:func:`search.normalize.sieve`), and the words of the lines read so far, split when first needed.

    Shared by threads: a line's words may be split twice at once, never changed once kept.
    """

    __slots__ = ("_words", "folded", "lang", "lines", "offsets", "size")

    def __init__(self, text: str, lang: str) -> None:
        self.lang = lang
        self.size = len(text)
        self.lines = text.split("\n")
        self.offsets = line_starts(self.lines)
        folded: list[str | None] = sieve(text).split("\n")
        # Folding never joins or splits lines; if it ever did, every line would be read.
        self.folded = folded if len(folded) == len(self.lines) else [None] * len(self.lines)
        self._words: dict[int, tuple[tuple[str, int, int], ...]] = {}

    def words(self, number: int) -> tuple[tuple[str, int, int], ...]:
        """The words of line ``number`` as (surface form, start, end) in the line: function words left out
        (they are never searched), and a hyphen-joined word's whole too (its parts are marked)."""
        found = self._words.get(number)
        if found is None:
            words, end = [], 0
            for w in text_words(self.lines[number], self.lang):
                if not w.stop and w.start >= end:
                    words.append((w.form, w.start, w.end))
                    end = w.end
            found = self._words[number] = tuple(words)
        return found


class RecentTexts:
    """Article texts kept as read (:class:`ReadText`), the most recently shown first, within ``chars``
    characters; and those shown ``admit_after`` times kept analyzed as well (:func:`analyze`). Analyzing a
    whole text costs more than reading it once for a query, so only texts that keep coming back are: on a
    small knowledge base every article soon does; over a large one, only those searches keep finding.
    Shared by threads; what it hands out is never changed, but for the lines a :class:`ReadText` splits.
    """

    def __init__(
        self,
        chars: int = TEXT_CHARS_KEPT,
        admit_after: int = ADMIT_AFTER,
        analyzed_texts: int = ANALYZED_TEXTS,
        analyzed_chars: int = ANALYZED_CHARS,
    ) -> None:
        self.admit_after = admit_after
        self._read = LRU(chars, weight=lambda kept: max(1, kept[0].size))
        least = max(1, analyzed_chars // analyzed_texts)  # so that no more than ``analyzed_texts`` are kept
        self._analyzed = LRU(analyzed_chars, weight=lambda kept: max(least, kept[0]))
        self._seen = LRU(4 * analyzed_texts)  # hashes of texts shown, and how often
        self._lock = threading.Lock()

    def read(self, text: str, lang: str) -> ReadText:
        key = (lang, text)
        found = self._read.get(key)
        if found is None:
            found = [ReadText(text, lang), True]
            self._read.put(key, found)
        found[1] = True  # used since the last retire()
        return found[0]

    def analyzed(self, text: str, lang: str):
        """The text's analysis when it is kept or now shown often enough to be; else None."""
        key = (lang, text)
        found = self._analyzed.get(key)
        if found is not None:
            found[2] = True
            return found[1]
        mark = hash(key)
        times = self._seen.pop(mark, 0) + 1
        if times < self.admit_after:
            self._seen.put(mark, times)
            return None
        found = analyze(self.read(text, lang))
        self._analyzed.put(key, [len(text), found, True])
        return found

    def retire(self) -> None:
        """Let go of the texts not used since the last call (a new build: an edited article's old text,
        or a deleted one's, would otherwise wait for eviction)."""
        with self._lock:
            for kept_texts, used in ((self._read, 1), (self._analyzed, 2)):
                for key in kept_texts.keys():
                    kept = kept_texts.get(key)
                    if kept is not None and not kept[used]:
                        kept_texts.pop(key)
                    elif kept is not None:
                        kept[used] = False
