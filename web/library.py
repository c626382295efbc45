"""What a running site serves: the content and the search engine, kept in step with the live index.

``kb index`` swaps a new build in while the site runs. On the next request
each worker's engine opens the new build, and the content (pages,
categories, paths, glossary) is reloaded with it, so pages and search never
disagree for long. Content that fails to load is logged and the previous
content goes on serving.

Only the process that prepares the index (``kb serve``, before any worker
starts) builds it or refuses to start. Its own :class:`Library` (one process)
takes what was prepared as it is, without loading or checking again. A worker
forked from it starts from the content the index was prepared with and
follows the live index: content changed since (an editor at work) is logged
once as a stale index, never a reason to stop.
"""

from __future__ import annotations

import gc
import logging
import os
import threading
from pathlib import Path

from kb.errors import KBError
from kb.loader import load_strict
from kb.model import KnowledgeBase
from search.errors import IndexUnwritable
from search.glossary import Glossary
from search.index import BuildInfo, build, check_fresh, current_build, open_indexes
from search.query import open_live
from search.suggest import warm

log = logging.getLogger(__name__)

#: Index folders prepared in this process: (its id, the content prepared from, the build then current,
#: whether it was fresh). Inherited by forked workers, which tell from the id that they are not the
#: preparing process; the preparing process's first :class:`Library` takes its entry.
_PREPARED: dict[Path, tuple[int, KnowledgeBase, Path, bool]] = {}


def prepare_index(kb: KnowledgeBase, index_dir: Path, content_dir: Path, auto_index: bool) -> bool:
    """Make sure a usable index exists: build it when allowed, else raise a clear error.

    True when the index is fresh. False when it is stale but could not be rebuilt because the index
    folder cannot be written (a full or read-only disk): the intact build is served, with a warning.
    """
    fresh = True
    try:
        build_path = current_build(index_dir)
        info = BuildInfo.read(build_path)
        check_fresh(info, content_dir)
        open_indexes(build_path, info)
    except KBError:
        if not auto_index:
            raise
        try:
            build_path = build(kb, index_dir, content_dir).path
        except IndexUnwritable as exc:
            build_path = _intact_build(index_dir)
            if build_path is None:
                raise
            log.warning("serving the search index as it is, possibly out of date: %s", exc)
            fresh = False
    _PREPARED[Path(index_dir).resolve()] = (os.getpid(), kb, build_path, fresh)
    return fresh


def _intact_build(index_dir: Path) -> Path | None:
    """The live build if it opens (stale or not), else None."""
    try:
        build_path = current_build(index_dir)
        open_indexes(build_path, BuildInfo.read(build_path))
    except KBError:
        return None
    return build_path


class Library:
    def __init__(self, content_dir: Path, index_dir: Path, auto_index: bool) -> None:
        self.content_dir = Path(content_dir)
        key = Path(index_dir).resolve()
        prepared = _PREPARED.get(key)
        if prepared is not None and prepared[0] != os.getpid():
            # A worker: the index was prepared before it was forked.
            _, self._kb, self._synced, _ = prepared
            self.engine = open_live(Path(index_dir), self._kb)
            self._warn_if_stale(self.engine.refresh())
        elif prepared is not None:
            # The process that prepared it (kb serve, one process): content loaded and index checked once.
            _, self._kb, self._synced, _ = _PREPARED.pop(key)
            self.engine = open_live(Path(index_dir), self._kb)
        else:
            self._kb = load_strict(self.content_dir)
            fresh = prepare_index(self._kb, Path(index_dir), self.content_dir, auto_index)
            self.engine = open_live(Path(index_dir), self._kb, self.content_dir if fresh else None)
            self._synced = self.engine.refresh().path
        self._lock = threading.Lock()
        warm(self.engine, self._kb)  # before the first request: the first keystrokes do not wait for it

    def _warn_if_stale(self, info: BuildInfo) -> None:
        try:
            check_fresh(info, self.content_dir)
        except KBError as exc:
            log.warning("serving the last good build (%s): %s", info.path.name, exc)

    @property
    def kb(self) -> KnowledgeBase:
        try:
            info = self.engine.refresh()
        except KBError:  # no index open (its build deleted): searches report it, pages go on
            return self._kb
        if info.path != self._synced:
            with self._lock:
                if info.path != self._synced:
                    self._reload(info)
        return self._kb

    def _reload(self, info: BuildInfo) -> None:
        try:
            kb = load_strict(self.content_dir)
        except KBError as exc:
            log.warning("keeping the previous content: %s", exc)
        else:
            self._kb = kb
            # Searches already under way finish with the glossary they read; their results are kept under it.
            self.engine.glossary = Glossary(kb.glossary)
        self._synced = info.path
        # The new build's read-ahead runs beside the requests (about half a second on the real content).
        threading.Thread(target=warm, args=(self.engine, self._kb), name="kb-warm", daemon=True).start()
        # What an older build left (Whoosh's readers and searchers, their caches, the previous content) is
        # held in reference cycles, and a server collects cycles rarely (web/server.py, GC_THRESHOLDS):
        # collect once per new build, or each rebuild's leftovers would wait, growing the process.
        gc.collect()

    def search(self, *args, **kwargs):
        self.kb  # noqa: B018 - follow a new build before searching it
        return self.engine.search(*args, **kwargs)
