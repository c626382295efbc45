"""The writer thread: batches reach the database, nothing waits for it, and failures are dropped and counted."""

from __future__ import annotations

import logging
import time

from web.records import recorder as recorder_module
from web.records import store
from web.records.recorder import Recorder

from .servers import count


def _vote(n: int) -> dict:
    return {"at": store.now(), "article_id": f"a{n}", "lang": "en", "helpful": n % 2 == 0, "comment": None}


def test_every_record_queued_is_written(database_url):
    if not database_url.startswith("sqlite"):
        store.upgrade(store.open_engine(database_url))
    recorder = Recorder(database_url)
    recorder.start()
    for n in range(1_234):
        recorder.record("vote", _vote(n))
    assert recorder.flush(30)
    recorder.stop()
    assert (recorder.written, recorder.dropped) == (1_234, 0)
    assert count(database_url, store.votes) == 1_234


def test_stopping_writes_what_is_still_queued(database_url):
    if not database_url.startswith("sqlite"):
        store.upgrade(store.open_engine(database_url))
    recorder = Recorder(database_url)
    for n in range(300):
        recorder.record("vote", _vote(n))
    recorder.stop()
    assert count(database_url, store.votes) == 300


def test_a_full_queue_drops_and_counts_without_waiting(tmp_path):
    recorder = Recorder(f"sqlite:///{tmp_path}/r.db", queue_size=10)
    recorder._thread = object()  # no writer: the queue only fills
    started = time.perf_counter()
    for n in range(1_000):
        recorder.record("vote", _vote(n))
    assert time.perf_counter() - started < 1.0
    assert recorder.dropped == 990


def test_nothing_is_recorded_when_recording_is_off(tmp_path):
    recorder = Recorder(f"sqlite:///{tmp_path}/r.db", enabled=False)
    recorder.record("vote", _vote(1))
    recorder.start()
    assert recorder.flush(1) and recorder.written == 0
    assert not (tmp_path / "r.db").exists()


def test_an_unusable_database_is_logged_once_a_minute_and_counted(tmp_path, caplog, monkeypatch):
    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setattr(recorder_module, "BATCH_SECONDS", 0.01)
    recorder = Recorder(f"sqlite:///{tmp_path}/file/records.db")
    with caplog.at_level(logging.WARNING, logger="web.records.recorder"):
        recorder.start()
        for n in range(5):
            recorder.record("vote", _vote(n))
            assert recorder.flush(10)
        recorder.stop()
    assert recorder.dropped == 5 and recorder.written == 0
    lines = [r.getMessage() for r in caplog.records]
    assert lines[0].startswith("records: not recording for now:")
    # The start-up problem was logged a moment ago: the drops wait for the next minute, then one summary.
    assert len(lines) == 2 and lines[1] == "records: 5 record(s) dropped in all since start"


def test_postgresql_without_tables_says_to_upgrade_and_then_records(postgres, caplog):
    url = postgres.create_database("not_upgraded")
    recorder = Recorder(url)
    with caplog.at_level(logging.WARNING, logger="web.records.recorder"):
        recorder.start()
        recorder.record("vote", _vote(1))
        assert recorder.flush(10)
    assert recorder.dropped == 1
    assert "run 'kb db upgrade'" in caplog.records[0].getMessage()
    engine = store.open_engine(url)
    store.upgrade(engine)
    recorder.record("vote", _vote(2))
    assert recorder.flush(10)
    recorder.stop()
    assert recorder.written == 1 and count(url, store.votes) == 1
    engine.dispose()
