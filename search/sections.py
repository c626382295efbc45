"""Which section of an article the words typed are in, for instant search's links (``/he/<id>#<anchor>``).

An article's plain text has one block per line, headings included, in
order. Each word of it is kept under its folded form
(:func:`search.normalize.deep`) and the same without Hebrew or Arabic
prefix letters, with the sections whose heading, or whose text, hold it
(bit masks) and how often. A finished word is looked up by its core
readings; a word still being typed, by every form starting with it. The
section holding most of the words typed wins, a word in its heading
counting twice; between equals, the one where they come most often.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import lru_cache
from itertools import islice
from typing import NamedTuple

from kb.model import Article, Heading

from .languages import language_of
from .normalize import deep, surface
from .words import IcuTokenizer

#: A form with prefix letters stripped keeps at least this many letters.
MIN_STRIPPED = 3
#: Forms of an article looked at for one prefix, however many start with it.
SCANNED = 64
#: Words of the texts whose forms are kept, process-wide (articles share most of their words).
WORDS_CACHED = 16_384


def prefix_forms(word: str) -> set[str]:
    """A folded word and the same without each legal run of Hebrew or Arabic prefix letters (והלקו -> הלקו,
    לקו; والعم -> العم)."""
    return {word} | {form for form in language_of(word).prefix_readings(word) if len(form) >= MIN_STRIPPED}


@lru_cache(maxsize=WORDS_CACHED)
def text_forms(word: str) -> tuple[str, frozenset[str]]:
    """A word of an article's text folded, and the forms it is found under (:func:`prefix_forms`)."""
    folded = deep(surface(word))
    return folded, (frozenset(prefix_forms(folded)) if folded else frozenset())


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
        size = len(starts)
        # form -> [sections whose heading holds it (bits), sections whose text does (bits), the words it is a form of]
        found: dict[str, list] = {}
        times: dict[str, list[int]] = {}  # a word (folded) -> how often it comes in each section
        tokenizer = IcuTokenizer(article.lang)
        for number, text in enumerate(lines):
            i = bisect_right(starts, number) - 1
            if i < 0:  # the introduction, before the first heading
                continue
            where = 0 if starts[i] == number else 1
            for s, e in tokenizer.spans(text):
                folded, forms = text_forms(text[s:e])
                times.setdefault(folded, [0] * size)[i] += 1
                for form in forms:
                    entry = found.setdefault(form, [0, 0, set()])
                    entry[where] |= 1 << i
                    entry[2].add(folded)
        self._found = {form: (h, t, frozenset(words)) for form, (h, t, words) in found.items()}
        self._times = {folded: tuple(n) for folded, n in times.items()}
        self._forms = sorted(self._found)

    def word(self, forms) -> Match:
        """Where a finished word is, given its readings."""
        return self._match(self._found.get(form) for form in forms)

    def prefix(self, stems) -> Match:
        """Where the words starting with one of ``stems`` are."""

        def entries():
            for stem in stems:
                i = bisect_left(self._forms, stem)
                for form in islice(self._forms, i, i + SCANNED):
                    if not form.startswith(stem):
                        break
                    yield self._found[form]

        return self._match(entries())

    def _match(self, entries) -> Match:
        heading = text = 0
        words: set[str] = set()  # the text's words matched (each counted once, whichever of its forms matched)
        for entry in entries:
            if entry:
                heading, text = heading | entry[0], text | entry[1]
                words |= entry[2]
        times = [0] * len(self.headings)
        for word in words:
            times = [a + b for a, b in zip(times, self._times[word], strict=True)]
        return Match(heading, text, tuple(times))

    def best(self, words: list[Match]) -> Heading | None:
        """The heading of the section holding most of the ``words`` (in its heading counting twice), ties going
        to the section where they come most often, then to the first; None when no section holds any."""
        found, most = None, (0.0, 0)
        for i, heading in enumerate(self.headings):
            bit = 1 << i
            in_heading = sum(1 for w in words if w.heading & bit)
            score = 2 * in_heading + sum(1 for w in words if w.text & bit) + (0.5 if in_heading else 0)
            rank = (score, sum(w.times[i] for w in words))
            if score and rank > most:
                found, most = heading, rank
        return found


class Match(NamedTuple):
    """Where one word typed is in an article: sections whose heading holds it, whose text does (bit masks),
    and how often it comes in each section."""

    heading: int
    text: int
    times: tuple[int, ...]


__all__ = ["Match", "Sections", "prefix_forms", "text_forms"]
