"""The one place that reads Whoosh's internals: postings a block at a time, field lengths a column at a time.

Whoosh-Reloaded offers postings one call per posting (``matcher.id()``,
``matcher.weight()``, ``matcher.next()``) and lengths one call per
document, too slow for scoring every document of a query (see
:mod:`search.scoring`). Its W3 codec stores both in blocks, which are read
here whole through private names:

- ``W3LeafMatcher._i``, ``_read_ids()``, ``_read_weights()``, ``_ids``,
  ``_weights``, ``_next_block()``: a posting list's blocks;
- ``SegmentReader._perdoc`` (a ``W3PerDocReader``), its
  ``_cached_reader(...)``, and the column's ``_fixedlen``, ``_count``,
  ``_dbfile``, ``_basepos``: the one-byte length codes of a field.

Anything else (another codec, a changed class) falls back to Whoosh's
public calls, with the same answers. ``tests/search/test_postings.py``
checks both paths give Whoosh's own answers and that the fast ones are
taken with the Whoosh installed: after a Whoosh upgrade, this module and
its tests are the ones to look at.
"""

from __future__ import annotations

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, W3PerDocReader, _lenfield
from whoosh.matching.wrappers import FilterMatcher
from whoosh.util.numeric import byte_to_length

#: Whoosh's one-byte length code -> the length BM25F reads.
_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


def postings(matcher) -> tuple[list[int], list[float]]:
    """The (document numbers, weights) of a leaf reader's postings, a block at a time when the codec allows.

    Deletions are left to the caller (a filtering wrapper is removed).
    """
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    ids: list[int] = []
    weights: list[float] = []
    if reads_blocks(matcher):
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            ids.extend(matcher._ids)
            weights.extend(matcher._weights)
            matcher._next_block()
    else:
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
    return ids, weights


def reads_blocks(matcher) -> bool:
    """True for Whoosh's own block postings (W3 codec), whose blocks can be read whole."""
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    return type(matcher) is W3LeafMatcher and matcher._i == 0


def field_lengths(leaf, fieldname: str) -> np.ndarray:
    """Every document's length in one field of one segment, as BM25F reads it (absent: 1).

    Whoosh keeps a length as one byte per document (a lossy code): the
    column is read whole and decoded with Whoosh's own table when the
    segment has that layout; otherwise document by document.
    """
    size = leaf.doc_count_all()
    column = _length_column(leaf, fieldname)
    if column is _ABSENT:
        return np.ones(size, dtype=np.float64)
    if column is not None:
        codes = np.zeros(size, dtype=np.uint8)
        codes[: column._count] = np.frombuffer(column._dbfile.get(column._basepos, column._count), dtype=np.uint8)
        return np.where(codes > 0, _LENGTHS[codes], 1.0)
    return np.fromiter((leaf.doc_field_length(d, fieldname, 1) for d in range(size)), dtype=np.float64, count=size)


def reads_lengths_whole(leaf, fieldname: str) -> bool:
    """True when :func:`field_lengths` reads the field's length column whole (not document by document)."""
    return _length_column(leaf, fieldname) is not None


_ABSENT = object()  # the segment has no lengths for the field: every length is 1


def _length_column(leaf, fieldname: str):
    """The field's one-byte length column in a W3 segment, :data:`_ABSENT`, or None (read one by one)."""
    perdoc = getattr(leaf, "_perdoc", None)
    if type(perdoc) is not W3PerDocReader:
        return None
    column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is None:
        return _ABSENT
    if getattr(column, "_fixedlen", None) == 1 and column._count <= leaf.doc_count_all():
        return column
    return None


__all__ = ["field_lengths", "postings", "reads_blocks", "reads_lengths_whole"]
