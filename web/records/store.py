"""The records database: its address, tables, schema migrations (Alembic) and pruning.

``KB_DATABASE_URL`` is ``sqlite:///var/records.db`` by default (a file
created on first use, in WAL mode, so readers never block the writer) or a
``postgresql://`` address, where several app servers write to one database.
The tables are declared once here (SQLAlchemy Core); the migrations in
``migrations/versions`` create and change them, and ``kb db upgrade`` runs
them. A test checks that the two agree.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    make_url,
)
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from kb.errors import ConfigError, KBError

MIGRATIONS = Path(__file__).parent / "migrations"
#: Longest stored query and comment (characters).
QUERY_CHARS = 200
COMMENT_CHARS = 500
#: How long a SQLite writer waits for another writer's lock before giving up (seconds).
SQLITE_BUSY_SECONDS = 5
#: How long connecting to PostgreSQL may take before the attempt fails (seconds).
CONNECT_SECONDS = 3

metadata = MetaData()
#: Alembic keeps its migration context in module globals: one migration at a time in a process.
_MIGRATING = threading.Lock()

searches = Table(
    "searches",
    metadata,
    Column("id", String(16), primary_key=True, comment="random id, carried by result links as ?from="),
    Column("at", DateTime, nullable=False, index=True, comment="UTC"),
    Column("query", String(QUERY_CHARS), nullable=False, comment="normalized query text"),
    Column("lang", String(2), nullable=False),
    Column("category", String(100), nullable=True),
    Column("results", Integer, nullable=False),
    Column("approximate", Boolean, nullable=True),
    Column("shown", Text, nullable=False, comment="ids of the results shown, space-separated"),
)

clicks = Table(
    "clicks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False, index=True, comment="UTC"),
    Column("search_id", String(16), nullable=False, index=True),
    Column("article_id", String(100), nullable=False),
    Column("lang", String(2), nullable=False, comment="the language of the article opened"),
)

votes = Table(
    "votes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False, index=True, comment="UTC"),
    Column("article_id", String(100), nullable=False),
    Column("lang", String(2), nullable=False),
    Column("helpful", Boolean, nullable=False),
    Column("comment", String(COMMENT_CHARS), nullable=True),
)

TABLES = {"search": searches, "click": clicks, "vote": votes}


class DatabaseError(KBError):
    """Raised when the records database cannot be reached, read or written, or its schema is not current."""


def now() -> dt.datetime:
    """The current time in UTC, without a zone (how every ``at`` column stores it)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def parse_url(value: str) -> URL:
    """``KB_DATABASE_URL`` as SQLAlchemy's URL (PostgreSQL through psycopg 3), or :class:`ConfigError`."""
    try:
        url = make_url(value.strip())
    except ArgumentError:
        url = None
    if url is not None and url.drivername in ("postgres", "postgresql"):
        url = url.set(drivername="postgresql+psycopg")
    if url is None or url.get_backend_name() not in ("sqlite", "postgresql"):
        raise ConfigError(
            f"KB_DATABASE_URL must be sqlite:///path/to/file.db or postgresql://user@host/database, got {value!r}"
        )
    if url.get_backend_name() == "sqlite" and (not url.database or url.database == ":memory:"):
        raise ConfigError(f"KB_DATABASE_URL must name a SQLite file (sqlite:///var/records.db), got {value!r}")
    return url


def describe(value: str) -> str:
    """The address without its password, for messages."""
    return parse_url(value).render_as_string(hide_password=True)


def open_engine(value: str) -> Engine:
    """An engine for ``KB_DATABASE_URL``; a SQLite file's folder is created, and every connection uses WAL."""
    url = parse_url(value)
    if url.get_backend_name() == "sqlite":
        if not url.query.get("uri"):
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        # A connection per use: a file deleted or replaced while the site runs is created again, not
        # written through a stale handle.
        engine = create_engine(url, poolclass=NullPool, connect_args={"timeout": SQLITE_BUSY_SECONDS})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=2,
        max_overflow=2,
        connect_args={"connect_timeout": CONNECT_SECONDS, "application_name": "kb"},
    )


def _sqlite_pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    except Exception:  # a read-only database keeps its journal mode; writing then fails with a clear error
        pass
    finally:
        cursor.close()


def _alembic_config(connection):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config(None)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with _MIGRATING, engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the migrations up to ``revision`` (all of them by default), in one transaction where the database allows."""
    from alembic import command

    with _MIGRATING, engine.begin() as connection:
        command.upgrade(_alembic_config(connection), revision)


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    with _MIGRATING, engine.begin() as connection:
        command.downgrade(_alembic_config(connection), revision)


def prepare(engine: Engine) -> None:
    """Make the database ready for writing: a new SQLite file gets its tables (created on first use);
    anything else must already be at the current revision, else :class:`DatabaseError` says what to run."""
    try:
        current = current_revision(engine)
        if current is None and engine.url.get_backend_name() == "sqlite":
            current = _create_sqlite(engine)
    except SQLAlchemyError as exc:
        raise DatabaseError(f"records database {_shown(engine)}: {reason(exc)}") from None
    head = head_revision()
    if current != head:
        raise DatabaseError(
            f"records database {_shown(engine)} is at revision {current or 'none (no tables)'}, this version needs "
            f"{head}: run 'kb db upgrade'"
        )


def _create_sqlite(engine: Engine) -> str | None:
    """Create a new SQLite file's tables; another server process may be doing the same at this moment,
    and then its tables are waited for (up to the busy timeout)."""
    deadline = time.monotonic() + SQLITE_BUSY_SECONDS
    while True:
        try:
            upgrade(engine)
        except SQLAlchemyError:
            if time.monotonic() > deadline:
                raise
        current = current_revision(engine)
        if current is not None or time.monotonic() > deadline:
            return current
        time.sleep(0.1)


def insert(engine: Engine, rows: list[tuple[str, dict]]) -> None:
    """Write a batch of ``(kind, row)`` records (kind: search, click, vote) in one transaction."""
    grouped: dict[str, list[dict]] = {}
    for kind, row in rows:
        grouped.setdefault(kind, []).append(row)
    with engine.begin() as connection:
        for kind, batch in grouped.items():
            connection.execute(TABLES[kind].insert(), batch)


def prune(engine: Engine, days: int) -> dict[str, int]:
    """Delete every record older than ``days`` days; the number deleted per table."""
    cutoff = now() - dt.timedelta(days=days)
    deleted = {}
    with engine.begin() as connection:
        for table in (searches, clicks, votes):
            deleted[table.name] = connection.execute(delete(table).where(table.c.at < cutoff)).rowcount
    return deleted


def reason(exc: BaseException) -> str:
    """A one-line reason for a database error (the driver's first line, without SQLAlchemy's links)."""
    original = getattr(exc, "orig", None) or exc
    text = str(original).strip().splitlines()
    return text[0] if text else type(original).__name__


def _shown(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)
