"""Every records test runs against SQLite and against a real PostgreSQL server.

The server is started once per session in a temporary folder
(:class:`scripts.postgres.TemporaryPostgres`) and stopped at the end; each
test gets a database of its own. ``./scripts/test`` sets
``KB_TEST_POSTGRES=1``: then a PostgreSQL that cannot be started fails the
tests that need it. Without that variable (pytest run by hand on a machine
without PostgreSQL) they are skipped, with the reason.
"""

from __future__ import annotations

import itertools
import os

import pytest

from scripts.postgres import PostgresUnavailable, TemporaryPostgres

BACKENDS = ("sqlite", "postgresql")
_numbers = itertools.count()


@pytest.fixture(scope="session")
def postgres():
    try:
        server = TemporaryPostgres()
        server.start()
    except PostgresUnavailable as exc:
        if os.environ.get("KB_TEST_POSTGRES") == "1":
            pytest.fail(f"KB_TEST_POSTGRES=1 but PostgreSQL could not be started: {exc}")
        pytest.skip(f"PostgreSQL not available ({exc}); ./scripts/test installs and runs it")
    yield server
    server.close()


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path) -> str:
    """A new, empty records database (no tables yet)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/records.db"
    server = request.getfixturevalue("postgres")
    if not server.running:
        server.start()
    return server.create_database(f"records_{next(_numbers)}")


@pytest.fixture
def engine(database_url):
    from web.records import store

    engine = store.open_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def ready_engine(engine):
    """An engine on a database with the current schema."""
    from web.records import store

    store.upgrade(engine)
    return engine
