"""Settings: each declared once, with its default and help text.

A setting is read from the environment (``KB_CONTENT_DIR=...``); the CLI's
options and the web app's ``test_config`` override it. The README's table
of settings is checked against :data:`SETTINGS` by the test suite.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from .errors import ConfigError


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str

    def parse(self, raw: str):
        """The value of ``raw`` in the type of the default, or :class:`ConfigError`."""
        if isinstance(self.default, bool):
            lowered = raw.strip().lower()
            if lowered in ("1", "true", "yes", "on"):
                return True
            if lowered in ("0", "false", "no", "off", ""):
                return False
            raise ConfigError(f"{self.name} must be true or false, got {raw!r}")
        if isinstance(self.default, int):
            try:
                return int(raw)
            except ValueError:
                raise ConfigError(f"{self.name} must be a whole number, got {raw!r}") from None
        return raw


SETTINGS: tuple[Setting, ...] = (
    Setting("KB_CONTENT_DIR", "content", "Folder of the content tree (articles, categories, paths, glossary)."),
    Setting("KB_INDEX_DIR", "var/index", "Folder where the search index lives; rebuilt by 'kb index'."),
    Setting("KB_HOST", "127.0.0.1", "Address 'kb serve' listens on."),
    Setting("KB_PORT", 8000, "Port 'kb serve' listens on."),
    Setting(
        "KB_THREADS",
        3,
        "Request threads per server process (Python runs one at a time: more threads make each request wait longer).",
    ),
    Setting("KB_WORKERS", 1, "Server processes; above 1, 'kb serve' runs gunicorn with that many workers."),
    Setting(
        "KB_AUTO_INDEX", True, "Build the index at start-up when it is missing or stale, instead of refusing to start."
    ),
)
SETTINGS_BY_NAME = {s.name: s for s in SETTINGS}


def defaults() -> dict:
    return {s.name: s.default for s in SETTINGS}


def from_environ(environ: Mapping[str, str] | None = None) -> dict:
    """Defaults overridden by ``KB_*`` environment variables."""
    environ = os.environ if environ is None else environ
    values = defaults()
    for setting in SETTINGS:
        if setting.name in environ:
            values[setting.name] = setting.parse(environ[setting.name])
    return values
