"""``kb serve --reload``, for authors: content changes are checked and indexed as they are saved, and the
open page refreshes itself, or shows what is wrong, with file and line.

A :class:`Watcher` thread polls the content folder's files (names, sizes and
modification times) twice a second. After a change it loads the content;
when it has errors, they are kept for the page to show and the site goes on
serving the last good content; otherwise the index is updated incrementally
(only the articles that changed) and the new build goes live, which the
running site follows. Pages poll ``/api/reload`` (a small script in
``site.js``, only in this mode) and reload when the version changes.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from flask import Blueprint, current_app, jsonify

from kb.errors import KBError
from kb.loader import load

log = logging.getLogger(__name__)
bp = Blueprint("reload", __name__)
#: How often the content folder is looked at (seconds).
POLL_SECONDS = 0.5


def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    seen = {}
    for path in root.rglob("*"):
        try:
            if path.is_file():
                stat = path.stat()
                seen[str(path)] = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            continue
    return seen


class Watcher:
    """Watches ``content_dir``; :attr:`version` counts the changes served, :attr:`problems` what is wrong now."""

    def __init__(self, content_dir: Path, index_dir: Path) -> None:
        self.content_dir, self.index_dir = Path(content_dir), Path(index_dir)
        self.version = 0
        self.problems: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="kb-reload", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        seen = _snapshot(self.content_dir)
        while not self._stop.wait(POLL_SECONDS):
            now = _snapshot(self.content_dir)
            if now != seen:
                seen = now
                self.check_and_index()

    def check_and_index(self) -> None:
        """Load the content; index it when it has no errors; remember what is wrong."""
        from search.index import update

        try:
            kb = load(self.content_dir)
        except KBError as exc:
            self.problems, self.version = [str(exc)], self.version + 1
            return
        problems = [str(p) for p in sorted(kb.problems, key=lambda p: (str(p.path), p.line or 0))]
        if kb.errors:
            log.warning(
                "content has %d error(s); serving the last good content:\n%s", len(kb.errors), "\n".join(problems)
            )
            self.problems, self.version = problems, self.version + 1
            return
        started = time.perf_counter()
        try:
            info = update(kb, self.index_dir, self.content_dir)
        except KBError as exc:
            self.problems, self.version = [f"indexing failed: {exc}"], self.version + 1
            return
        log.warning("content changed: indexed in %.2f s (%s)", time.perf_counter() - started, info.path.name)
        self.problems, self.version = problems, self.version + 1


@bp.get("/api/reload")
def status():
    watcher: Watcher = current_app.extensions["reload"]
    return jsonify(version=watcher.version, problems=watcher.problems)


def setup(app) -> None:
    watcher = Watcher(app.config["KB_CONTENT_DIR"], app.config["KB_INDEX_DIR"])
    app.extensions["reload"] = watcher
    app.register_blueprint(bp)
    watcher.start()
