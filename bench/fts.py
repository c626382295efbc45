"""The reference floor: SQLite FTS5 over the same articles, bm25 ranking and ``snippet()``.

One FTS5 table per language, columns ``id`` (unindexed), ``title``,
``summary``, ``body``, tokenizer ``unicode61 remove_diacritics 2``. A query
is its words, each quoted (so no input is a syntax error), joined by OR (as
our words are optional); quoted phrases become required phrases. It does
no stemming, prefixes, typos, synonyms or cross-language search: it is the
speed a plain inverted index gives on this machine, not a quality baseline.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from kb.model import LANGUAGES, Article, KnowledgeBase

TOKENIZE = "unicode61 remove_diacritics 2"
#: bm25 weights per column: id (unindexed), title, summary, body, as FIELD_WEIGHTS gives them.
WEIGHTS = (0.0, 5.0, 3.0, 1.0)
_PHRASE = re.compile(r'"([^"]+)"')


def _table(lang: str) -> str:
    return f"docs_{lang}"


def _row(number: int, article: Article) -> tuple:
    return (number, article.id, article.title, article.summary, article.text)


def build(kb: KnowledgeBase, path: Path) -> dict[str, dict[str, int]]:
    """Write every article into a new database at ``path``; return {lang: {id: rowid}}."""
    Path(path).unlink(missing_ok=True)
    rowids: dict[str, dict[str, int]] = {}
    with sqlite3.connect(path) as db:
        for lang in LANGUAGES:
            table = _table(lang)
            db.execute(
                f"CREATE VIRTUAL TABLE {table} USING fts5(id UNINDEXED, title, summary, body, tokenize = '{TOKENIZE}')"
            )
            articles = kb.in_language(lang)
            rowids[lang] = {a.id: i + 1 for i, a in enumerate(articles)}
            db.executemany(
                f"INSERT INTO {table}(rowid, id, title, summary, body) VALUES (?, ?, ?, ?, ?)",
                (_row(i + 1, a) for i, a in enumerate(articles)),
            )
            db.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
    db.close()
    return rowids


def update(path: Path, article: Article, rowid: int) -> None:
    """Re-index one changed article and commit."""
    with sqlite3.connect(path) as db:
        db.execute(
            f"UPDATE {_table(article.lang)} SET title = ?, summary = ?, body = ? WHERE rowid = ?",
            (article.title, article.summary, article.text, rowid),
        )
    db.close()


def expression(text: str) -> str | None:
    """The FTS5 query for plain text: quoted phrases required, otherwise words OR-ed; None if nothing is left."""

    def quoted(words: str) -> str:
        return '"' + words.replace('"', '""') + '"'

    phrases = [p.strip() for p in _PHRASE.findall(text) if any(ch.isalnum() for ch in p)]
    if phrases:
        return " AND ".join(quoted(p) for p in phrases)
    words = [w for w in text.replace('"', " ").split() if any(ch.isalnum() for ch in w)]
    return " OR ".join(quoted(w) for w in words) or None


class Searcher:
    """Top ``limit`` hits with a snippet each, and the total count, as our engine returns them."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path, check_same_thread=False)
        weights = ", ".join(str(w) for w in WEIGHTS)
        self.sql = {
            lang: (
                f"SELECT id, title, snippet({_table(lang)}, -1, '<mark>', '</mark>', '…', 32) "
                f"FROM {_table(lang)} WHERE {_table(lang)} MATCH ? ORDER BY bm25({_table(lang)}, {weights}) LIMIT ?",
                f"SELECT count(*) FROM {_table(lang)} WHERE {_table(lang)} MATCH ?",
            )
            for lang in LANGUAGES
        }

    def search(self, text: str, lang: str, limit: int = 10) -> tuple[int, list[tuple]]:
        expr = expression(text)
        if expr is None:
            return 0, []
        ranked, count = self.sql[lang]
        hits = self.db.execute(ranked, (expr, limit)).fetchall()
        total = self.db.execute(count, (expr,)).fetchone()[0]
        return total, hits

    def close(self) -> None:
        self.db.close()
