"""How much of a query each article's match accounts for: what tells real matches from weak ones.

Every query word weighs its specificity in the index (its inverse document
frequency: a word in most articles weighs little; a word the index does not
know at all weighs most, since it is what the query is about, unless it is a
function word, which weighs nothing). An article's
coverage is the weight of the words it matches, over the weight of all the
query's words:

- a word matched by its surface form or a reading, or through one of its
  glossary synonyms, counts fully;
- a word matched only through near spellings counts :data:`FUZZY_CREDIT`;
- a word not matched counts nothing.

When no article's coverage reaches :data:`MIN_COVERAGE` with more than
near spellings, the query is about something the knowledge base does not
cover: its results are *approximate*. Otherwise an article is a *weak*
match, listed apart from the real ones ("also mentioned"), when it matches
one word only and that word is ubiquitous (:data:`UBIQUITOUS`) or a near
spelling, or when it scores under :data:`TAIL_SHARE` of the best article.
Nothing here is a word list: weights come from the index's statistics.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

#: The share of the query's weight an article must match to be a real match.
MIN_COVERAGE = 0.6
#: What a word matched only through near spellings counts (a full match counts 1).
FUZZY_CREDIT = 0.5
#: A word in at least this share of a language's articles is ubiquitous: alone, it is weak evidence.
UBIQUITOUS = 0.5
#: An article scored under this share of the best score is a weak match.
TAIL_SHARE = 0.15


def specificity(df: int, n_docs: int) -> float:
    """BM25's inverse document frequency: high for a rare word, near 0 for a word in every article."""
    df = min(df, n_docs)
    return float(np.log((n_docs - df + 0.5) / (df + 0.5) + 1.0))


@dataclass
class _Word:
    """What is known of one query word across the languages it was searched in."""

    known_df: list[tuple[int, int]] = field(default_factory=list)  # (df, docs) where a form of it is indexed
    strong: np.ndarray | None = None  # articles it matches by a form or a synonym
    fuzzy: np.ndarray | None = None  # articles it matches through near spellings
    docs: int = 1  # articles in the largest index it was searched in
    function: bool = False  # a function word (search.words.function_words)

    def weight(self) -> float:
        if not self.known_df:  # unknown to the index: what the query is about, whatever its near spellings
            return 0.0 if self.function else specificity(0, self.docs)
        df, docs = max(self.known_df)  # the language where the word is most common says how common it is
        return specificity(df, docs)


class Evidence:
    """Collects, for one search, which articles (in the language asked for) each query word matches."""

    def __init__(self, positions: list[int], size: int, function=frozenset()) -> None:
        """``positions``: the query's words; ``function``: those that are function words."""
        self.size = size
        self.words = {p: _Word(function=p in function) for p in positions}

    def _or(self, current: np.ndarray | None, matched: np.ndarray) -> np.ndarray:
        return matched.copy() if current is None else current | matched

    def add_word(self, position: int, matched: np.ndarray, known: bool, df: int, n_docs: int) -> None:
        """Word ``position`` matches the articles ``matched`` (one language's index, ``df`` of ``n_docs``)."""
        word = self.words.get(position)
        if word is None:
            return
        word.docs = max(word.docs, n_docs)
        if known:
            word.known_df.append((df, n_docs))
            word.strong = self._or(word.strong, matched)
        else:
            word.fuzzy = self._or(word.fuzzy, matched)

    def add_synonym(self, positions, matched: np.ndarray) -> None:
        """A glossary synonym standing for the words at ``positions`` matches the articles ``matched``."""
        for position in positions:
            word = self.words.get(position)
            if word is not None:
                word.strong = self._or(word.strong, matched)

    def coverage(self) -> np.ndarray:
        """Each article's share of the query's weight (0 to 1)."""
        total = np.zeros(self.size, dtype=np.float64)
        weights = 0.0
        for word in self.words.values():
            weight = word.weight()
            weights += weight
            strong = word.strong if word.strong is not None else np.zeros(self.size, dtype=bool)
            if word.fuzzy is not None:
                total += weight * FUZZY_CREDIT * (word.fuzzy & ~strong)
            total += weight * strong
        return total / weights if weights else np.ones(self.size, dtype=np.float64)

    def _strong(self) -> np.ndarray:
        """Articles matched by something other than near spellings."""
        strong = np.zeros(self.size, dtype=bool)
        for word in self.words.values():
            if word.strong is not None:
                strong |= word.strong
        return strong

    def approximate(self, matched: np.ndarray) -> bool:
        """True when some article is ``matched`` but none is a real match (coverage, and more than near spellings)."""
        if not self.words or not matched.any():  # a query of phrases only: what matched them is real
            return False
        real = matched & self._strong() & (self.coverage() >= MIN_COVERAGE - 1e-9)
        return not real.any()

    def weak(self, scores: np.ndarray) -> np.ndarray:
        """Articles matched only weakly: through one word, and that word ubiquitous (in :data:`UBIQUITOUS` of
        the articles) or a near spelling, when others match more; or scored under :data:`TAIL_SHARE` of the best
        score."""
        words = np.zeros(self.size, dtype=np.int64)
        specific = np.zeros(self.size, dtype=bool)
        for word in self.words.values():
            strong = word.strong if word.strong is not None else np.zeros(self.size, dtype=bool)
            fuzzy = word.fuzzy if word.fuzzy is not None else np.zeros(self.size, dtype=bool)
            words += strong | fuzzy
            if word.known_df and not _ubiquitous(*max(word.known_df)):
                specific |= strong
        matched = scores > 0
        narrow = (words <= 1) & ~specific & matched
        if narrow.sum() == matched.sum():  # nothing stronger to set them apart from
            narrow[:] = False
        top = scores.max() if scores.size else 0.0
        return narrow | (matched & (scores < TAIL_SHARE * top))


def _ubiquitous(df: int, docs: int) -> bool:
    return df >= UBIQUITOUS * docs


def gather(evidence: Evidence, plan, compiled, scorer, carry) -> None:
    """Add one language's compiled words and synonyms to ``evidence``; ``carry`` maps that index's articles to
    the language asked for."""
    docs = max(1, int(np.count_nonzero(scorer.alive)))
    for word, done in zip(plan.words, compiled.words, strict=True):
        matched = done.scores > 0 if done.scores is not None else np.zeros(scorer.size, dtype=bool)
        real = done.known and done.strong  # short stems met halfway count as near spellings
        evidence.add_word(word.position, carry(matched), real, int(np.count_nonzero(matched)), docs)
    for positions, done in zip(compiled.stands_for, compiled.synonyms, strict=True):
        if done.scores is not None:
            evidence.add_synonym(positions, carry(done.scores > 0))


__all__ = ["FUZZY_CREDIT", "MIN_COVERAGE", "TAIL_SHARE", "UBIQUITOUS", "Evidence", "gather", "specificity"]
