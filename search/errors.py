"""Errors of the search layer; all are :class:`kb.errors.KBError`, so the CLI and web report them plainly."""

from __future__ import annotations

from kb.errors import KBError


class IndexMissing(KBError):
    """Raised by :func:`search.index.open_index` when no index has been built."""


class IndexStale(KBError):
    """Raised by :func:`search.index.open_index` when the index was built from other content or analyzers."""


class IndexCorrupt(KBError):
    """Raised when the index files cannot be read."""


class BadQuery(KBError):
    """Raised by :mod:`search.query` for a parameter it cannot use (the web layer answers 400)."""


class IndexUnwritable(KBError):
    """Raised by :func:`search.index.build` when the index folder cannot be written (full disk, read-only,
    no permission, or a file where a folder should be); the live index is left as it was."""
