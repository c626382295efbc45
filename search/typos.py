"""Near spellings of words the index does not know, within bounds a query cannot stretch.

A typo look-up walks an index field's terms with a Levenshtein automaton,
once per field (two for near spellings, five for the "did you mean") and
again at distance 2 for a long word: a few milliseconds a word on the real
content, in the term lists a :class:`Lexicon` keeps in memory (walked on
disk, several times that). Every other step of a search costs far less, so
a query of many unknown words (random letters, typo bait) would cost
hundreds of milliseconds. Each search gets a :class:`Budget` that bounds
it, deterministically first:

- at most :data:`MAX_TYPO_WORDS` distinct words get a look-up (the first
  unknown ones, in the order the search asks); the rest are searched as
  typed (their readings), and a repeated word is looked up once;
- of these, at most :data:`MAX_FAR_WORDS` are also looked up at distance 2;
- the "did you mean" looks only at the same words;

and, as the last safety net, after :data:`TYPO_SECONDS` of the search's CPU
time no new look-up starts: the search returns what it found so far (and
the engine does not keep that answer in its result cache).
"""

from __future__ import annotations

import threading
import time
from bisect import bisect_left
from collections.abc import Callable
from contextlib import contextmanager

from whoosh.codec.base import Automata

from .glossary import QueryWord

#: Where near spellings are looked for: the title, and the body, which holds nearly every word an article uses
#: (each field looked in is one more walk of a term graph).
NEAR_PARTS = ("title", "body")
#: How many near spellings of a word are searched (the most frequent).
NEAR_TERMS = 6
#: Shorter words are not matched to near spellings (too many words are one letter away).
MIN_TYPO_LENGTH = 4
#: From this length a word is matched at edit distance 2 when nothing is at distance 1.
FAR_TYPO_LENGTH = 8
#: Longer words are not matched to near spellings (the cost grows with the word; no real word is that long).
MAX_TYPO_LENGTH = 24
#: Distinct words per search that get a typo look-up.
MAX_TYPO_WORDS = 6
#: Of those, how many may also be looked up at edit distance 2 (the costly walk).
MAX_FAR_WORDS = 2
#: CPU seconds of one search after which no further typo look-up starts.
TYPO_SECONDS = 0.06
#: A field with at most this many distinct terms is walked in memory (its sorted term list, about 80 bytes a
#: term, kept per build); a larger one is walked on disk, through Whoosh's term cursor.
MAX_LISTED_TERMS = 100_000


def reach(text: str) -> int:
    """The edit distance a look-up for ``text`` would go to: 0 (none), 1, or 2 when nothing is at 1."""
    if not MIN_TYPO_LENGTH <= len(text) <= MAX_TYPO_LENGTH:
        return 0
    return 2 if len(text) >= FAR_TYPO_LENGTH else 1


class Budget:
    """What one search may still spend on typo look-ups (one per search, used by one thread).

    ``clock`` measures the search's own CPU time (``time.thread_time``): time the
    thread spends waiting for the interpreter while other requests run does not
    count, so a loaded server does not cut ordinary searches short.
    """

    def __init__(
        self,
        words: int = MAX_TYPO_WORDS,
        far: int = MAX_FAR_WORDS,
        seconds: float = TYPO_SECONDS,
        clock: Callable[[], float] = time.thread_time,
    ) -> None:
        self.words, self.far, self.seconds = words, far, seconds
        self._clock = clock
        self._deadline = clock() + seconds
        self._granted: set[str] = set()  # words given a look-up
        self._far: set[str] = set()  # words given distance 2
        #: True when a look-up was skipped for lack of time (the answer then depends on the machine's speed).
        self.cut = False

    @contextmanager
    def paused(self):
        """Time spent inside does not count (work done once per build, not for this search)."""
        began = self._clock()
        try:
            yield
        finally:
            self._deadline += self._clock() - began

    def grant(self, word: str, wanted: int) -> int:
        """The distance a look-up for ``word`` may go to now (0: none), given it would go to ``wanted``.

        The first :attr:`words` distinct words asking get one; of those, the first
        :attr:`far` that want distance 2 get it, the others distance 1. A word
        asking again (another language's index, the "did you mean") keeps its
        place and its distance 2, while time lasts.
        """
        if not wanted:
            return 0
        if word not in self._granted:
            if len(self._granted) >= self.words:
                return 0
            self._granted.add(word)
        if self._clock() > self._deadline:
            self.cut = True
            return 0
        if wanted >= 2 and (word in self._far or len(self._far) < self.far):
            self._far.add(word)
            return 2
        return 1


class TermList:
    """One field's distinct terms, sorted as the index sorts them (by code point), and the longest's length."""

    def __init__(self, terms: set[str]) -> None:
        self.terms = sorted(terms)
        self.longest = max(map(len, self.terms), default=0)

    def close(self, automaton, text: str, maxdist: int, swaps: set[str]) -> set[str]:
        """The terms the automaton accepts (as Whoosh's ``Automata.find_matches`` finds them) and the swaps held.

        No term is within ``maxdist`` of a text longer than the longest term by more than that.
        """
        if len(text) - maxdist > self.longest:
            return set()
        found = {s for s in swaps if self._holds(s)}
        terms, size = self.terms, len(self.terms)
        i = 0
        match = automaton().next_valid_string(terms[0]) if terms else None
        while match:
            i = bisect_left(terms, match, i)
            if i == size:
                break
            term = terms[i]
            if term == match:
                found.add(term)
                term += "\0"
            match = automaton().next_valid_string(term)
        return found

    def _holds(self, term: str) -> bool:
        i = bisect_left(self.terms, term)
        return i < len(self.terms) and self.terms[i] == term


