"""The content model: frozen, typed records built by :mod:`kb.loader`.

Nothing here reads files; the loader builds these objects, and the search
and web layers only read them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

# The languages live in kb.languages; importable from here too, as the rest of the model.
from .languages import LANGUAGES as LANGUAGES
from .languages import RTL_LANGUAGES as RTL_LANGUAGES
from .languages import direction as direction

#: The seeds an article may cite in ``sources``.
SOURCES: tuple[str, ...] = ("he-seed", "ar-seed")
#: The id of each language's overview article (it has no category).
OVERVIEW_ID = "overview"
#: The project phases a warning sign shows in, or a prevention step belongs to (in project order).
PHASES: tuple[str, ...] = ("selection", "build", "go-live", "run")
#: The roles that own a warning sign or a prevention step.
ROLES: tuple[str, ...] = ("sponsor", "project-manager", "key-user", "it", "vendor")


def article_url(lang: str, article_id: str, anchor: str | None = None) -> str:
    """The permanent URL of an article (and optionally one of its headings)."""
    url = f"/{lang}/{article_id}"
    return f"{url}#{anchor}" if anchor else url


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the content, reported by ``kb check``.

    ``line`` is 1-based, or ``None`` when the problem concerns a whole file.
    """

    severity: Literal["error", "warning"]
    path: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        return f"{where}: {self.severity}: {self.message}"


@dataclass(frozen=True)
class Heading:
    """A heading of an article body: level (2 or 3), text, anchor and source line.

    ``anchor`` is the heading's id; a standard section's is the same in every
    language (``signs``), and ``alias`` then keeps the anchor made from its
    text, which older links use.
    """

    level: int
    text: str
    anchor: str
    line: int
    alias: str = ""


@dataclass(frozen=True)
class CrossLink:
    """A ``[[id]]`` or ``[[id|text]]`` link in an article body, with its source line."""

    target: str
    text: str | None
    line: int


@dataclass(frozen=True)
class Section:
    """A level-2 section and the shape translations must share.

    ``checklist``, ``steps`` and ``bullets`` count the section's task-list
    items (``- [ ]``), ordered-list items and other list items.
    """

    heading: Heading
    checklist: int = 0
    steps: int = 0
    bullets: int = 0
    words: int = 0


@dataclass(frozen=True)
class Item:
    """One warning sign (a ``- [ ]`` item) or prevention step (a numbered item) of an article.

    ``html`` is the item's inline HTML with cross-links resolved, ``text``
    its plain text; ``phase`` and ``role`` come from the article's
    ``sign_tags`` / ``step_tags`` (``None`` when the article has none).
    """

    html: str
    text: str
    phase: str | None = None
    role: str | None = None


@dataclass(frozen=True)
class Article:
    """One article in one language, as read from ``content/<lang>/<id>.md``.

    ``html`` is the rendered body, with cross-links resolved to URLs and
    titles in the article's language; ``text`` is the body as plain text
    (for search); ``body_line`` is the file line where the body starts.
    ``signs`` and ``steps`` are the warning signs and prevention steps, in
    order, each with its phase and role.
    """

    id: str
    lang: str
    title: str
    summary: str
    category: str | None
    related: tuple[str, ...]
    sources: tuple[str, ...]
    keywords: tuple[str, ...]
    reviewed: dt.date
    path: Path
    headings: tuple[Heading, ...] = ()
    sections: tuple[Section, ...] = ()
    links: tuple[CrossLink, ...] = ()
    html: str = ""
    text: str = ""
    body_line: int = 1
    signs: tuple[Item, ...] = ()  # the n-th warning sign is the same n in every language
    steps: tuple[Item, ...] = ()

    @property
    def is_overview(self) -> bool:
        return self.id == OVERVIEW_ID

    @property
    def url(self) -> str:
        return article_url(self.lang, self.id)

    @property
    def dir(self) -> str:
        return direction(self.lang)


@dataclass(frozen=True)
class Category:
    """A group of causes, with a title and a one-sentence description per language."""

    id: str
    title: dict[str, str]
    description: dict[str, str]


@dataclass(frozen=True)
class LearningPath:
    """An ordered list of article ids that trainers hand to trainees."""

    id: str
    title: dict[str, str]
    intro: dict[str, str]
    steps: tuple[str, ...]


@dataclass(frozen=True)
class Concept:
    """A glossary entry: the terms for one idea in each language."""

    concept: str
    terms: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class KnowledgeBase:
    """Everything the content tree holds, after loading and linking."""

    root: Path
    articles: dict[tuple[str, str], Article]
    categories: tuple[Category, ...]
    paths: tuple[LearningPath, ...]
    glossary: tuple[Concept, ...]
    problems: tuple[Problem, ...] = field(default=())

    def get(self, lang: str, article_id: str) -> Article | None:
        return self.articles.get((lang, article_id))

    def in_language(self, lang: str) -> list[Article]:
        """The articles of one language: overview first, then by category order and title."""
        order = {c.id: i for i, c in enumerate(self.categories)}
        found = [a for (lng, _), a in self.articles.items() if lng == lang]
        return sorted(found, key=lambda a: (not a.is_overview, order.get(a.category or "", -1), a.id))

    def translations(self, article_id: str) -> dict[str, Article]:
        return {lang: a for lang in LANGUAGES if (a := self.get(lang, article_id))}

    def category(self, category_id: str) -> Category | None:
        return next((c for c in self.categories if c.id == category_id), None)

    def path(self, path_id: str) -> LearningPath | None:
        return next((p for p in self.paths if p.id == path_id), None)

    def backlinks(self, lang: str, article_id: str) -> list[Article]:
        """Articles of the same language whose body links to this one."""
        return [
            a
            for a in self.in_language(lang)
            if a.id != article_id and any(link.target == article_id for link in a.links)
        ]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]
