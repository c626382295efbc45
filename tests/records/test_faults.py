"""A real server keeps serving when its records database is missing, locked, full, read-only or stopped,
drops what it cannot write with one log line, and records again once the database is back."""

from __future__ import annotations

import resource
import sqlite3
import time

import pytest
from sqlalchemy import select

from web.records import store

from .servers import RecordingServer, count, wait_for_count

#: A search must answer this fast while the database misbehaves (the writer's waits never reach it).
FAST = 1.0


@pytest.fixture
def servers(tmp_path):
    started = []

    def start(corpus_index, url, **options) -> RecordingServer:
        server = RecordingServer(corpus_index, url, tmp_path / f"server{len(started)}.log", **options)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def test_a_new_sqlite_file_is_created_on_first_use_and_kept_on_stop(corpus_index, servers, tmp_path):
    url = f"sqlite:///{tmp_path}/var/records.db"
    server = servers(corpus_index, url)
    for _ in range(50):
        assert server.vote() == 202
    server.search("goals")  # (start-up searched once too)
    assert server.stop() == 0
    # Everything queued was written before the process ended.
    assert count(url, store.votes) == 50 and count(url, store.searches) >= 1
    assert "records:" not in server.log_text()
    with sqlite3.connect(tmp_path / "var" / "records.db") as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.parametrize("workers", [1, 2])
def test_records_queued_when_the_server_stops_are_written(corpus_index, servers, tmp_path, workers):
    url = f"sqlite:///{tmp_path}/records.db"
    server = servers(corpus_index, url, workers=workers)
    for n in range(300):
        assert server.vote(helpful=n % 2 == 0) == 202
    server.stop()
    assert count(url, store.votes) == 300


def test_a_sqlite_file_deleted_while_serving_is_created_again(corpus_index, servers, tmp_path):
    path = tmp_path / "records.db"
    url = f"sqlite:///{path}"
    server = servers(corpus_index, url)
    assert server.vote() == 202
    assert wait_for_count(url, store.votes, 1) == 1
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    assert server.search("goals") < FAST  # the first record after: dropped (no tables yet), counted, logged
    server.wait_for_log("dropped 1 record(s) (no such table: searches)")
    for _ in range(5):
        assert server.vote() == 202
    assert wait_for_count(url, store.votes, 5) == 5


def test_a_locked_sqlite_database_does_not_slow_searches(corpus_index, servers, tmp_path):
    url = f"sqlite:///{tmp_path}/records.db"
    server = servers(corpus_index, url)
    server.search("before the lock")
    assert wait_for_count(url, store.searches, 1) == 1
    holder = sqlite3.connect(tmp_path / "records.db", timeout=0, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        times = [server.search("goals") for _ in range(20)]
        assert max(times) < FAST, times
        log = server.wait_for_log("(database is locked)", seconds=store.SQLITE_BUSY_SECONDS + 10)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "the site goes on serving" in log
    server.search("after the lock")
    assert _wait_for_query(url, "after the lock")


def _wait_for_query(url: str, query: str, seconds: float = 20) -> bool:
    """True once a search for ``query`` is in the database."""
    engine = store.open_engine(url)
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            with engine.connect() as connection:
                if connection.execute(select(store.searches.c.id).where(store.searches.c.query == query)).first():
                    return True
            time.sleep(0.1)
        return False
    finally:
        engine.dispose()


def _small_files(limit: int):
    def apply():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_full_disk_drops_records_and_serves(corpus_index, servers, tmp_path):
    """The database cannot grow: the server process may write no file beyond 96 KiB (RLIMIT_FSIZE), so the
    write-ahead log soon cannot grow; the kernel answers EFBIG, which SQLite reports as a disk I/O error."""
    url = f"sqlite:///{tmp_path}/records.db"
    store.upgrade(store.open_engine(url))
    server = servers(corpus_index, url, preexec=_small_files(96 * 1024))
    vote = {"id": "goals", "lang": "en", "helpful": True, "comment": "x" * 500}
    for _ in range(20):  # room for these
        assert server.request("POST", "/api/feedback", vote)[0] == 202
    assert wait_for_count(url, store.votes, 20) == 20
    for _ in range(400):  # not for these
        assert server.request("POST", "/api/feedback", vote)[0] == 202
    assert server.search("goals") < FAST
    log = server.wait_for_log("(disk I/O error)")
    assert "dropped" in log and "Traceback" not in log
    assert 20 <= count(url, store.votes) < 420


def test_a_read_only_database_drops_records_and_serves(corpus_index, servers, tmp_path):
    path = tmp_path / "records.db"
    store.upgrade(store.open_engine(f"sqlite:///{path}"))
    url = f"sqlite:///file:{path}?mode=ro&uri=true"
    server = servers(corpus_index, url)
    times = [server.search("goals") for _ in range(10)]
    assert max(times) < FAST
    assert server.vote() == 202
    log = server.wait_for_log("(attempt to write a readonly database)")
    assert log.count("records: dropped") == 1  # one line a minute, however many drops
    assert count(f"sqlite:///{path}", store.votes) == 0


def test_a_missing_postgresql_database_is_reported_and_the_site_serves(corpus_index, servers, postgres):
    url = postgres.url("no_such_database")
    server = servers(corpus_index, url)
    log = server.wait_for_log("records: not recording for now:")
    assert 'database "no_such_database" does not exist' in log
    assert server.search("goals") < FAST and server.vote() == 202


def test_an_unreachable_postgresql_is_reported_and_the_site_serves(corpus_index, servers):
    server = servers(corpus_index, "postgresql://kb@127.0.0.1:9/kb")
    server.wait_for_log("records: not recording for now:")
    assert max(server.search("goals") for _ in range(5)) < FAST


def test_postgresql_stopped_mid_run(corpus_index, servers, postgres):
    url = postgres.create_database("stopped_mid_run")
    store.upgrade(store.open_engine(url))
    server = servers(corpus_index, url)
    for _ in range(10):
        assert server.vote() == 202
    assert wait_for_count(url, store.votes, 10) == 10
    postgres.stop()
    try:
        times = [server.search("goals") for _ in range(10)]
        assert max(times) < FAST, times
        for _ in range(10):
            assert server.vote() == 202
        log = server.wait_for_log("records: dropped")
        assert "the site goes on serving" in log and "Traceback" not in log
    finally:
        postgres.start()
    # Back: new records are written again, without a restart.
    for _ in range(7):
        assert server.vote() == 202
    assert wait_for_count(url, store.votes, 17) == 17


def test_a_read_only_postgresql_database_drops_records_and_serves(corpus_index, servers, postgres):
    import psycopg

    url = postgres.create_database("read_only")
    store.upgrade(store.open_engine(url))
    with psycopg.connect(postgres.url(), autocommit=True) as connection:
        connection.execute('ALTER DATABASE "read_only" SET default_transaction_read_only = on')
    server = servers(corpus_index, url)
    assert max(server.search("goals") for _ in range(5)) < FAST
    assert server.vote() == 202
    log = server.wait_for_log("(cannot execute INSERT in a read-only transaction)")
    assert log.count("records: dropped") == 1 and "Traceback" not in log
    assert count(url, store.votes) == 0
