"""No record is lost under normal load: 10,000 searches and votes over 16 connections, exactly 10,000 rows.

Bounded (the load stops after 10,000 requests or 300 seconds) and on 127.0.0.1 only; the load generator is
the benchmark's (``bench.recording.drive``). Against SQLite with one process, and against PostgreSQL with two
worker processes writing to the same database.
"""

from __future__ import annotations

from bench.recording import drive
from web.records import store

from .servers import RecordingServer, count

REQUESTS = 10_000


def test_ten_thousand_searches_and_votes_make_ten_thousand_rows(corpus_index, database_url, tmp_path):
    workers = 1 if database_url.startswith("sqlite") else 2
    store.upgrade(store.open_engine(database_url))
    server = RecordingServer(corpus_index, database_url, tmp_path / "server.log", workers=workers)
    try:
        answered = drive(server.port, REQUESTS, connections=16, seconds=300, article="goals")
    finally:
        assert server.stop() == 0
    assert answered["failed"] == 0
    assert answered["search_ok"] + answered["vote_ok"] == REQUESTS
    assert count(database_url, store.searches) == answered["search_ok"] == REQUESTS // 2
    assert count(database_url, store.votes) == answered["vote_ok"] == REQUESTS // 2
    assert "records:" not in server.log_text()
