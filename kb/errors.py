"""Exceptions raised by the knowledge base core.

Every error a user can cause is a :class:`KBError`; the CLI and the web layer
translate them into messages and exit codes at their boundary, so no
traceback ever reaches a user.
"""

from __future__ import annotations


class KBError(Exception):
    """Base class of every error the product reports to a user."""


class ConfigError(KBError):
    """Raised when a setting has a value that cannot be used (a bad number, a missing content folder)."""


class ContentErrors(KBError):
    """Raised by :func:`kb.loader.load_strict` when content has errors (or, strict, warnings).

    Holds every problem found, so that authors fix them all in one pass.
    """

    def __init__(self, problems: list) -> None:
        self.problems = list(problems)
        count = sum(1 for p in self.problems if p.severity == "error")
        super().__init__(f"content has {count} error(s); run 'kb check' for the list")
