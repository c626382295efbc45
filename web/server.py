"""Running the site: waitress for one process, gunicorn for several.

Every worker process opens the same read-only index and follows the
``current`` link, so a rebuild reaches all of them without a restart. The
index is prepared (built if missing or stale) once, before any worker
starts.
"""

from __future__ import annotations

import gc
from pathlib import Path

from kb.loader import load_strict

from .app import create_app
from .library import prepare_index

#: Thresholds of Python's cycle collector in a server process (Python's default: 700, 10, 10). The
#: search caches (readings, terms, snippets) are many long-lived objects, and a full collection walking
#: them paused requests for up to 110 ms; with larger generations, collections are rare and short.
GC_THRESHOLDS = (20_000, 50, 50)


def tune_collector() -> None:
    """Keep what start-up loaded out of collections, and collect cycles less often (see GC_THRESHOLDS)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def serve(settings: dict, workers: int = 1) -> None:
    content_dir, index_dir = Path(settings["KB_CONTENT_DIR"]), Path(settings["KB_INDEX_DIR"])
    prepare_index(load_strict(content_dir), index_dir, content_dir, settings["KB_AUTO_INDEX"])
    if workers <= 1:
        from waitress import serve as waitress_serve

        app = create_app(settings)
        tune_collector()
        waitress_serve(app, host=settings["KB_HOST"], port=settings["KB_PORT"], threads=settings["KB_THREADS"])
        return
    _Gunicorn(settings, workers).run()


def _gunicorn_base():
    from gunicorn.app.base import BaseApplication

    return BaseApplication


class _Gunicorn(_gunicorn_base()):
    """Gunicorn with our settings, each worker building its own app (no state shared across forks)."""

    def __init__(self, settings: dict, workers: int) -> None:
        self.settings = settings
        self.options = {
            "bind": f"{settings['KB_HOST']}:{settings['KB_PORT']}",
            "workers": workers,
            "worker_class": "gthread",
            "threads": settings["KB_THREADS"],
            "accesslog": None,
            "errorlog": "-",
            "loglevel": "warning",
            "timeout": 30,
            "graceful_timeout": 10,
        }
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        app = create_app(self.settings)
        tune_collector()
        return app
