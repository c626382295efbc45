"""The live build: which build ``current`` points at, what its ``meta.json`` says, and opening it.

Whoosh memory-maps segment files by default. A segment truncated under a
running server (a copy or rsync over the build folder) then kills the
process with SIGBUS the next time a page of it is read. Builds are opened
with ordinary file reads instead (:data:`USE_MMAP`): a damaged file is an
error, reported as :class:`IndexCorrupt`. ``meta.json`` records each file's
size, checked whenever a build is opened.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from whoosh.filedb.filestore import FileStorage
from whoosh.scoring import BM25F

from kb.errors import KBError
from kb.loader import fingerprint
from kb.model import LANGUAGES

from .analysis import ANALYZER_VERSION
from .errors import IndexCorrupt, IndexMissing, IndexStale
from .highlight import RecentTexts
from .lru import LRU
from .scoring import BulkScorer
from .typos import Lexicon

log = logging.getLogger(__name__)

CURRENT = "current"
META = "meta.json"
#: Memory-map segment files (Whoosh's default). Off: see the module's docstring; bench/storage.py measures
#: what it costs.
USE_MMAP = False
#: Instant-search answers kept per build (a few KB each; a query typed is a dozen of them).
SUGGESTIONS_KEPT = 4096


@dataclass(frozen=True)
class BuildInfo:
    """What ``meta.json`` says about a build."""

    path: Path
    analyzer_version: str
    fingerprint: str
    built_at: str
    documents: dict
    hashes: dict
    files: dict = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path) -> BuildInfo:
        try:
            data = json.loads((path / META).read_text(encoding="utf-8"))
            return cls(
                path,
                data["analyzer_version"],
                data["fingerprint"],
                data["built_at"],
                data["documents"],
                data.get("hashes", {}),
                data.get("files", {}),
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise IndexCorrupt(f"index at {path} is unreadable ({exc}); rebuild it with 'kb index'") from None


def file_sizes(build_path: Path) -> dict[str, int]:
    """The size of every file of each language's index in a build (recorded in ``meta.json``)."""
    sizes = {}
    for lang in LANGUAGES:
        for path in sorted((build_path / lang).iterdir()):
            if path.is_file() and not path.name.endswith("LOCK"):
                sizes[f"{lang}/{path.name}"] = path.stat().st_size
    return sizes


def verify_files(info: BuildInfo) -> None:
    """:class:`IndexCorrupt` unless every file ``meta.json`` lists is there, at the size it was built."""
    for name, size in info.files.items():
        try:
            found = os.stat(info.path / name).st_size
        except OSError:
            found = None
        if found != size:
            what = "is missing" if found is None else f"is {found} bytes, built as {size}"
            raise IndexCorrupt(
                f"the search index in {info.path} is damaged ({name} {what}); rebuild it with 'kb index'"
            )


def current_name(root: Path) -> str | None:
    """The name of the build the ``current`` link points at (None: there is no link)."""
    try:
        return os.readlink(Path(root) / CURRENT)
    except OSError:
        return None


def current_build(root: Path) -> Path:
    """The live build's folder, or :class:`IndexMissing`."""
    target = current_name(root)
    if target is None:
        raise IndexMissing(f"no search index in {root}; build it with 'kb index'")
    path = Path(root) / target
    if not path.is_dir():
        raise IndexMissing(f"the search index in {root} points at a missing build; rebuild it with 'kb index'")
    return path


def check_fresh(info: BuildInfo, content_root: Path) -> None:
    """:class:`IndexStale` unless the build matches these analyzers and this content."""
    if info.analyzer_version != ANALYZER_VERSION:
        raise IndexStale(
            f"the search index was built with analyzer version {info.analyzer_version}, this is {ANALYZER_VERSION}; "
            "rebuild it with 'kb index'"
        )
    if info.fingerprint != fingerprint(content_root):
        raise IndexStale("the content changed since the search index was built; rebuild it with 'kb index'")


def open_indexes(build_path: Path, info: BuildInfo | None = None) -> dict:
    """The Whoosh index of each language in a build, its files' sizes checked and each read once."""
    verify_files(info or BuildInfo.read(build_path))
    indexes = {}
    for lang in LANGUAGES:
        try:
            ix = FileStorage(str(build_path / lang), supports_mmap=USE_MMAP).open_index()
            with ix.searcher() as searcher:  # read postings and stored fields: damaged files fail here
                reader = searcher.reader()
                for name in reader.schema.scorable_names():
                    for _ in zip(range(3), reader.lexicon(name), strict=False):
                        pass
                for docnum in range(min(reader.doc_count_all(), 3)):
                    reader.stored_fields(docnum)
        except Exception as exc:  # Whoosh raises many kinds of errors for damaged files
            raise IndexCorrupt(
                f"the search index in {build_path} is damaged ({type(exc).__name__}: {exc}); rebuild it with 'kb index'"
            ) from None
        indexes[lang] = ix
    return indexes


