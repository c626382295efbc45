"""Settings: each declared once, with its default and help text.

A setting is read from the environment (``KB_CONTENT_DIR=...``); the CLI's
options and the web app's ``test_config`` override it. The README's table
of settings is checked against :data:`SETTINGS` by the test suite.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from .errors import ConfigError


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str
    #: For whole numbers: the smallest and largest value allowed.
    low: int | None = None
    high: int | None = None
    #: For text: a function that returns the value in its normal form or raises :class:`ConfigError`.
    form: Callable[[str], str] | None = None

    def parse(self, raw: str):
        """The value of ``raw`` in the type of the default, or :class:`ConfigError`."""
        return self.check(self._convert(raw))

    def check(self, value):
        """``value`` if it is in range (for whole numbers) and well-formed, else :class:`ConfigError`."""
        if isinstance(self.default, int) and not isinstance(self.default, bool):
            if isinstance(value, bool) or not isinstance(value, int):
                raise ConfigError(f"{self.name} must be a whole number, got {value!r}")
            if (self.low is not None and value < self.low) or (self.high is not None and value > self.high):
                raise ConfigError(f"{self.name} must be from {self.low} to {self.high}, got {value}")
        if self.form is not None and value:
            return self.form(value)
        return value

    def _convert(self, raw: str):
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
    Setting("KB_PORT", 8000, "Port 'kb serve' listens on.", 1, 65535),
    Setting(
        "KB_THREADS",
        3,
        "Request threads per server process (Python runs one at a time: more threads make each request wait longer).",
        1,
        64,
    ),
    Setting("KB_WORKERS", 1, "Server processes; above 1, 'kb serve' runs gunicorn with that many workers.", 1, 64),
    Setting(
        "KB_AUTO_INDEX", True, "Build the index at start-up when it is missing or stale, instead of refusing to start."
    ),
    Setting(
        "KB_BASE_URL",
        "",
        "The site's public address (https://kb.example.com) for absolute links (copy link, sitemap); "
        "empty: the address each request came to.",
        form=lambda value: _base_url(value),
    ),
    Setting(
        "KB_DATABASE_URL",
        "sqlite:///var/records.db",
        "Where searches, clicks and votes are recorded: a SQLite file (created on first use) or "
        "postgresql://user:password@host/database, shared by several app servers.",
        form=lambda value: _database_url(value),
    ),
    Setting("KB_RECORDING", True, "Record searches, result clicks and article votes for the content team."),
    Setting("KB_RETENTION_DAYS", 180, "Records older than this many days are deleted by 'kb db prune'.", 1, 3650),
    Setting(
        "KB_FEEDBACK_PER_MINUTE",
        10,
        "Votes accepted per minute from one client address (counted in memory, never stored).",
        1,
        1_000_000,
    ),
    Setting(
        "KB_RELOAD",
        False,
        "For authors ('kb serve --reload'): check and re-index content as it is saved; open pages refresh themselves.",
    ),
    Setting(
        "KB_INSIGHTS_TOKEN",
        "",
        "The token that opens /insights (sent as a header or through its login form); empty: /insights is closed.",
    ),
)
SETTINGS_BY_NAME = {s.name: s for s in SETTINGS}


def _base_url(value: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ConfigError(f"KB_BASE_URL must be an http(s) address such as https://kb.example.com, got {value!r}")
    return value.strip().rstrip("/")


def _database_url(value: str) -> str:
    value = value.strip()
    scheme = value.split(":", 1)[0].lower()
    if not value.startswith(("sqlite:///", f"{scheme}://")) or scheme not in DATABASE_SCHEMES:
        raise ConfigError(
            "KB_DATABASE_URL must be sqlite:///path/to/file.db or postgresql://user@host/database, "
            f"got {value!r}"
        )
    if scheme == "sqlite" and value.split("?", 1)[0] in ("sqlite://", "sqlite:///", "sqlite:///:memory:"):
        raise ConfigError(f"KB_DATABASE_URL must name a SQLite file (sqlite:///var/records.db), got {value!r}")
    return value


#: Database addresses KB_DATABASE_URL accepts (PostgreSQL is reached through psycopg 3).
DATABASE_SCHEMES = ("sqlite", "postgresql", "postgres", "postgresql+psycopg")


def checked(values: Mapping) -> dict:
    """``values`` with every known setting checked (ranges, forms); :class:`ConfigError` on the first bad one."""
    result = dict(values)
    for name, value in values.items():
        if name in SETTINGS_BY_NAME:
            result[name] = SETTINGS_BY_NAME[name].check(value)
    return result


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
