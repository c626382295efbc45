"""Snippets: a window of an article's text with the matched words in ``<mark>``.

The text's words are found as the index finds them
(:func:`search.words.text_words`), so a word is marked exactly when the
search matched it, and the marks land on the original characters (vowel
marks and prefixes included). Texts shown often are kept analyzed in a
:class:`RecentTexts`, which each build holds (``search/live.py``).
"""

from __future__ import annotations

import bisect
import heapq
import threading
from html import escape

from .analysis import variants
from .lru import LRU
from .words import text_words

SNIPPET_CHARS = 220
#: Article texts kept analyzed for snippets: at most this many, and at most TEXT_CHARS_KEPT characters of
#: text. An analysis weighs 45 to 90 bytes per character of its text (``scripts/cachesizes.py``), so
#: about 35 MiB at most; the real knowledge base's 63 texts (about 225,000 characters) all fit.
TEXTS_KEPT = 256
TEXT_CHARS_KEPT = 400_000
#: Times a text is scanned before it is kept analyzed.
ADMIT_AFTER = 3
#: Lines with matches read before a snippet window is chosen.
MATCHED_LINES = 2


def matches(
    text: str,
    lang: str,
    surfaces: frozenset[str],
    readings: frozenset[str],
    texts: RecentTexts | None = None,
    lines: int = MATCHED_LINES,
    verdicts: dict[str, bool] | None = None,
) -> list[tuple[int, int]]:
    """(start, end) of each word of ``text`` the query matches (the same words the analyzers see).

    Only the first ``lines`` lines (paragraphs, list items) with matches
    count: a snippet shows one window, near the top of what matched.
    ``texts`` keeps the texts shown often analyzed (none: every text is
    scanned); ``verdicts`` (word -> matches) may be shared by the texts of
    one search.
    """
    analyzed = texts.analyzed(text, lang) if texts is not None else None
    if analyzed is None:
        return _scan(text, lang, surfaces, readings, lines, {} if verdicts is None else verdicts)
    return _look_up(analyzed, surfaces, readings, lines)


def _look_up(analyzed, surfaces, readings, lines: int) -> list[tuple[int, int]]:
    """:func:`matches` for a text kept analyzed: the query's forms are looked up."""
    places, by_reading = analyzed
    matched = {w for w in surfaces if w in places}
    for reading in readings:
        matched.update(by_reading.get(reading, ()))
    kept_lines: set[int] = set()
    spans = []
    for start, end, line in heapq.merge(*(places[word] for word in matched)):  # in text order, read lazily
        if line not in kept_lines:
            if len(kept_lines) >= lines:
                break
            kept_lines.add(line)
        spans.append((start, end))
    return spans


def _scan(text: str, lang: str, surfaces, readings, lines: int, seen: dict[str, bool]) -> list[tuple[int, int]]:
    """:func:`matches` for a text seen for the first time: read a line at a time, stop after ``lines``."""
    found: list[tuple[int, int]] = []
    matched_lines = 0
    for _, offset, spans in _lines(text, lang):
        before = len(found)
        for word, start, end in spans:
            hit = seen.get(word)
            if hit is None:
                hit = seen[word] = word in surfaces or not readings.isdisjoint(variants(word))
            if hit:
                found.append((offset + start, offset + end))
        if len(found) > before:
            matched_lines += 1
            if matched_lines >= lines:
                break
    return found


def _lines(text: str, lang: str):
    """(line number, offset, its words as (surface form, start, end)) for each line of ``text``,
    its words found as it is read (function words left out: they are never searched)."""
    offset = 0
    for number, line in enumerate(text.split("\n")):
        yield number, offset, [(w.form, w.start, w.end) for w in text_words(line, lang) if not w.stop]
        offset += len(line) + 1


def analyze_text(text: str, lang: str) -> tuple[dict[str, list[tuple[int, int, int]]], dict[str, list[str]]]:
    """The words of ``text``: where each surface form occurs (start, end, line number), and the forms under
    each reading (so a query's handful of readings is looked up instead of every word being judged)."""
    places: dict[str, list[tuple[int, int, int]]] = {}
    for number, offset, spans in _lines(text, lang):
        for word, s, e in spans:
            places.setdefault(word, []).append((offset + s, offset + e, number))
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


def snippet(text: str, spans: list[tuple[int, int]], width: int = SNIPPET_CHARS) -> str:
    """HTML: the window of ``text`` holding the most matches, escaped, matches in ``<mark>``."""
    if not spans:
        return escape(_clip(text, 0, width))
    ends = [e for _, e in spans]  # spans are words in text order: their ends ascend too
    best, best_count = 0, -1
    for i, (start, _) in enumerate(spans):
        count = bisect.bisect_right(ends, start + width) - i
        if count > best_count:
            best, best_count = i, count
    start = spans[best][0]
    # Open the window a little before the first match, at a word boundary.
    lead = max(0, start - width // 4)
    if lead > 0:
        space = text.rfind(" ", 0, lead + 1)
        lead = space + 1 if space >= 0 and start - space < width // 2 else lead
    end = min(len(text), lead + width)
    if end < len(text):
        space = text.rfind(" ", lead, end)
        end = space if space > start else end
    inside = [(s, e) for s, e in spans if s >= lead and e <= end]
    out, cursor = [], lead
    for s, e in inside:
        if s < cursor:  # within a word already marked (co-ordination, then its parts)
            continue
        out.append(escape(text[cursor:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        cursor = e
    out.append(escape(text[cursor:end]))
    html = "".join(out).replace("\n", " ")
    return ("… " if lead > 0 else "") + html + (" …" if end < len(text) else "")


def _clip(text: str, start: int, width: int) -> str:
    if len(text) <= width:
        return text.replace("\n", " ")
    end = text.rfind(" ", start, start + width)
    end = end if end > start else start + width
    return text[start:end].replace("\n", " ") + " …"
