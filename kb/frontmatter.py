"""The article front matter: its schema, a typed :class:`FrontMatter`, and validation.

Each field is declared once, with its type and whether it is required, so
the checks and their messages stay in step with the documentation. A value
that cannot be used raises :class:`FieldError` while it is converted;
:func:`validate` collects every such error (and every cross-field problem)
before giving up, so an author sees them all at once.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .markdown import is_valid_id
from .model import OVERVIEW_ID, PHASES, ROLES, SOURCES, Problem
from .yamlsource import LineDict


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # "text", "id", "ids", "texts", "date", "tags"
    help: str
    required: bool = True
    causes_only: bool = False  # required on every article but the overview


FIELDS: tuple[Field, ...] = (
    Field("id", "id", "the permanent id; equals the file name"),
    Field("lang", "text", "the language; equals the folder (he, ar, en)"),
    Field("title", "text", "the title in the article's language"),
    Field("summary", "text", "one sentence"),
    Field(
        "category", "id", "a category id from content/categories.yaml (not on the overview)", False, causes_only=True
    ),
    Field("related", "ids", "ids of related causes, at least two"),
    Field("sources", "ids", "the seeds the article comes from: he-seed, ar-seed"),
    Field("keywords", "texts", "words and synonyms searchers use, in this language"),
    Field("reviewed", "date", "the date of the last review, YYYY-MM-DD"),
    Field(
        "sign_tags",
        "tags",
        "phase/role of each warning sign ('- [ ]' item), in order, e.g. [build/project-manager, run/key-user]",
        False,
        causes_only=True,
    ),
    Field(
        "step_tags",
        "tags",
        "phase/role of each prevention step (numbered item), in order, e.g. [selection/sponsor, build/it]",
        False,
        causes_only=True,
    ),
    Field(
        "translated_from",
        "text",
        "in a translation: <source language>@<hash> of the source version it was translated from "
        "(written by 'kb translated <lang>/<id>')",
        required=False,
    ),
)
FIELD_NAMES = tuple(f.name for f in FIELDS)


#: A warning sign's or prevention step's tag: ``(phase, role)``, written ``phase/role``.
Tag = tuple[str, str]


class FieldError(ValueError):
    """Raised by :func:`validate`'s conversion of one field's value; the message completes "field 'x' ..."."""


@dataclass(frozen=True)
class FrontMatter:
    """An article's front matter, checked and in its model types.

    ``lines`` gives the file line of every field (the front matter's first
    line for a field that is absent), for problems reported later.
    """

    id: str
    lang: str
    title: str
    summary: str
    related: tuple[str, ...]
    sources: tuple[str, ...]
    keywords: tuple[str, ...]
    reviewed: dt.date
    category: str | None = None
    sign_tags: tuple[Tag, ...] = ()
    step_tags: tuple[Tag, ...] = ()
    translated_from: str | None = None
    lines: Mapping[str, int] = field(default_factory=dict, compare=False)
    present: frozenset[str] = field(default=frozenset(), compare=False)  # the fields the file gives

    def line(self, name: str) -> int:
        """The file line of field ``name``."""
        return self.lines[name]

    def items(self):
        """``(name, value)`` of every field, in :data:`FIELDS` order."""
        return ((f.name, getattr(self, f.name)) for f in FIELDS)


def suggest(word: str, choices) -> str:
    """`` (did you mean 'x'?)`` for the closest choice, or an empty string."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def validate(meta: LineDict, path: Path, lang: str, report: Callable[[Problem], None]) -> FrontMatter | None:
    """Check the front matter of ``content/<lang>/<name>.md``; return it typed, or ``None``.

    Every problem goes to ``report``; the result is ``None`` when the
    article cannot be built at all.
    """

    def problem(line: int | None, message: str, severity: str = "error") -> None:
        report(Problem(severity, path, line, message))

    ok = True
    for key, line in meta.duplicates:
        problem(line, f"field '{key}' appears twice")
    for key in meta:
        if key not in FIELD_NAMES:
            problem(meta.lines[key], f"unknown field '{key}'{suggest(str(key), FIELD_NAMES)}", "warning")
    values: dict = {}
    for f in FIELDS:
        if f.name not in meta or meta[f.name] is None:
            if f.required or (f.causes_only and meta.get("id") != OVERVIEW_ID):
                problem(meta.line, f"missing field '{f.name}' ({f.help})")
                ok = False
            continue
        value, line = meta[f.name], meta.lines[f.name]
        try:
            values[f.name] = _coerce(f, value)
        except FieldError as exc:
            problem(line, f"field '{f.name}' {exc}")
            ok = False
            continue
        if f.kind == "tags":
            lines = getattr(value, "lines", None) or [line] * len(value)
            for tag, item_line in zip(values[f.name], lines, strict=True):
                for word, known, what in zip(tag, (PHASES, ROLES), ("phase", "role"), strict=True):
                    if word not in known:
                        hint = f"{suggest(word, known)}; use {', '.join(known)}"
                        problem(item_line, f"{f.name}: unknown {what} '{word}'{hint}")
    if not ok:
        return None

    def line_of(name: str) -> int:
        return meta.lines.get(name, meta.line)

    if values["id"] != path.stem:
        problem(line_of("id"), f"id '{values['id']}' does not match the file name '{path.name}'")
    if values["lang"] != lang:
        problem(line_of("lang"), f"lang '{values['lang']}' does not match the folder '{lang}'")
    if not values["title"] or not values["summary"]:
        problem(line_of("title" if not values["title"] else "summary"), "title and summary must not be empty")
    for source in values["sources"]:
        if source not in SOURCES:
            problem(
                line_of("sources"), f"unknown source '{source}'{suggest(source, SOURCES)}; use {', '.join(SOURCES)}"
            )
    if values["id"] != OVERVIEW_ID and len(values["related"]) < 2:
        problem(line_of("related"), "related must list at least two ids")
    if values["id"] in values["related"]:
        problem(line_of("related"), "an article must not list itself in related")
    if values["id"] == OVERVIEW_ID and values.get("category"):
        problem(line_of("category"), "the overview has no category")
    return FrontMatter(**values, lines={name: line_of(name) for name in FIELD_NAMES}, present=frozenset(values))


