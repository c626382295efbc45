"""``kb insights`` and the figures behind it, from known records, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from kb.cli import main
from web.records import store
from web.records.insights import gather


def _searches(rows):
    """``(query, lang, results, days ago)`` rows as search records with ids 1, 2, ..."""
    now = store.now()
    return [
        (
            "search",
            {
                "id": f"{n:016x}",
                "at": now - dt.timedelta(days=ago),
                "query": query,
                "lang": lang,
                "category": None,
                "results": results,
                "approximate": None,
                "shown": "",
            },
        )
        for n, (query, lang, results, ago) in enumerate(rows, start=1)
    ]


@pytest.fixture
def recorded(ready_engine):
    now = store.now()
    records = _searches(
        [
            ("יעדים", "he", 3, 1),  # 1
            ("יעדים", "he", 3, 2),  # 2
            ("יעדים", "he", 3, 3),  # 3
            ("מיגרציה", "he", 0, 1),  # 4
            ("מיגרציה", "he", 0, 2),  # 5
            ("kpi", "he", 2, 1),  # 6
            ("بيانات", "ar", 4, 1),  # 7
            ("هجرة", "ar", 0, 1),  # 8
            ("goals", "en", 5, 40),  # 9: older than 30 days
        ]
    )
    for search_id, lang in ((6, "en"), (6, "en"), (1, "he"), (7, "en")):
        records.append(("click", {"at": now, "search_id": f"{search_id:016x}", "article_id": "goals", "lang": lang}))
    for n, (article, lang, helpful, comment) in enumerate(
        [
            ("goals", "he", True, None),
            ("goals", "he", False, "חסר דוגמה"),
            ("goals", "he", False, "לא ברור"),
            ("goals", "he", True, "מצוין"),
            ("goals", "he", True, "עוד אחד"),
            ("data", "ar", True, None),
        ]
    ):
        records.append(
            (
                "vote",
                {
                    "at": now - dt.timedelta(minutes=10 - n),
                    "article_id": article,
                    "lang": lang,
                    "helpful": helpful,
                    "comment": comment,
                },
            )
        )
    store.insert(ready_engine, records)
    return ready_engine


def test_figures_per_language(recorded):
    figures = gather(recorded, days=30)
    assert figures.searches == 8
    assert [(f.lang, f.searches, f.zero_results) for f in figures.languages] == [("ar", 2, 1), ("he", 6, 2)]
    assert [(q.query, q.lang, q.count) for q in figures.top_queries][:2] == [("יעדים", "he", 3), ("מיגרציה", "he", 2)]
    assert [(q.query, q.lang, q.count) for q in figures.zero_results] == [("מיגרציה", "he", 2), ("هجرة", "ar", 1)]
    assert [(c.query, c.lang, c.article_lang, c.count) for c in figures.cross_language] == [
        ("kpi", "he", "en", 2),
        ("بيانات", "ar", "en", 1),
    ]
    goals = next(f for f in figures.feedback if (f.id, f.lang) == ("goals", "he"))
    assert (goals.helpful, goals.not_helpful) == (3, 2)
    assert goals.comments == ("עוד אחד", "מצוין", "לא ברור")  # the latest three, newest first


def test_one_language_and_a_longer_period(recorded):
    figures = gather(recorded, days=60, lang="en")
    assert [(f.lang, f.searches) for f in figures.languages] == [("en", 1)]
    assert figures.feedback == () and figures.cross_language == ()
    assert gather(recorded, days=60).searches == 9


def test_kb_insights_json(recorded, database_url):
    result = CliRunner().invoke(main, ["insights", "--json", "--days", "30"], env={"KB_DATABASE_URL": database_url})
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["searches"] == 8
    assert data["zero_results"] == [
        {"query": "מיגרציה", "lang": "he", "count": 2},
        {"query": "هجرة", "lang": "ar", "count": 1},
    ]
    assert data["top_queries"][0] == {"query": "יעדים", "lang": "he", "count": 3}
    assert {"id": "data", "lang": "ar", "helpful": 1, "not_helpful": 0, "comments": []} in data["feedback"]


def test_kb_insights_text(recorded, database_url):
    result = CliRunner().invoke(main, ["insights", "--lang", "he", "--no-bidi"], env={"KB_DATABASE_URL": database_url})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "last 30 day(s) in he: 6 search(es)"
    assert "[he] 6 search(es), 2 with no results (33%)" in lines
    assert lines[lines.index("  no results (content gaps):") + 1] == "        2  מיגרציה"
    assert "        2  kpi -> en" in lines
    assert "  he/goals: 3 / 2" in lines


def test_kb_db_commands(database_url):
    env = {"KB_DATABASE_URL": database_url}
    runner = CliRunner()
    status = runner.invoke(main, ["db", "status"], env=env)
    assert status.exit_code == 1 and "revision none" in status.output and "run 'kb db upgrade'" in status.output
    upgrade = runner.invoke(main, ["db", "upgrade"], env=env)
    assert upgrade.exit_code == 0 and upgrade.output.rstrip().endswith("revision none -> 0001")
    assert runner.invoke(main, ["db", "status"], env=env).exit_code == 0
    engine = store.open_engine(database_url)
    store.insert(engine, _searches([("old", "en", 1, 200), ("new", "en", 1, 10)]))
    engine.dispose()
    pruned = runner.invoke(main, ["db", "prune"], env={**env, "KB_RETENTION_DAYS": "100"})
    assert pruned.output.strip() == "deleted records older than 100 day(s): 1 searches, 0 clicks, 0 votes"
    pruned = runner.invoke(main, ["db", "prune", "--days", "5"], env=env)
    assert pruned.output.strip() == "deleted records older than 5 day(s): 1 searches, 0 clicks, 0 votes"


def test_kb_db_reports_an_unreachable_database_in_one_line():
    result = CliRunner().invoke(main, ["db", "upgrade"], env={"KB_DATABASE_URL": "postgresql://kb@127.0.0.1:1/kb"})
    assert result.exit_code == 2
    assert result.output.startswith("Error: records database postgresql+psycopg://kb@127.0.0.1:1/kb: ")
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output


def test_kb_db_refuses_a_bad_address():
    result = CliRunner().invoke(main, ["insights"], env={"KB_DATABASE_URL": "mysql://x/y"})
    assert result.exit_code == 2
    assert result.output.startswith("Error: KB_DATABASE_URL must be sqlite:///")