class Lexicon:
    """One language index's term lists, kept in memory for typo walks (one per build, shared read-only).

    A walk on disk looks each step up in the term file; in a sorted list a step is a
    bisection. On the real content a walk at distance 1 is about ten times cheaper,
    at distance 2 (where building the automaton counts more) four to five times.
    """

    def __init__(self, limit: int = MAX_LISTED_TERMS) -> None:
        self.limit = limit
        self._lists: dict[str, TermList | None] = {}
        self._lock = threading.Lock()

    def terms(self, reader, name: str, budget: Budget) -> TermList | None:
        """The field's term list, or None when it has more than :attr:`limit` terms.

        The first search to walk a field reads its terms; the time is not charged to its ``budget``.
        """
        if name not in self._lists:
            with budget.paused():
                terms: set[str] = set()
                for leaf, _ in reader.leaf_readers():
                    for term in leaf.lexicon(name):
                        terms.add(term.decode("utf-8"))
                        if len(terms) > self.limit:
                            break
                with self._lock:
                    self._lists.setdefault(name, TermList(terms) if len(terms) <= self.limit else None)
        return self._lists[name]


def close_terms(reader, fieldnames, text: str, distance: int, lexicon: Lexicon, budget: Budget) -> dict[str, int]:
    """Index terms within ``distance`` (at most 2) of ``text``, with their document frequency.

    Swapping two adjacent letters counts as one edit. Terms at distance 1 are looked
    for first: when there are some, the costlier distance-2 walk (which would only add
    farther terms) is skipped. Fields are walked in the ``lexicon``'s lists when it keeps them.
    """
    if not distance:
        return {}
    swaps = {text[:i] + text[i + 1] + text[i] + text[i + 2 :] for i in range(len(text) - 1)} - {text}
    found: dict[str, int] = {}
    # Each segment's own look-up walks its term graph with an automaton; a multi-segment reader's
    # would compare every term sharing the first letter.
    leaves = [leaf for leaf, _ in reader.leaf_readers()]
    for maxdist in range(1, distance + 1):
        built = []  # the automaton, built once for every field and segment, when a walk needs it

        def automaton(maxdist=maxdist, built=built):
            if not built:
                built.append(Automata.levenshtein_dfa(text, maxdist, 1))
            return built[0]

        for name in fieldnames:
            listed = lexicon.terms(reader, name, budget)
            if listed is not None:
                close = listed.close(automaton, text, maxdist, swaps)
            else:
                close = {term for leaf in leaves for term in Automata.find_matches(automaton(), leaf.cursor(name))}
                close |= swaps
            for term in close:
                freq = reader.doc_frequency(name, term)
                if freq and term != text:
                    found[term] = found.get(term, 0) + freq
        if found:
            break
    return found


def _best(found: dict[str, int], count: int) -> list[str]:
    """The ``count`` most frequent terms found, ties broken alphabetically."""
    return sorted(found, key=lambda t: (-found[t], t))[:count]


def near(reader, word: QueryWord, distance: int, lexicon: Lexicon, budget: Budget) -> list[str]:
    """The most frequent stemmed-field terms within ``distance`` of an unknown word."""
    found = close_terms(reader, [f"{part}_s" for part in NEAR_PARTS], word.deep, distance, lexicon, budget)
    return _best(found, NEAR_TERMS)


def suggest(
    words: list[QueryWord], text: str, reader, budget: Budget, lexicon: Lexicon, parts: tuple[str, ...]
) -> str | None:
    """The query with unknown words replaced by the closest words the index knows, or None.

    Only words the budget grants a look-up are replaced; a repeated word is looked up once.
    """
    closest: dict[str, str | None] = {}
    replacements = []
    for word in words:
        if word.surface not in closest:
            closest[word.surface] = _closest(reader, word.surface, budget, lexicon, parts)
        if closest[word.surface]:
            replacements.append((word.start, word.end, closest[word.surface]))
    out = text
    for start, end, replacement in reversed(replacements):
        out = out[:start] + replacement + out[end:]
    return out if replacements else None


def _closest(reader, surface: str, budget: Budget, lexicon: Lexicon, parts: tuple[str, ...]) -> str | None:
    """The index's most frequent exact form near ``surface`` (None: the index knows it, or none is near)."""
    if any(reader.doc_frequency(f"{part}_x", surface) for part in parts):
        return None
    fields = [f"{part}_x" for part in parts]
    found = close_terms(reader, fields, surface, budget.grant(surface, reach(surface)), lexicon, budget)
    return _best(found, 1)[0] if found else None


__all__ = ["MAX_TYPO_WORDS", "Budget", "Lexicon", "TermList", "close_terms", "near", "reach", "suggest"]