class Build:
    """One opened build: its Whoosh indexes and everything kept for it, dropped whole with it.

    Kept per build, and only here: each thread's searchers (Whoosh's are not
    shared between threads), each language's :class:`BulkScorer` (term scores,
    compiled words, stored fields, snippets), each language's typo
    :class:`Lexicon`, the maps between languages' document numbers, and
    recent results (:attr:`results`, keyed on the query, its options and the
    glossary that expanded it) and instant-search answers
    (:attr:`suggestions`). Nothing of one build can answer for another.
    The article texts kept as read for snippets (:attr:`texts`) are keyed
    on the text itself: a new build takes its predecessor's, less those the
    predecessor no longer showed (:meth:`RecentTexts.retire`).
    """

    def __init__(
        self,
        info: BuildInfo,
        indexes: dict,
        cache_size: int,
        lexicon_fields: tuple = (),
        texts: RecentTexts | None = None,
    ) -> None:
        self.info = info
        #: Article texts kept as read for snippets.
        self.texts = texts if texts is not None else RecentTexts()
        self.path = info.path
        self.indexes = indexes
        #: Recent results of this build: (query, lang, limit, category, glossary) -> SearchResults.
        self.results = LRU(cache_size)
        #: Recent instant-search answers and their words' scores (:mod:`search.suggest`): one per keystroke.
        self.suggestions = LRU(SUGGESTIONS_KEPT if cache_size else 0)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._open: dict[int, dict] = {}  # every thread's searchers, to close them
        self._scorers: dict[str, BulkScorer] = {}
        self._lexicons: dict[str, Lexicon] = {}
        self._carried: dict[tuple[str, str], np.ndarray] = {}
        self._lexicon_fields = lexicon_fields
        self.closed = False

    def searchers(self) -> dict:
        """This thread's searchers of the build, one per language (opened on the thread's first search)."""
        searchers = getattr(self._local, "searchers", None)
        if searchers is None:
            searchers = {lang: ix.searcher(weighting=BM25F()) for lang, ix in self.indexes.items()}
            with self._lock:
                if self.closed:  # released meanwhile: not kept
                    close_all(searchers)
                    raise IndexCorrupt("the search index changed during the search; try again")
                self._open[id(searchers)] = searchers
            self._local.searchers = searchers
        return searchers

    def scorer(self, lang: str) -> BulkScorer:
        """The bulk scorer of one language's index (shared by every thread)."""
        scorer = self._scorers.get(lang)
        if scorer is None:
            made = BulkScorer(self.searchers()[lang], lexicon_fields=self._lexicon_fields)
            with self._lock:
                scorer = self._scorers.setdefault(lang, made)
        return scorer

    def lexicon(self, lang: str) -> Lexicon:
        """One language's term lists for typo walks (filled as fields are walked)."""
        with self._lock:
            return self._lexicons.setdefault(lang, Lexicon())

    def carry(self, source: str, target: str) -> np.ndarray:
        """For each document of ``source``'s index, the same article's document number in ``target``'s (-1: none)."""
        into = self._carried.get((source, target))
        if into is None:
            searchers = self.searchers()
            target_keys = self.scorer(target).keys(searchers[target])
            where = {k: d for d, k in enumerate(target_keys) if k}
            keys = self.scorer(source).keys(searchers[source])
            into = np.fromiter((where.get(k, -1) for k in keys), dtype=np.int64, count=len(keys))
            self._carried[(source, target)] = into
        return into

    def close(self) -> None:
        """Close every thread's searchers and let go of everything kept (the build's files are freed)."""
        with self._lock:
            self.closed = True
            for searchers in self._open.values():
                close_all(searchers)
            self._open.clear()
            self._scorers.clear()
            self._lexicons.clear()
            self._carried.clear()
            self.results = LRU(0)
            self.suggestions = LRU(0)


class Live:
    """Follows the ``current`` link of an index folder: the build it points at, opened, and the one before.

    Freshness against the content is checked when the first build is opened.
    Later, a new build that cannot be opened (damaged, missing) is logged
    once and the build already open goes on serving. When the open build's
    folder is deleted, its files are let go and :meth:`build` fails with the
    way out until a new build comes. The build replaced last stays open (a
    thread may still be answering from it); the one before is closed.
    """

    def __init__(
        self, index_root: Path, content_root: Path | None = None, cache_size: int = 0, lexicon_fields: tuple = ()
    ) -> None:
        self.index_root = Path(index_root)
        self.content_root = content_root
        self.cache_size = cache_size
        self.lexicon_fields = lexicon_fields  # fields whose term lists each build's scorers keep in memory
        self._lock = threading.Lock()
        self._current: Build | None = None
        self._previous: Build | None = None
        self._refused: str | None = None  # a build that could not be opened (logged once)

    def build(self) -> Build:
        """The current build, opened if it is not the one already open."""
        current, name = self._current, current_name(self.index_root)
        if current is not None and name in (current.path.name, self._refused) and current.path.is_dir():
            return current  # the usual case: the build open is still the current one (or one refused)
        with self._lock:
            try:
                path = current_build(self.index_root)
                if self._current is not None and self._current.path == path:
                    return self._current
                info = BuildInfo.read(path)
                if self._current is None and self.content_root is not None:
                    check_fresh(info, self.content_root)
                indexes = open_indexes(path, info)
            except KBError as exc:
                if self._current is not None and self._current.path.is_dir():
                    if name != self._refused:
                        log.warning("keeping the open search index: %s", exc)
                        self._refused = name
                    return self._current
                if self._current is not None:
                    log.warning("the open search index was deleted; its files are closed: %s", exc)
                    self._drop(self._current, self._previous)
                    self._current = self._previous = None
                raise
            replaced = self._current
            self._drop(self._previous)
            texts = None
            if replaced is not None:
                texts = replaced.texts
                texts.retire()  # an edited article's old text, or a deleted one's, is let go now
            self._current, self._previous, self._refused = (
                Build(info, indexes, self.cache_size, self.lexicon_fields, texts),
                replaced,
                None,
            )
            return self._current

    @staticmethod
    def _drop(*builds: Build | None) -> None:
        for build in builds:
            if build is not None:
                build.close()


def close_all(searchers: dict) -> None:
    for searcher in searchers.values():
        try:
            searcher.close()
        except Exception:  # already closed, or its files gone
            log.debug("closing a searcher failed", exc_info=True)
