"""The ``kb`` command: a thin layer over the core.

Each command parses its options, calls one core function and turns core
errors (:class:`kb.errors.KBError`) into a message and an exit code. The
search and web layers are imported inside the commands that need them, so
``kb check`` works on content alone.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import config
from .errors import KBError
from .model import LANGUAGES


def _settings(**overrides) -> dict:
    values = config.from_environ()
    values.update({k: v for k, v in overrides.items() if v is not None})
    return values


def _fail(message: str, code: int = 2):
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


class _Group(click.Group):
    """Turns any core error escaping a command into a one-line message."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KBError as exc:
            _fail(str(exc))


@click.group(cls=_Group)
@click.version_option(package_name="crm-failure-kb")
def main():
    """Knowledge base of CRM failure causes, in Hebrew, Arabic and English."""


content_option = click.option(
    "--content",
    "content_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Content folder (KB_CONTENT_DIR).",
)
lang_option = click.option("--lang", "lang", type=click.Choice(LANGUAGES), required=True, help="Language.")


@main.command()
@content_option
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def check(content_dir, strict):
    """Check every article and data file; list each problem as path:line: message."""
    from .loader import load

    settings = _settings(KB_CONTENT_DIR=content_dir)
    kb = load(Path(settings["KB_CONTENT_DIR"]))
    for problem in sorted(kb.problems, key=lambda p: (str(p.path), p.line or 0)):
        click.echo(str(problem))
    errors, warnings = len(kb.errors), len(kb.warnings)
    files = len(kb.articles)
    click.echo(f"{files} articles, {errors} error(s), {warnings} warning(s)", err=True)
    if errors or (strict and warnings):
        sys.exit(1)


def _dump(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))