def _coerce(f: Field, value):
    """The value in its model type; :class:`FieldError` when it cannot be one."""
    if f.kind == "date":
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise FieldError(f"must be a date YYYY-MM-DD, got '{value}'") from None
    if f.kind in ("text", "id"):
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise FieldError(f"must be a single value, got a {_kind(value)}")
        text = str(value).strip()
        if f.kind == "id" and not is_valid_id(text):
            raise FieldError(f"'{text}' is not a valid id (lower-case letters, digits and hyphens)")
        return text
    if not isinstance(value, list):
        example = {"texts": "a, b", "tags": "build/it, run/key-user"}.get(f.kind, "id-one, id-two")
        raise FieldError(f"must be a list, e.g. [{example}], got a {_kind(value)}")
    items = []
    for item in value:
        if not isinstance(item, str | int | float) or isinstance(item, bool):
            raise FieldError(f"must be a list of plain values, found a {_kind(item)}")
        item = str(item).strip()
        if f.kind == "ids" and not is_valid_id(item):
            raise FieldError(f"'{item}' is not a valid id (lower-case letters, digits and hyphens)")
        if f.kind == "tags":
            phase, slash, role = item.partition("/")
            if not slash or not phase.strip() or not role.strip() or "/" in role:
                raise FieldError(f"'{item}' is not a tag phase/role (e.g. build/project-manager)")
            item = (phase.strip(), role.strip())
        items.append(item)
    return tuple(items)


def _kind(value) -> str:
    for kind, name in ((dict, "mapping"), (list, "list"), (str, "text")):
        if isinstance(value, kind):
            return name
    return type(value).__name__
