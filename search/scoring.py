"""Scoring in bulk: Whoosh's BM25F, computed a term at a time with NumPy.

Whoosh scores a query by walking a tree of matchers, several Python calls
per posting; a Hebrew or Arabic word is a dozen readings over several
fields, so a query walks tens of thousands of postings that way. Here each
term's postings are read a block at a time and scored as arrays, and the
query tree (``Or`` of ``DisjunctionMax`` of ``Term``, the shapes
:mod:`search.query` builds) is evaluated as vector sums and maxima over all
documents at once.

A term's scores depend only on the build, so they are kept (least recently
used first out, bounded by postings held) and shared by every thread.
Term scores equal Whoosh's own BM25F, and the tests compare them document
by document. Postings and field lengths are read through
:mod:`search.postings`, the one module that touches Whoosh's internals.
Combining them differs in one place, on purpose: Whoosh's
``DisjunctionMaxMatcher`` takes the larger of its two children's scores
even when they stand on different documents, so a document could score for
a reading it does not contain; here the maximum is taken per document.
"""

from __future__ import annotations

import math

import numpy as np
from whoosh import query as Q
from whoosh.reading import TermNotFound
from whoosh.scoring import BM25F

from .lru import LRU
from .postings import field_lengths, postings

#: Postings whose scores are kept in memory per build (about 12 bytes each).
MAX_CACHED_POSTINGS = 4_000_000
#: Document scores kept for compiled query words, per language of a build (8 bytes each).
MAX_CACHED_SCORES = 4_000_000
#: Most terms kept per language of a build, whatever their postings: a term the index lacks weighs no
#: postings, and distinct queries on a small index would otherwise keep millions of them (about 250
#: bytes each). Each term counts as at least MAX_CACHED_POSTINGS / MAX_CACHED_TERMS postings.
MAX_CACHED_TERMS = 32_768
#: Most things kept by :meth:`BulkScorer.remember` (words, stored fields, snippets), whatever their size.
MAX_REMEMBERED = 4096
_EMPTY = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))
for _array in _EMPTY:
    _array.flags.writeable = False


class UnsupportedQuery(TypeError):
    """A query shape the bulk scorer does not evaluate (use Whoosh's searcher for it)."""


