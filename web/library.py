"""What a running site serves: the content and the search engine, kept in step with the live index.

``kb index`` swaps a new build in while the site runs. On the next request
each worker's engine opens the new build, and the content (pages,
categories, paths, glossary) is reloaded with it, so pages and search never
disagree for long. Content that fails to load is logged and the previous
content goes on serving.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from kb.errors import KBError
from kb.loader import load_strict
from kb.model import KnowledgeBase
from search.glossary import Glossary
from search.index import BuildInfo, build, check_fresh, current_build, open_indexes
from search.query import SearchEngine

log = logging.getLogger(__name__)


def prepare_index(kb: KnowledgeBase, index_dir: Path, content_dir: Path, auto_index: bool) -> None:
    """Make sure a fresh index exists: build it when allowed, else raise a clear error."""
    try:
        build_path = current_build(index_dir)
        check_fresh(BuildInfo.read(build_path), content_dir)
        open_indexes(build_path)
    except KBError:
        if not auto_index:
            raise
        build(kb, index_dir, content_dir)


class Library:
    def __init__(self, content_dir: Path, index_dir: Path, auto_index: bool) -> None:
        self.content_dir = Path(content_dir)
        self._kb = load_strict(self.content_dir)
        prepare_index(self._kb, Path(index_dir), self.content_dir, auto_index)
        self.engine = SearchEngine(Path(index_dir), Glossary(self._kb.glossary), self.content_dir)
        self._synced = self.engine.refresh().path
        self._lock = threading.Lock()

    @property
    def kb(self) -> KnowledgeBase:
        info = self.engine.refresh()
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
            self.engine.glossary = Glossary(kb.glossary)
        self._synced = info.path

    def search(self, *args, **kwargs):
        self.kb  # noqa: B018 - follow a new build before searching it
        return self.engine.search(*args, **kwargs)
