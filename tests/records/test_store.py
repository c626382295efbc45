"""The records database: migrations, the start-up check, inserting and pruning, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, inspect, select

from kb.errors import ConfigError
from web.records import store


def _count(engine, table) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar_one()


def test_upgrade_creates_tables_that_match_the_declared_schema(engine):
    assert store.current_revision(engine) is None
    store.upgrade(engine)
    assert store.current_revision(engine) == store.head_revision()
    assert {"searches", "clicks", "votes"} <= set(inspect(engine).get_table_names())
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), store.metadata) == []


def test_downgrade_to_nothing_and_upgrade_again(ready_engine):
    store.downgrade(ready_engine, "base")
    assert store.current_revision(ready_engine) is None
    assert not {"searches", "clicks", "votes"} & set(inspect(ready_engine).get_table_names())
    store.upgrade(ready_engine)
    assert store.current_revision(ready_engine) == store.head_revision()


def test_prepare_creates_a_new_sqlite_file_but_asks_postgresql_for_an_upgrade(engine):
    if engine.url.get_backend_name() == "sqlite":
        store.prepare(engine)
        assert store.current_revision(engine) == store.head_revision()
    else:
        with pytest.raises(store.DatabaseError, match=r"revision none \(no tables\).*run 'kb db upgrade'"):
            store.prepare(engine)


def test_prepare_refuses_an_old_schema(ready_engine):
    store.downgrade(ready_engine, "base")
    if ready_engine.url.get_backend_name() == "sqlite":
        # An emptied SQLite file counts as new: its tables are created again.
        store.prepare(ready_engine)
        assert store.current_revision(ready_engine) == store.head_revision()
    else:
        with pytest.raises(store.DatabaseError, match="run 'kb db upgrade'"):
            store.prepare(ready_engine)


def _search(n: int, at: dt.datetime, **fields) -> tuple[str, dict]:
    row = {"id": f"{n:016x}", "at": at, "query": "q", "lang": "en", "category": None, "results": 1}
    return "search", {"approximate": None, "shown": "a b", **row, **fields}


def test_insert_writes_a_mixed_batch_in_one_transaction(ready_engine):
    at = store.now()
    store.insert(
        ready_engine,
        [
            _search(1, at),
            ("click", {"at": at, "search_id": f"{1:016x}", "article_id": "goals", "lang": "he"}),
            ("vote", {"at": at, "article_id": "goals", "lang": "en", "helpful": False, "comment": "שלום"}),
            _search(2, at, approximate=True),
        ],
    )
    assert [_count(ready_engine, t) for t in (store.searches, store.clicks, store.votes)] == [2, 1, 1]
    with ready_engine.connect() as connection:
        assert connection.execute(select(store.votes.c.comment)).scalar_one() == "שלום"


def test_a_batch_with_a_bad_row_writes_nothing(ready_engine):
    at = store.now()
    with pytest.raises(Exception):  # noqa: B017 - the driver's own integrity error
        store.insert(ready_engine, [_search(1, at), _search(1, at)])  # the same id twice
    assert _count(ready_engine, store.searches) == 0


def test_prune_deletes_only_what_is_older_than_the_retention(ready_engine):
    now = store.now()
    old, recent = now - dt.timedelta(days=181), now - dt.timedelta(days=179)
    store.insert(
        ready_engine,
        [
            _search(1, old),
            _search(2, recent),
            ("click", {"at": old, "search_id": f"{1:016x}", "article_id": "a", "lang": "en"}),
            ("vote", {"at": old, "article_id": "a", "lang": "en", "helpful": True, "comment": None}),
            ("vote", {"at": recent, "article_id": "a", "lang": "en", "helpful": True, "comment": None}),
        ],
    )
    assert store.prune(ready_engine, 180) == {"searches": 1, "clicks": 1, "votes": 1}
    assert [_count(ready_engine, t) for t in (store.searches, store.clicks, store.votes)] == [1, 0, 1]
    assert store.prune(ready_engine, 180) == {"searches": 0, "clicks": 0, "votes": 0}


@pytest.mark.parametrize(
    "value",
    ["mysql://localhost/kb", "sqlite://", "sqlite:///:memory:", "not a url", "http://example.com/"],
)
def test_unusable_addresses_are_refused_with_the_setting_named(value):
    with pytest.raises(ConfigError, match="KB_DATABASE_URL"):
        store.parse_url(value)


def test_postgres_addresses_use_psycopg_and_hide_the_password():
    assert store.parse_url("postgresql://kb:secret@db/kb").drivername == "postgresql+psycopg"
    assert store.parse_url("postgres://kb@db/kb").drivername == "postgresql+psycopg"
    assert "secret" not in store.describe("postgresql://kb:secret@db/kb")


def test_several_processes_creating_one_new_sqlite_file_all_end_ready(tmp_path):
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path}/new/records.db"
    program = (
        "import sys\nfrom web.records import store\n"
        "store.prepare(store.open_engine(sys.argv[1]))\nprint(store.current_revision(store.open_engine(sys.argv[1])))"
    )
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", program, url], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    results = [p.communicate(timeout=60) for p in processes]
    assert [(p.returncode, out.strip()) for p, (out, _) in zip(processes, results, strict=True)] == [
        (0, store.head_revision())
    ] * 4, [err for _, err in results]
