"""The ``kb`` command: a thin layer over the core.

Each command parses its options, calls one core function and turns core
errors (:class:`kb.errors.KBError`) into a message and an exit code. The
search and web layers are imported inside the commands that need them, so
``kb check`` works on content alone.
"""

from __future__ import annotations

import functools
import html
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


index_option = click.option(
    "--index", "index_dir", type=click.Path(file_okay=False, path_type=Path), help="Index folder (KB_INDEX_DIR)."
)


@main.command()
@content_option
@index_option
@click.option("--incremental", is_flag=True, help="Start from the live index; re-index only changed articles.")
def index(content_dir, index_dir, incremental):
    """Build the search index beside the live one and swap it in when complete."""
    from search.index import build, update

    from .loader import load_strict

    settings = _settings(KB_CONTENT_DIR=content_dir, KB_INDEX_DIR=index_dir)
    kb = load_strict(Path(settings["KB_CONTENT_DIR"]))
    publish = update if incremental else build
    info = publish(kb, Path(settings["KB_INDEX_DIR"]), Path(settings["KB_CONTENT_DIR"]), progress=_progress_bar)
    counts = ", ".join(f"{lang} {n}" for lang, n in info.documents.items())
    click.echo(f"indexed {counts} articles into {info.path}")


#: Seconds a build runs before its progress bar shows (short builds stay quiet).
PROGRESS_DELAY = 1.0


def _progress_bar(lang: str, total: int):
    """A bar per language on a terminal (articles per second, time left), shown once a build takes a
    while; nothing when stderr is not a terminal."""
    from tqdm import tqdm

    return tqdm(total=total, desc=f"indexing {lang}", unit=" articles", disable=None, delay=PROGRESS_DELAY, leave=False)


def _visual_default() -> bool:
    return sys.stdout.isatty()


@main.command()
@click.argument("query")
@lang_option
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 50), help="Number of results.")
@click.option("--category", default=None, help="Only this category.")
@click.option("--json", "as_json", is_flag=True, help="JSON output, in logical order.")
@click.option(
    "--bidi/--no-bidi", default=None, help="Visual order for terminals without bidi (default: on a terminal)."
)
@content_option
@index_option
def search(query, lang, limit, category, as_json, bidi, content_dir, index_dir):
    """Search the knowledge base, as /api/search does."""
    import re

    from search.query import open_live

    from .loader import load_strict
    from .terminal import shown

    settings = _settings(KB_CONTENT_DIR=content_dir, KB_INDEX_DIR=index_dir)
    kb = load_strict(Path(settings["KB_CONTENT_DIR"]))
    if category is not None and kb.category(category) is None:
        _fail(f"unknown category '{category}'; use one of {', '.join(c.id for c in kb.categories)}")
    engine = open_live(Path(settings["KB_INDEX_DIR"]), kb, Path(settings["KB_CONTENT_DIR"]))
    results = engine.search(query, lang, limit=limit, category=category)
    if as_json:
        _dump(results.to_json())
        return
    visual = _visual_default() if bidi is None else bidi
    click.echo(f"{results.total} result(s)")
    for rank, hit in enumerate(results.hits, start=1):
        text = re.sub(r"</?mark>", "*", hit.snippet)
        click.echo(f"{rank:>2}. {shown(hit.title, visual)}  [{hit.id}, {hit.score:.2f}]")
        click.echo(f"    {shown(html.unescape(text), visual)}")
    if results.suggestion:
        click.echo(f"did you mean: {shown(results.suggestion, visual)}")


@main.command()
@click.argument("text")
@lang_option
@click.option("--json", "as_json", is_flag=True, help="JSON output, in logical order.")
@click.option(
    "--bidi/--no-bidi", default=None, help="Visual order for terminals without bidi (default: on a terminal)."
)
def analyze(text, lang, as_json, bidi):
    """Show every term TEXT is indexed and searched under, as /api/analyze does."""
    from search.analysis import analyze as run

    from .terminal import shown

    tokens = run(text, lang)
    if as_json:
        _dump({"tokens": [{"term": t.term, "start": t.start, "end": t.end, "position": t.position} for t in tokens]})
        return
    visual = _visual_default() if bidi is None else bidi
    for t in tokens:
        click.echo(f"{t.position:>3} {t.start:>4}-{t.end:<4} {t.kind:<7} {shown(t.term, visual)}")


@main.command()
@click.option("--host", default=None, help="Address to listen on (KB_HOST).")
@click.option("--port", default=None, type=click.IntRange(1, 65535), help="Port (KB_PORT).")
@click.option("--workers", default=None, type=click.IntRange(1, 64), help="Server processes (KB_WORKERS).")
@content_option
@index_option
def serve(host, port, workers, content_dir, index_dir):
    """Serve the site and API (waitress; gunicorn when --workers is above 1).

    Builds the index first if it is missing or stale (unless KB_AUTO_INDEX is false).
    """
    from web.server import serve as run

    settings = config.checked(
        _settings(KB_HOST=host, KB_PORT=port, KB_WORKERS=workers, KB_CONTENT_DIR=content_dir, KB_INDEX_DIR=index_dir)
    )
    run(settings, workers=settings["KB_WORKERS"], on_ready=lambda url: click.echo(f"serving on {url}", err=True))


