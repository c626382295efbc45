"""Exceptions raised by the knowledge base core.

Every error a user can cause is a :class:`KBError`; the CLI and the web layer
translate them into messages and exit codes at their boundary, so no
traceback ever reaches a user.
"""

from __future__ import annotations

from pathlib import Path


class KBError(Exception):
    """Base class of every error the product reports to a user."""


class ConfigError(KBError):
    """Raised by :mod:`kb.config` when a setting has a value it cannot use."""


class ContentError(KBError):
    """Raised by :mod:`kb.loader` for a problem in one content file.

    Carries the file and the 1-based line so that the message reads like a
    compiler's: ``content/he/x.md:3: unknown field 'titel'``.
    """

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.path = Path(path)
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        return f"{where}: {self.message}"


class ContentErrors(KBError):
    """Raised by :func:`kb.loader.load` when content has errors.

    Holds every problem found, so that authors fix them all in one pass.
    """

    def __init__(self, problems: list) -> None:
        self.problems = list(problems)
        count = sum(1 for p in self.problems if p.severity == "error")
        super().__init__(f"content has {count} error(s); run 'kb check' for the list")
