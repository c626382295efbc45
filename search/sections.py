"""Which section of an article the words typed are in, for instant search's links (``/he/<id>#<anchor>``).

An article's plain text has one block per line, headings included, in
order. Each word of it is kept under its folded form
(:func:`search.normalize.deep`) and the same without Hebrew or Arabic
prefix letters, with the sections whose heading, or whose text, hold it
(bit masks). A finished word is looked up by its core readings; a word
still being typed, by every form starting with it. The section holding
most of the words typed wins, a word in its heading counting twice.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import lru_cache
from itertools import islice

from kb.model import Article, Heading

from . import arabic, hebrew
from .analysis import IcuTokenizer
from .normalize import deep, script, surface

#: A form with prefix letters stripped keeps at least this many letters.
MIN_STRIPPED = 3
#: Forms of an article looked at for one prefix, however many start with it.
SCANNED = 200
#: Words of the texts whose forms are kept, process-wide (articles share most of their words).
WORDS_CACHED = 16_384
_STRIP = {"he": hebrew.prefix_readings, "ar": arabic.prefix_readings}


def prefix_forms(word: str) -> set[str]:
    """A folded word and the same without each legal run of Hebrew or Arabic prefix letters (והלקו -> הלקו,
    לקו; والعم -> العم)."""
    strip = _STRIP.get(script(word))
    found = {word}
    if strip:
        found |= {form for form in strip(word) if len(form) >= MIN_STRIPPED}
    return found


@lru_cache(maxsize=WORDS_CACHED)
def text_forms(word: str) -> frozenset[str]:
    """The forms a word of an article's text is found under (:func:`prefix_forms` of its folded form)."""
    folded = deep(surface(word))
    return frozenset(prefix_forms(folded)) if folded else frozenset()


class Sections:
    """The words of one article's sections (kept per build: read-only once made)."""

    def __init__(self, article: Article) -> None:
        lines = article.text.split("\n")
        self.headings: list[Heading] = []
        starts: list[int] = []  # the line of each heading with an anchor
        line = 0
        for heading in article.headings:
            at = next((n for n in range(line, len(lines)) if lines[n] == heading.text), None)
            if at is not None:
                line = at + 1
                if heading.anchor:
                    self.headings.append(heading)
                    starts.append(at)
        masks: dict[str, list[int]] = {}  # form -> [sections whose heading holds it, sections whose text does]
        tokenizer = IcuTokenizer(article.lang)
        for number, text in enumerate(lines):
            i = bisect_right(starts, number) - 1
            if i < 0:  # the introduction, before the first heading
                continue
            where = 0 if starts[i] == number else 1
            for s, e in tokenizer.spans(text):
                for form in text_forms(text[s:e]):
                    masks.setdefault(form, [0, 0])[where] |= 1 << i
        self._masks = {form: tuple(m) for form, m in masks.items()}
        self._forms = sorted(self._masks)

    def word(self, forms) -> tuple[int, int]:
        """(heading, text) masks of the sections holding a finished word, given its readings."""
        heading = text = 0
        for form in forms:
            found = self._masks.get(form)
            if found:
                heading, text = heading | found[0], text | found[1]
        return heading, text

    def prefix(self, stems) -> tuple[int, int]:
        """(heading, text) masks of the sections holding a word starting with one of ``stems``."""
        heading = text = 0
        for stem in stems:
            i = bisect_left(self._forms, stem)
            for form in islice(self._forms, i, i + SCANNED):
                if not form.startswith(stem):
                    break
                found = self._masks[form]
                heading, text = heading | found[0], text | found[1]
        return heading, text

    def best(self, words: list[tuple[int, int]]) -> Heading | None:
        """The heading of the section holding most of the ``words`` (their masks), or None."""
        found, most = None, 0.0
        for i, heading in enumerate(self.headings):
            bit = 1 << i
            in_heading = sum(1 for h, _ in words if h & bit)
            score = 2 * in_heading + sum(1 for _, t in words if t & bit) + (0.5 if in_heading else 0)
            if score > most:
                found, most = heading, score
        return found


__all__ = ["Sections", "prefix_forms", "text_forms"]