def _with_reload(command: click.Command) -> None:
    """``kb serve --reload``: the option sets KB_RELOAD for the server it starts, and serves one process."""
    serve_callback = command.callback

    def callback(reload, **options):
        if reload:
            import os

            os.environ["KB_RELOAD"] = "true"
            options["workers"] = 1
        return serve_callback(**options)

    command.params.append(
        click.Option(
            ["--reload"],
            is_flag=True,
            help="For authors: check and re-index content as it is saved; open pages refresh themselves (KB_RELOAD).",
        )
    )
    command.callback = functools.update_wrapper(callback, serve_callback)


_with_reload(serve)


@main.group()
def db():
    """The records database (KB_DATABASE_URL): schema migrations and pruning."""


def _engine(url: str | None):
    from web.records.store import describe, open_engine

    address = config.checked(_settings(KB_DATABASE_URL=url))["KB_DATABASE_URL"]
    return open_engine(address), describe(address)


database_option = click.option("--database", "url", default=None, help="Database address (KB_DATABASE_URL).")


@db.command("upgrade")
@database_option
def db_upgrade(url):
    """Create the tables, or migrate them to this version's schema."""
    from sqlalchemy.exc import SQLAlchemyError

    from web.records import store

    engine, where = _engine(url)
    try:
        before = store.current_revision(engine)
        store.upgrade(engine)
        after = store.current_revision(engine)
    except SQLAlchemyError as exc:
        _fail(f"records database {where}: {store.reason(exc)}")
    click.echo(f"records database {where}: revision {before or 'none'} -> {after}")


@db.command("status")
@database_option
def db_status(url):
    """Show the database's schema revision and whether it is current (exit 1 if not)."""
    from sqlalchemy.exc import SQLAlchemyError

    from web.records import store

    engine, where = _engine(url)
    try:
        current = store.current_revision(engine)
    except SQLAlchemyError as exc:
        _fail(f"records database {where}: {store.reason(exc)}")
    head = store.head_revision()
    state = "current" if current == head else "out of date: run 'kb db upgrade'"
    click.echo(f"records database {where}: revision {current or 'none'} (this version needs {head}), {state}")
    if current != head:
        sys.exit(1)


@db.command("prune")
@database_option
@click.option("--days", default=None, type=click.IntRange(1, 3650), help="Keep this many days (KB_RETENTION_DAYS).")
def db_prune(url, days):
    """Delete searches, clicks and votes older than the retention period."""
    from sqlalchemy.exc import SQLAlchemyError

    from web.records import store

    engine, where = _engine(url)
    days = days or config.checked(_settings())["KB_RETENTION_DAYS"]
    store.prepare(engine)
    try:
        deleted = store.prune(engine, days)
    except SQLAlchemyError as exc:
        _fail(f"records database {where}: {store.reason(exc)}")
    counts = ", ".join(f"{n} {table}" for table, n in deleted.items())
    click.echo(f"deleted records older than {days} day(s): {counts}")


@main.command()
@click.option("--days", default=30, show_default=True, type=click.IntRange(1, 3650), help="The last N days.")
@click.option("--lang", "lang", type=click.Choice(LANGUAGES), default=None, help="Only this language.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object, in logical order.")
@click.option(
    "--bidi/--no-bidi", default=None, help="Visual order for terminals without bidi (default: on a terminal)."
)
@database_option
def insights(days, lang, as_json, bidi, url):
    """What readers searched for and found (or not), and how they voted, per language."""
    from web.records import store
    from web.records.insights import gather, text_report

    from .terminal import shown

    engine, _ = _engine(url)
    store.prepare(engine)
    figures = gather(engine, days, lang)
    if as_json:
        _dump(figures.as_json())
        return
    visual = _visual_default() if bidi is None else bidi
    for line in text_report(figures, lambda text: shown(text, visual)):
        click.echo(line)


@main.command()
@click.argument("article_id")
@click.option("--category", required=True, help="The category id (content/categories.yaml).")
@content_option
def new(article_id, category, content_dir):
    """Create ARTICLE_ID in every language from the template, and say what to fill in."""
    from .authoring import new_article
    from .loader import load

    root = Path(_settings(KB_CONTENT_DIR=content_dir)["KB_CONTENT_DIR"])
    for path in new_article(root, load(root), article_id, category):
        click.echo(f"created {path}")
    click.echo(
        "fill in, in each language: title, summary, related (at least two ids), sources, keywords, and every "
        "section marked TODO; 'kb check' lists what is still to fill in. Once a translation is done, "
        f"record its source version: kb translated he/{article_id} (and ar/{article_id})"
    )


@main.command()
@click.argument("targets", nargs=-1, required=True)
@click.option(
    "--from", "source_lang", type=click.Choice(LANGUAGES), default="en", show_default=True, help="The source language."
)
@content_option
def translated(targets, source_lang, content_dir):
    """Record that each TARGET (<lang>/<id>) is translated from the source's current version."""
    from .authoring import mark_translated

    root = Path(_settings(KB_CONTENT_DIR=content_dir)["KB_CONTENT_DIR"])
    for target in targets:
        path, marker = mark_translated(root, target, source_lang)
        click.echo(f"{path}: translated_from: {marker}")


if __name__ == "__main__":
    main()
