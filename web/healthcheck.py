"""The project health check: every warning sign of the causes as a checklist, and the report it gives.

A ticked sign is ``<article-id>.<n>``, n being the sign's 1-based position in
the article's warning signs (the same n in every language); the signs of one
cause may share a value, ``<article-id>.<n>,<m>,...``, as the report's own
URL writes them (the form sends one value a sign). The report ranks
the causes by the share of their signs ticked (ties: the number ticked, then
the order of the categories); the first ``STEPS_SHOWN`` causes come with their
prevention steps, the others link to them. Nothing is stored: the report is the
URL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kb.model import PHASES, ROLES, Article, Category, Item, KnowledgeBase

from .i18n import gettext as _

#: At most this many ``sign`` values are read from one request (there are about a hundred signs).
MAX_SIGNS = 200
#: The causes most at risk whose prevention steps the report gives in full (the others link to their article's).
STEPS_SHOWN = 5
#: Longer values are not signs: reported, never parsed.
MAX_VALUE_CHARS = 100
_SIGN = re.compile(r"([a-z0-9][a-z0-9-]*)\.([0-9]{1,4}(?:,[0-9]{1,4})*)")


@dataclass(frozen=True)
class Sign:
    """One warning sign of a cause, as the form lists it."""

    article: Article
    n: int
    item: Item

    @property
    def value(self) -> str:
        return f"{self.article.id}.{self.n}"


@dataclass(frozen=True)
class Risk:
    """A cause in the report: the signs ticked and how many it has."""

    article: Article
    ticked: tuple[Sign, ...]
    total: int

    @property
    def share(self) -> float:
        return len(self.ticked) / self.total if self.total else 0.0

    @property
    def percent(self) -> int:
        return round(100 * self.share)


def causes(kb: KnowledgeBase, lang: str) -> list[Article]:
    """The causes (every article but the overview) in ``lang``, in category order."""
    return [a for a in kb.in_language(lang) if not a.is_overview and a.signs]


def grouped_signs(kb: KnowledgeBase, lang: str, phase: str | None, role: str | None):
    """[(category, [(cause, [Sign])])] for the form: only the signs of the phase and role asked for."""
    groups = []
    for category in kb.categories:
        rows = []
        for article in causes(kb, lang):
            if article.category != category.id:
                continue
            signs = [
                Sign(article, n, item)
                for n, item in enumerate(article.signs, 1)
                if (phase is None or item.phase == phase) and (role is None or item.role == role)
            ]
            if signs:
                rows.append((article, signs))
        if rows:
            groups.append((category, rows))
    return groups


def choice(value: str | None, allowed: tuple[str, ...], label: str, problems: list[str]) -> str | None:
    """A filter's value when it is one of ``allowed``; empty is no filter; anything else is reported."""
    if not value:
        return None
    if value in allowed:
        return value
    problems.append(_("Unknown %(filter)s: %(value)s", filter=label, value=value[:MAX_VALUE_CHARS]))
    return None


def filters(args, problems: list[str]) -> tuple[str | None, str | None]:
    return (
        choice(args.get("phase"), PHASES, _("phase"), problems),
        choice(args.get("role"), ROLES, _("role"), problems),
    )


def ticked_signs(kb: KnowledgeBase, lang: str, values: list[str], problems: list[str]) -> dict[str, set[int]]:
    """The signs ticked, by article id; every value that is not a sign is added to ``problems``."""
    if len(values) > MAX_SIGNS:
        problems.append(_("Too many signs: only the first %(n)s were read.", n=MAX_SIGNS))
        values = values[:MAX_SIGNS]
    known = {a.id: a for a in causes(kb, lang)}
    ticked: dict[str, set[int]] = {}
    for value in values:
        shown = value[:MAX_VALUE_CHARS]
        match = _SIGN.fullmatch(value) if len(value) <= MAX_VALUE_CHARS else None
        if match is None:
            problems.append(_("Not a warning sign: %(value)s", value=shown))
            continue
        article_id = match.group(1)
        article = known.get(article_id)
        if article is None:
            problems.append(_("Unknown cause: %(value)s", value=shown))
            continue
        for n in map(int, match.group(2).split(",")):
            if not 1 <= n <= len(article.signs):
                problems.append(_("This cause has no warning sign %(n)s: %(value)s", n=n, value=shown))
            else:
                ticked.setdefault(article_id, set()).add(n)
    return ticked


def compact(kb: KnowledgeBase, lang: str, ticked: dict[str, set[int]]) -> list[str]:
    """The ``sign`` values of the report's URL: one a cause, ``<article-id>.<n>,<m>``, in category order."""
    return [f"{a.id}.{','.join(map(str, sorted(ticked[a.id])))}" for a in causes(kb, lang) if ticked.get(a.id)]


def report(kb: KnowledgeBase, lang: str, ticked: dict[str, set[int]]) -> tuple[list[Risk], list[Article]]:
    """The causes at risk, most at risk first, and the causes with no sign ticked."""
    order = {a.id: i for i, a in enumerate(causes(kb, lang))}
    risks, untouched = [], []
    for article in causes(kb, lang):
        numbers = sorted(ticked.get(article.id, ()))
        if numbers:
            signs = tuple(Sign(article, n, article.signs[n - 1]) for n in numbers)
            risks.append(Risk(article, signs, len(article.signs)))
        else:
            untouched.append(article)
    risks.sort(key=lambda r: (-r.share, -len(r.ticked), order[r.article.id]))
    return risks, untouched


def categories_by_id(kb: KnowledgeBase) -> dict[str, Category]:
    return {c.id: c for c in kb.categories}
