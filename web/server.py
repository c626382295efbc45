"""Running the site: waitress for one process, gunicorn for several.

Every worker process opens the same read-only index and follows the
``current`` link, so a rebuild reaches all of them without a restart. The
index is prepared (built if missing or stale) once, before any worker
starts.
"""

from __future__ import annotations

from pathlib import Path

from kb.loader import load_strict

from .app import create_app
from .library import prepare_index


def serve(settings: dict, workers: int = 1) -> None:
    content_dir, index_dir = Path(settings["KB_CONTENT_DIR"]), Path(settings["KB_INDEX_DIR"])
    prepare_index(load_strict(content_dir), index_dir, content_dir, settings["KB_AUTO_INDEX"])
    if workers <= 1:
        from waitress import serve as waitress_serve

        waitress_serve(
            create_app(settings), host=settings["KB_HOST"], port=settings["KB_PORT"], threads=settings["KB_THREADS"]
        )
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
        return create_app(self.settings)
