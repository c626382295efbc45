"""The figures the content team reads, aggregated from the records (never a single reader's trail).

:func:`gather` returns one :class:`Insights` for a period and, optionally,
one language: per language the number of searches and the share with no
results; the most frequent queries and those that found nothing (the
content gaps); queries whose readers opened articles in another language;
and each article's helpful / not-helpful votes with its latest comments.
``kb insights`` prints it, ``--json`` as :meth:`Insights.as_json`, and
``/insights`` draws it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from sqlalchemy import Engine, and_, case, desc, func, select
from sqlalchemy.exc import SQLAlchemyError

from .store import DatabaseError, clicks, now, reason, searches, votes

#: Rows in each "top" list.
TOP = 10
#: Latest comments kept per article.
COMMENTS = 3


@dataclass(frozen=True)
class LanguageFigures:
    lang: str
    searches: int
    zero_results: int

    @property
    def zero_share(self) -> float:
        return self.zero_results / self.searches if self.searches else 0.0


@dataclass(frozen=True)
class QueryCount:
    query: str
    lang: str
    count: int


@dataclass(frozen=True)
class CrossLanguage:
    query: str
    lang: str
    article_lang: str
    count: int


@dataclass(frozen=True)
class ArticleFeedback:
    id: str
    lang: str
    helpful: int
    not_helpful: int
    comments: tuple[str, ...] = ()


@dataclass(frozen=True)
class Insights:
    days: int
    lang: str | None
    since: dt.datetime
    languages: tuple[LanguageFigures, ...]
    top_queries: tuple[QueryCount, ...]
    zero_results: tuple[QueryCount, ...]
    cross_language: tuple[CrossLanguage, ...]
    feedback: tuple[ArticleFeedback, ...] = field(default=())

    @property
    def searches(self) -> int:
        return sum(f.searches for f in self.languages)

    def as_json(self) -> dict:
        return {
            "days": self.days,
            "lang": self.lang,
            "since": self.since.isoformat() + "Z",
            "searches": self.searches,
            "languages": [{**asdict(f), "zero_share": round(f.zero_share, 4)} for f in self.languages],
            "top_queries": [asdict(q) for q in self.top_queries],
            "zero_results": [asdict(q) for q in self.zero_results],
            "cross_language": [asdict(c) for c in self.cross_language],
            "feedback": [{**asdict(f), "comments": list(f.comments)} for f in self.feedback],
        }


def gather(engine: Engine, days: int, lang: str | None = None, top: int = TOP) -> Insights:
    """The figures for the last ``days`` days (``lang``: only searches in, and votes on, that language)."""
    since = now() - dt.timedelta(days=days)
    try:
        with engine.connect() as connection:
            return Insights(
                days=days,
                lang=lang,
                since=since,
                languages=_languages(connection, since, lang),
                top_queries=_queries(connection, since, lang, top, zero=False),
                zero_results=_queries(connection, since, lang, top, zero=True),
                cross_language=_cross_language(connection, since, lang, top),
                feedback=_feedback(connection, since, lang),
            )
    except SQLAlchemyError as exc:
        message = f"cannot read the records database: {reason(exc)} (has 'kb db upgrade' been run?)"
        raise DatabaseError(message) from None


def _in_period(table, since, lang):
    condition = table.c.at >= since
    return and_(condition, table.c.lang == lang) if lang else condition


def _languages(connection, since, lang) -> tuple[LanguageFigures, ...]:
    zero = func.sum(case((searches.c.results == 0, 1), else_=0))
    rows = connection.execute(
        select(searches.c.lang, func.count(), zero)
        .where(_in_period(searches, since, lang))
        .group_by(searches.c.lang)
        .order_by(searches.c.lang)
    )
    return tuple(LanguageFigures(row[0], int(row[1]), int(row[2] or 0)) for row in rows)


def _queries(connection, since, lang, top, zero: bool) -> tuple[QueryCount, ...]:
    count = func.count().label("n")
    condition = _in_period(searches, since, lang)
    if zero:
        condition = and_(condition, searches.c.results == 0)
    rows = connection.execute(
        select(searches.c.query, searches.c.lang, count)
        .where(condition)
        .group_by(searches.c.query, searches.c.lang)
        .order_by(desc("n"), searches.c.query, searches.c.lang)
        .limit(top)
    )
    return tuple(QueryCount(row[0], row[1], int(row[2])) for row in rows)


def _cross_language(connection, since, lang, top) -> tuple[CrossLanguage, ...]:
    count = func.count().label("n")
    condition = and_(clicks.c.at >= since, searches.c.lang != clicks.c.lang)
    if lang:
        condition = and_(condition, searches.c.lang == lang)
    rows = connection.execute(
        select(searches.c.query, searches.c.lang, clicks.c.lang, count)
        .select_from(clicks.join(searches, clicks.c.search_id == searches.c.id))
        .where(condition)
        .group_by(searches.c.query, searches.c.lang, clicks.c.lang)
        .order_by(desc("n"), searches.c.query)
        .limit(top)
    )
    return tuple(CrossLanguage(row[0], row[1], row[2], int(row[3])) for row in rows)


def _feedback(connection, since, lang) -> tuple[ArticleFeedback, ...]:
    condition = _in_period(votes, since, lang)
    helpful = func.sum(case((votes.c.helpful.is_(True), 1), else_=0))
    not_helpful = func.sum(case((votes.c.helpful.is_(False), 1), else_=0))
    rows = connection.execute(
        select(votes.c.article_id, votes.c.lang, helpful, not_helpful)
        .where(condition)
        .group_by(votes.c.article_id, votes.c.lang)
        .order_by(votes.c.article_id, votes.c.lang)
    ).all()
    rank = (
        func.row_number()
        .over(partition_by=(votes.c.article_id, votes.c.lang), order_by=(desc(votes.c.at), desc(votes.c.id)))
        .label("rank")
    )
    ranked = (
        select(votes.c.article_id, votes.c.lang, votes.c.comment, rank)
        .where(and_(condition, votes.c.comment.is_not(None)))
        .subquery()
    )
    comments: dict[tuple[str, str], list[str]] = {}
    for article_id, article_lang, comment in connection.execute(
        select(ranked.c.article_id, ranked.c.lang, ranked.c.comment)
        .where(ranked.c.rank <= COMMENTS)
        .order_by(ranked.c.article_id, ranked.c.lang, ranked.c.rank)
    ):
        comments.setdefault((article_id, article_lang), []).append(comment)
    return tuple(
        ArticleFeedback(row[0], row[1], int(row[2] or 0), int(row[3] or 0), tuple(comments.get((row[0], row[1]), ())))
        for row in rows
    )


def text_report(insights: Insights, show=lambda text: text) -> list[str]:
    """``kb insights`` without ``--json``: one block per language, then the votes; ``show`` orders RTL text."""
    scope = f" in {insights.lang}" if insights.lang else ""
    lines = [f"last {insights.days} day(s){scope}: {insights.searches} search(es)"]
    if not insights.languages:
        lines.append("  no searches recorded")
    for figures in insights.languages:
        lang = figures.lang
        lines.append("")
        lines.append(
            f"[{lang}] {figures.searches} search(es), {figures.zero_results} with no results ({figures.zero_share:.0%})"
        )
        lists = (("top queries", insights.top_queries), ("no results (content gaps)", insights.zero_results))
        for title, rows in lists:
            mine = [q for q in rows if q.lang == lang]
            lines.append(f"  {title}:" + ("" if mine else " none"))
            lines += [f"    {q.count:>5}  {show(q.query)}" for q in mine]
        crossed = [c for c in insights.cross_language if c.lang == lang]
        if crossed:
            lines.append("  opened in another language:")
            lines += [f"    {c.count:>5}  {show(c.query)} -> {c.article_lang}" for c in crossed]
    lines.append("")
    lines.append("votes (helpful / not helpful):" + ("" if insights.feedback else " none"))
    for article in insights.feedback:
        lines.append(f"  {article.lang}/{article.id}: {article.helpful} / {article.not_helpful}")
        lines += [f"      \u201c{show(comment)}\u201d" for comment in article.comments]
    return lines