class BulkScorer:
    """Scores terms and simple query trees over one language's index of one build.

    ``searcher`` arguments are the calling thread's own searcher of this
    build (Whoosh readers are not shared between threads); what is computed
    from them is shared.
    """

    def __init__(
        self,
        searcher,
        weighting: BM25F | None = None,
        max_postings: int = MAX_CACHED_POSTINGS,
        lexicon_fields: tuple[str, ...] = (),
    ) -> None:
        weighting = weighting or BM25F()
        self.B, self.K1 = weighting.B, weighting.K1
        reader = searcher.reader()
        self.size = reader.doc_count_all()
        self.alive = np.ones(self.size, dtype=bool)
        self.deletions = reader.has_deletions()
        if self.deletions:
            for docnum in range(self.size):
                if reader.is_deleted(docnum):
                    self.alive[docnum] = False
        self.live = int(np.count_nonzero(self.alive))  # documents not deleted
        self._lengths: dict[str, np.ndarray] = {}
        self._keys: dict[str, np.ndarray] = {}
        for name, field in reader.schema.items():  # read now, not in the middle of someone's search
            if field.scorable:
                self._field_lengths(searcher, name)
        # Small fields' whole term lists, in memory: most terms a query tries are in none of them, and a set
        # answers that faster than a look-up on disk.
        self._lexicons = {
            name: frozenset(term.decode("utf-8") for leaf, _ in reader.leaf_readers() for term in leaf.lexicon(name))
            for name in lexicon_fields
        }
        # A term weighs its postings, and at least a share of the bound: absent terms are kept too.
        least = max(1, max_postings // MAX_CACHED_TERMS)
        self._terms = LRU(max_postings, weight=lambda found: max(least, len(found[0])))
        self._remembered = LRU(max(64, min(MAX_REMEMBERED, MAX_CACHED_SCORES // max(self.size, 1))))

    @property
    def postings_held(self) -> int:
        """Postings the term cache holds now (each absent term counts as a share of the bound)."""
        return self._terms.held

    # -- terms ---------------------------------------------------------------

    def term(self, searcher, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers, BM25F scores) of one term; empty when the index lacks it."""
        return self._terms.get_or_compute((fieldname, text), lambda: self._score_term(searcher, fieldname, text))

    def remember(self, key, compute):
        """``compute()``, kept under ``key`` for this build (callers keep what they store read-only)."""
        return self._remembered.get_or_compute(key, compute)

    def has(self, searcher, fieldname: str, text: str) -> bool:
        """True when the index holds the term (its scores are computed and kept: they are wanted next)."""
        lexicon = self._lexicons.get(fieldname)
        if lexicon is not None and text not in lexicon:
            return False
        return len(self.term(searcher, fieldname, text)[0]) > 0

    def _score_term(self, searcher, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        reader = searcher.reader()
        found = []  # (leaf, offset) of the segments holding the term
        frequency = 0
        for leaf, offset in reader.leaf_readers():
            try:
                frequency += leaf.term_info(fieldname, text).doc_frequency()
            except TermNotFound:
                continue
            found.append((leaf, offset))
        if not frequency:
            return _EMPTY
        ids, weights = [], []
        for leaf, offset in found:
            leaf_ids, leaf_weights = postings(leaf.postings(fieldname, text))
            ids.extend(leaf_ids if not offset else (d + offset for d in leaf_ids))
            weights.extend(leaf_weights)
        docnums = np.fromiter(ids, dtype=np.int64, count=len(ids))
        tf = np.fromiter(weights, dtype=np.float64, count=len(weights))
        if self.deletions:
            keep = self.alive[docnums]
            docnums, tf = docnums[keep], tf[keep]
        idf = math.log(self.size / (frequency + 1)) + 1  # Whoosh's (WeightingModel.idf), from the same counts
        avgfl = searcher.avg_field_length(fieldname) or 1
        lengths = self._field_lengths(searcher, fieldname)[docnums]
        K1, B = self.K1, self.B
        scores = idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * lengths / avgfl)))
        docnums.flags.writeable = scores.flags.writeable = False  # shared by every thread
        return docnums, scores

    def _field_lengths(self, searcher, fieldname: str) -> np.ndarray:
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            parts = [field_lengths(leaf, fieldname) for leaf, _ in searcher.reader().leaf_readers()]
            lengths = np.concatenate(parts) if parts else np.zeros(0)
            self._lengths[fieldname] = lengths
        return lengths

    def matching(self, searcher, query: Q.Query) -> np.ndarray:
        """Whoosh's own scores for any query (phrases), walked with its matcher document by document."""
        out = np.zeros(self.size, dtype=np.float64)
        matcher = query.matcher(searcher, searcher.context())
        while matcher.is_active():
            out[matcher.id()] = matcher.score()
            matcher.next()
        return out

    def keys(self, searcher, fieldname: str = "id") -> np.ndarray:
        """The value of a unique ``ID`` field for every document number ('' where deleted), computed once."""
        cached = self._keys.get(fieldname)
        if cached is None:
            reader = searcher.reader()
            cached = np.full(self.size, "", dtype=object)
            for key in reader.lexicon(fieldname):
                text = key.decode("utf-8")
                for docnum in reader.postings(fieldname, text).all_ids():
                    cached[docnum] = text
            self._keys[fieldname] = cached
        return cached

    # -- queries -------------------------------------------------------------

    def scores(self, searcher, query: Q.Query) -> np.ndarray:
        """The score of every document for ``query`` (0 where it does not match)."""
        out = np.zeros(self.size, dtype=np.float64)
        if isinstance(query, Q.Term):
            ids, scores = self.term(searcher, query.fieldname, query.text)
            out[ids] = scores * query.boost
        elif isinstance(query, Q.DisjunctionMax):
            if query.tiebreak:
                raise UnsupportedQuery("DisjunctionMax with a tiebreak")
            for sub in query.subqueries:
                np.maximum(out, self.scores(searcher, sub), out=out)
            out *= query.boost
        elif isinstance(query, Q.Or) and not query.scale and not query.minmatch:
            for sub in query.subqueries:
                out += self.scores(searcher, sub)
            out *= query.boost
        else:
            raise UnsupportedQuery(f"cannot score {type(query).__name__} in bulk")
        return out
